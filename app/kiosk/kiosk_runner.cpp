// The kiosk in the real window: options from the config, the event loop, screenshots.
#include "kiosk_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>

#include <imgui.h>

#include "heed/reference.hpp"
#include "heed/secrets.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_tour.hpp"
#include "heed/validation.hpp"

namespace heed::app {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kFramesAfterInput = 3;                 // popups and layout need a frame or two to settle
constexpr int kScreenshotFrames = 4;                 // frames drawn before a screenshot is read back
constexpr std::chrono::seconds kCheckpointEvery{5};  // idle store upkeep

// One frame of the kiosk in the window; the app's result.
ui::KioskApp::FrameResult draw(platform::Window& window, ui::KioskApp& app, Steady::time_point now) {
  begin_frame(window);
  const auto result = app.Frame(now);
  window.render(ui::palette().background);
  return result;
}

// What an app gives the shared event loop.
struct LoopHooks {
  std::function<std::optional<Steady::time_point>(Steady::time_point)> next_deadline;
  std::function<bool(Steady::time_point)> tick;  // true: what is shown changed
  enum class Drawn { unchanged, changed, stop };
  std::function<Drawn(Steady::time_point)> frame;  // draws and presents one frame
  std::function<void()> shown;                     // once, after the first frame (may be empty)
};

// Sleeps until input, the app's next deadline or the store's upkeep; draws a few
// frames after anything happens; folds the WAL into the database while idle.
// Returns when the window closes or a frame says stop.
void run_event_loop(platform::Window& window, DeviceStore& store, const LoopHooks& app) {
  int frames_left = kFramesAfterInput;
  auto next_checkpoint = Steady::now() + kCheckpointEvery;
  bool first_frame_shown = false;
  while (!window.should_close()) {
    double timeout = 0.0;  // frames to draw: just collect what came in
    if (frames_left == 0) {
      const auto now = Steady::now();
      auto wake = next_checkpoint;
      if (const auto deadline = app.next_deadline(now)) wake = std::min(wake, *deadline);
      timeout = std::max(std::chrono::duration<double>(wake - now).count(), 0.001);
    }
    if (window.wait_events(timeout)) frames_left = kFramesAfterInput;
    const auto now = Steady::now();
    if (app.tick(now)) frames_left = std::max(frames_left, 1);
    if (now >= next_checkpoint) {
      if (frames_left == 0) {
        if (auto done = store.checkpoint(); !done)
          std::cerr << "heed: warning: store checkpoint: " << done.error().message << '\n';
      }
      next_checkpoint = now + kCheckpointEvery;
    }
    if (frames_left > 0) {
      --frames_left;
      const auto drawn = app.frame(Steady::now());
      if (!first_frame_shown) {
        first_frame_shown = true;
        if (app.shown) app.shown();
      }
      if (drawn == LoopHooks::Drawn::stop) return;
      if (drawn == LoopHooks::Drawn::changed) frames_left = kFramesAfterInput;
    }
  }
}

// The same rules file the server ships (<assets>/rules/default.json), so what a
// device promises a customer is what head office plans.
Result<WorkflowRules> shipped_rules(const std::filesystem::path& assets_dir) {
  const auto rules_file = assets_dir / "rules" / "default.json";
  auto rules = load_workflow_rules(rules_file);
  if (!rules) {
    std::string message = rules_file.string() + ": not usable workflow rules";
    for (const auto& e : rules.error()) message += "\n  " + e.field + ": " + e.message;
    return make_error(Errc::invalid, message);
  }
  return std::move(rules).value();
}

}  // namespace

void begin_frame(platform::Window& window) {
  auto loaded = ui::load_fonts_for_look(*ImGui::GetIO().Fonts);
  if (!loaded)
    std::cerr << "heed: warning: " << loaded.error().message << "; text stays at the standard size\n";
  else if (*loaded)
    window.refresh_font_texture();
  window.begin_frame();
}

Result<ui::KioskApp::Options> kiosk_options(const DeviceConfig& config, DeviceStore& store,
                                            const std::filesystem::path& assets_dir) {
  const auto set_file = assets_dir / "questions" / (config.question_set + ".json");
  auto questions = load_question_set(set_file);
  if (!questions) {
    std::string message = set_file.string() + ": not a usable question set";
    for (const auto& e : questions.error()) message += "\n  " + e.field + ": " + e.message;
    return make_error(Errc::invalid, message);
  }
  auto device_id = store.device_id();
  if (!device_id) return device_id.error();

  ui::KioskApp::Options options;
  options.questions = std::move(questions).value();
  options.settings.store_id = config.store_id;
  options.settings.device_id = device_id.value();
  options.settings.languages = config.languages;
  options.settings.idle = config.idle;
  options.settings.thanks_for = config.idle.thanks_after;
  options.settings.misuse_window = config.misuse_window;
  options.settings.default_preferences.high_contrast = config.theme == Theme::high_contrast;
  auto rules = shipped_rules(assets_dir);  // the thank-you screen's call-back promise
  if (!rules) return rules.error();
  options.settings.rules = std::move(rules).value();
  options.staff_pin_hash = config.staff_pin_hash;
  options.staff_mode_available = !config.staff.empty();
  options.i18n_dir = assets_dir / "i18n";
  options.save = [&store](const Record& record) { return store.save(record); };
  options.outbox_stats = [&store] { return store.outbox_stats(); };
  return options;
}

KioskEnd run_kiosk(platform::Window& window, ui::KioskApp& app, DeviceStore& store,
                   const std::function<void()>& shown) {
  KioskEnd end = KioskEnd::closed;
  LoopHooks hooks;
  hooks.shown = shown;
  hooks.next_deadline = [&](Steady::time_point now) { return app.NextDeadline(now); };
  hooks.tick = [&](Steady::time_point now) { return app.Tick(now); };
  hooks.frame = [&](Steady::time_point now) {
    const auto result = draw(window, app, now);
    window.present();
    if (result.request == ui::KioskApp::Request::exit) end = KioskEnd::exit;
    if (result.request == ui::KioskApp::Request::switch_to_staff) end = KioskEnd::switch_to_staff;
    if (end != KioskEnd::closed) return LoopHooks::Drawn::stop;
    return result.changed ? LoopHooks::Drawn::changed : LoopHooks::Drawn::unchanged;
  };
  run_event_loop(window, store, hooks);
  return end;
}

Result<void> write_screenshot(platform::Window& window, const std::function<void()>& draw_frame,
                              const std::filesystem::path& file) {
  for (int i = 1; i <= kScreenshotFrames; ++i) {
    begin_frame(window);
    draw_frame();
    window.render(ui::palette().background);
    if (i == kScreenshotFrames) {
      if (auto saved = window.save_png(file); !saved) return saved.error();
    }
    window.present();
  }
  return Ok{};
}

Result<void> write_kiosk_screenshot(platform::Window& window, ui::KioskApp& app, const std::filesystem::path& file,
                                    Steady::time_point now) {
  return write_screenshot(
      window, [&] { app.Frame(now); }, file);
}

Result<void> run_demo_record(platform::Window& window, ui::KioskApp& app, DeviceStore& store,
                             const std::filesystem::path& file, std::chrono::seconds wait) {
  auto now = Steady::now();
  ui::DriveTo(app, ui::KioskView::thanks, ui::standard_variant(), now);  // saved through the app's own save
  if (app.View(now) != ui::KioskView::thanks)
    return make_error(Errc::internal, "the kiosk did not reach its thank-you screen: the answers were not saved");
  if (auto shown = write_kiosk_screenshot(window, app, file); !shown) return shown.error();
  std::cout << "heed: a customer's answers are saved on this device (" << std::filesystem::absolute(file).string()
            << ")\n";
  const auto give_up = Steady::now() + wait;
  while (true) {
    auto stats = store.outbox_stats();
    if (!stats) return stats.error();
    if (stats->pending + stats->in_flight == 0) {
      std::cout << "heed: delivered to head office; " << stats->delivered << " record(s) delivered from this device\n";
      return Ok{};
    }
    if (Steady::now() >= give_up)
      return make_error(Errc::io, std::to_string(stats->pending + stats->in_flight) +
                                      " record(s) still waiting after " + std::to_string(wait.count()) +
                                      " s; see `heed-device status` for the last error");
    window.wait_events(0.1);  // look at the outbox again in 100 ms
  }
}

Result<int> write_kiosk_screenshots(platform::Window& window, const DeviceConfig& config, DeviceStore& store,
                                    const std::filesystem::path& assets_dir, const std::filesystem::path& dir) {
  const auto pin_hash = hash_secret(ui::kTourStaffPin);
  if (!pin_hash) return make_error(Errc::io, "not enough memory to hash the tour's staff PIN");
  int written = 0;
  for (const auto& stop : ui::screenshot_tour()) {
    auto options = kiosk_options(config, store, assets_dir);
    if (!options) return options.error();
    options->staff_pin_hash = *pin_hash;
    // A screenshot's answers are checked like real ones but never stored: nothing
    // of a tour may reach head office.
    options->save = [](const Record& record) -> Result<void> {
      if (const auto errors = validate(record); !errors.empty())
        return make_error(Errc::invalid, errors.front().field + ": " + errors.front().message);
      return Ok{};
    };
    // The call-back promise from a fixed Friday afternoon, so its screenshot is the
    // same whenever it is taken and shows the longest form ("... on Monday 23 November").
    if (stop.variant.callback) options->wall = [] { return *parse_timestamp("2026-11-20T15:00:00Z"); };
    auto app = ui::KioskApp::Create(std::move(options).value());
    if (!app) return app.error();
    auto now = Steady::now();
    ui::DriveTo(*app.value(), stop.view, stop.variant, now);  // moves `now` on where a stop needs time to pass
    if (auto saved = write_kiosk_screenshot(window, *app.value(), dir / (stop.file_stem() + ".png"), now); !saved)
      return saved.error();
    ++written;
  }
  return written;
}

// ---- The staff tablet -------------------------------------------------------------

namespace {

// Two earlier complaints from the tour's customer (one resolved, one still open),
// so the history and note screens show what staff would see.
Result<void> seed_tour_history(DeviceStore& store, const ComplaintFormSettings& settings, const DeviceConfig& config) {
  const Timestamp today = now_utc();
  const auto earlier = [&](int days_ago, bool resolved, std::uint64_t sequence) -> Result<void> {
    ComplaintForm form(settings, std::string(ui::kTourStaffId), today - std::chrono::days(days_ago));
    auto& d = form.edit();
    d.category = resolved ? Category::pricing_billing : Category::faulty_goods;
    d.severity = Severity::medium;
    d.touchpoint = resolved ? "checkout" : "customer_service";  // required from schema 2
    d.description = resolved ? "Charged twice for a kettle." : "Kettle lid will not close.";
    d.mood = CustomerMood::calm;
    d.desired_outcome = resolved ? DesiredOutcome::refund : DesiredOutcome::repair;
    d.offered = {resolved ? Offer::refund : Offer::repair};
    d.resolved_first_contact = resolved;
    if (resolved) d.customer_accepted = true;
    d.history_opened = !resolved;
    if (!resolved) d.escalation_target = EscalationTarget::store_manager;
    if (!resolved) d.rationale = "No earlier complaints; a repair needs booking with the supplier.";
    d.consent = true;
    d.email = "ffion@example.co.uk";
    auto complaint = form.build(make_reference(config.store_code, config.device_code, sequence));
    if (!complaint)
      return make_error(Errc::internal, "the tour's earlier complaint: " + complaint.error().front().message);
    return store.save(Record{complaint.value()});
  };
  if (auto saved = earlier(40, true, 900); !saved) return saved;
  return earlier(12, false, 901);
}

}  // namespace

Result<ui::StaffApp::Options> staff_options(const DeviceConfig& config, DeviceStore& store,
                                            const std::filesystem::path& assets_dir) {
  auto device_id = store.device_id();
  if (!device_id) return device_id.error();
  ui::StaffApp::Options options;
  options.form.store_id = config.store_id;
  options.form.device_id = device_id.value();
  options.form.goodwill_limit_pence = config.goodwill_limit_pence;
  options.form.roster = config.staff;
  options.store_code = config.store_code;
  options.device_code = config.device_code;
  options.lock_after = config.staff_lock_after;
  options.languages = config.languages;
  options.theme = config.theme;
  options.i18n_dir = assets_dir / "i18n";
  options.store = &store;
  options.kiosk_pin_hash = config.staff_pin_hash;  // set when this device can be the customer kiosk too
  auto rules = shipped_rules(assets_dir);          // the done screen promises what head office plans
  if (!rules) return rules.error();
  options.rules = std::move(rules).value();
  return options;
}

StaffEnd run_staff(platform::Window& window, ui::StaffApp& app, DeviceStore& store,
                   const std::function<void()>& shown) {
  StaffEnd end = StaffEnd::closed;
  LoopHooks hooks;
  hooks.shown = shown;
  hooks.next_deadline = [&](Steady::time_point now) { return app.NextDeadline(now); };
  hooks.tick = [&](Steady::time_point now) { return app.Tick(now); };  // the idle lock
  hooks.frame = [&](Steady::time_point now) {
    begin_frame(window);
    const bool changed = app.Frame(now);
    window.render(ui::palette().background);
    window.present();
    if (app.TakeRequest() == ui::StaffApp::Request::switch_to_kiosk) {
      end = StaffEnd::switch_to_kiosk;
      return LoopHooks::Drawn::stop;
    }
    return changed ? LoopHooks::Drawn::changed : LoopHooks::Drawn::unchanged;
  };
  run_event_loop(window, store, hooks);
  app.Apply(ui::staff_intent::lock(), Steady::now());  // closing keeps a half-filled complaint as a draft
  return end;
}

Result<int> write_staff_screenshots(platform::Window& window, const DeviceConfig& config,
                                    const std::filesystem::path& assets_dir, const std::filesystem::path& dir) {
  const auto roster = ui::staff_tour_roster();
  std::string pattern = (std::filesystem::temp_directory_path() / "heed-staff-tour-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    return make_error(Errc::io, "cannot make a folder for the staff tour's store");
  const std::filesystem::path scratch = pattern;
  struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } cleanup{scratch};
  // Codes that make references even when the config's are for another device kind.
  DeviceConfig tour = config;
  if (!is_valid_store_code(tour.store_code)) tour.store_code = "MCR";
  if (!is_valid_device_code(tour.device_code)) tour.device_code = "T2";
  int written = 0;
  int n = 0;
  for (const auto& stop : ui::staff_screenshot_tour()) {
    auto store = DeviceStore::open(scratch / ("tour-" + std::to_string(n++) + ".db"));
    if (!store) return store.error();
    auto options = staff_options(tour, store.value(), assets_dir);
    if (!options) return options.error();
    options->form.roster = roster;
    if (auto seeded = seed_tour_history(store.value(), options->form, tour); !seeded) return seeded.error();
    auto app = ui::StaffApp::Create(std::move(options).value());
    if (!app) return app.error();
    auto now = Steady::now();
    ui::DriveStaffTo(*app.value(), stop.view, stop.variant, now);
    if (auto saved = write_screenshot(
            window, [&] { app.value()->Frame(now); }, dir / (stop.file_stem() + ".png"));
        !saved)
      return saved.error();
    ++written;
  }
  return written;
}

// ---- The status screen ----------------------------------------------------------

void run_status(platform::Window& window, ui::StatusScreen& screen, const ui::StatusScreen::Inputs& inputs,
                DeviceStore& store, const std::function<void()>& shown) {
  constexpr std::chrono::seconds kRefreshEvery{5};
  auto next_refresh = Steady::now() + kRefreshEvery;
  LoopHooks hooks;
  hooks.shown = shown;
  hooks.next_deadline = [&](Steady::time_point) { return std::optional<Steady::time_point>(next_refresh); };
  hooks.tick = [&](Steady::time_point now) {
    if (now < next_refresh) return false;
    next_refresh = now + kRefreshEvery;
    return screen.Refresh(store, ui::StatusScreen::Clock::now());
  };
  hooks.frame = [&](Steady::time_point) {
    begin_frame(window);
    const auto intent = screen.Draw(inputs);
    window.render(ui::palette().background);
    window.present();
    switch (intent) {
      case ui::StatusScreen::Intent::none:
        return LoopHooks::Drawn::unchanged;
      case ui::StatusScreen::Intent::refresh:
        screen.Refresh(store, ui::StatusScreen::Clock::now(), /*force=*/true);
        return LoopHooks::Drawn::changed;
      case ui::StatusScreen::Intent::toggle_high_contrast:
        ui::use_theme(ui::look().theme == Theme::high_contrast ? Theme::standard : Theme::high_contrast);
        return LoopHooks::Drawn::changed;
    }
    return LoopHooks::Drawn::unchanged;
  };
  run_event_loop(window, store, hooks);
}

}  // namespace heed::app
