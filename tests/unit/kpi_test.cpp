// KPIs on hand-computed data, with the API's precision and sample sizes.
#include <doctest/doctest.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "heed/kpi.hpp"

using namespace heed;

TEST_CASE("CSAT mean and satisfied share, NPS from promoters minus detractors") {
  KpiCounts c;
  // CSAT 5, 4, 4, 2, 1 (satisfied 3 of 5, mean 3.2); NPS 10, 9, 8, 6, 0, 7, 9 (P3 Pa2 D2 of 7).
  const int csat[] = {5, 4, 4, 2, 1};
  const int nps[] = {10, 9, 8, 6, 0, 7, 9};
  for (int i = 0; i < 7; ++i)
    add_feedback(c, i < 5 ? std::optional<int>(csat[i]) : std::nullopt, std::optional<int>(nps[i]));
  add_feedback(c, 3, std::nullopt);  // CSAT only: not in the NPS sample
  CHECK(c.feedback == 8);
  CHECK(c.csat_count == 6);
  CHECK(csat_mean(c) == doctest::Approx(3.17));           // 19 / 6 = 3.1666...
  CHECK(csat_satisfied_pct(c) == doctest::Approx(50.0));  // 3 of 6
  CHECK(c.nps_count == 7);
  CHECK(c.promoters == 3);
  CHECK(c.passives == 2);
  CHECK(c.detractors == 2);
  CHECK(nps_score(c) == 14);  // 100 * (3 - 2) / 7 = 14.29
}

TEST_CASE("NPS rounds halves away from zero and spans -100..100") {
  KpiCounts c;
  c.nps_count = 8;
  c.promoters = 1;
  CHECK(nps_score(c) == 13);  // 12.5
  c.promoters = 0;
  c.detractors = 1;
  CHECK(nps_score(c) == -13);
  c.detractors = 8;
  CHECK(nps_score(c) == -100);
  c.detractors = 0;
  c.promoters = 8;
  CHECK(nps_score(c) == 100);
}

TEST_CASE("with no sample a figure is null, and counts stand beside every figure") {
  const auto j = kpi_json(KpiCounts{});
  CHECK(j["csat"]["mean"].is_null());
  CHECK(j["nps"]["score"].is_null());
  CHECK(j["complaints"]["fcr_pct"].is_null());
  CHECK(j["sla"]["ack_pct"].is_null());
  CHECK(j["feedback"]["count"] == 0);

  KpiCounts c;
  c.complaints = 3;
  c.resolved_first_contact = 2;
  c.ack_due_or_done = 3;
  c.ack_on_time = 3;
  c.resolve_due_or_done = 6;
  c.resolve_on_time = 5;
  const auto k = kpi_json(c);
  CHECK(k["complaints"]["fcr_pct"] == doctest::Approx(66.7));
  CHECK(k["sla"]["ack_pct"] == doctest::Approx(100.0));
  CHECK(k["sla"]["resolve_pct"] == doctest::Approx(83.3));
  CHECK(k["sla"]["resolve_count"] == 6);
  CHECK_FALSE(k["complaints"].contains("small_sample"));  // only when a minimum is given

  // With the rules' minimum of 4: each figure says whether its own sample is below it.
  const auto flagged = kpi_json(c, 4);
  CHECK(flagged["complaints"]["small_sample"] == true);  // 3 complaints
  CHECK(flagged["sla"]["ack_small_sample"] == true);     // 3 due or done
  CHECK(flagged["sla"]["resolve_small_sample"] == false);  // 6
  CHECK(flagged["nps"]["small_sample"] == true);           // none at all
  CHECK(flagged["complaints"]["fcr_pct"] == doctest::Approx(66.7));  // the figure stays; the page decides
}

TEST_CASE("the NPS's margin of error at 95 %, by hand") {
  KpiCounts c;
  // 50 promoters, 30 passives, 20 detractors of 100: NPS 30; p = 0.5, d = 0.2,
  // variance 0.7 - 0.09 = 0.61, MoE = 100 x 1.96 x sqrt(0.61 / 100) = 15.3 points.
  c.nps_count = 100;
  c.promoters = 50;
  c.passives = 30;
  c.detractors = 20;
  CHECK(nps_score(c) == 30);
  CHECK(nps_margin_of_error(c) == doctest::Approx(15.3));
  // Four times the answers halve it: 7.7 (7.65...).
  c.nps_count = 400;
  c.promoters = 200;
  c.passives = 120;
  c.detractors = 80;
  CHECK(nps_margin_of_error(c) == doctest::Approx(7.7));
  // Everyone a promoter: no spread, no margin.
  c = KpiCounts{};
  c.nps_count = c.promoters = 12;
  CHECK(nps_margin_of_error(c) == doctest::Approx(0.0));
  // One answer has no spread to estimate: null, not 0.
  c = KpiCounts{};
  c.nps_count = c.detractors = 1;
  CHECK_FALSE(nps_margin_of_error(c).has_value());
}

TEST_CASE("complaints per 1,000 responses") {
  KpiCounts c;
  CHECK_FALSE(complaints_per_1000(c).has_value());
  c.feedback = 2'345;
  c.complaints = 7;
  CHECK(complaints_per_1000(c) == doctest::Approx(3.0));  // 2.985...
  c.feedback = 600;
  c.complaints = 1;
  CHECK(complaints_per_1000(c) == doctest::Approx(1.7));  // 1.666...
  c.feedback = 0;
  CHECK_FALSE(complaints_per_1000(c).has_value());  // complaints but no responses: no rate
}

namespace {
std::int64_t day_of(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
      .time_since_epoch()
      .count();
}
}  // namespace

TEST_CASE("a period is compared with the one before it, month by month at a month's edge") {
  // March 2026 (31 days) with February 2026 (28), not with the 31 days before 1 March.
  CHECK(previous_period({day_of(2026, 3, 1), day_of(2026, 3, 31)}) ==
        DayRange{day_of(2026, 2, 1), day_of(2026, 2, 28)});
  // January with the December before, across the year.
  CHECK(previous_period({day_of(2026, 1, 1), day_of(2026, 1, 31)}) ==
        DayRange{day_of(2025, 12, 1), day_of(2025, 12, 31)});
  // A leap February's month before is January; a quarter's is the quarter before.
  CHECK(previous_period({day_of(2028, 2, 1), day_of(2028, 2, 29)}) ==
        DayRange{day_of(2028, 1, 1), day_of(2028, 1, 31)});
  CHECK(previous_period({day_of(2026, 4, 1), day_of(2026, 6, 30)}) ==
        DayRange{day_of(2026, 1, 1), day_of(2026, 3, 31)});
  // A week, Monday to Sunday across a month's end, with the week before.
  CHECK(previous_period({day_of(2026, 11, 30), day_of(2026, 12, 6)}) ==
        DayRange{day_of(2026, 11, 23), day_of(2026, 11, 29)});
  // 1 to 30 March is not a whole month: the 30 days before it.
  CHECK(previous_period({day_of(2026, 3, 1), day_of(2026, 3, 30)}) ==
        DayRange{day_of(2026, 1, 30), day_of(2026, 2, 28)});
}
