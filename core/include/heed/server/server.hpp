// heed-server's HTTP server, startable in-process (tests start it on port 0).
// It owns the data directory, the workflow, the HTTP listener and its thread
// pool, and the scheduler (breach scan and webhook delivery).
//
// Lifecycle: start() opens everything, binds and listens; stop() stops
// accepting, lets requests in flight finish, stops the scheduler and closes the
// database; it is idempotent and the destructor calls it.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "heed/result.hpp"
#include "heed/secrets.hpp"
#include "heed/server/server_config.hpp"
#include "heed/server/smtp.hpp"
#include "heed/server/storage.hpp"
#include "heed/server/workflow.hpp"
#include "heed/time.hpp"

namespace heed::server {

struct ServerOptions {
  std::filesystem::path data_dir = "heed-data";  // database and token key
  std::string host = "127.0.0.1";                // production: loopback behind nginx (TLS, body and header bounds)
  int port = 8080;                               // 0: any free port (see HeedServer::port)
  std::filesystem::path rules_file;              // workflow rules; required
  std::filesystem::path openapi_file;            // served at /api/v1/openapi.yaml; empty: 404
  // The web workspace (web_files.hpp): its files at /, index.html for any other
  // GET path outside the API. Without an index.html in it the server still
  // starts, warns, and / answers 404 naming --web-root.
  std::filesystem::path web_root;

  // HTTP. cpp-httplib 0.11.4's defaults do not suit a server taking every
  // store's traffic: 8 threads, keep-alive closed after 5 requests, backlog 5.
  int threads = 16;              // request threads; a kept-alive idle connection holds one
  int backlog = 1024;            // pending connections when all threads are busy
  int keep_alive_max = 10000;    // requests on one connection before it is closed
  int keep_alive_timeout_s = 5;  // an idle kept-alive connection is closed after this
  int read_timeout_s = 10;       // a stalled client is dropped after this
  int write_timeout_s = 10;
  std::size_t max_records_body = 4u << 20;  // POST /api/v1/records; larger: 413
  std::size_t max_small_body = 64u << 10;   // every other POST body
  int max_batch = 500;                      // records in one POST

  // Sign-in.
  std::chrono::minutes session_ttl{12 * 60};        // a user token's life (and the session cookie's Max-Age)
  std::chrono::seconds idle_timeout{1800};          // a session unused this long ends (401 session_expired)
  int login_free_failures = 3;                      // failures before answers slow down
  std::chrono::milliseconds login_delay_base{500};  // then 0.5 s, 1 s, 2 s, ... per failure
  std::chrono::milliseconds login_delay_max{8000};
  int login_concurrency = 2;                    // argon2id checks at once (64-256 MiB each)
  HashCost password_cost = HashCost::moderate;  // passwords set through the admin API; tests use interactive

  // Devices.
  std::chrono::seconds device_silent_after{15 * 60};  // GET /api/v1/devices: silent after this without a heartbeat

  // Workflow.
  std::chrono::milliseconds breach_scan_interval{15000};  // a breach shows within this (<= 60 s)
  // Where each event goes (server_config.hpp); an event no endpoint takes is not queued.
  std::vector<WebhookEndpoint> webhooks;
  std::string webhook_url;     // --webhook-url: one more endpoint, named "default", for every event
  std::string webhook_secret;  // its HMAC-SHA256 key; required with a URL
  std::chrono::milliseconds webhook_retry_base{2000};  // first retry; doubles per attempt
  std::chrono::milliseconds webhook_retry_max{std::chrono::minutes(10)};
  std::chrono::milliseconds webhook_timeout{10000};  // one delivery attempt

  // KPI digests by email (digest.hpp). Without a relay nobody is sent one, and
  // subscribing still works (the digest waits in the outbox until a relay is set).
  SmtpSettings smtp;                                         // --config's "smtp"
  int digest_send_hour = 7;                                  // local hour after a period's end when its digest goes
  std::chrono::milliseconds digest_poll_interval{60000};     // how often the scheduler looks for digests due
  std::chrono::milliseconds digest_retry_base{60000};        // first retry after an SMTP failure; doubles per attempt
  std::chrono::milliseconds digest_retry_max{std::chrono::hours(1)};
  std::chrono::hours digest_give_up_after{72};               // a digest still unsent this long after it fell due

  bool durable = true;               // acknowledged writes survive power loss (sqlite_storage.hpp)
  std::function<Timestamp()> clock;  // the time the workflow sees; empty: the system clock
};

class HeedServer {
 public:
  // Opens the data directory and rules, binds host:port and starts serving.
  static Result<std::unique_ptr<HeedServer>> start(ServerOptions options);
  ~HeedServer();
  HeedServer(const HeedServer&) = delete;
  HeedServer& operator=(const HeedServer&) = delete;

  int port() const;
  // Stops serving; see the lifecycle above. Safe from any thread but a request's.
  void stop();

  // For tests and tools: the server's storage and workflow, and a nudge that
  // makes the scheduler scan for breaches now.
  Storage& storage();
  const Workflow& workflow() const;
  void scan_now();
  // Makes the scheduler look for digests due now (when a relay is configured).
  void digests_now();

  struct Impl;

 private:
  explicit HeedServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace heed::server
