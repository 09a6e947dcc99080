// A real heed-server started in-process on a free loopback port, with a clock
// the test controls, and real cpp-httplib clients to talk to it.
#pragma once

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "fixtures.hpp"
#include "heed/record_json.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"
#include "temp_dir.hpp"

namespace heed::test {

// A clock the test moves; starts at a Monday morning in November 2026.
class TestClock {
 public:
  TestClock() = default;
  explicit TestClock(const char* text) { set(text); }
  Timestamp now() const { return Timestamp{std::chrono::seconds{seconds_.load()}}; }
  void set(Timestamp t) { seconds_ = t.time_since_epoch().count(); }
  void set(const char* text) { set(*parse_timestamp(text)); }

 private:
  std::atomic<std::int64_t> seconds_{parse_timestamp("2026-11-23T10:00:00Z")->time_since_epoch().count()};
};

inline server::ServerOptions test_options(const std::filesystem::path& data_dir, TestClock* clock) {
  server::ServerOptions o;
  o.data_dir = data_dir;
  o.port = 0;
  o.rules_file = std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json";
  o.openapi_file = std::filesystem::path(HEED_ASSETS_DIR) / "api/openapi.yaml";
  o.threads = 12;
  o.keep_alive_timeout_s = 1;  // tests stop servers often; idle connections end soon
  o.durable = false;           // no fsync per batch: faster tests, same logic
  o.password_cost = HashCost::interactive;
  // Tests move the clock by hours to pass deadlines; a session idles only in the
  // tests of the idle timeout (web_session_test.cpp), which set their own.
  o.idle_timeout = std::chrono::hours(12);
  if (clock) o.clock = [clock] { return clock->now(); };
  return o;
}

class TestServer {
 public:
  explicit TestServer(TestClock* clock = nullptr) : options(test_options(dir.path() / "data", clock)) { start(); }
  explicit TestServer(server::ServerOptions o) : options(std::move(o)) { start(); }

  void start() {
    auto started = server::HeedServer::start(options);
    if (!started) throw std::runtime_error("server did not start: " + started.error().message);
    server = std::move(started.value());
  }
  void stop() { server.reset(); }
  void restart() {
    stop();
    start();
  }
  int port() const { return server->port(); }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port());
    c.set_tcp_nodelay(true);
    c.set_keep_alive(true);
    c.set_read_timeout(30, 0);
    return c;
  }

  // The administrator's side, as the command line does it: another connection
  // to the same data directory while the server runs.
  server::DataDir admin() const { return server::open_data_dir(options.data_dir).value(); }

  // The time the server sees.
  Timestamp now() const { return options.clock ? options.clock() : now_utc(); }

  std::string enroll_device(const std::string& store = "MCR-01") {
    auto data = admin();
    const auto code = server::issue_enrollment_code(data, store, now()).value();
    auto res = client().Post("/api/v1/devices/enroll", nlohmann::json{{"code", code}, {"name", "Till 1"}}.dump(),
                             "application/json");
    if (!res || res->status != 201) throw std::runtime_error("enrollment failed");
    return nlohmann::json::parse(res->body)["token"].get<std::string>();
  }

  std::string sign_in(const std::string& username = "alice", server::Role role = server::Role::manager,
                      const server::Scope& scope = {}) {
    const std::string password = "correct horse battery staple";
    auto data = admin();
    // The cheaper cost keeps tests quick; the server reads the cost from the hash.
    (void)server::create_user(data, username, password, role, scope, server->workflow().rules(), now_utc(),
                              HashCost::interactive);
    auto res = client().Post("/api/v1/auth/login",
                             nlohmann::json{{"username", username}, {"password", password}}.dump(), "application/json");
    if (!res || res->status != 200) throw std::runtime_error("sign-in failed");
    return nlohmann::json::parse(res->body)["token"].get<std::string>();
  }

  TempDir dir;
  server::ServerOptions options;
  std::unique_ptr<server::HeedServer> server;
};

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

inline std::string batch_body(const std::vector<Record>& records) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : records) list.push_back(to_json(r));
  return nlohmann::json{{"records", list}}.dump();
}

inline nlohmann::json post_records(httplib::Client& client, const std::string& token,
                                   const std::vector<Record>& records, int* status = nullptr) {
  auto res = client.Post("/api/v1/records", bearer(token), batch_body(records), "application/json");
  if (!res) throw std::runtime_error("no response to POST /api/v1/records");
  if (status) *status = res->status;
  return nlohmann::json::parse(res->body, nullptr, false);
}

inline nlohmann::json get_json(httplib::Client& client, const std::string& path, const std::string& token,
                               int* status = nullptr) {
  auto res = client.Get(path.c_str(), bearer(token));
  if (!res) throw std::runtime_error("no response to GET " + path);
  if (status) *status = res->status;
  return nlohmann::json::parse(res->body, nullptr, false);
}

// The server's case for a record, as head office reads it; null if none.
inline nlohmann::json case_of(TestServer& s, const std::string& record_id) {
  server::CaseQuery all;
  all.now = s.now();
  for (const auto& c : s.server->storage().list_cases(all).value())
    if (c.record_id == record_id) return s.server->workflow().case_json(c, all.now);
  return nullptr;
}

}  // namespace heed::test
