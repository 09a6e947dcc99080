// Working-time arithmetic over a zone's local days (see business_calendar.hpp).
#include "heed/business_calendar.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace heed {

namespace {
// No chain's SLA reaches ten years: a bound that also stops a bad calendar looping.
constexpr int kMaxDays = 3660;
}  // namespace

Result<BusinessCalendar> BusinessCalendar::make(CalendarSettings settings) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(settings.time_zone);
  } catch (const std::exception&) {
    return Error{Errc::invalid, fmt::format("unknown time zone \"{}\"", settings.time_zone)};
  }
  bool any = false;
  for (bool d : settings.working_days) any = any || d;
  if (!any) return Error{Errc::invalid, "a calendar needs at least one working day"};
  if (settings.day_start < std::chrono::minutes(0) || settings.day_end > std::chrono::hours(24) ||
      settings.day_start >= settings.day_end)
    return Error{Errc::invalid, "working hours must start before they end, within one day"};
  return BusinessCalendar(std::move(settings), zone);
}

BusinessCalendar::BusinessCalendar(CalendarSettings settings, const date::time_zone* zone)
    : settings_(std::move(settings)), zone_(zone) {}

bool BusinessCalendar::is_working_day(Date day) const {
  const std::chrono::weekday weekday{std::chrono::sys_days{day}};
  return settings_.working_days[weekday.c_encoding()] && !settings_.holidays.count(day);
}

Date BusinessCalendar::local_date(Timestamp t) const {
  const auto local = zone_->to_local(t);
  return Date{std::chrono::floor<std::chrono::days>(std::chrono::sys_days{} + local.time_since_epoch())};
}

std::chrono::seconds BusinessCalendar::local_time_of_day(Timestamp t) const {
  const auto local = zone_->to_local(t).time_since_epoch();
  return local - std::chrono::floor<std::chrono::days>(local);
}

bool BusinessCalendar::window(Date day, Timestamp& open, Timestamp& close) const {
  if (!is_working_day(day)) return false;
  const date::local_seconds midnight{std::chrono::sys_days{day}.time_since_epoch()};
  open =
      std::chrono::floor<std::chrono::seconds>(zone_->to_sys(midnight + settings_.day_start, date::choose::earliest));
  close = std::chrono::floor<std::chrono::seconds>(zone_->to_sys(midnight + settings_.day_end, date::choose::earliest));
  return true;
}

Timestamp BusinessCalendar::add(Timestamp start, WorkingDuration duration) const {
  auto remaining = std::chrono::duration_cast<std::chrono::seconds>(duration.working_time);
  Timestamp cursor = start;
  auto day = std::chrono::sys_days{local_date(start)};
  for (int i = 0; i < kMaxDays; ++i, day += std::chrono::days(1)) {
    Timestamp open, close;
    if (!window(Date{day}, open, close) || cursor >= close) continue;
    const Timestamp begin = std::max(cursor, open);
    const auto available = close - begin;
    if (remaining <= available) return begin + remaining;
    remaining -= available;
    cursor = close;
  }
  return cursor + remaining;  // unreachable with a valid calendar
}

std::chrono::minutes BusinessCalendar::between(Timestamp from, Timestamp to) const {
  if (to <= from) return std::chrono::minutes(0);
  const auto first = std::chrono::sys_days{local_date(from)};
  const auto last = std::min(std::chrono::sys_days{local_date(to)}, first + std::chrono::days(kMaxDays - 1));
  std::chrono::seconds total{0};
  const auto clipped = [&](std::chrono::sys_days day) {
    Timestamp open, close;
    if (!window(Date{day}, open, close)) return std::chrono::seconds(0);
    const auto begin = std::max(from, open), end = std::min(to, close);
    return end > begin ? std::chrono::seconds(end - begin) : std::chrono::seconds(0);
  };
  total += clipped(first);
  if (last == first) return std::chrono::duration_cast<std::chrono::minutes>(total);
  total += clipped(last);
  // The days in between are whole: counted, not walked, so a case two years
  // overdue costs as little as one due tomorrow (the queue sorts those first).
  const auto inner_first = first + std::chrono::days(1), inner_last = last - std::chrono::days(1);
  if (inner_first <= inner_last) total += whole_days_between(inner_first, inner_last);
  return std::chrono::duration_cast<std::chrono::minutes>(total);
}

std::chrono::seconds BusinessCalendar::whole_days_between(std::chrono::sys_days first,
                                                          std::chrono::sys_days last) const {
  long long working = 0;
  for (unsigned wd = 0; wd < 7; ++wd) {
    if (!settings_.working_days[wd]) continue;
    const auto offset = (std::chrono::weekday{wd} - std::chrono::weekday{first}).count();  // 0..6
    const auto on_or_after = first + std::chrono::days(offset);
    if (on_or_after <= last) working += (last - on_or_after).count() / 7 + 1;
  }
  for (auto it = settings_.holidays.lower_bound(Date{first}); it != settings_.holidays.end() && *it <= Date{last};
       ++it)
    if (settings_.working_days[std::chrono::weekday{std::chrono::sys_days{*it}}.c_encoding()]) --working;
  std::chrono::seconds total = std::chrono::duration_cast<std::chrono::seconds>(day_length()) * working;

  // A day whose working hours span a change of the clocks is an hour longer or
  // shorter: look at the days around each transition in the range.
  std::set<std::chrono::sys_days> touched;
  Timestamp t = std::chrono::floor<std::chrono::seconds>(
      zone_->to_sys(date::local_seconds{first.time_since_epoch()}, date::choose::earliest));
  const Timestamp end = std::chrono::floor<std::chrono::seconds>(
      zone_->to_sys(date::local_seconds{(last + std::chrono::days(1)).time_since_epoch()}, date::choose::earliest));
  while (t < end) {
    const auto info = zone_->get_info(t);
    if (info.end >= end) break;
    const auto day = std::chrono::sys_days{local_date(info.end)};
    for (int d = -1; d <= 1; ++d) touched.insert(day + std::chrono::days(d));
    t = info.end;
  }
  for (const auto day : touched) {
    Timestamp open, close;
    if (day < first || day > last || !window(Date{day}, open, close)) continue;
    total += std::chrono::seconds(close - open) - std::chrono::duration_cast<std::chrono::seconds>(day_length());
  }
  return total;
}

Result<std::set<Date>> load_holidays(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Error{Errc::not_found, fmt::format("{}: cannot be read", file.string())};
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("dates") || !j["dates"].is_array())
    return Error{Errc::invalid, fmt::format("{}: must be {{\"dates\": [\"YYYY-MM-DD\", ...]}}", file.string())};
  std::set<Date> dates;
  for (const auto& d : j["dates"]) {
    auto date = d.is_string() ? parse_date(d.get<std::string>()) : std::nullopt;
    if (!date) return Error{Errc::invalid, fmt::format("{}: \"{}\" is not a date", file.string(), d.dump())};
    dates.insert(*date);
  }
  return dates;
}

}  // namespace heed
