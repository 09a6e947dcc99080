// Input events queued between frames and fed to Dear ImGui 1.86 without losing
// any. ImGui 1.86 has no input queue of its own (io.Add*Event came in 1.87): a
// backend writes io.KeysDown[] and io.MouseDown[] directly, so a key pressed and
// released between two frames never shows as pressed, and every character typed
// before a frame lands in that one frame, whatever key came between them. A
// barcode scanner or a quick typist loses Backspaces, and text typed after Return
// lands in the field Return was meant to leave.
//
// InputQueue keeps the events in order and applies them a frame at a time the
// way 1.87's "trickling" does: in one frame it applies events until one would
// conflict with an event already applied — the same key or mouse button changing
// a second time, text after a key or button change, a key or button change after
// text, a move after a button change — and leaves that one and the rest for the
// next frame. While events are left, the caller draws frames straight away.
//
//   InputQueue queue;                   // the platform's callbacks add events
//   queue.add_key(GLFW_KEY_BACKSPACE, true, {});
//   queue.apply(ImGui::GetIO());        // before each ImGui::NewFrame()
//   if (!queue.empty()) draw_again();
//
// Invariants: every event is applied exactly once, in the order it was added;
// the queue owns the mouse position, mouse buttons and keys it has applied and
// writes them to io on every apply (a backend's NewFrame may have overwritten
// them); keys that only type (not in io.KeyMap, or A/C/V/X/Y/Z/Space without
// Ctrl, Alt or Super) never hold text back, so typing drains in a frame. UI
// thread only. No window needed: tests feed it the same way.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <string_view>

#include <imgui.h>

namespace heed::ui {

class InputQueue {
 public:
  // Modifier keys held with a key event (io.KeyCtrl, KeyShift, KeyAlt, KeySuper).
  struct Mods {
    bool ctrl = false, shift = false, alt = false, super = false;
  };

  // The pointer moved to `position` (ImVec2(-FLT_MAX, -FLT_MAX): no pointer).
  void add_mouse_pos(ImVec2 position);
  // Mouse button `button` (0 left, 1 right, 2 middle, up to 4) went down or up.
  void add_mouse_button(int button, bool down);
  void add_mouse_wheel(float dx, float dy);
  // Key `index` (an io.KeysDown[] index, as io.KeyMap maps ImGuiKey_*) went down or up.
  void add_key(int index, bool down, Mods mods);
  // One typed character (a Unicode code point); 0 is ignored.
  void add_char(unsigned codepoint);
  // Typed UTF-8 text, as characters.
  void add_text(std::string_view utf8);
  // The window gained or lost focus; losing it lets go of every key and button.
  void add_focus(bool focused);

  // Applies the events one frame may take to `io` and writes the pointer, button
  // and key state to it. Call once before each ImGui::NewFrame(). True when
  // events are left for a later frame.
  bool apply(ImGuiIO& io);

  bool empty() const { return events_.empty(); }
  std::size_t size() const { return events_.size(); }

 private:
  enum class Type { mouse_pos, mouse_button, mouse_wheel, key, text, focus };
  struct Event {
    Type type = Type::text;
    ImVec2 position;    // mouse_pos; mouse_wheel (x, y)
    int index = 0;      // mouse_button: the button; key: the KeysDown index
    bool down = false;  // mouse_button, key; focus: focused
    unsigned code = 0;  // text
    Mods mods;          // key
  };
  static constexpr int kKeys = static_cast<int>(sizeof(ImGuiIO::KeysDown) / sizeof(bool));
  static constexpr int kButtons = static_cast<int>(sizeof(ImGuiIO::MouseDown) / sizeof(bool));

  void write_state(ImGuiIO& io) const;

  std::deque<Event> events_;
  ImVec2 mouse_pos_{-FLT_MAX, -FLT_MAX};
  std::array<bool, kButtons> buttons_{};
  std::array<bool, kKeys> keys_{};
  Mods mods_;
};

}  // namespace heed::ui
