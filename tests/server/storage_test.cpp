// The SQLite storage backend through the Storage interface: idempotent ingest,
// the KPI rollup, devices, users and sessions, cases with history and the
// webhook outbox.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "file_modes.hpp"
#include "fixtures.hpp"
#include "heed/record_json.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/customer.hpp"
#include "heed/server/sqlite_storage.hpp"
#include "heed/sqlite.hpp"
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

// The user of an active session, under a day's idle timeout (for tests of a session's life and its user).
std::optional<User> session_user(Storage& store, const std::string& token_hash, Timestamp now) {
  auto found = store.user_by_session(token_hash, now, 24h).value();
  if (found.state != SessionLookup::State::active) return std::nullopt;
  return found.session->user;
}

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
      o.severity = c->severity;
      o.clock_start = c->header.created_at;
      o.ack_due = c->header.created_at + 4h;
      o.resolve_due = c->header.created_at + 48h;
      cases.push_back(PlannedCase{o, std::nullopt, {}, {}});
    }
    return cases;
  };
  return policy;
}

// Each takes a database back one schema, and the later ones first, as a test of
// an older migration needs before it goes further back.
// 15 to 14: no chain-wide rollup, no comments' indexes.
void undo_migration_15(sql::Database& db) {
  REQUIRE(db.exec("DROP TABLE kpi_chain_daily; DROP INDEX records_comments; DROP INDEX records_comments_by_store; "
                  "PRAGMA user_version = 14;"));
}

// 14 to 13: no alerts, and cases' CHECK without 'alert'. Loosening a CHECK
// changes nothing stored, so the old text is put back in the schema directly.
void undo_migration_14(sql::Database& db) {
  undo_migration_15(db);
  REQUIRE(db.exec(
      "DELETE FROM case_events WHERE case_id IN (SELECT case_id FROM alerts); DROP TABLE alert_records; "
      "DROP TABLE alerts; DELETE FROM cases WHERE type = 'alert'; PRAGMA writable_schema = ON; "
      "UPDATE sqlite_schema SET sql = replace(sql, ', ''alert'')', ')') WHERE type = 'table' AND name = 'cases'; "
      "PRAGMA writable_schema = OFF; PRAGMA user_version = 13;"));
}

// 13 to 12: no Pareto indexes.
void undo_migration_13(sql::Database& db) {
  undo_migration_14(db);
  REQUIRE(db.exec("DROP INDEX records_complaints_by_day; DROP INDEX cases_complaints_by_day; "
                  "ALTER TABLE records DROP COLUMN category; PRAGMA user_version = 12;"));
}

// 12 to 11: users without an email or digest, no digest deliveries.
void undo_migration_12(sql::Database& db) {
  undo_migration_13(db);
  REQUIRE(db.exec("DROP TABLE digest_deliveries; DROP INDEX case_events_breaches; ALTER TABLE users DROP COLUMN email; "
                  "ALTER TABLE users DROP COLUMN digest; ALTER TABLE users DROP COLUMN digest_since; "
                  "PRAGMA user_version = 11;"));
}

// 11 to 10: sessions without their last use.
void undo_migration_11(sql::Database& db) {
  undo_migration_12(db);
  REQUIRE(db.exec("ALTER TABLE sessions DROP COLUMN last_active_at; PRAGMA user_version = 10;"));
}

// 10 to 9: webhooks without their endpoint.
void undo_migration_10(sql::Database& db) {
  undo_migration_11(db);
  REQUIRE(
      db.exec("DROP INDEX webhooks_due; ALTER TABLE webhooks DROP COLUMN endpoint; "
              "ALTER TABLE webhooks DROP COLUMN given_up_at_ms; "
              "CREATE INDEX webhooks_due ON webhooks (next_attempt_ms) WHERE delivered_at_ms IS NULL; "
              "PRAGMA user_version = 9;"));
}

// 9 to 8: the queue's indexes, counts and reference text.
void undo_migration_9(sql::Database& db) {
  undo_migration_10(db);
  REQUIRE(
      db.exec("DROP INDEX cases_open_by_due; DROP INDEX cases_open_by_store; DROP INDEX cases_closed; "
              "DROP INDEX cases_closed_by_store; DROP TRIGGER cases_reference_text; DROP TABLE case_reference_text; "
              "DROP TRIGGER case_totals_insert; DROP TRIGGER case_totals_close; DROP TRIGGER case_totals_delete; "
              "DROP TABLE case_totals; DROP INDEX cases_ack_pending; DROP INDEX cases_resolve_running; "
              "DROP INDEX cases_waiting; DROP INDEX cases_scheduled; "
              "CREATE INDEX cases_queue ON cases (next_due, id) WHERE resolved_at IS NULL; PRAGMA user_version = 8;"));
}

// 8 to 7: the audit trail's indexes.
void undo_migration_8(sql::Database& db) {
  undo_migration_9(db);
  REQUIRE(db.exec("DROP INDEX audit_by_actor; DROP INDEX audit_by_action; PRAGMA user_version = 7;"));
}

// 7 to 6: scopes, the case file's columns, final letters.
void undo_migration_7(sql::Database& db) {
  undo_migration_8(db);
  REQUIRE(db.exec(
      "DROP TABLE final_letters; ALTER TABLE users DROP COLUMN scope; ALTER TABLE users DROP COLUMN disabled_at; "
      "DROP INDEX cases_following; DROP INDEX cases_resolve_watch; DROP INDEX cases_queue; "
      "DROP INDEX cases_opened_once; DROP INDEX cases_by_record; "
      "ALTER TABLE cases DROP COLUMN waiting_since; ALTER TABLE cases DROP COLUMN paused_s; "
      "ALTER TABLE cases DROP COLUMN outcome; ALTER TABLE cases DROP COLUMN remedies; "
      "ALTER TABLE cases DROP COLUMN follows_case_id; ALTER TABLE cases DROP COLUMN satisfied; "
      "ALTER TABLE cases DROP COLUMN next_due; "
      "CREATE INDEX cases_resolve_watch ON cases (resolve_due) WHERE resolved_at IS NULL AND resolve_breached = 0; "
      "PRAGMA user_version = 6;"));
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

  // The rollup is derived data: the records' own columns give the same sums.
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  CHECK(db.scalar_int("SELECT sum(csat) FROM records").value() == k.csat_sum);
  CHECK(db.scalar_int("SELECT count(*) FROM records WHERE nps >= 9").value() == k.promoters);
  CHECK(db.scalar_int("SELECT sum(resolved_first_contact) FROM records").value() == k.resolved_first_contact);

  // A scope's stores: the list, with or without a store of it, and an empty list.
  KpiQuery scoped;
  scoped.stores = std::vector<std::string>{"LDS-02", "LON-01"};
  CHECK(rig.store->kpis(scoped)->feedback == 1);
  CHECK(rig.store->kpis(scoped)->complaints == 0);
  scoped.stores = std::vector<std::string>{"MCR-01", "LDS-02"};
  CHECK(rig.store->kpis(scoped)->feedback == 5);
  CHECK(rig.store->kpis(scoped)->complaints == 2);
  scoped.store_id = "LDS-02";
  CHECK(rig.store->kpis(scoped)->feedback == 1);
  scoped.store_id.reset();
  scoped.stores = std::vector<std::string>{};
  CHECK(rig.store->kpis(scoped)->feedback == 0);

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
  CHECK(rig.store->revoke_device("dev-1", now).error().code == Errc::conflict);
  CHECK(rig.store->revoke_device("dev-9", now).error().code == Errc::not_found);
  CHECK(rig.store->device_by_token("token-1").value()->revoked_at == now);
}

TEST_CASE("a device's last heartbeat replaces the one before, and batches and heartbeats mark it seen") {
  Rig rig;
  const auto now = at("2026-11-23T10:00:00Z");
  REQUIRE(rig.store->add_enrollment_code("code-1", "MCR-01", now, now + 24h));
  REQUIRE(rig.store->add_enrollment_code("code-2", "LDS-02", now, now + 24h));
  REQUIRE(rig.store->enroll_device("code-1", "dev-1", "Till 1", "token-1", now));
  REQUIRE(rig.store->enroll_device("code-2", "dev-2", "Kiosk", "token-2", now + 1min));
  Heartbeat beat;
  beat.received_at = now + 5min;
  beat.queue_length = 7;
  beat.oldest_pending_age_s = 90;
  beat.app_version = "0.6.0";
  beat.quarantined = 2;
  beat.last_sync_at = now + 4min;
  beat.last_error = "timed out";
  REQUIRE(rig.store->record_heartbeat("dev-1", beat));
  CHECK(rig.store->record_heartbeat("dev-9", beat).error().code == Errc::not_found);

  auto all = rig.store->list_devices(std::nullopt).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].device.device_id == "dev-2");  // by store: LDS-02 first
  CHECK_FALSE(all[0].heartbeat);
  CHECK_FALSE(all[0].device.last_seen_at);
  REQUIRE(all[1].heartbeat);
  CHECK(all[1].heartbeat->queue_length == 7);
  CHECK(all[1].heartbeat->oldest_pending_age_s == 90);
  CHECK(all[1].heartbeat->quarantined == 2);
  CHECK(all[1].heartbeat->last_sync_at == now + 4min);
  CHECK(all[1].heartbeat->last_error == "timed out");
  CHECK(all[1].device.last_seen_at == now + 5min);

  Heartbeat empty;
  empty.received_at = now + 10min;
  empty.app_version = "0.6.1";
  REQUIRE(rig.store->record_heartbeat("dev-1", empty));
  auto mcr = rig.store->list_devices(std::string("MCR-01")).value();
  REQUIRE(mcr.size() == 1);
  CHECK(mcr[0].heartbeat->queue_length == 0);
  CHECK_FALSE(mcr[0].heartbeat->oldest_pending_age_s);
  CHECK_FALSE(mcr[0].heartbeat->quarantined);
  CHECK_FALSE(mcr[0].heartbeat->last_error);
  CHECK(mcr[0].heartbeat->app_version == "0.6.1");

  // A batch from the device marks it seen at its arrival, never earlier.
  IngestPolicy from_device;
  from_device.from_device = "dev-1";
  std::vector<RecordInput> batch{input(test::feedback())};
  REQUIRE(rig.store->ingest(batch, now + 20min, from_device));
  CHECK(rig.store->list_devices(std::string("MCR-01")).value()[0].device.last_seen_at == now + 20min);
  std::vector<RecordInput> late{input(test::feedback())};
  REQUIRE(rig.store->ingest(late, now + 15min, from_device));
  CHECK(rig.store->list_devices(std::string("MCR-01")).value()[0].device.last_seen_at == now + 20min);
}

TEST_CASE("users are unique without regard to case; sessions expire") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  auto id = rig.store->add_user("Alice", "$argon2id$fake", Role::manager, Scope{}, now);
  REQUIRE(id);
  CHECK(rig.store->add_user("alice", "$argon2id$fake", Role::agent, Scope{}, now).error().code == Errc::conflict);
  auto alice = rig.store->user_by_name("ALICE").value();
  REQUIRE(alice);
  CHECK(alice->role == Role::manager);
  CHECK_FALSE(rig.store->user_by_name("bob").value());

  REQUIRE(rig.store->add_session("session-hash", *id, now, now + 1h));
  CHECK(session_user(*rig.store, "session-hash", now + 59min)->username == "Alice");
  CHECK_FALSE(session_user(*rig.store, "session-hash", now + 1h));
  CHECK_FALSE(session_user(*rig.store, "other", now));
  REQUIRE(rig.store->purge_sessions(now + 2h, 24h));
  CHECK_FALSE(session_user(*rig.store, "session-hash", now));
}

TEST_CASE("sessions end when idle: told apart from unknown ones, kept alive by use, purged with expired ones") {
  using State = SessionLookup::State;
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  const auto id = rig.store->add_user("ana", "$argon2id$fake", Role::agent, Scope{}, now).value();
  REQUIRE(rig.store->add_session("s1", id, now, now + 12h));
  REQUIRE(rig.store->add_session("s2", id, now, now + 12h));
  auto state = [&](const char* hash, Timestamp t) { return rig.store->user_by_session(hash, t, 30min).value().state; };
  auto sessions = [&] {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    return db.scalar_int("SELECT count(*) FROM sessions").value();
  };

  const auto fresh = rig.store->user_by_session("s1", now + 29min, 30min).value();
  REQUIRE(fresh.state == State::active);
  CHECK(fresh.session->last_active_at == now);  // a new session was last used when it began
  CHECK(fresh.session->expires_at == now + 12h);
  CHECK(fresh.session->user.username == "ana");
  CHECK(state("s1", now + 30min) == State::idle);
  CHECK_FALSE(rig.store->user_by_session("s1", now + 30min, 30min).value().session);
  CHECK(state("nope", now) == State::unknown);

  REQUIRE(rig.store->touch_session("s1", now + 20min));
  REQUIRE(rig.store->touch_session("s1", now + 10min));  // never moves the last use back
  CHECK(rig.store->user_by_session("s1", now + 49min, 30min).value().session->last_active_at == now + 20min);
  CHECK(state("s1", now + 50min) == State::idle);
  CHECK(state("s2", now + 40min) == State::idle);

  // The purge deletes the idle one and keeps the one in use.
  REQUIRE(rig.store->purge_sessions(now + 40min, 30min));
  CHECK(sessions() == 1);
  CHECK(state("s2", now + 40min) == State::unknown);
  CHECK(state("s1", now + 40min) == State::active);

  // Past its life a session is over however recently it was used, and purged.
  REQUIRE(rig.store->touch_session("s1", now + 12h - 1min));
  CHECK(state("s1", now + 12h - 1s) == State::active);
  CHECK(state("s1", now + 12h) == State::unknown);
  REQUIRE(rig.store->purge_sessions(now + 12h, 30min));
  CHECK(sessions() == 0);
}

TEST_CASE("users: listed, changed in role and scope, disabled and enabled; disabling or a new password ends sessions") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  const Scope north_west{Scope::Kind::area, "north_west"};
  const auto root = rig.store->add_user("root", "hash-r", Role::admin, Scope{}, now).value();
  const auto ana = rig.store->add_user("ana", "hash-a", Role::agent, north_west, now).value();
  auto users = rig.store->list_users().value();
  REQUIRE(users.size() == 2);
  CHECK(users[0].username == "ana");
  CHECK(users[0].scope == north_west);
  CHECK(users[0].active);
  CHECK(users[1].username == "root");

  REQUIRE(rig.store->add_session("s-ana", ana, now, now + 8h));
  REQUIRE(rig.store->add_session("s-root", root, now, now + 8h));
  UserChange promote;
  promote.role = Role::manager;
  promote.scope = Scope{Scope::Kind::store, "MCR-01"};
  auto changed = rig.store->update_user("ANA", promote, now).value();
  CHECK(changed.role == Role::manager);
  CHECK(changed.scope == Scope{Scope::Kind::store, "MCR-01"});
  CHECK(changed.password_hash == "hash-a");
  CHECK(session_user(*rig.store, "s-ana", now));  // a new role keeps the session (it reads the user anew)
  CHECK(session_user(*rig.store, "s-ana", now)->role == Role::manager);

  UserChange disable;
  disable.active = false;
  CHECK_FALSE(rig.store->update_user("ana", disable, now + 1h).value().active);
  CHECK_FALSE(session_user(*rig.store, "s-ana", now + 1h));
  CHECK_FALSE(rig.store->user_by_name("ana").value()->active);
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  CHECK(db.scalar_int("SELECT count(*) FROM sessions WHERE user_id = " + std::to_string(ana)).value() == 0);
  CHECK(db.scalar_int("SELECT disabled_at FROM users WHERE username = 'ana'").value() ==
        (now + 1h).time_since_epoch().count());
  UserChange enable;
  enable.active = true;
  CHECK(rig.store->update_user("ana", enable, now + 2h).value().active);
  CHECK(db.scalar_int("SELECT disabled_at IS NULL FROM users WHERE username = 'ana'").value() == 1);
  CHECK_FALSE(session_user(*rig.store, "s-ana", now + 2h));  // the ended session stays ended

  UserChange password;
  password.password_hash = "hash-new";
  REQUIRE(rig.store->update_user("root", password, now).value().password_hash == "hash-new");
  CHECK_FALSE(session_user(*rig.store, "s-root", now));
  CHECK(rig.store->user_by_name("root").value()->password_hash == "hash-new");

  CHECK(rig.store->update_user("nobody", enable, now).error().code == Errc::not_found);
}

TEST_CASE("the last active chain-wide admin cannot be disabled, demoted or narrowed; another admin can then be") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  REQUIRE(rig.store->add_user("root", "h", Role::admin, Scope{}, now));
  REQUIRE(rig.store->add_user("area-admin", "h", Role::admin, Scope{Scope::Kind::area, "london"}, now));
  UserChange disable, demote, narrow;
  disable.active = false;
  demote.role = Role::manager;
  narrow.scope = Scope{Scope::Kind::area, "london"};
  for (const UserChange* change : {&disable, &demote, &narrow})
    CHECK(rig.store->update_user("root", *change, now).error().code == Errc::conflict);
  CHECK(rig.store->user_by_name("root").value()->active);
  CHECK(rig.store->user_by_name("root").value()->role == Role::admin);
  // An area admin is not the last chain-wide one: disabling it is fine.
  CHECK(rig.store->update_user("area-admin", disable, now));

  REQUIRE(rig.store->add_user("root2", "h", Role::admin, Scope{}, now));
  CHECK(rig.store->update_user("root", demote, now));
  CHECK(rig.store->update_user("root2", disable, now).error().code == Errc::conflict);
  // A password reset of the last admin is not a demotion.
  UserChange password;
  password.password_hash = "h2";
  CHECK(rig.store->update_user("root2", password, now));
}

TEST_CASE("the audit trail reads back newest first, filtered by action, actor, case and time, in pages") {
  Rig rig;
  const auto t0 = at("2026-11-22T09:00:00Z");
  REQUIRE(rig.store->audit(t0, "ana", "case.contact_shown", R"({"case_id":7})"));
  REQUIRE(rig.store->audit(t0 + 1h, "bob", "case.contact_shown", R"({"case_id":8})"));
  REQUIRE(rig.store->audit(t0 + 2h, "ana", "export_records", R"({"from":null})"));
  REQUIRE(rig.store->audit(t0 + 3h, "ana", "case.contact_shown", R"({"case_id":7})"));
  REQUIRE(rig.store->audit(t0 + 4h, "cli", "device.revoke", "not json"));
  auto ids = [&](const AuditQuery& q) {
    std::vector<std::string> out;
    for (const auto& e : rig.store->list_audit(q).value())
      out.push_back(e.actor + "@" + std::to_string((e.at - t0) / 1h));
    return out;
  };
  CHECK(ids({}) == std::vector<std::string>{"cli@4", "ana@3", "ana@2", "bob@1", "ana@0"});
  AuditQuery by_ana;
  by_ana.actor = "ana";
  CHECK(ids(by_ana) == std::vector<std::string>{"ana@3", "ana@2", "ana@0"});
  by_ana.action = "case.contact_shown";
  CHECK(ids(by_ana) == std::vector<std::string>{"ana@3", "ana@0"});
  AuditQuery case7;
  case7.case_id = 7;
  CHECK(ids(case7) == std::vector<std::string>{"ana@3", "ana@0"});
  AuditQuery window;
  window.from = t0 + 1h;
  window.to = t0 + 3h;  // exclusive
  CHECK(ids(window) == std::vector<std::string>{"ana@2", "bob@1"});
  AuditQuery page;
  page.limit = 2;
  auto first = rig.store->list_audit(page).value();
  REQUIRE(first.size() == 2);
  page.before_id = first.back().id;
  CHECK(ids(page) == std::vector<std::string>{"ana@2", "bob@1"});
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
  CaseQuery open;
  open.filter = CaseFilter::open;
  open.now = now;
  open.limit = 100;
  auto cases = rig.store->list_cases(open).value();
  REQUIRE(cases.size() == 2);
  const auto case_id = cases[0].id;
  CHECK(cases[0].record_id == first.header.id);
  CHECK(cases[1].repeat);
  CaseQuery breached;
  breached.filter = CaseFilter::breached;
  breached.now = now;
  breached.limit = 100;
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
    CaseChange change;
    change.events.push_back(CaseEvent{0, now, "system", "breach", R"({"deadline":"acknowledge"})"});
    change.webhooks.push_back(WebhookMessage{0, "case.breached", R"({"case":1})", 0, 0, "default"});
    return change;
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
    CaseChange change;
    change.events.push_back(CaseEvent{0, now, "alice", "resolve", "{}"});
    return change;
  }));
  CHECK(rig.store->list_cases(open)->size() == 1);
  CaseQuery closed;
  closed.filter = CaseFilter::closed;
  closed.now = now;
  closed.limit = 100;
  CHECK(rig.store->list_cases(closed)->size() == 1);
  // Many at once, in one transaction; unknown ids are skipped.
  const std::vector<std::int64_t> ids{case_id, 999, cases[1].id};
  auto both = rig.store->update_cases(ids, [&](CaseRow& c) -> Result<CaseChange> {
    c.assignee = "carol";
    CaseChange change;
    change.events.push_back(CaseEvent{0, now, "alice", "assign", "{}"});
    return change;
  });
  REQUIRE(both);
  CHECK(both->size() == 2);
  CHECK(rig.store->find_case(cases[1].id).value()->assignee == "carol");
  CHECK(rig.store->update_cases(ids,
                                [](CaseRow&) -> Result<CaseChange> {
                                  return Error{Errc::conflict, "no"};
                                })
            .error()
            .code == Errc::conflict);
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
  RecordRange range{at("2026-11-22T11:00:00Z"), at("2026-11-22T13:00:00Z"), std::nullopt};
  CHECK(rig.store->records_page(range, std::nullopt, 100)->size() == 2);
}

TEST_CASE("records page within a scope's stores: one, several, or none") {
  Rig rig;
  std::vector<RecordInput> batch;
  for (const char* store : {"MCR-01", "MCR-02", "LON-01", "MCR-01"}) {
    auto f = test::feedback();
    f.header.store_id = store;
    batch.push_back(input(f));
  }
  REQUIRE(rig.store->ingest(batch, at("2026-11-22T16:00:00Z"), {}));
  auto stores_of = [&](std::optional<std::vector<std::string>> stores) {
    RecordRange range;
    range.stores = std::move(stores);
    std::multiset<std::string> seen;
    std::optional<RecordCursor> cursor;
    while (true) {  // pages of one, so that the cursor crosses the other stores' rows
      auto page = rig.store->records_page(range, cursor, 1).value();
      if (page.empty()) break;
      seen.insert(page.back().store_id);
      cursor = RecordCursor{page.back().created_at, page.back().seq};
    }
    return seen;
  };
  CHECK(stores_of(std::nullopt).size() == 4);
  CHECK(stores_of(std::vector<std::string>{"MCR-01"}) == std::multiset<std::string>{"MCR-01", "MCR-01"});
  CHECK(stores_of(std::vector<std::string>{"MCR-01", "MCR-02", "LIV-01"}) ==
        std::multiset<std::string>{"MCR-01", "MCR-01", "MCR-02"});
  CHECK(stores_of(std::vector<std::string>{}).empty());
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

namespace {
namespace fs = std::filesystem;
using test::kLooseDir;
using test::kLooseFile;
using test::kPrivateFile;
using test::mode_of;

// heed.db, its WAL and shared memory, and the token key, each 0600; the folder 0700.
void check_private(const fs::path& data) {
  CHECK(mode_of(data) == fs::perms::owner_all);
  for (const std::string name : {"heed.db", "heed.db-wal", "heed.db-shm", "token.key"}) {
    CAPTURE(name);
    REQUIRE(fs::exists(data / name));
    CHECK(mode_of(data / name) == kPrivateFile);
  }
}
}  // namespace

TEST_CASE("the server's database and data folder are private to its user, however they were made") {
  test::TempDir dir;
  const fs::path data = dir / "data";  // made beforehand, as deploy/run.sh's `mkdir -p` does
  fs::create_directory(data);
  fs::permissions(data, kLooseDir);
  {
    auto first = open_data_dir(data).value();
    REQUIRE(first.storage->add_user("alice", "hash", Role::admin, Scope{},
                                    at("2026-11-23T10:00:00Z")));  // a write: WAL, shm
    check_private(data);

    // Loosened while the server runs: the next opening (an admin command) tightens them.
    for (const char* name : {"heed.db", "heed.db-wal", "heed.db-shm", "token.key"})
      fs::permissions(data / name, kLooseFile);
    fs::permissions(data, kLooseDir);
    auto second = open_data_dir(data).value();
    REQUIRE(second.storage->add_user("bob", "hash", Role::agent, Scope{}, at("2026-11-23T10:00:00Z")));
    check_private(data);
  }
  // Stopped, loosened, started again.
  fs::permissions(data / "heed.db", kLooseFile);
  fs::permissions(data, kLooseDir);
  auto again = open_data_dir(data).value();
  REQUIRE(again.storage->add_user("carol", "hash", Role::agent, Scope{}, at("2026-11-23T10:00:00Z")));
  check_private(data);
  CHECK(again.storage->user_by_name("alice").value());

  // The storage alone, in a folder of its own, keeps the same rule.
  const fs::path other = dir / "other";
  fs::create_directory(other);
  fs::permissions(other, kLooseDir);
  auto store = open_sqlite_storage(other / "heed.db").value();
  REQUIRE(store->add_user("dan", "hash", Role::agent, Scope{}, at("2026-11-23T10:00:00Z")));
  CHECK(mode_of(other) == fs::perms::owner_all);
  for (const char* name : {"heed.db", "heed.db-wal", "heed.db-shm"}) CHECK(mode_of(other / name) == kPrivateFile);
}

TEST_CASE("concurrent batches share a commit, and one failing batch does not fail the others") {
  Rig rig;
  // A's planner holds the write lock long enough for B and C to queue behind
  // it; they are then written as one group, which B's planner breaks (the same
  // case twice), so each is written again on its own.
  IngestPolicy slow = simple_policy();
  slow.plan_cases = [](const Record&, int) {
    std::this_thread::sleep_for(300ms);
    return std::vector<PlannedCase>{};
  };
  IngestPolicy broken = simple_policy();
  const auto plan = broken.plan_cases;
  broken.plan_cases = [plan](const Record& r, int earlier) {
    auto cases = plan(r, earlier);
    if (!cases.empty()) cases.push_back(cases.front());
    return cases;
  };
  const IngestPolicy good = simple_policy();
  std::vector<RecordInput> a{input(test::feedback())};
  std::vector<RecordInput> b{input(test::feedback()), input(test::escalated_complaint())};
  std::vector<RecordInput> c{input(test::feedback()), input(test::escalated_complaint())};
  Result<IngestResult> ra = Error{}, rb = Error{}, rc = Error{};
  std::thread ta([&] { ra = rig.store->ingest(a, now_utc(), slow); });
  std::this_thread::sleep_for(100ms);
  std::thread tb([&] { rb = rig.store->ingest(b, now_utc(), broken); });
  std::thread tc([&] { rc = rig.store->ingest(c, now_utc(), good); });
  ta.join();
  tb.join();
  tc.join();
  REQUIRE(ra);
  CHECK_FALSE(rb);
  REQUIRE(rc);
  CHECK(rc->outcomes == std::vector{IngestOutcome::accepted, IngestOutcome::accepted});
  CHECK(rig.store->stats(now_utc())->records == 3);  // A's one and C's two; nothing of B
  CHECK(rig.store->kpis({})->feedback == 2);
  // B, sent again with a working planner, is stored.
  CHECK(rig.store->ingest(b, now_utc(), good)->outcomes ==
        std::vector{IngestOutcome::accepted, IngestOutcome::accepted});
}

TEST_CASE("KPIs over any period: whole months and the days at either end add up to the days themselves") {
  Rig rig;
  // One feedback a day from 20 September to 10 January, two stores, scores cycling.
  std::vector<RecordInput> batch;
  std::vector<std::tuple<std::int64_t, std::string, int>> made;  // day, store, csat
  const auto first = std::chrono::sys_days{std::chrono::year{2026} / 9 / 20};
  for (int i = 0; i < 113; ++i) {
    auto f = test::feedback();
    f.header.created_at = Timestamp{first + std::chrono::days{i} + 12h};
    f.header.store_id = i % 3 ? "MCR-01" : "LDS-02";
    f.csat = 1 + i % 5;
    batch.push_back(input(f));
    made.emplace_back(batch.back().local_day, f.header.store_id, *f.csat);
  }
  REQUIRE(rig.store->ingest(batch, now_utc(), {}));
  auto day = [](int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch().count();
  };
  using Range = std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>;
  const std::vector<Range> ranges{{std::nullopt, std::nullopt},           {day(2026, 10, 1), day(2026, 10, 31)},
                                  {day(2026, 10, 2), day(2026, 10, 30)},  {day(2026, 9, 25), day(2026, 12, 3)},
                                  {day(2026, 10, 15), day(2026, 11, 10)}, {day(2026, 11, 1), std::nullopt},
                                  {day(2026, 11, 2), std::nullopt},       {std::nullopt, day(2026, 11, 30)},
                                  {std::nullopt, day(2026, 11, 29)},      {day(2026, 12, 31), day(2027, 1, 1)},
                                  {day(2026, 9, 1), day(2027, 1, 31)},    {day(2026, 12, 5), day(2026, 12, 5)}};
  for (const auto& [from, to] : ranges) {
    // The chain (its own rollup), a store, and an area of every store (the stores' rollups).
    for (const int variant : {0, 1, 2}) {
      const std::optional<std::string> store = variant == 1 ? std::optional<std::string>("LDS-02") : std::nullopt;
      std::int64_t count = 0, sum = 0;
      for (const auto& [d, s, csat] : made)
        if ((!from || d >= *from) && (!to || d <= *to) && (!store || s == *store)) {
          ++count;
          sum += csat;
        }
      KpiQuery q;
      q.from_day = from;
      q.to_day = to;
      q.store_id = store;
      if (variant == 2) q.stores = std::vector<std::string>{"LDS-02", "MCR-01"};
      const auto kr = rig.store->kpis(q);
      if (!kr) FAIL(kr.error().message);
      const auto k = *kr;
      INFO("from " << from.value_or(-1) << " to " << to.value_or(-1) << " variant " << variant);
      CHECK(k.feedback == count);
      CHECK(k.csat_sum == sum);

      // Each breakdown holds the same days, grouped: by day, Monday's week, month or store.
      for (const KpiGroup group : {KpiGroup::day, KpiGroup::week, KpiGroup::month, KpiGroup::store}) {
        std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> expected;
        for (const auto& [d, s, csat] : made)
          if ((!from || d >= *from) && (!to || d <= *to) && (!store || s == *store)) {
            auto& [n, total] = expected[group == KpiGroup::store ? std::pair{std::int64_t{0}, s}
                                                                  : std::pair{kpi_group_first_day(group, d), std::string()}];
            ++n;
            total += csat;
          }
        std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> got;
        auto breakdown = rig.store->kpi_breakdown(q, group);
        if (!breakdown) FAIL(breakdown.error().message);
        for (const auto& g : *breakdown)
          got[{g.first_day, g.store_id}] = {g.counts.feedback, g.counts.csat_sum};
        INFO("group " << static_cast<int>(group));
        CHECK(got == expected);
      }
    }
  }
}

TEST_CASE("KPI groups: weeks start on Monday, months on the 1st, whatever the day asked") {
  auto day = [](int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch().count();
  };
  CHECK(kpi_group_first_day(KpiGroup::week, day(2026, 12, 3)) == day(2026, 11, 30));   // Thursday
  CHECK(kpi_group_first_day(KpiGroup::week, day(2026, 11, 30)) == day(2026, 11, 30));  // Monday itself
  CHECK(kpi_group_first_day(KpiGroup::week, day(2027, 1, 3)) == day(2026, 12, 28));    // Sunday, across the year
  CHECK(kpi_group_first_day(KpiGroup::week, day(1970, 1, 1)) == day(1969, 12, 29));
  CHECK(kpi_group_first_day(KpiGroup::month, day(2028, 2, 29)) == day(2028, 2, 1));
  CHECK(kpi_group_first_day(KpiGroup::day, day(2026, 12, 3)) == day(2026, 12, 3));
}

TEST_CASE("a schema 1 database is migrated: score columns and the SLA rollup filled from what is stored") {
  test::TempDir dir;
  const auto file = dir / "heed.db";
  const auto policy = simple_policy();
  KpiQuery query;
  query.now = at("2026-11-30T12:00:00Z");
  KpiCounts before;
  {
    auto store = open_sqlite_storage(file).value();
    auto low = test::feedback();
    low.csat = 2;
    low.nps = 3;
    std::vector<RecordInput> batch{input(test::feedback()), input(low), input(test::complaint()),
                                   input(test::escalated_complaint())};
    REQUIRE(store->ingest(batch, at("2026-11-22T15:00:00Z"), policy));
    CaseQuery all;
    all.filter = CaseFilter::all;
    all.now = query.now;
    all.limit = 10;
    const auto cases = store->list_cases(all).value();
    REQUIRE(cases.size() == 1);
    REQUIRE(store->update_case(cases[0].id, [&](CaseRow& c) -> Result<CaseChange> {
      c.acked_at = *c.ack_due - 1h;
      c.resolve_breached = true;
      return CaseChange{};
    }));
    before = store->kpis(query).value();
  }
  CHECK(before.ack_due_or_done == 1);
  CHECK(before.ack_on_time == 1);
  CHECK(before.resolve_due_or_done == 1);
  {
    // Back to schema 1: what milestone 1 wrote.
    auto db = sql::Database::open(file, false).value();
    undo_migration_7(db);
    REQUIRE(
        db.exec("DROP INDEX records_by_reference; DROP INDEX records_by_complaint; "
                "DROP TABLE kpi_monthly; DROP TABLE heartbeats; ALTER TABLE devices DROP COLUMN last_seen_at; "
                "ALTER TABLE records DROP COLUMN csat; ALTER TABLE records DROP COLUMN nps; "
                "ALTER TABLE records DROP COLUMN resolved_first_contact; "
                "ALTER TABLE kpi_daily DROP COLUMN acked; ALTER TABLE kpi_daily DROP COLUMN acked_on_time; "
                "ALTER TABLE kpi_daily DROP COLUMN ack_breached_open; ALTER TABLE kpi_daily DROP COLUMN resolved; "
                "ALTER TABLE kpi_daily DROP COLUMN resolved_on_time; "
                "ALTER TABLE kpi_daily DROP COLUMN resolve_breached_open; ALTER TABLE cases DROP COLUMN severity; "
                "PRAGMA user_version = 1;"));
  }
  auto store = open_sqlite_storage(file).value();
  const auto after = store->kpis(query).value();
  CHECK(after.feedback == before.feedback);
  CHECK(after.csat_sum == before.csat_sum);
  CHECK(after.resolved_first_contact == before.resolved_first_contact);
  CHECK(after.ack_due_or_done == before.ack_due_or_done);
  CHECK(after.ack_on_time == before.ack_on_time);
  CHECK(after.resolve_due_or_done == before.resolve_due_or_done);
  CHECK(after.resolve_on_time == before.resolve_on_time);
  auto db = sql::Database::open(file, false).value();
  CHECK(db.scalar_int("PRAGMA user_version").value() == sqlite_storage_schema_version());
  CHECK(db.scalar_int("SELECT sum(csat) FROM records").value() == 6);
  CHECK(db.scalar_int("SELECT sum(nps) FROM records").value() == 12);
  CHECK(db.scalar_int("SELECT sum(resolved_first_contact) FROM records").value() == 1);
  CHECK(db.scalar_int("SELECT count(*) FROM records WHERE type = 'complaint' AND resolved_first_contact IS NULL")
            .value() == 0);
}

TEST_CASE("a case keeps its severity and a changed clock; a schema 3 database's cases take their record's") {
  test::TempDir dir;
  const auto file = dir / "heed.db";
  Complaint high = test::escalated_complaint();
  high.severity = Severity::high;
  Complaint low = test::escalated_complaint();
  low.header.id = "5f0c7a52-1d7e-4c36-9a53-0f8e1d2b3c4d";
  low.reference = make_reference("MCR", "K2", 77);
  low.severity = Severity::low;
  CaseQuery all;
  all.filter = CaseFilter::all;
  all.now = at("2026-11-30T12:00:00Z");
  all.limit = 10;
  {
    auto store = open_sqlite_storage(file).value();
    REQUIRE(
        store->ingest(std::vector<RecordInput>{input(high), input(low)}, at("2026-11-22T15:00:00Z"), simple_policy()));
    auto cases = store->list_cases(all).value();
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].severity == Severity::high);
    CHECK(cases[1].severity == Severity::low);
    // A reopening moves the clock: it is written back.
    REQUIRE(store->update_case(cases[0].id, [](CaseRow& c) -> Result<CaseChange> {
      c.clock_start = at("2026-11-26T10:00:00Z");
      return CaseChange{};
    }));
    CHECK(store->find_case(cases[0].id).value()->clock_start == at("2026-11-26T10:00:00Z"));
  }
  {
    // Back to schema 3, before cases had a severity.
    auto db = sql::Database::open(file, false).value();
    undo_migration_7(db);
    REQUIRE(
        db.exec("ALTER TABLE cases DROP COLUMN severity; DROP INDEX records_by_reference; "
                "DROP INDEX records_by_complaint; PRAGMA user_version = 3;"));
  }
  auto store = open_sqlite_storage(file).value();
  auto cases = store->list_cases(all).value();
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].severity == Severity::high);  // from the complaint it came from
  CHECK(cases[1].severity == Severity::low);
  auto db = sql::Database::open(file, false).value();
  CHECK(db.scalar_int("PRAGMA user_version").value() == sqlite_storage_schema_version());
}

TEST_CASE(
    "a schema 4 database recounts first-contact resolution: a schema 1 'resolved' the customer refused stops "
    "counting") {
  test::TempDir dir;
  const auto file = dir / "heed.db";
  Complaint accepted = test::complaint(61);
  Complaint refused = test::complaint(62);
  for (Complaint* c : {&accepted, &refused}) {
    c->header.schema = 1;
    c->touchpoint.reset();
    c->customer.reset();
  }
  refused.customer_accepted = false;
  {
    auto store = open_sqlite_storage(file).value();
    REQUIRE(store->ingest(std::vector<RecordInput>{input(accepted), input(refused)}, at("2026-11-22T15:00:00Z"),
                          simple_policy()));
    CHECK(store->kpis({}).value().resolved_first_contact == 1);
  }
  {
    // Back to schema 4, when the column and the rollups counted every "resolved".
    auto db = sql::Database::open(file, false).value();
    undo_migration_7(db);
    REQUIRE(
        db.exec("UPDATE records SET resolved_first_contact = 1 WHERE type = 'complaint';"
                "UPDATE kpi_daily SET resolved_first = 2 WHERE touchpoint = '' AND complaints = 2;"
                "UPDATE kpi_monthly SET resolved_first = 2 WHERE touchpoint = '' AND complaints = 2;"
                "DROP INDEX records_by_reference; DROP INDEX records_by_complaint; PRAGMA user_version = 4;"));
  }
  {
    auto store = open_sqlite_storage(file).value();
    CHECK(store->kpis({}).value().complaints == 2);
    CHECK(store->kpis({}).value().resolved_first_contact == 1);
  }
  auto db = sql::Database::open(file, false).value();
  CHECK(db.scalar_int("SELECT sum(resolved_first) FROM kpi_daily").value() == 1);
  CHECK(db.scalar_int("SELECT sum(resolved_first) FROM kpi_monthly").value() == 1);
}

TEST_CASE("SLA counts from the rollup and the live watch match the definition over every case") {
  Rig rig;
  const auto policy = simple_policy();
  std::vector<RecordInput> batch;
  for (int i = 0; i < 40; ++i) {
    auto c = test::escalated_complaint();
    c.customer.reset();
    c.header.store_id = i % 2 ? "MCR-01" : "LDS-02";
    c.header.created_at = at("2026-11-23T09:00:00Z") + std::chrono::hours(i);
    batch.push_back(input(c));
  }
  REQUIRE(rig.store->ingest(batch, at("2026-11-23T09:00:00Z"), policy));
  CaseQuery all;
  all.filter = CaseFilter::all;
  all.now = at("2026-11-23T09:00:00Z");
  all.limit = 1000;
  const auto cases = rig.store->list_cases(all).value();
  REQUIRE(cases.size() == 40);

  // A mix of fates: acknowledged on time or late, breaches escalated (as the
  // scheduler would at `scan`: only deadlines already past), resolved, resolved
  // without acknowledgement, reopened.
  const auto base = at("2026-11-23T09:00:00Z");
  const auto scan = at("2026-11-24T12:00:00Z");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Timestamp t = base + std::chrono::hours(static_cast<int>(i) * 3 % 50);
    REQUIRE(rig.store->update_case(cases[i].id, [&](CaseRow& c) -> Result<CaseChange> {
      switch (i % 6) {
        case 0:
          c.acked_at = t;
          break;
        case 1:
          c.ack_breached = !c.acked_at && c.ack_due && *c.ack_due < scan;
          break;
        case 2:
          c.acked_at = t;
          c.resolved_at = t + 1h;
          break;
        case 3:
          c.resolved_at = t;
          break;
        case 4:
          c.ack_breached = c.ack_due && *c.ack_due < scan;
          c.resolve_breached = c.resolve_due < scan;
          break;
        default:
          break;
      }
      return CaseChange{};
    }));
    if (i % 6 == 2 && i % 4 == 0)
      REQUIRE(rig.store->update_case(cases[i].id, [&](CaseRow& c) -> Result<CaseChange> {
        c.resolved_at.reset();
        return CaseChange{};
      }));
  }
  for (const char* when :
       {"2026-11-24T12:00:00Z", "2026-11-25T10:30:00Z", "2026-11-26T12:00:00Z", "2026-12-09T00:00:00Z"}) {
    // The chain, one store, and a scope's store list (the live watch filters by it too).
    for (int variant = 0; variant < 3; ++variant) {
      const std::optional<std::string> store = variant ? std::optional<std::string>("MCR-01") : std::nullopt;
      const Timestamp now = at(when);
      KpiCounts expected;
      for (const auto& c : rig.store->list_cases(all).value()) {
        if (store && c.store_id != *store) continue;
        const auto acked = c.acked_at ? c.acked_at : c.resolved_at;
        if (c.ack_due && (acked || *c.ack_due < now)) {
          ++expected.ack_due_or_done;
          if (acked && *acked <= *c.ack_due) ++expected.ack_on_time;
        }
        if (c.resolved_at || c.resolve_due < now) {
          ++expected.resolve_due_or_done;
          if (c.resolved_at && *c.resolved_at <= c.resolve_due) ++expected.resolve_on_time;
        }
      }
      KpiQuery q;
      if (variant == 1) q.store_id = store;
      if (variant == 2) q.stores = std::vector<std::string>{"MCR-01", "LIV-01"};
      q.now = now;
      const auto k = rig.store->kpis(q).value();
      INFO(std::string(when), " variant ", variant);
      CHECK(k.ack_due_or_done == expected.ack_due_or_done);
      CHECK(k.ack_on_time == expected.ack_on_time);
      CHECK(k.resolve_due_or_done == expected.resolve_due_or_done);
      CHECK(k.resolve_on_time == expected.resolve_on_time);
    }
  }
}

TEST_CASE("a schema 6 database is migrated: cases keep their rows and history, gain a next deadline; users the chain") {
  test::TempDir dir;
  const auto file = dir / "heed.db";
  CaseQuery all;
  all.filter = CaseFilter::all;
  all.now = at("2026-11-30T12:00:00Z");
  all.limit = 10;
  std::int64_t acked_id = 0;
  {
    auto store = open_sqlite_storage(file).value();
    Complaint second = test::escalated_complaint();
    second.header.id = "5f0c7a52-1d7e-4c36-9a53-0f8e1d2b3c4d";
    second.reference = make_reference("MCR", "K2", 78);
    REQUIRE(store->ingest(std::vector<RecordInput>{input(test::escalated_complaint()), input(second)},
                          at("2026-11-22T15:00:00Z"), simple_policy()));
    REQUIRE(store->add_user("ana", "hash", Role::manager, Scope{}, at("2026-11-22T15:00:00Z")));
    acked_id = store->list_cases(all).value()[1].id;
    REQUIRE(store->update_case(acked_id, [](CaseRow& c) -> Result<CaseChange> {
      c.acked_at = at("2026-11-23T10:00:00Z");
      return CaseChange{};
    }));
    auto db = sql::Database::open(file, false).value();
    undo_migration_7(db);
  }
  auto store = open_sqlite_storage(file).value();
  const auto cases = store->list_cases(all).value();
  REQUIRE(cases.size() == 2);
  CHECK(store->case_history(cases[0].id).value().size() == 1);
  CHECK(store->user_by_name("ana").value()->scope == Scope{});
  CHECK(store->user_by_name("ana").value()->active);
  auto db = sql::Database::open(file, false).value();
  CHECK(db.scalar_int("PRAGMA user_version").value() == sqlite_storage_schema_version());
  // The unacknowledged case is due to be acknowledged next; the other, resolved.
  CHECK(db.scalar_int(fmt::format("SELECT next_due = ack_due FROM cases WHERE id = {}", cases[0].id)).value() == 1);
  CHECK(db.scalar_int(fmt::format("SELECT next_due = resolve_due FROM cases WHERE id = {}", acked_id)).value() == 1);
  CHECK(db.scalar_int("SELECT count(*) FROM pragma_foreign_key_check").value() == 0);
  // Ingest still opens a record's case once.
  CHECK_FALSE(
      db.exec(fmt::format("INSERT INTO cases (type, record_id, store_id, level, repeat, clock_start, local_day, "
                          "created_at, resolve_due) SELECT type, record_id, store_id, level, repeat, "
                          "clock_start, local_day, created_at, resolve_due FROM cases WHERE id = {}",
                          cases[0].id)));
}

TEST_CASE("a schema 9 database is migrated: webhooks already queued go to the default endpoint") {
  Rig rig;
  std::vector<RecordInput> batch{input(test::escalated_complaint())};
  REQUIRE(rig.store->ingest(batch, at("2026-11-22T15:00:00Z"), simple_policy()));
  CaseQuery all;
  all.filter = CaseFilter::all;
  all.now = at("2026-11-22T15:00:00Z");
  const auto opened = rig.store->list_cases(all).value().at(0).id;
  REQUIRE(rig.store->update_case(opened, [](CaseRow&) -> Result<CaseChange> {
    CaseChange change;
    change.webhooks.push_back(WebhookMessage{0, "case.breached", R"({"case":1})", 0, 0, "default"});
    return change;
  }));
  rig.store.reset();
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    undo_migration_10(db);
  }
  rig.store = open_sqlite_storage(rig.dir / "heed.db").value();
  const auto due = rig.store->due_webhooks(unix_ms_now(), 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].endpoint == "default");
  REQUIRE(rig.store->webhook_given_up(due[0].id, unix_ms_now(), "gone"));
  CHECK(rig.store->due_webhooks(unix_ms_now(), 10)->empty());
  CHECK(rig.store->stats(at("2026-11-30T12:00:00Z"))->webhooks_pending == 0);
}

TEST_CASE("migration 11: a session from before counts as last used when it began, and idles from then") {
  Rig rig;
  const auto now = at("2026-11-22T09:00:00Z");
  const auto id = rig.store->add_user("ana", "$argon2id$fake", Role::agent, Scope{}, now).value();
  REQUIRE(rig.store->add_session("before", id, now, now + 12h));
  rig.store.reset();
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    undo_migration_11(db);
    CHECK_FALSE(db.exec("SELECT last_active_at FROM sessions"));
  }
  rig.store = open_sqlite_storage(rig.dir / "heed.db").value();
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  CHECK(db.scalar_int("PRAGMA user_version").value() == sqlite_storage_schema_version());
  const auto found = rig.store->user_by_session("before", now + 10min, 30min).value();
  REQUIRE(found.state == SessionLookup::State::active);
  CHECK(found.session->last_active_at == now);
  CHECK(rig.store->user_by_session("before", now + 30min, 30min).value().state == SessionLookup::State::idle);
}

TEST_CASE("the Pareto of complaints reads its day indexes, never the records themselves") {
  Rig rig;
  rig.store.reset();
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  // What SQLite plans for complaint_pareto's two queries, with every filter.
  const auto plan = [&](const std::string& query) {
    auto st = db.cached("EXPLAIN QUERY PLAN " + query).value();
    std::string steps;
    while (st.next().value()) steps += std::string(st.text(3)) + "\n";
    return steps;
  };
  const std::string by_category = plan(
      "SELECT category, count(*) FROM records WHERE type = 'complaint' AND store_id IN "
      "(SELECT value FROM json_each('[\"MCR-01\"]')) AND local_day >= 20000 AND local_day <= 20100 GROUP BY 1");
  INFO(by_category);
  CHECK(by_category.find("USING COVERING INDEX records_complaints_by_day") != std::string::npos);
  const std::string by_cause = plan(
      "SELECT ifnull(root_cause, ''), count(*) FROM cases WHERE type = 'complaint' AND local_day >= 20000 "
      "AND local_day <= 20100 GROUP BY 1");
  INFO(by_cause);
  CHECK(by_cause.find("USING COVERING INDEX cases_complaints_by_day") != std::string::npos);
}

TEST_CASE("migration 13: complaints stored before keep their category for the Pareto") {
  Rig rig;
  auto kettle = test::complaint(1);
  auto parcel = test::complaint(2);
  parcel.category = Category::delivery;
  REQUIRE(rig.store->ingest(std::vector{input(kettle), input(parcel), input(test::feedback())}, now_utc(), {}));
  rig.store.reset();
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    undo_migration_13(db);
  }
  rig.store = open_sqlite_storage(rig.dir / "heed.db").value();
  const auto bars = rig.store->complaint_pareto({}, ParetoBy::category).value();
  CHECK(bars == std::vector<std::pair<std::string, std::int64_t>>{{"delivery", 1}, {"faulty_goods", 1}});
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  CHECK(db.scalar_int("SELECT count(*) FROM records WHERE category IS NULL").value() == 1);  // the feedback
}

// The cases table's indexes and triggers, by name, with their SQL.
std::map<std::string, std::string> case_schema(sql::Database& db) {
  std::map<std::string, std::string> out;
  auto st = db.cached("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'cases' AND type IN ('index', 'trigger') "
                      "AND sql IS NOT NULL")
                .value();
  while (st.next().value()) out[std::string(st.text(0))] = std::string(st.text(1));
  return out;
}

TEST_CASE("migration 14: cases are rebuilt to take alerts, keeping every row, index, trigger, count and reference") {
  Rig rig;
  auto unresolved = test::escalated_complaint();
  REQUIRE(rig.store->ingest(std::vector{input(unresolved)}, now_utc(), simple_policy()));
  const CaseRow before = rig.store->list_cases({}).value().at(0);
  rig.store.reset();
  std::map<std::string, std::string> schema_at_14;
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    schema_at_14 = case_schema(db);
    undo_migration_14(db);
  }
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    CHECK_FALSE(db.exec(fmt::format("UPDATE cases SET type = 'alert' WHERE id = {}", before.id)));  // 13's CHECK
  }
  rig.store = open_sqlite_storage(rig.dir / "heed.db").value();
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  CHECK(db.scalar_int("PRAGMA user_version").value() == sqlite_storage_schema_version());
  CHECK(case_schema(db) == schema_at_14);  // every index and trigger, as a new database has them
  const CaseRow after = rig.store->find_case(before.id).value().value();
  CHECK(after.record_id == before.record_id);
  CHECK(after.reference == before.reference);
  CHECK(after.resolve_due == before.resolve_due);
  CHECK(rig.store->case_history(before.id).value().size() == 1);  // its events still find it
  CaseQuery open;
  open.filter = CaseFilter::open;
  CHECK(rig.store->count_cases(open).value().open == 1);  // case_totals kept
  std::string key = *before.reference;  // as the queue's q searches: no dashes
  std::erase(key, '-');
  open.reference_text = key.substr(0, 6);
  CHECK(rig.store->list_cases(open).value().size() == 1);  // the reference text kept
  CHECK(db.exec(fmt::format("UPDATE cases SET type = 'alert' WHERE id = {}", before.id)));
}

TEST_CASE("migration 15: the chain's rollup is summed from every store's, SLA counts and all") {
  Rig rig;
  std::vector<RecordInput> batch;
  for (int i = 0; i < 12; ++i) {
    auto f = test::feedback();
    f.header.store_id = i % 3 ? "MCR-01" : "LDS-02";
    f.header.created_at = at("2026-11-20T12:00:00Z") + std::chrono::days(i % 4);
    f.csat = 1 + i % 5;
    f.nps = i % 11;
    batch.push_back(input(f));
    auto c = test::escalated_complaint();
    c.customer.reset();
    c.header.store_id = f.header.store_id;
    c.header.created_at = f.header.created_at;
    batch.push_back(input(c));
  }
  REQUIRE(rig.store->ingest(batch, at("2026-11-24T09:00:00Z"), simple_policy()));
  const auto cases = rig.store->list_cases({}).value();
  for (std::size_t i = 0; i < cases.size(); i += 2)
    REQUIRE(rig.store->update_case(cases[i].id, [&](CaseRow& c) -> Result<CaseChange> {
      c.acked_at = c.clock_start + 1h;
      c.resolved_at = c.clock_start + 30h;
      return CaseChange{};
    }));
  KpiQuery chain, area;
  area.stores = std::vector<std::string>{"LDS-02", "MCR-01"};
  chain.now = area.now = at("2026-11-30T09:00:00Z");
  const KpiCounts before = rig.store->kpis(area).value();
  REQUIRE(before.feedback == 12);
  REQUIRE(before.resolve_on_time > 0);
  CHECK(rig.store->kpis(chain).value() == before);
  rig.store.reset();
  {
    auto db = sql::Database::open(rig.dir / "heed.db", false).value();
    undo_migration_15(db);
  }
  rig.store = open_sqlite_storage(rig.dir / "heed.db").value();
  CHECK(rig.store->kpis(chain).value() == before);
  const auto by_day = rig.store->kpi_breakdown(chain, KpiGroup::day).value();
  CHECK(by_day.size() == 4);
  CHECK(by_day == rig.store->kpi_breakdown(area, KpiGroup::day).value());
}

TEST_CASE("comments by local day: the zone's day decides, either side of UTC midnight, through their own index") {
  Rig rig;
  const auto day = [](int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch().count();
  };
  // Late on 30 November in UTC but 1 December in a zone ahead; 1 December in UTC
  // but still 30 November in a zone behind; and feedback without a comment.
  std::vector<RecordInput> batch;
  for (const auto& [when, local, text] : {std::tuple{"2026-11-30T23:30:00Z", day(2026, 12, 1), "Ahead."},
                                          std::tuple{"2026-12-01T10:00:00Z", day(2026, 11, 30), "Behind."},
                                          std::tuple{"2026-12-01T12:00:00Z", day(2026, 12, 1), ""}}) {
    auto f = test::feedback();
    f.header.created_at = at(when);
    f.comment = text;
    batch.push_back(input(f));
    batch.back().local_day = local;
  }
  REQUIRE(rig.store->ingest(batch, now_utc(), {}));
  const auto said = [&](std::int64_t from, std::int64_t to) {
    CommentQuery q;
    q.from_day = from;
    q.to_day = to;
    std::vector<std::string> out;
    for (const auto& c : rig.store->customer_comments(q).value()) out.push_back(c.comment);
    return out;
  };
  CHECK(said(day(2026, 12, 1), day(2026, 12, 1)) == std::vector<std::string>{"Ahead."});
  CHECK(said(day(2026, 11, 30), day(2026, 11, 30)) == std::vector<std::string>{"Behind."});
  CHECK(said(day(2026, 11, 30), day(2026, 12, 1)) == std::vector<std::string>{"Behind.", "Ahead."});
  CHECK(said(day(2026, 12, 2), day(2026, 12, 9)).empty());

  // A store's or the chain's comments never walk every record: the plan names the comments' indexes.
  rig.store.reset();
  auto db = sql::Database::open(rig.dir / "heed.db", false).value();
  const auto plan = [&](const char* filter) {
    auto st = db.cached(fmt::format("EXPLAIN QUERY PLAN SELECT seq FROM records WHERE type = 'feedback' AND "
                                    "length(json_extract(body, '$.comment')) > 0{} ORDER BY created_at DESC, seq DESC "
                                    "LIMIT 20",
                                    filter))
                  .value();
    std::string text;
    while (st.next().value()) text += std::string(st.text(3)) + "; ";
    return text;
  };
  const std::string chain = plan(" AND created_at >= 0"), store = plan(" AND store_id = 'MCR-01'");
  INFO(chain, " / ", store);
  CHECK(chain.find("INDEX records_comments (") != std::string::npos);
  CHECK(store.find("INDEX records_comments_by_store (") != std::string::npos);
}

TEST_CASE("alerts are stored with their answers, once, and a store's open alert holds back the next") {
  Rig rig;
  const Timestamp noon = at("2026-11-23T12:00:00Z");
  std::vector<RecordInput> batch;
  for (int i = 0; i < 4; ++i) {
    auto f = test::feedback();
    f.header.created_at = noon + std::chrono::minutes(i);
    f.csat = i < 2 ? 1 : 5;
    batch.push_back(input(f));
  }
  int asked = 0;
  std::vector<std::size_t> answers_seen;
  IngestPolicy policy;
  policy.alert_window = 15min;
  policy.plan_alert = [&](const std::string& store, std::span<const AlertAnswer> answers) {
    ++asked;
    answers_seen.push_back(answers.size());
    AlertRules rules;
    auto w = find_alert(answers, rules);
    std::optional<PlannedAlert> planned;
    if (!w) return planned;
    CaseOpening o;
    o.type = CaseType::alert;
    o.record_id = w->record_ids.back();
    o.store_id = store;
    o.clock_start = w->last_answer_at;
    o.resolve_due = w->last_answer_at + 8h;
    planned = PlannedAlert{PlannedCase{o, std::nullopt, {}, {}}, *w, alert_title(*w, rules, store)};
    return planned;
  };
  auto first = rig.store->ingest(batch, noon + 5min, policy).value();
  REQUIRE(first.opened.size() == 1);
  CHECK(first.opened[0].opening.type == CaseType::alert);
  CHECK(asked == 1);  // one store
  // The same batch again: duplicates are not new answers, and no alert is planned.
  CHECK(rig.store->ingest(batch, noon + 6min, policy).value().opened.empty());
  CHECK(asked == 1);
  const CaseRow alert = rig.store->list_cases({}).value().at(0);
  const auto stored = rig.store->alert_of_case(alert.id).value().value();
  CHECK(stored.title == "2 of 4 answers negative in 15 minutes at MCR-01");
  CHECK(stored.answers == 4);
  REQUIRE(stored.records.size() == 4);
  CHECK(stored.records[0].negative);
  CHECK_FALSE(stored.records[3].negative);
  CHECK(rig.store->alerts_of_cases(std::vector{alert.id}).value().size() == 1);
  // While it is open, new answers at the store are not even judged.
  auto more = test::feedback();
  more.header.created_at = noon + 5min;
  more.csat = 1;
  CHECK(rig.store->ingest(std::vector{input(more)}, noon + 7min, policy).value().opened.empty());
  CHECK(asked == 1);
  // Closed: the next alert counts only answers made after the last one this one counted.
  REQUIRE(rig.store->update_case(alert.id, [&](CaseRow& c) -> Result<CaseChange> {
    c.resolved_at = noon + 8min;
    return CaseChange{};
  }));
  auto later = test::feedback();
  later.header.created_at = noon + 9min;
  later.csat = 1;
  CHECK(rig.store->ingest(std::vector{input(later)}, noon + 9min, policy).value().opened.empty());
  CHECK(asked == 2);
  CHECK(answers_seen.back() == 2);  // 12:05 and 12:09, not the four before
}
