// The app's link to delivery: the sync engine (core) run from the device config,
// what the staff menu is told of it, and enrolment from a code typed there.
//
// Invariants:
// - The engine's thread never touches the UI; the UI thread reads state() when it
//   draws (the staff menu, each second while open).
// - Enrolment runs on its own worker (a request can take seconds); at most one at
//   a time; the worker is joined before the link is destroyed.
// - A device with no token keeps its records: they wait in the outbox until it is
//   enrolled, then drain in save order.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "heed/config.hpp"
#include "heed/device_store.hpp"
#include "heed/result.hpp"
#include "heed/sync/sync_engine.hpp"
#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/staff_app.hpp"
#include "heed/ui/staff_menu.hpp"

namespace heed::app {

class SyncLink {
 public:
  // The engine for `config.server_url`, not running yet: saves and the staff
  // menu can be wired to it at once, and start() sets it going.
  static Result<std::unique_ptr<SyncLink>> create(const DeviceConfig& config, DeviceStore& store);
  // Starts delivering on the engine's thread; once is enough. The app calls it
  // when its first frame is on screen: until then both CPUs are busy with the
  // window. A save before it waits in the outbox, as when offline.
  void start();
  ~SyncLink();  // waits for an enrolment under way, then stops the engine
  SyncLink(const SyncLink&) = delete;
  SyncLink& operator=(const SyncLink&) = delete;

  // A record was saved: deliver it now if online.
  void record_saved();
  // How delivery stands, for the staff menu.
  ui::SyncState state() const;
  // Enrols with a one-time code on a worker; state() reports how it went.
  void enrol(const std::string& code);
  // The connection the engine uses (for the staff tablet's history lookup).
  const sync::ConnectionOptions& connection() const { return connection_; }

 private:
  SyncLink(DeviceStore& store, sync::ConnectionOptions connection, std::string device_name,
           std::unique_ptr<sync::SyncEngine> engine);

  DeviceStore& store_;
  sync::ConnectionOptions connection_;
  std::string device_name_;
  std::unique_ptr<sync::SyncEngine> engine_;

  mutable std::mutex mutex_;  // guards the enrolment state and the refused list
  ui::SyncState::Enrolment enrolment_ = ui::SyncState::Enrolment::idle;
  std::string enrolment_error_;
  std::thread enrolment_worker_;
};

// The engine's options from the device config.
sync::SyncOptions sync_options(const DeviceConfig& config);

// Wires an app to the link held in `link` (which may be empty, or be reset before
// the app is destroyed: every hook checks it): saves wake delivery, the staff
// menu reads the delivery state and enrols, the tablet asks head office for a
// customer's history and falls back to this device's records.
void connect_kiosk(ui::KioskApp::Options& options, const std::unique_ptr<SyncLink>& link);
void connect_staff(ui::StaffApp::Options& options, DeviceStore& store, const std::unique_ptr<SyncLink>& link);

}  // namespace heed::app
