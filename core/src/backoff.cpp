#include "heed/backoff.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace heed {

Backoff::Backoff(ms first, ms cap, std::uint64_t seed) : first_(first), cap_(cap), random_(seed) {}

Backoff::ms Backoff::after_failure(std::optional<std::chrono::seconds> retry_after) {
  ++failures_;
  // first * 2^(failures-1), without overflowing: stop doubling once past the cap.
  ms step = first_;
  for (int i = 1; i < failures_ && step < cap_; ++i) step *= 2;
  step = std::min(step, cap_);
  std::uniform_int_distribution<ms::rep> jitter(0, step.count() / 2);
  ms wait = step - ms(step.count() / 2) + ms(jitter(random_));
  if (retry_after) wait = std::max<ms>(wait, std::min<ms>(*retry_after, std::chrono::hours(1)));
  return wait;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, Timestamp now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    if (value.size() > 9 || std::from_chars(value.data(), value.data() + value.size(), seconds).ec != std::errc())
      return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // IMF-fixdate: "Wed, 21 Oct 2026 07:28:00 GMT"
  if (value.size() != 29 || value.substr(3, 2) != ", " || value.substr(25) != " GMT") return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(kMonths.begin(), kMonths.end(), value.substr(8, 3));
  if (month == kMonths.end()) return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) {
    int n = -1;
    std::from_chars(value.data() + pos, value.data() + pos + len, n);
    return n;
  };
  const int day = number(5, 2), year = number(12, 4), h = number(17, 2), m = number(20, 2), s = number(23, 2);
  const Date date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month - kMonths.begin() + 1)},
                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return std::nullopt;
  const Timestamp when =
      std::chrono::sys_days{date} + std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(s);
  return std::max(std::chrono::seconds(0), when - now);
}

}  // namespace heed
