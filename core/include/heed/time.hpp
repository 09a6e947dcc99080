// Times and dates as the wire format writes them: RFC 3339 UTC times with whole
// seconds ("2026-11-22T14:05:09Z") and calendar dates ("2026-11-22").
// Parsing is strict so that a record has one spelling, which keeps the server's
// duplicate check (same id, same content) exact.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace heed {

using Timestamp = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

// The current UTC time, truncated to whole seconds.
Timestamp now_utc();

std::string format_timestamp(Timestamp t);                     // "2026-11-22T14:05:09Z"
std::optional<Timestamp> parse_timestamp(std::string_view s);  // nullopt unless exactly that form

std::string format_date(Date d);                     // "2026-11-22"
std::optional<Date> parse_date(std::string_view s);  // nullopt unless a real calendar date

// The UTC calendar date of a time.
Date utc_date(Timestamp t);

// Milliseconds since the Unix epoch on the system clock: the outbox's scheduling unit.
std::int64_t unix_ms_now();

}  // namespace heed
