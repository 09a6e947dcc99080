#include "heed/staff_gate.hpp"

#include <algorithm>

#include "heed/secrets.hpp"

namespace heed {

StaffGate::StaffGate(std::string pin_hash, StaffGateSettings settings)
    : pin_hash_(std::move(pin_hash)), settings_(settings) {}

int StaffGate::lockout_seconds_left(TimePoint now) const {
  if (now >= locked_until_) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(locked_until_ - now).count());
}

float StaffGate::hold_progress(TimePoint now) const {
  if (!pressed_since_ || state_ != State::closed) return 0.0f;
  const auto held = std::chrono::duration<float>(now - *pressed_since_).count();
  return std::clamp(held / std::chrono::duration<float>(settings_.hold_for).count(), 0.0f, 1.0f);
}

void StaffGate::corner(bool pressed, TimePoint now) {
  if (pressed && !pressed_since_) pressed_since_ = now;
  if (!pressed) pressed_since_.reset();
  tick(now);
}

void StaffGate::digit(char d, TimePoint now) {
  if (state_ != State::pin_entry || d < '0' || d > '9' || entered_.size() >= 8) return;
  entered_ += d;
  last_input_ = now;
}

void StaffGate::erase() {
  if (!entered_.empty()) entered_.pop_back();
}

StaffGate::PinResult StaffGate::submit(TimePoint now) {
  last_input_ = now;
  if (lockout_seconds_left(now) > 0) {
    entered_.clear();
    return PinResult::locked_out;
  }
  const bool right = is_valid_pin(entered_) && verify_secret(entered_, pin_hash_);
  entered_.clear();
  if (right) {
    wrong_attempts_ = 0;
    state_ = State::open;
    return PinResult::accepted;
  }
  if (++wrong_attempts_ >= settings_.attempts_before_lockout) {
    locked_until_ = now + settings_.lockout;
    wrong_attempts_ = 0;
    return PinResult::locked_out;
  }
  return PinResult::wrong;
}

void StaffGate::open_pin_entry(TimePoint now) {
  state_ = State::pin_entry;
  pressed_since_.reset();
  entered_.clear();
  last_input_ = now;
}

void StaffGate::close() {
  state_ = State::closed;
  entered_.clear();
  pressed_since_.reset();
}

bool StaffGate::tick(TimePoint now) {
  if (state_ == State::closed && pressed_since_ && now - *pressed_since_ >= settings_.hold_for) {
    state_ = State::pin_entry;
    pressed_since_.reset();
    entered_.clear();
    last_input_ = now;
    return true;
  }
  if (state_ == State::pin_entry && now - last_input_ >= settings_.pin_pad_timeout) {
    close();
    return true;
  }
  return false;
}

std::optional<StaffGate::TimePoint> StaffGate::next_deadline() const {
  if (state_ == State::closed && pressed_since_) return *pressed_since_ + settings_.hold_for;
  if (state_ == State::pin_entry) return last_input_ + settings_.pin_pad_timeout;
  return std::nullopt;
}

}  // namespace heed
