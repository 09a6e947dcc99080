// The touch style, the two palettes and the font loading.
#include "heed/ui/look.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <system_error>

namespace heed::ui {
namespace {

// An opaque colour from 0xRRGGBB.
ImVec4 rgb(unsigned hex) {
  return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f, static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                static_cast<float>(hex & 0xFF) / 255.0f, 1.0f);
}

ImVec4 with_alpha(ImVec4 c, float a) { return ImVec4(c.x, c.y, c.z, a); }

// Calm and light: warm paper background, white cards, a deep teal for actions.
// Text colours keep WCAG AA contrast (4.5:1 or more) on both background and surface.
const Palette kStandard{
    .background = rgb(0xF4F1EB),
    .surface = rgb(0xFFFFFF),
    .border = rgb(0xDDD7CC),
    .text = rgb(0x1D2327),
    .text_muted = rgb(0x596067),
    .brand = rgb(0x0B6B66),
    .primary = rgb(0x0B6B66),
    .primary_pressed = rgb(0x074A46),
    .on_primary = rgb(0xFFFFFF),
    .secondary = rgb(0xE7E1D6),
    .secondary_pressed = rgb(0xCFC6B6),
    .on_secondary = rgb(0x1D2327),
    .good = rgb(0x1E7A3C),
    .attention = rgb(0xA84B07),
    .on_badge = rgb(0xFFFFFF),
    .face = rgb(0xFFD866),
    .face_line = rgb(0x1D2327),
    .error = rgb(0xB3261E),
    .field = rgb(0xFFFFFF),
    .border_px = 1.5f,
};

// For low vision: black ground, white text and outlines, yellow actions.
const Palette kHighContrast{
    .background = rgb(0x000000),
    .surface = rgb(0x000000),
    .border = rgb(0xFFFFFF),
    .text = rgb(0xFFFFFF),
    .text_muted = rgb(0xFFFFFF),
    .brand = rgb(0xFFD500),
    .primary = rgb(0xFFD500),
    .primary_pressed = rgb(0xFFFFFF),
    .on_primary = rgb(0x000000),
    .secondary = rgb(0x000000),
    .secondary_pressed = rgb(0x3A3A3A),
    .on_secondary = rgb(0xFFFFFF),
    .good = rgb(0x52E07C),
    .attention = rgb(0xFFB020),
    .on_badge = rgb(0x000000),
    .face = rgb(0x000000),
    .face_line = rgb(0xFFD500),
    .error = rgb(0xFF9E9E),
    .field = rgb(0x000000),
    .border_px = 3.0f,
};

// Static storage: ImFontAtlas keeps a pointer to the ranges until it is built.
constexpr std::array<ImWchar, 9> kGlyphRanges{
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement (£, é, ...)
    0x0100, 0x017F,  // Latin Extended-A (ŵ, ŷ, ł, ż, ...)
    0x2010, 0x205E,  // General Punctuation (dashes, quotes, bullet, ellipsis)
    0x20AC, 0x20AC,  // euro sign
    0,
};

Look g_look;

bool complete(const FontSet& set) {
  return set.body != nullptr && set.heading != nullptr && set.title != nullptr && set.display != nullptr;
}

// A font file in memory ImGui can own (IM_ALLOC), so that the atlas frees it.
struct FontFile {
  void* data = nullptr;
  int bytes = 0;
};
Result<FontFile> read_font_file(const std::filesystem::path& file) {
  // ImGui asserts (aborts) on unreadable font data, so check first and say which.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return make_error(Errc::not_found, file.string() + ": font not found (install fonts-dejavu-core)");
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size <= 0 || size > std::numeric_limits<int>::max())
    return make_error(Errc::io, file.string() + ": cannot read the font");
  FontFile font{IM_ALLOC(static_cast<std::size_t>(size)), static_cast<int>(size)};
  in.seekg(0);
  in.read(static_cast<char*>(font.data), size);
  if (!in) {
    IM_FREE(font.data);
    return make_error(Errc::io, file.string() + ": cannot read the font");
  }
  return font;
}

// The four roles at `factor` times the design sizes, every size made from the
// one copy of each file in `source`, which the atlas owns (and frees) once.
// ImGui copies font data it does not own, so each font is added as an owner
// (no copy) and all but the first of each file are then marked as not owning.
FontSet add_font_set(ImFontAtlas& atlas, const FontSource& source, float factor, bool owns_files) {
  ImFontConfig config;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  config.FontDataOwnedByAtlas = true;
  const auto add = [&](void* data, int bytes, float design_px, int oversample_h, bool owner) {
    config.OversampleH = oversample_h;
    ImFont* font =
        atlas.AddFontFromMemoryTTF(data, bytes, std::round(design_px * factor * source.scale), &config, source.glyphs);
    if (font != nullptr && !owner) atlas.ConfigData.back().FontDataOwnedByAtlas = false;
    return font;
  };
  FontSet set;
  // Oversampled: crisp at sub-pixel positions.
  set.body = add(source.regular, source.regular_bytes, kBodyPx, 2, owns_files);
  set.heading = add(source.bold, source.bold_bytes, kHeadingPx, 2, owns_files);
  // Big glyphs: oversampling buys nothing and quadruples the atlas.
  set.title = add(source.bold, source.bold_bytes, kTitlePx, 1, false);
  set.display = add(source.bold, source.bold_bytes, kDisplayPx, 1, false);
  return set;
}

}  // namespace

const Palette& palette_for(Theme theme) { return theme == Theme::high_contrast ? kHighContrast : kStandard; }

float scale_for_display(float width, float height) {
  const float shorter = std::min(width, height);
  if (!(shorter > 0.0f)) return 1.0f;
  return std::clamp(shorter / 1080.0f, 0.6f, 4.0f);
}

const ImWchar* glyph_ranges() { return kGlyphRanges.data(); }

Result<Fonts> load_fonts(ImFontAtlas& atlas, float scale, const std::filesystem::path& font_dir, const ImWchar* ranges,
                         bool with_large) {
  auto regular = read_font_file(font_dir / "DejaVuSans.ttf");
  if (!regular) return regular.error();
  auto bold = read_font_file(font_dir / "DejaVuSans-Bold.ttf");
  if (!bold) {
    IM_FREE(regular->data);
    return bold.error();
  }
  Fonts fonts;
  fonts.source = FontSource{
      .regular = regular->data,
      .regular_bytes = regular->bytes,
      .bold = bold->data,
      .bold_bytes = bold->bytes,
      .scale = scale,
      .glyphs = ranges != nullptr ? ranges : glyph_ranges(),
  };
  // The first font added (body) is ImGui's default.
  static_cast<FontSet&>(fonts) = add_font_set(atlas, fonts.source, 1.0f, /*owns_files=*/true);
  if (!complete(fonts)) return make_error(Errc::io, font_dir.string() + ": DejaVu Sans could not be read");
  if (with_large) {
    if (auto large = load_large_fonts(atlas, fonts); !large) return large.error();
  }
  return fonts;
}

Result<void> load_large_fonts(ImFontAtlas& atlas, Fonts& fonts) {
  if (complete(fonts.large)) return Ok{};
  if (fonts.source.regular == nullptr || fonts.source.bold == nullptr)
    return make_error(Errc::invalid, "the larger-text fonts need fonts from load_fonts()");
  const FontSet large = add_font_set(atlas, fonts.source, kLargeTextFactor, /*owns_files=*/false);
  if (!complete(large)) return make_error(Errc::io, "the larger-text fonts could not be added to the atlas");
  fonts.large = large;
  return Ok{};
}

Result<bool> load_fonts_for_look(ImFontAtlas& atlas) {
  Fonts& fonts = g_look.fonts;
  if (!g_look.large_text || complete(fonts.large) || !complete(fonts)) return false;
  if (auto loaded = load_large_fonts(atlas, fonts); !loaded) {
    fonts.large = static_cast<const FontSet&>(fonts);  // the standard size from now on, not a retry each frame
    return loaded.error();
  }
  return true;
}

void apply_theme_colours(ImGuiStyle& style, Theme theme) {
  const Palette& p = palette_for(theme);
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = p.text;
  c[ImGuiCol_TextDisabled] = p.text_muted;
  c[ImGuiCol_WindowBg] = p.background;
  c[ImGuiCol_ChildBg] = p.surface;
  c[ImGuiCol_PopupBg] = p.surface;
  c[ImGuiCol_Border] = p.border;
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  // Frames (checkbox boxes, text fields): hovered equals normal for touch.
  c[ImGuiCol_FrameBg] = p.secondary;
  c[ImGuiCol_FrameBgHovered] = p.secondary;
  c[ImGuiCol_FrameBgActive] = p.secondary_pressed;
  c[ImGuiCol_TitleBg] = p.surface;
  c[ImGuiCol_TitleBgActive] = p.surface;
  c[ImGuiCol_TitleBgCollapsed] = p.surface;
  c[ImGuiCol_MenuBarBg] = p.surface;
  c[ImGuiCol_ScrollbarBg] = p.background;
  c[ImGuiCol_ScrollbarGrab] = p.secondary_pressed;
  c[ImGuiCol_ScrollbarGrabHovered] = p.secondary_pressed;
  c[ImGuiCol_ScrollbarGrabActive] = p.primary;
  c[ImGuiCol_CheckMark] = p.primary;
  c[ImGuiCol_SliderGrab] = p.primary;
  c[ImGuiCol_SliderGrabActive] = p.primary_pressed;
  c[ImGuiCol_Button] = p.secondary;
  c[ImGuiCol_ButtonHovered] = p.secondary;
  c[ImGuiCol_ButtonActive] = p.secondary_pressed;
  c[ImGuiCol_Header] = p.primary;
  c[ImGuiCol_HeaderHovered] = p.primary;
  c[ImGuiCol_HeaderActive] = p.primary_pressed;
  c[ImGuiCol_Separator] = p.border;
  c[ImGuiCol_SeparatorHovered] = p.border;
  c[ImGuiCol_SeparatorActive] = p.border;
  c[ImGuiCol_ResizeGrip] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripHovered] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ResizeGripActive] = ImVec4(0, 0, 0, 0);
  // Tabs are not used on a touch screen; keep them legible should one appear.
  c[ImGuiCol_Tab] = p.secondary;
  c[ImGuiCol_TabHovered] = p.secondary;
  c[ImGuiCol_TabActive] = p.primary;
  c[ImGuiCol_TabUnfocused] = p.secondary;
  c[ImGuiCol_TabUnfocusedActive] = p.primary;
  c[ImGuiCol_TextSelectedBg] = with_alpha(p.primary, 0.35f);
  c[ImGuiCol_DragDropTarget] = p.attention;
  c[ImGuiCol_NavHighlight] = p.brand;
  c[ImGuiCol_NavWindowingHighlight] = p.brand;
  c[ImGuiCol_NavWindowingDimBg] = ImVec4(0, 0, 0, 0.5f);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.55f);
}

void apply_touch_style(ImGuiStyle& style, Theme theme, float scale) {
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(64, 52);
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.ChildRounding = 20;
  style.ChildBorderSize = 0;
  style.PopupRounding = 16;
  style.PopupBorderSize = palette_for(theme).border_px;
  style.FramePadding = ImVec2(32, 22);  // a 30 px font in a 74 px tall control
  style.FrameRounding = 16;
  style.FrameBorderSize = theme == Theme::high_contrast ? 3.0f : 0.0f;
  style.ItemSpacing = ImVec2(24, 20);
  style.ItemInnerSpacing = ImVec2(18, 12);
  style.TouchExtraPadding = ImVec2(8, 8);  // a fingertip is less precise than a pointer
  style.IndentSpacing = 32;
  style.ScrollbarSize = 32;
  style.ScrollbarRounding = 16;
  style.GrabMinSize = 48;
  style.GrabRounding = 12;
  style.ButtonTextAlign = ImVec2(0.5f, 0.5f);
  style.SelectableTextAlign = ImVec2(0.0f, 0.5f);
  style.DisabledAlpha = 0.45f;
  style.AntiAliasedLines = true;
  style.AntiAliasedFill = true;
  style.ScaleAllSizes(scale);
  apply_theme_colours(style, theme);
}

void set_look(const Look& look) { g_look = look; }
const Look& look() { return g_look; }
void use_theme(Theme theme) {
  g_look.theme = theme;
  apply_touch_style(ImGui::GetStyle(), theme, g_look.scale);
}
const FontSet& current_fonts() {
  if (g_look.large_text && complete(g_look.fonts.large)) return g_look.fonts.large;
  return g_look.fonts;
}
const Palette& palette() { return palette_for(g_look.theme); }
float px(float design_px) { return design_px * g_look.scale; }

}  // namespace heed::ui
