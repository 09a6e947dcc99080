// Metrics in Prometheus text format, and the sign-in throttle (see context.hpp).
#include "context.hpp"

#include <fmt/format.h>

namespace heed::server::detail {

std::string Metrics::render(const StorageStats& stats) const {
  std::string out;
  auto counter = [&](std::string_view name, std::string_view help, std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, value);
  };
  auto gauge = [&](std::string_view name, std::string_view help, std::int64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, help, value);
  };
  out += "# HELP heed_http_responses_total HTTP responses by status code.\n# TYPE heed_http_responses_total counter\n";
  std::uint64_t total = 0;
  for (std::size_t code = 100; code < responses.size(); ++code) {
    const auto n = responses[code].load();
    total += n;
    if (n > 0) out += fmt::format("heed_http_responses_total{{code=\"{}\"}} {}\n", code, n);
  }
  out += fmt::format(
      "# HELP heed_http_request_seconds Time spent answering requests.\n# TYPE heed_http_request_seconds summary\n"
      "heed_http_request_seconds_sum {:.6f}\nheed_http_request_seconds_count {}\n",
      static_cast<double>(request_micros.load()) / 1e6, total);
  counter("heed_ingest_batches_total", "Record batches received.", ingest_batches);
  out += "# HELP heed_records_total Records received, by outcome.\n# TYPE heed_records_total counter\n";
  out += fmt::format("heed_records_total{{outcome=\"accepted\"}} {}\n", records_accepted.load());
  out += fmt::format("heed_records_total{{outcome=\"duplicate\"}} {}\n", records_duplicate.load());
  out += fmt::format("heed_records_total{{outcome=\"conflict\"}} {}\n", records_conflict.load());
  out += fmt::format("heed_records_total{{outcome=\"rejected\"}} {}\n", records_rejected.load());
  counter("heed_cases_opened_total", "Cases opened by arriving records.", cases_opened);
  counter("heed_case_breaches_total", "SLA deadlines breached and escalated.", breaches);
  counter("heed_webhooks_delivered_total", "Webhooks a receiver accepted.", webhooks_delivered);
  counter("heed_webhook_failures_total", "Webhook attempts that failed (each is retried).", webhook_failures);
  counter("heed_webhooks_given_up_total", "Webhooks dropped because their endpoint left the config.",
          webhooks_given_up);
  counter("heed_logins_total", "Successful sign-ins.", logins);
  counter("heed_login_failures_total", "Failed sign-ins.", login_failures);
  counter("heed_heartbeats_total", "Device heartbeats received.", heartbeats);
  counter("heed_digests_sent_total", "KPI digests the SMTP relay accepted.", digests_sent);
  counter("heed_digest_failures_total", "KPI digest attempts that failed (each is retried).", digest_failures);
  counter("heed_digests_given_up_total", "KPI digests given up (user gone, unsubscribed, or too late).",
          digests_given_up);
  gauge("heed_records_stored", "Records in the database.", stats.records);
  gauge("heed_devices_enrolled", "Enrolled devices not revoked.", stats.devices);
  gauge("heed_cases_open", "Cases open now (breached included).", stats.cases_open);
  gauge("heed_webhooks_pending", "Webhooks waiting in the outbox.", stats.webhooks_pending);
  return out;
}

std::chrono::milliseconds LoginThrottle::failure(const std::string& key) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  // Forget usernames idle for a quarter of an hour, so the map stays small.
  if (entries_.size() > 10000)
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last > std::chrono::minutes(15); });
  Entry& e = entries_[key];
  if (now - e.last > std::chrono::minutes(15)) e.failures = 0;
  e.last = now;
  ++e.failures;
  if (e.failures <= free_) return std::chrono::milliseconds(0);
  const int doublings = std::min(e.failures - free_ - 1, 20);
  return std::min(max_, base_ * (std::int64_t{1} << doublings));
}

void LoginThrottle::success(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace heed::server::detail
