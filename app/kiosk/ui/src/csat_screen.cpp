// The CSAT screen: header, a row of five face tiles placed in the free space
// (centred, or low for the lowered layout), and the nav bar.
#include "heed/ui/csat_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

void DrawFace(ImDrawList* draw, ImVec2 c, float r, int score, ImU32 fill, ImU32 line) {
  const float stroke = std::max(r * 0.075f, 1.5f);
  draw->AddCircleFilled(c, r, fill, 64);
  draw->AddCircle(c, r - stroke * 0.5f, line, 64, stroke);
  // Eyes.
  const float eye_x = r * 0.34f;
  const float eye_y = c.y - r * 0.2f;
  const float eye_r = r * 0.1f;
  draw->AddCircleFilled(ImVec2(c.x - eye_x, eye_y), eye_r, line, 24);
  draw->AddCircleFilled(ImVec2(c.x + eye_x, eye_y), eye_r, line, 24);
  if (score == 1) {  // brows raised at the middle: upset
    draw->AddLine(ImVec2(c.x - eye_x - r * 0.17f, eye_y - r * 0.17f),
                  ImVec2(c.x - eye_x + r * 0.13f, eye_y - r * 0.29f), line, stroke);
    draw->AddLine(ImVec2(c.x + eye_x + r * 0.17f, eye_y - r * 0.17f),
                  ImVec2(c.x + eye_x - r * 0.13f, eye_y - r * 0.29f), line, stroke);
  }
  // Mouth: a curve whose middle bends down (frown) or up (smile) with the score.
  constexpr std::array<float, 5> kBend{-0.22f, -0.12f, 0.0f, 0.17f, 0.30f};
  const float bend = kBend[static_cast<std::size_t>(std::clamp(score, 1, 5) - 1)] * r;
  const float half = r * 0.42f;
  const float corner_y = c.y + r * 0.38f - bend * 0.5f;
  const ImVec2 left(c.x - half, corner_y);
  const ImVec2 right(c.x + half, corner_y);
  const ImVec2 control(c.x, corner_y + bend * 2.0f);
  if (score == 5) {  // an open, filled smile
    draw->PathLineTo(left);
    draw->PathBezierQuadraticCurveTo(control, right, 24);
    draw->PathFillConvex(line);
  } else if (score == 3) {
    draw->AddLine(left, right, line, stroke);
  } else {
    draw->AddBezierQuadratic(left, control, right, line, stroke, 24);
  }
}

void CsatScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("csat");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float top = QuestionHeader(ctx, page, ctx.flow.questions().wording(ctx.flow.language(), "csat")) + gap;
    float bottom = NavTop(page) - gap;
    bottom -= SaveErrorLine(ctx, page, bottom);

    const float tile_gap = gap;
    const float tile_width = std::floor(std::min((page.width() - tile_gap * 4.0f) / 5.0f, std::round(px(330.0f))));
    ImFont* word_font = FontFor(TextRole::heading);
    const float tile_height = std::max(TouchMinimum(), std::round(tile_width * 0.72f + word_font->FontSize * 2.2f));
    const float row_width = tile_width * 5.0f + tile_gap * 4.0f;
    const float x0 = std::round(page.min.x + (page.width() - row_width) * 0.5f);
    const float y0 = PlaceBlock(ctx, top, bottom, tile_height);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int score = 1; score <= 5; ++score) {
      const std::string word = t.tr("kiosk.csat." + std::to_string(score));
      const std::string id = word + "##csat" + std::to_string(score);
      ImGui::SetCursorScreenPos(ImVec2(x0 + static_cast<float>(score - 1) * (tile_width + tile_gap), y0));
      const bool chosen = ctx.flow.csat() == score;
      const Tile tile = TouchTile(id.c_str(), ImVec2(tile_width, tile_height), ButtonStyle::secondary, chosen);
      const float radius = std::round(std::min(tile_width * 0.34f, (tile_height - word_font->FontSize * 2.2f) * 0.45f));
      const ImVec2 centre(std::round((tile.min.x + tile.max.x) * 0.5f), tile.min.y + radius + tile_height * 0.09f);
      DrawFace(draw, centre, radius, score, ImGui::GetColorU32(p.face), ImGui::GetColorU32(p.face_line));
      const ImVec2 word_size = word_font->CalcTextSizeA(word_font->FontSize, FLT_MAX, 0.0f, word.c_str());
      const float word_y = std::round((centre.y + radius + tile.max.y - word_size.y) * 0.5f);
      draw->AddText(word_font, word_font->FontSize,
                    ImVec2(std::round((tile.min.x + tile.max.x - word_size.x) * 0.5f), word_y), tile.text,
                    word.c_str());
      if (tile.tapped) out.push_back(intent::rate_csat(score));
    }
    NavBar(ctx, page, NavSpec{.back = true, .skip = false, .next = ctx.flow.csat().has_value()}, out);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
