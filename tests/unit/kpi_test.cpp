// KPIs on hand-computed data, with the API's precision and sample sizes.
#include <doctest/doctest.h>

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
}
