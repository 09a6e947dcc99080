// The server's small parts: CSV fields, tokens and codes, case actions from JSON,
// customer keys.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "case_action_table.hpp"
#include "fixtures.hpp"
#include "heed/server/csv.hpp"
#include "heed/server/customer.hpp"
#include "heed/server/tokens.hpp"
#include "heed/server/workflow.hpp"

using namespace heed;
using namespace heed::server;
using nlohmann::json;

TEST_CASE("CSV fields are RFC 4180 and formula-guarded") {
  CHECK(csv_line({"plain", "a,b", "say \"hi\"", "two\nlines", "Łódź"}) ==
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",Łódź\r\n");
  CHECK(csv_line({"=1+1", "+44", "@SUM(A1)", "-3"}) == "\"'=1+1\",\"'+44\",\"'@SUM(A1)\",\"'-3\"\r\n");
  std::string line;
  append_csv_field(line, "-3", false);  // a number is not guarded
  CHECK(line == "-3");
}

TEST_CASE("tokens and codes: prefixed, random, hashed with the key") {
  const auto a = new_device_token(), b = new_device_token();
  CHECK(a != b);
  CHECK(a.rfind("hd_", 0) == 0);
  CHECK(a.size() == 3 + 43);
  CHECK(new_session_token().rfind("hs_", 0) == 0);
  const auto code = new_enrollment_code();
  CHECK(code.size() == 14);
  CHECK(code[4] == '-');
  CHECK(code.find_first_of("01OI") == std::string::npos);
  CHECK(normalise_enrollment_code("ab2c-d3e4 fgh5") == "AB2CD3E4FGH5");
  const auto one = TokenHasher::with_key("key one"), two = TokenHasher::with_key("key two");
  CHECK(one.hash(a) == one.hash(a));
  CHECK(one.hash(a) != one.hash(b));
  CHECK(one.hash(a) != two.hash(a));
  CHECK(one.hash(a).size() == 64);
  // RFC 4231 test case 2.
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
}

TEST_CASE("case actions from JSON name the field at fault") {
  CHECK(parse_case_action(json{{"action", "acknowledge"}}));
  auto resolve = parse_case_action(json{{"action", "resolve"},
                                        {"outcome", "Till fixed"},
                                        {"remedies", {{{"kind", "apology"}}}},
                                        {"root_cause", "process"},
                                        {"note", "done"}});
  REQUIRE(resolve);
  CHECK(resolve->kind == CaseAction::Kind::resolve);
  CHECK(resolve->root_cause == "process");
  CHECK(test::names_field(parse_case_action(json{{"action", "resolve"}}).error(), "root_cause", "required"));
  CHECK(test::names_field(parse_case_action(json{{"action", "resolve"}, {"root_cause", "gremlins"}}).error(),
                          "root_cause", "invalid"));
  CHECK(parse_case_action(json{{"action", "assign"}}).error()[0].field == "assignee");
  CHECK(parse_case_action(json{{"action", "note"}, {"note", ""}}).error()[0].field == "note");
  CHECK(parse_case_action(json{{"action", "acknowledge"}, {"root_cause", "process"}}).error()[0].field == "root_cause");
  CHECK(parse_case_action(json{{"action", "close"}}).error()[0].field == "action");
  CHECK(parse_case_action(json::array()).error()[0].message.find("object") != std::string::npos);
}

TEST_CASE("case actions: every field null, of the wrong type or blank is refused, naming the field") {
  auto specs = test::action_specs();
  specs.push_back(test::close_follow_up_spec());
  for (const auto& spec : specs) {
    CAPTURE(spec.action);
    const auto valid = parse_case_action(spec.valid_body());
    REQUIRE(valid);
    CHECK(case_action_name(valid->kind) == spec.action);
    for (const auto& field : spec.fields) {
      for (const auto& bad : test::bad_values()) {
        CAPTURE(field.name);
        CAPTURE(bad.what);
        const auto parsed = parse_case_action(test::with_bad(spec, field.name, bad));
        if ((!bad.value && !field.required) || test::fits(field, bad)) {  // left out when optional, or valid
          CHECK(parsed);
          continue;
        }
        REQUIRE_FALSE(parsed);
        REQUIRE(parsed.error().size() == 1);
        CHECK(parsed.error()[0].field == field.name);
        CHECK(parsed.error()[0].code == (bad.value ? "invalid" : "required"));
      }
    }
  }
  for (const auto& bad : test::bad_values()) {
    CAPTURE(bad.what);
    json body{{"note", "x"}};
    if (bad.value) body["action"] = *bad.value;
    const auto parsed = parse_case_action(body);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error()[0].field == "action");
    CHECK(parsed.error()[0].code == (bad.value ? "invalid" : "required"));
  }
  // What is kept is what was sent, so a valid action can never carry an empty value.
  auto assign = parse_case_action(json{{"action", "assign"}, {"assignee", " carol "}});
  REQUIRE(assign);
  CHECK(assign->assignee == " carol ");
}

namespace {
// A head-office manager who works every case of the chain.
ActionContext as_bob() {
  ActionContext who;
  who.user.username = "bob";
  who.user.role = Role::manager;
  return who;
}
}  // namespace

TEST_CASE("the workflow refuses an action whose required value is missing instead of reading it") {
  const Workflow workflow(default_workflow_rules(), BusinessCalendar::make(CalendarSettings{}).value());
  CaseRow row;
  row.resolve_due = Timestamp{std::chrono::seconds{2'000'000'000}};
  CaseAction assign;
  assign.kind = CaseAction::Kind::assign;  // no assignee: parse_case_action never makes one
  auto assigned = workflow.apply(assign, as_bob(), Timestamp{std::chrono::seconds{1'800'000'000}})(row);
  REQUIRE_FALSE(assigned);
  CHECK(assigned.error().code == Errc::invalid);
  CHECK_FALSE(row.assignee);
  CaseAction resolve;
  resolve.kind = CaseAction::Kind::resolve;  // no root cause
  auto resolved = workflow.apply(resolve, as_bob(), Timestamp{std::chrono::seconds{1'800'000'000}})(row);
  REQUIRE_FALSE(resolved);
  CHECK(resolved.error().code == Errc::invalid);
  CHECK_FALSE(row.resolved_at);
  CHECK_FALSE(row.root_cause);
}

namespace {
Timestamp at(const char* text) { return *parse_timestamp(text); }

// A high-severity complaint case opened Monday 23 November 2026 at 11:00 (UTC,
// London's winter time), acknowledged late, then resolved.
CaseRow resolved_complaint_case() {
  CaseRow c;
  c.id = 7;
  c.type = CaseType::complaint;
  c.severity = Severity::high;
  c.level = 1;
  c.clock_start = at("2026-11-23T11:00:00Z");
  c.ack_due = at("2026-11-23T15:00:00Z");
  c.resolve_due = at("2026-11-25T11:00:00Z");
  c.acked_at = at("2026-11-23T15:30:00Z");
  c.ack_breached = true;
  c.resolved_at = at("2026-11-23T16:00:00Z");
  c.root_cause = "product_quality";
  return c;
}

CaseAction reopen_action() {
  CaseAction a;
  a.kind = CaseAction::Kind::reopen;
  a.note = "The replacement leaks too";
  return a;
}
}  // namespace

TEST_CASE("reopening a case starts its SLA clock again from the reopen time, per the rules") {
  auto workflow = Workflow::load(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
  WebhookEndpoint every;  // a breach's webhook is queued only for an endpoint that takes it
  every.name = "default";
  every.events = {"*"};
  workflow.route_webhooks({every});
  const Timestamp reopened_at = at("2026-11-26T10:00:00Z");  // Thursday, after the old resolve deadline

  SUBCASE("a complaint: acknowledged again within its severity's target, resolved within its resolve target") {
    CaseRow c = resolved_complaint_case();
    c.resolve_breached = true;
    auto change = workflow.apply(reopen_action(), as_bob(), reopened_at)(c);
    REQUIRE(change);
    CHECK(c.clock_start == reopened_at);
    // High: 4 working hours (Thursday 14:00) and 2 working days of 8.5 hours
    // (Thursday 7.5 h, Friday 8.5 h, Monday 1 h: Monday 30th at 10:00).
    CHECK(c.ack_due == at("2026-11-26T14:00:00Z"));
    CHECK(c.resolve_due == at("2026-11-30T10:00:00Z"));
    CHECK(c.ack_due == workflow.calendar().add(reopened_at, workflow.rules().complaint_ack.high));
    CHECK_FALSE(c.acked_at);
    CHECK_FALSE(c.resolved_at);
    CHECK_FALSE(c.root_cause);
    CHECK_FALSE(c.ack_breached);
    CHECK_FALSE(c.resolve_breached);
    CHECK(c.level == 1);  // it stays where it was escalated to
    CHECK(workflow.status(c, reopened_at) == "open");
    CHECK(workflow.status(c, at("2026-11-26T14:00:01Z")) == "breached");

    REQUIRE(change->events.size() == 1);
    const json detail = json::parse(change->events[0].detail);
    CHECK(detail["note"] == "The replacement leaks too");
    CHECK(detail["previous_root_cause"] == "product_quality");
    CHECK(detail["previous"] == json{{"clock_start", "2026-11-23T11:00:00Z"},
                                     {"ack_due", "2026-11-23T15:00:00Z"},
                                     {"resolve_due", "2026-11-25T11:00:00Z"},
                                     {"acknowledged_at", "2026-11-23T15:30:00Z"}});
    CHECK(detail["clock_start"] == "2026-11-26T10:00:00Z");
    CHECK(detail["ack_due"] == "2026-11-26T14:00:00Z");
    CHECK(detail["resolve_due"] == "2026-11-30T10:00:00Z");

    // The new deadlines escalate again when missed.
    auto breach = workflow.escalate_breaches(at("2026-11-26T14:00:01Z"))(c);
    REQUIRE(breach);
    REQUIRE(breach->webhooks.size() == 1);
    CHECK(json::parse(breach->webhooks[0].body)["due"] == "2026-11-26T14:00:00Z");
    CHECK(c.level == 2);
  }

  SUBCASE("a low-severity complaint: the low targets") {
    CaseRow c = resolved_complaint_case();
    c.severity = Severity::low;
    REQUIRE(workflow.apply(reopen_action(), as_bob(), reopened_at)(c));
    CHECK(c.ack_due == at("2026-11-27T10:00:00Z"));      // 1 working day
    CHECK(c.resolve_due == at("2026-12-03T10:00:00Z"));  // 5 working days
  }

  SUBCASE("a call-back: the call-back targets") {
    CaseRow c = resolved_complaint_case();
    c.type = CaseType::callback;
    c.severity = Severity::high;  // call-back targets do not depend on it
    REQUIRE(workflow.apply(reopen_action(), as_bob(), reopened_at)(c));
    CHECK(c.ack_due == at("2026-11-27T10:00:00Z"));      // 1 working day
    CHECK(c.resolve_due == at("2026-12-01T10:00:00Z"));  // 3 working days
    CHECK_FALSE(c.acked_at);
  }

  SUBCASE("a follow-up check has no acknowledgement target: none is asked for again") {
    CaseRow c = resolved_complaint_case();
    c.type = CaseType::follow_up;
    c.ack_due.reset();
    c.acked_at.reset();
    c.ack_breached = false;
    c.resolve_breached = true;
    REQUIRE(workflow.apply(reopen_action(), as_bob(), reopened_at)(c));
    CHECK_FALSE(c.ack_due);
    CHECK(c.resolve_due == at("2026-11-27T10:00:00Z"));  // 1 working day
    CHECK_FALSE(c.resolve_breached);
    CHECK(workflow.status(c, reopened_at) == "open");
  }
}

TEST_CASE("customer keys match different spellings of the same address and number") {
  CHECK(normalise_email("  Ffion@Example.CO.uk ") == "ffion@example.co.uk");
  CHECK(normalise_phone("07700 900123") == normalise_phone("+44 (0)7700-900123").value_or("x"));
  CHECK(normalise_phone("+1 415 555 0100") == "+14155550100");
  CHECK_FALSE(normalise_phone("n/a"));
  CHECK_FALSE(normalise_email("   "));
}
