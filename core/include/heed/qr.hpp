// QR codes for complaint references (libqrencode), as a grid of modules the UI
// draws as squares: no image files, no GPU texture.
#pragma once

#include <cstdint>
#include <optional>
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

}  // namespace heed
