// store_bench: the device store's durability cost against the disk's own.
//
// Issue targets: durable single-record saves with p99 at most 2x the p99 of a
// raw write+fsync of a same-sized block on the same disk; reading 10,000
// pending outbox entries for a sync batch in at most 20 ms.
//
// In one run, in a fresh folder under --dir (default: the build tree, so the
// project's disk):
//   1. saves --saves realistic Feedback records one at a time with
//      DeviceStore::save, timing each (after --warmup untimed saves), and after
//      each save appends a block the size of the median record's canonical JSON
//      to a plain file with write(2)+fsync(2), timing that too. Alternating
//      keeps the comparison fair on a disk whose latency drifts (a throttled
//      virtual disk can switch between ~0.5 ms and ~4 ms per flush within a
//      run); --sequential does all saves first, then all the fsyncs;
//   2. fills another store with --fill pending entries and times
//      pending_entries(fill) and claim_batch(fill, 1 GiB, now) --reads times
//      each (claimed entries go back to pending, untimed, between runs).
// Prints the machine, a table with PASS/FAIL per target, which saves ran a WAL
// checkpoint (read from the WAL header's restart counter) and the slowest
// saves with their positions. For trying a change to checkpointing without
// touching core/: --background-checkpoint N has another connection run PASSIVE
// checkpoints every N ms during the saves, and --pace N pauses N ms between
// saves, as a kiosk has between people.
// Exit status: 0, or 1 on an error; with --strict also 1 when a target is missed.
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <thread>
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
  int background_checkpoint_ms = 0;  // 0: off
  int pace_ms = 0;                   // pause between saves (0: back to back)
  std::uint64_t seed = 1;
  bool keep = false;
  bool strict = false;
  bool sequential = false;  // all saves, then all raw fsyncs (default: alternate them)
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

// ---- WAL diagnostics --------------------------------------------------------------
// The store's WAL file as SQLite's file format defines it: a 32-byte header whose
// bytes 12-15 (big-endian) count WAL restarts, then frames of 24 + page_size bytes.
// SQLite restarts the WAL in the first commit after a complete checkpoint; the
// saving connection runs auto-checkpoints at the end of a commit, so a restart
// seen after save i means save i-1 ran a checkpoint (or, with
// --background-checkpoint, that the background connection did).
class WalWatch {
 public:
  explicit WalWatch(const fs::path& db) : wal_(db.string() + "-wal") {
    fd_ = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
    const int db_fd = ::open(db.c_str(), O_RDONLY | O_CLOEXEC);
    unsigned char header[2] = {0, 0};
    if (db_fd >= 0 && ::pread(db_fd, header, 2, 16) == 2) {
      const unsigned size = (unsigned{header[0]} << 8) | header[1];
      page_size_ = size == 1 ? 65536 : size;
    }
    if (db_fd >= 0) ::close(db_fd);
  }
  ~WalWatch() {
    if (fd_ >= 0) ::close(fd_);
  }
  WalWatch(const WalWatch&) = delete;
  WalWatch& operator=(const WalWatch&) = delete;

  std::optional<std::uint32_t> restarts() const {
    unsigned char b[4];
    if (fd_ < 0 || ::pread(fd_, b, 4, 12) != 4) return std::nullopt;
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
  }
  // Frames the WAL file has room for: the most it has ever held.
  std::uint64_t peak_frames() const {
    std::error_code ec;
    const auto size = fs::file_size(wal_, ec);
    if (ec || size < 32 || page_size_ == 0) return 0;
    return (size - 32) / (page_size_ + 24);
  }
  unsigned page_size() const { return page_size_; }

 private:
  fs::path wal_;
  int fd_ = -1;
  unsigned page_size_ = 0;
};

// A candidate core change, to measure: checkpoint the WAL from another
// connection on another thread (PASSIVE: it never blocks the writer), so that
// the saving connection's WAL need not reach its auto-checkpoint threshold.
// The WAL restarts only at a commit that finds every frame checkpointed, so this
// helps when saves leave gaps (--pace); with back-to-back saves it never catches
// up and the saver still checkpoints at 1000 frames.
class BackgroundCheckpointer {
 public:
  BackgroundCheckpointer(const fs::path& db, std::chrono::milliseconds every) : every_(every) {
    if (sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      die(std::string("background checkpointer: ") + sqlite3_errmsg(db_));
    sqlite3_exec(db_, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { run(); });
  }
  ~BackgroundCheckpointer() {
    stop();
    sqlite3_close(db_);
  }
  // Ends the thread; the counts below are read after this.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  int checkpoints() const { return checkpoints_; }
  const std::vector<double>& durations_ms() const { return durations_ms_; }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
      const auto t0 = Clock::now();
      int log_frames = 0, checkpointed = 0;
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &checkpointed) == SQLITE_OK &&
          checkpointed > 0) {
        ++checkpoints_;
        durations_ms_.push_back(ms_since(t0));
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  int checkpoints_ = 0;  // read after stop()
  std::vector<double> durations_ms_;
  std::thread thread_;
};

// ---- Raw write+fsync ------------------------------------------------------------------
// Appends a block to a plain file and fsyncs it: the disk's own cost of one
// durable write, for comparison with a save.
class RawAppender {
 public:
  RawAppender(const fs::path& file, std::size_t block_bytes) : block_(block_bytes, 'x') {
    fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) die("open " + file.string() + ": " + std::strerror(errno));
  }
  ~RawAppender() { ::close(fd_); }
  RawAppender(const RawAppender&) = delete;
  RawAppender& operator=(const RawAppender&) = delete;

  // One write+fsync; its latency in ms.
  double append() {
    const auto t0 = Clock::now();
    const ssize_t written = ::write(fd_, block_.data(), block_.size());
    if (written != static_cast<ssize_t>(block_.size())) die(std::string("write: ") + std::strerror(errno));
    if (::fsync(fd_) != 0) die(std::string("fsync: ") + std::strerror(errno));
    return ms_since(t0);
  }

 private:
  std::string block_;
  int fd_ = -1;
};

// ---- 1. Durable saves (and, interleaved, raw write+fsync)
// -------------------------------------------------------------
struct SaveRun {
  std::vector<double> latencies_ms;  // measured saves, in order
  std::vector<double> raw_ms;        // write+fsync of a same-sized block, one after each save (or all after)
  std::vector<bool> ran_checkpoint;  // per measured save: the WAL restarted right after it
  std::size_t block_bytes = 0;       // median canonical JSON size
  std::uint64_t wal_peak_frames = 0;
  unsigned page_size = 0;
  int background_checkpoints = 0;
  std::vector<double> background_ms;
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
  const fs::path file = dir / "saves.db";
  heed::DeviceStore store = open_store(file);
  RawAppender raw(dir / "raw-fsync.bin", run.block_bytes);
  for (int i = 0; i < options.warmup; ++i) {
    if (auto saved = store.save(records[static_cast<std::size_t>(i)]); !saved.ok())
      die("save: " + saved.error().message);
    raw.append();
  }
  const WalWatch wal(file);
  std::optional<BackgroundCheckpointer> checkpointer;
  if (options.background_checkpoint_ms > 0)
    checkpointer.emplace(file, std::chrono::milliseconds(options.background_checkpoint_ms));

  run.latencies_ms.reserve(static_cast<std::size_t>(options.saves));
  run.ran_checkpoint.assign(static_cast<std::size_t>(options.saves), false);
  auto restarts = wal.restarts();
  for (std::size_t i = static_cast<std::size_t>(options.warmup); i < total; ++i) {
    const auto t0 = Clock::now();
    const auto saved = store.save(records[i]);
    run.latencies_ms.push_back(ms_since(t0));
    if (!saved.ok()) die("save: " + saved.error().message);
    const auto now_restarts = wal.restarts();
    const std::size_t measured = run.latencies_ms.size() - 1;
    if (now_restarts != restarts && measured > 0) run.ran_checkpoint[measured - 1] = true;
    restarts = now_restarts;
    if (!options.sequential) run.raw_ms.push_back(raw.append());
    if (options.pace_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options.pace_ms));
  }
  if (checkpointer) {
    checkpointer->stop();
    run.background_checkpoints = checkpointer->checkpoints();
    run.background_ms = checkpointer->durations_ms();
  }
  run.wal_peak_frames = wal.peak_frames();
  run.page_size = wal.page_size();
  if (options.sequential)
    for (int i = 0; i < options.saves; ++i) run.raw_ms.push_back(raw.append());
  return run;
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

// The slowest saves with their positions and the gaps between them; "ckpt"
// marks a save that ran a WAL checkpoint.
void print_slowest(const SaveRun& run, bool background, double threshold_ms) {
  const auto& latencies = run.latencies_ms;
  std::vector<std::size_t> slow;
  for (std::size_t i = 0; i < latencies.size(); ++i)
    if (latencies[i] > threshold_ms) slow.push_back(i);
  std::printf("\nsaves over %.2f ms (2x raw fsync p99): %zu of %zu\n", threshold_ms, slow.size(), latencies.size());
  const std::size_t shown = std::min<std::size_t>(slow.size(), 40);
  if (shown == 0) return;
  std::printf("  position:latency_ms (gap since previous)\n  ");
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t i = slow[k];
    const char* mark = !background && run.ran_checkpoint[i] ? " ckpt" : "";
    if (k == 0)
      std::printf("%zu:%.2f%s", i, latencies[i], mark);
    else
      std::printf("  %zu:%.2f%s (+%zu)", i, latencies[i], mark, i - slow[k - 1]);
    if (k % 6 == 5) std::printf("\n  ");
  }
  std::printf("\n");
}

// Where the WAL was checkpointed, and what that cost the saves.
void print_wal(const SaveRun& run, const Options& options, double raw_p99) {
  std::printf("\nWAL: page size %u; the WAL file peaked at %llu frames (SQLite's auto-checkpoint starts at 1000)\n",
              run.page_size, static_cast<unsigned long long>(run.wal_peak_frames));
  const auto restarts = std::count(run.ran_checkpoint.begin(), run.ran_checkpoint.end(), true);
  if (options.background_checkpoint_ms > 0) {
    const Summary bg = summarise(run.background_ms);
    std::printf("  background checkpoints (own connection, PASSIVE, every %d ms): %d, median %.2f ms, max %.2f ms\n",
                options.background_checkpoint_ms, run.background_checkpoints, bg.median, bg.max);
    std::printf("  WAL restarts seen by the saves: %lld\n", static_cast<long long>(restarts));
    return;
  }
  std::vector<double> with, without;
  for (std::size_t i = 0; i < run.latencies_ms.size(); ++i)
    (run.ran_checkpoint[i] ? with : without).push_back(run.latencies_ms[i]);
  const Summary w = summarise(with), wo = summarise(without);
  if (!with.empty())
    std::printf("  saves that ran a checkpoint: %zu (1 in %zu); median %.2f ms, max %.2f ms\n", with.size(),
                run.latencies_ms.size() / with.size(), w.median, w.max);
  else
    std::printf("  saves that ran a checkpoint: 0\n");
  std::printf("  the other saves: median %.2f ms, p99 %.2f ms (%.2fx raw p99), max %.2f ms\n", wo.median, wo.p99,
              raw_p99 > 0 ? wo.p99 / raw_p99 : 0.0, wo.max);
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
  app.add_option("--background-checkpoint", options.background_checkpoint_ms,
                 "ms; simulate the proposed fix: checkpoint from another connection and thread during the saves")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--pace", options.pace_ms, "ms to pause between saves, as a kiosk has between people")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--keep", options.keep, "keep the databases and the fsync file");
  app.add_flag("--strict", options.strict, "exit 1 when a target is missed");
  app.add_flag("--sequential", options.sequential,
               "time all saves, then all raw fsyncs (default: alternate, so both see the same disk weather)");
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
  std::printf("  sqlite      %s%s\n", sqlite3_libversion(),
              options.background_checkpoint_ms > 0 ? "; simulating background checkpoints" : "");
  if (options.pace_ms > 0) std::printf("  pace        %d ms between saves\n", options.pace_ms);
  std::fflush(stdout);

  const SaveRun saves = bench_saves(dir, options);
  const ReadRun reads = bench_reads(dir, options);

  const Summary save = summarise(saves.latencies_ms);
  const Summary fsync = summarise(saves.raw_ms);
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
  std::printf("\nsaves/s (one at a time)     %.0f (saves / time inside save())\n",
              1000.0 * static_cast<double>(options.saves) / save.total);
  std::printf("fill of %d entries         %.0f ms (save_all, 500 a transaction)\n", options.fill, reads.fill_ms);
  std::printf("\ntarget  p99 save <= 2x p99 write+fsync   %.2fx   %s\n", ratio, verdict(save_ok));
  std::printf("target  read %d pending <= 20 ms       %.2f ms  %s\n", options.fill, pending.median,
              verdict(pending_ok));
  std::printf("        claim_batch of %d (same target) %.2f ms  %s\n", options.fill, claim.median, verdict(claim_ok));
  print_wal(saves, options, fsync.p99);
  print_slowest(saves, options.background_checkpoint_ms > 0, 2.0 * fsync.p99);

  if (!options.keep) fs::remove_all(dir, ec);
  return options.strict && !(save_ok && pending_ok && claim_ok) ? 1 : 0;
}
