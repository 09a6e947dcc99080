// HTTP API v1, who works where: the signed-in user's own view (GET /me), the
// admin-only user management (list, add, change role/scope/active, reset a
// password, set an email address), enrollment codes for a store's devices, and
// the audit trail. A user sets their own KPI digest (PATCH /me).
//
// Invariants: an admin manages only the users (and stores) inside their own
// scope (access.hpp, manages_user); a user outside it answers 404, as if absent.
// Every change writes an audit row, never with a password in it. A disabled
// user's sessions end in the same transaction (Storage::update_user). The audit
// trail is for chain-wide admins only: its rows do not all name a store, so it
// cannot be cut to an area or a store.
//
// Sections: me | users | enrollment codes | audit
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "heed/qr.hpp"
#include "heed/server/access.hpp"
#include "heed/server/smtp.hpp"
#include "heed/validation.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

json user_json(const User& u) {
  return json{{"username", u.username},         {"role", role_name(u.role)},
              {"scope", scope_text(u.scope)},   {"active", u.active},
              {"email", optional_value(u.email)}, {"digest", digest_frequency_name(u.digest)}};
}

// Reads "email": an address (is_mail_address, at most 254 characters) or, where
// `nullable`, null to remove it. Errors name the field.
void read_email(const json& body, bool nullable, std::optional<std::optional<std::string>>& email,
                FieldErrors& errors) {
  if (!body.contains("email")) return;
  const json& v = body["email"];
  if (v.is_null() && nullable) {
    email = std::optional<std::string>();
    return;
  }
  if (!v.is_string() || !is_mail_address(v.get<std::string>())) {
    errors.push_back({"email", "invalid",
                      nullable ? "must be an email address like name@example.co.uk, or null to remove it"
                               : "must be an email address like name@example.co.uk"});
    return;
  }
  email = v.get<std::string>();
}

// The caller when an admin; else nullopt with 401/403 sent.
std::optional<Principal> admin_only(ServerContext& ctx, const Request& req, Response& res, std::string_view doing) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return std::nullopt;
  if (who->user->role != Role::admin) {
    send_error(res, 403, "forbidden", fmt::format("{} needs the admin role", doing));
    return std::nullopt;
  }
  return who;
}

void audit(ServerContext& ctx, const Principal& who, std::string_view action, const json& detail) {
  (void)ctx.storage().audit(ctx.now(), who.actor(), std::string(action), dump(detail));
}

// Hashing takes 64-256 MiB: shares sign-in's bound on how many run at once.
Result<std::string> hash_bounded(ServerContext& ctx, std::string_view password) {
  ctx.login_slots.acquire();
  auto hash = hash_password(password, ctx.options.password_cost);
  ctx.login_slots.release();
  return hash;
}

// A JSON body that may be left out entirely (no body, or an empty one): {}.
std::optional<json> optional_json_body(ServerContext& ctx, const Request& req, Response& res,
                                       const ContentReader& reader) {
  const bool none = (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) ||
                    req.get_header_value("Content-Length") == "0";
  if (none) {
    refuse_body(req, res, reader);
    return json::object();
  }
  return json_body(ctx, req, res, reader, ctx.options.max_small_body);
}

// ---- Me -------------------------------------------------------------------------------------
void me(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  send_json(res, 200, me_body(ctx, *who));
}

void refuse_unknown_fields(const json& body, std::initializer_list<std::string_view> known, FieldErrors& errors);

// PATCH /api/v1/me {"digest": "none" | "daily" | "weekly"}: the signed-in user's
// own digest. It needs an email address, which an admin sets (PATCH /users/{name}).
void patch_me(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be {\"digest\"}");
  FieldErrors errors;
  refuse_unknown_fields(*body, {"digest"}, errors);
  UserChange change;
  if (!body->contains("digest")) {
    errors.push_back({"digest", "required", "must be none, daily or weekly"});
  } else {
    const json& v = (*body)["digest"];
    change.digest = v.is_string() ? parse_digest_frequency(v.get<std::string>()) : std::nullopt;
    if (!change.digest) errors.push_back({"digest", "invalid", "must be none, daily or weekly"});
  }
  if (errors.empty() && change.digest != DigestFrequency::none && !who->user->email)
    errors.push_back({"digest", "email_required",
                      "you have no email address for the digest to go to: ask an admin to add one"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  const DigestFrequency before = who->user->digest;
  auto changed = ctx.storage().update_user(who->user->username, change, ctx.now());
  if (!changed) {
    if (changed.error().code == Errc::invalid)
      return send_field_errors(res, 400, "invalid_request",
                               {{"digest", "email_required", "you have no email address for the digest to go to"}});
    return send_storage_error(res, changed.error(), "changing your digest");
  }
  if (changed->digest != before)
    audit(ctx, *who, "user.digest",
          json{{"username", changed->username},
               {"digest", json::array({digest_frequency_name(before), digest_frequency_name(changed->digest)})}});
  Principal updated = *who;
  updated.user = std::move(*changed);
  send_json(res, 200, me_body(ctx, updated));
}

// ---- Users ----------------------------------------------------------------------------------
void list_users(ServerContext& ctx, const Request& req, Response& res) {
  auto who = admin_only(ctx, req, res, "listing users");
  if (!who) return;
  auto users = ctx.storage().list_users();
  if (!users) return send_storage_error(res, users.error(), "listing users");
  json list = json::array();
  for (const auto& u : *users)
    if (manages_user(*who->user, u, ctx.workflow)) list.push_back(user_json(u));
  send_json(res, 200, json{{"users", std::move(list)}});
}

// Reads "role" and "scope" where given; errors name the field.
void read_role_scope(const json& body, std::optional<Role>& role, std::optional<Scope>& scope,
                     const WorkflowRules& rules, FieldErrors& errors) {
  if (body.contains("role")) {
    const json& v = body["role"];
    role = v.is_string() ? parse_role(v.get<std::string>()) : std::nullopt;
    if (!role) errors.push_back({"role", "invalid", "must be admin, manager or agent"});
  }
  if (body.contains("scope")) {
    const json& v = body["scope"];
    scope = v.is_string() ? parse_scope(v.get<std::string>()) : std::nullopt;
    if (!scope) {
      errors.push_back({"scope", "invalid", "must be chain, area:<id> or store:<id>"});
    } else if (auto r = check_scope(*scope, rules); !r) {
      errors.push_back({"scope", "unknown", r.error().message});
      scope.reset();
    }
  }
}

void refuse_unknown_fields(const json& body, std::initializer_list<std::string_view> known, FieldErrors& errors) {
  for (const auto& [key, value] : body.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.push_back({key, "unknown_field", "is not a field of this request"});
}

void add_user(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = admin_only(ctx, req, res, "adding a user");
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be a JSON object");
  FieldErrors errors;
  refuse_unknown_fields(*body, {"username", "password", "role", "scope", "email"}, errors);
  std::optional<std::optional<std::string>> email;
  read_email(*body, false, email, errors);
  std::string username;
  if (body->contains("username") && (*body)["username"].is_string()) username = (*body)["username"];
  if (!is_valid_username(username))
    errors.push_back({"username", username.empty() ? "required" : "invalid", "is 1-64 of A-Z a-z 0-9 . _ @ -"});
  std::optional<std::string> password;
  if (body->contains("password")) {
    if ((*body)["password"].is_string())
      password = (*body)["password"].get<std::string>();
    else
      errors.push_back({"password", "invalid", "must be text, or left out to have one made"});
  }
  std::optional<Role> role;
  std::optional<Scope> scope;
  read_role_scope(*body, role, scope, ctx.workflow.rules(), errors);
  if (!body->contains("role")) errors.push_back({"role", "required", "must be admin, manager or agent"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  // Left out: the admin's own scope, the widest they may give.
  const Scope given = scope.value_or(who->user->scope);
  if (!scope_within(given, who->user->scope, ctx.workflow))
    return send_error(res, 403, "forbidden",
                      fmt::format("scope {} is outside yours ({})", scope_text(given), scope_text(who->user->scope)));
  const bool generated = !password;
  const std::string secret = generated ? generate_password() : *password;
  auto hash = hash_bounded(ctx, secret);
  if (!hash) {
    if (hash.error().code == Errc::invalid)
      return send_field_errors(res, 400, "invalid_request", {{"password", "invalid", hash.error().message}});
    return send_storage_error(res, hash.error(), "hashing a password");
  }
  auto id = ctx.storage().add_user(username, *hash, *role, given, ctx.now());
  if (!id) {
    if (id.error().code == Errc::conflict)
      return send_field_errors(res, 409, "conflict", {{"username", "taken", "is taken"}});
    return send_storage_error(res, id.error(), "adding a user");
  }
  User user;
  user.id = *id;
  user.username = username;
  user.role = *role;
  user.scope = given;
  if (email) {
    UserChange with_email;
    with_email.email = *email;
    auto changed = ctx.storage().update_user(username, with_email, ctx.now());
    if (!changed) return send_storage_error(res, changed.error(), "setting a new user's email address");
    user = std::move(*changed);
  }
  json created = user_json(user);
  created["email"] = user.email.has_value();  // whether one was set: the address stays out of the trail
  audit(ctx, *who, "user.create", created);
  spdlog::info("user {} added by {}", username, who->actor());
  json answer = user_json(user);
  if (generated) answer["password"] = secret;  // shown this once
  send_json(res, 201, answer);
}

// The user named in the path, when the caller manages them; else nullopt with 404 sent.
std::optional<User> managed_user(ServerContext& ctx, const Principal& who, const Request& req, Response& res) {
  const std::string username = req.matches[1];
  auto found = ctx.storage().user_by_name(username);
  if (!found) {
    send_storage_error(res, found.error(), "reading a user");
    return std::nullopt;
  }
  if (!*found || !manages_user(*who.user, **found, ctx.workflow)) {
    send_error(res, 404, "not_found", "no such user in your scope");
    return std::nullopt;
  }
  return std::move(**found);
}

void send_update_error(Response& res, const Error& error) {
  if (error.code == Errc::not_found) return send_error(res, 404, "not_found", "no such user in your scope");
  if (error.code == Errc::conflict) return send_error(res, 409, "last_admin", error.message);
  if (error.code == Errc::invalid) return send_error(res, 400, "invalid_request", error.message);
  send_storage_error(res, error, "changing a user");
}

void patch_user(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = admin_only(ctx, req, res, "changing a user");
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be a JSON object");
  FieldErrors errors;
  refuse_unknown_fields(*body, {"role", "scope", "active", "email"}, errors);
  UserChange change;
  read_role_scope(*body, change.role, change.scope, ctx.workflow.rules(), errors);
  read_email(*body, true, change.email, errors);
  if (body->contains("active")) {
    if ((*body)["active"].is_boolean())
      change.active = (*body)["active"].get<bool>();
    else
      errors.push_back({"active", "invalid", "must be true or false"});
  }
  if (errors.empty() && !change.role && !change.scope && !change.active && !change.email)
    errors.push_back({"", "required", "give at least one of role, scope, active and email"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  auto target = managed_user(ctx, *who, req, res);
  if (!target) return;
  // Without an address no digest can go: removing it ends the user's subscription.
  if (change.email && !*change.email) change.digest = DigestFrequency::none;
  if (change.scope && !scope_within(*change.scope, who->user->scope, ctx.workflow))
    return send_error(
        res, 403, "forbidden",
        fmt::format("scope {} is outside yours ({})", scope_text(*change.scope), scope_text(who->user->scope)));
  auto changed = change_user(ctx.data, target->username, change, ctx.workflow.rules(), ctx.now());
  if (!changed) return send_update_error(res, changed.error());
  json detail{{"username", changed->username}};
  if (change.role) detail["role"] = json::array({role_name(target->role), role_name(changed->role)});
  if (change.scope) detail["scope"] = json::array({scope_text(target->scope), scope_text(changed->scope)});
  if (change.active) detail["active"] = json::array({target->active, changed->active});
  if (change.email) detail["email"] = changed->email ? "changed" : "removed";  // the address itself stays out of the trail
  if (changed->digest != target->digest)
    detail["digest"] = json::array({digest_frequency_name(target->digest), digest_frequency_name(changed->digest)});
  audit(ctx, *who, "user.update", detail);
  spdlog::info("user {} changed by {}", changed->username, who->actor());
  send_json(res, 200, user_json(*changed));
}

void reset_password(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = admin_only(ctx, req, res, "resetting a password");
  if (!who) return refuse_body(req, res, reader);
  auto body = optional_json_body(ctx, req, res, reader);
  if (!body) return;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be a JSON object");
  FieldErrors errors;
  refuse_unknown_fields(*body, {"password"}, errors);
  std::optional<std::string> password;
  if (body->contains("password") && !(*body)["password"].is_null()) {
    if ((*body)["password"].is_string())
      password = (*body)["password"].get<std::string>();
    else
      errors.push_back({"password", "invalid", "must be text, or left out to have one made"});
  }
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  auto target = managed_user(ctx, *who, req, res);
  if (!target) return;
  const bool generated = !password;
  const std::string secret = generated ? generate_password() : *password;
  auto hash = hash_bounded(ctx, secret);
  if (!hash) {
    if (hash.error().code == Errc::invalid)
      return send_field_errors(res, 400, "invalid_request", {{"password", "invalid", hash.error().message}});
    return send_storage_error(res, hash.error(), "hashing a password");
  }
  UserChange change;
  change.password_hash = std::move(*hash);
  auto changed = ctx.storage().update_user(target->username, change, ctx.now());
  if (!changed) return send_update_error(res, changed.error());
  audit(ctx, *who, "user.reset_password", json{{"username", changed->username}, {"generated", generated}});
  spdlog::info("password of {} reset by {}", changed->username, who->actor());
  json answer = user_json(*changed);
  answer["sessions_ended"] = true;
  if (generated) answer["password"] = secret;  // shown this once
  send_json(res, 200, answer);
}

// ---- Enrollment codes ---------------------------------------------------------------------------
// Percent-encodes all but RFC 3986's unreserved characters.
std::string uri_component(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// This server as the admin's browser reached it (request_origin), when its host
// is a plain host[:port]; else empty. Only the admin's own QR code carries it.
std::string origin_of(const Request& req) {
  const std::string origin = request_origin(req);
  if (origin.empty()) return {};
  const std::string_view host = std::string_view(origin).substr(origin.find("://") + 3);
  const bool plain = host.size() <= 255 && std::all_of(host.begin(), host.end(), [](unsigned char c) {
                       return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
                     });
  return plain ? origin : std::string();
}

// What the QR code holds (openapi.yaml): everything the technician at the
// tablet needs for `heed-device enroll --server URL --code CODE`, as one URI.
std::string enrolment_uri(const std::string& code, const std::string& store, const std::string& origin) {
  std::string uri = fmt::format("heed-enrol:{}?store={}", code, uri_component(store));
  if (!origin.empty()) uri += "&server=" + uri_component(origin);
  return uri;
}

void enrollment_code(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = admin_only(ctx, req, res, "issuing an enrollment code");
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  if (!body->is_object()) return send_error(res, 400, "invalid_request", "the body must be {\"store_id\"}");
  FieldErrors errors;
  refuse_unknown_fields(*body, {"store_id"}, errors);
  std::string store;
  if (body->contains("store_id") && (*body)["store_id"].is_string()) store = (*body)["store_id"];
  if (!is_valid_store_id(store))
    errors.push_back({"store_id", store.empty() ? "required" : "invalid", "must be 1-32 of A-Z 0-9 - _"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  if (!sees_store(*who->user, store, ctx.workflow))
    return send_error(res, 403, "forbidden", fmt::format("store {} is outside your scope", store));
  constexpr auto kTtl = std::chrono::hours(24);
  const Timestamp now = ctx.now();
  auto code = issue_enrollment_code(ctx.data, store, now, kTtl);
  if (!code) return send_storage_error(res, code.error(), "issuing an enrollment code");
  audit(ctx, *who, "enrollment_code.issue", json{{"store_id", store}});
  json answer{{"code", *code}, {"store_id", store}, {"expires_at", format_timestamp(now + kTtl)}};
  const std::string uri = enrolment_uri(*code, store, origin_of(req));
  const auto qr = make_qr(uri);
  answer["qr_text"] = uri;
  answer["qr_svg"] = qr ? json(qr_svg(*qr, fmt::format("QR code of enrolment code {} for store {}", *code, store)))
                        : json(nullptr);  // the URI always fits a QR code; null rather than a failed issue
  send_json(res, 201, answer);
}

// ---- Audit ---------------------------------------------------------------------------------------
bool whole_number(const Request& req, Response& res, const char* name, std::int64_t lo, std::int64_t hi,
                  std::optional<std::int64_t>& out) {
  auto text = param(req, name);
  if (!text || text->empty()) return true;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < lo || n > hi) {
    send_field_errors(res, 400, "invalid_request",
                      {{name, "invalid", fmt::format("must be a whole number from {} to {}", lo, hi)}});
    return false;
  }
  out = n;
  return true;
}

void list_audit(ServerContext& ctx, const Request& req, Response& res) {
  auto who = admin_only(ctx, req, res, "reading the audit trail");
  if (!who) return;
  if (who->user->scope.kind != Scope::Kind::chain)
    return send_error(res, 403, "forbidden",
                      "the audit trail is for chain-wide admins: its rows do not all name a store");
  AuditQuery query;
  for (auto [name, out] : {std::pair{"action", &query.action}, std::pair{"actor", &query.actor}}) {
    if (auto v = param(req, name); v && !v->empty()) {
      if (v->size() > 128)
        return send_field_errors(res, 400, "invalid_request", {{name, "invalid", "is at most 128 characters"}});
      *out = *v;
    }
  }
  std::optional<std::int64_t> limit;
  if (!whole_number(req, res, "case_id", 1, INT64_MAX, query.case_id) ||
      !whole_number(req, res, "before", 1, INT64_MAX, query.before_id) ||
      !whole_number(req, res, "limit", 1, 500, limit))
    return;
  if (limit) query.limit = static_cast<int>(*limit);
  std::optional<Date> from, to;
  if (!date_range(req, res, from, to)) return;
  if (from) query.from = ctx.workflow.start_of_day(*from);
  if (to) query.to = ctx.workflow.start_of_day(Date{std::chrono::sys_days{*to} + std::chrono::days(1)});
  auto entries = ctx.storage().list_audit(query);
  if (!entries) return send_storage_error(res, entries.error(), "reading the audit trail");
  json list = json::array();
  for (const auto& e : *entries) {
    json detail = json::parse(e.detail, nullptr, false);
    list.push_back({{"id", e.id},
                    {"at", format_timestamp(e.at)},
                    {"actor", e.actor},
                    {"action", e.action},
                    {"detail", detail.is_discarded() ? json(e.detail) : detail}});
  }
  const bool more = static_cast<int>(entries->size()) == query.limit;
  send_json(res, 200,
            json{{"entries", std::move(list)}, {"next_before", more ? json(entries->back().id) : json(nullptr)}});
}

}  // namespace

// What the workspace needs to draw itself for the caller: who they are, the
// level their queue works at, whether they work cases, and the stores and areas
// their scope covers ("whole_chain": every store, also ones no area names); the
// escalation levels and the chain's time zone (dates are shown in it); and the
// session: when it ends, its idle timeout, and (cookie sessions only, so a
// reloaded page recovers it) the CSRF token.
json me_body(ServerContext& ctx, const Principal& who) {
  const User& u = *who.user;
  const Workflow& flow = ctx.workflow;
  const int home = flow.home_level(u.scope);
  json areas = json::array(), stores = json::array(), levels = json::array();
  for (const Area& area : flow.rules().areas) {
    if (!scope_within(Scope{Scope::Kind::area, area.id}, u.scope, flow)) continue;
    areas.push_back({{"id", area.id}, {"name", area.name}, {"stores", area.stores}});
  }
  if (auto in = flow.stores_in(u.scope)) {
    for (const auto& s : *in) stores.push_back(s);
  } else {
    for (const Area& area : flow.rules().areas)
      for (const auto& s : area.stores) stores.push_back(s);
  }
  for (int level = 0; level <= flow.top_level(); ++level)
    levels.push_back({{"level", level}, {"name", flow.level_name(level)}});
  json body{{"username", u.username},
            {"role", role_name(u.role)},
            {"scope", scope_text(u.scope)},
            {"home_level", home},
            {"home_level_name", flow.level_name(home)},
            {"works_cases", works_cases(u)},
            {"whole_chain", u.scope.kind == Scope::Kind::chain},
            {"areas", std::move(areas)},
            {"stores", std::move(stores)},
            {"levels", std::move(levels)},
            {"time_zone", flow.rules().calendar.time_zone},
            {"email", optional_value(u.email)},
            {"digest", digest_frequency_name(u.digest)},
            {"idle_timeout_s", ctx.options.idle_timeout.count()},
            {"session_expires_at", format_timestamp(who.session_expires_at)}};
  if (who.by_cookie) body["csrf_token"] = csrf_token(ctx, who.session_token);
  return body;
}

void install_user_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  static const std::string kUser = R"(/api/v1/users/([A-Za-z0-9._@-]{1,64}))";
  http.Get("/api/v1/me", [c](const Request& req, Response& res) { me(*c, req, res); });
  http.Patch("/api/v1/me", [c](const Request& req, Response& res, const ContentReader& r) { patch_me(*c, req, res, r); });
  http.Get("/api/v1/users", [c](const Request& req, Response& res) { list_users(*c, req, res); });
  http.Post("/api/v1/users",
            [c](const Request& req, Response& res, const ContentReader& r) { add_user(*c, req, res, r); });
  http.Patch(kUser, [c](const Request& req, Response& res, const ContentReader& r) { patch_user(*c, req, res, r); });
  http.Post(kUser + "/reset-password",
            [c](const Request& req, Response& res, const ContentReader& r) { reset_password(*c, req, res, r); });
  http.Post("/api/v1/enrollment-codes",
            [c](const Request& req, Response& res, const ContentReader& r) { enrollment_code(*c, req, res, r); });
  http.Get("/api/v1/audit", [c](const Request& req, Response& res) { list_audit(*c, req, res); });
}

}  // namespace heed::server::detail
