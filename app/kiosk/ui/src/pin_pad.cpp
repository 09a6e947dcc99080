// The PIN pad overlay: a card with the title, the hint, a row of dots, the
// message line and a 3 x 4 pad (1-9, erase, 0, Enter), then Cancel. Keys' ids
// end in "##pin" so they never clash with a screen's numbers below the overlay.
#include "heed/ui/pin_pad.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <string>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void PinPad::Draw(const KioskContext& ctx, const StaffGate& gate, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginOverlay("##pin")) {
    const float gap = Gap();
    const float key_gap = std::round(px(14.0f));
    const ImVec2 key(std::round(px(200.0f)), std::max(TouchMinimum(), std::round(px(100.0f))));
    const float pad_width = key.x * 3.0f + key_gap * 2.0f;
    const float width = pad_width + CardPadding().x * 2.0f;
    const float inner = pad_width;
    const char* title = t.tr("staff.pin.title");
    const char* hint = t.tr("staff.pin.hint");
    const int locked_for = gate.lockout_seconds_left(ctx.now);
    std::string problem;
    if (locked_for > 0)
      problem = t.format("staff.pin.locked", {{"seconds", std::to_string(locked_for)}});
    else if (message == Message::wrong)
      problem = t.tr("staff.pin.wrong");
    // The line keeps its height with or without a message, so the pad never jumps.
    const float message_height = std::max(TextBlockHeight(t.tr("staff.pin.wrong"), TextRole::error, inner),
                                          TextBlockHeight(problem, TextRole::error, inner));
    const float dots = std::round(px(28.0f));
    const float height = CardPadding().y * 2.0f + TextBlockHeight(title, TextRole::title, inner) + gap * 0.5f +
                         TextBlockHeight(hint, TextRole::muted, inner) + gap + dots + gap * 0.75f + message_height +
                         gap * 0.75f + key.y * 4.0f + key_gap * 3.0f + gap + TouchMinimum();
    const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
    const float x0 = card.inner_min.x;
    float y = card.inner_min.y;
    y += TextBlock(title, TextRole::title, ImVec2(x0, y), inner, 0.5f) + gap * 0.5f;
    y += TextBlock(hint, TextRole::muted, ImVec2(x0, y), inner, 0.5f) + gap;

    // ---- Dots: one a digit entered, at least four places ----
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const std::size_t entered = gate.entered().size();
    const std::size_t places = std::max<std::size_t>(4, entered);
    const float dot_gap = std::round(px(22.0f));
    const float row = static_cast<float>(places) * dots + static_cast<float>(places - 1) * dot_gap;
    for (std::size_t i = 0; i < places; ++i) {
      const ImVec2 centre(
          std::round(x0 + (inner - row) * 0.5f + static_cast<float>(i) * (dots + dot_gap) + dots * 0.5f),
          y + dots * 0.5f);
      if (i < entered)
        draw->AddCircleFilled(centre, dots * 0.5f, ImGui::GetColorU32(p.text), 24);
      else
        draw->AddCircle(centre, dots * 0.5f - 1.5f, ImGui::GetColorU32(p.text_muted), 24, std::max(px(3.0f), 1.5f));
    }
    y += dots + gap * 0.75f;
    if (!problem.empty()) TextBlock(problem, TextRole::error, ImVec2(x0, y), inner, 0.5f);
    y += message_height + gap * 0.75f;

    // ---- The pad ----
    ImFont* font = FontFor(TextRole::title);
    const std::array<std::string, 12> labels{"1", "2", "3", "4", "5", "6",
                                             "7", "8", "9", "⌫", "0", t.tr("staff.pin.enter")};
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const float kx = x0 + static_cast<float>(i % 3) * (key.x + key_gap);
      const float ky = y + static_cast<float>(i / 3) * (key.y + key_gap);
      const bool enter = i == 11;
      const std::string id = labels[i] + (i == 9 ? "##pin.erase" : enter ? "##pin.enter" : "##pin");
      ImGui::SetCursorScreenPos(ImVec2(kx, ky));
      const Tile tile = TouchTile(id.c_str(), key, enter ? ButtonStyle::primary : ButtonStyle::secondary);
      ImFont* label_font = enter ? FontFor(TextRole::body) : font;
      const float font_size = FittedFontSize(label_font, labels[i], key.x - px(16.0f));  // "Mewngofnodi"
      const ImVec2 size = label_font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, labels[i].c_str());
      const ImVec2 at(std::round((tile.min.x + tile.max.x - size.x) * 0.5f),
                      std::round((tile.min.y + tile.max.y - size.y) * 0.5f));
      draw->AddText(label_font, font_size, at, tile.text, labels[i].c_str());
      NoteItemText(at, ImVec2(at.x + size.x, at.y + size.y));
      if (!tile.tapped) continue;
      if (i == 9)
        out.push_back(intent::pin_erase());
      else if (enter)
        out.push_back(intent::pin_submit());
      else
        out.push_back(intent::pin_digit(i == 10 ? 0 : static_cast<int>(i) + 1));
    }
    y += key.y * 4.0f + key_gap * 3.0f + gap;

    const char* cancel = t.tr("staff.pin.cancel");
    ImGui::SetCursorScreenPos(ImVec2(x0, y));
    if (TouchButton((std::string(cancel) + "##pin.cancel").c_str(), ImVec2(inner, TouchMinimum()),
                    ButtonStyle::secondary))
      out.push_back(intent::pin_cancel());
  }
  EndOverlay();
}

}  // namespace heed::ui
