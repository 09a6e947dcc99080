// A complaint made on the staff tablet (its screens driven headless, over a real
// device store) reaches the real heed-server on loopback through the sync
// engine, and its case opens at the level staff escalated it to, with the
// schema 2 facts the tablet recorded (touchpoint, the Consumer Rights Act
// result, adjustments) kept as sent.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "staff_rig.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;
namespace ui = heed::ui;

namespace {}  // namespace

TEST_CASE("a complaint the tablet escalates to the area manager opens its case at area level on the server") {
  // The server's clock minutes after the complaint (the rig's wall clock): no
  // deadline has passed, so nothing has moved the case on by itself.
  TestClock clock;
  clock.set("2026-11-22T14:20:00Z");
  TestServer server(&clock);
  StaffRig rig;
  (void)enroll(rig.store(), server);
  UiHarness h;
  h.set_draw([&] { rig.frame(); });

  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  h.tap("New complaint");
  h.tap("Faulty goods");
  h.tap("High");
  rig.type_into(h, "##staff.field.description", "Second kettle in a month stopped working.");
  h.tap("Continue");
  h.tap("Phone##channel.1");
  h.tap("Customer service");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::purchase);
  h.tap("Goods");
  rig.type_into(h, "##staff.field.purchase_date", "15/11/2026");
  rig.type_into(h, "##staff.field.purchase_amount", "£29.99");
  h.tap("Continue");
  h.tap("Angry");
  h.tap("Refund");
  h.tap("Continue");
  h.tap("Refund##offer.0");
  h.tap("Continue");
  h.tap("Yes##resolved.0");
  h.tap("No##accepted.1");  // the customer refused: escalated
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::escalate);
  rig.type_into(h, "##staff.field.email", "ffion@example.co.uk");
  h.tap("Open the customer's history");
  h.tap("Close");
  h.tap("Area manager");
  rig.type_into(h, "##staff.field.rationale", "Refused the refund; second kettle this month, wants the area manager.");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::contact);
  h.tap("The customer agrees to be contacted about this complaint");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::adjustments);
  h.tap("The customer agrees we keep these needs on file");
  h.tap("Email##contact_channel.1");
  h.tap("Large print");
  h.tap("Continue");
  REQUIRE(rig.app().View() == ui::StaffView::review);
  h.tap("Save complaint");
  REQUIRE(rig.app().View() == ui::StaffView::done);
  REQUIRE(rig.app().saved());
  const Complaint made = *rig.app().saved();

  auto engine = sync::SyncEngine::create(rig.store(), fast_options(server.port())).value();
  engine->start();
  REQUIRE(eventually([&] { return engine->status().pending == 0; }, 10s));
  engine->stop();
  CHECK(engine->status().last_error.empty());

  // The case opens where staff sent it, with their rationale in its history.
  const json opened = case_of(server, made.header.id);
  REQUIRE_FALSE(opened.is_null());
  CHECK(opened["type"] == "complaint");
  CHECK(opened["level_name"] == "area");
  const auto history = server.server->storage().case_history(opened["id"].get<std::int64_t>()).value();
  REQUIRE_FALSE(history.empty());
  const json detail = json::parse(history[0].detail);
  CHECK(detail["level_name"] == "area");
  CHECK(detail["escalation"]["target"] == "area_manager");
  CHECK(detail["escalation"]["rationale"] == "Refused the refund; second kettle this month, wants the area manager.");

  // The record as the server keeps it: what the tablet recorded, as sent.
  std::optional<Complaint> stored;
  auto page = server.server->storage().records_page({}, std::nullopt, 100).value();
  for (const auto& row : page) {
    if (row.id != made.header.id) continue;
    auto record = record_from_json_text(row.body);
    REQUIRE(record.ok());
    stored = std::get<Complaint>(record.value());
  }
  REQUIRE(stored);
  CHECK(stored->touchpoint == "customer_service");
  CHECK(stored->channel == Channel::phone);
  CHECK(stored->customer_accepted == false);
  REQUIRE(stored->consumer_rights);
  CHECK(stored->consumer_rights->entitlement == Entitlement::short_term_reject);
  REQUIRE(stored->adjustments);
  CHECK(stored->adjustments->contact_channel == ContactChannel::email);
  CHECK(*stored == made);
}
