// The tablet's way back to the customer kiosk: from home at once (staff are
// signed in), from sign-in only with the kiosk's staff PIN, and not at all on a
// device that has no kiosk.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "heed/secrets.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "staff_rig.hpp"
#include "ui_harness.hpp"

using heed::test::StaffRig;
using heed::test::UiHarness;
namespace ui = heed::ui;
using namespace std::chrono_literals;

namespace {
const std::string& kiosk_pin_hash() {
  static const std::string hash = heed::hash_secret(ui::kTourStaffPin).value();
  return hash;
}
void type_pin(UiHarness& h, std::string_view pin) {
  for (const char digit : pin) h.tap(std::string(1, digit) + "##pin");
}
}  // namespace

TEST_CASE("ui.staff: home's Back to the kiosk locks the tablet and asks for the kiosk") {
  StaffRig rig(StaffRig::roster(), [](ui::StaffApp::Options& o) { o.kiosk_pin_hash = kiosk_pin_hash(); });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  REQUIRE(rig.app().View() == ui::StaffView::home);
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::none);
  h.tap("Back to the kiosk");
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::switch_to_kiosk);
  CHECK(rig.app().session().who() == nullptr);  // the next person signs in again
  CHECK(rig.app().View() == ui::StaffView::sign_in);
}

TEST_CASE("ui.staff: from sign-in, Back to the kiosk needs the kiosk's staff PIN") {
  StaffRig rig(StaffRig::roster(), [](ui::StaffApp::Options& o) { o.kiosk_pin_hash = kiosk_pin_hash(); });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frame();
  h.tap("Back to the kiosk");
  CHECK(rig.app().kiosk_pin_entry());
  CHECK(h.shows_text_containing("kiosk's staff PIN"));
  type_pin(h, "1111");  // a staff member's own PIN is not the kiosk's
  h.tap("Enter##pin.enter");
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::none);
  CHECK(h.is_visible("That PIN is not right. Try again."));
  type_pin(h, ui::kTourStaffPin);
  h.tap("Enter##pin.enter");
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::switch_to_kiosk);
  CHECK_FALSE(rig.app().kiosk_pin_entry());

  // Choosing a name instead goes back to signing in; an abandoned pad closes itself.
  h.tap("Back to the kiosk");
  h.tap("Aled Jones (S1042)");
  CHECK_FALSE(rig.app().kiosk_pin_entry());
  h.tap("Back to the kiosk");
  rig.now += 31s;
  h.frame();
  CHECK_FALSE(rig.app().kiosk_pin_entry());
}

TEST_CASE("ui.staff: five wrong kiosk PINs lock the pad for a while") {
  StaffRig rig(StaffRig::roster(), [](ui::StaffApp::Options& o) { o.kiosk_pin_hash = kiosk_pin_hash(); });
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frame();
  h.tap("Back to the kiosk");
  for (int attempt = 0; attempt < 5; ++attempt) {
    type_pin(h, "0000");
    h.tap("Enter##pin.enter");
  }
  CHECK(rig.app().kiosk_gate().lockout_seconds_left(rig.now) > 0);
  type_pin(h, ui::kTourStaffPin);
  h.tap("Enter##pin.enter");
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::none);
}

TEST_CASE("ui.staff: a tablet with no kiosk offers no way to one") {
  StaffRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frame();
  CHECK_FALSE(h.is_visible("Back to the kiosk"));
  rig.sign_in(h, "Aled Jones (S1042)", "1111");
  CHECK_FALSE(h.is_visible("Back to the kiosk"));
  rig.app().Apply(ui::staff_intent::to_kiosk(), rig.now);
  CHECK(rig.app().TakeRequest() == ui::StaffApp::Request::none);
  CHECK(rig.app().session().who() != nullptr);
}
