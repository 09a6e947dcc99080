// The dashboard's answers beside the KPIs (issue 15): the staff view, what
// customers said, and the CSV of cases. Every answer covers the user's scope
// (scoped_stores), exactly as the KPI routes in api.cpp do; store_id narrows it
// and answers 403 outside it.
//
// - GET /api/v1/kpis/staff: per staff member (a store and the staff id the tablet
//   sent), complaints logged, resolved at first contact and escalated. For
//   coaching, not a league: in store then staff id order, with the sample size
//   and the rules' insight.min_sample flag, never a rank. Managers and admins
//   only (storage.hpp's roles: an agent works cases, a manager sees staff figures).
// - GET /api/v1/comments: the feedback comments customers typed at the kiosk,
//   newest first, paged by a cursor. Only what the customer gave: a complaint's
//   description is staff's summary of the account and is not here. Never a
//   contact detail: the record's contact is not read, and an email address or a
//   phone number typed into the comment itself is blanked out.
// - GET /api/v1/export/cases.csv: the cases raised in the period (the case's
//   local day), one line each, like records.csv: RFC 4180, formula-guarded text,
//   no contact details (a case holds none), audited as export_cases.
//
// Sections: the query | staff | comments | cases CSV | routes
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <regex>

#include "heed/server/access.hpp"
#include "heed/server/csv.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

// ---- The query ---------------------------------------------------------------------------
json period_of(std::int64_t from_day, std::int64_t to_day) {
  const auto date_of = [](std::int64_t day) {
    return format_date(Date{std::chrono::sys_days{std::chrono::days{day}}});
  };
  return json{{"from", date_of(from_day)}, {"to", date_of(to_day)}};
}

// store_id (in the user's scope, else 403; none: the scope's stores) and from/to
// (local dates, inclusive), as api.cpp's KPI routes read them. false with a 4xx sent.
bool dashboard_query(ServerContext& ctx, const Request& req, Response& res, const User& user, KpiQuery& query) {
  std::optional<Date> from, to;
  if (!store_param(req, res, query.store_id) || !date_range(req, res, from, to)) return false;
  std::optional<std::vector<std::string>> stores;
  if (!scoped_stores(ctx, user, query.store_id, res, stores)) return false;
  if (!query.store_id) query.stores = std::move(stores);
  if (from) query.from_day = Workflow::day_number(*from);
  if (to) query.to_day = Workflow::day_number(*to);
  query.now = ctx.now();
  return true;
}

// ---- Staff -------------------------------------------------------------------------------
void kpi_staff(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  if (who->user->role == Role::agent)
    return send_error(res, 403, "forbidden", "staff figures need the manager or admin role");
  if (auto t = param(req, "touchpoint"); t && !t->empty())
    return send_field_errors(res, 400, "invalid_request",
                             {{"touchpoint", "invalid", "staff figures are not split by touchpoint"}});
  KpiQuery query;
  if (!dashboard_query(ctx, req, res, *who->user, query)) return;
  auto figures = ctx.storage().staff_figures(query);
  if (!figures) return send_storage_error(res, figures.error(), "counting complaints by staff");
  const int min_sample = ctx.workflow.rules().kpi_min_sample;
  const auto share = [](std::int64_t part, std::int64_t whole) -> json {
    if (whole == 0) return nullptr;
    return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10;
  };
  json staff = json::array();
  for (const StaffFigures& f : *figures) {
    KpiCounts counts;
    counts.complaints = f.complaints;
    counts.resolved_first_contact = f.resolved_first_contact;
    const auto fcr = fcr_pct(counts);
    staff.push_back({{"store_id", f.store_id},
                     {"staff_id", f.staff_id},
                     {"complaints", f.complaints},
                     {"resolved_first_contact", f.resolved_first_contact},
                     {"fcr_pct", fcr ? json(*fcr) : json(nullptr)},
                     {"escalated", f.escalated},
                     {"escalated_pct", share(f.escalated, f.complaints)},
                     {"small_sample", f.complaints < min_sample}});
  }
  json body{{"min_sample", min_sample}, {"staff", std::move(staff)}};
  if (query.from_day && query.to_day) body["period"] = period_of(*query.from_day, *query.to_day);
  send_json(res, 200, body);
}

// ---- Comments ----------------------------------------------------------------------------
// A comment with any email address or phone number it holds blanked out: the
// dashboard shows what was said, never how to reach who said it. A number is a
// run of digits, spaces, + ( ) - with 10 digits or more (a UK number has 11), so
// a date or a price stays.
std::string without_contact_details(const std::string& text) {
  static const std::regex email(R"([A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)");
  const std::string in = std::regex_replace(text, email, "[email removed]");
  std::string out;
  out.reserve(in.size());
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto in_number = [&](char c) { return digit(c) || c == ' ' || c == '+' || c == '(' || c == ')' || c == '-'; };
  for (std::size_t i = 0; i < in.size();) {
    if (!digit(in[i]) && in[i] != '+' && in[i] != '(') {
      out += in[i++];
      continue;
    }
    std::size_t end = i, digits = 0, last_digit = i;
    for (; end < in.size() && in_number(in[end]); ++end)
      if (digit(in[end])) ++digits, last_digit = end;
    if (digits >= 10) {
      out += "[number removed]";
      i = last_digit + 1;  // the spaces or dashes after it stay
    } else {
      out.append(in, i, end - i);
      i = end;
    }
  }
  return out;
}

// "<unix seconds>.<seq>": where the page before ended (next_before).
std::optional<CommentCursor> parse_comment_cursor(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::int64_t secs = 0, seq = 0;
  const auto a = std::from_chars(text.data(), text.data() + dot, secs);
  const auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), seq);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() || b.ptr != text.data() + text.size() ||
      secs < 0 || seq < 0)
    return std::nullopt;
  return CommentCursor{Timestamp{std::chrono::seconds{secs}}, seq};
}

void comments(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  KpiQuery scope;
  if (!dashboard_query(ctx, req, res, *who->user, scope)) return;
  CommentQuery query;
  query.store_id = scope.store_id;
  query.stores = scope.stores;
  query.from_day = scope.from_day;
  query.to_day = scope.to_day;
  FieldErrors errors;
  if (auto d = param(req, "detractors"); d && !d->empty()) {
    if (*d == "true")
      query.detractors_only = true;
    else if (*d != "false")
      errors.push_back({"detractors", "invalid", "must be true or false"});
  }
  if (auto l = param(req, "limit"); l && !l->empty()) {
    int limit = 0;
    const auto r = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (r.ec != std::errc() || r.ptr != l->data() + l->size() || limit < 1 || limit > 100)
      errors.push_back({"limit", "invalid", "must be a whole number from 1 to 100"});
    else
      query.limit = limit;
  }
  if (auto b = param(req, "before"); b && !b->empty()) {
    query.before = parse_comment_cursor(*b);
    if (!query.before) errors.push_back({"before", "invalid", "must be a next_before from an earlier page"});
  }
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);
  const int page = query.limit;
  query.limit = page + 1;  // one more tells whether another page follows
  auto found = ctx.storage().customer_comments(query);
  if (!found) return send_storage_error(res, found.error(), "reading comments");
  const bool more = static_cast<int>(found->size()) > page;
  if (more) found->pop_back();
  json list = json::array();
  for (const CustomerComment& c : *found) {
    const Area* area = ctx.workflow.rules().area_of_store(c.store_id);
    list.push_back({{"id", c.record_id},
                    {"store_id", c.store_id},
                    {"area", area ? json(area->name) : json(nullptr)},
                    {"created_at", format_timestamp(c.created_at)},
                    {"touchpoint", c.touchpoint},
                    {"language", c.language},
                    {"csat", optional_value(c.csat)},
                    {"nps", optional_value(c.nps)},
                    {"comment", without_contact_details(c.comment)},
                    {"suspected_misuse", c.suspected_misuse}});
  }
  json body{{"comments", std::move(list)}, {"next_before", nullptr}};
  if (more && !found->empty())
    body["next_before"] = fmt::format("{}.{}", found->back().created_at.time_since_epoch().count(), found->back().seq);
  send_json(res, 200, body);
}

// ---- Cases CSV ---------------------------------------------------------------------------
const std::vector<std::string> kCaseCsvColumns{
    "id",       "type",        "status",      "store_id",     "reference",        "touchpoint",
    "level",    "repeat",      "severity",    "raised_at",    "opened_at",        "ack_due",
    "acked_at", "resolve_due", "resolved_at", "ack_breached", "resolve_breached", "paused_s",
    "assignee", "root_cause",  "outcome",     "remedies",     "follows_case_id",  "satisfied",
    "record_id"};

std::string case_csv_row(const Workflow& flow, const CaseRow& c, Timestamp now) {
  std::string line;
  bool first = true;
  // `text`: free text a person wrote, which is formula-guarded (csv.hpp).
  auto field = [&](std::string_view v, bool text) {
    if (!first) line += ',';
    first = false;
    append_csv_field(line, v, text);
  };
  auto time = [&](const std::optional<Timestamp>& t) { field(t ? format_timestamp(*t) : "", false); };
  auto flag = [&](bool b) { field(b ? "true" : "false", false); };
  std::string remedies;
  for (const Remedy& r : c.remedies) {
    if (!remedies.empty()) remedies += ';';
    remedies += remedy_name(r.kind);
    if (r.amount_pence) remedies += fmt::format(":{}", *r.amount_pence);
  }
  field(std::to_string(c.id), false);
  field(case_type_name(c.type), false);
  field(flow.status(c, now), false);
  field(c.store_id, false);
  field(c.reference.value_or(""), true);
  field(c.touchpoint.value_or(""), true);
  field(flow.level_name(c.level), true);
  flag(c.repeat);
  field(enum_name(c.severity), false);
  time(c.clock_start);
  time(c.created_at);
  time(c.ack_due);
  time(c.acked_at);
  time(c.resolve_due);
  time(c.resolved_at);
  flag(c.ack_breached);
  flag(c.resolve_breached);
  field(std::to_string(c.paused_s), false);
  field(c.assignee.value_or(""), true);
  field(c.root_cause.value_or(""), true);
  field(c.outcome.value_or(""), true);
  field(remedies, false);
  field(c.follows_case_id ? std::to_string(*c.follows_case_id) : "", false);
  field(c.satisfied ? (*c.satisfied ? "true" : "false") : "", false);
  field(c.record_id, false);
  line += "\r\n";
  return line;
}

void export_cases(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  if (who->user->role == Role::agent)
    return send_error(res, 403, "forbidden", "exporting cases needs the manager or admin role");
  KpiQuery scope;
  if (!dashboard_query(ctx, req, res, *who->user, scope)) return;
  CaseQuery query;
  query.filter = CaseFilter::all;  // by id: the order cases were opened, a stable cursor
  if (scope.store_id)
    query.stores = std::vector<std::string>{*scope.store_id};
  else
    query.stores = scope.stores;
  query.from_day = scope.from_day;
  query.to_day = scope.to_day;
  query.now = scope.now;
  const auto date_of = [](const std::optional<std::int64_t>& day) {
    return day ? json(format_date(Date{std::chrono::sys_days{std::chrono::days{*day}}})) : json();
  };
  (void)ctx.storage().audit(ctx.now(), who->actor(), "export_cases",
                            dump(json{{"from", date_of(query.from_day)},
                                      {"to", date_of(query.to_day)},
                                      {"store_id", optional_value(scope.store_id)},
                                      {"scope", scope_text(who->user->scope)}}));

  struct Progress {
    CaseQuery query;
    bool header_sent = false;
  };
  auto progress = std::make_shared<Progress>(Progress{std::move(query)});
  ServerContext* c = &ctx;
  res.set_header("Content-Disposition", "attachment; filename=\"heed-cases.csv\"");
  res.set_chunked_content_provider("text/csv; charset=utf-8", [c, progress](std::size_t, httplib::DataSink& sink) {
    std::string chunk;
    if (!progress->header_sent) {
      chunk = std::string(kUtf8Bom) + csv_line(kCaseCsvColumns);
      progress->header_sent = true;
    }
    constexpr int kPage = 500;
    progress->query.limit = kPage;
    auto page = c->storage().list_cases(progress->query);
    if (!page) {
      spdlog::error("cases export stopped: {}", page.error().message);
      return false;  // aborts the response: a truncated file must not look complete
    }
    for (const auto& row : *page) chunk += case_csv_row(c->workflow, row, progress->query.now);
    if (!page->empty())
      progress->query.after = CaseCursor{case_sort_key(page->back(), CaseFilter::all), page->back().id};
    if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
    if (static_cast<int>(page->size()) < kPage) sink.done();
    return true;
  });
}

}  // namespace

// ---- Routes ------------------------------------------------------------------------------
void install_dashboard_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get("/api/v1/kpis/staff", [c](const Request& req, Response& res) { kpi_staff(*c, req, res); });
  http.Get("/api/v1/comments", [c](const Request& req, Response& res) { comments(*c, req, res); });
  http.Get("/api/v1/export/cases.csv", [c](const Request& req, Response& res) { export_cases(*c, req, res); });
}

}  // namespace heed::server::detail
