// Wire JSON: round trips, the wire's exact field names, and every kind of shape
// error named by its field.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/record_json.hpp"
#include "heed/validation.hpp"

using namespace heed;
using heed::test::names_field;
using nlohmann::json;

namespace {

FieldErrors decode_errors(const json& j) {
  auto result = record_from_json(j);
  REQUIRE_FALSE(result.ok());
  return result.error();
}

}  // namespace

TEST_CASE("every record type round-trips through JSON unchanged") {
  auto minimal = test::feedback();
  minimal.csat.reset();
  minimal.comment.reset();
  auto with_contact = test::feedback();
  with_contact.contact = test::contact();
  with_contact.contact->name.reset();
  with_contact.suspected_misuse = true;
  auto bare_complaint = test::escalated_complaint();
  bare_complaint.purchase.reset();
  bare_complaint.customer.reset();
  auto goodwill = test::complaint();
  goodwill.offered = {Offer::goodwill, Offer::apology};
  goodwill.goodwill_pence = 2500;
  goodwill.approved_by = "M7";
  goodwill.purchase->order_ref.reset();

  for (const Record& record : {Record{test::feedback()}, Record{minimal}, Record{with_contact},
                               Record{test::complaint()}, Record{test::escalated_complaint()}, Record{bare_complaint},
                               Record{goodwill}, Record{test::complaint_update()}}) {
    CAPTURE(to_canonical_json(record));
    auto back = record_from_json_text(to_canonical_json(record));
    REQUIRE(back.ok());
    CHECK(back.value() == record);
    CHECK(to_canonical_json(back.value()) == to_canonical_json(record));
  }
}

TEST_CASE("encoding uses the wire's field names and enum strings") {
  const json f = to_json(test::feedback());
  CHECK(f["type"] == "feedback");
  CHECK(f["schema"] == 2);
  CHECK(f["created_at"] == "2026-11-22T14:05:09Z");
  for (const char* key : {"id", "type", "schema", "store_id", "device_id", "created_at", "csat", "nps", "comment",
                          "language", "touchpoint", "contact", "suspected_misuse"})
    CHECK_MESSAGE(f.contains(key), key);
  CHECK(f.size() == 13);
  CHECK(f["contact"].is_null());

  const json c = to_json(test::escalated_complaint());
  for (const char* key :
       {"reference", "staff_id", "channel", "category", "severity", "description", "customer_mood", "desired_outcome",
        "offered", "goodwill_pence", "approved_by", "purchase", "resolved_first_contact", "customer_accepted",
        "escalation", "customer", "touchpoint", "consumer_rights", "adjustments"})
    CHECK_MESSAGE(c.contains(key), key);
  CHECK(c.size() == 25);
  CHECK(c["touchpoint"] == "customer_service");
  CHECK(c["customer"].contains("address"));
  CHECK(c["channel"] == "face_to_face");
  CHECK(c["category"] == "faulty_goods");
  CHECK(c["offered"] == json::array({"refund", "apology"}));
  CHECK(c["purchase"] ==
        json{{"kind", "goods"}, {"date", "2026-11-15"}, {"amount_pence", 2999}, {"order_ref", "ORD-55812"}});
  CHECK(c["escalation"]["target"] == "area_manager");
  CHECK(c["escalation"]["history_reviewed"] == true);
  CHECK(c["customer"]["consent"] == true);
  CHECK(c["customer"]["notice_version"] == "2026-01");

  const json u = to_json(test::complaint_update("5f0c2a52-8a3c-4a8e-9b6f-3f1f0c9e2d11"));
  CHECK(u["type"] == "complaint_update");
  CHECK(u["complaint_id"] == "5f0c2a52-8a3c-4a8e-9b6f-3f1f0c9e2d11");
}

namespace {

Complaint complaint_with_schema2_facts() {
  auto c = test::escalated_complaint();
  c.customer_accepted = false;  // refused what was offered, so escalated
  c.consumer_rights = ConsumerRightsResult{PurchaseKind::goods, 7, Entitlement::short_term_reject, false, true, true};
  c.customer->address = "1 Heol y Frenhines, Caerdydd CF10 2BH";
  c.adjustments = Adjustments{true,
                              ContactChannel::letter,
                              "after 5pm",
                              "cy",
                              {AdjustmentFormat::large_print, AdjustmentFormat::easy_read},
                              "Uses a hearing loop"};
  return c;
}

}  // namespace

TEST_CASE("schema 2's complaint facts round-trip with their wire names") {
  const auto c = complaint_with_schema2_facts();
  const json j = to_json(c);
  CHECK(j["schema"] == 2);
  CHECK(j["customer_accepted"] == false);
  CHECK(j["consumer_rights"] == json{{"kind", "goods"},
                                     {"days_since_purchase", 7},
                                     {"entitlement", "short_term_reject"},
                                     {"repair_already_failed", false},
                                     {"burden_on_trader", true},
                                     {"offer_falls_short", true}});
  CHECK(j["adjustments"] == json{{"consent", true},
                                 {"contact_channel", "letter"},
                                 {"best_time", "after 5pm"},
                                 {"language", "cy"},
                                 {"formats", {"large_print", "easy_read"}},
                                 {"note", "Uses a hearing loop"}});
  CHECK(j["customer"]["address"] == "1 Heol y Frenhines, Caerdydd CF10 2BH");
  auto back = record_from_json(j);
  REQUIRE(back.ok());
  CHECK(back.value() == Record{c});
}

TEST_CASE("a schema 1 record is still accepted, and reads back exactly as it was sent") {
  json j = to_json(test::escalated_complaint());
  j["schema"] = 1;
  for (const char* key : {"touchpoint", "consumer_rights", "adjustments"}) j.erase(key);
  j["customer"].erase("address");
  auto record = record_from_json(j);
  REQUIRE(record.ok());
  const auto& c = std::get<Complaint>(record.value());
  CHECK(c.header.schema == 1);
  CHECK_FALSE(c.touchpoint);
  CHECK(to_json(record.value()) == j);  // nothing of schema 2 is added to what was sent

  SUBCASE("a schema 1 record carrying a schema 2 field is refused, naming it") {
    j["touchpoint"] = "checkout";
    CHECK(names_field(decode_errors(j), "touchpoint", "unknown_field"));
    j.erase("touchpoint");
    j["customer"]["address"] = "1 High Street";
    CHECK(names_field(decode_errors(j), "customer.address", "unknown_field"));
  }
  SUBCASE("schema 1's looser first-contact rule is kept (resolved, not accepted)") {
    auto resolved = to_json(test::complaint());
    resolved["schema"] = 1;
    for (const char* key : {"touchpoint", "consumer_rights", "adjustments"}) resolved.erase(key);
    resolved["customer"].erase("address");
    resolved["customer_accepted"] = false;
    auto stored = record_from_json(resolved);
    REQUIRE(stored.ok());
    CHECK_FALSE(counts_as_first_contact_resolution(std::get<Complaint>(stored.value())));
    resolved["schema"] = 2;
    resolved["touchpoint"] = "checkout";
    CHECK(names_field(decode_errors(resolved), "customer_accepted", "not_accepted"));
  }
  SUBCASE("schemas other than 1 and 2 are refused") {
    j["schema"] = 3;
    CHECK(names_field(decode_errors(j), "schema", "schema_unsupported"));
    j["schema"] = 0;
    CHECK(names_field(decode_errors(j), "schema", "schema_unsupported"));
  }
}

TEST_CASE("schema 2's new objects report shape errors by field") {
  json j = to_json(complaint_with_schema2_facts());
  SUBCASE("touchpoint is required") {
    j.erase("touchpoint");
    CHECK(names_field(decode_errors(j), "touchpoint", "required"));
  }
  SUBCASE("consumer_rights") {
    j["consumer_rights"]["entitlement"] = "full_refund_forever";
    j["consumer_rights"]["days_since_purchase"] = "seven";
    j["consumer_rights"]["extra"] = 1;
    const auto errors = decode_errors(j);
    CHECK(names_field(errors, "consumer_rights.entitlement", "enum"));
    CHECK(names_field(errors, "consumer_rights.days_since_purchase", "type"));
    CHECK(names_field(errors, "consumer_rights.extra", "unknown_field"));
  }
  SUBCASE("adjustments") {
    j["adjustments"]["formats"] = {"large_print", "braille_please"};
    j["adjustments"]["contact_channel"] = "pigeon";
    j["adjustments"]["consent"] = nullptr;
    const auto errors = decode_errors(j);
    CHECK(names_field(errors, "adjustments.formats", "enum"));
    CHECK(names_field(errors, "adjustments.contact_channel", "enum"));
    CHECK(names_field(errors, "adjustments.consent", "required"));
  }
}

TEST_CASE("a record written by hand as in wire-format.md decodes") {
  const char* text = R"({
    "id": "0b8f6f7e-3f7a-4c1e-9d52-1a2b3c4d5e6f", "type": "feedback", "schema": 1,
    "store_id": "MCR-01", "device_id": "dev-7f3a", "created_at": "2026-11-22T14:05:09Z",
    "csat": 5, "nps": null, "comment": null, "language": "cy", "touchpoint": "checkout",
    "contact": {"name": null, "email": null, "phone": "07700 900123", "consent": true, "notice_version": "2026-01"},
    "suspected_misuse": false})";
  auto record = record_from_json_text(text);
  REQUIRE(record.ok());
  const auto& f = std::get<Feedback>(record.value());
  CHECK(f.csat == 5);
  CHECK_FALSE(f.nps);
  CHECK(f.language == "cy");
  CHECK(f.contact->phone == "07700 900123");
}

TEST_CASE("nullable fields may be left out; required ones may not") {
  json j = to_json(test::feedback());
  j.erase("comment");
  j.erase("contact");
  CHECK(record_from_json(j).ok());
  j.erase("language");
  CHECK(names_field(decode_errors(j), "language", "required"));
}

TEST_CASE("shape errors name their field") {
  const json good = to_json(test::complaint());
  SUBCASE("unknown fields are rejected, at the top and inside objects") {
    json j = good;
    j["colour"] = "blue";
    CHECK(names_field(decode_errors(j), "colour", "unknown_field"));
    j = good;
    j["purchase"]["vat"] = 500;
    CHECK(names_field(decode_errors(j), "purchase.vat", "unknown_field"));
    j = good;
    j["customer"]["postcode"] = "M1 1AA";
    CHECK(names_field(decode_errors(j), "customer.postcode", "unknown_field"));
  }
  SUBCASE("wrong types") {
    json j = good;
    j["goodwill_pence"] = 1.5;
    CHECK(names_field(decode_errors(j), "goodwill_pence", "type"));
    j = good;
    j["goodwill_pence"] = "100";
    CHECK(names_field(decode_errors(j), "goodwill_pence", "type"));
    j = good;
    j["resolved_first_contact"] = "yes";
    CHECK(names_field(decode_errors(j), "resolved_first_contact", "type"));
    j = good;
    j["offered"] = "refund";
    CHECK(names_field(decode_errors(j), "offered", "type"));
    j = good;
    j["purchase"] = "yesterday";
    CHECK(names_field(decode_errors(j), "purchase", "type"));
  }
  SUBCASE("enum strings outside the wire's set") {
    json j = good;
    j["channel"] = "fax";
    CHECK(names_field(decode_errors(j), "channel", "enum"));
    j = good;
    j["offered"] = json::array({"refund", "cash"});
    CHECK(names_field(decode_errors(j), "offered", "enum"));
    j = good;
    j["purchase"]["kind"] = "food";
    CHECK(names_field(decode_errors(j), "purchase.kind", "enum"));
    j = good;
    j["type"] = "survey";
    CHECK(names_field(decode_errors(j), "type", "enum"));
  }
  SUBCASE("times, dates and schema") {
    json j = good;
    j["created_at"] = "2026-11-22 14:05";
    CHECK(names_field(decode_errors(j), "created_at", "time_invalid"));
    j = good;
    j["purchase"]["date"] = "15/11/2026";
    CHECK(names_field(decode_errors(j), "purchase.date", "date_invalid"));
    j = good;
    j["schema"] = 3;
    CHECK(names_field(decode_errors(j), "schema", "schema_unsupported"));
  }
  SUBCASE("not an object, not JSON") {
    CHECK(names_field(decode_errors(json::array()), "", "type"));
    auto bad = record_from_json_text("{\"id\": ");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().front().code == "json_invalid");
  }
}

TEST_CASE("decoding applies the validation rules too") {
  json j = to_json(test::feedback());
  j["csat"] = 9;
  j["nps"] = 99999999999;
  const auto errors = decode_errors(j);
  CHECK(names_field(errors, "csat", "csat_range"));
  CHECK(names_field(errors, "nps", "nps_range"));
}
