// The staff menu, after the right PIN: how the outbox stands (records waiting,
// the oldest unsent record's age, records head office refused), and the ways
// out: switch this device to staff mode, exit Heed, or back to the kiosk.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "heed/device_store.hpp"
#include "heed/time.hpp"
#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

struct StaffMenu {
  std::optional<OutboxStats> stats;  // as read when the menu opened
  std::string error;                 // why they could not be read
  Timestamp read_at{};               // wall-clock time of the read, for the age

  // Reads the outbox counts (an empty `source` reads nothing).
  void Read(const std::function<Result<OutboxStats>()>& source, Timestamp now);
  void Draw(const KioskContext& ctx, KioskIntents& out);
};

// "less than a minute", "12 min", "3 h", "2 days" in the catalogue's words.
std::string format_age(const Catalog& text, std::chrono::seconds age);

}  // namespace heed::ui
