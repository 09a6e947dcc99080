// The staff PIN pad, opened by a long press on the hidden corner: the digits
// entered so far as dots, a number pad, Enter and Cancel, and why the last PIN
// was refused (wrong, or too many tries with the seconds to wait). The PIN is
// checked by StaffGate against its argon2id hash; nothing here sees the hash.
#pragma once

#include "heed/staff_gate.hpp"
#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct PinPad {
  enum class Message { none, wrong, locked };
  Message message = Message::none;  // the outcome of the last Enter

  void Reset() { message = Message::none; }
  void Draw(const KioskContext& ctx, const StaffGate& gate, KioskIntents& out);
};

}  // namespace heed::ui
