// The headless UI test harness: ImGui frames without a window or GPU, driven
// like a finger. Sections: context; frames; pointer; finding and tapping;
// keyboard; queries.
#include "ui_harness.hpp"

#include <array>
#include <cfloat>
#include <cstdio>
#include <memory>

#include <imgui_internal.h>

#include "heed/ui/look.hpp"

namespace heed::test {
namespace {

std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string hex_id(ImGuiID id) {
  std::array<char, 16> text{};
  std::snprintf(text.data(), text.size(), "0x%08X", id);
  return text.data();
}

std::string point(ImVec2 p) {
  std::array<char, 48> text{};
  std::snprintf(text.data(), text.size(), "(%.0f,%.0f)", static_cast<double>(p.x), static_cast<double>(p.y));
  return text.data();
}

std::string describe(const ui::ItemRecord& item) {
  std::string line = std::string(ui::item_kind_name(item.kind)) + " " + in_quotes(item.label);
  if (item.tappable()) line += " id=" + hex_id(item.id);
  line += " at " + point(item.min) + "-" + point(item.max);
  if (!item.on_screen) line += " (clipped)";
  if (!item.enabled) line += " (disabled)";
  return line;
}

bool matches(const ui::ItemRecord& item, std::string_view label) {
  const bool full = label.find("##") != std::string_view::npos;
  return (full ? item.label : item.visible_label) == label;
}

}  // namespace

// ---- Context ----------------------------------------------------------------

UiHarness::UiHarness(UiHarnessOptions options) : options_(options), pointer_(-FLT_MAX, -FLT_MAX) {
  if (!(options_.delta_time > 0.0f)) throw UiHarnessError("UiHarness: delta_time must be > 0 (ImGui asserts)");
  previous_context_ = ImGui::GetCurrentContext();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = options_.display_size;
  io.DeltaTime = options_.delta_time;
  for (int key = 0; key < ImGuiKey_COUNT; ++key) io.KeyMap[key] = key;  // ImGuiKey k is io.KeysDown[k]

  const float scale = ui::scale_for_display(options_.display_size.x, options_.display_size.y);
  ui::Look look{options_.theme, scale, {}};
  if (options_.real_fonts) {
    const ImWchar* ranges = nullptr;
    if (options_.shipped_glyphs) {
      glyphs_ = std::make_unique<ui::GlyphRanges>();
      if (auto added = ui::add_shipped_text(*glyphs_, HEED_ASSETS_DIR); !added) {
        ImGui::DestroyContext(context_);
        ImGui::SetCurrentContext(previous_context_);
        throw UiHarnessError("UiHarness: " + added.error().message);
      }
      ranges = glyphs_->data();
    }
    auto fonts = ui::load_fonts(*io.Fonts, scale, ui::kDefaultFontDir, ranges);
    if (!fonts) {
      ImGui::DestroyContext(context_);
      ImGui::SetCurrentContext(previous_context_);
      throw UiHarnessError("UiHarness: " + fonts.error().message);
    }
    look.fonts = fonts.value();
  }
  // Builds the atlas; nothing uploads it, as no GPU is needed to lay out frames.
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);

  ui::apply_touch_style(ImGui::GetStyle(), options_.theme, scale);
  ui::set_look(look);
  registry_ = std::make_unique<ui::ItemRegistry>();
}

UiHarness::~UiHarness() {
  ImGui::SetCurrentContext(context_);
  registry_.reset();
  ui::set_look(ui::Look{});  // its fonts die with the context
  ImGui::DestroyContext(context_);
  if (previous_context_ != nullptr) ImGui::SetCurrentContext(previous_context_);
}

// ---- Frames -------------------------------------------------------------------

void UiHarness::set_draw(std::function<void()> draw) { draw_ = std::move(draw); }

void UiHarness::frame() {
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = options_.display_size;
  io.DeltaTime = options_.delta_time;
  input_.apply(io);
  // As the app does between frames: the larger-text fonts when first asked for.
  auto loaded = ui::load_fonts_for_look(*io.Fonts);
  if (!loaded) throw UiHarnessError("UiHarness: " + loaded.error().message);
  if (*loaded) {
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ImGui::NewFrame();
  try {
    if (draw_) draw_();
  } catch (...) {
    // Close whatever the draw function left open so the next frame can start.
    ui::RecoverAbandonedFrame();
    ImGui::ErrorCheckEndFrameRecover(nullptr);
    ImGui::EndFrame();
    ++frames_run_;
    throw;
  }
  ImGui::Render();
  ++frames_run_;
}

void UiHarness::frame(std::function<void()> draw) {
  set_draw(std::move(draw));
  frame();
}

void UiHarness::frames(int n) {
  for (int i = 0; i < n; ++i) frame();
}

void UiHarness::ensure_drawn() {
  // Two frames: an auto-sizing window is hidden on its first.
  if (frames_run_ == 0) frames(2);
}

// ---- Pointer --------------------------------------------------------------------

void UiHarness::move_pointer(ImVec2 position) {
  pointer_ = position;
  input_.add_mouse_pos(position);
}
void UiHarness::press() { input_.add_mouse_button(0, true); }
void UiHarness::release() { input_.add_mouse_button(0, false); }
void UiHarness::lift_pointer() {
  release();
  move_pointer(ImVec2(-FLT_MAX, -FLT_MAX));  // ImGui's "no mouse"
}

// ---- Finding and tapping ----------------------------------------------------------

const ui::ItemRecord& UiHarness::find(std::string_view label) {
  ensure_drawn();
  const auto found = registry_->find(label);
  if (found.empty())
    throw UiHarnessError("UiHarness: no item labelled " + in_quotes(label) + " in frame " +
                         std::to_string(registry_->frame()) + ". Drawn:\n" + describe_items());
  if (found.size() > 1) {
    std::string message = "UiHarness: " + in_quotes(label) + " is ambiguous: " + std::to_string(found.size()) +
                          " items have it (give each a \"##id\" suffix and use the full label):";
    for (const auto* item : found) message += "\n  " + describe(*item);
    throw UiHarnessError(message);
  }
  return *found.front();
}

void UiHarness::tap(std::string_view label) {
  ensure_drawn();
  std::vector<const ui::ItemRecord*> tappable;
  for (const auto* item : registry_->find(label))
    if (item->tappable()) tappable.push_back(item);
  if (tappable.empty()) {
    const bool is_text = !registry_->find(label).empty();
    throw UiHarnessError("UiHarness: cannot tap " + in_quotes(label) + ": " +
                         (is_text ? "it is text, not a button, checkbox or selectable"
                                  : "no widget has that label in frame " + std::to_string(registry_->frame())) +
                         ". Drawn:\n" + describe_items());
  }
  if (tappable.size() > 1) {
    std::string message = "UiHarness: cannot tap " + in_quotes(label) + ": " + std::to_string(tappable.size()) +
                          " widgets have it (give each a \"##id\" suffix and tap the full label):";
    for (const auto* item : tappable) message += "\n  " + describe(*item);
    throw UiHarnessError(message);
  }
  tap_item(*tappable.front());
}

void UiHarness::tap_id(ImGuiID id) {
  ensure_drawn();
  const ui::ItemRecord* item = registry_->find_id(id);
  if (item == nullptr)
    throw UiHarnessError("UiHarness: no widget with id " + hex_id(id) + " in frame " +
                         std::to_string(registry_->frame()) + ". Drawn:\n" + describe_items());
  tap_item(*item);
}

// NOLINTNEXTLINE(performance-unnecessary-value-param): a copy, as the registry empties during the tap
void UiHarness::tap_item(ui::ItemRecord item) {
  if (!item.enabled) throw UiHarnessError("UiHarness: cannot tap " + describe(item) + ": it is disabled");
  if (!item.on_screen)
    throw UiHarnessError("UiHarness: cannot tap " + describe(item) + ": it is clipped or scrolled out of view");

  wait_until_tappable(item.id);
  const ImVec2 at = item.tap_point();
  move_pointer(at);
  press();
  frame();
  // The press must land on the widget itself, not on something drawn over it.
  const ImGuiContext& g = *context_;
  const bool reached = g.ActiveId == item.id || g.HoveredId == item.id;
  const std::string over = g.HoveredWindow != nullptr ? g.HoveredWindow->Name : "no window";
  release();
  frame();
  lift_pointer();
  frame();
  if (!reached)
    throw UiHarnessError("UiHarness: the tap on " + describe(item) + " at " + point(at) +
                         " did not reach it: something covers it (the pointer is over window " + in_quotes(over) + ")");
}

void UiHarness::wait_until_tappable(ImGuiID id) {
  ImGui::SetCurrentContext(context_);
  const double from = ui::TapCountsFrom(id);
  // The press lands in the next frame, at GetTime() + delta_time.
  for (int i = 0; ImGui::GetTime() + static_cast<double>(options_.delta_time) < from; ++i) {
    if (i > 100000) throw UiHarnessError("UiHarness: the tap guard of " + hex_id(id) + " never opened");
    frame();
  }
}

void UiHarness::tap_at(ImVec2 position) {
  ensure_drawn();
  // Wait for the topmost widget under the point, as a finger would.
  const ui::ItemRecord* under = nullptr;
  for (const auto& item : registry_->items())
    if (item.tappable() && item.on_screen && position.x >= item.clip_min.x && position.x < item.clip_max.x &&
        position.y >= item.clip_min.y && position.y < item.clip_max.y)
      under = &item;
  if (under != nullptr) wait_until_tappable(under->id);
  quick_tap_at(position);
}

void UiHarness::quick_tap_at(ImVec2 position) {
  ensure_drawn();
  move_pointer(position);
  press();
  frame();
  release();
  frame();
  lift_pointer();
  frame();
}

// ---- Keyboard ---------------------------------------------------------------------

void UiHarness::type_text(std::string_view utf8) {
  input_.add_text(utf8);
  drain();
}

void UiHarness::press_key(ImGuiKey key) {
  queue_key(key, true);
  frame();
  queue_key(key, false);
  frame();
}

void UiHarness::queue_text(std::string_view utf8) { input_.add_text(utf8); }

void UiHarness::queue_key(ImGuiKey key, bool down) {
  ImGui::SetCurrentContext(context_);
  input_.add_key(ImGui::GetIO().KeyMap[key], down, {});
}

void UiHarness::queue_key_tap(ImGuiKey key) {
  queue_key(key, true);
  queue_key(key, false);
}

int UiHarness::drain() {
  int run = 0;
  do {
    frame();
    ++run;
  } while (!input_.empty());
  frame();  // the result of the last event, drawn
  return run + 1;
}

// ---- Queries ------------------------------------------------------------------------

bool UiHarness::is_visible(std::string_view label) const {
  for (const auto& item : registry_->items())
    if (item.on_screen && matches(item, label)) return true;
  return false;
}

bool UiHarness::shows_text_containing(std::string_view fragment) const {
  for (const auto& item : registry_->items())
    if (item.on_screen && item.visible_label.find(fragment) != std::string::npos) return true;
  return false;
}

const std::vector<ui::ItemRecord>& UiHarness::items() const { return registry_->items(); }

std::string UiHarness::describe_items() const {
  std::string text;
  for (const auto& item : registry_->items()) text += "  " + describe(item) + "\n";
  return text.empty() ? "  (nothing)\n" : text;
}

}  // namespace heed::test
