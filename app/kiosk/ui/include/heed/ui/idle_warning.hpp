// "Are you still there?": over any screen once the customer has not touched it
// for the idle time, with the seconds left before the answers are cleared and a
// big "I need more time". Any touch keeps the session; that button also doubles
// the time before the next warning (KioskFlow::need_more_time).
#pragma once

#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct IdleWarning {
  void Draw(const KioskContext& ctx, const IdleStatus& status, KioskIntents& out);
};

}  // namespace heed::ui
