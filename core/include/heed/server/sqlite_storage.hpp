// The embedded storage backend: one SQLite file in WAL mode under the data
// directory. One writer connection (SQLite serialises writers anyway; taking a
// mutex first keeps waiting out of SQLite's busy loop) and a small pool of
// reader connections, which WAL lets run beside the writer. Other processes
// (heed-server enroll-code, user add) may open the same file meanwhile.
//
// Workload: ingest is a burst of batch transactions. Concurrent batches share
// one transaction and one WAL flush (group commit), and the flush happens after
// the write lock is released. Random record ids (UUID v4) make each insert dirty
// a random index page, so checkpoints come every 10,000 WAL pages rather than
// SQLite's 1,000: fewer checkpoint flushes, and a page written by many commits
// is copied back once. KPIs read a daily rollup (kpi_daily) kept in the same
// transactions, so their cost follows the number of store-days, not records.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "heed/result.hpp"
#include "heed/server/storage.hpp"

namespace heed::server {

struct SqliteOptions {
  int readers = 4;  // read connections; a reader waits when all are lent out
  // true (default): a write the caller was told of is on disk even if the
  // machine loses power (the WAL is flushed after each commit, outside the write
  // lock, so concurrent commits share flushes). false: still crash-safe for the
  // process and never corrupt, but the last commits may be lost with the power.
  bool durable = true;
  std::chrono::milliseconds busy_timeout{10000};  // waiting for another process's lock
};

// Opens (creating and migrating) the database file.
Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::filesystem::path& file,
                                                     const SqliteOptions& options = {});

// The schema version this build writes (PRAGMA user_version).
int sqlite_storage_schema_version();

}  // namespace heed::server
