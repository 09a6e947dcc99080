// The thanks screen: a tick in a circle, "Thank you", a line, and Done, as one
// centred block (lowered: at the bottom).
#include "heed/ui/thanks_screen.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void ThanksScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("thanks");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float radius = std::round(px(70.0f));
    const char* title = t.tr("kiosk.thanks.title");
    const char* body = t.tr("kiosk.thanks.body");
    const float body_width = std::min(page.width(), std::round(px(1100.0f)));
    const float title_height = TextBlockHeight(title, TextRole::display, page.width());
    const float body_height = TextBlockHeight(body, TextRole::body, body_width);
    const float button_height = NavHeight();
    const float block = radius * 2.0f + gap + title_height + gap * 0.5f + body_height + gap * 2.0f + button_height;
    float y = PlaceBlock(ctx, page.min.y, page.max.y, block);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 centre(std::round(page.min.x + page.width() * 0.5f), y + radius);
    draw->AddCircleFilled(centre, radius, ImGui::GetColorU32(p.primary), 64);
    const ImVec2 tick[3] = {ImVec2(centre.x - radius * 0.42f, centre.y + radius * 0.02f),
                            ImVec2(centre.x - radius * 0.12f, centre.y + radius * 0.32f),
                            ImVec2(centre.x + radius * 0.45f, centre.y - radius * 0.3f)};
    draw->AddPolyline(tick, 3, ImGui::GetColorU32(p.on_primary), 0, std::max(px(12.0f), 2.0f));
    y += radius * 2.0f + gap;
    y += TextBlock(title, TextRole::display, ImVec2(page.min.x, y), page.width(), 0.5f) + gap * 0.5f;
    y += TextBlock(body, TextRole::body, ImVec2(page.min.x + (page.width() - body_width) * 0.5f, y), body_width, 0.5f);
    y += gap * 2.0f;

    const char* done = t.tr("kiosk.thanks.done");
    const float width = std::max(std::round(px(420.0f)), ImGui::CalcTextSize(done).x + px(64.0f));
    ImGui::SetCursorScreenPos(ImVec2(std::round(page.min.x + (page.width() - width) * 0.5f), y));
    if (TouchButton((std::string(done) + "##thanks.done").c_str(), ImVec2(width, button_height), ButtonStyle::primary))
      out.push_back(intent::next());
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
