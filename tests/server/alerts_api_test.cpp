// Store alerts end to end (alerts.hpp): answers posted by a till through the real
// API open exactly one alert case at the store level, whatever the replays and
// later answers while it is open; the case file reaches every answer it
// counted; it resolves with an outcome alone (no letter, no follow-up); and its
// alert.opened webhook waits in the durable outbox while the receiver is down
// and reaches it, once, when it comes up.
#include <algorithm>
#include <doctest/doctest.h>

#include <fstream>

#include "heed/server/storage.hpp"
#include "server_fixture.hpp"
#include "webhook_receiver.hpp"

namespace heed::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

Timestamp at(const char* text) { return *parse_timestamp(text); }

// The shipped rules with alerts on (HappyOrNot's 50 % in 15 minutes, at least 4).
void write_alert_rules(const TempDir& dir) {
  json rules = json::parse(std::ifstream(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json"));
  rules["calendar"]["holidays"] =
      (std::filesystem::path(HEED_ASSETS_DIR) / "calendar/bank-holidays-england-wales.json").string();
  rules["final_response"]["templates"] = (std::filesystem::path(HEED_ASSETS_DIR) / "letters").string();
  rules["alerts"]["enabled"] = true;
  std::ofstream(dir.path() / "rules.json") << rules.dump();
}

// An answer at MCR-01 made at `when`: negative (CSAT 1, NPS 2) or happy, a
// call-back asked for when `contact` (so its record is contactable).
Feedback answer(const char* when, bool negative, bool contact = false) {
  Feedback f = feedback();
  f.header.created_at = at(when);
  f.csat = negative ? 1 : 5;
  f.nps = negative ? 2 : 10;
  if (contact) f.contact = test::contact();
  return f;
}

// Monday noon: 7 of 10 answers negative from 11:40 to 11:54:59, the window's
// edges marked; two misuse taps, an answer exactly a window before its start
// and one exactly at its end are not counted.
std::vector<Record> lunchtime_rush() {
  std::vector<Record> r;
  r.push_back(answer("2026-11-23T11:25:00Z", true));  // exactly a window before the start: out (its own window holds 1)
  r.push_back(answer("2026-11-23T11:40:00Z", true));   // the window's start: in
  for (const char* t : {"2026-11-23T11:42:00Z", "2026-11-23T11:44:00Z", "2026-11-23T11:46:00Z",
                        "2026-11-23T11:48:00Z", "2026-11-23T11:50:00Z"})
    r.push_back(answer(t, true));
  r.push_back(answer("2026-11-23T11:54:59Z", true, true));  // the last second in, and it asks for a call-back
  for (const char* t : {"2026-11-23T11:41:00Z", "2026-11-23T11:43:00Z", "2026-11-23T11:45:00Z"})
    r.push_back(answer(t, false));
  for (const char* t : {"2026-11-23T11:47:00Z", "2026-11-23T11:47:01Z"}) {
    Feedback misuse = answer(t, true);
    misuse.suspected_misuse = true;  // the kiosk's burst detector flagged them
    r.push_back(misuse);
  }
  r.push_back(answer("2026-11-23T11:55:00Z", false));  // exactly at the window's end: out
  return r;
}

struct AlertServer {
  TestClock clock{"2026-11-23T12:00:00Z"};
  TempDir rules_dir;
  TempDir dir;
  std::unique_ptr<TestServer> s;

  explicit AlertServer(const std::function<void(server::ServerOptions&)>& change = {}) {
    write_alert_rules(rules_dir);
    auto options = test_options(dir.path() / "data", &clock);
    options.rules_file = rules_dir.path() / "rules.json";
    if (change) change(options);
    s = std::make_unique<TestServer>(options);
  }

  std::vector<server::CaseRow> alerts() {
    server::CaseQuery q;
    q.type = CaseType::alert;
    q.now = s->now();
    return s->server->storage().list_cases(q).value();
  }
};

}  // namespace

TEST_CASE("alerts API: a burst of negative answers opens exactly one alert case for the store manager") {
  AlertServer a;
  const std::string till = a.s->enroll_device("MCR-01");
  auto c = a.s->client();
  int status = 0;
  const auto rush = lunchtime_rush();
  post_records(c, till, rush, &status);
  REQUIRE(status == 200);
  post_records(c, till, rush, &status);  // a till that resends after a lost answer: duplicates
  REQUIRE(status == 200);
  // More unhappy answers while the alert is open: no second alert.
  post_records(c, till,
               {answer("2026-11-23T11:56:00Z", true), answer("2026-11-23T11:57:00Z", true),
                answer("2026-11-23T11:58:00Z", true), answer("2026-11-23T11:59:00Z", true)},
               &status);
  REQUIRE(status == 200);
  REQUIRE(a.alerts().size() == 1);

  const std::string manager = a.s->sign_in("mo", server::Role::manager, {server::Scope::Kind::store, "MCR-01"});
  const json queue = get_json(c, "/api/v1/cases?type=alert", manager, &status);
  REQUIRE(status == 200);
  REQUIRE(queue["cases"].size() == 1);
  const json& listed = queue["cases"][0];
  CHECK(listed["type"] == "alert");
  CHECK(listed["title"] == "7 of 10 answers negative in 15 minutes at Manchester Arndale");
  CHECK(listed["level_name"] == "store");
  CHECK(listed["severity"] == "high");

  const auto id = listed["id"].get<std::int64_t>();
  const json file = get_json(c, "/api/v1/cases/" + std::to_string(id), manager, &status);
  REQUIRE(status == 200);
  const json& alert = file["alert"];
  CHECK(alert["window_start"] == "2026-11-23T11:40:00Z");
  CHECK(alert["window_end"] == "2026-11-23T11:55:00Z");
  CHECK(alert["answers"] == 10);
  CHECK(alert["negative"] == 7);
  REQUIRE(alert["records"].size() == 10);
  CHECK(alert["records"][0]["created_at"] == "2026-11-23T11:40:00Z");
  CHECK(alert["records"][0]["negative"] == true);
  CHECK(alert["records"][9]["created_at"] == "2026-11-23T11:54:59Z");
  for (const auto& r : alert["records"]) {
    CHECK_FALSE(r["suspected_misuse"].get<bool>());
    CHECK_FALSE(r.contains("contact"));  // figures, not who
  }
  // The clock starts at the last answer counted: 2 working hours to acknowledge.
  CHECK(file["deadlines"][0]["due"] == "2026-11-23T13:54:59Z");

  // An alert is about the store: nobody to wait on.
  CHECK(std::ranges::find(file["actions"], "wait_for_customer") == file["actions"].end());
  auto waiting = c.Post(("/api/v1/cases/" + std::to_string(id) + "/actions").c_str(), bearer(manager),
                        json{{"action", "wait_for_customer"}, {"note", "Asked the store for its rota."}}.dump(),
                        "application/json");
  REQUIRE(waiting);
  CHECK(waiting->status == 409);

  // Resolving says what was found; no remedy, root cause or letter, and no follow-up
  // for the customer whose call-back happens to be the alert's last answer.
  auto res = c.Post(("/api/v1/cases/" + std::to_string(id) + "/actions").c_str(), bearer(manager),
                    json{{"action", "resolve"}, {"outcome", "Two tills were down; a third opened at 11:58."}}.dump(),
                    "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  const json closed = get_json(c, "/api/v1/cases/" + std::to_string(id), manager, &status);
  CHECK(closed["status"] == "closed");
  CHECK(closed["final_responses"].empty());
  CHECK(closed["followed_by"].empty());
}

TEST_CASE("alerts API: the alert webhook waits while the receiver is down and arrives once when it is up") {
  const int port = free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hooks";
  AlertServer a([&](server::ServerOptions& o) {
    o.webhooks.push_back(server::WebhookEndpoint{"store-alerts", url, "alert secret", {"alert.opened"}});
    o.webhook_retry_base = 100ms;
    o.webhook_retry_max = 400ms;
  });
  const std::string till = a.s->enroll_device("MCR-01");
  auto c = a.s->client();
  int status = 0;
  post_records(c, till, lunchtime_rush(), &status);
  REQUIRE(status == 200);
  REQUIRE(a.alerts().size() == 1);
  const std::int64_t case_id = a.alerts()[0].id;

  // Down: the message stays in the outbox, tried and waiting.
  std::optional<server::WebhookMessage> waiting;
  for (int i = 0; i < 200 && !(waiting && waiting->attempts >= 2); ++i) {
    std::this_thread::sleep_for(20ms);
    for (const auto& m : a.s->server->storage().due_webhooks(INT64_MAX, 100).value())
      if (m.event == "alert.opened") waiting = m;
  }
  REQUIRE(waiting);
  CHECK(waiting->attempts >= 2);
  CHECK(waiting->endpoint == "store-alerts");

  // Up: it arrives, signed, with the case's id to deduplicate by, and only once.
  Receiver receiver(0, port, {"alert.opened"});
  REQUIRE(receiver.wait_for_accepted(1, 10s));
  std::this_thread::sleep_for(500ms);  // a few retry periods: nothing more comes
  const auto got = receiver.accepted();
  REQUIRE(got.size() == 1);
  CHECK(got[0].event == "alert.opened");
  CHECK(got[0].delivery_id == std::to_string(waiting->id));
  CHECK(got[0].signature.starts_with("sha256="));
  const json body = json::parse(got[0].body);
  CHECK(body["case"]["id"] == case_id);
  CHECK(body["case"]["type"] == "alert");
  CHECK(body["case"]["store_id"] == "MCR-01");
  CHECK(body["alert"]["title"] == "7 of 10 answers negative in 15 minutes at Manchester Arndale");
  CHECK(body["alert"]["record_ids"].size() == 10);
  CHECK(a.s->server->storage().due_webhooks(INT64_MAX, 100).value().empty());
}

}  // namespace heed::test
