#include "heed/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <string>

namespace heed {

std::optional<QrCode> make_qr(std::string_view text) {
  const std::string input(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M),
                                                       &QRcode_free);
  if (!code) return std::nullopt;
  QrCode out;
  out.size = code->width;
  out.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
  for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = code->data[i] & 1;  // bit 0: dark module
  return out;
}

}  // namespace heed
