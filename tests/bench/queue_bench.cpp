// queue_bench: head office's queue on a million cases (issue 13: a queue page,
// counts included, answers in <= 50 ms).
//
// Seeds --cases cases across --stores stores (areas of --area-size stores in a
// rules file of its own) with one record and one history event each, then
// times, through the real HTTP server in-process on a loopback port and a
// signed-in chain-wide manager:
//   1. open:      the open tab's first page (GET /api/v1/cases?limit=50), counts included
//   2. filtered:  one area and severity high
//   3. deep:      the open tab's page 200 by cursor (cases 9,951-10,000)
//   4. closed:    the closed tab's first page (latest resolved first)
//   5. q:         the open tab with text in the reference (its trigram index)
//   6. reference: GET /api/v1/cases/find?reference=... (typed in lower case, no dashes)
//   7. detail:    GET /api/v1/cases/{id} (the case, its history and record)
// and prints the median and p95 of --reps requests each, with the machine.
//
// Seeding does not go through the API (a million ingests would take the run;
// the generator is queue_seed.hpp, shared with workspace_seed):
// the rows are written straight into the server's SQLite file (heed.db, made
// and migrated by open_data_dir first) in transactions of 50,000, each case with
// its next_due as next_due() computes it. The mix, at a fixed "now": 90% closed
// over two years; of the open 10%, about 15% breached, 8% waiting on the
// customer, 5% scheduled follow-ups, 40% assigned; 8% repeats; levels 60/30/10%
// store/area/head office; complaints 20% high severity. --reuse keeps a seeded
// directory with the same sizes between runs.
//
// Exit status: 0 the run completed (the target is printed, not enforced); 1 a
// request failed or seeding failed.
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "heed/reference.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"
#include "queue_seed.hpp"

using namespace heed;
using namespace heed::bench;
using namespace std::chrono;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "bench password 123";
const Timestamp kNow = *parse_timestamp("2026-11-23T10:00:00Z");

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Heed server queue benchmark", "queue_bench"};
  int cases = 1000000, stores = 2000, area_size = 20, reps = 40;
  bool reuse = false;
  std::string dir_text = HEED_BENCH_DEFAULT_DIR;
  cli.add_option("--cases", cases, "Cases seeded")->capture_default_str();
  cli.add_option("--stores", stores, "Stores they are spread over")->capture_default_str();
  cli.add_option("--area-size", area_size, "Stores per area")->capture_default_str();
  cli.add_option("--reps", reps, "Requests timed per measure")->capture_default_str();
  cli.add_option("--dir", dir_text, "Scratch directory")->capture_default_str();
  cli.add_flag("--reuse", reuse, "Keep a directory seeded with the same sizes instead of seeding again");
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  const fs::path dir = dir_text;
  const fs::path marker = dir / fmt::format("seeded-{}-{}-{}", cases, stores, area_size);
  std::printf("queue_bench: %d cases, %d stores, areas of %d; machine: %s\n", cases, stores, area_size,
              machine().c_str());

  const json rules = bench_rules(HEED_ASSETS_DIR, stores, area_size);

  Seeded seeded;
  if (!(reuse && fs::exists(marker))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
      auto data = server::open_data_dir(dir / "server");
      if (!data) {
        std::fprintf(stderr, "queue_bench: %s\n", data.error().message.c_str());
        return 1;
      }
      if (!server::create_user(*data, "bench", kPassword, server::Role::manager, kNow, HashCost::interactive)) return 1;
    }
    const auto start = steady_clock::now();
    if (!seed(dir / "server" / "heed.db", cases, stores, seeded, kNow)) return 1;
    std::printf("seeded in %.0f s (straight into SQLite; no ANALYZE, as in production)\n",
                duration<double>(steady_clock::now() - start).count());
    std::ofstream(marker) << json{{"reference", seeded.reference}, {"case_id", seeded.case_id}}.dump();
  } else {
    const json m = json::parse(std::ifstream(marker));
    seeded.reference = m["reference"];
    seeded.case_id = m["case_id"];
    std::printf("reusing %s\n", dir.c_str());
  }
  std::ofstream(dir / "rules.json") << rules.dump(2);

  server::ServerOptions options;
  options.data_dir = dir / "server";
  options.port = 0;
  options.rules_file = dir / "rules.json";
  options.clock = [] { return kNow; };
  options.breach_scan_interval = hours(24);  // the seeded breaches stay as seeded while timing
  auto started = server::HeedServer::start(options);
  if (!started) {
    std::fprintf(stderr, "queue_bench: %s\n", started.error().message.c_str());
    return 1;
  }
  httplib::Client client("127.0.0.1", started.value()->port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(60, 0);
  auto login = client.Post("/api/v1/auth/login", json{{"username", "bench"}, {"password", kPassword}}.dump(),
                           "application/json");
  if (!login || login->status != 200) {
    std::fprintf(stderr, "queue_bench: sign-in failed\n");
    return 1;
  }
  const httplib::Headers auth{{"Authorization", "Bearer " + json::parse(login->body)["token"].get<std::string>()}};
  auto get = [&](const std::string& path) -> std::optional<json> {
    auto res = client.Get(path.c_str(), auth);
    if (!res || res->status != 200) {
      std::fprintf(stderr, "queue_bench: GET %s: %d %s\n", path.c_str(), res ? res->status : 0,
                   res ? res->body.c_str() : "");
      return std::nullopt;
    }
    return json::parse(res->body);
  };

  // Page 200 of the open tab: the cursor after page 199 (untimed); a small run
  // has fewer pages and takes its last.
  std::string cursor;
  int deep_page = 1;
  for (; deep_page < 200; ++deep_page) {
    auto answer = get("/api/v1/cases?limit=50" + (cursor.empty() ? "" : "&cursor=" + cursor));
    if (!answer) return 1;
    if ((*answer)["next_cursor"].is_null()) break;
    cursor = (*answer)["next_cursor"];
  }
  std::string typed = seeded.reference;
  std::erase(typed, '-');
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::vector<std::pair<std::string, std::string>> measures{
      {"open", "/api/v1/cases?limit=50"},
      {"filtered", "/api/v1/cases?limit=50&area=" + area_id(std::min(17, (stores - 1) / area_size)) + "&severity=high"},
      {fmt::format("page {}", deep_page), "/api/v1/cases?limit=50&cursor=" + cursor},
      {"closed", "/api/v1/cases?limit=50&status=closed"},
      {"q", "/api/v1/cases?limit=50&q=" + seeded.reference.substr(7, 4)},
      {"reference", "/api/v1/cases/find?reference=" + typed},
      {"detail", fmt::format("/api/v1/cases/{}", seeded.case_id)},
  };
  if (auto first = get(measures[0].second)) std::printf("counts (chain): %s\n", (*first)["counts"].dump().c_str());
  std::printf("%-10s %9s %9s %7s  %s\n", "measure", "median ms", "p95 ms", "cases", "request");
  int status = 0;
  for (const auto& [name, path] : measures) {
    std::vector<double> ms;
    std::size_t found = 0;
    for (int i = 0; i < reps + 3; ++i) {
      const auto start = steady_clock::now();
      auto answer = get(path);
      const double elapsed = duration<double, std::milli>(steady_clock::now() - start).count();
      if (!answer) {
        status = 1;
        break;
      }
      found = answer->contains("cases") ? (*answer)["cases"].size() : 1;
      if (i >= 3) ms.push_back(elapsed);  // the first three warm the caches
    }
    if (ms.empty()) continue;
    std::printf("%-10s %9.2f %9.2f %7zu  GET %s\n", name.c_str(), percentile(ms, 0.5), percentile(ms, 0.95), found,
                path.size() > 70 ? (path.substr(0, 67) + "...").c_str() : path.c_str());
  }
  std::printf("target: a queue page (open, filtered, deep), counts included, <= 50 ms\n");
  return status;
}
