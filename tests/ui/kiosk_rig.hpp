// A kiosk for UI tests: KioskApp over a real DeviceStore in a temp folder, the
// shipped question set, rules and catalogues, a staff PIN of kTourStaffPin, and its own
// steady clock (`now`) that a test moves on. Draw it in a UiHarness:
//
//   KioskRig rig;
//   UiHarness ui;
//   ui.set_draw([&] { rig.frame(); });
//   ui.tap("Start");
//   rig.now += 31s;  ui.frame();   // time passes: the idle warning shows
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "heed/device_store.hpp"
#include "heed/question_set.hpp"
#include "heed/secrets.hpp"
#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "heed/workflow_rules.hpp"
#include "temp_dir.hpp"

namespace heed::test {

class KioskRig {
 public:
  using TimePoint = ui::KioskApp::TimePoint;

  // staff_roster: whether the device's config has staff, so "Switch to staff mode" can work.
  // customise: changes the options before the app is made (e.g. a fixed wall clock).
  explicit KioskRig(std::vector<std::string> languages = {"en", "cy", "pl"}, bool staff_roster = true,
                    const std::function<void(ui::KioskApp::Options&)>& customise = {}) {
    auto opened = DeviceStore::open(dir_ / "device.db");
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    store_ = std::make_unique<DeviceStore>(std::move(opened).value());
    auto questions = load_question_set(HEED_ASSETS_DIR "/questions/default.json");
    REQUIRE(questions.ok());

    ui::KioskApp::Options options;
    options.questions = std::move(questions).value();
    options.settings.store_id = "MCR-01";
    options.settings.device_id = store_->device_id().value();
    options.settings.languages = std::move(languages);
    options.settings.idle = IdleTimeouts{std::chrono::seconds(30), std::chrono::seconds(15), std::chrono::seconds(6)};
    options.settings.thanks_for = std::chrono::seconds(6);
    options.settings.misuse_window = std::chrono::seconds(15);
    auto rules = load_workflow_rules(HEED_ASSETS_DIR "/rules/default.json");  // as the device loads them
    REQUIRE(rules.ok());
    options.settings.rules = std::move(rules).value();
    options.staff_pin_hash = pin_hash();
    options.staff_mode_available = staff_roster;
    options.i18n_dir = HEED_ASSETS_DIR "/i18n";
    options.save = [this](const Record& record) { return store_->save(record); };
    options.outbox_stats = [this] { return store_->outbox_stats(); };
    options.sync_state = [this] { return sync; };
    options.enrol = [this](const std::string& code) {
      enrol_codes.push_back(code);
      if (sync) sync->enrolment = ui::SyncState::Enrolment::working;
    };
    if (customise) customise(options);
    auto app = ui::KioskApp::Create(std::move(options));
    REQUIRE_MESSAGE(app.ok(), (app.ok() ? "" : app.error().message));
    app_ = std::move(app).value();
  }

  // One frame of the app at `now`; its result is kept in `last`.
  void frame() { last = app_->Frame(now); }

  ui::KioskApp& app() { return *app_; }
  DeviceStore& store() { return *store_; }

  // The feedback saved so far, oldest first (through the outbox, as it will be sent).
  std::vector<Feedback> saved() {
    std::vector<Feedback> out;
    auto entries = store_->pending_entries(10000);
    REQUIRE(entries.ok());
    for (const auto& entry : entries.value()) {
      auto record = store_->load_record(entry.record_id);
      REQUIRE(record.has_value());
      out.push_back(std::get<Feedback>(*record));
    }
    return out;
  }

  static const std::string& pin_hash() {
    static const std::string hash = hash_secret(ui::kTourStaffPin).value();
    return hash;
  }

  TimePoint now = TimePoint{} + std::chrono::hours(1000);
  ui::KioskApp::FrameResult last;
  // What the staff menu is told of delivery (nullopt: no sync), and the codes it
  // was asked to enrol with (each sets the enrolment to working).
  std::optional<ui::SyncState> sync;
  std::vector<std::string> enrol_codes;

 private:
  TempDir dir_;
  std::unique_ptr<DeviceStore> store_;
  std::unique_ptr<ui::KioskApp> app_;
};

}  // namespace heed::test
