// Internal to the server: the scheduler's two threads.
// - The breach scan finds open cases past a deadline whose breach is not yet
//   escalated, every breach_scan_interval and at once when nudged (a record that
//   arrives already past its deadline), and escalates them through the
//   workflow; each escalation writes its webhook into the outbox in the same
//   transaction.
// - The webhook sender delivers the outbox in order of due time, signed with
//   HMAC-SHA256, and on failure schedules the next attempt with exponential
//   backoff. A message leaves the outbox only when a receiver answered 2xx, so
//   a restart loses none (a receiver may see one twice: X-Heed-Delivery is the
//   same on every attempt).
// - Each message goes to the endpoint it names (server_config.hpp), signed with
//   that endpoint's secret. A message whose endpoint is no longer in the config
//   is given up at its next turn: last_error says why, it no longer counts as
//   pending, and it is never sent to another endpoint nor tried again. Without
//   any endpoint the sender still runs, so such messages do not wait for ever.
// - The digest sender (digest.hpp) records each digest a subscriber is owed once
//   its period has ended and the configured hour has come in the chain's zone
//   (a row keyed by user, period and first day: a restart neither resends nor
//   skips it), then sends the owed rows through the SMTP relay. A failed send is
//   retried with exponential backoff; one still unsent digest_give_up_after
//   after it fell due, or whose user left, unsubscribed or lost their address,
//   is given up with its reason. A row is marked sent only after the relay
//   accepted the message; each attempt carries the same Message-ID, so a crash
//   between the relay's acceptance and the mark (the one window where a digest
//   could go twice) leaves a copy a mail client recognises as the same message.
//   Without a relay nothing is recorded or sent.
// - The breach thread also deletes ended sessions (past their life or idle)
//   every kSessionPurgeInterval. authenticate refuses them anyway: this only
//   keeps the table small.
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <tuple>
#include <thread>

#include "context.hpp"

namespace heed::server {

class Scheduler {
 public:
  explicit Scheduler(detail::ServerContext& ctx) : ctx_(ctx) {}
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler() { stop(); }

  void start();
  void stop();  // waits for a delivery in flight (bounded by webhook_timeout)
  void scan_now();
  void send_now();  // a change queued webhooks: look at the outbox now, not at the next poll
  void digests_now();  // look for digests due now, not at the next poll

 private:
  void breach_loop();
  void webhook_loop();
  int scan_once();  // breaches escalated
  void purge_sessions();
  static constexpr std::chrono::minutes kSessionPurgeInterval{10};
  void deliver(const WebhookMessage& message);
  void digest_loop();
  void queue_digests();  // records the digests owed now
  void send_digests();   // sends the owed digests that are due
  void send_digest(const DigestDelivery& d, const std::vector<User>& users);

  detail::ServerContext& ctx_;
  std::mutex mutex_;
  std::condition_variable breach_cv_, webhook_cv_;
  bool stopping_ = false;
  bool scan_requested_ = false;
  bool send_requested_ = false;
  bool digests_requested_ = false;
  std::condition_variable digest_cv_;
  std::set<std::tuple<std::int64_t, DigestPeriod, std::int64_t>> digests_recorded_;  // digest thread only
  std::thread breach_thread_, webhook_thread_, digest_thread_;
};

}  // namespace heed::server
