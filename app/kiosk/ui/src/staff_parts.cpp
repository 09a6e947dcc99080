// The staff screens' shared parts. See staff_parts.hpp.
#include "heed/ui/staff_parts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"
#include "heed/validation.hpp"

namespace heed::ui {
namespace {

float small_gap() { return std::round(px(12.0f)); }
float label_gap() { return std::round(px(8.0f)); }

// Text centred on a tile, all of it readable: wrapped to the lines the tile has
// room for, drawn smaller when that is not enough (FitText), and shortened with
// "…" only when even the smallest size does not fit.
void TileLabel(const Tile& tile, std::string_view text, ImFont* font) {
  const ImVec2 pad(px(8.0f), px(6.0f));
  const ImVec2 min(tile.min.x + pad.x, tile.min.y + pad.y);
  const ImVec2 max(tile.max.x - pad.x, tile.max.y - pad.y);
  DrawFittedText(font, FitText(font, text, ImVec2(max.x - min.x, max.y - min.y)), min, max, tile.text);
}

}  // namespace

std::string StaffErrorText(const Catalog& t, const FieldError& error) {
  // A code that means one thing wherever it occurs first, then the field's own sentence.
  if (const std::string key = "staff.error.code." + error.code; t.has(key)) return t.tr(key);
  if (const std::string key = "staff.error." + error.field; t.has(key)) return t.tr(key);
  return error.field + ": " + error.message;
}

KeyboardMode FieldMode(StaffField field) {
  switch (field) {
    case StaffField::email:
    case StaffField::find_email:
      return KeyboardMode::email;
    case StaffField::phone:
    case StaffField::find_phone:
      return KeyboardMode::phone;
    default:
      return KeyboardMode::text;
  }
}

std::size_t FieldMaxChars(StaffField field) {
  switch (field) {
    case StaffField::description:
    case StaffField::rationale:
      return kMaxDescriptionChars;
    case StaffField::note:
      return kMaxNoteChars;
    case StaffField::purchase_date:
    case StaffField::purchase_amount:
    case StaffField::goodwill:
      return 16;
    case StaffField::order_ref:
      return 64;
    case StaffField::find_reference:
    case StaffField::history_reference:
      return 40;  // a reference is at most 25 characters; room for spaces typed between
    case StaffField::name:
      return 200;
    case StaffField::address:
      return kMaxAddressChars;
    case StaffField::best_time:
      return kMaxBestTimeChars;
    case StaffField::adjustment_note:
      return kMaxAdjustmentNoteChars;
    default:
      return 254;
  }
}

bool FieldMultiline(StaffField field) {
  return field == StaffField::description || field == StaffField::rationale || field == StaffField::note ||
         field == StaffField::address || field == StaffField::adjustment_note;
}

const char* FieldLabelKey(StaffField field) {
  switch (field) {
    case StaffField::description:
      return "staff.field.description";
    case StaffField::purchase_date:
      return "staff.field.purchase_date";
    case StaffField::purchase_amount:
      return "staff.field.purchase_amount";
    case StaffField::order_ref:
      return "staff.field.order_ref";
    case StaffField::goodwill:
      return "staff.field.goodwill";
    case StaffField::rationale:
      return "staff.field.rationale";
    case StaffField::name:
      return "staff.field.name";
    case StaffField::email:
    case StaffField::find_email:
      return "staff.field.email";
    case StaffField::phone:
    case StaffField::find_phone:
      return "staff.field.phone";
    case StaffField::address:
      return "staff.field.address";
    case StaffField::best_time:
      return "staff.field.best_time";
    case StaffField::adjustment_note:
      return "staff.field.adjustment_note";
    case StaffField::note:
      return "staff.field.note";
    case StaffField::find_reference:
    case StaffField::history_reference:
      return "staff.field.reference";
    case StaffField::none:
      break;
  }
  return "staff.field.description";
}

// ---- Bars and cards ----------------------------------------------------------------

float StaffTopBar(const StaffFrame& f, ImVec2 min, float width, std::string_view title) {
  const float height = TouchMinimum();
  float right = min.x + width;
  if (const auto* who = f.app.session().who()) {
    const std::string lock = std::string(f.t.tr("staff.lock")) + "##staff.lock";
    const float lock_width = std::max(std::round(px(200.0f)), TextSize(f.t.tr("staff.lock")).x + px(64.0f));
    ImGui::SetCursorScreenPos(ImVec2(right - lock_width, min.y));
    if (TouchButton(lock.c_str(), ImVec2(lock_width, height), ButtonStyle::secondary))
      f.out.push_back(staff_intent::lock());
    right -= lock_width + Gap();
    const std::string signed_in = f.t.format("staff.signed_in_as", {{"name", who->name}});
    const float w = TextSize(signed_in, TextRole::muted).x;
    TextBlock(signed_in, TextRole::muted,
              ImVec2(right - w, min.y + std::round((height - TextLineHeight(TextRole::muted)) * 0.5f)), w + 1.0f);
    right -= w + Gap();
  }
  // A title that wraps (larger text, a narrow display) takes more than the bar:
  // what follows goes under all of it.
  const float title_width = std::max(right - min.x, px(200.0f));
  const float title_height = TextBlockHeight(title, TextRole::heading, title_width);
  const float title_y = min.y + std::max(0.0f, std::round((height - title_height) * 0.5f));
  TextBlock(title, TextRole::heading, ImVec2(min.x, title_y), title_width);
  return std::max(min.y + height, title_y + title_height);
}

float PromptCard(std::string_view text, ImVec2 at, float width) {
  const Palette& p = palette();
  const ImVec2 pad(std::round(px(28.0f)), std::round(px(16.0f)));
  const float text_height = TextBlockHeight(text, TextRole::body, width - pad.x * 2.0f);
  const float height = text_height + pad.y * 2.0f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float rounding = std::min(px(16.0f), height * 0.5f);
  draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(p.surface), rounding);
  // The accent bar is the card's rounded shape cut at the bar's width: it follows
  // the corners' arcs, so nothing of it shows outside the card.
  const float bar = std::min(std::round(px(8.0f)), rounding);
  constexpr float kPi = std::numbers::pi_v<float>;
  const float cut = std::acos((bar - rounding) / rounding);  // where the arcs reach x = bar
  draw->PathArcTo(ImVec2(at.x + rounding, at.y + rounding), rounding, 2.0f * kPi - cut, kPi, 12);
  draw->PathArcTo(ImVec2(at.x + rounding, at.y + height - rounding), rounding, kPi, cut, 12);
  draw->PathFillConvex(ImGui::GetColorU32(p.primary));
  if (p.border_px > 0.0f)
    draw->AddRect(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(p.border), rounding, 0,
                  std::max(px(p.border_px), 1.0f));
  TextBlock(text, TextRole::body, ImVec2(at.x + pad.x, at.y + pad.y), width - pad.x * 2.0f);
  return height;
}

float StaffNavHeight() { return TouchMinimum(); }

void StaffNav(const StaffFrame& f, ImVec2 min, ImVec2 max, bool back, const char* next_label, bool discard) {
  const float y = max.y - StaffNavHeight();
  const float button = std::round(px(320.0f));
  if (back) {
    ImGui::SetCursorScreenPos(ImVec2(min.x, y));
    if (TouchButton((std::string(f.t.tr("staff.back")) + "##staff.back").c_str(), ImVec2(button, 0),
                    ButtonStyle::secondary))
      f.out.push_back(staff_intent::back());
  }
  if (discard) {  // beside Back, or in its place on the first page
    const char* label = f.t.tr("staff.discard.open");
    ImGui::SetCursorScreenPos(ImVec2(back ? min.x + button + Gap() : min.x, y));
    if (TouchButton((std::string(label) + "##staff.discard").c_str(),
                    ImVec2(std::max(button, TextSize(label).x + px(80.0f)), 0), ButtonStyle::secondary))
      f.out.push_back(staff_intent::open_discard());
  }
  if (next_label != nullptr) {
    const float width = std::max(button, TextSize(next_label).x + px(80.0f));
    ImGui::SetCursorScreenPos(ImVec2(max.x - width, y));
    if (TouchButton((std::string(next_label) + "##staff.next").c_str(), ImVec2(width, 0), ButtonStyle::primary))
      f.out.push_back(staff_intent::next());
  }
}

float ErrorLines(const StaffFrame& f, const FieldErrors& errors, float left, float bottom, float width) {
  if (errors.empty()) return 0.0f;
  std::string text;
  for (const auto& e : errors) {
    if (!text.empty()) text += '\n';
    text += "• " + StaffErrorText(f.t, e);
  }
  const float height = TextBlockHeight(text, TextRole::error, width);
  TextBlock(text, TextRole::error, ImVec2(left, bottom - height), width);
  return height;
}

// ---- Choices and fields ------------------------------------------------------------

float ChoiceGridHeight(std::size_t count, int columns) {
  const auto rows =
      static_cast<float>((count + static_cast<std::size_t>(columns) - 1) / static_cast<std::size_t>(columns));
  return rows * TouchMinimum() + std::max(rows - 1.0f, 0.0f) * small_gap();
}

int ChoiceGrid(const char* id, const std::vector<std::string>& labels, const std::function<bool(int)>& selected,
               ImVec2 at, float width, int columns, float* height) {
  const float gap = small_gap();
  const float tile_width = std::floor((width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns));
  int tapped = -1;
  ImFont* font = FontFor(TextRole::body);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto column = static_cast<float>(i % static_cast<std::size_t>(columns));
    const auto row = static_cast<float>(i / static_cast<std::size_t>(columns));
    ImGui::SetCursorScreenPos(ImVec2(at.x + column * (tile_width + gap), at.y + row * (TouchMinimum() + gap)));
    const std::string label = labels[i] + "##" + id + "." + std::to_string(i);
    const bool on = selected(static_cast<int>(i));
    const Tile tile =
        TouchTile(label.c_str(), ImVec2(tile_width, TouchMinimum()), ButtonStyle::secondary, on, ItemKind::selectable);
    TileLabel(tile, labels[i], font);
    if (tile.tapped) tapped = static_cast<int>(i);
  }
  if (height != nullptr) *height += ChoiceGridHeight(labels.size(), columns);
  return tapped;
}

float FieldLabelHeight(std::string_view label, float width) {
  return TextBlockHeight(label, TextRole::muted, width) + label_gap();
}

float FieldLabel(std::string_view label, ImVec2 at, float width) {
  return TextBlock(label, TextRole::muted, at, width) + label_gap();
}

float LabelledField(const StaffFrame& f, std::string_view label, StaffField field, ImVec2 at, float width,
                    float field_height, std::string_view placeholder, float label_width) {
  float y = at.y + FieldLabel(label, at, label_width > 0.0f ? label_width : width);
  ImGui::SetCursorScreenPos(ImVec2(at.x, y));
  const std::string id = std::string("##") + FieldLabelKey(field);
  const float h = std::max(field_height, TouchMinimum());
  if (EntryField(id.c_str(), f.app.field_text(field), ImVec2(width, h), f.app.typing() == field, FieldMultiline(field),
                 true, placeholder))
    f.out.push_back(staff_intent::focus(field));
  y += h;
  return y - at.y;
}

// ---- PIN pad -------------------------------------------------------------------------

namespace {
// Keys wide enough that the enter label's longest word (a label wraps only at
// spaces) is drawn at no less than 80 % of its size: "Cymeradwyo" in larger text.
ImVec2 pin_key(std::string_view enter_label) {
  float word = 0.0f;
  for (std::size_t at = 0; at < enter_label.size();) {
    const std::size_t end = std::min(enter_label.find(' ', at), enter_label.size());
    word = std::max(word, TextSize(enter_label.substr(at, end - at)).x);
    at = end + 1;
  }
  const float width = std::max(std::round(px(170.0f)), std::ceil(word * 0.8f + px(16.0f)));
  return ImVec2(width, std::max(TouchMinimum(), std::round(px(92.0f))));
}
float pin_key_gap() { return std::round(px(14.0f)); }
float pin_dots() { return std::round(px(26.0f)); }
}  // namespace

float PinPadWidth(std::string_view enter_label) { return pin_key(enter_label).x * 3.0f + pin_key_gap() * 2.0f; }
float PinPadHeight() { return pin_dots() + Gap() + pin_key({}).y * 4.0f + pin_key_gap() * 3.0f; }

void PinPadKeys(const StaffFrame& f, std::size_t entered, ImVec2 at, const char* enter_label) {
  const Palette& p = palette();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float width = PinPadWidth(enter_label);
  const float dots = pin_dots();
  const float dot_gap = std::round(px(22.0f));
  const std::size_t places = std::max<std::size_t>(4, entered);
  const float row = static_cast<float>(places) * dots + static_cast<float>(places - 1) * dot_gap;
  for (std::size_t i = 0; i < places; ++i) {
    const ImVec2 centre(
        std::round(at.x + (width - row) * 0.5f + static_cast<float>(i) * (dots + dot_gap) + dots * 0.5f),
        at.y + dots * 0.5f);
    if (i < entered)
      draw->AddCircleFilled(centre, dots * 0.5f, ImGui::GetColorU32(p.text), 24);
    else
      draw->AddCircle(centre, dots * 0.5f - 1.5f, ImGui::GetColorU32(p.text_muted), 24, std::max(px(3.0f), 1.5f));
  }
  const float y = at.y + dots + Gap();
  const ImVec2 key = pin_key(enter_label);
  const std::array<std::string, 12> labels{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", enter_label};
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool enter = i == 11;
    const std::string id = labels[i] + (i == 9 ? "##pin.erase" : enter ? "##pin.enter" : "##pin");
    ImGui::SetCursorScreenPos(ImVec2(at.x + static_cast<float>(i % 3) * (key.x + pin_key_gap()),
                                     y + static_cast<float>(i / 3) * (key.y + pin_key_gap())));
    const Tile tile = TouchTile(id.c_str(), key, enter ? ButtonStyle::primary : ButtonStyle::secondary);
    TileLabel(tile, labels[i], FontFor(enter ? TextRole::body : TextRole::title));
    if (!tile.tapped) continue;
    if (i == 9)
      f.out.push_back(staff_intent::pin_erase());
    else if (enter)
      f.out.push_back(staff_intent::pin_submit());
    else
      f.out.push_back(staff_intent::pin_digit(i == 10 ? 0 : static_cast<int>(i) + 1));
  }
}

// ---- Typing --------------------------------------------------------------------------

void TypingOverlay(const StaffFrame& f, KeyboardView& keyboard) {
  const StaffField field = f.app.typing();
  const bool fresh = !keyboard.model.has_value();
  OnScreenKeyboard& model = keyboard.Use(f.app.language(), FieldMode(field));
  // Money and dates are digits and signs: start on the symbols page.
  if (fresh &&
      (field == StaffField::purchase_date || field == StaffField::purchase_amount || field == StaffField::goodwill)) {
    std::string ignored;
    model.press(Key{"", "", KeyAction::symbols, 1.0f}, ignored, 0);
  }
  if (BeginOverlay("##staff.typing")) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    const float width = viewport->Size.x - pad.x * 2.0f;
    const float inner = width - CardPadding().x * 2.0f;
    const auto metrics = KeyboardView::Measure(model, std::min(inner, std::round(px(1500.0f))), true, true);
    const char* label = f.t.tr(FieldLabelKey(field));
    const float preview = FieldMultiline(field) ? std::round(px(170.0f)) : TouchMinimum();
    // A typed character the font cannot draw is refused; say so under the preview.
    const char* refused = f.t.tr("keyboard.cannot_use");
    const float refused_height = keyboard.refused ? TextBlockHeight(refused, TextRole::error, inner) + Gap() * 0.5f : 0;
    const float height =
        CardPadding().y * 2.0f + FieldLabelHeight(label, inner) + preview + Gap() + refused_height + metrics.size.y;
    const Card card = OverlayCard(ImVec2(width, height), false);
    float y = card.inner_min.y;
    y += FieldLabel(label, ImVec2(card.inner_min.x, y), card.inner_width());
    std::string text = f.app.field_text(field);
    ImGui::SetCursorScreenPos(ImVec2(card.inner_min.x, y));
    EntryField("##staff.typing.preview", text, ImVec2(card.inner_width(), preview), true, FieldMultiline(field), false);
    y += preview + Gap() * (keyboard.refused ? 0.5f : 1.0f);
    if (keyboard.refused)
      y += TextBlock(refused, TextRole::error, ImVec2(card.inner_min.x, y), card.inner_width()) + Gap();
    bool done = false;
    const ImVec2 keys_at(std::round(card.inner_min.x + (card.inner_width() - metrics.size.x) * 0.5f), y);
    bool changed = keyboard.Draw(keys_at, metrics, text, FieldMaxChars(field), f.t, true, &done);
    changed |= KeyboardView::TakeTyped(text, FieldMaxChars(field), &keyboard.refused);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) && !FieldMultiline(field)) done = true;
    if (changed) f.out.push_back(staff_intent::edit_text(field, text));
    if (done || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
      f.out.push_back(staff_intent::focus(StaffField::none));
  }
  EndOverlay();
}

// ---- QR ------------------------------------------------------------------------------

void DrawQr(const QrCode& qr, ImVec2 at, float side) {
  constexpr int kQuiet = 4;
  const int modules = qr.size + kQuiet * 2;
  const float module = std::floor(side / static_cast<float>(modules));
  const float drawn = module * static_cast<float>(modules);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  // Always dark on white, whatever the theme: scanners expect it.
  draw->AddRectFilled(at, ImVec2(at.x + drawn, at.y + drawn), IM_COL32(255, 255, 255, 255));
  for (int y = 0; y < qr.size; ++y)
    for (int x = 0; x < qr.size; ++x)
      if (qr.is_dark(x, y)) {
        const ImVec2 min(at.x + static_cast<float>(x + kQuiet) * module,
                         at.y + static_cast<float>(y + kQuiet) * module);
        draw->AddRectFilled(min, ImVec2(min.x + module, min.y + module), IM_COL32(0, 0, 0, 255));
      }
}

}  // namespace heed::ui
