#include "heed/kpi.hpp"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

namespace heed {
namespace {

std::optional<double> rounded(std::int64_t numerator, std::int64_t denominator, double scale, int decimals) {
  if (denominator <= 0) return std::nullopt;
  const double factor = std::pow(10.0, decimals);
  return std::round(scale * static_cast<double>(numerator) / static_cast<double>(denominator) * factor) / factor;
}

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

void add_feedback(KpiCounts& c, std::optional<int> csat, std::optional<int> nps) {
  ++c.feedback;
  if (csat) {
    ++c.csat_count;
    c.csat_sum += *csat;
    if (*csat >= 4) ++c.csat_satisfied;
  }
  if (nps) {
    ++c.nps_count;
    if (*nps >= 9)
      ++c.promoters;
    else if (*nps >= 7)
      ++c.passives;
    else
      ++c.detractors;
  }
}

std::optional<double> csat_mean(const KpiCounts& c) { return rounded(c.csat_sum, c.csat_count, 1.0, 2); }
std::optional<double> csat_satisfied_pct(const KpiCounts& c) {
  return rounded(c.csat_satisfied, c.csat_count, 100.0, 1);
}
std::optional<double> fcr_pct(const KpiCounts& c) { return rounded(c.resolved_first_contact, c.complaints, 100.0, 1); }
std::optional<double> ack_pct(const KpiCounts& c) { return rounded(c.ack_on_time, c.ack_due_or_done, 100.0, 1); }
std::optional<double> resolve_pct(const KpiCounts& c) {
  return rounded(c.resolve_on_time, c.resolve_due_or_done, 100.0, 1);
}

std::optional<int> nps_score(const KpiCounts& c) {
  if (c.nps_count <= 0) return std::nullopt;
  // Integer arithmetic: 100 * (P - D) / N rounded half away from zero, exactly.
  const std::int64_t numerator = 100 * (c.promoters - c.detractors);
  const std::int64_t twice = 2 * numerator;
  const std::int64_t n = c.nps_count;
  const std::int64_t q = (twice + (twice >= 0 ? n : -n)) / (2 * n);
  return static_cast<int>(q);
}

std::optional<double> nps_margin_of_error(const KpiCounts& c) {
  if (c.nps_count < 2) return std::nullopt;
  const double n = static_cast<double>(c.nps_count);
  const double p = static_cast<double>(c.promoters) / n, d = static_cast<double>(c.detractors) / n;
  const double variance = (p + d) - (p - d) * (p - d);
  constexpr double z95 = 1.959963984540054;
  return std::round(1000.0 * z95 * std::sqrt(variance / n)) / 10.0;
}

std::optional<double> complaints_per_1000(const KpiCounts& c) { return rounded(c.complaints, c.feedback, 1000.0, 1); }

DayRange previous_period(DayRange period) {
  using namespace std::chrono;
  const year_month_day first{sys_days{days{period.from_day}}};
  const year_month_day last{sys_days{days{period.to_day}}};
  const bool whole_months = first.day() == day{1} && year_month_day_last{last.year(), month_day_last{last.month()}} == last;
  if (!whole_months) return {period.from_day - period.days(), period.from_day - 1};
  const auto months_long = (last.year() / last.month() - first.year() / first.month()) + std::chrono::months{1};
  const auto start = first.year() / first.month() - months_long;
  return {sys_days{start / day{1}}.time_since_epoch().count(), period.from_day - 1};
}

nlohmann::json kpi_json(const KpiCounts& c, int min_sample) {
  nlohmann::json body = {
      {"feedback", {{"count", c.feedback}}},
      {"csat",
       {{"count", c.csat_count}, {"mean", or_null(csat_mean(c))}, {"satisfied_pct", or_null(csat_satisfied_pct(c))}}},
      {"nps",
       {{"count", c.nps_count},
        {"score", or_null(nps_score(c))},
        {"promoters", c.promoters},
        {"passives", c.passives},
        {"detractors", c.detractors},
        {"margin_of_error", or_null(nps_margin_of_error(c))}}},
      {"complaints",
       {{"count", c.complaints},
        {"fcr_pct", or_null(fcr_pct(c))},
        {"per_1000", or_null(complaints_per_1000(c))}}},
      {"sla",
       {{"ack_pct", or_null(ack_pct(c))},
        {"ack_count", c.ack_due_or_done},
        {"resolve_pct", or_null(resolve_pct(c))},
        {"resolve_count", c.resolve_due_or_done}}}};
  if (min_sample > 0) {
    const auto small = [min_sample](std::int64_t n) { return n < min_sample; };
    body["feedback"]["small_sample"] = small(c.feedback);  // complaints per 1,000 divides by it
    body["csat"]["small_sample"] = small(c.csat_count);
    body["nps"]["small_sample"] = small(c.nps_count);
    body["complaints"]["small_sample"] = small(c.complaints);  // the FCR's sample
    body["sla"]["ack_small_sample"] = small(c.ack_due_or_done);
    body["sla"]["resolve_small_sample"] = small(c.resolve_due_or_done);
  }
  return body;
}

}  // namespace heed
