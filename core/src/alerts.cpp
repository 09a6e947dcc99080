// Store alerts over a store's answers (see alerts.hpp).
#include "heed/alerts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace heed {

AlertAnswer alert_answer(const Feedback& feedback, bool arrived_now) {
  return AlertAnswer{feedback.header.id,     feedback.header.created_at, feedback.csat, feedback.nps,
                     feedback.suspected_misuse, arrived_now};
}

bool counts_towards_alerts(const AlertAnswer& answer) {
  return !answer.suspected_misuse && (answer.csat || answer.nps);
}

bool is_negative(const AlertAnswer& answer, const AlertRules& rules) {
  return (answer.csat && *answer.csat <= rules.csat_at_most) || (answer.nps && *answer.nps <= rules.nps_at_most);
}

namespace {

// The answers' indexes by creation time (then as given).
std::vector<std::size_t> by_time(std::span<const AlertAnswer> answers) {
  std::vector<std::size_t> order(answers.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return answers[a].created_at < answers[b].created_at; });
  return order;
}

AlertWindow count_from(std::span<const AlertAnswer> answers, const std::vector<std::size_t>& order, Timestamp start,
                       const AlertRules& rules, bool* holds_new) {
  AlertWindow w;
  w.start = start;
  w.end = start + rules.window;
  for (std::size_t i : order) {
    const AlertAnswer& a = answers[i];
    if (a.created_at < w.start || a.created_at >= w.end || !counts_towards_alerts(a)) continue;
    const bool negative = is_negative(a, rules);
    ++w.answers;
    if (negative) ++w.negative;
    w.record_ids.push_back(a.record_id);
    w.negatives.push_back(negative);
    w.last_answer_at = a.created_at;
    if (holds_new && a.arrived_now) *holds_new = true;
  }
  return w;
}

}  // namespace

AlertWindow window_from(std::span<const AlertAnswer> answers, Timestamp start, const AlertRules& rules) {
  return count_from(answers, by_time(answers), start, rules, nullptr);
}

bool alert_due(const AlertWindow& window, const AlertRules& rules) {
  // Whole numbers, so that exactly the share fires (0.3 * 10 is not 3 in floating point).
  return window.answers > 0 && window.answers >= rules.min_count &&
         static_cast<std::int64_t>(window.negative) * 10000 >=
             static_cast<std::int64_t>(rules.negative_share_bp) * window.answers;
}

std::optional<AlertWindow> find_alert(std::span<const AlertAnswer> answers, const AlertRules& rules) {
  const auto order = by_time(answers);
  std::optional<Timestamp> tried;
  for (std::size_t i : order) {
    const AlertAnswer& first = answers[i];
    if (!counts_towards_alerts(first) || first.created_at == tried) continue;
    tried = first.created_at;
    bool holds_new = false;
    AlertWindow w = count_from(answers, order, first.created_at, rules, &holds_new);
    if (holds_new && alert_due(w, rules)) return w;
  }
  return std::nullopt;
}

std::string alert_title(const AlertWindow& window, const AlertRules& rules, std::string_view store_name) {
  const auto minutes = rules.window.count();
  return fmt::format("{} of {} {} negative in {} {} at {}", window.negative, window.answers,
                     window.answers == 1 ? "answer" : "answers", minutes, minutes == 1 ? "minute" : "minutes",
                     store_name);
}

}  // namespace heed
