// heed-device: the engineer's tool on a store's kiosk or tablet, over SSH. It
// drives the same device store and SyncEngine as the app (core/ only, no window).
//
//   heed-device enroll --db FILE --server URL --code CODE [--name NAME] [--allow-insecure]
//                      [--ca-bundle PEM] [--pin SHA256]
//   heed-device status --db FILE [--json]
//   heed-device sync --db FILE [--once] [--timeout SECONDS]
//   heed-device import --db FILE RECORDS.jsonl
//   heed-device quarantine list|retry|export --db FILE ...
//
// Exit status: 0 done (sync --once: nothing is pending); 1 a runtime failure
// (sync --once: something is still pending; import: bad lines, nothing queued);
// 2 the command line or configuration is wrong (sync: not enrolled).
// Logs go to stderr; stdout carries only the command's output.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "heed/device_store.hpp"
#include "heed/record_json.hpp"
#include "heed/sync/sync_engine.hpp"
#include "heed/validation.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace heed;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

// Connection settings kept beside the token at enrollment, so `sync` needs only --db.
namespace remembered {
constexpr std::string_view allow_insecure = "sync.allow_insecure";
constexpr std::string_view ca_bundle = "sync.ca_bundle";
constexpr std::string_view pin = "sync.pinned_key_sha256";
}  // namespace remembered

Result<DeviceStore> open_store(const fs::path& db) {
  auto store = DeviceStore::open(db);
  if (store) (void)sync::restrict_store_files(db);
  return store;
}

std::string setting_or(DeviceStore& store, std::string_view key, std::string fallback = {}) {
  auto value = store.setting(key);
  return value && *value ? **value : fallback;
}

// ---- enroll
struct EnrollArgs {
  fs::path db;
  std::string server, code, name, ca_bundle, pin;
  bool allow_insecure = false;
};

int run_enroll(const EnrollArgs& a) {
  auto store = open_store(a.db);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return kFailed;
  }
  sync::ConnectionOptions connection;
  connection.server_url = a.server;
  connection.allow_insecure = a.allow_insecure;
  connection.ca_bundle = a.ca_bundle;
  connection.pinned_key_sha256 = a.pin;
  std::string name = a.name;
  if (name.empty()) {
    char host[256] = {};
    name = ::gethostname(host, sizeof host - 1) == 0 && host[0] ? host : "heed-device";
  }
  auto enrolled = sync::enroll(*store, connection, a.code, name);
  if (!enrolled) {
    std::cerr << "heed-device enroll: " << enrolled.error().message << "\n";
    return enrolled.error().code == Errc::invalid ? kUsage : kFailed;
  }
  (void)store->set_setting(remembered::allow_insecure, a.allow_insecure ? "1" : "");
  (void)store->set_setting(remembered::ca_bundle, a.ca_bundle);
  (void)store->set_setting(remembered::pin, a.pin);
  std::cout << "enrolled: device " << enrolled->device_id << " of store " << enrolled->store_id << "\n";
  return kOk;
}

// ---- status
std::optional<std::int64_t> age_seconds(const std::optional<Timestamp>& since) {
  if (!since) return std::nullopt;
  return std::max<std::int64_t>(0, (now_utc() - *since).count());
}

int run_status(const fs::path& db, bool as_json) {
  auto store = open_store(db);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return kFailed;
  }
  auto state = sync::read_sync_state(*store);
  if (!state) {
    spdlog::error("{}", state.error().message);
    return kFailed;
  }
  const auto& s = *state;
  const std::int64_t pending = s.outbox.pending + s.outbox.in_flight;
  const auto age = age_seconds(s.outbox.oldest_pending_created_at);
  auto or_null = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  json out{{"device_id", s.device_id},
           {"store_id", or_null(s.store_id)},
           {"server_url", or_null(s.server_url)},
           {"enrolled", s.enrolled},
           {"token_revoked", s.token_revoked},
           {"pending", pending},
           {"quarantined", s.outbox.quarantined},
           {"delivered", s.outbox.delivered},
           {"oldest_pending_age_s", or_null(age)},
           {"last_sync_at", s.last_success_at ? json(format_timestamp(*s.last_success_at)) : json(nullptr)},
           {"last_error", s.last_error.empty() ? json(nullptr) : json(s.last_error)}};
  if (as_json) {
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  std::cout << "device:        " << s.device_id << "\n"
            << "store:         " << s.store_id.value_or("(not enrolled)") << "\n"
            << "server:        " << s.server_url.value_or("(not enrolled)") << "\n"
            << "pending:       " << pending << "\n"
            << "oldest:        " << (age ? std::to_string(*age) + " s old" : std::string("-")) << "\n"
            << "quarantined:   " << s.outbox.quarantined << "\n"
            << "delivered:     " << s.outbox.delivered << "\n"
            << "last sync:     " << (s.last_success_at ? format_timestamp(*s.last_success_at) : std::string("never"))
            << "\n"
            << "last error:    " << (s.last_error.empty() ? std::string("-") : s.last_error) << "\n";
  if (s.token_revoked) std::cout << "SYNC STOPPED:  the token was revoked; enroll again\n";
  return kOk;
}

// ---- sync
struct SyncArgs {
  fs::path db;
  bool once = false;
  double timeout_s = 120;
  std::size_t batch = 200;
  int backoff_first_ms = 1000;
  int backoff_cap_ms = 300000;
  int request_timeout_s = 30;
  int heartbeat_s = 300;
};

void draw_progress(const sync::SyncStatus& s) {
  const double fraction = s.backlog_progress();
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(std::lround(fraction * kWidth));
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, ' ');
  std::cerr << "\r[" << bar << "] " << static_cast<int>(fraction * 100) << "%  " << s.backlog_done << " sent, "
            << s.pending << " waiting" << (s.last_error.empty() ? "" : "  (retrying)") << "   " << std::flush;
}

int run_sync(const SyncArgs& a) {
  auto store = open_store(a.db);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return kFailed;
  }
  const std::string url = setting_or(*store, sync::keys::server_url);
  if (url.empty() || setting_or(*store, sync::keys::token).empty()) {
    std::cerr << "heed-device sync: " << a.db.string() << " is not enrolled; run heed-device enroll first\n";
    return kUsage;
  }
  sync::SyncOptions options;
  options.connection.server_url = url;
  options.connection.allow_insecure = setting_or(*store, remembered::allow_insecure) == "1";
  options.connection.ca_bundle = setting_or(*store, remembered::ca_bundle);
  options.connection.pinned_key_sha256 = setting_or(*store, remembered::pin);
  options.connection.request_timeout = std::chrono::seconds(a.request_timeout_s);
  options.max_batch_records = a.batch;
  options.backoff_first = std::chrono::milliseconds(a.backoff_first_ms);
  options.backoff_cap = std::chrono::milliseconds(a.backoff_cap_ms);
  options.heartbeat_interval = std::chrono::seconds(a.heartbeat_s);
  options.app_version = HEED_VERSION;
  auto engine = sync::SyncEngine::create(*store, options);
  if (!engine) {
    std::cerr << "heed-device sync: " << engine.error().message << "\n";
    return kUsage;
  }
  auto& e = **engine;

  if (!a.once) {
    // Until SIGTERM or SIGINT: the same background thread as the app.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    e.start();
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("stopping on signal {}", received);
    e.stop();
    return e.status().pending == 0 ? kOk : kFailed;
  }

  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(a.timeout_s));
  const auto result = e.drain(deadline, [&](const sync::SyncStatus& s) {
    if (tty) draw_progress(s);
  });
  if (tty) std::cerr << "\n";
  (void)e.send_heartbeat();
  const auto status = e.status();
  switch (result) {
    case sync::SyncEngine::DrainResult::drained:
      std::cout << "synced: nothing pending (" << status.quarantined << " quarantined)\n";
      return kOk;
    case sync::SyncEngine::DrainResult::revoked:
      std::cerr << "heed-device sync: " << status.last_error << "\n";
      break;
    case sync::SyncEngine::DrainResult::not_enrolled:
      std::cerr << "heed-device sync: not enrolled\n";
      return kUsage;
    default:
      std::cerr << "heed-device sync: " << status.pending << " record(s) still pending after " << a.timeout_s
                << " s; last error: " << (status.last_error.empty() ? "-" : status.last_error) << "\n";
  }
  std::cout << "not synced: " << status.pending << " pending\n";
  return status.pending == 0 ? kOk : kFailed;
}

// ---- import
int run_import(const fs::path& db, const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "heed-device import: " << file.string() << ": cannot be read\n";
    return kUsage;
  }
  std::vector<Record> records;
  std::vector<std::string> problems;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto record = record_from_json_text(line);
    FieldErrors errors = record ? validate(*record) : record.error();
    if (!errors.empty()) {
      std::string text;
      for (const auto& err : errors)
        text += (text.empty() ? "" : "; ") + (err.field.empty() ? "" : err.field + ": ") + err.message;
      problems.push_back(fmt::format("{}:{}: {}", file.string(), number, text));
      continue;
    }
    records.push_back(std::move(record.value()));
  }
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << p << "\n";
    std::cerr << "heed-device import: " << problems.size() << " bad line(s); nothing was queued\n";
    return kFailed;
  }
  auto store = open_store(db);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return kFailed;
  }
  if (auto saved = store->save_all(records); !saved) {
    std::cerr << "heed-device import: " << saved.error().message << "; nothing was queued\n";
    return kFailed;
  }
  std::cout << "queued " << records.size() << " record(s)\n";
  return kOk;
}

// ---- quarantine
int run_quarantine(const fs::path& db, const std::string& action, const std::vector<std::string>& ids, bool all,
                   const fs::path& out_file) {
  auto store = open_store(db);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return kFailed;
  }
  if (action == "retry") {
    if (all == !ids.empty()) {
      std::cerr << "heed-device quarantine retry: give record ids or --all\n";
      return kUsage;
    }
    if (all) {
      auto n = store->requeue_all_quarantined();
      if (!n) return std::cerr << n.error().message << "\n", kFailed;
      std::cout << "requeued " << *n << " record(s)\n";
      return kOk;
    }
    for (const auto& id : ids)
      if (auto r = store->requeue(id); !r)
        return std::cerr << "heed-device quarantine retry: " << r.error().message << "\n", kFailed;
    std::cout << "requeued " << ids.size() << " record(s)\n";
    return kOk;
  }
  auto entries = store->quarantined_entries(1'000'000);
  if (!entries) return std::cerr << entries.error().message << "\n", kFailed;
  if (action == "export") {
    std::ofstream out(out_file);
    if (!out) return std::cerr << "heed-device quarantine export: cannot write " << out_file.string() << "\n", kUsage;
    for (const auto& e : *entries) {
      json record = json::parse(e.body, nullptr, false);
      out << json{{"id", e.record_id},
                  {"type", enum_name(e.type)},
                  {"reason", e.last_error},
                  {"record", record.is_discarded() ? json(nullptr) : record}}
                 .dump()
          << "\n";
    }
    if (!out.flush())
      return std::cerr << "heed-device quarantine export: writing " << out_file.string() << " failed\n", kFailed;
    std::cout << "exported " << entries->size() << " record(s) to " << out_file.string() << "\n";
    return kOk;
  }
  for (const auto& e : *entries) std::cout << e.record_id << "\t" << enum_name(e.type) << "\t" << e.last_error << "\n";
  if (entries->empty()) std::cerr << "no quarantined records\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("heed-device"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App cli{"Heed device tool: enroll, inspect and sync a kiosk's or tablet's store.", "heed-device"};
  cli.require_subcommand(1);
  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();

  EnrollArgs enroll;
  auto* enroll_cmd = cli.add_subcommand("enroll", "enroll this device with a one-time code from head office");
  enroll_cmd->add_option("--db", enroll.db, "the device store")->required();
  enroll_cmd->add_option("--server", enroll.server, "the server, e.g. https://heed.example.com")->required();
  enroll_cmd->add_option("--code", enroll.code, "the enrollment code (heed-server enroll-code)")->required();
  enroll_cmd->add_option("--name", enroll.name, "this device's name as head office sees it (default: host name)");
  enroll_cmd->add_flag("--allow-insecure", enroll.allow_insecure, "permit an http:// server (loopback, development)");
  enroll_cmd->add_option("--ca-bundle", enroll.ca_bundle, "PEM file of trusted CAs (default: the system's)");
  enroll_cmd->add_option("--pin", enroll.pin, "SHA-256 of the server's public key, 64 hex digits");

  fs::path status_db;
  bool status_json = false;
  auto* status_cmd = cli.add_subcommand("status", "queue, last sync and last error");
  status_cmd->add_option("--db", status_db, "the device store")->required();
  status_cmd->add_flag("--json", status_json, "as JSON");

  SyncArgs sync_args;
  auto* sync_cmd = cli.add_subcommand("sync", "deliver pending records (--once: drain now and exit)");
  sync_cmd->add_option("--db", sync_args.db, "the device store")->required();
  sync_cmd->add_flag("--once", sync_args.once, "drain the outbox and exit: 0 when nothing is pending, 1 otherwise");
  sync_cmd->add_option("--timeout", sync_args.timeout_s, "with --once: give up after this many seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  sync_cmd->add_option("--batch", sync_args.batch, "records per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 500));
  sync_cmd->add_option("--backoff-first-ms", sync_args.backoff_first_ms, "first wait after a failure")
      ->capture_default_str()
      ->check(CLI::Range(10, 600000));
  sync_cmd->add_option("--backoff-cap-ms", sync_args.backoff_cap_ms, "longest wait")
      ->capture_default_str()
      ->check(CLI::Range(10, 600000));
  sync_cmd->add_option("--request-timeout", sync_args.request_timeout_s, "seconds one request may stall")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  sync_cmd->add_option("--heartbeat", sync_args.heartbeat_s, "seconds between heartbeats (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));

  fs::path import_db, import_file;
  auto* import_cmd = cli.add_subcommand("import", "validate and queue records, one JSON record a line, all or none");
  import_cmd->add_option("--db", import_db, "the device store")->required();
  import_cmd->add_option("records", import_file, "RECORDS.jsonl")->required();

  fs::path quarantine_db, export_file;
  std::vector<std::string> retry_ids;
  bool retry_all = false;
  auto* quarantine_cmd = cli.add_subcommand("quarantine", "records the server rejected: list, retry or export");
  quarantine_cmd->add_option("--db", quarantine_db, "the device store")->required();
  auto* q_list = quarantine_cmd->add_subcommand("list", "id, type and the server's reason, one a line (the default)");
  auto* q_retry = quarantine_cmd->add_subcommand("retry", "queue quarantined records again");
  q_retry->add_option("ids", retry_ids, "record ids");
  q_retry->add_flag("--all", retry_all, "every quarantined record");
  auto* q_export = quarantine_cmd->add_subcommand("export", "write them as JSON lines with their reasons");
  q_export->add_option("--out", export_file, "the file to write")->required();
  quarantine_cmd->require_subcommand(0, 1);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  const auto level = spdlog::level::from_str(log_level);
  spdlog::set_level(level);

  try {
    if (*enroll_cmd) return run_enroll(enroll);
    if (*status_cmd) return run_status(status_db, status_json);
    if (*sync_cmd) return run_sync(sync_args);
    if (*import_cmd) return run_import(import_db, import_file);
    if (*quarantine_cmd) {
      const std::string action = *q_retry ? "retry" : *q_export ? "export" : "list";
      (void)q_list;
      return run_quarantine(quarantine_db, action, retry_ids, retry_all, export_file);
    }
  } catch (const std::exception& e) {
    std::cerr << "heed-device: unexpected error: " << e.what() << "\n";
    return kFailed;
  }
  return kUsage;
}
