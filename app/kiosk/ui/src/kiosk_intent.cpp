// The intent shorthands.
#include "heed/ui/kiosk_intent.hpp"

#include <utility>

namespace heed::ui {
namespace intent {
namespace {
using Kind = KioskIntent::Kind;
KioskIntent make(Kind kind) {
  KioskIntent i;
  i.kind = kind;
  return i;
}
}  // namespace

KioskIntent start() { return make(Kind::start); }
KioskIntent choose_language(std::string_view code) {
  auto i = make(Kind::choose_language);
  i.text = std::string(code);
  return i;
}
KioskIntent set_preferences(const KioskPreferences& preferences) {
  auto i = make(Kind::set_preferences);
  i.preferences = preferences;
  return i;
}
KioskIntent rate_csat(int score) {
  auto i = make(Kind::rate_csat);
  i.number = score;
  return i;
}
KioskIntent rate_nps(int score) {
  auto i = make(Kind::rate_nps);
  i.number = score;
  return i;
}
KioskIntent edit_comment(std::string text) {
  auto i = make(Kind::edit_comment);
  i.text = std::move(text);
  return i;
}
KioskIntent set_consent(bool ticked) {
  auto i = make(Kind::set_consent);
  i.flag = ticked;
  return i;
}
KioskIntent edit_contact(TextTarget field, std::string text) {
  auto i = make(Kind::edit_contact);
  i.target = field;
  i.text = std::move(text);
  return i;
}
KioskIntent show_privacy(bool open) {
  auto i = make(Kind::show_privacy);
  i.flag = open;
  return i;
}
KioskIntent next() { return make(Kind::next); }
KioskIntent skip() { return make(Kind::skip); }
KioskIntent back() { return make(Kind::back); }
KioskIntent need_more_time() { return make(Kind::need_more_time); }
KioskIntent keep_alive() { return make(Kind::keep_alive); }
KioskIntent focus(TextTarget target) {
  auto i = make(Kind::focus);
  i.target = target;
  return i;
}
KioskIntent corner(bool held) {
  auto i = make(Kind::corner);
  i.flag = held;
  return i;
}
KioskIntent pin_digit(int digit) {
  auto i = make(Kind::pin_digit);
  i.number = digit;
  return i;
}
KioskIntent pin_erase() { return make(Kind::pin_erase); }
KioskIntent pin_submit() { return make(Kind::pin_submit); }
KioskIntent pin_cancel() { return make(Kind::pin_cancel); }
KioskIntent staff_switch_mode() { return make(Kind::staff_switch_mode); }
KioskIntent staff_exit() { return make(Kind::staff_exit); }
KioskIntent staff_exit_confirm(bool exit) {
  auto i = make(Kind::staff_exit_confirm);
  i.flag = exit;
  return i;
}
KioskIntent staff_close() { return make(Kind::staff_close); }
KioskIntent staff_enrol_open(bool open) {
  auto i = make(Kind::staff_enrol_open);
  i.flag = open;
  return i;
}
KioskIntent staff_enrol_edit(std::string code) {
  auto i = make(Kind::staff_enrol_edit);
  i.text = std::move(code);
  return i;
}
KioskIntent staff_enrol_submit() { return make(Kind::staff_enrol_submit); }
}  // namespace intent

ContactField contact_field(TextTarget target) {
  switch (target) {
    case TextTarget::email:
      return ContactField::email;
    case TextTarget::phone:
      return ContactField::phone;
    default:
      return ContactField::name;
  }
}

}  // namespace heed::ui
