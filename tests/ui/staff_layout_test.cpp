// Every staff tablet screen, reached by the tour's intents, at 1920x1080 and
// 1280x800 in each theme, larger text and each language: everything drawn is on
// the display, tappable items are at least the touch minimum and, on screens
// without an overlay, not on top of each other; the screens use only keys that
// are in every catalogue; the QR code on the done screen decodes to modules; the
// prompt card's accent bar stays inside its rounded corners.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_parts.hpp"
#include "heed/ui/staff_tour.hpp"
#include "heed/ui/widgets.hpp"
#include "staff_rig.hpp"
#include "ui_harness.hpp"

using heed::test::StaffRig;
using heed::test::UiHarness;
using heed::test::UiHarnessOptions;
namespace ui = heed::ui;

namespace {

const std::array<ImVec2, 2> kDisplays{ImVec2(1920, 1080), ImVec2(1280, 800)};

std::vector<ui::StaffTourVariant> variants() {
  return {ui::staff_variant("standard", false, false, "en"),  ui::staff_variant("high-contrast", true, false, "en"),
          ui::staff_variant("large-text", false, true, "en"), ui::staff_variant("cy", false, false, "cy"),
          ui::staff_variant("pl", false, false, "pl"),        ui::staff_variant("keyboard", false, false, "en", true)};
}

bool overlap(const ui::ItemRecord& a, const ui::ItemRecord& b) {
  return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

bool has_overlay(const ui::StaffApp& app) {
  return app.View() == ui::StaffView::approval || app.View() == ui::StaffView::history ||
         app.View() == ui::StaffView::discard || app.typing() != ui::StaffField::none;
}

// Text drawn inside a field (its placeholder) belongs to the field.
bool inside(const ui::ItemRecord& text, const ui::ItemRecord& field) {
  return !text.tappable() && field.kind == ui::ItemKind::text_field && text.min.x >= field.min.x &&
         text.min.y >= field.min.y && text.max.x <= field.max.x && text.max.y <= field.max.y;
}

}  // namespace

TEST_CASE("ui.staff.layout: every screen's touch targets are big enough, on the display and apart") {
  for (const ImVec2 display : kDisplays) {
    UiHarnessOptions options;
    options.display_size = display;
    UiHarness h(options);
    for (const auto& variant : variants()) {
      for (const auto view : ui::all_staff_views()) {
        CAPTURE(display.x);
        CAPTURE(variant.name);
        CAPTURE(ui::staff_view_name(view));
        StaffRig rig(StaffRig::tour_roster());
        ui::DriveStaffTo(rig.app(), view, variant, rig.now);
        REQUIRE(rig.app().View() == view);
        h.set_draw([&] { rig.frame(); });
        h.frames(2);
        const float minimum = ui::TouchMinimum();
        std::size_t tappable = 0;
        for (const auto& item : h.items()) {
          CAPTURE(item.label);
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
        if (has_overlay(rig.app())) continue;
        const auto& items = h.items();
        for (std::size_t i = 0; i < items.size(); ++i)
          for (std::size_t j = i + 1; j < items.size(); ++j) {
            if (!items[i].tappable() && !items[j].tappable()) continue;
            // A field's own text (what is typed, or its placeholder) is drawn inside the field.
            if (inside(items[i], items[j]) || inside(items[j], items[i])) continue;
            CAPTURE(items[i].label);
            CAPTURE(items[j].label);
            CHECK_FALSE(overlap(items[i], items[j]));
          }
      }
    }
  }
}

TEST_CASE("ui.staff.layout: the screens use only keys that are in every catalogue") {
  UiHarness h;
  for (const char* language : {"en", "cy", "pl"}) {
    for (const auto view : ui::all_staff_views()) {
      CAPTURE(language);
      CAPTURE(ui::staff_view_name(view));
      StaffRig rig(StaffRig::tour_roster());
      ui::DriveStaffTo(rig.app(), view, ui::staff_variant(language, false, false, language), rig.now);
      h.set_draw([&] { rig.frame(); });
      h.frames(2);
      for (const char* each : {"en", "cy", "pl"}) {
        CAPTURE(each);
        CHECK(rig.app().catalog(each).missing_keys() == std::vector<std::string>{});
      }
    }
  }
}

TEST_CASE("ui.staff: every Consumer Rights Act explanation and enumeration name is in every catalogue") {
  for (const char* language : {"en", "cy", "pl"}) {
    CAPTURE(language);
    auto catalog = ui::Catalog::load(HEED_ASSETS_DIR "/i18n", language);
    REQUIRE(catalog.ok());
    CHECK(catalog->language() == language);
    for (const auto& rule : heed::consumer_rights_rules()) {
      CAPTURE(rule.explanation_key);
      CHECK(catalog->has(rule.explanation_key));
    }
    const auto names = [&](std::string_view group, const auto& values) {
      for (const auto value : values) {
        const std::string key = "staff." + std::string(group) + "." + std::string(heed::enum_name(value));
        CAPTURE(key);
        CHECK(catalog->has(key));
      }
    };
    names("channel", heed::enum_values<heed::Channel>());
    names("category", heed::enum_values<heed::Category>());
    names("severity", heed::enum_values<heed::Severity>());
    names("mood", heed::enum_values<heed::CustomerMood>());
    names("outcome", heed::enum_values<heed::DesiredOutcome>());
    names("offer", heed::enum_values<heed::Offer>());
    names("purchase", heed::enum_values<heed::PurchaseKind>());
    names("target", heed::enum_values<heed::EscalationTarget>());
  }
}

TEST_CASE("ui.staff: the prompt card's accent bar stays inside its rounded corners") {
  for (const bool high_contrast : {false, true}) {
    CAPTURE(high_contrast);
    heed::test::UiHarnessOptions options;
    options.theme = high_contrast ? heed::Theme::high_contrast : heed::Theme::standard;
    UiHarness h(options);
    const ImVec2 at(200.0f, 300.0f);
    const float width = 900.0f;
    float height = 0.0f;
    ImU32 accent = 0;
    h.frame([&] {
      if (ui::BeginKioskScreen("##card")) {
        height = ui::PromptCard("Hear: let the customer tell it their way without interrupting.", at, width);
        accent = ImGui::GetColorU32(ui::palette().primary);
      }
      ui::EndKioskScreen();
    });
    REQUIRE(height > 0.0f);
    const float radius = std::min(ui::px(16.0f), height * 0.5f);
    // Anti-aliasing fringes reach about a pixel outside a shape's edge.
    const auto in_card = [&](ImVec2 v) {
      constexpr float kFringe = 1.2f;
      if (v.x < at.x - kFringe || v.x > at.x + width + kFringe || v.y < at.y - kFringe || v.y > at.y + height + kFringe)
        return false;
      const float cx = std::clamp(v.x, at.x + radius, at.x + width - radius);
      const float cy = std::clamp(v.y, at.y + radius, at.y + height - radius);
      return std::hypot(v.x - cx, v.y - cy) <= radius + kFringe;
    };
    const ImDrawData* data = ImGui::GetDrawData();
    REQUIRE(data != nullptr);
    std::size_t accent_vertices = 0;
    for (int l = 0; l < data->CmdListsCount; ++l)
      for (const ImDrawVert& v : data->CmdLists[l]->VtxBuffer) {
        if ((v.col | IM_COL32_A_MASK) != (accent | IM_COL32_A_MASK)) continue;
        ++accent_vertices;
        CAPTURE(v.pos.x - at.x);
        CAPTURE(v.pos.y - at.y);
        CHECK(in_card(v.pos));
      }
    CHECK(accent_vertices > 0);
  }
}
