#include "heed/qr.hpp"

#include <fmt/format.h>
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

std::string qr_svg(const QrCode& code, std::string_view title, int quiet, int px_per_module) {
  std::string escaped;
  for (char c : title) {
    switch (c) {
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '&':
        escaped += "&amp;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  const int side = code.size + 2 * quiet;
  std::string path;
  path.reserve(code.dark.size() * 10);
  for (int y = 0; y < code.size; ++y)
    for (int x = 0; x < code.size; ++x)
      if (code.is_dark(x, y)) fmt::format_to(std::back_inserter(path), "M{} {}h1v1h-1z", x + quiet, y + quiet);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {0} {0}\" width=\"{1}\" "
      "height=\"{1}\" shape-rendering=\"crispEdges\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"{0}\" height=\"{0}\" fill=\"#ffffff\"/>\n"
      "<path fill=\"#000000\" d=\"{3}\"/>\n"
      "</svg>\n",
      side, side * px_per_module, escaped, path);
}

}  // namespace heed
