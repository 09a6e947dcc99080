// Glyph ranges from the shipped catalogues, question sets and keyboard layouts.
#include "heed/ui/glyphs.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "heed/keyboard.hpp"
#include "heed/ui/look.hpp"

namespace heed::ui {
namespace {

// Every string value anywhere in `json` (object values, array items, nested).
void collect_strings(const nlohmann::json& json, std::vector<std::string>& out) {
  if (json.is_string()) {
    out.push_back(json.get<std::string>());
  } else if (json.is_object() || json.is_array()) {
    for (const auto& item : json) collect_strings(item, out);
  }
}

// The *.json files of `dir`, sorted; none if the folder does not exist.
std::vector<std::filesystem::path> json_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file(ec) && entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

GlyphRanges::GlyphRanges() { builder_.AddRanges(glyph_ranges()); }

void GlyphRanges::add_text(std::string_view utf8) {
  IM_ASSERT(!built_ && "GlyphRanges: add before data()");
  for (const char32_t c : utf8_decode(utf8)) add(c);
}

void GlyphRanges::add(char32_t code_point) {
  IM_ASSERT(!built_ && "GlyphRanges: add before data()");
  if (code_point >= 0x20 && code_point <= 0xFFFF) builder_.AddChar(static_cast<ImWchar>(code_point));
}

const ImWchar* GlyphRanges::data() {
  if (!built_) {
    builder_.BuildRanges(&ranges_);
    built_ = true;
  }
  return ranges_.Data;
}

Result<std::vector<std::string>> shipped_texts(const std::filesystem::path& assets_dir) {
  std::vector<std::string> texts;
  for (const auto* folder : {"i18n", "questions"}) {
    for (const auto& file : json_files(assets_dir / folder)) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      const auto json = nlohmann::json::parse(content.str(), nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded()) return make_error(Errc::invalid, file.string() + ": not valid JSON");
      collect_strings(json, texts);
    }
  }
  return texts;
}

Result<void> add_shipped_text(GlyphRanges& ranges, const std::filesystem::path& assets_dir) {
  auto texts = shipped_texts(assets_dir);
  if (!texts) return texts.error();
  for (const auto& text : texts.value()) ranges.add_text(text);
  for (const char32_t c : OnScreenKeyboard::all_characters()) ranges.add(c);
  return Ok{};
}

}  // namespace heed::ui
