// ingest_bench: how fast heed-server takes records, and how fast it answers KPIs.
//
//   1. batched: records/s for batches of 100 from 4 concurrent keep-alive clients
//   2. singles: requests/s for single-record batches from 4 keep-alive clients
//   3. raw:     the same rows inserted into SQLite in transactions of 100, no HTTP
//               (same schema and indexes, same synchronous setting), in the same run
//   4. kpis:    GET /api/v1/kpis over --kpi-records stored feedback records
//               (filled through Storage::ingest, then timed over HTTP)
//
// The server runs in-process on a loopback port; clients and server share the
// machine's cores, as they would not in production. Targets (2-core machine):
// batched >= 20,000 records/s and >= 50% of raw; kpis <= 100 ms.
//
// Exit status: 0 the run completed (targets are printed, not enforced); 1 a
// request failed or a record was not stored.
#include <fmt/format.h>
#include <httplib.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "heed/record_json.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"

#include <spdlog/spdlog.h>

using namespace heed;
using namespace std::chrono;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kStore = "MCR-01";
const char* const kTouchpoints[] = {"checkout", "fitting_rooms", "returns", "click_and_collect"};
const char* const kLanguages[] = {"en", "en", "en", "cy", "pl"};

double seconds_since(steady_clock::time_point start) { return duration<double>(steady_clock::now() - start).count(); }

// CPU time of the whole process (server and clients), user + system.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// Kiosk-like feedback: scores across the range, a comment on a third, contact
// details (with consent) on one in ten, so low scores open call-back cases.
std::vector<Record> make_feedback(std::size_t n, const std::string& device_id, std::uint32_t seed, Timestamp newest,
                                  std::chrono::seconds spread, int stores = 1) {
  std::mt19937 rng(seed);
  std::vector<Record> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Feedback f;
    f.header.id = new_uuid_v4();
    f.header.store_id =
        stores == 1 ? std::string(kStore) : fmt::format("S{:03}", rng() % static_cast<unsigned>(stores));
    f.header.device_id = device_id;
    f.header.created_at = newest - seconds(rng() % static_cast<unsigned>(spread.count()));
    f.csat = static_cast<int>(1 + rng() % 5);
    f.nps = static_cast<int>(rng() % 11);
    if (rng() % 10 == 0) f.csat.reset();
    if (rng() % 3 == 0) f.comment = "Quick checkout and friendly staff, but the queue for the fitting rooms was long.";
    f.language = kLanguages[rng() % 5];
    f.touchpoint = kTouchpoints[rng() % 4];
    if (rng() % 10 == 0)
      f.contact = Contact{"Ffion Łukasik", fmt::format("customer{}@example.co.uk", rng() % 100000), std::nullopt, true,
                          "2026-01", std::nullopt};
    out.push_back(std::move(f));
  }
  return out;
}

std::string batch_body(const std::vector<Record>& records, std::size_t from, std::size_t count) {
  std::string body = "{\"records\":[";
  for (std::size_t i = from; i < from + count && i < records.size(); ++i) {
    if (i > from) body += ',';
    body += to_json(records[i]).dump();
  }
  return body + "]}";
}

httplib::Client make_client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);  // without it each kept-alive request waits ~40 ms on Nagle and delayed ACK
  c.set_read_timeout(60, 0);
  return c;
}

// Posts pre-built bodies from `clients` threads; counts records accepted.
struct PostResult {
  double seconds = 0;
  std::size_t accepted = 0;
  std::size_t failures = 0;
};

PostResult post_all(int port, const std::vector<std::string>& bodies, const std::string& token, int clients) {
  std::atomic<std::size_t> next{0}, accepted{0}, failures{0};
  const httplib::Headers headers{{"Authorization", "Bearer " + token}};
  const auto start = steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      auto client = make_client(port);
      for (std::size_t i = next++; i < bodies.size(); i = next++) {
        auto res = client.Post("/api/v1/records", headers, bodies[i], "application/json");
        if (!res || res->status != 200) {
          ++failures;
          continue;
        }
        const json body = json::parse(res->body, nullptr, false);
        if (!body.is_object() || !body["rejected"].empty())
          ++failures;
        else
          accepted += body["accepted"].size();
      }
    });
  }
  for (auto& t : threads) t.join();
  return {seconds_since(start), accepted, failures};
}

// The same rows as ingest writes, straight into SQLite: one prepared INSERT,
// BEGIN IMMEDIATE / COMMIT around each 100.
double raw_insert(const fs::path& dir, const std::vector<server::RecordInput>& rows, bool durable, int batch) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "heed.db";
  {
    auto schema = server::open_sqlite_storage(file);  // the server's own schema and indexes
    if (!schema) throw std::runtime_error(schema.error().message);
  }
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  // The server's writer connection's settings (sqlite_storage.cpp).
  const std::string pragmas = std::string("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; ") +
                              "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 10000; PRAGMA synchronous = " +
                              (durable ? "FULL" : "NORMAL");
  sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO records (id, type, store_id, device_id, created_at, arrived_at, local_day, "
                     "touchpoint, csat, nps, resolved_first_contact, email, phone, body) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11, NULL, ?12)",
                     -1, &insert, nullptr);
  const auto arrived = now_utc().time_since_epoch().count();
  const auto start = steady_clock::now();
  for (std::size_t i = 0; i < rows.size(); i += static_cast<std::size_t>(batch)) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (std::size_t j = i; j < std::min(rows.size(), i + static_cast<std::size_t>(batch)); ++j) {
      const auto& f = std::get<Feedback>(rows[j].record);
      sqlite3_bind_text(insert, 1, f.header.id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, "feedback", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, f.header.store_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, f.header.device_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 5, f.header.created_at.time_since_epoch().count());
      sqlite3_bind_int64(insert, 6, arrived);
      sqlite3_bind_int64(insert, 7, rows[j].local_day);
      sqlite3_bind_text(insert, 8, f.touchpoint.c_str(), -1, SQLITE_STATIC);
      if (f.csat)
        sqlite3_bind_int(insert, 9, *f.csat);
      else
        sqlite3_bind_null(insert, 9);
      if (f.nps)
        sqlite3_bind_int(insert, 10, *f.nps);
      else
        sqlite3_bind_null(insert, 10);
      if (rows[j].customer_email)
        sqlite3_bind_text(insert, 11, rows[j].customer_email->c_str(), -1, SQLITE_STATIC);
      else
        sqlite3_bind_null(insert, 11);
      sqlite3_bind_text(insert, 12, rows[j].canonical.c_str(), -1, SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double elapsed = seconds_since(start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return elapsed;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Heed server ingest and KPI benchmark", "ingest_bench"};
  std::size_t records = 200000, singles = 20000, kpi_records = 1000000;
  int clients = 4, batch = 100, kpi_queries = 30, threads = 16;
  bool fast_commits = false, keep = false, only_kpis = false;
  std::string dir_text = HEED_BENCH_DEFAULT_DIR;
  cli.add_option("--records", records, "Records posted in batches")->capture_default_str();
  cli.add_option("--batch", batch, "Records per batch")->capture_default_str();
  cli.add_option("--clients", clients, "Concurrent keep-alive clients")->capture_default_str();
  cli.add_option("--singles", singles, "Single-record requests")->capture_default_str();
  cli.add_option("--kpi-records", kpi_records, "Feedback records stored before timing KPIs")->capture_default_str();
  cli.add_option("--kpi-queries", kpi_queries, "KPI requests timed per query shape")->capture_default_str();
  cli.add_option("--threads", threads, "Server request threads")->capture_default_str();
  cli.add_flag("--fast-commits", fast_commits,
               "No flush per commit, for the server and raw SQLite (default: durable, flushed)");
  cli.add_option("--dir", dir_text, "Scratch directory (emptied)")->capture_default_str();
  cli.add_flag("--keep", keep, "Leave the scratch directory (its databases) behind");
  cli.add_flag("--only-kpis", only_kpis, "Skip the ingest measures (1-3)");
  CLI11_PARSE(cli, argc, argv);
  const fs::path dir = dir_text;
  spdlog::set_level(spdlog::level::warn);  // one line per escalated case would drown the figures
  const bool durable = !fast_commits;
  int status = 0;

  fs::remove_all(dir);
  fs::create_directories(dir);
  server::ServerOptions options;
  options.data_dir = dir / "server";
  options.port = 0;
  options.rules_file = fs::path(HEED_ASSETS_DIR) / "rules/default.json";
  options.threads = threads;
  options.durable = durable;
  auto started = server::HeedServer::start(options);
  if (!started) {
    std::fprintf(stderr, "ingest_bench: %s\n", started.error().message.c_str());
    return 1;
  }
  auto& srv = *started.value();
  const int port = srv.port();

  // A device, enrolled as a store's would be.
  std::string token;
  {
    auto data = server::open_data_dir(options.data_dir).value();
    const auto code = server::issue_enrollment_code(data, kStore, now_utc()).value();
    auto client = make_client(port);
    auto res =
        client.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "bench"}}.dump(), "application/json");
    if (!res || res->status != 201) return 1;
    token = json::parse(res->body)["token"].get<std::string>();
  }
  const std::string device_id = "dev-bench";
  std::printf("ingest_bench: %s (%s), %d server threads, %d clients, %u cores\n",
              durable ? "durable commits" : "fast commits",
              durable ? "server: WAL flushed before each answer; raw: synchronous=FULL" : "synchronous=NORMAL", threads,
              clients, std::thread::hardware_concurrency());

  if (!only_kpis) {
    // 1. Batches of `batch` from `clients` clients.
    // Made in the last minutes, as a store's devices send them: no deadline is
    // already past, so the scheduler has nothing to catch up on meanwhile.
    const auto batched_records = make_feedback(records, device_id, 1, now_utc(), minutes(10));
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < batched_records.size(); i += static_cast<std::size_t>(batch))
      bodies.push_back(batch_body(batched_records, i, static_cast<std::size_t>(batch)));
    const double cpu_before = cpu_seconds();
    const auto batched = post_all(port, bodies, token, clients);
    const double batched_cpu = cpu_seconds() - cpu_before;
    const double batched_rate = static_cast<double>(batched.accepted) / batched.seconds;
    std::printf("batched  %zu records in batches of %d: %.2f s, %.0f records/s (%zu accepted, %zu failed requests)\n",
                records, batch, batched.seconds, batched_rate, batched.accepted, batched.failures);
    std::printf("         CPU (server and clients together): %.1f us a record\n",
                1e6 * batched_cpu / static_cast<double>(records));
    if (batched.failures > 0 || batched.accepted != records) status = 1;

    // 2. One record a request, kept alive.
    const auto single_records = make_feedback(singles, device_id, 2, now_utc(), minutes(10));
    std::vector<std::string> single_bodies;
    for (std::size_t i = 0; i < single_records.size(); ++i) single_bodies.push_back(batch_body(single_records, i, 1));
    const auto single = post_all(port, single_bodies, token, clients);
    std::printf("singles  %zu one-record requests: %.2f s, %.0f requests/s (%zu failed)\n", singles, single.seconds,
                static_cast<double>(singles) / single.seconds, single.failures);
    if (single.failures > 0) status = 1;

    // 3. The same rows into SQLite directly.
    std::vector<server::RecordInput> rows;
    rows.reserve(batched_records.size());
    for (const auto& r : batched_records) rows.push_back(srv.workflow().prepare(r));
    const double raw_seconds = raw_insert(dir / "raw", rows, durable, batch);
    const double raw_rate = static_cast<double>(rows.size()) / raw_seconds;
    std::printf("raw      %zu rows straight into SQLite in transactions of %d: %.2f s, %.0f rows/s\n", rows.size(),
                batch, raw_seconds, raw_rate);
    std::printf("         batched HTTP ingest is %.0f%% of the raw SQLite rate (target >= 50%%); %s 20,000 records/s\n",
                100.0 * batched_rate / raw_rate, batched_rate >= 20000 ? "meets" : "MISSES");
  }

  // 4. KPIs over kpi_records stored feedback records: top up through the
  // storage interface (no HTTP: this part measures reading), then time GETs.
  const std::size_t stored = srv.storage().stats(now_utc())->records;
  std::size_t remaining = kpi_records > stored ? kpi_records - stored : 0;
  const auto fill_start = steady_clock::now();
  const auto policy = srv.workflow().ingest_policy(now_utc());
  std::uint32_t seed = 3;
  while (remaining > 0) {
    const std::size_t n = std::min<std::size_t>(remaining, 5000);
    auto chunk = make_feedback(n, device_id, seed++, now_utc(), days(365), 50);
    std::vector<server::RecordInput> inputs;
    inputs.reserve(n);
    for (auto& r : chunk) inputs.push_back(srv.workflow().prepare(std::move(r)));
    if (!srv.storage().ingest(inputs, now_utc(), policy)) return 1;
    remaining -= n;
  }
  std::printf("kpis     %zu records stored (%.1f s to top up)\n", srv.storage().stats(now_utc())->records,
              seconds_since(fill_start));
  {
    auto data = server::open_data_dir(options.data_dir).value();
    (void)server::create_user(data, "bench", "bench password 123", server::Role::manager, now_utc(),
                              HashCost::interactive);
  }
  auto client = make_client(port);
  auto login =
      client.Post("/api/v1/auth/login", R"({"username":"bench","password":"bench password 123"})", "application/json");
  if (!login || login->status != 200) return 1;
  const httplib::Headers auth{{"Authorization", "Bearer " + json::parse(login->body)["token"].get<std::string>()}};
  const Date today = utc_date(now_utc());
  const Date month_ago = utc_date(now_utc() - days(30));
  for (const std::string& query : {std::string("/api/v1/kpis"), std::string("/api/v1/kpis?store_id=S007"),
                                   "/api/v1/kpis?from=" + format_date(month_ago) + "&to=" + format_date(today),
                                   std::string("/api/v1/kpis?touchpoint=returns")}) {
    std::vector<double> ms;
    for (int i = 0; i < kpi_queries; ++i) {
      const auto start = steady_clock::now();
      auto res = client.Get(query.c_str(), auth);
      ms.push_back(1000 * seconds_since(start));
      if (!res || res->status != 200) status = 1;
    }
    std::printf("         GET %-48s median %.2f ms, max %.2f ms (target <= 100 ms)\n", query.c_str(), median(ms),
                *std::max_element(ms.begin(), ms.end()));
  }
  // For comparison: the same sums straight from the records table, as a query
  // without the daily rollup would have to.
  {
    sqlite3* db = nullptr;
    sqlite3_open_v2((options.data_dir / "heed.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    const auto start = steady_clock::now();
    sqlite3_exec(db,
                 "SELECT count(*), count(csat), total(csat), total(csat >= 4), count(nps), total(nps >= 9), "
                 "total(nps BETWEEN 7 AND 8), total(nps <= 6) FROM records WHERE type = 'feedback'",
                 nullptr, nullptr, nullptr);
    std::printf("         (the same sums scanned from the records table instead: %.0f ms)\n",
                1000 * seconds_since(start));
    sqlite3_close(db);
  }
  srv.stop();
  if (!keep) fs::remove_all(dir);
  return status;
}
