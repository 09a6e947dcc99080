// The NPS screen: header, a row of eleven number tiles with the end labels under
// it, placed in the free space, and the nav bar.
#include "heed/ui/nps_screen.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void NpsScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("nps");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float top = QuestionHeader(ctx, page, ctx.flow.questions().wording(ctx.flow.language(), "nps")) + gap;
    float bottom = NavTop(page) - gap;
    bottom -= SaveErrorLine(ctx, page, bottom);

    const float tile_gap = std::round(px(14.0f));
    const float tile_width = std::floor(std::min((page.width() - tile_gap * 10.0f) / 11.0f, std::round(px(150.0f))));
    const float tile_height = std::max(TouchMinimum(), std::round(std::max(tile_width, px(140.0f))));
    const float row_width = tile_width * 11.0f + tile_gap * 10.0f;
    const float x0 = std::round(page.min.x + (page.width() - row_width) * 0.5f);

    // The end labels share the row's width; each may wrap within its half.
    const char* low = t.tr("kiosk.nps.low");
    const char* high = t.tr("kiosk.nps.high");
    const float label_width = std::floor(row_width * 0.5f - tile_gap);
    const float labels_height =
        std::max(TextBlockHeight(low, TextRole::body, label_width), TextBlockHeight(high, TextRole::body, label_width));
    const float block = tile_height + std::round(px(16.0f)) + labels_height;
    const float y0 = PlaceBlock(ctx, top, bottom, block);

    ImFont* number_font = FontFor(TextRole::title);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int score = 0; score <= 10; ++score) {
      const std::string number = std::to_string(score);
      const std::string id = number + "##nps" + number;
      ImGui::SetCursorScreenPos(ImVec2(x0 + static_cast<float>(score) * (tile_width + tile_gap), y0));
      const bool chosen = ctx.flow.nps() == score;
      const Tile tile = TouchTile(id.c_str(), ImVec2(tile_width, tile_height), ButtonStyle::secondary, chosen);
      const ImVec2 size = number_font->CalcTextSizeA(number_font->FontSize, FLT_MAX, 0.0f, number.c_str());
      const ImVec2 at(std::round((tile.min.x + tile.max.x - size.x) * 0.5f),
                      std::round((tile.min.y + tile.max.y - size.y) * 0.5f));
      draw->AddText(number_font, number_font->FontSize, at, tile.text, number.c_str());
      NoteItemText(at, ImVec2(at.x + size.x, at.y + size.y));
      if (tile.tapped) out.push_back(intent::rate_nps(score));
    }
    const float labels_y = y0 + tile_height + std::round(px(16.0f));
    TextBlock(low, TextRole::body, ImVec2(x0, labels_y), label_width, 0.0f);
    TextBlock(high, TextRole::body, ImVec2(x0 + row_width - label_width, labels_y), label_width, 1.0f);

    NavBar(ctx, page, NavSpec{.back = true, .skip = false, .next = ctx.flow.nps().has_value()}, out);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
