// The idle warning overlay: a card with the question, a countdown ring with the
// seconds left, the sentence that says what will happen, and the button.
#include "heed/ui/idle_warning.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numbers>
#include <string>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void IdleWarning::Draw(const KioskContext& ctx, const IdleStatus& status, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginOverlay("##idle")) {
    const float gap = Gap();
    const float width = px(1100.0f);
    const float inner = width - CardPadding().x * 2.0f;
    const char* title = t.tr("kiosk.idle.title");
    const std::string body = t.format("kiosk.idle.body", {{"seconds", std::to_string(status.seconds_left)}});
    const char* more = t.tr("kiosk.idle.more_time");
    const float radius = std::round(px(64.0f));
    const float button_height = std::round(px(120.0f));
    const float height = CardPadding().y * 2.0f + TextBlockHeight(title, TextRole::title, inner) + gap + radius * 2.0f +
                         gap + TextBlockHeight(body, TextRole::body, inner) + gap * 1.5f + button_height;
    const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
    float y = card.inner_min.y;
    y += TextBlock(title, TextRole::title, ImVec2(card.inner_min.x, y), card.inner_width(), 0.5f) + gap;

    // A ring that empties as the seconds run out, the number inside.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 centre(std::round((card.min.x + card.max.x) * 0.5f), y + radius);
    const float total = static_cast<float>(std::max<long long>(ctx.flow.settings().idle.reset_after.count(), 1));
    const float share = std::clamp(static_cast<float>(status.seconds_left) / total, 0.0f, 1.0f);
    const float ring = std::max(px(10.0f), 2.0f);
    draw->AddCircle(centre, radius - ring * 0.5f, ImGui::GetColorU32(p.secondary), 64, ring);
    if (share > 0.0f) {
      const float start = -std::numbers::pi_v<float> * 0.5f;
      draw->PathArcTo(centre, radius - ring * 0.5f, start, start + share * 2.0f * std::numbers::pi_v<float>, 64);
      draw->PathStroke(ImGui::GetColorU32(p.primary), 0, ring);
    }
    ImFont* number_font = FontFor(TextRole::title);
    const std::string seconds = std::to_string(status.seconds_left);
    const ImVec2 size = number_font->CalcTextSizeA(number_font->FontSize, FLT_MAX, 0.0f, seconds.c_str());
    draw->AddText(number_font, number_font->FontSize,
                  ImVec2(std::round(centre.x - size.x * 0.5f), std::round(centre.y - size.y * 0.5f)),
                  ImGui::GetColorU32(p.text), seconds.c_str());
    y += radius * 2.0f + gap;
    y += TextBlock(body, TextRole::body, ImVec2(card.inner_min.x, y), card.inner_width(), 0.5f) + gap * 1.5f;

    ImGui::PushFont(FontFor(TextRole::heading));
    const float button_width =
        std::min(card.inner_width(), std::max(px(640.0f), ImGui::CalcTextSize(more).x + px(96.0f)));
    ImGui::SetCursorScreenPos(ImVec2(std::round((card.min.x + card.max.x - button_width) * 0.5f), y));
    const bool more_time = TouchButton((std::string(more) + "##idle.more").c_str(), ImVec2(button_width, button_height),
                                       ButtonStyle::primary);
    ImGui::PopFont();
    if (more_time)
      out.push_back(intent::need_more_time());
    else if (ImGui::IsMouseReleased(0))
      out.push_back(intent::keep_alive());  // "I am still here"
  }
  EndOverlay();
}

}  // namespace heed::ui
