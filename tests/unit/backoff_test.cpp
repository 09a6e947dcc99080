#include <doctest/doctest.h>

#include "heed/backoff.hpp"

using namespace heed;
using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

TEST_CASE("waits double with jitter in the upper half of each step, up to five minutes") {
  Backoff backoff(1s, 5min, 42);
  for (int i = 1; i <= 20; ++i) {
    const ms step = std::min<ms>(ms(1000LL << std::min(i - 1, 30)), 5min);
    const ms wait = backoff.after_failure();
    CAPTURE(i);
    CHECK(wait >= step / 2);
    CHECK(wait <= step);
  }
  CHECK(backoff.failures() == 20);
  CHECK(backoff.after_failure() <= 5min);
}

TEST_CASE("a success starts again from the first step") {
  Backoff backoff(1s, 5min, 7);
  for (int i = 0; i < 6; ++i) (void)backoff.after_failure();
  backoff.reset();
  CHECK(backoff.after_failure() <= 1s);
}

TEST_CASE("Retry-After is honoured as a floor, and an absurd one is bounded") {
  Backoff backoff(1s, 5min, 1);
  CHECK(backoff.after_failure(30s) >= 30s);
  CHECK(backoff.after_failure(std::chrono::seconds(86400 * 30)) == 1h);
}

TEST_CASE("two kiosks retrying after the same outage do not retry in lockstep") {
  Backoff a(1s, 5min, 1), b(1s, 5min, 2);
  int different = 0;
  for (int i = 0; i < 8; ++i) different += a.after_failure() != b.after_failure();
  CHECK(different >= 6);
}

TEST_CASE("Retry-After in seconds or as an HTTP date") {
  const auto now = *parse_timestamp("2026-10-21T07:27:00Z");
  CHECK(parse_retry_after("120", now) == 120s);
  CHECK(parse_retry_after(" 0 ", now) == 0s);
  CHECK(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now) == 60s);
  CHECK(parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now) == 0s);  // already past
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("Wed, 32 Oct 2026 07:28:00 GMT", now));
  CHECK_FALSE(parse_retry_after("99999999999", now));
}
