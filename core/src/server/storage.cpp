// Names of the storage interface's enumerations.
#include "heed/server/storage.hpp"

#include <array>
#include <chrono>
#include <limits>

namespace heed::server {
namespace {
constexpr std::array<std::string_view, 3> kRoleNames{"admin", "manager", "agent"};
constexpr std::array<std::string_view, 8> kRemedyNames{"refund",   "replacement", "repair",      "price_reduction",
                                                       "goodwill", "apology",     "explanation", "none"};
}  // namespace

std::string_view role_name(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

std::optional<Role> parse_role(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

std::string scope_text(const Scope& scope) {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return "chain";
    case Scope::Kind::area:
      return "area:" + scope.id;
    case Scope::Kind::store:
      return "store:" + scope.id;
  }
  return "chain";
}

std::optional<Scope> parse_scope(std::string_view text) {
  if (text == "chain") return Scope{};
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view kind = text.substr(0, colon), id = text.substr(colon + 1);
  if (id.empty() || id.size() > 64) return std::nullopt;
  if (kind == "area") return Scope{Scope::Kind::area, std::string(id)};
  if (kind == "store") return Scope{Scope::Kind::store, std::string(id)};
  return std::nullopt;
}

std::string_view remedy_name(Remedy::Kind kind) { return kRemedyNames[static_cast<std::size_t>(kind)]; }

std::optional<Remedy::Kind> parse_remedy(std::string_view name) {
  for (std::size_t i = 0; i < kRemedyNames.size(); ++i)
    if (kRemedyNames[i] == name) return static_cast<Remedy::Kind>(i);
  return std::nullopt;
}

std::optional<Timestamp> next_due(const CaseRow& c) {
  if (c.resolved_at) return std::nullopt;
  if (c.ack_due && !c.acked_at) return c.ack_due;
  if (c.waiting_since) return std::nullopt;
  return c.resolve_due;
}

std::int64_t kpi_group_first_day(KpiGroup group, std::int64_t day) {
  using namespace std::chrono;
  const sys_days date{days{day}};
  switch (group) {
    case KpiGroup::week:
      return (date - (weekday{date} - Monday)).time_since_epoch().count();
    case KpiGroup::month: {
      const year_month_day ymd{date};
      return sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count();
    }
    default:
      return day;
  }
}

std::int64_t case_sort_key(const CaseRow& c, CaseFilter filter) {
  switch (filter) {
    case CaseFilter::all:
      return c.id;
    case CaseFilter::closed:
      return c.resolved_at ? c.resolved_at->time_since_epoch().count() : 0;
    default: {
      const auto due = next_due(c);
      return due ? due->time_since_epoch().count() : std::numeric_limits<std::int64_t>::max();
    }
  }
}

}  // namespace heed::server
