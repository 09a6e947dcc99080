// workspace_seed: a heed-server data directory at the size issue 14's browser
// benchmark asks for (by default 1,000,000 records and cases, about 100,000 of
// them open), for `heed-server serve` to run on while tests/web/bench measures
// the workspace in Chromium.
//
// The rows come from queue_bench's generator (queue_seed.hpp), written straight
// into heed.db, dated relative to now so deadlines read as a live queue would
// (a real server has no fixed clock). Breaches the generator made are marked as
// already escalated, so the server's breach scan does not spend the run
// escalating thousands of cases while pages are timed. Writes DIR/server (the
// data directory, with a chain-wide manager "bench") and DIR/rules.json (the
// default rules with the generated stores in areas), and prints one line of JSON:
// {"data_dir", "rules", "username", "password", "open_cases", "records", "case_id", "reference"}.
// --reuse keeps a directory already seeded with the same sizes.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "heed/server/admin.hpp"
#include "queue_seed.hpp"

using namespace heed;
using namespace heed::bench;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "bench password 123";

std::int64_t count(const fs::path& db_file, const char* sql) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

// The generator's breaches, as if the scheduler had already escalated them.
bool mark_breaches_escalated(const fs::path& db_file, Timestamp at) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) return false;
  const std::int64_t now = secs(at);
  const bool ok =
      exec(db, fmt::format("UPDATE cases SET ack_breached = 1 WHERE resolved_at IS NULL AND acked_at IS NULL AND "
                           "ack_due IS NOT NULL AND ack_due < {0};"
                           "UPDATE cases SET resolve_breached = 1 WHERE resolved_at IS NULL AND resolve_due < {0};"
                           "PRAGMA wal_checkpoint(TRUNCATE);",
                           now));
  sqlite3_close(db);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Seeds a heed-server data directory for the workspace benchmark", "workspace_seed"};
  int cases = 1000000, stores = 2000, area_size = 20;
  double recent = 0.101;  // 95% of the latest 10.1% open, and 0.5% of the rest: just over 100,000 of a million
  bool reuse = false;
  std::string dir_text;
  cli.add_option("--dir", dir_text, "Directory to seed (its server/ and rules.json)")->required();
  cli.add_option("--cases", cases, "Cases seeded, each with its record")->capture_default_str();
  cli.add_option("--stores", stores, "Stores they are spread over")->capture_default_str();
  cli.add_option("--area-size", area_size, "Stores per area")->capture_default_str();
  cli.add_option("--recent-share", recent, "The latest share of cases, mostly open")->capture_default_str();
  cli.add_flag("--reuse", reuse, "Keep a directory seeded with the same sizes instead of seeding again");
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  const fs::path dir = fs::absolute(dir_text);
  const fs::path marker = dir / fmt::format("seeded-{}-{}-{}-{}", cases, stores, area_size, recent);
  const fs::path db_file = dir / "server" / "heed.db";

  const json rules = bench_rules(HEED_ASSETS_DIR, stores, area_size);

  Seeded seeded;
  if (!(reuse && fs::exists(marker))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const Timestamp at = now_utc();
    {
      auto data = server::open_data_dir(dir / "server");
      if (!data) {
        std::fprintf(stderr, "workspace_seed: %s\n", data.error().message.c_str());
        return 1;
      }
      if (!server::create_user(*data, "bench", kPassword, server::Role::manager, at, HashCost::interactive)) return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    if (!seed(db_file, cases, stores, seeded, at, recent) || !mark_breaches_escalated(db_file, at)) return 1;
    std::fprintf(stderr, "workspace_seed: seeded %d cases in %.0f s\n", cases,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    std::ofstream(marker) << json{{"reference", seeded.reference}, {"case_id", seeded.case_id}}.dump();
  } else {
    const json m = json::parse(std::ifstream(marker));
    seeded.reference = m["reference"];
    seeded.case_id = m["case_id"];
  }
  std::ofstream(dir / "rules.json") << rules.dump(2);
  const json out{{"data_dir", (dir / "server").string()},
                 {"rules", (dir / "rules.json").string()},
                 {"username", "bench"},
                 {"password", kPassword},
                 {"open_cases", count(db_file, "SELECT count(*) FROM cases WHERE resolved_at IS NULL")},
                 {"records", count(db_file, "SELECT count(*) FROM records")},
                 {"case_id", seeded.case_id},
                 {"reference", seeded.reference}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
