// The follow-up workflow's rules as data (assets/rules/default.json), with the
// defaults of domain.md section 4, and the decision they drive: which cases a
// record opens, with which deadlines.
//
// Defaults: feedback from a customer who asked for a call-back (consented and
// left an email or phone: can_contact) opens a call-back case, whatever the
// scores (acknowledge in 1 working day, close in 3). Its severity is the queue's
// priority: high when the scores are low (NPS <= 6 or CSAT <= 2, the rules'
// callback thresholds), low otherwise; a happy customer gets the same targets
// but comes after the unhappy ones in the queue. Low scores without consent open
// nothing but still count in the KPIs. A complaint not resolved at first contact
// opens a complaint case (acknowledge in 1 working day, high severity 4 working
// hours; resolve in 5 working days, high 2), at the level staff escalated it to
// (level_for); a repeat goes to the top level. A complaint resolved at first
// contact (and accepted) schedules a follow-up check 7 days later, only when the customer
// consented and left an email or phone (can_contact): a check no one can make
// is never scheduled. The same customer with 2 or more complaints in 90 days
// flags the case "repeat" and routes it to head office. SLA clocks start at the
// record's created_at, clamped to its arrival when a device clock runs ahead.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "heed/alerts.hpp"
#include "heed/business_calendar.hpp"
#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

// alert: many negative answers at a store in a short time (alerts.hpp), for its manager.
enum class CaseType { callback, complaint, follow_up, alert };
std::string_view case_type_name(CaseType type);

struct SeverityTargets {
  WorkingDuration low, medium, high;
  WorkingDuration of(Severity s) const { return s == Severity::high ? high : s == Severity::medium ? medium : low; }
};

// Stores grouped for area managers: a store is in at most one area.
struct Area {
  std::string id;    // 1-64 of a-z 0-9 _ -
  std::string name;  // as people say it
  std::vector<std::string> stores;
};

// Text the chain may give in English and Welsh: "name" or {"en": .., "cy": ..}.
struct LocalText {
  std::string en;
  std::string cy;  // empty: the English is used
  const std::string& in(std::string_view language) const { return language == "cy" && !cy.empty() ? cy : en; }
};

// Where a customer can go after a complaint's final response (the ADR body or
// ombudsman and free advice), who signs it, and the letters' templates. UK
// practice (ADR Regulations 2015) has the final response name the ADR body,
// its website, and whether the trader takes part.
struct FinalResponseRules {
  struct Body {
    LocalText name;
    LocalText website;  // http(s) URL
    LocalText phone;    // optional
    LocalText email;    // optional
  };
  Body adr;                         // required in practice: defaults to RetailADR
  bool adr_we_take_part = true;     // the letter says the chain will take part in the ADR body's process
  int adr_within_months = 12;       // the customer should refer within this many months of the letter; 0: unsaid
  Body advice;                      // free advice (Citizens Advice consumer helpline)
  LocalText signature;              // who signs, e.g. "Customer Relations Team"
  LocalText company;                // the chain's trading name
  std::filesystem::path templates;  // the letters' folder; default: ../letters beside the rules file
};

struct WorkflowRules {
  CalendarSettings calendar;
  // Scores at or below these make a call-back high priority (they no longer decide whether one opens).
  int callback_nps_at_most = 6;
  int callback_csat_at_most = 2;
  WorkingDuration callback_ack, callback_resolve;
  SeverityTargets complaint_ack, complaint_resolve;
  int follow_up_after_days = 7;
  WorkingDuration follow_up_resolve;
  int repeat_complaints = 2;
  int repeat_within_days = 90;
  std::vector<std::string> escalation_levels{"store", "area", "head_office"};
  std::vector<Area> areas;  // none: the chain is one queue above its stores
  FinalResponseRules final_response;
  // A KPI from fewer answers than this is shown as "too few answers", not as a
  // figure: 30 keeps an NPS's margin of error under about 35 points.
  int kpi_min_sample = 30;
  // Store alerts (alerts.hpp): off unless the rules' alerts.enabled is true.
  AlertRules alerts;
  // Stores' names as people say them ("MCR-01": "Manchester Arndale"), for alert
  // titles; a store without one is called by its id.
  std::vector<std::pair<std::string, std::string>> store_names;

  const Area* area(std::string_view id) const;
  std::string store_name(std::string_view store_id) const;
  const Area* area_of_store(std::string_view store_id) const;
};

// domain.md's defaults, as a rules file without keys gives them.
WorkflowRules default_workflow_rules();

// Reads a rules file; relative paths inside (holidays) resolve against its folder.
// Errors name the key, as the device config's do.
Result<WorkflowRules, FieldErrors> load_workflow_rules(const std::filesystem::path& file);

// A case the workflow opens for a record.
struct CaseOpening {
  CaseType type = CaseType::callback;
  std::string record_id;
  std::string store_id;
  std::optional<std::string> reference;  // complaints and their follow-ups
  int level = 0;                         // index into escalation_levels
  bool repeat = false;
  // Priority: a complaint's severity; a call-back's is high for low scores, else low.
  Severity severity = Severity::medium;
  Timestamp clock_start{};           // created_at, clamped to arrival
  std::optional<Timestamp> ack_due;  // none for follow-up checks
  Timestamp resolve_due{};
  std::optional<Timestamp> scheduled_for;  // follow-ups: not open before this
};

// The escalation level a complaint escalated to `target` opens at: the level
// named "store", "area" or "head_office" (a specialist is at head office).
int level_for(EscalationTarget target, const WorkflowRules& rules);

// The cases `record` opens on arrival at `arrived_at`, given how many earlier
// complaints the same customer made within the repeat window (not counting it).
std::vector<CaseOpening> cases_for(const Record& record, const WorkflowRules& rules, const BusinessCalendar& calendar,
                                   Timestamp arrived_at, int earlier_complaints_in_window);

// Whether head office can reach the person behind a record: they consented and
// left an email or a phone. Call-back cases and follow-up checks need it.
bool can_contact(const std::optional<Contact>& contact);

// What the kiosk's thank-you screen promises a customer who asked for a
// call-back: the call-back case's acknowledgement deadline (cases_for's ack_due
// for a record made at `asked_at`), and how to say it in the chain's zone:
// "by 3pm today", "by 3pm tomorrow", else "by 3pm on Monday 23 November". The
// time said is rounded up to the quarter hour (a promise may be later than the
// deadline, never earlier), but not past the end of the working day.
struct CallbackPromise {
  enum class Day { today, tomorrow, later };  // relative to asked_at's local date
  Timestamp due{};                            // the acknowledgement deadline, exactly
  Day day = Day::later;
  Date date{};                   // the local date of `due`
  std::chrono::minutes time{0};  // the local time of day to say, rounded up
};
CallbackPromise callback_promise(Timestamp asked_at, const WorkflowRules& rules, const BusinessCalendar& calendar);

// What staff may tell the customer at the desk will happen next, from the same
// rules cases_for follows, so the tablet promises only what the server plans.
struct NextStep {
  enum class Kind {
    follow_up_check,      // resolved, contactable: a check `after_days` later
    head_office_contact,  // escalated, contactable: head office is in touch within the target
    reference_only,       // not contactable: no promise of contact; they can quote the reference
  };
  Kind kind = Kind::reference_only;
  int after_days = 0;  // follow_up_check
  // head_office_contact: the acknowledgement target, in whole working days when
  // it is a whole number of them, else in working hours (rounded up).
  int within_days = 0;
  int within_hours = 0;
};
NextStep next_step_for(const Complaint& complaint, const WorkflowRules& rules);

}  // namespace heed
