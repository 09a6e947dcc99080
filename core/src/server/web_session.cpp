// Browser sessions: the heed_session cookie, its CSRF token, and signing out.
//
// The workspace signs in with {"session": "cookie"} (api.cpp, login): the
// session token then travels only in an HttpOnly, SameSite=Strict cookie that
// page scripts cannot read. authenticate (http_support.cpp) takes it where it
// takes a user's bearer token. Invariants:
// - A cookie request passes two checks before its route does anything: its
//   Origin, when sent, is this server's; and any method but GET/HEAD carries
//   X-CSRF-Token. That token is the session token hashed under its own subkey
//   of the installation's key: derived, never stored, so it lives exactly as
//   long as the session, and the session's stored hash (under the main key)
//   does not give it.
// - Only heed_session is read from the Cookie headers; other cookies on the
//   same host are ignored, and a device token is never taken from a cookie.
// - Bearer requests need neither check: a browser never adds that header itself.
#include <fmt/format.h>

#include "heed/server/tokens.hpp"
#include "heed/server/web_files.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

// The first item of a proxy's comma-separated header ("https, http" → "https").
std::string first_item(const std::string& value) {
  return ascii_lower(trim_header_space(std::string_view(value).substr(0, value.find(','))));
}

// "scheme://host[:port]" with the scheme's default port left out, as browsers write an Origin.
std::string normal_origin(std::string_view origin) {
  const auto sep = origin.find("://");
  const std::string_view scheme = origin.substr(0, sep);
  const std::string_view default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (!default_port.empty() && origin.ends_with(default_port)) origin.remove_suffix(default_port.size());
  return std::string(origin);
}

}  // namespace

std::optional<std::string> session_cookie(const Request& req) {
  // Cookie: a=1; heed_session=hs_...; b="2" -- a proxy may also split it over several headers.
  const std::size_t headers = req.get_header_value_count("Cookie");
  for (std::size_t i = 0; i < headers; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::string_view rest = header;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim_header_space(pair.substr(0, eq)) != kSessionCookie) continue;
      std::string_view value = trim_header_space(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (value.empty() || value.size() > 256) continue;  // a cleared cookie, or not one of ours
      return std::string(value);
    }
  }
  return std::nullopt;
}

bool over_https(const Request& req) { return first_item(req.get_header_value("X-Forwarded-Proto")) == "https"; }

std::string request_origin(const Request& req) {
  // Behind a proxy the Host may be the upstream's; the proxy names the public one.
  const std::string host = req.has_header("X-Forwarded-Host")
                               ? first_item(req.get_header_value("X-Forwarded-Host"))
                               : ascii_lower(trim_header_space(req.get_header_value("Host")));
  if (host.empty()) return {};
  return fmt::format("{}://{}", over_https(req) ? "https" : "http", host);
}

bool same_origin(const Request& req) {
  if (!req.has_header("Origin")) return true;  // same-origin GETs, and clients that are not browsers
  const std::string origin = ascii_lower(trim_header_space(req.get_header_value("Origin")));
  // "null" (a sandboxed frame, a file, a redirect from elsewhere) has no "://".
  if (origin.find("://") == std::string::npos) return false;
  const std::string self = request_origin(req);
  return !self.empty() && normal_origin(origin) == normal_origin(self);
}

std::string csrf_token(const ServerContext& ctx, std::string_view session_token) {
  return ctx.csrf.hash(session_token);
}

bool check_csrf(const ServerContext& ctx, const Request& req, Response& res, std::string_view session_token) {
  if (!same_origin(req)) {
    send_error(res, 403, "csrf_failed",
               "the request came from a page on another site (its Origin is not this server); refused");
    return false;
  }
  if (req.method == "GET" || req.method == "HEAD") return true;
  const std::string sent = req.get_header_value("X-CSRF-Token");
  if (sent.empty()) {
    send_error(res, 403, "csrf_failed",
               "a change from the browser needs the X-CSRF-Token header (csrf_token from sign-in or GET /api/v1/me)");
    return false;
  }
  if (!constant_time_equal(sent, csrf_token(ctx, session_token))) {
    send_error(res, 403, "csrf_failed",
               "the X-CSRF-Token header does not belong to this session; reload the page to get the current one");
    return false;
  }
  return true;
}

std::string session_cookie_header(const ServerContext& ctx, const Request& req, std::string_view token) {
  const auto max_age =
      token.empty() ? 0 : std::chrono::duration_cast<std::chrono::seconds>(ctx.options.session_ttl).count();
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie, token, max_age,
                     over_https(req) ? "; Secure" : "");
}

namespace {

// POST /api/v1/auth/logout: ends the session (cookie or bearer) and clears the cookie.
void logout(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  refuse_body(req, res, reader);  // it takes no body
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) {
    // Already signed out (unknown or expired): the browser may forget the cookie too.
    // Never on a 403: a refused request changes nothing.
    if (res.status == 401) res.set_header("Set-Cookie", session_cookie_header(ctx, req, ""));
    return;
  }
  if (auto r = ctx.storage().end_session(ctx.data.hasher.hash(who->session_token)); !r)
    return send_storage_error(res, r.error(), "signing out");
  res.set_header("Set-Cookie", session_cookie_header(ctx, req, ""));
  res.status = 204;
}

}  // namespace

void install_session_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Post("/api/v1/auth/logout",
            [c](const Request& req, Response& res, const ContentReader& r) { logout(*c, req, res, r); });
}

}  // namespace heed::server::detail
