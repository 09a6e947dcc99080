// Working time for SLA deadlines: a chain's working days and hours in its time
// zone (default Monday-Friday 09:00-17:30, Europe/London), less its bank
// holidays. A deadline of "1 working day" is a working day's length of working
// time: a complaint made on Friday at 15:00 is due on Monday at 15:00, and one
// made on Saturday waits for Monday 09:00 before its clock starts. Daylight
// saving is handled by the zone rules (Debian's tzdata).
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/result.hpp"
#include "heed/time.hpp"

namespace date {
class time_zone;
}

namespace heed {

struct CalendarSettings {
  std::string time_zone = "Europe/London";
  std::array<bool, 7> working_days{false, true, true, true, true, true, false};  // Sunday first
  std::chrono::minutes day_start{9 * 60};
  std::chrono::minutes day_end{17 * 60 + 30};
  std::set<Date> holidays;
};

// An SLA target: working hours or working days (days of the calendar's day length).
struct WorkingDuration {
  std::chrono::minutes working_time{0};
  static WorkingDuration hours(int h) { return {std::chrono::minutes(h * 60)}; }
};

class BusinessCalendar {
 public:
  // Checks the settings: a known zone, at least one working day, start before end.
  static Result<BusinessCalendar> make(CalendarSettings settings);

  const CalendarSettings& settings() const { return settings_; }
  std::chrono::minutes day_length() const { return settings_.day_end - settings_.day_start; }
  WorkingDuration days(int n) const { return {day_length() * n}; }

  // The moment when `duration` of working time has passed since `start`.
  Timestamp add(Timestamp start, WorkingDuration duration) const;
  // Working time between two moments (zero if `to` is not after `from`).
  std::chrono::minutes between(Timestamp from, Timestamp to) const;
  bool is_working_day(Date day) const;
  // The calendar date of a moment in the chain's zone.
  Date local_date(Timestamp t) const;
  // The time of day of a moment in the chain's zone (since local midnight).
  std::chrono::seconds local_time_of_day(Timestamp t) const;

 private:
  BusinessCalendar(CalendarSettings settings, const date::time_zone* zone);
  // The working window of a local date in UTC, if it is a working day.
  bool window(Date day, Timestamp& open, Timestamp& close) const;
  // Working time in the whole local days first..last, in closed form.
  std::chrono::seconds whole_days_between(std::chrono::sys_days first, std::chrono::sys_days last) const;

  CalendarSettings settings_;
  const date::time_zone* zone_;
};

// Dates from a bank-holiday list file: {"division": "...", "dates": ["2026-12-25", ...]}.
Result<std::set<Date>> load_holidays(const std::filesystem::path& file);

}  // namespace heed
