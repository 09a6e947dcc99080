// What a person asks for on the kiosk's screens and overlays, as values. Screens
// only draw and append intents; KioskApp::apply carries each one out: the
// customer's through KioskFlow (core), the staff's through StaffGate, and the few
// that only change a screen's view (which field the keyboard types into) through
// that screen. A test, the screenshot tour or a benchmark reaches any screen by
// sending the same intents a finger would.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "heed/kiosk_flow.hpp"
#include "heed/ui/i18n.hpp"

namespace heed::ui {

// The text the on-screen keyboard types into.
enum class TextTarget { none, comment, name, email, phone };

struct KioskIntent {
  enum class Kind {
    none,
    // The customer: KioskFlow's intents.
    start,            // Start on the welcome screen
    choose_language,  // text: the language code
    set_preferences,  // preferences: the accessibility choices
    rate_csat,        // number: 1-5
    rate_nps,         // number: 0-10
    edit_comment,     // text: the whole new comment
    set_consent,      // flag: ticked
    edit_contact,     // target (name, email or phone), text: the whole new value
    show_privacy,     // flag: open (true) or close the privacy notice
    next,             // Continue / Send / Done on thanks
    skip,
    back,
    need_more_time,
    keep_alive,  // a touch that is no other intent (on the idle warning, off its button)
    // A screen's view.
    focus,  // target: the field the keyboard types into; none closes the keyboard
    // Staff.
    corner,     // flag: the hidden corner is held (true) or was let go
    pin_digit,  // number: 0-9
    pin_erase,
    pin_submit,
    pin_cancel,
    staff_switch_mode,   // "Switch to staff mode"
    staff_exit,          // "Exit Heed": asks to confirm
    staff_exit_confirm,  // flag: confirmed (true: exit) or not (false: back to the menu)
    staff_close,         // "Back to the kiosk"
    staff_enrol_open,    // flag: open (true) or close the enrolment code entry
    staff_enrol_edit,    // text: the whole code typed so far
    staff_enrol_submit,
  };
  Kind kind = Kind::none;
  int number = 0;
  bool flag = false;
  std::string text;
  TextTarget target = TextTarget::none;
  KioskPreferences preferences;
};
using KioskIntents = std::vector<KioskIntent>;

// Shorthands, as a screen or a script writes them.
namespace intent {
KioskIntent start();
KioskIntent choose_language(std::string_view code);
KioskIntent set_preferences(const KioskPreferences& preferences);
KioskIntent rate_csat(int score);
KioskIntent rate_nps(int score);
KioskIntent edit_comment(std::string text);
KioskIntent set_consent(bool ticked);
KioskIntent edit_contact(TextTarget field, std::string text);
KioskIntent show_privacy(bool open);
KioskIntent next();
KioskIntent skip();
KioskIntent back();
KioskIntent need_more_time();
KioskIntent keep_alive();
KioskIntent focus(TextTarget target);
KioskIntent corner(bool held);
KioskIntent pin_digit(int digit);
KioskIntent pin_erase();
KioskIntent pin_submit();
KioskIntent pin_cancel();
KioskIntent staff_switch_mode();
KioskIntent staff_exit();
KioskIntent staff_exit_confirm(bool exit);
KioskIntent staff_close();
KioskIntent staff_enrol_open(bool open);
KioskIntent staff_enrol_edit(std::string code);
KioskIntent staff_enrol_submit();
}  // namespace intent

// What every kiosk screen reads while it draws; borrowed for the call.
struct KioskContext {
  const KioskFlow& flow;
  const Catalog& text;       // the customer's language
  KioskFlow::TimePoint now;  // the frame's time (for countdowns)
  bool lowered = false;      // every control in the lower part of the display
};

// The contact field of a text target (name for anything else).
ContactField contact_field(TextTarget target);

}  // namespace heed::ui
