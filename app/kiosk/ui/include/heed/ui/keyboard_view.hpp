// The on-screen keyboard as touch keys: draws OnScreenKeyboard::rows() (core)
// in the customer's language and the field's mode, and applies a tapped key to
// the text being typed. The physical keyboard also types into the same text
// (development, and a service engineer's USB keyboard).
//
// Backspace held down repeats like a phone's: after kRepeatDelay, one character
// every kRepeatInterval; while it is held the view asks for frames
// (WantNextFrame), as a still finger sends no input to wake the app.
// A character typed on a physical keyboard that the font cannot draw (emoji,
// which ImGui 1.86's 16-bit characters turn into U+FFFD) is refused, never stored
// as "?" or U+FFFD; `refused` then asks the screen for a polite message.
//
// Invariants: every key is at least TouchMinimum() on each side (Measure widens
// the keyboard past the width it was offered rather than shrink a key); the
// keyboard keeps one height across its pages (letters, capitals, symbols), so
// nothing jumps when Shift or ?123 is tapped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <imgui.h>

#include "heed/keyboard.hpp"
#include "heed/ui/i18n.hpp"

namespace heed::ui {

struct KeyboardView {
  // Backspace held this long starts repeating (a phone's keyboard waits about as long).
  static constexpr double kRepeatDelay = 0.5;
  // Then one character goes every this often: ten a second, slow enough to let go in time.
  static constexpr double kRepeatInterval = 0.1;

  std::optional<OnScreenKeyboard> model;  // the layout and its page; null until first used
  // A character typed on a physical keyboard was refused (the font cannot draw
  // it); true until the text next changes. Screens show "keyboard.cannot_use".
  bool refused = false;

  // The model for `language` and `mode`; a different one starts afresh on its letters page.
  OnScreenKeyboard& Use(std::string_view language, KeyboardMode mode);
  void Reset() {
    model.reset();
    refused = false;
    backspace_since_ = -1.0;
  }

  struct Metrics {
    float unit = 0;        // width of a one-unit key
    float key_height = 0;  // every key's height
    float gap = 0;         // between keys and rows
    int rows = 0;          // rows reserved (the most any page has)
    ImVec2 size;           // the whole keyboard
  };
  // How the keyboard lays out in `width` (it may come out wider, never with small
  // keys). `compact`: tighter gaps, for the lowered layout's shorter lower part.
  static Metrics Measure(const OnScreenKeyboard& keyboard, float width, bool done_key, bool compact = false);

  // Draws the keys with their top-left at `at`. A tapped key edits `text` (at most
  // `max_chars` code points); Done sets *done. True when `text` changed.
  bool Draw(ImVec2 at, const Metrics& metrics, std::string& text, std::size_t max_chars, const Catalog& t,
            bool done_key, bool* done);

  // Characters and Backspace from a physical keyboard this frame; true when `text`
  // changed. Characters the body font has no glyph for, and U+FFFD, are not
  // inserted: *refused (when given) becomes true; an accepted change makes it false.
  static bool TakeTyped(std::string& text, std::size_t max_chars, bool* refused = nullptr);
  // True when the body font can draw `c` (it is in the glyph ranges the app built).
  static bool CanDraw(unsigned c);

 private:
  double backspace_since_ = -1.0;  // ImGui time Backspace went down; < 0 when not held
  int backspace_repeats_ = 0;      // characters the hold has deleted so far
};

}  // namespace heed::ui
