// HTTP API v1 on cpp-httplib 0.11.4: routes, authentication, request bodies and
// JSON errors. Every error is {"error": code, "message": text} with a 4xx/5xx
// status. Logs carry method, path (never the query string, which may hold an
// email or phone), status and time: no personal data.
//
// Sections: health, metrics, OpenAPI | enrollment | devices (heartbeat, list,
// revoke) | ingest | sign-in | KPIs | export | installation. Cases and customers
// are in api_cases.cpp; what every route shares in http_support.hpp.
#include <spdlog/spdlog.h>

#include <cmath>
#include <thread>
#include <typeinfo>

#include "case_file.hpp"
#include "heed/record_json.hpp"
#include "heed/reference.hpp"
#include "heed/secrets.hpp"
#include "heed/server/access.hpp"
#include "heed/server/csv.hpp"
#include "heed/server/customer.hpp"
#include "heed/server/tokens.hpp"
#include "heed/server/web_files.hpp"
#include "heed/validation.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

// ---- Health, metrics, OpenAPI --------------------------------------------------------
void health(const Request&, Response& res) { send_json(res, 200, json{{"status", "ok"}}); }

void metrics(ServerContext& ctx, const Request&, Response& res) {
  auto stats = ctx.storage().stats(ctx.now());
  if (!stats) return send_storage_error(res, stats.error(), "reading statistics");
  res.status = 200;
  res.set_content(ctx.metrics.render(*stats), "text/plain; version=0.0.4; charset=utf-8");
}

void openapi(ServerContext& ctx, const Request&, Response& res) {
  if (ctx.openapi.empty()) return send_error(res, 404, "not_found", "this server has no OpenAPI document");
  res.status = 200;
  res.set_content(ctx.openapi, "application/yaml; charset=utf-8");
}

// ---- Enrollment ------------------------------------------------------------------------
void enroll(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  FieldErrors errors;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be {\"code\", \"name\"}");
  const bool has_code = body->contains("code") && (*body)["code"].is_string();
  if (!has_code) errors.push_back({"code", "required", "the enrollment code is required"});
  std::string name;
  if (body->contains("name") && (*body)["name"].is_string()) name = (*body)["name"].get<std::string>();
  const auto name_length = utf8_length(name);
  if (!name_length || *name_length == 0 || *name_length > 64)
    errors.push_back({"name", "invalid", "the device's name is 1 to 64 characters"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);

  const std::string code = normalise_enrollment_code((*body)["code"].get<std::string>());
  const std::string token = new_device_token();
  auto device = ctx.storage().enroll_device(ctx.data.hasher.hash(code), new_device_id(), name,
                                            ctx.data.hasher.hash(token), ctx.now());
  if (!device) {
    if (device.error().code == Errc::not_found)
      return send_error(res, 403, "enrollment_refused", "the enrollment code is unknown, already used or expired");
    return send_storage_error(res, device.error(), "enrolling a device");
  }
  spdlog::info("enrolled device {} for store {}", device->device_id, device->store_id);
  send_json(res, 201, json{{"device_id", device->device_id}, {"store_id", device->store_id}, {"token", token}});
}

// ---- Devices: heartbeat, list, revoke ---------------------------------------------------
// A count in a heartbeat: a whole number 0..10^9, or (when nullable) null.
bool heartbeat_count(const json& body, const char* name, bool required, bool nullable, std::optional<std::int64_t>& out,
                     FieldErrors& errors) {
  if (!body.contains(name)) {
    if (required) errors.push_back({name, "required", "is required"});
    return !required;
  }
  const json& v = body[name];
  if (v.is_null() && nullable) return true;
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 1'000'000'000) {
    errors.push_back(
        {name, "invalid", nullable ? "must be a whole number 0 or more, or null" : "must be a whole number 0 or more"});
    return false;
  }
  out = v.get<std::int64_t>();
  return true;
}

// Reads a heartbeat body (openapi.yaml, Heartbeat); unknown fields are refused
// like a record's, so a renamed field is noticed at once.
Result<Heartbeat, FieldErrors> parse_heartbeat(const json& body, Timestamp now) {
  FieldErrors errors;
  if (!body.is_object()) return FieldErrors{{"", "invalid", "the body must be a JSON object"}};
  static const std::array<std::string_view, 6> known{"queue_length", "oldest_pending_age_s", "app_version",
                                                     "quarantined",  "last_sync_at",         "last_error"};
  for (const auto& [key, value] : body.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.push_back({key, "unknown_field", "is not a heartbeat field"});
  Heartbeat beat;
  beat.received_at = now;
  std::optional<std::int64_t> queue;
  if (heartbeat_count(body, "queue_length", true, false, queue, errors) && queue) beat.queue_length = *queue;
  heartbeat_count(body, "oldest_pending_age_s", true, true, beat.oldest_pending_age_s, errors);
  heartbeat_count(body, "quarantined", false, true, beat.quarantined, errors);
  if (!body.contains("app_version") || !body["app_version"].is_string()) {
    errors.push_back({"app_version", "required", "is required: the app's version, as text"});
  } else {
    beat.app_version = body["app_version"].get<std::string>();
    const auto length = utf8_length(beat.app_version);
    if (!length || *length == 0 || *length > 64) errors.push_back({"app_version", "invalid", "is 1 to 64 characters"});
  }
  if (body.contains("last_sync_at") && !body["last_sync_at"].is_null()) {
    const json& v = body["last_sync_at"];
    if (auto t = v.is_string() ? parse_timestamp(v.get<std::string>()) : std::nullopt)
      beat.last_sync_at = *t;
    else
      errors.push_back({"last_sync_at", "invalid", "must be an RFC 3339 UTC time like 2026-11-22T14:05:09Z, or null"});
  }
  if (body.contains("last_error") && !body["last_error"].is_null()) {
    const json& v = body["last_error"];
    const auto length = v.is_string() ? utf8_length(v.get<std::string>()) : std::nullopt;
    if (!length || *length > 500)
      errors.push_back({"last_error", "invalid", "must be text of at most 500 characters, or null"});
    else
      beat.last_error = v.get<std::string>();
  }
  if (!errors.empty()) return errors;
  return beat;
}

void heartbeat(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::device);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  auto beat = parse_heartbeat(*body, ctx.now());
  if (!beat) return send_field_errors(res, 400, "invalid_request", beat.error());
  if (auto r = ctx.storage().record_heartbeat(who->device->device_id, *beat); !r)
    return send_storage_error(res, r.error(), "keeping a heartbeat");
  ctx.metrics.heartbeats++;
  res.status = 204;
}

// never sent one) for longer than the threshold.
json device_json(const DeviceStatus& status, Timestamp now, std::chrono::seconds silent_after) {
  const Device& d = status.device;
  const Timestamp heard = status.heartbeat ? status.heartbeat->received_at : d.enrolled_at;
  json j{{"device_id", d.device_id},
         {"store_id", d.store_id},
         {"name", d.name},
         {"enrolled_at", format_timestamp(d.enrolled_at)},
         {"last_seen_at", optional_time(d.last_seen_at)},
         {"revoked", d.revoked},
         {"revoked_at", optional_time(d.revoked_at)},
         {"silent", !d.revoked && now - heard > silent_after},
         {"heartbeat", nullptr}};
  if (const auto& h = status.heartbeat)
    j["heartbeat"] = json{{"received_at", format_timestamp(h->received_at)},
                          {"queue_length", h->queue_length},
                          {"oldest_pending_age_s", optional_value(h->oldest_pending_age_s)},
                          {"app_version", h->app_version},
                          {"quarantined", optional_value(h->quarantined)},
                          {"last_sync_at", optional_time(h->last_sync_at)},
                          {"last_error", optional_value(h->last_error)}};
  return j;
}

void list_devices(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  std::optional<std::string> store;
  std::optional<std::vector<std::string>> in_scope;
  if (!store_param(req, res, store) || !scoped_stores(ctx, *who->user, store, res, in_scope)) return;
  auto devices = ctx.storage().list_devices(store);
  if (!devices) return send_storage_error(res, devices.error(), "listing devices");
  const Timestamp now = ctx.now();
  const auto silent_after = std::chrono::duration_cast<std::chrono::seconds>(ctx.options.device_silent_after);
  json list = json::array();
  std::int64_t silent = 0;
  for (const auto& d : *devices) {
    if (!sees_store(*who->user, d.device.store_id, ctx.workflow)) continue;  // a chain has few devices: filtered here
    list.push_back(device_json(d, now, silent_after));
    if (list.back()["silent"].get<bool>()) ++silent;
  }
  send_json(res, 200,
            json{{"devices", std::move(list)}, {"silent_count", silent}, {"silent_after_s", silent_after.count()}});
}

void revoke_device(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::user);
  refuse_body(req, res, reader);  // the device is in the path; a body is ignored
  if (!who) return;
  if (who->user->role != Role::admin)
    return send_error(res, 403, "forbidden", "revoking a device needs the admin role");
  const std::string device_id = req.matches[1];
  const Timestamp now = ctx.now();
  // Outside the admin's scope a device answers as absent.
  auto devices = ctx.storage().list_devices(std::nullopt);
  if (!devices) return send_storage_error(res, devices.error(), "finding a device");
  const auto found = std::find_if(devices->begin(), devices->end(),
                                  [&](const DeviceStatus& d) { return d.device.device_id == device_id; });
  if (found == devices->end() || !sees_store(*who->user, found->device.store_id, ctx.workflow))
    return send_error(res, 404, "not_found", fmt::format("no device {} in your scope", device_id));
  if (auto r = ctx.storage().revoke_device(device_id, now); !r) {
    if (r.error().code == Errc::not_found) return send_error(res, 404, "not_found", r.error().message);
    if (r.error().code == Errc::conflict) return send_error(res, 409, "already_revoked", r.error().message);
    return send_storage_error(res, r.error(), "revoking a device");
  }
  (void)ctx.storage().audit(now, who->actor(), "device.revoke", json{{"device_id", device_id}}.dump());
  spdlog::info("device {} revoked by {}", device_id, who->actor());
  send_json(res, 200, json{{"device_id", device_id}, {"revoked", true}, {"revoked_at", format_timestamp(now)}});
}

// ---- Ingest -----------------------------------------------------------------------------
std::string join_field_errors(const FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e.field + ": " + e.message;
  return text;
}

void ingest(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::device);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_records_body);
  if (!body) return;
  if (!body->is_object() || !body->contains("records") || !(*body)["records"].is_array())
    return send_error(res, 400, "invalid_request", "the body must be {\"records\": [...]}");
  json& records = (*body)["records"];
  if (records.empty() || records.size() > static_cast<std::size_t>(ctx.options.max_batch))
    return send_error(res, 400, "batch_size", fmt::format("send 1 to {} records at a time", ctx.options.max_batch));

  const Timestamp now = ctx.now();
  const Device& device = *who->device;
  json rejected = json::array();
  std::vector<RecordInput> inputs;
  std::vector<std::size_t> positions;  // inputs[i] came from records[positions[i]]
  inputs.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& element = records[i];
    const json id =
        element.is_object() && element.contains("id") && element["id"].is_string() ? element["id"] : json(nullptr);
    auto record = record_from_json(element);
    if (!record) {
      json fields = json::array();
      for (const auto& e : record.error())
        fields.push_back({{"field", e.field}, {"code", e.code}, {"message", e.message}});
      rejected.push_back(
          {{"id", id}, {"error", "invalid"}, {"message", join_field_errors(record.error())}, {"fields", fields}});
      continue;
    }
    if (header_of(*record).store_id != device.store_id) {
      rejected.push_back({{"id", id},
                          {"error", "wrong_store"},
                          {"message", "store_id: is not the store this device is enrolled for"}});
      continue;
    }
    inputs.push_back(ctx.workflow.prepare(std::move(record.value())));
    positions.push_back(i);
  }

  json accepted = json::array(), duplicates = json::array();
  std::uint64_t conflicts = 0;
  if (!inputs.empty()) {
    IngestPolicy policy = ctx.workflow.ingest_policy(now);
    policy.from_device = device.device_id;
    auto stored = ctx.storage().ingest(inputs, now, policy);
    if (!stored) return send_storage_error(res, stored.error(), "storing records");
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string& id = header_of(inputs[i].record).id;
      switch (stored->outcomes[i]) {
        case IngestOutcome::accepted:
          accepted.push_back(id);
          break;
        case IngestOutcome::duplicate:
          duplicates.push_back(id);
          break;
        case IngestOutcome::conflict:
          ++conflicts;
          rejected.push_back({{"id", id},
                              {"error", "conflict"},
                              {"message", "a record with this id and different content is already stored"}});
          break;
      }
    }
    ctx.metrics.cases_opened += stored->opened.size();
    const bool past_due = std::any_of(stored->opened.begin(), stored->opened.end(), [&](const PlannedCase& p) {
      return (p.opening.ack_due && *p.opening.ack_due < now) || p.opening.resolve_due < now;
    });
    if (past_due && ctx.wake_scheduler) ctx.wake_scheduler();
    if (!stored->opened.empty() && ctx.send_webhooks) ctx.send_webhooks();  // case.opened
  }
  ctx.metrics.ingest_batches++;
  ctx.metrics.records_accepted += accepted.size();
  ctx.metrics.records_duplicate += duplicates.size();
  ctx.metrics.records_conflict += conflicts;
  ctx.metrics.records_rejected += rejected.size() - conflicts;
  send_json(
      res, 200,
      json{
          {"accepted", std::move(accepted)}, {"duplicates", std::move(duplicates)}, {"rejected", std::move(rejected)}});
}

// ---- Sign-in ----------------------------------------------------------------------------
const std::string& dummy_hash() {
  // Checked against when the username is unknown, so that the answer takes as
  // long as for a known one. Made on first use: it costs what a real one does.
  static const std::string hash = hash_secret("heed-no-such-user", HashCost::moderate).value_or("");
  return hash;
}

void login(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  const bool shaped = body->is_object() && body->contains("username") && (*body)["username"].is_string() &&
                      body->contains("password") && (*body)["password"].is_string();
  if (!shaped)
    return send_error(res, 400, "invalid_request", "the body must be {\"username\": text, \"password\": text}");
  // "session": "cookie" (the browser): the token goes into an HttpOnly cookie, never into the body.
  bool cookie = false;
  if (body->contains("session")) {
    const json& v = (*body)["session"];
    cookie = v == "cookie";
    if (!cookie && v != "bearer")
      return send_field_errors(res, 400, "invalid_request", {{"session", "invalid", "must be cookie or bearer"}});
    // A page on another site must not sign the browser in (to an account of its choosing).
    if (cookie && !same_origin(req))
      return send_error(res, 403, "csrf_failed", "sign-in came from a page on another site; refused");
  }
  const std::string username = (*body)["username"].get<std::string>();
  const std::string password = (*body)["password"].get<std::string>();
  std::string key = username;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  std::optional<User> user;
  bool good = false;
  {
    ctx.login_slots.acquire();  // argon2id takes 64-256 MiB: bound how many run at once
    auto found =
        username.size() <= 64 ? ctx.storage().user_by_name(username) : Result<std::optional<User>>(std::nullopt);
    if (found && *found) {
      user = std::move(**found);
      good = verify_secret(password, user->password_hash) && user->active;  // disabled: as a wrong password
    } else {
      (void)verify_secret(password, dummy_hash());
    }
    ctx.login_slots.release();
    if (!found) return send_storage_error(res, found.error(), "signing in");
  }
  if (!good) {
    ctx.metrics.login_failures++;
    const auto delay = ctx.throttle.failure(key);
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    return send_error(res, 401, "invalid_credentials", "the username or password is wrong");
  }
  ctx.throttle.success(key);
  const std::string token = new_session_token();
  const Timestamp now = ctx.now();
  const Timestamp expires = now + std::chrono::duration_cast<std::chrono::seconds>(ctx.options.session_ttl);
  if (auto r = ctx.storage().add_session(ctx.data.hasher.hash(token), user->id, now, expires); !r)
    return send_storage_error(res, r.error(), "starting a session");
  ctx.metrics.logins++;
  if (cookie) {
    Principal who;
    who.user = std::move(*user);
    who.session_token = token;
    who.by_cookie = true;
    who.session_expires_at = expires;
    res.set_header("Set-Cookie", session_cookie_header(ctx, req, token));
    return send_json(res, 200,
                     json{{"user", me_body(ctx, who)},
                          {"csrf_token", csrf_token(ctx, token)},
                          {"expires_at", format_timestamp(expires)},
                          {"idle_timeout_s", ctx.options.idle_timeout.count()}});
  }
  send_json(res, 200,
            json{{"token", token},
                 {"expires_at", format_timestamp(expires)},
                 {"username", user->username},
                 {"role", role_name(user->role)},
                 {"scope", scope_text(user->scope)}});
}

// ---- KPIs ------------------------------------------------------------------------------
constexpr std::int64_t kMaxTrendPoints = 400;  // a year and a month by day

json period_json(DayRange r) {
  const auto date_of = [](std::int64_t day) { return format_date(Date{std::chrono::sys_days{std::chrono::days{day}}}); };
  return json{{"from", date_of(r.from_day)}, {"to", date_of(r.to_day)}};
}

// The filters every KPI answer shares: store_id (in the user's scope, else 403;
// none: the scope's stores), from and to (local dates), touchpoint. With
// `needs_period`, from and to are both required (`why` says what for).
bool kpi_query(ServerContext& ctx, const Request& req, Response& res, const User& user, KpiQuery& query,
               const char* needs_period = nullptr) {
  std::optional<Date> from, to;
  if (!store_param(req, res, query.store_id) || !date_range(req, res, from, to)) return false;
  std::optional<std::vector<std::string>> stores;
  if (!scoped_stores(ctx, user, query.store_id, res, stores)) return false;
  if (!query.store_id) query.stores = std::move(stores);
  if (auto t = param(req, "touchpoint"); t && !t->empty()) {
    if (t->size() > 64) {
      send_field_errors(res, 400, "invalid_request", {{"touchpoint", "invalid", "is at most 64 characters"}});
      return false;
    }
    query.touchpoint = *t;
  }
  if (needs_period && (!from || !to)) {
    send_field_errors(res, 400, "invalid_request", {{from ? "to" : "from", "required", needs_period}});
    return false;
  }
  if (from) query.from_day = Workflow::day_number(*from);
  if (to) query.to_day = Workflow::day_number(*to);
  query.now = ctx.now();
  return true;
}

// The same query over other days (the period before, for compare=previous).
KpiQuery over(KpiQuery query, DayRange days) {
  query.from_day = days.from_day;
  query.to_day = days.to_day;
  return query;
}

// compare=previous (or absent); anything else is a 400.
bool compare_param(const Request& req, Response& res, bool& compare) {
  compare = false;
  if (auto c = param(req, "compare"); c && !c->empty()) {
    if (*c != "previous") {
      send_field_errors(res, 400, "invalid_request", {{"compare", "invalid", "must be previous"}});
      return false;
    }
    compare = true;
  }
  return true;
}

void kpis(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  bool compare = false;
  if (!compare_param(req, res, compare)) return;
  KpiQuery query;
  // compare=previous: the same figures for the period before (previous_period), so
  // that a tile can show its change.
  if (!kpi_query(ctx, req, res, *who->user, query, compare ? "compare=previous needs both from and to" : nullptr))
    return;
  const int min_sample = ctx.workflow.rules().kpi_min_sample;
  auto counts = ctx.storage().kpis(query);
  if (!counts) return send_storage_error(res, counts.error(), "computing KPIs");
  json body = kpi_json(*counts, min_sample);
  body["min_sample"] = min_sample;
  if (compare) {
    const DayRange period{*query.from_day, *query.to_day};
    const DayRange before = previous_period(period);
    auto previous = ctx.storage().kpis(over(query, before));
    if (!previous) return send_storage_error(res, previous.error(), "computing KPIs");
    body["period"] = period_json(period);
    body["previous"] = kpi_json(*previous, min_sample);
    body["previous"]["period"] = period_json(before);
  }
  send_json(res, 200, body);
}

// A trend's points: every day, week or month of the period in order, empty ones
// included (their figures null), each cut to the period at either end.
json trend_points(const std::vector<KpiGroupCounts>& groups, KpiGroup grain, DayRange period, int min_sample) {
  json points = json::array();
  auto group = groups.begin();
  for (std::int64_t start = kpi_group_first_day(grain, period.from_day); start <= period.to_day;) {
    std::int64_t next = start + 1;
    if (grain == KpiGroup::week) next = start + 7;
    if (grain == KpiGroup::month) next = kpi_group_first_day(KpiGroup::month, start + 31);
    while (group != groups.end() && group->first_day < start) ++group;
    const KpiCounts counts = group != groups.end() && group->first_day == start ? group->counts : KpiCounts{};
    json point = kpi_json(counts, min_sample);
    point["period"] = period_json({std::max(start, period.from_day), std::min(next - 1, period.to_day)});
    points.push_back(std::move(point));
    start = next;
  }
  return points;
}

// GET /api/v1/kpis/trend: each KPI by day, week or month over from..to, and with
// compare=previous the period before, grouped alike (drawn faintly behind it).
void kpi_trend(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  KpiGroup grain = KpiGroup::week;
  const std::string grain_name = param(req, "grain").value_or("week");
  if (grain_name == "day")
    grain = KpiGroup::day;
  else if (grain_name == "month")
    grain = KpiGroup::month;
  else if (grain_name != "week" && !grain_name.empty())
    return send_field_errors(res, 400, "invalid_request", {{"grain", "invalid", "must be day, week or month"}});
  bool compare = false;
  if (!compare_param(req, res, compare)) return;
  KpiQuery query;
  if (!kpi_query(ctx, req, res, *who->user, query, "a trend needs both from and to")) return;
  const DayRange period{*query.from_day, *query.to_day};
  // A chart of more points than a screen has pixels for says nothing more.
  const std::int64_t per_point = grain == KpiGroup::day ? 1 : grain == KpiGroup::week ? 7 : 28;
  if (period.days() / per_point > kMaxTrendPoints)
    return send_field_errors(
        res, 400, "invalid_request",
        {{"grain", "invalid", fmt::format("gives more than {} points over this period; choose a longer one", kMaxTrendPoints)}});
  const int min_sample = ctx.workflow.rules().kpi_min_sample;
  auto groups = ctx.storage().kpi_breakdown(query, grain);
  if (!groups) return send_storage_error(res, groups.error(), "computing KPIs");
  json body{{"grain", grain_name.empty() ? "week" : grain_name},
            {"min_sample", min_sample},
            {"period", period_json(period)},
            {"points", trend_points(*groups, grain, period, min_sample)}};
  if (compare) {
    const DayRange before = previous_period(period);
    auto previous = ctx.storage().kpi_breakdown(over(query, before), grain);
    if (!previous) return send_storage_error(res, previous.error(), "computing KPIs");
    body["previous"] = {{"period", period_json(before)}, {"points", trend_points(*previous, grain, before, min_sample)}};
  }
  send_json(res, 200, body);
}

// GET /api/v1/kpis/pareto: complaints raised in the period by category, or by the
// root cause their cases were resolved with ("" for cases not resolved yet),
// most first, each with the running share of all of them.
void kpi_pareto(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const std::string by_name = param(req, "by").value_or("category");
  if (by_name != "category" && by_name != "root_cause" && !by_name.empty())
    return send_field_errors(res, 400, "invalid_request", {{"by", "invalid", "must be category or root_cause"}});
  const ParetoBy by = by_name == "root_cause" ? ParetoBy::root_cause : ParetoBy::category;
  KpiQuery query;
  if (!kpi_query(ctx, req, res, *who->user, query)) return;
  auto counts = ctx.storage().complaint_pareto(query, by);
  if (!counts) return send_storage_error(res, counts.error(), "counting complaints");
  std::int64_t total = 0;
  for (const auto& [key, n] : *counts) total += n;
  json bars = json::array();
  std::int64_t running = 0;
  for (const auto& [key, n] : *counts) {
    running += n;
    bars.push_back({{"key", key},
                    {"count", n},
                    {"cumulative_pct", std::round(1000.0 * static_cast<double>(running) / static_cast<double>(total)) / 10}});
  }
  json body{{"by", by == ParetoBy::root_cause ? "root_cause" : "category"}, {"total", total}, {"bars", std::move(bars)}};
  if (query.from_day && query.to_day) body["period"] = period_json({*query.from_day, *query.to_day});
  send_json(res, 200, body);
}

// GET /api/v1/kpis/stores: the league. Every store of the user's scope with
// figures in the period, and the chain's own figures to hold each against (a
// chain-wide aggregate, no store's or person's data).
void kpi_stores(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  KpiQuery query;
  if (!kpi_query(ctx, req, res, *who->user, query)) return;
  const int min_sample = ctx.workflow.rules().kpi_min_sample;
  auto stores = ctx.storage().kpi_breakdown(query, KpiGroup::store);
  if (!stores) return send_storage_error(res, stores.error(), "computing KPIs");
  KpiQuery chain = query;
  chain.store_id.reset();
  chain.stores.reset();
  auto whole = ctx.storage().kpis(chain);
  if (!whole) return send_storage_error(res, whole.error(), "computing KPIs");
  json rows = json::array();
  for (const auto& s : *stores) {
    json row = kpi_json(s.counts, min_sample);
    row["store_id"] = s.store_id;
    const Area* area = ctx.workflow.rules().area_of_store(s.store_id);
    row["area"] = area ? json(area->name) : json(nullptr);
    rows.push_back(std::move(row));
  }
  json body{{"min_sample", min_sample}, {"chain", kpi_json(*whole, min_sample)}, {"stores", std::move(rows)}};
  if (query.from_day && query.to_day) body["period"] = period_json({*query.from_day, *query.to_day});
  send_json(res, 200, body);
}

// ---- Export -----------------------------------------------------------------------------
// The CSV's columns. Contact details (name, email, phone) are left out: a
// spreadsheet travels further than the server, and the export is for analysis.
const std::vector<std::string> kCsvColumns{"id",
                                           "type",
                                           "store_id",
                                           "device_id",
                                           "created_at",
                                           "arrived_at",
                                           "language",
                                           "touchpoint",
                                           "csat",
                                           "nps",
                                           "comment",
                                           "suspected_misuse",
                                           "has_contact",
                                           "reference",
                                           "staff_id",
                                           "channel",
                                           "category",
                                           "severity",
                                           "description",
                                           "customer_mood",
                                           "desired_outcome",
                                           "offered",
                                           "goodwill_pence",
                                           "approved_by",
                                           "purchase_kind",
                                           "purchase_date",
                                           "purchase_amount_pence",
                                           "order_ref",
                                           "resolved_first_contact",
                                           "customer_accepted",
                                           "escalation_target",
                                           "escalation_rationale",
                                           "complaint_id",
                                           "note"};

std::string csv_row(const StoredRecord& r) {
  const json body = json::parse(r.body, nullptr, false);
  std::string line;
  bool first = true;
  auto field = [&](const json& v, bool text) {
    if (!first) line += ',';
    first = false;
    if (v.is_null()) return;
    if (v.is_string()) return append_csv_field(line, v.get_ref<const std::string&>(), text);
    if (v.is_boolean()) {
      line.append(v.get<bool>() ? "true" : "false");
      return;
    }
    if (v.is_array()) {
      std::string joined;
      for (const auto& item : v)
        joined += (joined.empty() ? "" : ";") + (item.is_string() ? item.get<std::string>() : dump(item));
      return append_csv_field(line, joined, text);
    }
    append_csv_field(line, dump(v), false);
  };
  auto at = [&](const char* key) -> json { return body.is_object() && body.contains(key) ? body[key] : json(); };
  auto sub = [&](const char* object, const char* key) -> json {
    const json o = at(object);
    return o.is_object() && o.contains(key) ? o[key] : json();
  };
  const bool has_contact = !at("contact").is_null() || !at("customer").is_null();
  field(r.id, false);
  field(std::string(enum_name(r.type)), false);
  field(r.store_id, false);
  field(at("device_id"), true);
  field(format_timestamp(r.created_at), false);
  field(format_timestamp(r.arrived_at), false);
  for (const char* key : {"language", "touchpoint"}) field(at(key), true);
  for (const char* key : {"csat", "nps"}) field(at(key), false);
  field(at("comment"), true);
  field(at("suspected_misuse"), false);
  field(r.type == RecordType::complaint_update ? json() : json(has_contact), false);
  for (const char* key : {"reference", "staff_id", "channel", "category", "severity", "description", "customer_mood",
                          "desired_outcome", "offered"})
    field(at(key), true);
  field(at("goodwill_pence"), false);
  field(at("approved_by"), true);
  field(sub("purchase", "kind"), true);
  field(sub("purchase", "date"), false);
  field(sub("purchase", "amount_pence"), false);
  field(sub("purchase", "order_ref"), true);
  field(at("resolved_first_contact"), false);
  field(at("customer_accepted"), false);
  field(sub("escalation", "target"), true);
  field(sub("escalation", "rationale"), true);
  field(at("complaint_id"), true);
  field(at("note"), true);
  line += "\r\n";
  return line;
}

void export_records(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  if (who->user->role == Role::agent)
    return send_error(res, 403, "forbidden", "exporting records needs the manager or admin role");
  std::optional<Date> from, to;
  if (!date_range(req, res, from, to)) return;
  RecordRange range;
  range.stores = ctx.workflow.stores_in(who->user->scope);
  if (from) range.from = ctx.workflow.start_of_day(*from);
  if (to) range.to = ctx.workflow.start_of_day(Date{std::chrono::sys_days{*to} + std::chrono::days(1)});
  (void)ctx.storage().audit(ctx.now(), who->actor(), "export_records",
                            dump(json{{"from", from ? json(format_date(*from)) : json()},
                                      {"to", to ? json(format_date(*to)) : json()},
                                      {"scope", scope_text(who->user->scope)}}));

  struct Progress {
    std::optional<RecordCursor> cursor;
    bool header_sent = false;
  };
  auto progress = std::make_shared<Progress>();
  Storage* storage = &ctx.storage();
  res.set_header("Content-Disposition", "attachment; filename=\"heed-records.csv\"");
  res.set_chunked_content_provider("text/csv; charset=utf-8",
                                   [storage, range, progress](std::size_t, httplib::DataSink& sink) {
                                     std::string chunk;
                                     if (!progress->header_sent) {
                                       chunk = std::string(kUtf8Bom) + csv_line(kCsvColumns);
                                       progress->header_sent = true;
                                     }
                                     constexpr int kPage = 500;
                                     auto page = storage->records_page(range, progress->cursor, kPage);
                                     if (!page) {
                                       spdlog::error("export stopped: {}", page.error().message);
                                       return false;  // aborts the response: a truncated file must not look complete
                                     }
                                     for (const auto& r : *page) chunk += csv_row(r);
                                     if (!page->empty())
                                       progress->cursor = RecordCursor{page->back().created_at, page->back().seq};
                                     if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
                                     if (static_cast<int>(page->size()) < kPage) sink.done();
                                     return true;
                                   });
}

// ---- Installation ---------------------------------------------------------------------------
thread_local std::chrono::steady_clock::time_point t_request_start;

json error_for_status(int status) {
  switch (status) {
    case 400:
      return {{"error", "bad_request"}, {"message", "the request could not be read"}};
    case 404:
      return {{"error", "not_found"}, {"message", "no such resource"}};
    case 413:
      return {{"error", "too_large"}, {"message", "the body is too large"}};
    case 414:
      return {{"error", "uri_too_long"}, {"message", "the request's address is too long"}};
    case 416:
      return {{"error", "range_not_satisfiable"}, {"message", "the range cannot be served"}};
    default:
      return {{"error", status >= 500 ? "internal" : "bad_request"}, {"message", "the request failed"}};
  }
}

}  // namespace

namespace {
// Debian's cpp-httplib compresses text answers itself and prefers brotli at its
// top quality: ~100 ms for a 50-row queue page, against ~0.5 ms for gzip, which
// the browser waits on. The server answers in gzip or plain only, so the header
// is narrowed before any route runs. The request is the library's own non-const
// object, handed to the pre-routing handler as const.
void offer_only_gzip(Request& req) {
  if (!req.has_header("Accept-Encoding")) return;
  const bool gzip = accepts_gzip(req.get_header_value("Accept-Encoding"));
  req.headers.erase("Accept-Encoding");
  if (gzip) req.headers.emplace("Accept-Encoding", "gzip");
}
}  // namespace

void install_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get("/healthz", health);
  http.Get("/metrics", [c](const Request& req, Response& res) { metrics(*c, req, res); });
  http.Get("/api/v1/openapi.yaml", [c](const Request& req, Response& res) { openapi(*c, req, res); });
  http.Post("/api/v1/devices/enroll",
            [c](const Request& req, Response& res, const ContentReader& r) { enroll(*c, req, res, r); });
  http.Post("/api/v1/devices/heartbeat",
            [c](const Request& req, Response& res, const ContentReader& r) { heartbeat(*c, req, res, r); });
  http.Get("/api/v1/devices", [c](const Request& req, Response& res) { list_devices(*c, req, res); });
  http.Post(R"(/api/v1/devices/(dev-[0-9a-f]{1,64})/revoke)",
            [c](const Request& req, Response& res, const ContentReader& r) { revoke_device(*c, req, res, r); });
  http.Post("/api/v1/records",
            [c](const Request& req, Response& res, const ContentReader& r) { ingest(*c, req, res, r); });
  http.Post("/api/v1/auth/login",
            [c](const Request& req, Response& res, const ContentReader& r) { login(*c, req, res, r); });
  http.Get("/api/v1/kpis", [c](const Request& req, Response& res) { kpis(*c, req, res); });
  http.Get("/api/v1/kpis/trend", [c](const Request& req, Response& res) { kpi_trend(*c, req, res); });
  http.Get("/api/v1/kpis/stores", [c](const Request& req, Response& res) { kpi_stores(*c, req, res); });
  http.Get("/api/v1/kpis/pareto", [c](const Request& req, Response& res) { kpi_pareto(*c, req, res); });
  install_case_routes(http, ctx);
  install_case_file_routes(http, ctx);
  install_user_routes(http, ctx);
  install_session_routes(http, ctx);
  install_letter_routes(http, ctx);
  install_report_routes(http, ctx);
  install_dashboard_routes(http, ctx);  // api_dashboard.cpp: staff, comments, cases.csv
  http.Get("/api/v1/export/records.csv", [c](const Request& req, Response& res) { export_records(*c, req, res); });
  // Last: its pattern takes any GET path no route above took (api_web.cpp).
  install_web_routes(http, ctx);

  http.set_pre_routing_handler([](const Request& req, Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    // Debian's shared cpp-httplib inflates gzip and brotli bodies before any
    // route's limit applies (the limit counts the compressed bytes): a small
    // compressed body could fill memory. No Heed client compresses, so none is read.
    if (const std::string encoding = req.get_header_value("Content-Encoding");
        !encoding.empty() && encoding != "identity") {
      res.set_header("Connection", "close");
      send_error(res, 415, "unsupported_encoding", "send the body uncompressed (no Content-Encoding)");
      return httplib::Server::HandlerResponse::Handled;
    }
    offer_only_gzip(const_cast<Request&>(req));
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Every error leaves as JSON: fills in the ones the library produced itself.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
    if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(dump(error_for_status(res.status)), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  // 0.11.4 would otherwise copy e.what() into a response header.
  http.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
    std::string kind = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      kind = typeid(e).name();
    } catch (...) {
    }
    spdlog::error("unhandled exception ({}) in {} {}", kind, req.method, req.path);
    res.headers.clear();
    send_error(res, 500, "internal", "the server could not complete the request");
  });
  http.set_logger([c](const Request& req, const Response& res) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t_request_start)
            .count();
    if (res.status >= 0 && res.status < 600) c->metrics.responses[static_cast<std::size_t>(res.status)]++;
    c->metrics.request_micros += static_cast<std::uint64_t>(std::max<std::int64_t>(0, micros));
    // The path only: a query string may hold an email or a phone number.
    if (res.status >= 500)
      spdlog::warn("{} {} {} {} us", req.method, req.path, res.status, micros);
    else
      spdlog::debug("{} {} {} {} us", req.method, req.path, res.status, micros);
  });
}

}  // namespace heed::server::detail