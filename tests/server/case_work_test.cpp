// Working a case through the real server: who may act (scope, level, role),
// assigning, escalating by hand, recording contacts, waiting on the customer
// (the resolution clock stops and the KPIs count it so), resolving with an
// outcome, remedies and a root cause, and the follow-up every resolution
// schedules for a contactable customer, whose "not satisfied" reopens the case
// one level up. The pause arithmetic is also checked alone, across evenings,
// weekends and bank holidays.
//
// Users get their scope by a direct write to the database until the users API
// (issue 13's admin routes) can set it.
#include <doctest/doctest.h>

#include <set>

#include "heed/server/workflow.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

// A server on Monday 23 November 2026 at noon (London is on UTC then), with a
// till at MCR-01 (in the north_west area) and users of every kind.
// Every webhook is routed to an endpoint that is down, so that what the actions
// queue stays in the outbox to be read.
server::ServerOptions outbox_options(const std::filesystem::path& data_dir, TestClock& clock) {
  auto o = test::test_options(data_dir, &clock);
  o.webhooks.push_back(server::WebhookEndpoint{"ops", "http://127.0.0.1:9/hooks", "ops secret", {"*"}});
  o.webhook_retry_base = std::chrono::hours(1);
  o.webhook_retry_max = std::chrono::hours(1);
  return o;
}

struct Desk {
  TestClock clock{"2026-11-23T12:00:00Z"};
  test::TempDir dir;
  TestServer s{outbox_options(dir / "data", clock)};
  std::string till = s.enroll_device("MCR-01");
  httplib::Client c = s.client();

  // Signs `name` in with `role`, working `scope` ("chain", "area:<id>", "store:<id>").
  std::string user(const std::string& name, server::Role role, const std::string& scope) {
    return s.sign_in(name, role, server::parse_scope(scope).value());
  }
  void disable(const std::string& name) {
    server::UserChange change;
    change.active = false;
    REQUIRE(s.server->storage().update_user(name, change, s.now()));
  }

  void post(const std::vector<Record>& records) {
    REQUIRE(post_records(c, till, records)["accepted"].size() == records.size());
  }
  // The cases a record opened (and those opened after it), oldest first.
  std::vector<json> cases_of(const std::string& record_id) {
    server::CaseQuery all;
    all.now = s.now();
    std::vector<json> found;
    for (const auto& row : s.server->storage().list_cases(all).value())
      if (row.record_id == record_id) found.push_back(s.server->workflow().case_json(row, all.now));
    return found;
  }
  std::int64_t case_id(const std::string& record_id) { return cases_of(record_id).at(0)["id"].get<std::int64_t>(); }

  std::pair<int, json> act(const std::string& token, std::int64_t id, const json& body) {
    const std::string path = "/api/v1/cases/" + std::to_string(id) + "/actions";
    auto res = c.Post(path.c_str(), bearer(token), body.dump(), "application/json");
    REQUIRE(res);
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  json get(const std::string& token, std::int64_t id) {
    int status = 0;
    json body = get_json(c, "/api/v1/cases/" + std::to_string(id), token, &status);
    REQUIRE(status == 200);
    return body;
  }
  // The queued webhooks of one event (their endpoint is down: they wait in the outbox).
  std::vector<json> outbox(const std::string& event) {
    std::vector<json> found;
    for (const auto& m : s.server->storage().due_webhooks(INT64_MAX, 1000).value())
      if (m.event == event) found.push_back(json::parse(m.body));
    return found;
  }
};

// A complaint escalated by staff to `target`, made on Monday at 11:00.
Complaint escalated(EscalationTarget target, Severity severity = Severity::medium, bool contactable = true) {
  Complaint c = test::escalated_complaint();
  c.escalation->target = target;
  c.severity = severity;
  c.header.created_at = at("2026-11-23T11:00:00Z");
  if (!contactable) c.customer.reset();
  return c;
}

// A detractor who asked for a call-back, on Monday at 10:00.
Feedback detractor() {
  Feedback f = test::feedback();
  f.header.created_at = at("2026-11-23T10:00:00Z");
  f.csat = 1;
  f.nps = 2;
  f.contact = test::contact();
  return f;
}

std::set<std::string> names(const json& list) {
  std::set<std::string> out;
  for (const auto& n : list) out.insert(n.get<std::string>());
  return out;
}

const json kResolution{{"action", "resolve"},
                       {"outcome", "Element failed; replacement sent and apology given"},
                       {"remedies", {{{"kind", "replacement"}}, {{"kind", "apology"}}}},
                       {"root_cause", "product_quality"}};

}  // namespace

TEST_CASE("working a case: only a user who works it may act; outside their scope it does not exist") {
  Desk d;
  const auto hq = d.user("hq", server::Role::manager, "chain");
  const auto nw = d.user("nw", server::Role::agent, "area:north_west");
  const auto ldn = d.user("ldn", server::Role::agent, "area:london");
  const auto mcr = d.user("mcr", server::Role::manager, "store:MCR-01");
  const auto root = d.user("root", server::Role::admin, "chain");
  const Complaint complaint = escalated(EscalationTarget::area_manager);  // opens in the area's queue
  d.post({complaint});
  const auto id = d.case_id(complaint.header.id);
  const json note{{"action", "note"}, {"note", "Rang the supplier"}};

  auto [outside, outside_body] = d.act(ldn, id, note);
  CHECK(outside == 404);  // London does not learn that a Manchester case exists
  CHECK(outside_body["error"] == "not_found");
  CHECK(d.act(ldn, 999999, note).first == 404);
  auto [store, store_body] = d.act(mcr, id, note);
  CHECK(store == 403);  // the store sees it but it sits in the area's queue
  CHECK(store_body["error"] == "forbidden");
  CHECK(d.act(root, id, note).first == 403);  // administrators do not work cases
  CHECK(d.act(nw, id, note).first == 200);
  CHECK(d.act(hq, id, note).first == 200);

  // The case screen lists what the caller may do.
  CHECK(names(d.get(nw, id)["actions"]) ==
        std::set<std::string>{"acknowledge", "assign", "note", "resolve", "escalate", "contact", "wait_for_customer"});
  CHECK(d.get(mcr, id)["actions"].empty());
  CHECK(d.get(root, id)["actions"].empty());
  CHECK(d.get(nw, id)["history"].size() == 3);
}

TEST_CASE("assigning: to an active user who works the case; agents take cases themselves; unassigning") {
  Desk d;
  const auto hq = d.user("hq", server::Role::manager, "chain");
  const auto nw = d.user("nw", server::Role::agent, "area:north_west");
  (void)d.user("nw2", server::Role::agent, "area:north_west");
  (void)d.user("ldn", server::Role::agent, "area:london");
  (void)d.user("mcr", server::Role::manager, "store:MCR-01");
  (void)d.user("root", server::Role::admin, "chain");
  const Complaint complaint = escalated(EscalationTarget::area_manager);
  d.post({complaint});
  const auto id = d.case_id(complaint.header.id);
  auto assign = [&](const std::string& token, const std::string& to) {
    return d.act(token, id, {{"action", "assign"}, {"assignee", to}});
  };

  CHECK(assign(nw, "hq").first == 403);  // an agent assigns only themselves
  auto [took, taken] = assign(nw, "me");
  CHECK(took == 200);
  CHECK(taken["assignee"] == "nw");
  CHECK(taken["history"].back()["detail"]["assignee"] == "nw");

  for (const char* who : {"mcr", "ldn", "root", "nobody"}) {  // below the case's level, elsewhere, admin, unknown
    CAPTURE(who);
    auto [status, body] = assign(hq, who);
    CHECK(status == 400);
    REQUIRE(body["fields"].size() == 1);
    CHECK(body["fields"][0]["field"] == "assignee");
  }
  auto [moved, moved_body] = assign(hq, "nw2");
  CHECK(moved == 200);
  CHECK(moved_body["assignee"] == "nw2");
  CHECK(moved_body["history"].back()["detail"]["previous"] == "nw");

  CHECK(d.act(nw, id, {{"action", "unassign"}}).first == 403);  // not nw's case any more
  auto [freed, freed_body] = d.act(hq, id, {{"action", "unassign"}, {"note", "Back to the area queue"}});
  CHECK(freed == 200);
  CHECK(freed_body["assignee"].is_null());
  CHECK(freed_body["history"].back()["detail"]["previous"] == "nw2");
  CHECK(d.act(hq, id, {{"action", "unassign"}}).first == 409);

  d.disable("nw2");
  auto [disabled, disabled_body] = assign(hq, "nw2");
  CHECK(disabled == 400);
  CHECK(disabled_body["fields"][0]["field"] == "assignee");
  CHECK(d.get(hq, id)["assignee"].is_null());
}

TEST_CASE("escalating by hand: one level up or to a named level, with a reason, a history event and a webhook") {
  Desk d;
  const auto hq = d.user("hq", server::Role::manager, "chain");
  const auto nw = d.user("nw", server::Role::agent, "area:north_west");
  const auto mcr = d.user("mcr", server::Role::manager, "store:MCR-01");
  const Complaint at_area = escalated(EscalationTarget::area_manager);
  Complaint at_store = escalated(EscalationTarget::store_manager, Severity::medium, false);  // not a repeat
  at_store.reference = make_reference("MCR", "K2", 77);
  d.post({at_area, at_store});
  const auto area_id = d.case_id(at_area.header.id), store_id = d.case_id(at_store.header.id);

  auto [no_reason, no_reason_body] = d.act(nw, area_id, {{"action", "escalate"}});
  CHECK(no_reason == 400);
  CHECK(no_reason_body["fields"][0]["field"] == "reason");
  REQUIRE(d.act(nw, area_id, {{"action", "assign"}, {"assignee", "me"}}).first == 200);
  auto [up, up_body] = d.act(nw, area_id, {{"action", "escalate"}, {"reason", "Needs the buyer's decision"}});
  CHECK(up == 200);
  CHECK(up_body["level_name"] == "head_office");
  CHECK(up_body["assignee"].is_null());  // handed on to head office's queue
  const json& event = up_body["history"].back();
  CHECK(event["action"] == "escalate");
  CHECK(event["actor"] == "nw");
  CHECK(event["detail"]["from"] == "area");
  CHECK(event["detail"]["to"] == "head_office");
  CHECK(event["detail"]["reason"] == "Needs the buyer's decision");
  CHECK(event["detail"]["previous_assignee"] == "nw");
  const auto hooks = d.outbox("case.escalated");
  REQUIRE(hooks.size() == 1);
  CHECK(hooks[0]["case"]["id"] == area_id);
  CHECK(hooks[0]["from_level"] == "area");
  CHECK(hooks[0]["to_level"] == "head_office");
  CHECK(hooks[0]["reason"] == "Needs the buyer's decision");
  CHECK(d.act(nw, area_id, {{"action", "note"}, {"note", "x"}}).first == 403);  // above the area's queue now
  auto [top, top_body] = d.act(hq, area_id, {{"action", "escalate"}, {"reason", "Further"}});
  CHECK(top == 409);
  CHECK(top_body["error"] == "conflict");

  // From the store: an unknown level is a 400 naming to_level; one not above is a 409.
  const json named{{"action", "escalate"}, {"reason", "Safety issue: straight to head office"}};
  json regional = named, store_level = named, head_office = named;
  regional["to_level"] = "regional";
  store_level["to_level"] = "store";
  head_office["to_level"] = "head_office";
  auto [unknown, unknown_body] = d.act(mcr, store_id, regional);
  CHECK(unknown == 400);
  CHECK(unknown_body["fields"][0]["field"] == "to_level");
  CHECK(d.act(mcr, store_id, store_level).first == 409);
  auto [jumped, jumped_body] = d.act(mcr, store_id, head_office);
  CHECK(jumped == 200);
  CHECK(jumped_body["level_name"] == "head_office");
  CHECK(jumped_body["history"].back()["detail"]["from"] == "store");
  CHECK(jumped_body["actions"].empty());  // the store manager no longer works it
  CHECK(d.outbox("case.escalated").size() == 2);
}

TEST_CASE("contacts: each attempt is recorded; the first that reaches the customer acknowledges the case") {
  Desk d;
  const auto hq = d.user("hq", server::Role::manager, "chain");
  const Feedback callback = detractor();  // acknowledge by Tuesday 10:00
  d.post({callback});
  const auto id = d.case_id(callback.header.id);
  json attempt{{"action", "contact"},
               {"channel", "phone"},
               {"direction", "outbound"},
               {"outcome", "no_answer"},
               {"summary", "Rang the mobile; no voicemail"}};

  auto [tried, tried_body] = d.act(hq, id, attempt);
  CHECK(tried == 200);
  CHECK(tried_body["acknowledged_at"].is_null());
  const json& event = tried_body["history"].back();
  CHECK(event["action"] == "contact");
  CHECK(event["detail"]["channel"] == "phone");
  CHECK(event["detail"]["outcome"] == "no_answer");
  CHECK(event["detail"]["summary"] == "Rang the mobile; no voicemail");
  for (const char* field : {"channel", "direction", "outcome"}) {
    CAPTURE(field);
    json bad = attempt;
    bad[field] = "pigeon";
    auto [status, body] = d.act(hq, id, bad);
    CHECK(status == 400);
    CHECK(body["fields"][0]["field"] == field);
  }

  d.clock.set("2026-11-23T14:00:00Z");
  attempt["outcome"] = "reached";
  attempt["summary"] = "Spoke to the customer; they will send the receipt";
  auto [reached, reached_body] = d.act(hq, id, attempt);
  CHECK(reached == 200);
  CHECK(reached_body["acknowledged_at"] == "2026-11-23T14:00:00Z");
  CHECK(reached_body["history"].back()["detail"]["acknowledges"] == true);
  CHECK(d.act(hq, id, {{"action", "acknowledge"}}).first == 409);
  d.clock.set("2026-11-23T15:00:00Z");
  auto [again, again_body] = d.act(hq, id, attempt);  // a later one changes nothing
  CHECK(again == 200);
  CHECK(again_body["acknowledged_at"] == "2026-11-23T14:00:00Z");
  CHECK_FALSE(again_body["history"].back()["detail"].contains("acknowledges"));

  d.clock.set("2026-11-25T12:00:00Z");
  const auto later = d.user("hq", server::Role::manager, "chain");
  const json k = get_json(d.c, "/api/v1/kpis?store_id=MCR-01", later);
  CHECK(k["sla"]["ack_count"] == 1);
  CHECK(k["sla"]["ack_pct"].get<double>() == doctest::Approx(100.0));
}

TEST_CASE("waiting on the customer stops the resolution clock; the reply starts it with the time that was left") {
  Desk d;
  auto hq = d.user("hq", server::Role::manager, "chain");
  // High severity: acknowledge by Monday 15:00, resolve by Wednesday 11:00.
  const Complaint complaint = escalated(EscalationTarget::store_manager, Severity::high);
  d.post({complaint});
  const auto id = d.case_id(complaint.header.id);
  REQUIRE(d.act(hq, id, {{"action", "acknowledge"}}).first == 200);

  d.clock.set("2026-11-23T16:00:00Z");  // 12 working hours left: Mon 1.5, Tue 8.5, Wed 2
  auto [missing, missing_body] = d.act(hq, id, {{"action", "wait_for_customer"}});
  CHECK(missing == 400);
  CHECK(missing_body["fields"][0]["field"] == "note");
  auto [waiting, waiting_body] =
      d.act(hq, id, {{"action", "wait_for_customer"}, {"note", "Asked for a photo of the receipt"}});
  CHECK(waiting == 200);
  CHECK(waiting_body["status"] == "awaiting_customer");
  CHECK(waiting_body["waiting_since"] == "2026-11-23T16:00:00Z");
  CHECK(waiting_body["next_due"].is_null());
  CHECK(waiting_body["history"].back()["detail"]["resolve_left_s"] == 12 * 3600);
  CHECK(names(waiting_body["actions"]).count("customer_replied") == 1);
  CHECK(names(waiting_body["actions"]).count("wait_for_customer") == 0);
  CHECK(d.act(hq, id, {{"action", "wait_for_customer"}, {"note", "again"}}).first == 409);

  // Thursday, past the old deadline: still waiting, not breached, not escalated.
  d.clock.set("2026-11-26T10:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  json thursday = d.get(hq, id);
  CHECK(thursday["status"] == "awaiting_customer");
  CHECK(thursday["level_name"] == "store");
  CHECK(thursday["history"].size() == 3);  // opened, acknowledge, wait_for_customer: no breach

  // The customer rings in: waited Mon 1.5 + Tue 8.5 + Wed 8.5 + Thu 1 = 19.5 working
  // hours; the 12 left run from now: Thu 7.5, Fri 4.5 (13:30).
  auto [replied, replied_body] = d.act(hq, id,
                                       {{"action", "contact"},
                                        {"channel", "phone"},
                                        {"direction", "inbound"},
                                        {"outcome", "reached"},
                                        {"summary", "Customer rang with the receipt details"}});
  CHECK(replied == 200);
  CHECK(replied_body["status"] == "open");
  CHECK(replied_body["waiting_since"].is_null());
  CHECK(replied_body["paused_s"] == 70200);
  CHECK(replied_body["resolve_due"] == "2026-11-27T13:30:00Z");
  CHECK(replied_body["next_due"] == "2026-11-27T13:30:00Z");
  const json wait = replied_body["history"].back()["detail"]["wait"];
  CHECK(wait["waited_s"] == 70200);
  CHECK(wait["resolve_due_before"] == "2026-11-25T11:00:00Z");
  CHECK(d.act(hq, id, {{"action", "customer_replied"}}).first == 409);

  // Waiting again, Friday 12:00 (1.5 hours left), and resolving while waiting ends
  // the wait first: waited Fri 5.5 + Mon 1 = 6.5 hours; due Monday 11:30; on time.
  d.clock.set("2026-11-27T12:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  REQUIRE(d.act(hq, id, {{"action", "wait_for_customer"}, {"note", "Asked which colour"}}).first == 200);
  d.clock.set("2026-11-30T10:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  auto [resolved, resolved_body] = d.act(hq, id, kResolution);
  CHECK(resolved == 200);
  CHECK(resolved_body["status"] == "closed");
  CHECK(resolved_body["waiting_since"].is_null());
  CHECK(resolved_body["paused_s"] == 70200 + 23400);
  CHECK(resolved_body["resolve_due"] == "2026-11-30T11:30:00Z");
  CHECK(resolved_body["history"].back()["detail"]["wait"]["waited_s"] == 23400);
  const auto hooks = d.outbox("case.resolved");
  REQUIRE(hooks.size() == 1);
  CHECK(hooks[0]["on_time"] == true);
  CHECK(hooks[0]["paused_s"] == 93600);
}

TEST_CASE("the KPIs count resolution SLA compliance with the pauses taken out") {
  Desk d;
  auto hq = d.user("hq", server::Role::manager, "chain");
  // Two high-severity complaints, Monday 11:00, both due Wednesday 11:00.
  const Complaint paused = escalated(EscalationTarget::store_manager, Severity::high, false);
  Complaint straight = escalated(EscalationTarget::store_manager, Severity::high, false);
  straight.reference = make_reference("MCR", "K2", 78);
  d.post({paused, straight});
  const auto paused_id = d.case_id(paused.header.id), straight_id = d.case_id(straight.header.id);
  for (auto id : {paused_id, straight_id}) REQUIRE(d.act(hq, id, {{"action", "acknowledge"}}).first == 200);
  // Waiting from Monday 12:00 to Wednesday 12:00: 17 working hours; the 16 left
  // then run to Friday 11:00.
  REQUIRE(d.act(hq, paused_id, {{"action", "wait_for_customer"}, {"note", "Asked for the order number"}}).first == 200);
  d.clock.set("2026-11-25T12:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  // Past the first deadline: the unpaused case counts as late, the waiting one not at all.
  const json meanwhile = get_json(d.c, "/api/v1/kpis?store_id=MCR-01", hq);
  CHECK(meanwhile["sla"]["resolve_count"] == 1);
  CHECK(meanwhile["sla"]["resolve_pct"].get<double>() == doctest::Approx(0.0));
  auto [replied, replied_body] = d.act(hq, paused_id, {{"action", "customer_replied"}, {"note", "Order number in"}});
  REQUIRE(replied == 200);
  CHECK(replied_body["paused_s"] == 17 * 3600);
  CHECK(replied_body["resolve_due"] == "2026-11-27T11:00:00Z");

  // Both resolved on Thursday at 10:00: a day after their first deadline; only the
  // paused one is on time.
  d.clock.set("2026-11-26T10:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  for (auto id : {paused_id, straight_id}) REQUIRE(d.act(hq, id, kResolution).first == 200);
  const json k = get_json(d.c, "/api/v1/kpis?store_id=MCR-01", hq);
  CHECK(k["sla"]["resolve_count"] == 2);
  CHECK(k["sla"]["resolve_pct"].get<double>() == doctest::Approx(50.0));
  CHECK(k["sla"]["ack_pct"].get<double>() == doctest::Approx(100.0));
}

TEST_CASE("resolving: an outcome, remedies and a root cause, stored on the case, with a webhook") {
  Desk d;
  const auto hq = d.user("hq", server::Role::manager, "chain");
  const Complaint complaint = escalated(EscalationTarget::area_manager, Severity::medium, false);
  d.post({complaint});
  const auto id = d.case_id(complaint.header.id);

  const std::vector<std::pair<const char*, json>> bad_remedies{
      {"empty", json::array()},
      {"goodwill without an amount", {{{"kind", "goodwill"}}}},
      {"goodwill of nothing", {{{"kind", "goodwill"}, {"amount_pence", 0}}}},
      {"an amount in pounds", {{{"kind", "refund"}, {"amount_pence", 29.99}}}},
      {"a repair with an amount", {{{"kind", "repair"}, {"amount_pence", 500}}}},
      {"none beside another", {{{"kind", "none"}}, {{"kind", "apology"}}}},
      {"twice", {{{"kind", "apology"}}, {{"kind", "apology"}}}},
      {"unknown", {{{"kind", "voucher"}}}},
      {"a bare name", {"refund"}},
      {"an unknown field", {{{"kind", "refund"}, {"currency", "GBP"}}}},
  };
  for (const auto& [what, remedies] : bad_remedies) {
    CAPTURE(what);
    json body = kResolution;
    body["remedies"] = remedies;
    auto [status, error] = d.act(hq, id, body);
    CHECK(status == 400);
    REQUIRE(error["fields"].size() == 1);
    CHECK(error["fields"][0]["field"] == "remedies");
  }
  json missing = kResolution;
  missing.erase("outcome");
  CHECK(d.act(hq, id, missing).first == 400);
  CHECK(d.act(hq, id, {{"action", "close_follow_up"}, {"satisfied", true}}).first == 409);

  d.clock.set("2026-11-24T15:00:00Z");
  const auto later = d.user("hq", server::Role::manager, "chain");
  json body = kResolution;
  body["remedies"] = {{{"kind", "refund"}, {"amount_pence", 2999}}, {{"kind", "goodwill"}, {"amount_pence", 1500}}};
  body["root_cause"] = "supplier";
  auto [status, resolved] = d.act(later, id, body);
  CHECK(status == 200);
  CHECK(resolved["status"] == "closed");
  CHECK(resolved["outcome"] == kResolution["outcome"]);
  CHECK(resolved["remedies"] == body["remedies"]);
  CHECK(resolved["root_cause"] == "supplier");
  CHECK(resolved["resolved_at"] == "2026-11-24T15:00:00Z");
  CHECK(resolved["next_due"].is_null());
  CHECK(names(resolved["actions"]) == std::set<std::string>{"note", "reopen", "contact"});
  const json& event = resolved["history"].back();
  CHECK(event["detail"]["remedies"] == body["remedies"]);
  CHECK(event["detail"]["outcome"] == kResolution["outcome"]);
  CHECK_FALSE(event["detail"].contains("follow_up_on"));
  const auto hooks = d.outbox("case.resolved");
  REQUIRE(hooks.size() == 1);
  CHECK(hooks[0]["case"]["id"] == id);
  CHECK(hooks[0]["root_cause"] == "supplier");
  CHECK(hooks[0]["remedies"] == body["remedies"]);
  CHECK(hooks[0]["on_time"] == true);
  // No consent to contact: no follow-up.
  CHECK(d.cases_of(complaint.header.id).size() == 1);
  CHECK(d.act(later, id, body).first == 409);
}

TEST_CASE("a follow-up after every resolution; not satisfied, the case reopens one level higher") {
  Desk d;
  auto hq = d.user("hq", server::Role::manager, "chain");
  const auto lon = d.user("lon", server::Role::manager, "store:LON-01");
  const Feedback callback = detractor();
  d.post({callback});
  const auto id = d.case_id(callback.header.id);
  CHECK(d.act(lon, id, {{"action", "note"}, {"note", "x"}}).first == 404);  // another store's manager
  auto [called, called_body] = d.act(hq, id,
                                     {{"action", "contact"},
                                      {"channel", "phone"},
                                      {"direction", "outbound"},
                                      {"outcome", "reached"},
                                      {"summary", "Queue was long; apologised and offered a voucher"}});
  REQUIRE(called == 200);
  CHECK(called_body["acknowledged_at"] == "2026-11-23T12:00:00Z");

  // Tuesday 24th 15:00: resolved. The check is due 7 days later, listed from the
  // start of Tuesday 1 December, at the case's level.
  d.clock.set("2026-11-24T15:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  auto [status, resolved] = d.act(hq, id, kResolution);
  REQUIRE(status == 200);
  CHECK(resolved["history"].back()["detail"]["follow_up_on"] == "2026-12-01");
  auto cases = d.cases_of(callback.header.id);
  REQUIRE(cases.size() == 2);
  const json follow_up = cases[1];
  const auto follow_up_id = follow_up["id"].get<std::int64_t>();
  CHECK(follow_up["type"] == "follow_up");
  CHECK(follow_up["follows_case_id"] == id);
  CHECK(follow_up["status"] == "scheduled");
  CHECK(follow_up["opens_at"] == "2026-12-01T00:00:00Z");
  CHECK(follow_up["resolve_due"] == "2026-12-02T15:00:00Z");  // one working day after it falls due
  CHECK(follow_up["level_name"] == "store");
  CHECK(follow_up["severity"] == "high");  // a detractor's call-back
  CHECK(follow_up["touchpoint"] == "checkout");
  CHECK(follow_up["ack_due"].is_null());
  CHECK(d.act(hq, follow_up_id, kResolution).first == 409);  // a follow-up is closed, not resolved
  json opened = d.get(hq, follow_up_id)["history"][0];
  CHECK(opened["action"] == "opened");
  CHECK(opened["detail"]["follows_case_id"] == id);

  // A week later the check is open; the customer is not satisfied.
  d.clock.set("2026-12-01T09:00:00Z");
  hq = d.user("hq", server::Role::manager, "chain");
  CHECK(d.get(hq, follow_up_id)["status"] == "open");
  CHECK(names(d.get(hq, follow_up_id)["actions"]).count("close_follow_up") == 1);
  auto [missing, missing_body] = d.act(hq, follow_up_id, {{"action", "close_follow_up"}});
  CHECK(missing == 400);
  CHECK(missing_body["fields"][0]["field"] == "satisfied");
  auto [closed, closed_body] =
      d.act(hq, follow_up_id, {{"action", "close_follow_up"}, {"satisfied", false}, {"note", "Still no call back"}});
  CHECK(closed == 200);
  CHECK(closed_body["status"] == "closed");
  CHECK(closed_body["satisfied"] == false);
  CHECK(closed_body["history"].back()["detail"]["reopens_case_id"] == id);
  const json reopened = d.get(hq, id);
  CHECK(reopened["status"] == "open");
  CHECK(reopened["level_name"] == "area");
  CHECK(reopened["outcome"].is_null());
  CHECK(reopened["remedies"].empty());
  CHECK(reopened["clock_start"] == "2026-12-01T09:00:00Z");
  CHECK(reopened["ack_due"] == "2026-12-01T17:30:00Z");  // a call-back's: one working day
  const json& why = reopened["history"].back();
  CHECK(why["action"] == "reopen");
  CHECK(why["actor"] == "hq");
  CHECK(why["detail"]["why"] == "follow_up_not_satisfied");
  CHECK(why["detail"]["follow_up_case_id"] == follow_up_id);
  CHECK(why["detail"]["note"] == "Still no call back");
  CHECK(why["detail"]["from"] == "store");
  CHECK(why["detail"]["to"] == "area");
  CHECK(why["detail"]["previous_outcome"] == kResolution["outcome"]);
  CHECK(d.outbox("case.escalated").size() == 1);

  // Resolved again: another check; this time the customer is satisfied.
  REQUIRE(d.act(hq, id, kResolution).first == 200);
  cases = d.cases_of(callback.header.id);
  REQUIRE(cases.size() == 3);
  const auto second = cases[2]["id"].get<std::int64_t>();
  CHECK(cases[2]["follows_case_id"] == id);
  CHECK(cases[2]["level_name"] == "area");
  auto [happy, happy_body] = d.act(hq, second, {{"action", "close_follow_up"}, {"satisfied", true}});
  CHECK(happy == 200);
  CHECK(happy_body["satisfied"] == true);
  CHECK(d.get(hq, id)["status"] == "closed");
  CHECK(d.cases_of(callback.header.id).size() == 3);
  CHECK(d.outbox("case.resolved").size() == 4);  // two resolutions, two checks
  const auto lon_today = d.user("lon", server::Role::manager, "store:LON-01");
  CHECK(d.act(lon_today, second, {{"action", "note"}, {"note", "x"}}).first == 404);
}

TEST_CASE("a store's first-contact resolution checked and not satisfied opens a complaint case one level up") {
  Desk d;
  const auto mcr = d.user("mcr", server::Role::manager, "store:MCR-01");
  Complaint at_desk = test::complaint(31);
  at_desk.header.created_at = at("2026-11-23T10:00:00Z");
  d.post({at_desk});
  const auto follow_up_id = d.case_id(at_desk.header.id);

  d.clock.set("2026-11-30T10:00:00Z");
  const auto store = d.user("mcr", server::Role::manager, "store:MCR-01");
  auto [closed, closed_body] = d.act(
      store, follow_up_id, {{"action", "close_follow_up"}, {"satisfied", false}, {"note", "Refund never arrived"}});
  REQUIRE(closed == 200);
  CHECK(closed_body["history"].back()["detail"]["opens"] == "complaint");
  const auto cases = d.cases_of(at_desk.header.id);
  REQUIRE(cases.size() == 2);
  const json& complaint = cases[1];
  CHECK(complaint["type"] == "complaint");
  CHECK(complaint["follows_case_id"] == follow_up_id);
  CHECK(complaint["level_name"] == "area");
  CHECK(complaint["reference"] == at_desk.reference);
  CHECK(complaint["status"] == "open");
  CHECK(complaint["clock_start"] == "2026-11-30T10:00:00Z");
  CHECK(complaint["ack_due"] == "2026-12-01T10:00:00Z");  // medium: one working day
  const auto complaint_id = complaint["id"].get<std::int64_t>();
  const json detail = d.get(store, complaint_id)["history"][0]["detail"];
  CHECK(detail["why"] == "follow_up_not_satisfied");
  CHECK(detail["note"] == "Refund never arrived");
  CHECK(d.act(store, complaint_id, {{"action", "note"}, {"note", "x"}}).first == 403);  // the area's queue now
  (void)mcr;
}

// ---- The pause arithmetic alone -------------------------------------------------
namespace {
const server::Workflow& default_workflow() {
  static const auto flow =
      server::Workflow::load(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
  return flow;
}

server::CaseRow waiting_case(const char* due, const char* since) {
  server::CaseRow c;
  c.type = CaseType::complaint;
  c.clock_start = at("2026-11-20T09:00:00Z");
  c.ack_due = at("2026-11-20T17:00:00Z");
  c.acked_at = at("2026-11-20T10:00:00Z");
  c.resolve_due = at(due);
  c.waiting_since = at(since);
  return c;
}
}  // namespace

TEST_CASE("the pause: working time waited, and the time left restarted from the reply, across evenings and weekends") {
  const auto& flow = default_workflow();

  SUBCASE("Friday afternoon to Monday morning: the weekend is not waited") {
    auto c = waiting_case("2026-11-27T16:00:00Z", "2026-11-27T15:00:00Z");  // one hour left
    const json account = flow.end_wait(c, at("2026-11-30T10:00:00Z"));
    CHECK(c.paused_s == 2 * 3600 + 30 * 60 + 3600);  // Fri 15:00-17:30, Mon 09:00-10:00
    CHECK(c.resolve_due == at("2026-11-30T11:00:00Z"));
    CHECK_FALSE(c.waiting_since);
    CHECK(account["waited_s"] == c.paused_s);
    CHECK(account["resolve_due"] == "2026-11-30T11:00:00Z");
  }
  SUBCASE("a reply in the evening or at the weekend: the time left starts at the next opening") {
    auto c = waiting_case("2026-11-30T10:00:00Z", "2026-11-27T17:00:00Z");  // Fri 0.5 h + Mon 1 h left
    c.paused_s = 600;                                                       // an earlier pause
    (void)flow.end_wait(c, at("2026-11-28T10:00:00Z"));                     // Saturday
    CHECK(c.paused_s == 600 + 30 * 60);
    CHECK(c.resolve_due == at("2026-11-30T10:30:00Z"));
  }
  SUBCASE("a wait entirely outside working hours pauses nothing and moves nothing") {
    auto c = waiting_case("2026-11-30T10:00:00Z", "2026-11-27T18:00:00Z");
    (void)flow.end_wait(c, at("2026-11-29T20:00:00Z"));  // Sunday evening
    CHECK(c.paused_s == 0);
    CHECK(c.resolve_due == at("2026-11-30T10:00:00Z"));
  }
  SUBCASE("bank holidays are not waited either (Christmas 2026: Friday 25th and Monday 28th)") {
    auto c = waiting_case("2026-12-29T12:00:00Z", "2026-12-24T17:00:00Z");  // 0.5 h + Tue 3 h left
    (void)flow.end_wait(c, at("2026-12-29T10:00:00Z"));
    CHECK(c.paused_s == 30 * 60 + 3600);
    CHECK(c.resolve_due == at("2026-12-29T13:30:00Z"));
  }
  SUBCASE("a case paused when already overdue stays overdue") {
    auto c = waiting_case("2026-11-23T10:00:00Z", "2026-11-23T12:00:00Z");
    CHECK(flow.status(c, at("2026-11-24T12:00:00Z")) == "awaiting_customer");  // its deadline does not run
    (void)flow.end_wait(c, at("2026-11-24T12:00:00Z"));
    CHECK(c.paused_s == (5 * 3600 + 30 * 60) + 3 * 3600);
    CHECK(c.resolve_due == at("2026-11-23T10:00:00Z"));
    CHECK(flow.status(c, at("2026-11-24T12:00:00Z")) == "breached");
  }
  SUBCASE("not waiting: nothing changes") {
    auto c = waiting_case("2026-11-30T10:00:00Z", "2026-11-27T15:00:00Z");
    c.waiting_since.reset();
    CHECK(flow.end_wait(c, at("2026-11-30T09:00:00Z")).empty());
    CHECK(c.resolve_due == at("2026-11-30T10:00:00Z"));
  }
}

TEST_CASE("the acknowledgement clock is not paused: an unacknowledged case waiting past it is breached") {
  const auto& flow = default_workflow();
  auto c = waiting_case("2026-11-30T10:00:00Z", "2026-11-20T12:00:00Z");
  c.acked_at.reset();  // due Friday 20th 17:00
  CHECK(flow.status(c, at("2026-11-20T16:00:00Z")) == "awaiting_customer");
  CHECK(flow.status(c, at("2026-11-20T17:00:01Z")) == "breached");
  CHECK(server::next_due(c) == c.ack_due);
}

TEST_CASE("a resolution stores the final response it is given, and a letter that cannot be made refuses it") {
  const auto& flow = default_workflow();
  server::CaseRow c = waiting_case("2026-11-30T10:00:00Z", "2026-11-27T15:00:00Z");
  c.id = 12;
  c.waiting_since.reset();
  server::CaseAction resolve = server::parse_case_action(kResolution).value();
  server::ActionContext who;
  who.user.username = "hq";
  who.user.role = server::Role::manager;
  who.final_letter = [](const server::CaseRow& resolved) -> Result<std::optional<server::FinalLetter>> {
    server::FinalLetter letter;
    letter.author = "hq";
    letter.language = "en";
    letter.text = "Root cause: " + resolved.root_cause.value_or("?");
    return std::optional<server::FinalLetter>(letter);
  };
  server::CaseRow resolved = c;
  auto change = flow.apply(resolve, who, at("2026-11-25T12:00:00Z"))(resolved);
  REQUIRE(change);
  REQUIRE(change->letter);
  CHECK(change->letter->text == "Root cause: product_quality");  // made from the case as resolved

  who.final_letter = [](const server::CaseRow&) -> Result<std::optional<server::FinalLetter>> {
    return Error{Errc::invalid, "language: no final-response template in Klingon"};
  };
  server::CaseRow refused = c;
  auto failed = flow.apply(resolve, who, at("2026-11-25T12:00:00Z"))(refused);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == Errc::invalid);
}
