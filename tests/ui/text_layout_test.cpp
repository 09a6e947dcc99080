// What a person reads, on every kiosk and tablet screen, in every theme × text
// size × language (× lowered layout and keyboard for the kiosk) at 1920x1080 and
// 1280x800: no two texts overlap, no text runs into a widget it is not on, no
// widget's label leaves it or is shortened with "…", and nothing is off the
// display. Only the top layer counts: an overlay's items, not the dimmed screen
// under it. The rectangles come from the item registry (widgets.hpp): text items
// as drawn, and the text that widgets noted on their items (NoteItemText).
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "heed/secrets.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_tour.hpp"
#include "heed/ui/status_screen.hpp"
#include "heed/ui/widgets.hpp"
#include "kiosk_rig.hpp"
#include "staff_rig.hpp"
#include "ui_harness.hpp"

using heed::test::KioskRig;
using heed::test::StaffRig;
using heed::test::UiHarness;
using heed::test::UiHarnessOptions;
namespace ui = heed::ui;

namespace {

constexpr float kTolerance = 1.0f;  // rounding of positions to whole pixels

struct Rect {
  ImVec2 min, max;
};

bool inside(const Rect& a, const Rect& b) {
  return a.min.x >= b.min.x - kTolerance && a.min.y >= b.min.y - kTolerance && a.max.x <= b.max.x + kTolerance &&
         a.max.y <= b.max.y + kTolerance;
}
bool overlap(const Rect& a, const Rect& b) {
  return a.min.x < b.max.x - kTolerance && b.min.x < a.max.x - kTolerance && a.min.y < b.max.y - kTolerance &&
         b.min.y < a.max.y - kTolerance;
}
// The part of an item a person can see (a scrolled list clips its text).
Rect visible(const ui::ItemRecord& item) { return {item.clip_min, item.clip_max}; }
std::string name(const ui::ItemRecord& item) {
  return fmt::format("{} '{}' at ({:.0f},{:.0f})-({:.0f},{:.0f})", ui::item_kind_name(item.kind), item.visible_label,
                     item.min.x, item.min.y, item.max.x, item.max.y);
}

// Every way the last frame's top layer breaks the rules, one line each.
std::vector<std::string> text_layout_problems(const std::vector<ui::ItemRecord>& all, ImVec2 display) {
  ImGuiID top = 0;  // the window drawn last that shows anything: the screen, or the overlay over it
  for (const auto& item : all)
    if (item.on_screen && !item.visible_label.empty()) top = item.root_window;
  std::vector<const ui::ItemRecord*> texts, widgets;
  for (const auto& item : all) {
    if (item.root_window != top || !item.on_screen || item.visible_label.empty()) continue;
    (item.tappable() ? widgets : texts).push_back(&item);
  }
  std::vector<std::string> problems;
  const Rect screen{ImVec2(0, 0), display};
  for (const auto* w : widgets) {
    if (!inside({w->min, w->max}, screen)) problems.push_back(name(*w) + " is off the display");
    if (w->has_text() && !inside({w->text_min, w->text_max}, {w->min, w->max}))
      problems.push_back(fmt::format("{}: its text ({:.0f},{:.0f})-({:.0f},{:.0f}) leaves it", name(*w), w->text_min.x,
                                     w->text_min.y, w->text_max.x, w->text_max.y));
    if (w->text_cut) problems.push_back(name(*w) + ": its label is shortened with …");
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& a = *texts[i];
    if (!inside(visible(a), screen)) problems.push_back(name(a) + " is off the display");
    for (std::size_t j = i + 1; j < texts.size(); ++j)
      if (overlap(visible(a), visible(*texts[j]))) problems.push_back(name(a) + " overlaps " + name(*texts[j]));
    for (const auto* w : widgets)
      if (overlap(visible(a), {w->min, w->max}) && !inside(visible(a), {w->min, w->max}))
        problems.push_back(name(a) + " runs into " + name(*w));
  }
  return problems;
}

const std::array<ImVec2, 2> kDisplays{ImVec2(1920, 1080), ImVec2(1280, 800)};
const std::array<const char*, 3> kLanguages{"en", "cy", "pl"};

constexpr std::array<ui::KioskView, 10> kKioskViews{
    ui::KioskView::welcome,  ui::KioskView::csat,      ui::KioskView::nps,    ui::KioskView::comment,
    ui::KioskView::callback, ui::KioskView::privacy,   ui::KioskView::thanks, ui::KioskView::idle_warning,
    ui::KioskView::pin_pad,  ui::KioskView::staff_menu};

// Every combination a customer can choose: theme × text size × language × lowered.
std::vector<ui::TourVariant> kiosk_variants() {
  std::vector<ui::TourVariant> out;
  for (const bool contrast : {false, true})
    for (const bool large : {false, true})
      for (const bool lowered : {false, true})
        for (const char* language : kLanguages) {
          ui::TourVariant v;
          v.preferences.high_contrast = contrast;
          v.preferences.large_text = large;
          v.preferences.lowered = lowered;
          v.language = language;
          v.name = fmt::format("{}{}{}-{}", contrast ? "contrast" : "standard", large ? "-large" : "",
                               lowered ? "-lowered" : "", language);
          out.push_back(v);
        }
  return out;
}

void check_kiosk(ImVec2 display) {
  UiHarnessOptions options;
  options.display_size = display;
  UiHarness h(options);
  // Friday 2 October 2026, 16:07 in London: the call-back promise's longest form,
  // "by 4:15pm on Monday 5 October" (w poniedziałek, 5 października; ddydd Llun 5 Hydref).
  const auto friday = [](ui::KioskApp::Options& o) {
    o.wall = [] { return *heed::parse_timestamp("2026-10-02T15:07:00Z"); };
  };
  for (const auto& base : kiosk_variants()) {
    for (const auto view : kKioskViews) {
      // The keyboard matters only where there is typing; there, both ways. The
      // thank-you screen: with and without a call-back asked for.
      const bool typing = view == ui::KioskView::comment || view == ui::KioskView::callback;
      const bool thanks = view == ui::KioskView::thanks;
      for (const bool keyboard : typing ? std::vector<bool>{true, false} : std::vector<bool>{true})
        for (const bool callback : thanks ? std::vector<bool>{false, true} : std::vector<bool>{false}) {
          ui::TourVariant variant = base;
          variant.keyboard = keyboard;
          variant.callback = callback;
          CAPTURE(display.x);
          CAPTURE(variant.name);
          CAPTURE(keyboard);
          CAPTURE(callback);
          CAPTURE(ui::kiosk_view_name(view));
          KioskRig rig({"en", "cy", "pl"}, true, friday);
          ui::DriveTo(rig.app(), view, variant, rig.now);
          h.set_draw([&] { rig.frame(); });
          h.frames(2);
          REQUIRE(rig.app().View(rig.now) == view);
          REQUIRE(rig.app().flow().callback_promise().has_value() == callback);
          const auto problems = text_layout_problems(h.items(), display);
          for (const auto& problem : problems) FAIL_CHECK(problem);
        }
    }
  }
}

void check_staff(ImVec2 display) {
  UiHarnessOptions options;
  options.display_size = display;
  UiHarness h(options);
  for (const bool contrast : {false, true})
    for (const bool large : {false, true})
      for (const char* language : kLanguages)
        for (const bool keyboard : {false, true}) {
          const auto variant =
              ui::staff_variant(fmt::format("{}{}-{}{}", contrast ? "contrast" : "standard", large ? "-large" : "",
                                            language, keyboard ? "-keyboard" : ""),
                                contrast, large, language, keyboard);
          for (const auto view : ui::all_staff_views()) {
            CAPTURE(display.x);
            CAPTURE(variant.name);
            CAPTURE(ui::staff_view_name(view));
            StaffRig rig(StaffRig::tour_roster());
            ui::DriveStaffTo(rig.app(), view, variant, rig.now);
            REQUIRE(rig.app().View() == view);
            h.set_draw([&] { rig.frame(); });
            h.frames(2);
            const auto problems = text_layout_problems(h.items(), display);
            for (const auto& problem : problems) FAIL_CHECK(problem);
          }
          // A search by reference: a complaint listed, and the messages (mistyped, none found).
          if (!keyboard)
            for (const auto reference : {ui::TourReference::right, ui::TourReference::mistyped})
              for (const auto view : {ui::StaffView::note_find, ui::StaffView::history}) {
                auto searched = variant;
                searched.reference = reference;
                CAPTURE(variant.name);
                CAPTURE(ui::staff_view_name(view));
                CAPTURE(reference == ui::TourReference::right ? "right reference" : "mistyped reference");
                StaffRig rig(StaffRig::tour_roster());
                ui::DriveStaffTo(rig.app(), view, searched, rig.now);
                REQUIRE(rig.app().View() == view);
                h.set_draw([&] { rig.frame(); });
                h.frames(2);
                for (const auto& problem : text_layout_problems(h.items(), display)) FAIL_CHECK(problem);
              }
          // Sign-in asking for the kiosk's staff PIN ("Back to the kiosk").
          CAPTURE(variant.name);
          static const std::string kiosk_pin = heed::hash_secret(ui::kTourStaffPin).value();
          StaffRig rig(StaffRig::tour_roster(), [](ui::StaffApp::Options& o) { o.kiosk_pin_hash = kiosk_pin; });
          ui::DriveStaffTo(rig.app(), ui::StaffView::sign_in, variant, rig.now);
          rig.app().Apply(ui::staff_intent::to_kiosk(), rig.now);
          REQUIRE(rig.app().kiosk_pin_entry());
          h.set_draw([&] { rig.frame(); });
          h.frames(2);
          for (const auto& problem : text_layout_problems(h.items(), display)) FAIL_CHECK(problem);
        }
}

// The status screen (a device with neither kiosk nor tablet), saying why.
void check_status(ImVec2 display) {
  UiHarnessOptions options;
  options.display_size = display;
  UiHarness h(options);
  heed::test::TempDir dir;
  auto store = heed::DeviceStore::open(dir / "device.db").value();
  heed::DeviceConfig config;
  config.store_id = "MCR-01";
  config.store_code = "MCR";
  config.device_name = "Checkout kiosk 2";
  config.device_code = "K2";
  config.server_url = "https://heed.example.co.uk";
  config.mode = heed::DeviceMode::staff;
  for (const bool contrast : {false, true})
    for (const bool large : {false, true})
      for (const char* language : kLanguages) {
        CAPTURE(display.x);
        CAPTURE(contrast);
        CAPTURE(large);
        CAPTURE(language);
        const auto text = ui::Catalog::load(HEED_ASSETS_DIR "/i18n", language).value();
        ui::Look look = ui::look();
        look.large_text = large;
        ui::set_look(look);
        ui::use_theme(contrast ? heed::Theme::high_contrast : heed::Theme::standard);
        ui::StatusScreen screen;
        screen.Refresh(store, ui::StatusScreen::Clock::now(), /*force=*/true);
        const ui::StatusScreen::Inputs inputs{config, text, "9.9.9", text.tr("staff.menu.no_staff_mode")};
        h.set_draw([&] { (void)screen.Draw(inputs); });
        h.frames(2);
        CHECK(h.shows_text_containing(text.tr("staff.menu.no_staff_mode")));  // it says why
        for (const auto& problem : text_layout_problems(h.items(), display)) FAIL_CHECK(problem);
      }
  ui::Look plain = ui::look();
  plain.large_text = false;
  ui::set_look(plain);
  ui::use_theme(heed::Theme::standard);
}

}  // namespace

TEST_CASE("ui.layout: the rules catch overlapping text, a label leaving its widget and a shortened label") {
  const ImVec2 display(1920, 1080);
  ui::ItemRecord title;
  title.kind = ui::ItemKind::text;
  title.visible_label = "Title";
  title.on_screen = true;
  title.min = title.clip_min = ImVec2(100, 100);
  title.max = title.clip_max = ImVec2(400, 140);
  ui::ItemRecord hint = title;
  hint.visible_label = "Hint";
  hint.min = hint.clip_min = ImVec2(100, 150);
  hint.max = hint.clip_max = ImVec2(400, 190);
  ui::ItemRecord button;
  button.kind = ui::ItemKind::button;
  button.visible_label = "Continue";
  button.on_screen = true;
  button.min = button.clip_min = ImVec2(100, 300);
  button.max = button.clip_max = ImVec2(400, 388);
  button.text_min = ImVec2(150, 320);
  button.text_max = ImVec2(350, 360);
  CHECK(text_layout_problems({title, hint, button}, display).empty());

  hint.min.y = hint.clip_min.y = 130;  // a wrapped line runs into the next text
  CHECK(text_layout_problems({title, hint, button}, display).size() == 1);
  hint.min.y = hint.clip_min.y = 150;

  button.text_max.x = 420;  // a label wider than its button
  CHECK(text_layout_problems({title, hint, button}, display).size() == 1);
  button.text_max.x = 350;
  button.text_cut = true;
  CHECK(text_layout_problems({title, hint, button}, display).size() == 1);
  button.text_cut = false;

  hint.max.y = hint.clip_max.y = 320;  // text half over a button
  CHECK(text_layout_problems({title, hint, button}, display).size() == 1);
  hint.min = hint.clip_min = ImVec2(150, 310);  // text drawn on it, as a tile's caption is, is fine
  hint.max = hint.clip_max = ImVec2(350, 370);
  CHECK(text_layout_problems({title, hint, button}, display).empty());
}

TEST_CASE("ui.layout: kiosk screens at 1920x1080: no text overlaps, none leaves its widget") {
  check_kiosk(kDisplays[0]);
}
TEST_CASE("ui.layout: kiosk screens at 1280x800: no text overlaps, none leaves its widget") {
  check_kiosk(kDisplays[1]);
}
TEST_CASE("ui.layout: tablet screens at 1920x1080: no text overlaps, none leaves its widget") {
  check_staff(kDisplays[0]);
}
TEST_CASE("ui.layout: tablet screens at 1280x800: no text overlaps, none leaves its widget") {
  check_staff(kDisplays[1]);
}
TEST_CASE("ui.layout: the status screen at both sizes: no text overlaps, none leaves its widget") {
  check_status(kDisplays[0]);
  check_status(kDisplays[1]);
}
