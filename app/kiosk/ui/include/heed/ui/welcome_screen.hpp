// The kiosk's first screen: what this is, a big Start, the language choice (each
// language in its own name) and the three accessibility choices (high contrast,
// larger text, controls lower down), each one tap away.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct WelcomeScreen {
  struct Language {
    std::string code;  // "cy"
    std::string name;  // in its own language: "Cymraeg"
  };
  struct Inputs {
    const KioskContext& ctx;
    const std::vector<Language>& languages;  // as offered, the default first
    std::string_view touchpoint_name;        // from the question set, e.g. "Checkout"
  };

  // Draws the screen; appends what the customer asked for.
  void Draw(const Inputs& in, KioskIntents& out);
};

}  // namespace heed::ui
