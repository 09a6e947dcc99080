// The headless UI test harness: runs Dear ImGui frames with no window and no
// GPU, and drives them like a finger on a touch screen.
//
//   heed::test::UiHarness ui;                 // 1920x1080, DejaVu fonts, standard theme
//   ui.set_draw([&] { screen.Draw(inputs); }); // what every frame draws
//   ui.frame();                                // draw once
//   ui.tap("Refresh");                         // press, release, settle: 3 frames
//   CHECK(ui.is_visible("Everything has been sent to head office."));
//
// Widgets are found in the item registry (heed/ui/widgets.hpp), so only what
// Heed's widget layer draws can be found: TouchButton, TouchCheckbox,
// TouchSelectable, TextField (tappable) and heed::ui::Text / Badge (visible
// text); a custom widget calls heed::ui::RecordLastItem to be found.
// A label that is not there, is there twice, is disabled or is clipped away
// throws UiHarnessError with a message naming it and listing what was drawn.
//
// Input goes through heed::ui::InputQueue, as in the app's window: events added
// between frames are applied a frame at a time without losing any. A tap waits,
// as a person does, until what it taps has been on screen for the widgets' tap
// guard (heed::ui::kTapGuardSeconds of ImGui time; frames are delta_time apart);
// quick_tap_at() does not wait (the second tap of a double tap).
//
// Invariants: one UiHarness at a time (ImGui has one current context, and the
// look is global); it owns its ImGui context and registry and destroys them.
// Each frame is NewFrame, draw, Render: exactly what the app does, less the GL.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "heed/config.hpp"
#include "heed/ui/glyphs.hpp"
#include "heed/ui/input_queue.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::test {

// A harness call that cannot do what the test asked; what() says why.
class UiHarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct UiHarnessOptions {
  ImVec2 display_size{1920.0f, 1080.0f};  // io.DisplaySize; the look's scale follows it
  float delta_time = 1.0f / 60.0f;        // io.DeltaTime per frame; must be > 0 (ImGui asserts)
  Theme theme = Theme::standard;
  bool real_fonts = true;  // DejaVu Sans as the app loads it; false: ImGui's built-in font
  // With real_fonts: glyphs for every character of the shipped catalogues,
  // question sets and keyboards, as the app builds them (assets/ of the source tree).
  bool shipped_glyphs = true;
};

class UiHarness {
 public:
  explicit UiHarness(UiHarnessOptions options = {});
  ~UiHarness();
  UiHarness(const UiHarness&) = delete;
  UiHarness& operator=(const UiHarness&) = delete;

  // ---- Frames ----
  // Sets what every following frame draws (between NewFrame and Render).
  void set_draw(std::function<void()> draw);
  // Runs one frame with the current pointer state.
  void frame();
  // set_draw(draw), then frame().
  void frame(std::function<void()> draw);
  // Runs n frames.
  void frames(int n);
  // Frames run so far.
  int frame_count() const { return frames_run_; }

  // ---- Pointer (a finger) ----
  void move_pointer(ImVec2 position);  // takes effect on the next frame
  void press();                        // finger down on the next frame
  void release();                      // finger up on the next frame
  void lift_pointer();                 // no pointer at all (a finger lifted away)
  ImVec2 pointer() const { return pointer_; }

  // ---- Finding and tapping widgets (in the last frame's registry) ----
  // The one item whose visible label is `label` (or whose full label is, when
  // `label` contains "##"). Throws if none or several. Runs a frame first if none
  // ran. The reference is valid until the next frame.
  const ui::ItemRecord& find(std::string_view label);
  // Taps the one tappable item labelled `label`: a frame with the finger down on
  // the centre of its visible part, a frame with it up, a frame after lifting
  // (so the result is drawn). Throws if the item is missing, ambiguous, disabled,
  // clipped away, or covered (the press did not reach it).
  void tap(std::string_view label);
  // Taps the item with this ImGui id (from find(...).id or ItemRecord::id).
  void tap_id(ImGuiID id);
  // Taps a point of the display (for empty space or custom areas): 3 frames,
  // after waiting for the tap guard of the widget there, if any.
  void tap_at(ImVec2 position);
  // Taps a point at once, without waiting for any tap guard: 3 frames. The second
  // tap of a double tap, or a finger that lands as a screen changes.
  void quick_tap_at(ImVec2 position);
  // Runs frames until a press on the widget `id` (drawn in the last frame) counts.
  void wait_until_tappable(ImGuiID id);

  // ---- Keyboard ----
  // Types UTF-8 text into the focused text field, then drain()s: frames until it
  // is all taken, and one more so the result is drawn.
  void type_text(std::string_view utf8);
  // Presses and releases one key (e.g. ImGuiKey_Backspace, ImGuiKey_Enter): 2 frames.
  void press_key(ImGuiKey key);
  // Queues without running a frame, as fast hands or a barcode scanner between
  // two frames: text, a key going down or up, or a key pressed and released.
  void queue_text(std::string_view utf8);
  void queue_key(ImGuiKey key, bool down);
  void queue_key_tap(ImGuiKey key);
  // Runs frames while input is queued (as the app does), then one more so the
  // result is drawn. Returns the frames run.
  int drain();
  // The queue the harness feeds ImGui through.
  ui::InputQueue& input() { return input_; }

  // ---- Queries (last frame) ----
  // True when an item (text or widget) with this label was drawn and is on screen.
  bool is_visible(std::string_view label) const;
  // True when some drawn text or label contains `fragment`.
  bool shows_text_containing(std::string_view fragment) const;
  // The items of the last frame.
  const std::vector<ui::ItemRecord>& items() const;
  // "button 'Refresh' id=0x1234 at (10,20)-(200,108)" lines of the last frame, for messages.
  std::string describe_items() const;

  ImGuiContext* context() const { return context_; }

 private:
  void ensure_drawn();
  void tap_item(ui::ItemRecord item);  // a copy: the registry empties during the tap

  UiHarnessOptions options_;
  ImGuiContext* context_ = nullptr;
  ImGuiContext* previous_context_ = nullptr;
  std::unique_ptr<ui::GlyphRanges> glyphs_;     // outlives the atlas build
  std::unique_ptr<ui::ItemRegistry> registry_;  // destroyed before the context
  std::function<void()> draw_;
  ui::InputQueue input_;
  ImVec2 pointer_;
  int frames_run_ = 0;
};

}  // namespace heed::test
