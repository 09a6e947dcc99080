// The KPI digest end to end: subscribing through the API (its 400s, CSRF, an
// admin setting the address), the printable report (scope, content type,
// escaping), and a real heed-server mailing the weekly digest to an SMTP
// receiver on loopback once the week is over: the recipients, the subject, the
// HTML with the week's figures and no customer's details, retried after a
// relay's refusal, and sent exactly once across a restart.
#include <doctest/doctest.h>
#include <sodium.h>

#include <fstream>
#include <functional>
#include <regex>

#include "heed/server/storage.hpp"
#include "server_fixture.hpp"
#include "smtp_receiver.hpp"

namespace heed::test {
namespace {

using nlohmann::json;
using server::Role;
using server::Scope;

json parse(const httplib::Result& res) { return json::parse(res->body, nullptr, false); }

// The shipped rules with a change, in `dir`, and every figure shown from a handful
// of records (insight.min_sample 1).
void write_rules(const TempDir& dir, const std::function<void(json&)>& change = {}) {
  json rules = json::parse(std::ifstream(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json"));
  rules["calendar"]["holidays"] =
      (std::filesystem::path(HEED_ASSETS_DIR) / "calendar/bank-holidays-england-wales.json").string();
  rules["final_response"]["templates"] = (std::filesystem::path(HEED_ASSETS_DIR) / "letters").string();
  rules["insight"]["min_sample"] = 1;
  if (change) change(rules);
  std::ofstream(dir.path() / "rules.json") << rules.dump();
}

json patch(TestServer& s, const std::string& path, const std::string& token, const json& body, int* status) {
  auto res = s.client().Patch(path.c_str(), bearer(token), body.dump(), "application/json");
  REQUIRE(res);
  *status = res->status;
  return parse(res);
}

std::string field_code(const json& body, const std::string& field) {
  if (!body.contains("fields")) return "";
  for (const auto& f : body["fields"])
    if (f["field"] == field) return f["code"].get<std::string>();
  return "";
}

// The decoded body of a message's part of this content type ("text/html").
std::string mime_part(const std::string& data, const std::string& type) {
  const auto header = data.find("Content-Type: " + type + ";");
  if (header == std::string::npos) return "";
  const auto start = data.find("\r\n\r\n", header) + 4;
  const auto end = data.find("\r\n--", start);
  std::string b64;
  for (char c : data.substr(start, end - start))
    if (c != '\r' && c != '\n') b64 += c;
  std::string out(b64.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.c_str(), b64.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return "";
  out.resize(length);
  return out;
}

std::string header_of(const std::string& data, const std::string& name) {
  const auto at = data.find("\r\n" + name + ": ");
  if (at == std::string::npos) return data.rfind(name + ": ", 0) == 0 ? data.substr(name.size() + 2, data.find("\r\n") - name.size() - 2) : "";
  const auto start = at + name.size() + 4;
  std::string value = data.substr(start, data.find("\r\n", start) - start);
  // Folded continuation lines.
  for (auto next = data.find("\r\n", start); next + 2 < data.size() && data[next + 2] == ' ';
       next = data.find("\r\n", next + 2))
    value += data.substr(next + 2, data.find("\r\n", next + 2) - next - 2);
  return value;
}

// An RFC 2047 subject back to UTF-8 (only the =?UTF-8?B?...?= form Heed writes).
std::string decode_subject(const std::string& value) {
  std::string out;
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
  for (auto it = std::sregex_iterator(value.begin(), value.end(), word); it != std::sregex_iterator(); ++it) {
    const std::string b64 = (*it)[1];
    std::string bytes(b64.size(), '\0');
    std::size_t length = 0;
    sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), b64.c_str(), b64.size(), nullptr,
                      &length, nullptr, sodium_base64_VARIANT_ORIGINAL);
    out += bytes.substr(0, length);
  }
  return out.empty() ? value : out;
}

Feedback scored(const char* store, const char* at, int nps, int csat) {
  Feedback f = feedback();
  f.header.store_id = store;
  f.header.created_at = *parse_timestamp(at);
  f.nps = nps;
  f.csat = csat;
  return f;
}

TEST_CASE("a user subscribes to the digest through /me, once an admin has set their email") {
  TestServer s;
  const std::string root = s.sign_in("root", Role::admin, Scope{});
  const std::string dora = s.sign_in("dora", Role::manager, Scope{Scope::Kind::area, "north_west"});
  int status = 0;
  auto client = s.client();

  json me = get_json(client, "/api/v1/me", dora, &status);
  CHECK(status == 200);
  CHECK(me["digest"] == "none");
  CHECK(me["email"].is_null());

  // No address yet: a clear 400 naming the field.
  json body = patch(s, "/api/v1/me", dora, {{"digest", "weekly"}}, &status);
  CHECK(status == 400);
  CHECK(body["error"] == "invalid_request");
  CHECK(field_code(body, "digest") == "email_required");
  // Bad bodies.
  body = patch(s, "/api/v1/me", dora, {{"digest", "hourly"}}, &status);
  CHECK(status == 400);
  CHECK(field_code(body, "digest") == "invalid");
  body = patch(s, "/api/v1/me", dora, {{"digest", "none"}, {"role", "admin"}}, &status);
  CHECK(status == 400);
  CHECK(field_code(body, "role") == "unknown_field");
  body = patch(s, "/api/v1/me", dora, json::array(), &status);
  CHECK(status == 400);
  CHECK(body["error"] == "invalid_request");
  body = patch(s, "/api/v1/me", dora, json::object(), &status);
  CHECK(status == 400);
  CHECK(field_code(body, "digest") == "required");

  // The admin sets the address; a bad one is a 400.
  body = patch(s, "/api/v1/users/dora", root, {{"email", "dora at example"}}, &status);
  CHECK(status == 400);
  CHECK(field_code(body, "email") == "invalid");
  body = patch(s, "/api/v1/users/dora", root, {{"email", "dora@example.co.uk\r\nBcc: x@evil.example"}}, &status);
  CHECK(status == 400);
  body = patch(s, "/api/v1/users/dora", root, {{"email", "dora@example.co.uk"}}, &status);
  CHECK(status == 200);
  CHECK(body["email"] == "dora@example.co.uk");

  body = patch(s, "/api/v1/me", dora, {{"digest", "weekly"}}, &status);
  CHECK(status == 200);
  CHECK(body["digest"] == "weekly");
  CHECK(body["email"] == "dora@example.co.uk");
  CHECK(body["username"] == "dora");

  // Admins see it in the users list.
  json users = get_json(client, "/api/v1/users", root, &status);
  CHECK(status == 200);
  bool found = false;
  for (const auto& u : users["users"])
    if (u["username"] == "dora") {
      found = true;
      CHECK(u["digest"] == "weekly");
      CHECK(u["email"] == "dora@example.co.uk");
    }
  CHECK(found);
  // The audit trail says what changed, without the address.
  json audit = get_json(client, "/api/v1/audit?action=user.update", root,
                        &status);
  CHECK(audit.dump().find("dora@example.co.uk") == std::string::npos);

  // Removing the address ends the subscription.
  body = patch(s, "/api/v1/users/dora", root, {{"email", nullptr}}, &status);
  CHECK(status == 200);
  CHECK(body["email"].is_null());
  CHECK(body["digest"] == "none");
}

TEST_CASE("PATCH /me from the browser needs the CSRF token") {
  TestServer s;
  (void)s.sign_in("dora", Role::manager, Scope{Scope::Kind::store, "MCR-01"});
  auto c = s.client();
  auto login = c.Post("/api/v1/auth/login",
                      json{{"username", "dora"}, {"password", "correct horse battery staple"}, {"session", "cookie"}}
                          .dump(),
                      "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  std::smatch m;
  const std::string cookie = login->get_header_value("Set-Cookie");
  REQUIRE(std::regex_search(cookie, m, std::regex("^heed_session=([^;]+);")));
  const std::string token = m[1];
  const std::string csrf = json::parse(login->body)["csrf_token"];
  auto without = c.Patch("/api/v1/me", {{"Cookie", "heed_session=" + token}}, R"({"digest":"none"})",
                         "application/json");
  REQUIRE(without);
  CHECK(without->status == 403);
  CHECK(parse(without)["error"] == "csrf_failed");
  auto with = c.Patch("/api/v1/me", {{"Cookie", "heed_session=" + token}, {"X-CSRF-Token", csrf}},
                      R"({"digest":"none"})", "application/json");
  REQUIRE(with);
  CHECK(with->status == 200);
  auto anonymous = c.Patch("/api/v1/me", R"({"digest":"none"})", "application/json");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
}

TEST_CASE("the printable report: in scope only, HTML with a print stylesheet, every name escaped") {
  // Rules whose area name is markup: it must reach the page as text.
  TempDir rules_dir;
  write_rules(rules_dir, [](json& rules) { rules["areas"]["north_west"]["name"] = "<b>North</b> & \"West\""; });
  TestClock clock("2026-11-30T10:00:00Z");
  TempDir dir;
  auto options = test_options(dir.path() / "data", &clock);
  options.rules_file = rules_dir.path() / "rules.json";
  TestServer s(options);
  const std::string device = s.enroll_device("MCR-01");
  auto c = s.client();
  int status = 0;
  post_records(c, device, {scored("MCR-01", "2026-11-24T12:00:00Z", 10, 5), scored("MCR-01", "2026-11-25T12:00:00Z", 3, 2)},
               &status);
  REQUIRE(status == 200);

  const std::string store_user = s.sign_in("sam", Role::agent, Scope{Scope::Kind::store, "MCR-01"});
  const std::string area_user = s.sign_in("dora", Role::manager, Scope{Scope::Kind::area, "north_west"});

  auto get = [&](const std::string& path, const std::string& token) {
    auto res = c.Get(path.c_str(), bearer(token));
    REQUIRE(res);
    return res;
  };
  auto page = get("/api/v1/report?period=week", area_user);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(page->get_header_value("Cache-Control") == "no-store");
  CHECK(page->body.find("@media print") != std::string::npos);
  CHECK(page->body.find("Weekly digest for &lt;b&gt;North&lt;/b&gt; &amp; &quot;West&quot; area") !=
        std::string::npos);
  CHECK(page->body.find("<b>North</b>") == std::string::npos);
  CHECK(page->body.find("Monday 23 November to Sunday 29 November 2026") != std::string::npos);
  // Two answers, NPS 10 and 3: 50 % promoters - 50 % detractors = 0.
  CHECK(page->body.find(">0 \u00b1 ") != std::string::npos);
  CHECK(page->body.find("from 2 answers") != std::string::npos);
  // The customer's comment, name and contact never appear.
  CHECK(page->body.find("Quick checkout") == std::string::npos);

  auto day = get("/api/v1/report?period=day&date=2026-11-24&store_id=MCR-01", store_user);
  CHECK(day->status == 200);
  CHECK(day->body.find("Daily digest for Store MCR-01") != std::string::npos);
  CHECK(day->body.find("Tuesday 24 November 2026") != std::string::npos);

  // Outside the caller's scope: 403 with a JSON error.
  for (const char* path : {"/api/v1/report?store_id=LON-01", "/api/v1/report?area=london"}) {
    auto res = get(path, area_user);
    CHECK(res->status == 403);
    CHECK(parse(res)["error"] == "forbidden");
  }
  auto wider = get("/api/v1/report?area=north_west", store_user);
  CHECK(wider->status == 403);
  // Bad parameters: 400 with the field named.
  for (const auto& [path, field] : {std::pair{"/api/v1/report?period=month", "period"},
                                    std::pair{"/api/v1/report?date=2026-02-30", "date"},
                                    std::pair{"/api/v1/report?area=nowhere", "area"},
                                    std::pair{"/api/v1/report?store_id=%3Cx%3E", "store_id"}}) {
    auto res = get(path, area_user);
    CHECK(res->status == 400);
    CHECK(field_code(parse(res), field) != "");
  }
  auto anonymous = c.Get("/api/v1/report");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  CHECK(anonymous->get_header_value("Content-Type") == "application/json");
}

TEST_CASE("the weekly digest goes to an SMTP receiver once the week is over, once, across a restart") {
  SmtpReceiver relay;
  TestClock clock("2026-11-23T10:00:00Z");  // Monday
  TempDir dir, rules_dir;
  write_rules(rules_dir);
  auto options = test_options(dir.path() / "data", &clock);
  options.rules_file = rules_dir.path() / "rules.json";
  options.smtp.url = relay.url();
  options.smtp.from = "heed@example.co.uk";
  options.smtp.tls = "none";
  options.smtp.timeout = std::chrono::seconds(5);
  options.digest_poll_interval = std::chrono::milliseconds(50);
  options.digest_retry_base = std::chrono::milliseconds(60000);
  TestServer s(options);

  const std::string root = s.sign_in("root", Role::admin, Scope{});
  const std::string dora = s.sign_in("dora", Role::manager, Scope{Scope::Kind::area, "north_west"});
  int status = 0;
  patch(s, "/api/v1/users/dora", root, {{"email", "dora@example.co.uk"}}, &status);
  REQUIRE(status == 200);
  patch(s, "/api/v1/me", dora, {{"digest", "weekly"}}, &status);
  REQUIRE(status == 200);

  // The week: three answers in the area (NPS 10, 9, 2: 2 promoters, 1 detractor
  // of 3 -> 67 % - 33 % = +33; CSAT 5, 4, 1 -> mean 3.33, 66.7 % satisfied), one
  // with the customer's contact details and comment, and one in London (out of scope).
  clock.set("2026-11-29T20:00:00Z");  // the week's answers arrive by Sunday evening
  const std::string mcr = s.enroll_device("MCR-01");
  const std::string liv = s.enroll_device("LIV-01");
  const std::string lon = s.enroll_device("LON-01");
  auto c = s.client();
  Feedback contactable = scored("LIV-01", "2026-11-26T15:00:00Z", 2, 1);
  contactable.contact = contact();
  contactable.comment = "Call me on 07700 900123 about the rude cashier";
  post_records(c, mcr, {scored("MCR-01", "2026-11-24T12:00:00Z", 10, 5), scored("MCR-01", "2026-11-25T12:00:00Z", 9, 4)},
               &status);
  REQUIRE(status == 200);
  post_records(c, liv, {contactable}, &status);
  REQUIRE(status == 200);
  post_records(c, lon, {scored("LON-01", "2026-11-24T12:00:00Z", 0, 1)}, &status);
  REQUIRE(status == 200);

  // Before the week's end and the send hour (07:00 in London): nothing.
  clock.set("2026-11-30T06:59:00Z");
  s.server->digests_now();
  CHECK_FALSE(relay.wait_for(1, std::chrono::milliseconds(400)));

  clock.set("2026-11-30T07:00:05Z");
  s.server->digests_now();
  REQUIRE(relay.wait_for(1, std::chrono::seconds(10)));
  auto messages = relay.messages();
  REQUIRE(messages.size() == 1);
  const auto& m = messages[0];
  CHECK(m.mail_from == "heed@example.co.uk");
  CHECK(m.to == std::vector<std::string>{"dora@example.co.uk"});
  INFO(m.data.substr(0, 2000));
  CHECK(decode_subject(header_of(m.data, "Subject")) ==
        "Heed weekly digest: North West area, Monday 23 November to Sunday 29 November 2026");
  CHECK(header_of(m.data, "Message-ID").find("<heed-digest.week.2026-11-23.u") == 0);
  CHECK(header_of(m.data, "MIME-Version") == "1.0");
  CHECK(header_of(m.data, "Date") == "Mon, 30 Nov 2026 07:00:05 +0000");
  CHECK(header_of(m.data, "To") == "dora@example.co.uk");
  const std::string html = mime_part(m.data, "text/html");
  const std::string text = mime_part(m.data, "text/plain");
  REQUIRE_FALSE(html.empty());
  REQUIRE_FALSE(text.empty());
  CHECK(html.find("+33 \u00b1 ") != std::string::npos);
  CHECK(text.find("- Net Promoter Score (NPS): +33 \u00b1 ") != std::string::npos);
  CHECK(text.find("(from 3 answers)") != std::string::npos);
  CHECK(text.find("- Customer satisfaction (CSAT), average out of 5: 3.33 (from 3 answers). No figure for the week "
                  "before") != std::string::npos);
  CHECK(text.find("- Satisfied customers (CSAT 4 or 5): 66.7% (from 3 answers)") != std::string::npos);
  // The call-back the contactable detractor asked for (Thursday 15:00) was not
  // acknowledged within its working day: due Friday 15:00, missed. Its
  // resolution is due next Tuesday, outside the week.
  CHECK(text.find("1 deadline was missed in 1 case: 1 acknowledgement and 0 resolutions.") != std::string::npos);
  // Nothing about the customer.
  for (const char* personal : {"07700", "ffion", "Ffion", "\u0141ukasik", "cashier", "Quick checkout"}) {
    CHECK(html.find(personal) == std::string::npos);
    CHECK(text.find(personal) == std::string::npos);
  }

  // Once: more polls, then a restart, send nothing more.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  s.restart();
  s.server->digests_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(relay.messages().size() == 1);
  auto user = s.server->storage().user_by_name("dora").value().value();
  auto rows = s.server->storage().digest_deliveries(user.id).value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].sent_at.has_value());
  CHECK(rows[0].attempts == 1);

  // The next week: the relay refuses the first attempt (451); the digest is
  // retried after its backoff, and still arrives once.
  relay.fail_next(1);
  clock.set("2026-12-07T07:30:00Z");
  s.server->digests_now();
  for (int i = 0; i < 200 && relay.failed() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  CHECK(relay.failed() == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(relay.messages().size() == 1);  // not before the backoff
  rows = s.server->storage().digest_deliveries(user.id).value();
  REQUIRE(rows.size() == 2);
  CHECK_FALSE(rows[0].sent_at.has_value());
  CHECK(rows[0].attempts == 1);
  CHECK(rows[0].last_error.value_or("").find("451") != std::string::npos);
  auto metrics = s.client().Get("/metrics");  // a new port since the restart
  REQUIRE(metrics);
  CHECK(metrics->body.find("heed_digest_failures_total 1") != std::string::npos);
  CHECK(metrics->body.find("heed_digests_sent_total 0") != std::string::npos);  // counted since the restart

  clock.set("2026-12-07T07:31:01Z");  // past the 60 s backoff
  s.server->digests_now();
  REQUIRE(relay.wait_for(2, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  messages = relay.messages();
  CHECK(messages.size() == 2);
  CHECK(decode_subject(header_of(messages[1].data, "Subject")) ==
        "Heed weekly digest: North West area, Monday 30 November to Sunday 6 December 2026");
  rows = s.server->storage().digest_deliveries(user.id).value();
  CHECK(rows[0].sent_at.has_value());
  CHECK(rows[0].attempts == 2);

  // Unsubscribed (a new session: the first ended with its 12-hour life): no more.
  const std::string again = s.sign_in("dora", Role::manager, Scope{Scope::Kind::area, "north_west"});
  patch(s, "/api/v1/me", again, {{"digest", "none"}}, &status);
  CHECK(status == 200);
  clock.set("2026-12-14T08:00:00Z");
  s.server->digests_now();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(relay.messages().size() == 2);
}

}  // namespace
}  // namespace heed::test
