// A case as head office works it (see case_file.hpp): GET /api/v1/cases/{id}
// and GET /api/v1/cases/{id}/contact.
#include "case_file.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "heed/record_json.hpp"
#include "heed/server/access.hpp"
#include "heed/server/customer.hpp"

namespace heed::server::detail {

namespace {

constexpr int kHistoryLimit = 200;  // a customer's records looked at for their other complaints

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
  record["arrived_at"] = format_timestamp(stored.arrived_at);
  return record;
}

// The store's notes on a complaint, oldest first: who, when, what.
json updates_json(const std::vector<StoredRecord>& updates) {
  json list = json::array();
  for (const auto& u : updates) {
    const json body = json::parse(u.body, nullptr, false);
    if (!body.is_object()) continue;
    list.push_back({{"id", u.id},
                    {"created_at", format_timestamp(u.created_at)},
                    {"arrived_at", format_timestamp(u.arrived_at)},
                    {"store_id", u.store_id},
                    {"staff_id", body.value("staff_id", "")},
                    {"note", body.value("note", "")}});
  }
  return list;
}

// The customer's other records and cases that the viewer may see.
CustomerHistory others_in_scope(ServerContext& ctx, const User& viewer, const CaseRow& c, CustomerHistory history) {
  keep_in_scope(ctx, viewer, history);
  std::erase_if(history.records, [&](const StoredRecord& r) { return r.id == c.record_id; });
  std::erase_if(history.cases,
                [&](const CaseRow& other) { return other.id == c.id || other.record_id == c.record_id; });
  return history;
}

json letters_json(const std::vector<FinalLetter>& letters) {
  json list = json::array();
  for (const auto& l : letters)
    list.push_back(
        {{"id", l.id}, {"created_at", format_timestamp(l.created_at)}, {"author", l.author}, {"language", l.language}});
  return list;
}

void get_case(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  auto c = case_in_sight(ctx, req, res, *who->user);
  if (!c) return;
  send_case(ctx, res, *who->user, *c, 200);
}

// The customer's contact details, for those who work cases in scope; each
// showing is written to the audit trail and the case's history first, and the
// answer is not cached.
void get_contact(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const User& viewer = *who->user;
  auto c = case_in_sight(ctx, req, res, viewer);
  if (!c) return;
  if (!sees_contact(viewer, *c, ctx.workflow))
    return send_error(res, 403, "forbidden", "contact details are shown only to agents and managers");
  auto stored = ctx.storage().record_by_id(c->record_id);
  if (!stored) return send_storage_error(res, stored.error(), "reading a case's record");
  auto record = *stored ? record_from_json_text((*stored)->body) : Result<Record, FieldErrors>(FieldErrors{});
  const Contact* contact = record ? contact_of(record.value()) : nullptr;
  if (!contact) return send_error(res, 404, "no_contact", "the customer left no contact details");

  const Timestamp now = ctx.now();
  const std::string detail = dump(json{{"case_id", c->id}, {"record_id", c->record_id}});
  if (auto r = ctx.storage().audit(now, viewer.username, "contact.view", detail); !r)
    return send_storage_error(res, r.error(), "auditing a view of contact details");
  auto logged = ctx.storage().update_case(c->id, [&](CaseRow&) -> Result<CaseChange> {
    CaseChange change;
    change.events.push_back(CaseEvent{0, now, viewer.username, "contact_viewed", "{}"});
    return change;
  });
  if (!logged) return send_storage_error(res, logged.error(), "noting a view of contact details");

  auto text = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  res.set_header("Cache-Control", "no-store");
  send_json(res, 200,
            json{{"case_id", c->id},
                 {"name", text(contact->name)},
                 {"email", text(contact->email)},
                 {"phone", text(contact->phone)},
                 {"address", text(contact->address)},
                 {"consent", contact->consent},
                 {"notice_version", contact->notice_version},
                 {"viewed_at", format_timestamp(now)}});
}

}  // namespace

std::optional<CaseRow> case_in_sight(ServerContext& ctx, const Request& req, Response& res, const User& viewer) {
  const auto id = path_id(req);
  auto found = id ? ctx.storage().find_case(*id) : Result<std::optional<CaseRow>>(std::nullopt);
  if (!found) {
    send_storage_error(res, found.error(), "reading a case");
    return std::nullopt;
  }
  if (!*found || !sees_case(viewer, **found, ctx.workflow)) {
    send_error(res, 404, "not_found", "no such case");
    return std::nullopt;
  }
  return std::move(**found);
}

void keep_in_scope(ServerContext& ctx, const User& viewer, CustomerHistory& history) {
  std::erase_if(history.records, [&](const StoredRecord& r) { return !sees_store(viewer, r.store_id, ctx.workflow); });
  std::erase_if(history.cases, [&](const CaseRow& c) { return !sees_case(viewer, c, ctx.workflow); });
}

Result<json> case_file_json(ServerContext& ctx, const User& viewer, const CaseRow& c) {
  Storage& storage = ctx.storage();
  const Timestamp now = ctx.now();
  auto history = storage.case_history(c.id);
  if (!history) return history.error();
  auto stored = storage.record_by_id(c.record_id);
  if (!stored) return stored.error();
  auto updates = storage.updates_for(c.record_id);
  if (!updates) return updates.error();
  auto following = storage.cases_following(c.id);
  if (!following) return following.error();
  auto letters = storage.final_letters(c.id);
  if (!letters) return letters.error();

  json body = ctx.workflow.case_json(c, now, viewer);
  body["record"] = *stored ? case_record_json(**stored) : json(nullptr);
  body["updates"] = updates_json(*updates);
  // An alert: what fired it, and every answer it counted (contact details left out, as the record's are).
  body["alert"] = nullptr;
  if (c.type == CaseType::alert) {
    auto alert = storage.alert_of_case(c.id);
    if (!alert) return alert.error();
    if (*alert) {
      const StoredAlert& a = **alert;
      json answers = json::array();
      for (const auto& answer : a.records) {
        json r = case_record_json(answer.record);
        if (r.is_null()) continue;
        r["negative"] = answer.negative;
        answers.push_back(std::move(r));
      }
      body["title"] = a.title;
      body["alert"] = {{"title", a.title},
                       {"store_name", ctx.workflow.rules().store_name(a.store_id)},
                       {"window_start", format_timestamp(a.window_start)},
                       {"window_end", format_timestamp(a.window_end)},
                       {"answers", a.answers},
                       {"negative", a.negative},
                       {"records", std::move(answers)}};
    }
  }
  json events = json::array();
  for (const auto& e : *history) events.push_back(case_event_json(e));
  body["history"] = std::move(events);

  body["follows"] = nullptr;
  if (c.follows_case_id) {
    auto followed = storage.find_case(*c.follows_case_id);
    if (!followed) return followed.error();
    if (*followed && sees_case(viewer, **followed, ctx.workflow))
      body["follows"] = ctx.workflow.case_json(**followed, now);
  }
  json follow_ups = json::array();
  for (const auto& f : *following)
    if (sees_case(viewer, f, ctx.workflow)) follow_ups.push_back(ctx.workflow.case_json(f, now));
  body["followed_by"] = std::move(follow_ups);
  body["final_responses"] = letters_json(*letters);

  // Whom this viewer may assign the case to, so the workspace offers a list rather
  // than a username to guess: a manager, anyone active who could work it (as the
  // assign action checks); an agent, only themselves; nobody once it is closed.
  json assignees = json::array();
  if (!c.resolved_at && works_case(viewer, c, ctx.workflow)) {
    if (viewer.role == Role::manager) {
      auto users = storage.list_users();
      if (!users) return users.error();
      for (const auto& u : *users)
        if (works_case(u, c, ctx.workflow)) assignees.push_back(u.username);
    } else {
      assignees.push_back(viewer.username);
    }
  }
  body["assignees"] = std::move(assignees);

  // The customer: whether there are contact details (and whether this viewer may
  // see them), and their other complaints and cases, as the tablet sees them.
  json customer{{"contact_on_file", false},
                {"can_view_contact", sees_contact(viewer, c, ctx.workflow)},
                {"complaints", json::array()},
                {"cases", json::array()}};
  if (*stored) {
    auto record = record_from_json_text((*stored)->body);
    const CustomerKey key = record ? customer_key_of(record.value()) : CustomerKey{};
    customer["contact_on_file"] = body["record"].is_object() && body["record"].value("contact_on_file", false);
    if (key.email || key.phone) {
      auto others = storage.customer_history(key, kHistoryLimit);
      if (!others) return others.error();
      const json listed = complaints_json(ctx, others_in_scope(ctx, viewer, c, std::move(others.value())));
      customer["complaints"] = listed["complaints"];
      customer["cases"] = listed["cases"];
    }
  }
  body["customer"] = std::move(customer);
  return body;
}

void send_case(ServerContext& ctx, Response& res, const User& viewer, const CaseRow& c, int status) {
  auto body = case_file_json(ctx, viewer, c);
  if (!body) return send_storage_error(res, body.error(), "reading a case");
  send_json(res, status, *body);
}

void install_case_file_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get(R"(/api/v1/cases/(\d{1,18}))", [c](const Request& req, Response& res) { get_case(*c, req, res); });
  http.Get(R"(/api/v1/cases/(\d{1,18})/contact)",
           [c](const Request& req, Response& res) { get_contact(*c, req, res); });
}

}  // namespace heed::server::detail
