// The look of every screen: the touch style (sizes), the two colour themes of
// the config's `theme` and the fonts (DejaVu Sans, loaded at the display's scale,
// in a standard and a larger-text size for the kiosk's "Larger text" choice).
// The larger-text set is loaded the first time someone chooses it: it is two
// thirds of the atlas, and the kiosk starts sooner without it.
//
// Invariants:
// - Touch reaches ImGui as a mouse and a finger "hovers" where it last lifted, so
//   every hovered colour equals its normal colour; only a press shows feedback.
// - Sizes are design pixels for a display 1080 pixels high, multiplied by the
//   scale once: fonts are loaded at the scaled size and the style is scaled with
//   ImGuiStyle::ScaleAllSizes (never io.FontGlobalScale, which blurs the text).
// - The glyph ranges live in static storage, so they outlive every atlas build.
//
// Sections: palettes; fonts; style; the current look.
#pragma once

#include <filesystem>

#include <imgui.h>

#include "heed/config.hpp"
#include "heed/result.hpp"

namespace heed::ui {

// ---- Palettes ---------------------------------------------------------------
// The colours a theme gives the screens. ImGui's own style colours are set from
// these too (apply_theme_colours).
struct Palette {
  ImVec4 background;         // behind everything
  ImVec4 surface;            // cards and panels
  ImVec4 border;             // card outlines and separators
  ImVec4 text;               // running text and values
  ImVec4 text_muted;         // labels and hints (still AA contrast on surface)
  ImVec4 brand;              // the Heed word mark
  ImVec4 primary;            // fill of the screen's main action
  ImVec4 primary_pressed;    // ... while a finger holds it down
  ImVec4 on_primary;         // text on primary
  ImVec4 secondary;          // fill of other actions
  ImVec4 secondary_pressed;  // ... while held
  ImVec4 on_secondary;       // text on secondary
  ImVec4 good;               // "ready" badges
  ImVec4 attention;          // "needs attention" badges
  ImVec4 on_badge;           // text on good and attention
  ImVec4 face;               // fill of the rating faces (kiosk CSAT)
  ImVec4 face_line;          // their outline, eyes and mouth
  ImVec4 error;              // error text beside a field (on background and surface)
  ImVec4 field;              // fill of text fields
  float border_px = 1;       // outline thickness of cards and buttons, design pixels
};

// The palette of a theme: standard (calm, light) or high_contrast (black, white, yellow).
const Palette& palette_for(Theme theme);

// ---- Fonts ------------------------------------------------------------------
// One size of each role.
struct FontSet {
  ImFont* body = nullptr;     // running text, labels, buttons (DejaVu Sans)
  ImFont* heading = nullptr;  // section headings (DejaVu Sans Bold)
  ImFont* title = nullptr;    // a kiosk question, big button labels (DejaVu Sans Bold)
  ImFont* display = nullptr;  // the screen title and big figures (DejaVu Sans Bold)
};
// The font files as the atlas holds them (read once; every size is made from
// them) with the scale and glyphs they were loaded at: what the larger-text set
// is loaded from later. Owned by the atlas, valid while it lives.
struct FontSource {
  void* regular = nullptr;
  int regular_bytes = 0;
  void* bold = nullptr;
  int bold_bytes = 0;
  float scale = 1.0f;
  const ImWchar* glyphs = nullptr;
};
struct Fonts : FontSet {
  FontSet large;  // the same roles about a third larger ("Larger text"); null until loaded
  FontSource source;
};

// Font sizes in design pixels (scale 1).
inline constexpr float kBodyPx = 30.0f;
inline constexpr float kHeadingPx = 40.0f;
inline constexpr float kTitlePx = 54.0f;
inline constexpr float kDisplayPx = 76.0f;
// "Larger text" multiplies every role's size by this.
inline constexpr float kLargeTextFactor = 1.34f;

// Where Debian's fonts-dejavu-core puts DejaVu Sans.
inline constexpr const char* kDefaultFontDir = "/usr/share/fonts/truetype/dejavu";

// The scale for a display of this many pixels: its shorter side over 1080,
// kept within [0.6, 4] (0.6 keeps a small development window readable).
float scale_for_display(float width, float height);

// Basic Latin + Latin-1 (U+0020-00FF), Latin Extended-A (U+0100-017F), General
// Punctuation (U+2010-205E) and the euro sign (U+20AC), zero-terminated.
// Static storage: valid for the life of the program.
const ImWchar* glyph_ranges();

// Adds DejaVu Sans and DejaVu Sans Bold to `atlas` at `scale` times the design
// sizes: the standard set, and the larger-text set too when `with_large`.
// `ranges` (zero-terminated pairs) must stay valid as long as the atlas (it is
// built again when the large set comes); null means glyph_ranges(). Does not
// build the atlas. A missing or unreadable font file is an error and leaves the
// atlas unchanged.
Result<Fonts> load_fonts(ImFontAtlas& atlas, float scale, const std::filesystem::path& font_dir = kDefaultFontDir,
                         const ImWchar* ranges = nullptr, bool with_large = false);
// Adds the larger-text set to the atlas that load_fonts() filled `fonts` into
// (from fonts.source); a no-op when it is there. The atlas must then be built
// again before a frame draws with it. Not between NewFrame and Render.
Result<void> load_large_fonts(ImFontAtlas& atlas, Fonts& fonts);
// Between frames: loads the larger-text set into `atlas` when look() asks for
// larger text and it is not loaded yet, and updates look(). True when the atlas
// gained fonts: it must be built (and a renderer's texture made) again. Should
// that fail, text stays at the standard size and the error is returned once.
Result<bool> load_fonts_for_look(ImFontAtlas& atlas);

// ---- Style ------------------------------------------------------------------
// Resets `style` to Heed's touch sizes times `scale` and the theme's colours.
void apply_touch_style(ImGuiStyle& style, Theme theme, float scale);
// Sets only the colours of `theme` (a run-time switch keeps the sizes).
void apply_theme_colours(ImGuiStyle& style, Theme theme);

// ---- The current look ---------------------------------------------------------
// What the widgets draw with. The app (or the UI test harness) sets it after
// loading the fonts and styling ImGui; widgets read it. UI thread only.
struct Look {
  Theme theme = Theme::standard;
  float scale = 1.0f;
  Fonts fonts;              // null fonts fall back to ImGui's current font
  bool large_text = false;  // draw with fonts.large (load_fonts_for_look loads it)
};
void set_look(const Look& look);
const Look& look();
// The current look in `theme`: ImGui's style (sizes at the look's scale) and the
// theme's colours.
void use_theme(Theme theme);
// The fonts text is drawn with now: fonts.large when large_text is on and loaded.
const FontSet& current_fonts();
// palette_for(look().theme).
const Palette& palette();
// Design pixels to screen pixels at the current scale.
float px(float design_px);

}  // namespace heed::ui
