// The device store: records and their outbox in one SQLite file (WAL,
// synchronous=FULL, foreign keys on). See device_store.hpp for the invariants.
//
// Sections: schema and migrations | opening | saving | the outbox | statistics
#include "heed/device_store.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>

#include "heed/private_files.hpp"
#include "heed/record_json.hpp"
#include "heed/sqlite.hpp"
#include "heed/validation.hpp"

namespace heed {

using sql::Database;
using sql::Transaction;

// ---- Schema and migrations ------------------------------------------------
namespace {

// Element i migrates version i to i + 1. Never edit a released migration:
// append a new one, and the migration tests will build every earlier version.
constexpr std::array<std::string_view, 5> kMigrations{
    // 1: records, their outbox, and per-device counters.
    R"sql(
CREATE TABLE records (
  seq         INTEGER PRIMARY KEY,          -- save order, also delivery order
  id          TEXT NOT NULL UNIQUE,         -- the record's UUID
  type        TEXT NOT NULL CHECK (type IN ('feedback', 'complaint', 'complaint_update')),
  created_at  TEXT NOT NULL,                -- RFC 3339, sorts as time
  saved_at_ms INTEGER NOT NULL,
  body        TEXT NOT NULL                 -- canonical wire JSON
);
CREATE TABLE outbox (
  record_seq      INTEGER PRIMARY KEY REFERENCES records (seq),
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'in_flight', 'delivered', 'quarantined')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  changed_at_ms   INTEGER NOT NULL
);
CREATE INDEX outbox_by_state ON outbox (state, record_seq);
CREATE TABLE sequences (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: device settings (its id; later its enrollment).
    R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 3: complaint drafts, one per member of staff, kept across a tablet lock.
    R"sql(
CREATE TABLE drafts (
  staff_id      TEXT PRIMARY KEY,
  body          TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 4: data minimisation. A delivered record's body (every personal field) is
    // erased after a grace period; the outbox keeps its id, type and state.
    // The partial index holds only delivered entries not yet erased: small.
    R"sql(
ALTER TABLE outbox ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_to_erase ON outbox (changed_at_ms) WHERE state = 'delivered' AND erased = 0;
)sql",
    // 5: the offline history outlives erasure. summary: what the history shows of
    // a record, without personal data (a complaint's date, category and outcome; a
    // feedback's scores); contact_keys: keyed hashes (hex) of the customer's
    // normalised email and phone. Erasure blanks the body and keeps both.
    R"sql(
ALTER TABLE records ADD COLUMN summary TEXT;
CREATE TABLE contact_keys (
  hash       TEXT NOT NULL,
  record_seq INTEGER NOT NULL REFERENCES records (seq),
  PRIMARY KEY (hash, record_seq)
) WITHOUT ROWID;
)sql",
};

// The first schema with contact_keys: stores migrated from before it are indexed once.
constexpr int kContactKeysSchema = 5;
// The settings key of the device's contact hash key (hex of 32 random bytes).
constexpr std::string_view kContactKeySetting = "contact_hash_key";

// What an erased record's body becomes: still JSON (queries with json_extract
// over all bodies keep working), with nothing in it.
constexpr std::string_view kErasedBody = "{}";

constexpr std::array<std::string_view, 4> kStateNames{"pending", "in_flight", "delivered", "quarantined"};

OutboxState state_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i)
    if (kStateNames[i] == name) return static_cast<OutboxState>(i);
  return OutboxState::pending;  // unreachable: the CHECK constraint holds the set
}

// ---- Contact hashes ----
// Keyed BLAKE2b (crypto_generichash) rather than a password hash: the key is 32
// random bytes, so without it no list of emails can be tried against the hashes,
// and with it (the device file) a password hash's cost would not stop a dictionary
// of emails either, while it would cost every save and every look-up at the desk
// (argon2id's interactive setting takes ~0.1 s and 64 MiB each time).
using ContactKey = std::array<unsigned char, crypto_generichash_KEYBYTES>;

std::string contact_hash(const ContactKey& key, std::string_view kind, std::string_view value) {
  const std::string input = std::string(kind) + ":" + std::string(value);
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                     key.data(), key.size());
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return hex.data();
}

// The hashes a customer is found by: of the normalised email and of the UK phone.
std::vector<std::string> contact_hashes(const ContactKey& key, const std::optional<std::string>& email,
                                        const std::optional<std::string>& phone) {
  std::vector<std::string> hashes;
  if (auto e = email ? normalise_email(*email) : std::nullopt) hashes.push_back(contact_hash(key, "email", *e));
  if (auto p = phone ? normalise_uk_phone(*phone) : std::nullopt) hashes.push_back(contact_hash(key, "phone", *p));
  return hashes;
}

// What a record leaves for the history once its body is erased: no personal data.
std::optional<std::string> summary_of(const Record& record) {
  if (const auto* c = std::get_if<Complaint>(&record)) return past_complaint_json(past_complaint_of(*c));
  if (const auto* f = std::get_if<Feedback>(&record)) {
    nlohmann::json scores{{"touchpoint", f->touchpoint}};
    scores["csat"] = f->csat ? nlohmann::json(*f->csat) : nlohmann::json();
    scores["nps"] = f->nps ? nlohmann::json(*f->nps) : nlohmann::json();
    return scores.dump();
  }
  return std::nullopt;
}

std::string join_errors(const FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e.field + ": " + e.message;
  return text;
}

}  // namespace

std::string_view outbox_state_name(OutboxState state) { return kStateNames[static_cast<std::size_t>(state)]; }

int DeviceStore::latest_schema_version() { return static_cast<int>(kMigrations.size()); }
std::span<const std::string_view> DeviceStore::migrations() { return kMigrations; }

// Outbox state changes (claim, delivered, retry, quarantine, erasure) need no
// flush of their own: after a power cut a lost change only means an entry goes
// back to pending and is sent again, which the server's idempotency absorbs (a
// lost quarantine is rejected and quarantined again; a lost erasure runs again).
// So they commit with synchronous=NORMAL, and saves keep FULL. Declare it before
// the Transaction, so FULL comes back after the commit or rollback.
class RelaxedSync {
 public:
  explicit RelaxedSync(Database& db) : db_(db) { (void)db_.exec("PRAGMA synchronous = NORMAL"); }
  ~RelaxedSync() { (void)db_.exec("PRAGMA synchronous = FULL"); }
  RelaxedSync(const RelaxedSync&) = delete;
  RelaxedSync& operator=(const RelaxedSync&) = delete;

 private:
  Database& db_;
};

struct DeviceStore::Impl {
  std::filesystem::path file;
  Database db;
  std::mutex mutex;
  ContactKey contact_key{};  // made once per device, read at open

  Impl(std::filesystem::path f, Database d, ContactKey key) : file(std::move(f)), db(std::move(d)), contact_key(key) {}

  Result<void> insert(const Record& record, std::int64_t now_ms);
  // The summary and contact hashes of the record saved as `seq`.
  Result<void> index(std::int64_t seq, const Record& record);
  // index() for every record with a body and no summary; returns how many.
  Result<std::int64_t> index_all();
  Result<void> set_state(std::span<const std::string> ids, std::string_view from_states, OutboxState to,
                         std::string_view error, std::int64_t next_attempt_ms);
};

// ---- Opening --------------------------------------------------------------
namespace {

Error refuse(const std::filesystem::path& file, const Error& cause) {
  if (cause.code == Errc::corrupt)
    return Error{Errc::corrupt,
                 fmt::format("{} is not a Heed device store or is damaged ({}). It has been left untouched: "
                             "move it aside to start a new store, or restore it from a backup.",
                             file.string(), cause.message)};
  return Error{cause.code, fmt::format("{}: {}", file.string(), cause.message)};
}

// The device's contact hash key: read, or made and kept on first use.
Result<ContactKey> load_contact_key(Database& db) {
  if (sodium_init() < 0) return Error{Errc::internal, "libsodium could not be initialised"};
  ContactKey made{};
  randombytes_buf(made.data(), made.size());
  std::array<char, crypto_generichash_KEYBYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), made.data(), made.size());
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  // Another process may make it first: the first one written is everyone's.
  auto insert = db.cached("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
  if (!insert) return insert.error();
  if (auto r = insert->bind(1, kContactKeySetting).bind(2, std::string_view(hex.data())).run(); !r) return r.error();
  auto st = db.cached("SELECT value FROM settings WHERE key = ?");
  if (!st) return st.error();
  st->bind(1, kContactKeySetting);
  auto row = st->next();
  if (!row) return row.error();
  ContactKey key{};
  std::size_t length = 0;
  const std::string stored(*row ? st->text(0) : std::string_view());
  if (!*row || sodium_hex2bin(key.data(), key.size(), stored.c_str(), stored.size(), nullptr, &length, nullptr) != 0 ||
      length != key.size())
    return Error{Errc::corrupt, "the contact hash key in the settings is damaged"};
  (void)st->run();
  if (auto r = tx->commit(); !r) return r.error();
  return key;
}

Result<void> migrate(Database& db, const std::filesystem::path& file) {
  for (int version = 0; version < DeviceStore::latest_schema_version(); ++version) {
    auto tx = Transaction::begin(db);
    if (!tx) return refuse(file, tx.error());
    // Read inside the write lock: another process may have migrated meanwhile.
    auto current = db.scalar_int("PRAGMA user_version");
    if (!current) return refuse(file, current.error());
    if (*current > version) continue;
    if (auto r = db.exec(kMigrations[static_cast<std::size_t>(version)]); !r)
      return refuse(file,
                    Error{r.error().code, fmt::format("migrating to schema {}: {}", version + 1, r.error().message)});
    if (auto r = db.exec(fmt::format("PRAGMA user_version = {}", version + 1)); !r) return refuse(file, r.error());
    if (auto r = tx->commit(); !r) return refuse(file, r.error());
    spdlog::info("device store {} migrated to schema {}", file.string(), version + 1);
  }
  return Ok{};
}

}  // namespace

Result<DeviceStore> DeviceStore::open(const std::filesystem::path& file, const StoreOptions& options) {
  // Readable by its owner only, in a folder of its own, before SQLite opens it
  // (SQLite gives the -wal and -shm files the database file's mode): it holds
  // personal data and, once enrolled, the device's token.
  if (!file.empty() && file != ":memory:") {
    if (auto r = make_private_dir(file.parent_path(), "the device store", /*create=*/false); !r) return r.error();
    if (auto r = make_private_file(file, "the device store", /*create=*/true); !r) return r.error();
  }
  auto opened = Database::open(file, /*create=*/true);
  if (!opened) return refuse(file, opened.error());
  Database db = std::move(opened.value());
  sqlite3_busy_timeout(db.handle(), options.busy_timeout_ms);

  // The first read of the header tells a damaged or foreign file apart.
  auto version = db.scalar_int("PRAGMA user_version");
  if (!version) return refuse(file, version.error());
  if (*version > latest_schema_version())
    return Error{Errc::schema_too_new,
                 fmt::format("{} has schema version {}, but this Heed understands up to version {}. "
                             "It was written by a newer Heed; install that version. The file has been left untouched.",
                             file.string(), *version, latest_schema_version())};

  auto mode = db.scalar_text("PRAGMA journal_mode = WAL");
  if (!mode) return refuse(file, mode.error());
  if (*mode != "wal")
    return Error{Errc::io, fmt::format("{}: cannot use write-ahead logging (journal mode {})", file.string(), *mode)};
  for (std::string_view pragma : {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"})
    if (auto r = db.exec(pragma); !r) return refuse(file, r.error());

  if (*version > 0) {
    auto check = db.scalar_text("PRAGMA quick_check");
    if (!check) return refuse(file, check.error());
    if (*check != "ok") return refuse(file, Error{Errc::corrupt, "integrity check: " + *check});
  }
  if (auto r = migrate(db, file); !r) return r.error();
  auto key = load_contact_key(db);
  if (!key) return refuse(file, key.error());

  // A crash mid-delivery left entries in flight: deliver them again. The server
  // treats a repeated id with the same content as a duplicate, so this is safe.
  auto tx = Transaction::begin(db);
  if (!tx) return refuse(file, tx.error());
  auto st = db.cached("UPDATE outbox SET state = 'pending', changed_at_ms = ? WHERE state = 'in_flight'");
  if (!st) return refuse(file, st.error());
  if (auto r = st->bind(1, unix_ms_now()).run(); !r) return refuse(file, r.error());
  const int returned = sqlite3_changes(db.handle());
  if (auto r = tx->commit(); !r) return refuse(file, r.error());
  if (returned > 0) spdlog::info("device store: {} in-flight outbox entries returned to pending", returned);

  auto impl = std::make_unique<Impl>(file, std::move(db), key.value());
  // A store from before contact_keys: index the records it still holds, once.
  if (*version > 0 && *version < kContactKeysSchema) {
    auto indexed = impl->index_all();
    if (!indexed) return refuse(file, indexed.error());
    if (*indexed > 0) spdlog::info("device store: {} records indexed for the offline history", *indexed);
  }
  return DeviceStore(std::move(impl));
}

DeviceStore::DeviceStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeviceStore::DeviceStore(DeviceStore&&) noexcept = default;
DeviceStore& DeviceStore::operator=(DeviceStore&&) noexcept = default;
DeviceStore::~DeviceStore() = default;

const std::filesystem::path& DeviceStore::file() const { return impl_->file; }

// ---- Saving ---------------------------------------------------------------
Result<void> DeviceStore::Impl::insert(const Record& record, std::int64_t now_ms) {
  if (auto errors = validate(record); !errors.empty())
    return Error{Errc::invalid, "the record is not valid: " + join_errors(errors)};
  const auto& header = header_of(record);
  const std::string body = to_canonical_json(record);

  auto existing = db.cached("SELECT body FROM records WHERE id = ?");
  if (!existing) return existing.error();
  existing->bind(1, header.id);
  auto row = existing->next();
  if (!row) return row.error();
  if (*row) {
    if (existing->text(0) == body) return Ok{};  // saved before: nothing to do
    if (existing->text(0) == kErasedBody)
      return Error{
          Errc::conflict,
          fmt::format("record {} was delivered and erased from this device; it cannot be saved again", header.id)};
    return Error{Errc::conflict, fmt::format("record {} is already saved with different content", header.id)};
  }

  auto insert_record =
      db.cached("INSERT INTO records (id, type, created_at, saved_at_ms, body) VALUES (?, ?, ?, ?, ?)");
  if (!insert_record) return insert_record.error();
  insert_record->bind(1, header.id)
      .bind(2, enum_name(type_of(record)))
      .bind(3, format_timestamp(header.created_at))
      .bind(4, now_ms)
      .bind(5, body);
  if (auto r = insert_record->run(); !r) return r.error();
  const std::int64_t seq = sqlite3_last_insert_rowid(db.handle());

  auto insert_outbox = db.cached("INSERT INTO outbox (record_seq, changed_at_ms) VALUES (?, ?)");
  if (!insert_outbox) return insert_outbox.error();
  insert_outbox->bind(1, seq).bind(2, now_ms);
  if (auto r = insert_outbox->run(); !r) return r.error();
  return index(seq, record);
}

Result<void> DeviceStore::Impl::index(std::int64_t seq, const Record& record) {
  if (const auto summary = summary_of(record)) {
    auto st = db.cached("UPDATE records SET summary = ? WHERE seq = ?");
    if (!st) return st.error();
    if (auto r = st->bind(1, *summary).bind(2, seq).run(); !r) return r.error();
  }
  const auto* complaint = std::get_if<Complaint>(&record);
  if (!complaint || !complaint->customer) return Ok{};
  auto st = db.cached("INSERT INTO contact_keys (hash, record_seq) VALUES (?, ?) ON CONFLICT DO NOTHING");
  if (!st) return st.error();
  for (const auto& hash : contact_hashes(contact_key, complaint->customer->email, complaint->customer->phone))
    if (auto r = st->bind(1, hash).bind(2, seq).run(); !r) return r.error();
  return Ok{};
}

Result<std::int64_t> DeviceStore::Impl::index_all() {
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  std::vector<std::pair<std::int64_t, std::string>> rows;
  {
    auto st = db.cached("SELECT seq, body FROM records WHERE summary IS NULL AND body != ?");
    if (!st) return st.error();
    st->bind(1, kErasedBody);
    while (true) {
      auto row = st->next();
      if (!row) return row.error();
      if (!*row) break;
      rows.emplace_back(st->int64(0), std::string(st->text(1)));
    }
  }
  std::int64_t indexed = 0;
  for (const auto& [seq, body] : rows) {
    auto record = record_from_json_text(body);
    if (!record) continue;  // load_record reports it when it is asked for
    if (auto r = index(seq, record.value()); !r) return r.error();
    ++indexed;
  }
  if (auto r = tx->commit(); !r) return r.error();
  return indexed;
}

Result<void> DeviceStore::save(const Record& record, std::string_view clear_draft_of) {
  return save_all(std::span(&record, 1), clear_draft_of);
}

Result<void> DeviceStore::save_all(std::span<const Record> records, std::string_view clear_draft_of) {
  std::lock_guard lock(impl_->mutex);
  auto tx = Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  const auto now_ms = unix_ms_now();
  for (const auto& record : records)
    if (auto r = impl_->insert(record, now_ms); !r) return r.error();
  if (!clear_draft_of.empty()) {
    auto st = impl_->db.cached("DELETE FROM drafts WHERE staff_id = ?");
    if (!st) return st.error();
    if (auto r = st->bind(1, clear_draft_of).run(); !r) return r.error();
  }
  return tx->commit();
}

// ---- Drafts and customer history ---------------------------------------------
Result<void> DeviceStore::save_draft(std::string_view staff_id, std::string_view body) {
  std::lock_guard lock(impl_->mutex);
  auto tx = Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  auto st = impl_->db.cached(
      "INSERT INTO drafts (staff_id, body, updated_at_ms) VALUES (?, ?, ?) "
      "ON CONFLICT (staff_id) DO UPDATE SET body = excluded.body, updated_at_ms = excluded.updated_at_ms");
  if (!st) return st.error();
  if (auto r = st->bind(1, staff_id).bind(2, body).bind(3, unix_ms_now()).run(); !r) return r.error();
  return tx->commit();
}

Result<std::optional<std::string>> DeviceStore::load_draft(std::string_view staff_id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached("SELECT body FROM drafts WHERE staff_id = ?");
  if (!st) return st.error();
  st->bind(1, staff_id);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  std::optional<std::string> body(std::string(st->text(0)));
  return body;
}

Result<void> DeviceStore::delete_draft(std::string_view staff_id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached("DELETE FROM drafts WHERE staff_id = ?");
  if (!st) return st.error();
  return st->bind(1, staff_id).run();
}

Result<std::vector<PastComplaint>> DeviceStore::past_complaints_by_customer(const std::optional<std::string>& email,
                                                                            const std::optional<std::string>& phone) {
  std::lock_guard lock(impl_->mutex);
  const auto hashes = contact_hashes(impl_->contact_key, email, phone);
  std::vector<PastComplaint> found;
  if (hashes.empty()) return found;
  // The hashes, not the bodies: a delivered complaint's contact details may be erased.
  auto st = impl_->db.cached(
      "SELECT r.summary FROM records r WHERE r.type = 'complaint' AND r.summary IS NOT NULL AND r.seq IN "
      "(SELECT record_seq FROM contact_keys WHERE hash IN (?1, ?2)) ORDER BY r.created_at DESC, r.seq DESC");
  if (!st) return st.error();
  st->bind(1, hashes[0]).bind(2, hashes.size() > 1 ? hashes[1] : hashes[0]);
  while (true) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) return found;
    if (auto past = past_complaint_from_json(st->text(0))) found.push_back(std::move(*past));
  }
}

Result<std::vector<PastComplaint>> DeviceStore::past_complaints_by_reference(std::string_view key) {
  std::lock_guard lock(impl_->mutex);
  std::vector<PastComplaint> found;
  if (key.empty()) return found;
  // The summary, not the body: it outlives erasure. A device's own records are
  // few enough to scan (staff look one up now and then), so no index is kept.
  auto st = impl_->db.cached(
      "SELECT summary FROM records WHERE type = 'complaint' AND summary IS NOT NULL "
      "AND replace(json_extract(summary, '$.reference'), '-', '') = ?1 ORDER BY created_at DESC, seq DESC");
  if (!st) return st.error();
  st->bind(1, key);
  while (true) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) return found;
    if (auto past = past_complaint_from_json(st->text(0))) found.push_back(std::move(*past));
  }
}

Result<std::vector<ComplaintUpdate>> DeviceStore::updates_of(std::string_view complaint_id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached(
      "SELECT body FROM records WHERE type = 'complaint_update' AND json_extract(body, '$.complaint_id') = ? "
      "ORDER BY seq");
  if (!st) return st.error();
  st->bind(1, complaint_id);
  std::vector<ComplaintUpdate> found;
  while (true) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) return found;
    auto record = record_from_json_text(st->text(0));
    if (record && std::holds_alternative<ComplaintUpdate>(record.value()))
      found.push_back(std::get<ComplaintUpdate>(std::move(record.value())));
  }
}

Result<std::uint64_t> DeviceStore::next_sequence(std::string_view name) {
  std::lock_guard lock(impl_->mutex);
  auto tx = Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  auto st = impl_->db.cached(
      "INSERT INTO sequences (name, value) VALUES (?, 1) "
      "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
  if (!st) return st.error();
  st->bind(1, name);
  auto row = st->next();
  if (!row) return row.error();
  const auto value = static_cast<std::uint64_t>(st->int64(0));
  if (auto r = st->run(); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return value;
}

Result<std::optional<std::string>> DeviceStore::setting(std::string_view key) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached("SELECT value FROM settings WHERE key = ?");
  if (!st) return st.error();
  st->bind(1, key);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  std::optional<std::string> value(std::string(st->text(0)));
  return value;
}

Result<void> DeviceStore::set_setting(std::string_view key, std::string_view value) {
  std::lock_guard lock(impl_->mutex);
  auto tx = Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  auto st = impl_->db.cached(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!st) return st.error();
  if (auto r = st->bind(1, key).bind(2, value).run(); !r) return r.error();
  return tx->commit();
}

Result<std::string> DeviceStore::device_id() {
  auto existing = setting("device_id");
  if (!existing) return existing.error();
  if (*existing) return **existing;
  // Two processes may race here; the first write wins and both read it back.
  const std::string made = "dev-" + new_uuid_v4();
  {
    std::lock_guard lock(impl_->mutex);
    auto st =
        impl_->db.cached("INSERT INTO settings (key, value) VALUES ('device_id', ?) ON CONFLICT (key) DO NOTHING");
    if (!st) return st.error();
    if (auto r = st->bind(1, made).run(); !r) return r.error();
  }
  auto stored = setting("device_id");
  if (!stored) return stored.error();
  return stored->value_or(made);
}

std::optional<Record> DeviceStore::load_record(std::string_view id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached("SELECT body FROM records WHERE id = ?");
  if (!st) return std::nullopt;
  st->bind(1, id);
  auto row = st->next();
  if (!row || !*row) return std::nullopt;
  if (st->text(0) == kErasedBody) return std::nullopt;  // delivered and erased
  auto record = record_from_json_text(st->text(0));
  if (!record) {
    spdlog::error("device store: record {} does not decode: {}", id, join_errors(record.error()));
    return std::nullopt;
  }
  return std::move(record.value());
}

// ---- The outbox -----------------------------------------------------------
namespace {

constexpr std::string_view kEntryColumns =
    "r.seq, r.id, r.type, o.state, o.attempts, o.next_attempt_ms, o.last_error, r.body "
    "FROM outbox o JOIN records r ON r.seq = o.record_seq";

OutboxEntry read_entry(const sql::Statement& st) {
  OutboxEntry e;
  e.seq = st.int64(0);
  e.record_id = st.text(1);
  e.type = parse_enum<RecordType>(st.text(2)).value_or(RecordType::feedback);
  e.state = state_from_name(st.text(3));
  e.attempts = static_cast<int>(st.int64(4));
  e.next_attempt_ms = st.int64(5);
  e.last_error = st.text(6);
  e.body = st.text(7);
  return e;
}

}  // namespace

Result<std::optional<OutboxEntry>> DeviceStore::outbox_entry(std::string_view record_id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached(fmt::format("SELECT {} WHERE r.id = ?", kEntryColumns));
  if (!st) return st.error();
  st->bind(1, record_id);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return std::optional<OutboxEntry>();
  return std::optional<OutboxEntry>(read_entry(*st));
}

Result<std::vector<OutboxEntry>> DeviceStore::pending_entries(std::size_t max_records) {
  std::lock_guard lock(impl_->mutex);
  auto st =
      impl_->db.cached(fmt::format("SELECT {} WHERE o.state = 'pending' ORDER BY o.record_seq LIMIT ?", kEntryColumns));
  if (!st) return st.error();
  st->bind(1, static_cast<std::int64_t>(max_records));
  std::vector<OutboxEntry> entries;
  entries.reserve(std::min<std::size_t>(max_records, 1024));
  while (true) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) return entries;
    entries.push_back(read_entry(*st));
  }
}

Result<std::vector<OutboxEntry>> DeviceStore::claim_batch(std::size_t max_records, std::size_t max_bytes,
                                                          std::int64_t now_ms) {
  std::lock_guard lock(impl_->mutex);
  auto& db = impl_->db;
  RelaxedSync relaxed(db);
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  std::vector<OutboxEntry> batch;
  {
    auto st = db.cached(fmt::format(
        "SELECT {} WHERE o.state = 'pending' AND o.next_attempt_ms <= ? ORDER BY o.record_seq LIMIT ?", kEntryColumns));
    if (!st) return st.error();
    st->bind(1, now_ms).bind(2, static_cast<std::int64_t>(max_records));
    std::size_t bytes = 0;
    while (true) {
      auto row = st->next();
      if (!row) return row.error();
      if (!*row) break;
      const std::size_t size = st->text(7).size();
      if (!batch.empty() && bytes + size > max_bytes) break;
      bytes += size;
      batch.push_back(read_entry(*st));
    }
  }
  if (batch.empty()) return batch;
  // One statement for the batch: inside this transaction the due pending entries
  // between the first and last claimed are exactly the claimed ones.
  auto mark = db.cached(
      "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, changed_at_ms = ? "
      "WHERE state = 'pending' AND next_attempt_ms <= ? AND record_seq BETWEEN ? AND ?");
  if (!mark) return mark.error();
  mark->bind(1, now_ms).bind(2, now_ms).bind(3, batch.front().seq).bind(4, batch.back().seq);
  if (auto r = mark->run(); !r) return r.error();
  if (sqlite3_changes(db.handle()) != static_cast<int>(batch.size()))
    return Error{Errc::internal, "claim_batch: the marked entries differ from the claimed ones"};
  for (auto& entry : batch) {
    entry.state = OutboxState::in_flight;
    entry.attempts += 1;
  }
  if (auto r = tx->commit(); !r) return r.error();
  return batch;
}

Result<void> DeviceStore::Impl::set_state(std::span<const std::string> ids, std::string_view from_states,
                                          OutboxState to, std::string_view error, std::int64_t next_attempt_ms) {
  RelaxedSync relaxed(db);
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  auto st =
      db.cached(fmt::format("UPDATE outbox SET state = ?, last_error = ?, next_attempt_ms = ?, changed_at_ms = ? "
                            "WHERE record_seq = (SELECT seq FROM records WHERE id = ?) AND state IN ({})",
                            from_states));
  if (!st) return st.error();
  const auto now_ms = unix_ms_now();
  for (const auto& id : ids) {
    st->bind(1, outbox_state_name(to)).bind(2, error).bind(3, next_attempt_ms).bind(4, now_ms).bind(5, id);
    if (auto r = st->run(); !r) return r.error();
    if (sqlite3_changes(db.handle()) == 0)
      return Error{Errc::not_found, fmt::format("record {} has no outbox entry in state {}", id, from_states)};
  }
  return tx->commit();
}

Result<void> DeviceStore::mark_delivered(std::span<const std::string> record_ids) {
  std::lock_guard lock(impl_->mutex);
  // From pending too: a restart may have returned an entry the server then confirmed.
  return impl_->set_state(record_ids, "'in_flight', 'pending'", OutboxState::delivered, "", 0);
}

Result<void> DeviceStore::settle_delivered(std::span<const std::int64_t> seqs, bool erase_now) {
  if (seqs.empty()) return Ok{};
  std::string list = "[";
  for (std::size_t i = 0; i < seqs.size(); ++i) list += (i ? "," : "") + std::to_string(seqs[i]);
  list += "]";
  std::lock_guard lock(impl_->mutex);
  auto& db = impl_->db;
  RelaxedSync relaxed(db);
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  // One statement each for the whole batch; json_each turns the list into rows.
  auto mark = db.cached(
      "UPDATE outbox SET state = 'delivered', last_error = '', next_attempt_ms = 0, changed_at_ms = ?, erased = ? "
      "WHERE record_seq IN (SELECT value FROM json_each(?)) AND state IN ('in_flight', 'pending')");
  if (!mark) return mark.error();
  if (auto r = mark->bind(1, unix_ms_now()).bind(2, std::int64_t{erase_now ? 1 : 0}).bind(3, list).run(); !r)
    return r.error();
  if (sqlite3_changes(db.handle()) != static_cast<int>(seqs.size()))
    return Error{Errc::not_found, "settle_delivered: some entries are not pending or in flight"};
  if (erase_now) {
    auto blank = db.cached("UPDATE records SET body = '{}' WHERE seq IN (SELECT value FROM json_each(?))");
    if (!blank) return blank.error();
    if (auto r = blank->bind(1, list).run(); !r) return r.error();
  }
  return tx->commit();
}

Result<void> DeviceStore::mark_retry(std::span<const std::string> record_ids, std::string_view error,
                                     std::int64_t next_attempt_ms) {
  std::lock_guard lock(impl_->mutex);
  return impl_->set_state(record_ids, "'in_flight'", OutboxState::pending, error, next_attempt_ms);
}

Result<void> DeviceStore::quarantine(std::string_view record_id, std::string_view reason) {
  std::lock_guard lock(impl_->mutex);
  const std::string id(record_id);
  return impl_->set_state(std::span(&id, 1), "'in_flight', 'pending'", OutboxState::quarantined, reason, 0);
}

Result<void> DeviceStore::requeue(std::string_view record_id) {
  std::lock_guard lock(impl_->mutex);
  const std::string id(record_id);
  return impl_->set_state(std::span(&id, 1), "'quarantined'", OutboxState::pending, "", 0);
}

Result<std::int64_t> DeviceStore::requeue_all_quarantined() {
  std::lock_guard lock(impl_->mutex);
  auto tx = Transaction::begin(impl_->db);
  if (!tx) return tx.error();
  auto st = impl_->db.cached(
      "UPDATE outbox SET state = 'pending', last_error = '', next_attempt_ms = 0, changed_at_ms = ? "
      "WHERE state = 'quarantined'");
  if (!st) return st.error();
  if (auto r = st->bind(1, unix_ms_now()).run(); !r) return r.error();
  const std::int64_t changed = sqlite3_changes(impl_->db.handle());
  if (auto r = tx->commit(); !r) return r.error();
  return changed;
}

Result<std::vector<OutboxEntry>> DeviceStore::quarantined_entries(std::size_t max_records) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached(
      fmt::format("SELECT {} WHERE o.state = 'quarantined' ORDER BY o.record_seq LIMIT ?", kEntryColumns));
  if (!st) return st.error();
  st->bind(1, static_cast<std::int64_t>(max_records));
  std::vector<OutboxEntry> entries;
  while (true) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) return entries;
    entries.push_back(read_entry(*st));
  }
}

Result<std::int64_t> DeviceStore::erase_delivered(std::int64_t delivered_before_ms) {
  std::lock_guard lock(impl_->mutex);
  auto& db = impl_->db;
  RelaxedSync relaxed(db);
  auto tx = Transaction::begin(db);
  if (!tx) return tx.error();
  auto blank = db.cached(
      "UPDATE records SET body = '{}' WHERE seq IN (SELECT record_seq FROM outbox "
      "WHERE state = 'delivered' AND erased = 0 AND changed_at_ms <= ?)");
  if (!blank) return blank.error();
  if (auto r = blank->bind(1, delivered_before_ms).run(); !r) return r.error();
  auto mark = db.cached("UPDATE outbox SET erased = 1 WHERE state = 'delivered' AND erased = 0 AND changed_at_ms <= ?");
  if (!mark) return mark.error();
  if (auto r = mark->bind(1, delivered_before_ms).run(); !r) return r.error();
  const std::int64_t erased = sqlite3_changes(db.handle());
  if (erased == 0) return std::int64_t{0};  // nothing written: the rollback costs no flush
  if (auto r = tx->commit(); !r) return r.error();
  return erased;
}

Result<bool> DeviceStore::is_erased(std::string_view record_id) {
  std::lock_guard lock(impl_->mutex);
  auto st = impl_->db.cached("SELECT o.erased FROM outbox o JOIN records r ON r.seq = o.record_seq WHERE r.id = ?");
  if (!st) return st.error();
  st->bind(1, record_id);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return Error{Errc::not_found, fmt::format("no record {} on this device", record_id)};
  return st->int64(0) != 0;
}

Result<void> DeviceStore::checkpoint() {
  std::lock_guard lock(impl_->mutex);
  const int rc = sqlite3_wal_checkpoint_v2(impl_->db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return impl_->db.error(rc, "checkpoint");
  return Ok{};
}

// ---- Statistics -----------------------------------------------------------
Result<OutboxStats> DeviceStore::outbox_stats() {
  std::lock_guard lock(impl_->mutex);
  auto& db = impl_->db;
  OutboxStats stats;
  {
    auto st = db.cached("SELECT state, count(*) FROM outbox GROUP BY state");
    if (!st) return st.error();
    while (true) {
      auto row = st->next();
      if (!row) return row.error();
      if (!*row) break;
      const auto count = st->int64(1);
      switch (state_from_name(st->text(0))) {
        case OutboxState::pending:
          stats.pending = count;
          break;
        case OutboxState::in_flight:
          stats.in_flight = count;
          break;
        case OutboxState::delivered:
          stats.delivered = count;
          break;
        case OutboxState::quarantined:
          stats.quarantined = count;
          break;
      }
    }
  }
  auto st = db.cached(
      "SELECT r.created_at FROM outbox o JOIN records r ON r.seq = o.record_seq "
      "WHERE o.state IN ('pending', 'in_flight') ORDER BY o.record_seq LIMIT 1");
  if (!st) return st.error();
  auto row = st->next();
  if (!row) return row.error();
  if (*row) stats.oldest_pending_created_at = parse_timestamp(st->text(0));
  return stats;
}

}  // namespace heed
