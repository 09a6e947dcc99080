#include <doctest/doctest.h>

#include "heed/secrets.hpp"
#include "heed/staff_gate.hpp"

using namespace heed;
using namespace std::chrono_literals;

namespace {
const std::string kHash = *hash_secret("4821");
StaffGate::TimePoint at(std::chrono::milliseconds ms) { return StaffGate::TimePoint{} + 1000h + ms; }
void type(StaffGate& gate, std::string_view pin, StaffGate::TimePoint now) {
  for (char c : pin) gate.digit(c, now);
}
}  // namespace

TEST_CASE("a short tap on the corner does nothing; a long press opens the PIN pad") {
  StaffGate gate(kHash);
  gate.corner(true, at(0ms));
  gate.corner(false, at(500ms));
  CHECK_FALSE(gate.tick(at(5000ms)));
  CHECK(gate.state() == StaffGate::State::closed);
  gate.corner(true, at(6000ms));
  CHECK(gate.hold_progress(at(7500ms)) == doctest::Approx(0.5));
  CHECK(gate.next_deadline() == at(9000ms));
  CHECK(gate.tick(at(9000ms)));
  CHECK(gate.state() == StaffGate::State::pin_entry);
}

TEST_CASE("the right PIN opens the staff menu; a wrong one does not") {
  StaffGate gate(kHash);
  gate.corner(true, at(0ms));
  gate.tick(at(3000ms));
  type(gate, "1234", at(3100ms));
  CHECK(gate.entered() == "1234");
  CHECK(gate.submit(at(3200ms)) == StaffGate::PinResult::wrong);
  CHECK(gate.state() == StaffGate::State::pin_entry);
  CHECK(gate.entered().empty());
  type(gate, "48211", at(3300ms));
  gate.erase();
  CHECK(gate.submit(at(3400ms)) == StaffGate::PinResult::accepted);
  CHECK(gate.state() == StaffGate::State::open);
  gate.close();
  CHECK(gate.state() == StaffGate::State::closed);
}

TEST_CASE("five wrong PINs lock the pad for a minute, even for the right PIN") {
  StaffGate gate(kHash);
  gate.corner(true, at(0ms));
  gate.tick(at(3000ms));
  for (int i = 0; i < 4; ++i) {
    type(gate, "0000", at(4000ms));
    CHECK(gate.submit(at(4000ms)) == StaffGate::PinResult::wrong);
  }
  type(gate, "0000", at(4000ms));
  CHECK(gate.submit(at(4000ms)) == StaffGate::PinResult::locked_out);
  CHECK(gate.lockout_seconds_left(at(4000ms)) == 60);
  type(gate, "4821", at(5000ms));
  CHECK(gate.submit(at(5000ms)) == StaffGate::PinResult::locked_out);
  type(gate, "4821", at(64000ms));
  CHECK(gate.submit(at(64000ms)) == StaffGate::PinResult::accepted);
}

TEST_CASE("an abandoned PIN pad closes itself") {
  StaffGate gate(kHash);
  gate.corner(true, at(0ms));
  gate.tick(at(3000ms));
  type(gate, "48", at(4000ms));
  CHECK_FALSE(gate.tick(at(33000ms)));
  CHECK(gate.tick(at(34000ms)));
  CHECK(gate.state() == StaffGate::State::closed);
  CHECK(gate.entered().empty());
}
