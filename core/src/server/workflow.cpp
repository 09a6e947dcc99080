// The server's follow-up workflow (see workflow.hpp).
//
// Sections: actions from JSON | the workflow | case JSON
#include "heed/server/workflow.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "heed/record_json.hpp"
#include "heed/server/customer.hpp"
#include "heed/validation.hpp"

namespace heed::server {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 5> kActionNames{"acknowledge", "assign", "note", "resolve", "reopen"};
constexpr std::size_t kMaxAssigneeChars = 100;
constexpr std::size_t kMaxNoteChars = 5000;

json time_or_null(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }

json with_note(json detail, const std::optional<std::string>& note) {
  if (note) detail["note"] = *note;
  return detail;
}

Error refuse(std::string message) { return Error{Errc::conflict, std::move(message)}; }

}  // namespace

// ---- Actions from JSON ----------------------------------------------------------
std::string_view case_action_name(CaseAction::Kind kind) { return kActionNames[static_cast<std::size_t>(kind)]; }

Result<CaseAction, FieldErrors> parse_case_action(const json& body) {
  FieldErrors errors;
  if (!body.is_object()) return FieldErrors{{"", "invalid", "the body must be a JSON object"}};
  CaseAction action;
  const auto name = body.contains("action") && body["action"].is_string() ? body["action"].get<std::string>() : "";
  const auto found = std::find(kActionNames.begin(), kActionNames.end(), name);
  if (found == kActionNames.end())
    return FieldErrors{{"action", "invalid", "must be acknowledge, assign, note, resolve or reopen"}};
  action.kind = static_cast<CaseAction::Kind>(found - kActionNames.begin());

  auto text = [&](const char* key, std::size_t max, std::optional<std::string>& out) {
    if (!body.contains(key) || body[key].is_null()) return;
    const auto length = body[key].is_string() ? utf8_length(body[key].get_ref<const std::string&>()) : std::nullopt;
    if (!length || *length == 0 || *length > max)
      errors.push_back({key, "invalid", fmt::format("must be text of 1 to {} characters", max)});
    else
      out = body[key].get<std::string>();
  };
  text("note", kMaxNoteChars, action.note);
  text("assignee", kMaxAssigneeChars, action.assignee);
  text("root_cause", 64, action.root_cause);
  for (const auto& [key, value] : body.items()) {
    const bool known = key == "action" || key == "note" ||
                       (key == "assignee" && action.kind == CaseAction::Kind::assign) ||
                       (key == "root_cause" && action.kind == CaseAction::Kind::resolve);
    if (!known) errors.push_back({key, "unknown_field", fmt::format("is not a field of the {} action", name)});
  }
  using Kind = CaseAction::Kind;
  if (action.kind == Kind::assign && !action.assignee && !body.contains("assignee"))
    errors.push_back({"assignee", "required", "assign needs the assignee"});
  if ((action.kind == Kind::note || action.kind == Kind::reopen) && !action.note && !body.contains("note"))
    errors.push_back({"note", "required", fmt::format("{} needs a note saying why", name)});
  if (action.kind == Kind::resolve) {
    if (!action.root_cause && !body.contains("root_cause"))
      errors.push_back({"root_cause", "required", "resolving a case records its root-cause category"});
    else if (action.root_cause &&
             std::find(kRootCauses.begin(), kRootCauses.end(), *action.root_cause) == kRootCauses.end())
      errors.push_back({"root_cause", "invalid", "is not a root-cause category Heed knows"});
  }
  if (!errors.empty()) return errors;
  return action;
}

// ---- The workflow ------------------------------------------------------------------
Result<Workflow, FieldErrors> Workflow::load(const std::filesystem::path& rules_file) {
  auto rules = load_workflow_rules(rules_file);
  if (!rules) return rules.error();
  auto calendar = BusinessCalendar::make(rules->calendar);
  if (!calendar) return FieldErrors{{"calendar", "invalid", calendar.error().message}};
  return Workflow(std::move(rules.value()), std::move(calendar.value()));
}

Workflow::Workflow(WorkflowRules rules, BusinessCalendar calendar)
    : rules_(std::move(rules)), calendar_(std::move(calendar)) {}

std::int64_t Workflow::day_number(Date d) { return std::chrono::sys_days{d}.time_since_epoch().count(); }

std::int64_t Workflow::local_day(Timestamp t) const { return day_number(calendar_.local_date(t)); }

Timestamp Workflow::start_of_day(Date d) const {
  // The zone was checked when the calendar was made, so locate_zone finds it.
  const date::time_zone* zone = date::locate_zone(calendar_.settings().time_zone);
  const date::local_seconds midnight{std::chrono::sys_days{d}.time_since_epoch()};
  return std::chrono::floor<std::chrono::seconds>(zone->to_sys(midnight, date::choose::earliest));
}

RecordInput Workflow::prepare(Record record) const {
  RecordInput in;
  in.canonical = to_canonical_json(record);
  in.local_day = local_day(header_of(record).created_at);
  CustomerKey key = customer_key_of(record);
  in.customer_email = std::move(key.email);
  in.customer_phone = std::move(key.phone);
  in.record = std::move(record);
  return in;
}

IngestPolicy Workflow::ingest_policy(Timestamp arrived_at) const {
  IngestPolicy policy;
  policy.repeat_window = std::chrono::days(rules_.repeat_within_days);
  policy.plan_cases = [this, arrived_at](const Record& record, int earlier) {
    std::vector<PlannedCase> planned;
    for (CaseOpening& opening : cases_for(record, rules_, calendar_, arrived_at, earlier)) {
      std::optional<Timestamp> opens_at;
      // "Not listed as open until its due day": from the start of that local day.
      if (opening.scheduled_for) opens_at = start_of_day(calendar_.local_date(*opening.scheduled_for));
      std::string detail = opened_detail(opening, record).dump();
      planned.push_back(PlannedCase{std::move(opening), opens_at, std::move(detail)});
    }
    return planned;
  };
  return policy;
}

json Workflow::opened_detail(const CaseOpening& opening, const Record& record) const {
  json detail{{"type", case_type_name(opening.type)},
              {"level", opening.level},
              {"level_name", level_name(opening.level)},
              {"repeat", opening.repeat},
              {"severity", enum_name(opening.severity)}};
  // Why it opens where it does: the level staff chose, and their reasons.
  if (const auto* complaint = std::get_if<Complaint>(&record); complaint && complaint->escalation)
    detail["escalation"] = {{"target", enum_name(complaint->escalation->target)},
                            {"rationale", complaint->escalation->rationale}};
  return detail;
}

std::string_view Workflow::status(const CaseRow& c, Timestamp now) const {
  if (c.resolved_at) return "closed";
  if (c.opens_at && *c.opens_at > now) return "scheduled";
  if ((c.ack_due && *c.ack_due < now && !c.acked_at) || c.resolve_due < now) return "breached";
  return "open";
}

std::string_view Workflow::level_name(int level) const {
  const auto& levels = rules_.escalation_levels;
  return levels[static_cast<std::size_t>(std::clamp(level, 0, top_level()))];
}

CaseMutator Workflow::apply(const CaseAction& action, const std::string& actor, Timestamp now) const {
  return [action, actor, now](CaseRow& c) -> Result<CaseChange> {
    using Kind = CaseAction::Kind;
    json detail = json::object();
    switch (action.kind) {
      case Kind::acknowledge:
        if (c.resolved_at) return refuse("the case is closed; reopen it first");
        if (c.acked_at) return refuse("the case is already acknowledged");
        c.acked_at = now;
        detail = with_note(json::object(), action.note);
        break;
      case Kind::assign:
        if (c.resolved_at) return refuse("the case is closed; reopen it first");
        detail = with_note({{"assignee", *action.assignee}, {"previous", c.assignee ? json(*c.assignee) : json()}},
                           action.note);
        c.assignee = action.assignee;
        break;
      case Kind::note:
        detail = with_note(json::object(), action.note);
        break;
      case Kind::resolve:
        if (c.resolved_at) return refuse("the case is already closed");
        c.resolved_at = now;
        if (!c.acked_at) c.acked_at = now;  // a resolution answers the customer too
        c.root_cause = action.root_cause;
        detail = with_note({{"root_cause", *action.root_cause}}, action.note);
        break;
      case Kind::reopen:
        if (!c.resolved_at) return refuse("only a closed case can be reopened");
        detail = with_note({{"previous_root_cause", c.root_cause ? json(*c.root_cause) : json()}}, action.note);
        c.resolved_at.reset();
        c.root_cause.reset();
        break;
    }
    return CaseChange{{CaseEvent{0, now, actor, std::string(case_action_name(action.kind)), detail.dump()}}, {}};
  };
}

CaseMutator Workflow::escalate_breaches(Timestamp now) const {
  return [this, now](CaseRow& c) -> Result<CaseChange> {
    CaseChange change;
    if (c.resolved_at) return change;
    auto breach = [&](std::string_view deadline, Timestamp due) {
      const int from = c.level;
      c.level = std::min(c.level + 1, top_level());
      json flags = json::array();
      if (c.repeat) flags.push_back("repeat");
      const json body = {{"event", "case.breached"},
                         {"deadline", deadline},
                         {"due", format_timestamp(due)},
                         {"detected_at", format_timestamp(now)},
                         {"case",
                          {{"id", c.id},
                           {"type", case_type_name(c.type)},
                           {"record_id", c.record_id},
                           {"store_id", c.store_id},
                           {"reference", c.reference ? json(*c.reference) : json()},
                           {"level", c.level},
                           {"level_name", level_name(c.level)},
                           {"flags", flags}}}};
      change.events.push_back(CaseEvent{0, now, "system", "breach",
                                        json{{"deadline", deadline},
                                             {"due", format_timestamp(due)},
                                             {"level_from", level_name(from)},
                                             {"level_to", level_name(c.level)}}
                                            .dump()});
      change.webhooks.push_back(WebhookMessage{0, "case.breached", body.dump(), 0, 0});
    };
    if (c.ack_due && *c.ack_due < now && !c.acked_at && !c.ack_breached) {
      c.ack_breached = true;
      breach("acknowledge", *c.ack_due);
    }
    if (c.resolve_due < now && !c.resolve_breached) {
      c.resolve_breached = true;
      breach("resolve", c.resolve_due);
    }
    return change;
  };
}

// ---- Case JSON ----------------------------------------------------------------------
json Workflow::case_json(const CaseRow& c, Timestamp now) const {
  json flags = json::array();
  if (c.repeat) flags.push_back("repeat");
  return {{"id", c.id},
          {"type", case_type_name(c.type)},
          {"status", status(c, now)},
          {"record_id", c.record_id},
          {"reference", c.reference ? json(*c.reference) : json()},
          {"store_id", c.store_id},
          {"touchpoint", c.touchpoint ? json(*c.touchpoint) : json()},
          {"level", c.level},
          {"level_name", level_name(c.level)},
          {"flags", flags},
          {"clock_start", format_timestamp(c.clock_start)},
          {"created_at", format_timestamp(c.created_at)},
          {"opens_at", time_or_null(c.opens_at)},
          {"ack_due", time_or_null(c.ack_due)},
          {"resolve_due", format_timestamp(c.resolve_due)},
          {"acknowledged_at", time_or_null(c.acked_at)},
          {"resolved_at", time_or_null(c.resolved_at)},
          {"assignee", c.assignee ? json(*c.assignee) : json()},
          {"root_cause", c.root_cause ? json(*c.root_cause) : json()}};
}

json case_event_json(const CaseEvent& e) {
  json detail = json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) detail = json::object();
  return {{"id", e.id}, {"at", format_timestamp(e.at)}, {"actor", e.actor}, {"action", e.action}, {"detail", detail}};
}

}  // namespace heed::server
