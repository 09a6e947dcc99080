// Integration tests of HTTP API v1: a real server on a loopback port and a real
// HTTP client. Every status code the issue lists, idempotent ingest under
// replays and concurrency, KPIs against hand-computed values, cases and their
// actions, customer history and the CSV export.
#include <doctest/doctest.h>

#include <zlib.h>

#include <set>
#include <thread>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

Feedback feedback_at(const char* created, std::optional<int> csat, std::optional<int> nps, bool contact = false,
                     const std::string& store = "MCR-01") {
  Feedback f = test::feedback();
  f.header.created_at = at(created);
  f.header.store_id = store;
  f.csat = csat;
  f.nps = nps;
  if (contact) f.contact = test::contact();
  return f;
}

httplib::Headers with(httplib::Headers headers, std::pair<std::string, std::string> extra) {
  headers.insert(std::move(extra));
  return headers;
}

std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::set<std::string> ids(const json& list) {
  std::set<std::string> out;
  for (const auto& id : list) out.insert(id.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("health, metrics and the OpenAPI document") {
  TestServer s;
  auto c = s.client();
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body) == json{{"status", "ok"}});
  auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").find("text/plain") == 0);
  CHECK(metrics->body.find("# TYPE heed_records_total counter") != std::string::npos);
  CHECK(metrics->body.find("heed_http_responses_total{code=\"200\"}") != std::string::npos);
  auto doc = c.Get("/api/v1/openapi.yaml");
  REQUIRE(doc);
  CHECK(doc->status == 200);
  CHECK(doc->body.find("openapi: 3") == 0);
  auto missing = c.Get("/api/v1/nothing-here");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(json::parse(missing->body)["error"] == "not_found");
}

TEST_CASE("enrollment: a code enrolls one device; unknown, used or expired codes are refused") {
  TestServer s;
  auto c = s.client();
  auto data = s.admin();
  const auto code = server::issue_enrollment_code(data, "MCR-01", now_utc()).value();
  const auto stale = server::issue_enrollment_code(data, "MCR-01", now_utc() - 25h).value();

  auto enroll = [&](const std::string& body, const std::string& type = "application/json") {
    auto res = c.Post("/api/v1/devices/enroll", body, type.c_str());
    REQUIRE(res);
    return std::pair{res->status, json::parse(res->body, nullptr, false)};
  };
  // Typed loosely: lower case, spaces for hyphens.
  std::string typed = code;
  for (char& ch : typed) ch = ch == '-' ? ' ' : static_cast<char>(std::tolower(ch));
  auto [status, body] = enroll(json{{"code", typed}, {"name", "Till 2 kiosk"}}.dump());
  CHECK(status == 201);
  CHECK(body["store_id"] == "MCR-01");
  CHECK(body["device_id"].get<std::string>().rfind("dev-", 0) == 0);
  CHECK(body["token"].get<std::string>().rfind("hd_", 0) == 0);

  CHECK(enroll(json{{"code", code}, {"name", "again"}}.dump()).first == 403);
  CHECK(enroll(json{{"code", stale}, {"name", "late"}}.dump()).first == 403);
  auto unknown = enroll(json{{"code", "AAAA-BBBB-CCCC"}, {"name", "x"}}.dump());
  CHECK(unknown.first == 403);
  CHECK(unknown.second["error"] == "enrollment_refused");
  auto no_name = enroll(json{{"code", "AAAA-BBBB-CCCC"}}.dump());
  CHECK(no_name.first == 400);
  CHECK(no_name.second["message"].get<std::string>().find("name") != std::string::npos);
  CHECK(enroll("{not json", "application/json").first == 400);
  CHECK(enroll(json{{"code", code}, {"name", "x"}}.dump(), "text/plain").first == 415);
}

TEST_CASE("POST /api/v1/records: every whole-request status") {
  TestServer s;
  const auto token = s.enroll_device();
  auto c = s.client();
  const std::string one = batch_body({test::feedback()});
  auto post = [&](const httplib::Headers& headers, const std::string& body, const char* type = "application/json") {
    auto res = c.Post("/api/v1/records", headers, body, type);
    REQUIRE(res);
    return std::pair{res->status, json::parse(res->body, nullptr, false)};
  };

  SUBCASE("401: missing, unknown, malformed or revoked token") {
    CHECK(post({}, one).first == 401);
    CHECK(post(bearer("hd_not-a-token-we-issued"), one).first == 401);
    CHECK(post({{"Authorization", "Basic YWxpY2U6c2VjcmV0"}}, one).first == 401);
    auto data = s.admin();
    const auto device = data.storage->device_by_token(data.hasher.hash(token)).value();
    REQUIRE(device);
    REQUIRE(data.storage->revoke_device(device->device_id, now_utc()));
    auto [status, body] = post(bearer(token), one);
    CHECK(status == 401);
    CHECK(body["error"] == "unauthorized");
  }
  SUBCASE("415: a compressed body is refused before it is read, on any route") {
    // Debian's cpp-httplib would inflate it past every limit (api.cpp).
    auto [status, body] = post(with(bearer(token), {"Content-Encoding", "gzip"}), gzip(one));
    CHECK(status == 415);
    CHECK(body["error"] == "unsupported_encoding");
    auto login = c.Post("/api/v1/auth/login", {{"Content-Encoding", "br"}}, "\x0b\x02\x80{}\x03", "application/json");
    REQUIRE(login);
    CHECK(login->status == 415);
    CHECK(post(with(bearer(token), {"Content-Encoding", "identity"}), one).first == 200);
  }
  SUBCASE("415: not application/json") {
    CHECK(post(bearer(token), one, "text/plain").first == 415);
    CHECK(post(bearer(token), one, "application/json; charset=utf-8").first == 200);
  }
  SUBCASE("400: not JSON, no records array, 0 or more than 500 records") {
    auto [status, body] = post(bearer(token), "{\"records\": [");
    CHECK(status == 400);
    CHECK(body["error"] == "invalid_json");
    CHECK(post(bearer(token), "{\"items\": []}").first == 400);
    CHECK(post(bearer(token), "[]").first == 400);
    CHECK(post(bearer(token), "{\"records\": {}}").first == 400);
    auto empty = post(bearer(token), "{\"records\": []}");
    CHECK(empty.first == 400);
    CHECK(empty.second["error"] == "batch_size");
    std::vector<Record> many;
    for (int i = 0; i < 501; ++i) many.push_back(test::feedback());
    CHECK(post(bearer(token), batch_body(many)).first == 400);
    many.pop_back();
    auto full = post(bearer(token), batch_body(many));
    CHECK(full.first == 200);
    CHECK(full.second["accepted"].size() == 500);
  }
  SUBCASE("413: over 4 MiB, by Content-Length or chunked; the connection stays usable") {
    const std::string big = "{\"records\": [\"" + std::string(5u << 20, 'x') + "\"]}";
    auto [status, body] = post(bearer(token), big);
    CHECK(status == 413);
    CHECK(body["error"] == "too_large");
    CHECK(post(bearer(token), one).first == 200);  // same kept-alive connection

    std::size_t sent = 0;
    auto chunked = c.Post(
        "/api/v1/records", bearer(token),
        [&](std::size_t, httplib::DataSink& sink) {
          const std::string piece(64u << 10, ' ');
          if (sent >= (6u << 20)) {
            sink.done();
            return true;
          }
          sent += piece.size();
          return sink.write(piece.data(), piece.size());
        },
        "application/json");
    REQUIRE(chunked);
    CHECK(chunked->status == 413);
    CHECK(post(bearer(token), one).first == 200);
  }
  SUBCASE("403: a user's token is not a device's") {
    const auto user = s.sign_in();
    CHECK(post(bearer(user), one).first == 403);
  }
}

TEST_CASE("a batch is judged record by record; each rejection says why") {
  TestServer s;
  const auto token = s.enroll_device("MCR-01");
  auto c = s.client();
  auto good = test::feedback();
  auto other_store = test::feedback();
  other_store.header.store_id = "LDS-02";
  auto conflicting = test::feedback();
  REQUIRE(post_records(c, token, {conflicting})["accepted"].size() == 1);
  conflicting.csat = 1;

  json bad_csat = to_json(test::feedback());
  bad_csat["csat"] = 9;
  json unknown_field = to_json(test::feedback());
  unknown_field["colour"] = "blue";
  json list = json::array({to_json(good), bad_csat, to_json(other_store), to_json(conflicting), unknown_field, 42});
  auto res = c.Post("/api/v1/records", bearer(token), json{{"records", list}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const json body = json::parse(res->body);
  CHECK(ids(body["accepted"]) == std::set<std::string>{good.header.id});
  CHECK(body["duplicates"].empty());
  REQUIRE(body["rejected"].size() == 5);
  const json& r = body["rejected"];
  CHECK(r[0]["id"] == bad_csat["id"]);
  CHECK(r[0]["error"] == "invalid");
  CHECK(r[0]["message"].get<std::string>().find("csat") != std::string::npos);
  CHECK(r[1]["error"] == "wrong_store");
  CHECK(r[1]["message"].get<std::string>().find("store_id") != std::string::npos);
  CHECK(r[2]["error"] == "invalid");
  CHECK(r[2]["message"].get<std::string>().find("colour") != std::string::npos);
  CHECK(r[3]["id"].is_null());
  CHECK(r[4]["id"] == conflicting.header.id);
  CHECK(r[4]["error"] == "conflict");
  CHECK(s.server->storage().stats(now_utc())->records == 2);
}

TEST_CASE("a record whose text holds U+FFFD (a character lost on the device) is refused, not stored") {
  TestServer s;
  const auto token = s.enroll_device("MCR-01");
  auto c = s.client();
  auto lost = test::feedback();
  lost.comment = "hi \xEF\xBF\xBD";  // an emoji through a 16-bit text stack
  const json body = post_records(c, token, {lost});
  CHECK(body["accepted"].empty());
  REQUIRE(body["rejected"].size() == 1);
  CHECK(body["rejected"][0]["error"] == "invalid");
  CHECK(body["rejected"][0]["message"].get<std::string>().find("U+FFFD") != std::string::npos);
  CHECK(s.server->storage().stats(now_utc())->records == 0);
}

TEST_CASE("a batch replayed three times is stored once") {
  TestServer s;
  const auto token = s.enroll_device();
  auto c = s.client();
  std::vector<Record> batch{test::feedback(), test::complaint(), test::escalated_complaint(), test::feedback()};
  auto first = post_records(c, token, batch);
  CHECK(first["accepted"].size() == 4);
  for (int i = 0; i < 3; ++i) {
    auto again = post_records(c, token, batch);
    CHECK(again["accepted"].empty());
    CHECK(again["duplicates"].size() == 4);
    CHECK(again["rejected"].empty());
  }
  CHECK(s.server->storage().stats(now_utc())->records == 4);
  // One complaint case and one follow-up, not four of each.
  server::CaseQuery all;
  all.now = now_utc();
  CHECK(s.server->storage().list_cases(all)->size() == 2);
}

TEST_CASE("8 clients posting overlapping batches at once store each record once") {
  // Durable, as in production: concurrent batches share commits and flushes.
  test::TempDir dir;
  auto options = test_options(dir / "data", nullptr);
  options.durable = true;
  TestServer s(options);
  const auto token = s.enroll_device();
  std::vector<Record> pool;
  for (int i = 0; i < 400; ++i)
    pool.push_back(i % 5 == 0 ? Record(test::complaint(static_cast<std::uint64_t>(i + 1))) : Record(test::feedback()));
  // Client k sends pool[25k, 25k + 225) in batches of 45: neighbours overlap by 200.
  std::atomic<int> accepted{0}, duplicates{0}, failures{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < 8; ++k) {
    clients.emplace_back([&, k] {
      auto c = s.client();
      for (int start = 25 * k; start < 25 * k + 225; start += 45) {
        std::vector<Record> batch(pool.begin() + start, pool.begin() + std::min(start + 45, 400));
        int status = 0;
        auto body = post_records(c, token, batch, &status);
        if (status != 200 || !body["rejected"].empty()) ++failures;
        accepted += static_cast<int>(body["accepted"].size());
        duplicates += static_cast<int>(body["duplicates"].size());
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(failures == 0);
  const int distinct = 25 * 7 + 225;  // 400
  CHECK(accepted == distinct);
  CHECK(accepted + duplicates == 8 * 225);
  CHECK(s.server->storage().stats(now_utc())->records == distinct);
  CHECK(s.server->storage().kpis({})->feedback == 320);
}

TEST_CASE("sign-in: tokens, wrong credentials slow down, sessions expire") {
  TestClock clock;
  auto options = test_options("", &clock);
  test::TempDir dir;
  options.data_dir = dir / "data";
  options.login_free_failures = 2;
  options.login_delay_base = 300ms;
  TestServer s(options);
  const auto token = s.sign_in("alice", server::Role::agent);
  auto c = s.client();
  int status = 0;
  get_json(c, "/api/v1/kpis", token, &status);
  CHECK(status == 200);

  auto attempt = [&](const std::string& password) {
    const auto start = std::chrono::steady_clock::now();
    auto res =
        c.Post("/api/v1/auth/login", json{{"username", "alice"}, {"password", password}}.dump(), "application/json");
    REQUIRE(res);
    return std::pair{res->status, std::chrono::steady_clock::now() - start};
  };
  auto [s1, t1] = attempt("wrong password one");
  CHECK(attempt("wrong password two").first == 401);
  auto [s3, t3] = attempt("wrong password three");
  auto [s4, t4] = attempt("wrong password four");
  CHECK(s1 == 401);
  CHECK(s4 == 401);
  CHECK(t3 >= 300ms);
  CHECK(t4 >= 600ms);
  // (Upper bounds would be flaky: argon2id takes what the machine gives it.)
  auto bad = c.Post("/api/v1/auth/login", "{\"username\": \"alice\"}", "application/json");
  CHECK(bad->status == 400);
  CHECK(attempt("correct horse battery staple").first == 200);
  CHECK(c.Post("/api/v1/auth/login", "{}", "text/plain")->status == 415);

  // A device token is not a user's; sessions end after their time.
  const auto device = s.enroll_device();
  get_json(c, "/api/v1/kpis", device, &status);
  CHECK(status == 403);
  get_json(c, "/api/v1/kpis", "hs_unknown", &status);
  CHECK(status == 401);
  clock.set(clock.now() + 13h);
  auto expired = get_json(c, "/api/v1/kpis", token, &status);
  CHECK(status == 401);
  CHECK(expired["error"] == "unauthorized");
}

TEST_CASE("KPIs on a fixed dataset match hand-computed values") {
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");  // Monday
  TestServer s(&clock);
  const auto mcr = s.enroll_device("MCR-01");
  const auto lds = s.enroll_device("LDS-02");
  auto user = s.sign_in();
  auto c = s.client();

  // MCR-01, Monday 23rd: CSAT 5 4 3 2 1 4 (n 6, sum 19, satisfied 3); NPS 10 9 8 6 0 7
  // (P 2, Pa 2, D 2, n 6). The (2, 6) one consented: a call-back case.
  std::vector<Record> mcr_records{
      feedback_at("2026-11-23T10:00:00Z", 5, 10),          feedback_at("2026-11-23T10:01:00Z", 4, 9),
      feedback_at("2026-11-23T10:02:00Z", 3, 8),           feedback_at("2026-11-23T10:03:00Z", 2, 6, true),
      feedback_at("2026-11-23T10:04:00Z", 1, 0),           feedback_at("2026-11-23T10:05:00Z", std::nullopt, 7),
      feedback_at("2026-11-23T10:06:00Z", 4, std::nullopt)};
  // Three complaints, two resolved at first contact: FCR 66.7; one complaint case.
  Complaint resolved1 = test::complaint(11), resolved2 = test::complaint(12);
  resolved2.customer.reset();
  Complaint open = test::escalated_complaint();
  open.customer.reset();
  for (Complaint* cp : {&resolved1, &resolved2, &open}) cp->header.created_at = at("2026-11-23T10:00:00Z");
  mcr_records.insert(mcr_records.end(), {resolved1, resolved2, open});
  REQUIRE(post_records(c, mcr, mcr_records)["accepted"].size() == 10);
  // LDS-02, Tuesday 24th: two promoters.
  REQUIRE(post_records(c, lds,
                       {feedback_at("2026-11-24T11:00:00Z", 5, 10, false, "LDS-02"),
                        feedback_at("2026-11-24T11:00:00Z", 5, 9, false, "LDS-02")})["accepted"]
              .size() == 2);

  int status = 0;
  json k = get_json(c, "/api/v1/kpis?store_id=MCR-01", user, &status);
  REQUIRE(status == 200);
  CHECK(k["feedback"]["count"] == 7);
  CHECK(k["csat"]["count"] == 6);
  CHECK(k["csat"]["mean"].get<double>() == doctest::Approx(3.17));  // 19 / 6
  CHECK(k["csat"]["satisfied_pct"].get<double>() == doctest::Approx(50.0));
  CHECK(k["nps"]["count"] == 6);
  CHECK(k["nps"]["promoters"] == 2);
  CHECK(k["nps"]["passives"] == 2);
  CHECK(k["nps"]["detractors"] == 2);
  CHECK(k["nps"]["score"] == 0);
  CHECK(k["complaints"]["count"] == 3);
  CHECK(k["complaints"]["fcr_pct"].get<double>() == doctest::Approx(66.7));
  CHECK(k["sla"]["ack_pct"].is_null());  // nothing due or done yet
  CHECK(k["sla"]["resolve_pct"].is_null());

  json all = get_json(c, "/api/v1/kpis", user);
  CHECK(all["feedback"]["count"] == 9);
  CHECK(all["nps"]["count"] == 8);
  CHECK(all["nps"]["score"] == 25);                                   // (4 - 2) / 8
  CHECK(all["csat"]["mean"].get<double>() == doctest::Approx(3.63));  // 29 / 8 = 3.625
  json tuesday = get_json(c, "/api/v1/kpis?from=2026-11-24&to=2026-11-24", user);
  CHECK(tuesday["feedback"]["count"] == 2);
  CHECK(tuesday["nps"]["score"] == 100);
  CHECK(tuesday["complaints"]["count"] == 0);
  CHECK(tuesday["complaints"]["fcr_pct"].is_null());
  json monday = get_json(c, "/api/v1/kpis?to=2026-11-23", user);
  CHECK(monday["feedback"]["count"] == 7);
  CHECK(monday["complaints"]["per_1000"].get<double>() == doctest::Approx(428.6));  // 3 of 7 responses
  // Tuesday beside the day before it: a tile's change.
  json compared = get_json(c, "/api/v1/kpis?from=2026-11-24&to=2026-11-24&compare=previous", user, &status);
  REQUIRE(status == 200);
  CHECK(compared["period"] == json{{"from", "2026-11-24"}, {"to", "2026-11-24"}});
  CHECK(compared["nps"]["score"] == 100);
  CHECK(compared["nps"]["margin_of_error"].get<double>() == doctest::Approx(0.0));  // both promoters: no spread
  CHECK(compared["previous"]["period"] == json{{"from", "2026-11-23"}, {"to", "2026-11-23"}});
  CHECK(compared["previous"]["feedback"]["count"] == 7);
  CHECK(compared["previous"]["nps"]["score"] == 0);
  CHECK(compared["previous"]["nps"]["margin_of_error"].get<double>() == doctest::Approx(65.3));  // 2/2/2 of 6
  get_json(c, "/api/v1/kpis?from=2026-11-24&compare=previous", user, &status);
  CHECK(status == 400);  // a period needs both ends to have one before it
  get_json(c, "/api/v1/kpis?from=2026-11-24&to=2026-11-24&compare=last_year", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/kpis?from=2026-11-24&to=2026-11-23", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/kpis?from=24/11/2026", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/kpis?store_id=no%20such", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/kpis", "", &status);
  CHECK(status == 401);

  // SLA: the call-back is acknowledged on time (Monday 15:00, due Tuesday 10:03);
  // the complaint case's acknowledgement (due Tuesday 10:00) is missed.
  json cases = get_json(c, "/api/v1/cases?status=open&store_id=MCR-01", user)["cases"];
  REQUIRE(cases.size() == 2);
  const auto callback_id = cases[0]["type"] == "callback" ? cases[0]["id"] : cases[1]["id"];
  const std::string actions = "/api/v1/cases/" + std::to_string(callback_id.get<std::int64_t>()) + "/actions";
  clock.set("2026-11-23T15:00:00Z");
  REQUIRE(c.Post(actions.c_str(), bearer(user), R"({"action": "acknowledge"})", "application/json")->status == 200);
  clock.set("2026-11-25T12:00:00Z");
  user = s.sign_in();  // the first session has expired meanwhile
  k = get_json(c, "/api/v1/kpis?store_id=MCR-01", user);
  CHECK(k["sla"]["ack_count"] == 2);
  CHECK(k["sla"]["ack_pct"].get<double>() == doctest::Approx(50.0));
  CHECK(k["sla"]["resolve_pct"].is_null());
  REQUIRE(c.Post(actions.c_str(), bearer(user),
                 R"({"action": "resolve", "outcome": "Called back; the queue was long that day",
                     "remedies": [{"kind": "apology"}], "root_cause": "process"})",
                 "application/json")
              ->status == 200);
  k = get_json(c, "/api/v1/kpis?store_id=MCR-01", user);
  CHECK(k["sla"]["resolve_count"] == 1);
  CHECK(k["sla"]["resolve_pct"].get<double>() == doctest::Approx(100.0));
}

TEST_CASE("cases: statuses, actions with history, and errors") {
  TestClock clock;
  clock.set("2026-11-23T12:00:00Z");
  TestServer s(&clock);
  const auto device = s.enroll_device();
  const auto user = s.sign_in("bob", server::Role::agent);
  auto c = s.client();
  Complaint open = test::escalated_complaint();
  open.header.created_at = at("2026-11-23T11:00:00Z");
  open.severity = Severity::high;
  Complaint fcr = test::complaint(40);
  fcr.header.created_at = at("2026-11-23T11:00:00Z");
  REQUIRE(post_records(c, device, {open, fcr})["accepted"].size() == 2);

  // The follow-up check is scheduled: listed (in the "all" tab; the queue's
  // default is "open"), but not open until its due day.
  json listed = get_json(c, "/api/v1/cases?status=all", user)["cases"];
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["type"] == "complaint");
  CHECK(listed[0]["status"] == "open");
  CHECK(listed[0]["reference"] == open.reference);
  CHECK(listed[0]["ack_due"] == "2026-11-23T15:00:00Z");  // 4 working hours
  CHECK(listed[1]["type"] == "follow_up");
  CHECK(listed[1]["status"] == "scheduled");
  CHECK(listed[1]["opens_at"] == "2026-11-30T00:00:00Z");
  CHECK(get_json(c, "/api/v1/cases?status=open", user)["cases"].size() == 1);
  CHECK(get_json(c, "/api/v1/cases?status=breached", user)["cases"].empty());
  const std::string id = std::to_string(listed[0]["id"].get<std::int64_t>());
  const std::string actions = "/api/v1/cases/" + id + "/actions";
  auto act = [&](const json& body) {
    auto res = c.Post(actions.c_str(), bearer(user), body.dump(), "application/json");
    REQUIRE(res);
    return std::pair{res->status, json::parse(res->body, nullptr, false)};
  };

  clock.set("2026-11-23T16:00:00Z");  // past the acknowledgement deadline
  CHECK(get_json(c, "/api/v1/cases?status=breached", user)["cases"].size() == 1);
  CHECK(get_json(c, "/api/v1/cases?status=open", user)["cases"].size() == 1);  // open includes breached
  auto [ack_status, acked] = act({{"action", "acknowledge"}, {"note", "Called the customer"}});
  CHECK(ack_status == 200);
  CHECK(acked["acknowledged_at"] == "2026-11-23T16:00:00Z");
  CHECK(act({{"action", "acknowledge"}}).first == 409);
  CHECK(act({{"action", "assign"}, {"assignee", "carol"}}).first == 403);  // an agent assigns only themselves
  CHECK(act({{"action", "assign"}, {"assignee", "me"}, {"note", "Taking this one"}}).first == 200);
  const json resolution{{"outcome", "Faulty element; replacement sent"}, {"remedies", {{{"kind", "replacement"}}}}};
  json without_cause = resolution;
  without_cause["action"] = "resolve";
  auto [no_cause, no_cause_body] = act(without_cause);
  CHECK(no_cause == 400);
  CHECK(no_cause_body["fields"][0]["field"] == "root_cause");
  CHECK(act({{"action", "resolve"}, {"root_cause", "bad luck"}}).first == 400);
  CHECK(act({{"action", "escalate"}}).first == 400);
  CHECK(act({{"action", "note"}}).first == 400);  // a note needs its text
  CHECK(act({{"action", "reopen"}, {"note", "not closed yet"}}).first == 409);
  json resolve = resolution;
  resolve.update({{"action", "resolve"}, {"root_cause", "product_quality"}, {"note", "Replacement kettle sent"}});
  auto [resolved_status, resolved] = act(resolve);
  CHECK(resolved_status == 200);
  CHECK(resolved["status"] == "closed");
  CHECK(resolved["root_cause"] == "product_quality");
  CHECK(act(resolve).first == 409);
  CHECK(act({{"action", "reopen"}, {"note", "Customer rang back: the new one leaks"}}).first == 200);
  CHECK(act({{"action", "note"}, {"note", "Second replacement ordered"}}).first == 200);

  int status = 0;
  json full = get_json(c, "/api/v1/cases/" + id, user, &status);
  REQUIRE(status == 200);
  // Reopened at Monday 16:00: a new clock from then, so it must be acknowledged
  // again (4 working hours: Tuesday 11:30) and resolved within 2 working days.
  CHECK(full["status"] == "open");
  CHECK(full["acknowledged_at"].is_null());
  CHECK(full["ack_due"] == "2026-11-24T11:30:00Z");
  CHECK(full["resolve_due"] == "2026-11-25T16:00:00Z");
  std::vector<std::string> actions_seen;
  for (const auto& e : full["history"]) actions_seen.push_back(e["action"]);
  CHECK(actions_seen == std::vector<std::string>{"opened", "acknowledge", "assign", "resolve", "reopen", "note"});
  const json& resolve_event = full["history"][3];
  CHECK(resolve_event["actor"] == "bob");
  CHECK(resolve_event["at"] == "2026-11-23T16:00:00Z");
  CHECK(resolve_event["detail"]["root_cause"] == "product_quality");
  CHECK(resolve_event["detail"]["note"] == "Replacement kettle sent");
  CHECK(full["history"][2]["detail"]["assignee"] == "bob");

  get_json(c, "/api/v1/cases/999999", user, &status);
  CHECK(status == 404);
  CHECK(c.Post("/api/v1/cases/999999/actions", bearer(user), R"({"action":"note","note":"x"})", "application/json")
            ->status == 404);
  get_json(c, "/api/v1/cases?status=pending", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/cases", device, &status);
  CHECK(status == 403);
  CHECK(c.Post(actions.c_str(), bearer(user), "{}", "text/plain")->status == 415);

  // On its due day the follow-up is open, and so is the check the head-office
  // resolution scheduled (Monday 16:00 + 7 days) beside the reopened case.
  clock.set("2026-11-30T08:00:00Z");
  json now_open = get_json(c, "/api/v1/cases?status=open", s.sign_in("bob", server::Role::agent))["cases"];
  CHECK(now_open.size() == 3);
}

TEST_CASE("SLA deadlines count working time across weekends and bank holidays") {
  TestClock clock;
  clock.set("2026-12-24T16:05:00Z");
  TestServer s(&clock);
  const auto device = s.enroll_device();
  const auto user = s.sign_in();
  auto c = s.client();
  // Thursday 24 December 2026, 16:00, high severity: 1.5 h left that day; Friday 25th
  // and Monday 28th are bank holidays and the weekend between, so the clock runs
  // again on Tuesday 29th at 09:00.
  Complaint christmas = test::escalated_complaint();
  christmas.severity = Severity::high;
  christmas.header.created_at = at("2026-12-24T16:00:00Z");
  christmas.customer.reset();
  // Saturday 21 November 2026: the clock waits for Monday 09:00.
  Complaint saturday = test::escalated_complaint();
  saturday.reference = make_reference("MCR", "K2", 77);
  saturday.header.created_at = at("2026-11-21T11:00:00Z");
  saturday.customer.reset();
  // A device clock running ahead: the clock starts at arrival, not in the future.
  Complaint ahead = test::escalated_complaint();
  ahead.reference = make_reference("MCR", "K2", 78);
  ahead.header.created_at = at("2026-12-30T10:00:00Z");
  ahead.customer.reset();
  REQUIRE(post_records(c, device, {christmas, saturday, ahead})["accepted"].size() == 3);

  json cases = get_json(c, "/api/v1/cases", user)["cases"];
  REQUIRE(cases.size() == 3);
  std::map<std::string, json> by_record;
  for (const auto& k : cases) by_record[k["record_id"]] = k;
  const json& x = by_record[christmas.header.id];
  CHECK(x["ack_due"] == "2026-12-29T11:30:00Z");      // 1.5 h + 2.5 h
  CHECK(x["resolve_due"] == "2026-12-30T16:00:00Z");  // 1.5 h + 8.5 h + 7 h of 17 h
  const json& sat = by_record[saturday.header.id];
  CHECK(sat["ack_due"] == "2026-11-23T17:30:00Z");      // Monday 09:00 + 8.5 h
  CHECK(sat["resolve_due"] == "2026-11-27T17:30:00Z");  // 5 working days: Friday at close
  const json& fast = by_record[ahead.header.id];
  CHECK(fast["clock_start"] == "2026-12-24T16:05:00Z");
  CHECK(fast["ack_due"] == "2026-12-29T16:05:00Z");  // one working day of 8.5 h
}

TEST_CASE("customer history: by email or phone, for devices and users, without contact details") {
  TestServer s;
  const auto device = s.enroll_device();
  const auto user = s.sign_in();
  auto c = s.client();
  Complaint first = test::escalated_complaint();
  first.header.created_at = at("2026-11-02T10:00:00Z");
  first.purchase->date = *parse_date("2026-10-30");
  Complaint second = test::complaint(5);
  second.customer->email = "FFION@example.co.uk";
  second.customer->phone = "+44 7700 900123";
  Complaint stranger = test::complaint(6);
  stranger.customer = Contact{std::nullopt, "someone@example.com", std::nullopt, true, "2026-01", std::nullopt};
  const json stored = post_records(c, device, {first, second, stranger});
  INFO(stored.dump());
  REQUIRE(stored["accepted"].size() == 3);

  int status = 0;
  json by_email = get_json(c, "/api/v1/customers/history?email=ffion%40example.co.uk", device, &status);
  REQUIRE(status == 200);
  REQUIRE(by_email["complaints"].size() == 2);
  CHECK(by_email["complaints"][0]["reference"] == first.reference);
  CHECK(by_email["complaints"][0]["category"] == "faulty_goods");
  CHECK(by_email["complaints"][0]["escalation_target"] == "area_manager");  // the tablet names it
  CHECK(by_email["complaints"][1]["escalation_target"].is_null());          // resolved at first contact
  CHECK(by_email["cases"].size() == 2);                                     // the complaint case and the follow-up
  CHECK(by_email["cases"][1]["flags"] == json::array({"repeat"}));
  CHECK(by_email.dump().find("Ffion") == std::string::npos);
  CHECK(by_email.dump().find("07700") == std::string::npos);
  json by_phone = get_json(c, "/api/v1/customers/history?phone=07700%20900123", user, &status);
  CHECK(status == 200);
  CHECK(by_phone["complaints"].size() == 2);
  get_json(c, "/api/v1/customers/history?email=a%40b.c&phone=1", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/customers/history", user, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/customers/history?email=x%40y.z", "", &status);
  CHECK(status == 401);
}

TEST_CASE("a complaint by the reference the customer quotes: any device of the chain, no personal data") {
  TestServer s;
  const auto till = s.enroll_device("MCR-01");
  const auto elsewhere = s.enroll_device("LDN-02");  // a tablet of another store of the chain
  const auto user = s.sign_in("mia", server::Role::agent);
  auto c = s.client();
  const Complaint wanted = escalated_complaint();
  const Complaint other = complaint(9);
  const json stored = post_records(c, till, {wanted, other});
  REQUIRE(stored["accepted"].size() == 2);

  std::string lower = wanted.reference;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string key = reference_key(wanted.reference);
  const std::string spaced = key.substr(0, 3) + "%20" + key.substr(3, 2) + "%20" + key.substr(5);
  for (const std::string& typed : {wanted.reference, lower, key, spaced}) {
    CAPTURE(typed);
    int status = 0;
    const json found = get_json(c, "/api/v1/complaints/by-reference?reference=" + typed, elsewhere, &status);
    REQUIRE(status == 200);
    REQUIRE(found["complaints"].size() == 1);
    CHECK(found["complaints"][0]["id"] == wanted.header.id);
    CHECK(found["complaints"][0]["reference"] == wanted.reference);
    CHECK(found["complaints"][0]["store_id"] == "MCR-01");
    CHECK(found["complaints"][0]["escalation_target"] == "area_manager");
    REQUIRE(found["cases"].size() == 1);  // its complaint case, so the tablet can say it is open
    CHECK(found["cases"][0]["record_id"] == wanted.header.id);
    // What the history endpoint shows and no more: no name, contact, description or rationale.
    const std::string text = found.dump();
    for (const std::string& secret : {std::string("Ffion"), std::string("ffion@"), std::string("07700"),
                                      wanted.description, wanted.escalation->rationale})
      CHECK(text.find(secret) == std::string::npos);
  }
  // Head office's users may look one up too.
  int status = 0;
  CHECK(
      get_json(c, "/api/v1/complaints/by-reference?reference=" + other.reference, user, &status)["complaints"].size() ==
      1);
  CHECK(status == 200);

  // A well-formed reference no complaint has: found nothing, not an error.
  const json none =
      get_json(c, "/api/v1/complaints/by-reference?reference=" + make_reference("MCR", "K2", 777), till, &status);
  CHECK(status == 200);
  CHECK(none["complaints"].empty());
  CHECK(none["cases"].empty());

  // Mistyped: a 400 that names the field and says why.
  std::string slip = wanted.reference;
  slip[8] = slip[8] == 'X' ? 'Y' : 'X';
  json bad = get_json(c, "/api/v1/complaints/by-reference?reference=" + slip, till, &status);
  CHECK(status == 400);
  REQUIRE(bad["fields"].size() == 1);
  CHECK(bad["fields"][0]["field"] == "reference");
  CHECK(bad["fields"][0]["code"] == "check_mismatch");
  bad = get_json(c, "/api/v1/complaints/by-reference?reference=MC0-K2-22A7", till, &status);
  CHECK(status == 400);
  CHECK(bad["fields"][0]["code"] == "invalid");
  bad = get_json(c, "/api/v1/complaints/by-reference", till, &status);
  CHECK(status == 400);
  CHECK(bad["fields"][0]["field"] == "reference");
  CHECK(bad["fields"][0]["code"] == "required");

  // Authentication: a token is needed, and a revoked device's does not do.
  get_json(c, "/api/v1/complaints/by-reference?reference=" + wanted.reference, "", &status);
  CHECK(status == 401);
  get_json(c, "/api/v1/complaints/by-reference?reference=" + wanted.reference, "hdev_nonsense", &status);
  CHECK(status == 401);
}

TEST_CASE("a note made on another device lands on the complaint's case: same store, another store, or early") {
  TestServer s;
  const auto till = s.enroll_device("MCR-01");
  const auto next_till = s.enroll_device("MCR-01");
  const auto elsewhere = s.enroll_device("LDN-02");
  const auto user = s.sign_in("mia", server::Role::agent);
  auto c = s.client();
  const auto notes_on_case_of = [&](const std::string& record_id) {
    const json cases = get_json(c, "/api/v1/cases?limit=100", user);
    std::vector<std::string> notes;
    for (const auto& k : cases["cases"])
      if (k["record_id"] == record_id && k["type"] == "complaint") {
        const json one = get_json(c, "/api/v1/cases/" + std::to_string(k["id"].get<std::int64_t>()), user);
        for (const auto& e : one["history"])
          if (e["action"] == "store_update") notes.push_back(e["detail"]["note"].get<std::string>());
      }
    return notes;
  };

  const Complaint wanted = escalated_complaint();
  REQUIRE(post_records(c, till, {wanted})["accepted"].size() == 1);
  ComplaintUpdate same_store = complaint_update(wanted.header.id);
  same_store.note = "Rang back from till 2.";
  REQUIRE(post_records(c, next_till, {same_store})["accepted"].size() == 1);
  ComplaintUpdate other_store = complaint_update(wanted.header.id);
  other_store.header.store_id = "LDN-02";
  other_store.note = "Customer came in at London.";
  REQUIRE(post_records(c, elsewhere, {other_store})["accepted"].size() == 1);
  CHECK(notes_on_case_of(wanted.header.id) == std::vector<std::string>{same_store.note, other_store.note});

  // A note that arrives before its complaint (the other till was offline) is
  // kept, and joins the case when the complaint arrives.
  Complaint late = escalated_complaint();
  late.header.id = new_uuid_v4();
  late.reference = make_reference("MCR", "K2", 31);
  ComplaintUpdate early = complaint_update(late.header.id);
  early.note = "Written while the first till was offline.";
  REQUIRE(post_records(c, next_till, {early})["accepted"].size() == 1);
  REQUIRE(post_records(c, till, {late})["accepted"].size() == 1);
  CHECK(notes_on_case_of(late.header.id) == std::vector<std::string>{early.note});
}

TEST_CASE("CSV export: streamed, a header row, RFC 4180, UTF-8 with BOM, one row per record") {
  TestServer s;
  const auto device = s.enroll_device();
  const auto manager = s.sign_in("mia", server::Role::manager);
  const auto agent = s.sign_in("arun", server::Role::agent);
  auto c = s.client();
  std::vector<Record> records;
  for (int i = 0; i < 1200; ++i) {
    Feedback f = feedback_at("2026-11-23T10:00:00Z", 4, 9);
    f.header.created_at += std::chrono::minutes(i);
    records.push_back(f);
  }
  Feedback tricky = feedback_at("2026-11-22T09:00:00Z", 5, 10);
  tricky.comment = "Staff said \"croeso\", ŵ ŷ ł ż — fine,\nthanks";
  Feedback formula = feedback_at("2026-11-22T09:01:00Z", 5, 10);
  formula.comment = "=HYPERLINK(\"http://example.com\")";
  records.push_back(tricky);
  records.push_back(formula);
  for (std::size_t i = 0; i < records.size(); i += 500) {
    const json stored =
        post_records(c, device,
                     std::vector<Record>(records.begin() + static_cast<long>(i),
                                         records.begin() + static_cast<long>(std::min(i + 500, records.size()))));
    INFO(stored.dump().substr(0, 400));
    REQUIRE(stored.contains("rejected"));
    REQUIRE(stored["rejected"].empty());
  }

  auto res = c.Get("/api/v1/export/records.csv", bearer(manager));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").find("text/csv") == 0);
  CHECK(res->get_header_value("Transfer-Encoding") == "chunked");
  const std::string& csv = res->body;
  REQUIRE(csv.rfind("\xEF\xBB\xBF"
                    "id,type,store_id,",
                    0) == 0);
  std::size_t rows = 0;  // lines outside quotes
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"')
      quoted = !quoted;
    else if (csv[i] == '\n' && !quoted)
      ++rows;
  }
  CHECK(rows == 1 + 1202);
  CHECK(csv.find("\"Staff said \"\"croeso\"\", ŵ ŷ ł ż — fine,\nthanks\"") != std::string::npos);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://example.com\"\")\"") != std::string::npos);
  CHECK(csv.find("ffion@") == std::string::npos);
  // The two from Sunday 22nd come first (by creation time).
  CHECK(csv.find(tricky.header.id) < csv.find(std::get<Feedback>(records[0]).header.id));

  auto sunday = c.Get("/api/v1/export/records.csv?from=2026-11-22&to=2026-11-22", bearer(manager));
  REQUIRE(sunday);
  CHECK(std::count(sunday->body.begin(), sunday->body.end(), '\n') == 1 + 2 + 1);  // header, 2 rows, 1 in a comment
  CHECK(c.Get("/api/v1/export/records.csv", bearer(agent))->status == 403);
  CHECK(c.Get("/api/v1/export/records.csv")->status == 401);
  CHECK(c.Get("/api/v1/export/records.csv?from=yesterday", bearer(manager))->status == 400);
}
