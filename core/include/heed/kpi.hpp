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
};

// Counts one feedback's ratings in.
void add_feedback(KpiCounts& counts, std::optional<int> csat, std::optional<int> nps);

std::optional<double> csat_mean(const KpiCounts& c);           // 2 decimals
std::optional<double> csat_satisfied_pct(const KpiCounts& c);  // 1 decimal
std::optional<int> nps_score(const KpiCounts& c);              // -100..100, halves away from zero
std::optional<double> fcr_pct(const KpiCounts& c);
std::optional<double> ack_pct(const KpiCounts& c);
std::optional<double> resolve_pct(const KpiCounts& c);

// The GET /api/v1/kpis body:
// {"feedback":{"count"},"csat":{"count","mean","satisfied_pct"},
//  "nps":{"count","score","promoters","passives","detractors"},
//  "complaints":{"count","fcr_pct"},"sla":{"ack_pct","resolve_pct",...counts}}
nlohmann::json kpi_json(const KpiCounts& c);

}  // namespace heed
