// The thank-you screen, shown once the answers are saved. It shows none of the
// answers; it goes back to the welcome screen by itself (KioskFlow::tick) or
// with Done.
#pragma once

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct ThanksScreen {
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
