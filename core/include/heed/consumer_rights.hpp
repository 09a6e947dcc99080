// Consumer Rights Act 2015 hints for the staff complaint form: from what was
// bought (goods, digital content, a service), the complaint's category and how
// long ago it was bought, the remedy the customer is entitled to, and a warning
// when what staff offered is less.
//
// The rules are a table (rules() in consumer_rights.cpp), read top
// to bottom, first match wins, so a change in practice is a change of data. Day
// counts are calendar days from the purchase date to the complaint's date at the
// store: day 30 is inside the short-term right to reject, day 31 is not. "Within
// six months" means before the same day-of-month six months on.
//
// This is guidance for staff, not legal advice: the form shows it beside the
// offer, it never blocks a save.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "heed/model.hpp"

namespace heed {

enum class Entitlement {
  short_term_reject,       // goods, first 30 days: reject for a full refund
  repair_or_replace,       // goods after 30 days: one repair or replacement first
  final_reject_or_reduce,  // goods after a failed repair/replacement
  digital_repair,          // digital content: repair or replacement, else price reduction
  service_redo,            // services: repeat performance, else price reduction
};
std::string_view entitlement_name(Entitlement entitlement);

struct ConsumerRightsRule {
  PurchaseKind kind;
  int from_day;                      // inclusive, days since purchase
  std::optional<int> to_day;         // inclusive; nullopt = no end
  std::optional<int> within_months;  // alternatively: before this many months since purchase
  bool after_failed_repair;          // applies only once a repair or replacement has failed
  Entitlement entitlement;
  std::vector<Offer> satisfying;     // offers that meet the entitlement
  bool burden_on_trader;             // a fault is presumed present at delivery (first six months)
  std::string_view explanation_key;  // catalogue key of the sentence staff see
};

struct ConsumerRightsHint {
  Entitlement entitlement;
  int days_since_purchase = 0;
  bool burden_on_trader = false;
  std::string_view explanation_key;
  bool offer_falls_short = false;  // nothing offered meets the entitlement
  std::vector<Offer> would_satisfy;
};

// Categories the Act's quality rules cover: faulty goods, not as described, and
// (for services) service.
bool consumer_rights_apply(Category category, PurchaseKind kind);

// The hint for a complaint, or nullopt when the Act's remedies do not apply
// (another category, no purchase, or a purchase date after the complaint).
std::optional<ConsumerRightsHint> consumer_rights_hint(Category category, const Purchase& purchase, Date complaint_date,
                                                       std::span<const Offer> offered,
                                                       bool repair_already_failed = false);

std::span<const ConsumerRightsRule> consumer_rights_rules();

}  // namespace heed
