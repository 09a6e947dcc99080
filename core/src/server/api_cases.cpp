// HTTP API v1, cases and customers: head office's queue, a case with its
// history and records, the actions on it, and a customer's history and
// complaints found by reference (for the staff tablet too).
//
// Sections: cases | customers
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "case_file.hpp"
#include "heed/record_json.hpp"
#include "heed/reference.hpp"
#include "heed/server/access.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/customer.hpp"
#include "heed/server/final_response.hpp"
#include "heed/server/tokens.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

// ---- Cases ------------------------------------------------------------------------------
// The queue's tabs, by their names in ?status= and in "counts".
constexpr std::array<std::pair<std::string_view, CaseFilter>, 6> kTabs{
    {{"open", CaseFilter::open},
     {"breached", CaseFilter::breached},
     {"awaiting_customer", CaseFilter::awaiting_customer},
     {"scheduled", CaseFilter::scheduled},
     {"closed", CaseFilter::closed},
     {"all", CaseFilter::all}}};

std::string_view tab_name(CaseFilter filter) {
  for (const auto& [name, f] : kTabs)
    if (f == filter) return name;
  return "all";
}

// A cursor is opaque to clients: the tab, the last case's sort key and id, and a
// MAC under the installation's token key, so an edited cursor is refused rather
// than read (scope is applied to every page anyway; the MAC keeps the paging honest).
std::string cursor_mac(ServerContext& ctx, std::string_view payload) {
  return ctx.data.hasher.hash(fmt::format("heed case cursor:{}", payload)).substr(0, 32);
}

std::string encode_cursor(ServerContext& ctx, CaseFilter filter, const CaseCursor& at) {
  const std::string payload = fmt::format("{}.{}.{}", tab_name(filter), at.key, at.id);
  const std::string text = payload + "." + cursor_mac(ctx, payload);
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<CaseCursor> decode_cursor(ServerContext& ctx, CaseFilter filter, std::string_view cursor) {
  if (cursor.size() > 200) return std::nullopt;
  std::string text(cursor.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(text.data()), text.size(), cursor.data(), cursor.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  text.resize(length);
  const auto dot = text.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string payload = text.substr(0, dot);
  if (!constant_time_equal(text.substr(dot + 1), cursor_mac(ctx, payload))) return std::nullopt;
  // tab.key.id; the tab must be the one asked for (a closed tab's cursor means nothing in the open tab).
  const auto first = payload.find('.'), second = payload.find('.', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return std::nullopt;
  if (payload.substr(0, first) != tab_name(filter)) return std::nullopt;
  CaseCursor at;
  const char* key_end = payload.data() + second;
  if (std::from_chars(payload.data() + first + 1, key_end, at.key).ptr != key_end) return std::nullopt;
  const char* id_end = payload.data() + payload.size();
  if (std::from_chars(key_end + 1, id_end, at.id).ptr != id_end) return std::nullopt;
  return at;
}

// `stores` narrowed to `to` (nullopt: the whole chain).
void narrow(std::optional<std::vector<std::string>>& stores, const std::vector<std::string>& to) {
  if (!stores) {
    stores = to;
    return;
  }
  std::erase_if(*stores, [&](const std::string& s) { return std::find(to.begin(), to.end(), s) == to.end(); });
}

// Reads the queue's filters (everything but status, cursor and limit) into
// `query`, limited to the caller's scope; false with a 400 sent.
bool queue_filters(ServerContext& ctx, const Request& req, Response& res, const User& user, CaseQuery& query) {
  FieldErrors errors;
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = param(req, name);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  query.stores = ctx.workflow.stores_in(user.scope);
  std::optional<std::string> store;
  if (!store_param(req, res, store)) return false;
  if (store) narrow(query.stores, {*store});
  if (auto area = text("area")) {
    if (const Area* a = ctx.workflow.rules().area(*area))
      narrow(query.stores, a->stores);
    else
      errors.push_back({"area", "unknown", "is not an area of the rules"});
  }
  if (auto type = text("type")) {
    for (CaseType t : {CaseType::callback, CaseType::complaint, CaseType::follow_up, CaseType::alert})
      if (case_type_name(t) == *type) query.type = t;
    if (!query.type) errors.push_back({"type", "invalid", "must be callback, complaint, follow_up or alert"});
  }
  if (auto level = text("level")) {
    query.level = ctx.workflow.level_named(*level);
    if (!query.level) errors.push_back({"level", "unknown", "is not an escalation level of the rules"});
  }
  if (auto severity = text("severity")) {
    query.severity = parse_enum<Severity>(*severity);
    if (!query.severity) errors.push_back({"severity", "invalid", "must be low, medium or high"});
  }
  if (auto repeat = text("repeat")) {
    if (*repeat == "true" || *repeat == "false")
      query.repeat = *repeat == "true";
    else
      errors.push_back({"repeat", "invalid", "must be true or false"});
  }
  if (auto assignee = text("assignee")) {
    if (*assignee == "unassigned")
      query.unassigned = true;
    else if (*assignee == "me")
      query.assignee = user.username;
    else if (is_valid_username(*assignee))
      query.assignee = *assignee;
    else
      errors.push_back({"assignee", "invalid", "must be a username, me or unassigned"});
  }
  if (auto due = text("due_before")) {
    if (auto t = parse_timestamp(*due))
      query.due_before = *t;
    else if (auto d = parse_date(*due))
      query.due_before = ctx.workflow.start_of_day(*d);  // a date: before that day begins in the chain's zone
    else
      errors.push_back({"due_before", "invalid", "must be a time (2026-11-23T10:00:00Z) or a date (2026-11-23)"});
  }
  // The cases behind a bar of the dashboard's Pareto: a complaint's category, its
  // case's root cause (none: none recorded yet), the local days it was raised on.
  if (auto category = text("category")) {
    query.category = parse_enum<Category>(*category);
    if (!query.category) errors.push_back({"category", "invalid", "is not a complaint category Heed knows"});
  }
  if (auto cause = text("root_cause")) {
    if (*cause == "none" || std::find(kRootCauses.begin(), kRootCauses.end(), *cause) != kRootCauses.end())
      query.root_cause = *cause == "none" ? "" : *cause;
    else
      errors.push_back({"root_cause", "invalid", "is not a root-cause category Heed knows, or none"});
  }
  for (auto [name, out] : {std::pair{"raised_from", &query.from_day}, std::pair{"raised_to", &query.to_day}}) {
    if (auto day = text(name)) {
      if (auto d = parse_date(*day))
        *out = Workflow::day_number(*d);
      else
        errors.push_back({name, "invalid", "must be a date, YYYY-MM-DD"});
    }
  }
  if (query.from_day && query.to_day && *query.from_day > *query.to_day)
    errors.push_back({"raised_to", "invalid", "must not be before raised_from"});
  if (auto q = text("q")) {
    // Matched by trigrams (storage): three or more letters and digits.
    query.reference_text = reference_key(*q);
    const bool plain = std::all_of(query.reference_text.begin(), query.reference_text.end(),
                                   [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); });
    if (q->size() > 64 || query.reference_text.size() < 3 || !plain)
      errors.push_back(
          {"q", "invalid", "must be 3 or more letters and digits of a reference (dashes and spaces are ignored)"});
  }
  if (!errors.empty()) {
    send_field_errors(res, 400, "invalid_request", errors);
    return false;
  }
  return true;
}

// GET /api/v1/cases: one tab of the queue, in scope, a page at a time, with
// every tab's count under the same scope and filters.
// An alert case says what happened in words ("7 of 10 answers negative in 15
// minutes at ..."): each alert on a page gets its "title" (other cases have none).
Result<void> add_alert_titles(ServerContext& ctx, const std::vector<CaseRow>& cases, json& list) {
  std::vector<std::int64_t> ids;
  for (const auto& c : cases)
    if (c.type == CaseType::alert) ids.push_back(c.id);
  if (ids.empty()) return Ok{};
  auto alerts = ctx.storage().alerts_of_cases(ids);
  if (!alerts) return alerts.error();
  for (json& item : list)
    for (const StoredAlert& a : *alerts)
      if (item["id"] == a.case_id) item["title"] = a.title;
  return Ok{};
}

void list_cases(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  CaseQuery query;
  query.filter = CaseFilter::open;
  query.limit = 50;
  if (auto s = param(req, "status"); s && !s->empty()) {
    const auto tab = std::find_if(kTabs.begin(), kTabs.end(), [&](const auto& t) { return t.first == *s; });
    if (tab == kTabs.end())
      return send_field_errors(
          res, 400, "invalid_request",
          {{"status", "invalid", "must be open, breached, awaiting_customer, scheduled, closed or all"}});
    query.filter = tab->second;
  }
  if (!queue_filters(ctx, req, res, *who->user, query)) return;
  if (auto text = param(req, "limit"); text && !text->empty()) {
    int n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < 1 || n > 200)
      return send_field_errors(res, 400, "invalid_request", {{"limit", "invalid", "must be a whole number, 1 to 200"}});
    query.limit = n;
  }
  if (auto text = param(req, "cursor"); text && !text->empty()) {
    query.after = decode_cursor(ctx, query.filter, *text);
    if (!query.after)
      return send_field_errors(res, 400, "invalid_request",
                               {{"cursor", "invalid", "is not a cursor this list gave for this status"}});
  }
  query.now = ctx.now();
  // One more than the page tells whether another follows.
  ++query.limit;
  auto cases = ctx.storage().list_cases(query);
  if (!cases) return send_storage_error(res, cases.error(), "listing cases");
  --query.limit;
  auto counts = ctx.storage().count_cases(query);
  if (!counts) return send_storage_error(res, counts.error(), "counting cases");
  const bool more = static_cast<int>(cases->size()) > query.limit;
  if (more) cases->pop_back();
  json list = json::array();
  for (const auto& c : *cases) list.push_back(ctx.workflow.case_json(c, query.now));
  if (auto r = add_alert_titles(ctx, *cases, list); !r) return send_storage_error(res, r.error(), "reading alerts");
  json next = nullptr;
  if (more)
    next = encode_cursor(ctx, query.filter, CaseCursor{case_sort_key(cases->back(), query.filter), cases->back().id});
  json capped = json::array();
  if (counts->closed_capped) capped.push_back("closed");
  send_json(res, 200,
            json{{"cases", list},
                 {"next_cursor", next},
                 {"counts",
                  {{"open", counts->open},
                   {"breached", counts->breached},
                   {"awaiting_customer", counts->awaiting_customer},
                   {"scheduled", counts->scheduled},
                   {"closed", counts->closed}}},
                 {"counts_capped", capped}});
}

// GET /api/v1/cases/find: the cases behind one customer's reference, email or
// phone, or one record, in the caller's scope, newest first. Email and phone are
// personal data: only users who work cases may search by them, and each search
// is audited (who, by what, how many found; never the value).
void find_cases(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const User& user = *who->user;
  std::vector<std::pair<const char*, std::string>> given;
  for (const char* key : {"reference", "email", "phone", "record_id"})
    if (auto v = param(req, key); v && !v->empty()) given.emplace_back(key, *v);
  if (given.size() != 1)
    return send_error(res, 400, "invalid_request", "give exactly one of reference, email, phone and record_id");
  const std::string_view by = given[0].first;
  const std::string& value = given[0].second;
  std::vector<CaseRow> cases;
  if (by == "reference") {
    const ReadReference read = read_typed_reference(value);
    if (read.status == TypedReference::not_a_reference || read.status == TypedReference::empty)
      return send_field_errors(res, 400, "invalid_request",
                               {{"reference", "invalid", "is not a reference (they look like MCR-K2-22A7X)"}});
    if (read.status == TypedReference::wrong_check)
      return send_field_errors(
          res, 400, "invalid_request",
          {{"reference", "check_mismatch", "its check character does not match: a character was probably mistyped"}});
    auto found = ctx.storage().complaints_by_reference(read.key, 20);
    if (!found) return send_storage_error(res, found.error(), "finding cases by reference");
    cases = std::move(found->cases);
  } else if (by == "record_id") {
    if (value.size() > 64)
      return send_field_errors(res, 400, "invalid_request", {{"record_id", "invalid", "is too long"}});
    auto found = ctx.storage().cases_of_record(value);
    if (!found) return send_storage_error(res, found.error(), "finding a record's cases");
    cases = std::move(*found);
  } else {
    if (!works_cases(user))
      return send_error(res, 403, "forbidden", "only users who work cases may search by a customer's contact details");
    CustomerKey key;
    if (by == "email")
      key.email = normalise_email(value);
    else
      key.phone = normalise_phone(value);
    if (!key.email && !key.phone)
      return send_field_errors(res, 400, "invalid_request", {{std::string(by), "invalid", "is empty"}});
    auto found = ctx.storage().customer_history(key, 200);
    if (!found) return send_storage_error(res, found.error(), "finding cases by contact details");
    std::erase_if(found->cases, [&](const CaseRow& c) { return !sees_case(user, c, ctx.workflow); });
    (void)ctx.storage().audit(ctx.now(), who->actor(), "case_find",
                              dump(json{{"by", by}, {"found", found->cases.size()}}));
    cases = std::move(found->cases);
  }
  std::erase_if(cases, [&](const CaseRow& c) { return !sees_case(user, c, ctx.workflow); });
  std::sort(cases.begin(), cases.end(), [](const CaseRow& a, const CaseRow& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  const Timestamp now = ctx.now();
  json list = json::array();
  for (const auto& c : cases) list.push_back(ctx.workflow.case_json(c, now));
  send_json(res, 200, json{{"cases", list}});
}

// Whether head office may contact the person behind a stored record (can_contact).
bool record_contactable(const StoredRecord& stored) {
  auto record = record_from_json_text(stored.body);
  const Contact* contact = record ? contact_of(record.value()) : nullptr;
  return contact && can_contact(*contact);
}

// POST /api/v1/cases/{id}/actions. A case outside the caller's scope is "no
// such case" (404: its existence is not revealed); one they see but do not work
// is 403. The workflow judges again on the row read in the change's
// transaction. A value that does not fit the case ("assignee: ...") is a 400
// naming the field.
void case_action(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  // The case first: what an action needs depends on its type (an alert's resolution).
  const auto found = case_in_sight(ctx, req, res, *who->user);
  if (!found) return;
  auto action = parse_case_action(*body, found->type);
  if (!action) return send_field_errors(res, 400, "invalid_request", action.error());

  ActionContext context;
  context.user = *who->user;
  if (action->kind == CaseAction::Kind::assign) {
    const std::string name = *action->assignee == "me" ? who->user->username : *action->assignee;
    auto assignee = ctx.storage().user_by_name(name);
    if (!assignee) return send_storage_error(res, assignee.error(), "reading a user");
    context.assignee = std::move(assignee.value());
  }
  std::optional<StoredRecord> record;  // resolve: the record behind the case, outliving the change
  if (action->kind == CaseAction::Kind::resolve) {
    auto stored = ctx.storage().record_by_id(found->record_id);
    if (!stored) return send_storage_error(res, stored.error(), "reading a case's record");
    record = std::move(stored.value());
    context.customer_contactable = record && record_contactable(*record);
    // A complaint ends with its final response, made from the case as resolved
    // and stored in the same transaction.
    if (record && record->type == RecordType::complaint && found->type == CaseType::complaint) {
      ResolutionText text{*action->outcome, action->remedies, action->language};
      context.final_letter = [&ctx, &record, text, author = who->user->username](
                                 const CaseRow& resolved) -> Result<std::optional<FinalLetter>> {
        auto letter = make_final_letter(ctx.workflow, ctx.letters, *record, resolved, text, author, ctx.now());
        if (!letter) return letter.error();
        return std::optional<FinalLetter>(std::move(letter.value()));
      };
    }
  }
  auto updated = ctx.storage().update_case(found->id, ctx.workflow.apply(*action, context, ctx.now()));
  if (!updated) {
    const Error& e = updated.error();
    if (e.code == Errc::not_found) return send_error(res, 404, "not_found", "no such case");
    if (e.code == Errc::forbidden) return send_error(res, 403, "forbidden", e.message);
    if (e.code == Errc::conflict) return send_error(res, 409, "conflict", e.message);
    if (e.code == Errc::invalid) {
      // "field: why" names the field the workflow refused.
      const auto colon = e.message.find(": ");
      const std::string field = e.message.substr(0, colon);
      if (colon != std::string::npos && field.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos)
        return send_field_errors(res, 400, "invalid_request", {{field, "invalid", e.message.substr(colon + 2)}});
      return send_error(res, 400, "invalid_request", e.message);
    }
    return send_storage_error(res, e, "changing a case");
  }
  if (ctx.send_webhooks) ctx.send_webhooks();
  send_case(ctx, res, *who->user, *updated, 200);
}

// ---- Customers --------------------------------------------------------------------------

void customer_history(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::either);
  if (!who) return;
  const auto email = param(req, "email");
  const auto phone = param(req, "phone");
  if (static_cast<bool>(email && !email->empty()) == static_cast<bool>(phone && !phone->empty()))
    return send_error(res, 400, "invalid_request", "give exactly one of email and phone");
  CustomerKey key;
  if (email)
    key.email = normalise_email(*email);
  else
    key.phone = normalise_phone(*phone);
  if (!key.email && !key.phone)
    return send_field_errors(res, 400, "invalid_request", {{email ? "email" : "phone", "invalid", "is empty"}});
  auto history = ctx.storage().customer_history(key, 200);
  if (!history) return send_storage_error(res, history.error(), "reading a customer's history");
  if (who->user) keep_in_scope(ctx, *who->user, *history);  // a tablet sees the chain
  // Personal data was looked up: who, when and by what (not the value itself).
  (void)ctx.storage().audit(ctx.now(), who->actor(), "customer_history",
                            dump(json{{"by", email ? "email" : "phone"}, {"found", history->records.size()}}));

  send_json(res, 200, complaints_json(ctx, *history));
}

// A complaint by the reference its customer quotes (typed any way: reference.hpp),
// for the staff tablet's "Add a note" and history search. The same scope and the
// same few fields as the customer history: for a device any store of the chain,
// for a user their scope's; no personal data.
void complaints_by_reference(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::either);
  if (!who) return;
  const auto typed = param(req, "reference");
  const ReadReference read = read_typed_reference(typed.value_or(""));
  switch (read.status) {
    case TypedReference::ok:
      break;
    case TypedReference::empty:
      return send_field_errors(res, 400, "invalid_request", {{"reference", "required", "give the reference"}});
    case TypedReference::not_a_reference:
      return send_field_errors(res, 400, "invalid_request",
                               {{"reference", "invalid", "is not a reference (they look like MCR-K2-22A7X)"}});
    case TypedReference::wrong_check:
      return send_field_errors(
          res, 400, "invalid_request",
          {{"reference", "check_mismatch", "its check character does not match: a character was probably mistyped"}});
  }
  auto found = ctx.storage().complaints_by_reference(read.key, 20);
  if (!found) return send_storage_error(res, found.error(), "finding a complaint by reference");
  if (who->user) keep_in_scope(ctx, *who->user, *found);
  (void)ctx.storage().audit(ctx.now(), who->actor(), "complaint_by_reference",
                            dump(json{{"found", found->records.size()}}));
  send_json(res, 200, complaints_json(ctx, *found));
}

}  // namespace

json complaints_json(ServerContext& ctx, const CustomerHistory& history) {
  json complaints = json::array();
  for (const auto& r : history.records) {
    if (r.type != RecordType::complaint) continue;
    const json body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) continue;
    complaints.push_back(
        {{"id", r.id},
         {"reference", body.value("reference", "")},
         {"store_id", r.store_id},
         {"created_at", format_timestamp(r.created_at)},
         {"category", body.value("category", "")},
         {"severity", body.value("severity", "")},
         {"channel", body.value("channel", "")},
         {"resolved_first_contact", body.value("resolved_first_contact", false)},
         {"customer_accepted", body.contains("customer_accepted") ? body["customer_accepted"] : json()},
         {"offered", body.contains("offered") ? body["offered"] : json::array()},
         // Where staff referred it (a wire name, e.g. "area_manager"); null when resolved.
         {"escalation_target", body.contains("escalation") && body["escalation"].is_object()
                                   ? body["escalation"].value("target", json())
                                   : json()}});
  }
  const Timestamp now = ctx.now();
  json cases = json::array();
  for (const auto& c : history.cases) cases.push_back(ctx.workflow.case_json(c, now));
  return json{{"complaints", complaints}, {"cases", cases}};
}

void install_case_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get("/api/v1/cases", [c](const Request& req, Response& res) { list_cases(*c, req, res); });
  http.Get("/api/v1/cases/find", [c](const Request& req, Response& res) { find_cases(*c, req, res); });
  http.Post(R"(/api/v1/cases/(\d{1,18})/actions)",
            [c](const Request& req, Response& res, const ContentReader& r) { case_action(*c, req, res, r); });
  http.Get("/api/v1/customers/history", [c](const Request& req, Response& res) { customer_history(*c, req, res); });
  http.Get("/api/v1/complaints/by-reference",
           [c](const Request& req, Response& res) { complaints_by_reference(*c, req, res); });
}

}  // namespace heed::server::detail
