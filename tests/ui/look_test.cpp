// The look: every theme's text colours meet WCAG AA against what they are drawn
// on, hovered colours equal normal ones (touch), the display scale, and the
// fonts (read once, the larger-text set loaded when first chosen).
#include <doctest/doctest.h>

#include <imgui.h>

#include "heed/contrast.hpp"
#include "heed/ui/look.hpp"
#include "ui_harness.hpp"

namespace ui = heed::ui;

namespace {

heed::Rgb rgb(const ImVec4& c) { return heed::Rgb{c.x, c.y, c.z}; }

void check_contrast(const char* what, const ImVec4& text, const ImVec4& ground) {
  CAPTURE(what);
  const float ratio = heed::contrast_ratio(rgb(text), rgb(ground));
  CAPTURE(ratio);
  CHECK(ratio >= heed::kMinTextContrast);
}

}  // namespace

TEST_CASE("ui.look: every theme's text meets WCAG AA on what it is drawn on") {
  for (const auto theme : {heed::Theme::standard, heed::Theme::high_contrast}) {
    CAPTURE(heed::theme_name(theme));
    const ui::Palette& p = ui::palette_for(theme);
    check_contrast("text on background", p.text, p.background);
    check_contrast("text on surface", p.text, p.surface);
    check_contrast("muted on background", p.text_muted, p.background);
    check_contrast("muted on surface", p.text_muted, p.surface);
    check_contrast("brand on background", p.brand, p.background);
    check_contrast("on_primary on primary", p.on_primary, p.primary);
    check_contrast("on_primary on primary_pressed", p.on_primary, p.primary_pressed);
    check_contrast("on_secondary on secondary", p.on_secondary, p.secondary);
    check_contrast("on_secondary on secondary_pressed", p.on_secondary, p.secondary_pressed);
    check_contrast("on_badge on good", p.on_badge, p.good);
    check_contrast("on_badge on attention", p.on_badge, p.attention);
    // The kiosk's colours: text in fields, errors beside them, the faces' features.
    check_contrast("text on field", p.text, p.field);
    check_contrast("muted on field", p.text_muted, p.field);
    check_contrast("error on background", p.error, p.background);
    check_contrast("error on surface", p.error, p.surface);
    check_contrast("face_line on face", p.face_line, p.face);
    check_contrast("primary (caret, focus ring) on field", p.primary, p.field);
    check_contrast("on_secondary on field (tick box)", p.on_secondary, p.field);
  }
  // High contrast means more than AA: 7:1 (AAA) for running text.
  const ui::Palette& hc = ui::palette_for(heed::Theme::high_contrast);
  CHECK(heed::contrast_ratio(rgb(hc.text), rgb(hc.background)) >= 7.0f);
  CHECK(heed::contrast_ratio(rgb(hc.on_primary), rgb(hc.primary)) >= 7.0f);
}

TEST_CASE("ui.look: hovered colours equal normal ones and sizes scale") {
  ImGuiContext* context = ImGui::CreateContext();
  for (const auto theme : {heed::Theme::standard, heed::Theme::high_contrast}) {
    ImGuiStyle style;
    ui::apply_touch_style(style, theme, 2.0f);
    const auto same = [](const ImVec4& a, const ImVec4& b) {
      return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w;
    };
    CHECK(same(style.Colors[ImGuiCol_ButtonHovered], style.Colors[ImGuiCol_Button]));
    CHECK(same(style.Colors[ImGuiCol_FrameBgHovered], style.Colors[ImGuiCol_FrameBg]));
    CHECK(same(style.Colors[ImGuiCol_HeaderHovered], style.Colors[ImGuiCol_Header]));
    CHECK(style.TouchExtraPadding.x > 0.0f);
    ImGuiStyle one;
    ui::apply_touch_style(one, theme, 1.0f);
    CHECK(style.FramePadding.y == doctest::Approx(one.FramePadding.y * 2.0f));
    CHECK(style.WindowPadding.x == doctest::Approx(one.WindowPadding.x * 2.0f));
  }
  ImGui::DestroyContext(context);
}

TEST_CASE("ui.look: the display scale follows the shorter side") {
  CHECK(ui::scale_for_display(1920, 1080) == doctest::Approx(1.0f));
  CHECK(ui::scale_for_display(1080, 1920) == doctest::Approx(1.0f));
  CHECK(ui::scale_for_display(3840, 2160) == doctest::Approx(2.0f));
  CHECK(ui::scale_for_display(320, 200) == doctest::Approx(0.6f));
  CHECK(ui::scale_for_display(0, 0) == doctest::Approx(1.0f));
}

TEST_CASE("ui.look: the glyph ranges cover Latin-1, Latin Extended-A, punctuation and the euro") {
  const ImWchar* r = ui::glyph_ranges();
  int pairs = 0;
  bool latin1 = false, extended_a = false, punctuation = false, euro = false;
  for (; r[0] != 0; r += 2, ++pairs) {
    latin1 |= r[0] <= 0x20 && r[1] >= 0xFF;
    extended_a |= r[0] <= 0x100 && r[1] >= 0x17F;
    punctuation |= r[0] <= 0x2010 && r[1] >= 0x205E;
    euro |= r[0] <= 0x20AC && r[1] >= 0x20AC;
  }
  CHECK(pairs == 4);
  CHECK(latin1);
  CHECK(extended_a);
  CHECK(punctuation);
  CHECK(euro);
}

TEST_CASE("ui.look: the larger-text fonts are loaded the first time they are asked for, between frames") {
  heed::test::UiHarness h;  // the standard set, as the app starts
  h.frames(2);
  const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  const ui::Fonts before = ui::look().fonts;
  REQUIRE(before.body != nullptr);
  CHECK(before.large.body == nullptr);
  CHECK(&ui::current_fonts() == static_cast<const ui::FontSet*>(&ui::look().fonts));
  const int fonts_before = atlas.Fonts.Size;
  const int height_before = atlas.TexHeight;
  const float standard_size = before.body->FontSize;

  // Nothing is loaded while larger text is off.
  auto nothing = ui::load_fonts_for_look(*ImGui::GetIO().Fonts);
  REQUIRE(nothing.ok());
  CHECK_FALSE(*nothing);

  ui::Look larger = ui::look();
  larger.large_text = true;
  ui::set_look(larger);
  h.frame([] {});  // the harness loads them before NewFrame, as the app does
  const ui::Fonts& after = ui::look().fonts;
  REQUIRE(after.large.body != nullptr);
  REQUIRE(after.large.display != nullptr);
  CHECK(atlas.Fonts.Size == fonts_before + 4);
  CHECK(atlas.TexHeight > height_before);  // built again, with room for them
  CHECK(after.large.body->FontSize > standard_size * 1.3f);
  CHECK(after.body == before.body);                         // the standard set stays where it was
  CHECK(after.body->FindGlyphNoFallback(U'ŵ') != nullptr);  // and keeps its glyphs after the rebuild
  CHECK(after.large.body->FindGlyphNoFallback(U'ŵ') != nullptr);
  CHECK(ui::current_fonts().body == after.large.body);

  // Once is enough: asking again adds nothing.
  auto again = ui::load_fonts_for_look(*ImGui::GetIO().Fonts);
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
  ui::Fonts copy = after;
  REQUIRE(ui::load_large_fonts(*ImGui::GetIO().Fonts, copy).ok());
  CHECK(atlas.Fonts.Size == fonts_before + 4);
}

TEST_CASE("ui.look: fonts from a folder without DejaVu are an error that leaves the atlas empty") {
  ImFontAtlas atlas;
  auto fonts = ui::load_fonts(atlas, 1.0f, "/nonexistent-font-dir", nullptr, /*with_large=*/true);
  REQUIRE_FALSE(fonts.ok());
  CHECK(fonts.error().code == heed::Errc::not_found);
  CHECK(fonts.error().message.find("DejaVuSans.ttf: font not found") != std::string::npos);
  CHECK(atlas.Fonts.Size == 0);

  ui::Fonts none;  // not from load_fonts(): nothing to load the large set from
  auto large = ui::load_large_fonts(atlas, none);
  REQUIRE_FALSE(large.ok());
  CHECK(large.error().code == heed::Errc::invalid);
}

TEST_CASE("ui.look: both sets at once read each font file once") {
  ImFontAtlas atlas;
  auto fonts = ui::load_fonts(atlas, 1.0f, ui::kDefaultFontDir, nullptr, /*with_large=*/true);
  REQUIRE(fonts.ok());
  CHECK(atlas.Fonts.Size == 8);
  // Every size of a face is made from the one copy of its file, which the atlas owns once.
  int owned = 0;
  for (const ImFontConfig& config : atlas.ConfigData) {
    CHECK((config.FontData == fonts->source.regular || config.FontData == fonts->source.bold));
    owned += config.FontDataOwnedByAtlas ? 1 : 0;
  }
  CHECK(owned == 2);
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
  CHECK(pixels != nullptr);
  CHECK(fonts->large.display->FindGlyphNoFallback(U'£') != nullptr);
}
