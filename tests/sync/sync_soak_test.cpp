// The long chaos run (CTest label `soak`, opt in: ctest -L soak): 20,000 records
// through the fault proxy while the in-process server is also stopped and
// restarted every few seconds and the kiosk keeps saving; every record at the
// server exactly once at the end.
#include <doctest/doctest.h>

#include "fault_proxy.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;

TEST_CASE("soak: faults, server restarts and new saves, for a while; exactly once at the end") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  const int port = server.port();
  server.options.port = port;
  (void)enroll(store, server);
  auto records = feedback_records(16'000);
  save_records(store, records);

  FaultRates rates;
  rates.refuse = 0.2;
  rates.reset_mid = 0.1;
  rates.reset_after = 0.1;
  rates.stall = 0.05;
  rates.stall_for = 700ms;
  FaultProxy proxy(port, rates, 99);
  auto options = fast_options(proxy.port());
  options.connection.request_timeout = 400ms;
  options.max_batch_records = 50;
  options.backoff_cap = 300ms;
  auto engine = sync::SyncEngine::create(store, options).value();
  engine->start();

  // The kiosk saves while the network and the server misbehave.
  for (int round = 0; round < 8; ++round) {
    auto more = feedback_records(500);
    for (auto& r : more) {
      REQUIRE(store.save(r).ok());
      engine->notify();
    }
    records.insert(records.end(), more.begin(), more.end());
    std::this_thread::sleep_for(1s);
    server.stop();
    std::this_thread::sleep_for(300ms);
    server.start();
  }
  proxy.heal();
  REQUIRE(eventually([&] { return engine->status().pending == 0 && store.outbox_stats()->pending == 0; }, 180s));
  engine->stop();

  const auto& counts = proxy.counts();
  MESSAGE("proxy: ", counts.refused.load(), " refused, ", counts.reset_mid.load(), " reset mid-request, ",
          counts.reset_after.load(), " reset after commit, ", counts.stalled.load(), " stalled, ", counts.passed.load(),
          " passed");
  CHECK(counts.refused > 10);
  CHECK(counts.reset_mid > 10);
  CHECK(counts.reset_after > 10);
  CHECK(counts.stalled > 5);
  CHECK(each_stored_once(server_records(server.server->storage()), records));
  CHECK(store.outbox_stats()->delivered == static_cast<std::int64_t>(records.size()));
}
