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

  auto fine = low_feedback(true);
  fine.nps = 7;
  fine.csat = 3;
  CHECK(cases_for(fine, rig.rules, rig.calendar, arrived, 0).empty());
  fine.csat = 2;
  CHECK(cases_for(fine, rig.rules, rig.calendar, arrived, 0).size() == 1);
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
    "colour": "blue"})";
  auto rules = load_workflow_rules(dir / "rules.json");
  REQUIRE_FALSE(rules.ok());
  const auto& errors = rules.error();
  for (const char* field :
       {"callback.nps_at_most", "callback.acknowledge", "complaint.resolve.urgent", "calendar.day_start",
        "calendar.working_days", "calendar.holidays", "escalation_levels", "colour"}) {
    CAPTURE(field);
    CHECK(names_field(errors, field));
  }
}
