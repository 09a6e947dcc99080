// The on-screen keyboard's keys. Keys are recorded as "<label>##k<row>.<column>",
// so a test taps a key by what it shows ("q", "⌫"); their ImGui ids are
// "###k<row>.<column>" alone, so a key keeps its id when Shift or ?123 changes
// what it shows (a new id would count as a new button, and the tap guard in
// widgets.hpp would ignore a quick tap on it).
#include "heed/ui/keyboard_view.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"
#include "heed/validation.hpp"

namespace heed::ui {
namespace {

constexpr float kDoneWidth = 2.0f;  // units

// The rows of `keyboard`'s other page (symbols when on letters, and back).
std::vector<KeyRow> other_page(const OnScreenKeyboard& keyboard) {
  OnScreenKeyboard copy = keyboard;
  std::string ignored;
  copy.press(Key{"", "", keyboard.showing_symbols() ? KeyAction::letters : KeyAction::symbols, 1.0f}, ignored, 0);
  return copy.rows();
}

float row_units(const KeyRow& row) {
  float units = 0;
  for (const auto& key : row) units += key.width;
  return units;
}

// The rows as drawn: the model's, plus Done (its own row on the phone pad, else
// at the end of the bottom row).
std::vector<KeyRow> drawn_rows(const OnScreenKeyboard& keyboard, std::vector<KeyRow> rows, bool done_key) {
  if (!done_key) return rows;
  Key done{"", "", KeyAction::letters, kDoneWidth};  // the action is never applied: Done is handled apart
  if (keyboard.mode() == KeyboardMode::phone) {
    done.width = 3.0f;
    rows.push_back({done});
  } else {
    rows.back().push_back(done);
  }
  return rows;
}

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

OnScreenKeyboard& KeyboardView::Use(std::string_view language, KeyboardMode mode) {
  if (!model || model->language() != language || model->mode() != mode) model.emplace(language, mode);
  return *model;
}

KeyboardView::Metrics KeyboardView::Measure(const OnScreenKeyboard& keyboard, float width, bool done_key,
                                            bool compact) {
  Metrics m;
  m.gap = std::round(px(compact ? 7.0f : 10.0f));
  m.key_height = TouchMinimum();
  float units = 0;
  std::size_t rows = 0;
  for (const auto& page : {keyboard.rows(), other_page(keyboard)}) {
    const auto drawn = drawn_rows(keyboard, page, done_key);
    rows = std::max(rows, drawn.size());
    for (const auto& row : drawn) units = std::max(units, row_units(row));
  }
  // A key of w units spans w * unit + (w - 1) * gap, so a row of U units is U * (unit + gap) - gap.
  const float largest = keyboard.mode() == KeyboardMode::phone ? px(200.0f) : px(124.0f);
  m.unit = std::floor(std::clamp((width + m.gap) / units - m.gap, TouchMinimum(), std::max(largest, TouchMinimum())));
  m.rows = static_cast<int>(rows);
  m.size = ImVec2(units * (m.unit + m.gap) - m.gap, static_cast<float>(rows) * (m.key_height + m.gap) - m.gap);
  return m;
}

bool KeyboardView::Draw(ImVec2 at, const Metrics& m, std::string& text, std::size_t max_chars, const Catalog& t,
                        bool done_key, bool* done) {
  if (!model) return false;
  OnScreenKeyboard& keyboard = *model;
  const auto rows = drawn_rows(keyboard, keyboard.rows(), done_key);
  bool changed = false;
  std::optional<Key> tapped;
  ImFont* symbol_font = FontFor(TextRole::heading);
  ImFont* letter_font = FontFor(TextRole::body);
  ImDrawList* draw = ImGui::GetWindowDrawList();

  float y = at.y;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const float units = row_units(row);
    float x = std::round(at.x + (m.size.x - (units * (m.unit + m.gap) - m.gap)) * 0.5f);  // rows centred
    for (std::size_t c = 0; c < row.size(); ++c) {
      const Key& key = row[c];
      const bool is_done =
          done_key && ((keyboard.mode() == KeyboardMode::phone && r + 1 == rows.size()) ||
                       (keyboard.mode() != KeyboardMode::phone && r + 1 == rows.size() && c + 1 == row.size()));
      const std::string shown = is_done                          ? t.tr("keyboard.done")
                                : key.action == KeyAction::space ? t.tr("keyboard.space")
                                                                 : key.label;
      const float width = std::round(key.width * (m.unit + m.gap) - m.gap);
      const std::string place = std::to_string(r) + "." + std::to_string(c);
      const std::string id = "###k" + place;
      const std::string recorded = shown + "##k" + place;
      const bool selected = key.action == KeyAction::shift && keyboard.shifted();
      // Done is a plain key: the screen's Continue stays the one filled button.
      ImGui::SetCursorScreenPos(ImVec2(x, y));
      const Tile tile = TouchTile(id.c_str(), ImVec2(width, m.key_height), ButtonStyle::secondary, selected,
                                  ItemKind::button, recorded);
      // Shift and Backspace are symbols: draw them in the larger bold font.
      const bool symbol = !is_done && (key.action == KeyAction::shift || key.action == KeyAction::backspace);
      ImFont* font = symbol ? symbol_font : letter_font;
      const float font_size = FittedFontSize(font, shown, width - px(16.0f));  // "Wedi gorffen" on a Done key
      const ImVec2 size = font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, shown.c_str());
      const ImVec2 label_at(std::round((tile.min.x + tile.max.x - size.x) * 0.5f),
                            std::round((tile.min.y + tile.max.y - size.y) * 0.5f));
      draw->AddText(font, font_size, label_at, tile.text, shown.c_str());
      NoteItemText(label_at, ImVec2(label_at.x + size.x, label_at.y + size.y));
      if (!is_done && key.action == KeyAction::backspace) {
        // A tap deletes one character; a hold repeats (one more each interval after the delay).
        const double now = ImGui::GetTime();
        if (tile.held) {
          if (backspace_since_ < 0.0) {
            backspace_since_ = now;
            backspace_repeats_ = 0;
          }
          const double held_for = now - backspace_since_;
          const int due =
              held_for < kRepeatDelay ? 0 : 1 + static_cast<int>((held_for - kRepeatDelay) / kRepeatInterval);
          for (; backspace_repeats_ < due; ++backspace_repeats_) changed |= keyboard.press(key, text, max_chars);
          WantNextFrame();  // a still finger sends no input: keep time moving
        } else {
          if (tile.tapped && backspace_repeats_ == 0) tapped = key;
          backspace_since_ = -1.0;
          backspace_repeats_ = 0;
        }
      } else if (tile.tapped) {
        if (is_done) {
          if (done != nullptr) *done = true;
        } else {
          tapped = key;
        }
      }
      x += width + m.gap;
    }
    y += m.key_height + m.gap;
  }
  if (tapped) changed |= keyboard.press(*tapped, text, max_chars);
  if (changed) refused = false;
  return changed;
}

bool KeyboardView::CanDraw(unsigned c) {
  if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF) || c > 0xFFFF) return false;
  return FontFor(TextRole::body)->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
}

bool KeyboardView::TakeTyped(std::string& text, std::size_t max_chars, bool* refused) {
  ImGuiIO& io = ImGui::GetIO();
  bool changed = false;
  bool refusal = false;
  for (const ImWchar c : io.InputQueueCharacters) {
    if (c < 0x20 || c == 0x7F) continue;  // control characters
    if (!CanDraw(c)) {
      refusal = true;  // drawn as "?" and stored as U+FFFD otherwise
      continue;
    }
    std::string add;
    append_utf8(add, c);
    if (utf8_length(text).value_or(0) + 1 > max_chars) break;
    text += add;
    changed = true;
  }
  io.InputQueueCharacters.resize(0);  // taken: nothing else reads them
  if (!text.empty() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) {
    utf8_pop_back(text);
    changed = true;
  }
  if (refused != nullptr) {
    if (refusal)
      *refused = true;
    else if (changed)
      *refused = false;
  }
  return changed;
}

}  // namespace heed::ui
