#include "heed/contrast.hpp"

#include <algorithm>
#include <cmath>

namespace heed {
namespace {
float linear(float channel) {
  return channel <= 0.04045f ? channel / 12.92f : std::pow((channel + 0.055f) / 1.055f, 2.4f);
}
}  // namespace

float relative_luminance(Rgb c) { return 0.2126f * linear(c.r) + 0.7152f * linear(c.g) + 0.0722f * linear(c.b); }

float contrast_ratio(Rgb a, Rgb b) {
  const float la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

Rgb blend(Rgb over, float alpha, Rgb under) {
  return {over.r * alpha + under.r * (1 - alpha), over.g * alpha + under.g * (1 - alpha),
          over.b * alpha + under.b * (1 - alpha)};
}

}  // namespace heed
