// Input events fed to ImGui 1.86 a frame at a time, by 1.87's trickling rules.
#include "heed/ui/input_queue.hpp"

#include <cfloat>
#include <string>

#include <imgui_internal.h>  // ImTextCharFromUtf8

namespace heed::ui {
namespace {

// True when a change of key `index` must keep its order with text and other
// changes: ImGui reads it (it is some ImGuiKey_*'s mapping) and it means more
// than the character it types. A, C, V, X, Y, Z and Space are mapped for Ctrl
// shortcuts (and keyboard navigation, which Heed leaves off); pressed without
// Ctrl, Alt or Super they only type, so they never hold text back.
bool ordered(const ImGuiIO& io, int index, const InputQueue::Mods& mods) {
  bool mapped = false;
  for (const int key : io.KeyMap)
    if (key == index) mapped = true;
  if (!mapped || mods.ctrl || mods.alt || mods.super) return mapped;
  for (const ImGuiKey typing : {ImGuiKey_A, ImGuiKey_C, ImGuiKey_V, ImGuiKey_X, ImGuiKey_Y, ImGuiKey_Z, ImGuiKey_Space})
    if (io.KeyMap[typing] == index) return false;
  return true;
}

}  // namespace

void InputQueue::add_mouse_pos(ImVec2 position) {
  Event e;
  e.type = Type::mouse_pos;
  e.position = position;
  events_.push_back(e);
}

void InputQueue::add_mouse_button(int button, bool down) {
  if (button < 0 || button >= kButtons) return;
  Event e;
  e.type = Type::mouse_button;
  e.index = button;
  e.down = down;
  events_.push_back(e);
}

void InputQueue::add_mouse_wheel(float dx, float dy) {
  if (dx == 0.0f && dy == 0.0f) return;
  Event e;
  e.type = Type::mouse_wheel;
  e.position = ImVec2(dx, dy);
  events_.push_back(e);
}

void InputQueue::add_key(int index, bool down, Mods mods) {
  if (index < 0 || index >= kKeys) return;
  Event e;
  e.type = Type::key;
  e.index = index;
  e.down = down;
  e.mods = mods;
  events_.push_back(e);
}

void InputQueue::add_char(unsigned codepoint) {
  if (codepoint == 0) return;
  Event e;
  e.type = Type::text;
  e.code = codepoint;
  events_.push_back(e);
}

void InputQueue::add_text(std::string_view utf8) {
  // ImGui's own decoder: the same code points AddInputCharactersUTF8 would give.
  const std::string text(utf8);
  const char* at = text.c_str();
  const char* end = at + text.size();
  while (at < end) {
    unsigned int c = 0;
    const int used = ImTextCharFromUtf8(&c, at, end);
    if (used <= 0) break;
    at += used;
    add_char(c);
  }
}

void InputQueue::add_focus(bool focused) {
  Event e;
  e.type = Type::focus;
  e.down = focused;
  events_.push_back(e);
}

bool InputQueue::apply(ImGuiIO& io) {
  bool moved = false;
  bool wheeled = false;
  bool key_changed = false;
  bool typed = false;
  unsigned buttons_changed = 0;            // a bit a button
  std::array<bool, kKeys> keys_changed{};  // keys changed this frame
  while (!events_.empty()) {
    const Event& e = events_.front();
    bool stop = false;
    switch (e.type) {
      case Type::mouse_pos:
        if (e.position.x != mouse_pos_.x || e.position.y != mouse_pos_.y) {
          // A move after a click waits: the click happens where it was pressed.
          if (buttons_changed != 0 || wheeled || key_changed || typed) {
            stop = true;
            break;
          }
          mouse_pos_ = e.position;
          moved = true;
        }
        break;
      case Type::mouse_button:
        if (buttons_[static_cast<std::size_t>(e.index)] != e.down) {
          // A second change of the same button would undo the first unseen.
          if ((buttons_changed & (1U << e.index)) != 0 || wheeled) {
            stop = true;
            break;
          }
          buttons_[static_cast<std::size_t>(e.index)] = e.down;
          buttons_changed |= 1U << e.index;
        }
        break;
      case Type::mouse_wheel:
        if (moved || buttons_changed != 0) {
          stop = true;
          break;
        }
        io.MouseWheelH += e.position.x;
        io.MouseWheel += e.position.y;
        wheeled = true;
        break;
      case Type::key: {
        const auto index = static_cast<std::size_t>(e.index);
        if (keys_[index] != e.down) {
          // Keys that only type (letters, digits, modifiers) change nothing a
          // screen sees, so they never hold text or other keys back.
          const bool keeps_order = ordered(io, e.index, e.mods);
          if (keeps_order && (keys_changed[index] || typed || buttons_changed != 0)) {
            stop = true;
            break;
          }
          keys_[index] = e.down;
          keys_changed[index] = true;
          if (keeps_order) key_changed = true;
        }
        mods_ = e.mods;
        break;
      }
      case Type::text:
        // Text after Return (or a tap) belongs to what Return (or the tap) leads to.
        if (key_changed || buttons_changed != 0 || moved || wheeled) {
          stop = true;
          break;
        }
        io.AddInputCharacter(e.code);
        typed = true;
        break;
      case Type::focus:
        io.AddFocusEvent(e.down);
        if (!e.down) {
          keys_.fill(false);  // the keys let go while away are never reported
          buttons_.fill(false);
          mods_ = Mods{};
        }
        break;
    }
    if (stop) break;
    events_.pop_front();
  }
  write_state(io);
  return !events_.empty();
}

void InputQueue::write_state(ImGuiIO& io) const {
  io.MousePos = mouse_pos_;
  for (int i = 0; i < kButtons; ++i) io.MouseDown[i] = buttons_[static_cast<std::size_t>(i)];
  for (int i = 0; i < kKeys; ++i) io.KeysDown[i] = keys_[static_cast<std::size_t>(i)];
  io.KeyCtrl = mods_.ctrl;
  io.KeyShift = mods_.shift;
  io.KeyAlt = mods_.alt;
  io.KeySuper = mods_.super;
}

}  // namespace heed::ui
