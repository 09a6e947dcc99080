// The staff menu, after the right PIN: how delivery to head office stands (online
// or not, records waiting, the oldest unsent record's age, the last delivery and
// the last error, records head office refused and why, a progress bar while a
// backlog drains), enrolment with a code typed on the on-screen keyboard, and the
// ways out: switch this device to staff mode, exit Heed, or back to the kiosk.
// Customers never see any of it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heed/device_store.hpp"
#include "heed/sync/sync_engine.hpp"
#include "heed/time.hpp"
#include "heed/ui/keyboard_view.hpp"
#include "heed/ui/kiosk_intent.hpp"

namespace heed::ui {

// What the sync engine says of delivery, for the staff menu. The runner copies
// it from the engine's status; the UI owns no thread and no socket.
struct SyncState {
  enum class Connection {
    off,           // no server configured: records stay on this device
    not_enrolled,  // a server is configured but this device has no token yet
    connecting,    // enrolled, and no attempt to reach the server has finished yet
    online,        // the last attempt reached the server (a delivery or a heartbeat)
    offline,       // the last attempt failed; retrying with backoff
    revoked,       // head office revoked this device's token: sync has stopped
  };
  Connection connection = Connection::off;
  std::string server_url;
  std::optional<Timestamp> last_success;  // the last batch the server answered
  std::string last_error;                 // empty when the last attempt succeeded
  // While a backlog drains: records delivered of those queued when it began.
  std::optional<std::pair<std::int64_t, std::int64_t>> progress;
  struct Refused {
    std::string record_id;
    std::string reason;  // the server's words
  };
  std::vector<Refused> refused;  // the first few quarantined records
  enum class Enrolment { idle, working, failed, done };
  Enrolment enrolment = Enrolment::idle;
  std::string enrolment_error;  // why the last enrolment failed
};

// The staff menu's view of the engine's `status` for `server_url`: how it is
// connected (not enrolled and revoked before connecting, online or offline), the
// last delivery and error, and the progress only while a backlog drains online.
// The refused records and the enrolment are the caller's to add.
SyncState sync_state_from(const sync::SyncStatus& status, std::string server_url);

struct StaffMenu {
  std::optional<OutboxStats> stats;  // as last read
  std::string error;                 // why they could not be read
  std::optional<SyncState> sync;     // nullopt: this build or config has no sync
  Timestamp read_at{};               // wall-clock time of the read, for the ages

  // "Exit Heed?", shown instead of the menu until staff confirm or go back.
  bool exit_confirm_open = false;
  // Why "Switch to staff mode" cannot be done here (shown after it was tapped).
  std::string staff_mode_problem;

  // The enrolment code entry, shown over the menu's rows when open.
  bool code_entry_open = false;
  std::string code;
  KeyboardView keyboard;

  // Reads the outbox counts and the sync state (an empty source reads nothing).
  void Read(const std::function<Result<OutboxStats>()>& outbox,
            const std::function<std::optional<SyncState>()>& sync_source, Timestamp now);
  // Whether "Enrol this device" is offered: a server is configured and there is
  // no working token.
  bool CanEnrol() const;
  void Draw(const KioskContext& ctx, KioskIntents& out);

 private:
  void DrawMenu(const KioskContext& ctx, KioskIntents& out);
  void DrawCodeEntry(const KioskContext& ctx, KioskIntents& out);
  void DrawExitConfirm(const KioskContext& ctx, KioskIntents& out);
};

// "less than a minute", "12 min", "3 h", "2 days" in the catalogue's words.
std::string format_age(const Catalog& text, std::chrono::seconds age);

// The longest enrolment code the entry takes (the server's are 19 characters
// with dashes; spaces and dashes are allowed anywhere).
inline constexpr std::size_t kMaxEnrolmentCodeChars = 40;

}  // namespace heed::ui
