// The SQLite storage backend through the Storage interface: idempotent ingest,
// the KPI rollup, devices, users and sessions, cases with history and the
// webhook outbox.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/record_json.hpp"
#include "heed/server/customer.hpp"
#include "heed/server/sqlite_storage.hpp"
#include "temp_dir.hpp"

using namespace heed;
using namespace heed::server;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

RecordInput input(const Record& record) {
  RecordInput in{record, to_canonical_json(record), 0, std::nullopt, std::nullopt};
  in.local_day = std::chrono::sys_days{utc_date(header_of(record).created_at)}.time_since_epoch().count();
  const CustomerKey key = customer_key_of(record);
  in.customer_email = key.email;
  in.customer_phone = key.phone;
  return in;
}

struct Rig {
  test::TempDir dir;
  std::unique_ptr<Storage> store = open_sqlite_storage(dir / "heed.db").value();
};

// A planner that opens one complaint case per unresolved complaint, due in a day.
IngestPolicy simple_policy(std::vector<int>* earlier_seen = nullptr) {
  IngestPolicy policy;
  policy.plan_cases = [earlier_seen](const Record& r, int earlier) {
    std::vector<PlannedCase> cases;
    if (const auto* c = std::get_if<Complaint>(&r); c && !c->resolved_first_contact) {
      if (earlier_seen) earlier_seen->push_back(earlier);
      CaseOpening o;
      o.type = CaseType::complaint;
      o.record_id = c->header.id;
      o.store_id = c->header.store_id;
      o.reference = c->reference;
      o.repeat = earlier >= 1;
      o.clock_start = c->header.created_at;
      o.ack_due = c->header.created_at + 4h;
      o.resolve_due = c->header.created_at + 48h;
      cases.push_back({o, std::nullopt});
    }
    return cases;
  };
  return policy;
}

}  // namespace

TEST_CASE("a batch is stored once: replays are duplicates, changed content is a conflict") {
  Rig rig;
  auto a = test::feedback();
  auto b = test::complaint();
  std::vector<RecordInput> batch{input(a), input(b)};
  auto first = rig.store->ingest(batch, at("2026-11-22T15:00:00Z"), {});
  REQUIRE(first);
  CHECK(first->outcomes == std::vector{IngestOutcome::accepted, IngestOutcome::accepted});
  for (int i = 0; i < 3; ++i) {
    auto again = rig.store->ingest(batch, at("2026-11-22T15:01:00Z"), {});
    REQUIRE(again);
    CHECK(again->outcomes == std::vector{IngestOutcome::duplicate, IngestOutcome::duplicate});
  }
  a.nps = 2;
  std::vector<RecordInput> changed{input(a)};
  CHECK(rig.store->ingest(changed, at("2026-11-22T15:02:00Z"), {})->outcomes == std::vector{IngestOutcome::conflict});
  // The same id twice in one batch: the second is judged against the first.
  auto c = test::feedback();
  auto c2 = c;
  c2.csat = 1;
  std::vector<RecordInput> twice{input(c), input(c), input(c2)};
  CHECK(rig.store->ingest(twice, at("2026-11-22T15:03:00Z"), {})->outcomes ==
        std::vector{IngestOutcome::accepted, IngestOutcome::duplicate, IngestOutcome::conflict});
  CHECK(rig.store->stats(at("2026-11-22T15:04:00Z"))->records == 3);
}

TEST_CASE("the KPI rollup counts what was stored, by store, day and touchpoint") {
  Rig rig;
  std::vector<RecordInput> batch;
  const int csat[] = {5, 4, 2, 1};
  const int nps[] = {10, 7, 6, 0};
  for (int i = 0; i < 4; ++i) {
    auto f = test::feedback();
    f.csat = csat[i];
    f.nps = nps[i];
    f.touchpoint = i < 2 ? "checkout" : "returns";
    batch.push_back(input(f));
  }
  auto other_store = test::feedback();
  other_store.header.store_id = "LDS-02";
  other_store.header.created_at = at("2026-11-25T10:00:00Z");
  batch.push_back(input(other_store));
  auto unresolved = test::escalated_complaint();
  batch.push_back(input(unresolved));
  batch.push_back(input(test::complaint(3)));
  REQUIRE(rig.store->ingest(batch, at("2026-11-26T09:00:00Z"), {}));
  // Replays change nothing.
  REQUIRE(rig.store->ingest(batch, at("2026-11-26T09:00:00Z"), {}));

  KpiQuery all;
  auto k = rig.store->kpis(all).value();
  CHECK(k.feedback == 5);
  CHECK(k.csat_count == 5);
  CHECK(k.csat_sum == 5 + 4 + 2 + 1 + 4);
  CHECK(k.csat_satisfied == 3);
  CHECK(k.promoters == 2);
  CHECK(k.passives == 1);
  CHECK(k.detractors == 2);
  CHECK(k.complaints == 2);
  CHECK(k.resolved_first_contact == 1);

  KpiQuery mcr;
  mcr.store_id = "MCR-01";
  CHECK(rig.store->kpis(mcr)->feedback == 4);
  mcr.touchpoint = "returns";
  CHECK(rig.store->kpis(mcr)->csat_sum == 3);
  CHECK(rig.store->kpis(mcr)->complaints == 0);

  KpiQuery late;
  late.from_day = std::chrono::sys_days{*parse_date("2026-11-23")}.time_since_epoch().count();
  CHECK(rig.store->kpis(late)->feedback == 1);
  late.to_day = late.from_day;
  CHECK(rig.store->kpis(late)->feedback == 0);
}

TEST_CASE("an enrollment code enrolls one device, once, before it expires") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  REQUIRE(rig.store->add_enrollment_code("code-hash", "MCR-01", now, now + 24h));
  REQUIRE(rig.store->add_enrollment_code("old-hash", "MCR-01", now - 48h, now - 24h));
  CHECK(rig.store->enroll_device("nope", "dev-1", "Till 1", "token-1", now).error().code == Errc::not_found);
  CHECK(rig.store->enroll_device("old-hash", "dev-1", "Till 1", "token-1", now).error().code == Errc::not_found);
  auto device = rig.store->enroll_device("code-hash", "dev-1", "Till 1", "token-1", now);
  REQUIRE(device);
  CHECK(device->store_id == "MCR-01");
  CHECK(rig.store->enroll_device("code-hash", "dev-2", "Till 2", "token-2", now).error().code == Errc::not_found);

  auto found = rig.store->device_by_token("token-1").value();
  REQUIRE(found);
  CHECK(found->device_id == "dev-1");
  CHECK_FALSE(found->revoked);
  CHECK_FALSE(rig.store->device_by_token("token-2").value());
  REQUIRE(rig.store->revoke_device("dev-1", now));
  CHECK(rig.store->device_by_token("token-1").value()->revoked);
  CHECK(rig.store->revoke_device("dev-1", now).error().code == Errc::not_found);
}

TEST_CASE("users are unique without regard to case; sessions expire") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  auto id = rig.store->add_user("Alice", "$argon2id$fake", Role::manager, now);
  REQUIRE(id);
  CHECK(rig.store->add_user("alice", "$argon2id$fake", Role::agent, now).error().code == Errc::conflict);
  auto alice = rig.store->user_by_name("ALICE").value();
  REQUIRE(alice);
  CHECK(alice->role == Role::manager);
  CHECK_FALSE(rig.store->user_by_name("bob").value());

  REQUIRE(rig.store->add_session("session-hash", *id, now, now + 1h));
  CHECK(rig.store->user_by_session("session-hash", now + 59min).value()->username == "Alice");
  CHECK_FALSE(rig.store->user_by_session("session-hash", now + 1h).value());
  CHECK_FALSE(rig.store->user_by_session("other", now).value());
  REQUIRE(rig.store->purge_sessions(now + 2h));
  CHECK_FALSE(rig.store->user_by_session("session-hash", now).value());
}

TEST_CASE("cases open on ingest, change with their history, and queue webhooks atomically") {
  Rig rig;
  std::vector<int> earlier;
  const auto policy = simple_policy(&earlier);
  auto first = test::escalated_complaint();
  first.header.created_at = at("2026-11-23T10:00:00Z");
  std::vector<RecordInput> batch{input(first)};
  auto r = rig.store->ingest(batch, at("2026-11-23T10:05:00Z"), policy);
  REQUIRE(r);
  REQUIRE(r->opened.size() == 1);
  // The same customer (email spelt differently) complains again: one earlier complaint.
  auto second = test::escalated_complaint();
  second.reference = make_reference("MCR", "K2", 9);
  second.header.created_at = at("2026-12-01T10:00:00Z");
  second.customer->email = " FFION@example.co.uk";
  second.customer->phone.reset();
  std::vector<RecordInput> batch2{input(second)};
  REQUIRE(rig.store->ingest(batch2, at("2026-12-01T10:01:00Z"), policy));
  CHECK(earlier == std::vector{0, 1});

  const auto now = at("2026-11-23T15:00:00Z");  // past the first case's 4-hour acknowledgement
  CaseQuery open{CaseFilter::open, std::nullopt, now, 0, 100};
  auto cases = rig.store->list_cases(open).value();
  REQUIRE(cases.size() == 2);
  const auto case_id = cases[0].id;
  CHECK(cases[0].record_id == first.header.id);
  CHECK(cases[1].repeat);
  CaseQuery breached{CaseFilter::breached, std::nullopt, now, 0, 100};
  CHECK(rig.store->list_cases(breached)->size() == 1);
  CHECK(rig.store->cases_past_deadline(now, 10).value() == std::vector<std::int64_t>{case_id});

  // A refused change writes nothing.
  auto refused = rig.store->update_case(case_id, [](CaseRow& c) -> Result<CaseChange> {
    c.level = 2;
    return Error{Errc::conflict, "no"};
  });
  CHECK(refused.error().code == Errc::conflict);
  CHECK(rig.store->find_case(case_id).value()->level == 0);

  auto escalated = rig.store->update_case(case_id, [&](CaseRow& c) -> Result<CaseChange> {
    c.level += 1;
    c.ack_breached = true;
    return CaseChange{{CaseEvent{0, now, "system", "breach", R"({"deadline":"acknowledge"})"}},
                      {WebhookMessage{0, "case.breached", R"({"case":1})", 0, 0}}};
  });
  REQUIRE(escalated);
  CHECK(escalated->level == 1);
  CHECK(rig.store->cases_past_deadline(now, 10)->empty());
  auto history = rig.store->case_history(case_id).value();
  REQUIRE(history.size() == 2);
  CHECK(history[0].action == "opened");
  CHECK(history[1].action == "breach");

  auto due = rig.store->due_webhooks(unix_ms_now(), 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].event == "case.breached");
  REQUIRE(rig.store->webhook_failed(due[0].id, unix_ms_now() + 60000, "connection refused"));
  CHECK(rig.store->due_webhooks(unix_ms_now(), 10)->empty());
  CHECK(rig.store->next_webhook_due_ms().value() > unix_ms_now());
  REQUIRE(rig.store->webhook_delivered(due[0].id, unix_ms_now()));
  CHECK_FALSE(rig.store->next_webhook_due_ms().value());

  // Resolve: closed, no longer open; the history of a store update lands on the case.
  auto update = test::complaint_update(first.header.id);
  std::vector<RecordInput> batch3{input(update)};
  REQUIRE(rig.store->ingest(batch3, now, policy));
  CHECK(rig.store->case_history(case_id)->back().action == "store_update");
  REQUIRE(rig.store->update_case(case_id, [&](CaseRow& c) -> Result<CaseChange> {
    c.resolved_at = now;
    c.root_cause = "product_quality";
    return CaseChange{{CaseEvent{0, now, "alice", "resolve", "{}"}}, {}};
  }));
  CHECK(rig.store->list_cases(open)->size() == 1);
  CaseQuery closed{CaseFilter::closed, std::nullopt, now, 0, 100};
  CHECK(rig.store->list_cases(closed)->size() == 1);
  CHECK(rig.store->update_case(999, [](CaseRow&) -> Result<CaseChange> { return CaseChange{}; }).error().code ==
        Errc::not_found);

  auto history_of = rig.store->customer_history(CustomerKey{"ffion@example.co.uk", std::nullopt}, 50).value();
  CHECK(history_of.records.size() == 2);
  CHECK(history_of.cases.size() == 2);
}

TEST_CASE("records page by creation time with a cursor") {
  Rig rig;
  std::vector<RecordInput> batch;
  for (int i = 0; i < 5; ++i) {
    auto f = test::feedback();
    f.header.created_at = at("2026-11-22T10:00:00Z") + std::chrono::hours(4 - i);
    batch.push_back(input(f));
  }
  REQUIRE(rig.store->ingest(batch, at("2026-11-22T16:00:00Z"), {}));
  std::optional<RecordCursor> cursor;
  std::vector<Timestamp> seen;
  while (true) {
    auto page = rig.store->records_page({}, cursor, 2).value();
    if (page.empty()) break;
    for (const auto& r : page) seen.push_back(r.created_at);
    cursor = RecordCursor{page.back().created_at, page.back().seq};
  }
  REQUIRE(seen.size() == 5);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  RecordRange range{at("2026-11-22T11:00:00Z"), at("2026-11-22T13:00:00Z")};
  CHECK(rig.store->records_page(range, std::nullopt, 100)->size() == 2);
}

TEST_CASE("the database survives reopening, and a second process may open it meanwhile") {
  test::TempDir dir;
  auto first = open_sqlite_storage(dir / "heed.db").value();
  auto second = open_sqlite_storage(dir / "heed.db").value();
  std::vector<RecordInput> batch{input(test::feedback())};
  REQUIRE(first->ingest(batch, now_utc(), {}));
  CHECK(second->ingest(batch, now_utc(), {})->outcomes == std::vector{IngestOutcome::duplicate});
  first.reset();
  second.reset();
  auto again = open_sqlite_storage(dir / "heed.db").value();
  CHECK(again->stats(now_utc())->records == 1);
}
