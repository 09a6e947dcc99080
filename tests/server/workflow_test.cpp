// The scheduler end to end: a breach escalates the case one level and its signed
// webhook reaches a receiver (an httplib server in the test), also when the
// server restarts in between; failed deliveries are retried with backoff from
// the durable outbox.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "heed/server/tokens.hpp"
#include "heed/sqlite.hpp"
#include "server_fixture.hpp"
#include "webhook_receiver.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

constexpr const char* kSecret = "test webhook secret";

server::ServerOptions workflow_options(const std::filesystem::path& data_dir, TestClock& clock,
                                       const std::string& url) {
  auto o = test_options(data_dir, &clock);
  o.webhook_url = url;
  o.webhook_secret = kSecret;
  o.breach_scan_interval = 200ms;
  o.webhook_retry_base = 100ms;
  o.webhook_retry_max = 400ms;
  return o;
}

// A server on Monday 23 November 2026 at noon, with a till enrolled and a manager
// signed in.
struct MondayServer {
  TestClock clock{"2026-11-23T12:00:00Z"};
  TestServer s{&clock};
  std::string device = s.enroll_device();
  std::string user = s.sign_in();
  httplib::Client c = s.client();
};

// A high-severity complaint made on Monday 23 November 2026 at 11:00 (UTC):
// acknowledge by 15:00, resolve by Wednesday 11:00.
Complaint urgent_complaint() {
  Complaint c = test::escalated_complaint();
  c.escalation->target = EscalationTarget::store_manager;  // opens at the store level
  c.severity = Severity::high;
  c.header.created_at = at("2026-11-23T11:00:00Z");
  c.customer.reset();
  return c;
}

// The receiver has the message before the server hears its 200 and marks it delivered.
bool pending_soon_zero(TestServer& s) {
  for (int i = 0; i < 100; ++i) {
    if (s.server->storage().stats(s.now())->webhooks_pending == 0) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

}  // namespace

TEST_CASE("a breach escalates the case one level and its signed webhook reaches the receiver") {
  Receiver receiver;
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");
  test::TempDir dir;
  TestServer s(workflow_options(dir / "data", clock, receiver.url()));
  const auto device = s.enroll_device();
  auto c = s.client();
  const Complaint complaint = urgent_complaint();
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);

  std::this_thread::sleep_for(500ms);  // two scans: nothing is due yet
  CHECK(receiver.attempts().empty());
  CHECK(case_of(s, complaint.header.id)["level_name"] == "store");

  clock.set("2026-11-23T15:00:01Z");  // one second past the acknowledgement deadline
  REQUIRE(receiver.wait_for_accepted(1, 5s));
  const auto delivery = receiver.accepted()[0];
  CHECK(delivery.event == "case.breached");
  CHECK(delivery.signature == "sha256=" + server::hmac_sha256_hex(kSecret, delivery.body));
  const json body = json::parse(delivery.body);
  CHECK(body["event"] == "case.breached");
  CHECK(body["deadline"] == "acknowledge");
  CHECK(body["due"] == "2026-11-23T15:00:00Z");
  CHECK(body["case"]["reference"] == complaint.reference);
  CHECK(body["case"]["level"] == 1);
  CHECK(body["case"]["level_name"] == "area");
  CHECK(body.dump().find("ffion") == std::string::npos);

  const json escalated = case_of(s, complaint.header.id);
  CHECK(escalated["level_name"] == "area");
  CHECK(escalated["status"] == "breached");
  auto history = s.server->storage().case_history(escalated["id"].get<std::int64_t>()).value();
  REQUIRE(history.size() == 2);
  CHECK(history[1].action == "breach");
  CHECK(history[1].actor == "system");

  // One level per breach: the resolution deadline escalates again, to the top and no further.
  clock.set("2026-11-25T11:00:01Z");
  REQUIRE(receiver.wait_for_accepted(2, 5s));
  CHECK(json::parse(receiver.accepted()[1].body)["deadline"] == "resolve");
  CHECK(case_of(s, complaint.header.id)["level_name"] == "head_office");
  std::this_thread::sleep_for(500ms);
  CHECK(receiver.attempts().size() == 2);  // each breach is sent once
  auto metrics = c.Get("/metrics");
  CHECK(metrics->body.find("heed_case_breaches_total 2") != std::string::npos);
  CHECK(metrics->body.find("heed_webhooks_delivered_total 3") != std::string::npos);  // and the case.opened
}

TEST_CASE("a record arriving already past its deadline is escalated at once") {
  Receiver receiver;
  TestClock clock;
  clock.set("2026-11-26T12:00:00Z");
  test::TempDir dir;
  auto options = workflow_options(dir / "data", clock, receiver.url());
  options.breach_scan_interval = std::chrono::minutes(10);  // only the nudge can find it in time
  TestServer s(options);
  const auto device = s.enroll_device();
  auto c = s.client();
  std::this_thread::sleep_for(100ms);  // the start-up scan has run
  REQUIRE(post_records(c, device, {urgent_complaint()})["accepted"].size() == 1);
  REQUIRE(receiver.wait_for_accepted(2, 5s));  // both deadlines had passed
  CHECK(json::parse(receiver.accepted()[0].body)["case"]["level_name"] == "area");
  CHECK(json::parse(receiver.accepted()[1].body)["case"]["level_name"] == "head_office");
}

TEST_CASE("failed deliveries are retried with growing backoff") {
  Receiver receiver(3);  // 503, 503, 503, then 200
  TestClock clock;
  clock.set("2026-11-23T16:00:00Z");
  test::TempDir dir;
  TestServer s(workflow_options(dir / "data", clock, receiver.url()));
  const auto device = s.enroll_device();
  auto c = s.client();
  REQUIRE(post_records(c, device, {urgent_complaint()})["accepted"].size() == 1);
  REQUIRE(receiver.wait_for_accepted(1, 10s));
  const auto attempts = receiver.attempts();
  REQUIRE(attempts.size() == 4);
  for (const auto& a : attempts) CHECK(a.delivery_id == attempts[0].delivery_id);  // the same message each time
  const auto gap1 = attempts[1].at - attempts[0].at, gap2 = attempts[2].at - attempts[1].at;
  CHECK(gap1 >= 90ms);
  CHECK(gap2 >= 180ms);  // doubled
  CHECK(pending_soon_zero(s));
}

TEST_CASE("a queued webhook survives a restart, and a breach that fell due while the server was down is found") {
  const int port = free_port();
  TestClock clock;
  clock.set("2026-11-23T16:00:00Z");
  test::TempDir dir;
  const auto options = workflow_options(dir / "data", clock, "http://127.0.0.1:" + std::to_string(port) + "/hooks");
  const Complaint first = urgent_complaint();
  Complaint second = urgent_complaint();
  second.reference = make_reference("MCR", "K2", 31);
  second.header.created_at = at("2026-11-23T15:30:00Z");  // 4 working hours: acknowledge by Tuesday 11:00
  {
    TestServer s(options);
    const auto device = s.enroll_device();
    auto c = s.client();
    REQUIRE(post_records(c, device, {first, second})["accepted"].size() == 2);
    // The first is escalated; its webhook cannot be delivered: nothing listens.
    for (int i = 0; i < 100 && case_of(s, first.header.id)["level_name"] != "area"; ++i)
      std::this_thread::sleep_for(50ms);
    REQUIRE(case_of(s, first.header.id)["level_name"] == "area");
    std::this_thread::sleep_for(300ms);                                // a few failed attempts
    CHECK(s.server->storage().stats(s.now())->webhooks_pending == 3);  // two case.opened, one case.breached
    CHECK(case_of(s, second.header.id)["level_name"] == "store");
  }  // the server stops

  clock.set("2026-11-24T11:00:01Z");  // the second's acknowledgement falls due while it is down
  Receiver receiver(0, port);
  TestServer again(options);
  REQUIRE(receiver.wait_for_accepted(2, 10s));
  std::set<std::string> references;
  for (const auto& d : receiver.accepted()) {
    CHECK(d.signature == "sha256=" + server::hmac_sha256_hex(kSecret, d.body));
    references.insert(json::parse(d.body)["case"]["reference"].get<std::string>());
  }
  CHECK(references == std::set<std::string>{first.reference, second.reference});
  CHECK(case_of(again, second.header.id)["level_name"] == "area");
  CHECK(pending_soon_zero(again));
  std::this_thread::sleep_for(300ms);
  CHECK(receiver.accepted().size() == 2);
}

TEST_CASE("the default scan finds a breach within 60 seconds") {
  server::ServerOptions defaults;
  CHECK(defaults.breach_scan_interval <= 60s);
  CHECK(defaults.breach_scan_interval > 0s);
}

TEST_CASE("a follow-up check is scheduled only for a customer who consented and left an email or phone") {
  MondayServer m;
  auto& [clock, s, device, user, c] = m;

  Complaint consented = test::complaint(21);  // resolved at first contact, with consent and an email
  Complaint anonymous = test::complaint(22);  // resolved at first contact, no contact details
  anonymous.customer.reset();
  Complaint escalated = test::escalated_complaint();  // not resolved, no contact details
  escalated.reference = make_reference("MCR", "K2", 23);
  escalated.customer.reset();
  for (Complaint* cp : {&consented, &anonymous, &escalated}) cp->header.created_at = at("2026-11-23T10:00:00Z");
  REQUIRE(post_records(c, device, {consented, anonymous, escalated})["accepted"].size() == 3);

  CHECK(case_of(s, consented.header.id)["type"] == "follow_up");
  CHECK(case_of(s, consented.header.id)["status"] == "scheduled");
  CHECK(case_of(s, anonymous.header.id).is_null());  // no one to ask: nothing scheduled
  // Head office still works an escalated complaint, with or without contact details.
  CHECK(case_of(s, escalated.header.id)["type"] == "complaint");
  const json cases = get_json(c, "/api/v1/cases?status=all", user)["cases"];
  CHECK(cases.size() == 2);

  // The KPIs count every complaint, whatever cases they opened.
  const json k = get_json(c, "/api/v1/kpis", user);
  CHECK(k["complaints"]["count"] == 3);
  CHECK(k["complaints"]["fcr_pct"].get<double>() == doctest::Approx(66.7));

  // Even on its due day, nothing about the anonymous complaint appears.
  clock.set("2026-11-30T10:00:00Z");
  CHECK(case_of(s, consented.header.id)["status"] == "open");
  CHECK(case_of(s, anonymous.header.id).is_null());
}

TEST_CASE("a complaint's case opens at the level staff escalated it to, with their rationale in its history") {
  MondayServer m;
  auto& [clock, s, device, user, c] = m;

  std::vector<Record> records;
  std::vector<std::pair<std::string, std::string>> expected;  // record id, level name
  std::uint64_t sequence = 40;
  for (auto [target, level] :
       {std::pair{EscalationTarget::store_manager, "store"}, std::pair{EscalationTarget::area_manager, "area"},
        std::pair{EscalationTarget::head_office, "head_office"},
        std::pair{EscalationTarget::specialist, "head_office"}}) {
    Complaint complaint = test::escalated_complaint();
    complaint.reference = make_reference("MCR", "K2", sequence++);
    complaint.customer.reset();  // a different customer each time: no repeat flag
    complaint.escalation->target = target;
    records.push_back(complaint);
    expected.emplace_back(complaint.header.id, level);
  }
  REQUIRE(post_records(c, device, records)["accepted"].size() == 4);
  for (const auto& [id, level] : expected) {
    CAPTURE(level);
    const json opened = case_of(s, id);
    CHECK(opened["level_name"] == level);
    const auto history = s.server->storage().case_history(opened["id"].get<std::int64_t>()).value();
    REQUIRE(!history.empty());
    const json detail = json::parse(history[0].detail);
    CHECK(history[0].action == "opened");
    CHECK(detail["level_name"] == level);
    CHECK(detail["escalation"]["rationale"] == test::escalated_complaint().escalation->rationale);
  }
}

TEST_CASE("first-contact resolution counts only what the customer accepted, in schema 1 and 2 records") {
  MondayServer m;
  auto& [clock, s, device, user, c] = m;

  const auto as_schema1 = [](Complaint complaint) {
    complaint.header.schema = 1;
    complaint.touchpoint.reset();
    return complaint;
  };
  Complaint accepted2 = test::complaint(51);              // schema 2, resolved and accepted: counts
  Complaint accepted1 = as_schema1(test::complaint(52));  // schema 1, resolved and accepted: counts
  Complaint refused1 = as_schema1(test::complaint(53));   // schema 1, "resolved" but refused: stored, not counted
  refused1.customer_accepted = false;
  Complaint refused2 = test::escalated_complaint();  // schema 2: refused, so escalated
  refused2.reference = make_reference("MCR", "K2", 54);
  refused2.customer_accepted = false;
  for (Complaint* cp : {&accepted2, &accepted1, &refused1, &refused2}) {
    cp->header.created_at = at("2026-11-23T10:00:00Z");
    cp->customer.reset();  // separate customers: no repeats
  }
  const json answer = post_records(c, device, {accepted2, accepted1, refused1, refused2});
  REQUIRE(answer["accepted"].size() == 4);

  const json k = get_json(c, "/api/v1/kpis", user);
  CHECK(k["complaints"]["count"] == 4);
  CHECK(k["complaints"]["fcr_pct"].get<double>() == doctest::Approx(50.0));
  // The schema 1 record reads back as sent, and head office works it as a complaint.
  CHECK(case_of(s, refused1.header.id)["type"] == "complaint");
  CHECK(case_of(s, accepted1.header.id).is_null());  // resolved, no one to follow up
  // Sent again, the schema 1 record is the same record: a duplicate, not a conflict.
  const json again = post_records(c, device, {refused1});
  CHECK(again["duplicates"].size() == 1);
}

TEST_CASE("a reopened case gets new deadlines from the reopen time, and missing them escalates it again") {
  Receiver receiver(0, 0, {"case.breached", "case.resolved"});
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");
  test::TempDir dir;
  TestServer s(workflow_options(dir / "data", clock, receiver.url()));
  const auto device = s.enroll_device();
  auto user = s.sign_in("bob", server::Role::agent);
  auto c = s.client();
  const Complaint complaint = urgent_complaint();  // acknowledge by Monday 15:00, resolve by Wednesday 11:00
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);
  const std::string id = std::to_string(case_of(s, complaint.header.id)["id"].get<std::int64_t>());
  const std::string actions = "/api/v1/cases/" + id + "/actions";
  auto act = [&](const json& body) {
    auto res = c.Post(actions.c_str(), bearer(user), body.dump(), "application/json");
    REQUIRE(res);
    return std::pair{res->status, json::parse(res->body, nullptr, false)};
  };

  clock.set("2026-11-23T15:00:01Z");  // the acknowledgement is late: escalated to "area"
  REQUIRE(receiver.wait_for_accepted(1, 5s));
  clock.set("2026-11-23T15:30:00Z");
  REQUIRE(act({{"action", "acknowledge"}}).first == 200);
  clock.set("2026-11-23T16:00:00Z");
  REQUIRE(act({{"action", "resolve"},
               {"outcome", "Replacement kettle sent"},
               {"remedies", {{{"kind", "replacement"}}}},
               {"root_cause", "product_quality"}})
              .first == 200);
  // An action's webhook is sent at once (the action nudges the sender).
  REQUIRE(receiver.wait_for_accepted(2, 2s));
  CHECK(json::parse(receiver.accepted()[1].body)["event"] == "case.resolved");

  // Thursday, after the old resolution deadline: the customer rings back.
  clock.set("2026-11-26T10:00:00Z");
  user = s.sign_in("bob", server::Role::agent);  // Monday's session has expired
  auto [status, reopened] = act({{"action", "reopen"}, {"note", "The replacement leaks too"}});
  REQUIRE(status == 200);
  CHECK(reopened["status"] == "open");
  CHECK(reopened["clock_start"] == "2026-11-26T10:00:00Z");
  CHECK(reopened["ack_due"] == "2026-11-26T14:00:00Z");      // 4 working hours
  CHECK(reopened["resolve_due"] == "2026-11-30T10:00:00Z");  // 2 working days: Thu 7.5 h, Fri 8.5 h, Mon 1 h
  CHECK(reopened["acknowledged_at"].is_null());
  CHECK(reopened["level_name"] == "area");
  const json detail = reopened["history"].back()["detail"];
  CHECK(reopened["history"].back()["action"] == "reopen");
  CHECK(detail["previous"]["ack_due"] == "2026-11-23T15:00:00Z");
  CHECK(detail["previous"]["resolve_due"] == "2026-11-25T11:00:00Z");
  CHECK(detail["ack_due"] == "2026-11-26T14:00:00Z");
  CHECK(detail["resolve_due"] == "2026-11-30T10:00:00Z");
  CHECK(get_json(c, "/api/v1/cases?status=breached", user)["cases"].empty());

  std::this_thread::sleep_for(500ms);  // scans run: the old deadlines no longer count
  CHECK(receiver.attempts().size() == 2);

  clock.set("2026-11-26T14:00:01Z");  // the new acknowledgement deadline passes
  REQUIRE(receiver.wait_for_accepted(3, 5s));
  json breach = json::parse(receiver.accepted()[2].body);
  CHECK(breach["deadline"] == "acknowledge");
  CHECK(breach["due"] == "2026-11-26T14:00:00Z");
  CHECK(breach["case"]["level_name"] == "head_office");
  CHECK(case_of(s, complaint.header.id)["status"] == "breached");

  clock.set("2026-11-30T10:00:01Z");  // and the new resolution deadline
  REQUIRE(receiver.wait_for_accepted(4, 5s));
  breach = json::parse(receiver.accepted()[3].body);
  CHECK(breach["deadline"] == "resolve");
  CHECK(breach["due"] == "2026-11-30T10:00:00Z");
  std::this_thread::sleep_for(500ms);
  CHECK(receiver.attempts().size() == 4);
}

TEST_CASE("a case shows whoever works it the record behind it: rationale, Consumer Rights Act result, adjustments") {
  MondayServer m;
  auto& [clock, s, device, user, c] = m;

  Complaint complaint = test::escalated_complaint();
  complaint.customer_accepted = false;
  complaint.severity = Severity::high;
  complaint.consumer_rights =
      ConsumerRightsResult{PurchaseKind::goods, 7, Entitlement::short_term_reject, false, true, true};
  complaint.adjustments = Adjustments{true, ContactChannel::phone,         "after 5pm",
                                      "cy", {AdjustmentFormat::easy_read}, "Prefers short sentences"};
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);

  const json listed = case_of(s, complaint.header.id);
  CHECK(listed["severity"] == "high");
  int status = 0;
  const json whole = get_json(c, "/api/v1/cases/" + std::to_string(listed["id"].get<std::int64_t>()), user, &status);
  REQUIRE(status == 200);
  const json& record = whole["record"];
  CHECK(record["escalation"]["rationale"] == complaint.escalation->rationale);
  CHECK(record["escalation"]["target"] == "area_manager");
  CHECK(record["customer_accepted"] == false);
  CHECK(record["consumer_rights"]["entitlement"] == "short_term_reject");
  CHECK(record["consumer_rights"]["offer_falls_short"] == true);
  CHECK(record["adjustments"]["contact_channel"] == "phone");
  CHECK(record["adjustments"]["formats"] == json::array({"easy_read"}));
  CHECK(record["adjustments"]["note"] == "Prefers short sentences");
  CHECK(record["touchpoint"] == "customer_service");
  // Contact details are not part of it (issue 13 gives them to the roles that work cases).
  CHECK_FALSE(record.contains("customer"));
  CHECK(record["contact_on_file"] == true);
  CHECK(whole.dump().find("ffion@example.co.uk") == std::string::npos);
}

// ---- Webhook routing (server_config.hpp) ------------------------------------------------
namespace {

server::WebhookEndpoint endpoint(const std::string& name, const std::string& url, const std::string& secret,
                                 std::vector<std::string> events) {
  server::WebhookEndpoint e;
  e.name = name;
  e.url = url;
  e.secret = secret;
  e.events = std::move(events);
  return e;
}

server::ServerOptions routed_options(const std::filesystem::path& data_dir, TestClock& clock,
                                     std::vector<server::WebhookEndpoint> endpoints) {
  auto o = workflow_options(data_dir, clock, "");
  o.webhook_secret.clear();
  o.webhooks = std::move(endpoints);
  return o;
}

// The outbox as stored: endpoint, event, body, given up or not, last error.
struct OutboxRow {
  std::string endpoint, event, body, last_error;
  bool given_up = false;
};
std::vector<OutboxRow> outbox(const std::filesystem::path& data_dir) {
  auto db = sql::Database::open(data_dir / "heed.db", false).value();
  auto st = db.cached("SELECT endpoint, event, body, given_up_at_ms IS NOT NULL, last_error FROM webhooks ORDER BY id")
                .value();
  std::vector<OutboxRow> rows;
  while (st.next().value())
    rows.push_back({std::string(st.text(0)), std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(4)),
                    st.int64(3) != 0});
  return rows;
}

}  // namespace

TEST_CASE("webhooks are routed by the config: each endpoint gets only its events, signed with its own secret") {
  Receiver crm(0, 0, {}), ops(0, 0, {});  // both record every event they are sent
  TestClock clock{"2026-11-23T12:00:00Z"};
  test::TempDir dir;
  TestServer s(routed_options(dir / "data", clock,
                              {endpoint("crm", crm.url(), "crm secret", {"case.opened"}),
                               endpoint("ops", ops.url(), "ops secret", {"case.breached", "case.escalated"})}));
  const auto device = s.enroll_device();
  auto c = s.client();
  const Complaint complaint = urgent_complaint();
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);
  const auto case_id = case_of(s, complaint.header.id)["id"].get<std::int64_t>();

  REQUIRE(crm.wait_for_accepted(1, 5s));
  const auto opened = crm.accepted()[0];
  CHECK(opened.event == "case.opened");
  CHECK(opened.signature == "sha256=" + server::hmac_sha256_hex("crm secret", opened.body));
  const json body = json::parse(opened.body);
  CHECK(body["event"] == "case.opened");
  CHECK(body["case"]["id"] == case_id);  // filled in when the case was inserted
  CHECK(body["case"]["type"] == "complaint");
  CHECK(body["case"]["severity"] == "high");
  CHECK(body["case"]["level"] == 0);
  CHECK(body["case"]["level_name"] == "store");
  CHECK(body["case"]["flags"] == json::array());
  CHECK(body["case"]["reference"] == complaint.reference);
  CHECK(body["opens_at"].is_null());

  clock.set("2026-11-23T15:00:01Z");  // the acknowledgement is late: a breach, for ops only
  REQUIRE(ops.wait_for_accepted(1, 5s));
  const auto breach = ops.accepted()[0];
  CHECK(breach.event == "case.breached");
  CHECK(breach.signature == "sha256=" + server::hmac_sha256_hex("ops secret", breach.body));
  CHECK(breach.signature != "sha256=" + server::hmac_sha256_hex("crm secret", breach.body));
  std::this_thread::sleep_for(300ms);
  CHECK(crm.attempts().size() == 1);
  CHECK(ops.attempts().size() == 1);
  // One row per subscribed endpoint; nothing queued for an endpoint that does not take the event.
  const auto rows = outbox(s.options.data_dir);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].endpoint == "crm");
  CHECK(rows[0].event == "case.opened");
  CHECK(rows[1].endpoint == "ops");
  CHECK(rows[1].event == "case.breached");
}

TEST_CASE("an event two endpoints take is queued once for each; an event no endpoint takes is not queued") {
  Receiver all(0, 0, {}), also(0, 0, {});
  TestClock clock{"2026-11-23T12:00:00Z"};
  test::TempDir dir;
  TestServer s(routed_options(dir / "data", clock,
                              {endpoint("all", all.url(), "one", {"*"}), endpoint("also", also.url(), "two", {"*"}),
                               endpoint("resolved", all.url(), "three", {"case.resolved"})}));
  const auto device = s.enroll_device();
  auto c = s.client();
  // A contactable complaint resolved at the desk: a scheduled follow-up opens, listed from its due day.
  Complaint resolved = test::complaint(61);
  resolved.header.created_at = at("2026-11-23T10:00:00Z");
  REQUIRE(post_records(c, device, {resolved})["accepted"].size() == 1);
  REQUIRE(all.wait_for_accepted(1, 5s));
  REQUIRE(also.wait_for_accepted(1, 5s));
  const json a = json::parse(all.accepted()[0].body), b = json::parse(also.accepted()[0].body);
  CHECK(a == b);
  CHECK(a["case"]["type"] == "follow_up");
  CHECK(a["opens_at"] == "2026-11-30T00:00:00Z");
  CHECK(all.accepted()[0].signature == "sha256=" + server::hmac_sha256_hex("one", all.accepted()[0].body));
  CHECK(also.accepted()[0].signature == "sha256=" + server::hmac_sha256_hex("two", also.accepted()[0].body));
  const auto rows = outbox(s.options.data_dir);
  CHECK(rows.size() == 2);  // nothing for "resolved"
}

TEST_CASE("a webhook whose endpoint left the config is given up with a clear error, not sent elsewhere or retried") {
  const int nobody = free_port();
  TestClock clock{"2026-11-23T12:00:00Z"};
  test::TempDir dir;
  {
    TestServer s(routed_options(
        dir / "data", clock,
        {endpoint("old", "http://127.0.0.1:" + std::to_string(nobody) + "/hooks", "old secret", {"case.opened"})}));
    const auto device = s.enroll_device();
    auto c = s.client();
    REQUIRE(post_records(c, device, {urgent_complaint()})["accepted"].size() == 1);
    std::this_thread::sleep_for(300ms);  // attempts fail: nothing listens
    CHECK(s.server->storage().stats(s.now())->webhooks_pending == 1);
  }
  Receiver fresh(0, 0, {});
  TestServer again(routed_options(dir / "data", clock, {endpoint("new", fresh.url(), "new secret", {"*"})}));
  bool given_up = false;
  for (int i = 0; i < 100 && !given_up; ++i) {
    given_up = outbox(again.options.data_dir)[0].given_up;
    if (!given_up) std::this_thread::sleep_for(20ms);
  }
  REQUIRE(given_up);
  const auto row = outbox(again.options.data_dir)[0];
  CHECK(row.endpoint == "old");
  CHECK(row.last_error.find("\"old\" is no longer in the server's config") != std::string::npos);
  CHECK(again.server->storage().stats(again.now())->webhooks_pending == 0);
  std::this_thread::sleep_for(300ms);
  CHECK(fresh.attempts().empty());
  auto metrics = again.client().Get("/metrics");
  CHECK(metrics->body.find("heed_webhooks_given_up_total 1") != std::string::npos);
}

TEST_CASE("a case a change opens queues its case.opened with the id it was given") {
  Receiver receiver(0, 0, {"case.opened"});
  TestClock clock{"2026-11-23T12:00:00Z"};
  test::TempDir dir;
  TestServer s(routed_options(dir / "data", clock, {endpoint("crm", receiver.url(), "crm secret", {"case.opened"})}));
  const auto device = s.enroll_device();
  auto c = s.client();
  const Complaint complaint = urgent_complaint();
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);
  const auto case_id = case_of(s, complaint.header.id)["id"].get<std::int64_t>();
  REQUIRE(receiver.wait_for_accepted(1, 5s));

  // What the resolve action will do: open a follow-up in the same change.
  const auto& flow = s.server->workflow();
  auto changed = s.server->storage().update_case(case_id, [&](server::CaseRow& row) -> Result<server::CaseChange> {
    server::CaseChange change;
    server::CaseToOpen open;
    open.opening.type = CaseType::follow_up;
    open.opening.record_id = row.record_id;
    open.opening.store_id = row.store_id;
    open.opening.reference = row.reference;
    open.opening.clock_start = clock.now();
    open.opening.resolve_due = clock.now() + std::chrono::hours(24);
    open.follows_case_id = row.id;
    open.local_day = flow.local_day(clock.now());
    open.created_at = clock.now();
    open.webhooks = flow.case_opened_webhooks(open.opening, std::nullopt, clock.now());
    change.opens.push_back(std::move(open));
    return change;
  });
  REQUIRE(changed);
  // Changed behind the API's back: the sender sees it at its next look (every 5 s at most).
  REQUIRE(receiver.wait_for_accepted(2, 10s));
  const json body = json::parse(receiver.accepted()[1].body);
  CHECK(body["case"]["type"] == "follow_up");
  CHECK(body["case"]["id"].get<std::int64_t>() > case_id);
  server::CaseQuery all;
  all.now = clock.now();
  bool found = false;
  for (const auto& row : s.server->storage().list_cases(all).value())
    if (row.id == body["case"]["id"].get<std::int64_t>()) found = row.follows_case_id == case_id;
  CHECK(found);
}
