// Head office's KPIs exactly as domain.md section 1 defines them, from counts a
// store can aggregate cheaply (SQL sums), with the API's precision: the NPS an
// integer, the CSAT mean 2 decimals, percentages 1 decimal, and every figure
// beside its sample size. A figure with no sample is null, never 0.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json_fwd.hpp>

namespace heed {

struct KpiCounts {
  std::int64_t feedback = 0;
  std::int64_t csat_count = 0, csat_sum = 0, csat_satisfied = 0;  // satisfied: 4 or 5
  std::int64_t nps_count = 0, promoters = 0, passives = 0, detractors = 0;
  std::int64_t complaints = 0, resolved_first_contact = 0;
  // SLA: cases whose deadline has passed or that were done; of those, done on time.
  std::int64_t ack_due_or_done = 0, ack_on_time = 0;
  std::int64_t resolve_due_or_done = 0, resolve_on_time = 0;
  bool operator==(const KpiCounts&) const = default;
};

// Counts one feedback's ratings in.
void add_feedback(KpiCounts& counts, std::optional<int> csat, std::optional<int> nps);

std::optional<double> csat_mean(const KpiCounts& c);           // 2 decimals
std::optional<double> csat_satisfied_pct(const KpiCounts& c);  // 1 decimal
std::optional<int> nps_score(const KpiCounts& c);              // -100..100, halves away from zero
std::optional<double> fcr_pct(const KpiCounts& c);
std::optional<double> ack_pct(const KpiCounts& c);
std::optional<double> resolve_pct(const KpiCounts& c);

// The NPS's margin of error at 95 %, in NPS points (1 decimal): each answer scores
// +1, 0 or -1, so the NPS is 100 x their mean, with variance (p + d) - (p - d)^2 for
// the promoter and detractor shares p and d. Null with fewer than 2 answers.
std::optional<double> nps_margin_of_error(const KpiCounts& c);

// Complaints per 1,000 feedback responses, 1 decimal; null with no responses.
std::optional<double> complaints_per_1000(const KpiCounts& c);

// A period of local days (days since 1970-01-01), both ends included.
struct DayRange {
  std::int64_t from_day = 0;
  std::int64_t to_day = 0;
  std::int64_t days() const { return to_day - from_day + 1; }
  bool operator==(const DayRange&) const = default;
};

// The period a figure is compared with: whole calendar months are compared with as
// many whole months before them (March with February, not with the 31 days before
// it); any other span with the same number of days just before it (a week with the
// week before).
DayRange previous_period(DayRange period);

// The GET /api/v1/kpis body:
// {"feedback":{"count"},"csat":{"count","mean","satisfied_pct"},
//  "nps":{"count","score","promoters","passives","detractors"},
//  "complaints":{"count","fcr_pct"},"sla":{"ack_pct","resolve_pct",...counts}}
// With min_sample, each figure also says whether its sample is below it
// ("small_sample"; the SLA's "ack_small_sample" and "resolve_small_sample").
nlohmann::json kpi_json(const KpiCounts& c, int min_sample = 0);

}  // namespace heed
