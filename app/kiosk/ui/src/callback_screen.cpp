// The call-back screen. Layout, from the header down:
// - the consent row: the toggle and "How we use your details" side by side (or
//   stacked when they do not fit);
// - unticked: a note that nothing is kept without the tick;
// - ticked, no keyboard: a hint and the three fields side by side (lowered,
//   when they do not all fit in the lower part: the hint, which is only text,
//   goes above the consent row);
// - ticked, typing: the fields in a column on the left, the keyboard on the
//   right above the nav bar. In the lowered layout the consent row steps aside
//   while typing, so the fields fit beside the keyboard in the lower part; where
//   the three fields with their labels do not fit there (larger text, an error
//   shown), the labels of the fields not being typed into move inside them (as
//   the text an empty field shows), then the typed one's too. Every field stays
//   on screen and tappable, whatever errors show.
// Return on a physical keyboard moves on to the next field (from phone: Done),
// so a name, Return, an email typed in one go land in their own fields. A typed
// character the font cannot draw shows "keyboard.cannot_use" under the field.
#include "heed/ui/callback_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {
namespace {

struct FieldSpec {
  TextTarget target;
  const char* label_key;
  const char* id;
  KeyboardMode mode;
  std::size_t max_chars;  // as KioskFlow::edit_contact cuts them
};
constexpr std::array<FieldSpec, 3> kFields{{
    {TextTarget::name, "kiosk.callback.name", "##field.name", KeyboardMode::text, 200},
    {TextTarget::email, "kiosk.callback.email", "##field.email", KeyboardMode::email, 254},
    {TextTarget::phone, "kiosk.callback.phone", "##field.phone", KeyboardMode::phone, 254},
}};

const FieldSpec& spec_of(TextTarget target) {
  for (const auto& spec : kFields)
    if (spec.target == target) return spec;
  return kFields[0];
}

// The translated problem with a field, or empty. `refused`: a typed character was
// refused in it, which is said first.
std::string field_error(const KioskContext& ctx, TextTarget target, bool refused = false) {
  if (refused) return ctx.text.tr("keyboard.cannot_use");
  const auto code = ctx.flow.contact_error(contact_field(target));
  if (!code) return {};
  return ctx.text.tr("error." + std::string(*code));
}

float label_gap() { return std::round(px(8.0f)); }

// A field's label (unless it shows inside the field), the field, and its error
// under it: the height at `width`.
float field_height(const KioskContext& ctx, const FieldSpec& spec, float width, bool labelled = true,
                   bool refused = false) {
  float height = TouchMinimum();
  if (labelled) height += TextBlockHeight(ctx.text.tr(spec.label_key), TextRole::muted, width) + label_gap();
  const auto error = field_error(ctx, spec.target, refused);
  if (!error.empty()) height += label_gap() + TextBlockHeight(error, TextRole::error, width);
  return height;
}

}  // namespace

void CallbackScreen::Focus(TextTarget target) {
  if (target == TextTarget::comment) target = TextTarget::none;
  if (target != typing) keyboard.Reset();
  typing = target;
}

void CallbackScreen::Reset() { Focus(TextTarget::none); }

void CallbackScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  if (!ctx.flow.consent()) Focus(TextTarget::none);  // no fields without the tick
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("callback");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float small = std::round(px(14.0f));
    const float top = QuestionHeader(ctx, page, ctx.flow.questions().wording(ctx.flow.language(), "callback")) + gap;
    float bottom = NavTop(page) - (ctx.lowered ? gap * 0.5f : gap * 1.25f);
    bottom -= SaveErrorLine(ctx, page, bottom);
    const bool consent = ctx.flow.consent();
    const bool is_typing = typing != TextTarget::none;

    // ---- The consent row's geometry ----
    const std::string consent_label = std::string(t.tr("kiosk.callback.consent")) + "##consent";
    const std::string privacy_label = std::string(t.tr("kiosk.callback.privacy")) + "##privacy";
    const float privacy_width =
        std::max(std::round(px(300.0f)),
                 ImGui::CalcTextSize(privacy_label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f);
    ImVec2 toggle = TouchToggleSize(consent_label.c_str());
    const bool one_row = toggle.x + gap + privacy_width <= page.width();
    if (!one_row) toggle = TouchToggleSize(consent_label.c_str(), page.width());
    const float consent_height = one_row ? std::max(toggle.y, TouchMinimum()) : toggle.y + small + TouchMinimum();

    const auto draw_consent_row = [&](float y) {
      bool ticked = consent;
      ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
      if (TouchToggle(consent_label.c_str(), &ticked, toggle)) out.push_back(intent::set_consent(ticked));
      const ImVec2 at = one_row ? ImVec2(page.min.x + toggle.x + gap, y + (consent_height - TouchMinimum()) * 0.5f)
                                : ImVec2(page.min.x, y + toggle.y + small);
      ImGui::SetCursorScreenPos(at);
      if (TouchButton(privacy_label.c_str(), ImVec2(privacy_width, TouchMinimum()), ButtonStyle::secondary))
        out.push_back(intent::show_privacy(true));
    };

    // Draws a field (label, field, error) at `at`, `width` wide; returns its height.
    // Not `labelled`: the label shows inside the field while it is empty.
    const auto draw_field = [&](const FieldSpec& spec, ImVec2 at, float width, const std::string& value,
                                bool labelled = true) {
      float y = at.y;
      if (labelled) y += TextBlock(t.tr(spec.label_key), TextRole::muted, ImVec2(at.x, y), width) + label_gap();
      ImGui::SetCursorScreenPos(ImVec2(at.x, y));
      if (EntryField(spec.id, value, ImVec2(width, TouchMinimum()), typing == spec.target, false, true,
                     labelled ? std::string_view() : std::string_view(t.tr(spec.label_key))))
        out.push_back(intent::focus(spec.target));
      y += TouchMinimum();
      const auto error = field_error(ctx, spec.target, typing == spec.target && keyboard.refused);
      if (!error.empty()) y += label_gap() + TextBlock(error, TextRole::error, ImVec2(at.x, y + label_gap()), width);
      return y - at.y;
    };

    if (!consent) {
      // ---- Unticked: the row and what not ticking means ----
      const char* note = t.tr("kiosk.callback.no_consent");
      const float block = consent_height + gap + TextBlockHeight(note, TextRole::muted, page.width());
      const float y = ctx.lowered ? PlaceBlock(ctx, top, bottom, block) : top;
      draw_consent_row(y);
      TextBlock(note, TextRole::muted, ImVec2(page.min.x, y + consent_height + gap), page.width());
    } else if (!is_typing) {
      // ---- Ticked: the hint and the three fields side by side ----
      const char* hint = t.tr("kiosk.callback.either");
      const float column = std::floor((page.width() - gap * 2.0f) / 3.0f);
      float fields = 0;
      for (const auto& spec : kFields) fields = std::max(fields, field_height(ctx, spec, column));
      const float hint_height = TextBlockHeight(hint, TextRole::muted, page.width());
      const float block = consent_height + gap + hint_height + gap + fields;
      float y = ctx.lowered ? PlaceBlock(ctx, top, bottom, block) : top;
      if (ctx.lowered && y < page.lower_top) {
        // The controls alone in the lower part; the hint above them.
        y = std::max(top + hint_height + gap, bottom - (consent_height + gap + fields));
        TextBlock(hint, TextRole::muted, ImVec2(page.min.x, y - gap - hint_height), page.width());
        draw_consent_row(y);
        y += consent_height + gap;
      } else {
        draw_consent_row(y);
        y += consent_height + gap;
        y += TextBlock(hint, TextRole::muted, ImVec2(page.min.x, y), page.width()) + gap;
      }
      for (std::size_t i = 0; i < kFields.size(); ++i)
        draw_field(kFields[i], ImVec2(page.min.x + static_cast<float>(i) * (column + gap), y), column,
                   ctx.flow.contact(contact_field(kFields[i].target)));
    } else {
      // ---- Typing: the fields on the left, the keyboard on the right ----
      const FieldSpec& spec = spec_of(typing);
      OnScreenKeyboard& model = keyboard.Use(ctx.flow.language(), spec.mode);
      // The keyboard takes a bit over half the width (wider only to keep keys at the touch minimum).
      const auto metrics = KeyboardView::Measure(model, std::round(page.width() * 0.56f), true, ctx.lowered);
      const ImVec2 keys_at(page.max.x - metrics.size.x, bottom - metrics.size.y);
      std::string draft = ctx.flow.contact(contact_field(typing));
      bool done = false;
      bool changed = keyboard.Draw(keys_at, metrics, draft, spec.max_chars, t, /*done_key=*/true, &done);
      changed |= KeyboardView::TakeTyped(draft, spec.max_chars, &keyboard.refused);
      // Return moves on: the next field, or Done after the last.
      TextTarget after_return = typing;
      if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
          ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)) {
        after_return = TextTarget::none;
        for (std::size_t i = 0; i + 1 < kFields.size(); ++i)
          if (kFields[i].target == typing) after_return = kFields[i + 1].target;
      }

      const float column = std::min(keys_at.x - gap * 2.0f - page.min.x, std::round(px(760.0f)));
      const float field_gap = std::round(px(22.0f));
      // Labels: 0 every one above its field; 1 only the typed field's; 2 none (inside the fields).
      const auto labelled = [&](int level, const FieldSpec& field) {
        return level == 0 || (level == 1 && field.target == typing);
      };
      const auto fields_height = [&](int level) {
        float height = field_gap * 2.0f;
        for (const auto& field : kFields)
          height +=
              field_height(ctx, field, column, labelled(level, field), field.target == typing && keyboard.refused);
        return height;
      };
      // The consent row stays above the fields when they fit under it; in the
      // lowered layout (or with larger text on a small display) it steps aside
      // while typing, and comes back with Done.
      const bool show_consent = !ctx.lowered && top + consent_height + gap + fields_height(0) <= bottom;
      const float lowest_top = ctx.lowered ? std::max(top, page.lower_top) : top;
      int level = 0;
      while (!show_consent && level < 2 && lowest_top + fields_height(level) > bottom) ++level;
      float y = top;
      if (show_consent) {
        draw_consent_row(y);
        y += consent_height + gap;
      } else {
        y = std::max(lowest_top, std::min(keys_at.y, bottom - fields_height(level)));  // beside the keyboard
      }
      for (const auto& field : kFields) {
        const std::string value = field.target == typing ? draft : ctx.flow.contact(contact_field(field.target));
        y += draw_field(field, ImVec2(page.min.x, y), column, value, labelled(level, field)) + field_gap;
      }
      if (changed) out.push_back(intent::edit_contact(typing, draft));
      if (done) after_return = TextTarget::none;
      if (after_return != typing) out.push_back(intent::focus(after_return));
    }

    NavBar(ctx, page, NavSpec{.back = true, .skip = true, .next = true}, out);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
