// heed-app, started through `heed` (launcher.cpp, which gives it huge pages
// for malloc): the in-store kiosk app. Reads the device config, opens the device
// store, and shows the screens in a full-screen window (or a development window,
// or renders a screenshot and exits). `heed --hash-pin` only hashes a staff PIN.
//
// In kiosk mode it runs the customer kiosk (kiosk_runner.hpp); in staff mode
// (the config's "mode", or `--mode staff`), and after staff choose "Switch to
// staff mode" on the kiosk, the staff tablet (StaffApp): complaint capture; the
// tablet's "Back to the kiosk" returns. A kiosk without a staff roster says so in
// its staff menu and stays a kiosk; `--mode staff` without one shows the status
// screen, which says why.
//
// Exit status: 0 done; 1 the window or GL could not start, or a screenshot could
// not be written; 2 the command line, config, device store, question set or string
// catalogue is wrong (the message on stderr says which and why). Heed never
// starts half configured.
//
// Every screen runs on kiosk_runner's one event loop, which idles like ImHex and
// Tracy (style.md point 8).
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <termios.h>
#include <unistd.h>

#include <imgui.h>
#include <CLI/CLI.hpp>

#include "heed/config.hpp"
#include "heed/device_store.hpp"
#include "heed/platform/window.hpp"
#include "heed/secrets.hpp"
#include "heed/ui/display_scale.hpp"
#include "heed/ui/glyphs.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/status_screen.hpp"
#include "heed/ui/widgets.hpp"
#include "kiosk_runner.hpp"
#include "sync_link.hpp"

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitConfig = 2;

// "1280x800" -> {1280, 800}; nullopt unless both are 200..16384.
std::optional<ImVec2> parse_size(const std::string& text) {
  int width = 0;
  int height = 0;
  char x = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) != 3 || (x != 'x' && x != 'X'))
    return std::nullopt;
  if (width < 200 || height < 200 || width > 16384 || height > 16384) return std::nullopt;
  return ImVec2(static_cast<float>(width), static_cast<float>(height));
}

// `heed --hash-pin`: reads a staff PIN from standard input (without echo on a
// terminal) and prints its argon2id hash for the config's staff_pin_hash.
int hash_pin() {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << "Staff PIN (4-8 digits): " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string pin;
  std::getline(std::cin, pin);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  if (!heed::is_valid_pin(pin)) {
    std::cerr << "heed: a staff PIN is 4-8 digits\n";
    return kExitConfig;
  }
  const auto hash = heed::hash_secret(pin, heed::HashCost::interactive);
  if (!hash) {
    std::cerr << "heed: not enough memory to hash the PIN\n";
    return kExitRuntime;
  }
  std::cout << *hash << '\n';
  return 0;
}

// The display scale: a development window follows its size (shorter side over
// 1080); full screen on `m`, touch targets are also at least 15 mm on it.
float display_scale(const heed::platform::MonitorInfo& m, const std::optional<ImVec2>& window_size) {
  if (window_size) return heed::ui::scale_for_display(window_size->x, window_size->y);
  const heed::ui::DisplayScale chosen = heed::ui::touch_safe_scale({m.width_px, m.height_px, m.width_mm, m.height_mm});
  std::fprintf(stderr, "heed: display %s %dx%d px, %dx%d mm: scale %.2f", m.name.c_str(), m.width_px, m.height_px,
               m.width_mm, m.height_mm, static_cast<double>(chosen.scale));
  if (const auto mm = chosen.touch_target_mm())
    std::fprintf(stderr, ", touch targets %.1f mm%s\n", static_cast<double>(*mm), chosen.raised ? " (raised)" : "");
  else
    std::fprintf(stderr, " (physical size unknown: touch targets 88 px at 1080p)\n");
  return chosen.scale;
}

// Loads fonts at `scale` with `glyphs` (which outlive the atlas), styles ImGui
// for touch in `theme` and builds the font atlas. Runs on the platform layer's
// worker (WindowOptions::prepare).
void set_up_look(float scale, heed::Theme theme, const ImWchar* glyphs) {
  ImGuiIO& io = ImGui::GetIO();
  heed::ui::Look look{theme, scale, {}};
  auto fonts = heed::ui::load_fonts(*io.Fonts, scale, heed::ui::kDefaultFontDir, glyphs);
  if (fonts) {
    look.fonts = fonts.value();
  } else {
    // A kiosk with ImGui's small built-in font is better than no kiosk.
    std::cerr << "heed: warning: " << fonts.error().message << "; using the built-in font\n";
    ImFontConfig config;
    config.SizePixels = 13.0f * 2.0f * scale;
    io.Fonts->AddFontDefault(&config);
  }
  heed::ui::apply_touch_style(ImGui::GetStyle(), theme, scale);
  heed::ui::set_look(look);
  // Build the atlas now (on the platform's worker, while the window opens)
  // rather than in the first frame.
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
}

// `heed --screenshot FILE`'s last word: where it went, or why it did not; the exit status.
int report_screenshot(const heed::Result<void>& saved, const std::string& file) {
  if (!saved) {
    std::cerr << "heed: " << saved.error().message << '\n';
    return kExitRuntime;
  }
  std::cout << "heed: screenshot written to " << std::filesystem::absolute(file).string() << '\n';
  return 0;
}

// The whole app; main() only adds the last-resort exception handler.
int run(int argc, char** argv) {
  // ---- Command line ----
  CLI::App cli{"Heed kiosk: in-store feedback and complaint capture.", "heed"};
  std::string config_file = std::string(HEED_ASSETS_DIR) + "/config/device.example.json";
  std::string windowed;
  std::string screenshot;
  bool report_first_frame = false;
  std::string mode;
  std::string demo_record;
  cli.add_option("--config", config_file, "Device config file (JSON)")->capture_default_str();
  cli.add_option("--windowed", windowed, "Run in a WIDTHxHEIGHT window instead of full screen (development)");
  cli.add_option("--screenshot", screenshot,
                 "Render the first screen to this PNG file and exit; given a folder (no .png), write every kiosk "
                 "screen in every theme there");
  cli.add_option("--mode", mode, "Run as the customer kiosk or the staff tablet, whatever the config says")
      ->check(CLI::IsMember({"kiosk", "staff"}));
  cli.add_option("--demo-record", demo_record,
                 "Kiosk mode: answer as one customer would (through the real kiosk, store and sync), write the "
                 "thank-you screen to this PNG, wait until head office has the record, and exit (0 when it has)");
  cli.add_flag("--report-first-frame", report_first_frame,
               "Print to stderr when the first frame is on screen (monotonic ms; for kiosk_bench)");
  bool hash_pin_only = false;
  cli.add_flag("--hash-pin", hash_pin_only,
               "Read a staff PIN from standard input, print its hash for the config's staff_pin_hash, and exit");
  cli.set_version_flag("--version", std::string("heed ") + HEED_VERSION);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kExitConfig;
  }
  if (hash_pin_only) return hash_pin();
  std::optional<ImVec2> window_size;
  if (!windowed.empty()) {
    window_size = parse_size(windowed);
    if (!window_size) {
      std::cerr << "heed: --windowed " << windowed << ": expected WIDTHxHEIGHT, e.g. 1280x800\n";
      return kExitConfig;
    }
  }

  // ---- Config, store and strings: all or nothing ----
  auto config = heed::load_device_config(config_file);
  if (!config) {
    const std::string message = heed::describe_config_errors(config_file, config.error());
    std::cerr << message << (message.ends_with('\n') ? "" : "\n");
    return kExitConfig;
  }
  if (!mode.empty()) config->mode = mode == "staff" ? heed::DeviceMode::staff : heed::DeviceMode::kiosk;
  auto store = heed::DeviceStore::open(config->database);
  if (!store) {
    std::cerr << "heed: cannot open the device store " << config->database.string() << ": " << store.error().message
              << '\n';
    return kExitConfig;
  }
  const std::string language = config->languages.empty() ? "en" : config->languages.front();
  auto catalog = heed::ui::Catalog::load(std::filesystem::path(HEED_ASSETS_DIR) / "i18n", language);
  if (!catalog) {
    std::cerr << "heed: " << catalog.error().message << '\n';
    return kExitConfig;
  }
  if (catalog->language() != language)
    std::cerr << "heed: warning: no \"" << language << "\" string catalogue yet; showing English\n";
  const std::filesystem::path assets = HEED_ASSETS_DIR;
  const bool screenshot_tour = !screenshot.empty() && !screenshot.ends_with(".png");

  // ---- Delivery to head office (not for screenshots: they store nothing) ----
  // The engine never wakes the window: nothing a customer sees depends on it, and
  // the staff menu reads its state each second while open. An idle kiosk stays idle.
  // It starts once the first frame is on screen (start_delivery), not beside it.
  std::unique_ptr<heed::app::SyncLink> sync_link;
  if (screenshot.empty()) {
    auto created = heed::app::SyncLink::create(*config, *store);
    if (created)
      sync_link = std::move(created).value();
    else
      std::cerr << "heed: warning: records stay on this device; delivery to " << config->server_url
                << " cannot start: " << created.error().message << '\n';
  }
  const auto start_delivery = [&sync_link] {
    if (sync_link) sync_link->start();
  };

  std::unique_ptr<heed::ui::KioskApp> kiosk;
  if (config->mode == heed::DeviceMode::kiosk && !screenshot_tour) {
    auto kiosk_options = heed::app::kiosk_options(*config, *store, assets);
    if (kiosk_options) heed::app::connect_kiosk(kiosk_options.value(), sync_link);
    auto created = kiosk_options ? heed::ui::KioskApp::Create(std::move(kiosk_options).value())
                                 : heed::Result<std::unique_ptr<heed::ui::KioskApp>>(kiosk_options.error());
    if (!created) {
      std::cerr << "heed: " << created.error().message << '\n';
      return kExitConfig;
    }
    kiosk = std::move(created).value();
  }
  // Glyphs for every character of the shipped catalogues, question sets and keyboards.
  heed::ui::GlyphRanges glyphs;
  if (auto added = heed::ui::add_shipped_text(glyphs, assets); !added) {
    std::cerr << "heed: " << added.error().message << '\n';
    return kExitConfig;
  }
  const ImWchar* glyph_ranges = glyphs.data();

  // ---- Window ----
  heed::platform::WindowOptions options;
  options.windowed = window_size;
  // A full-screen customer kiosk is driven by touch; staff and developers keep the pointer.
  options.hide_cursor = !window_size && config->mode == heed::DeviceMode::kiosk;
  options.report_first_frame = report_first_frame;
  options.prepare = [&](const heed::platform::MonitorInfo& monitor) {
    set_up_look(display_scale(monitor, window_size), config->theme, glyph_ranges);
  };
  auto window = heed::platform::Window::create(options);
  if (!window) {
    std::cerr << "heed: " << window.error().message << '\n';
    return kExitRuntime;
  }
  heed::platform::Window& win = *window.value();
  heed::ui::ItemRegistry items;  // what was drawn, for diagnostics; empties every frame
  // SIGTERM and SIGINT close the window and wake the wait, so a service manager
  // stops Heed within milliseconds; once, whichever loop runs first.
  bool signals_watched = false;
  const auto watch_stop_signals = [&] {
    if (signals_watched) return;
    signals_watched = true;
    if (auto watching = win.close_on_stop_signals(); !watching)
      std::cerr << "heed: warning: " << watching.error().message << "; stop signals end the app abruptly\n";
  };

  // ---- The customer kiosk ----
  if (screenshot_tour) {
    auto written = heed::app::write_kiosk_screenshots(win, *config, *store, assets, screenshot);
    if (!written) {
      std::cerr << "heed: " << written.error().message << '\n';
      return kExitRuntime;
    }
    auto staff_written = heed::app::write_staff_screenshots(win, *config, assets, screenshot);
    if (!staff_written) {
      std::cerr << "heed: " << staff_written.error().message << '\n';
      return kExitRuntime;
    }
    std::cout << "heed: " << *written + *staff_written << " screenshots written to "
              << std::filesystem::absolute(screenshot).string() << '\n';
    return 0;
  }
  if (kiosk && !demo_record.empty()) {
    start_delivery();
    auto delivered = heed::app::run_demo_record(win, *kiosk, *store, demo_record);
    if (!delivered) {
      std::cerr << "heed: " << delivered.error().message << '\n';
      return kExitRuntime;
    }
    return 0;
  }
  if (kiosk && !screenshot.empty())
    return report_screenshot(heed::app::write_kiosk_screenshot(win, *kiosk, screenshot), screenshot);

  // ---- The kiosk and the tablet, as staff switch between them ----
  // Each is made the first time it is needed and kept, so switching back and
  // forth costs nothing and a half-filled complaint stays its author's draft.
  std::unique_ptr<heed::ui::StaffApp> staff;
  bool in_kiosk = kiosk != nullptr;
  while (true) {
    if (in_kiosk) {
      watch_stop_signals();
      if (heed::app::run_kiosk(win, *kiosk, *store, start_delivery) != heed::app::KioskEnd::switch_to_staff) return 0;
      heed::ui::Look plain = heed::ui::look();  // staff screens: standard text size, the device's theme
      plain.large_text = false;
      heed::ui::set_look(plain);
      heed::ui::use_theme(config->theme);
    }
    if (!staff) {
      auto staff_options = heed::app::staff_options(*config, *store, assets);
      if (staff_options) heed::app::connect_staff(staff_options.value(), *store, sync_link);
      auto created = staff_options ? heed::ui::StaffApp::Create(std::move(staff_options).value())
                                   : heed::Result<std::unique_ptr<heed::ui::StaffApp>>(staff_options.error());
      if (!created) {
        std::cerr << "heed: the staff tablet cannot start: " << created.error().message << '\n';
        if (in_kiosk) continue;                            // the kiosk's menu offered it, so it is a kiosk again
        std::cerr << "heed: showing the status screen\n";  // a staff-mode config with no roster
        break;
      }
      staff = std::move(created).value();
    }
    if (!screenshot.empty()) {
      const auto now = std::chrono::steady_clock::now();
      const auto draw = [&] { staff->Frame(now); };
      return report_screenshot(heed::app::write_screenshot(win, draw, screenshot), screenshot);
    }
    watch_stop_signals();
    if (heed::app::run_staff(win, *staff, *store, start_delivery) != heed::app::StaffEnd::switch_to_kiosk) return 0;
    if (!kiosk) {
      auto kiosk_options = heed::app::kiosk_options(*config, *store, assets);
      if (kiosk_options) heed::app::connect_kiosk(kiosk_options.value(), sync_link);
      auto created = kiosk_options ? heed::ui::KioskApp::Create(std::move(kiosk_options).value())
                                   : heed::Result<std::unique_ptr<heed::ui::KioskApp>>(kiosk_options.error());
      if (!created) {
        std::cerr << "heed: the kiosk cannot start: " << created.error().message << '\n';
        continue;  // stay the tablet
      }
      kiosk = std::move(created).value();
    }
    in_kiosk = true;
  }

  heed::ui::StatusScreen screen;
  screen.Refresh(*store, heed::ui::StatusScreen::Clock::now(), /*force=*/true);
  const heed::ui::StatusScreen::Inputs inputs{
      *config, *catalog, HEED_VERSION,
      config->staff.empty() ? std::string(catalog->tr("staff.menu.no_staff_mode")) : std::string()};

  // ---- Screenshot: draw a few frames in the real GL context, save, exit ----
  if (!screenshot.empty()) {
    const auto draw = [&] { (void)screen.Draw(inputs); };
    return report_screenshot(heed::app::write_screenshot(win, draw, screenshot), screenshot);
  }

  watch_stop_signals();
  heed::app::run_status(win, screen, inputs, *store, start_delivery);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Exceptions are caught at this edge (style.md point 5): a library's surprise
  // ends the app with a message rather than std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "heed: unexpected error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "heed: unexpected error\n";
  }
  return kExitRuntime;
}
