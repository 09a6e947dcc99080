// The characters the font atlas must hold, built from what Heed ships: every
// string of every catalogue (assets/i18n/*.json), every string of every question
// set (assets/questions/*.json) and every key of every on-screen keyboard layout,
// on top of look.hpp's fixed ranges (Latin-1, Latin Extended-A, punctuation, €)
// for text that arrives from elsewhere (a store's name in the config).
//
// Invariant: ImGui keeps a pointer to the ranges until the atlas is built, so a
// GlyphRanges must outlive the atlas build (the app keeps it for its whole run).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "heed/result.hpp"

namespace heed::ui {

class GlyphRanges {
 public:
  GlyphRanges();  // starts with glyph_ranges() (look.hpp)
  GlyphRanges(const GlyphRanges&) = delete;
  GlyphRanges& operator=(const GlyphRanges&) = delete;

  void add_text(std::string_view utf8);
  // Code points above U+FFFF are ignored: this ImGui build has 16-bit ImWchar.
  void add(char32_t code_point);
  // The zero-terminated range pairs for ImFontAtlas::AddFont*. Built on the first
  // call; adding afterwards is an error (asserts).
  const ImWchar* data();

 private:
  ImFontGlyphRangesBuilder builder_;
  ImVector<ImWchar> ranges_;
  bool built_ = false;
};

// Every string of the catalogues and question sets under `assets_dir`, in no
// particular order. A file that is not valid JSON is an error naming it.
Result<std::vector<std::string>> shipped_texts(const std::filesystem::path& assets_dir);

// Adds shipped_texts(assets_dir) and OnScreenKeyboard::all_characters() to `ranges`.
Result<void> add_shipped_text(GlyphRanges& ranges, const std::filesystem::path& assets_dir);

}  // namespace heed::ui
