// The engine against a small scripted server (cpp-httplib) for answers the real
// one gives only under load or misconfiguration: 500, 429 with Retry-After, a
// whole-request 400; and over TLS with a CA bundle and a pinned key.
#include <doctest/doctest.h>

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "heed/sync/http_client.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A server whose answer to POST /api/v1/records is decided by `script`, given
// the request's number (0-based) and its record ids. The default accepts all.
class ScriptedServer {
 public:
  using Script = std::function<void(int n, const std::vector<std::string>& ids, httplib::Response&)>;

  explicit ScriptedServer(Script script, std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
      : script_(std::move(script)), http_(std::move(server)) {
    http_->Post("/api/v1/records", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body);
      std::vector<std::string> ids;
      for (const auto& r : body["records"]) ids.push_back(r["id"].get<std::string>());
      int n;
      {
        std::lock_guard lock(mutex_);
        n = static_cast<int>(times_.size());
        times_.push_back(std::chrono::steady_clock::now());
        requests_.push_back(ids);
      }
      res.status = 200;
      res.set_content(json{{"accepted", ids}, {"duplicates", json::array()}, {"rejected", json::array()}}.dump(),
                      "application/json");
      if (script_) script_(n, ids, res);
      if (res.status == 200) {
        const json answer = json::parse(res.body);
        std::lock_guard lock(mutex_);
        for (const auto& id : answer["accepted"]) accepted_.push_back(id.get<std::string>());
      }
    });
    port_ = http_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_->listen_after_bind(); });
    while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~ScriptedServer() {
    http_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::chrono::steady_clock::time_point> times() {
    std::lock_guard lock(mutex_);
    return times_;
  }
  std::vector<std::string> accepted() {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  std::vector<std::vector<std::string>> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  Script script_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> times_;
  std::vector<std::vector<std::string>> requests_;
  std::vector<std::string> accepted_;
};

// A device store that believes it is enrolled (the scripted server checks no token).
DeviceStore enrolled_store(const TempDir& dir, int records) {
  auto store = DeviceStore::open(dir / "device.db").value();
  REQUIRE(store.set_setting(sync::keys::token, "hd_test").ok());
  save_records(store, feedback_records(records));
  return store;
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

TEST_CASE("500 and 429 are retried with backoff, Retry-After is honoured, and success resets the backoff") {
  ScriptedServer server([](int n, const std::vector<std::string>&, httplib::Response& res) {
    if (n == 0 || n == 3) {
      res.status = 500;
      res.set_content(R"({"error":"internal","message":"database is busy"})", "application/json");
    } else if (n == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"error":"too_many_requests","message":"slow down"})", "application/json");
    }
  });
  TempDir dir;
  auto store = enrolled_store(dir, 30);
  auto options = fast_options(server.port());
  options.max_batch_records = 10;
  auto engine = sync::SyncEngine::create(store, options).value();
  std::vector<std::string> errors;
  CHECK(engine->drain(in(20s), [&](const sync::SyncStatus& s) { errors.push_back(s.last_error); }) ==
        sync::SyncEngine::DrainResult::drained);

  const auto times = server.times();
  REQUIRE(times.size() == 6);                   // 500, 429, ok, 500, ok, ok
  CHECK(seconds(times[1] - times[0]) < 0.9);    // backoff after a 500: the first step
  CHECK(seconds(times[2] - times[1]) >= 0.95);  // Retry-After: 1 beats the 200 ms cap
  CHECK(seconds(times[4] - times[3]) < 0.9);    // after a success the backoff starts again small
  CHECK(server.accepted().size() == 30);
  CHECK(store.outbox_stats()->delivered == 30);
  CHECK(engine->status().last_error.empty());
  CHECK(std::find_if(errors.begin(), errors.end(),
                     [](const std::string& e) { return e.find("HTTP 429") != std::string::npos; }) != errors.end());
  // Each record was sent until it was accepted, and never after.
  auto requests = server.requests();
  CHECK(requests[0] == requests[1]);
  CHECK(requests[1] == requests[2]);
}

TEST_CASE("a whole-request 400 is narrowed to the one record to blame, which is quarantined") {
  TempDir dir;
  auto store = enrolled_store(dir, 12);
  const std::string poison = store.pending_entries(12).value()[5].record_id;
  ScriptedServer server([&](int, const std::vector<std::string>& ids, httplib::Response& res) {
    if (std::find(ids.begin(), ids.end(), poison) != ids.end()) {
      res.status = 400;
      res.set_content(R"({"error":"invalid_request","message":"the body could not be read"})", "application/json");
    }
  });
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  CHECK(engine->drain(in(20s)) == sync::SyncEngine::DrainResult::drained);
  auto quarantined = store.quarantined_entries(5).value();
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].record_id == poison);
  CHECK(quarantined[0].last_error.find("invalid_request") != std::string::npos);
  CHECK(server.accepted().size() == 11);
  CHECK(store.outbox_stats()->delivered == 11);
}

TEST_CASE("an answer that leaves records out returns them to the queue") {
  ScriptedServer server([](int n, const std::vector<std::string>& ids, httplib::Response& res) {
    if (n == 0)
      res.set_content(json{{"accepted", std::vector<std::string>(ids.begin(), ids.begin() + 2)},
                           {"duplicates", json::array()},
                           {"rejected", json::array()}}
                          .dump(),
                      "application/json");
  });
  TempDir dir;
  auto store = enrolled_store(dir, 5);
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  CHECK(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(server.requests().size() == 2);
  CHECK(server.requests()[1].size() == 3);
  CHECK(store.outbox_stats()->delivered == 5);
}

namespace {

// A self-signed certificate for 127.0.0.1, made with the openssl tool.
struct Certificate {
  std::filesystem::path cert, key;
};

Certificate make_certificate(const TempDir& dir, const std::string& name) {
  Certificate c{dir / (name + ".pem"), dir / (name + "-key.pem")};
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      c.key.string() + " -out " + c.cert.string() + " 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return c;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("https: the CA bundle and the pinned key decide whom the device talks to; http needs allow_insecure") {
  TempDir dir;
  const auto server_cert = make_certificate(dir, "server");
  const auto other_cert = make_certificate(dir, "other");
  ScriptedServer server({}, std::make_unique<httplib::SSLServer>(server_cert.cert.c_str(), server_cert.key.c_str()));
  const std::string pin = sync::public_key_pin_of_pem(read_text(server_cert.cert)).value();
  const std::string other_pin = sync::public_key_pin_of_pem(read_text(other_cert.cert)).value();
  CHECK(pin.size() == 64);
  CHECK(pin != other_pin);

  auto connection = [&](const std::filesystem::path& ca, const std::string& pinned) {
    sync::ConnectionOptions c;
    c.server_url = "https://127.0.0.1:" + std::to_string(server.port());
    c.ca_bundle = ca;
    c.pinned_key_sha256 = pinned;
    c.connect_timeout = 2s;
    c.request_timeout = 2s;
    return c;
  };
  const std::string batch = R"({"records":[]})";

  auto trusted = sync::HttpClient::create(connection(server_cert.cert, pin)).value();
  auto ok = trusted.post_json("/api/v1/records", batch, "hd_x");
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  CHECK(ok->status == 200);

  auto wrong_pin = sync::HttpClient::create(connection(server_cert.cert, other_pin)).value();
  auto refused = wrong_pin.post_json("/api/v1/records", batch, "hd_x");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("pinned") != std::string::npos);

  auto untrusted = sync::HttpClient::create(connection(other_cert.cert, "")).value();
  auto not_trusted = untrusted.post_json("/api/v1/records", batch, "hd_x");
  REQUIRE_FALSE(not_trusted.ok());
  CHECK(not_trusted.error().message.find("not trusted") != std::string::npos);
  CHECK(server.times().size() == 1);  // neither refused request reached the server

  // A whole drain over TLS.
  TempDir device;
  auto store = enrolled_store(device, 20);
  sync::SyncOptions options = fast_options(0);
  options.connection = connection(server_cert.cert, pin);
  auto engine = sync::SyncEngine::create(store, options).value();
  CHECK(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(server.accepted().size() == 20);

  // Configuration mistakes are refused before any connection.
  CHECK(sync::HttpClient::create(connection(dir / "missing.pem", "")).error().code == Errc::invalid);
  CHECK(sync::HttpClient::create(connection(server_cert.cert, "abc")).error().code == Errc::invalid);
  sync::ConnectionOptions plain;
  plain.server_url = "http://127.0.0.1:1";
  CHECK(sync::HttpClient::create(plain).error().message.find("allow_insecure") != std::string::npos);
  plain.allow_insecure = true;
  CHECK(sync::HttpClient::create(plain).ok());
}

TEST_CASE("server URLs are checked and split") {
  auto url = sync::parse_server_url("https://heed.example.com:8443/heed/", false).value();
  CHECK(url.tls);
  CHECK(url.host == "heed.example.com");
  CHECK(url.port == 8443);
  CHECK(url.base_path == "/heed");
  CHECK(sync::parse_server_url("https://heed.example.com", false)->port == 443);
  CHECK(sync::parse_server_url("http://[::1]:8080", true)->host == "::1");
  for (const char* bad : {"ftp://x", "heed.example.com", "https://", "https://h:0", "https://h:99999", "https://h:x",
                          "https://h/?q=1", "https://user@h"}) {
    CAPTURE(bad);
    CHECK_FALSE(sync::parse_server_url(bad, true).ok());
  }
  CHECK(sync::normalise_key_pin("AB:" + std::string(62, 'c')) == "ab" + std::string(62, 'c'));
  CHECK_FALSE(sync::normalise_key_pin(std::string(63, 'a')));
}
