// The display scale of a full-screen kiosk: how many screen pixels one design
// pixel takes, chosen so that every touch target is at least 15 mm on the glass.
//
// Screens are laid out in design pixels for a display 1080 pixels high
// (look.hpp), and no tappable widget is smaller than the touch minimum, 88
// design pixels (TouchMinimum() in widgets.hpp). On a 1080p monitor of 13 inches
// or less, 88 pixels are under 15 mm, so the shorter-side rule alone
// (scale_for_display) is not enough: the monitor's physical size decides.
//
// Invariants:
// - The scale is never below scale_for_display(width, height).
// - When the monitor's size is believable, kTouchTargetDesignPx * scale screen
//   pixels span at least kTouchTargetMm on it, along both axes.
// - A size that is unknown or not believable (0, an aspect ratio reported as a
//   size, a density no monitor has) leaves the shorter-side rule alone: 88 px at
//   1080p.
// Pure arithmetic, no ImGui state: the platform layer reports the monitor, the
// app picks the scale with this, and tests check it directly.
#pragma once

#include <optional>

namespace heed::ui {

// The touch minimum in design pixels; TouchMinimum() is this times the scale.
inline constexpr float kTouchTargetDesignPx = 88.0f;
// The least size of a touch target on the glass, in millimetres.
inline constexpr float kTouchTargetMm = 15.0f;

// A monitor as the window system reports it.
struct MonitorSize {
  int width_px = 0;  // its video mode: the pixels the kiosk draws
  int height_px = 0;
  int width_mm = 0;  // its physical size (from EDID); 0 when unknown
  int height_mm = 0;
};

// The screen pixels per millimetre of `monitor`, the larger of the two axes; or
// nullopt when its size is unknown or not believable. A size whose orientation
// disagrees with the mode's (a portrait mode with a landscape size, from a
// rotated output) is turned first. Not believable: 0 on either side; one of
// the aspect-ratio codes some TVs and projectors report as a size (16x9, 16x10 in
// mm, cm or tenths of mm); axes whose densities differ by more than 25 %; or a
// density outside 1-20 px/mm (25-508 dpi).
std::optional<float> pixels_per_mm(const MonitorSize& monitor);

// What a full-screen kiosk on `monitor` uses.
struct DisplayScale {
  float scale = 1.0f;              // design pixels to screen pixels
  std::optional<float> px_per_mm;  // pixels_per_mm(monitor)
  bool raised = false;             // true when the 15 mm rule raised it above scale_for_display

  // The touch minimum on the glass in mm, when the density is known.
  std::optional<float> touch_target_mm() const;
};

// The scale for a full-screen kiosk on `monitor`: scale_for_display of its video
// mode, raised (in steps of 1/100) until the touch minimum spans kTouchTargetMm
// when pixels_per_mm is known, and at most 4 (the upper bound of
// scale_for_display; no believable density needs more).
DisplayScale touch_safe_scale(const MonitorSize& monitor);

}  // namespace heed::ui
