// Issue 13's "done when", through the API alone over a real server: a head-office
// agent takes a detractor's call-back from the queue, reads what the customer
// said, calls them, records the call, resolves it with a remedy, and sees the
// follow-up open a week later; a complaint ends with its final response in the
// customer's language. A store manager sees only their store throughout.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "server_fixture.hpp"

namespace heed {
namespace {

using nlohmann::json;
using test::bearer;
using test::get_json;
using test::post_records;

struct Day {
  test::TestClock clock{"2026-11-23T10:00:00Z"};  // a Monday
  test::TestServer s{&clock};
  httplib::Client http = s.client();
  std::string manchester = s.enroll_device("MCR-01");
  std::string london = s.enroll_device("LON-01");
  std::string agent = s.sign_in("hq-ana", server::Role::agent);
  std::string store_manager = s.sign_in("mcr-sam", server::Role::manager, {server::Scope::Kind::store, "MCR-01"});

  json act(const std::string& token, std::int64_t id, const json& body, int expect = 200) {
    auto res = http.Post(("/api/v1/cases/" + std::to_string(id) + "/actions").c_str(), bearer(token), body.dump(),
                         "application/json");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == expect);
    return json::parse(res->body, nullptr, false);
  }
  // Every case a user's queue lists in a tab, all pages.
  std::vector<json> queue(const std::string& token, const std::string& query) {
    std::vector<json> all;
    std::string cursor;
    do {
      const json page = get_json(http, "/api/v1/cases?" + query + (cursor.empty() ? "" : "&cursor=" + cursor), token);
      for (const auto& c : page["cases"]) all.push_back(c);
      cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
    } while (!cursor.empty());
    return all;
  }
  void only_manchester(const std::vector<json>& cases) {
    for (const auto& c : cases) CHECK(c["store_id"] == "MCR-01");
  }
};

TEST_CASE("head office works a detractor's call-back from the queue to a follow-up a week later") {
  Day d;
  Feedback detractor = test::feedback();
  detractor.csat = 1;
  detractor.nps = 2;
  detractor.comment = "Waited 25 minutes at the till and nobody apologised.";
  detractor.contact = test::contact();
  Feedback elsewhere = test::feedback();
  elsewhere.header.store_id = "LON-01";
  elsewhere.nps = 3;
  elsewhere.contact = test::contact();
  REQUIRE(post_records(d.http, d.manchester, {detractor})["accepted"].size() == 1);
  REQUIRE(post_records(d.http, d.london, {elsewhere})["accepted"].size() == 1);

  // The queue: the detractor's call-back, high priority, due first.
  const auto queue = d.queue(d.agent, "status=open&type=callback&severity=high");
  REQUIRE(queue.size() == 2);
  const json first =
      *std::find_if(queue.begin(), queue.end(), [&](const json& c) { return c["record_id"] == detractor.header.id; });
  const std::int64_t id = first["id"];
  d.only_manchester(d.queue(d.store_manager, "status=all"));
  CHECK(d.queue(d.store_manager, "status=open").size() == 1);

  // Take it, read what the customer said, see how to reach them.
  d.act(d.agent, id, {{"action", "assign"}, {"assignee", "me"}});
  const json c = get_json(d.http, "/api/v1/cases/" + std::to_string(id), d.agent);
  CHECK(c["record"]["comment"] == detractor.comment);
  CHECK(c["record"]["nps"] == 2);
  CHECK(c["assignee"] == "hq-ana");
  const json contact = get_json(d.http, "/api/v1/cases/" + std::to_string(id) + "/contact", d.agent);
  CHECK(contact["phone"] == "07700 900123");

  // The call: it reaches her, which acknowledges the case.
  d.clock.set("2026-11-23T11:30:00Z");
  json after = d.act(d.agent, id,
                     {{"action", "contact"},
                      {"channel", "phone"},
                      {"direction", "outbound"},
                      {"outcome", "reached"},
                      {"summary", "Apologised for the wait; she was short-staffed checkout's third complaint."}});
  CHECK(after["acknowledged_at"] == "2026-11-23T11:30:00Z");

  // Resolved with a remedy and a root cause; the follow-up is scheduled a week on.
  d.clock.set("2026-11-23T14:00:00Z");
  after = d.act(d.agent, id,
                {{"action", "resolve"},
                 {"outcome", "Rota changed so that two tills open from 11:00 on weekdays."},
                 {"remedies", {{{"kind", "apology"}}, {{"kind", "goodwill"}, {"amount_pence", 1000}}}},
                 {"root_cause", "staff_training"}});
  CHECK(after["status"] == "closed");
  REQUIRE(after["followed_by"].size() == 1);
  const json follow_up = after["followed_by"][0];
  CHECK(follow_up["type"] == "follow_up");
  CHECK(follow_up["status"] == "scheduled");
  CHECK(after["final_responses"].empty());  // a call-back has no letter

  // A week later it is in the open queue, the store manager's too, never London's case.
  d.clock.set("2026-11-30T09:00:00Z");
  d.agent = d.s.sign_in("hq-ana", server::Role::agent);
  d.store_manager = d.s.sign_in("mcr-sam", server::Role::manager, {server::Scope::Kind::store, "MCR-01"});
  bool listed = false;
  for (const auto& k : d.queue(d.agent, "status=open&type=follow_up")) listed |= k["id"] == follow_up["id"];
  CHECK(listed);
  const auto theirs = d.queue(d.store_manager, "status=open");
  d.only_manchester(theirs);
  CHECK(std::any_of(theirs.begin(), theirs.end(), [&](const json& k) { return k["id"] == follow_up["id"]; }));
  int status = 0;
  const json london_case = test::case_of(d.s, elsewhere.header.id);
  (void)get_json(d.http, "/api/v1/cases/" + std::to_string(london_case["id"].get<int>()), d.store_manager, &status);
  CHECK(status == 404);
  const json kpis = get_json(d.http, "/api/v1/kpis", d.store_manager);
  CHECK(kpis["nps"]["count"] == 1);  // Manchester's answer only
}

TEST_CASE("a complaint is resolved at head office with its final response, in Welsh when the customer asked") {
  Day d;
  Complaint complaint = test::escalated_complaint();
  complaint.escalation->target = EscalationTarget::head_office;
  complaint.adjustments = Adjustments{};
  complaint.adjustments->consent = true;
  complaint.adjustments->language = "cy";
  REQUIRE(post_records(d.http, d.manchester, {complaint})["accepted"].size() == 1);
  const std::int64_t id = test::case_of(d.s, complaint.header.id)["id"];

  d.act(d.agent, id, {{"action", "acknowledge"}});
  // The store manager follows it but no longer works it: it sits at head office.
  const json seen = get_json(d.http, "/api/v1/cases/" + std::to_string(id), d.store_manager);
  CHECK(seen["level_name"] == "head_office");
  CHECK(seen["actions"].empty());
  d.act(d.store_manager, id, {{"action", "note"}, {"note", "Kettle batch returned to the supplier"}}, 403);

  const json resolved = d.act(d.agent, id,
                              {{"action", "resolve"},
                               {"outcome", "The kettle model has a faulty thermostat; the batch is withdrawn."},
                               {"remedies", {{{"kind", "refund"}, {"amount_pence", 2999}}, {{"kind", "apology"}}}},
                               {"root_cause", "supplier"}});
  REQUIRE(resolved["final_responses"].size() == 1);
  CHECK(resolved["final_responses"][0]["language"] == "cy");
  auto letter = d.http.Get(("/api/v1/cases/" + std::to_string(id) + "/final-response").c_str(), bearer(d.agent));
  REQUIRE(letter);
  REQUIRE(letter->status == 200);
  CHECK(letter->body.find(complaint.reference) != std::string::npos);
  CHECK(letter->body.find("RetailADR") != std::string::npos);
  CHECK(letter->body.find("£29.99") != std::string::npos);
  auto page =
      d.http.Get(("/api/v1/cases/" + std::to_string(id) + "/final-response?format=html").c_str(), bearer(d.agent));
  REQUIRE(page);
  CHECK(page->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(page->body.find("<script") == std::string::npos);

  // A resolution the letter cannot be made for is refused whole: nothing stored.
  const json bad = d.act(d.agent, id,
                         {{"action", "resolve"},
                          {"outcome", "x"},
                          {"remedies", {{{"kind", "none"}}}},
                          {"root_cause", "supplier"},
                          {"language", "fr"}},
                         400);
  CHECK(bad["fields"][0]["field"] == "language");
}

}  // namespace
}  // namespace heed
