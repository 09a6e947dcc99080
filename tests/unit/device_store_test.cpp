// The device store: durable saves with their outbox entry, idempotent re-saves,
// outbox state moves, migrations, and refusal to touch damaged or newer files.
#include <doctest/doctest.h>

#include <sodium.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

#include "file_modes.hpp"
#include "fixtures.hpp"
#include "heed/device_store.hpp"
#include "heed/record_json.hpp"
#include "temp_dir.hpp"

using namespace heed;
using heed::test::TempDir;

namespace {

DeviceStore open_store(const std::filesystem::path& file) {
  auto store = DeviceStore::open(file);
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
  return std::move(store.value());
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs SQL on a raw connection, outside the store.
void raw_exec(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO((message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

std::int64_t raw_count(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const auto value = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

std::vector<std::string> ids_of(const std::vector<OutboxEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e.record_id);
  return ids;
}

}  // namespace

TEST_CASE("a saved record is there with a pending outbox entry") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  const Record record = test::complaint();
  REQUIRE(store.save(record).ok());

  const auto id = header_of(record).id;
  CHECK(store.load_record(id) == record);
  auto entry = store.outbox_entry(id);
  REQUIRE(entry.ok());
  REQUIRE(entry.value());
  CHECK(entry.value()->state == OutboxState::pending);
  CHECK(entry.value()->attempts == 0);
  CHECK(entry.value()->type == RecordType::complaint);
  CHECK(entry.value()->body == to_canonical_json(record));
  CHECK_FALSE(store.load_record(new_uuid_v4()));
}

TEST_CASE("the store runs in WAL mode with full sync and foreign keys") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  CHECK(raw_count(dir / "device.db", "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1);
  CHECK(raw_count(dir / "device.db", "PRAGMA user_version") == DeviceStore::latest_schema_version());
  // The schema ties every outbox entry to a record.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "device.db").c_str(), &db) == SQLITE_OK);
  sqlite3_extended_result_codes(db, 1);
  CHECK(sqlite3_exec(db, "PRAGMA foreign_keys = ON; INSERT INTO outbox (record_seq, changed_at_ms) VALUES (999, 0)",
                     nullptr, nullptr, nullptr) == SQLITE_CONSTRAINT_FOREIGNKEY);
  sqlite3_close(db);
}

TEST_CASE("saving the same record twice stores it once; different content under the same id is refused") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  auto f = test::feedback();
  REQUIRE(store.save(f).ok());
  REQUIRE(store.save(f).ok());
  CHECK(store.outbox_stats()->pending == 1);

  f.csat = 1;
  auto conflict = store.save(f);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().code == Errc::conflict);
  CHECK(std::get<Feedback>(*store.load_record(f.header.id)).csat == 4);
}

TEST_CASE("an invalid record is refused with its field named, and nothing is written") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  auto f = test::feedback();
  f.nps = 12;
  auto result = store.save(f);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == Errc::invalid);
  CHECK(result.error().message.find("nps") != std::string::npos);
  CHECK(store.outbox_stats()->pending == 0);
}

TEST_CASE("save_all is all or nothing") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  auto bad = test::feedback();
  bad.language = "";
  const std::vector<Record> records{test::feedback(), test::complaint(), bad};
  CHECK_FALSE(store.save_all(records).ok());
  CHECK(store.outbox_stats()->pending == 0);
  CHECK_FALSE(store.load_record(header_of(records[0]).id));
}

TEST_CASE("claim_batch hands out due entries oldest first, within the byte budget") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  std::vector<std::string> saved;
  for (int i = 0; i < 10; ++i) {
    auto f = test::feedback();
    REQUIRE(store.save(f).ok());
    saved.push_back(f.header.id);
  }
  const auto now = unix_ms_now();
  auto first = store.claim_batch(4, 1 << 20, now);
  REQUIRE(first.ok());
  CHECK(ids_of(*first) == std::vector<std::string>(saved.begin(), saved.begin() + 4));
  for (const auto& e : *first) {
    CHECK(e.state == OutboxState::in_flight);
    CHECK(e.attempts == 1);
  }
  // The byte budget: always at least one, never more than fits.
  const auto one_size = first->front().body.size();
  auto second = store.claim_batch(100, one_size * 2 + 1, now);
  REQUIRE(second.ok());
  CHECK(second->size() == 2);
  auto tiny = store.claim_batch(100, 1, now);
  REQUIRE(tiny.ok());
  CHECK(tiny->size() == 1);

  auto stats = store.outbox_stats();
  CHECK(stats->in_flight == 7);
  CHECK(stats->pending == 3);
  CHECK(stats->oldest_pending_created_at == test::header().created_at);
}

TEST_CASE("outbox outcomes: delivered, retry later, quarantine and requeue") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto f = test::feedback();
    REQUIRE(store.save(f).ok());
    ids.push_back(f.header.id);
  }
  const auto now = unix_ms_now();
  REQUIRE(store.claim_batch(4, 1 << 20, now)->size() == 4);

  REQUIRE(store.mark_delivered(std::span(ids.data(), 2)).ok());
  REQUIRE(store.mark_retry(std::span(ids.data() + 2, 1), "connection refused", now + 60'000).ok());
  REQUIRE(store.quarantine(ids[3], "store_id: must be the sending device's store").ok());

  CHECK(store.outbox_entry(ids[0])->value().state == OutboxState::delivered);
  const auto retry = store.outbox_entry(ids[2])->value();
  CHECK(retry.state == OutboxState::pending);
  CHECK(retry.last_error == "connection refused");
  CHECK(retry.next_attempt_ms == now + 60'000);
  const auto held = store.outbox_entry(ids[3])->value();
  CHECK(held.state == OutboxState::quarantined);
  CHECK(held.last_error == "store_id: must be the sending device's store");

  // Not due yet: nothing to claim until its time comes.
  CHECK(store.claim_batch(10, 1 << 20, now)->empty());
  auto later = store.claim_batch(10, 1 << 20, now + 60'000);
  CHECK(ids_of(*later) == std::vector<std::string>{ids[2]});
  CHECK(later->front().attempts == 2);

  // A quarantined record is never retried blindly, only on request.
  REQUIRE(store.requeue(ids[3]).ok());
  CHECK(store.outbox_entry(ids[3])->value().state == OutboxState::pending);
  CHECK(store.requeue(ids[3]).error().code == Errc::not_found);
  CHECK(store.mark_delivered(std::vector<std::string>{new_uuid_v4()}).error().code == Errc::not_found);

  auto stats = store.outbox_stats();
  CHECK(stats->delivered == 2);
  CHECK(stats->in_flight == 1);
  CHECK(stats->pending == 1);
  CHECK(stats->quarantined == 0);
}

TEST_CASE("entries in flight at a crash return to pending when the store opens") {
  TempDir dir;
  std::string id;
  {
    auto store = open_store(dir / "device.db");
    auto f = test::feedback();
    id = f.header.id;
    REQUIRE(store.save(f).ok());
    REQUIRE(store.claim_batch(10, 1 << 20, unix_ms_now())->size() == 1);
  }
  auto store = open_store(dir / "device.db");
  auto entry = store.outbox_entry(id)->value();
  CHECK(entry.state == OutboxState::pending);
  CHECK(entry.attempts == 1);
  CHECK(store.outbox_stats()->in_flight == 0);
}

TEST_CASE("per-device sequences count up durably across restarts") {
  TempDir dir;
  {
    auto store = open_store(dir / "device.db");
    CHECK(store.next_sequence("reference").value() == 1);
    CHECK(store.next_sequence("reference").value() == 2);
    CHECK(store.next_sequence("other").value() == 1);
  }
  auto store = open_store(dir / "device.db");
  CHECK(store.next_sequence("reference").value() == 3);
}

TEST_CASE("pending_entries reads without changing state") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  for (int i = 0; i < 5; ++i) REQUIRE(store.save(test::feedback()).ok());
  auto entries = store.pending_entries(3);
  REQUIRE(entries.ok());
  CHECK(entries->size() == 3);
  CHECK(entries->front().seq < entries->back().seq);
  CHECK(store.outbox_stats()->pending == 5);
}

TEST_CASE("two threads saving at once lose nothing") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  auto other = open_store(dir / "device.db");  // a second connection, as the sync thread has
  auto writer = [](DeviceStore& s) {
    for (int i = 0; i < 50; ++i) REQUIRE(s.save(test::feedback()).ok());
  };
  std::thread a(writer, std::ref(store)), b(writer, std::ref(store)), c(writer, std::ref(other));
  a.join();
  b.join();
  c.join();
  CHECK(store.outbox_stats()->pending == 150);
}

TEST_CASE("a file that is not a database is refused and left untouched") {
  TempDir dir;
  const auto file = dir / "device.db";
  std::ofstream(file, std::ios::binary) << std::string(8192, 'x');
  const auto before = read_file(file);
  auto store = DeviceStore::open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == Errc::corrupt);
  CHECK(store.error().message.find(file.string()) != std::string::npos);
  CHECK(store.error().message.find("left untouched") != std::string::npos);
  CHECK(read_file(file) == before);
}

TEST_CASE("a damaged store is refused, not recreated") {
  TempDir dir;
  const auto file = dir / "device.db";
  {
    auto store = open_store(file);
    for (int i = 0; i < 200; ++i) REQUIRE(store.save(test::complaint(static_cast<std::uint64_t>(i))).ok());
  }
  raw_exec(file, "PRAGMA wal_checkpoint(TRUNCATE)");
  // Scribble over the middle of the file, past the header page.
  {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(4096 * 3);
    const std::string junk(4096 * 4, '\x5a');
    io.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto before = read_file(file);
  auto store = DeviceStore::open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == Errc::corrupt);
  CHECK(read_file(file) == before);
}

TEST_CASE("a store from a newer Heed is refused and left untouched") {
  TempDir dir;
  const auto file = dir / "device.db";
  { auto store = open_store(file); }
  raw_exec(file, "PRAGMA user_version = " + std::to_string(DeviceStore::latest_schema_version() + 1));
  const auto before = read_file(file);
  auto store = DeviceStore::open(file);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == Errc::schema_too_new);
  CHECK(store.error().message.find("newer Heed") != std::string::npos);
  CHECK(read_file(file) == before);
}

TEST_CASE("a store in a folder that does not exist is an I/O error") {
  auto store = DeviceStore::open("/nonexistent/heed/device.db");
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == Errc::io);
}

TEST_CASE("migrations: from empty, and from every earlier version, keeping the data") {
  const int latest = DeviceStore::latest_schema_version();
  REQUIRE(static_cast<int>(DeviceStore::migrations().size()) == latest);
  for (int start = 0; start < latest; ++start) {
    CAPTURE(start);
    TempDir dir;
    const auto file = dir / "device.db";
    // Build the schema exactly as that earlier version left it.
    for (int v = 0; v < start; ++v)
      raw_exec(file, std::string(DeviceStore::migrations()[static_cast<std::size_t>(v)]) +
                         "; PRAGMA user_version = " + std::to_string(v + 1));
    if (start >= 2) raw_exec(file, "INSERT INTO settings (key, value) VALUES ('device_id', 'dev-kept')");
    if (start >= 3) raw_exec(file, "INSERT INTO drafts (staff_id, body, updated_at_ms) VALUES ('S1', '{}', 0)");
    if (start >= 1) {
      // Version 1's shape: a record and its pending outbox entry.
      const auto f = test::feedback();
      raw_exec(file, "INSERT INTO records (id, type, created_at, saved_at_ms, body) VALUES ('" + f.header.id +
                         "', 'feedback', '2026-11-22T14:05:09Z', 0, '" + to_canonical_json(f) +
                         "'); INSERT INTO outbox (record_seq, changed_at_ms) VALUES (last_insert_rowid(), 0)");
      auto store = open_store(file);
      CHECK(store.load_record(f.header.id) == Record{f});
      CHECK(store.outbox_stats()->pending == 1);
    }
    auto store = open_store(file);
    CHECK(raw_count(file, "PRAGMA user_version") == latest);
    CHECK(store.save(test::complaint()).ok());
    if (start >= 2) CHECK(store.device_id().value() == "dev-kept");
    if (start >= 3) CHECK(store.load_draft("S1").value() == "{}");
  }
}

TEST_CASE("the device keeps one id, made on first use") {
  TempDir dir;
  std::string id;
  {
    auto store = open_store(dir / "device.db");
    id = store.device_id().value();
    CHECK(id.rfind("dev-", 0) == 0);
    CHECK(store.device_id().value() == id);
  }
  auto store = open_store(dir / "device.db");
  CHECK(store.device_id().value() == id);
  REQUIRE(store.set_setting("device_id", "issued-42").ok());
  CHECK(store.device_id().value() == "issued-42");
  CHECK_FALSE(store.setting("nothing").value());
}

TEST_CASE("opening a store twice, or migrating from two processes at once, is safe") {
  TempDir dir;
  auto a = DeviceStore::open(dir / "device.db");
  auto b = DeviceStore::open(dir / "device.db");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->save(test::feedback()).ok());
  CHECK(b->outbox_stats()->pending == 1);
}

TEST_CASE("an idle checkpoint copies the whole log into the database") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  for (int i = 0; i < 20; ++i) REQUIRE(store.save(test::feedback()).ok());
  REQUIRE(store.checkpoint().ok());
  // Every frame in the log is now in the database: a further checkpoint has nothing left.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "device.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "SELECT count(*) FROM records", nullptr, nullptr, nullptr) == SQLITE_OK);  // opens the log
  int log_frames = -1, checkpointed = -1;
  REQUIRE(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &checkpointed) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(log_frames > 0);
  CHECK(checkpointed == log_frames);
  CHECK(store.outbox_stats()->pending == 20);
}

TEST_CASE("drafts: one per member of staff, cleared in the same transaction as the complaint they become") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  CHECK_FALSE(store.load_draft("S1042").value());
  REQUIRE(store.save_draft("S1042", R"({"step":"hear"})").ok());
  REQUIRE(store.save_draft("S1042", R"({"step":"empathise"})").ok());
  REQUIRE(store.save_draft("M7", R"({"step":"hear"})").ok());
  CHECK(store.load_draft("S1042").value() == R"({"step":"empathise"})");

  auto bad = test::complaint();
  bad.description = "";
  CHECK_FALSE(store.save(bad, "S1042").ok());
  CHECK(store.load_draft("S1042").value());  // a failed save keeps the draft

  REQUIRE(store.save(test::complaint(), "S1042").ok());
  CHECK_FALSE(store.load_draft("S1042").value());
  CHECK(store.load_draft("M7").value());
  REQUIRE(store.delete_draft("M7").ok());
  CHECK_FALSE(store.load_draft("M7").value());
}

TEST_CASE("a customer's earlier complaints on this device, by email or phone, newest first") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  auto first = test::complaint(1);
  first.header.created_at = *parse_timestamp("2026-10-01T10:00:00Z");
  first.customer->phone = "+447700900123";
  first.purchase->date = *parse_date("2026-09-20");
  auto second = test::escalated_complaint();
  second.header.created_at = *parse_timestamp("2026-11-01T10:00:00Z");
  second.customer->email = "FFION@example.co.uk";
  second.customer->phone.reset();
  second.purchase->date = *parse_date("2026-09-20");
  auto other = test::complaint(3);
  other.customer = Contact{std::nullopt, "someone@example.com", std::nullopt, true, "2026-01", std::nullopt};
  auto anonymous = test::complaint(4);
  anonymous.customer.reset();
  for (const Record& r : {Record{first}, Record{second}, Record{other}, Record{anonymous}}) REQUIRE(store.save(r).ok());
  REQUIRE(store.save(test::complaint_update(second.header.id)).ok());

  auto by_email = store.past_complaints_by_customer(std::string("ffion@example.co.uk"), std::nullopt);
  REQUIRE(by_email.ok());
  REQUIRE(by_email->size() == 2);  // the first has the same email too
  CHECK(by_email->at(0).id == second.header.id);
  CHECK(by_email->at(0).open);
  CHECK(by_email->at(0).escalated_to == EscalationTarget::area_manager);
  CHECK(by_email->at(1) == past_complaint_of(first));

  auto by_phone = store.past_complaints_by_customer(std::nullopt, std::string("07700 900123"));
  REQUIRE(by_phone.ok());
  REQUIRE(by_phone->size() == 1);
  CHECK(by_phone->front().id == first.header.id);

  CHECK(store.past_complaints_by_customer(std::string(""), std::nullopt)->empty());
  CHECK(store.past_complaints_by_customer(std::string("nobody@example.com"), std::string("nonsense"))->empty());
  CHECK(store.updates_of(second.header.id)->size() == 1);
  CHECK(store.updates_of(first.header.id)->empty());
}

TEST_CASE("a complaint on this device by the key of its reference, also after its body was erased") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  const auto wanted = test::escalated_complaint();  // reference MCR-K2-... from the fixtures
  auto other = test::complaint(7);
  auto feedback = test::feedback();
  REQUIRE(store.save_all(std::vector<Record>{wanted, other, feedback}).ok());
  REQUIRE(store.save(test::complaint_update(wanted.header.id)).ok());

  auto found = store.past_complaints_by_reference(reference_key(wanted.reference));
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front() == past_complaint_of(wanted));
  CHECK(store.past_complaints_by_reference(reference_key(other.reference))->front().id == other.header.id);
  // A key is matched whole: not a prefix, not the dashed spelling, not nothing.
  const std::string key = reference_key(wanted.reference);
  CHECK(store.past_complaints_by_reference(key.substr(0, key.size() - 1))->empty());
  CHECK(store.past_complaints_by_reference(wanted.reference)->empty());
  CHECK(store.past_complaints_by_reference("")->empty());

  // Delivered and erased: the summary still answers.
  REQUIRE(store.claim_batch(10, 1 << 20, unix_ms_now())->size() >= 1);
  const std::vector<std::string> ids{wanted.header.id};
  REQUIRE(store.mark_delivered(ids).ok());
  REQUIRE(store.erase_delivered(unix_ms_now() + 400LL * 24 * 3600 * 1000).ok());
  REQUIRE_FALSE(store.load_record(wanted.header.id));
  CHECK(store.past_complaints_by_reference(key)->size() == 1);
}

TEST_CASE("the store file and its WAL and shared-memory files are private to their owner") {
  TempDir dir;
  const auto file = dir / "device.db";
  auto store = open_store(file);
  REQUIRE(store.save(test::feedback()).ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path path = file.string() + suffix;
    CAPTURE(path);
    REQUIRE(std::filesystem::exists(path));
    const auto perms = std::filesystem::status(path).permissions();
    CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
          std::filesystem::perms::none);
  }
}

namespace {
namespace fs = std::filesystem;
using test::kLooseDir;
using test::kLooseFile;
using test::kPrivateFile;
using test::mode_of;
}  // namespace

TEST_CASE("a store made in an existing open folder, or left readable by others, is made private when opened") {
  TempDir dir;
  const fs::path folder = dir / "data";  // as deploy/run.sh's `mkdir -p` left it
  fs::create_directory(folder);
  fs::permissions(folder, kLooseDir);
  const fs::path file = folder / "device.db";
  {
    auto store = open_store(file);
    REQUIRE(store.save(test::feedback()).ok());
    CHECK(mode_of(folder) == fs::perms::owner_all);
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      CAPTURE(suffix);
      CHECK(mode_of(file.string() + suffix) == kPrivateFile);
    }
    // Loosened while open (the WAL and shared memory stay while any connection
    // does): a second opening tightens them all again.
    for (const char* suffix : {"", "-wal", "-shm"}) fs::permissions(file.string() + suffix, kLooseFile);
    fs::permissions(folder, kLooseDir);
    auto second = open_store(file);
    REQUIRE(second.save(test::complaint(9)).ok());
    CHECK(mode_of(folder) == fs::perms::owner_all);
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      CAPTURE(suffix);
      CHECK(mode_of(file.string() + suffix) == kPrivateFile);
    }
  }
  // Closed, then loosened: opening tightens the file before anything is read.
  fs::permissions(file, kLooseFile);
  fs::permissions(folder, kLooseDir);
  auto store = open_store(file);
  CHECK(mode_of(file) == kPrivateFile);
  CHECK(mode_of(folder) == fs::perms::owner_all);
  CHECK(store.pending_entries(10).value().size() == 2);
}

TEST_CASE("a store in a shared folder (sticky, like /tmp) is private; the folder is left to its owner") {
  TempDir dir;
  const fs::path shared = dir / "shared";
  fs::create_directory(shared);
  fs::permissions(shared, fs::perms::all | fs::perms::sticky_bit);
  auto store = open_store(shared / "device.db");
  REQUIRE(store.save(test::feedback()).ok());
  CHECK(mode_of(shared) == (fs::perms::all | fs::perms::sticky_bit));
  CHECK(mode_of(shared / "device.db") == kPrivateFile);
}

TEST_CASE("delivered records are erased after their grace; the outbox keeps id and state") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  const auto delivered = test::complaint();
  const auto waiting = test::feedback();
  REQUIRE(store.save_all(std::vector<Record>{delivered, waiting}).ok());
  auto batch = store.claim_batch(1, 1 << 20, unix_ms_now());
  REQUIRE(batch.ok());
  REQUIRE(batch->size() == 1);
  const std::vector<std::string> ids{delivered.header.id};
  REQUIRE(store.mark_delivered(ids).ok());

  // Delivered after the cut-off: kept for now.
  CHECK(store.erase_delivered(unix_ms_now() - 60'000).value() == 0);
  CHECK(store.load_record(delivered.header.id));
  CHECK(store.erase_delivered(unix_ms_now()).value() == 1);
  CHECK_FALSE(store.load_record(delivered.header.id));
  CHECK(store.is_erased(delivered.header.id).value());
  CHECK_FALSE(store.is_erased(waiting.header.id).value());
  CHECK(store.is_erased(new_uuid_v4()).error().code == Errc::not_found);
  CHECK(raw_count(dir / "device.db", "SELECT count(*) FROM records WHERE body LIKE '%ffion%'") == 0);
  auto entry = store.outbox_entry(delivered.header.id).value();
  REQUIRE(entry);
  CHECK(entry->state == OutboxState::delivered);
  CHECK(entry->type == RecordType::complaint);
  // Nothing pending is touched, and a second pass finds nothing.
  CHECK(store.load_record(waiting.header.id));
  CHECK(store.erase_delivered(unix_ms_now()).value() == 0);
  // The local history still finds the erased complaint, by its contact hash.
  CHECK(store.past_complaints_by_customer(std::string("ffion@example.co.uk"), std::nullopt)->size() == 1);
  // Saving the erased id again cannot be checked against its content: refused.
  auto again = store.save(delivered);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::conflict);
  CHECK(store.outbox_stats()->delivered == 1);
}

TEST_CASE("quarantined records are listed with their reasons and requeued all at once") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  std::vector<Record> records;
  for (int i = 0; i < 3; ++i) {
    auto f = test::feedback();
    f.header.id = new_uuid_v4();
    records.push_back(f);
  }
  REQUIRE(store.save_all(records).ok());
  REQUIRE(store.claim_batch(10, 1 << 20, unix_ms_now())->size() == 3);
  REQUIRE(store.quarantine(header_of(records[0]).id, "wrong_store: not this device's store").ok());
  REQUIRE(store.quarantine(header_of(records[2]).id, "invalid: nps").ok());
  auto listed = store.quarantined_entries(10);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].record_id == header_of(records[0]).id);
  CHECK((*listed)[0].last_error == "wrong_store: not this device's store");
  CHECK((*listed)[1].last_error == "invalid: nps");
  CHECK(store.requeue_all_quarantined().value() == 2);
  CHECK(store.quarantined_entries(10)->empty());
  CHECK(store.outbox_stats()->pending == 2);
  CHECK(store.requeue_all_quarantined().value() == 0);
}

TEST_CASE("a delivered batch is settled by delivery order in one step, erasing it when asked") {
  TempDir dir;
  auto store = open_store(dir / "device.db");
  std::vector<Record> records;
  for (int i = 0; i < 4; ++i) {
    auto f = test::feedback();
    f.header.id = new_uuid_v4();
    records.push_back(f);
  }
  REQUIRE(store.save_all(records).ok());
  auto batch = store.claim_batch(3, 1 << 20, unix_ms_now()).value();
  REQUIRE(batch.size() == 3);
  const auto fourth = store.outbox_entry(header_of(records[3]).id).value()->seq;

  // One entry delivered already: the whole call changes nothing.
  const std::vector<std::int64_t> first{batch[0].seq};
  REQUIRE(store.settle_delivered(first, false).ok());
  const std::vector<std::int64_t> again{batch[0].seq, batch[1].seq};
  CHECK(store.settle_delivered(again, true).error().code == Errc::not_found);
  CHECK(store.outbox_entry(batch[1].record_id).value()->state == OutboxState::in_flight);
  CHECK(store.load_record(batch[0].record_id));  // settled without erasing

  const std::vector<std::int64_t> rest{batch[1].seq, batch[2].seq};
  REQUIRE(store.settle_delivered(rest, true).ok());
  CHECK(store.is_erased(batch[1].record_id).value());
  CHECK_FALSE(store.load_record(batch[2].record_id));
  CHECK(store.outbox_entry(header_of(records[3]).id).value()->state == OutboxState::pending);
  CHECK(store.load_record(header_of(records[3]).id));
  CHECK(fourth > batch[2].seq);
  auto stats = store.outbox_stats().value();
  CHECK(stats.delivered == 3);
  CHECK(stats.pending == 1);
  // The one settled without erasing goes with the next erasure pass.
  CHECK(store.erase_delivered(unix_ms_now()).value() == 1);
}

namespace {

// Every value of a one-column query, as text.
std::vector<std::string> raw_texts(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// BLAKE2b without a key, in hex: what a hash of the contact alone would be.
std::string unkeyed_hash(const std::string& input) {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                     nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return hex.data();
}

}  // namespace

TEST_CASE("a complaint delivered and erased is still found offline by the same email or phone, by a keyed hash") {
  REQUIRE(sodium_init() >= 0);
  TempDir dir;
  const auto file = dir / "device.db";
  auto store = open_store(file);
  auto complaint = test::escalated_complaint();
  complaint.customer->email = "Ffion.Lukasik@Example.co.uk";
  complaint.customer->phone = "07700 900123";
  auto feedback = test::feedback();
  feedback.contact = Contact{std::nullopt, "ffion.lukasik@example.co.uk", std::nullopt, true, "2026-01", std::nullopt};
  REQUIRE(store.save_all(std::vector<Record>{complaint, feedback}).ok());
  // Delivered, and erased at once (as the sync engine settles a batch).
  auto batch = store.claim_batch(10, 1 << 20, unix_ms_now()).value();
  REQUIRE(batch.size() == 2);
  const std::vector<std::int64_t> seqs{batch[0].seq, batch[1].seq};
  REQUIRE(store.settle_delivered(seqs, true).ok());
  REQUIRE(store.is_erased(complaint.header.id).value());
  CHECK_FALSE(store.load_record(complaint.header.id));

  for (const char* email :
       {"ffion.lukasik@example.co.uk", "  FFION.LUKASIK@example.CO.UK\t", "Ffion.Lukasik@Example.co.uk"}) {
    CAPTURE(email);
    auto found = store.past_complaints_by_customer(std::string(email), std::nullopt);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front() == past_complaint_of(complaint));  // date, reference, category, outcome: all kept
  }
  CHECK(store.past_complaints_by_customer(std::nullopt, std::string("+44 7700 900123"))->size() == 1);
  CHECK(store.past_complaints_by_customer(std::string("someone.else@example.co.uk"), std::nullopt)->empty());
  CHECK(store.past_complaints_by_customer(std::nullopt, std::string("07700 900999"))->empty());

  // Nothing that identifies the customer is left: not in the bodies, the
  // summaries, nor the hashes, which are keyed (not BLAKE2b of the contact alone).
  for (const char* needle : {"ffion", "lukasik", "example", "7700", "900123"}) {
    CAPTURE(needle);
    const std::string like = std::string("'%") + needle + "%'";
    CHECK(raw_count(file, "SELECT count(*) FROM records WHERE body LIKE " + like + " OR summary LIKE " + like) == 0);
    // A hash is hex, where a needle of digits turns up by chance (about one run in
    // 500): those are left to the keyed-hash checks below.
    if (std::string_view(needle).find_first_not_of("0123456789abcdef") != std::string_view::npos)
      CHECK(raw_count(file, "SELECT count(*) FROM contact_keys WHERE hash LIKE " + like) == 0);
  }
  const auto hashes = raw_texts(file, "SELECT hash FROM contact_keys");
  REQUIRE(hashes.size() == 2);  // the complaint's email and phone; feedback is not looked up
  for (const auto& h : hashes) {
    CHECK(h.size() == 64);
    CHECK(h != unkeyed_hash("email:ffion.lukasik@example.co.uk"));
    CHECK(h != unkeyed_hash("ffion.lukasik@example.co.uk"));
  }
  // The feedback's scores outlive its erasure; its contact does not.
  const auto summaries = raw_texts(file, "SELECT summary FROM records WHERE type = 'feedback'");
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].find("\"nps\":9") != std::string::npos);

  // Another device's key makes other hashes for the same email.
  TempDir other_dir;
  auto other = open_store(other_dir / "device.db");
  REQUIRE(other.save(complaint).ok());
  const auto other_hashes = raw_texts(other_dir / "device.db", "SELECT hash FROM contact_keys");
  for (const auto& h : other_hashes) CHECK(std::find(hashes.begin(), hashes.end(), h) == hashes.end());
  // The key is kept: reopened, the store still finds the customer.
  store = open_store(file);
  CHECK(store.past_complaints_by_customer(std::string("ffion.lukasik@example.co.uk"), std::nullopt)->size() == 1);
}

TEST_CASE("a store migrated from before contact hashes finds the complaints it still holds") {
  TempDir dir;
  const auto file = dir / "device.db";
  for (int v = 0; v < 4; ++v)
    raw_exec(file, std::string(DeviceStore::migrations()[static_cast<std::size_t>(v)]) +
                       "; PRAGMA user_version = " + std::to_string(v + 1));
  const auto complaint = test::complaint();
  raw_exec(file, "INSERT INTO records (id, type, created_at, saved_at_ms, body) VALUES ('" + complaint.header.id +
                     "', 'complaint', '2026-11-22T14:05:09Z', 0, '" + to_canonical_json(complaint) +
                     "'); INSERT INTO outbox (record_seq, changed_at_ms) VALUES (last_insert_rowid(), 0)");
  auto store = open_store(file);
  auto found = store.past_complaints_by_customer(std::string("FFION@example.co.uk"), std::nullopt);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().id == complaint.header.id);
}
