// A thin RAII layer over SQLite's C API for Heed's stores: one Database per
// connection, prepared statements cached by their SQL text, a Transaction guard
// that rolls back unless committed, and SQLite result codes mapped to Errc.
// It hides nothing SQLite does; it only makes leaks and forgotten resets
// impossible. Not thread-safe: a store serialises its own calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "heed/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace heed::sql {

// A prepared statement in use; resets and clears its bindings when it goes out
// of scope, so a cached statement is always ready for the next caller.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Bind by 1-based index. Text is copied by SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, const std::optional<std::string>& value);

  // Steps once: true when a row is ready; false when done, after which the
  // statement is reset and may be bound and run again.
  Result<bool> next();
  // Steps to the end, ignoring rows; the statement is then ready to rebind.
  Result<void> run();

  std::int64_t int64(int column) const;
  std::string_view text(int column) const;  // valid until the next step
  bool is_null(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating if allowed) a database file. SQLite's own error text is kept.
  static Result<Database> open(const std::filesystem::path& file, bool create);
  // An in-memory or temporary database, for tests.
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  sqlite3* handle() const { return db_; }

  // Runs one or more statements with no parameters.
  Result<void> exec(std::string_view sql);
  // The one value of a single-row, single-column query (e.g. PRAGMA user_version).
  Result<std::int64_t> scalar_int(std::string_view sql);
  Result<std::string> scalar_text(std::string_view sql);

  // A statement prepared once and kept for the connection's life, handed out
  // for one use (one caller at a time).
  Result<Statement> cached(std::string_view sql);

  // Maps the connection's last error to an Error, prefixed with what was being done.
  Error error(int rc, std::string_view doing) const;

 private:
  explicit Database(sqlite3* db);
  void close();
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so a
// transaction never fails half way on a lock upgrade); ROLLBACK on destruction
// unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

Errc errc_from_sqlite(int rc);

}  // namespace heed::sql
