// Every kiosk screen, reached by the tour's intents, at 1920x1080 and 1280x800 in
// each theme, larger text and each language: tappable items are at least the
// touch minimum, on the display and not on top of each other; the lowered layout
// keeps every control in the lower part; and the screens use only catalogue keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "heed/ui/widgets.hpp"
#include "kiosk_rig.hpp"
#include "ui_harness.hpp"

using heed::test::KioskRig;
using heed::test::UiHarness;
using heed::test::UiHarnessOptions;
namespace ui = heed::ui;

namespace {

constexpr std::array<ui::KioskView, 10> kViews{
    ui::KioskView::welcome,  ui::KioskView::csat,      ui::KioskView::nps,    ui::KioskView::comment,
    ui::KioskView::callback, ui::KioskView::privacy,   ui::KioskView::thanks, ui::KioskView::idle_warning,
    ui::KioskView::pin_pad,  ui::KioskView::staff_menu};
const std::array<ImVec2, 2> kDisplays{ImVec2(1920, 1080), ImVec2(1280, 800)};

// The variants a customer can choose, with and without the keyboard up.
std::vector<ui::TourVariant> variants() {
  std::vector<ui::TourVariant> out{ui::standard_variant(), ui::high_contrast_variant(), ui::large_text_variant(),
                                   ui::lowered_variant(),  ui::language_variant("cy"),  ui::language_variant("pl")};
  auto both = ui::large_text_variant();
  both.name = "large-text-lowered";
  both.preferences.lowered = true;
  out.push_back(both);
  const auto with_keyboard = out.size();
  for (std::size_t i = 0; i < with_keyboard; ++i) out.push_back(ui::without_keyboard(out[i]));
  return out;
}

bool overlap(const ui::ItemRecord& a, const ui::ItemRecord& b) {
  return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

// `a` lies within `b` (a pixel allowed for rounding).
bool inside(const ui::ItemRecord& a, const ui::ItemRecord& b) {
  return a.min.x >= b.min.x - 0.5f && a.max.x <= b.max.x + 0.5f && a.min.y >= b.min.y - 0.5f &&
         a.max.y <= b.max.y + 0.5f;
}

// The items drawn over the screen on an overlay view (they follow the screen's
// in drawing order; the overlay's first item is its first tappable after the
// screen's last): all items for a plain screen.
std::vector<ui::ItemRecord> top_layer(const std::vector<ui::ItemRecord>& items, ui::KioskView view) {
  const bool overlay = view == ui::KioskView::privacy || view == ui::KioskView::idle_warning ||
                       view == ui::KioskView::pin_pad || view == ui::KioskView::staff_menu;
  if (!overlay) return items;
  std::vector<ui::ItemRecord> out;
  bool in_overlay = false;
  for (const auto& item : items) {
    in_overlay |= item.label.find("##privacy.") != std::string::npos ||
                  item.label.find("##idle") != std::string::npos || item.label.find("##pin") != std::string::npos ||
                  item.label.find("##staff.") != std::string::npos || item.label == "Are you still there?" ||
                  item.label == "How we use your details" || item.label == "Staff PIN" || item.label == "Staff menu";
    if (in_overlay) out.push_back(item);
  }
  return out;
}

}  // namespace

TEST_CASE("ui.kiosk.layout: every screen's touch targets are big enough, on the display and apart") {
  for (const ImVec2 display : kDisplays) {
    UiHarnessOptions options;
    options.display_size = display;
    UiHarness h(options);  // one atlas a display; a fresh kiosk for each screen
    for (const auto& variant : variants()) {
      for (const auto view : kViews) {
        CAPTURE(display.x);
        CAPTURE(display.y);
        CAPTURE(variant.name);
        CAPTURE(ui::kiosk_view_name(view));
        KioskRig rig;
        ui::DriveTo(rig.app(), view, variant, rig.now);
        REQUIRE(rig.app().View(rig.now) == view);
        h.set_draw([&] { rig.frame(); });
        h.frames(2);
        const float minimum = ui::TouchMinimum();
        std::size_t tappable = 0;
        for (const auto& item : h.items()) {
          CAPTURE(item.label);
          // Everything drawn is on the display, with a pixel for rounding.
          CHECK(item.min.x >= -0.5f);
          CHECK(item.min.y >= -0.5f);
          CHECK(item.max.x <= display.x + 0.5f);
          CHECK(item.max.y <= display.y + 0.5f);
          if (!item.tappable()) continue;
          ++tappable;
          CHECK(item.max.x - item.min.x >= minimum - 0.5f);
          CHECK(item.max.y - item.min.y >= minimum - 0.5f);
        }
        CHECK(tappable > 0);
        const auto layer = top_layer(h.items(), view);
        for (std::size_t i = 0; i < layer.size(); ++i)
          for (std::size_t j = i + 1; j < layer.size(); ++j) {
            if (!layer[i].tappable() && !layer[j].tappable()) continue;
            if (layer[i].kind == ui::ItemKind::text_field || layer[j].kind == ui::ItemKind::text_field) {
              // A field's own text is recorded on the field.
              if (layer[i].min.x == layer[j].min.x && layer[i].min.y == layer[j].min.y) continue;
            }
            // A tile's own word is drawn (and recorded) on it.
            if (layer[j].kind == ui::ItemKind::text && layer[i].tappable() && inside(layer[j], layer[i])) continue;
            if (layer[i].kind == ui::ItemKind::text && layer[j].tappable() && inside(layer[i], layer[j])) continue;
            CAPTURE(layer[i].label);
            CAPTURE(layer[j].label);
            CHECK_FALSE(overlap(layer[i], layer[j]));
          }
      }
    }
  }
}

TEST_CASE("ui.kiosk.layout: the lowered layout puts every control in the lower part of the display") {
  for (const ImVec2 display : kDisplays) {
    auto lowered = ui::lowered_variant();
    auto lowered_large = ui::large_text_variant();
    lowered_large.preferences.lowered = true;
    lowered_large.name = "large-text-lowered";
    UiHarnessOptions options;
    options.display_size = display;
    UiHarness h(options);
    for (const auto& variant :
         {lowered, ui::without_keyboard(lowered), lowered_large, ui::without_keyboard(lowered_large),
          ui::with_callback(lowered), ui::with_callback(lowered_large)}) {
      for (const auto view : kViews) {
        if (view == ui::KioskView::pin_pad || view == ui::KioskView::staff_menu) continue;  // staff, not customers
        if (variant.callback && view != ui::KioskView::thanks) continue;  // it changes only the thank-you screen
        CAPTURE(display.x);
        CAPTURE(display.y);
        CAPTURE(variant.name);
        CAPTURE(ui::kiosk_view_name(view));
        KioskRig rig;
        ui::DriveTo(rig.app(), view, variant, rig.now);
        h.set_draw([&] { rig.frame(); });
        h.frames(2);
        const float lower_part = display.y * ui::kLoweredFrom;
        for (const auto& item : top_layer(h.items(), view)) {
          if (!item.tappable() || item.label == "##staff-corner") continue;  // the hidden corner is for staff
          CAPTURE(item.label);
          CHECK(item.min.y >= lower_part - 0.5f);
        }
      }
    }
  }
  // Unticked, the call-back screen's consent row is low too.
  KioskRig rig;
  UiHarness h;
  rig.app().Apply(ui::intent::set_preferences({.lowered = true}), rig.now);
  ui::DriveTo(rig.app(), ui::KioskView::csat, ui::lowered_variant(), rig.now);
  rig.app().Apply(ui::intent::rate_csat(3), rig.now);
  rig.app().Apply(ui::intent::rate_nps(3), rig.now);
  rig.app().Apply(ui::intent::skip(), rig.now);
  h.set_draw([&] { rig.frame(); });
  h.frames(2);
  CHECK(h.find("You may contact me about this feedback").min.y >= 1080.0f * ui::kLoweredFrom);
}

namespace {

// The keyboard-up and error states of the comment and call-back screens: the
// comment keyboard; the call-back with an email error shown, without the keyboard
// and with it up for each field.
enum class Typing { comment, none, name, email, phone };
constexpr std::array<Typing, 5> kTyping{Typing::comment, Typing::none, Typing::name, Typing::email, Typing::phone};
const char* typing_name(Typing typing) {
  constexpr std::array<const char*, 5> kNames{"comment keyboard", "call-back error, no keyboard", "name keyboard",
                                              "email keyboard", "phone keyboard"};
  return kNames[static_cast<std::size_t>(typing)];
}

// Drives a fresh kiosk to `typing`'s state in `variant`.
void drive_to(KioskRig& rig, Typing typing, ui::TourVariant variant) {
  variant.keyboard = typing != Typing::none;
  ui::DriveTo(rig.app(), typing == Typing::comment ? ui::KioskView::comment : ui::KioskView::callback, variant,
              rig.now);
  if (typing == Typing::name) rig.app().Apply(ui::intent::focus(ui::TextTarget::name), rig.now);
  if (typing == Typing::phone) rig.app().Apply(ui::intent::focus(ui::TextTarget::phone), rig.now);
}

// Checks the keyboard and error states: each field present once, tappable, on
// the display and apart from every other control; the error under the email
// field; and, when `lowered`, every control and what each field shows in the
// lower part of the display.
void check_typing_states(const std::vector<ui::TourVariant>& variants, bool lowered) {
  for (const ImVec2 display : kDisplays) {
    UiHarnessOptions options;
    options.display_size = display;
    UiHarness h(options);
    for (const auto& variant : variants)
      for (const char* language : {"en", "cy", "pl"})
        for (const Typing typing : kTyping) {
          CAPTURE(display.x);
          CAPTURE(display.y);
          CAPTURE(variant.name);
          const std::string language_code = language, state = typing_name(typing);
          CAPTURE(language_code);
          CAPTURE(state);
          auto chosen = variant;
          chosen.language = language;
          KioskRig rig;
          drive_to(rig, typing, chosen);
          h.set_draw([&] { rig.frame(); });
          h.frames(2);
          const auto& flow = rig.app().flow();
          // What the fields show is recorded as text on them: it must be low too.
          std::vector<std::string> values;
          if (!flow.comment().empty()) values.push_back(flow.comment());
          for (auto field : {heed::ContactField::name, heed::ContactField::email, heed::ContactField::phone})
            if (!flow.contact(field).empty()) values.push_back(flow.contact(field));
          if (typing != Typing::comment) {
            bool all_fields = true;
            for (const char* field : {"##field.name", "##field.email", "##field.phone"}) {
              const std::string field_id = field;
              CAPTURE(field_id);
              const auto count = std::count_if(h.items().begin(), h.items().end(), [&](const ui::ItemRecord& item) {
                return item.label == field_id && item.tappable() && item.on_screen;
              });
              CHECK(count == 1);
              all_fields &= count == 1;
            }
            const auto code = flow.contact_error(heed::ContactField::email);
            REQUIRE(code);
            const std::string error = rig.app().text().tr("error." + std::string(*code));
            if (all_fields) CHECK(h.find(error).min.y >= h.find("##field.email").max.y);
          }
          const auto& items = h.items();
          for (const auto& item : items) {
            CAPTURE(item.label);
            CHECK(item.min.x >= -0.5f);
            CHECK(item.min.y >= -0.5f);
            CHECK(item.max.x <= display.x + 0.5f);
            CHECK(item.max.y <= display.y + 0.5f);
            const bool value =
                item.kind == ui::ItemKind::text && std::find(values.begin(), values.end(), item.label) != values.end();
            if (lowered && (item.tappable() || value) && item.label != "##staff-corner")
              CHECK(item.min.y >= display.y * ui::kLoweredFrom - 0.5f);
          }
          for (std::size_t i = 0; i < items.size(); ++i)
            for (std::size_t j = i + 1; j < items.size(); ++j) {
              if (!items[i].tappable() || !items[j].tappable()) continue;
              CAPTURE(items[i].label);
              CAPTURE(items[j].label);
              CHECK_FALSE(overlap(items[i], items[j]));
            }
        }
  }
}

}  // namespace

TEST_CASE("ui.kiosk.layout: lowered, with the keyboard up or an error shown, every control and field stays low") {
  auto lowered_large = ui::large_text_variant();
  lowered_large.preferences.lowered = true;
  lowered_large.name = "large-text-lowered";
  check_typing_states({ui::lowered_variant(), lowered_large}, /*lowered=*/true);
}

TEST_CASE("ui.kiosk.layout: after a contact-details error, with the keyboard up, every field stays reachable") {
  check_typing_states({ui::standard_variant(), ui::large_text_variant(), ui::high_contrast_variant()},
                      /*lowered=*/false);
}

TEST_CASE("ui.kiosk.layout: a face's word stays within its tile in every language and text size") {
  for (const ImVec2 display : kDisplays) {
    UiHarnessOptions options;
    options.display_size = display;
    UiHarness h(options);
    for (const auto& variant : {ui::standard_variant(), ui::large_text_variant()})
      for (const char* language : {"en", "cy", "pl"}) {
        CAPTURE(display.x);
        CAPTURE(variant.name);
        const std::string language_code = language;
        CAPTURE(language_code);
        auto chosen = variant;
        chosen.language = language;
        KioskRig rig;
        ui::DriveTo(rig.app(), ui::KioskView::csat, chosen, rig.now);
        h.set_draw([&] { rig.frame(); });
        h.frames(2);
        int tiles = 0;
        for (int score = 1; score <= 5; ++score) {
          const std::string word = rig.app().text().tr("kiosk.csat." + std::to_string(score));
          CAPTURE(word);
          const auto tile = h.find(word + "##csat" + std::to_string(score));
          // The word as drawn on the tile (the tile itself is a button of the same visible label).
          const auto& items = h.items();
          const auto drawn_at = std::find_if(items.begin(), items.end(), [&](const ui::ItemRecord& item) {
            return item.kind == ui::ItemKind::text && item.label == word;
          });
          REQUIRE(drawn_at != items.end());
          CHECK(inside(*drawn_at, tile));
          ++tiles;
        }
        CHECK(tiles == 5);
      }
  }
}

TEST_CASE("ui.kiosk.layout: the screens use only keys that are in every catalogue") {
  for (const char* language : {"en", "cy", "pl"}) {
    CAPTURE(language);
    UiHarness h;
    for (const auto view : kViews) {
      auto variant = ui::language_variant(language);
      for (const bool keyboard : {true, false}) {
        variant.keyboard = keyboard;
        variant.callback = !keyboard;  // the thank-you screen with a call-back promise, too
        KioskRig fresh;
        ui::DriveTo(fresh.app(), view, variant, fresh.now);
        h.set_draw([&] { fresh.frame(); });
        h.frames(2);
        for (const char* each : {"en", "cy", "pl"}) {
          CAPTURE(each);
          CHECK(fresh.app().catalog(each).missing_keys() == std::vector<std::string>{});
        }
      }
    }
  }
}
