// Colour contrast as WCAG 2.1 defines it, so themes can be checked by a test:
// text needs at least 4.5:1 against its background (Equality Act 2010 duties
// are met in practice by WCAG AA).
#pragma once

namespace heed {

struct Rgb {
  float r = 0, g = 0, b = 0;  // sRGB, 0..1
};

// WCAG relative luminance of an sRGB colour, 0 (black) .. 1 (white).
float relative_luminance(Rgb colour);
// (L1 + 0.05) / (L2 + 0.05) with L1 the lighter: 1 .. 21.
float contrast_ratio(Rgb a, Rgb b);
// `over` drawn with opacity `alpha` on `under`.
Rgb blend(Rgb over, float alpha, Rgb under);

inline constexpr float kMinTextContrast = 4.5f;

}  // namespace heed
