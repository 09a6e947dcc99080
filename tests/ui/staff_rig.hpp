// A staff tablet for UI tests: StaffApp over a real DeviceStore in a temp
// folder, the shipped catalogues, a roster of two staff and a manager, and its
// own steady clock (`now`) and wall clock (`wall`) that a test moves on.
//
//   StaffRig rig;
//   UiHarness h;
//   h.set_draw([&] { rig.frame(); });
//   rig.sign_in(h, "Aled Jones (S1042)", "1111");
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "heed/device_store.hpp"
#include "heed/record_json.hpp"
#include "heed/secrets.hpp"
#include "heed/ui/staff_app.hpp"
#include "heed/ui/staff_tour.hpp"
#include "temp_dir.hpp"
#include "ui_harness.hpp"

namespace heed::test {

class StaffRig {
 public:
  using TimePoint = ui::StaffApp::TimePoint;

  // PINs: Aled 1111, Bethan 3333 (staff), Ffion 2222 (manager).
  static const std::vector<StaffMember>& roster() {
    static const std::vector<StaffMember> staff{
        {"S1042", "Aled Jones", hash_secret("1111").value(), StaffRole::staff},
        {"S2001", "Bethan Hughes", hash_secret("3333").value(), StaffRole::staff},
        {"M7", "Ffion Evans", hash_secret("2222").value(), StaffRole::manager}};
    return staff;
  }

  // The tour's roster (staff_tour.hpp), for apps driven by DriveStaffTo.
  static const std::vector<StaffMember>& tour_roster() {
    static const std::vector<StaffMember> staff = ui::staff_tour_roster();
    return staff;
  }

  // kiosk_pin_hash: the kiosk's staff PIN, when the device can go back to being the kiosk.
  // history: where the tablet looks customers up (null: this device's records).
  explicit StaffRig(const std::vector<StaffMember>& staff = roster(), std::string kiosk_pin_hash = {},
                    std::shared_ptr<CustomerHistoryLookup> history = nullptr) {
    auto opened = DeviceStore::open(dir_ / "device.db");
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    store_ = std::make_unique<DeviceStore>(std::move(opened).value());
    ui::StaffApp::Options options;
    options.form.store_id = "MCR-01";
    options.form.device_id = store_->device_id().value();
    options.form.goodwill_limit_pence = 2000;
    options.form.roster = staff;
    options.store_code = "MCR";
    options.device_code = "T2";
    options.lock_after = std::chrono::seconds(120);
    options.languages = {"en", "cy", "pl"};
    options.i18n_dir = HEED_ASSETS_DIR "/i18n";
    options.store = store_.get();
    options.history = std::move(history);
    options.wall = [this] { return wall; };
    options.kiosk_pin_hash = std::move(kiosk_pin_hash);
    auto app = ui::StaffApp::Create(std::move(options));
    REQUIRE_MESSAGE(app.ok(), (app.ok() ? "" : app.error().message));
    app_ = std::move(app).value();
  }

  void frame() { app_->Frame(now); }
  ui::StaffApp& app() { return *app_; }
  DeviceStore& store() { return *store_; }

  // Taps a name on the roster and the PIN's digits, then Sign in.
  void sign_in(UiHarness& h, std::string_view name, std::string_view pin) {
    h.tap(name);
    for (const char digit : pin) h.tap(std::string(1, digit) + "##pin");
    h.tap("Sign in");
  }

  // Taps a field (by its "##" id), types `text` on the physical keyboard, then Done.
  void type_into(UiHarness& h, std::string_view field_id, std::string_view text) {
    h.tap(field_id);
    h.type_text(text);
    h.tap("Done");
  }

  // Records in the outbox, oldest first, as they will be sent.
  std::vector<Record> outbox() {
    std::vector<Record> out;
    auto entries = store_->pending_entries(10000);
    REQUIRE(entries.ok());
    for (const auto& entry : entries.value()) {
      auto record = store_->load_record(entry.record_id);
      REQUIRE(record.has_value());
      out.push_back(*record);
    }
    return out;
  }

  TimePoint now = TimePoint{} + std::chrono::hours(1000);
  Timestamp wall = *parse_timestamp("2026-11-22T14:05:09Z");

 private:
  TempDir dir_;
  std::unique_ptr<DeviceStore> store_;
  std::unique_ptr<ui::StaffApp> app_;
};

}  // namespace heed::test
