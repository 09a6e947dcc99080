// The optional call-back: a consent box that starts unticked ("You may contact
// me about this feedback"), the privacy notice one tap away, and only once the
// box is ticked, the name, email and phone fields, each typed on the keyboard
// layout it needs (letters, email with @ and ., a phone pad). A problem with a
// field shows under it, in the customer's language, by the flow's error code.
// The values and the consent live in KioskFlow; this screen keeps only which
// field the keyboard types into and the keyboard's page.
#pragma once

#include "heed/ui/keyboard_view.hpp"
#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct CallbackScreen {
  TextTarget typing = TextTarget::none;  // name, email or phone while the keyboard is up
  KeyboardView keyboard;

  void Focus(TextTarget target);  // comment and none put the keyboard away
  void Reset();
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
