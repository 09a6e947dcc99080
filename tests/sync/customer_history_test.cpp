// The staff tablet's customer history from the real server, with this device's
// own records behind it when the server cannot answer.
#include <doctest/doctest.h>

#include "heed/sync/server_customer_history.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;

TEST_CASE("the staff tablet's customer history comes from the server, with local history behind it") {
  TempDir device_dir;
  auto store = DeviceStore::open(device_dir / "device.db").value();
  TestServer server;
  sync::ServerCustomerHistory remote(store, loopback(server.port()));
  CustomerQuery query{std::string("FFION@example.co.uk"), std::nullopt};
  CHECK(remote.find(query, 2s).error().code == Errc::not_found);  // not enrolled yet
  (void)enroll(store, server);

  Complaint escalated = escalated_complaint();
  escalated.header.id = new_uuid_v4();
  escalated.customer = contact();
  REQUIRE(store.save(escalated).ok());
  auto engine = sync::SyncEngine::create(store, fast_options(server.port())).value();
  REQUIRE(engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);

  auto found = remote.find(query, 2s);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  CHECK(found->source == HistorySource::server);
  REQUIRE(found->complaints.size() == 1);
  CHECK(found->complaints[0].id == escalated.header.id);
  CHECK(found->complaints[0].reference == escalated.reference);
  CHECK(found->complaints[0].category == escalated.category);
  CHECK(found->complaints[0].open);
  CHECK(remote.find(CustomerQuery{}, 2s).error().code == Errc::invalid);

  // The server away: the fallback answers from this device and says so. (The
  // delivered complaint was erased here, so the local answer is empty.)
  HistoryWithFallback both(std::make_shared<sync::ServerCustomerHistory>(store, loopback(free_port())),
                           std::make_shared<LocalCustomerHistory>(store));
  auto local = both.find(query, 500ms);
  REQUIRE(local.ok());
  CHECK(local->source == HistorySource::local_only);
}
