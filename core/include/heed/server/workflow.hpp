// The follow-up workflow on the server: which cases a record opens (through
// cases_for and the rules), what state a case is in, the actions head office
// takes on it, and what a breached deadline does. It decides; storage.hpp keeps.
//
// Statuses (api-contract.md): "scheduled" (a follow-up before its due day),
// "open", "breached" (open and past a deadline not met; the resolution deadline
// does not run while waiting on the customer), "awaiting_customer" (waiting on
// the customer, nothing overdue) and "closed" (resolved). "open" as a filter
// includes breached and awaiting cases.
// A breach of each deadline (acknowledge, resolve) escalates the case one level,
// at most to the top, and queues one signed webhook.
// Actions (apply) are judged on the case as read in their transaction: only a
// user who works it (access.hpp) acts. Waiting on the customer stops the
// resolution clock only: the reply adds the working time waited to paused_s and
// restarts the deadline with the working time that was left. Every resolution
// of a contactable customer's case schedules a follow-up; an unsatisfied one
// reopens the case it followed one level higher.
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/business_calendar.hpp"
#include "heed/result.hpp"
#include "heed/server/server_config.hpp"
#include "heed/server/storage.hpp"
#include "heed/workflow_rules.hpp"

namespace heed::server {

// Root-cause categories a resolution records, for head office's Pareto of causes.
inline constexpr std::array<std::string_view, 11> kRootCauses{
    "product_quality",     "supplier",      "process",          "staff_training",    "communication",
    "stock_availability",  "pricing_error", "delivery_partner", "store_environment", "system_fault",
    "customer_expectation"};

// A case action as head office sends it (POST /api/v1/cases/{id}/actions).
//   acknowledge {note?}          the acknowledgement SLA is met now
//   assign {assignee, note?}     a username or "me"; agents only take a case themselves
//   unassign {note?}             nobody works it: back to its queue
//   note {note}                  a line in the history
//   escalate {reason, to_level?} one level up, or to a named level above it
//   contact {channel, direction, outcome, summary}   an attempt or a conversation
//   wait_for_customer {note}     what was asked; the resolution clock stops
//   customer_replied {note?}     the resolution clock runs again
//   resolve {outcome, remedies, root_cause, language?, note?}  calls-back and complaints;
//                                an alert needs only its outcome (remedies and root cause optional)
//   close_follow_up {satisfied, note?}              follow-ups
//   reopen {note}
struct CaseAction {
  enum class Kind {
    acknowledge,
    assign,
    note,
    resolve,
    reopen,
    unassign,
    escalate,
    contact,
    wait_for_customer,
    customer_replied,
    close_follow_up,
  } kind = Kind::note;
  std::optional<std::string> assignee;    // assign: who takes it ("me": the caller)
  std::optional<std::string> note;        // why, or what was done; required for note, reopen, wait_for_customer
  std::optional<std::string> root_cause;  // resolve: one of kRootCauses
  std::optional<std::string> reason;      // escalate: why, required
  std::optional<std::string> to_level;    // escalate: a level's name (the rules'); none: one up
  // contact: how, which way, what came of it (kContactChannels, ...), and what was said.
  std::optional<std::string> channel, direction, contact_outcome, summary;
  std::optional<std::string> outcome;   // resolve: what was found and done, in words
  std::vector<Remedy> remedies;         // resolve: one or more; "none" only alone
  std::optional<bool> satisfied;        // close_follow_up: the customer's answer
  std::optional<std::string> language;  // resolve: a complaint's final response in "en" or "cy"; none: the complaint's
};
std::string_view case_action_name(CaseAction::Kind kind);
inline constexpr int kCaseActionKinds = 11;
static_assert(static_cast<int>(CaseAction::Kind::close_follow_up) + 1 == kCaseActionKinds);

inline constexpr std::array<std::string_view, 5> kContactChannels{"phone", "email", "letter", "sms", "in_store"};
inline constexpr std::array<std::string_view, 2> kContactDirections{"outbound", "inbound"};
inline constexpr std::array<std::string_view, 3> kContactOutcomes{"reached", "no_answer", "left_message"};

// Reads a resolution's remedies: a non-empty list of {"kind", "amount_pence"?},
// each kind once, "none" only alone, goodwill with its amount. The first fault,
// in words, or the remedies. The resolve action and the letter's preview share it.
Result<std::vector<Remedy>, std::string> parse_remedies(const nlohmann::json& v);
// Remedies as the API shows them: [{"kind", "amount_pence"?}].
nlohmann::json remedies_json(const std::vector<Remedy>& remedies);

// Reads an action body; errors name the field ("action", "root_cause", ...).
// What depends on the case or the rules (to_level's name, the assignee) is apply's.
// `case_type`: the case it is for, when known (resolving an alert needs no
// remedies or root cause).
Result<CaseAction, FieldErrors> parse_case_action(const nlohmann::json& body,
                                                  std::optional<CaseType> case_type = std::nullopt);

// Who acts, and what the handler read outside the case for the action.
struct ActionContext {
  User user;  // the caller: must work the case (access.hpp)
  // assign: the user named (after "me" is read as the caller); nullopt when no
  // user has that name.
  std::optional<User> assignee;
  // resolve: the record behind the case lets head office contact the customer
  // (can_contact), so a follow-up is scheduled.
  bool customer_contactable = false;
  // resolve: the final response to store with the resolution, made from the
  // case as resolved (nullopt: none). An error refuses the resolution.
  std::function<Result<std::optional<FinalLetter>>(const CaseRow& resolved)> final_letter;
};

class Workflow {
 public:
  // Reads the rules file and builds its calendar; errors name the key.
  static Result<Workflow, FieldErrors> load(const std::filesystem::path& rules_file);
  Workflow(WorkflowRules rules, BusinessCalendar calendar);

  const WorkflowRules& rules() const { return rules_; }
  const BusinessCalendar& calendar() const { return calendar_; }

  // Local calendar days of the chain's zone, counted from 1970-01-01.
  std::int64_t local_day(Timestamp t) const;
  static std::int64_t day_number(Date d);
  // The first moment of a local date, in UTC.
  Timestamp start_of_day(Date d) const;

  // A validated record with what storage needs beside it.
  RecordInput prepare(Record record) const;
  // The ingest policy for a batch arriving at `arrived_at`: cases_for, with
  // follow-ups listed from the start of their due day.
  IngestPolicy ingest_policy(Timestamp arrived_at) const;
  // The alert case a store's answers open (alerts.hpp's find_alert), at the
  // store level, high priority, its clock from the last answer counted, with a
  // case.opened and an alert.opened webhook; none when no window fires.
  std::optional<PlannedAlert> plan_alert(const std::string& store_id, std::span<const AlertAnswer> answers,
                                         Timestamp arrived_at) const;
  // The "opened" history event's detail: type, level (and its name), repeat,
  // severity, and for an escalated complaint the target and rationale staff gave.
  nlohmann::json opened_detail(const CaseOpening& opening, const Record& record) const;

  // "scheduled", "open", "breached", "awaiting_customer" or "closed" at `now`.
  std::string_view status(const CaseRow& c, Timestamp now) const;
  std::string_view level_name(int level) const;
  int top_level() const { return static_cast<int>(rules_.escalation_levels.size()) - 1; }

  // The change an action makes, by `who` at `now`, judged on the case as read
  // in the change's transaction: not_found when the case is outside the
  // caller's scope, forbidden when the caller does not work it (or an agent
  // assigns someone else); conflict when the case's state does not allow it
  // (acknowledging twice, resolving a closed case); invalid ("field: why") when
  // a value does not fit the case (an assignee who cannot work it). Reopening
  // restarts the SLA clock at `now` (restart_clock), and its history event
  // records the old and new deadlines.
  CaseMutator apply(const CaseAction& action, const ActionContext& who, Timestamp now) const;
  // The actions `user` may take on the case now (apply's role and state checks;
  // an action listed can still fail on its values). Empty when they do not work it.
  std::vector<std::string_view> allowed_actions(const CaseRow& c, const User& user, Timestamp now) const;
  // Ends a wait on the customer at `now`: the working time waited joins
  // paused_s, and the resolution deadline becomes `now` plus the working time
  // that was left when the wait began (none left: it stays where it was, passed).
  // Returns the history's account of the pause. Nothing when not waiting.
  nlohmann::json end_wait(CaseRow& c, Timestamp now) const;
  // Starts a case's SLA clock again at `now`: deadlines from the rules for its
  // type and severity in working time, breaches cleared, and the acknowledgement
  // cleared when its type has an acknowledgement target (follow-ups have none).
  void restart_clock(CaseRow& c, Timestamp now) const;
  // Escalates every deadline passed before `now` and not yet escalated, one level
  // each, queuing a "case.breached" webhook for each. Nothing when none is.
  CaseMutator escalate_breaches(Timestamp now) const;

  // A case as the API shows it (without history).
  nlohmann::json case_json(const CaseRow& c, Timestamp now) const;
  // The same with "actions": what `viewer` may do to it now (allowed_actions).
  nlohmann::json case_json(const CaseRow& c, Timestamp now, const User& viewer) const;

  // ---- Scope (the rules' areas)
  // The stores a scope covers; nullopt for the whole chain. An area the rules do
  // not know covers no store.
  std::optional<std::vector<std::string>> stores_in(const Scope& scope) const;
  bool covers(const Scope& scope, std::string_view store_id) const;
  // The escalation level a scope's queue works at: a store's is the lowest, an
  // area's the level named "area" (else the second), the chain's the top.
  int home_level(const Scope& scope) const;
  // The level named `name`; nullopt when the rules have none.
  std::optional<int> level_named(std::string_view name) const;

  // ---- Webhooks
  // Which endpoints take which events (their names and events; secrets stay with the scheduler).
  void route_webhooks(const std::vector<WebhookEndpoint>& endpoints);
  // One message for `event` per endpoint that takes it, each naming its endpoint,
  // signed and sent when delivered; none when no endpoint takes it.
  std::vector<WebhookMessage> webhook(std::string_view event, const nlohmann::json& body) const;
  // "case.opened" for a case about to be opened: the common body (case.id 0:
  // storage fills it in when it inserts the case, see SqliteStorage::insert_case)
  // with opens_at (null, or when a scheduled follow-up is listed).
  std::vector<WebhookMessage> case_opened_webhooks(const CaseOpening& opening, std::optional<Timestamp> opens_at,
                                                   Timestamp at) const;
  // Every case webhook's body: {"event", "at", "case": {id, type, record_id,
  // store_id, reference, level, level_name, severity, flags}}; each event adds its own fields.
  nlohmann::json webhook_body(std::string_view event, const CaseRow& c, Timestamp at) const;

 private:
  // Reopens a closed case: resolution cleared, the clock restarted; `detail` gets the new deadlines.
  void reopen(CaseRow& c, Timestamp now, nlohmann::json& detail) const;
  // The follow-up a resolution schedules (the customer consented to contact).
  CaseToOpen follow_up_of(const CaseRow& resolved, Timestamp now) const;
  // The complaint case an unsatisfied check of a store's resolution opens, one level up.
  CaseToOpen complaint_after(const CaseRow& follow_up, const std::optional<std::string>& note, Timestamp now) const;
  // What an unsatisfied follow-up does to the case it followed: reopened one level higher.
  CaseMutator reopen_unsatisfied(std::int64_t follow_up_id, const std::string& actor,
                                 const std::optional<std::string>& note, Timestamp now) const;

  WorkflowRules rules_;
  BusinessCalendar calendar_;
  std::vector<WebhookEndpoint> routes_;  // without secrets
};

nlohmann::json case_event_json(const CaseEvent& e);

}  // namespace heed::server
