// The CSAT question: five large faces, from very poor to very good, each with its
// word, drawn with ImDrawList (no emoji font needed). A tap rates and moves on;
// after Back the chosen face shows filled and Continue appears.
#pragma once

#include <imgui.h>

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct CsatScreen {
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

// A face for a rating of 1 (very poor) to 5 (very good), centred on `centre`.
void DrawFace(ImDrawList* draw, ImVec2 centre, float radius, int score, ImU32 fill, ImU32 line);

}  // namespace heed::ui
