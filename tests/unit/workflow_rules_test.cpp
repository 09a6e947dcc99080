// Which cases a record opens, with deadlines in working time, per domain.md section 4.
#include <doctest/doctest.h>

#include <fstream>

#include "fixtures.hpp"
#include "heed/workflow_rules.hpp"
#include "temp_dir.hpp"

using namespace heed;
using namespace std::chrono_literals;
using heed::test::names_field;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

struct Rig {
  WorkflowRules rules = load_workflow_rules(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
  BusinessCalendar calendar = BusinessCalendar::make(rules.calendar).value();
};

Feedback low_feedback(bool consent) {
  auto f = test::feedback();
  f.header.created_at = at("2026-11-20T15:00:00Z");  // Friday afternoon
  f.nps = 3;
  f.csat = 4;
  if (consent) f.contact = test::contact();
  return f;
}

}  // namespace

TEST_CASE("the shipped rules are domain.md's defaults") {
  Rig rig;
  CHECK(rig.rules.callback_nps_at_most == 6);
  CHECK(rig.rules.callback_csat_at_most == 2);
  CHECK(rig.rules.callback_ack.working_time == 510min);
  CHECK(rig.rules.callback_resolve.working_time == 3 * 510min);
  CHECK(rig.rules.complaint_ack.high.working_time == 240min);
  CHECK(rig.rules.complaint_resolve.high.working_time == 2 * 510min);
  CHECK(rig.rules.complaint_resolve.low.working_time == 5 * 510min);
  CHECK(rig.rules.follow_up_after_days == 7);
  CHECK(rig.rules.repeat_complaints == 2);
  CHECK(rig.rules.repeat_within_days == 90);
  CHECK(rig.rules.kpi_min_sample == 30);
  CHECK(rig.rules.calendar.holidays.count(*parse_date("2026-12-25")));
}

TEST_CASE("a detractor who consented gets a call-back case; without consent, none") {
  Rig rig;
  const auto arrived = at("2026-11-20T15:01:00Z");
  auto cases = cases_for(low_feedback(true), rig.rules, rig.calendar, arrived, 0);
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].type == CaseType::callback);
  CHECK(cases[0].clock_start == at("2026-11-20T15:00:00Z"));
  CHECK(cases[0].ack_due == at("2026-11-23T15:00:00Z"));      // 1 working day
  CHECK(cases[0].resolve_due == at("2026-11-25T15:00:00Z"));  // 3 working days
  CHECK(cases_for(low_feedback(false), rig.rules, rig.calendar, arrived, 0).empty());
}

TEST_CASE("whoever asks for a call-back and consents gets a call-back case; low scores raise its priority") {
  Rig rig;
  const auto arrived = at("2026-11-20T15:01:00Z");
  const auto only_case = [&](const Feedback& f) {
    auto cases = cases_for(f, rig.rules, rig.calendar, arrived, 0);
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].type == CaseType::callback);
    return cases[0];
  };

  auto happy = low_feedback(true);
  happy.nps = 10;
  happy.csat = 5;
  const auto c = only_case(happy);
  CHECK(c.severity == Severity::low);
  CHECK(c.ack_due == at("2026-11-23T15:00:00Z"));  // the same targets as any call-back
  CHECK(c.resolve_due == at("2026-11-25T15:00:00Z"));

  CHECK(only_case(low_feedback(true)).severity == Severity::high);  // NPS 3
  auto fine = low_feedback(true);
  fine.nps = 7;
  fine.csat = 3;
  CHECK(only_case(fine).severity == Severity::low);
  fine.csat = 2;  // at the CSAT threshold
  CHECK(only_case(fine).severity == Severity::high);
  fine.csat = 3;
  fine.nps = 6;  // at the NPS threshold
  CHECK(only_case(fine).severity == Severity::high);
  fine.nps.reset();  // a question set without NPS
  CHECK(only_case(fine).severity == Severity::low);

  // No consent, or no way to reach them: no case, whatever the scores.
  happy.contact.reset();
  CHECK(cases_for(happy, rig.rules, rig.calendar, arrived, 0).empty());
  auto nameless = low_feedback(true);
  nameless.contact->email.reset();
  nameless.contact->phone.reset();
  CHECK(cases_for(nameless, rig.rules, rig.calendar, arrived, 0).empty());
}

TEST_CASE("the kiosk's call-back promise: the acknowledgement target in working time, said simply") {
  Rig rig;
  using Day = CallbackPromise::Day;
  const auto promise = [&](const char* asked) { return callback_promise(at(asked), rig.rules, rig.calendar); };
  const auto ymd = [](const char* text) { return *parse_date(text); };

  // Monday morning: the same time tomorrow.
  auto p = promise("2026-11-23T10:00:00Z");
  CHECK(p.due == at("2026-11-24T10:00:00Z"));
  CHECK(p.day == Day::tomorrow);
  CHECK(p.date == ymd("2026-11-24"));
  CHECK(p.time == 10h);

  // Before opening: by the end of today.
  p = promise("2026-11-23T07:00:00Z");
  CHECK(p.day == Day::today);
  CHECK(p.time == 17h + 30min);

  // Friday afternoon, across the weekend: Monday, named with its date.
  p = promise("2026-11-20T15:00:00Z");
  CHECK(p.due == at("2026-11-23T15:00:00Z"));
  CHECK(p.day == Day::later);
  CHECK(p.date == ymd("2026-11-23"));
  CHECK(std::chrono::weekday{std::chrono::sys_days{p.date}} == std::chrono::Monday);
  CHECK(p.time == 15h);

  // Saturday: the clock waits for Monday's opening, so Monday at closing.
  p = promise("2026-11-21T10:00:00Z");
  CHECK(p.day == Day::later);
  CHECK(p.date == ymd("2026-11-23"));
  CHECK(p.time == 17h + 30min);

  // Christmas Eve: Christmas Day, the weekend and Boxing Day's substitute Monday pass.
  p = promise("2026-12-24T16:00:00Z");
  CHECK(p.due == at("2026-12-29T16:00:00Z"));
  CHECK(p.day == Day::later);
  CHECK(p.date == ymd("2026-12-29"));
  CHECK(p.time == 16h);

  // A bank holiday Monday itself (Easter Monday 2026): nothing before Tuesday's close.
  p = promise("2026-04-06T10:00:00Z");
  CHECK(p.date == ymd("2026-04-07"));
  CHECK(p.day == Day::tomorrow);
  CHECK(p.time == 17h + 30min);

  // The time is rounded up to the quarter hour: later than the target, never earlier.
  p = promise("2026-11-23T10:07:20Z");
  CHECK(p.due == at("2026-11-24T10:07:20Z"));
  CHECK(p.time == 10h + 15min);
  p = promise("2026-11-23T10:15:00Z");
  CHECK(p.time == 10h + 15min);

  // The chain's zone, not UTC: 23:30 UTC on 1 July is 00:30 on Thursday 2 July in London.
  p = promise("2026-07-01T23:30:00Z");
  CHECK(p.day == Day::today);
  CHECK(p.date == ymd("2026-07-02"));
  CHECK(p.time == 17h + 30min);
  p = promise("2026-07-01T08:30:00Z");  // 09:30 BST
  CHECK(p.day == Day::tomorrow);
  CHECK(p.time == 9h + 30min);

  // It is what the server will hold the case to.
  auto f = low_feedback(true);
  f.header.created_at = at("2026-11-20T15:00:00Z");
  CHECK(cases_for(f, rig.rules, rig.calendar, f.header.created_at, 0)[0].ack_due ==
        promise("2026-11-20T15:00:00Z").due);
}

TEST_CASE("rounding the promised time never passes the end of the working day") {
  auto rules = default_workflow_rules();
  rules.calendar.day_end = 17h + 10min;
  rules.callback_ack = WorkingDuration::hours(2);
  const auto calendar = BusinessCalendar::make(rules.calendar).value();
  const auto p = callback_promise(at("2026-11-23T15:05:00Z"), rules, calendar);  // due 17:05, Monday
  CHECK(p.due == at("2026-11-23T17:05:00Z"));
  CHECK(p.day == CallbackPromise::Day::today);
  CHECK(p.time == 17h + 10min);
}

TEST_CASE("an unresolved complaint opens a complaint case with severity's targets") {
  Rig rig;
  auto c = test::escalated_complaint();
  c.header.created_at = at("2026-11-23T10:00:00Z");  // Monday
  c.severity = Severity::high;
  auto cases = cases_for(c, rig.rules, rig.calendar, at("2026-11-23T10:00:05Z"), 0);
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].type == CaseType::complaint);
  CHECK(cases[0].reference == c.reference);
  CHECK(cases[0].ack_due == at("2026-11-23T14:00:00Z"));      // 4 working hours
  CHECK(cases[0].resolve_due == at("2026-11-25T10:00:00Z"));  // 2 working days
  CHECK_FALSE(cases[0].repeat);
  CHECK(cases[0].level == 1);  // the fixture escalates to the area manager
  CHECK(cases[0].severity == Severity::high);

  c.severity = Severity::medium;
  cases = cases_for(c, rig.rules, rig.calendar, at("2026-11-23T10:00:05Z"), 0);
  CHECK(cases[0].ack_due == at("2026-11-24T10:00:00Z"));
  CHECK(cases[0].resolve_due == at("2026-11-30T10:00:00Z"));  // 5 working days, over the weekend
}

TEST_CASE("a complaint case opens at the level staff escalated it to") {
  Rig rig;
  auto c = test::escalated_complaint();
  const auto level = [&](EscalationTarget target, int earlier = 0) {
    c.escalation->target = target;
    auto cases = cases_for(c, rig.rules, rig.calendar, c.header.created_at, earlier);
    REQUIRE(cases.size() == 1);
    return cases[0].level;
  };
  CHECK(level(EscalationTarget::store_manager) == 0);
  CHECK(level(EscalationTarget::area_manager) == 1);
  CHECK(level(EscalationTarget::head_office) == 2);
  CHECK(level(EscalationTarget::specialist) == 2);
  CHECK(level(EscalationTarget::store_manager, 1) == 2);  // a repeat goes to the top whatever the target

  // A chain with its own level names: targets fall back to bottom, second and top.
  rig.rules.escalation_levels = {"branch", "region", "division", "customer_relations"};
  CHECK(level(EscalationTarget::store_manager) == 0);
  CHECK(level(EscalationTarget::area_manager) == 1);
  CHECK(level(EscalationTarget::head_office) == 3);
}

TEST_CASE("a schema 1 complaint 'resolved' without the customer's acceptance is worked as a complaint") {
  Rig rig;
  auto c = test::complaint();
  c.header.schema = 1;
  c.touchpoint.reset();
  c.customer_accepted = false;
  CHECK_FALSE(counts_as_first_contact_resolution(c));
  auto cases = cases_for(c, rig.rules, rig.calendar, c.header.created_at, 0);
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].type == CaseType::complaint);
  CHECK(cases[0].level == 0);
  c.customer_accepted = true;
  CHECK(counts_as_first_contact_resolution(c));
  CHECK(cases_for(c, rig.rules, rig.calendar, c.header.created_at, 0)[0].type == CaseType::follow_up);
}

TEST_CASE("a complaint resolved at first contact schedules a follow-up check 7 days later") {
  Rig rig;
  auto c = test::complaint();
  c.header.created_at = at("2026-11-23T10:00:00Z");
  auto cases = cases_for(c, rig.rules, rig.calendar, at("2026-11-23T10:00:00Z"), 0);
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].type == CaseType::follow_up);
  CHECK(cases[0].scheduled_for == at("2026-11-30T10:00:00Z"));
  CHECK_FALSE(cases[0].ack_due);
  CHECK(cases[0].resolve_due == at("2026-12-01T10:00:00Z"));
}

TEST_CASE("a second complaint in 90 days is a repeat, routed to head office") {
  Rig rig;
  auto c = test::escalated_complaint();
  auto cases = cases_for(c, rig.rules, rig.calendar, c.header.created_at, 1);
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].repeat);
  CHECK(rig.rules.escalation_levels[static_cast<std::size_t>(cases[0].level)] == "head_office");
}

TEST_CASE("a device clock running ahead does not buy SLA time") {
  Rig rig;
  auto c = test::escalated_complaint();
  c.header.created_at = at("2026-11-24T10:00:00Z");
  auto cases = cases_for(c, rig.rules, rig.calendar, at("2026-11-23T10:00:00Z"), 0);
  CHECK(cases[0].clock_start == at("2026-11-23T10:00:00Z"));
}

TEST_CASE("a bad rules file names each bad key") {
  test::TempDir dir;
  std::ofstream(dir / "rules.json") << R"({
    "callback": {"nps_at_most": 11, "acknowledge": {"weeks": 1}},
    "complaint": {"resolve": {"urgent": {"working_days": 1}}},
    "calendar": {"day_start": "9am", "working_days": ["funday"], "holidays": "missing.json"},
    "escalation_levels": ["store"],
    "insight": {"min_sample": 0, "max_sample": 9},
    "colour": "blue"})";
  auto rules = load_workflow_rules(dir / "rules.json");
  REQUIRE_FALSE(rules.ok());
  const auto& errors = rules.error();
  for (const char* field :
       {"callback.nps_at_most", "callback.acknowledge", "complaint.resolve.urgent", "calendar.day_start",
        "calendar.working_days", "calendar.holidays", "escalation_levels", "insight.min_sample",
        "insight.max_sample", "colour"}) {
    CAPTURE(field);
    CHECK(names_field(errors, field));
  }
}
