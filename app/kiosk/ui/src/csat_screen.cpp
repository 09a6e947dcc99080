// The CSAT screen: header, a row of five face tiles placed in the free space
// (centred, or low for the lowered layout), and the nav bar. Each tile's word
// stays inside its tile in every language and text size: it wraps at spaces onto
// more lines, and a word wider than the tile is drawn smaller; the tiles grow to
// the tallest word so every face keeps its size and place.
#include "heed/ui/csat_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

namespace {

// A face tile's word laid out to fit `width`: its lines at `size` (the font's
// own size, or smaller when one word is wider than the tile).
struct FaceWord {
  std::vector<std::string> lines;
  float size = 0;
  float line_height = 0;
  float height() const { return line_height * static_cast<float>(lines.size()); }
};

FaceWord fit_face_word(ImFont* font, std::string_view word, float width) {
  const auto measure = [font](float size, std::string_view text) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
  };
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at < word.size();) {
    const std::size_t end = std::min(word.find(' ', at), word.size());
    if (end > at) words.push_back(word.substr(at, end - at));
    at = end + 1;
  }
  FaceWord out;
  out.size = font->FontSize;
  for (const auto each : words) {
    const float w = measure(font->FontSize, each);
    if (w > width) out.size = std::min(out.size, std::floor(font->FontSize * width / w));
  }
  out.line_height = std::round(out.size * 1.12f);
  std::string line;
  for (const auto each : words) {
    const std::string longer = line.empty() ? std::string(each) : line + " " + std::string(each);
    if (!line.empty() && measure(out.size, longer) > width) {
      out.lines.push_back(std::move(line));
      line = std::string(each);
    } else {
      line = longer;
    }
  }
  if (!line.empty() || out.lines.empty()) out.lines.push_back(std::move(line));
  return out;
}

}  // namespace

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
    const float word_room = tile_width - std::round(px(24.0f));  // a margin each side inside the tile
    std::array<FaceWord, 5> words;
    float words_height = word_font->FontSize * 2.2f;  // one line with room around it, as before
    for (int score = 1; score <= 5; ++score) {
      auto& word = words[static_cast<std::size_t>(score - 1)];
      word = fit_face_word(word_font, t.tr("kiosk.csat." + std::to_string(score)), word_room);
      words_height = std::max(words_height, word.height() + word_font->FontSize * 1.1f);
    }
    const float face_part = std::round(tile_width * 0.72f);
    const float tile_height = std::max(TouchMinimum(), std::round(face_part + words_height));
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
      const float radius = std::round(std::min(tile_width * 0.34f, face_part * 0.45f));
      const ImVec2 centre(std::round((tile.min.x + tile.max.x) * 0.5f),
                          tile.min.y + radius + (face_part + word_font->FontSize * 2.2f) * 0.09f);
      DrawFace(draw, centre, radius, score, ImGui::GetColorU32(p.face), ImGui::GetColorU32(p.face_line));
      // The word, centred below the face; recorded as text so a test sees where it went.
      const FaceWord& fitted = words[static_cast<std::size_t>(score - 1)];
      float line_y = std::round((centre.y + radius + tile.max.y - fitted.height()) * 0.5f);
      float left = tile.max.x, right = tile.min.x;
      const float word_top = line_y;
      for (const auto& line : fitted.lines) {
        const float width = word_font->CalcTextSizeA(fitted.size, FLT_MAX, 0.0f, line.c_str()).x;
        const float x = std::round((tile.min.x + tile.max.x - width) * 0.5f);
        draw->AddText(word_font, fitted.size, ImVec2(x, line_y), tile.text, line.c_str());
        left = std::min(left, x);
        right = std::max(right, x + width);
        line_y += fitted.line_height;
      }
      const ImVec2 after = ImGui::GetCursorScreenPos();
      ImGui::SetCursorScreenPos(ImVec2(left, word_top));
      ImGui::Dummy(ImVec2(std::max(right - left, 1.0f), std::max(line_y - word_top, 1.0f)));
      RecordLastItem(ItemKind::text, word);
      ImGui::SetCursorScreenPos(after);
      if (tile.tapped) out.push_back(intent::rate_csat(score));
    }
    NavBar(ctx, page, NavSpec{.back = true, .skip = false, .next = ctx.flow.csat().has_value()}, out);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
