// Keyboard layouts as tables and the rules of each key.
#include "heed/keyboard.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "heed/validation.hpp"

namespace heed {
namespace {

struct CaseMap {
  std::string_view lower, upper;
};
// Letters beyond ASCII that the layouts carry, with their capitals.
constexpr std::array<CaseMap, 16> kCaseMaps{{{"â", "Â"},
                                             {"ê", "Ê"},
                                             {"î", "Î"},
                                             {"ô", "Ô"},
                                             {"û", "Û"},
                                             {"ŵ", "Ŵ"},
                                             {"ŷ", "Ŷ"},
                                             {"ą", "Ą"},
                                             {"ć", "Ć"},
                                             {"ę", "Ę"},
                                             {"ł", "Ł"},
                                             {"ń", "Ń"},
                                             {"ó", "Ó"},
                                             {"ś", "Ś"},
                                             {"ź", "Ź"},
                                             {"ż", "Ż"}}};

KeyRow letters(std::string_view row) {
  KeyRow keys;
  for (std::size_t i = 0; i < row.size();) {
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(row[i]);
    if (lead >= 0xF0)
      len = 4;
    else if (lead >= 0xE0)
      len = 3;
    else if (lead >= 0xC0)
      len = 2;
    const std::string letter(row.substr(i, len));
    keys.push_back({letter, letter, KeyAction::insert, 1.0f});
    i += len;
  }
  return keys;
}

Key action(std::string label, KeyAction kind, float width) { return Key{std::move(label), "", kind, width}; }
Key insert(std::string label, std::string text, float width = 1.0f) {
  return Key{std::move(label), std::move(text), KeyAction::insert, width};
}

std::string_view extra_row(std::string_view language) {
  if (language == "cy") return "âêîôûŵŷ";
  if (language == "pl") return "ąćęłńóśźż";
  return "";
}

}  // namespace

std::string upper_letter(std::string_view letter) {
  if (letter.size() == 1 && letter[0] >= 'a' && letter[0] <= 'z')
    return std::string(1, static_cast<char>(letter[0] - 32));
  for (const auto& map : kCaseMaps)
    if (map.lower == letter) return std::string(map.upper);
  return std::string(letter);
}

void utf8_pop_back(std::string& text) {
  while (!text.empty()) {
    const auto byte = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((byte & 0xC0) != 0x80) return;  // removed a lead or ASCII byte: one code point gone
  }
}

std::u32string utf8_decode(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead >= 0x80 && lead < 0xC0) {  // stray continuation byte
      ++i;
      continue;
    }
    char32_t code = extra == 0 ? lead : extra == 1 ? (lead & 0x1F) : extra == 2 ? (lead & 0x0F) : (lead & 0x07);
    if (extra > 0 && i + extra >= text.size()) break;  // truncated at the end
    for (std::size_t k = 1; k <= extra; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(code);
    i += extra + 1;
  }
  return out;
}

OnScreenKeyboard::OnScreenKeyboard(std::string_view language, KeyboardMode mode) : language_(language), mode_(mode) {}

std::vector<std::string> OnScreenKeyboard::languages() { return {"en", "cy", "pl"}; }

std::vector<KeyRow> OnScreenKeyboard::rows() const {
  std::vector<KeyRow> rows;
  if (mode_ == KeyboardMode::phone) {
    rows.push_back(letters("123"));
    rows.push_back(letters("456"));
    rows.push_back(letters("789"));
    rows.push_back({insert("+", "+"), insert("0", "0"), action("⌫", KeyAction::backspace, 1.0f)});
    return rows;
  }
  if (symbols_) {
    rows.push_back(letters("1234567890"));
    rows.push_back(mode_ == KeyboardMode::email ? letters("-_+'&=!#$%") : letters("-/:;()£&@\""));
    rows.push_back(letters(".,?!'"));
    rows.back().push_back(action("⌫", KeyAction::backspace, 1.5f));
    rows.push_back({action("ABC", KeyAction::letters, 2.0f)});
  } else {
    if (mode_ == KeyboardMode::email) rows.push_back(letters("1234567890"));
    rows.push_back(letters("qwertyuiop"));
    rows.push_back(letters("asdfghjkl"));
    KeyRow third = letters("zxcvbnm");
    if (mode_ == KeyboardMode::text) third.insert(third.begin(), action("⇧", KeyAction::shift, 1.5f));
    third.push_back(action("⌫", KeyAction::backspace, 1.5f));
    rows.push_back(std::move(third));
    if (auto extra = extra_row(language_); !extra.empty() && mode_ == KeyboardMode::text)
      rows.insert(rows.begin(), letters(extra));
    if (shifted_)
      for (auto& row : rows)
        for (auto& key : row)
          if (key.action == KeyAction::insert) key.label = key.text = upper_letter(key.text);
    rows.push_back({action("?123", KeyAction::symbols, 2.0f)});
  }
  auto& bottom = rows.back();
  if (mode_ == KeyboardMode::email) {
    bottom.push_back(insert("@", "@"));
    bottom.push_back(insert(".", "."));
    bottom.push_back(insert(".co.uk", ".co.uk", 2.0f));
    bottom.push_back(insert(".com", ".com", 2.0f));
  } else {
    bottom.push_back(insert(",", ","));
    bottom.push_back(action("space", KeyAction::space, 5.0f));
    bottom.push_back(insert(".", "."));
  }
  return rows;
}

bool OnScreenKeyboard::press(const Key& key, std::string& text, std::size_t max_chars) {
  switch (key.action) {
    case KeyAction::shift:
      shifted_ = !shifted_;
      return false;
    case KeyAction::symbols:
      symbols_ = true;
      return false;
    case KeyAction::letters:
      symbols_ = false;
      return false;
    case KeyAction::backspace: {
      if (text.empty()) return false;
      utf8_pop_back(text);
      return true;
    }
    case KeyAction::space:
    case KeyAction::insert: {
      const std::string add = key.action == KeyAction::space ? " " : key.text;
      if (utf8_length(text).value_or(0) + utf8_length(add).value_or(0) > max_chars) return false;
      text += add;
      shifted_ = false;  // one capital, as on a phone
      return true;
    }
  }
  return false;
}

std::u32string OnScreenKeyboard::all_characters() {
  std::set<char32_t> seen;
  for (const auto& language : languages())
    for (auto mode : {KeyboardMode::text, KeyboardMode::email, KeyboardMode::phone}) {
      OnScreenKeyboard keyboard(language, mode);
      for (int page = 0; page < 3; ++page) {
        keyboard.shifted_ = page == 1;
        keyboard.symbols_ = page == 2;
        for (const auto& row : keyboard.rows())
          for (const auto& key : row)
            for (std::string_view part : {std::string_view(key.label), std::string_view(key.text)})
              for (char32_t c : utf8_decode(part)) seen.insert(c);
      }
    }
  return std::u32string(seen.begin(), seen.end());
}

}  // namespace heed
