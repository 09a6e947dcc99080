// Internal to the server: what the HTTP handlers and the scheduler share, the
// metrics they count, and the sign-in throttle. Not installed; core/src/server only.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <semaphore>
#include <string>
#include <unordered_map>

#include "heed/server/admin.hpp"
#include "heed/server/final_response.hpp"
#include "heed/server/server.hpp"
#include "heed/server/web_files.hpp"
#include "heed/server/workflow.hpp"

namespace httplib {
class Server;
}

namespace heed::server::detail {

// Counters for GET /metrics (Prometheus text format). Gauges come from storage.
struct Metrics {
  std::array<std::atomic<std::uint64_t>, 600> responses{};  // by status code
  std::atomic<std::uint64_t> request_micros{0};
  std::atomic<std::uint64_t> ingest_batches{0};
  std::atomic<std::uint64_t> records_accepted{0}, records_duplicate{0}, records_rejected{0}, records_conflict{0};
  std::atomic<std::uint64_t> cases_opened{0}, breaches{0};
  std::atomic<std::uint64_t> webhooks_delivered{0}, webhook_failures{0}, webhooks_given_up{0};
  std::atomic<std::uint64_t> logins{0}, login_failures{0};
  std::atomic<std::uint64_t> heartbeats{0};
  std::atomic<std::uint64_t> digests_sent{0}, digest_failures{0}, digests_given_up{0};

  std::string render(const StorageStats& stats) const;
};

// Slows sign-in after repeated failures for one username: none for the first
// `free` failures, then base, 2 x base, 4 x base ... up to max. Kept in memory:
// a restart forgives, which is acceptable for a delay (not a lock-out).
class LoginThrottle {
 public:
  LoginThrottle(int free, std::chrono::milliseconds base, std::chrono::milliseconds max)
      : free_(free), base_(base), max_(max) {}
  // Counts a failure; returns how long to wait before answering it.
  std::chrono::milliseconds failure(const std::string& key);
  void success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point last;
  };
  int free_;
  std::chrono::milliseconds base_, max_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

struct ServerContext {
  ServerContext(ServerOptions opts, DataDir dir, Workflow flow, std::string openapi_text,
                LetterTemplates letter_templates)
      : options(std::move(opts)),
        data(std::move(dir)),
        csrf(data.hasher.derive("heedcsrf")),
        workflow(std::move(flow)),
        openapi(std::move(openapi_text)),
        letters(std::move(letter_templates)),
        web(options.web_root),
        throttle(options.login_free_failures, options.login_delay_base, options.login_delay_max),
        login_slots(std::max(1, options.login_concurrency)) {}

  Timestamp now() const { return options.clock ? options.clock() : now_utc(); }
  Storage& storage() { return *data.storage; }

  ServerOptions options;
  DataDir data;
  TokenHasher csrf;  // a cookie session's CSRF token is its token hashed under this subkey (web_session.cpp)
  Workflow workflow;
  std::string openapi;      // the OpenAPI document's text
  LetterTemplates letters;  // final responses (final_response.hpp), from the rules' templates folder
  WebRoot web;              // the web workspace's files (api_web.cpp)
  Metrics metrics;
  LoginThrottle throttle;
  std::counting_semaphore<64> login_slots;
  std::function<void()> wake_scheduler;  // a case arrived already past a deadline
  std::function<void()> send_webhooks;   // a change queued webhooks
};

// Installs every route, the error and exception handlers and the logger.
void install_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace heed::server::detail
