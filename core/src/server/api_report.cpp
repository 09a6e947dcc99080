// HTTP API v1, the printable KPI report: GET /api/v1/report, the same report the
// digest emails (digest.hpp) as a page to print, for any signed-in user within
// their scope.
//
//   ?period=day|week   (default week)
//   &date=YYYY-MM-DD   a day in the period (default: the last period that has ended)
//   &store_id=ID | &area=ID   narrow to a store or area inside the caller's scope (403 outside it)
//
// The page holds counts and rates only, never a customer's details, so reading it
// is not audited. Its CSP allows no script and no outside resource.
#include <fmt/format.h>

#include <algorithm>

#include "heed/server/access.hpp"
#include "heed/server/digest.hpp"
#include "heed/validation.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

constexpr const char* kReportPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

void report(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const User& user = *who->user;
  FieldErrors errors;
  DigestPeriod period = DigestPeriod::week;
  if (auto p = param(req, "period"); p && !p->empty()) {
    if (*p == "day")
      period = DigestPeriod::day;
    else if (*p != "week")
      errors.push_back({"period", "invalid", "must be day or week"});
  }
  std::optional<Date> date;
  if (auto d = param(req, "date"); d && !d->empty()) {
    date = parse_date(*d);
    if (!date) errors.push_back({"date", "invalid", "must be a date like 2026-11-23"});
  }
  std::optional<std::string> store;
  if (auto s = param(req, "store_id"); s && !s->empty()) {
    if (!is_valid_store_id(*s))
      errors.push_back({"store_id", "invalid", "must be 1-32 of A-Z 0-9 - _"});
    else
      store = *s;
  }
  std::optional<Scope> area;
  if (auto a = param(req, "area"); a && !a->empty()) {
    const auto& areas = ctx.workflow.rules().areas;
    if (std::none_of(areas.begin(), areas.end(), [&](const Area& x) { return x.id == *a; }))
      errors.push_back({"area", "unknown", "is not an area of the rules"});
    else
      area = Scope{Scope::Kind::area, *a};
  }
  if (store && area) errors.push_back({"area", "invalid", "give store_id or area, not both"});
  if (!errors.empty()) return send_field_errors(res, 400, "invalid_request", errors);

  Scope scope = user.scope;
  if (store) scope = Scope{Scope::Kind::store, *store};
  if (area) scope = *area;
  if (!user.active || !scope_within(scope, user.scope, ctx.workflow))
    return send_error(res, 403, "forbidden",
                      fmt::format("{} is outside your scope ({})", scope_text(scope), scope_text(user.scope)));
  const Timestamp now = ctx.now();
  const DayRange days = date ? digest_days(period, Workflow::day_number(*date))
                             : last_complete_period(period, ctx.workflow.local_day(now));
  auto built = build_digest(ctx.storage(), ctx.workflow, ctx.workflow.stores_in(scope),
                            scope_label(scope, ctx.workflow.rules()), period, days, now, ctx.workflow.rules().kpi_min_sample);
  if (!built) return send_storage_error(res, built.error(), "making the report");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", kReportPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(render_digest_html(*built, /*printable=*/true), "text/html; charset=utf-8");
  res.status = 200;
}

}  // namespace

void install_report_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get("/api/v1/report", [c](const Request& req, Response& res) { report(*c, req, res); });
}

}  // namespace heed::server::detail
