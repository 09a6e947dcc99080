// Validation, rule by rule: each case breaks one rule of wire-format.md and
// checks the error names that field (and only problems of that rule appear).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "fixtures.hpp"
#include "heed/validation.hpp"

using namespace heed;
using heed::test::names_field;

namespace {

std::string describe(const FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) text += e.field + " [" + e.code + "]: " + e.message + "\n";
  return text;
}

// The record breaks exactly this field's rule: one error, naming it.
#define CHECK_ONLY_REJECTS(record, field, code) \
  do {                                          \
    const auto errors_ = validate(record);      \
    INFO(describe(errors_));                    \
    CHECK(errors_.size() == 1);                 \
    CHECK(names_field(errors_, field, code));   \
  } while (false)

}  // namespace

TEST_CASE("the fixtures are valid") {
  CHECK(validate(test::feedback()).empty());
  CHECK(validate(test::complaint()).empty());
  CHECK(validate(test::escalated_complaint()).empty());
  CHECK(validate(test::complaint_update()).empty());
  CHECK(validate(Record{test::feedback()}).empty());
}

TEST_CASE("common fields") {
  auto f = test::feedback();
  SUBCASE("id must be a UUID v4") {
    for (const char* bad :
         {"", "not-a-uuid", "123e4567-e89b-12d3-a456-426614174000" /* v1 */,
          "123e4567-e89b-42d3-c456-426614174000" /* bad variant */, "123e4567e89b42d3a456426614174000"}) {
      CAPTURE(bad);
      f.header.id = bad;
      CHECK_ONLY_REJECTS(f, "id", "id_invalid");
    }
    f.header.id = "123E4567-E89B-42D3-A456-426614174000";
    CHECK(validate(f).empty());
  }
  SUBCASE("store_id is 1-32 of A-Z 0-9 - _") {
    for (const char* bad : {"", "mcr-01", "MCR 01", "MCR.01", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}) {
      CAPTURE(bad);
      f.header.store_id = bad;
      CHECK_ONLY_REJECTS(f, "store_id", "store_id_invalid");
    }
    f.header.store_id = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    CHECK(validate(f).empty());
  }
  SUBCASE("device_id is 1-64 plain characters") {
    for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("dev 1"), std::string("dév")}) {
      f.header.device_id = bad;
      CHECK_ONLY_REJECTS(f, "device_id", "device_id_invalid");
    }
  }
  SUBCASE("created_at is after 2020") {
    f.header.created_at = *parse_timestamp("2019-12-31T23:59:59Z");
    CHECK_ONLY_REJECTS(f, "created_at", "created_at_invalid");
  }
}

TEST_CASE("feedback rules") {
  auto f = test::feedback();
  SUBCASE("csat 1-5") {
    for (int bad : {0, 6, -1}) {
      f.csat = bad;
      CHECK_ONLY_REJECTS(f, "csat", "csat_range");
    }
    for (int good : {1, 5}) {
      f.csat = good;
      CHECK(validate(f).empty());
    }
  }
  SUBCASE("nps 0-10") {
    for (int bad : {-1, 11}) {
      f.nps = bad;
      CHECK_ONLY_REJECTS(f, "nps", "nps_range");
    }
    for (int good : {0, 10}) {
      f.nps = good;
      CHECK(validate(f).empty());
    }
  }
  SUBCASE("at least one rating") {
    f.csat.reset();
    CHECK(validate(f).empty());
    f.nps.reset();
    CHECK_ONLY_REJECTS(f, "csat", "rating_missing");
    f.csat = 3;
    CHECK(validate(f).empty());
  }
  SUBCASE("comment at most 2,000 characters, counted as characters not bytes") {
    f.comment = std::string(2000, 'a');
    CHECK(validate(f).empty());
    std::string welsh;
    for (int i = 0; i < 2000; ++i) welsh += "ŵ";  // two bytes each
    f.comment = welsh;
    CHECK(validate(f).empty());
    f.comment = welsh + "a";
    CHECK_ONLY_REJECTS(f, "comment", "too_long");
    f.comment = std::string("bad \xC3\x28 bytes");
    CHECK_ONLY_REJECTS(f, "comment", "not_utf8");
    f.comment = "";  // an empty comment is allowed; the kiosk stores null instead
    CHECK(validate(f).empty());
  }
  SUBCASE("language is a catalogue code") {
    for (const char* bad : {"", "e", "EN", "en-GB", "engl"}) {
      f.language = bad;
      CHECK_ONLY_REJECTS(f, "language", "language_invalid");
    }
  }
  SUBCASE("touchpoint is a short code") {
    for (const std::string& bad : {std::string(), std::string("Check out"), std::string(65, 'a')}) {
      f.touchpoint = bad;
      CHECK_ONLY_REJECTS(f, "touchpoint", "touchpoint_invalid");
    }
  }
}

TEST_CASE("contact rules") {
  auto f = test::feedback();
  f.contact = test::contact();
  REQUIRE(validate(f).empty());
  SUBCASE("consent must be true") {
    f.contact->consent = false;
    CHECK_ONLY_REJECTS(f, "contact.consent", "consent_required");
  }
  SUBCASE("email or phone") {
    f.contact->email.reset();
    CHECK(validate(f).empty());
    f.contact->phone.reset();
    CHECK_ONLY_REJECTS(f, "contact.email", "contact_missing");
  }
  SUBCASE("email format") {
    for (const char* bad :
         {"ffion", "ffion@", "@example.com", "ffion@example", "ffion@@example.com", "ffion@exa mple.com",
          "ffion@example.c", "ffion..x@example.com", "ffion@-example.com", "ffion@example.com."}) {
      CAPTURE(bad);
      f.contact->email = bad;
      CHECK_ONLY_REJECTS(f, "contact.email", "email_invalid");
    }
    for (const char* good : {"a@b.co", "first.last+tag@sub.example.org", "o'neill@example.ie"}) {
      CAPTURE(good);
      f.contact->email = good;
      CHECK(validate(f).empty());
    }
  }
  SUBCASE("UK phone numbers") {
    for (const char* bad :
         {"12345", "07700 90012", "07700 9001234", "+1 202 555 0100", "0044", "07700-900-12a", "04700 900123"}) {
      CAPTURE(bad);
      f.contact->phone = bad;
      CHECK_ONLY_REJECTS(f, "contact.phone", "phone_invalid");
    }
  }
  SUBCASE("notice version recorded") {
    f.contact->notice_version = "";
    CHECK_ONLY_REJECTS(f, "contact.notice_version", "required");
  }
  SUBCASE("name, when given, is not blank") {
    f.contact->name = "  ";
    CHECK_ONLY_REJECTS(f, "contact.name", "required");
  }
}

TEST_CASE("UK phone numbers normalise to E.164") {
  CHECK(normalise_uk_phone("07700 900123") == "+447700900123");
  CHECK(normalise_uk_phone("+44 7700 900123") == "+447700900123");
  CHECK(normalise_uk_phone("+44 (0)20 7946 0018") == "+442079460018");
  CHECK(normalise_uk_phone("(020) 7946-0018") == "+442079460018");
  CHECK(normalise_uk_phone("0044 121 496 0000") == "+441214960000");
  CHECK_FALSE(normalise_uk_phone("+33 1 23 45 67 89"));
  CHECK_FALSE(normalise_uk_phone("7700 900123"));
  CHECK_FALSE(normalise_uk_phone("07700 900123 ext 4"));
}

TEST_CASE("complaint rules") {
  auto c = test::complaint();
  SUBCASE("reference must parse with its check character") {
    c.reference = "MCR-K2-2222";  // no check symbol
    CHECK_ONLY_REJECTS(c, "reference", "reference_invalid");
    c.reference = "";
    CHECK_ONLY_REJECTS(c, "reference", "reference_invalid");
  }
  SUBCASE("staff_id required") {
    c.staff_id = "";
    CHECK_ONLY_REJECTS(c, "staff_id", "required");
  }
  SUBCASE("description 1-5,000 characters") {
    c.description = "   ";
    CHECK_ONLY_REJECTS(c, "description", "required");
    c.description = std::string(5001, 'x');
    CHECK_ONLY_REJECTS(c, "description", "too_long");
    c.description = std::string(5000, 'x');
    CHECK(validate(c).empty());
  }
  SUBCASE("offered: something, no repeats, none alone") {
    c.offered = {};
    CHECK_ONLY_REJECTS(c, "offered", "offered_missing");
    c.offered = {Offer::refund, Offer::refund};
    CHECK_ONLY_REJECTS(c, "offered", "offered_duplicate");
    c.offered = {Offer::none, Offer::apology};
    CHECK_ONLY_REJECTS(c, "offered", "offered_none_alone");
    c.offered = {Offer::none};
    CHECK(validate(c).empty());
  }
  SUBCASE("goodwill amount and offer agree") {
    c.goodwill_pence = -1;
    CHECK(names_field(validate(c), "goodwill_pence", "goodwill_negative"));
    c.goodwill_pence = 500;
    CHECK_ONLY_REJECTS(c, "offered", "goodwill_not_offered");
    c.offered.push_back(Offer::goodwill);
    CHECK(validate(c).empty());
    c.goodwill_pence = 0;
    CHECK_ONLY_REJECTS(c, "goodwill_pence", "goodwill_amount_missing");
  }
  SUBCASE("approved_by, when given, is a staff id") {
    c.approved_by = "";
    CHECK_ONLY_REJECTS(c, "approved_by", "required");
  }
  SUBCASE("purchase: not after the complaint, amount not negative") {
    c.purchase->date = *parse_date("2026-11-23");
    CHECK_ONLY_REJECTS(c, "purchase.date", "purchase_in_future");
    c.purchase->date = *parse_date("2026-11-22");
    CHECK(validate(c).empty());
    c.purchase->amount_pence = -1;
    CHECK_ONLY_REJECTS(c, "purchase.amount_pence", "amount_negative");
  }
  SUBCASE("resolved at first contact records acceptance and no escalation") {
    c.customer_accepted.reset();
    CHECK_ONLY_REJECTS(c, "customer_accepted", "accepted_missing");
    c.customer_accepted = true;
    c.escalation = test::escalated_complaint().escalation;
    CHECK_ONLY_REJECTS(c, "escalation", "escalation_unexpected");
  }
  SUBCASE("customer contact follows the contact rules") {
    c.customer->email = "nope";
    CHECK_ONLY_REJECTS(c, "customer.email", "email_invalid");
  }
}

TEST_CASE("escalation rules") {
  auto c = test::escalated_complaint();
  REQUIRE(validate(c).empty());
  SUBCASE("required when not resolved at first contact") {
    c.escalation.reset();
    CHECK_ONLY_REJECTS(c, "escalation", "escalation_missing");
  }
  SUBCASE("history must have been reviewed") {
    c.escalation->history_reviewed = false;
    CHECK_ONLY_REJECTS(c, "escalation.history_reviewed", "history_not_reviewed");
  }
  SUBCASE("rationale of 20+ characters, not counting surrounding spaces") {
    c.escalation->rationale = "Too short";
    CHECK_ONLY_REJECTS(c, "escalation.rationale", "rationale_too_short");
    c.escalation->rationale = "    nineteen chars!!    ";
    CHECK_ONLY_REJECTS(c, "escalation.rationale", "rationale_too_short");
    c.escalation->rationale = "exactly twenty chars";
    CHECK(validate(c).empty());
  }
  SUBCASE("an unresolved complaint records a refusal (false), never an acceptance") {
    c.customer_accepted = false;  // schema 2: the customer refused what was offered
    CHECK(validate(c).empty());
    c.customer_accepted = true;
    CHECK_ONLY_REJECTS(c, "customer_accepted", "accepted_unexpected");
    c.header.schema = 1;  // schema 1 set it only when resolved
    c.touchpoint.reset();
    c.customer_accepted = false;
    CHECK_ONLY_REJECTS(c, "customer_accepted", "accepted_unexpected");
  }
}

TEST_CASE("first-contact resolution means the customer accepted (schema 2)") {
  auto c = test::complaint();
  c.customer_accepted = false;
  CHECK_ONLY_REJECTS(c, "customer_accepted", "not_accepted");
  c.customer_accepted.reset();
  CHECK_ONLY_REJECTS(c, "customer_accepted", "accepted_missing");
  c.header.schema = 1;  // stored as sent, but not counted (counts_as_first_contact_resolution)
  c.touchpoint.reset();
  c.customer_accepted = false;
  CHECK(validate(c).empty());
}

TEST_CASE("schema 2 complaint facts: touchpoint, Consumer Rights Act result, adjustments, address") {
  auto c = test::complaint();
  SUBCASE("touchpoint required and shaped like feedback's") {
    c.touchpoint.reset();
    CHECK_ONLY_REJECTS(c, "touchpoint", "required");
    c.touchpoint = "Customer Service";
    CHECK_ONLY_REJECTS(c, "touchpoint", "touchpoint_invalid");
  }
  SUBCASE("the Consumer Rights Act result belongs to the purchase") {
    c.consumer_rights =
        ConsumerRightsResult{PurchaseKind::goods, 7, Entitlement::short_term_reject, false, true, false};
    CHECK(validate(c).empty());
    c.consumer_rights->kind = PurchaseKind::service;
    CHECK_ONLY_REJECTS(c, "consumer_rights.kind", "kind_mismatch");
    c.consumer_rights->kind = PurchaseKind::goods;
    c.consumer_rights->days_since_purchase = -1;
    CHECK_ONLY_REJECTS(c, "consumer_rights.days_since_purchase", "days_range");
    c.consumer_rights->days_since_purchase = 7;
    c.purchase.reset();
    CHECK_ONLY_REJECTS(c, "consumer_rights", "purchase_missing");
  }
  SUBCASE("adjustments only with explicit consent, and saying something") {
    c.adjustments = Adjustments{true, std::nullopt, std::nullopt, std::nullopt, {}, "Needs a quiet room"};
    CHECK(validate(c).empty());
    c.adjustments->consent = false;
    CHECK_ONLY_REJECTS(c, "adjustments.consent", "consent_required");
    c.adjustments->consent = true;
    c.adjustments->note.reset();
    CHECK_ONLY_REJECTS(c, "adjustments", "adjustments_empty");
    c.adjustments->formats = {AdjustmentFormat::large_print, AdjustmentFormat::large_print};
    CHECK_ONLY_REJECTS(c, "adjustments.formats", "format_duplicate");
    c.adjustments->formats = {AdjustmentFormat::easy_read};
    c.adjustments->note = std::string(301, 'x');
    CHECK_ONLY_REJECTS(c, "adjustments.note", "too_long");
    c.adjustments->note.reset();
    c.adjustments->best_time = std::string(101, 'x');
    CHECK_ONLY_REJECTS(c, "adjustments.best_time", "too_long");
    c.adjustments->best_time = "mornings";
    c.adjustments->language = "Welsh";
    CHECK_ONLY_REJECTS(c, "adjustments.language", "language_invalid");
  }
  SUBCASE("a preferred channel needs the detail to use it") {
    c.adjustments = Adjustments{true, ContactChannel::letter, std::nullopt, std::nullopt, {}, std::nullopt};
    CHECK_ONLY_REJECTS(c, "adjustments.contact_channel", "channel_unreachable");
    c.customer->address = "1 High Street, Manchester M1 1AA";
    CHECK(validate(c).empty());
    c.adjustments->contact_channel = ContactChannel::phone;
    c.customer->phone.reset();
    CHECK_ONLY_REJECTS(c, "adjustments.contact_channel", "channel_unreachable");
    c.customer.reset();
    c.adjustments->contact_channel = ContactChannel::email;
    CHECK_ONLY_REJECTS(c, "adjustments.contact_channel", "channel_unreachable");
  }
  SUBCASE("an address alone is a way to reach the customer") {
    c.customer->email.reset();
    c.customer->phone.reset();
    CHECK_ONLY_REJECTS(c, "customer.email", "contact_missing");
    c.customer->address = "1 High Street, Manchester M1 1AA";
    CHECK(validate(c).empty());
    c.customer->address = std::string(301, 'x');
    CHECK_ONLY_REJECTS(c, "customer.address", "too_long");
  }
}

TEST_CASE("text with U+FFFD (a character lost on the way) or broken UTF-8 is refused, never stored") {
  // What a 16-bit text stack sends for an emoji: the replacement character.
  const std::string lost = "hi \xEF\xBF\xBD";
  SUBCASE("a feedback comment") {
    auto f = test::feedback();
    f.comment = lost;
    CHECK_ONLY_REJECTS(f, "comment", "replacement_char");
    f.comment = "hi \xF0\x9F\x98";  // an emoji cut short
    CHECK_ONLY_REJECTS(f, "comment", "not_utf8");
    f.comment = "hi \xF0\x9F\x98\x80";  // the emoji itself is fine
    CHECK(validate(f).empty());
  }
  SUBCASE("a complaint's description, a contact's name and an escalation's rationale") {
    auto c = test::escalated_complaint();
    c.description = "Kettle " + lost;
    CHECK_ONLY_REJECTS(c, "description", "replacement_char");
    c = test::escalated_complaint();
    c.escalation->rationale = "The customer has complained three times " + lost;
    CHECK_ONLY_REJECTS(c, "escalation.rationale", "replacement_char");
    auto f = test::feedback();
    f.contact = test::contact();
    f.contact->name = "Ana " + lost;
    CHECK_ONLY_REJECTS(f, "contact.name", "replacement_char");
  }
  SUBCASE("a note") {
    auto u = test::complaint_update();
    u.note = lost;
    CHECK_ONLY_REJECTS(u, "note", "replacement_char");
  }
}

TEST_CASE("complaint update rules") {
  auto u = test::complaint_update();
  SUBCASE("names a complaint id") {
    u.complaint_id = "MCR-K2-2222";
    CHECK_ONLY_REJECTS(u, "complaint_id", "id_invalid");
  }
  SUBCASE("staff id and note") {
    u.staff_id = "";
    CHECK_ONLY_REJECTS(u, "staff_id", "required");
    u.staff_id = "S1";
    u.note = "";
    CHECK_ONLY_REJECTS(u, "note", "required");
    u.note = std::string(5001, 'n');
    CHECK_ONLY_REJECTS(u, "note", "too_long");
  }
}

TEST_CASE("utf8_length counts code points and refuses broken UTF-8") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("£5") == 2u);
  CHECK(utf8_length("ŵŷłż") == 4u);
  CHECK(utf8_length("€") == 1u);
  CHECK(utf8_length("\xF0\x9F\x98\x80") == 1u);  // an emoji
  CHECK_FALSE(utf8_length("\xC3"));              // truncated
  CHECK_FALSE(utf8_length("\xC0\xAF"));          // overlong
  CHECK_FALSE(utf8_length("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(utf8_length("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(utf8_length("\xFF"));
}
