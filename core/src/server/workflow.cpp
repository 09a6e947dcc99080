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

// What parse_case_action guarantees, checked again where it is relied on: an
// action built some other way is refused, never read through an empty optional.
std::optional<Error> missing_value(const CaseAction& action) {
  using Kind = CaseAction::Kind;
  if (action.kind == Kind::assign && !action.assignee)
    return Error{Errc::invalid, "assignee: assign needs the assignee"};
  if (action.kind == Kind::resolve && !action.root_cause)
    return Error{Errc::invalid, "root_cause: resolving a case records its root-cause category"};
  if ((action.kind == Kind::note || action.kind == Kind::reopen) && !action.note)
    return Error{Errc::invalid, fmt::format("note: {} needs a note saying why", case_action_name(action.kind))};
  return std::nullopt;
}

}  // namespace

// ---- Actions from JSON ----------------------------------------------------------
std::string_view case_action_name(CaseAction::Kind kind) { return kActionNames[static_cast<std::size_t>(kind)]; }

Result<CaseAction, FieldErrors> parse_case_action(const json& body) {
  if (!body.is_object()) return FieldErrors{{"", "invalid", "the body must be a JSON object"}};
  CaseAction action;
  if (!body.contains("action"))
    return FieldErrors{{"action", "required", "must be acknowledge, assign, note, resolve or reopen"}};
  const json& kind = body["action"];
  const auto found = kind.is_string() ? std::find(kActionNames.begin(), kActionNames.end(), kind.get<std::string>())
                                      : kActionNames.end();
  if (found == kActionNames.end())
    return FieldErrors{{"action", "invalid", "must be acknowledge, assign, note, resolve or reopen"}};
  action.kind = static_cast<CaseAction::Kind>(found - kActionNames.begin());
  const std::string_view name = *found;

  using Kind = CaseAction::Kind;
  FieldErrors errors;
  // A field the action takes. Left out, it is "required" when `required` (why
  // it must be there) is not empty; present, it must be text with something
  // other than spaces in it. Null is refused too: leaving an optional field out
  // is how to send nothing.
  auto text = [&](const char* key, std::size_t max, const std::string& required, std::optional<std::string>& out) {
    if (!body.contains(key)) {
      if (!required.empty()) errors.push_back({key, "required", required});
      return;
    }
    const json& v = body[key];
    const std::string what = fmt::format("must be text of 1 to {} characters", max);
    if (v.is_null()) return errors.push_back({key, "invalid", what + ", not null"});
    if (!v.is_string()) return errors.push_back({key, "invalid", fmt::format("{}, not {}", what, v.type_name())});
    const std::string& s = v.get_ref<const std::string&>();
    const auto length = utf8_length(s);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos)
      return errors.push_back({key, "invalid", what + ", not empty or only spaces"});
    if (!length || *length > max) return errors.push_back({key, "invalid", what});
    out = s;
  };
  for (const auto& [key, value] : body.items()) {
    const bool known = key == "action" || key == "note" || (key == "assignee" && action.kind == Kind::assign) ||
                       (key == "root_cause" && action.kind == Kind::resolve);
    if (!known) errors.push_back({key, "unknown_field", fmt::format("is not a field of the {} action", name)});
  }
  const bool needs_note = action.kind == Kind::note || action.kind == Kind::reopen;
  text("note", kMaxNoteChars, needs_note ? fmt::format("{} needs a note saying why", name) : "", action.note);
  if (action.kind == Kind::assign) text("assignee", kMaxAssigneeChars, "assign needs the assignee", action.assignee);
  if (action.kind == Kind::resolve) {
    text("root_cause", 64, "resolving a case records its root-cause category", action.root_cause);
    if (action.root_cause &&
        std::find(kRootCauses.begin(), kRootCauses.end(), *action.root_cause) == kRootCauses.end()) {
      errors.push_back({"root_cause", "invalid", "is not a root-cause category Heed knows"});
      action.root_cause.reset();
    }
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
      auto webhooks = case_opened_webhooks(opening, opens_at, arrived_at);
      planned.push_back(PlannedCase{std::move(opening), opens_at, std::move(detail), std::move(webhooks)});
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
  if ((c.ack_due && *c.ack_due < now && !c.acked_at) || (c.resolve_due < now && !c.waiting_since)) return "breached";
  if (c.waiting_since) return "awaiting_customer";
  return "open";
}

std::string_view Workflow::level_name(int level) const {
  const auto& levels = rules_.escalation_levels;
  return levels[static_cast<std::size_t>(std::clamp(level, 0, top_level()))];
}

CaseMutator Workflow::apply(const CaseAction& action, const std::string& actor, Timestamp now) const {
  return [this, action, actor, now](CaseRow& c) -> Result<CaseChange> {
    using Kind = CaseAction::Kind;
    if (auto missing = missing_value(action)) return *missing;
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
        detail = with_note({{"previous_root_cause", c.root_cause ? json(*c.root_cause) : json()},
                            {"previous",
                             {{"clock_start", format_timestamp(c.clock_start)},
                              {"ack_due", time_or_null(c.ack_due)},
                              {"resolve_due", format_timestamp(c.resolve_due)},
                              {"acknowledged_at", time_or_null(c.acked_at)}}}},
                           action.note);
        c.resolved_at.reset();
        c.root_cause.reset();
        restart_clock(c, now);
        detail["clock_start"] = format_timestamp(c.clock_start);
        detail["ack_due"] = time_or_null(c.ack_due);
        detail["resolve_due"] = format_timestamp(c.resolve_due);
        break;
    }
    CaseChange change;
    change.events.push_back(CaseEvent{0, now, actor, std::string(case_action_name(action.kind)), detail.dump()});
    return change;
  };
}

void Workflow::restart_clock(CaseRow& c, Timestamp now) const {
  c.clock_start = now;
  switch (c.type) {
    case CaseType::callback:
      c.ack_due = calendar_.add(now, rules_.callback_ack);
      c.resolve_due = calendar_.add(now, rules_.callback_resolve);
      break;
    case CaseType::complaint:
      c.ack_due = calendar_.add(now, rules_.complaint_ack.of(c.severity));
      c.resolve_due = calendar_.add(now, rules_.complaint_resolve.of(c.severity));
      break;
    case CaseType::follow_up:  // a check has no acknowledgement target
      c.ack_due.reset();
      c.resolve_due = calendar_.add(now, rules_.follow_up_resolve);
      break;
  }
  // Acknowledged again only where the rules ask for an acknowledgement.
  if (c.ack_due) c.acked_at.reset();
  c.ack_breached = false;
  c.resolve_breached = false;
}

CaseMutator Workflow::escalate_breaches(Timestamp now) const {
  return [this, now](CaseRow& c) -> Result<CaseChange> {
    CaseChange change;
    if (c.resolved_at) return change;
    auto breach = [&](std::string_view deadline, Timestamp due) {
      const int from = c.level;
      c.level = std::min(c.level + 1, top_level());
      json body = webhook_body("case.breached", c, now);
      body["deadline"] = deadline;
      body["due"] = format_timestamp(due);
      body["detected_at"] = format_timestamp(now);
      change.events.push_back(CaseEvent{0, now, "system", "breach",
                                        json{{"deadline", deadline},
                                             {"due", format_timestamp(due)},
                                             {"level_from", level_name(from)},
                                             {"level_to", level_name(c.level)}}
                                            .dump()});
      for (auto& w : webhook("case.breached", body)) change.webhooks.push_back(std::move(w));
    };
    if (c.ack_due && *c.ack_due < now && !c.acked_at && !c.ack_breached) {
      c.ack_breached = true;
      breach("acknowledge", *c.ack_due);
    }
    if (c.resolve_due < now && !c.resolve_breached && !c.waiting_since) {
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
          {"severity", enum_name(c.severity)},
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

// ---- Scope ---------------------------------------------------------------------------
std::optional<std::vector<std::string>> Workflow::stores_in(const Scope& scope) const {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return std::nullopt;
    case Scope::Kind::area:
      if (const Area* area = rules_.area(scope.id)) return area->stores;
      return std::vector<std::string>{};
    case Scope::Kind::store:
      return std::vector<std::string>{scope.id};
  }
  return std::vector<std::string>{};
}

bool Workflow::covers(const Scope& scope, std::string_view store_id) const {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return true;
    case Scope::Kind::area: {
      const Area* area = rules_.area_of_store(store_id);
      return area && area->id == scope.id;
    }
    case Scope::Kind::store:
      return scope.id == store_id;
  }
  return false;
}

std::optional<int> Workflow::level_named(std::string_view name) const {
  const auto& levels = rules_.escalation_levels;
  const auto it = std::find(levels.begin(), levels.end(), name);
  if (it == levels.end()) return std::nullopt;
  return static_cast<int>(it - levels.begin());
}

int Workflow::home_level(const Scope& scope) const {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return top_level();
    case Scope::Kind::area:
      return std::min(level_named("area").value_or(1), top_level());
    case Scope::Kind::store:
      return 0;
  }
  return 0;
}

// ---- Webhooks --------------------------------------------------------------------------
void Workflow::route_webhooks(const std::vector<WebhookEndpoint>& endpoints) {
  routes_ = endpoints;
  for (auto& r : routes_) r.secret.clear();
}

std::vector<WebhookMessage> Workflow::webhook(std::string_view event, const json& body) const {
  std::vector<WebhookMessage> out;
  std::string text;
  for (const WebhookEndpoint& route : routes_) {
    if (!route.wants(event)) continue;
    if (text.empty()) text = body.dump();
    WebhookMessage m;
    m.event = event;
    m.body = text;
    m.endpoint = route.name;
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<WebhookMessage> Workflow::case_opened_webhooks(const CaseOpening& opening,
                                                           std::optional<Timestamp> opens_at, Timestamp at) const {
  CaseRow c;
  c.type = opening.type;
  c.record_id = opening.record_id;
  c.store_id = opening.store_id;
  c.reference = opening.reference;
  c.level = opening.level;
  c.repeat = opening.repeat;
  c.severity = opening.severity;
  json body = webhook_body("case.opened", c, at);
  body["opens_at"] = time_or_null(opens_at);
  return webhook("case.opened", body);
}

json Workflow::webhook_body(std::string_view event, const CaseRow& c, Timestamp at) const {
  json flags = json::array();
  if (c.repeat) flags.push_back("repeat");
  return {{"event", event},
          {"at", format_timestamp(at)},
          {"case",
           {{"id", c.id},
            {"type", case_type_name(c.type)},
            {"record_id", c.record_id},
            {"store_id", c.store_id},
            {"reference", c.reference ? json(*c.reference) : json()},
            {"level", c.level},
            {"level_name", level_name(c.level)},
            {"severity", enum_name(c.severity)},
            {"flags", flags}}}};
}

json case_event_json(const CaseEvent& e) {
  json detail = json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) detail = json::object();
  return {{"id", e.id}, {"at", format_timestamp(e.at)}, {"actor", e.actor}, {"action", e.action}, {"detail", detail}};
}

}  // namespace heed::server
