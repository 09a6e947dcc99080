// The server's follow-up workflow (see workflow.hpp).
//
// Sections: actions from JSON | the workflow | case JSON
#include "heed/server/workflow.hpp"

#include <date/tz.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "heed/record_json.hpp"
#include "heed/server/access.hpp"
#include "heed/server/customer.hpp"
#include "heed/validation.hpp"

namespace heed::server {

using nlohmann::json;

namespace {

// A case about to be opened, as its webhooks describe it.
CaseRow opened_row(const CaseOpening& opening) {
  CaseRow c;
  c.type = opening.type;
  c.record_id = opening.record_id;
  c.store_id = opening.store_id;
  c.reference = opening.reference;
  c.level = opening.level;
  c.repeat = opening.repeat;
  c.severity = opening.severity;
  return c;
}

// In CaseAction::Kind's order.
constexpr std::array<std::string_view, kCaseActionKinds> kActionNames{
    "acknowledge",       "assign",           "note",           "resolve", "reopen", "unassign", "escalate", "contact",
    "wait_for_customer", "customer_replied", "close_follow_up"};
constexpr std::string_view kActionList =
    "acknowledge, assign, unassign, note, escalate, contact, wait_for_customer, customer_replied, resolve, "
    "close_follow_up or reopen";
constexpr std::size_t kMaxAssigneeChars = 100;
constexpr std::size_t kMaxNoteChars = 5000;
constexpr std::int64_t kMaxRemedyPence = 10'000'000;  // £100,000: above it, a typing slip

json time_or_null(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }

json with_note(json detail, const std::optional<std::string>& note) {
  if (note) detail["note"] = *note;
  return detail;
}

Error refuse(std::string message) { return Error{Errc::conflict, std::move(message)}; }
Error forbid(std::string message) { return Error{Errc::forbidden, std::move(message)}; }
// A value that does not fit the case: "field: why", which the API answers as a field error.
Error bad_value(std::string_view field, std::string_view why) {
  return Error{Errc::invalid, fmt::format("{}: {}", field, why)};
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, const std::string& value) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// What parse_case_action guarantees, checked again where it is relied on: an
// action built some other way is refused, never read through an empty optional.
std::optional<Error> missing_value(const CaseAction& action, CaseType type) {
  using Kind = CaseAction::Kind;
  switch (action.kind) {
    case Kind::assign:
      if (!action.assignee) return bad_value("assignee", "assign needs the assignee");
      break;
    case Kind::resolve:
      if (!action.outcome) return bad_value("outcome", "resolving a case says what was found and done");
      // An alert is about the store, not one customer: what was found is enough.
      if (type == CaseType::alert) break;
      if (action.remedies.empty()) return bad_value("remedies", "resolving a case records the remedy given");
      if (!action.root_cause) return bad_value("root_cause", "resolving a case records its root-cause category");
      break;
    case Kind::note:
    case Kind::reopen:
    case Kind::wait_for_customer:
      if (!action.note)
        return bad_value("note", fmt::format("{} needs a note saying why", case_action_name(action.kind)));
      break;
    case Kind::escalate:
      if (!action.reason) return bad_value("reason", "escalating a case says why");
      break;
    case Kind::contact:
      if (!action.channel || !action.direction || !action.contact_outcome || !action.summary)
        return bad_value("summary", "a contact records its channel, direction, outcome and a summary");
      break;
    case Kind::close_follow_up:
      if (!action.satisfied)
        return bad_value("satisfied", "closing a follow-up records whether the customer is satisfied");
      break;
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

// Reads a resolution's remedies: a non-empty list of {"kind", "amount_pence"?}.
// The first fault, in words, or the remedies.
Result<std::vector<Remedy>, std::string> parse_remedies(const json& v) {
  if (!v.is_array()) return fmt::format("must be a list of remedies ({{\"kind\": ...}}), not {}", v.type_name());
  if (v.empty()) return std::string("must name at least one remedy (\"none\" when nothing was given)");
  std::vector<Remedy> remedies;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const json& item = v[i];
    const std::string at = fmt::format("remedies[{}]", i);
    if (!item.is_object()) return fmt::format("{} must be an object {{\"kind\", \"amount_pence\"}}", at);
    for (const auto& [key, value] : item.items())
      if (key != "kind" && key != "amount_pence") return fmt::format("{}.{} is not a field of a remedy", at, key);
    const json kind = item.value("kind", json());
    const auto parsed = kind.is_string() ? parse_remedy(kind.get<std::string>()) : std::nullopt;
    if (!parsed)
      return fmt::format(
          "{}.kind must be one of refund, replacement, repair, price_reduction, goodwill, apology, "
          "explanation, none",
          at);
    Remedy r;
    r.kind = *parsed;
    const bool takes_amount =
        r.kind == Remedy::Kind::refund || r.kind == Remedy::Kind::price_reduction || r.kind == Remedy::Kind::goodwill;
    if (item.contains("amount_pence")) {
      const json& amount = item["amount_pence"];
      if (!takes_amount) return fmt::format("{}: {} has no amount", at, remedy_name(r.kind));
      if (!amount.is_number_integer() || amount.get<std::int64_t>() < 1 || amount.get<std::int64_t>() > kMaxRemedyPence)
        return fmt::format("{}.amount_pence must be a whole number of pence from 1 to {}", at, kMaxRemedyPence);
      r.amount_pence = amount.get<std::int64_t>();
    } else if (r.kind == Remedy::Kind::goodwill) {
      return fmt::format("{}: goodwill needs its amount_pence", at);
    }
    for (const auto& earlier : remedies)
      if (earlier.kind == r.kind) return fmt::format("{}: {} is listed twice", at, remedy_name(r.kind));
    remedies.push_back(r);
  }
  if (remedies.size() > 1)
    for (const auto& r : remedies)
      if (r.kind == Remedy::Kind::none) return std::string("\"none\" cannot stand beside another remedy");
  return remedies;
}

json remedies_json(const std::vector<Remedy>& remedies) {
  json list = json::array();
  for (const auto& r : remedies) {
    json item{{"kind", remedy_name(r.kind)}};
    if (r.amount_pence) item["amount_pence"] = *r.amount_pence;
    list.push_back(std::move(item));
  }
  return list;
}

// ---- Actions from JSON ----------------------------------------------------------
std::string_view case_action_name(CaseAction::Kind kind) { return kActionNames[static_cast<std::size_t>(kind)]; }

Result<CaseAction, FieldErrors> parse_case_action(const json& body, std::optional<CaseType> case_type) {
  if (!body.is_object()) return FieldErrors{{"", "invalid", "the body must be a JSON object"}};
  CaseAction action;
  const std::string must_be = fmt::format("must be {}", kActionList);
  if (!body.contains("action")) return FieldErrors{{"action", "required", must_be}};
  const json& kind = body["action"];
  const auto found = kind.is_string() ? std::find(kActionNames.begin(), kActionNames.end(), kind.get<std::string>())
                                      : kActionNames.end();
  if (found == kActionNames.end()) return FieldErrors{{"action", "invalid", must_be}};
  action.kind = static_cast<CaseAction::Kind>(found - kActionNames.begin());
  const std::string_view name = *found;

  using Kind = CaseAction::Kind;
  // The fields each action takes besides action and note (every action takes a note).
  std::vector<std::string_view> fields;
  switch (action.kind) {
    case Kind::assign:
      fields = {"assignee"};
      break;
    case Kind::escalate:
      fields = {"reason", "to_level"};
      break;
    case Kind::contact:
      fields = {"channel", "direction", "outcome", "summary"};
      break;
    case Kind::resolve:
      fields = {"outcome", "remedies", "root_cause", "language"};
      break;
    case Kind::close_follow_up:
      fields = {"satisfied"};
      break;
    default:
      break;
  }
  FieldErrors errors;
  for (const auto& [key, value] : body.items()) {
    const bool known = key == "action" || key == "note" || std::find(fields.begin(), fields.end(), key) != fields.end();
    if (!known) errors.push_back({key, "unknown_field", fmt::format("is not a field of the {} action", name)});
  }
  // A text field the action takes. Left out, it is "required" when `required` (why
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
  // A text field naming one of a few choices.
  auto choice = [&]<std::size_t N>(const char* key, const std::array<std::string_view, N>& names,
                                   std::optional<std::string>& out) {
    text(key, 64, fmt::format("{} needs its {} ({})", name, key, listed(names)), out);
    if (out && !one_of(names, *out)) {
      errors.push_back({key, "invalid", fmt::format("must be one of {}", listed(names))});
      out.reset();
    }
  };
  const bool needs_note =
      action.kind == Kind::note || action.kind == Kind::reopen || action.kind == Kind::wait_for_customer;
  const std::string why_note = action.kind == Kind::wait_for_customer
                                   ? "waiting on the customer needs a note of what was asked"
                                   : fmt::format("{} needs a note saying why", name);
  text("note", kMaxNoteChars, needs_note ? why_note : "", action.note);
  switch (action.kind) {
    case Kind::assign:
      text("assignee", kMaxAssigneeChars, "assign needs the assignee (a username, or \"me\")", action.assignee);
      break;
    case Kind::escalate:
      text("reason", kMaxNoteChars, "escalating a case needs the reason", action.reason);
      text("to_level", 64, "", action.to_level);
      break;
    case Kind::contact:
      choice("channel", kContactChannels, action.channel);
      choice("direction", kContactDirections, action.direction);
      choice("outcome", kContactOutcomes, action.contact_outcome);
      text("summary", kMaxNoteChars, "a contact needs a summary of what was said or done", action.summary);
      break;
    case Kind::resolve: {
      text("outcome", kMaxNoteChars, "resolving a case needs the outcome: what was found and done", action.outcome);
      const bool alert = case_type == CaseType::alert;  // an alert gives no remedy and may name no cause
      if (!body.contains("remedies")) {
        if (!alert)
          errors.push_back({"remedies", "required", "resolving a case needs the remedies given (\"none\" for none)"});
      } else if (auto remedies = parse_remedies(body["remedies"]); !remedies) {
        errors.push_back({"remedies", "invalid", remedies.error()});
      } else {
        action.remedies = std::move(remedies.value());
      }
      text("root_cause", 64, alert ? "" : "resolving a case records its root-cause category", action.root_cause);
      if (action.root_cause && !one_of(kRootCauses, *action.root_cause)) {
        errors.push_back({"root_cause", "invalid", "is not a root-cause category Heed knows"});
        action.root_cause.reset();
      }
      text("language", 2, "", action.language);
      if (action.language && *action.language != "en" && *action.language != "cy") {
        errors.push_back({"language", "invalid", "the final response is written in en or cy"});
        action.language.reset();
      }
      break;
    }
    case Kind::close_follow_up:
      if (!body.contains("satisfied"))
        errors.push_back({"satisfied", "required", "closing a follow-up records whether the customer is satisfied"});
      else if (!body["satisfied"].is_boolean())
        errors.push_back(
            {"satisfied", "invalid", fmt::format("must be true or false, not {}", body["satisfied"].type_name())});
      else
        action.satisfied = body["satisfied"].get<bool>();
      break;
    default:
      break;
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
  if (rules_.alerts.enabled) {
    policy.alert_window = rules_.alerts.window;
    policy.plan_alert = [this, arrived_at](const std::string& store_id, std::span<const AlertAnswer> answers) {
      return plan_alert(store_id, answers, arrived_at);
    };
  }
  return policy;
}

std::optional<PlannedAlert> Workflow::plan_alert(const std::string& store_id, std::span<const AlertAnswer> answers,
                                                 Timestamp arrived_at) const {
  const AlertRules& rules = rules_.alerts;
  auto window = find_alert(answers, rules);
  if (!window) return std::nullopt;
  CaseOpening o;
  o.type = CaseType::alert;
  o.record_id = window->record_ids.back();  // the answer that tipped it
  o.store_id = store_id;
  o.level = level_named("store").value_or(0);  // the store manager's queue
  o.severity = Severity::high;
  // The clock starts when the alert's last answer was made, clamped to arrival as a record's is.
  o.clock_start = std::min(window->last_answer_at, arrived_at);
  o.ack_due = calendar_.add(o.clock_start, rules.acknowledge);
  o.resolve_due = calendar_.add(o.clock_start, rules.resolve);
  const std::string title = alert_title(*window, rules, rules_.store_name(store_id));
  json figures{{"title", title},
               {"store_name", rules_.store_name(store_id)},
               {"window_start", format_timestamp(window->start)},
               {"window_end", format_timestamp(window->end)},
               {"window_minutes", rules.window.count()},
               {"answers", window->answers},
               {"negative", window->negative},
               {"record_ids", window->record_ids}};
  json detail{{"type", "alert"},
              {"level", o.level},
              {"level_name", level_name(o.level)},
              {"repeat", false},
              {"severity", "high"},
              {"alert", figures}};
  auto webhooks = case_opened_webhooks(o, std::nullopt, arrived_at);
  json body = webhook_body("alert.opened", opened_row(o), arrived_at);
  body["alert"] = figures;
  for (auto& w : webhook("alert.opened", body)) webhooks.push_back(std::move(w));
  return PlannedAlert{PlannedCase{std::move(o), std::nullopt, detail.dump(), std::move(webhooks)}, std::move(*window),
                      title};
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

namespace {

// The role and state checks of an action, shared by apply and allowed_actions:
// the first reason the user may not take it on the case now, or none.
std::optional<Error> refusal(const Workflow& flow, CaseAction::Kind kind, const CaseRow& c, const User& user) {
  using Kind = CaseAction::Kind;
  if (!sees_case(user, c, flow)) return Error{Errc::not_found, "no such case"};
  if (!works_case(user, c, flow)) {
    if (!works_cases(user)) return forbid("an administrator sees cases but does not work them");
    return forbid(fmt::format("the case is at the {} level, above the {} queue", flow.level_name(c.level),
                              flow.level_name(flow.home_level(user.scope))));
  }
  const bool closed = c.resolved_at.has_value();
  switch (kind) {
    case Kind::note:
    case Kind::contact:
      return std::nullopt;  // a closed case's history can still grow
    case Kind::acknowledge:
      if (closed) return refuse("the case is closed; reopen it first");
      if (!c.ack_due) return refuse("a follow-up has no acknowledgement target");
      if (c.acked_at) return refuse("the case is already acknowledged");
      return std::nullopt;
    case Kind::assign:
      if (closed) return refuse("the case is closed; reopen it first");
      return std::nullopt;
    case Kind::unassign:
      if (closed) return refuse("the case is closed; reopen it first");
      if (!c.assignee) return refuse("the case is not assigned");
      if (user.role == Role::agent && *c.assignee != user.username)
        return forbid("an agent may hand back only a case assigned to them");
      return std::nullopt;
    case Kind::escalate:
      if (closed) return refuse("the case is closed; reopen it first");
      if (c.level >= flow.top_level()) return refuse("the case is already at the top level");
      return std::nullopt;
    case Kind::wait_for_customer:
      if (c.type == CaseType::alert) return refuse("an alert is about the store: there is no customer to wait on");
      if (closed) return refuse("the case is closed; reopen it first");
      if (c.waiting_since) return refuse("the case is already waiting on the customer");
      return std::nullopt;
    case Kind::customer_replied:
      if (!c.waiting_since) return refuse("the case is not waiting on the customer");
      return std::nullopt;
    case Kind::resolve:
      if (c.type == CaseType::follow_up) return refuse("a follow-up is closed with close_follow_up");
      if (closed) return refuse("the case is already closed");
      return std::nullopt;
    case Kind::close_follow_up:
      if (c.type != CaseType::follow_up) return refuse("only a follow-up is closed with close_follow_up; resolve it");
      if (closed) return refuse("the follow-up is already closed");
      return std::nullopt;
    case Kind::reopen:
      if (!closed) return refuse("only a closed case can be reopened");
      return std::nullopt;
  }
  return std::nullopt;
}

// An escalation's webhook: the common body, the levels and the reason.
json escalated_body(const Workflow& flow, const CaseRow& c, int from, std::string_view reason, Timestamp now) {
  json body = flow.webhook_body("case.escalated", c, now);
  body["from_level"] = flow.level_name(from);
  body["to_level"] = flow.level_name(c.level);
  body["reason"] = reason;
  return body;
}

}  // namespace

json Workflow::end_wait(CaseRow& c, Timestamp now) const {
  if (!c.waiting_since) return json::object();
  const Timestamp since = *c.waiting_since;
  const auto waited = calendar_.between(since, now);
  json account{{"waiting_since", format_timestamp(since)},
               {"waited_s", std::chrono::seconds(waited).count()},
               {"resolve_due_before", format_timestamp(c.resolve_due)}};
  // What was left of the resolution time when the wait began runs from now; a
  // deadline already passed then stays passed.
  if (c.resolve_due > since)
    c.resolve_due = calendar_.add(now, WorkingDuration{calendar_.between(since, c.resolve_due)});
  c.paused_s += std::chrono::seconds(waited).count();
  c.waiting_since.reset();
  account["resolve_due"] = format_timestamp(c.resolve_due);
  account["paused_s"] = c.paused_s;
  return account;
}

std::vector<std::string_view> Workflow::allowed_actions(const CaseRow& c, const User& user, Timestamp) const {
  std::vector<std::string_view> allowed;
  for (int k = 0; k < kCaseActionKinds; ++k)
    if (!refusal(*this, static_cast<CaseAction::Kind>(k), c, user)) allowed.push_back(kActionNames[k]);
  return allowed;
}

CaseMutator Workflow::apply(const CaseAction& action, const ActionContext& who, Timestamp now) const {
  return [this, action, who, now](CaseRow& c) -> Result<CaseChange> {
    using Kind = CaseAction::Kind;
    if (auto refused = refusal(*this, action.kind, c, who.user)) return *refused;
    if (auto missing = missing_value(action, c.type)) return *missing;
    const std::string& actor = who.user.username;
    CaseChange change;
    json detail = json::object();
    switch (action.kind) {
      case Kind::acknowledge:
        c.acked_at = now;
        break;
      case Kind::assign: {
        if (who.user.role == Role::agent && (!who.assignee || who.assignee->username != actor))
          return forbid("an agent may assign a case only to themselves");
        if (!who.assignee) return bad_value("assignee", fmt::format("no user is called {}", *action.assignee));
        const User& to = *who.assignee;
        if (!to.active) return bad_value("assignee", fmt::format("{} is disabled", to.username));
        if (!works_case(to, c, *this))
          return bad_value("assignee",
                           fmt::format("{} cannot work this case (their role, scope or level)", to.username));
        detail = {{"assignee", to.username}, {"previous", c.assignee ? json(*c.assignee) : json()}};
        c.assignee = to.username;
        break;
      }
      case Kind::unassign:
        detail = {{"previous", *c.assignee}};
        c.assignee.reset();
        break;
      case Kind::note:
        break;
      case Kind::escalate: {
        int to = c.level + 1;
        if (action.to_level) {
          const auto named = level_named(*action.to_level);
          if (!named)
            return bad_value("to_level", fmt::format("the rules have no level named {} ({})", *action.to_level,
                                                     fmt::join(rules_.escalation_levels, ", ")));
          if (*named <= c.level)
            return refuse(fmt::format("to_level: the case is at the {} level; {} is not above it", level_name(c.level),
                                      *action.to_level));
          to = *named;
        }
        const int from = c.level;
        c.level = to;
        // The case moves to another queue: whoever had it there hands it on.
        detail = {{"from", level_name(from)},
                  {"to", level_name(to)},
                  {"reason", *action.reason},
                  {"previous_assignee", c.assignee ? json(*c.assignee) : json()}};
        c.assignee.reset();
        for (auto& w : webhook("case.escalated", escalated_body(*this, c, from, *action.reason, now)))
          change.webhooks.push_back(std::move(w));
        break;
      }
      case Kind::contact: {
        detail = {{"channel", *action.channel},
                  {"direction", *action.direction},
                  {"outcome", *action.contact_outcome},
                  {"summary", *action.summary}};
        const bool reached = *action.contact_outcome == "reached";
        if (reached && !c.resolved_at && c.ack_due && !c.acked_at) {
          c.acked_at = now;  // reaching the customer is the acknowledgement
          detail["acknowledges"] = true;
        }
        if (reached && *action.direction == "inbound" && c.waiting_since) detail["wait"] = end_wait(c, now);
        break;
      }
      case Kind::wait_for_customer:
        c.waiting_since = now;
        detail = {{"resolve_due", format_timestamp(c.resolve_due)},
                  {"resolve_left_s", std::chrono::seconds(calendar_.between(now, c.resolve_due)).count()}};
        break;
      case Kind::customer_replied:
        detail = end_wait(c, now);
        break;
      case Kind::resolve: {
        if (c.waiting_since) detail["wait"] = end_wait(c, now);
        c.resolved_at = now;
        if (!c.acked_at) c.acked_at = now;  // a resolution answers the customer too
        c.root_cause = action.root_cause;
        c.outcome = action.outcome;
        c.remedies = action.remedies;
        detail["outcome"] = *c.outcome;
        detail["remedies"] = remedies_json(c.remedies);
        detail["root_cause"] = c.root_cause ? json(*c.root_cause) : json();
        if (who.final_letter) {
          auto letter = who.final_letter(c);
          if (!letter) return letter.error();
          change.letter = std::move(letter.value());
        }
        // An alert's record is only its newest answer: no customer awaits a check.
        if (who.customer_contactable && c.type != CaseType::alert) {
          change.opens.push_back(follow_up_of(c, now));
          detail["follow_up_on"] = format_date(calendar_.local_date(*change.opens.back().opening.scheduled_for));
        }
        json body = webhook_body("case.resolved", c, now);
        body["root_cause"] = c.root_cause ? json(*c.root_cause) : json();
        body["remedies"] = remedies_json(c.remedies);
        body["on_time"] = *c.resolved_at <= c.resolve_due;
        body["paused_s"] = c.paused_s;
        for (auto& w : webhook("case.resolved", body)) change.webhooks.push_back(std::move(w));
        break;
      }
      case Kind::close_follow_up: {
        if (c.waiting_since) detail["wait"] = end_wait(c, now);
        c.resolved_at = now;
        c.satisfied = *action.satisfied;
        detail["satisfied"] = *action.satisfied;
        if (!*action.satisfied) {
          if (c.follows_case_id) {
            change.also.emplace_back(*c.follows_case_id, reopen_unsatisfied(c.id, actor, action.note, now));
            detail["reopens_case_id"] = *c.follows_case_id;
          } else {  // a store's first-contact resolution: no case yet holds it
            change.opens.push_back(complaint_after(c, action.note, now));
            detail["opens"] = "complaint";
          }
        }
        json body = webhook_body("case.resolved", c, now);
        body["satisfied"] = *action.satisfied;
        for (auto& w : webhook("case.resolved", body)) change.webhooks.push_back(std::move(w));
        break;
      }
      case Kind::reopen:
        detail = {{"previous_root_cause", c.root_cause ? json(*c.root_cause) : json()},
                  {"previous",
                   {{"clock_start", format_timestamp(c.clock_start)},
                    {"ack_due", time_or_null(c.ack_due)},
                    {"resolve_due", format_timestamp(c.resolve_due)},
                    {"acknowledged_at", time_or_null(c.acked_at)}}}};
        reopen(c, now, detail);
        break;
    }
    change.events.insert(change.events.begin(), CaseEvent{0, now, actor, std::string(case_action_name(action.kind)),
                                                          with_note(std::move(detail), action.note).dump()});
    return change;
  };
}

void Workflow::reopen(CaseRow& c, Timestamp now, json& detail) const {
  if (c.outcome) detail["previous_outcome"] = *c.outcome;
  if (!c.remedies.empty()) detail["previous_remedies"] = remedies_json(c.remedies);
  c.resolved_at.reset();
  c.root_cause.reset();
  c.outcome.reset();
  c.remedies.clear();
  c.satisfied.reset();
  restart_clock(c, now);
  detail["clock_start"] = format_timestamp(c.clock_start);
  detail["ack_due"] = time_or_null(c.ack_due);
  detail["resolve_due"] = format_timestamp(c.resolve_due);
}

CaseToOpen Workflow::follow_up_of(const CaseRow& c, Timestamp now) const {
  // As ingest schedules a store's: `follow_up_after_days` later, listed from the start of that local day.
  const Timestamp due_day = now + std::chrono::days(rules_.follow_up_after_days);
  CaseToOpen open;
  open.opening.type = CaseType::follow_up;
  open.opening.record_id = c.record_id;
  open.opening.store_id = c.store_id;
  open.opening.reference = c.reference;
  open.opening.level = c.level;
  open.opening.repeat = c.repeat;
  open.opening.severity = c.severity;
  open.opening.clock_start = now;
  open.opening.resolve_due = calendar_.add(due_day, rules_.follow_up_resolve);
  open.opening.scheduled_for = due_day;
  open.opens_at = start_of_day(calendar_.local_date(due_day));
  open.local_day = local_day(now);
  open.touchpoint = c.touchpoint;
  open.follows_case_id = c.id;
  open.opened_detail = json{{"type", "follow_up"},
                            {"level", c.level},
                            {"level_name", level_name(c.level)},
                            {"repeat", c.repeat},
                            {"severity", enum_name(c.severity)},
                            {"follows_case_id", c.id},
                            {"opens_at", format_timestamp(*open.opens_at)}}
                           .dump();
  open.created_at = now;
  return open;
}

CaseToOpen Workflow::complaint_after(const CaseRow& follow_up, const std::optional<std::string>& note,
                                     Timestamp now) const {
  CaseToOpen open;
  CaseOpening& o = open.opening;
  o.type = CaseType::complaint;
  o.record_id = follow_up.record_id;
  o.store_id = follow_up.store_id;
  o.reference = follow_up.reference;
  o.level = std::min(follow_up.level + 1, top_level());  // one level above the store that resolved it
  o.repeat = follow_up.repeat;
  o.severity = follow_up.severity;
  o.clock_start = now;
  o.ack_due = calendar_.add(now, rules_.complaint_ack.of(o.severity));
  o.resolve_due = calendar_.add(now, rules_.complaint_resolve.of(o.severity));
  open.local_day = local_day(now);
  open.touchpoint = follow_up.touchpoint;
  open.follows_case_id = follow_up.id;
  open.opened_detail = with_note(json{{"type", "complaint"},
                                      {"level", o.level},
                                      {"level_name", level_name(o.level)},
                                      {"repeat", o.repeat},
                                      {"severity", enum_name(o.severity)},
                                      {"follows_case_id", follow_up.id},
                                      {"why", "follow_up_not_satisfied"}},
                                 note)
                           .dump();
  open.created_at = now;
  return open;
}

CaseMutator Workflow::reopen_unsatisfied(std::int64_t follow_up_id, const std::string& actor,
                                         const std::optional<std::string>& note, Timestamp now) const {
  return [this, follow_up_id, actor, note, now](CaseRow& c) -> Result<CaseChange> {
    CaseChange change;
    const int from = c.level;
    json detail{{"why", "follow_up_not_satisfied"}, {"follow_up_case_id", follow_up_id}};
    if (c.resolved_at) {  // someone may have reopened it already: then it only moves up
      detail["previous"] = {{"resolved_at", format_timestamp(*c.resolved_at)},
                            {"resolve_due", format_timestamp(c.resolve_due)},
                            {"root_cause", c.root_cause ? json(*c.root_cause) : json()}};
      reopen(c, now, detail);
    }
    c.level = std::min(from + 1, top_level());
    detail["from"] = level_name(from);
    detail["to"] = level_name(c.level);
    if (c.level != from) {
      detail["previous_assignee"] = c.assignee ? json(*c.assignee) : json();
      c.assignee.reset();
      for (auto& w : webhook("case.escalated", escalated_body(*this, c, from, "follow_up_not_satisfied", now)))
        change.webhooks.push_back(std::move(w));
    }
    change.events.push_back(CaseEvent{0, now, actor, "reopen", with_note(std::move(detail), note).dump()});
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
    case CaseType::alert:
      c.ack_due = calendar_.add(now, rules_.alerts.acknowledge);
      c.resolve_due = calendar_.add(now, rules_.alerts.resolve);
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
namespace {

// Within this much working time of its due time a deadline is "due_soon".
constexpr std::int64_t kDueSoonWorkingS = 2 * 60 * 60;

// Working time from `from` to `to` in seconds, negative when `to` is earlier.
std::int64_t working_seconds(const BusinessCalendar& calendar, Timestamp from, Timestamp to) {
  if (to >= from) return std::chrono::duration_cast<std::chrono::seconds>(calendar.between(from, to)).count();
  return -std::chrono::duration_cast<std::chrono::seconds>(calendar.between(to, from)).count();
}

// One deadline as the API shows it (openapi.yaml, Deadline). Done: met or
// missed. Else: scheduled before the case opens; the resolution paused while
// waiting on the customer, with the working time that was left when the wait
// began (the clock restarts with it); else breached once past due, due_soon
// within two working hours, on_track before.
json deadline_json(const BusinessCalendar& calendar, const CaseRow& c, std::string_view kind, Timestamp due,
                   const std::optional<Timestamp>& done_at, Timestamp now) {
  json j{{"kind", kind}, {"due", format_timestamp(due)}, {"done_at", time_or_null(done_at)}};
  if (done_at) {
    j["state"] = *done_at <= due ? "met" : "missed";
    j["working_s_left"] = nullptr;
    return j;
  }
  if (kind == "resolve" && c.waiting_since) {
    j["state"] = "paused";
    j["working_s_left"] = working_seconds(calendar, *c.waiting_since, due);
    return j;
  }
  const std::int64_t left = working_seconds(calendar, now, due);
  j["working_s_left"] = left;
  if (c.opens_at && *c.opens_at > now)
    j["state"] = "scheduled";
  else if (due < now)
    j["state"] = "breached";
  else if (left <= kDueSoonWorkingS)
    j["state"] = "due_soon";
  else
    j["state"] = "on_track";
  return j;
}

}  // namespace

json Workflow::case_json(const CaseRow& c, Timestamp now) const {
  json flags = json::array();
  if (c.repeat) flags.push_back("repeat");
  // Every deadline, acknowledgement first; "sla" is the first not done.
  json deadlines = json::array();
  if (c.ack_due) deadlines.push_back(deadline_json(calendar_, c, "acknowledge", *c.ack_due, c.acked_at, now));
  deadlines.push_back(deadline_json(calendar_, c, "resolve", c.resolve_due, c.resolved_at, now));
  json sla = nullptr;
  if (!c.resolved_at)
    for (const auto& d : deadlines)
      if (d["done_at"].is_null()) {
        sla = d;
        break;
      }
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
          {"root_cause", c.root_cause ? json(*c.root_cause) : json()},
          {"next_due", time_or_null(next_due(c))},
          {"waiting_since", time_or_null(c.waiting_since)},
          {"paused_s", c.paused_s},
          {"outcome", c.outcome ? json(*c.outcome) : json()},
          {"remedies", remedies_json(c.remedies)},
          {"follows_case_id", c.follows_case_id ? json(*c.follows_case_id) : json()},
          {"satisfied", c.satisfied ? json(*c.satisfied) : json()},
          {"deadlines", std::move(deadlines)},
          {"sla", std::move(sla)}};
}

json Workflow::case_json(const CaseRow& c, Timestamp now, const User& viewer) const {
  json j = case_json(c, now);
  j["actions"] = allowed_actions(c, viewer, now);
  return j;
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
  json body = webhook_body("case.opened", opened_row(opening), at);
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
