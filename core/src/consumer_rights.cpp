// The Consumer Rights Act 2015 remedy table (see consumer_rights.hpp).
#include "heed/consumer_rights.hpp"

#include <algorithm>
#include <array>

namespace heed {
namespace {

using enum Offer;

// First match wins. Sources: CRA 2015 ss.19-24 (goods), ss.42-45 (digital
// content), ss.54-56 (services).
const std::vector<ConsumerRightsRule>& rules() {
  static const std::vector<ConsumerRightsRule> table{
      // Goods: the short-term right to reject, 30 days.
      {PurchaseKind::goods,
       0,
       30,
       std::nullopt,
       false,
       Entitlement::short_term_reject,
       {refund},
       true,
       "cra.goods.short_term_reject"},
      // Goods after a failed repair or replacement: price reduction or final right to reject.
      {PurchaseKind::goods,
       0,
       std::nullopt,
       6,
       true,
       Entitlement::final_reject_or_reduce,
       {refund, price_reduction},
       true,
       "cra.goods.final_reject_early"},
      {PurchaseKind::goods,
       0,
       std::nullopt,
       std::nullopt,
       true,
       Entitlement::final_reject_or_reduce,
       {refund, price_reduction},
       false,
       "cra.goods.final_reject"},
      // Goods from day 31: one repair or replacement first; in the first six months
      // the fault is presumed to have been there at delivery.
      {PurchaseKind::goods,
       31,
       std::nullopt,
       6,
       false,
       Entitlement::repair_or_replace,
       {repair, replacement, refund},
       true,
       "cra.goods.repair_or_replace_early"},
      {PurchaseKind::goods,
       31,
       std::nullopt,
       std::nullopt,
       false,
       Entitlement::repair_or_replace,
       {repair, replacement, refund},
       false,
       "cra.goods.repair_or_replace"},
      // Digital content: repair or replacement; failing that, a price reduction.
      {PurchaseKind::digital,
       0,
       std::nullopt,
       std::nullopt,
       false,
       Entitlement::digital_repair,
       {repair, replacement, price_reduction, refund},
       false,
       "cra.digital"},
      // Services: performed again properly; failing that, a price reduction.
      {PurchaseKind::service,
       0,
       std::nullopt,
       std::nullopt,
       false,
       Entitlement::service_redo,
       {repair, replacement, price_reduction, refund},
       false,
       "cra.service"},
  };
  return table;
}

bool before_months(Date purchase, Date complaint, int months) {
  auto limit = purchase.year() / purchase.month() / purchase.day() + std::chrono::months(months);
  // 31 August + 6 months has no 31 February: the period ends at the month's last day.
  if (!limit.ok()) limit = limit.year() / limit.month() / std::chrono::last;
  return std::chrono::sys_days{complaint} < std::chrono::sys_days{limit};
}

}  // namespace

ConsumerRightsResult consumer_rights_result(const ConsumerRightsHint& hint, PurchaseKind kind,
                                            bool repair_already_failed) {
  return {kind,
          hint.days_since_purchase,
          hint.entitlement,
          repair_already_failed,
          hint.burden_on_trader,
          hint.offer_falls_short};
}

std::span<const ConsumerRightsRule> consumer_rights_rules() { return rules(); }

bool consumer_rights_apply(Category category, PurchaseKind kind) {
  if (category == Category::faulty_goods || category == Category::not_as_described) return true;
  return category == Category::service && kind == PurchaseKind::service;
}

std::optional<ConsumerRightsHint> consumer_rights_hint(Category category, const Purchase& purchase, Date complaint_date,
                                                       std::span<const Offer> offered, bool repair_already_failed) {
  if (!consumer_rights_apply(category, purchase.kind) || !purchase.date.ok() || !complaint_date.ok())
    return std::nullopt;
  const auto days = (std::chrono::sys_days{complaint_date} - std::chrono::sys_days{purchase.date}).count();
  if (days < 0) return std::nullopt;
  for (const auto& rule : rules()) {
    if (rule.kind != purchase.kind || rule.after_failed_repair != repair_already_failed) continue;
    if (days < rule.from_day || (rule.to_day && days > *rule.to_day)) continue;
    if (rule.within_months && !before_months(purchase.date, complaint_date, *rule.within_months)) continue;
    ConsumerRightsHint hint{
        rule.entitlement, static_cast<int>(days), rule.burden_on_trader, rule.explanation_key, false, rule.satisfying};
    hint.offer_falls_short = std::none_of(offered.begin(), offered.end(), [&](Offer o) {
      return std::find(rule.satisfying.begin(), rule.satisfying.end(), o) != rule.satisfying.end();
    });
    return hint;
  }
  return std::nullopt;
}

}  // namespace heed
