// The sync engine against the real heed-server on loopback: an offline backlog,
// a network that misbehaves, refusals, revocation, enrollment, heartbeats,
// and erasure.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <mutex>

#include "fault_proxy.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("10,000 records captured offline reach the server, each once, when it appears") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  const int port = server.port();
  (void)enroll(store, server);
  server.stop();  // the store's network goes down

  const auto records = feedback_records(10'000);
  save_records(store, records);

  auto engine = sync::SyncEngine::create(store, fast_options(port)).value();
  engine->start();
  REQUIRE(eventually([&] { return !engine->status().last_error.empty(); }, 5s));
  auto offline = engine->status();
  CHECK_FALSE(offline.online);
  CHECK(offline.pending == 10'000);
  CHECK(offline.oldest_pending_created_at == parse_timestamp("2026-11-22T14:05:09Z"));
  CHECK(offline.next_attempt_at.has_value());
  CHECK(offline.backlog_progress() == 0.0);

  server.options.port = port;  // it comes back where it was
  server.start();
  REQUIRE(eventually([&] { return engine->status().pending == 0; }, 60s));
  engine->stop();

  const auto status = engine->status();
  CHECK(status.online);
  CHECK(status.last_error.empty());
  CHECK(status.delivered == 10'000);
  CHECK(status.last_success_at.has_value());
  CHECK(status.backlog_done == 10'000);  // the staff menu's progress bar: all of this backlog
  CHECK(status.backlog_progress() == 1.0);
  CHECK(each_stored_once(server_records(server.server->storage()), records));
  auto stats = store.outbox_stats().value();
  CHECK(stats.delivered == 10'000);
  CHECK(stats.pending + stats.in_flight + stats.quarantined == 0);
  // Delivered with no grace: the personal data has left the device.
  CHECK(store.is_erased(header_of(records.front()).id).value());
  CHECK(store.is_erased(header_of(records.back()).id).value());
}

TEST_CASE("through a network that refuses, resets and stalls, every record arrives exactly once") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  const auto records = feedback_records(2000);
  save_records(store, records);

  FaultRates rates;
  rates.refuse = 0.3;
  rates.reset_mid = 0.12;
  rates.reset_after = 0.12;
  rates.stall = 0.1;
  rates.stall_for = 700ms;
  FaultProxy proxy(server.port(), rates, 2026);

  auto options = fast_options(proxy.port());
  options.connection.request_timeout = 400ms;
  options.max_batch_records = 20;
  options.backoff_cap = 50ms;
  auto engine = sync::SyncEngine::create(store, options).value();
  const auto result = engine->drain(in(120s));
  CHECK(result == sync::SyncEngine::DrainResult::drained);

  const auto& counts = proxy.counts();
  MESSAGE("proxy: ", counts.connections.load(), " connections, ", counts.refused.load(), " refused, ",
          counts.reset_mid.load(), " reset mid-request, ", counts.reset_after.load(), " reset after commit, ",
          counts.stalled.load(), " stalled, ", counts.passed.load(), " passed");
  CHECK(counts.refused >= 5);
  CHECK(counts.reset_mid >= 5);
  CHECK(counts.reset_after >= 5);
  CHECK(counts.stalled >= 5);
  CHECK(each_stored_once(server_records(server.server->storage()), records));
  auto stats = store.outbox_stats().value();
  CHECK(stats.delivered == 2000);
  CHECK(stats.quarantined == 0);
}

TEST_CASE("records the server rejects are quarantined with its reason; the rest are delivered") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  auto records = feedback_records(50);
  auto foreign = feedback_records(2, "LDN-02");  // valid, but not this device's store
  records.insert(records.begin() + 10, foreign[0]);
  records.push_back(foreign[1]);
  save_records(store, records);

  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  CHECK(engine->drain(in(30s)) == sync::SyncEngine::DrainResult::drained);
  auto quarantined = store.quarantined_entries(10).value();
  REQUIRE(quarantined.size() == 2);
  CHECK(quarantined[0].record_id == header_of(foreign[0]).id);
  CHECK(quarantined[0].last_error.find("wrong_store") != std::string::npos);
  CHECK(engine->status().quarantined == 2);
  CHECK(server_records(server.server->storage()).rows == 50);
  // Quarantined records keep their data (never deleted) and are not retried.
  CHECK(store.load_record(header_of(foreign[1]).id));
  CHECK(engine->drain(in(5s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(store.outbox_stats()->quarantined == 2);
}

TEST_CASE("a revoked token stops sync with a clear error, and nothing is lost") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  const auto enrolled = enroll(store, server);
  save_records(store, feedback_records(5));
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  REQUIRE(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);

  REQUIRE(server.server->storage().revoke_device(enrolled.device_id, server.now()).ok());
  save_records(store, feedback_records(3));
  engine->start();
  engine->notify();
  REQUIRE(eventually([&] { return engine->status().token_revoked; }, 10s));
  const auto status = engine->status();
  CHECK(status.last_error.find("revoked") != std::string::npos);
  CHECK(status.last_error.find("enroll") != std::string::npos);
  CHECK(status.pending == 3);
  engine->stop();
  CHECK(store.outbox_stats()->pending == 3);
  CHECK(engine->drain(in(2s)) == sync::SyncEngine::DrainResult::revoked);

  // The store remembers it for `heed-device status` and the next start.
  auto state = sync::read_sync_state(store).value();
  CHECK(state.token_revoked);
  CHECK(state.last_error == status.last_error);
  CHECK(sync::SyncEngine::create(store, fast_options(server.port())).value()->status().token_revoked);

  // Enrolling again resumes delivery.
  (void)enroll(store, server);
  auto again = sync::SyncEngine::create(store, fast_options(server.port())).value();
  CHECK_FALSE(again->status().token_revoked);
  CHECK(again->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(server_records(server.server->storage()).rows == 8);
}

TEST_CASE("enrollment keeps the token private; bad codes and plain http are refused") {
  TempDir device_dir;
  const auto file = device_dir / "device.db";
  ::umask(022);  // a permissive umask: the store must still end up 0600
  auto store = DeviceStore::open(file).value();
  save_records(store, feedback_records(1));
  TestServer server;

  auto refused = sync::enroll(store, loopback(server.port()), "AAAA-BBBB-CCCC", "Till 1");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::invalid);
  CHECK(refused.error().message.find("enrollment code") != std::string::npos);

  auto insecure = loopback(server.port());
  insecure.allow_insecure = false;
  auto plain = sync::enroll(store, insecure, "AAAA-BBBB-CCCC", "Till 1");
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.error().message.find("https://") != std::string::npos);

  auto unreachable = sync::enroll(store, loopback(free_port()), "AAAA-BBBB-CCCC", "Till 1");
  REQUIRE_FALSE(unreachable.ok());
  CHECK(unreachable.error().code == Errc::io);

  const auto enrolled = enroll(store, server);
  CHECK(enrolled.store_id == "MCR-01");
  CHECK(enrolled.token.rfind("hd_", 0) == 0);
  CHECK(store.setting(sync::keys::token).value() == enrolled.token);
  CHECK(store.device_id().value() == enrolled.device_id);
  auto state = sync::read_sync_state(store).value();
  CHECK(state.enrolled);
  CHECK(state.store_id == "MCR-01");
  CHECK(state.server_url == loopback(server.port()).server_url);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    struct stat st {};
    const std::string path = file.string() + suffix;
    CAPTURE(path);
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  // The code is one-time.
  auto data = server.admin();
  const auto code = server::issue_enrollment_code(data, "MCR-01", server.now()).value();
  REQUIRE(sync::enroll(store, loopback(server.port()), code, "Till 1").ok());
  CHECK(sync::enroll(store, loopback(server.port()), code, "Till 1").error().code == Errc::invalid);
}

TEST_CASE("a saved record wakes the engine at once") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  int changes = 0;
  std::mutex m;
  engine->on_change([&] {
    std::lock_guard lock(m);
    ++changes;
  });
  engine->start();
  REQUIRE(eventually(
      [&] { return engine->status().online || !engine->status().last_error.empty() || engine->status().pending == 0; },
      5s));
  std::this_thread::sleep_for(200ms);  // idle now, waiting for minutes unless told
  const auto records = feedback_records(1);
  save_records(store, records);
  const auto saved_at = std::chrono::steady_clock::now();
  engine->notify();
  REQUIRE(eventually([&] { return server_records(server.server->storage()).rows == 1; }, 5s));
  CHECK(std::chrono::steady_clock::now() - saved_at < 2s);
  REQUIRE(eventually([&] { return engine->status().pending == 0; }, 5s));
  engine->stop();
  std::lock_guard lock(m);
  CHECK(changes > 0);
}

TEST_CASE("a grace period keeps delivered records until it passes") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  const auto records = feedback_records(3);
  save_records(store, records);
  auto options = fast_options(server.port());
  options.erase_after_delivery = 3600s;
  auto engine = sync::SyncEngine::create(store, options).value();
  REQUIRE(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK_FALSE(store.is_erased(header_of(records[0]).id).value());
  CHECK(store.load_record(header_of(records[0]).id));
  CHECK(store.erase_delivered(unix_ms_now() + 3'600'000).value() == 3);
  CHECK_FALSE(store.load_record(header_of(records[0]).id));
}

TEST_CASE("the heartbeat tells head office the queue; a server without heartbeats is no error") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  const auto enrolled = enroll(store, server);
  save_records(store, feedback_records(2));
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  CHECK_FALSE(engine->status().attempted);  // the staff menu says "Connecting…", not "Offline"
  REQUIRE(engine->send_heartbeat());
  CHECK(engine->status().heartbeats_sent == 1);
  CHECK(engine->status().online);  // an answered heartbeat is online, before any record is sent
  CHECK(engine->status().attempted);

  auto client = server.client();
  const auto devices = get_json(client, "/api/v1/devices", server.sign_in());
  REQUIRE(devices["devices"].size() == 1);
  const auto& device = devices["devices"][0];
  CHECK(device["device_id"] == enrolled.device_id);
  CHECK(device["heartbeat"]["queue_length"] == 2);
  CHECK(device["heartbeat"]["oldest_pending_age_s"].is_number_integer());
  CHECK(device["heartbeat"]["app_version"] == "0.1.0");
  CHECK(device["silent"] == false);

  // An older server answers 404: logged once, and delivery goes on.
  httplib::Server old;
  old.Post("/api/v1/records", [](const httplib::Request& req, httplib::Response& res) {
    json ids = json::array();
    const json body = json::parse(req.body);  // a range-for over a temporary's member would dangle
    for (const auto& r : body["records"]) ids.push_back(r["id"]);
    res.set_content(json{{"accepted", ids}, {"duplicates", json::array()}, {"rejected", json::array()}}.dump(),
                    "application/json");
  });
  const int port = old.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { old.listen_after_bind(); });
  while (!old.is_running()) std::this_thread::sleep_for(5ms);
  auto to_old = sync::SyncEngine::create(store, fast_options(port)).value();
  CHECK_FALSE(to_old->send_heartbeat());
  CHECK(to_old->status().last_error.empty());
  CHECK(to_old->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  old.stop();
  serving.join();
}

TEST_CASE("a heartbeat that cannot reach the server is offline, and says so in words") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  const int port = server.port();
  server.stop();
  auto engine = sync::SyncEngine::create(store, fast_options(port)).value();
  CHECK_FALSE(engine->send_heartbeat());
  const auto status = engine->status();
  CHECK(status.attempted);
  CHECK_FALSE(status.online);
  // Not httplib's bare "Connection", which reads like a cut-off sentence.
  CHECK(status.last_error.find("could not connect") != std::string::npos);
}

TEST_CASE("offline after a backlog was delivered, a new record is not shown as half sent") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  (void)enroll(store, server);
  const int port = server.port();
  save_records(store, feedback_records(1));
  auto engine = sync::SyncEngine::create(store, fast_options(port)).value();
  REQUIRE(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(engine->status().backlog_done == 1);
  CHECK(engine->status().backlog_progress() == 1.0);

  server.stop();
  auto more = feedback_records(2);
  save_records(store, {more.back()});
  CHECK(engine->drain(in(300ms)) == sync::SyncEngine::DrainResult::timed_out);
  const auto status = engine->status();
  CHECK(status.pending == 1);
  CHECK(status.backlog_done == 0);  // was 1: "Sending: 1 of 2 records" with a half-full bar
  CHECK_FALSE(status.online);
}
