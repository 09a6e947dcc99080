// The privacy notice overlay. The text area is one invisible button: while a
// finger holds it, the text follows the finger's vertical movement (measured from
// the finger's own last position, so a press far from the last touch does not
// jump).
#include "heed/ui/privacy_notice.hpp"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void PrivacyNotice::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginOverlay("##privacy")) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float gap = Gap();
    // As tall as the text needs, at most the display: then it scrolls.
    const float card_width = std::min(px(1400.0f), viewport->Size.x - ImGui::GetStyle().WindowPadding.x * 2.0f);
    const float text_width_guess = card_width - CardPadding().x * 2.0f - std::round(px(10.0f)) * 3.0f;
    ImFont* body_font = FontFor(TextRole::body);
    const float wanted = CardPadding().y * 2.0f + TextBlockHeight(t.tr("privacy.title"), TextRole::title, card_width) +
                         gap +
                         static_cast<float>(WrapLines(body_font, t.tr("privacy.body"), text_width_guess).size()) *
                             std::round(body_font->FontSize * 1.25f) +
                         gap + NavHeight();
    const Card card = OverlayCard(ImVec2(card_width, std::min(wanted, viewport->Size.y)), ctx.lowered);
    float y = card.inner_min.y;
    y += TextBlock(t.tr("privacy.title"), TextRole::title, ImVec2(card.inner_min.x, y), card.inner_width()) + gap;

    // ---- Close, at the card's bottom right ----
    const char* close = t.tr("privacy.close");
    const float close_width = std::max(std::round(px(300.0f)), ImGui::CalcTextSize(close).x + px(64.0f));
    const float close_top = card.inner_max.y - NavHeight();
    ImGui::SetCursorScreenPos(ImVec2(card.inner_max.x - close_width, close_top));
    if (TouchButton((std::string(close) + "##privacy.close").c_str(), ImVec2(close_width, NavHeight()),
                    ButtonStyle::primary))
      out.push_back(intent::show_privacy(false));

    // ---- The text area ----
    const float bar = std::round(px(10.0f));
    const ImVec2 area_min(card.inner_min.x, y);
    const ImVec2 area_max(card.inner_max.x, close_top - gap);
    const ImVec2 area_size(area_max.x - area_min.x, std::max(area_max.y - area_min.y, 1.0f));
    ImGui::SetCursorScreenPos(area_min);
    ImGui::InvisibleButton("##privacy.text", area_size);
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsItemActivated()) drag_y = io.MousePos.y;
    if (ImGui::IsItemActive()) {
      scroll += drag_y - io.MousePos.y;  // the text follows the finger
      drag_y = io.MousePos.y;
    }
    ImFont* font = FontFor(TextRole::body);
    const float line_height = std::round(font->FontSize * 1.25f);
    if (ImGui::IsItemHovered()) scroll -= io.MouseWheel * line_height * 3.0f;

    const float text_width = area_size.x - bar * 3.0f;
    const auto lines = WrapLines(font, t.tr("privacy.body"), text_width);
    const float content = static_cast<float>(lines.size()) * line_height;
    max_scroll = std::max(0.0f, content - area_size.y);
    scroll = std::clamp(scroll, 0.0f, max_scroll);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(area_min, area_max, true);
    const ImU32 colour = ImGui::GetColorU32(p.text);
    float line_y = area_min.y - scroll;
    for (const auto line : lines) {
      if (line_y + line_height >= area_min.y && line_y <= area_max.y)
        draw->AddText(font, font->FontSize, ImVec2(area_min.x, std::round(line_y)), colour, line.data(),
                      line.data() + line.size());
      line_y += line_height;
    }
    draw->PopClipRect();
    RecordLastItem(ItemKind::text, t.tr("privacy.body"));

    // The bar: where in the text the customer is, and that there is more.
    if (max_scroll > 0.0f) {
      const float track = area_size.y;
      const float thumb = std::max(track * area_size.y / content, px(60.0f));
      const float thumb_y = area_min.y + (track - thumb) * (scroll / max_scroll);
      const float x = area_max.x - bar;
      draw->AddRectFilled(ImVec2(x, area_min.y), ImVec2(x + bar, area_max.y), ImGui::GetColorU32(p.secondary),
                          bar * 0.5f);
      draw->AddRectFilled(ImVec2(x, thumb_y), ImVec2(x + bar, thumb_y + thumb), ImGui::GetColorU32(p.text_muted),
                          bar * 0.5f);
    }
  }
  EndOverlay();
}

}  // namespace heed::ui
