// Valid records for tests to start from: each test breaks exactly one rule and
// checks that exactly that field is named.
#pragma once

#include <algorithm>
#include <string>

#include "heed/model.hpp"
#include "heed/reference.hpp"
#include "heed/result.hpp"

namespace heed::test {

inline RecordHeader header(std::string id = new_uuid_v4()) {
  return RecordHeader{std::move(id), "MCR-01", "dev-7f3a", *parse_timestamp("2026-11-22T14:05:09Z")};
}

inline Feedback feedback() {
  Feedback f;
  f.header = header();
  f.csat = 4;
  f.nps = 9;
  f.comment = "Quick checkout, friendly staff. £5 voucher was a nice touch — diolch!";
  f.language = "en";
  f.touchpoint = "checkout";
  return f;
}

inline Contact contact() {
  return Contact{"Ffion Łukasik", "ffion@example.co.uk", "07700 900123", true, "2026-01", std::nullopt};
}

// Resolved at first contact, with a purchase and the customer's contact details.
inline Complaint complaint(std::uint64_t sequence = 1) {
  Complaint c;
  c.header = header();
  c.reference = make_reference("MCR", "K2", sequence);
  c.staff_id = "S1042";
  c.channel = Channel::face_to_face;
  c.touchpoint = "customer_service";
  c.category = Category::faulty_goods;
  c.severity = Severity::medium;
  c.description = "Kettle bought last week stopped working after two days.";
  c.customer_mood = CustomerMood::upset;
  c.desired_outcome = DesiredOutcome::refund;
  c.offered = {Offer::refund, Offer::apology};
  c.purchase = Purchase{PurchaseKind::goods, *parse_date("2026-11-15"), 2999, "ORD-55812"};
  c.resolved_first_contact = true;
  c.customer_accepted = true;
  c.customer = contact();
  return c;
}

inline Complaint escalated_complaint() {
  Complaint c = complaint(2);
  c.resolved_first_contact = false;
  c.customer_accepted.reset();
  c.escalation = Escalation{EscalationTarget::area_manager,
                            "Third complaint about this kettle model since October; previous two were refunded.", true};
  return c;
}

inline ComplaintUpdate complaint_update(const std::string& complaint_id = new_uuid_v4()) {
  ComplaintUpdate u;
  u.header = header();
  u.complaint_id = complaint_id;
  u.staff_id = "S1042";
  u.note = "Called the customer back; replacement posted today.";
  return u;
}

inline bool names_field(const FieldErrors& errors, const std::string& field, const std::string& code = {}) {
  return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
    return e.field == field && (code.empty() || e.code == code) && !e.message.empty();
  });
}

}  // namespace heed::test
