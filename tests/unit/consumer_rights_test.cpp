// The Consumer Rights Act table at every boundary: day 30 and 31, the six-month
// mark (including month ends), each kind of purchase, and offers that fall short.
#include <doctest/doctest.h>

#include "heed/consumer_rights.hpp"

using namespace heed;

namespace {

Date d(const char* text) { return *parse_date(text); }

std::optional<ConsumerRightsHint> hint(PurchaseKind kind, const char* bought, const char* complained,
                                       std::vector<Offer> offered = {Offer::refund}, bool failed = false,
                                       Category category = Category::faulty_goods) {
  return consumer_rights_hint(category, Purchase{kind, d(bought), 2999, std::nullopt}, d(complained), offered, failed);
}

}  // namespace

TEST_CASE("goods: the short-term right to reject runs to day 30 inclusive") {
  auto h = hint(PurchaseKind::goods, "2026-10-01", "2026-10-31");  // day 30
  REQUIRE(h);
  CHECK(h->days_since_purchase == 30);
  CHECK(h->entitlement == Entitlement::short_term_reject);
  CHECK(h->burden_on_trader);
  CHECK_FALSE(h->offer_falls_short);

  h = hint(PurchaseKind::goods, "2026-10-01", "2026-11-01");  // day 31
  REQUIRE(h);
  CHECK(h->days_since_purchase == 31);
  CHECK(h->entitlement == Entitlement::repair_or_replace);

  CHECK(hint(PurchaseKind::goods, "2026-10-01", "2026-10-01")->entitlement == Entitlement::short_term_reject);  // day 0
}

TEST_CASE("goods: within 30 days, a repair offered instead of a refund falls short") {
  auto h = hint(PurchaseKind::goods, "2026-11-15", "2026-11-22", {Offer::repair, Offer::apology});
  REQUIRE(h);
  CHECK(h->offer_falls_short);
  CHECK(h->would_satisfy == std::vector<Offer>{Offer::refund});
  CHECK(hint(PurchaseKind::goods, "2026-11-15", "2026-11-22", {Offer::goodwill})->offer_falls_short);
  CHECK(hint(PurchaseKind::goods, "2026-11-15", "2026-11-22", {Offer::none})->offer_falls_short);
}

TEST_CASE("goods: the six-month mark moves the burden of proof") {
  auto before = hint(PurchaseKind::goods, "2026-03-15", "2026-09-14", {Offer::repair});
  REQUIRE(before);
  CHECK(before->entitlement == Entitlement::repair_or_replace);
  CHECK(before->burden_on_trader);
  CHECK(before->explanation_key == "cra.goods.repair_or_replace_early");
  CHECK_FALSE(before->offer_falls_short);

  auto at = hint(PurchaseKind::goods, "2026-03-15", "2026-09-15", {Offer::repair});
  REQUIRE(at);
  CHECK_FALSE(at->burden_on_trader);
  CHECK(at->explanation_key == "cra.goods.repair_or_replace");
}

TEST_CASE("the six-month mark at a month's end") {
  // 31 August + 6 months: 28 February (2027 is not a leap year).
  CHECK(hint(PurchaseKind::goods, "2026-08-31", "2027-02-27", {Offer::repair})->burden_on_trader);
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-08-31", "2027-02-28", {Offer::repair})->burden_on_trader);
  // In a leap year the mark is 29 February.
  CHECK(hint(PurchaseKind::goods, "2027-08-31", "2028-02-28", {Offer::repair})->burden_on_trader);
  CHECK_FALSE(hint(PurchaseKind::goods, "2027-08-31", "2028-02-29", {Offer::repair})->burden_on_trader);
}

TEST_CASE("goods: after a failed repair, price reduction or final right to reject") {
  auto h = hint(PurchaseKind::goods, "2026-06-01", "2026-08-01", {Offer::repair}, true);
  REQUIRE(h);
  CHECK(h->entitlement == Entitlement::final_reject_or_reduce);
  CHECK(h->offer_falls_short);  // a second repair is not enough
  CHECK(h->burden_on_trader);
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-06-01", "2026-08-01", {Offer::price_reduction}, true)->offer_falls_short);
  CHECK_FALSE(hint(PurchaseKind::goods, "2025-06-01", "2026-08-01", {Offer::refund}, true)->burden_on_trader);
}

TEST_CASE("digital content and services have their own remedies, with no 30-day rule") {
  auto digital = hint(PurchaseKind::digital, "2026-11-20", "2026-11-22", {Offer::repair});
  REQUIRE(digital);
  CHECK(digital->entitlement == Entitlement::digital_repair);
  CHECK_FALSE(digital->offer_falls_short);
  CHECK(hint(PurchaseKind::digital, "2026-11-20", "2026-11-22", {Offer::apology})->offer_falls_short);

  auto service =
      hint(PurchaseKind::service, "2026-11-01", "2026-11-22", {Offer::price_reduction}, false, Category::service);
  REQUIRE(service);
  CHECK(service->entitlement == Entitlement::service_redo);
  CHECK_FALSE(service->offer_falls_short);
}

TEST_CASE("no hint where the Act's quality rules do not apply") {
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-11-01", "2026-11-22", {Offer::refund}, false, Category::staff_conduct));
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-11-01", "2026-11-22", {Offer::refund}, false, Category::delivery));
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-11-01", "2026-11-22", {Offer::refund}, false, Category::service));
  CHECK_FALSE(hint(PurchaseKind::goods, "2026-11-23", "2026-11-22"));  // bought after the complaint
  CHECK(hint(PurchaseKind::goods, "2026-11-01", "2026-11-22", {Offer::refund}, false, Category::not_as_described));
}

TEST_CASE("every rule names an explanation and at least one satisfying offer") {
  for (const auto& rule : consumer_rights_rules()) {
    CHECK_FALSE(rule.explanation_key.empty());
    CHECK_FALSE(rule.satisfying.empty());
  }
}
