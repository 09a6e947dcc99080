// SLA working-time arithmetic across weekends, bank holidays and the clocks changing.
#include <doctest/doctest.h>

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
