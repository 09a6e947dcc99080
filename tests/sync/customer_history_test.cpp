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
  CHECK(found->complaints[0].escalated_to == EscalationTarget::area_manager);  // where staff referred it
  CHECK(remote.find(CustomerQuery{}, 2s).error().code == Errc::invalid);

  // The server away: the fallback answers from this device and says so. The
  // delivered complaint's contact details were erased here; its contact hash finds it.
  REQUIRE(store.is_erased(escalated.header.id).value());
  HistoryWithFallback both(std::make_shared<sync::ServerCustomerHistory>(store, loopback(free_port())),
                           std::make_shared<LocalCustomerHistory>(store));
  auto local = both.find(query, 500ms);
  REQUIRE(local.ok());
  CHECK(local->source == HistorySource::local_only);
  REQUIRE(local->complaints.size() == 1);
  CHECK(local->complaints[0].id == escalated.header.id);
  CHECK(local->complaints[0].reference == escalated.reference);
}

TEST_CASE("the tablet's history shows the customer's call-back case from kiosk feedback, not only complaints") {
  TestServer server;
  // A kiosk: a detractor who asked to be contacted, by email; the server opens a call-back case.
  TempDir kiosk_dir;
  auto kiosk = DeviceStore::open(kiosk_dir / "kiosk.db").value();
  (void)enroll(kiosk, server);
  Feedback unhappy = feedback();
  unhappy.header.created_at = now_utc() - 25min;  // its deadlines still ahead
  unhappy.nps = 2;
  unhappy.csat = 1;
  unhappy.contact = Contact{std::nullopt, "ffion@example.co.uk", std::nullopt, true, "2026-01", std::nullopt};
  REQUIRE(kiosk.save(unhappy).ok());
  auto kiosk_engine = sync::SyncEngine::create(kiosk, fast_options(server.port())).value();
  REQUIRE(kiosk_engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);

  // The tablet, at another till: no complaint from this customer anywhere.
  TempDir tablet_dir;
  auto tablet = DeviceStore::open(tablet_dir / "tablet.db").value();
  (void)enroll(tablet, server);
  sync::ServerCustomerHistory remote(tablet, loopback(server.port()));
  auto found = remote.find(CustomerQuery{std::string(" Ffion@Example.co.uk "), std::nullopt}, 2s);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  CHECK(found->source == HistorySource::server);
  CHECK(found->complaints.empty());
  REQUIRE(found->cases.size() == 1);
  CHECK(found->cases[0].type == "callback");
  CHECK(found->cases[0].open);
  CHECK(found->cases[0].status == "open");
  CHECK(found->cases[0].store_id == "MCR-01");
  CHECK(found->cases[0].touchpoint == "checkout");
  CHECK(found->cases[0].opened_at == unhappy.header.created_at);

  // A complaint of theirs at the tablet: listed as a complaint, its case not again as a case.
  Complaint complaint = escalated_complaint();
  complaint.header.id = new_uuid_v4();
  REQUIRE(tablet.save(complaint).ok());
  auto tablet_engine = sync::SyncEngine::create(tablet, fast_options(server.port())).value();
  REQUIRE(tablet_engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  found = remote.find(CustomerQuery{std::string("ffion@example.co.uk"), std::nullopt}, 2s);
  REQUIRE(found.ok());
  REQUIRE(found->complaints.size() == 1);
  CHECK(found->complaints[0].id == complaint.header.id);
  CHECK(found->complaints[0].open);
  REQUIRE(found->cases.size() == 1);
  CHECK(found->cases[0].type == "callback");
}

TEST_CASE("the server's history answer: where each complaint was escalated to, none when resolved") {
  auto history = sync::customer_history_from_json(R"({"complaints": [
      {"id": "a", "reference": "MCR-T2-000001", "created_at": "2026-11-01T10:00:00Z", "category": "delivery",
       "resolved_first_contact": false, "offered": [], "escalation_target": "head_office"},
      {"id": "b", "reference": "MCR-T2-000002", "created_at": "2026-11-02T10:00:00Z", "category": "service",
       "resolved_first_contact": true, "offered": ["apology"], "escalation_target": null},
      {"id": "c", "reference": "MCR-T2-000003", "created_at": "2026-11-03T10:00:00Z", "category": "other",
       "resolved_first_contact": false, "offered": [], "escalation_target": "the moon"}],
    "cases": []})");
  REQUIRE(history.ok());
  REQUIRE(history->complaints.size() == 3);
  CHECK(history->complaints[2].id == "a");  // newest first
  CHECK(history->complaints[2].escalated_to == EscalationTarget::head_office);
  CHECK_FALSE(history->complaints[1].escalated_to);
  CHECK_FALSE(history->complaints[0].escalated_to);  // not a target this tablet knows: not guessed
}

TEST_CASE("a complaint by the reference the customer quotes, from the server or, offline, this device") {
  TestServer server;
  // Tablet A takes the complaint and delivers it.
  TempDir a_dir;
  auto a = DeviceStore::open(a_dir / "a.db").value();
  (void)enroll(a, server);
  Complaint complaint = escalated_complaint();
  complaint.header.id = new_uuid_v4();
  REQUIRE(a.save(complaint).ok());
  auto a_engine = sync::SyncEngine::create(a, fast_options(server.port())).value();
  REQUIRE(a_engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);

  // Tablet B, another till: the customer reads the reference out, in lower case with spaces.
  TempDir b_dir;
  auto b = DeviceStore::open(b_dir / "b.db").value();
  (void)enroll(b, server);
  std::string spoken;
  for (char c : complaint.reference)
    if (c != '-') spoken += std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c)))) + " ";
  const ReadReference typed = read_typed_reference(spoken);
  REQUIRE(typed.status == TypedReference::ok);
  CustomerQuery query;
  query.reference_key = typed.key;
  HistoryWithFallback b_lookup(std::make_shared<sync::ServerCustomerHistory>(b, loopback(server.port())),
                               std::make_shared<LocalCustomerHistory>(b));
  auto found = b_lookup.find(query, 2s);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  CHECK(found->source == HistorySource::server);
  REQUIRE(found->complaints.size() == 1);
  CHECK(found->complaints[0].id == complaint.header.id);
  CHECK(found->complaints[0].reference == complaint.reference);
  CHECK(found->complaints[0].open);

  // B writes a note for it; the server takes it from a device that did not make the complaint.
  REQUIRE(b.save(complaint_update(complaint.header.id)).ok());
  auto b_engine = sync::SyncEngine::create(b, fast_options(server.port())).value();
  REQUIRE(b_engine->drain(in(10s)) == sync::SyncEngine::DrainResult::drained);
  CHECK(b.outbox_stats()->delivered == 1);

  // Offline: B knows nothing of A's complaint, A finds its own, and both say local only.
  CustomerQuery same = query;
  HistoryWithFallback b_offline(std::make_shared<sync::ServerCustomerHistory>(b, loopback(free_port())),
                                std::make_shared<LocalCustomerHistory>(b));
  auto nothing = b_offline.find(same, 500ms);
  REQUIRE(nothing.ok());
  CHECK(nothing->source == HistorySource::local_only);
  CHECK(nothing->complaints.empty());
  HistoryWithFallback a_offline(std::make_shared<sync::ServerCustomerHistory>(a, loopback(free_port())),
                                std::make_shared<LocalCustomerHistory>(a));
  auto own = a_offline.find(same, 500ms);
  REQUIRE(own.ok());
  CHECK(own->source == HistorySource::local_only);
  REQUIRE(own->complaints.size() == 1);
  CHECK(own->complaints[0].id == complaint.header.id);
}
