// Heed's widgets over Dear ImGui and the per-frame item registry.
// Sections: item registry; tappable widgets; text; layout.
#include "heed/ui/widgets.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "heed/ui/look.hpp"

namespace heed::ui {
namespace {

ItemRegistry* g_current_registry = nullptr;

ImVec4 transparent() { return ImVec4(0, 0, 0, 0); }

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
  registry->record(std::move(item));
}

// ---- Tappable widgets --------------------------------------------------------

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
  ImGui::PopStyleColor(4);
  RecordLastItem(ItemKind::button, label);
  return pressed;
}

bool TouchCheckbox(const char* label, bool* value) {
  // The box is a frame as tall as the text plus frame padding: 74 design px.
  const bool changed = ImGui::Checkbox(label, value);
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
  ImGui::PopStyleColor(4);
  RecordLastItem(ItemKind::selectable, label);
  return pressed;
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

// ---- Text --------------------------------------------------------------------
namespace {

ImFont* font_for(TextRole role) {
  const Fonts& fonts = look().fonts;
  ImFont* font = nullptr;
  switch (role) {
    case TextRole::body:
    case TextRole::muted:
      font = fonts.body;
      break;
    case TextRole::heading:
      font = fonts.heading;
      break;
    case TextRole::display:
    case TextRole::brand:
      font = fonts.display;
      break;
  }
  return font != nullptr ? font : ImGui::GetFont();
}

ImVec4 colour_for(TextRole role) {
  const Palette& p = palette();
  switch (role) {
    case TextRole::muted:
      return p.text_muted;
    case TextRole::brand:
      return p.brand;
    default:
      return p.text;
  }
}

}  // namespace

void Text(std::string_view text, TextRole role) {
  ImGui::PushFont(font_for(role));
  ImGui::PushStyleColor(ImGuiCol_Text, colour_for(role));
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  RecordLastItem(ItemKind::text, text);
}

float TextLineHeight(TextRole role) { return font_for(role)->FontSize; }

ImVec2 TextSize(std::string_view text, TextRole role) {
  ImFont* font = font_for(role);
  return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
}

void Badge(std::string_view text, const ImVec4& fill, const ImVec4& on) {
  ImFont* font = font_for(TextRole::body);
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
  const bool open = ImGui::Begin(id, nullptr,
                                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
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
