// The customer kiosk driven by taps in headless frames, over a real device store:
// what each path saves (or does not), back navigation, consent, the idle reset,
// a language chosen on the welcome screen, every path back to it, the misuse flag and the staff PIN. Each test taps
// what a customer sees (English labels unless it switches language).
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_menu.hpp"
#include "kiosk_rig.hpp"
#include "ui_harness.hpp"

using namespace std::chrono_literals;
using heed::KioskStep;
using heed::test::KioskRig;
using heed::test::UiHarness;
namespace ui = heed::ui;

namespace {

// Taps from the welcome screen to the call-back screen with these ratings.
void rate(UiHarness& h, const char* csat_word, const char* nps) {
  h.tap("Start");
  h.tap(csat_word);
  h.tap(nps);
}

}  // namespace

TEST_CASE("ui.kiosk: the whole flow by taps saves the ratings before thanking") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frames(2);
  CHECK(h.is_visible("How did we do today?"));
  CHECK(h.is_visible("English"));
  CHECK(h.is_visible("Cymraeg"));
  CHECK(h.is_visible("Polski"));

  h.tap("Start");
  CHECK(h.is_visible("Question 1 of 4"));
  CHECK(h.is_visible("How was your visit today?"));
  CHECK_FALSE(h.is_visible("Continue"));  // a rating moves on by itself
  h.tap("Good");
  CHECK(h.is_visible("Question 2 of 4"));
  CHECK(h.is_visible("Not at all likely"));
  CHECK(h.is_visible("Extremely likely"));
  h.tap("9");
  CHECK(h.is_visible("Is there anything you would like to tell us?"));
  CHECK(h.is_visible("Skip"));
  h.tap("Continue");
  CHECK(h.is_visible("Would you like us to get back to you?"));
  CHECK(h.is_visible("We will not keep any contact details unless you tick the box."));
  CHECK(rig.saved().empty());
  h.tap("Send");

  CHECK(h.is_visible("Thank you"));
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].csat == 4);
  CHECK(saved[0].nps == 9);
  CHECK_FALSE(saved[0].comment);
  CHECK_FALSE(saved[0].contact);
  CHECK(saved[0].language == "en");
  CHECK(saved[0].touchpoint == "checkout");
  CHECK(saved[0].header.store_id == "MCR-01");
  CHECK_FALSE(saved[0].suspected_misuse);

  // The thank-you screen goes back to the welcome screen by itself.
  rig.now += 6s;
  h.frame();
  CHECK(h.is_visible("How did we do today?"));
  CHECK(rig.app().flow().step() == KioskStep::welcome);
}

TEST_CASE("ui.kiosk: a comment typed on the on-screen keyboard and a physical one") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "Very good", "10");
  CHECK(h.is_visible("Optional. Tap the box to type."));
  CHECK_FALSE(h.is_visible("q"));  // no keyboard until the box is tapped

  h.tap("##field.comment");
  CHECK(h.is_visible("q"));
  CHECK(h.is_visible("space"));
  h.tap("⇧");
  h.tap("H");
  h.tap("i");  // one capital, as on a phone
  h.tap("space");
  CHECK(rig.app().flow().comment() == "Hi ");
  CHECK(h.is_visible("1997 characters left"));
  h.type_text("there£");
  CHECK(rig.app().flow().comment() == "Hi there£");
  h.tap("⌫");
  CHECK(rig.app().flow().comment() == "Hi there");
  h.press_key(ImGuiKey_Backspace);
  CHECK(rig.app().flow().comment() == "Hi ther");
  CHECK(h.is_visible("Hi ther"));
  h.tap("Done");  // the keyboard goes away
  CHECK_FALSE(h.is_visible("q"));

  h.tap("Continue");
  h.tap("Skip");
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].comment == "Hi ther");
}

TEST_CASE("ui.kiosk: a double tap acts once: its second tap does not act on the screen it brought") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.tap("Start");

  // A rating moves on by itself: the second tap lands on the next question's tile.
  h.wait_until_tappable(h.find("Good##csat4").id);
  const ImVec2 good = h.find("Good##csat4").tap_point();
  h.quick_tap_at(good);
  REQUIRE(rig.app().flow().step() == KioskStep::nps);
  h.quick_tap_at(good);
  CHECK(rig.app().flow().step() == KioskStep::nps);
  CHECK_FALSE(rig.app().flow().nps());
  CHECK(rig.app().flow().csat() == 4);

  // Continue on the comment, tapped twice: the call-back screen's Send sits where it was.
  h.tap("9");
  const auto next = h.find("Continue");
  h.wait_until_tappable(next.id);
  h.quick_tap_at(next.tap_point());
  REQUIRE(rig.app().flow().step() == KioskStep::callback);
  REQUIRE(h.find("Send").tap_point().x == doctest::Approx(next.tap_point().x));
  h.quick_tap_at(next.tap_point());
  CHECK(rig.app().flow().step() == KioskStep::callback);
  CHECK(rig.saved().empty());

  // A tap once the screen has been seen acts as ever.
  h.tap("Send");
  CHECK(rig.app().flow().step() == KioskStep::thanks);
  CHECK(rig.saved().size() == 1);
}

TEST_CASE("ui.kiosk: fast typing on a physical keyboard: no Backspace lost, Return moves to the next field") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  SUBCASE("ten Backspaces within one frame delete ten characters") {
    rate(h, "Good", "8");
    h.tap("##field.comment");
    h.type_text("Lovely staff, thanks");
    REQUIRE(rig.app().flow().comment() == "Lovely staff, thanks");
    for (int i = 0; i < 10; ++i) h.queue_key_tap(ImGuiKey_Backspace);
    h.drain();
    CHECK(rig.app().flow().comment() == "Lovely sta");
  }
  SUBCASE("a name, Return and an email typed within one frame land in their own fields") {
    rate(h, "Poor", "3");
    h.tap("Skip");
    h.tap("You may contact me about this feedback");
    h.tap("##field.name");
    h.queue_text("Ffion");
    h.queue_key_tap(ImGuiKey_Enter);
    h.queue_text("ffion@example.co.uk");
    h.queue_key_tap(ImGuiKey_Enter);
    h.queue_text("07700 900123");
    h.queue_key_tap(ImGuiKey_Enter);
    h.drain();
    CHECK(rig.app().flow().contact(heed::ContactField::name) == "Ffion");
    CHECK(rig.app().flow().contact(heed::ContactField::email) == "ffion@example.co.uk");
    CHECK(rig.app().flow().contact(heed::ContactField::phone) == "07700 900123");
    CHECK_FALSE(h.is_visible("Done"));  // Return after the last field put the keyboard away
  }
}

TEST_CASE("ui.kiosk: Backspace held on the on-screen keyboard repeats; a tap deletes one") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "Good", "8");
  h.tap("##field.comment");
  const std::string typed = "The queue moved quickly today";
  h.type_text(typed);
  h.tap("⌫");
  CHECK(rig.app().flow().comment() == typed.substr(0, typed.size() - 1));

  const auto backspace = h.find("⌫");
  h.move_pointer(backspace.tap_point());
  h.press();
  h.frame();
  CHECK(rig.app().flow().comment().size() == typed.size() - 1);  // nothing yet: it may be a tap
  // Held, the app asks to be woken each frame: a still finger sends no events.
  CHECK(rig.app().Tick(rig.now));
  REQUIRE(rig.app().NextDeadline(rig.now));
  CHECK(*rig.app().NextDeadline(rig.now) <= rig.now + 20ms);
  h.frames(90);  // 1.5 s at 60 frames a second
  const std::size_t deleted = typed.size() - 1 - rig.app().flow().comment().size();
  CHECK(deleted >= 8);  // after 0.5 s, one each 0.1 s
  CHECK(deleted <= 12);
  h.release();
  h.frame();
  CHECK(typed.size() - 1 - rig.app().flow().comment().size() == deleted);  // letting go deletes no more
  h.lift_pointer();
  h.frame();
  CHECK_FALSE(rig.app().Tick(rig.now));
}

TEST_CASE("ui.kiosk: an emoji typed on a physical keyboard is refused politely, never stored") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "Good", "8");
  h.tap("##field.comment");
  h.type_text("hi 😀");
  CHECK(rig.app().flow().comment() == "hi ");
  CHECK(h.is_visible("That character can't be used here."));
  h.type_text("there");
  CHECK(rig.app().flow().comment() == "hi there");
  CHECK_FALSE(h.is_visible("That character can't be used here."));
  h.type_text("\xEF\xBF\xBD");  // U+FFFD itself, as ImGui 1.86 turns characters past U+FFFF into
  CHECK(rig.app().flow().comment() == "hi there");
  CHECK(h.is_visible("That character can't be used here."));
  h.tap("Done");
  h.tap("Continue");
  h.tap("Skip");
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].comment == "hi there");
}

TEST_CASE("ui.kiosk: skip paths save the ratings only") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "Poor", "3");
  h.tap("##field.comment");
  h.type_text("typed, then skipped");
  h.tap("Skip");
  CHECK(h.is_visible("Would you like us to get back to you?"));
  h.tap("You may contact me about this feedback");
  h.tap("##field.email");
  h.type_text("ffion@example.co.uk");
  h.tap("Skip");
  CHECK(h.is_visible("Thank you"));
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].csat == 2);
  CHECK(saved[0].nps == 3);
  CHECK_FALSE(saved[0].comment);
  CHECK_FALSE(saved[0].contact);
}

TEST_CASE("ui.kiosk: Back goes one screen back, keeps the answers, and Continue returns") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "OK", "6");
  CHECK(rig.app().flow().step() == KioskStep::comment);
  h.tap("Back");
  CHECK(h.is_visible("Question 2 of 4"));
  CHECK(h.is_visible("Continue"));  // answered already
  h.tap("Back");
  CHECK(h.is_visible("Question 1 of 4"));
  CHECK(rig.app().flow().csat() == 3);
  h.tap("Continue");
  CHECK(h.is_visible("Question 2 of 4"));
  h.tap("8");  // a new answer replaces the old
  h.tap("Skip");
  h.tap("Back");  // from the call-back screen to the comment screen
  CHECK(h.is_visible("Question 3 of 4"));
  h.tap("Skip");
  h.tap("Send");
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].csat == 3);
  CHECK(saved[0].nps == 8);
}

TEST_CASE("ui.kiosk: Back to the welcome screen, 90 s, Start: nothing of the last customer shows or is sent") {
  // Issue 11, as the customer ran into it.
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rate(h, "Very poor", "1");
  h.tap("##field.comment");
  for (const char* key : {"s", "e", "c", "r", "e", "t"}) h.tap(key);
  CHECK(h.is_visible("secret"));
  h.tap("Continue");
  h.tap("You may contact me about this feedback");
  h.tap("##field.email");
  h.type_text("alice@example.com");
  CHECK(rig.app().flow().contact(heed::ContactField::email) == "alice@example.com");
  for (int i = 0; i < 4; ++i) h.tap("Back");
  CHECK(h.is_visible("How did we do today?"));
  CHECK_FALSE(h.is_visible("Back"));  // the welcome screen has none

  rig.now += 90s;
  h.frame();
  CHECK(h.is_visible("How did we do today?"));
  h.tap("Start");
  CHECK(h.is_visible("Question 1 of 4"));
  CHECK_FALSE(h.is_visible("Continue"));  // no face chosen
  CHECK_FALSE(rig.app().flow().csat());
  h.tap("Good");
  CHECK_FALSE(h.is_visible("Continue"));  // no number chosen
  h.tap("9");
  CHECK_FALSE(h.shows_text_containing("secret"));
  CHECK(h.is_visible("2000 characters left"));
  h.tap("Continue");
  CHECK_FALSE(rig.app().flow().consent());
  CHECK_FALSE(h.is_visible("##field.email"));  // unticked: no fields
  CHECK_FALSE(h.shows_text_containing("alice"));
  h.tap("Send");
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].csat == 4);
  CHECK(saved[0].nps == 9);
  CHECK_FALSE(saved[0].comment);
  CHECK_FALSE(saved[0].contact);
}

namespace {

// A Polish customer on the welcome screen: Polski, larger text, lowered layout.
void polish_customer_chooses(UiHarness& h) {
  h.tap("Polski");
  h.tap("Większy tekst");
  h.tap("Przyciski niżej");
  CHECK(h.is_visible("Jak nam dziś poszło?"));
}

// ... who goes on to the call-back screen, answers, comments, consents, types an email.
void polish_customer_answers(UiHarness& h) {
  h.tap("Zaczynamy");
  h.tap("Bardzo źle");
  h.tap("1");
  h.tap("##field.comment");
  h.type_text("sekret");
  h.tap("Dalej");
  h.tap("Możecie się ze mną skontaktować w sprawie tej opinii");
  h.tap("##field.email");
  h.type_text("alicja@example.com");
}

// The welcome screen as a new customer must find it: English, standard look,
// nothing of anyone's answers.
void check_fresh_welcome(UiHarness& h, KioskRig& rig) {
  h.frame();
  CHECK(h.is_visible("How did we do today?"));
  CHECK(rig.app().View(rig.now) == ui::KioskView::welcome);
  const auto& flow = rig.app().flow();
  CHECK(flow.language() == "en");
  CHECK(flow.preferences() == heed::KioskPreferences{});
  CHECK_FALSE(ui::look().large_text);
  CHECK_FALSE(flow.csat());
  CHECK_FALSE(flow.nps());
  CHECK(flow.comment().empty());
  CHECK_FALSE(flow.consent());
  CHECK(flow.contact(heed::ContactField::email).empty());
  CHECK_FALSE(rig.app().NextDeadline(rig.now));  // nothing left to time out
  // Start shows an unanswered first question in English.
  h.tap("Start");
  CHECK(h.is_visible("How was your visit today?"));
  CHECK_FALSE(h.is_visible("Continue"));
}

// Holds the staff corner and enters the right PIN: the staff menu opens.
void open_staff_menu(UiHarness& h, KioskRig& rig) {
  h.move_pointer(h.find("##staff-corner").tap_point());
  h.press();
  h.frame();
  rig.now += 3100ms;
  h.frame();
  h.frame();
  h.release();
  h.frame();
  h.lift_pointer();
  h.frame();
  for (const char* digit : {"2##pin", "4##pin", "6##pin", "8##pin"}) h.tap(digit);
  h.tap(std::string(rig.app().text().tr("staff.pin.enter")) + "##pin.enter");  // in the customer's language
  REQUIRE(rig.app().View(rig.now) == ui::KioskView::staff_menu);
}

}  // namespace

TEST_CASE("ui.kiosk: every way back to the welcome screen leaves nothing of the customer") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  polish_customer_chooses(h);
  SUBCASE("Back from each screen to the welcome screen") {
    polish_customer_answers(h);
    for (int i = 0; i < 4; ++i) h.tap("Wstecz");
  }
  SUBCASE("Back with the keyboard up and a contact error shown") {
    polish_customer_answers(h);
    for (int i = 0; i < 4; ++i) h.press_key(ImGuiKey_Backspace);  // "alicja@example": not complete
    h.tap("Wyślij");
    REQUIRE_FALSE(rig.app().flow().contact_errors().empty());
    for (int i = 0; i < 4; ++i) h.tap("Wstecz");
  }
  SUBCASE("the idle reset, warned first") {
    polish_customer_answers(h);
    rig.now += 31s;
    h.frame();
    CHECK(h.is_visible("Czy nadal tu jesteś?"));
    rig.now += 15s;
    h.frame();
  }
  SUBCASE("the thanks screen ending by itself") {
    polish_customer_answers(h);
    h.tap("Wyślij");
    CHECK(h.is_visible("Dziękujemy"));  // thanked in their language
    rig.now += 6s;
    h.frame();
  }
  SUBCASE("Done on the thanks screen") {
    polish_customer_answers(h);
    h.tap("Wyślij");
    h.tap("Gotowe");
  }
  SUBCASE("staff opening their menu mid-session and going back to the kiosk") {
    polish_customer_answers(h);
    open_staff_menu(h, rig);
    h.tap(rig.app().text().tr("staff.menu.back"));
  }
  SUBCASE("the staff menu left open on the welcome screen, closing itself") {
    open_staff_menu(h, rig);
    rig.now += 31s;
    h.frame();
  }
  SUBCASE("choices left on the welcome screen time out") {
    rig.now += 31s;
    h.frame();
    CHECK(h.is_visible("Czy nadal tu jesteś?"));
    rig.now += 15s;
    h.frame();
  }
  check_fresh_welcome(h, rig);
}

TEST_CASE("ui.kiosk: choices made on the welcome screen carry on through Start, and \"more time\" keeps them") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  polish_customer_chooses(h);
  rig.now += 31s;
  h.frame();
  CHECK(h.is_visible("Czy nadal tu jesteś?"));
  h.tap("Potrzebuję więcej czasu");
  CHECK_FALSE(h.is_visible("Czy nadal tu jesteś?"));
  rig.now += 59s;  // doubled: no warning yet
  h.frame();
  CHECK_FALSE(h.is_visible("Czy nadal tu jesteś?"));
  h.tap("Zaczynamy");
  CHECK(h.is_visible("Jak oceniasz dzisiejszą wizytę?"));
  CHECK(rig.app().flow().preferences() == heed::KioskPreferences{.large_text = true, .lowered = true});
  CHECK(ui::look().large_text);
  h.tap("Dobrze");
  rig.now += 61s;  // more time lasts the session
  h.frame();
  CHECK(h.is_visible("Czy nadal tu jesteś?"));
  h.tap("Potrzebuję więcej czasu");
  CHECK(rig.app().flow().nps() == std::nullopt);
  CHECK(rig.app().flow().csat() == 4);
  CHECK(h.is_visible("Zupełnie nieprawdopodobne"));
}

TEST_CASE("ui.kiosk: a PIN pad cancelled mid-session returns to the customer's answers") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.tap("Start");
  h.tap("Good");
  h.move_pointer(h.find("##staff-corner").tap_point());
  h.press();
  h.frame();
  rig.now += 3100ms;
  h.frame();
  h.frame();
  h.release();
  h.frame();
  h.lift_pointer();
  h.frame();
  REQUIRE(h.is_visible("Staff PIN"));
  h.tap("Cancel##pin.cancel");
  CHECK(h.is_visible("Question 2 of 4"));
  CHECK(rig.app().flow().csat() == 4);
}

TEST_CASE("ui.kiosk: consent unticked means no contact stored; ticked, details are checked and kept") {
  SUBCASE("ticked, typed, unticked again: nothing kept") {
    KioskRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    rate(h, "Very poor", "0");
    h.tap("Skip");
    CHECK_FALSE(rig.app().flow().consent());  // starts unticked
    CHECK_FALSE(h.is_visible("##field.email"));
    h.tap("You may contact me about this feedback");
    CHECK(h.is_visible("Give an email address or a phone number, or both."));
    h.tap("##field.name");
    h.type_text("Ffion");
    h.tap("##field.phone");
    CHECK(h.is_visible("9"));  // the phone pad
    h.tap("0");
    h.type_text("7700 900123");
    h.tap("Done");
    h.tap("You may contact me about this feedback");  // unticked
    CHECK_FALSE(h.is_visible("##field.phone"));
    h.tap("Send");
    const auto saved = rig.saved();
    REQUIRE(saved.size() == 1);
    CHECK_FALSE(saved[0].contact);
    CHECK(saved[0].csat == 1);
  }
  SUBCASE("a bad email shows its error beside the field; fixed, the details are stored") {
    KioskRig rig;
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    rate(h, "Very poor", "0");
    h.tap("Skip");
    h.tap("You may contact me about this feedback");
    h.tap("Send");
    CHECK(h.is_visible("Give an email address or a phone number."));
    CHECK(rig.saved().empty());
    h.tap("##field.email");
    CHECK(h.is_visible("@"));  // the email layout
    h.type_text("ffion@example");
    h.tap("Send");
    CHECK(h.is_visible("Enter an email address like name@example.com."));
    const auto error = h.find("Enter an email address like name@example.com.");
    const auto field = h.find("##field.email");
    CHECK(error.min.y >= field.max.y);  // right under its field
    CHECK(error.min.y - field.max.y < ui::px(40.0f));
    CHECK(rig.saved().empty());
    h.tap(".co.uk");
    CHECK(rig.app().flow().contact(heed::ContactField::email) == "ffion@example.co.uk");
    h.tap("Send");
    CHECK(h.is_visible("Thank you"));
    const auto saved = rig.saved();
    REQUIRE(saved.size() == 1);
    REQUIRE(saved[0].contact);
    CHECK(saved[0].contact->email == "ffion@example.co.uk");
    CHECK(saved[0].contact->consent);
    CHECK(saved[0].contact->notice_version == "2026-01");
  }
}

TEST_CASE("ui.kiosk: a happy customer can ask for a call-back, and the thank-you screen says by when") {
  // The kiosk's wall clock is fixed: Friday 20 November 2026, 15:00 in London.
  const auto friday = [](ui::KioskApp::Options& o) {
    o.wall = [] { return *heed::parse_timestamp("2026-11-20T15:00:00Z"); };
  };
  const auto ask_for_call_back = [](UiHarness& h) {
    rate(h, "Very good", "10");
    h.tap("Skip");
    REQUIRE(h.is_visible("Would you like us to get back to you?"));  // offered whatever the scores
    h.tap("You may contact me about this feedback");
    h.tap("##field.email");
    h.type_text("ffion@example.co.uk");
    h.tap("Send");
  };
  SUBCASE("in English, across the weekend") {
    KioskRig rig({"en", "cy", "pl"}, true, friday);
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    ask_for_call_back(h);
    CHECK(h.is_visible("Thank you"));
    CHECK(h.is_visible("We'll be in touch by 3pm on Monday 23\u00a0November."));
    const auto saved = rig.saved();
    REQUIRE(saved.size() == 1);
    CHECK(saved[0].csat == 5);
    CHECK(saved[0].nps == 10);
    REQUIRE(saved[0].contact);
    CHECK(saved[0].contact->email == "ffion@example.co.uk");
  }
  SUBCASE("in Welsh") {
    KioskRig rig({"en", "cy", "pl"}, true, friday);
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    h.tap("Cymraeg");
    h.tap("Dechrau");
    h.tap("Da iawn");
    h.tap("10");
    h.tap("Hepgor");
    h.tap("Cewch gysylltu â mi ynglŷn â'r adborth hwn");
    h.tap("##field.email");
    h.type_text("ffion@example.co.uk");
    h.tap("Anfon");
    CHECK(h.is_visible("Diolch"));
    CHECK(h.is_visible("Byddwn yn cysylltu â chi erbyn 15:00 ddydd\u00a0Llun 23\u00a0Tachwedd."));
  }
  SUBCASE("late on a weekday: tomorrow, at the time it falls") {
    KioskRig rig({"en", "cy", "pl"}, true, [](ui::KioskApp::Options& o) {
      o.wall = [] { return *heed::parse_timestamp("2026-11-24T16:20:00Z"); };  // Tuesday 16:20
    });
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    ask_for_call_back(h);
    CHECK(h.is_visible("We'll be in touch by 4:30pm tomorrow."));
  }
  SUBCASE("no call-back asked: nothing said about one") {
    KioskRig rig({"en", "cy", "pl"}, true, friday);
    UiHarness h;
    h.set_draw([&] { rig.frame(); });
    rate(h, "Very poor", "0");
    h.tap("Skip");
    h.tap("Skip");
    CHECK(h.is_visible("Thank you"));
    CHECK_FALSE(h.shows_text_containing("in touch"));
  }
}

TEST_CASE("ui.kiosk: the call-back promise's words in each language: clock, weekday and month forms") {
  using heed::CallbackPromise;
  const auto text = [](const char* language, CallbackPromise::Day day, const char* date, int minutes) {
    const auto catalog = ui::Catalog::load(HEED_ASSETS_DIR "/i18n", language).value();
    CallbackPromise p;
    p.day = day;
    p.date = *heed::parse_date(date);
    p.time = std::chrono::minutes(minutes);
    return ui::CallbackPromiseText(catalog, p);
  };
  using Day = CallbackPromise::Day;
  CHECK(text("en", Day::today, "2026-11-24", 17 * 60 + 30) == "We'll be in touch by 5:30pm today.");
  CHECK(text("en", Day::tomorrow, "2026-11-24", 9 * 60) == "We'll be in touch by 9am tomorrow.");
  CHECK(text("en", Day::tomorrow, "2026-11-24", 12 * 60 + 15) == "We'll be in touch by 12:15pm tomorrow.");
  CHECK(text("en", Day::later, "2026-12-01", 10 * 60 + 45) ==
        "We'll be in touch by 10:45am on Tuesday 1\u00a0December.");
  CHECK(text("cy", Day::today, "2026-11-24", 9 * 60 + 5) == "Byddwn yn cysylltu â chi erbyn 9:05 heddiw.");
  CHECK(text("cy", Day::later, "2026-07-01", 16 * 60) ==
        "Byddwn yn cysylltu â chi erbyn 16:00 ddydd\u00a0Mercher 1\u00a0Gorffennaf.");
  // Polish: "we" before wtorek, the weekday in the accusative, the month in the genitive.
  CHECK(text("pl", Day::tomorrow, "2026-11-24", 17 * 60 + 30) ==
        "Skontaktujemy się z\u00a0Tobą jutro do godz.\u00a017:30.");
  CHECK(text("pl", Day::later, "2026-12-01", 15 * 60) ==
        "Skontaktujemy się z\u00a0Tobą we\u00a0wtorek, 1\u00a0grudnia, do godz.\u00a015:00.");
  CHECK(text("pl", Day::later, "2026-09-30", 15 * 60) ==
        "Skontaktujemy się z\u00a0Tobą w\u00a0środę, 30\u00a0września, do godz.\u00a015:00.");
}

TEST_CASE("ui.kiosk: the privacy notice opens, scrolls by dragging a finger, and closes") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.tap("Larger text");  // the notice is then longer than its card, even at 1080p
  rate(h, "Good", "7");
  h.tap("Skip");
  h.tap("How we use your details");
  CHECK(rig.app().flow().privacy_notice_open());
  CHECK(h.is_visible("Close"));
  const auto text = h.find(rig.app().text().tr("privacy.body"));
  CHECK(rig.app().privacy_notice().scroll == 0.0f);
  REQUIRE(rig.app().privacy_notice().max_scroll > 0.0f);  // longer than the card at 1080p

  // A finger down on the text, moved up 300 px in three steps, then lifted.
  ImVec2 at((text.min.x + text.max.x) * 0.5f, text.max.y - 40.0f);
  h.move_pointer(at);
  h.press();
  h.frame();
  for (int i = 0; i < 3; ++i) {
    at.y -= 100.0f;
    h.move_pointer(at);
    h.frame();
  }
  h.release();
  h.frame();
  h.lift_pointer();
  h.frame();
  CHECK(rig.app().privacy_notice().scroll == doctest::Approx(std::min(300.0f, rig.app().privacy_notice().max_scroll)));

  // A fresh press far from the last one does not jump the text.
  const float before = rig.app().privacy_notice().scroll;
  h.move_pointer(ImVec2(at.x, text.min.y + 20.0f));
  h.press();
  h.frame();
  h.release();
  h.frame();
  CHECK(rig.app().privacy_notice().scroll == doctest::Approx(before));
  h.lift_pointer();
  h.frame();

  h.tap("Close");
  CHECK_FALSE(rig.app().flow().privacy_notice_open());
  CHECK(h.is_visible("Would you like us to get back to you?"));
}

TEST_CASE("ui.kiosk: idle: a warning with a countdown, more time on request, then a reset that discards") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.tap("Start");
  h.tap("Very good");
  CHECK(rig.app().NextDeadline(rig.now) == rig.now + 30s);
  rig.now += 29s;
  CHECK_FALSE(rig.app().Tick(rig.now));  // nothing to draw before the warning
  rig.now += 2s;
  CHECK(rig.app().Tick(rig.now));
  h.frame();
  CHECK(h.is_visible("Are you still there?"));
  CHECK(h.is_visible("Your answers will be cleared in 14 seconds."));
  CHECK(rig.app().View(rig.now) == ui::KioskView::idle_warning);
  h.tap("I need more time");
  CHECK_FALSE(h.is_visible("Are you still there?"));
  CHECK(rig.app().flow().csat() == 5);

  rig.now += 61s;  // the doubled wait has passed: warned again
  h.frame();
  CHECK(h.is_visible("Are you still there?"));
  h.tap_at(ImVec2(100, 100));  // a touch anywhere says "still here"
  CHECK_FALSE(h.is_visible("Are you still there?"));
  rig.now += 59s;  // more time lasts the session: still the doubled wait
  h.frame();
  CHECK_FALSE(h.is_visible("Are you still there?"));
  rig.now += 2s;
  h.frame();
  CHECK(h.is_visible("Are you still there?"));
  rig.now += 15s;  // the countdown runs out
  h.frame();
  h.frame();
  CHECK(h.is_visible("How did we do today?"));
  CHECK_FALSE(h.is_visible("Are you still there?"));
  CHECK_FALSE(rig.app().flow().csat());
  CHECK(rig.saved().empty());  // discarded, not saved
  // The next customer starts afresh: no face chosen, no Continue.
  h.tap("Start");
  CHECK_FALSE(h.is_visible("Continue"));
  CHECK(rig.app().NextDeadline(rig.now).has_value());
}

TEST_CASE("ui.kiosk: a language chosen on the welcome screen speaks to the customer to the end") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frames(2);
  CHECK(h.is_visible("How did we do today?"));
  h.tap("Cymraeg");
  CHECK(h.is_visible("Sut wnaethon ni heddiw?"));
  CHECK(h.is_visible("Ei wneud yn haws i'w ddefnyddio"));
  h.tap("Dechrau");
  CHECK(h.is_visible("Sut oedd eich ymweliad heddiw?"));
  CHECK(h.is_visible("Cwestiwn 1 o 4"));
  h.tap("Da");
  h.tap("10");
  h.tap("##field.comment");
  CHECK(h.is_visible("ŵ"));  // the Welsh layout
  h.tap("ŵ");
  h.tap("Hepgor");
  h.tap("Hepgor");
  CHECK(h.is_visible("Diolch"));
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].language == "cy");
  CHECK(saved[0].csat == 4);
  CHECK(saved[0].nps == 10);
  // The next customer gets the default language back.
  rig.now += 6s;
  h.frame();
  CHECK(h.is_visible("How did we do today?"));
}

TEST_CASE("ui.kiosk: a burst of identical submissions is stored flagged, none dropped") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  for (int i = 0; i < 3; ++i) {
    rate(h, "Very good", "10");
    h.tap("Skip");
    h.tap("Skip");
    h.tap("Done");  // thanks: straight back to the welcome screen
    rig.now += 2s;
  }
  rig.now += 20s;  // outside the window
  rate(h, "Very good", "10");
  h.tap("Skip");
  h.tap("Skip");
  const auto saved = rig.saved();
  REQUIRE(saved.size() == 4);
  CHECK_FALSE(saved[0].suspected_misuse);
  CHECK(saved[1].suspected_misuse);
  CHECK(saved[2].suspected_misuse);
  CHECK_FALSE(saved[3].suspected_misuse);
  CHECK(rig.app().flow().flagged_count() == 2);
}

TEST_CASE("ui.kiosk: staff PIN: a short tap does nothing, a long press asks, wrong is refused, right opens the menu") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  // Two records waiting, for the menu to count.
  for (int i = 0; i < 2; ++i) {
    rate(h, "OK", "5");
    h.tap("Skip");
    h.tap("Skip");
    h.tap("Done");
  }
  const auto corner = h.find("##staff-corner");
  h.tap_id(corner.id);
  rig.now += 5s;
  h.frame();
  CHECK_FALSE(h.is_visible("Staff PIN"));

  // Hold the corner for the gate's 3 s.
  h.move_pointer(corner.tap_point());
  h.press();
  h.frame();
  rig.now += 1500ms;
  h.frame();
  CHECK_FALSE(h.is_visible("Staff PIN"));
  rig.now += 1600ms;
  h.frame();
  h.frame();
  CHECK(h.is_visible("Staff PIN"));
  h.release();
  h.frame();
  h.lift_pointer();
  h.frame();

  for (const char* digit : {"1##pin", "2##pin", "3##pin", "4##pin"}) h.tap(digit);
  CHECK(rig.app().gate().entered() == "1234");
  h.tap("Enter##pin.enter");
  CHECK(h.is_visible("That PIN is not right. Try again."));
  CHECK_FALSE(h.is_visible("Staff menu"));

  for (const char* digit : {"2##pin", "4##pin", "6##pin", "9##pin"}) h.tap(digit);
  h.tap("⌫##pin.erase");
  h.tap("8##pin");
  h.tap("Enter##pin.enter");
  CHECK(h.is_visible("Staff menu"));
  CHECK(h.is_visible("Records waiting to send"));
  CHECK(h.is_visible("2"));
  CHECK(h.is_visible("less than a minute old"));
  CHECK(h.is_visible("Refused by head office"));
  CHECK(h.is_visible("Switch to staff mode"));
  CHECK(h.is_visible("Exit Heed"));

  h.tap("Back to the kiosk");
  CHECK(h.is_visible("How did we do today?"));
  CHECK(rig.app().gate().state() == heed::StaffGate::State::closed);
}

TEST_CASE("ui.kiosk: the staff menu's exit and switch reach whoever runs the app") {
  KioskRig rig;
  UiHarness h;
  ui::KioskApp::Request request = ui::KioskApp::Request::none;
  h.set_draw([&] {
    rig.frame();
    if (rig.last.request != ui::KioskApp::Request::none) request = rig.last.request;
  });
  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.tap("Switch to staff mode");
  CHECK(request == ui::KioskApp::Request::switch_to_staff);
  CHECK(rig.app().gate().state() == heed::StaffGate::State::closed);

  // Left open, the staff menu closes itself.
  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  CHECK(h.is_visible("Staff menu"));
  rig.now += 31s;
  h.frame();
  CHECK_FALSE(h.is_visible("Staff menu"));

  // Exit asks first: a customer-facing kiosk must not close on one stray tap.
  request = ui::KioskApp::Request::none;
  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  h.tap("Exit Heed");
  CHECK(request == ui::KioskApp::Request::none);
  CHECK(h.is_visible("Exit Heed?"));
  CHECK_FALSE(h.is_visible("Switch to staff mode"));
  h.tap("Keep the kiosk running");
  CHECK(request == ui::KioskApp::Request::none);
  CHECK(h.is_visible("Switch to staff mode"));
  h.tap("Exit Heed");
  h.tap("Exit Heed##staff.exit.confirm");
  CHECK(request == ui::KioskApp::Request::exit);
}

TEST_CASE("ui.kiosk: switching to staff mode ends the customer's session") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  rig.app().Apply(ui::intent::choose_language("cy"), rig.now);
  rig.app().Apply(ui::intent::start(), rig.now);
  rig.app().Apply(ui::intent::rate_csat(1), rig.now);
  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  rig.app().Apply(ui::intent::staff_switch_mode(), rig.now);
  CHECK(rig.app().TakeRequest() == ui::KioskApp::Request::switch_to_staff);
  CHECK(rig.app().flow().step() == heed::KioskStep::welcome);
  CHECK_FALSE(rig.app().flow().csat());
  CHECK(rig.app().flow().language() == "en");
}

TEST_CASE("ui.kiosk: without a staff roster, the staff menu says why staff mode cannot start and stays a kiosk") {
  KioskRig rig({"en", "cy", "pl"}, /*staff_roster=*/false);
  UiHarness h;
  ui::KioskApp::Request request = ui::KioskApp::Request::none;
  h.set_draw([&] {
    rig.frame();
    if (rig.last.request != ui::KioskApp::Request::none) request = rig.last.request;
  });
  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  h.tap("Switch to staff mode");
  CHECK(request == ui::KioskApp::Request::none);
  CHECK(h.shows_text_containing("has no staff roster"));
  CHECK(rig.app().gate().state() == heed::StaffGate::State::open);
  h.tap("Back to the kiosk");
  CHECK(h.is_visible("How did we do today?"));
}

TEST_CASE("ui.kiosk: the staff menu's delivery state follows the sync engine's status") {
  using Connection = ui::SyncState::Connection;
  heed::sync::SyncStatus status;
  CHECK(ui::sync_state_from(status, "https://h.example").connection == Connection::not_enrolled);
  status.enrolled = true;  // nothing tried yet: neither online nor "Offline, retrying"
  CHECK(ui::sync_state_from(status, "https://h.example").connection == Connection::connecting);
  status.attempted = true;
  CHECK(ui::sync_state_from(status, "https://h.example").connection == Connection::offline);
  status.online = true;
  const auto online = ui::sync_state_from(status, "https://h.example");
  CHECK(online.connection == Connection::online);
  CHECK(online.server_url == "https://h.example");
  status.token_revoked = true;  // revoked wins over the last answer
  CHECK(ui::sync_state_from(status, "").connection == Connection::revoked);
  status.enrolled = false;  // no token at all comes first
  CHECK(ui::sync_state_from(status, "").connection == Connection::not_enrolled);

  heed::sync::SyncStatus draining;
  draining.enrolled = true;
  draining.attempted = true;
  draining.online = true;
  draining.last_success_at = heed::now_utc();
  draining.last_error = "HTTP 503";
  draining.pending = 60;
  CHECK_FALSE(ui::sync_state_from(draining, "").progress);  // nothing delivered of it yet: no bar
  draining.backlog_done = 40;
  const auto half = ui::sync_state_from(draining, "");
  REQUIRE(half.progress);
  CHECK(half.progress->first == 40);
  CHECK(half.progress->second == 100);
  CHECK(half.last_success == draining.last_success_at);
  CHECK(half.last_error == "HTTP 503");
  draining.online = false;  // offline, nothing is being sent: no "Sending: 40 of 100"
  CHECK_FALSE(ui::sync_state_from(draining, "").progress);
  draining.online = true;
  draining.pending = 0;  // drained: the bar goes
  CHECK_FALSE(ui::sync_state_from(draining, "").progress);
}

TEST_CASE("ui.kiosk: the staff menu shows how delivery stands, and follows it while open") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  ui::SyncState state;
  state.connection = ui::SyncState::Connection::offline;
  state.server_url = "https://heed.example.co.uk";
  state.last_success = heed::now_utc() - 12min;
  state.last_error = "could not connect to the server (connection refused)";
  state.progress = std::pair<std::int64_t, std::int64_t>{40, 100};
  state.refused = {{"0f3c2a9e-1111-4222-8333-444455556666", "csat: must be 1 to 5"}};
  rig.sync = state;

  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  CHECK(h.is_visible("Offline, retrying"));
  CHECK(h.is_visible("12 min ago"));
  CHECK(h.is_visible("Server: https://heed.example.co.uk"));
  CHECK(h.is_visible("Last error: could not connect to the server (connection refused)"));
  CHECK(h.is_visible("Sending: 40 of 100 records"));
  CHECK(h.is_visible("Record 0f3c2a9e: csat: must be 1 to 5"));
  CHECK_FALSE(h.is_visible("Enrol this device"));  // it has a token; it is only offline

  // Delivery moves on while staff watch: the menu reads again each second.
  rig.sync->connection = ui::SyncState::Connection::online;
  rig.sync->last_error.clear();
  rig.sync->progress = std::pair<std::int64_t, std::int64_t>{100, 100};
  CHECK(rig.app().NextDeadline(rig.now).value() <= rig.now + 1s);
  rig.now += 1s;
  CHECK(rig.app().Tick(rig.now));
  h.frame();
  CHECK(h.is_visible("Online"));
  CHECK(h.is_visible("Sending: 100 of 100 records"));
  CHECK_FALSE(h.is_visible("Last error: could not connect to the server (connection refused)"));

  // No sync at all: the figures only, as before.
  rig.sync.reset();
  rig.now += 1s;
  rig.app().Tick(rig.now);
  h.frame();
  CHECK_FALSE(h.is_visible("Head office"));
  CHECK(h.is_visible("Records waiting to send"));
}

TEST_CASE("ui.kiosk: a device is enrolled from the staff menu with a code typed on the keys") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  ui::SyncState state;
  state.connection = ui::SyncState::Connection::not_enrolled;
  state.server_url = "https://heed.example.co.uk";
  rig.sync = state;

  ui::DriveTo(rig.app(), ui::KioskView::staff_menu, ui::standard_variant(), rig.now);
  h.frame();
  CHECK(h.is_visible("Not enrolled"));
  h.tap("Enrol this device");
  CHECK(h.is_visible("Type the enrolment code from head office. It works once, within 24 hours."));
  CHECK_FALSE(h.find("Enrol##staff.enrol.submit").enabled);  // nothing typed yet

  // On-screen keys, then a physical keyboard, into the same field.
  h.tap("a");
  h.tap("b");
  h.type_text("cd-EFGH");
  CHECK(rig.app().staff_menu().code == "abcd-EFGH");
  h.tap("Enrol##staff.enrol.submit");
  REQUIRE(rig.enrol_codes.size() == 1);
  CHECK(rig.enrol_codes[0] == "abcd-EFGH");
  h.frame();
  CHECK(h.is_visible("Enrolling…"));

  // The server said no: the reason shows and the code can be corrected.
  rig.sync->enrolment = ui::SyncState::Enrolment::failed;
  rig.sync->enrolment_error = "the code is unknown, used or expired";
  rig.now += 1s;
  rig.app().Tick(rig.now);
  h.frame();
  CHECK(h.is_visible("Enrolment failed: the code is unknown, used or expired"));
  CHECK(h.find("Enrol##staff.enrol.submit").enabled);

  // Enrolled: back to the figures, which say so; the button has gone.
  rig.sync->enrolment = ui::SyncState::Enrolment::done;
  rig.sync->connection = ui::SyncState::Connection::online;
  rig.now += 1s;
  rig.app().Tick(rig.now);
  h.frame();
  CHECK(h.is_visible("Online"));
  CHECK_FALSE(h.is_visible("Enrol this device"));
  CHECK(rig.app().staff_menu().code.empty());

  // Cancel leaves the entry without enrolling.
  rig.sync->connection = ui::SyncState::Connection::revoked;
  rig.sync->enrolment = ui::SyncState::Enrolment::idle;
  rig.now += 1s;
  rig.app().Tick(rig.now);
  h.frame();
  CHECK(h.is_visible("Access revoked"));
  h.tap("Enrol this device");
  h.type_text("x");
  h.tap("Cancel##staff.enrol.cancel");
  CHECK(h.is_visible("Staff menu"));
  CHECK(rig.enrol_codes.size() == 1);
}

TEST_CASE("ui.kiosk: a pressed tile shows its pressed colour on the frame the finger lands") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.tap("Start");
  const auto good = h.find("Good##csat4");
  h.wait_until_tappable(good.id);  // a person sees the question before tapping
  h.move_pointer(good.tap_point());
  h.press();
  h.frame();
  const ImU32 pressed = ImGui::ColorConvertFloat4ToU32(ui::palette().secondary_pressed);
  bool found = false;
  const ImDrawData* data = ImGui::GetDrawData();
  for (int l = 0; l < data->CmdListsCount && !found; ++l)
    for (const auto& vertex : data->CmdLists[l]->VtxBuffer)
      if (vertex.col == pressed && vertex.pos.x >= good.min.x && vertex.pos.x <= good.max.x &&
          vertex.pos.y >= good.min.y && vertex.pos.y <= good.max.y) {
        found = true;
        break;
      }
  CHECK(found);
  h.release();
  h.frame();
  CHECK(rig.app().flow().csat() == 4);
}

TEST_CASE("ui.kiosk: nothing to wake for on an untouched welcome screen") {
  KioskRig rig;
  UiHarness h;
  h.set_draw([&] { rig.frame(); });
  h.frames(2);
  CHECK_FALSE(rig.app().NextDeadline(rig.now).has_value());
  CHECK_FALSE(rig.app().Tick(rig.now + 1h));
  h.tap("Start");
  CHECK(rig.app().NextDeadline(rig.now).has_value());
}
