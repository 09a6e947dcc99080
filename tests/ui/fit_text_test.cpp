// FitText (widgets.hpp): a label laid out to fit a tile is read whole. It stays
// at its size when it fits, wraps at spaces, is drawn smaller (not under the
// floor) when a word is too wide, and ends in "…" only when nothing fits; and
// DrawFittedText notes the text it drew on the item before it.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <string>

#include <imgui.h>

#include "heed/ui/widgets.hpp"
#include "ui_harness.hpp"

using heed::test::UiHarness;
namespace ui = heed::ui;

namespace {

float width_of(ImFont* font, float size, const std::string& text) {
  return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x;
}

}  // namespace

TEST_CASE("ui.fit_text: a label stays whole — one line, two lines, smaller, and only then shortened") {
  UiHarness ui;
  ui.frame([&] {
    ImFont* font = ui::FontFor(ui::TextRole::body);
    const float size = font->FontSize;
    const float one = width_of(font, size, "Digital content");
    const float tall = size * 3.0f;  // room for two lines, not three

    // Fits: as it is.
    auto fitted = ui::FitText(font, "Digital content", ImVec2(one + 2.0f, tall));
    REQUIRE(fitted.lines.size() == 1);
    CHECK(fitted.lines[0] == "Digital content");
    CHECK(fitted.size == size);
    CHECK_FALSE(fitted.cut);

    // Too wide for one line: two lines at the font's own size.
    fitted = ui::FitText(font, "Digital content", ImVec2(one * 0.7f, tall));
    REQUIRE(fitted.lines.size() == 2);
    CHECK(fitted.lines[0] == "Digital");
    CHECK(fitted.lines[1] == "content");
    CHECK(fitted.size == size);
    CHECK(fitted.height() <= tall);
    CHECK_FALSE(fitted.cut);

    // One word wider than the room: smaller, whole, and within the room.
    const float word = width_of(font, size, "Cymeradwyo");
    fitted = ui::FitText(font, "Cymeradwyo", ImVec2(word * 0.85f, tall));
    REQUIRE(fitted.lines.size() == 1);
    CHECK(fitted.lines[0] == "Cymeradwyo");
    CHECK(fitted.size < size);
    CHECK(fitted.size >= size * 0.7f);
    CHECK(width_of(font, fitted.size, fitted.lines[0]) <= word * 0.85f);
    CHECK_FALSE(fitted.cut);

    // Two lines that do not fit the height at the font's size: smaller, still whole.
    const float two_lines_short = std::round(size * 1.12f) + size - 4.0f;
    fitted = ui::FitText(font, "Digital content", ImVec2(one * 0.7f, two_lines_short));
    REQUIRE(fitted.lines.size() == 2);
    CHECK(fitted.size < size);
    CHECK(fitted.height() <= two_lines_short);
    CHECK_FALSE(fitted.cut);

    // Nothing fits even at the floor: the last resort, marked as cut.
    fitted = ui::FitText(font, "Wedi'i huwchgyfeirio i Rheolwr ardal", ImVec2(word * 0.5f, size));
    REQUIRE(fitted.lines.size() == 1);
    CHECK(fitted.cut);
    CHECK(fitted.lines[0].ends_with("…"));
    CHECK(fitted.size == std::ceil(size * 0.7f));
    CHECK(width_of(font, fitted.size, fitted.lines[0]) <= word * 0.5f);
  });
}

TEST_CASE("ui.fit_text: the drawn text is noted on its tile, inside it, and cut only when shortened") {
  UiHarness ui;
  ui.frame([&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(900, 700));
    ImGui::Begin("fit", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    ImFont* font = ui::FontFor(ui::TextRole::body);
    ImGui::SetCursorScreenPos(ImVec2(100, 100));
    const ui::Tile whole = ui::TouchTile("Cyfryngau cymdeithasol##a", ImVec2(200, 100));
    ui::DrawFittedText(font, ui::FitText(font, "Cyfryngau cymdeithasol", ImVec2(184, 88)), ImVec2(108, 106),
                       ImVec2(292, 194), whole.text);
    ImGui::SetCursorScreenPos(ImVec2(100, 300));
    const ui::Tile tiny = ui::TouchTile("Cyfryngau cymdeithasol##b", ImVec2(100, 88));
    ui::DrawFittedText(font, ui::FitText(font, "Cyfryngau cymdeithasol", ImVec2(30, 20)), ImVec2(135, 334),
                       ImVec2(165, 354), tiny.text);
    ImGui::End();
  });
  const auto& a = ui.find("Cyfryngau cymdeithasol##a");
  CHECK(a.has_text());
  CHECK_FALSE(a.text_cut);
  CHECK(a.text_min.x >= 108.0f);
  CHECK(a.text_max.x <= 292.0f);
  CHECK(a.text_min.y >= 106.0f);
  CHECK(a.text_max.y <= 194.0f);
  CHECK(a.text_max.y - a.text_min.y > ui::FontFor(ui::TextRole::body)->FontSize);  // two lines
  CHECK(ui.find("Cyfryngau cymdeithasol##b").text_cut);
}
