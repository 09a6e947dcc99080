// The breach scan and the webhook sender (see scheduler.hpp).
#include "scheduler.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "heed/server/digest.hpp"
#include "heed/server/tokens.hpp"

namespace heed::server {

void Scheduler::start() {
  breach_thread_ = std::thread([this] { breach_loop(); });
  webhook_thread_ = std::thread([this] { webhook_loop(); });
  if (ctx_.options.smtp.configured()) {
    smtp_global_init();
    digest_thread_ = std::thread([this] { digest_loop(); });
  }
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  breach_cv_.notify_all();
  webhook_cv_.notify_all();
  digest_cv_.notify_all();
  if (breach_thread_.joinable()) breach_thread_.join();
  if (webhook_thread_.joinable()) webhook_thread_.join();
  if (digest_thread_.joinable()) digest_thread_.join();
}

void Scheduler::digests_now() {
  {
    std::lock_guard lock(mutex_);
    digests_requested_ = true;
  }
  digest_cv_.notify_all();
}

void Scheduler::scan_now() {
  {
    std::lock_guard lock(mutex_);
    scan_requested_ = true;
  }
  breach_cv_.notify_all();
}

void Scheduler::send_now() {
  {
    std::lock_guard lock(mutex_);
    send_requested_ = true;
  }
  webhook_cv_.notify_all();
}

int Scheduler::scan_once() {
  int escalated = 0;
  constexpr int kBatch = 100;
  while (true) {
    const Timestamp now = ctx_.now();
    auto ids = ctx_.storage().cases_past_deadline(now, kBatch);
    if (!ids) {
      spdlog::error("breach scan failed: {}", ids.error().message);
      return escalated;
    }
    // One transaction for the batch: after downtime there may be thousands.
    std::size_t breaches = 0;
    const CaseMutator escalate = ctx_.workflow.escalate_breaches(now);
    auto updated = ctx_.storage().update_cases(*ids, [&](CaseRow& c) -> Result<CaseChange> {
      auto change = escalate(c);
      if (change) breaches += change->events.size();
      return change;
    });
    if (!updated) {
      spdlog::error("escalating {} cases failed: {}", ids->size(), updated.error().message);
      return escalated;
    }
    if (breaches > 0) spdlog::info("{} deadlines breached in {} cases: escalated", breaches, updated->size());
    escalated += static_cast<int>(breaches);
    if (static_cast<int>(ids->size()) < kBatch) break;
  }
  if (escalated > 0) {
    ctx_.metrics.breaches += static_cast<std::uint64_t>(escalated);
    {
      std::lock_guard lock(mutex_);
      send_requested_ = true;
    }
    webhook_cv_.notify_all();
  }
  return escalated;
}

void Scheduler::purge_sessions() {
  if (auto r = ctx_.storage().purge_sessions(ctx_.now(), ctx_.options.idle_timeout); !r)
    spdlog::error("purging ended sessions failed: {}", r.error().message);
}

void Scheduler::breach_loop() {
  std::unique_lock lock(mutex_);
  auto purged = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    scan_requested_ = false;
    lock.unlock();
    scan_once();
    if (std::chrono::steady_clock::now() - purged >= kSessionPurgeInterval) {
      purge_sessions();
      purged = std::chrono::steady_clock::now();
    }
    lock.lock();
    breach_cv_.wait_for(lock, ctx_.options.breach_scan_interval, [&] { return stopping_ || scan_requested_; });
  }
}

void Scheduler::deliver(const WebhookMessage& message) {
  const auto& endpoints = ctx_.options.webhooks;
  const auto to = std::find_if(endpoints.begin(), endpoints.end(),
                               [&](const WebhookEndpoint& e) { return e.name == message.endpoint; });
  if (to == endpoints.end()) {
    // Its endpoint left the config: sending it elsewhere would leak it, retrying cannot help.
    const std::string error =
        fmt::format("endpoint \"{}\" is no longer in the server's config: given up, not sent", message.endpoint);
    spdlog::warn("webhook {} ({}): {}", message.id, message.event, error);
    ctx_.metrics.webhooks_given_up++;
    if (auto r = ctx_.storage().webhook_given_up(message.id, unix_ms_now(), error); !r)
      spdlog::error("webhook {} could not be given up: {}", message.id, r.error().message);
    return;
  }
  const std::string& url = to->url;
  const auto scheme_end = url.find("://");
  const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  const std::string origin = url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);

  httplib::Client client(origin);
  const auto timeout = ctx_.options.webhook_timeout;
  client.set_connection_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), 0);
  client.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), 0);
  client.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), 0);
  client.set_tcp_nodelay(true);
  const httplib::Headers headers{{"X-Heed-Event", message.event},
                                 {"X-Heed-Delivery", std::to_string(message.id)},
                                 {"X-Heed-Signature", "sha256=" + hmac_sha256_hex(to->secret, message.body)},
                                 {"User-Agent", "heed-server"}};
  auto res = client.Post(path.c_str(), headers, message.body, "application/json");

  const std::int64_t now_ms = unix_ms_now();
  if (res && res->status >= 200 && res->status < 300) {
    if (auto r = ctx_.storage().webhook_delivered(message.id, now_ms); !r)
      spdlog::error("webhook {} was delivered but could not be marked: {}", message.id, r.error().message);
    ctx_.metrics.webhooks_delivered++;
    return;
  }
  const std::string error =
      res ? fmt::format("HTTP {}", res->status) : fmt::format("{}", httplib::to_string(res.error()));
  const int attempt = std::min(message.attempts, 30);
  const auto base = ctx_.options.webhook_retry_base.count();
  const auto delay =
      std::min<std::int64_t>(ctx_.options.webhook_retry_max.count(), base * (std::int64_t{1} << std::min(attempt, 20)));
  spdlog::warn("webhook {} to {} failed (attempt {}): {}; next try in {} ms", message.id, message.endpoint,
               message.attempts + 1, error, delay);
  ctx_.metrics.webhook_failures++;
  if (auto r = ctx_.storage().webhook_failed(message.id, now_ms + delay, error); !r)
    spdlog::error("webhook {} could not be rescheduled: {}", message.id, r.error().message);
}

void Scheduler::webhook_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    send_requested_ = false;
    lock.unlock();
    auto due = ctx_.storage().due_webhooks(unix_ms_now(), 20);
    if (!due)
      spdlog::error("reading the webhook outbox failed: {}", due.error().message);
    else
      for (const auto& message : *due) {
        deliver(message);
        std::lock_guard check(mutex_);
        if (stopping_) break;
      }
    // Sleep until the next message is due, a new one is queued, or a while
    // passes (another process may have queued one).
    auto next = ctx_.storage().next_webhook_due_ms();
    std::int64_t wait_ms = 5000;
    if (next && *next) wait_ms = std::clamp<std::int64_t>(**next - unix_ms_now(), 0, 5000);
    lock.lock();
    if (due && due->size() == 20) continue;  // more are due now
    webhook_cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_ || send_requested_; });
  }
}

// ---- Digests -----------------------------------------------------------------------
namespace {
std::int64_t ms_of(Timestamp t) { return t.time_since_epoch().count() * 1000; }
}  // namespace

void Scheduler::queue_digests() {
  auto users = ctx_.storage().list_users();
  if (!users) {
    spdlog::error("reading digest subscribers failed: {}", users.error().message);
    return;
  }
  const Timestamp now = ctx_.now();
  for (const User& u : *users) {
    if (!u.active || u.digest == DigestFrequency::none || !u.email || !u.digest_since) continue;
    const DigestPeriod period = digest_period_of(u.digest);
    // A week of daily digests or four weekly ones at most, after downtime.
    const int limit = period == DigestPeriod::day ? 7 : 4;
    for (const std::int64_t first_day :
         digests_owed(ctx_.workflow, period, *u.digest_since, now, ctx_.options.digest_send_hour, limit)) {
      const auto key = std::tuple{u.id, period, first_day};
      if (digests_recorded_.contains(key)) continue;
      auto added = ctx_.storage().add_digest_delivery(u.id, period, first_day, now);
      if (!added) {
        spdlog::error("recording a digest for {} failed: {}", u.username, added.error().message);
        return;
      }
      digests_recorded_.insert(key);
    }
  }
}

void Scheduler::send_digest(const DigestDelivery& d, const std::vector<User>& users) {
  const Timestamp now = ctx_.now();
  const std::string what = fmt::format("{} digest of {}", digest_period_name(d.period),
                                       format_date(Date{std::chrono::sys_days{std::chrono::days{d.first_day}}}));
  const auto user = std::find_if(users.begin(), users.end(), [&](const User& u) { return u.id == d.user_id; });
  auto give_up = [&](const std::string& why) {
    spdlog::warn("{} for user {}: given up, {}", what, user == users.end() ? "?" : user->username, why);
    ctx_.metrics.digests_given_up++;
    if (auto r = ctx_.storage().digest_given_up(d.user_id, d.period, d.first_day, now, why); !r)
      spdlog::error("{} could not be given up: {}", what, r.error().message);
  };
  if (user == users.end() || !user->active) return give_up("the user is gone or disabled");
  if (user->digest == DigestFrequency::none || digest_period_of(user->digest) != d.period)
    return give_up("the user no longer subscribes to it");
  if (!user->email) return give_up("the user has no email address");
  const DayRange days = digest_days(d.period, d.first_day);
  if (now - digest_due_at(ctx_.workflow, days, ctx_.options.digest_send_hour) > ctx_.options.digest_give_up_after)
    return give_up(fmt::format("still unsent {} hours after it fell due", ctx_.options.digest_give_up_after.count()));

  auto report = build_digest(ctx_.storage(), ctx_.workflow, ctx_.workflow.stores_in(user->scope),
                             scope_label(user->scope, ctx_.workflow.rules()), d.period, days, now,
                             ctx_.workflow.rules().kpi_min_sample);
  Result<void> sent = report ? Result<void>(Ok{}) : Result<void>(report.error());
  if (report) {
    MailMessage m;
    m.to = {*user->email};
    m.subject = digest_subject(*report);
    m.text = render_digest_text(*report);
    m.html = render_digest_html(*report);
    m.date = now;
    const std::string& from = ctx_.options.smtp.from;
    m.message_id = fmt::format("heed-digest.{}.{}.u{}@{}", digest_period_name(d.period),
                               format_date(Date{std::chrono::sys_days{std::chrono::days{d.first_day}}}), d.user_id,
                               from.substr(from.rfind('@') + 1));
    sent = send_mail(ctx_.options.smtp, m);
  }
  if (sent) {
    ctx_.metrics.digests_sent++;
    spdlog::info("{} sent to user {}", what, user->username);
    if (auto r = ctx_.storage().digest_sent(d.user_id, d.period, d.first_day, now); !r)
      spdlog::error("{} was sent but could not be marked: {}", what, r.error().message);
    return;
  }
  const int attempt = std::min(d.attempts, 20);
  const auto delay = std::min<std::int64_t>(ctx_.options.digest_retry_max.count(),
                                            ctx_.options.digest_retry_base.count() * (std::int64_t{1} << attempt));
  ctx_.metrics.digest_failures++;
  spdlog::warn("{} for user {} failed (attempt {}): {}; next try in {} s", what, user->username, d.attempts + 1,
               sent.error().message, delay / 1000);
  if (auto r = ctx_.storage().digest_failed(d.user_id, d.period, d.first_day, ms_of(now) + delay, sent.error().message);
      !r)
    spdlog::error("{} could not be rescheduled: {}", what, r.error().message);
}

void Scheduler::send_digests() {
  auto due = ctx_.storage().due_digests(ms_of(ctx_.now()), 50);
  if (!due) {
    spdlog::error("reading the digests due failed: {}", due.error().message);
    return;
  }
  if (due->empty()) return;
  auto users = ctx_.storage().list_users();
  if (!users) {
    spdlog::error("reading digest subscribers failed: {}", users.error().message);
    return;
  }
  for (const DigestDelivery& d : *due) {
    send_digest(d, *users);
    std::lock_guard check(mutex_);
    if (stopping_) return;
  }
}

void Scheduler::digest_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    digests_requested_ = false;
    lock.unlock();
    queue_digests();
    send_digests();
    lock.lock();
    digest_cv_.wait_for(lock, ctx_.options.digest_poll_interval, [&] { return stopping_ || digests_requested_; });
  }
}

}  // namespace heed::server
