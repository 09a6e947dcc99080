// POST /api/v1/cases/{id}/actions through the real server over loopback: every
// action × every field it takes × every way a field can be wrong is a 400 whose
// JSON body names the field, never a 500 and never a change to the case; the
// valid actions then all succeed on the untouched case.
#include <doctest/doctest.h>

#include "case_action_table.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {
// How many bodies the table refuses for `spec`: each field × each bad value,
// except leaving out an optional field and the values that fit the field.
int refusals(const ActionSpec& spec) {
  int n = 0;
  for (const auto& field : spec.fields)
    for (const auto& bad : bad_values())
      if ((bad.value || field.required) && !fits(field, bad)) ++n;
  return n;
}
}  // namespace

TEST_CASE("case actions over HTTP: a field that is missing, null, of the wrong type or blank is a 400 naming it") {
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");
  TestServer s(&clock);
  const auto device = s.enroll_device();
  const auto user = s.sign_in("bob", server::Role::manager);
  auto c = s.client();
  Complaint complaint = test::escalated_complaint();
  complaint.header.created_at = *parse_timestamp("2026-11-23T11:00:00Z");
  Complaint resolved_at_desk = test::complaint(9);  // schedules a follow-up check
  resolved_at_desk.header.created_at = complaint.header.created_at;
  REQUIRE(post_records(c, device, {complaint, resolved_at_desk})["accepted"].size() == 2);
  const std::string id = std::to_string(case_of(s, complaint.header.id)["id"].get<std::int64_t>());
  const std::string follow_up = std::to_string(case_of(s, resolved_at_desk.header.id)["id"].get<std::int64_t>());
  auto act = [&](const std::string& case_id, const json& body) {
    const std::string path = "/api/v1/cases/" + case_id + "/actions";
    auto res = c.Post(path.c_str(), bearer(user), body.dump(), "application/json");
    REQUIRE(res);
    return std::pair{res->status, json::parse(res->body, nullptr, false)};
  };
  auto walk = [&](const std::string& case_id, const ActionSpec& spec) {
    int refused = 0;
    for (const auto& field : spec.fields) {
      for (const auto& bad : bad_values()) {
        if ((!bad.value && !field.required) || fits(field, bad)) continue;
        CAPTURE(spec.action);
        CAPTURE(field.name);
        CAPTURE(bad.what);
        const auto [status, body] = act(case_id, with_bad(spec, field.name, bad));
        CHECK(status == 400);
        CHECK(body["error"] == "invalid_request");
        REQUIRE(body["fields"].is_array());
        REQUIRE(body["fields"].size() == 1);
        CHECK(body["fields"][0]["field"] == field.name);
        CHECK(body["fields"][0]["code"] == (bad.value ? "invalid" : "required"));
        CHECK(body["message"].get<std::string>().find(field.name) != std::string::npos);
        ++refused;
      }
    }
    return refused;
  };

  int refused = 0, expected = 0;
  for (const auto& spec : action_specs()) {
    refused += walk(id, spec);
    expected += refusals(spec);
  }
  CHECK(refused == expected);
  CHECK(refused >= 14 * 8);                                 // 14 required fields (and the optional ones)
  CHECK(walk(follow_up, close_follow_up_spec()) == 7 + 7);  // satisfied: all but "a bool"; note: all but missing
  for (const auto& bad : bad_values()) {
    CAPTURE(bad.what);
    json body{{"note", "x"}};
    if (bad.value) body["action"] = *bad.value;
    const auto [status, error] = act(id, body);
    CHECK(status == 400);
    CHECK(error["fields"][0]["field"] == "action");
  }

  // Nothing refused touched the cases.
  json untouched = get_json(c, "/api/v1/cases/" + id, user);
  CHECK(untouched["assignee"].is_null());
  CHECK(untouched["root_cause"].is_null());
  CHECK(untouched["acknowledged_at"].is_null());
  CHECK(untouched["waiting_since"].is_null());
  CHECK(untouched["level_name"] == "area");
  CHECK(untouched["status"] == "open");
  CHECK(untouched["history"].size() == 1);
  CHECK(get_json(c, "/api/v1/cases/" + follow_up, user)["history"].size() == 1);

  // The valid bodies, in an order the case allows, all succeed.
  for (const auto& spec : action_specs()) {
    CAPTURE(spec.action);
    const auto [status, body] = act(id, spec.valid_body());
    CHECK(status == 200);
  }
  const json done = get_json(c, "/api/v1/cases/" + id, user);
  CHECK(done["assignee"].is_null());  // escalation handed it on
  CHECK(done["level_name"] == "head_office");
  REQUIRE(done["history"].size() == 11);
  CHECK(done["history"][9]["action"] == "resolve");
  CHECK(done["history"][9]["detail"]["root_cause"] == "product_quality");
  const auto [closed, closed_body] = act(follow_up, close_follow_up_spec().valid_body());
  CHECK(closed == 200);
  CHECK(closed_body["satisfied"] == true);
}

TEST_CASE("other JSON bodies: a field that is null, of the wrong type or blank is a 4xx naming it, never a 500") {
  TestServer s;
  const auto device = s.enroll_device();
  (void)s.sign_in("bob", server::Role::agent);
  auto c = s.client();
  struct Endpoint {
    std::string path;
    json valid;
    std::string token;
  };
  const std::vector<Endpoint> endpoints{
      {"/api/v1/devices/enroll", {{"code", "ABCD-EFGH-JKLM"}, {"name", "Till 2"}}, ""},
      {"/api/v1/auth/login", {{"username", "bob"}, {"password", "correct horse battery staple"}}, ""},
      {"/api/v1/devices/heartbeat",
       {{"queue_length", 0},
        {"oldest_pending_age_s", 5},
        {"app_version", "1.0.0"},
        {"quarantined", 0},
        {"last_sync_at", "2026-11-22T14:05:09Z"},
        {"last_error", "timeout"}},
       device},
      {"/api/v1/records", {{"records", json::array({to_json(Record{test::feedback()})})}}, device},
  };
  for (const auto& endpoint : endpoints) {
    for (const auto& [field, good] : endpoint.valid.items()) {
      for (const auto& bad : bad_values()) {
        json body = endpoint.valid;
        if (bad.value)
          body[field] = *bad.value;
        else
          body.erase(field);
        CAPTURE(endpoint.path);
        CAPTURE(field);
        CAPTURE(bad.what);
        auto res = endpoint.token.empty()
                       ? c.Post(endpoint.path.c_str(), body.dump(), "application/json")
                       : c.Post(endpoint.path.c_str(), bearer(endpoint.token), body.dump(), "application/json");
        REQUIRE(res);
        CHECK(res->status < 500);
        if (res->status == 400) {
          const json error = json::parse(res->body, nullptr, false);
          CHECK(error["message"].get<std::string>().find(field) != std::string::npos);
        }
      }
    }
  }
}
