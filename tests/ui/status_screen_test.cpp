// The device status screen drawn headless over a real DeviceStore in a temp
// folder: it shows the config and the outbox counts, its buttons really act, it
// uses only catalogue strings, and it fits touch rules at several display sizes.
#include <doctest/doctest.h>

#include <string>

#include "fixtures.hpp"
#include "heed/device_store.hpp"
#include "heed/time.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/status_screen.hpp"
#include "heed/ui/widgets.hpp"
#include "temp_dir.hpp"
#include "ui_harness.hpp"

namespace ui = heed::ui;
using heed::test::UiHarness;
using heed::test::UiHarnessOptions;

namespace {

heed::DeviceConfig make_config() {
  heed::DeviceConfig c;
  c.store_id = "MCR-01";
  c.store_code = "MCR";
  c.device_name = "Checkout kiosk 2";
  c.device_code = "K2";
  c.server_url = "https://heed.example.co.uk";
  return c;
}

ui::Catalog english() {
  auto catalog = ui::Catalog::load(HEED_ASSETS_DIR "/i18n", "en");
  REQUIRE_MESSAGE(catalog.ok(), (catalog.ok() ? "" : catalog.error().message));
  return std::move(catalog).value();
}

heed::DeviceStore open_store(const heed::test::TempDir& dir) {
  auto store = heed::DeviceStore::open(dir / "device.db");
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
  return std::move(store).value();
}

// The screen as the app runs it: Draw, then carry out the intent.
struct App {
  heed::DeviceConfig config = make_config();
  ui::Catalog text = english();
  heed::DeviceStore& store;
  ui::StatusScreen screen;

  explicit App(heed::DeviceStore& s) : store(s) {
    screen.Refresh(store, ui::StatusScreen::Clock::now(), /*force=*/true);
  }
  void draw() {
    switch (screen.Draw({config, text, "9.9.9"})) {
      case ui::StatusScreen::Intent::none:
        break;
      case ui::StatusScreen::Intent::refresh:
        screen.Refresh(store, ui::StatusScreen::Clock::now(), /*force=*/true);
        break;
      case ui::StatusScreen::Intent::toggle_high_contrast: {
        ui::Look look = ui::look();
        look.theme = look.theme == heed::Theme::standard ? heed::Theme::high_contrast : heed::Theme::standard;
        ui::apply_touch_style(ImGui::GetStyle(), look.theme, look.scale);
        ui::set_look(look);
        break;
      }
    }
  }
};

bool inside(const ui::ItemRecord& item, ImVec2 display) {
  return item.min.x >= 0 && item.min.y >= 0 && item.max.x <= display.x && item.max.y <= display.y;
}

bool overlap(const ui::ItemRecord& a, const ui::ItemRecord& b) {
  return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

}  // namespace

TEST_CASE("ui.status: shows the device and an empty outbox") {
  heed::test::TempDir dir;
  auto store = open_store(dir);
  App app(store);
  UiHarness ui;
  ui.frame([&] { app.draw(); });

  CHECK(ui.is_visible("Heed"));
  CHECK(ui.is_visible("Device status"));
  CHECK(ui.is_visible("MCR-01"));
  CHECK(ui.is_visible("Checkout kiosk 2 (K2)"));
  CHECK(ui.is_visible("Customer kiosk"));
  CHECK(ui.is_visible("https://heed.example.co.uk"));
  CHECK(ui.is_visible("Ready"));
  CHECK(ui.is_visible("Everything has been sent to head office."));
  CHECK(ui.is_visible("Heed 9.9.9"));
  CHECK(ui.shows_text_containing("Updated "));
  CHECK(app.text.missing_keys().empty());
}

TEST_CASE("ui.status: Refresh reads the outbox again") {
  heed::test::TempDir dir;
  auto store = open_store(dir);
  App app(store);
  UiHarness ui;
  ui.frame([&] { app.draw(); });
  CHECK_FALSE(ui.is_visible("1"));

  // Another part of the app saves a record; the screen shows it after Refresh.
  REQUIRE(store.save(heed::test::feedback()).ok());
  ui.frame();
  CHECK_FALSE(ui.is_visible("1"));
  ui.tap("Refresh");
  CHECK(ui.is_visible("1"));
  CHECK(ui.shows_text_containing("Oldest waiting since "));
  CHECK(ui.is_visible("Ready"));
  CHECK(app.screen.stats->pending == 1);
}

TEST_CASE("ui.status: a quarantined record needs attention") {
  heed::test::TempDir dir;
  auto store = open_store(dir);
  const auto record = heed::test::feedback();
  REQUIRE(store.save(record).ok());
  auto claimed = store.claim_batch(10, 1 << 20, heed::unix_ms_now());
  REQUIRE(claimed.ok());
  REQUIRE(claimed->size() == 1);
  REQUIRE(store.quarantine(record.header.id, "schema_version unsupported").ok());

  App app(store);
  UiHarness ui;
  ui.frame([&] { app.draw(); });
  CHECK(ui.is_visible("Needs attention"));
  CHECK_FALSE(ui.is_visible("Ready"));
  CHECK(ui.is_visible("Head office refused some records. A manager needs to review them."));
  CHECK(app.text.missing_keys().empty());
}

TEST_CASE("ui.status: the contrast button switches the theme") {
  heed::test::TempDir dir;
  auto store = open_store(dir);
  App app(store);
  UiHarness ui;
  ui.frame([&] { app.draw(); });
  CHECK(ui::look().theme == heed::Theme::standard);

  ui.tap("High contrast: off");
  CHECK(ui::look().theme == heed::Theme::high_contrast);
  CHECK(ui.is_visible("High contrast: on"));
  CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x == doctest::Approx(0.0f));

  ui.tap("High contrast: on");
  CHECK(ui::look().theme == heed::Theme::standard);
}

TEST_CASE("ui.status: touch-sized, on screen and not overlapping at several display sizes") {
  heed::test::TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store.save(heed::test::feedback()).ok());
  for (const ImVec2 display :
       {ImVec2(1920, 1080), ImVec2(1280, 800), ImVec2(1366, 768), ImVec2(3840, 2160), ImVec2(1080, 1920)}) {
    for (const auto theme : {heed::Theme::standard, heed::Theme::high_contrast}) {
      CAPTURE(display.x);
      CAPTURE(display.y);
      CAPTURE(heed::theme_name(theme));
      App app(store);
      UiHarnessOptions options;
      options.display_size = display;
      options.theme = theme;
      UiHarness ui(options);
      ui.frame([&] { app.draw(); });
      REQUIRE_FALSE(ui.items().empty());
      for (const auto& item : ui.items()) {
        CAPTURE(item.label);
        CHECK(inside(item, display));
        if (item.tappable()) {
          CHECK(item.max.x - item.min.x >= ui::TouchMinimum());
          CHECK(item.max.y - item.min.y >= ui::TouchMinimum());
        }
      }
      for (std::size_t i = 0; i < ui.items().size(); ++i)
        for (std::size_t j = i + 1; j < ui.items().size(); ++j) {
          CAPTURE(ui.items()[i].label);
          CAPTURE(ui.items()[j].label);
          CHECK_FALSE(overlap(ui.items()[i], ui.items()[j]));
        }
    }
  }
}
