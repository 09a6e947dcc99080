// The kiosk's words and letters: every catalogue has every English key (a
// missing one would show English mid-screen), all catalogues record the same
// privacy notice version, and the font atlas holds every character that any
// shipped catalogue, question set or keyboard key uses (£, ŵ, ŷ, ł, ż, ⌫, ⇧ ...).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "heed/keyboard.hpp"
#include "heed/ui/glyphs.hpp"
#include "heed/ui/look.hpp"
#include "ui_harness.hpp"

namespace ui = heed::ui;

namespace {

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// Keys of `reference` that `other` lacks, sorted.
std::vector<std::string> keys_missing(const nlohmann::json& reference, const nlohmann::json& other) {
  std::vector<std::string> missing;
  for (const auto& [key, value] : reference.items())
    if (!other.contains(key)) missing.push_back(key);
  return missing;
}

// Every catalogue file but English: language code -> document.
std::map<std::string, nlohmann::json> other_catalogues() {
  std::map<std::string, nlohmann::json> out;
  for (const auto& entry : std::filesystem::directory_iterator(HEED_ASSETS_DIR "/i18n"))
    if (entry.path().extension() == ".json" && entry.path().stem() != "en")
      out[entry.path().stem().string()] = read_json(entry.path());
  return out;
}

}  // namespace

TEST_CASE("ui.i18n: the check for missing keys finds them") {
  const auto english = nlohmann::json::parse(R"({"a": "A", "b": "B", "c": "C"})");
  const auto welsh = nlohmann::json::parse(R"({"a": "A", "extra": "x"})");
  CHECK(keys_missing(english, welsh) == std::vector<std::string>{"b", "c"});
}

TEST_CASE("ui.i18n: every shipped catalogue has every English key") {
  const auto english = read_json(HEED_ASSETS_DIR "/i18n/en.json");
  const auto others = other_catalogues();
  CHECK(others.size() >= 2);  // Welsh and Polish at least
  for (const auto& [language, catalogue] : others) {
    const auto missing = keys_missing(english, catalogue);
    std::string list;
    for (const auto& key : missing) list += "\n  " + key;
    INFO(language, ".json lacks ", missing.size(), " English key(s):", list);
    CHECK(missing.empty());
    for (const auto& [key, value] : catalogue.items()) {
      CAPTURE(key);
      CHECK(english.contains(key));  // no stray keys either
      CHECK(value.is_string());
    }
  }
}

TEST_CASE("ui.i18n: every catalogue records the same privacy notice version") {
  const auto english = read_json(HEED_ASSETS_DIR "/i18n/en.json");
  for (const auto& [language, catalogue] : other_catalogues()) {
    CAPTURE(language);
    CHECK(catalogue.value("privacy.version", "") == english.value("privacy.version", "?"));
  }
}

TEST_CASE("ui.fonts: every character of every shipped text and keyboard key is in every font") {
  heed::test::UiHarness h;  // fonts as the app loads them, with the shipped glyph ranges
  auto texts = ui::shipped_texts(HEED_ASSETS_DIR);
  REQUIRE(texts.ok());
  std::set<char32_t> wanted;
  for (const auto& text : texts.value())
    for (const char32_t c : heed::utf8_decode(text))
      if (c >= 0x20) wanted.insert(c);
  for (const char32_t c : heed::OnScreenKeyboard::all_characters()) wanted.insert(c);
  for (const char32_t c : std::u32string(U"£ŵŷłżâŴŶŁŻ⌫⇧…")) CHECK(wanted.count(c) == 1);  // the ones that matter most

  // The larger-text set is loaded when first asked for, between frames.
  ui::Look larger = ui::look();
  larger.large_text = true;
  ui::set_look(larger);
  h.frame([] {});
  const ui::Fonts& fonts = ui::look().fonts;
  const std::vector<std::pair<const char*, ImFont*>> all{{"body", fonts.body},
                                                         {"heading", fonts.heading},
                                                         {"title", fonts.title},
                                                         {"display", fonts.display},
                                                         {"large body", fonts.large.body},
                                                         {"large heading", fonts.large.heading},
                                                         {"large title", fonts.large.title},
                                                         {"large display", fonts.large.display}};
  for (const auto& [name, font] : all) {
    CAPTURE(name);
    REQUIRE(font != nullptr);
    std::string lacking;
    for (const char32_t c : wanted) {
      if (c == U' ') continue;
      if (font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) {
        char hex[16];
        std::snprintf(hex, sizeof hex, " U+%04X", static_cast<unsigned>(c));
        lacking += hex;
      }
    }
    INFO("no glyph for", lacking);
    CHECK(lacking.empty());
  }
}
