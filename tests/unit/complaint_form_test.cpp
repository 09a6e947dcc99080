// The staff complaint form without a window: each kind of complaint, the rules
// that guard escalation and goodwill, drafts, and sign-in.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/complaint_form.hpp"
#include "heed/record_json.hpp"
#include "heed/secrets.hpp"
#include "heed/validation.hpp"

using namespace heed;
using namespace std::chrono_literals;
using heed::test::names_field;
using nlohmann::json;

namespace {

const std::string kStaffHash = *hash_secret("1111");
const std::string kManagerHash = *hash_secret("2222");

std::vector<StaffMember> roster() {
  return {{"S1042", "Aled Jones", kStaffHash, StaffRole::staff},
          {"M7", "Ffion Evans", kManagerHash, StaffRole::manager}};
}

ComplaintFormSettings settings() { return {"MCR-01", "dev-7f3a", 2000, roster(), "2026-01"}; }

ComplaintForm started() { return ComplaintForm(settings(), "S1042", *parse_timestamp("2026-11-22T14:05:09Z")); }

// Fills hear and empathise for a faulty kettle bought a week ago.
void hear_and_empathise(ComplaintForm& form) {
  auto& d = form.edit();
  d.category = Category::faulty_goods;
  d.severity = Severity::medium;
  d.touchpoint = "customer_service";
  d.description = "Kettle stopped working after two days.";
  d.has_purchase = true;
  d.purchase_kind = PurchaseKind::goods;
  d.purchase_date = "15/11/2026";
  d.purchase_amount = "£29.99";
  d.order_ref = "ORD-55812";
  REQUIRE(form.next());
  d.mood = CustomerMood::upset;
  d.desired_outcome = DesiredOutcome::refund;
  REQUIRE(form.next());
  REQUIRE(form.step() == ComplaintStep::act);
}

}  // namespace

TEST_CASE("a complaint resolved at first contact") {
  auto form = started();
  CHECK(names_field(form.errors(), "category", "required"));
  CHECK_FALSE(form.next());
  hear_and_empathise(form);
  form.edit().offered = {Offer::refund, Offer::apology};
  auto cra = form.consumer_rights();
  REQUIRE(cra);
  CHECK(cra->entitlement == Entitlement::short_term_reject);
  CHECK_FALSE(cra->offer_falls_short);
  REQUIRE(form.next());
  CHECK(names_field(form.errors(), "resolved_first_contact", "required"));
  form.edit().resolved_first_contact = true;
  CHECK(names_field(form.errors(), "customer_accepted", "accepted_missing"));
  form.edit().customer_accepted = true;
  REQUIRE(form.next());
  CHECK(form.step() == ComplaintStep::contact);  // no escalation step
  form.edit().consent = true;
  form.edit().phone = "07700 900123";
  REQUIRE(form.next());
  CHECK(form.step() == ComplaintStep::review);

  auto built = form.build(make_reference("MCR", "K2", 7));
  REQUIRE(built.ok());
  const Complaint& c = built.value();
  CHECK(validate(c).empty());
  CHECK(c.header.id == form.data().id);
  CHECK(c.staff_id == "S1042");
  CHECK(c.purchase->amount_pence == 2999);
  CHECK(c.purchase->date == *parse_date("2026-11-15"));
  CHECK(c.customer->phone == "+447700900123");
  CHECK(c.customer->notice_version == "2026-01");
  CHECK_FALSE(c.escalation);
  CHECK(c.touchpoint == "customer_service");
  // The Consumer Rights Act result the form showed travels with the record.
  REQUIRE(c.consumer_rights);
  CHECK(c.consumer_rights->entitlement == Entitlement::short_term_reject);
  CHECK(c.consumer_rights->days_since_purchase == 7);
  CHECK(c.consumer_rights->kind == PurchaseKind::goods);
  CHECK_FALSE(c.consumer_rights->offer_falls_short);
  CHECK_FALSE(c.adjustments);
  auto round = record_from_json_text(to_canonical_json(c));
  REQUIRE(round.ok());
  CHECK(std::get<Complaint>(round.value()) == c);
}

TEST_CASE("a resolution the customer did not accept leads to Escalate, and the record says they refused") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::repair};
  REQUIRE(form.next());
  form.edit().resolved_first_contact = true;
  form.edit().customer_accepted = false;
  REQUIRE(form.next());
  CHECK(form.step() == ComplaintStep::escalate);
  CHECK(names_field(form.errors(), "escalation.history_reviewed"));
  form.history_opened();
  form.edit().escalation_target = EscalationTarget::area_manager;
  form.edit().rationale = "Refused a repair; second kettle fault this autumn per history.";
  REQUIRE(form.next());
  CHECK(form.step() == ComplaintStep::contact);
  form.back();
  CHECK(form.step() == ComplaintStep::escalate);  // back retraces through escalate
  REQUIRE(form.next());
  REQUIRE(form.next());
  auto built = form.build(make_reference("MCR", "K2", 8));
  REQUIRE(built.ok());
  CHECK_FALSE(built.value().resolved_first_contact);
  CHECK(built.value().customer_accepted == false);
  CHECK(built.value().escalation->target == EscalationTarget::area_manager);
  CHECK_FALSE(counts_as_first_contact_resolution(built.value()));
  CHECK(built.value().consumer_rights->offer_falls_short);  // a repair falls short of the 30-day right
}

TEST_CASE("adjustments and contact preferences are kept only with the customer's explicit consent") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::refund};
  REQUIRE(form.next());
  form.edit().resolved_first_contact = true;
  form.edit().customer_accepted = true;
  REQUIRE(form.next());
  auto& d = form.edit();
  d.consent = true;
  d.email = "ffion@example.co.uk";
  d.formats = {AdjustmentFormat::large_print};
  d.adjustment_note = "  Uses a hearing loop  ";
  d.contact_channel = ContactChannel::letter;
  CHECK(names_field(form.errors(), "adjustments.consent", "consent_required"));
  CHECK(names_field(form.errors(), "adjustments.contact_channel", "channel_unreachable"));  // no address yet
  CHECK_FALSE(form.next());
  d.adjustments_consent = true;
  d.address = "1 Heol y Frenhines, Caerdydd CF10 2BH";
  REQUIRE(form.next());
  auto built = form.build(make_reference("MCR", "K2", 9));
  REQUIRE(built.ok());
  const auto& a = built.value().adjustments;
  REQUIRE(a);
  CHECK(a->consent);
  CHECK(a->note == "Uses a hearing loop");
  CHECK(a->formats == std::vector{AdjustmentFormat::large_print});
  CHECK(a->contact_channel == ContactChannel::letter);
  CHECK(built.value().customer->address == "1 Heol y Frenhines, Caerdydd CF10 2BH");

  // Cleared again: nothing is kept, and the consent tick alone keeps nothing.
  d.formats.clear();
  d.adjustment_note.clear();
  d.contact_channel.reset();
  CHECK_FALSE(form.build(make_reference("MCR", "K2", 9)).value().adjustments);
}

TEST_CASE("the Consumer Rights Act hint warns when the offer falls short") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::repair};
  REQUIRE(form.consumer_rights());
  CHECK(form.consumer_rights()->offer_falls_short);
  form.edit().category = Category::staff_conduct;
  CHECK_FALSE(form.consumer_rights());
}

TEST_CASE("an escalation is refused without the history opened or without a rationale, accepted with both") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::apology};
  REQUIRE(form.next());
  form.edit().resolved_first_contact = false;
  REQUIRE(form.next());
  REQUIRE(form.step() == ComplaintStep::escalate);

  form.edit().escalation_target = EscalationTarget::area_manager;
  form.edit().rationale = "Third kettle complaint since October, both earlier ones refunded.";
  CHECK(names_field(form.errors(), "escalation.history_reviewed", "history_not_reviewed"));
  CHECK_FALSE(form.next());

  form.history_opened();
  form.edit().rationale = "Repeat issue";
  CHECK(names_field(form.errors(), "escalation.rationale", "rationale_too_short"));
  CHECK_FALSE(form.next());
  CHECK_FALSE(form.build(make_reference("MCR", "K2", 8)).ok());

  form.edit().rationale = "Third kettle complaint since October, both earlier ones refunded.";
  REQUIRE(form.next());
  REQUIRE(form.next());  // contact: no consent, nothing stored
  auto built = form.build(make_reference("MCR", "K2", 8));
  REQUIRE(built.ok());
  CHECK(built->escalation->history_reviewed);
  CHECK(built->escalation->target == EscalationTarget::area_manager);
  CHECK_FALSE(built->customer_accepted);
  CHECK_FALSE(built->customer);
}

TEST_CASE("goodwill over the limit needs a manager's PIN on the spot, and the approver is recorded") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::goodwill, Offer::apology};
  form.edit().goodwill = "£15";
  CHECK_FALSE(form.needs_manager_approval());  // within the £20 limit
  form.edit().goodwill = "£25.00";
  CHECK(form.needs_manager_approval());
  CHECK(names_field(form.errors(), "approved_by", "approval_required"));
  CHECK_FALSE(form.next());

  CHECK(form.approve_goodwill("M7", "9999") == ComplaintForm::Approval::wrong_pin);
  CHECK(form.approve_goodwill("S1042", "1111") == ComplaintForm::Approval::not_a_manager);
  CHECK(form.approve_goodwill("nobody", "1111") == ComplaintForm::Approval::not_a_manager);
  CHECK(form.needs_manager_approval());
  CHECK(form.approve_goodwill("M7", "2222") == ComplaintForm::Approval::approved);
  CHECK_FALSE(form.needs_manager_approval());

  form.edit().goodwill = "£40";  // more than was approved
  CHECK(form.needs_manager_approval());
  form.edit().goodwill = "£20.50";
  CHECK_FALSE(form.needs_manager_approval());
  REQUIRE(form.next());
  form.edit().resolved_first_contact = true;
  form.edit().customer_accepted = true;
  REQUIRE(form.next());
  REQUIRE(form.next());
  auto built = form.build(make_reference("MCR", "K2", 9));
  REQUIRE(built.ok());
  CHECK(built->goodwill_pence == 2050);
  CHECK(built->approved_by == "M7");
}

TEST_CASE("a draft from before schema 2 (version 1) resumes with the new fields empty") {
  auto form = started();
  hear_and_empathise(form);
  json draft = draft_to_json(form.data());
  for (const char* key : {"touchpoint", "address", "adjustments_consent", "contact_channel", "best_time",
                          "preferred_language", "formats", "adjustment_note"})
    draft.erase(key);
  draft["version"] = 1;
  auto resumed = draft_from_json(draft);
  REQUIRE(resumed);
  CHECK(resumed->touchpoint.empty());
  CHECK(resumed->description == form.data().description);
  CHECK(resumed->step == ComplaintStep::act);
}

TEST_CASE("a half-filled form survives as a draft and resumes where it was") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::replacement};
  form.edit().goodwill = "£5";
  form.edit().email = "ffion@example.co.uk";
  const auto text = draft_to_json(form.data()).dump();
  auto back = draft_from_json(nlohmann::json::parse(text));
  REQUIRE(back);
  CHECK(*back == form.data());
  ComplaintForm resumed(settings(), *back);
  CHECK(resumed.step() == ComplaintStep::act);
  CHECK(resumed.data().id == form.data().id);
  CHECK_FALSE(draft_from_json(nlohmann::json::parse(R"({"version": 1, "id": "x"})")));
  CHECK_FALSE(draft_from_json(nlohmann::json::parse(R"({"version": 99})")));
}

TEST_CASE("faulty goods are always something bought: the category ticks has_purchase and it stays ticked") {
  auto form = started();
  CHECK_FALSE(form.data().has_purchase);
  form.set_category(Category::faulty_goods);
  CHECK(form.data().has_purchase);
  CHECK_FALSE(form.set_has_purchase(false));  // refused while the category is faulty goods
  CHECK(form.data().has_purchase);
  form.edit().purchase_date = "15/11/2026";
  const auto hint = form.consumer_rights();  // the Act applies without a separate tick
  REQUIRE(hint);
  CHECK(hint->entitlement == Entitlement::short_term_reject);

  // Another category leaves the tick as staff had it, and it can be taken off.
  form.set_category(Category::delivery);
  CHECK(form.data().has_purchase);
  CHECK(form.set_has_purchase(false));
  CHECK_FALSE(form.data().has_purchase);

  // A draft from before the rule resumes with the purchase ticked.
  ComplaintFormData old = form.data();
  old.category = Category::faulty_goods;
  old.has_purchase = false;
  CHECK(ComplaintForm(settings(), old).data().has_purchase);
}

TEST_CASE("a form with nothing entered is blank; anything chosen or typed is not") {
  auto form = started();
  CHECK(form.blank());
  form.edit().description = " ";
  CHECK_FALSE(form.blank());
  form.edit().description.clear();
  CHECK(form.blank());
  form.edit().channel = Channel::phone;
  CHECK_FALSE(form.blank());
}

TEST_CASE("back retraces the steps, skipping escalation when resolved") {
  auto form = started();
  hear_and_empathise(form);
  form.edit().offered = {Offer::refund};
  REQUIRE(form.next());
  form.edit().resolved_first_contact = true;
  form.edit().customer_accepted = false;
  REQUIRE(form.next());
  form.back();
  CHECK(form.step() == ComplaintStep::resolve);
  form.back();
  CHECK(form.step() == ComplaintStep::act);
}

TEST_CASE("money and dates as people type them") {
  CHECK(parse_pence("£29.99") == 2999);
  CHECK(parse_pence("29.9") == 2990);
  CHECK(parse_pence("1,299") == 129900);
  CHECK(parse_pence(" 15 ") == 1500);
  CHECK(parse_pence("0.05") == 5);
  CHECK_FALSE(parse_pence(""));
  CHECK_FALSE(parse_pence("£"));
  CHECK_FALSE(parse_pence("12.345"));
  CHECK_FALSE(parse_pence("-5"));
  CHECK_FALSE(parse_pence("ten"));
  CHECK(format_pence(129950) == "£1,299.50");
  CHECK(format_pence(5) == "£0.05");
  CHECK(parse_uk_date("15/11/2026") == *parse_date("2026-11-15"));
  CHECK(parse_uk_date("5-1-2026") == *parse_date("2026-01-05"));
  CHECK(parse_uk_date("2026-11-15") == *parse_date("2026-11-15"));
  CHECK_FALSE(parse_uk_date("31/02/2026"));
  CHECK_FALSE(parse_uk_date("11/15"));
  CHECK_FALSE(parse_uk_date("15/11-2026"));
}

TEST_CASE("staff sign in with their PIN; the tablet locks when idle or on demand") {
  StaffSession session(roster(), 120s);
  const auto t0 = StaffSession::TimePoint{} + 1000h;
  CHECK(session.sign_in("S9999", "1111", t0) == StaffSession::SignIn::unknown);
  CHECK(session.sign_in("S1042", "2222", t0) == StaffSession::SignIn::wrong_pin);
  CHECK_FALSE(session.who());
  CHECK(session.sign_in("S1042", "1111", t0) == StaffSession::SignIn::ok);
  REQUIRE(session.who());
  CHECK(session.who()->name == "Aled Jones");
  CHECK_FALSE(session.tick(t0 + 119s));
  session.touched(t0 + 100s);
  CHECK_FALSE(session.tick(t0 + 219s));
  CHECK(session.tick(t0 + 220s));
  CHECK_FALSE(session.who());
  CHECK(session.sign_in("M7", "2222", t0 + 300s) == StaffSession::SignIn::ok);
  session.lock();
  CHECK_FALSE(session.who());
}

TEST_CASE("five wrong PINs lock that person out for a minute") {
  StaffSession session(roster(), 120s);
  const auto t0 = StaffSession::TimePoint{} + 1000h;
  for (int i = 0; i < 4; ++i) CHECK(session.sign_in("S1042", "0000", t0) == StaffSession::SignIn::wrong_pin);
  CHECK(session.sign_in("S1042", "0000", t0) == StaffSession::SignIn::locked_out);
  CHECK(session.sign_in("S1042", "1111", t0 + 30s) == StaffSession::SignIn::locked_out);
  CHECK(session.lockout_seconds_left("S1042", t0 + 30s) == 30);
  CHECK(session.sign_in("M7", "2222", t0 + 30s) == StaffSession::SignIn::ok);  // others are not locked out
  CHECK(session.sign_in("S1042", "1111", t0 + 61s) == StaffSession::SignIn::ok);
}

TEST_CASE("a note added later is a new complaint_update record naming the complaint") {
  const auto complaint_id = new_uuid_v4();
  const auto at = *parse_timestamp("2026-11-29T10:00:00Z");
  auto update = make_complaint_update(settings(), complaint_id, "S1042", "  Refund reached the card.\n", at);
  REQUIRE(update.ok());
  CHECK(update->complaint_id == complaint_id);
  CHECK(update->staff_id == "S1042");
  CHECK(update->note == "Refund reached the card.");
  CHECK(update->header.store_id == "MCR-01");
  CHECK(update->header.device_id == "dev-7f3a");
  CHECK(update->header.created_at == at);
  CHECK(is_uuid_v4(update->header.id));
  CHECK(update->header.id != complaint_id);
  CHECK(validate(update.value()).empty());
  // Each note is its own record.
  CHECK(make_complaint_update(settings(), complaint_id, "S1042", "Again.", at)->header.id != update->header.id);

  auto empty = make_complaint_update(settings(), complaint_id, "S1042", "   ", at);
  REQUIRE_FALSE(empty.ok());
  CHECK(names_field(empty.error(), "note"));
  auto nameless = make_complaint_update(settings(), "KETTLE-1", "S1042", "A note.", at);
  REQUIRE_FALSE(nameless.ok());
  CHECK(names_field(nameless.error(), "complaint_id", "id_invalid"));
  auto too_long = make_complaint_update(settings(), complaint_id, "S1042", std::string(5001, 'x'), at);
  REQUIRE_FALSE(too_long.ok());
  CHECK(names_field(too_long.error(), "note"));
}
