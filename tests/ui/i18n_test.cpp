// The string catalogue: English fallback, placeholders, misses, and the shipped en.json.
#include <doctest/doctest.h>

#include <string>

#include "heed/ui/i18n.hpp"

using heed::ui::Catalog;

TEST_CASE("ui.i18n: a language falls back to English key by key") {
  auto catalog = Catalog::from_json(R"({"a": "Hello", "b": "Thank you"})", R"({"a": "Helo"})", "cy");
  REQUIRE(catalog.ok());
  CHECK(catalog->language() == "cy");
  CHECK(std::string(catalog->tr("a")) == "Helo");
  CHECK(std::string(catalog->tr("b")) == "Thank you");
  CHECK(catalog->missing_keys().empty());
}

TEST_CASE("ui.i18n: a missing key shows itself and is remembered") {
  auto catalog = Catalog::from_json(R"({"a": "Hello"})");
  REQUIRE(catalog.ok());
  CHECK(std::string(catalog->tr("nope.key")) == "nope.key");
  CHECK_FALSE(catalog->has("nope.key"));
  CHECK(catalog->missing_keys() == std::vector<std::string>{"nope.key"});
}

TEST_CASE("ui.i18n: placeholders are filled by name") {
  auto catalog = Catalog::from_json(R"({"x": "{name} ({code}) {unknown} {"})");
  REQUIRE(catalog.ok());
  CHECK(catalog->format("x", {{"name", "Till 2"}, {"code", "K2"}}) == "Till 2 (K2) {unknown} {");
}

TEST_CASE("ui.i18n: a malformed catalogue is an error that names the problem") {
  CHECK_FALSE(Catalog::from_json("not json").ok());
  auto not_string = Catalog::from_json(R"({"a": 3})");
  REQUIRE_FALSE(not_string.ok());
  CHECK(not_string.error().message.find("\"a\" must be a string") != std::string::npos);
  CHECK_FALSE(Catalog::from_json(R"(["a"])").ok());
}

TEST_CASE("ui.i18n: the shipped English catalogue loads, and an absent language stays English") {
  auto english = Catalog::load(HEED_ASSETS_DIR "/i18n", "en");
  REQUIRE_MESSAGE(english.ok(), (english.ok() ? "" : english.error().message));
  CHECK(english->has("app.name"));
  auto klingon = Catalog::load(HEED_ASSETS_DIR "/i18n", "tlh");
  REQUIRE(klingon.ok());
  CHECK(klingon->language() == "en");
  CHECK(std::string(klingon->tr("app.name")) == "Heed");
  CHECK_FALSE(Catalog::load(HEED_TEST_BINARY_DIR "/no-such-dir", "en").ok());
}
