#include <doctest/doctest.h>

#include "heed/contrast.hpp"

using namespace heed;

TEST_CASE("WCAG contrast ratios") {
  const Rgb black{0, 0, 0}, white{1, 1, 1};
  CHECK(contrast_ratio(black, white) == doctest::Approx(21.0f));
  CHECK(contrast_ratio(white, black) == doctest::Approx(21.0f));
  CHECK(contrast_ratio(white, white) == doctest::Approx(1.0f));
  // #767676 on white is the classic just-passing grey (4.54:1).
  const Rgb grey{0x76 / 255.0f, 0x76 / 255.0f, 0x76 / 255.0f};
  CHECK(contrast_ratio(grey, white) == doctest::Approx(4.54f).epsilon(0.01));
  CHECK(contrast_ratio(grey, white) >= kMinTextContrast);
  const Rgb lighter{0x77 / 255.0f, 0x77 / 255.0f, 0x77 / 255.0f};
  CHECK(contrast_ratio(lighter, white) < 4.5f);
  const Rgb half = blend(black, 0.5f, white);
  CHECK(half.r == doctest::Approx(0.5f));
}
