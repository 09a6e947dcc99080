// HTTP API v1, cases and customers: head office's queue, a case with its
// history and records, the actions on it, and a customer's history and
// complaints found by reference (for the staff tablet too).
//
// Sections: cases | customers
#include <spdlog/spdlog.h>

#include <charconv>

#include "case_file.hpp"
#include "heed/reference.hpp"
#include "heed/server/access.hpp"
#include "heed/server/customer.hpp"

namespace heed::server::detail {

namespace {

// ---- Cases ------------------------------------------------------------------------------
void list_cases(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
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
  std::optional<std::vector<std::string>> in_scope;
  if (!store_param(req, res, query.store_id) || !scoped_stores(ctx, *who->user, query.store_id, res, in_scope)) return;
  if (in_scope && in_scope->size() == 1) query.store_id = in_scope->front();
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
  // An area's other stores are left out here; a page may then be short, and
  // next_after still follows the last case read.
  for (const auto& c : *cases)
    if (sees_case(*who->user, c, ctx.workflow)) list.push_back(ctx.workflow.case_json(c, query.now));
  const bool more = static_cast<int>(cases->size()) == query.limit;
  send_json(res, 200, json{{"cases", list}, {"next_after", more ? json(cases->back().id) : json(nullptr)}});
}

void case_action(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  auto action = parse_case_action(*body);
  if (!action) return send_field_errors(res, 400, "invalid_request", action.error());
  const auto id = path_id(req);
  if (!id) return send_error(res, 404, "not_found", "no such case");
  // Scope and level (access.hpp), checked before the change is attempted.
  auto current = ctx.storage().find_case(*id);
  if (!current) return send_storage_error(res, current.error(), "reading a case");
  if (!*current || !sees_case(*who->user, **current, ctx.workflow))
    return send_error(res, 404, "not_found", "no such case");
  if (!works_case(*who->user, **current, ctx.workflow))
    return send_error(res, 403, "forbidden",
                      who->user->role == Role::admin ? "admins do not work cases"
                                                     : "the case is above your queue's level; it is worked higher up");
  auto updated = ctx.storage().update_case(*id, ctx.workflow.apply(*action, who->user->username, ctx.now()));
  if (!updated) {
    if (updated.error().code == Errc::not_found) return send_error(res, 404, "not_found", "no such case");
    if (updated.error().code == Errc::conflict) return send_error(res, 409, "conflict", updated.error().message);
    if (updated.error().code == Errc::invalid) return send_error(res, 400, "invalid_request", updated.error().message);
    return send_storage_error(res, updated.error(), "changing a case");
  }
  send_case(ctx, res, *who->user, *updated, 200);
}

// ---- Customers --------------------------------------------------------------------------

// A head-office user sees only their scope's records and cases; a device (a
// store's tablet) sees the whole chain's, as a customer may complain anywhere.
void keep_in_scope(ServerContext& ctx, const Principal& who, CustomerHistory& history) {
  if (!who.user) return;
  const User& user = *who.user;
  std::erase_if(history.records, [&](const StoredRecord& r) { return !sees_store(user, r.store_id, ctx.workflow); });
  std::erase_if(history.cases, [&](const CaseRow& c) { return !sees_case(user, c, ctx.workflow); });
}

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
  keep_in_scope(ctx, *who, *history);
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
  keep_in_scope(ctx, *who, *found);
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
  http.Post(R"(/api/v1/cases/(\d{1,18})/actions)",
            [c](const Request& req, Response& res, const ContentReader& r) { case_action(*c, req, res, r); });
  http.Get("/api/v1/customers/history", [c](const Request& req, Response& res) { customer_history(*c, req, res); });
  http.Get("/api/v1/complaints/by-reference",
           [c](const Request& req, Response& res) { complaints_by_reference(*c, req, res); });
}

}  // namespace heed::server::detail
