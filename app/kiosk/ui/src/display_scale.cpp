// The kiosk's display scale from the monitor's pixels and millimetres.
#include "heed/ui/display_scale.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "heed/ui/look.hpp"

namespace heed::ui {
namespace {

constexpr float kMinPxPerMm = 1.0f;   // 25 dpi: a large TV seen from afar, or less
constexpr float kMaxPxPerMm = 20.0f;  // 508 dpi: more than any touch monitor
constexpr float kMaxAxisMismatch = 1.25f;
constexpr float kMaxScale = 4.0f;  // scale_for_display's upper bound

// Sizes that EDID (or a driver) sometimes fills with the aspect ratio instead of
// millimetres: the ratio itself, in cm read as mm, in tenths of mm. GNOME's
// mutter ignores the same list.
constexpr std::array<std::pair<int, int>, 6> kAspectCodes{
    {{16, 9}, {16, 10}, {160, 90}, {160, 100}, {1600, 900}, {1600, 1000}}};

}  // namespace

std::optional<float> pixels_per_mm(const MonitorSize& monitor) {
  if (monitor.width_px <= 0 || monitor.height_px <= 0 || monitor.width_mm <= 0 || monitor.height_mm <= 0)
    return std::nullopt;
  int width_mm = monitor.width_mm;
  int height_mm = monitor.height_mm;
  if ((monitor.width_px > monitor.height_px) != (width_mm > height_mm) && width_mm != height_mm &&
      monitor.width_px != monitor.height_px)
    std::swap(width_mm, height_mm);
  for (const auto& [w, h] : kAspectCodes)
    if ((width_mm == w && height_mm == h) || (width_mm == h && height_mm == w)) return std::nullopt;

  const float x = static_cast<float>(monitor.width_px) / static_cast<float>(width_mm);
  const float y = static_cast<float>(monitor.height_px) / static_cast<float>(height_mm);
  const float denser = std::max(x, y);
  if (denser > kMaxAxisMismatch * std::min(x, y)) return std::nullopt;
  if (denser < kMinPxPerMm || denser > kMaxPxPerMm) return std::nullopt;
  return denser;
}

std::optional<float> DisplayScale::touch_target_mm() const {
  if (!px_per_mm) return std::nullopt;
  return kTouchTargetDesignPx * scale / *px_per_mm;
}

DisplayScale touch_safe_scale(const MonitorSize& monitor) {
  DisplayScale result;
  result.scale = scale_for_display(static_cast<float>(monitor.width_px), static_cast<float>(monitor.height_px));
  result.px_per_mm = pixels_per_mm(monitor);
  if (!result.px_per_mm) return result;
  // 88 design px * scale / (px per mm) >= 15 mm, rounded up to a hundredth so
  // that float error cannot leave it a hair short.
  const double exact = double{kTouchTargetMm} * double{*result.px_per_mm} / double{kTouchTargetDesignPx};
  const auto needed = static_cast<float>(std::ceil(exact * 100.0) / 100.0);
  if (needed > result.scale) {
    result.scale = std::min(needed, kMaxScale);
    result.raised = true;
  }
  return result;
}

}  // namespace heed::ui
