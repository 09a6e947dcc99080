// The privacy notice, over the call-back screen: its title, its text in a
// scrolling area, and Close. Dear ImGui 1.86 has no touch scrolling, so the area
// scrolls by dragging a finger over it (the idea of ocornut/imgui #3379), by the
// mouse wheel, and shows a scroll bar as a position hint.
#pragma once

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct PrivacyNotice {
  float scroll = 0.0f;      // how far the text is scrolled, in pixels
  float max_scroll = 0.0f;  // the most it can be, as of the last frame
  float drag_y = 0.0f;      // the finger's y on the last frame of a drag

  void Reset() { scroll = 0.0f; }
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
