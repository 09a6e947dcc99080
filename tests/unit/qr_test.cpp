#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "heed/qr.hpp"
#include "heed/reference.hpp"

using namespace heed;

namespace {
// A finder pattern: a dark 7x7 ring, a light ring, a dark 3x3 centre.
bool is_finder(const QrCode& qr, int x0, int y0) {
  for (int y = 0; y < 7; ++y)
    for (int x = 0; x < 7; ++x) {
      const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
      if (qr.is_dark(x0 + x, y0 + y) != (ring != 2)) return false;
    }
  return true;
}
}  // namespace

TEST_CASE("a reference becomes a QR code with its three finder patterns") {
  const auto qr = make_qr(make_reference("MCR", "K2", 42));
  REQUIRE(qr);
  CHECK(qr->size == 21);  // version 1 holds a short reference
  CHECK(qr->dark.size() == 21u * 21u);
  CHECK(is_finder(*qr, 0, 0));
  CHECK(is_finder(*qr, 14, 0));
  CHECK(is_finder(*qr, 0, 14));
  CHECK_FALSE(is_finder(*qr, 14, 14));
}

TEST_CASE("different text, different code") { CHECK(make_qr("MCR-K2-2223X")->dark != make_qr("MCR-K2-2224Y")->dark); }
