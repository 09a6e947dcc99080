// The kiosk's display scale: touch targets of at least 15 mm on real monitors,
// never smaller than the shorter-side rule, and that rule alone when the
// monitor's size is unknown or not believable.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "heed/ui/display_scale.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace ui = heed::ui;

namespace {

// The touch minimum on the glass, from what the widgets really use.
float target_mm(const ui::MonitorSize& m, float scale) {
  const float px_per_mm = std::max(static_cast<float>(m.width_px) / static_cast<float>(m.width_mm),
                                   static_cast<float>(m.height_px) / static_cast<float>(m.height_mm));
  return ui::kTouchTargetDesignPx * scale / px_per_mm;
}

}  // namespace

TEST_CASE("ui.display_scale: believable monitors get touch targets of at least 15 mm") {
  // Real panels: {pixels, millimetres} as EDID reports them.
  const std::vector<ui::MonitorSize> monitors = {
      {1920, 1080, 477, 268},  // 21.5" 1080p: the shorter-side rule is already enough
      {1920, 1080, 344, 194},  // 15.6" 1080p: just enough (15.7 mm)
      {1920, 1080, 293, 165},  // 13.3" 1080p: 88 px are 13.4 mm, so the scale rises
      {1920, 1200, 217, 136},  // 10.1" WUXGA tablet panel
      {1280, 800, 217, 136},   // 10.1" WXGA
      {800, 480, 154, 86},     // 7" panel
      {3840, 2160, 597, 336},  // 27" 4K
      {3840, 2160, 344, 194},  // 15.6" 4K
      {1080, 1920, 268, 477},  // 21.5" in portrait
      {2560, 1440, 597, 336},  // 27" QHD
  };
  for (const auto& m : monitors) {
    CAPTURE(m.width_px);
    CAPTURE(m.height_px);
    CAPTURE(m.width_mm);
    CAPTURE(m.height_mm);
    const ui::DisplayScale s = ui::touch_safe_scale(m);
    REQUIRE(s.px_per_mm.has_value());
    CHECK(target_mm(m, s.scale) >= ui::kTouchTargetMm - 1e-3f);
    CHECK(s.touch_target_mm().value() == doctest::Approx(target_mm(m, s.scale)).epsilon(1e-4));
    const float rule = ui::scale_for_display(static_cast<float>(m.width_px), static_cast<float>(m.height_px));
    CHECK(s.scale >= rule);
    CHECK(s.raised == (s.scale > rule));
    // Raised only as far as needed: a hundredth less would miss 15 mm.
    if (s.raised) CHECK(target_mm(m, s.scale - 0.01f) < ui::kTouchTargetMm);
  }
}

TEST_CASE("ui.display_scale: the shorter-side rule holds where it already gives 15 mm") {
  const auto big = ui::touch_safe_scale({1920, 1080, 477, 268});
  CHECK(big.scale == doctest::Approx(1.0f));
  CHECK_FALSE(big.raised);
  const auto uhd = ui::touch_safe_scale({3840, 2160, 597, 336});
  CHECK(uhd.scale == doctest::Approx(2.0f));
  CHECK_FALSE(uhd.raised);

  const auto small = ui::touch_safe_scale({1920, 1080, 293, 165});
  CHECK(small.raised);
  CHECK(small.scale == doctest::Approx(1.12f));
}

TEST_CASE("ui.display_scale: an unknown or unbelievable size falls back to 88 px at 1080p") {
  const std::vector<ui::MonitorSize> unknown = {
      {1920, 1080, 0, 0},        // no EDID size
      {1920, 1080, 477, 0},      // half a size
      {1920, 1080, 160, 90},     // aspect ratio in cm, reported as mm (TVs, projectors)
      {1920, 1080, 1600, 900},   // ... in tenths of mm
      {1920, 1080, 16, 9},       // ... as is
      {1920, 1080, 16, 10},      // ...
      {1920, 1080, 40, 22},      // 48 px/mm: no monitor is that dense
      {1920, 1080, 5000, 2800},  // 0.4 px/mm: nor that coarse
      {1920, 1080, 477, 120},    // axes disagree by more than 25 %
      {0, 0, 477, 268},          // no video mode
  };
  for (const auto& m : unknown) {
    CAPTURE(m.width_mm);
    CAPTURE(m.height_mm);
    const ui::DisplayScale s = ui::touch_safe_scale(m);
    CHECK_FALSE(s.px_per_mm.has_value());
    CHECK_FALSE(s.touch_target_mm().has_value());
    CHECK_FALSE(s.raised);
    CHECK(s.scale == ui::scale_for_display(static_cast<float>(m.width_px), static_cast<float>(m.height_px)));
  }
  // 88 px at 1080p.
  CHECK(ui::kTouchTargetDesignPx * ui::touch_safe_scale({1920, 1080, 0, 0}).scale == doctest::Approx(88.0f));
}

TEST_CASE("ui.display_scale: Xvfb's made-up 96 dpi size changes nothing") {
  // What GLFW reads from Xvfb's RandR output "screen" at these modes.
  for (const auto& m : {ui::MonitorSize{1920, 1080, 508, 285}, ui::MonitorSize{1280, 800, 338, 211}}) {
    const ui::DisplayScale s = ui::touch_safe_scale(m);
    CHECK_FALSE(s.raised);
    CHECK(s.scale == ui::scale_for_display(static_cast<float>(m.width_px), static_cast<float>(m.height_px)));
  }
}

TEST_CASE("ui.display_scale: a size reported across a rotated mode is turned") {
  const auto turned = ui::pixels_per_mm({1080, 1920, 477, 268});
  const auto upright = ui::pixels_per_mm({1080, 1920, 268, 477});
  REQUIRE(turned.has_value());
  REQUIRE(upright.has_value());
  CHECK(*turned == doctest::Approx(*upright));
}

TEST_CASE("ui.display_scale: TouchMinimum() is the design minimum times the scale") {
  const ui::Look saved = ui::look();
  for (const float scale : {0.6f, 1.0f, 1.12f, 1.51f, 2.0f}) {
    CAPTURE(scale);
    ui::set_look(ui::Look{heed::Theme::standard, scale, {}});
    CHECK(ui::TouchMinimum() >= ui::kTouchTargetDesignPx * scale);
    CHECK(ui::TouchMinimum() < ui::kTouchTargetDesignPx * scale + 1.0f);
  }
  ui::set_look(saved);
}
