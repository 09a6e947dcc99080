// Strict RFC 3339 (UTC, whole seconds) and calendar-date text for the wire.
#include "heed/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace heed {
namespace {

// Reads exactly `width` ASCII digits at text[pos].
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Timestamp now_utc() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Date utc_date(Timestamp t) { return Date{std::chrono::floor<std::chrono::days>(t)}; }

std::string format_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = read_digits(s, 0, 4), m = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  Date date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
            std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_timestamp(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(Date{day}), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

std::optional<Timestamp> parse_timestamp(std::string_view s) {
  // 2026-11-22T14:05:09Z
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  auto h = read_digits(s, 11, 2), m = read_digits(s, 14, 2), sec = read_digits(s, 17, 2);
  // Leap seconds (:60) are not representable in sys_seconds; devices never write them.
  if (!date || !h || !m || !sec || *h > 23 || *m > 59 || *sec > 59) return std::nullopt;
  return std::chrono::sys_days{*date} + std::chrono::hours{*h} + std::chrono::minutes{*m} + std::chrono::seconds{*sec};
}

}  // namespace heed
