// The staff tablet driven by taps and keys in headless frames, over a real
// device store: a complaint resolved at first contact, one escalated (refused
// without history or rationale), goodwill over the limit (a manager's PIN), a
// lock mid-form resumed by the same person only, a note added later, and typing
// on the on-screen and a physical keyboard. Each test taps what staff see.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "heed/complaint_form.hpp"
#include "heed/reference.hpp"
#include "heed/sync/server_customer_history.hpp"
#include "heed/validation.hpp"
#include "staff_rig.hpp"
#include "ui_harness.hpp"

using namespace std::chrono_literals;
using heed::test::StaffRig;
using heed::test::UiHarness;
namespace ui = heed::ui;
using namespace heed;

namespace {

// The one complaint in the outbox; checks it round-trips through JSON and validates.
Complaint only_complaint(StaffRig& rig) {
  const auto records = rig.outbox();
  REQUIRE(records.size() == 1);
  REQUIRE(std::holds_alternative<Complaint>(records[0]));
  const auto json = to_canonical_json(records[0]);
  auto back = record_from_json_text(json);
  REQUIRE(back.ok());
  CHECK(back.value() == records[0]);
  CHECK(validate(records[0]).empty());
  auto entry = rig.store().outbox_entry(header_of(records[0]).id);
  REQUIRE(entry.ok());
  REQUIRE(entry.value().has_value());
  CHECK(entry.value()->state == OutboxState::pending);
  CHECK(entry.value()->type == RecordType::complaint);
  return std::get<Complaint>(records[0]);
}

// Signs Aled in and fills Hear (a faulty kettle bought a week ago) and Empathise.
void hear_and_empathise(StaffRig& rig, UiHarness& h) {
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  CHECK(h.shows_text_containing("Hear: let the customer tell it their way"));
  h.tap("Faulty goods");
  h.tap("Medium");
  rig.type_into(h, "##staff.field.description", "Kettle stopped working after two days.");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::where);
  h.tap("Continue");  // where it happened is required
  CHECK(rig.app().View() == ui::StaffView::where);
  CHECK(h.shows_text_containing("Choose where it happened."));
  CHECK_FALSE(h.is_visible("Kiosk"));  // the kiosk is the customer's own
  h.tap("Customer service");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::purchase);
  // Faulty goods are always something bought: already ticked, and it stays so.
  CHECK(rig.app().form()->data().has_purchase);
  CHECK_FALSE(h.find("The complaint is about something the customer bought").enabled);
  CHECK(h.shows_text_containing("Faulty goods are always something the customer bought."));
  h.tap("Goods");
  rig.type_into(h, "##staff.field.purchase_date", "15/11/2026");
  rig.type_into(h, "##staff.field.purchase_amount", "£29.99");
  rig.type_into(h, "##staff.field.order_ref", "ORD-55812");
  CHECK(h.shows_text_containing("Bought 7 days ago."));
  CHECK(h.shows_text_containing("short-term right to reject"));
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::empathise);
  CHECK(h.shows_text_containing("Kettle stopped working after two days."));  // read back
  h.tap("Upset");
  h.tap("Refund");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::act);
}

}  // namespace

TEST_CASE("ui.staff: a complaint resolved at first contact is saved with its outbox entry and shown as a reference") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frames(2);
  CHECK(h.is_visible("Staff sign-in"));
  hear_and_empathise(rig, h);

  // Offering less than the customer is entitled to is flagged, not blocked.
  h.tap("Apology");
  CHECK(h.shows_text_containing("less than the customer is entitled to"));
  h.tap("Refund");
  CHECK_FALSE(h.shows_text_containing("less than the customer is entitled to"));
  h.tap("Continue");

  REQUIRE(rig.app().View() == ui::StaffView::resolve);
  h.tap("Continue");  // nothing chosen: refused
  CHECK(rig.app().View() == ui::StaffView::resolve);
  CHECK(h.shows_text_containing("Say whether it was resolved at first contact."));
  h.tap("Yes##resolved.0");
  h.tap("Continue");  // accepted? not said yet
  CHECK(rig.app().View() == ui::StaffView::resolve);
  h.tap("Yes##accepted.0");
  h.tap("Continue");

  REQUIRE(rig.app().View() == ui::StaffView::contact);
  CHECK(h.shows_text_containing("No contact details are kept without the tick."));
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::adjustments);
  h.tap("Continue");  // nothing asked for: nothing kept
  REQUIRE(rig.app().View() == ui::StaffView::review);
  CHECK(h.shows_text_containing("Faulty goods"));
  CHECK(rig.outbox().empty());
  h.tap("Save complaint");

  REQUIRE(rig.app().View() == ui::StaffView::done);
  const Complaint saved = only_complaint(rig);
  CHECK(h.is_visible(saved.reference));
  CHECK(parse_reference(saved.reference) == ReferenceParts{"MCR", "T2", 1});
  CHECK(saved.staff_id == "S1042");
  CHECK(saved.category == Category::faulty_goods);
  CHECK(saved.severity == Severity::medium);
  CHECK(saved.channel == Channel::face_to_face);
  CHECK(saved.touchpoint == "customer_service");
  CHECK_FALSE(saved.adjustments);
  CHECK(saved.description == "Kettle stopped working after two days.");
  CHECK(saved.customer_mood == CustomerMood::upset);
  CHECK(saved.desired_outcome == DesiredOutcome::refund);
  CHECK(saved.offered == std::vector<Offer>{Offer::apology, Offer::refund});
  REQUIRE(saved.purchase);
  CHECK(saved.purchase->amount_pence == 2999);
  CHECK(saved.purchase->order_ref == "ORD-55812");
  CHECK(saved.resolved_first_contact);
  CHECK(saved.customer_accepted == true);
  CHECK_FALSE(saved.escalation);
  CHECK_FALSE(saved.customer);
  CHECK(saved.header.created_at == rig.wall);
  REQUIRE(rig.app().qr());
  CHECK(rig.app().qr()->size >= 21);
  CHECK_FALSE(rig.store().load_draft("S1042").value());

  // The next complaint starts empty and gets the next reference.
  h.tap("New complaint");
  CHECK(rig.app().View() == ui::StaffView::hear);
  CHECK(rig.app().form()->data().description.empty());
}

TEST_CASE("ui.staff: a double tap on Save complaint saves once and leaves the reference showing") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  hear_and_empathise(rig, h);
  h.tap("Refund");
  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  h.tap("Continue");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);

  // New complaint on the done screen sits where Save complaint was.
  const auto save = h.find("Save complaint");
  h.wait_until_tappable(save.id);
  h.quick_tap_at(save.tap_point());
  REQUIRE(rig.app().View() == ui::StaffView::done);
  const auto next = h.find("New complaint");
  CHECK(save.tap_point().x >= next.min.x);
  CHECK(save.tap_point().x <= next.max.x);
  CHECK(save.tap_point().y >= next.min.y);
  CHECK(save.tap_point().y <= next.max.y);
  h.quick_tap_at(save.tap_point());  // the second tap, 50 ms after the first

  CHECK(rig.app().View() == ui::StaffView::done);
  const Complaint saved = only_complaint(rig);
  CHECK(h.is_visible(saved.reference));
  CHECK(rig.app().qr());

  // Once the reference has been seen, New complaint works as ever.
  h.tap("New complaint");
  CHECK(rig.app().View() == ui::StaffView::hear);
}

TEST_CASE("ui.staff: fast typing on a physical keyboard loses no Backspace and nothing after Return") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  SUBCASE("ten Backspaces within one frame delete ten characters") {
    h.tap("##staff.field.description");
    h.type_text("Kettle stopped working");
    for (int i = 0; i < 10; ++i) h.queue_key_tap(ImGuiKey_Backspace);
    h.drain();
    CHECK(rig.app().field_text(ui::StaffField::description) == "Kettle stopp");
  }
  SUBCASE("Return closes a one-line field; what is typed after it does not land in the field") {
    rig.type_into(h, "##staff.field.description", "Kettle stopped working.");
    h.tap("Faulty goods");
    h.tap("Low");
    h.tap("Continue");
    h.tap("Returns");
    h.tap("Continue");  // faulty goods: "about something the customer bought" is ticked already
    h.tap("##staff.field.order_ref");
    h.queue_text("ORD-55812");
    h.queue_key_tap(ImGuiKey_Enter);
    h.queue_text("def");
    h.drain();
    CHECK(rig.app().typing() == ui::StaffField::none);
    CHECK(rig.app().field_text(ui::StaffField::order_ref) == "ORD-55812");
  }
}

TEST_CASE("ui.staff: an emoji typed on a physical keyboard is refused politely, never stored") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("##staff.field.description");
  h.type_text("Lid 😀 broke");
  CHECK(rig.app().field_text(ui::StaffField::description) == "Lid  broke");
  CHECK(h.is_visible("That character can't be used here."));
  h.tap("⌫");
  CHECK_FALSE(h.is_visible("That character can't be used here."));
}

TEST_CASE("ui.staff: an escalation is refused without the history opened or a rationale, and saved with both") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  // An earlier, still open complaint from the same customer on this tablet.
  {
    ComplaintForm earlier({"MCR-01", rig.store().device_id().value(), 2000, StaffRig::roster(), "2026-01"}, "S2001",
                          *parse_timestamp("2026-11-01T10:00:00Z"));
    auto& d = earlier.edit();
    d.category = Category::faulty_goods;
    d.severity = Severity::low;
    d.touchpoint = "checkout";
    d.description = "Kettle lid will not close.";
    d.mood = CustomerMood::calm;
    d.desired_outcome = DesiredOutcome::repair;
    d.offered = {Offer::repair};
    d.resolved_first_contact = false;
    d.history_opened = true;
    d.escalation_target = EscalationTarget::store_manager;
    d.rationale = "No earlier complaints; needs a repair booked.";
    d.consent = true;
    d.email = "ffion@example.co.uk";
    auto built = earlier.build(make_reference("MCR", "T2", 99));
    REQUIRE_MESSAGE(built.ok(), (built.ok() ? "" : built.error().front().field));
    REQUIRE(rig.store().save(Record{built.value()}).ok());
  }
  hear_and_empathise(rig, h);
  h.tap("Refund##offer.0");
  h.tap("Continue");
  h.tap("No##resolved.1");
  CHECK(h.shows_text_containing("Next you review the customer's history"));
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);

  // Nothing given: refused, and every reason shows.
  h.tap("Continue");
  CHECK(rig.app().View() == ui::StaffView::escalate);
  CHECK(h.shows_text_containing("Open the customer's history before escalating."));
  CHECK(h.shows_text_containing("Choose who the complaint goes to."));
  CHECK(h.shows_text_containing("at least 20 characters"));

  // A target and a rationale, but the history never opened: still refused.
  h.tap("Area manager");
  rig.type_into(h, "##staff.field.rationale", "Second kettle complaint this month; the first is still open.");
  h.tap("Continue");
  CHECK(rig.app().View() == ui::StaffView::escalate);
  CHECK(h.shows_text_containing("Open the customer's history before escalating."));

  // The history: found by email, local only, and it says so plainly.
  rig.type_into(h, "##staff.field.email", "FFION@example.co.uk");
  h.tap("Open the customer's history");
  REQUIRE(rig.app().View() == ui::StaffView::history);
  CHECK(h.shows_text_containing("Offline: local history only"));
  CHECK(h.shows_text_containing("1 earlier complaints, 1 still open"));
  CHECK(h.shows_text_containing("01/11/2026"));
  CHECK(h.shows_text_containing("Escalated to Store manager"));
  h.tap("Close");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);

  // History opened but the rationale too short: refused.
  h.tap("##staff.field.rationale");
  for (int i = 0; i < 80; ++i) h.press_key(ImGuiKey_Backspace);
  h.type_text("Repeat.");
  h.tap("Done");
  h.tap("Continue");
  CHECK(rig.app().View() == ui::StaffView::escalate);
  CHECK(h.shows_text_containing("at least 20 characters"));
  CHECK(rig.outbox().size() == 1);  // only the earlier complaint

  // Both: accepted.
  rig.type_into(h, "##staff.field.rationale", " Second kettle this month; the first is still open.");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  h.tap("The customer agrees to be contacted about this complaint");
  h.tap("Continue");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
  h.tap("Save complaint");
  REQUIRE(rig.app().View() == ui::StaffView::done);

  const auto records = rig.outbox();
  REQUIRE(records.size() == 2);
  const Complaint saved = std::get<Complaint>(records[1]);
  CHECK(validate(saved).empty());
  CHECK(record_from_json_text(to_canonical_json(records[1])).value() == records[1]);
  CHECK_FALSE(saved.resolved_first_contact);
  REQUIRE(saved.escalation);
  CHECK(saved.escalation->target == EscalationTarget::area_manager);
  CHECK(saved.escalation->history_reviewed);
  CHECK(saved.escalation->rationale == "Repeat. Second kettle this month; the first is still open.");
  REQUIRE(saved.customer);
  CHECK(saved.customer->email == "FFION@example.co.uk");
  CHECK(h.shows_text_containing("Escalated."));
}

TEST_CASE("ui.staff: goodwill over the limit needs a manager's PIN, and the approver is recorded") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  hear_and_empathise(rig, h);
  h.tap("Refund##offer.0");
  h.tap("Goodwill gesture");
  rig.type_into(h, "##staff.field.goodwill", "£35");
  h.tap("Continue");
  CHECK(rig.app().View() == ui::StaffView::act);
  CHECK(h.shows_text_containing("needs a manager's approval"));

  h.tap("Ask a manager to approve");
  REQUIRE(rig.app().View() == ui::StaffView::approval);
  CHECK(h.shows_text_containing("£35.00 is over your limit of £20.00"));
  CHECK_FALSE(h.shows_text_containing("Aled Jones (S1042)"));  // only managers are listed
  h.tap("Approve");                                            // no manager chosen
  CHECK(h.shows_text_containing("Choose the manager who approves."));
  h.tap("Ffion Evans (M7)");
  for (const char* digit : {"9##pin", "9##pin", "9##pin", "9##pin"}) h.tap(digit);
  h.tap("Approve");
  CHECK(rig.app().View() == ui::StaffView::approval);
  CHECK(h.shows_text_containing("That PIN is not right. Nothing was approved."));
  CHECK_FALSE(rig.app().form()->data().approved_by);
  for (const char* digit : {"2##pin", "2##pin", "2##pin", "2##pin"}) h.tap(digit);
  h.tap("Approve");
  REQUIRE(rig.app().View() == ui::StaffView::act);
  CHECK(h.shows_text_containing("Approved by Ffion Evans"));  // the roster's name, not the id
  CHECK_FALSE(h.shows_text_containing("M7"));

  // Raising the amount after the approval needs approving again.
  rig.type_into(h, "##staff.field.goodwill", "0");
  CHECK(rig.app().form()->needs_manager_approval());
  h.tap("##staff.field.goodwill");
  h.press_key(ImGuiKey_Backspace);
  h.tap("Done");
  CHECK_FALSE(rig.app().form()->needs_manager_approval());

  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  h.tap("Continue");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
  CHECK(h.shows_text_containing("Goodwill amount: £35.00 (approved by Ffion Evans)"));
  h.tap("Save complaint");
  const Complaint saved = only_complaint(rig);
  CHECK(saved.goodwill_pence == 3500);
  CHECK(saved.approved_by == "M7");
  CHECK(saved.offered == std::vector<Offer>{Offer::refund, Offer::goodwill});
}

TEST_CASE("ui.staff: a lock mid-form keeps the draft for the same person only; idle locks too") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("Delivery");
  h.tap("High");
  rig.type_into(h, "##staff.field.description", "Sofa delivery missed twice.");
  const std::string id = rig.app().form()->data().id;
  h.tap("Lock");
  REQUIRE(rig.app().View() == ui::StaffView::sign_in);
  CHECK_FALSE(h.shows_text_containing("Sofa delivery"));
  const auto draft = rig.store().load_draft("S1042");
  REQUIRE(draft.ok());
  REQUIRE(draft.value().has_value());

  // Someone else signs in: a fresh home screen, not Aled's complaint.
  rig.sign_in(h, "Bethan Hughes (S2001)", "3333");
  CHECK(rig.app().View() == ui::StaffView::home);
  CHECK(rig.app().form() == nullptr);
  CHECK_FALSE(h.shows_text_containing("Sofa delivery"));
  h.tap("Lock");

  // A wrong PIN is refused; Aled's own brings the complaint back as it was.
  rig.sign_in(h, "Aled Jones (S1042)", "1112");
  CHECK(rig.app().View() == ui::StaffView::sign_in);
  CHECK(h.is_visible("That PIN is not right. Try again."));
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  REQUIRE(rig.app().View() == ui::StaffView::hear);
  CHECK(h.is_visible("Your unfinished complaint is back, just as you left it."));
  CHECK(rig.app().form()->data().id == id);
  CHECK(rig.app().form()->data().category == Category::delivery);
  CHECK(rig.app().form()->data().severity == Severity::high);
  CHECK(rig.app().form()->data().description == "Sofa delivery missed twice.");

  // Each finished step is kept at once, not only at a lock (a power cut loses nothing).
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::where);
  h.tap("Shop floor");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::purchase);
  h.tap("Continue");  // nothing bought
  REQUIRE(rig.app().View() == ui::StaffView::empathise);
  {
    const auto kept = rig.store().load_draft("S1042");
    REQUIRE(kept.ok());
    REQUIRE(kept.value().has_value());
    const auto data = draft_from_json(nlohmann::json::parse(*kept.value()));
    REQUIRE(data);
    CHECK(data->step == ComplaintStep::empathise);
  }
  h.tap("Back");
  h.tap("Back");
  h.tap("Back");
  REQUIRE(rig.app().View() == ui::StaffView::hear);

  // Left alone, the tablet locks itself and keeps the newer draft.
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::where);
  REQUIRE(rig.app().NextDeadline(rig.now));
  rig.now += 121s;
  h.frame();
  CHECK(rig.app().View() == ui::StaffView::sign_in);
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  REQUIRE(rig.app().form() != nullptr);
  CHECK(rig.app().form()->data().id == id);
  CHECK(rig.app().form()->data().description == "Sofa delivery missed twice.");

  // Five wrong PINs lock that name out for a while.
  h.tap("Lock");
  for (int i = 0; i < 5; ++i) rig.sign_in(h, "Bethan Hughes (S2001)", "0000");
  CHECK(h.shows_text_containing("Too many tries."));
  rig.sign_in(h, "Bethan Hughes (S2001)", "3333");
  CHECK(rig.app().View() == ui::StaffView::sign_in);
}

TEST_CASE("ui.staff: a note added later is a new complaint_update record; the complaint is untouched") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  hear_and_empathise(rig, h);
  h.tap("Refund##offer.0");
  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  h.tap("The customer agrees to be contacted about this complaint");
  rig.type_into(h, "##staff.field.phone", "07700 900123");
  h.tap("Continue");
  h.tap("Continue");
  h.tap("Save complaint");
  const Complaint saved = only_complaint(rig);
  const std::string body = to_canonical_json(Record{saved});

  // Straight from the reference screen.
  h.tap("Add a note to this complaint");
  REQUIRE(rig.app().View() == ui::StaffView::note_write);
  h.tap("Save note");  // empty: refused
  CHECK(h.shows_text_containing("Write the note"));
  rig.type_into(h, "##staff.field.note", "Customer rang: refund reached their card.");
  h.tap("Save note");
  REQUIRE(rig.app().View() == ui::StaffView::note_saved);
  CHECK(h.shows_text_containing("Note added to " + saved.reference));
  h.tap("Done");
  CHECK(rig.app().View() == ui::StaffView::home);

  // Later, from home: found by the customer's phone in another spelling.
  h.tap("Add a note to a saved complaint");
  REQUIRE(rig.app().View() == ui::StaffView::note_find);
  rig.type_into(h, "##staff.field.phone", "+44 7700 900123");
  h.tap("Find complaints");
  CHECK(h.shows_text_containing("Offline: local history only"));
  std::string found;
  for (const auto& item : h.items())
    if (item.label.ends_with("##found.0")) found = item.label;
  REQUIRE(found.find(saved.reference) != std::string::npos);
  h.tap(found);
  REQUIRE(rig.app().View() == ui::StaffView::note_write);
  rig.type_into(h, "##staff.field.note", "Follow-up call done; customer happy.");
  h.tap("Save note");
  REQUIRE(rig.app().View() == ui::StaffView::note_saved);

  const auto records = rig.outbox();
  REQUIRE(records.size() == 3);
  CHECK(to_canonical_json(records[0]) == body);  // nothing saved is edited in place
  auto updates = rig.store().updates_of(saved.header.id);
  REQUIRE(updates.ok());
  REQUIRE(updates.value().size() == 2);
  CHECK(updates.value()[0].note == "Customer rang: refund reached their card.");
  CHECK(updates.value()[1].note == "Follow-up call done; customer happy.");
  for (const auto& u : updates.value()) {
    CHECK(u.staff_id == "S1042");
    CHECK(u.complaint_id == saved.header.id);
    CHECK(validate(u).empty());
    CHECK(record_from_json_text(to_canonical_json(Record{u})).value() == Record{u});
    CHECK(rig.store().outbox_entry(u.header.id).value()->type == RecordType::complaint_update);
  }
}

// ---- A complaint found by the reference the customer quotes ---------------------------------
namespace {

// Head office's server as the tablet sees it: it knows one complaint, made on
// another device, and answers a search by its reference's key.
class ServerWithOne final : public CustomerHistoryLookup {
 public:
  ServerWithOne() {
    complaint.id = new_uuid_v4();
    complaint.reference = make_reference("LDS", "K4", 12);
    complaint.created_at = *parse_timestamp("2026-11-20T11:00:00Z");
    complaint.category = Category::delivery;
    complaint.escalated_to = EscalationTarget::area_manager;
    complaint.open = true;
  }
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds) override {
    ++asked;
    CustomerHistory history{HistorySource::server, {}, {}};
    if (query.reference_key == reference_key(complaint.reference)) history.complaints.push_back(complaint);
    return history;
  }
  PastComplaint complaint;
  int asked = 0;
};

// Clears a find field and types `text` into it.
void retype(StaffRig& rig, UiHarness& h, std::string_view field_id, std::string_view text) {
  h.tap(field_id);
  for (int i = 0; i < 45; ++i) h.press_key(ImGuiKey_Backspace);
  h.type_text(text);
  h.tap("Done");
  (void)rig;
}

// How a customer reads a reference out: lower case, a space between characters, no dashes.
std::string spoken(std::string_view reference) {
  std::string out;
  for (char c : reference)
    if (c != '-') out += std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c)))) + " ";
  return out;
}

}  // namespace

TEST_CASE("ui.staff: Add a note finds a complaint by its reference; a mistyped one is said to be mistyped") {
  auto server = std::make_shared<ServerWithOne>();
  StaffRig rig(StaffRig::roster(), [&](ui::StaffApp::Options& o) { o.history = server; });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("Add a note to a saved complaint");
  REQUIRE(rig.app().View() == ui::StaffView::note_find);
  CHECK(h.shows_text_containing("by the reference the customer quotes"));

  // One character slipped: the check character catches it, and the server is not asked.
  std::string slip = server->complaint.reference;
  slip[8] = slip[8] == 'X' ? 'Y' : 'X';
  rig.type_into(h, "##staff.field.reference", slip);
  h.tap("Find by reference");
  CHECK(h.shows_text_containing("check character does not match"));
  CHECK(h.shows_text_containing("Check it with the customer"));
  CHECK_FALSE(h.shows_text_containing("No complaint has that reference"));
  CHECK(server->asked == 0);

  // Not a reference at all (an O for a zero): said differently, with what one looks like.
  retype(rig, h, "##staff.field.reference", "MCR-T2-2O2");
  h.tap("Find by reference");
  CHECK(h.shows_text_containing("That is not a reference. References look like MCR-T2-"));
  CHECK_FALSE(h.shows_text_containing("check character does not match"));

  // A well-formed reference no complaint has.
  retype(rig, h, "##staff.field.reference", make_reference("LDS", "K4", 13));
  h.tap("Find by reference");
  CHECK(server->asked == 1);
  CHECK(h.shows_text_containing("No complaint has that reference."));
  CHECK_FALSE(h.shows_text_containing("check character does not match"));

  // Read out by the customer: found, though another device made it; a note is saved for it.
  retype(rig, h, "##staff.field.reference", spoken(server->complaint.reference));
  h.tap("Find by reference");
  CHECK_FALSE(h.shows_text_containing("Offline"));
  std::string found;
  for (const auto& item : h.items())
    if (item.label.ends_with("##found.0")) found = item.label;
  REQUIRE(found.find(server->complaint.reference) != std::string::npos);
  h.tap(found);
  REQUIRE(rig.app().View() == ui::StaffView::note_write);
  rig.type_into(h, "##staff.field.note", "Customer rang about the London delivery; rebooked for Friday.");
  h.tap("Save note");
  REQUIRE(rig.app().View() == ui::StaffView::note_saved);
  CHECK(h.shows_text_containing("Note added to " + server->complaint.reference));
  const auto records = rig.outbox();
  REQUIRE(records.size() == 1);
  REQUIRE(std::holds_alternative<ComplaintUpdate>(records[0]));
  const auto& update = std::get<ComplaintUpdate>(records[0]);
  CHECK(update.complaint_id == server->complaint.id);
  CHECK(update.header.store_id == "MCR-01");  // this tablet's store: the server takes it for any store's complaint
  CHECK(validate(records[0]).empty());
}

TEST_CASE("ui.staff: offline, Add a note finds this tablet's own complaint by reference and says it is local only") {
  StaffRig rig;  // no server: this device's records
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  ComplaintForm form({"MCR-01", rig.store().device_id().value(), 2000, StaffRig::roster(), "2026-01"}, "S2001",
                     *parse_timestamp("2026-11-01T10:00:00Z"));
  auto& d = form.edit();
  d.category = Category::service;
  d.severity = Severity::low;
  d.touchpoint = "customer_service";
  d.description = "Kept waiting at the desk.";
  d.mood = CustomerMood::calm;
  d.desired_outcome = DesiredOutcome::apology;
  d.offered = {Offer::apology};
  d.resolved_first_contact = true;
  d.customer_accepted = true;
  auto built = form.build(make_reference("MCR", "T2", 8));
  REQUIRE_MESSAGE(built.ok(), (built.ok() ? "" : built.error().front().field));
  const Complaint mine = built.value();
  REQUIRE(rig.store().save(Record{mine}).ok());
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("Add a note to a saved complaint");
  rig.type_into(h, "##staff.field.reference", " " + mine.reference + " ");
  h.tap("Find by reference");
  CHECK(h.shows_text_containing("Offline: local history only"));
  std::string found;
  for (const auto& item : h.items())
    if (item.label.ends_with("##found.0")) found = item.label;
  REQUIRE(found.find(mine.reference) != std::string::npos);
  // Another device's reference is not known here: not found, and still local only.
  retype(rig, h, "##staff.field.reference", make_reference("LDS", "K4", 12));
  h.tap("Find by reference");
  CHECK(h.shows_text_containing("Offline: local history only"));
  CHECK(h.shows_text_containing("No complaint has that reference."));
}

TEST_CASE("ui.staff: the history overlay finds a complaint the customer quotes by reference") {
  auto server = std::make_shared<ServerWithOne>();
  StaffRig rig(StaffRig::roster(), [&](ui::StaffApp::Options& o) { o.history = server; });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  namespace si = ui::staff_intent;
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  rig.now += 400ms;
  rig.app().Apply(si::new_complaint(), rig.now);
  rig.app().Apply(si::open_history(), rig.now);
  REQUIRE(rig.app().View() == ui::StaffView::history);
  h.frames(2);
  std::string slip = server->complaint.reference;
  slip.back() = slip.back() == '2' ? '3' : '2';
  rig.type_into(h, "##staff.field.reference", slip);
  REQUIRE(rig.app().View() == ui::StaffView::history);
  h.tap("Find by reference");
  CHECK(h.shows_text_containing("check character does not match"));
  CHECK(server->asked == 0);
  retype(rig, h, "##staff.field.reference", spoken(server->complaint.reference));
  h.tap("Find by reference");
  CHECK(server->asked == 1);
  CHECK(h.shows_text_containing("20/11/2026 · " + server->complaint.reference + " · Delivery"));
  CHECK(h.shows_text_containing("Escalated to Area manager"));
  h.tap("Close");
  CHECK(rig.app().View() == ui::StaffView::hear);
}

TEST_CASE("ui.staff: text typed on the on-screen keys and on a physical keyboard goes into the same field") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("##staff.field.description");
  REQUIRE(rig.app().typing() == ui::StaffField::description);
  h.tap("⇧");
  h.tap("L");  // one capital, then small letters again
  h.tap("i");
  h.tap("d");
  h.type_text(" will not close£");
  h.press_key(ImGuiKey_Backspace);
  h.tap("space");
  CHECK(rig.app().field_text(ui::StaffField::description) == "Lid will not close ");
  h.tap("Done");
  CHECK(rig.app().typing() == ui::StaffField::none);
  CHECK(h.shows_text_containing("Lid will not close"));

  // Money starts on the symbols page; Enter on a physical keyboard closes a one-line field.
  h.tap("Continue");  // refused: no category; the description stays
  h.tap("Faulty goods");
  h.tap("Low");
  h.tap("Continue");
  h.tap("Checkout");
  h.tap("Continue");
  h.tap("##staff.field.purchase_amount");
  h.tap("£");
  h.tap("1##k0.0");  // keys are found by what they show and where
  h.type_text("2.50");
  h.press_key(ImGuiKey_Enter);
  CHECK(rig.app().typing() == ui::StaffField::none);
  CHECK(rig.app().field_text(ui::StaffField::purchase_amount) == "£12.50");
}

// ---- The done screen promises only what head office will do -----------------------------
namespace {

struct DoneCase {
  bool resolved = true;
  bool consent = true;
  Severity severity = Severity::medium;
};

// Saves a complaint by intents (as the tour does) and draws the done screen.
void save_by_intents(StaffRig& rig, UiHarness& h, const DoneCase& c) {
  namespace si = ui::staff_intent;
  auto go = [&](const ui::StaffIntent& intent) {
    rig.now += 400ms;
    rig.app().Apply(intent, rig.now);
  };
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  go(si::new_complaint());
  go(si::choose(ui::StaffChoice::category, static_cast<int>(Category::service)));
  go(si::choose(ui::StaffChoice::severity, static_cast<int>(c.severity)));
  go(si::edit_text(ui::StaffField::description, "Waited twenty minutes at the counter."));
  go(si::next());
  go(si::choose(ui::StaffChoice::touchpoint, 0));
  go(si::next());
  go(si::next());  // nothing bought
  go(si::choose(ui::StaffChoice::mood, static_cast<int>(CustomerMood::calm)));
  go(si::choose(ui::StaffChoice::outcome, static_cast<int>(DesiredOutcome::apology)));
  go(si::next());
  go(si::choose(ui::StaffChoice::offer, static_cast<int>(Offer::apology)));
  go(si::next());
  go(si::set(ui::StaffChoice::resolved, c.resolved));
  if (c.resolved) {
    go(si::set(ui::StaffChoice::accepted, true));
  } else {
    go(si::next());
    go(si::choose(ui::StaffChoice::target, static_cast<int>(EscalationTarget::head_office)));
    go(si::edit_text(ui::StaffField::rationale, "No earlier complaints; the branch cannot fix the rota."));
    go(si::open_history());
    go(si::close_history());
  }
  go(si::next());
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  if (c.consent) {
    go(si::set(ui::StaffChoice::consent, true));
    go(si::edit_text(ui::StaffField::email, "ffion@example.co.uk"));
  }
  go(si::next());
  REQUIRE(rig.app().View() == ui::StaffView::adjustments);
  go(si::next());
  REQUIRE(rig.app().View() == ui::StaffView::review);
  go(si::next());
  REQUIRE(rig.app().View() == ui::StaffView::done);
  h.frames(2);
}

}  // namespace

TEST_CASE("ui.staff: the done screen promises a follow-up check only to a customer who can be contacted") {
  SUBCASE("resolved, with consent: a check in the rules' number of days") {
    StaffRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {true, true});
    CHECK(h.shows_text_containing("Head office will check with the customer in 7 days"));
    CHECK_FALSE(h.shows_text_containing("in a week"));
  }
  SUBCASE("the days come from the workflow rules the server follows") {
    StaffRig rig(StaffRig::roster(), [](ui::StaffApp::Options& o) { o.rules.follow_up_after_days = 14; });
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {true, true});
    CHECK(h.shows_text_containing("Head office will check with the customer in 14 days"));
  }
  SUBCASE("resolved, without consent: no follow-up is promised") {
    StaffRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {true, false});
    CHECK(h.shows_text_containing("Resolved at first contact."));
    CHECK_FALSE(h.shows_text_containing("will check with the customer"));
    CHECK_FALSE(h.shows_text_containing("in a week"));
    CHECK(h.shows_text_containing("did not agree to be contacted"));
    CHECK(h.shows_text_containing("They can quote it whenever they contact us."));
  }
}

TEST_CASE("ui.staff: the done screen promises head office's contact within the target only with consent") {
  SUBCASE("escalated, with consent: within the acknowledgement target") {
    StaffRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {false, true, Severity::medium});
    CHECK(h.shows_text_containing("Head office will be in touch with the customer within 1 working day."));
  }
  SUBCASE("escalated, high severity, with consent: 4 working hours") {
    StaffRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {false, true, Severity::high});
    CHECK(h.shows_text_containing("within 4 working hours."));
  }
  SUBCASE("escalated, without consent: no promise of contact") {
    StaffRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    save_by_intents(rig, h, {false, false});
    CHECK(h.shows_text_containing("Escalated."));
    CHECK_FALSE(h.shows_text_containing("will hear from us"));
    CHECK_FALSE(h.shows_text_containing("will be in touch"));
    CHECK(h.shows_text_containing("did not agree to be contacted"));
  }
}

// ---- The history overlay shows head office's cases, not only complaints --------------------
namespace {

// The server's answer for a customer with no complaint but an open call-back case.
class CallbackOnly final : public CustomerHistoryLookup {
 public:
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds) override {
    asked = query;
    PastCase callback;
    callback.id = 41;
    callback.type = "callback";
    callback.status = "open";
    callback.open = true;
    callback.opened_at = *parse_timestamp("2026-11-22T13:40:00Z");
    callback.store_id = "MCR-01";
    callback.touchpoint = "checkout";
    return CustomerHistory{HistorySource::server, {}, {callback}};
  }
  CustomerQuery asked;
};

}  // namespace

TEST_CASE("ui.staff: the history overlay lists the customer's open call-back case from kiosk feedback") {
  auto server = std::make_shared<CallbackOnly>();
  StaffRig rig(StaffRig::roster(), [&](ui::StaffApp::Options& o) { o.history = server; });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  namespace si = ui::staff_intent;
  auto go = [&](const ui::StaffIntent& intent) {
    rig.now += 400ms;
    rig.app().Apply(intent, rig.now);
  };
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  go(si::new_complaint());
  go(si::edit_text(ui::StaffField::email, "ffion@example.co.uk"));
  go(si::open_history());
  REQUIRE(rig.app().View() == ui::StaffView::history);
  h.frames(2);
  CHECK(server->asked.email == "ffion@example.co.uk");
  CHECK(h.shows_text_containing("0 earlier complaints"));
  CHECK(h.shows_text_containing("Head office cases from the customer's feedback: 1, 1 still open"));
  CHECK(h.shows_text_containing("22/11/2026 · Call-back request from feedback · MCR-01 · checkout · Open"));
  CHECK_FALSE(h.shows_text_containing("No earlier complaints found."));
}

namespace {

// From home, a new complaint about a missed delivery taken on to `target` (hear ...
// review) by taps: resolved at first contact, or not when `target` is escalate.
void start_and_reach(StaffRig& rig, UiHarness& h, ui::StaffView target) {
  h.tap("New complaint");
  REQUIRE(rig.app().View() == ui::StaffView::hear);
  h.tap("Delivery");
  h.tap("High");
  rig.type_into(h, "##staff.field.description", "Sofa delivery missed twice.");
  if (target == ui::StaffView::hear) return;
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::where);
  h.tap("Delivery##touchpoint.5");
  if (target == ui::StaffView::where) return;
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::purchase);
  if (target == ui::StaffView::purchase) return;
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::empathise);
  if (target == ui::StaffView::empathise) return;
  h.tap("Angry");
  h.tap("Apology");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::act);
  if (target == ui::StaffView::act) return;
  h.tap("Apology##offer.4");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::resolve);
  if (target == ui::StaffView::resolve) return;
  if (target == ui::StaffView::escalate) {
    h.tap("No##resolved.1");
    h.tap("Continue");
    REQUIRE(rig.app().View() == ui::StaffView::escalate);
    return;
  }
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  if (target == ui::StaffView::contact) return;
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::adjustments);
  if (target == ui::StaffView::adjustments) return;
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
}

bool has_draft(StaffRig& rig, const char* staff_id) {
  const auto draft = rig.store().load_draft(staff_id);
  REQUIRE(draft.ok());
  return draft.value().has_value();
}

}  // namespace

TEST_CASE("ui.staff: a started complaint can be discarded from every step, after a confirmation") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  for (const auto step : {ui::StaffView::hear, ui::StaffView::where, ui::StaffView::purchase, ui::StaffView::empathise,
                          ui::StaffView::act, ui::StaffView::resolve, ui::StaffView::escalate, ui::StaffView::contact,
                          ui::StaffView::adjustments, ui::StaffView::review}) {
    CAPTURE(ui::staff_view_name(step));
    REQUIRE(rig.app().View() == ui::StaffView::home);
    start_and_reach(rig, h, step);
    const std::string id = rig.app().form()->data().id;
    CHECK(has_draft(rig, "S1042") ==
          (step != ui::StaffView::hear && step != ui::StaffView::where && step != ui::StaffView::purchase));

    // Keep working: nothing changes.
    h.tap("Discard this complaint");
    CHECK(h.is_visible("Discard this complaint?"));
    h.tap("Keep working");
    CHECK_FALSE(h.is_visible("Discard this complaint?"));
    REQUIRE(rig.app().View() == step);
    REQUIRE(rig.app().form() != nullptr);
    CHECK(rig.app().form()->data().id == id);
    CHECK(rig.app().form()->data().description == "Sofa delivery missed twice.");

    // Discard: home, and the draft is gone from the store.
    h.tap("Discard this complaint");
    h.tap("Discard");
    CHECK(rig.app().View() == ui::StaffView::home);
    CHECK(rig.app().form() == nullptr);
    CHECK(h.is_visible("New complaint"));
    CHECK_FALSE(has_draft(rig, "S1042"));
  }
  CHECK(rig.outbox().empty());

  // The next sign-in starts at home: nothing comes back.
  h.tap("Lock");
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  CHECK(rig.app().View() == ui::StaffView::home);
  CHECK(rig.app().form() == nullptr);
  CHECK_FALSE(h.shows_text_containing("Your unfinished complaint is back"));

  // Back on the first page has nowhere to go, so it is not offered.
  h.tap("New complaint");
  CHECK_FALSE(h.is_visible("Back"));
  CHECK(h.is_visible("Discard this complaint"));
  h.tap("Continue");  // refused: nothing chosen
  CHECK(rig.app().View() == ui::StaffView::hear);
  h.tap("Discard this complaint");
  h.tap("Discard");
  REQUIRE(rig.app().View() == ui::StaffView::home);

  // The discarded complaints used no reference numbers: the first saved gets the first.
  start_and_reach(rig, h, ui::StaffView::review);
  h.tap("Save complaint");
  REQUIRE(rig.app().View() == ui::StaffView::done);
  CHECK(parse_reference(only_complaint(rig).reference) == ReferenceParts{"MCR", "T2", 1});
}

TEST_CASE("ui.staff: a complaint only opened is not kept as a draft; one with something in it is") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("Lock");
  CHECK_FALSE(has_draft(rig, "S1042"));
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  CHECK(rig.app().View() == ui::StaffView::home);

  h.tap("New complaint");
  h.tap("Low");
  h.tap("Lock");
  CHECK(has_draft(rig, "S1042"));
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  CHECK(rig.app().View() == ui::StaffView::hear);
}

TEST_CASE("ui.staff: the review shows money as pounds and pence in every language, and the approver's name") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("Not as described");
  h.tap("Medium");
  rig.type_into(h, "##staff.field.description", "The lamp is blue, the picture showed it green.");
  h.tap("Continue");
  h.tap("Website");
  h.tap("Continue");
  h.tap("The complaint is about something the customer bought");
  rig.type_into(h, "##staff.field.purchase_date", "15/11/2026");
  rig.type_into(h, "##staff.field.purchase_amount", "12.5");  // typed without the sign
  h.tap("Continue");
  h.tap("Upset");
  h.tap("Refund");
  h.tap("Continue");
  h.tap("Refund##offer.0");
  h.tap("Goodwill gesture");
  rig.type_into(h, "##staff.field.goodwill", "1250");
  h.tap("Ask a manager to approve");
  h.tap("Ffion Evans (M7)");
  for (const char* digit : {"2##pin", "2##pin", "2##pin", "2##pin"}) h.tap(digit);
  h.tap("Approve");
  REQUIRE(rig.app().View() == ui::StaffView::act);
  CHECK(h.shows_text_containing("Approved by Ffion Evans"));
  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  h.tap("Continue");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
  CHECK(h.shows_text_containing("Purchase: Goods, 15/11/2026, £12.50"));
  CHECK(h.shows_text_containing("Goodwill amount: £1,250.00 (approved by Ffion Evans)"));
  CHECK_FALSE(h.shows_text_containing("M7"));
  for (const char* language : {"cy", "pl"}) {
    CAPTURE(language);
    rig.app().Apply(ui::staff_intent::set_language(language), rig.now);
    h.frames(2);
    CHECK(h.shows_text_containing("£12.50"));
    CHECK(h.shows_text_containing("£1,250.00"));
    CHECK(h.shows_text_containing("Ffion Evans"));
  }
}

namespace {

// A field's placeholder, as drawn: one text item starting `start`, inside the field.
void placeholder_fits(UiHarness& h, std::string_view field_id, std::string_view start) {
  CAPTURE(field_id);
  CAPTURE(start);
  const ui::ItemRecord field = h.find(field_id);
  std::vector<ui::ItemRecord> found;
  for (const auto& item : h.items())
    if (item.kind == ui::ItemKind::text && item.label.starts_with(start)) found.push_back(item);
  REQUIRE_MESSAGE(found.size() == 1, h.describe_items());
  const auto& text = found.front();
  CAPTURE(text.label);
  CHECK(text.min.x >= field.min.x);
  CHECK(text.min.y >= field.min.y);
  CHECK(text.max.x <= field.max.x);
  CHECK(text.max.y <= field.max.y);
}

}  // namespace

TEST_CASE("ui.staff: placeholders fit their fields, wrapped, in Polish with larger text on a small display") {
  heed::test::UiHarnessOptions options;
  options.display_size = ImVec2(1280, 800);
  UiHarness h(options);
  StaffRig rig;
  h.set_draw([&] { rig.frame(); });
  auto& app = rig.app();
  const auto go = [&](const ui::StaffIntent& intent) {
    rig.now += 400ms;
    app.Apply(intent, rig.now);
  };
  go(ui::staff_intent::choose_staff("S1042"));
  for (int i = 0; i < 4; ++i) go(ui::staff_intent::pin_digit(1));
  go(ui::staff_intent::pin_submit());
  go(ui::staff_intent::set_language("pl"));
  go(ui::staff_intent::set_large_text(true));
  go(ui::staff_intent::new_complaint());
  h.frames(2);
  placeholder_fits(h, "##staff.field.description", "Dotknij");

  go(ui::staff_intent::choose(ui::StaffChoice::category, static_cast<int>(Category::delivery)));
  go(ui::staff_intent::choose(ui::StaffChoice::severity, static_cast<int>(Severity::high)));
  go(ui::staff_intent::edit_text(ui::StaffField::description, "Sofa nie dotarła dwa razy."));
  go(ui::staff_intent::next());
  go(ui::staff_intent::choose(ui::StaffChoice::touchpoint, 5));
  go(ui::staff_intent::next());
  go(ui::staff_intent::set(ui::StaffChoice::has_purchase, true));
  h.frames(2);
  REQUIRE(app.View() == ui::StaffView::purchase);
  placeholder_fits(h, "##staff.field.purchase_date", "DD/MM/RRRR");
  placeholder_fits(h, "##staff.field.purchase_amount", "£0.00");
  go(ui::staff_intent::set(ui::StaffChoice::has_purchase, false));
  go(ui::staff_intent::next());
  go(ui::staff_intent::choose(ui::StaffChoice::mood, static_cast<int>(CustomerMood::angry)));
  go(ui::staff_intent::choose(ui::StaffChoice::outcome, static_cast<int>(DesiredOutcome::apology)));
  go(ui::staff_intent::next());
  go(ui::staff_intent::choose(ui::StaffChoice::offer, static_cast<int>(Offer::apology)));
  go(ui::staff_intent::next());
  go(ui::staff_intent::set(ui::StaffChoice::resolved, false));
  go(ui::staff_intent::next());
  h.frames(2);
  REQUIRE(app.View() == ui::StaffView::escalate);
  // The long example: wrapped inside the field, every word of it there.
  placeholder_fits(h, "##staff.field.rationale", "Np. druga skarga");
  CHECK(h.shows_text_containing("pierwsza jest nadal otwarta."));
}

namespace {

// The server's answer to GET /api/v1/customers/history, as core/src/server/api.cpp writes it.
class ServerShapedHistory final : public CustomerHistoryLookup {
 public:
  Result<CustomerHistory> find(const CustomerQuery&, std::chrono::milliseconds) override {
    return sync::customer_history_from_json(R"({
      "complaints": [
        {"id": "6f1c2f0e-8d1a-4c39-9d5e-2b7a1f0c9e11", "reference": "MCR-T2-000007", "store_id": "MCR-01",
         "created_at": "2026-11-01T10:00:00Z", "category": "faulty_goods", "severity": "low", "channel": "face_to_face",
         "resolved_first_contact": false, "customer_accepted": null, "offered": ["repair"],
         "escalation_target": "area_manager"}],
      "cases": [
        {"id": 3, "type": "complaint", "status": "open", "record_id": "6f1c2f0e-8d1a-4c39-9d5e-2b7a1f0c9e11",
         "reference": "MCR-T2-000007", "store_id": "MCR-01", "level": 1, "level_name": "area"}]})");
  }
};

}  // namespace

TEST_CASE("ui.staff: the history from head office names where an earlier complaint was escalated to") {
  StaffRig rig(StaffRig::roster(),
               [](ui::StaffApp::Options& o) { o.history = std::make_shared<ServerShapedHistory>(); });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  start_and_reach(rig, h, ui::StaffView::escalate);
  rig.type_into(h, "##staff.field.email", "ffion@example.co.uk");
  h.tap("Open the customer's history");
  REQUIRE(rig.app().View() == ui::StaffView::history);
  CHECK(h.shows_text_containing("From head office"));
  CHECK(h.shows_text_containing("MCR-T2-000007"));
  const auto line = [&] {
    for (const auto& item : h.items())
      if (item.label.find("MCR-T2-000007") != std::string::npos) return item.label;
    return std::string();
  };
  CHECK(line().find("Escalated to Area manager") != std::string::npos);
  for (const char* language : {"cy", "pl"}) {
    CAPTURE(language);
    rig.app().Apply(ui::staff_intent::set_language(language), rig.now);
    h.frames(2);
    CAPTURE(line());
    CHECK(line().find('?') == std::string::npos);
  }
  CHECK(line().find("Przekazana: Kierownik regionu") != std::string::npos);
}

// ---- Records schema 2 on the tablet: acceptance, adjustments, the Act on review ------------
namespace {

// hear_and_empathise, then a refund offered: on the Resolve step.
void reach_resolve(StaffRig& rig, UiHarness& h) {
  hear_and_empathise(rig, h);
  h.tap("Refund##offer.0");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::resolve);
}

// From Resolve, resolved and accepted, on to the contact page with the customer's
// consent and a phone number, then the adjustments page.
void reach_adjustments(StaffRig& rig, UiHarness& h) {
  reach_resolve(rig, h);
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  h.tap("The customer agrees to be contacted about this complaint");
  rig.type_into(h, "##staff.field.phone", "07700 900123");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::adjustments);
}

}  // namespace

TEST_CASE("ui.staff: a resolution the customer did not accept goes on to Escalate and is saved as not accepted") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  reach_resolve(rig, h);
  CHECK(h.is_visible("Step 4 of 6 · Resolve"));
  h.tap("Yes##resolved.0");
  h.tap("No##accepted.1");
  // The page says why, and counts the escalate step in.
  CHECK(h.shows_text_containing("Not accepted: the complaint is escalated next"));
  CHECK(h.is_visible("Step 4 of 7 · Resolve"));
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);
  CHECK(h.is_visible("Step 5 of 7 · Escalate"));
  h.tap("Back");
  REQUIRE(rig.app().View() == ui::StaffView::resolve);
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);

  h.tap("Open the customer's history");
  h.tap("Close");
  h.tap("Area manager");
  rig.type_into(h, "##staff.field.rationale", "Customer refused the refund and wants a manager's decision.");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  CHECK(h.is_visible("Step 6 of 7 · Contact details"));
  h.tap("Back");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);  // back the way it came
  h.tap("Continue");
  h.tap("Continue");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
  CHECK(h.shows_text_containing("Escalated: the customer did not accept; Area manager: Customer refused"));
  h.tap("Save complaint");
  REQUIRE(rig.app().View() == ui::StaffView::done);

  const Complaint saved = only_complaint(rig);
  CHECK_FALSE(saved.resolved_first_contact);
  CHECK(saved.customer_accepted == false);
  REQUIRE(saved.escalation);
  CHECK(saved.escalation->target == EscalationTarget::area_manager);
  CHECK(saved.escalation->history_reviewed);
  CHECK_FALSE(counts_as_first_contact_resolution(saved));
}

TEST_CASE("ui.staff: adjustments are kept only with the customer's tick; without it the tablet says why") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  reach_adjustments(rig, h);
  CHECK(h.shows_text_containing("Adjustments and contact preferences"));

  // Needs entered, but no tick: refused, and it says why.
  h.tap("Phone##contact_channel.0");
  rig.type_into(h, "##staff.field.best_time", "After 5pm");
  h.tap("Cymraeg");
  h.tap("Large print");
  h.tap("Phone, not writing");
  rig.type_into(h, "##staff.field.adjustment_note", "Needs more time on calls.");
  h.tap("Continue");
  CHECK(rig.app().View() == ui::StaffView::adjustments);
  CHECK(h.shows_text_containing("Tick the customer's agreement to keep these needs, or clear them."));

  SUBCASE("Clear these: nothing is kept, and the complaint moves on") {
    h.tap("Clear these");
    CHECK_FALSE(rig.app().form()->data().has_adjustments());
    h.tap("Continue");
    REQUIRE(rig.app().View() == ui::StaffView::review);
    CHECK(h.shows_text_containing("None asked for."));
    h.tap("Save complaint");
    CHECK_FALSE(only_complaint(rig).adjustments);
  }
  SUBCASE("with the tick: kept, as entered") {
    // Letters need a postal address: refused until there is one.
    h.tap("Letter##contact_channel.2");
    h.tap("The customer agrees we keep these needs on file");
    h.tap("Continue");
    CHECK(rig.app().View() == ui::StaffView::adjustments);
    CHECK(h.shows_text_containing("add their phone, email or postal address on the previous page"));
    h.tap("Back");
    REQUIRE(rig.app().View() == ui::StaffView::contact);
    rig.type_into(h, "##staff.field.address", "12 Heol y Coed, Cardiff CF10 1AA");
    h.tap("Continue");
    h.tap("Continue");
    REQUIRE(rig.app().View() == ui::StaffView::review);
    h.tap("Save complaint");
    const Complaint saved = only_complaint(rig);
    REQUIRE(saved.customer);
    CHECK(saved.customer->address == "12 Heol y Coed, Cardiff CF10 1AA");
    REQUIRE(saved.adjustments);
    CHECK(saved.adjustments->consent);
    CHECK(saved.adjustments->contact_channel == ContactChannel::letter);
    CHECK(saved.adjustments->best_time == "After 5pm");
    CHECK(saved.adjustments->language == "cy");
    CHECK(saved.adjustments->formats ==
          std::vector<AdjustmentFormat>{AdjustmentFormat::large_print, AdjustmentFormat::phone_not_writing});
    CHECK(saved.adjustments->note == "Needs more time on calls.");
  }
}

TEST_CASE("ui.staff: the review shows the Consumer Rights Act result and the adjustments, in English and Welsh") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  reach_resolve(rig, h);
  h.tap("Back");  // an apology alone falls short of a refund within 30 days
  h.tap("Refund##offer.0");
  h.tap("Apology##offer.4");
  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("Yes##accepted.0");
  h.tap("Continue");
  h.tap("The customer agrees to be contacted about this complaint");
  rig.type_into(h, "##staff.field.phone", "07700 900123");
  h.tap("Continue");
  h.tap("The customer agrees we keep these needs on file");
  h.tap("Phone##contact_channel.0");
  rig.type_into(h, "##staff.field.best_time", "After 5pm");
  h.tap("Large print");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);

  CHECK(h.shows_text_containing("Consumer Rights Act 2015"));
  CHECK(h.shows_text_containing("Bought 7 days ago."));
  CHECK(h.shows_text_containing("short-term right to reject"));
  CHECK(h.shows_text_containing("less than the customer is entitled to"));
  CHECK(h.shows_text_containing("Where: Customer service"));
  CHECK(h.shows_text_containing("Contact by: Phone"));
  CHECK(h.shows_text_containing("Best time: After 5pm"));
  CHECK(h.shows_text_containing("Formats: Large print"));

  rig.app().Apply(ui::staff_intent::set_language("cy"), rig.now);
  h.frames(2);
  CHECK(h.shows_text_containing("Deddf Hawliau Defnyddwyr 2015"));
  CHECK(h.shows_text_containing("Wedi'i brynu 7 diwrnod yn ôl."));
  CHECK(h.shows_text_containing("yr hawl tymor byr i wrthod"));
  CHECK(h.shows_text_containing("llai na hawl y cwsmer"));
  CHECK(h.shows_text_containing("Addasiadau a dewisiadau cyswllt"));
  CHECK(h.shows_text_containing("Cysylltu drwy: Ffôn"));
  CHECK(h.shows_text_containing("Fformatau: Print bras"));

  // What was shown is what is saved.
  h.tap("Cadw'r gŵyn");
  const Complaint saved = only_complaint(rig);
  CHECK(saved.touchpoint == "customer_service");
  REQUIRE(saved.consumer_rights);
  CHECK(saved.consumer_rights->entitlement == Entitlement::short_term_reject);
  CHECK(saved.consumer_rights->days_since_purchase == 7);
  CHECK(saved.consumer_rights->offer_falls_short);
  REQUIRE(saved.adjustments);
  CHECK(saved.adjustments->contact_channel == ContactChannel::phone);
  CHECK(saved.adjustments->formats == std::vector<AdjustmentFormat>{AdjustmentFormat::large_print});
}
