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

// Entitlement (the remedies) is in model.hpp: complaints carry it on the wire.

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

// The hint as a complaint record keeps it.
ConsumerRightsResult consumer_rights_result(const ConsumerRightsHint& hint, PurchaseKind kind,
                                            bool repair_already_failed);

}  // namespace heed
