// The sync engine: one delivery step (claim a batch, POST it, apply the answer)
// used both by the background thread and by drain() on the caller's thread, so
// the app, `heed-device sync` and the tests run the same code.
//
// Sections: enrollment | state in the store | the engine: one step | the thread | drain | heartbeat
#include "heed/sync/sync_engine.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "heed/backoff.hpp"

namespace heed::sync {

using nlohmann::json;
using steady = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

namespace {

// The server's {"error", "message"} as one line; the raw status when the body is not that.
std::string server_error_text(const HttpResponse& response) {
  const json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    std::string text = fmt::format("HTTP {} {}", response.status, body["error"].get<std::string>());
    if (body.contains("message") && body["message"].is_string()) text += ": " + body["message"].get<std::string>();
    return text;
  }
  return fmt::format("HTTP {}", response.status);
}

// At most `limit` bytes, cut at a character boundary.
std::string truncate_utf8(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

// ---- Enrollment --------------------------------------------------------------------------
Result<void> restrict_store_files(const std::filesystem::path& database) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = database.string() + suffix;
    if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT)
      return Error{Errc::io, fmt::format("{}: cannot make it private to its owner: {}", file, std::strerror(errno))};
  }
  return Ok{};
}

Result<Enrollment> enroll(DeviceStore& store, const ConnectionOptions& connection, std::string_view code,
                          std::string_view device_name) {
  if (code.empty()) return Error{Errc::invalid, "the enrollment code is empty"};
  if (device_name.empty()) return Error{Errc::invalid, "the device's name is empty"};
  auto client = HttpClient::create(connection);
  if (!client) return client.error();
  auto response = client->post_json("/api/v1/devices/enroll", json{{"code", code}, {"name", device_name}}.dump());
  if (!response) return Error{Errc::io, "enrollment failed: " + response.error().message};
  if (response->status == 403)
    return Error{Errc::invalid,
                 "the server refused the enrollment code: it is unknown, already used or expired. "
                 "Ask head office for a new one (heed-server enroll-code)."};
  if (response->status != 201)
    return Error{Errc::io, "enrollment failed: the server answered " + server_error_text(*response)};
  const json body = json::parse(response->body, nullptr, false);
  Enrollment out;
  if (!body.is_object() || !body.contains("device_id") || !body["device_id"].is_string() ||
      !body.contains("store_id") || !body["store_id"].is_string() || !body.contains("token") ||
      !body["token"].is_string())
    return Error{Errc::io, "enrollment failed: the server's answer has no device_id, store_id and token"};
  out.device_id = body["device_id"].get<std::string>();
  out.store_id = body["store_id"].get<std::string>();
  out.token = body["token"].get<std::string>();

  // Private first, then the secret goes in.
  if (auto r = restrict_store_files(store.file()); !r) return r.error();
  for (auto [key, value] : {std::pair{std::string_view("device_id"), std::string_view(out.device_id)},
                            {keys::store_id, out.store_id},
                            {keys::server_url, connection.server_url},
                            {keys::token_revoked, ""},
                            {keys::last_error, ""},
                            {keys::token, out.token}})
    if (auto r = store.set_setting(key, value); !r) return r.error();
  if (auto r = restrict_store_files(store.file()); !r) return r.error();
  spdlog::info("enrolled as device {} of store {}", out.device_id, out.store_id);
  return out;
}

// ---- State in the store ---------------------------------------------------------------------
Result<DeviceSyncState> read_sync_state(DeviceStore& store) {
  DeviceSyncState state;
  auto id = store.device_id();
  if (!id) return id.error();
  state.device_id = *id;
  auto get = [&](std::string_view key) -> Result<std::optional<std::string>> { return store.setting(key); };
  auto token = get(keys::token);
  if (!token) return token.error();
  state.enrolled = token->has_value() && !(*token)->empty();
  auto store_id = get(keys::store_id);
  if (!store_id) return store_id.error();
  state.store_id = *store_id;
  auto url = get(keys::server_url);
  if (!url) return url.error();
  state.server_url = *url;
  auto revoked = get(keys::token_revoked);
  if (!revoked) return revoked.error();
  state.token_revoked = revoked->value_or("") == "1";
  auto last_success = get(keys::last_success_at);
  if (!last_success) return last_success.error();
  if (*last_success) state.last_success_at = parse_timestamp(**last_success);
  auto last_error = get(keys::last_error);
  if (!last_error) return last_error.error();
  state.last_error = last_error->value_or("");
  auto stats = store.outbox_stats();
  if (!stats) return stats.error();
  state.outbox = *stats;
  return state;
}

std::string_view drain_result_name(SyncEngine::DrainResult result) {
  switch (result) {
    case SyncEngine::DrainResult::drained:
      return "drained";
    case SyncEngine::DrainResult::timed_out:
      return "timed_out";
    case SyncEngine::DrainResult::revoked:
      return "revoked";
    case SyncEngine::DrainResult::not_enrolled:
      return "not_enrolled";
    case SyncEngine::DrainResult::stopped:
      return "stopped";
  }
  return "unknown";
}

// ---- The engine: one step -------------------------------------------------------------------
struct SyncEngine::Impl {
  enum class Step { delivered, idle, transient, revoked, not_enrolled };
  struct StepResult {
    Step step;
    ms wait{0};
  };

  Impl(DeviceStore& s, SyncOptions o, HttpClient h)
      : store(s),
        options(std::move(o)),
        http(std::move(h)),
        backoff(options.backoff_first, options.backoff_cap, options.seed ? options.seed : std::random_device{}()),
        batch_limit(options.max_batch_records) {}

  DeviceStore& store;
  const SyncOptions options;
  std::mutex http_mutex;  // one request at a time on the kept-alive connection
  HttpClient http;
  Backoff backoff;
  std::size_t batch_limit;
  std::string token;

  mutable std::mutex mutex;  // guards everything below
  std::condition_variable wake;
  bool stop_requested = false;
  bool notified = false;
  SyncStatus status;
  std::function<void()> changed;
  std::thread thread;
  bool heartbeat_missing_logged = false;
  bool backlog_emptied = false;

  steady::time_point last_refresh{};
  steady::time_point last_persist{};
  std::string persisted_error = "\x01";  // nothing persisted yet
  std::optional<Timestamp> persisted_success;

  void notify_change() {
    std::function<void()> callback;
    {
      std::lock_guard lock(mutex);
      callback = changed;
    }
    if (callback) callback();
  }

  // Token and revocation from the store (enrollment may have happened meanwhile).
  void load_token() {
    auto stored = store.setting(keys::token);
    auto revoked = store.setting(keys::token_revoked);
    std::lock_guard lock(mutex);
    token = stored && *stored ? **stored : std::string();
    status.enrolled = !token.empty();
    status.token_revoked = revoked && *revoked && **revoked == "1";
    if (status.token_revoked) {
      auto error = store.setting(keys::last_error);
      if (error && *error && !(*error)->empty()) status.last_error = **error;
    }
  }

  void refresh_stats(bool force) {
    const auto now = steady::now();
    if (!force && now - last_refresh < ms(1000)) return;  // a count over a large outbox takes milliseconds
    last_refresh = now;
    auto stats = store.outbox_stats();
    if (!stats) {
      spdlog::warn("sync: reading the outbox: {}", stats.error().message);
      return;
    }
    std::lock_guard lock(mutex);
    status.pending = stats->pending + stats->in_flight;
    status.quarantined = stats->quarantined;
    status.delivered = stats->delivered;
    status.oldest_pending_created_at = stats->oldest_pending_created_at;
    if (status.pending == 0) {
      backlog_emptied = true;  // the next record waiting starts a new backlog
    } else if (backlog_emptied) {
      status.backlog_done = 0;  // the last backlog's count is not this one's
      backlog_emptied = false;
    }
  }

  // last_success_at and last_error into the store, for `heed-device status` and
  // after a restart; at most once a second unless forced.
  void persist(bool force) {
    std::optional<Timestamp> success;
    std::string error;
    {
      std::lock_guard lock(mutex);
      success = status.last_success_at;
      error = status.last_error;
    }
    const auto now = steady::now();
    if (!force && now - last_persist < std::chrono::seconds(1)) return;
    if (success == persisted_success && error == persisted_error) return;
    last_persist = now;
    if (success != persisted_success && success)
      (void)store.set_setting(keys::last_success_at, format_timestamp(*success));
    if (error != persisted_error) (void)store.set_setting(keys::last_error, error);
    persisted_success = success;
    persisted_error = error;
  }

  bool status_online() const {
    std::lock_guard lock(mutex);
    return status.online;
  }

  void record_failure(const std::string& error, bool online) {
    std::lock_guard lock(mutex);
    note_failure_locked(error, online);
  }

  void note_failure_locked(const std::string& error, bool online) {
    if (status.last_error != error) spdlog::warn("sync: {}", error);
    status.last_error = error;
    status.online = online;
    status.attempted = true;
  }

  // Returns claimed entries to pending after an attempt that settled nothing.
  void release(const std::vector<std::string>& ids, const std::string& error) {
    if (ids.empty()) return;
    if (auto r = store.mark_retry(ids, error, 0); !r)
      spdlog::error("sync: returning entries to pending: {}", r.error().message);
  }

  StepResult transient(const std::vector<std::string>& ids, const std::string& error, bool online,
                       std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    release(ids, error);
    const ms wait = backoff.after_failure(retry_after);
    // One lock for the error and the next attempt: a reader never sees one without the other.
    std::lock_guard lock(mutex);
    note_failure_locked(error, online);
    status.next_attempt_at = now_utc() + std::chrono::duration_cast<std::chrono::seconds>(wait);
    return {Step::transient, wait};
  }

  StepResult revoke(const std::vector<std::string>& ids, const std::string& server_text) {
    const std::string error =
        "the server refused this device's token (" + server_text +
        "): it was revoked or is unknown. Sync has stopped; enroll the device again with a new code.";
    release(ids, error);
    (void)store.set_setting(keys::token_revoked, "1");
    (void)store.set_setting(keys::last_error, error);
    spdlog::error("sync: {}", error);
    refresh_stats(true);
    std::lock_guard lock(mutex);
    status.token_revoked = true;
    status.online = true;
    status.attempted = true;
    status.last_error = error;
    persisted_error = error;
    return {Step::revoked};
  }

  StepResult step() {
    std::string bearer;
    {
      std::lock_guard lock(mutex);
      if (!token.empty() && !status.token_revoked) bearer = token;
    }
    if (bearer.empty()) {
      load_token();
      std::lock_guard lock(mutex);
      if (token.empty()) return {Step::not_enrolled};
      if (status.token_revoked) return {Step::revoked};
      bearer = token;
    }

    auto claimed = store.claim_batch(batch_limit, options.max_batch_bytes, unix_ms_now());
    if (!claimed) return transient({}, "reading the outbox: " + claimed.error().message, status_online());
    if (claimed->empty()) {
      refresh_stats(true);
      return {Step::idle};
    }
    const auto& batch = *claimed;
    std::vector<std::string> ids;
    ids.reserve(batch.size());
    std::string body;
    std::size_t size = 16;
    for (const auto& e : batch) size += e.body.size() + 1;
    body.reserve(size);
    body += "{\"records\":[";
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i) body += ',';
      body += batch[i].body;
      ids.push_back(batch[i].record_id);
    }
    body += "]}";

    Result<HttpResponse> response = [&] {
      std::lock_guard lock(http_mutex);
      return http.post_json("/api/v1/records", body, bearer);
    }();
    if (!response) return transient(ids, response.error().message, false);
    const int code = response->status;
    if (code == 401) return revoke(ids, server_error_text(*response));
    if (code == 429 || code >= 500)
      return transient(ids, "the server is busy or failing: " + server_error_text(*response), true,
                       parse_retry_after(response->retry_after, now_utc()));
    if (code == 400 || code == 413) return refused_whole(ids, *response);
    if (code != 200) return transient(ids, "unexpected answer: " + server_error_text(*response), true);
    std::unordered_map<std::string, std::int64_t> seq_of;
    seq_of.reserve(batch.size());
    for (const auto& e : batch) seq_of.emplace(e.record_id, e.seq);
    return apply_answer(ids, seq_of, *response);
  }

  // A whole-request 400 or 413: halve the batch until the one record to blame is found.
  StepResult refused_whole(const std::vector<std::string>& ids, const HttpResponse& response) {
    const std::string text = server_error_text(response);
    if (ids.size() > 1) {
      release(ids, text);
      batch_limit = std::max<std::size_t>(1, ids.size() / 2);
      spdlog::warn("sync: the server refused a batch of {} ({}); trying {} at a time", ids.size(), text, batch_limit);
      return {Step::delivered};  // progress of a kind: try again at once with a smaller batch
    }
    const std::string reason = "refused by the server: " + text;
    if (auto r = store.quarantine(ids.front(), reason); !r)
      spdlog::error("sync: quarantining {}: {}", ids.front(), r.error().message);
    spdlog::warn("sync: record {} quarantined: {}", ids.front(), reason);
    std::lock_guard lock(mutex);
    status.pending -= 1;
    status.quarantined += 1;
    status.online = true;
    status.attempted = true;
    return {Step::delivered};
  }

  StepResult apply_answer(const std::vector<std::string>& ids,
                          const std::unordered_map<std::string, std::int64_t>& seq_of, const HttpResponse& response) {
    const json answer = json::parse(response.body, nullptr, false);
    if (!answer.is_object()) return transient(ids, "the server's answer is not JSON", true);
    std::unordered_set<std::string> sent(ids.begin(), ids.end());
    std::set<std::string> settled;
    std::vector<std::string> delivered;
    for (const char* list : {"accepted", "duplicates"}) {
      if (!answer.contains(list) || !answer[list].is_array()) continue;
      for (const auto& id : answer[list])
        if (id.is_string() && sent.count(id.get<std::string>()) && settled.insert(id.get<std::string>()).second)
          delivered.push_back(id.get<std::string>());
    }
    const bool erase_now = options.erase_after_delivery.count() == 0;
    if (!delivered.empty()) {
      std::vector<std::int64_t> seqs;
      seqs.reserve(delivered.size());
      for (const auto& id : delivered) seqs.push_back(seq_of.at(id));
      if (auto r = store.settle_delivered(seqs, erase_now); !r)
        return transient(ids, "recording delivery: " + r.error().message, true);
    }
    std::int64_t quarantined = 0;
    if (answer.contains("rejected") && answer["rejected"].is_array()) {
      for (const auto& item : answer["rejected"]) {
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) continue;
        const std::string id = item["id"].get<std::string>();
        if (!sent.count(id) || !settled.insert(id).second) continue;
        std::string reason = item.value("error", std::string("rejected"));
        if (item.contains("message") && item["message"].is_string())
          reason += ": " + item["message"].get<std::string>();
        if (auto r = store.quarantine(id, reason); !r) {
          spdlog::error("sync: quarantining {}: {}", id, r.error().message);
          settled.erase(id);
          continue;
        }
        spdlog::warn("sync: record {} quarantined: {}", id, reason);
        ++quarantined;
      }
    }
    std::vector<std::string> unanswered;
    for (const auto& id : ids)
      if (!settled.count(id)) unanswered.push_back(id);

    {
      std::lock_guard lock(mutex);
      const auto n = static_cast<std::int64_t>(delivered.size());
      if (backlog_emptied) {
        status.backlog_done = 0;
        backlog_emptied = false;
      }
      status.pending = std::max<std::int64_t>(0, status.pending - n - quarantined);
      status.delivered += n;
      status.quarantined += quarantined;
      status.backlog_done += n;
      status.last_success_at = now_utc();
      status.online = true;
      status.attempted = true;
      status.next_attempt_at.reset();
      if (unanswered.empty()) status.last_error.clear();
    }
    refresh_stats(false);
    persist(false);
    if (!unanswered.empty())
      return transient(unanswered, fmt::format("the server's answer left out {} record(s)", unanswered.size()), true);
    backoff.reset();
    batch_limit = options.max_batch_records;
    return {Step::delivered};
  }

  // ---- Heartbeat and erasure
  bool heartbeat() {
    bool need_token;
    {
      std::lock_guard lock(mutex);
      need_token = token.empty();
    }
    if (need_token) load_token();
    std::string bearer;
    json body;
    {
      std::lock_guard lock(mutex);
      if (token.empty() || status.token_revoked) return false;
      bearer = token;
    }
    refresh_stats(true);
    {
      std::lock_guard lock(mutex);
      // assets/api/openapi.yaml, Heartbeat: the server refuses unknown fields.
      body = json{
          {"queue_length", status.pending}, {"app_version", options.app_version}, {"quarantined", status.quarantined}};
      body["oldest_pending_age_s"] =
          status.oldest_pending_created_at
              ? json(std::max<std::int64_t>(0, (now_utc() - *status.oldest_pending_created_at).count()))
              : json(nullptr);
      body["last_sync_at"] = status.last_success_at ? json(format_timestamp(*status.last_success_at)) : json(nullptr);
      body["last_error"] = status.last_error.empty() ? json(nullptr) : json(truncate_utf8(status.last_error, 500));
    }
    Result<HttpResponse> response = [&] {
      std::lock_guard lock(http_mutex);
      return http.post_json("/api/v1/devices/heartbeat", body.dump(), bearer);
    }();
    if (!response) {
      spdlog::info("sync: heartbeat not sent: {}", response.error().message);
      record_failure(response.error().message, false);
      return false;
    }
    {
      // Any answer means head office can be reached, before any record is sent.
      std::lock_guard lock(mutex);
      status.online = true;
      status.attempted = true;
    }
    if (response->status == 404) {
      if (!heartbeat_missing_logged)
        spdlog::warn("sync: the server has no heartbeat endpoint (an older server); carrying on");
      heartbeat_missing_logged = true;
      return false;
    }
    if (response->status == 401) {
      (void)revoke({}, server_error_text(*response));
      return false;
    }
    if (response->status / 100 != 2) {
      spdlog::warn("sync: heartbeat answered {}", server_error_text(*response));
      return false;
    }
    std::lock_guard lock(mutex);
    status.heartbeats_sent += 1;
    return true;
  }

  void erase_due() {
    const auto before = unix_ms_now() - std::chrono::duration_cast<ms>(options.erase_after_delivery).count();
    auto erased = store.erase_delivered(before);
    if (!erased)
      spdlog::error("sync: erasing delivered records: {}", erased.error().message);
    else if (*erased > 0)
      spdlog::info("sync: erased the personal data of {} delivered record(s)", *erased);
  }

  void run();
};

// ---- The thread -------------------------------------------------------------------------------
void SyncEngine::Impl::run() {
  const bool heartbeats = options.heartbeat_interval.count() > 0;
  auto next_heartbeat = steady::now() + std::chrono::seconds(2);  // soon after start: head office sees the device
  const auto erase_every = std::clamp<ms>(options.erase_after_delivery / 4, ms(1000), ms(60000));
  auto next_erase = steady::now();
  steady::time_point backoff_until{};  // in the past: not backing off

  while (true) {
    {
      std::unique_lock lock(mutex);
      if (stop_requested) break;
      if (steady::now() < backoff_until) {
        // A saved record does not cut a backoff short: the server is away or busy.
        wake.wait_until(lock, backoff_until, [&] { return stop_requested; });
        continue;
      }
      notified = false;
    }
    if (heartbeats && steady::now() >= next_heartbeat) {
      (void)heartbeat();
      next_heartbeat = steady::now() + options.heartbeat_interval;
    }
    if (options.erase_after_delivery.count() > 0 && steady::now() >= next_erase) {
      erase_due();
      next_erase = steady::now() + erase_every;
    }
    const StepResult result = step();
    notify_change();
    if (result.step == Step::delivered) continue;
    if (result.step == Step::transient) {
      backoff_until = steady::now() + result.wait;
      persist(true);
      continue;
    }
    persist(true);
    auto until = steady::now() + std::chrono::minutes(10);
    if (heartbeats) until = std::min(until, next_heartbeat);
    if (options.erase_after_delivery.count() > 0) until = std::min(until, next_erase);
    std::unique_lock lock(mutex);
    wake.wait_until(lock, until, [&] { return stop_requested || notified; });
  }
  persist(true);
  std::lock_guard lock(mutex);
  status.running = false;
}

Result<std::unique_ptr<SyncEngine>> SyncEngine::create(DeviceStore& store, SyncOptions options) {
  if (options.max_batch_records == 0 || options.max_batch_bytes == 0)
    return Error{Errc::invalid, "the batch limits must be above zero"};
  auto http = HttpClient::create(options.connection);
  if (!http) return http.error();
  auto impl = std::make_unique<Impl>(store, std::move(options), std::move(http.value()));
  impl->load_token();
  auto last_success = store.setting(keys::last_success_at);
  if (last_success && *last_success) impl->status.last_success_at = parse_timestamp(**last_success);
  impl->persisted_success = impl->status.last_success_at;
  impl->refresh_stats(true);
  return std::unique_ptr<SyncEngine>(new SyncEngine(std::move(impl)));
}

SyncEngine::SyncEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->thread.joinable()) return;
  impl_->stop_requested = false;
  impl_->status.running = true;
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void SyncEngine::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stop_requested = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void SyncEngine::notify() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->notified = true;
    impl_->status.pending += 1;  // a hint until the next count
  }
  impl_->wake.notify_all();
}

SyncStatus SyncEngine::status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->status;
}

void SyncEngine::on_change(std::function<void()> callback) {
  std::lock_guard lock(impl_->mutex);
  impl_->changed = std::move(callback);
}

bool SyncEngine::send_heartbeat() { return impl_->heartbeat(); }

// ---- Drain ------------------------------------------------------------------------------------
SyncEngine::DrainResult SyncEngine::drain(steady::time_point deadline,
                                          const std::function<void(const SyncStatus&)>& progress) {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    if (impl.thread.joinable()) {
      spdlog::error("sync: drain() while the engine's thread runs; stop() it first");
      return DrainResult::stopped;
    }
    impl.stop_requested = false;  // a drain after stop() runs again
  }
  impl.refresh_stats(true);
  auto report = [&] {
    if (progress) progress(status());
  };
  while (true) {
    {
      std::lock_guard lock(impl.mutex);
      if (impl.stop_requested) return DrainResult::stopped;
    }
    const auto result = impl.step();
    if (result.step == Impl::Step::delivered) {
      report();
      if (steady::now() >= deadline) break;
      continue;
    }
    impl.persist(true);
    report();
    if (result.step == Impl::Step::revoked) return DrainResult::revoked;
    if (result.step == Impl::Step::not_enrolled) return DrainResult::not_enrolled;
    ms wait = result.wait;
    if (result.step == Impl::Step::idle) {
      if (status().pending == 0) {
        if (impl.options.erase_after_delivery.count() > 0) impl.erase_due();
        return DrainResult::drained;
      }
      wait = ms(200);  // another process holds entries in flight: wait for its answer
    }
    const auto now = steady::now();
    if (now >= deadline) break;
    std::unique_lock lock(impl.mutex);
    impl.wake.wait_until(lock, std::min(deadline, now + wait), [&] { return impl.stop_requested; });
  }
  impl.persist(true);
  impl.refresh_stats(true);
  return status().pending == 0 ? DrainResult::drained : DrainResult::timed_out;
}

}  // namespace heed::sync
