// RAII over SQLite: statements reset on scope exit, transactions roll back
// unless committed, and result codes become Errc values with SQLite's message.
#include "heed/sqlite.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

namespace heed::sql {

Errc errc_from_sqlite(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Errc::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Errc::busy;
    case SQLITE_CONSTRAINT:
      return Errc::conflict;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Errc::io;
    default:
      return Errc::internal;
  }
}

// ---- Statement -----------------------------------------------------------
Statement::~Statement() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind(index, nullptr);
}

Result<bool> Statement::next() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  // Finished or failed: reset at once, so the caller may bind new values and run
  // it again (SQLite refuses bindings on a statement that has not been reset).
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return false;
  }
  sqlite3* db = sqlite3_db_handle(stmt_);
  Error error{errc_from_sqlite(rc), fmt::format("{} (in: {})", sqlite3_errmsg(db), sqlite3_sql(stmt_))};
  sqlite3_reset(stmt_);
  return error;
}

Result<void> Statement::run() {
  while (true) {
    auto row = next();
    if (!row) return row.error();
    if (!*row) return Ok{};
  }
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string_view Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// ---- Database ------------------------------------------------------------
Database::Database(sqlite3* db) : db_(db) {}

Database::Database(Database&& other) noexcept : db_(other.db_), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
  other.cache_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = other.db_;
    cache_ = std::move(other.cache_);
    other.db_ = nullptr;
    other.cache_.clear();
  }
  return *this;
}

Database::~Database() { close(); }

void Database::close() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Result<Database> Database::open(const std::filesystem::path& file, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error{errc_from_sqlite(rc),
                fmt::format("cannot open {}: {}", file.string(), db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(db);
}

Error Database::error(int rc, std::string_view doing) const {
  return Error{errc_from_sqlite(rc), fmt::format("{}: {}", doing, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc))};
}

Result<void> Database::exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok{};
  Error error{errc_from_sqlite(rc), message ? message : sqlite3_errstr(rc)};
  sqlite3_free(message);
  return error;
}

Result<Statement> Database::cached(std::string_view sql) {
  // The map owns the sqlite3_stmt; callers wrap it in a Statement for one use.
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(rc, fmt::format("preparing \"{}\"", sql));
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(it->second);
}

Result<std::int64_t> Database::scalar_int(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return error(rc, sql);
  rc = sqlite3_step(stmt);
  const std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error(rc, sql);
  return value;
}

Result<std::string> Database::scalar_text(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return error(rc, sql);
  rc = sqlite3_step(stmt);
  std::string value;
  if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0))
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error(rc, sql);
  return value;
}

// ---- Transaction ---------------------------------------------------------
Result<Transaction> Transaction::begin(Database& db) {
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error();
  return Transaction(db);
}

Result<void> Transaction::commit() {
  auto r = db_->exec("COMMIT");
  if (r) db_ = nullptr;
  return r;
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

}  // namespace heed::sql
