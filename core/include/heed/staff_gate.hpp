// The way staff leave the customer screens: a long press on a hidden corner,
// then a staff PIN checked against its argon2id hash. Repeated wrong PINs lock
// the pad for a while so a customer cannot guess their way in.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace heed {

struct StaffGateSettings {
  std::chrono::milliseconds hold_for{3000};  // long press on the corner
  int attempts_before_lockout = 5;
  std::chrono::seconds lockout{60};
  std::chrono::seconds pin_pad_timeout{30};  // an abandoned PIN pad closes itself
};

class StaffGate {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  enum class State { closed, pin_entry, open };
  enum class PinResult { accepted, wrong, locked_out };

  StaffGate(std::string pin_hash, StaffGateSettings settings = {});

  State state() const { return state_; }
  const std::string& entered() const { return entered_; }  // shown as dots
  int wrong_attempts() const { return wrong_attempts_; }
  // Seconds until the pad takes PINs again; 0 when not locked out.
  int lockout_seconds_left(TimePoint now) const;
  // How far the long press has come, 0..1, for a subtle progress ring.
  float hold_progress(TimePoint now) const;

  // The hidden corner: pressed (true) or released (false) at `now`.
  void corner(bool pressed, TimePoint now);
  void digit(char d, TimePoint now);
  void erase();
  PinResult submit(TimePoint now);
  // Opens the PIN pad without the corner: for a screen with its own button that
  // asks for the staff PIN (the tablet's "Back to the kiosk").
  void open_pin_entry(TimePoint now);
  void close();  // back to the customer screens
  // Opens the pad once the press has been held long enough; closes an idle pad.
  // True when the state changed.
  bool tick(TimePoint now);
  // When tick() next has work, if ever.
  std::optional<TimePoint> next_deadline() const;

 private:
  std::string pin_hash_;
  StaffGateSettings settings_;
  State state_ = State::closed;
  std::optional<TimePoint> pressed_since_;
  std::string entered_;
  int wrong_attempts_ = 0;
  TimePoint locked_until_{};
  TimePoint last_input_{};
};

}  // namespace heed
