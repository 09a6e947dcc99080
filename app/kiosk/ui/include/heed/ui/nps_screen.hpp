// The NPS question: 0 to 10 in one row of equal tiles, "not at all likely" under
// 0 and "extremely likely" under 10. All tiles look alike: no colour nudges the
// customer towards an answer.
#pragma once

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct NpsScreen {
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

}  // namespace heed::ui
