// The headless harness itself: taps reach widgets and change state, the item
// registry sees each widget's label, id and rectangle, and a tap that cannot be
// done fails with a message that says why.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <imgui.h>

#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"
#include "ui_harness.hpp"

using heed::test::UiHarness;
using heed::test::UiHarnessError;
namespace ui = heed::ui;

namespace {

// A small window at a known place, as a test screen.
void begin_test_window(const char* name, ImVec2 pos = ImVec2(100, 200), ImVec2 size = ImVec2(900, 700)) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
}

}  // namespace

TEST_CASE("ui.harness: a tap on a button changes state") {
  UiHarness ui;
  int count = 0;
  ui.set_draw([&] {
    begin_test_window("counter");
    ui::Text("Count: " + std::to_string(count));
    if (ui::TouchButton("Add one##add")) ++count;
    ImGui::End();
  });
  ui.frame();
  CHECK(ui.is_visible("Count: 0"));

  ui.tap("Add one");
  CHECK(count == 1);
  CHECK(ui.is_visible("Count: 1"));
  CHECK_FALSE(ui.is_visible("Count: 0"));

  ui.tap("Add one##add");  // the full label works too
  CHECK(count == 2);
}

TEST_CASE("ui.harness: the item registry sees label, id and rectangle") {
  UiHarness ui;
  ImGuiID expected_id = 0;
  ui.frame([&] {
    begin_test_window("registry");
    expected_id = ImGui::GetID("Save##form");
    ui::TouchButton("Save##form", ImVec2(300, 0));
    ImGui::End();
  });

  const ui::ItemRecord& save = ui.find("Save");
  CHECK(save.kind == ui::ItemKind::button);
  CHECK(save.label == "Save##form");
  CHECK(save.visible_label == "Save");
  CHECK(save.id == expected_id);
  CHECK(save.id != 0);
  CHECK(save.enabled);
  CHECK(save.on_screen);
  // Inside the window's padding, 300 wide, at least a fingertip tall.
  const ImVec2 padding = ImGui::GetStyle().WindowPadding;
  CHECK(save.min.x == doctest::Approx(100 + padding.x));
  CHECK(save.min.y == doctest::Approx(200 + padding.y));
  CHECK(save.max.x - save.min.x == doctest::Approx(300));
  CHECK(save.max.y - save.min.y >= ui::TouchMinimum());
  const ImVec2 tap = save.tap_point();
  CHECK(tap.x > save.min.x);
  CHECK(tap.x < save.max.x);
  CHECK(tap.y > save.min.y);
  CHECK(tap.y < save.max.y);

  // The registry holds only the last frame: a widget not drawn any more is gone.
  ui.frame([&] {
    begin_test_window("registry");
    ImGui::End();
  });
  CHECK(ui.items().empty());
  CHECK_FALSE(ui.is_visible("Save"));
}

TEST_CASE("ui.harness: a label that is not there fails clearly") {
  UiHarness ui;
  ui.set_draw([&] {
    begin_test_window("missing");
    ui::Text("Welcome");
    ui::TouchButton("Start");
    ImGui::End();
  });
  CHECK_THROWS_WITH_AS(ui.tap("Finish"), doctest::Contains("cannot tap 'Finish': no widget has that label"),
                       UiHarnessError);
  // The message lists what was drawn, to see the mistake at once.
  CHECK_THROWS_WITH_AS(ui.tap("Finish"), doctest::Contains("button 'Start'"), UiHarnessError);
  CHECK_THROWS_WITH_AS(ui.find("Finish"), doctest::Contains("no item labelled 'Finish'"), UiHarnessError);
  CHECK_THROWS_WITH_AS(ui.tap("Welcome"), doctest::Contains("it is text"), UiHarnessError);
  CHECK_THROWS_WITH_AS(ui.tap_id(0x1234u), doctest::Contains("no widget with id 0x00001234"), UiHarnessError);
}

TEST_CASE("ui.harness: an ambiguous label fails and the full label resolves it") {
  UiHarness ui;
  int left = 0;
  int right = 0;
  ui.set_draw([&] {
    begin_test_window("ambiguous");
    if (ui::TouchButton("Choose##left")) ++left;
    ImGui::SameLine();
    if (ui::TouchButton("Choose##right")) ++right;
    ImGui::End();
  });
  CHECK_THROWS_WITH_AS(ui.tap("Choose"), doctest::Contains("2 widgets have it"), UiHarnessError);
  ui.tap("Choose##right");
  CHECK(left == 0);
  CHECK(right == 1);
  ui.tap_id(ui.find("Choose##left").id);
  CHECK(left == 1);
}

TEST_CASE("ui.harness: disabled and covered widgets cannot be tapped") {
  UiHarness ui;
  int taps = 0;
  bool cover = false;
  ui.set_draw([&] {
    begin_test_window("under");
    ImGui::BeginDisabled();
    ui::TouchButton("Locked");
    ImGui::EndDisabled();
    if (ui::TouchButton("Open")) ++taps;
    ImGui::End();
    if (cover) {
      begin_test_window("cover", ImVec2(0, 0), ImVec2(1920, 1080));
      ui::Text("A window over everything");
      ImGui::End();
    }
  });
  CHECK_THROWS_WITH_AS(ui.tap("Locked"), doctest::Contains("it is disabled"), UiHarnessError);
  ui.tap("Open");
  CHECK(taps == 1);

  cover = true;
  ui.frames(2);
  CHECK_THROWS_WITH_AS(ui.tap("Open"), doctest::Contains("did not reach it"), UiHarnessError);
  CHECK(taps == 1);
}

TEST_CASE("ui.harness: checkboxes, selectables and text fields") {
  UiHarness ui;
  bool consent = false;
  int chosen = -1;
  std::string comment;
  ui.set_draw([&] {
    begin_test_window("form");
    ui::TouchCheckbox("You may contact me about this feedback", &consent);
    for (int i = 0; i < 3; ++i) {
      const std::string label = "Option " + std::to_string(i + 1);
      if (ui::TouchSelectable(label.c_str(), chosen == i)) chosen = i;
    }
    ui::TextField("##comment", &comment);
    ImGui::End();
  });
  ui.tap("You may contact me about this feedback");
  CHECK(consent);
  ui.tap("Option 2");
  CHECK(chosen == 1);
  CHECK(ui.find("Option 2").max.y - ui.find("Option 2").min.y >= ui::TouchMinimum());

  ui.tap("##comment");
  ui.type_text("Diolch — ŵ ł ż €5");
  CHECK(comment == "Diolch — ŵ ł ż €5");
  ui.press_key(ImGuiKey_Backspace);
  CHECK(comment == "Diolch — ŵ ł ż €");
}

TEST_CASE("ui.harness: the fonts cover Welsh, Polish, punctuation and the euro") {
  UiHarness ui;
  ui.frame();
  const ImFont* font = ImGui::GetFont();
  for (const ImWchar c : {ImWchar(0x00A3), ImWchar(0x0175), ImWchar(0x0177), ImWchar(0x0142), ImWchar(0x017C),
                          ImWchar(0x2014), ImWchar(0x2026), ImWchar(0x20AC)}) {
    CAPTURE(static_cast<int>(c));
    CHECK(font->FindGlyphNoFallback(c) != nullptr);
  }
  CHECK(font->FontSize == doctest::Approx(ui::kBodyPx));  // 1080 high: scale 1
}

TEST_CASE("ui.harness: a draw function that throws mid-card leaves the next frame usable") {
  UiHarness ui;
  bool fail = true;
  ui.set_draw([&] {
    ui::BeginScreen("##screen");
    ui::BeginCard("card", 600.0f);
    ui::Text("Inside the card");
    if (fail) throw std::runtime_error("draw failed");
    ui::EndCard();
    ui::EndScreen();
  });
  CHECK_THROWS_AS(ui.frame(), std::runtime_error);
  fail = false;
  ui.frames(2);
  CHECK(ui.is_visible("Inside the card"));
}
