// Store alerts as a pure decision (alerts.hpp): which answers a window holds
// at its edges, what is negative, misuse left out, the minimum count and the
// share exactly at its threshold; and the rules that set them.
#include <doctest/doctest.h>

#include <fstream>

#include "fixtures.hpp"
#include "heed/alerts.hpp"
#include "heed/workflow_rules.hpp"
#include "temp_dir.hpp"

using namespace heed;
using namespace std::chrono_literals;
using heed::test::names_field;

namespace {

const Timestamp kStart = *parse_timestamp("2026-11-23T12:00:00Z");

// An answer `offset` after 12:00: negative (CSAT 1) or happy (CSAT 5, NPS 10).
AlertAnswer answer(std::chrono::seconds offset, bool negative, bool arrived_now = true) {
  static int n = 0;
  AlertAnswer a;
  a.record_id = "r" + std::to_string(++n);
  a.created_at = kStart + offset;
  a.csat = negative ? 1 : 5;
  a.nps = negative ? 2 : 10;
  a.arrived_now = arrived_now;
  return a;
}

AlertRules hoo() {  // HappyOrNot's: 50 % in 15 minutes, at least 4 answers
  AlertRules r;
  r.enabled = true;
  return r;
}

}  // namespace

TEST_CASE("alert window: an answer exactly at its start is in, exactly at its end is out") {
  const std::vector<AlertAnswer> answers{answer(-1s, true), answer(0s, true), answer(14min + 59s, true),
                                         answer(15min, true)};
  const AlertWindow w = window_from(answers, kStart, hoo());
  CHECK(w.start == kStart);
  CHECK(w.end == kStart + 15min);
  CHECK(w.answers == 2);  // 12:00:00 and 12:14:59; not 11:59:59 (just before) nor 12:15:00 (the end)
  CHECK(w.record_ids == std::vector{answers[1].record_id, answers[2].record_id});
  CHECK(w.last_answer_at == kStart + 14min + 59s);
}

TEST_CASE("alert window: negative is CSAT at most 2 or NPS at most 6, and an answer without either is not counted") {
  const AlertRules rules = hoo();
  AlertAnswer a = answer(0s, false);
  a.csat = 3;
  a.nps = 7;
  CHECK_FALSE(is_negative(a, rules));
  a.csat = 2;
  CHECK(is_negative(a, rules));
  a.csat = std::nullopt;
  a.nps = 6;
  CHECK(is_negative(a, rules));  // a detractor
  a.nps = 7;
  CHECK_FALSE(is_negative(a, rules));
  a.csat = 5;
  a.nps = 0;
  CHECK(is_negative(a, rules));  // either score makes it negative
  a.csat = std::nullopt;
  a.nps = std::nullopt;
  CHECK_FALSE(counts_towards_alerts(a));
}

TEST_CASE("alert window: kiosk misuse counts neither as negative nor in the total") {
  std::vector<AlertAnswer> answers{answer(0s, true), answer(1min, true), answer(2min, false), answer(3min, false)};
  for (int i = 0; i < 4; ++i) {
    answers.push_back(answer(4min + std::chrono::seconds(i), true));
    answers.back().suspected_misuse = true;  // a burst of identical taps
  }
  const AlertWindow w = window_from(answers, kStart, hoo());
  CHECK(w.answers == 4);
  CHECK(w.negative == 2);
  CHECK(find_alert(answers, hoo()).has_value());  // 2 of 4 is the share exactly
  for (auto& a : answers)
    if (!a.suspected_misuse && a.csat == 1) a.csat = 3, a.nps = 8;  // the real answers are content
  CHECK_FALSE(find_alert(answers, hoo()).has_value());  // the misuse alone never fires
}

TEST_CASE("alert window: below the minimum count never fires, however negative") {
  const std::vector<AlertAnswer> three{answer(0s, true), answer(1min, true), answer(2min, true)};
  CHECK_FALSE(alert_due(window_from(three, kStart, hoo()), hoo()));
  CHECK_FALSE(find_alert(three, hoo()).has_value());
  auto four = three;
  four.push_back(answer(3min, true));
  CHECK(find_alert(four, hoo()).has_value());
}

TEST_CASE("alert window: the share exactly at the threshold fires, just under it does not") {
  const std::vector<AlertAnswer> half{answer(0s, true), answer(1min, false), answer(2min, true), answer(3min, false)};
  auto w = window_from(half, kStart, hoo());
  CHECK(w.negative * 2 == w.answers);
  CHECK(alert_due(w, hoo()));
  AlertRules thirty = hoo();
  thirty.negative_share_bp = 3000;  // 0.3 of 10 is 3 exactly, as whole numbers
  std::vector<AlertAnswer> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(answer(std::chrono::minutes(i), i < 3));
  CHECK(alert_due(window_from(ten, kStart, thirty), thirty));
  ten[2].csat = 4, ten[2].nps = 8;
  CHECK_FALSE(alert_due(window_from(ten, kStart, thirty), thirty));  // 2 of 10
}

TEST_CASE("alert window: answers spread wider than the window do not fire, and the earliest window that does is chosen") {
  // Four negatives 5 minutes apart span 15 minutes: no 15-minute window holds all four.
  const std::vector<AlertAnswer> spread{answer(0s, true), answer(5min, true), answer(10min, true), answer(15min, true)};
  CHECK_FALSE(find_alert(spread, hoo()).has_value());
  // Out of order, as a kiosk that was offline sends them: the window starts at 12:05.
  const std::vector<AlertAnswer> late{answer(19min, true), answer(5min, true), answer(0s, false), answer(12min, true),
                                      answer(8min, true)};
  auto w = find_alert(late, hoo());
  REQUIRE(w);
  CHECK(w->start == kStart);  // 12:00 (happy), 12:05, 12:08, 12:12: 3 of 4
  CHECK(w->answers == 4);
  CHECK(w->negative == 3);
  CHECK(w->record_ids.front() == late[2].record_id);
}

TEST_CASE("alert window: only a window holding a newly arrived answer fires") {
  std::vector<AlertAnswer> answers{answer(0s, true, false), answer(1min, true, false), answer(2min, true, false),
                                   answer(3min, true, false)};
  CHECK_FALSE(find_alert(answers, hoo()).has_value());  // stored before: already judged
  answers.push_back(answer(40min, false));
  CHECK_FALSE(find_alert(answers, hoo()).has_value());  // new, but far from them
  answers.push_back(answer(10min, false));
  CHECK(find_alert(answers, hoo()).has_value());  // new and in their window: 4 of 5
}

TEST_CASE("alert title: what happened, in words") {
  AlertWindow w;
  w.answers = 10;
  w.negative = 7;
  CHECK(alert_title(w, hoo(), "Manchester Arndale") == "7 of 10 answers negative in 15 minutes at Manchester Arndale");
}

TEST_CASE("alert rules: the shipped file has HappyOrNot figures, switched off, and a bad value is named") {
  const auto shipped = load_workflow_rules(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
  CHECK_FALSE(shipped.alerts.enabled);
  CHECK(shipped.alerts.negative_share_bp == 5000);
  CHECK(shipped.alerts.window == 15min);
  CHECK(shipped.alerts.min_count == 4);
  CHECK(shipped.alerts.acknowledge.working_time == 120min);
  CHECK(shipped.alerts.resolve.working_time == 510min);
  CHECK(shipped.store_name("MCR-01") == "Manchester Arndale");
  CHECK(shipped.store_name("ZZZ-99") == "ZZZ-99");

  test::TempDir dir;
  std::ofstream(dir / "rules.json") << R"({
    "alerts": {"enabled": "yes", "negative_share": 1.5, "window_minutes": 0, "min_count": -1,
               "csat_at_most": 5, "nps_at_most": 10, "resolve": {"weeks": 1}, "webhook": "x"},
    "store_names": {"mcr 01": "Manchester", "MCR-02": ""}})";
  auto rules = load_workflow_rules(dir / "rules.json");
  REQUIRE_FALSE(rules.ok());
  for (const char* field :
       {"alerts.enabled", "alerts.negative_share", "alerts.window_minutes", "alerts.min_count", "alerts.csat_at_most",
        "alerts.nps_at_most", "alerts.resolve", "alerts.webhook", "store_names.mcr 01", "store_names.MCR-02"}) {
    CAPTURE(field);
    CHECK(names_field(rules.error(), field));
  }
}
