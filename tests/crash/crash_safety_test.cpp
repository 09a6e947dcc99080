// Crash safety of the device store (issue: "a child process saving records in a
// loop is killed with SIGKILL at random moments, 200 times; after each,
// PRAGMA integrity_check is ok and every save that had returned before the kill
// is present with its outbox entry").
//
// Each round starts heed_crash_writer on the same database file, reads the ids
// it reports (each written only after its save returned Ok), kills it with
// SIGKILL after a random delay, then checks:
//   - PRAGMA integrity_check on a raw SQLite connection says "ok";
//   - DeviceStore::open succeeds and leaves no outbox entry in flight;
//   - every id reported so far, in any round, is stored, and each one reported
//     this round loads as a valid record with its outbox entry;
//   - nothing is duplicated or orphaned: one outbox entry per record.
// Most rounds count the delay from the writer's "ready" line (kills land in the
// save loop); some count it from the spawn, so kills also land in open().
// Environment: HEED_CRASH_SEED repeats a run (the seed is printed),
// HEED_CRASH_ROUNDS changes the number of rounds (default 200).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "heed/device_store.hpp"
#include "heed/model.hpp"
#include "heed/validation.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

void remove_database(const fs::path& db) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(fs::path(db.string() + suffix), ignored);
}

// The writer's descriptor for its reports (its stdout carries the store's log).
constexpr int kReportFd = 3;

// One run of the writer: what it reported before it was killed.
struct RoundResult {
  bool ready = false;            // it had opened the store
  std::vector<std::string> ids;  // saves that had returned, in order
  int wait_status = 0;
};

// Starts the writer, kills it `delay` after the spawn (or after its "ready"
// line when `from_ready`), and collects every complete line it wrote.
RoundResult run_writer(const fs::path& db, std::uint64_t seed, std::chrono::milliseconds delay, bool from_ready) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  const std::string writer = HEED_CRASH_WRITER;
  const std::string db_arg = db.string();
  const std::string seed_arg = std::to_string(seed);
  const std::string fd_arg = std::to_string(kReportFd);
  std::vector<char*> argv{const_cast<char*>(writer.c_str()), const_cast<char*>(db_arg.c_str()),
                          const_cast<char*>(seed_arg.c_str()), const_cast<char*>(fd_arg.c_str()), nullptr};

  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {  // child: only async-signal-safe calls until exec
    if (fds[1] == kReportFd) {
      if (::fcntl(kReportFd, F_SETFD, 0) < 0) ::_exit(126);
    } else if (::dup2(fds[1], kReportFd) < 0) {
      ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);

  RoundResult result;
  std::string pending;  // bytes after the last complete line
  auto consume = [&](const char* data, std::size_t size) {
    pending.append(data, size);
    std::size_t start = 0;
    for (std::size_t nl = pending.find('\n', start); nl != std::string::npos; nl = pending.find('\n', start)) {
      std::string line = pending.substr(start, nl - start);
      start = nl + 1;
      if (line == "ready")
        result.ready = true;
      else
        result.ids.push_back(std::move(line));
    }
    pending.erase(0, start);
  };

  const auto spawned = Clock::now();
  const auto give_up = spawned + std::chrono::seconds(60);  // a writer that never gets ready
  auto deadline = from_ready ? Clock::time_point::max() : spawned + delay;
  bool eof = false;
  char buffer[4096];
  while (!eof) {
    const auto now = Clock::now();
    const auto until = std::min(deadline, give_up);
    if (now >= until) break;
    pollfd pfd{fds[0], POLLIN, 0};
    const auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    const int polled = ::poll(&pfd, 1, static_cast<int>(std::min<std::int64_t>(wait_ms, 1000)));
    if (polled < 0 && errno != EINTR) break;
    if (polled <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) {
      eof = n == 0 || errno != EINTR;
      continue;
    }
    const bool was_ready = result.ready;
    consume(buffer, static_cast<std::size_t>(n));
    if (from_ready && !was_ready && result.ready) deadline = Clock::now() + delay;
  }

  ::kill(pid, SIGKILL);
  for (;;) {  // what it wrote before it died
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0)
      consume(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  ::close(fds[0]);
  while (::waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

struct Sqlite {
  sqlite3* db = nullptr;
  explicit Sqlite(const fs::path& file) {
    const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close(db);
      FAIL("sqlite3_open_v2 " << file << ": " << sqlite3_errstr(rc));
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~Sqlite() { sqlite3_close(db); }
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  // Every row's first column as text.
  std::vector<std::string> column(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    const int prepared = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    if (prepared != SQLITE_OK) FAIL(sql << ": " << sqlite3_errmsg(db));
    std::vector<std::string> rows;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) FAIL(sql << ": " << sqlite3_errmsg(db));
    return rows;
  }
  std::int64_t count(const char* sql) { return std::stoll(column(sql).at(0)); }
};

// The checks after a kill; `reported` holds every id reported in any round so
// far, `fresh` those of the last round.
void check_after_kill(const fs::path& db, const std::unordered_set<std::string>& reported,
                      const std::vector<std::string>& fresh) {
  if (!fs::exists(db)) {  // killed before the store's first open created it
    REQUIRE(reported.empty());
    return;
  }
  {
    Sqlite raw(db);
    const auto integrity = raw.column("PRAGMA integrity_check");
    REQUIRE(integrity == std::vector<std::string>{"ok"});
  }

  auto opened = heed::DeviceStore::open(db);
  if (!opened.ok()) FAIL("DeviceStore::open after the kill: " << opened.error().message);
  heed::DeviceStore store = std::move(opened).value();

  auto stats = store.outbox_stats();
  REQUIRE(stats.ok());
  CHECK(stats->in_flight == 0);

  for (const auto& id : fresh) {
    INFO("record " << id);
    CHECK(heed::is_uuid_v4(id));
    const auto record = store.load_record(id);
    REQUIRE(record.has_value());
    CHECK(heed::header_of(*record).id == id);
    CHECK(heed::validate(*record).empty());
    auto entry = store.outbox_entry(id);
    REQUIRE(entry.ok());
    REQUIRE(entry->has_value());
    CHECK((*entry)->record_id == id);
    CHECK((*entry)->type == heed::type_of(*record));
    CHECK((*entry)->state != heed::OutboxState::in_flight);
    CHECK(!(*entry)->body.empty());
  }

  Sqlite raw(db);
  const auto stored = raw.column("SELECT id FROM records");
  const std::unordered_set<std::string> stored_ids(stored.begin(), stored.end());
  CHECK(stored_ids.size() == stored.size());
  std::size_t missing = 0;
  for (const auto& id : reported) {
    if (stored_ids.count(id) == 0) {
      if (++missing <= 5) MESSAGE("reported but missing: " << id);
    }
  }
  CHECK(missing == 0);

  const std::int64_t outbox_rows = raw.count("SELECT count(*) FROM outbox");
  const std::int64_t orphans =
      raw.count("SELECT count(*) FROM outbox WHERE record_seq NOT IN (SELECT seq FROM records)");
  const std::int64_t without_entry =
      raw.count("SELECT count(*) FROM records WHERE seq NOT IN (SELECT record_seq FROM outbox)");
  CHECK(outbox_rows == static_cast<std::int64_t>(stored.size()));
  CHECK(orphans == 0);
  CHECK(without_entry == 0);
  CHECK(stats->pending + stats->in_flight + stats->delivered + stats->quarantined == outbox_rows);
}

}  // namespace

TEST_CASE("device store: saves that returned survive SIGKILL of the saving process") {
  const std::uint64_t seed = env_u64("HEED_CRASH_SEED", std::random_device{}());
  const auto rounds = static_cast<int>(env_u64("HEED_CRASH_ROUNDS", 200));
  std::printf("crash safety: %d rounds, seed %llu (HEED_CRASH_SEED=%llu repeats the delays)\n", rounds,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::mt19937_64 rng(seed);

  const fs::path db = fs::path(HEED_TEST_BINARY_DIR) / "crash-safety.db";
  remove_database(db);

  std::unordered_set<std::string> reported;
  int killed_before_ready = 0;
  int killed_with_saves = 0;
  const auto started = Clock::now();
  for (int round = 0; round < rounds; ++round) {
    const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 100)(rng));
    const bool from_ready = std::uniform_int_distribution<int>(0, 99)(rng) < 80;
    INFO("round " << round << " of seed " << seed << ": killed " << delay.count() << " ms after "
                  << (from_ready ? "ready" : "spawn"));

    const RoundResult result = run_writer(db, seed + static_cast<std::uint64_t>(round), delay, from_ready);
    if (!(WIFSIGNALED(result.wait_status) && WTERMSIG(result.wait_status) == SIGKILL)) {
      FAIL("the writer ended on its own (wait status " << result.wait_status << "); see its message above");
    }
    if (!result.ready) ++killed_before_ready;
    if (!result.ids.empty()) ++killed_with_saves;
    for (const auto& id : result.ids) {
      INFO("id " << id);
      CHECK(reported.insert(id).second);  // every save is a new record
    }
    check_after_kill(db, reported, result.ids);
  }
  const auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf(
      "crash safety: %d rounds in %.1f s; %zu saves confirmed; %d kills before the store "
      "was open, %d after at least one save\n",
      rounds, seconds, reported.size(), killed_before_ready, killed_with_saves);
  CHECK(reported.size() > 0);
  remove_database(db);
}
