#include <doctest/doctest.h>

#include <algorithm>

#include "heed/keyboard.hpp"
#include "heed/validation.hpp"

using namespace heed;

namespace {

const Key& find_key(const std::vector<KeyRow>& rows, std::string_view label) {
  for (const auto& row : rows)
    for (const auto& key : row)
      if (key.label == label) return key;
  FAIL("no key " << label);
  static Key none;
  return none;
}

bool has_key(const std::vector<KeyRow>& rows, std::string_view label) {
  return std::any_of(rows.begin(), rows.end(), [&](const KeyRow& row) {
    return std::any_of(row.begin(), row.end(), [&](const Key& k) { return k.label == label; });
  });
}

}  // namespace

TEST_CASE("each language has its own letters") {
  CHECK(has_key(OnScreenKeyboard("en", KeyboardMode::text).rows(), "q"));
  CHECK_FALSE(has_key(OnScreenKeyboard("en", KeyboardMode::text).rows(), "ŵ"));
  const auto welsh = OnScreenKeyboard("cy", KeyboardMode::text).rows();
  for (const char* letter : {"â", "ê", "î", "ô", "û", "ŵ", "ŷ"}) CHECK(has_key(welsh, letter));
  const auto polish = OnScreenKeyboard("pl", KeyboardMode::text).rows();
  for (const char* letter : {"ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż"}) CHECK(has_key(polish, letter));
}

TEST_CASE("typing, shift for one capital, symbols and backspace by character") {
  OnScreenKeyboard keyboard("pl", KeyboardMode::text);
  std::string text;
  keyboard.press(find_key(keyboard.rows(), "⇧"), text, 100);
  CHECK(keyboard.shifted());
  CHECK(keyboard.press(find_key(keyboard.rows(), "Ł"), text, 100));
  CHECK_FALSE(keyboard.shifted());
  keyboard.press(find_key(keyboard.rows(), "ó"), text, 100);
  keyboard.press(find_key(keyboard.rows(), "d"), text, 100);
  keyboard.press(find_key(keyboard.rows(), "ź"), text, 100);
  CHECK(text == "Łódź");
  keyboard.press(find_key(keyboard.rows(), "space"), text, 100);
  keyboard.press(find_key(keyboard.rows(), "?123"), text, 100);
  CHECK(keyboard.showing_symbols());
  keyboard.press(find_key(keyboard.rows(), "£"), text, 100);
  keyboard.press(find_key(keyboard.rows(), "5"), text, 100);
  CHECK(text == "Łódź £5");
  keyboard.press(find_key(keyboard.rows(), "ABC"), text, 100);
  CHECK_FALSE(keyboard.showing_symbols());
  for (int i = 0; i < 4; ++i) keyboard.press(find_key(keyboard.rows(), "⌫"), text, 100);
  CHECK(text == "Łód");
  CHECK(utf8_length(text) == 3u);
}

TEST_CASE("the limit stops typing") {
  OnScreenKeyboard keyboard("en", KeyboardMode::text);
  std::string text = "abc";
  CHECK_FALSE(keyboard.press(find_key(keyboard.rows(), "d"), text, 3));
  CHECK(text == "abc");
}

TEST_CASE("email fields have @, dot, endings and digits; no space") {
  OnScreenKeyboard keyboard("en", KeyboardMode::email);
  const auto rows = keyboard.rows();
  for (const char* label : {"@", ".", ".co.uk", ".com", "1", "0"}) CHECK(has_key(rows, label));
  CHECK_FALSE(has_key(rows, "space"));
  std::string text;
  for (const char* label : {"f", "f", "@", "e", "x", ".co.uk"})
    keyboard.press(find_key(keyboard.rows(), label), text, 254);
  CHECK(text == "ff@ex.co.uk");
}

TEST_CASE("phone fields are a digit pad with +") {
  const auto rows = OnScreenKeyboard("cy", KeyboardMode::phone).rows();
  for (const char* label : {"0", "1", "9", "+", "⌫"}) CHECK(has_key(rows, label));
  CHECK_FALSE(has_key(rows, "q"));
}

TEST_CASE("every character a keyboard can type is listed for the font atlas") {
  const auto all = OnScreenKeyboard::all_characters();
  for (char32_t c : {U'a', U'Z', U'ŵ', U'Ŷ', U'ł', U'Ż', U'£', U'@', U'⌫', U'⇧'})
    CHECK(all.find(c) != std::u32string::npos);
}
