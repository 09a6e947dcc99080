// What the kiosk's screens share: the page's geometry, the question header
// (progress and wording), the bar of Back / Skip / Continue, placing a block of
// controls (centred, or low for the lowered layout) and the overlays' dimmed
// window and card. Sizes are design pixels (px()) for a display 1080 high.
//
// Lowered layout (Equality Act 2010: a wheelchair user reaches the lower part of
// a kiosk): every control sits below kLoweredFrom of the display's height; text
// may stay above.
#pragma once

#include <string_view>

#include <imgui.h>

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

// Lowered layout: controls start below this share of the display's height.
inline constexpr float kLoweredFrom = 0.4f;

// The content box of the current kiosk window, in screen coordinates.
struct Page {
  ImVec2 min, max;
  float lower_top = 0;  // kLoweredFrom down the display
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
};

// The full-display window every kiosk screen draws in (one window for all, so
// overlays keep their place above it). Call EndKioskScreen() whatever it returns.
bool BeginKioskScreen(const char* id);
void EndKioskScreen();
Page CurrentPage();

// Design spacing between blocks.
float Gap();

// "Question n of m", a segmented progress bar and the question's wording, from
// the page's top. Returns the y below them.
float QuestionHeader(const KioskContext& ctx, const Page& page, std::string_view wording);

// The bar at the bottom: Back on the left, Skip and Continue (or Send on the
// last question) on the right.
struct NavSpec {
  bool back = true;
  bool skip = false;
  bool next = false;  // Continue / Send
};
float NavHeight();
float NavTop(const Page& page);
void NavBar(const KioskContext& ctx, const Page& page, const NavSpec& spec, KioskIntents& out);

// The y at which a block `height` tall goes between `top` and `bottom`: centred,
// or against the bottom in the lowered layout (never above `top`).
float PlaceBlock(const KioskContext& ctx, float top, float bottom, float height);

// When the last save failed: the catalogue's error.save_failed above `bottom`
// (the nav bar's top). Returns the height it took (0 when there is no error).
float SaveErrorLine(const KioskContext& ctx, const Page& page, float bottom);

// An overlay: a full-display window above the screen, dimming it and taking
// every touch. Call EndOverlay() whatever BeginOverlay returns.
bool BeginOverlay(const char* id);
void EndOverlay();

// A card on the overlay, `size` (clamped to the display), centred; in the
// lowered layout its bottom sits on the display's bottom padding.
struct Card {
  ImVec2 min, max;              // outer
  ImVec2 inner_min, inner_max;  // inside its padding
  float inner_width() const { return inner_max.x - inner_min.x; }
};
Card OverlayCard(ImVec2 size, bool lowered);

}  // namespace heed::ui
