// Every deadline in a case's JSON (issue 14): "deadlines" and "sla", counted
// in working time by the business calendar (Monday-Friday 09:00-17:30,
// Europe/London, on UTC in November). Each state alone on a case built here,
// a deadline over a weekend, then one call-back worked through the real server
// from on track to met, with its scheduled follow-up.
#include <doctest/doctest.h>

#include "heed/server/workflow.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

const server::Workflow& rules() {
  static const server::Workflow flow =
      std::move(server::Workflow::load(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value());
  return flow;
}

// A call-back opened on Monday 23 November 2026 at 09:00: acknowledge by
// Tuesday 09:00, resolve by Thursday 09:00.
server::CaseRow callback() {
  server::CaseRow c;
  c.id = 1;
  c.type = CaseType::callback;
  c.record_id = "r-1";
  c.store_id = "MCR-01";
  c.clock_start = at("2026-11-23T09:00:00Z");
  c.created_at = c.clock_start;
  c.ack_due = at("2026-11-24T09:00:00Z");
  c.resolve_due = at("2026-11-26T09:00:00Z");
  return c;
}

json deadlines_at(const server::CaseRow& c, const char* now) { return rules().case_json(c, at(now))["deadlines"]; }

}  // namespace

TEST_CASE("deadlines: on track, due soon and breached, in working seconds from now") {
  const auto c = callback();
  auto d = deadlines_at(c, "2026-11-23T10:00:00Z");  // Monday 10:00
  REQUIRE(d.size() == 2);
  CHECK(d[0]["kind"] == "acknowledge");
  CHECK(d[0]["due"] == "2026-11-24T09:00:00Z");
  CHECK(d[0]["done_at"].is_null());
  CHECK(d[0]["state"] == "on_track");
  CHECK(d[0]["working_s_left"] == 7.5 * 3600);  // Monday's 7.5 working hours left
  CHECK(d[1]["kind"] == "resolve");
  CHECK(d[1]["state"] == "on_track");
  CHECK(d[1]["working_s_left"] == (7.5 + 2 * 8.5) * 3600);

  d = deadlines_at(c, "2026-11-23T16:00:00Z");  // Monday 16:00: 1.5 working hours left
  CHECK(d[0]["state"] == "due_soon");
  CHECK(d[0]["working_s_left"] == 1.5 * 3600);
  d = deadlines_at(c, "2026-11-23T15:30:00Z");  // exactly two working hours: due soon
  CHECK(d[0]["state"] == "due_soon");
  d = deadlines_at(c, "2026-11-23T15:29:00Z");
  CHECK(d[0]["state"] == "on_track");
  d = deadlines_at(c, "2026-11-23T20:00:00Z");  // the evening: no working time before Tuesday 09:00
  CHECK(d[0]["state"] == "due_soon");           // due first thing, but not passed
  CHECK(d[0]["working_s_left"] == 0);

  d = deadlines_at(c, "2026-11-24T10:30:00Z");  // Tuesday 10:30: 1.5 working hours overdue
  CHECK(d[0]["state"] == "breached");
  CHECK(d[0]["working_s_left"] == -1.5 * 3600);
  CHECK(d[1]["state"] == "on_track");

  const json j = rules().case_json(c, at("2026-11-24T10:30:00Z"));
  CHECK(j["sla"] == j["deadlines"][0]);
  CHECK(j["status"] == "breached");
}

TEST_CASE("deadlines: a deadline over a weekend counts only working time") {
  auto c = callback();
  c.ack_due = at("2026-11-30T10:00:00Z");  // Monday 30 November 10:00
  // Friday 16:00: 1.5 working hours on Friday, 1 on Monday; 66 hours by the clock.
  auto d = deadlines_at(c, "2026-11-27T16:00:00Z");
  CHECK(d[0]["working_s_left"] == 2.5 * 3600);
  CHECK(d[0]["state"] == "on_track");
  // Saturday noon: only Monday's hour is left, so it is due soon.
  d = deadlines_at(c, "2026-11-28T12:00:00Z");
  CHECK(d[0]["working_s_left"] == 3600);
  CHECK(d[0]["state"] == "due_soon");
  // Overdue over a weekend: Friday 17:00 to Monday 10:00 is 1.5 working hours.
  c.ack_due = at("2026-11-27T17:00:00Z");
  d = deadlines_at(c, "2026-11-30T10:00:00Z");
  CHECK(d[0]["state"] == "breached");
  CHECK(d[0]["working_s_left"] == -1.5 * 3600);
}

TEST_CASE("deadlines: waiting on the customer pauses the resolution only, with the time left when the wait began") {
  auto c = callback();
  c.acked_at = at("2026-11-23T11:00:00Z");
  c.waiting_since = at("2026-11-24T09:00:00Z");  // Tuesday 09:00: 2 x 8.5 working hours left
  for (const char* now : {"2026-11-24T12:00:00Z", "2026-11-27T12:00:00Z", "2026-12-02T12:00:00Z"}) {
    CAPTURE(now);
    const json j = rules().case_json(c, at(now));
    const json& d = j["deadlines"];
    CHECK(d[0]["state"] == "met");
    CHECK(d[0]["done_at"] == "2026-11-23T11:00:00Z");
    CHECK(d[0]["working_s_left"].is_null());
    CHECK(d[1]["state"] == "paused");
    CHECK(d[1]["working_s_left"] == 2 * 8.5 * 3600);  // frozen: the clock does not run
    CHECK(j["sla"] == d[1]);
    CHECK(j["status"] == "awaiting_customer");
  }
  // The acknowledgement still runs while waiting (only the resolution pauses).
  c.acked_at.reset();
  const json d = deadlines_at(c, "2026-11-24T12:00:00Z");
  CHECK(d[0]["state"] == "breached");
  CHECK(d[1]["state"] == "paused");
}

TEST_CASE("deadlines: met and missed once done; sla is null when closed") {
  auto c = callback();
  c.acked_at = at("2026-11-23T16:00:00Z");     // before Tuesday 09:00: met
  c.resolved_at = at("2026-11-26T10:00:00Z");  // after Thursday 09:00: missed
  const json j = rules().case_json(c, at("2026-11-27T10:00:00Z"));
  const json& d = j["deadlines"];
  CHECK(d[0]["state"] == "met");
  CHECK(d[1]["state"] == "missed");
  CHECK(d[1]["done_at"] == "2026-11-26T10:00:00Z");
  CHECK(d[1]["working_s_left"].is_null());
  CHECK(j["sla"].is_null());
  CHECK(j["status"] == "closed");
  // Acknowledged but not resolved: the resolution is what matters next.
  c.resolved_at.reset();
  const json open = rules().case_json(c, at("2026-11-24T10:00:00Z"));
  CHECK(open["sla"]["kind"] == "resolve");
  CHECK(open["sla"] == open["deadlines"][1]);
}

TEST_CASE("deadlines: a scheduled follow-up has only its resolution, scheduled until it opens") {
  server::CaseRow c;
  c.type = CaseType::follow_up;
  c.clock_start = at("2026-12-02T09:00:00Z");
  c.opens_at = c.clock_start;  // Wednesday 2 December
  c.resolve_due = at("2026-12-03T09:00:00Z");
  json j = rules().case_json(c, at("2026-11-27T10:00:00Z"));  // the Friday before
  REQUIRE(j["deadlines"].size() == 1);
  CHECK(j["deadlines"][0]["kind"] == "resolve");
  CHECK(j["deadlines"][0]["state"] == "scheduled");
  CHECK(j["deadlines"][0]["working_s_left"] == (7.5 + 2 * 8.5 + 8.5) * 3600);  // Fri rest, Mon, Tue, Wed
  CHECK(j["sla"] == j["deadlines"][0]);
  CHECK(j["status"] == "scheduled");
  j = rules().case_json(c, at("2026-12-02T10:00:00Z"));  // opened
  CHECK(j["deadlines"][0]["state"] == "on_track");
}

TEST_CASE("deadlines through the server: a call-back from on track to met, its follow-up scheduled") {
  TestClock clock{"2026-11-23T12:00:00Z"};  // Monday noon
  TestServer s{&clock};
  const auto till = s.enroll_device("MCR-01");
  const auto scope = *server::parse_scope("store:MCR-01");
  std::string token = s.sign_in("mia", server::Role::manager, scope);
  // Moves the clock; a session lasts 12 hours of it, so sign in again.
  auto move = [&](const char* when) {
    clock.set(when);
    token = s.sign_in("mia", server::Role::manager, scope);
  };
  auto c = s.client();

  Feedback f = test::feedback();  // a detractor on Monday at 10:00 who asked for a call-back
  f.header.created_at = at("2026-11-23T10:00:00Z");
  f.csat = 1;
  f.nps = 2;
  f.contact = test::contact();
  REQUIRE(post_records(c, till, {f})["accepted"].size() == 1);
  const auto id = case_of(s, f.header.id)["id"].get<std::int64_t>();
  const std::string path = "/api/v1/cases/" + std::to_string(id);
  auto get = [&] {
    int status = 0;
    json body = get_json(c, path, token, &status);
    REQUIRE(status == 200);
    return body;
  };
  auto act = [&](const json& body) {
    auto res = c.Post((path + "/actions").c_str(), bearer(token), body.dump(), "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
  };

  // Acknowledge by Tuesday 10:00, resolve by Thursday 10:00.
  json j = get();
  REQUIRE(j["deadlines"].size() == 2);
  CHECK(j["deadlines"][0]["due"] == "2026-11-24T10:00:00Z");
  CHECK(j["deadlines"][0]["state"] == "on_track");
  CHECK(j["deadlines"][0]["working_s_left"] == (5.5 + 1) * 3600);
  CHECK(j["deadlines"][1]["due"] == "2026-11-26T10:00:00Z");
  CHECK(j["sla"] == j["deadlines"][0]);
  // The queue's rows carry them too.
  const json queue = get_json(c, "/api/v1/cases", token);
  REQUIRE(queue["cases"].size() == 1);
  CHECK(queue["cases"][0]["deadlines"] == j["deadlines"]);
  CHECK(queue["cases"][0]["sla"] == j["sla"]);

  move("2026-11-24T09:00:00Z");
  CHECK(get()["sla"]["state"] == "due_soon");
  move("2026-11-24T11:00:00Z");
  j = get();
  CHECK(j["sla"]["state"] == "breached");
  CHECK(j["sla"]["working_s_left"] == -3600);

  act({{"action", "acknowledge"}});
  act({{"action", "wait_for_customer"}, {"note", "Asked for the receipt"}});
  j = get();
  CHECK(j["deadlines"][0]["state"] == "missed");
  CHECK(j["deadlines"][0]["done_at"] == "2026-11-24T11:00:00Z");
  CHECK(j["sla"]["kind"] == "resolve");
  CHECK(j["sla"]["state"] == "paused");
  CHECK(j["sla"]["working_s_left"] == (6.5 + 8.5 + 1) * 3600);
  move("2026-11-25T15:00:00Z");  // a day later, still paused with the same time left
  CHECK(get()["sla"]["working_s_left"] == (6.5 + 8.5 + 1) * 3600);

  act({{"action", "customer_replied"}});
  j = get();
  CHECK(j["sla"]["state"] == "on_track");
  CHECK(j["sla"]["working_s_left"] == 16 * 3600);  // the clock restarts with what was left
  move("2026-11-25T16:00:00Z");
  act({{"action", "resolve"},
       {"outcome", "Rang back; refund agreed"},
       {"remedies", {{{"kind", "apology"}}}},
       {"root_cause", "staff_training"}});
  j = get();
  CHECK(j["status"] == "closed");
  CHECK(j["deadlines"][1]["state"] == "met");
  CHECK(j["sla"].is_null());

  // The follow-up the resolution scheduled: scheduled until its day.
  REQUIRE(j.contains("followed_by"));
  REQUIRE(j["followed_by"].size() == 1);
  const json& follow = j["followed_by"][0];
  CHECK(follow["status"] == "scheduled");
  CHECK(follow["deadlines"].size() == 1);
  CHECK(follow["sla"]["state"] == "scheduled");
  CHECK(follow["sla"]["working_s_left"].get<std::int64_t>() > 0);
}
