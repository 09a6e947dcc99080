#include <doctest/doctest.h>

#include "heed/time.hpp"

using namespace heed;
using namespace std::chrono;

TEST_CASE("timestamps round-trip in the wire's one spelling") {
  const auto t = parse_timestamp("2026-11-22T14:05:09Z");
  REQUIRE(t);
  CHECK(format_timestamp(*t) == "2026-11-22T14:05:09Z");
  CHECK(t->time_since_epoch().count() == 1795356309);
  CHECK(format_timestamp(sys_seconds{}) == "1970-01-01T00:00:00Z");
  const auto now = now_utc();
  CHECK(parse_timestamp(format_timestamp(now)) == now);
}

TEST_CASE("timestamps in other spellings are refused") {
  for (const char* bad : {"2026-11-22T14:05:09", "2026-11-22T14:05:09+00:00", "2026-11-22 14:05:09Z",
                          "2026-11-22T14:05:09.123Z", "2026-11-22t14:05:09z", "2026-11-22T24:00:00Z",
                          "2026-11-22T14:60:00Z", "2026-11-22T14:05:60Z", "2026-02-30T10:00:00Z", "", "garbage"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_timestamp(bad));
  }
}

TEST_CASE("dates are real calendar dates") {
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2026-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-01"));
  CHECK_FALSE(parse_date("26-01-01"));
  CHECK(format_date(*parse_date("2026-01-05")) == "2026-01-05");
  CHECK(utc_date(*parse_timestamp("2026-11-22T23:59:59Z")) == *parse_date("2026-11-22"));
}
