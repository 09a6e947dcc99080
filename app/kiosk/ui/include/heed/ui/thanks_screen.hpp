// The thank-you screen, shown once the answers are saved. It shows none of the
// answers; to a customer who asked for a call-back it says by when to expect it
// (KioskFlow::callback_promise), and to anyone else nothing about one. It goes
// back to the welcome screen by itself (KioskFlow::tick) or with Done.
#pragma once

#include <string>

#include "heed/ui/kiosk_intent.hpp"
#include "heed/workflow_rules.hpp"

namespace heed::ui {

// The promise in the catalogue's language: "We'll be in touch by 3pm tomorrow."
// Day and month names and the clock's style come from the catalogue (date.*, time.*).
std::string CallbackPromiseText(const Catalog& text, const CallbackPromise& promise);

struct ThanksScreen {
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
