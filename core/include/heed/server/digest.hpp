// The KPI digest: one report of a scope's KPIs for a day or a Monday-Sunday week
// in the chain's zone, emailed to subscribers (scheduler.hpp sends it) and served
// as a printable page (GET /api/v1/report). Built from Storage alone, so a test
// renders it without a socket.
//
// What it says: each KPI of kpi.hpp with its sample size and its change against
// the previous period (previous_period), the SLA deadlines that fell in the
// period and passed unmet, and the top root causes of the complaints resolved in
// it, in plain English with UK dates.
//
// Invariants:
// - Every text that is not a fixed string of this file (a scope's or area's
//   name, a label) reaches the HTML only through html_escape.
// - Nothing about a customer is in it: only counts, rates and categories.
// - The HTML uses inline style attributes only (email clients drop <style>); the
//   printable page adds one print stylesheet in <head>.
// - A figure whose sample is under min_sample says so instead of a number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heed/kpi.hpp"
#include "heed/result.hpp"
#include "heed/server/storage.hpp"
#include "heed/server/workflow.hpp"

namespace heed::server {

// The local days of the period holding `day`: that day, or its Monday-Sunday week.
DayRange digest_days(DigestPeriod period, std::int64_t day);

// The latest period that has ended before the local day `today`: yesterday, or
// the last whole Monday-Sunday week before today's.
DayRange last_complete_period(DigestPeriod period, std::int64_t today);

// When a period's digest is due: `send_hour` hours after the local midnight that ends it.
Timestamp digest_due_at(const Workflow& flow, DayRange days, int send_hour);

// The first days of the periods whose digest fell due in (since, now], newest
// first, at most `limit` of them: what a subscriber since `since` is owed.
std::vector<std::int64_t> digests_owed(const Workflow& flow, DigestPeriod period, Timestamp since, Timestamp now,
                                       int send_hour, int limit);

DigestPeriod digest_period_of(DigestFrequency f);  // daily: day; weekly: week (none: week)

// A root cause's name (kRootCauses) in plain English: "staff_training" -> "Staff training".
std::string_view root_cause_label(std::string_view name);

// "The whole chain", "North West area", "Store MCR-01".
std::string scope_label(const Scope& scope, const WorkflowRules& rules);

// "Monday 23 November 2026".
std::string uk_date(std::int64_t day);
// "Monday 23 November 2026" for a day; "Monday 23 November to Sunday 29 November 2026" for a longer range.
std::string uk_period(DayRange days);

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

struct DigestReport {
  DigestPeriod period = DigestPeriod::week;
  DayRange days, previous_days;
  std::string scope;  // scope_label
  KpiCounts current, previous;
  DigestCounts counts;
  Timestamp generated_at{};
  bool complete = true;  // the period had ended when it was made
  int min_sample = 10;   // fewer answers (or cases) than this: no figure shown
};

// Reads the report for `stores` (none: the whole chain) and the period.
Result<DigestReport> build_digest(Storage& storage, const Workflow& flow, const std::optional<std::vector<std::string>>& stores,
                                  std::string scope, DigestPeriod period, DayRange days, Timestamp now,
                                  int min_sample = 10);

// "Heed weekly digest: North West area, 23-29 November 2026".
std::string digest_subject(const DigestReport& r);
// A whole HTML document. printable: adds a print stylesheet and the page's own header.
std::string render_digest_html(const DigestReport& r, bool printable = false);
// The same in plain text (the email's text/plain part).
std::string render_digest_text(const DigestReport& r);

}  // namespace heed::server
