// The KPI digest (see digest.hpp): periods, the report's figures, and its HTML
// and text. Sections: names | periods | words | building | HTML | text
#include "heed/server/digest.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>

namespace heed::server {

// ---- Names --------------------------------------------------------------------------
std::string_view digest_frequency_name(DigestFrequency f) {
  switch (f) {
    case DigestFrequency::daily:
      return "daily";
    case DigestFrequency::weekly:
      return "weekly";
    case DigestFrequency::none:
      break;
  }
  return "none";
}

std::optional<DigestFrequency> parse_digest_frequency(std::string_view name) {
  for (auto f : {DigestFrequency::none, DigestFrequency::daily, DigestFrequency::weekly})
    if (digest_frequency_name(f) == name) return f;
  return std::nullopt;
}

std::string_view digest_period_name(DigestPeriod p) { return p == DigestPeriod::day ? "day" : "week"; }

DigestPeriod digest_period_of(DigestFrequency f) {
  return f == DigestFrequency::daily ? DigestPeriod::day : DigestPeriod::week;
}

std::string_view root_cause_label(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kLabels{{
      {"product_quality", "Product quality"},
      {"supplier", "A supplier"},
      {"process", "Our processes"},
      {"staff_training", "Staff training"},
      {"communication", "Communication"},
      {"stock_availability", "Stock availability"},
      {"pricing_error", "Pricing errors"},
      {"delivery_partner", "A delivery partner"},
      {"store_environment", "The store's environment"},
      {"system_fault", "A system fault"},
      {"customer_expectation", "Customer expectations"},
  }};
  static_assert(kLabels.size() == kRootCauses.size());
  for (const auto& [key, label] : kLabels)
    if (key == name) return label;
  return "Another cause";
}

std::string scope_label(const Scope& scope, const WorkflowRules& rules) {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return "The whole chain";
    case Scope::Kind::area:
      for (const Area& a : rules.areas)
        if (a.id == scope.id) return a.name + " area";
      return scope.id + " area";
    case Scope::Kind::store:
      return "Store " + scope.id;
  }
  return "";
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ---- Periods ------------------------------------------------------------------------
namespace {
std::chrono::sys_days as_days(std::int64_t day) { return std::chrono::sys_days{std::chrono::days{day}}; }

// Days since the Monday on or before `day`: 0 on a Monday, 6 on a Sunday.
std::int64_t days_since_monday(std::int64_t day) {
  return static_cast<std::int64_t>(std::chrono::weekday{as_days(day)}.iso_encoding()) - 1;
}
}  // namespace

DayRange digest_days(DigestPeriod period, std::int64_t day) {
  if (period == DigestPeriod::day) return {day, day};
  const std::int64_t monday = day - days_since_monday(day);
  return {monday, monday + 6};
}

DayRange last_complete_period(DigestPeriod period, std::int64_t today) {
  if (period == DigestPeriod::day) return {today - 1, today - 1};
  const std::int64_t monday = today - days_since_monday(today);
  return {monday - 7, monday - 1};
}

Timestamp digest_due_at(const Workflow& flow, DayRange days, int send_hour) {
  return flow.start_of_day(Date{as_days(days.to_day + 1)}) + std::chrono::hours(send_hour);
}

std::vector<std::int64_t> digests_owed(const Workflow& flow, DigestPeriod period, Timestamp since, Timestamp now,
                                       int send_hour, int limit) {
  std::vector<std::int64_t> owed;
  DayRange days = last_complete_period(period, flow.local_day(now));
  // The latest period may not be due yet today (before the send hour).
  if (digest_due_at(flow, days, send_hour) > now) days = digest_days(period, days.from_day - 1);
  while (static_cast<int>(owed.size()) < limit) {
    if (digest_due_at(flow, days, send_hour) <= since) break;
    owed.push_back(days.from_day);
    days = digest_days(period, days.from_day - 1);
  }
  return owed;
}

// ---- Words --------------------------------------------------------------------------
namespace {
constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                     "Thursday", "Friday", "Saturday"};

std::string day_month(std::int64_t day) {
  const std::chrono::year_month_day d{as_days(day)};
  return fmt::format("{} {} {}", kWeekdays[std::chrono::weekday{as_days(day)}.c_encoding()],
                     static_cast<unsigned>(d.day()), kMonths[static_cast<unsigned>(d.month()) - 1]);
}
int year_of(std::int64_t day) { return static_cast<int>(std::chrono::year_month_day{as_days(day)}.year()); }
}  // namespace

std::string uk_date(std::int64_t day) { return fmt::format("{} {}", day_month(day), year_of(day)); }

std::string uk_period(DayRange days) {
  if (days.days() <= 1) return uk_date(days.from_day);
  if (year_of(days.from_day) == year_of(days.to_day))
    return fmt::format("{} to {}", day_month(days.from_day), uk_date(days.to_day));
  return fmt::format("{} to {}", uk_date(days.from_day), uk_date(days.to_day));
}

// ---- Building -----------------------------------------------------------------------
Result<DigestReport> build_digest(Storage& storage, const Workflow& flow,
                                  const std::optional<std::vector<std::string>>& stores, std::string scope,
                                  DigestPeriod period, DayRange days, Timestamp now, int min_sample) {
  DigestReport r;
  r.period = period;
  r.days = days;
  r.previous_days = previous_period(days);
  r.scope = std::move(scope);
  r.generated_at = now;
  r.min_sample = min_sample;
  const Timestamp start = flow.start_of_day(Date{as_days(days.from_day)});
  const Timestamp end = flow.start_of_day(Date{as_days(days.to_day + 1)});
  r.complete = end <= now;
  KpiQuery q;
  q.stores = stores;
  q.from_day = days.from_day;
  q.to_day = days.to_day;
  q.now = now;
  auto current = storage.kpis(q);
  if (!current) return current.error();
  r.current = *current;
  q.from_day = r.previous_days.from_day;
  q.to_day = r.previous_days.to_day;
  auto previous = storage.kpis(q);
  if (!previous) return previous.error();
  r.previous = *previous;
  DigestQuery dq;
  dq.stores = stores;
  dq.start = start;
  dq.end = end;
  dq.now = now;
  auto counts = storage.digest_counts(dq);
  if (!counts) return counts.error();
  r.counts = std::move(*counts);
  return r;
}

// One line of the figures' table, in words.
namespace {
struct FigureRow {
  std::string label;
  std::string value;   // the figure, or why there is none
  std::string sample;  // "from 120 answers"
  std::string change;  // against the previous period
  bool shown = false;
};

std::string period_word(DigestPeriod p) { return p == DigestPeriod::day ? "day" : "week"; }

std::string count_of(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// A figure: shown when its sample reaches min_sample; its change against the
// previous period when that one's sample did too.
struct Figure {
  std::string label;
  std::optional<double> now, before;
  std::int64_t n_now = 0, n_before = 0;
  std::string sample_noun_one, sample_noun_many;
  std::string unit;         // appended to the value ("%")
  std::string change_unit;  // "points", "percentage points", ""
  int decimals = 1;
  bool signed_value = false;  // NPS: "+32"
};

std::string number(double v, int decimals, bool sign) {
  if (std::fabs(v) < std::pow(10.0, -decimals) / 2) v = 0;  // no "-0.0"
  std::string s = fmt::format("{:.{}f}", std::fabs(v), decimals);
  if (v < 0) return "\u2212" + s;  // a real minus sign
  return sign && v > 0 ? "+" + s : s;
}

FigureRow row_of(const Figure& f, const DigestReport& r) {
  FigureRow row;
  row.label = f.label;
  row.sample = fmt::format("from {}", count_of(f.n_now, f.sample_noun_one, f.sample_noun_many));
  if (!f.now || f.n_now < r.min_sample) {
    row.value = f.n_now == 0 ? "No figure" : "Too few to show";
    row.change = "";
    return row;
  }
  row.shown = true;
  row.value = number(*f.now, f.decimals, f.signed_value) + f.unit;
  const std::string word = period_word(r.period);
  if (!f.before || f.n_before < r.min_sample) {
    row.change = fmt::format("No figure for the {} before", word);
    return row;
  }
  const double delta = *f.now - *f.before;
  const std::string was = number(*f.before, f.decimals, f.signed_value) + f.unit;
  const double rounded = std::round(delta * std::pow(10.0, f.decimals));
  if (rounded == 0) {
    row.change = fmt::format("No change on the {} before ({})", word, was);
    return row;
  }
  row.change = fmt::format("{} {}{} on the {} before ({})", delta > 0 ? "Up" : "Down",
                           number(std::fabs(delta), f.decimals, false),
                           f.change_unit.empty() ? "" : " " + f.change_unit, word, was);
  return row;
}

std::vector<FigureRow> figure_rows(const DigestReport& r) {
  const KpiCounts& a = r.current;
  const KpiCounts& b = r.previous;
  std::vector<FigureRow> rows;
  auto opt = [](std::optional<int> v) -> std::optional<double> {
    return v ? std::optional<double>(*v) : std::nullopt;
  };
  {
    Figure f{"Net Promoter Score (NPS)", opt(nps_score(a)), opt(nps_score(b)), a.nps_count, b.nps_count, "answer",
             "answers", "", "points", 0, true};
    FigureRow row = row_of(f, r);
    if (row.shown)
      if (auto moe = nps_margin_of_error(a))
        row.value += fmt::format(" \u00b1 {}", number(*moe, 1, false));  // at 95 %
    rows.push_back(std::move(row));
  }
  rows.push_back(row_of({"Customer satisfaction (CSAT), average out of 5", csat_mean(a), csat_mean(b), a.csat_count,
                         b.csat_count, "answer", "answers", "", "", 2, false},
                        r));
  rows.push_back(row_of({"Satisfied customers (CSAT 4 or 5)", csat_satisfied_pct(a), csat_satisfied_pct(b),
                         a.csat_count, b.csat_count, "answer", "answers", "%", "percentage points", 1, false},
                        r));
  rows.push_back(row_of({"Complaints resolved at first contact (FCR)", fcr_pct(a), fcr_pct(b), a.complaints,
                         b.complaints, "complaint", "complaints", "%", "percentage points", 1, false},
                        r));
  rows.push_back(row_of({"Acknowledged on time", ack_pct(a), ack_pct(b), a.ack_due_or_done, b.ack_due_or_done,
                         "case due", "cases due", "%", "percentage points", 1, false},
                        r));
  rows.push_back(row_of({"Resolved on time", resolve_pct(a), resolve_pct(b), a.resolve_due_or_done,
                         b.resolve_due_or_done, "case due", "cases due", "%", "percentage points", 1, false},
                        r));
  {
    FigureRow row = row_of({"Complaints per 1,000 responses", complaints_per_1000(a), complaints_per_1000(b),
                            a.feedback, b.feedback, "response", "responses", "", "", 1, false},
                           r);
    row.sample = fmt::format("{} and {}", count_of(a.complaints, "complaint", "complaints"),
                             count_of(a.feedback, "response", "responses"));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string breaches_sentence(const DigestCounts& c) {
  const std::int64_t total = c.ack_breaches + c.resolve_breaches;
  if (total == 0) return "No deadline was missed.";
  return fmt::format("{} missed in {}: {} and {}.", count_of(total, "deadline was", "deadlines were"),
                     count_of(c.breached_cases, "case", "cases"),
                     count_of(c.ack_breaches, "acknowledgement", "acknowledgements"),
                     count_of(c.resolve_breaches, "resolution", "resolutions"));
}

std::string share(std::int64_t n, std::int64_t of) {
  return of > 0 ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(n) / static_cast<double>(of)) : "";
}

std::string heading(const DigestReport& r) {
  return fmt::format("{} digest for {}", r.period == DigestPeriod::day ? "Daily" : "Weekly", r.scope);
}

std::string period_line(const DigestReport& r) {
  return fmt::format("{}{}", uk_period(r.days), r.complete ? "" : " (not over yet: the figures so far)");
}

std::string notes_text(const DigestReport& r) {
  return fmt::format(
      "Changes are against the {} before ({}). A figure from fewer than {} answers or cases is not shown. The NPS's "
      "\u00b1 is its margin of error at 95%. Dates are in the chain's time zone.",
      period_word(r.period), uk_period(r.previous_days), r.min_sample);
}
}  // namespace

std::string digest_subject(const DigestReport& r) {
  return fmt::format("Heed {} digest: {}, {}", r.period == DigestPeriod::day ? "daily" : "weekly", r.scope,
                     uk_period(r.days));
}

// ---- HTML ---------------------------------------------------------------------------
namespace {
constexpr std::string_view kFont = "font-family: Arial, Helvetica, sans-serif; color: #0b0c0c;";
constexpr std::string_view kCell = "padding: 6px 8px; border-bottom: 1px solid #b1b4b6; vertical-align: top;";
constexpr std::string_view kHead =
    "padding: 6px 8px; border-bottom: 2px solid #0b0c0c; text-align: left; vertical-align: bottom;";
}  // namespace

std::string render_digest_html(const DigestReport& r, bool printable) {
  const auto e = [](std::string_view s) { return html_escape(s); };
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<title>{}</title>\n", e(digest_subject(r)));
  if (printable)
    h += "<style>\n@page { size: A4; margin: 1.5cm; }\n@media print {\n  body { margin: 0 !important; max-width: "
         "none !important; font-size: 10pt !important; }\n  table { page-break-inside: avoid; }\n  h2 { "
         "page-break-after: avoid; }\n  a { color: inherit; text-decoration: none; }\n}\n</style>\n";
  h += "</head>\n";
  h += fmt::format("<body style=\"{} margin: 0 auto; padding: 16px; max-width: 720px; font-size: 15px; line-height: "
                   "1.45; background: #ffffff;\">\n",
                   kFont);
  h += "<main>\n";
  h += fmt::format("<h1 style=\"{} font-size: 22px; margin: 0 0 4px;\">{}</h1>\n", kFont, e(heading(r)));
  h += fmt::format("<p style=\"margin: 0 0 16px; font-size: 16px;\">{}</p>\n", e(period_line(r)));

  h += fmt::format("<h2 style=\"{} font-size: 18px; margin: 20px 0 8px;\">Key figures</h2>\n", kFont);
  h += "<table role=\"table\" style=\"border-collapse: collapse; width: 100%; font-size: 14px;\">\n<thead><tr>";
  for (const std::string& col : {std::string("Measure"), "This " + period_word(r.period), std::string("Sample"),
                                 std::string("Change")})
    h += fmt::format("<th scope=\"col\" style=\"{}\">{}</th>", kHead, e(col));
  h += "</tr></thead>\n<tbody>\n";
  for (const FigureRow& row : figure_rows(r))
    h += fmt::format(
        "<tr><th scope=\"row\" style=\"{0} text-align: left; font-weight: normal;\">{1}</th>"
        "<td style=\"{0} font-weight: bold; white-space: nowrap;\">{2}</td><td style=\"{0}\">{3}</td>"
        "<td style=\"{0}\">{4}</td></tr>\n",
        kCell, e(row.label), e(row.value), e(row.sample), e(row.change));
  h += "</tbody>\n</table>\n";

  h += fmt::format("<h2 style=\"{} font-size: 18px; margin: 20px 0 8px;\">Missed deadlines</h2>\n", kFont);
  h += fmt::format("<p style=\"margin: 0 0 8px;\">{}</p>\n", e(breaches_sentence(r.counts)));

  h += fmt::format("<h2 style=\"{} font-size: 18px; margin: 20px 0 8px;\">Top root causes of complaints</h2>\n",
                   kFont);
  if (r.counts.complaints_resolved == 0) {
    h += fmt::format("<p style=\"margin: 0 0 8px;\">No complaint was resolved this {}.</p>\n", period_word(r.period));
  } else {
    h += fmt::format("<p style=\"margin: 0 0 8px;\">{} resolved this {}.</p>\n",
                     e(count_of(r.counts.complaints_resolved, "complaint was", "complaints were")),
                     period_word(r.period));
    if (r.counts.root_causes.empty()) {
      h += "<p style=\"margin: 0 0 8px;\">None was given a root cause.</p>\n";
    } else {
      h += "<table role=\"table\" style=\"border-collapse: collapse; width: 100%; font-size: 14px;\">\n<thead><tr>";
      for (std::string_view col : {"Root cause", "Complaints", "Share of those resolved"})
        h += fmt::format("<th scope=\"col\" style=\"{}\">{}</th>", kHead, e(col));
      h += "</tr></thead>\n<tbody>\n";
      for (const auto& [cause, n] : r.counts.root_causes)
        h += fmt::format(
            "<tr><th scope=\"row\" style=\"{0} text-align: left; font-weight: normal;\">{1}</th>"
            "<td style=\"{0}\">{2}</td><td style=\"{0}\">{3}</td></tr>\n",
            kCell, e(root_cause_label(cause)), n, e(share(n, r.counts.complaints_resolved)));
      h += "</tbody>\n</table>\n";
    }
  }
  h += fmt::format("<p style=\"margin: 20px 0 0; font-size: 13px; color: #505a5f;\">{}</p>\n", e(notes_text(r)));
  h += "</main>\n</body>\n</html>\n";
  return h;
}

// ---- Text ---------------------------------------------------------------------------
std::string render_digest_text(const DigestReport& r) {
  std::string t;
  t += heading(r) + "\n" + period_line(r) + "\n\n";
  t += "KEY FIGURES\n";
  for (const FigureRow& row : figure_rows(r)) {
    t += fmt::format("- {}: {} ({})", row.label, row.value, row.sample);
    if (!row.change.empty()) t += ". " + row.change;
    t += "\n";
  }
  t += "\nMISSED DEADLINES\n" + breaches_sentence(r.counts) + "\n";
  t += "\nTOP ROOT CAUSES OF COMPLAINTS\n";
  if (r.counts.complaints_resolved == 0) {
    t += fmt::format("No complaint was resolved this {}.\n", period_word(r.period));
  } else {
    t += fmt::format("{} resolved this {}.\n", count_of(r.counts.complaints_resolved, "complaint was", "complaints were"),
                     period_word(r.period));
    if (r.counts.root_causes.empty()) t += "None was given a root cause.\n";
    for (const auto& [cause, n] : r.counts.root_causes)
      t += fmt::format("- {}: {} ({})\n", root_cause_label(cause), n, share(n, r.counts.complaints_resolved));
  }
  t += "\n" + notes_text(r) + "\n";
  return t;
}

}  // namespace heed::server
