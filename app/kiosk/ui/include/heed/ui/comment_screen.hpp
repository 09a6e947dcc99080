// The optional comment: a text box the customer taps to bring up the on-screen
// keyboard in their language, with how many characters are left. The comment
// itself lives in KioskFlow; this screen keeps only whether the keyboard is up and
// the keyboard's page.
#pragma once

#include "heed/ui/keyboard_view.hpp"
#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct CommentScreen {
  bool typing = false;    // the keyboard is up (the box has the caret)
  KeyboardView keyboard;  // its layout and page

  void Focus(bool on);
  void Reset();
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
