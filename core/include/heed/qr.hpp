// QR codes for complaint references (libqrencode), as a grid of modules the UI
// draws as squares: no image files, no GPU texture. The web workspace gets the
// same grid as an SVG document (enrolment codes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heed {

struct QrCode {
  int size = 0;                    // modules per side (without the quiet zone)
  std::vector<std::uint8_t> dark;  // size * size, row by row; 1 = dark

  bool is_dark(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)] != 0; }
};

// The QR code of `text` at error correction level M; nullopt if it cannot be encoded.
std::optional<QrCode> make_qr(std::string_view text);

// The code as a standalone SVG document: a white square of size + 2 * quiet
// modules (viewBox in modules, width and height px_per_module times that), and
// one black path holding a unit square "M x y h1 v1 h-1 z" per dark module,
// offset by the quiet zone; shape-rendering crispEdges; `title` (XML-escaped)
// as its <title>, which names the image for assistive technology.
std::string qr_svg(const QrCode& code, std::string_view title, int quiet = 4, int px_per_module = 6);

}  // namespace heed
