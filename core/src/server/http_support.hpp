// Internal to the server: what every route shares. JSON answers and errors
// ({"error": code, "message": text}, 4xx/5xx), request bodies read in one pass
// (see api.cpp for why), query parameters, and who is asking (authenticate).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "context.hpp"

namespace heed::server::detail {

using httplib::ContentReader;
using httplib::Request;
using httplib::Response;
using nlohmann::json;

// ---- Answers
// JSON text; invalid UTF-8 from storage is replaced, never thrown on.
std::string dump(const json& j);
void send_json(Response& res, int status, const json& body);
void send_error(Response& res, int status, std::string_view code, std::string_view message);
// 4xx with "fields": [{field, code, message}] and a message joining them.
void send_field_errors(Response& res, int status, std::string_view code, const FieldErrors& errors);
// 503 with Retry-After when the database is busy, else 500; logs what was being done.
void send_storage_error(Response& res, const Error& error, std::string_view doing);

json optional_time(const std::optional<Timestamp>& t);
template <class T>
json optional_value(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// ---- Requests
// Refuses a POST before its body is used: the body is read off and discarded.
void refuse_body(const Request& req, Response& res, const ContentReader& reader);
// A JSON POST body: checks the media type and size, then parses. On failure the
// response is set and nullopt returned.
std::optional<json> json_body(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader,
                              std::size_t limit);
std::optional<std::string> param(const Request& req, const char* name);
// The whole number in the path's first capture (/cases/(\d+)); nullopt when it does not fit.
std::optional<std::int64_t> path_id(const Request& req);
// Reads from/to (dates, inclusive); false with a 400 sent.
bool date_range(const Request& req, Response& res, std::optional<Date>& from, std::optional<Date>& to);
// Reads store_id when given; false with a 400 sent.
bool store_param(const Request& req, Response& res, std::optional<std::string>& store);

// ---- Who is asking: a device (by its token) or a head-office user (by a session).
// A user's session comes in an Authorization: Bearer header or, from the
// browser, in the heed_session cookie (web_session.cpp); the header wins when
// both are sent. A device token is never taken from a cookie.
struct Principal {
  std::optional<Device> device;
  std::optional<User> user;
  std::string session_token;       // a user's: the token itself (for the CSRF token and signing out)
  bool by_cookie = false;          // the session came in the cookie
  Timestamp session_expires_at{};  // a user's: when the session ends at the latest
  std::string actor() const { return user ? user->username : "device:" + device->device_id; }
};

enum class Accept { device, user, either };

// The caller, or nullopt with a 401/403 sent. A cookie request must also pass
// the CSRF checks (check_csrf), else 403 csrf_failed.
std::optional<Principal> authenticate(ServerContext& ctx, const Request& req, Response& res, Accept accept);

// ---- Browser sessions (web_session.cpp)
inline constexpr const char* kSessionCookie = "heed_session";
// The heed_session cookie's value from the request's Cookie headers; nullopt when absent.
std::optional<std::string> session_cookie(const Request& req);
// Came over https: X-Forwarded-Proto: https from the proxy in front (the server itself speaks only http).
bool over_https(const Request& req);
// This server as the browser reached it: "http(s)://host[:port]", lower case, the
// host from X-Forwarded-Host when a proxy sends it, else Host; empty without either.
std::string request_origin(const Request& req);
// The Origin header is absent or names this server (scheme, Host or X-Forwarded-Host, port).
bool same_origin(const Request& req);
// A cookie session's CSRF token: derived from its token, never stored.
std::string csrf_token(const ServerContext& ctx, std::string_view session_token);
// For a cookie request: the Origin check, and on a method other than GET/HEAD
// the X-CSRF-Token header. false with a 403 csrf_failed sent.
bool check_csrf(const ServerContext& ctx, const Request& req, Response& res, std::string_view session_token);
// Set-Cookie for a new session, or (empty token) one that clears it.
std::string session_cookie_header(const ServerContext& ctx, const Request& req, std::string_view token);
// GET /api/v1/me's body for a signed-in user (also in a cookie sign-in's answer).
json me_body(ServerContext& ctx, const Principal& who);

// Route installers, one per file of routes.
void install_case_routes(httplib::Server& http, ServerContext& ctx);
void install_user_routes(httplib::Server& http, ServerContext& ctx);     // api_users.cpp
void install_session_routes(httplib::Server& http, ServerContext& ctx);  // web_session.cpp: sign out
// The web workspace (api_web.cpp): install last, after every API route.
void install_web_routes(httplib::Server& http, ServerContext& ctx);

// ---- Scope (access.hpp): who sees which stores
// The stores a KPI, export or list answer for `user` covers: `asked` when given
// and inside the scope; else the scope's stores (nullopt: the whole chain).
// false with a 403 sent when `asked` is outside the scope.
bool scoped_stores(ServerContext& ctx, const User& user, const std::optional<std::string>& asked, Response& res,
                   std::optional<std::vector<std::string>>& stores);
void install_letter_routes(httplib::Server& http, ServerContext& ctx);
void install_report_routes(httplib::Server& http, ServerContext& ctx);  // api_report.cpp: the printable KPI report
// api_dashboard.cpp: the staff view, customers' comments and the cases CSV.
void install_dashboard_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace heed::server::detail
