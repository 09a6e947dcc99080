// The on-screen keyboard as data and rules, with no drawing: which keys a page
// shows for a language and a kind of field, and what a key does to the text.
// Layouts: QWERTY (UK) for English; Welsh adds a row of circumflex vowels
// (â ê î ô û ŵ ŷ); Polish adds its letters (ą ć ę ł ń ó ś ź ż). Email fields get
// @ and . and common endings; phone fields a digit pad.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace heed {

enum class KeyboardMode { text, email, phone };
enum class KeyAction { insert, backspace, shift, symbols, letters, space };

struct Key {
  std::string label;  // what the key shows
  std::string text;   // what it inserts (for insert keys)
  KeyAction action = KeyAction::insert;
  float width = 1.0f;  // in key units
};
using KeyRow = std::vector<Key>;

class OnScreenKeyboard {
 public:
  OnScreenKeyboard(std::string_view language, KeyboardMode mode);

  // The rows of the page showing now (letters, shifted letters or symbols).
  std::vector<KeyRow> rows() const;
  bool shifted() const { return shifted_; }
  bool showing_symbols() const { return symbols_; }
  KeyboardMode mode() const { return mode_; }
  const std::string& language() const { return language_; }

  // Applies `key` to `text` (cut at `max_chars` code points). True when the text changed.
  bool press(const Key& key, std::string& text, std::size_t max_chars);

  // Every character any page of any layout can insert, for the font atlas.
  static std::u32string all_characters();
  static std::vector<std::string> languages();  // those with a layout of their own

 private:
  std::string language_;
  KeyboardMode mode_;
  bool shifted_ = false;
  bool symbols_ = false;
};

// Removes the last code point of UTF-8 text.
void utf8_pop_back(std::string& text);
// Upper case of one letter as it appears on the layouts ("ł" -> "Ł"); others unchanged.
std::string upper_letter(std::string_view letter);
// Decodes UTF-8 to code points (invalid bytes are skipped).
std::u32string utf8_decode(std::string_view text);

}  // namespace heed
