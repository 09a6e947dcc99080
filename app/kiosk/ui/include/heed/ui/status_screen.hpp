// The device status screen: who this device is (store, name, mode, server) and
// how its outbox stands (waiting, needing attention, sent). Issue 2's one screen,
// and later the staff's view of the device's health.
//
// Like every screen it is a struct that owns its view state and has one Draw
// function (style.md point 2). Draw only shows state and returns what the person
// asked for; the app carries the intent out (Refresh reads the store).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "heed/config.hpp"
#include "heed/device_store.hpp"
#include "heed/ui/i18n.hpp"

namespace heed::ui {

struct StatusScreen {
  using Clock = std::chrono::system_clock;

  // What the person asked for on the last frame.
  enum class Intent {
    none,
    refresh,               // read the outbox counts again (Refresh)
    toggle_high_contrast,  // switch between the standard and high-contrast themes
  };

  // What Draw shows besides the view state; all borrowed for the call.
  struct Inputs {
    const DeviceConfig& config;
    const Catalog& text;
    std::string_view version;  // e.g. "0.1.0", shown in the footer
    std::string problem = {};  // why the kiosk or tablet could not start; shown in the device card
  };

  // ---- View state ----
  std::optional<OutboxStats> stats;             // last counts read; nullopt before the first Refresh
  std::string stats_error;                      // why the last read failed; empty when it worked
  std::optional<Clock::time_point> updated_at;  // when the shown counts were read (or last changed)
  float cards_height = 0.0f;                    // layout: the taller card's height last frame, so both cards match

  // Reads the outbox counts. Returns true when what the screen shows changed (or
  // `force`): the caller redraws then. updated_at moves only when it returns true.
  bool Refresh(DeviceStore& store, Clock::time_point now, bool force = false);

  // Draws the screen over the whole display; returns the person's intent.
  Intent Draw(const Inputs& in);
};

}  // namespace heed::ui
