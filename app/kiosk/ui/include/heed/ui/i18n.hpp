// The string catalogue: every word the UI shows is a key in
// assets/i18n/<lang>.json, a flat JSON object of key -> UTF-8 string
// (style.md point 7). English (en.json) is always loaded and is the fallback for
// a key another language lacks; a key missing from English too is shown as the
// key itself and remembered, so a test can assert that a screen uses only known
// keys.
//
// Placeholders are written "{name}" and filled by Catalog::format.
// A Catalog is used from the UI thread only (its miss list is not locked).
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heed/result.hpp"

namespace heed::ui {

class Catalog {
 public:
  // An empty catalogue: every lookup is a miss. Useful only in tests.
  Catalog() = default;

  // Loads <dir>/en.json, then <dir>/<language>.json on top of it. A missing or
  // malformed en.json, or a malformed <language>.json, is an error; a missing
  // <language>.json is not: the catalogue stays English and language() says "en".
  static Result<Catalog> load(const std::filesystem::path& dir, std::string_view language);

  // Builds a catalogue from JSON text (English first, then an optional overlay).
  static Result<Catalog> from_json(std::string_view english, std::string_view overlay = {},
                                   std::string_view overlay_language = {});

  // The text of `key`: the chosen language's, else English's, else the key itself.
  // The pointer stays valid for the catalogue's lifetime.
  const char* tr(std::string_view key) const;

  // tr(key) with each "{name}" replaced by its value; unknown placeholders stay as written.
  std::string format(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;

  // True when `key` is in the chosen language or in English.
  bool has(std::string_view key) const;

  // The language whose strings are shown first ("en" when the overlay was missing).
  const std::string& language() const { return language_; }

  // Keys looked up but found nowhere, in sorted order.
  std::vector<std::string> missing_keys() const;

 private:
  using Map = std::map<std::string, std::string, std::less<>>;
  Map strings_;  // English with the chosen language on top
  std::string language_ = "en";
  mutable Map missing_;  // key -> key, so tr() can return a stable pointer on a miss
};

}  // namespace heed::ui
