// The device side of delivery: enrollment, and the SyncEngine that drains the
// device store's outbox to head office's server (POST /api/v1/records).
//
// Invariants:
// - Entries go in save order, in batches of at most max_batch_records records and
//   max_batch_bytes bytes. Only the server's answer changes an entry's fate:
//   accepted and duplicates are delivered; each rejected one is quarantined with
//   the server's reason (never deleted, never retried until a person requeues it);
//   every other outcome returns the batch to pending. A crash at any point leaves
//   entries pending or in flight, and in-flight ones go back to pending when the
//   store reopens; the server's idempotency on record ids makes resending safe.
// - Transient failures (no connection, timeout, 5xx, 429, a missing answer for a
//   record) back off exponentially with jitter up to backoff_cap, never sooner than
//   Retry-After, and back to the first step after a success.
// - A whole-request 400 or 413 halves the batch until one record is left; that
//   record is then quarantined with the server's message (a bad record cannot
//   block the ones behind it).
// - 401 means the token is revoked or unknown: delivery stops with a clear error
//   (kept in the store) until the device is enrolled again.
// - Delivered records' bodies are erased after erase_after_delivery.
// The engine's thread never touches the UI: on_change() tells the app to look.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heed/device_store.hpp"
#include "heed/result.hpp"
#include "heed/sync/http_client.hpp"
#include "heed/time.hpp"

namespace heed::sync {

// Names of the device store settings the sync side keeps.
namespace keys {
inline constexpr std::string_view token = "sync.token";                      // the device token (bearer)
inline constexpr std::string_view store_id = "sync.store_id";                // the store it was enrolled for
inline constexpr std::string_view server_url = "sync.server_url";            // the server it was enrolled with
inline constexpr std::string_view last_success_at = "sync.last_success_at";  // RFC 3339
inline constexpr std::string_view last_error = "sync.last_error";            // "" when the last attempt worked
inline constexpr std::string_view token_revoked = "sync.token_revoked";      // "1" after a 401
}  // namespace keys

struct Enrollment {
  std::string device_id;
  std::string store_id;
  std::string token;
};

// Enrolls this device with a one-time code and keeps the token, store id, server
// URL and the server's device id in the store (whose files become 0600).
// Errors: invalid for a refused code (403) or bad options; io when the server
// cannot be reached or answers unexpectedly.
Result<Enrollment> enroll(DeviceStore& store, const ConnectionOptions& connection, std::string_view code,
                          std::string_view device_name);

// Makes the store's database file and its -wal and -shm readable by the owner only.
Result<void> restrict_store_files(const std::filesystem::path& database);

// What the store says about delivery, for `heed-device status` and a UI that
// has no engine running.
struct DeviceSyncState {
  std::string device_id;
  std::optional<std::string> store_id;    // set once enrolled
  std::optional<std::string> server_url;  // the server it was enrolled with
  bool enrolled = false;
  bool token_revoked = false;
  OutboxStats outbox;
  std::optional<Timestamp> last_success_at;
  std::string last_error;
};
Result<DeviceSyncState> read_sync_state(DeviceStore& store);

struct SyncOptions {
  ConnectionOptions connection;
  std::size_t max_batch_records = 200;            // the server takes up to 500
  std::size_t max_batch_bytes = 1u << 20;         // the server takes up to 4 MiB
  std::chrono::milliseconds backoff_first{1000};  // the first wait after a failure
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(5)};
  std::chrono::seconds heartbeat_interval{300};  // 0: no heartbeat
  std::chrono::seconds erase_after_delivery{0};  // grace before a delivered record's body is erased
  std::string app_version = "0.1.0";             // reported in the heartbeat
  std::uint64_t seed = 0;                        // jitter; 0: random
};

struct SyncStatus {
  bool running = false;        // the background thread is up
  bool enrolled = false;       // the store holds a token
  bool attempted = false;      // an exchange with the server (delivery or heartbeat) has finished, either way
  bool online = false;         // the last exchange with the server got an answer
  bool token_revoked = false;  // sync stopped: the server refused the token
  std::int64_t pending = 0;    // waiting (pending and in flight)
  std::int64_t quarantined = 0;
  std::int64_t delivered = 0;
  std::optional<Timestamp> oldest_pending_created_at;
  std::optional<Timestamp> last_success_at;
  std::string last_error;                    // "" after a success
  std::optional<Timestamp> next_attempt_at;  // backing off until then
  // A large backlog's progress: delivered since the queue was last empty, out of
  // that plus what is still waiting. 1 when nothing waits (backlog_done then
  // keeps the size of the last backlog until a new record waits).
  std::int64_t backlog_done = 0;
  double backlog_progress() const {
    const auto total = backlog_done + pending;
    return total == 0 ? 1.0 : static_cast<double>(backlog_done) / static_cast<double>(total);
  }
  std::int64_t heartbeats_sent = 0;
};

class SyncEngine {
 public:
  // Reads the token from the store; a device not yet enrolled waits (notify()
  // after enrolling). Errors: invalid options (URL, pin, CA file).
  static Result<std::unique_ptr<SyncEngine>> create(DeviceStore& store, SyncOptions options);
  ~SyncEngine();  // stops the thread
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // The background thread: delivers, backs off, heartbeats, erases.
  void start();
  // Finishes the request in flight (bounded by the request timeout) and joins.
  void stop();
  // A record was saved (or the device enrolled): deliver now unless backing off.
  void notify();
  SyncStatus status() const;
  // Called on the engine's thread after the status changed; keep it short (e.g.
  // wake the UI thread). Set before start().
  void on_change(std::function<void()> callback);

  enum class DrainResult { drained, timed_out, revoked, not_enrolled, stopped };
  // On the calling thread, instead of start() (while the thread runs it returns
  // `stopped` at once): delivers until nothing is pending, retrying transient
  // failures with backoff until `deadline`.
  // `progress` is called after every batch and failure.
  DrainResult drain(std::chrono::steady_clock::time_point deadline,
                    const std::function<void(const SyncStatus&)>& progress = {});

  // One heartbeat now; false when the server could not be told (404: a server
  // without heartbeats, logged once).
  bool send_heartbeat();

  struct Impl;

 private:
  explicit SyncEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

std::string_view drain_result_name(SyncEngine::DrainResult result);

}  // namespace heed::sync
