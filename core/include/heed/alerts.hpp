// Store alerts: many unhappy answers at one store in a short time, as HappyOrNot
// alerts a store manager (50 % unhappy in 15 minutes, with at least 4 answers).
// A pure decision over a store's answers; the server stores the alert case it
// opens (workflow.hpp, storage.hpp).
//
// What counts:
// - An answer is a kiosk feedback record that answered CSAT or NPS. Complaints
//   are staff's record of a conversation, not an answer, and do not count.
// - An answer flagged suspected_misuse (the kiosk's burst detector) does not
//   count at all: neither as negative nor in the total.
// - Negative: CSAT at or below csat_at_most (2: "dissatisfied" or worse), or
//   NPS at or below nps_at_most (6: a detractor). Either makes it negative.
//
// The window: a window starts at an answer and holds the answers made (their
// created_at, the store's clock) in the half-open interval [start, start +
// window): an answer exactly `window` after the first is outside. It fires when
// it holds at least min_count answers and negative/answers >= negative_share
// (exactly the share fires).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heed/business_calendar.hpp"
#include "heed/model.hpp"

namespace heed {

struct AlertRules {
  bool enabled = false;                // the rules' alerts.enabled; off: no alert case is ever opened
  int negative_share_bp = 5000;        // the share of negative answers that fires, in basis points (0.5)
  std::chrono::minutes window{15};     // how long a window is
  int min_count = 4;                   // fewer answers than this in a window never fire
  int csat_at_most = 2;                // a CSAT at or below this is negative
  int nps_at_most = 6;                 // an NPS at or below this (a detractor) is negative
  WorkingDuration acknowledge = WorkingDuration::hours(2);  // the store manager picks it up
  WorkingDuration resolve = WorkingDuration::hours(8);      // and says what was found and done
};

// One answer as the alert sees it.
struct AlertAnswer {
  std::string record_id;
  Timestamp created_at{};
  std::optional<int> csat;
  std::optional<int> nps;
  bool suspected_misuse = false;
  bool arrived_now = false;  // in the batch being stored: only windows holding one are new
};
AlertAnswer alert_answer(const Feedback& feedback, bool arrived_now = false);

// Whether an answer counts in a window at all (answered CSAT or NPS, not misuse).
bool counts_towards_alerts(const AlertAnswer& answer);
// Whether a counted answer is negative (CSAT <= csat_at_most or NPS <= nps_at_most).
bool is_negative(const AlertAnswer& answer, const AlertRules& rules);

struct AlertWindow {
  Timestamp start{};  // inclusive
  Timestamp end{};    // exclusive: start + window
  int answers = 0;
  int negative = 0;
  std::vector<std::string> record_ids;  // the answers counted, oldest first
  std::vector<bool> negatives;          // beside record_ids: which were negative
  Timestamp last_answer_at{};           // the newest answer counted
  bool operator==(const AlertWindow&) const = default;
};

// The counted answers made in [start, start + rules.window).
AlertWindow window_from(std::span<const AlertAnswer> answers, Timestamp start, const AlertRules& rules);
// At least min_count answers and negative/answers >= the share.
bool alert_due(const AlertWindow& window, const AlertRules& rules);
// The earliest window, starting at a counted answer, that fires and holds an
// answer that arrived now; none when no such window does. Answers may come in
// any order (a kiosk syncs late). Does not look at whether alerts are enabled.
std::optional<AlertWindow> find_alert(std::span<const AlertAnswer> answers, const AlertRules& rules);

// What happened, in words: "7 of 10 answers negative in 15 minutes at Manchester Arndale".
std::string alert_title(const AlertWindow& window, const AlertRules& rules, std::string_view store_name);

}  // namespace heed
