// store_bench: the device store's durability cost against the disk's own.
//
// Issue targets: durable single-record saves with p99 at most 2x the p99 of a
// raw write+fsync of a same-sized block on the same disk; reading 10,000
// pending outbox entries for a sync batch in at most 20 ms.
//
// In one run, in a fresh folder under --dir (default: the build tree, so the
// project's disk):
//   1. saves --saves realistic Feedback records one at a time with
//      DeviceStore::save, timing each (after a few untimed warm-up saves);
//   2. appends a block the size of the median record's canonical JSON to a
//      plain file with write(2)+fsync(2), --saves times, timing each;
//   3. fills another store with --fill pending entries and times
//      pending_entries(fill) and claim_batch(fill, 1 GiB, now) --reads times
//      each (claimed entries go back to pending, untimed, between runs).
// Prints the machine, a table with PASS/FAIL per target, and the slowest saves
// with their positions (a regular gap between them points at periodic work such
// as WAL checkpoints). Exit status: 0, or 1 on an error; with --strict also 1
// when a target is missed.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "heed/device_store.hpp"
#include "heed/model.hpp"
#include "heed/record_json.hpp"
#include "heed/time.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir = HEED_BENCH_DEFAULT_DIR;
  int saves = 2000;
  int warmup = 50;
  int fill = 10000;
  int reads = 7;
  std::uint64_t seed = 1;
  bool keep = false;
  bool strict = false;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Nearest-rank percentile of sorted samples, p in (0, 100].
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

struct Summary {
  double median = 0, p99 = 0, max = 0, total = 0;
};
Summary summarise(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Summary s;
  s.median = percentile(samples, 50);
  s.p99 = percentile(samples, 99);
  s.max = samples.empty() ? 0 : samples.back();
  s.total = std::accumulate(samples.begin(), samples.end(), 0.0);
  return s;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(1);
}

// ---- The machine --------------------------------------------------------------
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

// /proc/self/mounts escapes space, tab, newline and backslash as \ooo.
std::string unescape_mount(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "ext4 /dev/vda on / (rw,relatime)": the mount holding `dir`.
std::string filesystem_of(const fs::path& dir) {
  const std::string target = fs::weakly_canonical(dir).string();
  std::ifstream in("/proc/self/mounts");
  std::string best_point, best;
  for (std::string source, point, type, options, rest; in >> source >> point >> type >> options;) {
    std::getline(in, rest);
    point = unescape_mount(point);
    const bool contains = target == point || point == "/" ||
                          (target.rfind(point, 0) == 0 && target.size() > point.size() && target[point.size()] == '/');
    if (contains && point.size() >= best_point.size()) {
      best_point = point;
      best = type + " " + unescape_mount(source) + " on " + point + " (" + options + ")";
    }
  }
  return best.empty() ? "unknown" : best;
}

// ---- Records --------------------------------------------------------------------
// Kiosk feedback as stores see it: scores, often a comment of a sentence or a
// few, sometimes contact details.
class FeedbackMaker {
 public:
  explicit FeedbackMaker(std::uint64_t seed) : rng_(seed) {}

  heed::Record next() {
    heed::Feedback f;
    f.header = heed::RecordHeader{heed::new_uuid_v4(), "MCR-01", "device-mcr-k2", heed::now_utc()};
    if (chance(85)) f.csat = uniform(1, 5);
    if (!f.csat || chance(60)) f.nps = uniform(0, 10);
    if (chance(55)) {
      static constexpr const char* kSentences[] = {
          "The queue at the tills was long at lunchtime. ",
          "Staff on the bakery counter were very helpful. ",
          "Self-checkout kept asking for assistance with the scales. ",
          "Could not find gluten-free bread anywhere on the shelves. ",
          "Car park was full and the trolley bay was overflowing. ",
          "Lovely clean store, easy to find everything today. ",
      };
      std::string comment;
      for (int n = uniform(1, 5); n > 0; --n) comment += kSentences[uniform(0, 5)];
      f.comment = comment;
    }
    f.language = chance(85) ? "en" : (chance(50) ? "cy" : "pl");
    f.touchpoint = chance(70) ? "checkout" : "customer_service";
    if (chance(25)) {
      heed::Contact c;
      c.name = "Sam Shopper";
      c.email = "sam.shopper" + std::to_string(uniform(1, 9999)) + "@example.com";
      c.consent = true;
      c.notice_version = "2026-01";
      f.contact = c;
    }
    return f;
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return uniform(0, 99) < percent; }
  std::mt19937_64 rng_;
};

heed::DeviceStore open_store(const fs::path& file) {
  auto opened = heed::DeviceStore::open(file);
  if (!opened.ok()) die("open " + file.string() + ": " + opened.error().message);
  return std::move(opened).value();
}

// ---- 1. Durable saves -------------------------------------------------------------
struct SaveRun {
  std::vector<double> latencies_ms;  // measured saves, in order
  double wall_ms = 0;
  std::size_t block_bytes = 0;  // median canonical JSON size
};

SaveRun bench_saves(const fs::path& dir, const Options& options) {
  FeedbackMaker maker(options.seed);
  const auto total = static_cast<std::size_t>(options.warmup + options.saves);
  std::vector<heed::Record> records;
  std::vector<std::size_t> sizes;
  records.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    records.push_back(maker.next());
    sizes.push_back(heed::to_canonical_json(records.back()).size());
  }
  std::sort(sizes.begin(), sizes.end());

  SaveRun run;
  run.block_bytes = sizes[sizes.size() / 2];
  heed::DeviceStore store = open_store(dir / "saves.db");
  for (int i = 0; i < options.warmup; ++i) {
    if (auto saved = store.save(records[static_cast<std::size_t>(i)]); !saved.ok())
      die("save: " + saved.error().message);
  }
  run.latencies_ms.reserve(static_cast<std::size_t>(options.saves));
  const auto started = Clock::now();
  for (std::size_t i = static_cast<std::size_t>(options.warmup); i < total; ++i) {
    const auto t0 = Clock::now();
    const auto saved = store.save(records[i]);
    run.latencies_ms.push_back(ms_since(t0));
    if (!saved.ok()) die("save: " + saved.error().message);
  }
  run.wall_ms = ms_since(started);
  return run;
}

// ---- 2. Raw write+fsync --------------------------------------------------------------
std::vector<double> bench_fsync(const fs::path& dir, std::size_t block_bytes, const Options& options) {
  const fs::path file = dir / "raw-fsync.bin";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) die("open " + file.string() + ": " + std::strerror(errno));
  const std::string block(block_bytes, 'x');
  auto append = [&] {
    const ssize_t written = ::write(fd, block.data(), block.size());
    if (written != static_cast<ssize_t>(block.size())) die(std::string("write: ") + std::strerror(errno));
    if (::fsync(fd) != 0) die(std::string("fsync: ") + std::strerror(errno));
  };
  for (int i = 0; i < options.warmup; ++i) append();
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(options.saves));
  for (int i = 0; i < options.saves; ++i) {
    const auto t0 = Clock::now();
    append();
    latencies.push_back(ms_since(t0));
  }
  ::close(fd);
  return latencies;
}

// ---- 3. Reading a sync batch -----------------------------------------------------------
struct ReadRun {
  std::vector<double> pending_ms, claim_ms;
  double fill_ms = 0;
};

ReadRun bench_reads(const fs::path& dir, const Options& options) {
  ReadRun run;
  heed::DeviceStore store = open_store(dir / "outbox.db");
  FeedbackMaker maker(options.seed + 1);
  const auto fill = static_cast<std::size_t>(options.fill);
  const auto filling = Clock::now();
  std::vector<heed::Record> chunk;
  for (std::size_t done = 0; done < fill;) {
    chunk.clear();
    for (; chunk.size() < 500 && done < fill; ++done) chunk.push_back(maker.next());
    if (auto saved = store.save_all(chunk); !saved.ok()) die("save_all: " + saved.error().message);
  }
  run.fill_ms = ms_since(filling);

  for (int i = 0; i < options.reads; ++i) {
    const auto t0 = Clock::now();
    auto entries = store.pending_entries(fill);
    run.pending_ms.push_back(ms_since(t0));
    if (!entries.ok()) die("pending_entries: " + entries.error().message);
    if (entries->size() != fill)
      die("pending_entries returned " + std::to_string(entries->size()) + " of " + std::to_string(fill));
  }
  for (int i = 0; i < options.reads; ++i) {
    const auto t0 = Clock::now();
    auto batch = store.claim_batch(fill, std::size_t{1} << 30, heed::unix_ms_now());
    run.claim_ms.push_back(ms_since(t0));
    if (!batch.ok()) die("claim_batch: " + batch.error().message);
    if (batch->size() != fill)
      die("claim_batch returned " + std::to_string(batch->size()) + " of " + std::to_string(fill));
    std::vector<std::string> ids;
    ids.reserve(batch->size());
    for (const auto& entry : batch.value()) ids.push_back(entry.record_id);
    if (auto retried = store.mark_retry(ids, "store_bench", 0); !retried.ok())
      die("mark_retry: " + retried.error().message);
  }
  return run;
}

// The slowest saves with their positions and the gaps between them.
void print_slowest(const std::vector<double>& latencies, double threshold_ms) {
  std::vector<std::size_t> slow;
  for (std::size_t i = 0; i < latencies.size(); ++i)
    if (latencies[i] > threshold_ms) slow.push_back(i);
  std::printf("\nsaves over %.2f ms (2x raw fsync p99): %zu of %zu\n", threshold_ms, slow.size(), latencies.size());
  const std::size_t shown = std::min<std::size_t>(slow.size(), 40);
  if (shown == 0) return;
  std::printf("  position:latency_ms (gap since previous)\n  ");
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t i = slow[k];
    if (k == 0)
      std::printf("%zu:%.2f", i, latencies[i]);
    else
      std::printf("  %zu:%.2f (+%zu)", i, latencies[i], i - slow[k - 1]);
    if (k % 6 == 5) std::printf("\n  ");
  }
  std::printf("\n");
}

const char* verdict(bool pass) { return pass ? "PASS" : "FAIL"; }

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"store_bench: device store save latency against raw write+fsync, and sync-batch reads"};
  app.add_option("--dir", options.dir, "folder on the disk to measure (a fresh subfolder is made)");
  app.add_option("--saves", options.saves, "timed single-record saves, and raw fsyncs")->check(CLI::PositiveNumber);
  app.add_option("--warmup", options.warmup, "untimed saves (and fsyncs) first")->check(CLI::NonNegativeNumber);
  app.add_option("--fill", options.fill, "pending entries to read as one sync batch")->check(CLI::PositiveNumber);
  app.add_option("--reads", options.reads, "timed reads of the batch")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "seed of the record contents");
  app.add_flag("--keep", options.keep, "keep the databases and the fsync file");
  app.add_flag("--strict", options.strict, "exit 1 when a target is missed");
  CLI11_PARSE(app, argc, argv);

  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) die("create " + options.dir + ": " + ec.message());
  const fs::path dir = fs::path(options.dir) / ("store_bench-" + std::to_string(::getpid()));
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) die("create " + dir.string() + ": " + ec.message());

  utsname uts{};
  ::uname(&uts);
  std::printf("store_bench\n");
  std::printf("  machine     %ld cpus, %s, Linux %s\n", ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(),
              uts.release);
  std::printf("  folder      %s\n", dir.c_str());
  std::printf("  filesystem  %s\n", filesystem_of(dir).c_str());
  std::printf("  sizes       %d saves (+%d warm-up), %d pending entries read %d times\n", options.saves, options.warmup,
              options.fill, options.reads);
  std::fflush(stdout);

  const SaveRun saves = bench_saves(dir, options);
  const std::vector<double> raw = bench_fsync(dir, saves.block_bytes, options);
  const ReadRun reads = bench_reads(dir, options);

  const Summary save = summarise(saves.latencies_ms);
  const Summary fsync = summarise(raw);
  const Summary pending = summarise(reads.pending_ms);
  const Summary claim = summarise(reads.claim_ms);
  const double ratio = fsync.p99 > 0 ? save.p99 / fsync.p99 : 0;
  const bool save_ok = ratio <= 2.0;
  const bool pending_ok = pending.median <= 20.0;
  const bool claim_ok = claim.median <= 20.0;

  std::printf("\n%-44s %10s %10s %10s\n", "", "median", "p99", "max");
  std::printf("%-44s %7.3f ms %7.3f ms %7.3f ms\n", "DeviceStore::save (durable, 1 record)", save.median, save.p99,
              save.max);
  std::printf("%-44s %7.3f ms %7.3f ms %7.3f ms\n",
              ("write+fsync, " + std::to_string(saves.block_bytes) + " B appended").c_str(), fsync.median, fsync.p99,
              fsync.max);
  std::printf("%-44s %7.3f ms %10s %7.3f ms\n", ("pending_entries(" + std::to_string(options.fill) + ")").c_str(),
              pending.median, "", pending.max);
  std::printf("%-44s %7.3f ms %10s %7.3f ms\n", ("claim_batch(" + std::to_string(options.fill) + ", 1 GiB)").c_str(),
              claim.median, "", claim.max);
  std::printf("\nsaves/s (one at a time)     %.0f\n", 1000.0 * static_cast<double>(options.saves) / saves.wall_ms);
  std::printf("fill of %d entries         %.0f ms (save_all, 500 a transaction)\n", options.fill, reads.fill_ms);
  std::printf("\ntarget  p99 save <= 2x p99 write+fsync   %.2fx   %s\n", ratio, verdict(save_ok));
  std::printf("target  read %d pending <= 20 ms       %.2f ms  %s\n", options.fill, pending.median,
              verdict(pending_ok));
  std::printf("        claim_batch of %d (same target) %.2f ms  %s\n", options.fill, claim.median, verdict(claim_ok));
  print_slowest(saves.latencies_ms, 2.0 * fsync.p99);

  if (!options.keep) fs::remove_all(dir, ec);
  return options.strict && !(save_ok && pending_ok && claim_ok) ? 1 : 0;
}
