// What every route shares (see http_support.hpp).
//
// Bodies: every POST route takes a ContentReader and reads the body itself, in
// one pass, keeping at most its limit (0.11.4 reads a chunked body whole before
// set_payload_max_length applies). A body over the limit, or one a request is
// refused before reading, is read on and discarded up to kDiscardCap, so the
// next request on a kept-alive connection starts where it should.
#include "http_support.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "heed/server/access.hpp"
#include "heed/server/tokens.hpp"
#include "heed/validation.hpp"

namespace heed::server::detail {

namespace {

constexpr std::size_t kDiscardCap = 64u << 20;

bool is_json_request(const Request& req) {
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/json";
}

bool has_body(const Request& req) { return req.has_header("Content-Length") || req.has_header("Transfer-Encoding"); }

std::uint64_t content_length(const Request& req) {
  const std::string text = req.get_header_value("Content-Length");
  std::uint64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// A request body read in one pass of the ContentReader.
struct Body {
  std::string text;
  bool too_large = false;
};

// Reads up to `keep` bytes; beyond that discards up to kDiscardCap. keep = 0
// discards everything (a request refused before its body was looked at).
Body read_body(const Request& req, const ContentReader& reader, std::size_t keep) {
  Body body;
  if (!has_body(req)) return body;  // no length and not chunked: nothing follows the headers
  std::size_t seen = 0;
  if (keep > 0 && req.has_header("Content-Length") && content_length(req) <= keep)
    body.text.reserve(static_cast<std::size_t>(content_length(req)));
  reader([&](const char* data, std::size_t n) {
    seen += n;
    if (seen <= keep) {
      body.text.append(data, n);
      return true;
    }
    if (keep > 0) body.too_large = true;
    body.text.clear();
    return seen <= kDiscardCap;
  });
  if (body.too_large) body.text.clear();
  return body;
}

std::optional<std::string> bearer_token(const Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (header.size() <= 7) return std::nullopt;
  std::string scheme = header.substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return std::nullopt;
  std::string token = header.substr(7);
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty() || token.size() > 256) return std::nullopt;
  return token;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "30 minutes", "1 minute", "90 seconds": the idle timeout as the sign-in page says it.
std::string duration_words(std::chrono::seconds d) {
  const auto s = d.count();
  if (s % 60 == 0) return fmt::format("{} minute{}", s / 60, s == 60 ? "" : "s");
  return fmt::format("{} second{}", s, s == 1 ? "" : "s");
}

}  // namespace

// ---- Answers and bodies ------------------------------------------------------------

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_json(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), "application/json");
}

void send_error(Response& res, int status, std::string_view code, std::string_view message) {
  send_json(res, status, json{{"error", code}, {"message", message}});
}

void send_field_errors(Response& res, int status, std::string_view code, const FieldErrors& errors) {
  std::string message;
  json fields = json::array();
  for (const auto& e : errors) {
    message += (message.empty() ? "" : "; ") + (e.field.empty() ? e.message : e.field + ": " + e.message);
    fields.push_back({{"field", e.field}, {"code", e.code}, {"message", e.message}});
  }
  send_json(res, status, json{{"error", code}, {"message", message}, {"fields", fields}});
}

void send_storage_error(Response& res, const Error& error, std::string_view doing) {
  // SQLite's messages name tables and SQL, never the values bound.
  spdlog::error("storage failed while {}: {}", doing, error.message);
  if (error.code == Errc::busy) {
    res.set_header("Retry-After", "1");
    send_error(res, 503, "busy", "the server is busy; try again shortly");
  } else {
    send_error(res, 500, "internal", "the server could not complete the request");
  }
}

void refuse_body(const Request& req, Response& res, const ContentReader& reader) {
  if (req.has_header("Content-Length") && content_length(req) > kDiscardCap) {
    res.set_header("Connection", "close");
    return;
  }
  (void)read_body(req, reader, 0);
}

std::optional<std::string> param(const Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

// ---- Authentication ----------------------------------------------------------------

std::optional<Principal> authenticate(ServerContext& ctx, const Request& req, Response& res, Accept accept) {
  // The Authorization header wins: a script's bearer token is used even when a
  // browser's cookie rides along, and a malformed header is refused, not skipped.
  std::optional<std::string> token;
  bool by_cookie = false;
  if (req.has_header("Authorization")) {
    token = bearer_token(req);
  } else if ((token = session_cookie(req))) {
    by_cookie = true;
  }
  if (!token) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "unauthorized", "sign in: an Authorization: Bearer token or the session cookie is required");
    return std::nullopt;
  }
  Principal who;
  if (!by_cookie && starts_with(*token, kDeviceTokenPrefix)) {
    auto device = ctx.storage().device_by_token(ctx.data.hasher.hash(*token));
    if (!device) {
      send_storage_error(res, device.error(), "checking a device token");
      return std::nullopt;
    }
    if (!*device || (*device)->revoked) {
      send_error(res, 401, "unauthorized", "the device token is unknown or revoked; enroll the device again");
      return std::nullopt;
    }
    who.device = std::move(**device);
    if (accept == Accept::user) {
      send_error(res, 403, "forbidden", "this needs a head-office user's token, not a device's");
      return std::nullopt;
    }
  } else if (starts_with(*token, kSessionTokenPrefix)) {
    const Timestamp now = ctx.now();
    const std::string token_hash = ctx.data.hasher.hash(*token);
    auto found = ctx.storage().user_by_session(token_hash, now, ctx.options.idle_timeout);
    if (!found) {
      send_storage_error(res, found.error(), "checking a session");
      return std::nullopt;
    }
    if (found->state == SessionLookup::State::idle) {
      send_error(res, 401, "session_expired",
                 fmt::format("signed out after {} without activity", duration_words(ctx.options.idle_timeout)));
      return std::nullopt;
    }
    if (found->state != SessionLookup::State::active) {
      send_error(res, 401, "unauthorized", "the session is unknown or expired; sign in again");
      return std::nullopt;
    }
    Session& session = *found->session;
    who.user = std::move(session.user);
    who.session_token = *token;
    who.by_cookie = by_cookie;
    who.session_expires_at = session.expires_at;
    if (accept == Accept::device) {
      send_error(res, 403, "forbidden", "this needs a device's token");
      return std::nullopt;
    }
    if (by_cookie && !check_csrf(ctx, req, res, who.session_token)) return std::nullopt;
    // A use of the session: every request but the client's own polling. Written
    // only when the stored last use is a step old, so a busy user costs one
    // write a step rather than one a request. The stored time then trails the
    // real last use by less than a step, so a session may end up to one step
    // before idle_timeout has passed since its real last use: the step, a tenth
    // of the timeout and never over 30 s (30 s of the default 30 min), keeps
    // that early end small. A failed write is logged, not the request's failure.
    const auto step = std::min<std::chrono::seconds>(std::chrono::seconds(30), ctx.options.idle_timeout / 10);
    const bool background = req.get_header_value("X-Heed-Background") == "1";
    if (!background && now - session.last_active_at >= step && now > session.last_active_at) {
      if (auto r = ctx.storage().touch_session(token_hash, now); !r)
        spdlog::warn("recording a session's activity failed: {}", r.error().message);
    }
  } else {
    send_error(res, 401, "unauthorized",
               by_cookie ? "the session cookie is not one this server issued; sign in again"
                         : "the token is not one this server issued");
    return std::nullopt;
  }
  return who;
}

std::optional<json> json_body(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader,
                              std::size_t limit) {
  if (!is_json_request(req)) {
    refuse_body(req, res, reader);
    send_error(res, 415, "unsupported_media_type", "send Content-Type: application/json");
    return std::nullopt;
  }
  if (req.has_header("Content-Length") && content_length(req) > limit) {
    refuse_body(req, res, reader);
    send_error(res, 413, "too_large", fmt::format("the body is over {} bytes", limit));
    return std::nullopt;
  }
  Body body = read_body(req, reader, limit);
  if (body.too_large) {
    send_error(res, 413, "too_large", fmt::format("the body is over {} bytes", limit));
    return std::nullopt;
  }
  json doc = json::parse(body.text, nullptr, false);
  if (doc.is_discarded()) {
    send_error(res, 400, "invalid_json", "the body is not JSON");
    return std::nullopt;
  }
  (void)ctx;
  return doc;
}

json optional_time(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }

// Silent: not revoked, and nothing heard (a heartbeat, or enrollment when it
// ---- Query and path parameters ------------------------------------------------------------
bool date_range(const Request& req, Response& res, std::optional<Date>& from, std::optional<Date>& to) {
  for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (auto text = param(req, name); text && !text->empty()) {
      *out = parse_date(*text);
      if (!*out) {
        send_field_errors(res, 400, "invalid_request", {{name, "invalid", "must be a date, YYYY-MM-DD"}});
        return false;
      }
    }
  }
  if (from && to && std::chrono::sys_days{*from} > std::chrono::sys_days{*to}) {
    send_field_errors(res, 400, "invalid_request", {{"to", "invalid", "must not be before from"}});
    return false;
  }
  return true;
}

bool store_param(const Request& req, Response& res, std::optional<std::string>& store) {
  if (auto s = param(req, "store_id"); s && !s->empty()) {
    if (!is_valid_store_id(*s)) {
      send_field_errors(res, 400, "invalid_request", {{"store_id", "invalid", "must be 1-32 of A-Z 0-9 - _"}});
      return false;
    }
    store = *s;
  }
  return true;
}

std::optional<std::int64_t> path_id(const Request& req) {
  if (req.matches.size() < 2) return std::nullopt;
  const std::string text = req.matches[1];
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

// ---- Scope ---------------------------------------------------------------------------------
bool scoped_stores(ServerContext& ctx, const User& user, const std::optional<std::string>& asked, Response& res,
                   std::optional<std::vector<std::string>>& stores) {
  if (asked) {
    if (!sees_store(user, *asked, ctx.workflow)) {
      send_error(res, 403, "forbidden",
                 fmt::format("store {} is outside your scope ({})", *asked, scope_text(user.scope)));
      return false;
    }
    stores = std::vector<std::string>{*asked};
    return true;
  }
  stores = ctx.workflow.stores_in(user.scope);
  return true;
}

}  // namespace heed::server::detail
