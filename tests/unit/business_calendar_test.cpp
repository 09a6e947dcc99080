// SLA working-time arithmetic across weekends, bank holidays and the clocks changing.
#include <doctest/doctest.h>

#include <date/tz.h>

#include "heed/business_calendar.hpp"

using namespace heed;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

BusinessCalendar london() {
  CalendarSettings settings;
  settings.holidays =
      load_holidays(std::filesystem::path(HEED_ASSETS_DIR) / "calendar/bank-holidays-england-wales.json").value();
  return BusinessCalendar::make(settings).value();
}

}  // namespace

TEST_CASE("the shipped England and Wales list has Christmas 2026's substitute day") {
  const auto holidays =
      load_holidays(std::filesystem::path(HEED_ASSETS_DIR) / "calendar/bank-holidays-england-wales.json");
  REQUIRE(holidays.ok());
  CHECK(holidays->count(*parse_date("2026-12-25")));
  CHECK(holidays->count(*parse_date("2026-12-28")));
  CHECK_FALSE(holidays->count(*parse_date("2026-12-26")));  // a Saturday: the holiday moves to Monday
}

TEST_CASE("a working day from Friday afternoon is Monday afternoon") {
  const auto cal = london();
  CHECK(cal.day_length() == 510min);
  CHECK(cal.add(at("2026-11-20T15:00:00Z"), cal.days(1)) == at("2026-11-23T15:00:00Z"));
  CHECK(cal.between(at("2026-11-20T15:00:00Z"), at("2026-11-23T15:00:00Z")) == 510min);
}

TEST_CASE("the clock starts at the next opening when a complaint comes in outside hours") {
  const auto cal = london();
  CHECK(cal.add(at("2026-11-21T10:00:00Z"), WorkingDuration::hours(4)) == at("2026-11-23T13:00:00Z"));  // Saturday
  CHECK(cal.add(at("2026-11-23T07:00:00Z"), WorkingDuration::hours(1)) == at("2026-11-23T10:00:00Z"));  // early Monday
  CHECK(cal.add(at("2026-11-23T18:00:00Z"), WorkingDuration::hours(1)) ==
        at("2026-11-24T10:00:00Z"));  // Monday evening
}

TEST_CASE("five working days from Monday morning end on Friday at closing") {
  const auto cal = london();
  CHECK(cal.add(at("2026-11-23T09:00:00Z"), cal.days(5)) == at("2026-11-27T17:30:00Z"));
  CHECK(cal.add(at("2026-11-23T09:00:00Z"), cal.days(2)) == at("2026-11-24T17:30:00Z"));
}

TEST_CASE("bank holidays do not count, substitute days included") {
  const auto cal = london();
  // Thursday 24 December 16:00: 1.5 h left; 25th (Fri) and 28th (Mon, Boxing Day's
  // substitute) are holidays, the weekend between: due Tuesday 29th at 16:00.
  CHECK(cal.add(at("2026-12-24T16:00:00Z"), cal.days(1)) == at("2026-12-29T16:00:00Z"));
  CHECK_FALSE(cal.is_working_day(*parse_date("2026-12-28")));
  CHECK(cal.is_working_day(*parse_date("2026-12-29")));
  // Easter 2026: Good Friday 3 April and Easter Monday 6 April.
  // Thursday 2 April 17:00 BST (16:00 UTC) has half an hour left; Tuesday opens at 08:00 UTC.
  CHECK(cal.add(at("2026-04-02T16:00:00Z"), WorkingDuration::hours(1)) == at("2026-04-07T08:30:00Z"));
}

TEST_CASE("working hours follow local time through British Summer Time") {
  const auto cal = london();
  // July: 09:00 BST is 08:00 UTC.
  CHECK(cal.add(at("2026-07-01T07:00:00Z"), WorkingDuration::hours(4)) == at("2026-07-01T12:00:00Z"));
  // Across the change on 29 March 2026: Friday 16:00 GMT has 1.5 h left; Monday
  // opens at 09:00 BST (08:00 UTC), 7 h more is 15:00 UTC.
  CHECK(cal.add(at("2026-03-27T16:00:00Z"), cal.days(1)) == at("2026-03-30T15:00:00Z"));
  CHECK(cal.local_date(at("2026-07-01T23:30:00Z")) == *parse_date("2026-07-02"));
}

TEST_CASE("a calendar that cannot work is refused") {
  CalendarSettings bad_zone;
  bad_zone.time_zone = "Europe/Atlantis";
  CHECK(BusinessCalendar::make(bad_zone).error().code == Errc::invalid);
  CalendarSettings no_days;
  no_days.working_days = {};
  CHECK_FALSE(BusinessCalendar::make(no_days).ok());
  CalendarSettings backwards;
  backwards.day_start = 18h;
  CHECK_FALSE(BusinessCalendar::make(backwards).ok());
}

namespace {

// The definition of working time, one day at a time: what `between` must agree with.
std::chrono::minutes walked_between(const BusinessCalendar& cal, Timestamp from, Timestamp to) {
  if (to <= from) return 0min;
  const auto* zone = date::locate_zone(cal.settings().time_zone);
  const auto at_local = [zone](std::chrono::sys_days day, std::chrono::minutes time) {
    return std::chrono::floor<std::chrono::seconds>(
        zone->to_sys(date::local_seconds{day.time_since_epoch()} + time, date::choose::earliest));
  };
  std::chrono::seconds total{0};
  for (auto day = std::chrono::sys_days{cal.local_date(from)}; day <= std::chrono::sys_days{cal.local_date(to)};
       day += std::chrono::days(1)) {
    if (!cal.is_working_day(Date{day})) continue;
    const auto begin = std::max(from, at_local(day, cal.settings().day_start));
    const auto end = std::min(to, at_local(day, cal.settings().day_end));
    if (end > begin) total += end - begin;
  }
  return std::chrono::duration_cast<std::chrono::minutes>(total);
}

}  // namespace

TEST_CASE("working time between two moments is counted in closed form, and agrees with walking the days") {
  std::vector<BusinessCalendar> calendars;
  calendars.push_back(london());
  CalendarSettings round_the_clock;  // every change of the clocks falls in working hours
  round_the_clock.working_days.fill(true);
  round_the_clock.day_start = 0min;
  round_the_clock.day_end = 24h;
  calendars.push_back(BusinessCalendar::make(round_the_clock).value());
  CalendarSettings new_york_nights;  // 02:00 local, New York's change, inside 01:00-04:00
  new_york_nights.time_zone = "America/New_York";
  new_york_nights.day_start = 60min;
  new_york_nights.day_end = 4h;
  new_york_nights.working_days = {true, false, false, false, false, false, true};  // weekends only
  new_york_nights.holidays = {*parse_date("2027-03-14"), *parse_date("2027-03-15"), *parse_date("2028-11-04")};
  calendars.push_back(BusinessCalendar::make(new_york_nights).value());
  CalendarSettings lord_howe;  // a half-hour change of the clocks, at 02:00 local
  lord_howe.time_zone = "Australia/Lord_Howe";
  lord_howe.working_days.fill(true);
  lord_howe.day_start = 90min;
  lord_howe.day_end = 3h;
  calendars.push_back(BusinessCalendar::make(lord_howe).value());

  std::uint64_t seed = 0x9e3779b97f4a7c15ULL;
  const auto next = [&seed](std::int64_t bound) {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(bound));
  };
  const Timestamp base = at("2026-01-01T00:00:00Z");
  for (const auto& cal : calendars) {
    CAPTURE(cal.settings().time_zone);
    for (int i = 0; i < 60; ++i) {
      const Timestamp from = base + std::chrono::minutes(next(3 * 365 * 1440));
      // Mostly short spans (the edges matter), some over two years.
      const auto span = i % 4 == 0 ? next(800 * 1440) : next(9 * 1440);
      const Timestamp to = from + std::chrono::minutes(span);
      CAPTURE(format_timestamp(from));
      CAPTURE(format_timestamp(to));
      CHECK(cal.between(from, to) == walked_between(cal, from, to));
    }
  }
  // A full week of London's working time; round the clock, working time is elapsed
  // time, even across the spring-forward Sunday (29 March 2026, a 23-hour day).
  CHECK(calendars[0].between(at("2026-11-23T00:00:00Z"), at("2026-11-30T00:00:00Z")) == 5 * 510min);
  CHECK(calendars[1].between(at("2026-03-23T00:00:00Z"), at("2026-03-30T00:00:00Z")) == 7 * 24h);
  CHECK(calendars[1].between(at("2026-03-28T23:00:00Z"), at("2026-03-29T23:00:00Z")) == 24h);
}
