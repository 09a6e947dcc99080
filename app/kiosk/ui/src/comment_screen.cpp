// The comment screen. Without the keyboard: header, the box (four lines) with the
// hint and the characters left, placed in the free space. With it: the box takes
// what room the keyboard leaves between header and keyboard, and is no longer a
// control (it already has the caret; Done puts the keyboard away). In the lowered
// layout the box stays in the lower part: above the keyboard when two lines fit
// there, else beside it (the keyboard at the right, as narrow as its keys allow).
#include "heed/ui/comment_screen.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"
#include "heed/validation.hpp"

namespace heed::ui {

void CommentScreen::Focus(bool on) {
  typing = on;
  if (!on) keyboard.Reset();
}

void CommentScreen::Reset() { Focus(false); }

void CommentScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("comment");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float small = std::round(px(12.0f));
    const float top = QuestionHeader(ctx, page, ctx.flow.questions().wording(ctx.flow.language(), "comment")) + gap;
    float bottom = NavTop(page) - (ctx.lowered ? gap * 0.5f : gap * 1.25f);
    bottom -= SaveErrorLine(ctx, page, bottom);

    std::string draft = ctx.flow.comment();
    const std::size_t used = utf8_length(draft).value_or(draft.size());
    const std::string left = t.format("kiosk.comment.left",
                                      {{"count", std::to_string(kMaxCommentChars - std::min(used, kMaxCommentChars))}});
    const float line = TextLineHeight(TextRole::body);
    const float note_height = TextLineHeight(TextRole::muted) * 1.12f;
    const float padding_y = ImGui::GetStyle().FramePadding.y * 0.8f;
    bool changed = false;

    float box_top = 0;
    float box_height = 0;
    float box_x = page.min.x;
    float box_width = page.width();
    if (typing) {
      OnScreenKeyboard& model = keyboard.Use(ctx.flow.language(), KeyboardMode::text);
      auto metrics = KeyboardView::Measure(model, page.width(), /*done_key=*/true, ctx.lowered);
      float keys_top = bottom - metrics.size.y;
      float keys_x = std::round(page.min.x + (page.width() - metrics.size.x) * 0.5f);
      const float lowest = ctx.lowered ? std::max(top, page.lower_top) : top;
      const float two_lines = std::round(line * 1.12f * 2.0f + padding_y * 2.0f);
      if (keys_top - gap - note_height - small - lowest < two_lines) {
        // No room for two lines above the keys (the lower part; a long question in
        // larger text): the box goes beside them.
        metrics = KeyboardView::Measure(model, std::round(page.width() * 0.6f), /*done_key=*/true, true);
        keys_top = bottom - metrics.size.y;
        keys_x = page.max.x - metrics.size.x;
        box_width = keys_x - gap - page.min.x;
        box_top = std::max(lowest, keys_top);
        box_height = std::max(TouchMinimum(), bottom - note_height - small - box_top);
      } else {
        box_top = lowest;
        box_height = std::max(TouchMinimum(), keys_top - gap - note_height - small - box_top);
      }
      bool done = false;
      changed |= keyboard.Draw(ImVec2(keys_x, keys_top), metrics, draft, kMaxCommentChars, t, /*done_key=*/true, &done);
      changed |= KeyboardView::TakeTyped(draft, kMaxCommentChars, &keyboard.refused);
      if (done) out.push_back(intent::focus(TextTarget::none));
    } else {
      box_height = std::round(line * 1.12f * 4.0f + padding_y * 2.0f);
      box_top = PlaceBlock(ctx, top, bottom, box_height + small + note_height);
    }

    ImGui::SetCursorScreenPos(ImVec2(box_x, box_top));
    if (EntryField("##field.comment", draft, ImVec2(box_width, box_height), typing, /*multiline=*/true,
                   /*tappable=*/!typing))
      out.push_back(intent::focus(TextTarget::comment));
    const float note_y = box_top + box_height + small;
    if (!typing) {
      TextBlock(t.tr("kiosk.comment.hint"), TextRole::muted, ImVec2(box_x, note_y), box_width * 0.6f);
      TextBlock(left, TextRole::muted, ImVec2(box_x + box_width * 0.6f, note_y), box_width * 0.4f, 1.0f);
    } else if (keyboard.refused) {  // an emoji typed on a physical keyboard: said where the hint was
      TextBlock(t.tr("keyboard.cannot_use"), TextRole::error, ImVec2(box_x, note_y), box_width * 0.6f);
      TextBlock(left, TextRole::muted, ImVec2(box_x + box_width * 0.6f, note_y), box_width * 0.4f, 1.0f);
    } else {
      TextBlock(left, TextRole::muted, ImVec2(box_x, note_y), box_width, 1.0f);
    }

    if (changed) out.push_back(intent::edit_comment(draft));
    NavBar(ctx, page, NavSpec{.back = true, .skip = true, .next = true}, out);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
