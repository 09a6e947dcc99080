// The browser's session over the real server: sign-in with {"session": "cookie"}
// sets heed_session (its flags exactly), the cookie works where a bearer token
// does, every change from a cookie session needs X-CSRF-Token and this server's
// Origin (a real case action and PATCH /users), a bearer token needs neither,
// sign-out ends the session and clears the cookie, and /me carries what the
// workspace needs (levels, time zone, idle timeout, the session's end, the CSRF
// token for cookie sessions only).
#include <doctest/doctest.h>

#include <regex>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

const std::string kPassword = "correct horse battery staple";

// A signed-in browser: what it keeps from the sign-in answer.
struct Browser {
  std::string set_cookie;  // the Set-Cookie header as sent
  std::string token;       // the cookie's value
  std::string csrf;        // csrf_token from the body
  json body;
  // The Cookie header a browser sends back, with X-CSRF-Token when `csrf` is given.
  httplib::Headers headers(const std::optional<std::string>& csrf_token = std::nullopt) const {
    httplib::Headers h{{"Cookie", "heed_session=" + token}};
    if (csrf_token) h.emplace("X-CSRF-Token", *csrf_token);
    return h;
  }
  httplib::Headers with_csrf() const { return headers(csrf); }
};

void add_user(TestServer& s, const std::string& username, server::Role role, const server::Scope& scope = {}) {
  auto data = s.admin();
  REQUIRE(server::create_user(data, username, kPassword, role, scope, s.server->workflow().rules(), now_utc(),
                              HashCost::interactive));
}

httplib::Result login(TestServer& s, const json& body, const httplib::Headers& headers = {}) {
  auto c = s.client();
  return c.Post("/api/v1/auth/login", headers, body.dump(), "application/json");
}

Browser browser_sign_in(TestServer& s, const std::string& username, const httplib::Headers& headers = {}) {
  auto res = login(s, {{"username", username}, {"password", kPassword}, {"session", "cookie"}}, headers);
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  Browser b;
  b.set_cookie = res->get_header_value("Set-Cookie");
  std::smatch m;
  REQUIRE(std::regex_search(b.set_cookie, m, std::regex("^heed_session=(hs_[A-Za-z0-9_-]{43});")));
  b.token = m[1];
  b.body = json::parse(res->body);
  b.csrf = b.body["csrf_token"].get<std::string>();
  return b;
}

json parse(const httplib::Result& res) { return json::parse(res->body, nullptr, false); }

}  // namespace

TEST_CASE("cookie sign-in: heed_session with exactly its flags, Secure under https, and no token in the body") {
  TestClock clock;
  TestServer s(&clock);
  add_user(s, "ana", server::Role::agent, server::Scope{server::Scope::Kind::area, "north_west"});

  const Browser b = browser_sign_in(s, "ana");
  CHECK(b.set_cookie == "heed_session=" + b.token + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
  CHECK_FALSE(b.body.contains("token"));
  CHECK(b.body.dump().find(b.token) == std::string::npos);  // the token is only in the cookie
  CHECK(std::regex_match(b.csrf, std::regex("[0-9a-f]{64}")));
  CHECK(b.body["expires_at"] == format_timestamp(clock.now() + std::chrono::hours(12)));
  CHECK(b.body["idle_timeout_s"] == 12 * 3600);  // the fixture's (test_options)
  CHECK(b.body["user"]["username"] == "ana");
  CHECK(b.body["user"]["scope"] == "area:north_west");
  CHECK(b.body["user"]["csrf_token"] == b.csrf);
  CHECK(b.body["user"]["session_expires_at"] == b.body["expires_at"]);

  SUBCASE("behind a proxy speaking https the cookie is Secure") {
    const Browser secure = browser_sign_in(s, "ana", {{"X-Forwarded-Proto", "https"}});
    CHECK(secure.set_cookie ==
          "heed_session=" + secure.token + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
    CHECK(secure.token != b.token);  // each sign-in is a session of its own
  }
  SUBCASE("wrong credentials: 401 invalid_credentials and no cookie") {
    auto res = login(s, {{"username", "ana"}, {"password", "wrong"}, {"session", "cookie"}});
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(parse(res)["error"] == "invalid_credentials");
    CHECK_FALSE(res->has_header("Set-Cookie"));
  }
  SUBCASE("without \"session\": \"cookie\" the answer is as before: a bearer token, no cookie") {
    auto res = login(s, {{"username", "ana"}, {"password", kPassword}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(parse(res)["token"].get<std::string>().starts_with("hs_"));
    CHECK_FALSE(parse(res).contains("csrf_token"));
    CHECK_FALSE(res->has_header("Set-Cookie"));
  }
  SUBCASE("an unknown session kind is a 400 naming the field") {
    auto res = login(s, {{"username", "ana"}, {"password", kPassword}, {"session", "sticky"}});
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(parse(res)["fields"][0]["field"] == "session");
  }
  SUBCASE("a page on another site cannot sign the browser in") {
    auto res = login(s, {{"username", "ana"}, {"password", kPassword}, {"session", "cookie"}},
                     {{"Origin", "https://evil.example"}});
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(parse(res)["error"] == "csrf_failed");
    CHECK_FALSE(res->has_header("Set-Cookie"));
  }
}

TEST_CASE("the session cookie works where a user's bearer token does; a bearer header wins over it") {
  TestServer s;
  add_user(s, "ana", server::Role::agent);
  const Browser b = browser_sign_in(s, "ana");
  auto c = s.client();

  auto me = c.Get("/api/v1/me", b.headers());
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(parse(me)["username"] == "ana");
  CHECK(parse(me)["csrf_token"] == b.csrf);  // a reloaded page recovers it
  auto cases = c.Get("/api/v1/cases", b.headers());
  REQUIRE(cases);
  CHECK(cases->status == 200);

  // Browsers and proxies write Cookie headers in several ways; only heed_session counts.
  for (const httplib::Headers& h :
       std::vector<httplib::Headers>{{{"Cookie", "theme=dark; heed_session=" + b.token + "; lang=cy"}},
                                     {{"Cookie", "  theme=dark ;heed_session = \"" + b.token + "\" ;  other=\"x;y\""}},
                                     {{"Cookie", "heed_session_old=hs_nothing; heed_session=" + b.token}},
                                     {{"Cookie", "theme=dark"}, {"Cookie", "heed_session=" + b.token}}}) {
    INFO(h.begin()->second);
    auto res = c.Get("/api/v1/me", h);
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  for (const std::string& cookie :
       {std::string("theme=dark"), std::string("heed_session="), std::string("heed_session=hs_not-a-session"),
        std::string("xheed_session=") + b.token}) {
    INFO(cookie);
    auto res = c.Get("/api/v1/me", {{"Cookie", cookie}});
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(parse(res)["error"] == "unauthorized");
  }
  SUBCASE("a device token is never a cookie") {
    const std::string device = s.enroll_device();
    auto res = c.Post("/api/v1/devices/heartbeat", {{"Cookie", "heed_session=" + device}}, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
  }
  SUBCASE("the bearer header wins when both are sent") {
    const std::string bob = s.sign_in("bob", server::Role::manager);
    httplib::Headers both = bearer(bob);
    both.emplace("Cookie", "heed_session=" + b.token);
    auto res = c.Get("/api/v1/me", both);
    REQUIRE(res);
    CHECK(parse(res)["username"] == "bob");
    CHECK_FALSE(parse(res).contains("csrf_token"));  // bearer sessions have none
  }
}

TEST_CASE("CSRF: a change from a cookie session needs X-CSRF-Token and this server's origin; bearer needs neither") {
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");
  TestServer s(&clock);
  add_user(s, "hq", server::Role::manager);
  add_user(s, "root", server::Role::admin);
  add_user(s, "ana", server::Role::agent);
  const Browser hq = browser_sign_in(s, "hq");
  const Browser other = browser_sign_in(s, "hq");  // the same user in another browser
  const Browser root = browser_sign_in(s, "root");
  const std::string device = s.enroll_device();
  auto c = s.client();
  Complaint complaint = test::escalated_complaint();
  complaint.header.created_at = *parse_timestamp("2026-11-23T11:00:00Z");
  REQUIRE(post_records(c, device, {complaint})["accepted"].size() == 1);
  const std::string id = std::to_string(case_of(s, complaint.header.id)["id"].get<std::int64_t>());
  const std::string actions = "/api/v1/cases/" + id + "/actions";
  const std::string note = json{{"action", "note"}, {"note", "Rang the supplier"}}.dump();
  auto history = [&] {
    auto res = c.Get(("/api/v1/cases/" + id).c_str(), hq.headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return parse(res)["history"].size();
  };
  const auto before = history();
  const std::string self = "http://127.0.0.1:" + std::to_string(s.port());

  struct Refused {
    const char* what;
    httplib::Headers headers;
  };
  const std::vector<Refused> refused{
      {"no X-CSRF-Token", hq.headers()},
      {"a wrong X-CSRF-Token", hq.headers(std::string(64, 'a'))},
      {"another session's X-CSRF-Token", hq.headers(other.csrf)},
      {"an empty X-CSRF-Token", hq.headers(std::string())},
  };
  for (const auto& r : refused) {
    INFO(r.what);
    auto res = c.Post(actions.c_str(), r.headers, note, "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(parse(res)["error"] == "csrf_failed");
    CHECK_FALSE(parse(res)["message"].get<std::string>().empty());
  }
  for (const std::string origin : {"https://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1"}) {
    INFO("Origin: ", origin);
    httplib::Headers h = hq.with_csrf();
    h.emplace("Origin", origin);
    auto res = c.Post(actions.c_str(), h, note, "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(parse(res)["error"] == "csrf_failed");
    httplib::Headers get = hq.headers();
    get.emplace("Origin", origin);
    auto read = c.Get("/api/v1/me", get);
    REQUIRE(read);
    CHECK(read->status == 403);
  }
  CHECK(history() == before);  // nothing refused changed the case

  auto ok = c.Post(actions.c_str(), hq.with_csrf(), note, "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  httplib::Headers same = hq.with_csrf();
  same.emplace("Origin", self);
  auto ok_origin = c.Post(actions.c_str(), same, note, "application/json");
  REQUIRE(ok_origin);
  CHECK(ok_origin->status == 200);
  // Behind the proxy: the public origin is the forwarded host over https (default port left out).
  httplib::Headers proxied = hq.with_csrf();
  proxied.emplace("Origin", "https://heed.example");
  proxied.emplace("X-Forwarded-Proto", "https");
  proxied.emplace("X-Forwarded-Host", "heed.example:443");
  auto ok_proxied = c.Post(actions.c_str(), proxied, note, "application/json");
  REQUIRE(ok_proxied);
  CHECK(ok_proxied->status == 200);
  CHECK(history() == before + 3);

  // PATCH /users: the same rule.
  const std::string patch = json{{"role", "manager"}}.dump();
  for (const auto& h : {root.headers(), root.headers(std::string(64, '0'))}) {
    auto res = c.Patch("/api/v1/users/ana", h, patch, "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(parse(res)["error"] == "csrf_failed");
  }
  auto patched = c.Patch("/api/v1/users/ana", root.with_csrf(), patch, "application/json");
  REQUIRE(patched);
  CHECK(patched->status == 200);
  CHECK(parse(patched)["role"] == "manager");

  // A bearer token needs no CSRF token: a browser never adds that header by itself.
  const std::string bearer_root = s.sign_in("root2", server::Role::admin);
  auto by_bearer =
      c.Patch("/api/v1/users/ana", bearer(bearer_root), json{{"role", "agent"}}.dump(), "application/json");
  REQUIRE(by_bearer);
  CHECK(by_bearer->status == 200);
  const std::string bearer_hq = s.sign_in("hq2", server::Role::manager);
  auto note_by_bearer = c.Post(actions.c_str(), bearer(bearer_hq), note, "application/json");
  REQUIRE(note_by_bearer);
  CHECK(note_by_bearer->status == 200);
}

TEST_CASE("sign-out ends the session for later requests and clears the cookie") {
  TestServer s;
  add_user(s, "ana", server::Role::agent);
  const Browser b = browser_sign_in(s, "ana");
  auto c = s.client();

  auto refused = c.Post("/api/v1/auth/logout", b.headers(), "", "application/json");  // no CSRF token
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK_FALSE(refused->has_header("Set-Cookie"));
  CHECK(c.Get("/api/v1/me", b.headers())->status == 200);  // still signed in

  auto out = c.Post("/api/v1/auth/logout", b.with_csrf(), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 204);
  CHECK(out->body.empty());
  CHECK(out->get_header_value("Set-Cookie") == "heed_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  auto after = c.Get("/api/v1/me", b.headers());
  REQUIRE(after);
  CHECK(after->status == 401);
  CHECK(parse(after)["error"] == "unauthorized");
  // Signing out again: the session is gone, and the browser is told to forget the cookie.
  auto again = c.Post("/api/v1/auth/logout", b.with_csrf(), "", "application/json");
  REQUIRE(again);
  CHECK(again->status == 401);
  CHECK(again->get_header_value("Set-Cookie") == "heed_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");

  SUBCASE("a bearer session signs out the same way") {
    const std::string token = s.sign_in("bob", server::Role::manager);
    auto res = c.Post("/api/v1/auth/logout", bearer(token), "", "application/json");
    REQUIRE(res);
    CHECK(res->status == 204);
    CHECK(c.Get("/api/v1/me", bearer(token))->status == 401);
  }
  SUBCASE("another session of the same user stays signed in") {
    const Browser second = browser_sign_in(s, "ana");
    const Browser third = browser_sign_in(s, "ana");
    CHECK(c.Post("/api/v1/auth/logout", second.with_csrf(), "", "application/json")->status == 204);
    CHECK(c.Get("/api/v1/me", third.headers())->status == 200);
  }
}

TEST_CASE("/me: levels, the chain's time zone, the idle timeout, the session's end; a CSRF token for cookies only") {
  TestClock clock;
  TestServer s(&clock);
  const std::string token = s.sign_in("ana", server::Role::agent, {server::Scope::Kind::store, "MCR-01"});
  auto c = s.client();
  const json me = get_json(c, "/api/v1/me", token);
  CHECK(me["levels"] == json::parse(R"([{"level":0,"name":"store"},{"level":1,"name":"area"},
                                        {"level":2,"name":"head_office"}])"));
  CHECK(me["time_zone"] == "Europe/London");
  CHECK(me["idle_timeout_s"] == 12 * 3600);
  CHECK(me["session_expires_at"] == format_timestamp(clock.now() + std::chrono::hours(12)));
  CHECK_FALSE(me.contains("csrf_token"));
  CHECK(me["home_level"] == 0);
  CHECK(me["stores"] == json::array({"MCR-01"}));

  const Browser b = browser_sign_in(s, "ana");
  auto res = c.Get("/api/v1/me", b.headers());
  REQUIRE(res);
  const json by_cookie = parse(res);
  CHECK(by_cookie["csrf_token"] == b.csrf);
  CHECK(by_cookie["levels"] == me["levels"]);
  CHECK(by_cookie == b.body["user"]);  // sign-in's "user" is the /me body
}

TEST_CASE(
    "idle timeout: unused past it, a session answers 401 session_expired; background polls do not keep it alive") {
  using namespace std::chrono_literals;
  TestClock clock;
  TempDir dir;
  auto options = test_options(dir.path() / "data", &clock);
  options.idle_timeout = 600s;  // 10 minutes; activity is written at most every 30 s
  TestServer s(options);
  add_user(s, "ana", server::Role::agent);
  const Timestamp start = clock.now();
  const Browser b = browser_sign_in(s, "ana");
  CHECK(b.body["idle_timeout_s"] == 600);
  const std::string token = s.sign_in("bob", server::Role::manager);
  auto c = s.client();
  httplib::Headers poll = b.headers();
  poll.emplace("X-Heed-Background", "1");
  auto status_at = [&](Timestamp t, const char* path, const httplib::Headers& h) {
    clock.set(t);
    auto res = c.Get(path, h);
    REQUIRE(res);
    return std::pair{res->status, parse(res)};
  };

  // Foreground requests keep it alive: each one restarts the ten minutes.
  CHECK(status_at(start + 500s, "/api/v1/me", b.headers()).first == 200);
  CHECK(status_at(start + 1000s, "/api/v1/cases", b.headers()).first == 200);
  // The queue's polling does not count as use.
  CHECK(status_at(start + 1300s, "/api/v1/cases", poll).first == 200);
  CHECK(status_at(start + 1599s, "/api/v1/cases", poll).first == 200);
  const auto [polled, polled_body] = status_at(start + 1600s, "/api/v1/cases", poll);
  CHECK(polled == 401);
  CHECK(polled_body["error"] == "session_expired");
  CHECK(polled_body["message"] == "signed out after 10 minutes without activity");
  const auto [foreground, foreground_body] = status_at(start + 1600s, "/api/v1/me", b.headers());
  CHECK(foreground == 401);
  CHECK(foreground_body["error"] == "session_expired");
  // A bearer session idles the same way (bob has not used his since signing in).
  const auto [by_bearer, by_bearer_body] = status_at(start + 1600s, "/api/v1/me", bearer(token));
  CHECK(by_bearer == 401);
  CHECK(by_bearer_body["error"] == "session_expired");
  // Signing out of an idle session: 401, and the browser is told to forget the cookie.
  auto out = c.Post("/api/v1/auth/logout", b.with_csrf(), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 401);
  CHECK(out->get_header_value("Set-Cookie") == "heed_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");

  SUBCASE("a busy user's use is written at most once a step (30 s here), not on every request") {
    const Browser again = browser_sign_in(s, "ana");  // at start + 1600 s
    const std::string hash = s.admin().hasher.hash(again.token);
    auto last_use = [&] {
      return s.server->storage().user_by_session(hash, clock.now(), 600s).value().session->last_active_at;
    };
    CHECK(status_at(start + 1620s, "/api/v1/me", again.headers()).first == 200);
    CHECK(last_use() == start + 1600s);  // 20 s after the last write: not written
    CHECK(status_at(start + 1640s, "/api/v1/me", again.headers()).first == 200);
    CHECK(last_use() == start + 1640s);
    clock.set(start + 1690s);
    auto changed = c.Post("/api/v1/auth/logout", again.headers(), "", "application/json");  // refused: no CSRF
    REQUIRE(changed);
    CHECK(changed->status == 403);
    CHECK(last_use() == start + 1640s);  // a refused request is not use
  }
  SUBCASE("the server refuses an idle timeout under 5 seconds") {
    auto bad = options;
    bad.idle_timeout = 4s;
    auto started = server::HeedServer::start(bad);
    REQUIRE_FALSE(started);
    CHECK(started.error().message == "the idle timeout must be at least 5 seconds");
  }
}
