// sync_bench: how fast the device drains a large backlog to the server, and
// whether its memory stays flat while it does.
//
// Issue target: 100,000 queued records delivered to a loopback heed-server at
// >= 10,000 records/s end to end, the device's memory flat during the drain.
//
// In one run, in a fresh folder under --dir:
//   1. a child process (forked before any thread starts) runs heed-server
//      in-process on a free loopback port, durable as in production unless
//      --no-durable; the device's figures are then the device's alone;
//   2. the device enrolls, saves --records realistic Feedback records (timed
//      apart, in transactions of 1,000) and drains them with SyncEngine::drain
//      in batches of --batch, as `heed-device sync --once` does;
//   3. a sampler reads the process's resident memory (/proc/self/statm) every
//      100 ms during the drain.
// Prints the machine, records/s, the drain's duration, RSS at start, peak and
// end, and PASS/FAIL per target; checks the server holds every record once.
// Exit status: 0, or 1 on an error; with --strict also 1 when a target is missed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "heed/device_store.hpp"
#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"
#include "heed/sync/sync_engine.hpp"

namespace {

namespace fs = std::filesystem;
using namespace heed;
using Clock = std::chrono::steady_clock;

double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

Record make_feedback(int i) {
  Feedback f;
  f.header = RecordHeader{new_uuid_v4(), "MCR-01", "dev-bench", now_utc()};
  f.csat = 1 + i % 5;
  f.nps = i % 11;
  f.comment = "Quick checkout, friendly staff. The self-service tills were all working today.";
  f.language = "en";
  f.touchpoint = "checkout";
  return f;
}

// The server, in a child process: writes its port to `port_fd`, serves until SIGTERM.
[[noreturn]] void serve(const fs::path& data, bool durable, int port_fd) {
  server::ServerOptions o;
  o.data_dir = data;
  o.port = 0;
  o.rules_file = fs::path(HEED_ASSETS_DIR) / "rules/default.json";
  o.durable = durable;
  auto started = server::HeedServer::start(o);
  if (!started) {
    std::cerr << "server: " << started.error().message << "\n";
    ::_exit(1);
  }
  const int port = (*started)->port();
  (void)::write(port_fd, &port, sizeof port);
  ::close(port_fd);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int received = 0;
  sigwait(&signals, &received);
  (*started)->stop();
  ::_exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"sync_bench: drain a device's backlog to a loopback heed-server"};
  int records = 100'000;
  std::size_t batch = 200;
  fs::path dir = HEED_BENCH_DEFAULT_DIR;
  bool no_durable = false, strict = false;
  cli.add_option("--records", records, "records to queue and drain")->capture_default_str();
  cli.add_option("--batch", batch, "records per request")->capture_default_str();
  cli.add_option("--dir", dir, "scratch folder (on the disk to measure)")->capture_default_str();
  cli.add_flag("--no-durable", no_durable, "the server skips its fsync per batch");
  cli.add_flag("--strict", strict, "exit 1 when a target is missed");
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  const fs::path run = dir / ("sync-" + std::to_string(::getpid()));
  fs::remove_all(run);
  fs::create_directories(run);

  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return 1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    serve(run / "server", !no_durable, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  int port = 0;
  if (::read(pipe_fds[0], &port, sizeof port) != sizeof port) {
    std::cerr << "the server did not start\n";
    return 1;
  }
  ::close(pipe_fds[0]);
  auto stop_server = [&] {
    ::kill(child, SIGTERM);
    int status = 0;
    ::waitpid(child, &status, 0);
  };

  auto store = DeviceStore::open(run / "device.db");
  if (!store) {
    std::cerr << store.error().message << "\n";
    stop_server();
    return 1;
  }
  sync::ConnectionOptions connection;
  connection.server_url = "http://127.0.0.1:" + std::to_string(port);
  connection.allow_insecure = true;
  {
    auto data = server::open_data_dir(run / "server").value();
    const auto code = server::issue_enrollment_code(data, "MCR-01", now_utc()).value();
    if (auto e = sync::enroll(*store, connection, code, "bench"); !e) {
      std::cerr << e.error().message << "\n";
      stop_server();
      return 1;
    }
  }

  const auto fill_start = Clock::now();
  for (int at = 0; at < records; at += 1000) {
    std::vector<Record> chunk;
    for (int i = at; i < std::min(records, at + 1000); ++i) chunk.push_back(make_feedback(i));
    if (auto r = store->save_all(chunk); !r) {
      std::cerr << r.error().message << "\n";
      stop_server();
      return 1;
    }
  }
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();

  sync::SyncOptions options;
  options.connection = connection;
  options.max_batch_records = batch;
  options.heartbeat_interval = std::chrono::seconds(0);
  auto engine = sync::SyncEngine::create(*store, options);
  if (!engine) {
    std::cerr << engine.error().message << "\n";
    stop_server();
    return 1;
  }

  std::atomic<bool> sampling{true};
  std::vector<double> samples;
  const double rss_start = rss_mib();
  std::thread sampler([&] {
    while (sampling) {
      samples.push_back(rss_mib());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const auto drain_start = Clock::now();
  const auto result = (*engine)->drain(Clock::now() + std::chrono::minutes(10));
  const double drain_s = std::chrono::duration<double>(Clock::now() - drain_start).count();
  sampling = false;
  sampler.join();
  const double rss_end = rss_mib();
  double rss_peak = rss_start;
  for (double s : samples) rss_peak = std::max(rss_peak, s);
  // Flat: the second half of the drain holds no more than the first half's peak plus 8 MiB.
  double first_half_peak = rss_start, second_half_peak = 0;
  for (std::size_t i = 0; i < samples.size(); ++i)
    (i < samples.size() / 2 ? first_half_peak : second_half_peak) =
        std::max(i < samples.size() / 2 ? first_half_peak : second_half_peak, samples[i]);

  std::int64_t at_server = 0;
  {
    auto data = server::open_data_dir(run / "server").value();
    at_server = data.storage->stats(now_utc()).value().records;
  }
  stop_server();
  const auto stats = store->outbox_stats().value();

  const double rate = records / drain_s;
  const bool rate_ok = rate >= 10'000;
  const bool flat = second_half_peak <= first_half_peak + 8.0;
  const bool complete =
      result == sync::SyncEngine::DrainResult::drained && stats.delivered == records && at_server == records;
  std::printf("sync_bench on %s, %u CPUs (shared with other work)\n", cpu_model().c_str(),
              std::thread::hardware_concurrency());
  std::printf("  records queued           %d (saved in %.2f s), batch %zu, server durable: %s\n", records, fill_s,
              batch, no_durable ? "no" : "yes");
  std::printf("  drain                    %.2f s, %s\n", drain_s, std::string(sync::drain_result_name(result)).c_str());
  std::printf("  end-to-end rate          %.0f records/s   target >= 10000   %s\n", rate, rate_ok ? "PASS" : "FAIL");
  std::printf(
      "  device RSS (MiB)         start %.1f, peak %.1f, end %.1f; first-half peak %.1f, second-half peak %.1f   %s\n",
      rss_start, rss_peak, rss_end, first_half_peak, second_half_peak, flat ? "flat PASS" : "FAIL");
  std::printf("  at the server            %lld of %d, device delivered %lld   %s\n", static_cast<long long>(at_server),
              records, static_cast<long long>(stats.delivered), complete ? "PASS" : "FAIL");
  fs::remove_all(run);
  if (!complete) return 1;
  if (strict && !(rate_ok && flat)) return 1;
  return 0;
}
