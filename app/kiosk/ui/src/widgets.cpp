// Heed's widgets over Dear ImGui and the per-frame item registry.
// Sections: item registry; taps on what was just shown; tappable widgets; text;
// layout.
#include "heed/ui/widgets.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "heed/keyboard.hpp"
#include "heed/ui/look.hpp"

namespace heed::ui {
namespace {

ItemRegistry* g_current_registry = nullptr;

ImVec4 transparent() { return ImVec4(0, 0, 0, 0); }

ImVec4 colour_for(TextRole role) {
  const Palette& p = palette();
  switch (role) {
    case TextRole::muted:
      return p.text_muted;
    case TextRole::brand:
      return p.brand;
    case TextRole::error:
      return p.error;
    default:
      return p.text;
  }
}

// Lines of wrapped text sit this many font sizes apart.
constexpr float kLineSpacing = 1.12f;

// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t utf8_sequence_length(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  if (byte >= 0xF0) return 4;
  if (byte >= 0xE0) return 3;
  if (byte >= 0xC0) return 2;
  return 1;
}

}  // namespace

// ---- Item registry ---------------------------------------------------------

std::string_view item_kind_name(ItemKind kind) {
  switch (kind) {
    case ItemKind::button:
      return "button";
    case ItemKind::checkbox:
      return "checkbox";
    case ItemKind::selectable:
      return "selectable";
    case ItemKind::text_field:
      return "text field";
    case ItemKind::text:
      return "text";
  }
  return "item";
}

std::string_view VisibleLabel(std::string_view label) {
  const auto hashes = label.find("##");
  return hashes == std::string_view::npos ? label : label.substr(0, hashes);
}

ItemRegistry::ItemRegistry() : context_(ImGui::GetCurrentContext()), previous_(g_current_registry) {
  IM_ASSERT(context_ != nullptr && "ItemRegistry needs a current ImGui context");
  ImGuiContextHook hook;
  hook.Type = ImGuiContextHookType_NewFramePre;
  hook.Callback = &ItemRegistry::on_new_frame;
  hook.UserData = this;
  new_frame_hook_ = ImGui::AddContextHook(context_, &hook);
  hook.Type = ImGuiContextHookType_Shutdown;
  hook.Callback = &ItemRegistry::on_shutdown;
  shutdown_hook_ = ImGui::AddContextHook(context_, &hook);
  g_current_registry = this;
}

ItemRegistry::~ItemRegistry() {
  if (context_ != nullptr) {
    ImGui::RemoveContextHook(context_, new_frame_hook_);
    ImGui::RemoveContextHook(context_, shutdown_hook_);
  }
  if (g_current_registry == this) g_current_registry = previous_;
}

ItemRegistry* ItemRegistry::current() { return g_current_registry; }

void ItemRegistry::on_new_frame(ImGuiContext* context, ImGuiContextHook* hook) {
  auto* self = static_cast<ItemRegistry*>(hook->UserData);
  self->items_.clear();
  // NewFramePre runs before NewFrame() advances the frame count.
  self->frame_ = context->FrameCount + 1;
}

void ItemRegistry::on_shutdown(ImGuiContext* /*context*/, ImGuiContextHook* hook) {
  static_cast<ItemRegistry*>(hook->UserData)->context_ = nullptr;
}

void ItemRegistry::record(ItemRecord item) {
  frame_ = item.frame;
  items_.push_back(std::move(item));
}

void ItemRegistry::note_text(ImVec2 min, ImVec2 max, bool cut) {
  if (items_.empty()) return;
  ItemRecord& last = items_.back();
  if (last.has_text()) {
    last.text_min = ImVec2(std::min(last.text_min.x, min.x), std::min(last.text_min.y, min.y));
    last.text_max = ImVec2(std::max(last.text_max.x, max.x), std::max(last.text_max.y, max.y));
  } else {
    last.text_min = min;
    last.text_max = max;
  }
  last.text_cut |= cut;
}

void NoteItemText(ImVec2 min, ImVec2 max, bool cut) {
  if (ItemRegistry* registry = ItemRegistry::current()) registry->note_text(min, max, cut);
}

std::vector<const ItemRecord*> ItemRegistry::find(std::string_view label) const {
  const bool full = label.find("##") != std::string_view::npos;
  std::vector<const ItemRecord*> found;
  for (const auto& item : items_) {
    if ((full ? item.label : item.visible_label) == label) found.push_back(&item);
  }
  return found;
}

const ItemRecord* ItemRegistry::find_id(ImGuiID id) const {
  if (id == 0) return nullptr;
  for (const auto& item : items_) {
    if (item.tappable() && item.id == id) return &item;
  }
  return nullptr;
}

void RecordLastItem(ItemKind kind, std::string_view label) {
  ItemRegistry* registry = ItemRegistry::current();
  ImGuiContext* context = ImGui::GetCurrentContext();
  if (registry == nullptr || context == nullptr) return;
  ImGuiWindow* window = ImGui::GetCurrentWindowRead();
  if (window == nullptr) return;

  ItemRecord item;
  item.kind = kind;
  item.label = std::string(label);
  item.visible_label = std::string(kind == ItemKind::text ? label : VisibleLabel(label));
  item.id = kind == ItemKind::text ? 0 : ImGui::GetItemID();
  item.min = ImGui::GetItemRectMin();
  item.max = ImGui::GetItemRectMax();
  const ImRect& clip = window->ClipRect;
  item.clip_min = ImVec2(std::max(item.min.x, clip.Min.x), std::max(item.min.y, clip.Min.y));
  item.clip_max = ImVec2(std::min(item.max.x, clip.Max.x), std::min(item.max.y, clip.Max.y));
  if (item.clip_max.x <= item.clip_min.x || item.clip_max.y <= item.clip_min.y) item.clip_max = item.clip_min;
  item.on_screen = ImGui::IsItemVisible() && item.clip_max.x > item.clip_min.x;
  item.enabled = (context->LastItemData.InFlags & ImGuiItemFlags_Disabled) == 0;
  item.frame = ImGui::GetFrameCount();
  item.root_window = window->RootWindow != nullptr ? window->RootWindow->ID : window->ID;
  registry->record(std::move(item));
}

// ---- Taps on what was just shown ----------------------------------------------
namespace {

// The guard's memory: when each widget drawn in the last frame first appeared,
// and when the screen last changed (and which frame asked for the next one). One ImGui context at a time (UI thread);
// a new context, or one whose clock went back, starts afresh.
struct TapGuard {
  struct Seen {
    double since = 0;  // ImGui time of the first of the frames it has been drawn in without a break
    int frame = 0;     // the last frame it was drawn in
  };
  ImGuiContext* context = nullptr;
  int frame = -1;
  double time = 0;
  double screen_since = -std::numeric_limits<double>::infinity();
  std::unordered_map<ImGuiID, Seen> seen;
  ImGuiID refused = 0;   // the widget whose press in progress is ignored
  int frame_wanted = 0;  // the frame in which a widget asked for the next one
};
TapGuard g_tap_guard;

TapGuard& tap_guard() {
  TapGuard& g = g_tap_guard;
  ImGuiContext* context = ImGui::GetCurrentContext();
  const int frame = ImGui::GetFrameCount();
  const double time = ImGui::GetTime();
  if (g.context != context || frame < g.frame || time < g.time) {
    g = TapGuard{};
    g.context = context;
  }
  if (frame != g.frame) {
    // Forget widgets not drawn in the frame before this one: they appear anew.
    std::erase_if(g.seen, [&](const auto& entry) { return entry.second.frame < frame - 1; });
    g.frame = frame;
  }
  g.time = time;
  return g;
}

}  // namespace

void ScreenChanged() { tap_guard().screen_since = ImGui::GetTime(); }

bool TapCounts() {
  const ImGuiID id = ImGui::GetItemID();
  if (id == 0) return true;
  TapGuard& g = tap_guard();
  const double now = ImGui::GetTime();
  auto [it, fresh] = g.seen.try_emplace(id, TapGuard::Seen{now, g.frame});
  if (!fresh && it->second.frame < g.frame - 1) it->second.since = now;
  it->second.frame = g.frame;
  if (ImGui::IsItemActivated()) {  // the press began this frame: judge it once
    const double from = std::max(it->second.since, g.screen_since) + kTapGuardSeconds;
    if (now < from)
      g.refused = id;
    else if (g.refused == id)
      g.refused = 0;
  }
  return g.refused != id;
}

double TapCountsFrom(ImGuiID id) {
  TapGuard& g = tap_guard();
  const auto it = g.seen.find(id);
  if (it == g.seen.end()) return 0.0;
  return std::max(it->second.since, g.screen_since) + kTapGuardSeconds;
}

void WantNextFrame() {
  TapGuard& g = tap_guard();
  g.frame_wanted = g.frame;
}

bool NextFrameWanted() {
  TapGuard& g = tap_guard();
  return g.frame_wanted != 0 && g.frame_wanted == g.frame;
}

// ---- Tappable widgets --------------------------------------------------------
namespace {
// Where ImGui::Button put the last item's label (RenderTextClipped: aligned by
// ButtonTextAlign inside the frame padding, from the left edge when too wide).
void NoteButtonLabel(const char* label) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  const ImVec2 size = ImGui::CalcTextSize(label, nullptr, true);
  if (size.x <= 0.0f) return;
  const ImVec2 inner_min(min.x + st.FramePadding.x, min.y + st.FramePadding.y);
  const ImVec2 inner_max(max.x - st.FramePadding.x, max.y - st.FramePadding.y);
  const ImVec2 at(std::max(inner_min.x, inner_min.x + (inner_max.x - inner_min.x - size.x) * st.ButtonTextAlign.x),
                  std::max(inner_min.y, inner_min.y + (inner_max.y - inner_min.y - size.y) * st.ButtonTextAlign.y));
  NoteItemText(at, ImVec2(at.x + size.x, at.y + size.y));
}
}  // namespace

float TouchMinimum() { return std::ceil(px(88.0f)); }  // whole pixels: rects stay exact

bool TouchButton(const char* label, ImVec2 size, ButtonStyle style) {
  const Palette& p = palette();
  const bool primary = style == ButtonStyle::primary;
  const ImVec4 fill = primary ? p.primary : p.secondary;
  ImGui::PushStyleColor(ImGuiCol_Button, fill);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, fill);  // a finger rests where it lifted
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, primary ? p.primary_pressed : p.secondary_pressed);
  ImGui::PushStyleColor(ImGuiCol_Text, primary ? p.on_primary : p.on_secondary);

  // Never smaller than a fingertip; a zero axis fits the label first.
  const ImVec2 fitted =
      ImGui::CalcItemSize(size, ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f,
                          ImGui::GetFrameHeight());
  const ImVec2 final_size(std::max(fitted.x, TouchMinimum()), std::max(fitted.y, TouchMinimum()));
  const bool pressed = ImGui::Button(label, final_size);
  const bool counts = TapCounts();
  ImGui::PopStyleColor(4);
  RecordLastItem(ItemKind::button, label);
  NoteButtonLabel(label);
  return pressed && counts;
}

bool TouchCheckbox(const char* label, bool* value) {
  // The box is a frame as tall as the text plus frame padding: 74 design px.
  const bool before = *value;
  bool changed = ImGui::Checkbox(label, value);
  if (!TapCounts() && changed) {
    *value = before;  // ImGui already flipped it
    changed = false;
  }
  RecordLastItem(ItemKind::checkbox, label);
  return changed;
}

bool TouchSelectable(const char* label, bool selected, ImVec2 size) {
  const Palette& p = palette();
  ImGui::PushStyleColor(ImGuiCol_Header, p.primary);
  // Hovered equals normal: filled when selected, nothing when not.
  ImGui::PushStyleColor(ImGuiCol_HeaderHovered, selected ? p.primary : transparent());
  ImGui::PushStyleColor(ImGuiCol_HeaderActive, selected ? p.primary_pressed : p.secondary_pressed);
  ImGui::PushStyleColor(ImGuiCol_Text, selected ? p.on_primary : p.text);
  if (size.y <= 0.0f) size.y = TouchMinimum();
  const bool pressed = ImGui::Selectable(label, selected, ImGuiSelectableFlags_None, size);
  const bool counts = TapCounts();
  ImGui::PopStyleColor(4);
  RecordLastItem(ItemKind::selectable, label);
  return pressed && counts;
}

bool TextField(const char* label, std::string* value, float width, ImGuiInputTextFlags flags) {
  // Taller padding so the field is as tall as a button.
  const ImVec2 padding = ImGui::GetStyle().FramePadding;
  const float padding_y = std::max(padding.y, (TouchMinimum() - ImGui::GetFontSize()) * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(padding.x, padding_y));
  ImGui::SetNextItemWidth(width > 0.0f ? width : -FLT_MIN);
  const bool changed = ImGui::InputText(label, value, flags);
  ImGui::PopStyleVar();
  RecordLastItem(ItemKind::text_field, label);
  return changed;
}

Tile TouchTile(const char* label, ImVec2 size, ButtonStyle style, bool selected, ItemKind kind,
               std::string_view record_as) {
  const Palette& p = palette();
  const ImGuiStyle& st = ImGui::GetStyle();
  size = ImVec2(std::max(size.x, TouchMinimum()), std::max(size.y, TouchMinimum()));
  Tile tile;
  tile.min = ImGui::GetCursorScreenPos();
  tile.tapped = ImGui::InvisibleButton(label, size);
  // Active from the frame the finger lands: the pressed colour shows at once.
  tile.held = ImGui::IsItemActive();
  if (!TapCounts()) tile.tapped = tile.held = false;
  tile.max = ImGui::GetItemRectMax();
  const bool filled = selected || style == ButtonStyle::primary;
  const ImVec4& fill =
      filled ? (tile.held ? p.primary_pressed : p.primary) : (tile.held ? p.secondary_pressed : p.secondary);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(tile.min, tile.max, ImGui::GetColorU32(fill), st.FrameRounding);
  if (st.FrameBorderSize > 0.0f)
    draw->AddRect(tile.min, tile.max, ImGui::GetColorU32(ImGuiCol_Border), st.FrameRounding, 0, st.FrameBorderSize);
  tile.text = ImGui::GetColorU32(filled ? p.on_primary : p.on_secondary);
  RecordLastItem(kind, record_as.empty() ? std::string_view(label) : record_as);
  return tile;
}

namespace {

// The tick box of a toggle: its side, and the room it takes with its gap.
float toggle_box_side() { return std::round(std::max(px(44.0f), FontFor(TextRole::body)->FontSize * 1.25f)); }
float toggle_box_room() { return toggle_box_side() + ImGui::GetStyle().ItemInnerSpacing.x; }

}  // namespace

ImVec2 TouchToggleSize(const char* label, float width) {
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const std::string_view text = VisibleLabel(label);
  const float text_width = width > 0.0f ? width - pad.x * 2.0f - toggle_box_room() : TextSize(text).x + 1.0f;
  const float height = std::max(TouchMinimum(), TextBlockHeight(text, TextRole::body, text_width) + pad.y * 2.0f);
  return ImVec2(width > 0.0f ? width : text_width + pad.x * 2.0f + toggle_box_room(), height);
}

bool TouchToggle(const char* label, bool* value, ImVec2 size) {
  const Palette& p = palette();
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImVec2 fitted = TouchToggleSize(label, size.x);
  size = ImVec2(fitted.x, std::max(size.y, fitted.y));
  const Tile tile = TouchTile(label, size, ButtonStyle::secondary, false, ItemKind::checkbox);
  if (tile.tapped) *value = !*value;

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float side = toggle_box_side();
  const ImVec2 box_min(tile.min.x + st.FramePadding.x, std::round((tile.min.y + tile.max.y - side) * 0.5f));
  const ImVec2 box_max(box_min.x + side, box_min.y + side);
  const float rounding = px(8.0f);
  if (*value) {
    draw->AddRectFilled(box_min, box_max, ImGui::GetColorU32(p.primary), rounding);
    const float s = side;
    const ImVec2 tick[3] = {ImVec2(box_min.x + s * 0.22f, box_min.y + s * 0.52f),
                            ImVec2(box_min.x + s * 0.42f, box_min.y + s * 0.72f),
                            ImVec2(box_min.x + s * 0.78f, box_min.y + s * 0.30f)};
    draw->AddPolyline(tick, 3, ImGui::GetColorU32(p.on_primary), 0, std::max(px(5.0f), 2.0f));
    if (look().theme == Theme::high_contrast)
      draw->AddRect(box_min, box_max, ImGui::GetColorU32(p.on_secondary), rounding, 0, px(3.0f));
  } else {
    draw->AddRectFilled(box_min, box_max, ImGui::GetColorU32(p.field), rounding);
    draw->AddRect(box_min, box_max, ImGui::GetColorU32(p.on_secondary), rounding, 0, std::max(px(3.0f), 1.5f));
  }
  // The label, wrapped beside the box and centred on the tile's height.
  ImFont* font = FontFor(TextRole::body);
  const float text_x = box_max.x + st.ItemInnerSpacing.x;
  const float text_width = tile.max.x - st.FramePadding.x - text_x;
  const auto lines = WrapLines(font, VisibleLabel(label), text_width);
  const float line_height = std::round(font->FontSize * kLineSpacing);
  float y = std::round((tile.min.y + tile.max.y - line_height * static_cast<float>(lines.size())) * 0.5f +
                       (line_height - font->FontSize) * 0.5f);
  for (const auto line : lines) {
    draw->AddText(font, font->FontSize, ImVec2(text_x, y), tile.text, line.data(), line.data() + line.size());
    const float line_width =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
    NoteItemText(ImVec2(text_x, y), ImVec2(text_x + line_width, y + font->FontSize));
    y += line_height;
  }
  return tile.tapped;
}

bool EntryField(const char* id, std::string_view value, ImVec2 size, bool focused, bool multiline, bool tappable,
                std::string_view placeholder) {
  const Palette& p = palette();
  const ImGuiStyle& st = ImGui::GetStyle();
  size.y = std::max(size.y, TouchMinimum());
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 max(min.x + size.x, min.y + size.y);
  bool tapped = false;
  bool held = false;
  if (tappable) {
    tapped = ImGui::InvisibleButton(id, size);
    held = ImGui::IsItemActive();
    if (!TapCounts()) tapped = held = false;
    RecordLastItem(ItemKind::text_field, id);
  } else {
    ImGui::Dummy(size);
  }

  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(min, max, ImGui::GetColorU32(held ? p.secondary : p.field), st.FrameRounding);
  const float border = focused ? std::max(px(4.0f), 2.0f) : std::max(px(p.border_px * 1.5f), 1.5f);
  draw->AddRect(min, max, ImGui::GetColorU32(focused ? p.primary : p.text_muted), st.FrameRounding, 0, border);

  ImFont* font = FontFor(TextRole::body);
  const float line_height = std::round(font->FontSize * kLineSpacing);
  const float pad_x = st.FramePadding.x * 0.75f;
  const float pad_y = multiline ? st.FramePadding.y * 0.8f : std::round((size.y - font->FontSize) * 0.5f);
  const ImVec2 inner_min(min.x + pad_x, min.y + pad_y);
  const ImVec2 inner_max(max.x - pad_x, max.y - (multiline ? pad_y : 0.0f));
  const float caret_width = std::max(px(3.0f), 2.0f);
  const float inner_width = inner_max.x - inner_min.x - caret_width * 2.0f;
  const ImU32 text_colour = ImGui::GetColorU32(p.text);

  draw->PushClipRect(ImVec2(min.x + border, min.y + border), ImVec2(max.x - border, max.y - border), true);
  ImVec2 caret = inner_min;
  if (value.empty()) {
    if (!placeholder.empty()) {
      // Wrapped in a multiline field, one line otherwise; what does not fit ends in "…",
      // never cut mid-word by the field's edge.
      const float room = inner_max.x - inner_min.x;
      auto lines = multiline ? WrapLines(font, placeholder, room) : std::vector<std::string_view>{placeholder};
      const auto fits =
          multiline ? static_cast<std::size_t>(std::max(1.0f, std::floor((inner_max.y - inner_min.y) / line_height)))
                    : std::size_t{1};
      std::vector<std::string> shown(lines.begin(),
                                     lines.begin() + static_cast<std::ptrdiff_t>(std::min(fits, lines.size())));
      const auto width_of = [&](const std::string& s) {
        return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, s.c_str()).x;
      };
      const bool cut = lines.size() > shown.size();
      for (std::size_t i = 0; i < shown.size(); ++i) {
        std::string& line = shown[i];
        if (width_of(line) <= room && !(cut && i + 1 == shown.size())) continue;
        while (!line.empty() && width_of(line + "…") > room) utf8_pop_back(line);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        line += "…";
      }
      const ImU32 muted = ImGui::GetColorU32(p.text_muted);
      float y = inner_min.y;
      float right = inner_min.x;
      std::string drawn;
      for (const auto& line : shown) {
        draw->AddText(font, font->FontSize, ImVec2(inner_min.x, y), muted, line.c_str());
        right = std::max(right, inner_min.x + width_of(line));
        drawn += (drawn.empty() ? "" : " ") + line;
        y += line_height;
      }
      // Recorded as text where it is drawn, so a test can see it fits the field.
      ImGui::SetCursorScreenPos(inner_min);
      ImGui::Dummy(ImVec2(std::max(right - inner_min.x, 1.0f), y - inner_min.y - (line_height - font->FontSize)));
      RecordLastItem(ItemKind::text, drawn);
    }
  } else if (multiline) {
    const auto lines = WrapLines(font, value, inner_width);
    const auto fits = static_cast<std::size_t>(std::max(1.0f, std::floor((inner_max.y - inner_min.y) / line_height)));
    const std::size_t first = lines.size() > fits ? lines.size() - fits : 0;  // the end, where the caret is
    float y = inner_min.y;
    for (std::size_t i = first; i < lines.size(); ++i) {
      const auto line = lines[i];
      draw->AddText(font, font->FontSize, ImVec2(inner_min.x, y), text_colour, line.data(), line.data() + line.size());
      caret = ImVec2(
          inner_min.x + font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x,
          y);
      y += line_height;
    }
  } else {
    const float width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, value.data(), value.data() + value.size()).x;
    const float x = inner_min.x + std::min(0.0f, inner_width - width);  // too long: show the tail
    draw->AddText(font, font->FontSize, ImVec2(x, inner_min.y), text_colour, value.data(), value.data() + value.size());
    caret = ImVec2(x + width, inner_min.y);
  }
  if (focused) {
    const float x = std::round(caret.x + caret_width * 0.5f);
    draw->AddRectFilled(ImVec2(x, caret.y - px(2.0f)), ImVec2(x + caret_width, caret.y + font->FontSize + px(2.0f)),
                        ImGui::GetColorU32(p.primary));
  }
  draw->PopClipRect();
  if (!value.empty()) RecordLastItem(ItemKind::text, value);
  return tapped;
}

// ---- Text --------------------------------------------------------------------

ImFont* FontFor(TextRole role) {
  const FontSet& fonts = current_fonts();
  ImFont* font = nullptr;
  switch (role) {
    case TextRole::body:
    case TextRole::muted:
    case TextRole::error:
      font = fonts.body;
      break;
    case TextRole::heading:
      font = fonts.heading;
      break;
    case TextRole::title:
      font = fonts.title;
      break;
    case TextRole::display:
    case TextRole::brand:
      font = fonts.display;
      break;
  }
  return font != nullptr ? font : ImGui::GetFont();
}

std::vector<std::string_view> WrapLines(ImFont* font, std::string_view text, float width) {
  // Breaks only at spaces (ImGui's own wrap also breaks after '.', which splits
  // "name@example.com" and "ico.org.uk"); a word wider than the line is split
  // between characters.
  const auto measure = [font](std::string_view part) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, part.data(), part.data() + part.size()).x;
  };
  std::vector<std::string_view> lines;
  std::size_t paragraph = 0;
  while (paragraph <= text.size()) {
    const std::size_t newline = text.find('\n', paragraph);
    const std::size_t paragraph_end = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view rest = text.substr(paragraph, paragraph_end - paragraph);
    std::size_t line_start = 0;  // within rest
    std::size_t line_end = 0;    // the end of the last word that fits
    std::size_t at = 0;
    if (rest.empty()) lines.emplace_back(rest);
    while (at < rest.size()) {
      std::size_t word_end = rest.find(' ', at);
      if (word_end == std::string_view::npos) word_end = rest.size();
      if (measure(rest.substr(line_start, word_end - line_start)) <= width) {
        line_end = word_end;  // the word fits on this line
      } else if (line_end > line_start) {
        lines.push_back(rest.substr(line_start, line_end - line_start));  // wrap before the word
        line_start = line_end;
        while (line_start < rest.size() && rest[line_start] == ' ') ++line_start;  // a wrap swallows the spaces
        line_end = line_start;
        at = line_start;
        continue;
      } else {
        // One word wider than the line: as many characters as fit, at least one.
        std::size_t cut = line_start + utf8_sequence_length(rest[line_start]);
        while (cut < word_end) {
          const std::size_t next = cut + utf8_sequence_length(rest[cut]);
          if (measure(rest.substr(line_start, next - line_start)) > width) break;
          cut = next;
        }
        lines.push_back(rest.substr(line_start, cut - line_start));
        line_start = line_end = at = cut;
        continue;
      }
      at = word_end + 1;
    }
    if (line_start < rest.size()) lines.push_back(rest.substr(line_start));  // keeps trailing spaces for the caret
    if (newline == std::string_view::npos) break;
    paragraph = newline + 1;
    if (paragraph == text.size()) {
      lines.emplace_back(text.substr(paragraph));  // a final empty line
      break;
    }
  }
  return lines;
}

namespace {

// `text`'s words (split at spaces) wrapped greedily at `width` in `font` at `size`;
// a word wider than the line keeps a line of its own.
std::vector<std::string> wrap_words(ImFont* font, float size, const std::vector<std::string_view>& words, float width) {
  std::vector<std::string> lines;
  std::string line;
  for (const auto word : words) {
    std::string longer = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (!line.empty() && font->CalcTextSizeA(size, FLT_MAX, 0.0f, longer.c_str()).x > width) {
      lines.push_back(std::move(line));
      line = std::string(word);
    } else {
      line = std::move(longer);
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

FittedText FitText(ImFont* font, std::string_view text, ImVec2 room, float min_scale) {
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) words.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  const auto width_at = [font](float size, const std::string& line) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.c_str()).x;
  };
  FittedText out;
  const float smallest = std::max(1.0f, std::ceil(font->FontSize * std::clamp(min_scale, 0.0f, 1.0f)));
  // Whole pixel sizes from the font's own down: the first at which it all fits.
  for (float size = font->FontSize;; size = std::max(smallest, std::floor(size - 1.0f))) {
    out.size = size;
    out.line_height = std::round(size * kLineSpacing);
    out.lines = wrap_words(font, size, words, room.x);
    const bool fits =
        out.height() <= room.y && std::all_of(out.lines.begin(), out.lines.end(),
                                              [&](const std::string& line) { return width_at(size, line) <= room.x; });
    if (fits) return out;
    if (size <= smallest) break;
  }
  // The last resort: as many lines as fit at the smallest size, the last of them
  // (and any too wide) ending in "…".
  const auto fit_lines = static_cast<std::size_t>(
      std::max(1.0f, std::floor((room.y - out.size) / std::max(out.line_height, 1.0f)) + 1.0f));
  const bool more = out.lines.size() > fit_lines;  // lines left out follow the last one kept
  if (more) out.lines.resize(fit_lines);
  for (std::size_t i = 0; i < out.lines.size(); ++i) {
    std::string& line = out.lines[i];
    if (!(more && i + 1 == out.lines.size()) && width_at(out.size, line) <= room.x) continue;
    while (!line.empty() && width_at(out.size, line + "…") > room.x) utf8_pop_back(line);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += "…";
    out.cut = true;
  }
  return out;
}

std::pair<ImVec2, ImVec2> DrawFittedText(ImFont* font, const FittedText& fitted, ImVec2 min, ImVec2 max, ImU32 colour) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float top = std::round((min.y + max.y - fitted.height()) * 0.5f);
  float y = top;
  float left = max.x, right = min.x;
  for (const auto& line : fitted.lines) {
    const float width = font->CalcTextSizeA(fitted.size, FLT_MAX, 0.0f, line.c_str()).x;
    const float x = std::round((min.x + max.x - width) * 0.5f);
    draw->AddText(font, fitted.size, ImVec2(x, y), colour, line.c_str());
    left = std::min(left, x);
    right = std::max(right, x + width);
    y += fitted.line_height;
  }
  if (right < left) left = right = std::round((min.x + max.x) * 0.5f);
  const ImVec2 text_min(left, top), text_max(right, top + fitted.height());
  NoteItemText(text_min, text_max, fitted.cut);
  return {text_min, text_max};
}

float TextBlockHeight(std::string_view text, TextRole role, float width) {
  if (text.empty()) return 0.0f;
  ImFont* font = FontFor(role);
  const auto lines = WrapLines(font, text, width);
  return static_cast<float>(lines.size()) * std::round(font->FontSize * kLineSpacing);
}

float TextBlock(std::string_view text, TextRole role, ImVec2 at, float width, float align) {
  ImFont* font = FontFor(role);
  const ImU32 colour = ImGui::GetColorU32(colour_for(role));
  const float line_height = std::round(font->FontSize * kLineSpacing);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  float y = at.y;
  float left = at.x + width;  // the drawn lines' extent, for the item's rectangle
  float right = at.x;
  for (const auto line : WrapLines(font, text, width)) {
    const float line_width =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x;
    const float x = std::round(at.x + (width - line_width) * align);
    draw->AddText(font, font->FontSize, ImVec2(x, y), colour, line.data(), line.data() + line.size());
    left = std::min(left, x);
    right = std::max(right, x + line_width);
    y += line_height;
  }
  const float height = y - at.y;
  if (right <= left) left = right = at.x;
  // The item is the text as drawn, not the width it may wrap in.
  ImGui::SetCursorScreenPos(ImVec2(left, at.y));
  ImGui::Dummy(ImVec2(std::max(right - left, 1.0f), std::max(height, 1.0f)));
  RecordLastItem(ItemKind::text, text);
  return height;
}

void Text(std::string_view text, TextRole role) {
  ImGui::PushFont(FontFor(role));
  ImGui::PushStyleColor(ImGuiCol_Text, colour_for(role));
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  RecordLastItem(ItemKind::text, text);
}

float FittedFontSize(ImFont* font, std::string_view text, float room, float least) {
  const float width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
  if (width <= room || width <= 0.0f) return font->FontSize;
  // Glyph widths scale with the size; the floor keeps the label readable.
  return std::max(std::floor(font->FontSize * room / width), std::round(font->FontSize * least));
}

float TextLineHeight(TextRole role) { return FontFor(role)->FontSize; }

ImVec2 TextSize(std::string_view text, TextRole role) {
  ImFont* font = FontFor(role);
  return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
}

void Badge(std::string_view text, const ImVec4& fill, const ImVec4& on) {
  ImFont* font = FontFor(TextRole::body);
  const ImVec2 text_size = TextSize(text, TextRole::body);
  const ImVec2 pad(px(22.0f), px(10.0f));
  const ImVec2 size(text_size.x + pad.x * 2.0f, text_size.y + pad.y * 2.0f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(fill), size.y * 0.5f);
  draw->AddText(font, font->FontSize, ImVec2(at.x + pad.x, at.y + pad.y), ImGui::GetColorU32(on), text.data(),
                text.data() + text.size());
  ImGui::Dummy(size);
  RecordLastItem(ItemKind::text, text);
}

// ---- Layout ------------------------------------------------------------------

bool BeginScreen(const char* id) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, palette().background);
  const bool open =
      ImGui::Begin(id, nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                       ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleColor();
  return open;
}

void EndScreen() { ImGui::End(); }

namespace {

// One open card. ImDrawListSplitter must not be copied (it owns its channels'
// buffers shallowly), so the stack is a fixed array, never reallocated.
struct OpenCard {
  ImDrawListSplitter splitter;
  ImDrawList* draw = nullptr;
  ImVec2 origin;
  float width = 0;
  float min_height = 0;
};
std::array<OpenCard, 4> g_cards;
int g_card_depth = 0;

}  // namespace

void RecoverAbandonedFrame() {
  // Merge from the innermost card out, while the frame's draw lists still live:
  // a splitter left split owns its draw list's buffers.
  while (g_card_depth > 0) {
    OpenCard& card = g_cards[static_cast<std::size_t>(--g_card_depth)];
    card.splitter.Merge(card.draw);
  }
}

ImVec2 CardPadding() { return ImVec2(px(40.0f), px(34.0f)); }

void BeginCard(const char* id, float width, float min_height) {
  IM_ASSERT(g_card_depth < static_cast<int>(g_cards.size()) && "cards nest at most 4 deep");
  OpenCard& card = g_cards[static_cast<std::size_t>(g_card_depth++)];
  ImGui::PushID(id);
  card.draw = ImGui::GetWindowDrawList();
  card.origin = ImGui::GetCursorScreenPos();
  card.width = width;
  card.min_height = min_height;
  // Content goes on channel 1; EndCard paints the surface under it on channel 0.
  card.splitter.Split(card.draw, 2);
  card.splitter.SetCurrentChannel(card.draw, 1);
  const ImVec2 pad = CardPadding();
  ImGui::SetCursorScreenPos(ImVec2(card.origin.x + pad.x, card.origin.y + pad.y));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + width - pad.x * 2.0f);
}

float EndCard() {
  IM_ASSERT(g_card_depth > 0 && "EndCard() without BeginCard()");
  OpenCard& card = g_cards[static_cast<std::size_t>(--g_card_depth)];
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  const ImVec2 pad = CardPadding();
  const float content_bottom = ImGui::GetItemRectMax().y + pad.y;
  const ImVec2 max(card.origin.x + card.width, std::max(content_bottom, card.origin.y + card.min_height));

  const Palette& p = palette();
  const float rounding = px(22.0f);
  card.splitter.SetCurrentChannel(card.draw, 0);
  if (look().theme == Theme::standard) {
    // A soft drop shadow lifts the card off the paper background.
    for (int i = 1; i <= 3; ++i) {
      const float spread = px(static_cast<float>(i) * 2.0f);
      card.draw->AddRectFilled(ImVec2(card.origin.x - spread * 0.5f, card.origin.y + spread * 0.5f),
                               ImVec2(max.x + spread * 0.5f, max.y + spread), IM_COL32(60, 45, 20, 7),
                               rounding + spread);
    }
  }
  card.draw->AddRectFilled(card.origin, max, ImGui::GetColorU32(p.surface), rounding);
  if (p.border_px > 0.0f)
    card.draw->AddRect(card.origin, max, ImGui::GetColorU32(p.border), rounding, 0, px(p.border_px));
  card.splitter.Merge(card.draw);

  ImGui::SetCursorScreenPos(card.origin);
  ImGui::Dummy(ImVec2(max.x - card.origin.x, max.y - card.origin.y));
  ImGui::PopID();
  return content_bottom - card.origin.y;
}

}  // namespace heed::ui
