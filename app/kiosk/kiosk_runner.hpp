// Running the customer kiosk in the `heed` app: KioskApp's options from the
// device config, its event loop in the real window, and its screenshots. Kept out
// of main.cpp so that main only chooses what to run.
//
// The loop idles like ImHex and Tracy (style.md point 8): it sleeps until input
// or the kiosk's next deadline (idle warning, its countdown, thanks ending, the
// staff corner's hold), draws a few frames after input, and otherwise draws
// nothing. While idle it folds the store's write-ahead log into the database, so
// SQLite's own checkpoint never lands inside a customer's save.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>

#include "heed/config.hpp"
#include "heed/device_store.hpp"
#include "heed/platform/window.hpp"
#include "heed/result.hpp"
#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/staff_app.hpp"
#include "heed/ui/status_screen.hpp"

namespace heed::app {

// The kiosk's options for this device: the config's question set (from
// <assets>/questions), the workflow rules (<assets>/rules/default.json, for the
// call-back promise), languages, idle times, misuse window, theme and staff
// PIN; records saved to `store` (which must outlive the app) with its device id.
Result<ui::KioskApp::Options> kiosk_options(const DeviceConfig& config, DeviceStore& store,
                                            const std::filesystem::path& assets_dir);

enum class KioskEnd {
  closed,           // the window was closed or a stop signal came
  exit,             // staff chose "Exit Heed"
  switch_to_staff,  // staff chose "Switch to staff mode"
};
// Runs the kiosk in `window` until it ends; `shown` (if any) is called once, when
// the first frame is on screen.
KioskEnd run_kiosk(platform::Window& window, ui::KioskApp& app, DeviceStore& store,
                   const std::function<void()>& shown = {});

// `heed --demo-record FILE`: one customer's answers through `app` (its real save,
// so into the store and the outbox), the thank-you screen written to `file`, then
// waits up to `wait` for the record to be delivered. Fails if it was not.
Result<void> run_demo_record(platform::Window& window, ui::KioskApp& app, DeviceStore& store,
                             const std::filesystem::path& file, std::chrono::seconds wait = std::chrono::seconds(20));

// Starts a frame in `window` once the look has what it needs: the larger-text
// fonts are loaded (and the font texture remade) the first time they are asked for.
void begin_frame(platform::Window& window);

// Draws a few frames of `draw_frame` (between begin_frame and render) in the
// real GL context and writes the last to `file` (PNG).
Result<void> write_screenshot(platform::Window& window, const std::function<void()>& draw_frame,
                              const std::filesystem::path& file);

// Draws the kiosk as it is at `now` (by default, its first screen now) and
// writes it to `file` (PNG).
Result<void> write_kiosk_screenshot(platform::Window& window, ui::KioskApp& app, const std::filesystem::path& file,
                                    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

// `heed --screenshot DIR`: every stop of ui::screenshot_tour() (every screen in
// both themes, larger text, lowered, Welsh and Polish) drawn in the real GL
// context and written to DIR/<view>-<variant>.png. Each stop is a fresh kiosk
// driven there by intents; its saves only validate (nothing reaches the store)
// and its staff PIN is ui::kTourStaffPin. Returns the number of files written.
Result<int> write_kiosk_screenshots(platform::Window& window, const DeviceConfig& config, DeviceStore& store,
                                    const std::filesystem::path& assets_dir, const std::filesystem::path& dir);

// ---- The staff tablet ----
// The tablet's options for this device: the roster, goodwill limit and lock time
// from the config, reference codes, languages, theme; records and drafts in
// `store` (which must outlive the app); the customer's history from this
// device's records (the server's history is wired in by whoever owns the sync).
Result<ui::StaffApp::Options> staff_options(const DeviceConfig& config, DeviceStore& store,
                                            const std::filesystem::path& assets_dir);
enum class StaffEnd {
  closed,           // the window was closed or a stop signal came
  switch_to_kiosk,  // staff chose "Back to the kiosk"
};
// Runs the tablet in `window` until it ends, locking it (a half-filled complaint
// stays its author's draft); `shown` as for run_kiosk.
StaffEnd run_staff(platform::Window& window, ui::StaffApp& app, DeviceStore& store,
                   const std::function<void()>& shown = {});
// `heed --screenshot DIR`, the staff part: every stop of ui::staff_screenshot_tour()
// written to DIR/staff-<view>-<variant>.png. Each stop is a fresh tablet over a
// throwaway device store in a temporary folder (removed afterwards) with
// ui::staff_tour_roster(): nothing of a tour reaches this device's store.
Result<int> write_staff_screenshots(platform::Window& window, const DeviceConfig& config,
                                    const std::filesystem::path& assets_dir, const std::filesystem::path& dir);

// ---- The status screen ----
// Runs the status screen (a device with neither kiosk nor tablet to show) until
// the window is closed or a stop signal comes: the outbox counts re-read every
// few seconds and drawn only when they change; `shown` as for run_kiosk.
void run_status(platform::Window& window, ui::StatusScreen& screen, const ui::StatusScreen::Inputs& inputs,
                DeviceStore& store, const std::function<void()>& shown = {});

}  // namespace heed::app
