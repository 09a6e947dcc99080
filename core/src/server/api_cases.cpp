// HTTP API v1, cases and customers: head office's queue, a case with its
// history and records, the actions on it, and a customer's history and
// complaints found by reference (for the staff tablet too).
//
// Sections: cases | customers
#include <spdlog/spdlog.h>

#include <charconv>

#include "heed/record_json.hpp"
#include "heed/reference.hpp"
#include "heed/server/access.hpp"
#include "heed/server/customer.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

// ---- Cases ------------------------------------------------------------------------------
void list_cases(ServerContext& ctx, const Request& req, Response& res) {
  if (!authenticate(ctx, req, res, Accept::user)) return;
  CaseQuery query;
  if (auto s = param(req, "status"); s && !s->empty()) {
    if (*s == "open")
      query.filter = CaseFilter::open;
    else if (*s == "breached")
      query.filter = CaseFilter::breached;
    else if (*s == "closed")
      query.filter = CaseFilter::closed;
    else
      return send_field_errors(res, 400, "invalid_request",
                               {{"status", "invalid", "must be open, breached or closed"}});
  }
  if (!store_param(req, res, query.store_id)) return;
  for (auto [name, out, max] : {std::tuple{"after", &query.after_id, std::int64_t{INT64_MAX}},
                                std::tuple{"limit", static_cast<std::int64_t*>(nullptr), std::int64_t{500}}}) {
    auto text = param(req, name);
    if (!text || text->empty()) continue;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < (out ? 0 : 1) || n > max)
      return send_field_errors(res, 400, "invalid_request",
                               {{name, "invalid", fmt::format("must be a whole number up to {}", max)}});
    if (out)
      *out = n;
    else
      query.limit = static_cast<int>(n);
  }
  query.now = ctx.now();
  auto cases = ctx.storage().list_cases(query);
  if (!cases) return send_storage_error(res, cases.error(), "listing cases");
  json list = json::array();
  for (const auto& c : *cases) list.push_back(ctx.workflow.case_json(c, query.now));
  const bool more = static_cast<int>(cases->size()) == query.limit;
  send_json(res, 200, json{{"cases", list}, {"next_after", more ? json(cases->back().id) : json(nullptr)}});
}

// The record behind a case, as the device sent it, without the person's contact
// details (contact_on_file says whether there are some): the facts needed to
// work it, such as the escalation's rationale, the Consumer Rights Act result and
// the customer's adjustments.
json case_record_json(const StoredRecord& stored) {
  json record = json::parse(stored.body, nullptr, false);
  if (record.is_discarded()) return nullptr;
  for (const char* key : {"contact", "customer"}) {
    if (!record.contains(key)) continue;
    record["contact_on_file"] = !record[key].is_null();
    record.erase(key);
  }
  return record;
}

// The case with its history and record; "actions" says what `viewer` may do to it.
void send_case(ServerContext& ctx, Response& res, const CaseRow& c, int status, const User& viewer) {
  auto history = ctx.storage().case_history(c.id);
  if (!history) return send_storage_error(res, history.error(), "reading a case's history");
  auto stored = ctx.storage().record_by_id(c.record_id);
  if (!stored) return send_storage_error(res, stored.error(), "reading a case's record");
  json body = ctx.workflow.case_json(c, ctx.now(), viewer);
  body["record"] = *stored ? case_record_json(**stored) : json(nullptr);
  json events = json::array();
  for (const auto& e : *history) events.push_back(case_event_json(e));
  body["history"] = std::move(events);
  send_json(res, status, body);
}

void get_case(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const auto id = path_id(req);
  auto found = id ? ctx.storage().find_case(*id) : Result<std::optional<CaseRow>>(std::nullopt);
  if (!found) return send_storage_error(res, found.error(), "reading a case");
  if (!*found) return send_error(res, 404, "not_found", "no such case");
  send_case(ctx, res, **found, 200, *who->user);
}

// Whether head office may contact the person behind a stored record (can_contact).
bool record_contactable(const StoredRecord& stored) {
  auto record = record_from_json_text(stored.body);
  if (!record) return false;
  if (const auto* f = std::get_if<Feedback>(&record.value())) return can_contact(f->contact);
  if (const auto* c = std::get_if<Complaint>(&record.value())) return can_contact(c->customer);
  return false;
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
  auto action = parse_case_action(*body);
  if (!action) return send_field_errors(res, 400, "invalid_request", action.error());
  const auto id = path_id(req);
  if (!id) return send_error(res, 404, "not_found", "no such case");
  auto found = ctx.storage().find_case(*id);
  if (!found) return send_storage_error(res, found.error(), "reading a case");
  if (!*found || !sees_case(*who->user, **found, ctx.workflow))
    return send_error(res, 404, "not_found", "no such case");

  ActionContext context;
  context.user = *who->user;
  if (action->kind == CaseAction::Kind::assign) {
    const std::string name = *action->assignee == "me" ? who->user->username : *action->assignee;
    auto assignee = ctx.storage().user_by_name(name);
    if (!assignee) return send_storage_error(res, assignee.error(), "reading a user");
    context.assignee = std::move(assignee.value());
  }
  if (action->kind == CaseAction::Kind::resolve) {
    auto stored = ctx.storage().record_by_id((*found)->record_id);
    if (!stored) return send_storage_error(res, stored.error(), "reading a case's record");
    context.customer_contactable = *stored && record_contactable(**stored);
  }
  auto updated = ctx.storage().update_case(*id, ctx.workflow.apply(*action, context, ctx.now()));
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
  send_case(ctx, res, *updated, 200, *who->user);
}

// ---- Customers --------------------------------------------------------------------------
json complaints_json(ServerContext& ctx, const CustomerHistory& history);

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
  // Personal data was looked up: who, when and by what (not the value itself).
  (void)ctx.storage().audit(ctx.now(), who->actor(), "customer_history",
                            dump(json{{"by", email ? "email" : "phone"}, {"found", history->records.size()}}));

  send_json(res, 200, complaints_json(ctx, *history));
}

// A complaint by the reference its customer quotes (typed any way: reference.hpp),
// for the staff tablet's "Add a note" and history search. The same scope and the
// same few fields as the customer history: any store of the chain, no personal data.
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
  (void)ctx.storage().audit(ctx.now(), who->actor(), "complaint_by_reference",
                            dump(json{{"found", found->records.size()}}));
  send_json(res, 200, complaints_json(ctx, *found));
}

// {"complaints": [...], "cases": [...]}: the few fields a tablet shows of each.
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

}  // namespace

void install_case_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get("/api/v1/cases", [c](const Request& req, Response& res) { list_cases(*c, req, res); });
  http.Get(R"(/api/v1/cases/(\d{1,18}))", [c](const Request& req, Response& res) { get_case(*c, req, res); });
  http.Post(R"(/api/v1/cases/(\d{1,18})/actions)",
            [c](const Request& req, Response& res, const ContentReader& r) { case_action(*c, req, res, r); });
  http.Get("/api/v1/customers/history", [c](const Request& req, Response& res) { customer_history(*c, req, res); });
  http.Get("/api/v1/complaints/by-reference",
           [c](const Request& req, Response& res) { complaints_by_reference(*c, req, res); });
}

}  // namespace heed::server::detail
