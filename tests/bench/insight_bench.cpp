// insight_bench: the dashboard's answers on a chain's year (issue 15: with
// 18,000,000 records from 2,000 stores, the KPI tiles, one trend over a year by
// week and the store league each answer in <= 300 ms).
//
// Seeds --records records over the 365 days before a fixed "now", spread over
// --stores stores (areas of --area-size), straight into the server's SQLite file
// (made and migrated by open_data_dir first): 95% kiosk feedback with CSAT and
// NPS (each store with its own leaning, so the league has a shape; one in eight
// with a comment), 5% complaints in the ten categories, each with its complaint
// case (98% resolved, with a root cause; the rest open). The rollups the server
// keeps at ingest (kpi_daily, kpi_monthly, kpi_chain_daily) are then summed from
// those rows in SQL, and one figure is checked against a count over the records
// themselves, so a rollup that disagreed with its records would fail the run
// rather than flatter it.
//
// Then, through the real HTTP server in-process on a loopback port and a
// signed-in chain-wide manager, it times what the dashboard asks for:
//   tiles        GET /api/v1/kpis, the last 7 days with the 7 before
//   tiles year   the same over the last 365 days
//   trend        GET /api/v1/kpis/trend, a year by week with the year before
//   league       GET /api/v1/kpis/stores, the last 7 days (every store, and the chain)
//   league year  the same over the year
//   pareto       GET /api/v1/kpis/pareto by category, the last 30 days
//   store tiles  one store's week (what its manager sees)
//   staff        GET /api/v1/kpis/staff, the last 7 days
//   comments     GET /api/v1/comments, the chain's latest 10 of the last 7 days
//   detractors   one store's latest 10 from detractors, the last 7 days
// and prints the median and p95 of --reps requests each, with the machine.
// --reuse keeps a directory seeded the same day with the same sizes. --seed-only
// seeds and prints one line of JSON for tests/web/bench/workspace_bench.mjs
// (--page dashboard): {"data_dir", "rules", "username", "password", "records"}.
//
// Exit status: 0 the run completed (the target is printed, not enforced); 1 a
// request, the seeding or the rollup check failed.
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"
#include "heed/server/workflow.hpp"
#include "queue_seed.hpp"

using namespace heed;
using namespace heed::bench;
using namespace std::chrono;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "bench password 123";
constexpr std::int64_t kDay = 86400;
// Today at 10:00 UTC: the data ends "now", so that `heed-server serve` on it
// (workspace_bench --page dashboard) shows this week as the dashboard would.
const Timestamp kNow = Timestamp{seconds{secs(now_utc()) / kDay * kDay + 10 * 3600}};

constexpr std::array<const char*, 10> kCategories{
    "faulty_goods",      "not_as_described", "delivery",       "pricing_billing", "staff_conduct",
    "service",           "store_environment", "accessibility", "data_privacy",    "other"};
constexpr std::array<const char*, 4> kTouchpoints{"checkout", "returns", "fitting_rooms", "cafe"};
// What about one answer in eight says, in the customer's words, by how the visit went.
constexpr std::array<const char*, 3> kUnhappyComments{"Waited twenty minutes at the till.",
                                                      "Nobody could help me find a size.", "The cafe was dirty."};
constexpr std::array<const char*, 3> kHappyComments{"Lovely staff, quick checkout.", "Found everything I needed.",
                                                    "Great help in the fitting rooms."};

std::string machine() {
  std::string model = "unknown CPU";
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  return fmt::format("{} cores, {}", std::thread::hardware_concurrency(), model);
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

std::string day_text(std::int64_t day) { return format_date(Date{sys_days{days{day}}}); }

struct Statement {
  sqlite3_stmt* st = nullptr;
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &st, nullptr); }
  ~Statement() { sqlite3_finalize(st); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void text(int i, const std::string& v) const {
    sqlite3_bind_text(st, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
};

std::int64_t single(sqlite3* db, const char* sql) {
  Statement q(db, sql);
  return q.st && sqlite3_step(q.st) == SQLITE_ROW ? sqlite3_column_int64(q.st, 0) : -1;
}

// Writes the records, the complaints' cases, and the rollups summed from them.
bool seed_year(const fs::path& db_file, std::int64_t records, int stores) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) return false;
  struct Close {
    sqlite3* db;
    ~Close() { sqlite3_close(db); }
  } close{db};
  if (!exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288; PRAGMA foreign_keys = OFF")) return false;
  const Statement record(db,
                         "INSERT INTO records (id, type, store_id, device_id, created_at, arrived_at, local_day, "
                         "touchpoint, body, csat, nps, resolved_first_contact, category) "
                         "VALUES (?1, ?2, ?3, 'dev-bench', ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  const Statement kase(db,
                       "INSERT INTO cases (type, record_id, store_id, reference, level, repeat, clock_start, "
                       "local_day, created_at, ack_due, resolve_due, acked_at, resolved_at, root_cause, severity, "
                       "next_due) VALUES ('complaint', ?1, ?2, ?3, 0, 0, ?4, ?5, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!record.st || !kase.st) {
    std::fprintf(stderr, "seed: %s\n", sqlite3_errmsg(db));
    return false;
  }
  std::mt19937_64 rng(18);
  auto uniform = [&] { return std::uniform_real_distribution<double>(0, 1)(rng); };
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  // Each store's leaning: most near the middle, a few far better or worse.
  std::vector<double> leaning(static_cast<std::size_t>(stores));
  for (auto& l : leaning) l = std::clamp(std::normal_distribution<double>(0, 0.12)(rng), -0.35, 0.35);

  const std::int64_t now = secs(kNow), span = 365 * kDay, start_at = now - span;
  const auto started = steady_clock::now();
  for (std::int64_t i = 1; i <= records; ++i) {
    if (i % 100000 == 1 && !exec(db, "BEGIN")) return false;
    const int store = static_cast<int>(between(0, stores - 1));
    const double lean = leaning[static_cast<std::size_t>(store)];
    const std::int64_t created = start_at + span * i / records;
    const bool complaint = uniform() < 0.05;
    const std::string id = fmt::format("rec-{:08}", i);
    sqlite3_reset(record.st);
    sqlite3_clear_bindings(record.st);
    record.text(1, id);
    record.text(2, complaint ? "complaint" : "feedback");
    record.text(3, store_id(store));
    sqlite3_bind_int64(record.st, 4, created);
    sqlite3_bind_int64(record.st, 5, created / kDay);
    if (complaint) {
      const std::string reference = make_reference(store_code(store), "K3", static_cast<std::uint64_t>(i));
      record.text(7, json{{"id", id}, {"type", "complaint"}, {"reference", reference}}.dump());
      const bool first_contact = uniform() < 0.55 + lean;
      sqlite3_bind_int64(record.st, 10, first_contact ? 1 : 0);
      // A Pareto's shape: a few categories carry most complaints.
      const auto category = static_cast<std::size_t>(std::min(9.0, std::floor(10 * std::pow(uniform(), 2.2))));
      record.text(11, kCategories[category]);
      if (sqlite3_step(record.st) != SQLITE_DONE) break;

      const bool open = created > now - 20 * kDay && uniform() < 0.4;
      const std::int64_t ack_due = created + 2 * kDay, resolve_due = created + 8 * 7 * kDay;
      std::optional<std::int64_t> acked, resolved;
      if (!open) {
        acked = created + between(600, uniform() < 0.95 ? 2 * kDay : 4 * kDay);
        resolved = *acked + between(3600, uniform() < 0.9 ? 30 * kDay : 70 * kDay);
      } else if (uniform() < 0.7) {
        acked = created + between(600, 2 * kDay);
      }
      sqlite3_reset(kase.st);
      sqlite3_clear_bindings(kase.st);
      kase.text(1, id);
      kase.text(2, store_id(store));
      kase.text(3, reference);
      sqlite3_bind_int64(kase.st, 4, created);
      sqlite3_bind_int64(kase.st, 5, created / kDay);
      sqlite3_bind_int64(kase.st, 6, ack_due);
      sqlite3_bind_int64(kase.st, 7, resolve_due);
      if (acked) sqlite3_bind_int64(kase.st, 8, *acked);
      if (resolved) sqlite3_bind_int64(kase.st, 9, *resolved);
      if (resolved) {
        const auto cause = static_cast<std::size_t>(
            std::min(10.0, std::floor(11 * std::pow(uniform(), 1.8))));
        kase.text(10, std::string(server::kRootCauses[cause]));
      }
      kase.text(11, uniform() < 0.2 ? "high" : "medium");
      if (!resolved) sqlite3_bind_int64(kase.st, 12, acked ? resolve_due : ack_due);
      if (sqlite3_step(kase.st) != SQLITE_DONE) break;
    } else {
      record.text(6, kTouchpoints[static_cast<std::size_t>(between(0, 3))]);
      const double mood = std::clamp(uniform() + lean, 0.0, 0.999);
      const int csat = 1 + static_cast<int>(std::floor(std::pow(mood, 0.55) * 5));
      const int nps = std::clamp(static_cast<int>(std::floor(std::pow(mood, 0.5) * 11)) + (uniform() < 0.5 ? 0 : -1),
                                 0, 10);
      json body{{"id", id}, {"type", "feedback"}};
      if (uniform() < 0.125) {
        const auto which = static_cast<std::size_t>(between(0, 2));
        body["comment"] = nps <= 6 ? kUnhappyComments[which] : kHappyComments[which];
      }
      record.text(7, body.dump());
      sqlite3_bind_int64(record.st, 8, csat);
      sqlite3_bind_int64(record.st, 9, nps);
      if (sqlite3_step(record.st) != SQLITE_DONE) break;
    }
    if ((i % 100000 == 0 || i == records) && !exec(db, "COMMIT")) return false;
    if (i % 1000000 == 0)
      std::printf("  seeded %lld records (%.0f s)\n", static_cast<long long>(i),
                  duration<double>(steady_clock::now() - started).count());
  }
  if (sqlite3_errcode(db) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_DONE) {
    std::fprintf(stderr, "seed: seeding: %s\n", sqlite3_errmsg(db));
    return false;
  }
  // The rollups as ingest keeps them (sqlite_storage.cpp: write_daily, and
  // update_case's SLA counts): per store, local day and touchpoint ('' for
  // complaints), then the months and the chain's days from the days.
  const auto rollups_started = steady_clock::now();
  const bool rolled = exec(db, R"sql(
BEGIN;
INSERT INTO kpi_daily (store_id, day, touchpoint, feedback, csat_count, csat_sum, csat_satisfied, nps_count,
                       promoters, passives, detractors, complaints, resolved_first)
SELECT store_id, local_day, coalesce(touchpoint, ''), total(type = 'feedback'), count(csat), total(csat),
  total(csat >= 4), count(nps), total(nps >= 9), total(nps BETWEEN 7 AND 8), total(nps <= 6),
  total(type = 'complaint'), total(coalesce(resolved_first_contact, 0))
FROM records GROUP BY 1, 2, 3;
INSERT INTO kpi_daily (store_id, day, touchpoint, acked, acked_on_time, ack_breached_open, resolved,
                       resolved_on_time, resolve_breached_open)
SELECT store_id, local_day, coalesce(touchpoint, ''),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) IS NOT NULL),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) <= ack_due),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) IS NULL AND ack_breached),
  total(resolved_at IS NOT NULL),
  total(resolved_at <= resolve_due),
  total(resolved_at IS NULL AND resolve_breached)
FROM cases WHERE true GROUP BY store_id, local_day, coalesce(touchpoint, '')
ON CONFLICT (store_id, day, touchpoint) DO UPDATE SET acked = excluded.acked,
  acked_on_time = excluded.acked_on_time, ack_breached_open = excluded.ack_breached_open,
  resolved = excluded.resolved, resolved_on_time = excluded.resolved_on_time,
  resolve_breached_open = excluded.resolve_breached_open;
INSERT INTO kpi_monthly
SELECT store_id,
  CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12
    + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
  touchpoint, sum(feedback), sum(csat_count), sum(csat_sum), sum(csat_satisfied), sum(nps_count), sum(promoters),
  sum(passives), sum(detractors), sum(complaints), sum(resolved_first), sum(acked), sum(acked_on_time),
  sum(ack_breached_open), sum(resolved), sum(resolved_on_time), sum(resolve_breached_open)
FROM kpi_daily GROUP BY 1, 2, 3;
INSERT INTO kpi_chain_daily
SELECT day, touchpoint, sum(feedback), sum(csat_count), sum(csat_sum), sum(csat_satisfied), sum(nps_count),
  sum(promoters), sum(passives), sum(detractors), sum(complaints), sum(resolved_first), sum(acked),
  sum(acked_on_time), sum(ack_breached_open), sum(resolved), sum(resolved_on_time), sum(resolve_breached_open)
FROM kpi_daily GROUP BY 1, 2;
COMMIT;
)sql");
  if (!rolled) return false;
  std::printf("  rollups summed in %.0f s: %lld store-days, %lld store-months\n",
              duration<double>(steady_clock::now() - rollups_started).count(),
              static_cast<long long>(single(db, "SELECT count(*) FROM kpi_daily")),
              static_cast<long long>(single(db, "SELECT count(*) FROM kpi_monthly")));
  return exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Heed dashboard benchmark", "insight_bench"};
  std::int64_t records = 18'000'000;
  int stores = 2000, area_size = 20, reps = 20;
  bool reuse = false, seed_only = false;
  std::string dir_text = HEED_BENCH_DEFAULT_DIR;
  cli.add_option("--records", records, "Records seeded over the year")->capture_default_str();
  cli.add_option("--stores", stores, "Stores they are spread over")->capture_default_str();
  cli.add_option("--area-size", area_size, "Stores per area")->capture_default_str();
  cli.add_option("--reps", reps, "Requests timed per measure")->capture_default_str();
  cli.add_option("--dir", dir_text, "Scratch directory")->capture_default_str();
  cli.add_flag("--reuse", reuse, "Keep a directory seeded with the same sizes instead of seeding again");
  cli.add_flag("--seed-only", seed_only, "Seed, print the data directory as JSON, and stop");
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  const fs::path dir = dir_text;
  // v2: one feedback in eight has a comment.
  const fs::path marker = dir / fmt::format("seeded-v2-{}-{}-{}", records, stores, secs(kNow) / kDay);
  std::printf("insight_bench: %lld records over a year, %d stores, areas of %d; machine: %s\n",
              static_cast<long long>(records), stores, area_size, machine().c_str());

  if (!(reuse && fs::exists(marker))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
      auto data = server::open_data_dir(dir / "server");
      if (!data) {
        std::fprintf(stderr, "insight_bench: %s\n", data.error().message.c_str());
        return 1;
      }
      if (!server::create_user(*data, "bench", kPassword, server::Role::manager, kNow, HashCost::interactive)) return 1;
    }
    const auto start = steady_clock::now();
    if (!seed_year(dir / "server" / "heed.db", records, stores)) return 1;
    std::printf("seeded in %.0f s (straight into SQLite; no ANALYZE, as in production)\n",
                duration<double>(steady_clock::now() - start).count());
    std::ofstream(marker) << "seeded\n";
  } else {
    std::printf("reusing %s\n", dir.c_str());
  }
  std::ofstream(dir / "rules.json") << bench_rules(HEED_ASSETS_DIR, stores, area_size).dump(2);
  std::printf("heed.db: %.1f GB\n", static_cast<double>(fs::file_size(dir / "server" / "heed.db")) / 1e9);
  if (seed_only) {
    std::printf("%s\n", json{{"data_dir", fs::absolute(dir / "server").string()},
                             {"rules", fs::absolute(dir / "rules.json").string()},
                             {"username", "bench"},
                             {"password", kPassword},
                             {"records", records}}
                             .dump()
                             .c_str());
    return 0;
  }

  server::ServerOptions options;
  options.data_dir = dir / "server";
  options.port = 0;
  options.rules_file = dir / "rules.json";
  options.clock = [] { return kNow; };
  options.breach_scan_interval = hours(24);
  auto started = server::HeedServer::start(options);
  if (!started) {
    std::fprintf(stderr, "insight_bench: %s\n", started.error().message.c_str());
    return 1;
  }
  httplib::Client client("127.0.0.1", started.value()->port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(120, 0);
  auto login = client.Post("/api/v1/auth/login", json{{"username", "bench"}, {"password", kPassword}}.dump(),
                           "application/json");
  if (!login || login->status != 200) {
    std::fprintf(stderr, "insight_bench: sign-in failed\n");
    return 1;
  }
  const httplib::Headers auth{{"Authorization", "Bearer " + json::parse(login->body)["token"].get<std::string>()}};
  auto get = [&](const std::string& path) -> std::optional<json> {
    auto res = client.Get(path.c_str(), auth);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "insight_bench: GET %s: %d %s\n", path.c_str(), res ? res->status : 0,
                   res ? res->body.c_str() : "");
      return std::nullopt;
    }
    return json::parse(res->body);
  };

  // The rollups against their records: a year's feedback count, both ways.
  const std::int64_t today = secs(kNow) / kDay;
  const std::string year = "from=" + day_text(today - 364) + "&to=" + day_text(today);
  const std::string week = "from=" + day_text(today - 6) + "&to=" + day_text(today);
  {
    sqlite3* db = nullptr;
    sqlite3_open_v2((dir / "server" / "heed.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    // The seeded year starts at 10:00 on the day before the period's first.
    const std::int64_t counted = single(
        db, fmt::format("SELECT count(*) FROM records WHERE type = 'feedback' AND local_day >= {}", today - 364)
                .c_str());
    sqlite3_close(db);
    auto all = get("/api/v1/kpis?" + year);
    if (!all) return 1;
    const std::int64_t answered = (*all)["feedback"]["count"].get<std::int64_t>();
    std::printf("check: %lld feedback records, the API's year counts %lld\n", static_cast<long long>(counted),
                static_cast<long long>(answered));
    if (counted != answered) {
      std::fprintf(stderr, "insight_bench: the rollups disagree with the records\n");
      return 1;
    }
  }

  const std::vector<std::pair<std::string, std::string>> measures{
      {"tiles", "/api/v1/kpis?compare=previous&" + week},
      {"tiles year", "/api/v1/kpis?compare=previous&" + year},
      {"trend", "/api/v1/kpis/trend?grain=week&compare=previous&" + year},
      {"league", "/api/v1/kpis/stores?" + week},
      {"league year", "/api/v1/kpis/stores?" + year},
      {"pareto", "/api/v1/kpis/pareto?by=category&from=" + day_text(today - 29) + "&to=" + day_text(today)},
      {"store tiles", "/api/v1/kpis?compare=previous&store_id=" + store_id(7) + "&" + week},
      {"staff", "/api/v1/kpis/staff?" + week},
      {"comments", "/api/v1/comments?limit=10&" + week},
      {"detractors", "/api/v1/comments?limit=10&detractors=true&store_id=" + store_id(7) + "&" + week},
  };
  std::printf("%-12s %9s %9s  %s\n", "measure", "median ms", "p95 ms", "request");
  int status = 0;
  for (const auto& [name, path] : measures) {
    std::vector<double> ms;
    for (int i = 0; i < reps + 2; ++i) {
      const auto start = steady_clock::now();
      auto answer = get(path);
      const double elapsed = duration<double, std::milli>(steady_clock::now() - start).count();
      if (!answer) {
        status = 1;
        break;
      }
      if (i >= 2) ms.push_back(elapsed);  // the first two warm the caches
    }
    if (ms.empty()) continue;
    std::printf("%-12s %9.2f %9.2f  GET %s\n", name.c_str(), percentile(ms, 0.5), percentile(ms, 0.95),
                path.size() > 80 ? (path.substr(0, 77) + "...").c_str() : path.c_str());
  }
  std::printf("target: tiles, a year's trend by week, and the league each <= 300 ms\n");
  return status;
}
