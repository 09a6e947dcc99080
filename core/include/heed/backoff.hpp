// When to try again after a transient delivery failure (no connection, a
// timeout, 5xx, 429): exponential backoff with "equal jitter" (half the step
// fixed, half random, so a chain's kiosks coming back after an outage do not
// retry in lockstep), capped at 5 minutes, never sooner than the server's
// Retry-After, and back to the first step after a success.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "heed/time.hpp"

namespace heed {

class Backoff {
 public:
  using ms = std::chrono::milliseconds;
  explicit Backoff(ms first = ms(1000), ms cap = std::chrono::minutes(5), std::uint64_t seed = std::random_device{}());

  // The wait before the next attempt, after one more failure.
  ms after_failure(std::optional<std::chrono::seconds> retry_after = std::nullopt);
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  ms first_, cap_;
  int failures_ = 0;
  std::mt19937_64 random_;
};

// A Retry-After header: delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2026
// 07:28:00 GMT") relative to `now`. nullopt when absent or malformed; never negative.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, Timestamp now);

}  // namespace heed
