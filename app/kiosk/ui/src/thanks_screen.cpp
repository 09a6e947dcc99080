// The thanks screen: a tick in a circle, "Thank you", a line, the call-back
// promise when one was asked for, and Done, as one centred block (lowered: at
// the bottom).
#include "heed/ui/thanks_screen.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

std::string CallbackPromiseText(const Catalog& t, const CallbackPromise& promise) {
  const auto minutes = promise.time.count();
  const int hour = static_cast<int>(minutes / 60 % 24);
  const int minute = static_cast<int>(minutes % 60);
  const std::string h12 = std::to_string(hour % 12 == 0 ? 12 : hour % 12);
  const std::string h24 = std::to_string(hour);
  const std::string mm = fmt::format("{:02}", minute);
  const std::string time =
      t.format(minute == 0 ? "time.hour" : "time.hour_minute",
               {{"h12", h12}, {"h24", h24}, {"mm", mm}, {"ampm", t.tr(hour < 12 ? "time.am" : "time.pm")}});
  switch (promise.day) {
    case CallbackPromise::Day::today:
      return t.format("kiosk.thanks.callback.today", {{"time", time}});
    case CallbackPromise::Day::tomorrow:
      return t.format("kiosk.thanks.callback.tomorrow", {{"time", time}});
    case CallbackPromise::Day::later:
      break;
  }
  const std::chrono::weekday weekday{std::chrono::sys_days{promise.date}};
  const std::string day = std::to_string(static_cast<unsigned>(promise.date.day()));
  return t.format("kiosk.thanks.callback.later",
                  {{"time", time},
                   {"on_weekday", t.tr(fmt::format("date.on_weekday.{}", weekday.c_encoding()))},
                   {"day", day},
                   {"month", t.tr(fmt::format("date.month.{}", static_cast<unsigned>(promise.date.month())))}});
}

void ThanksScreen::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("thanks");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float radius = std::round(px(70.0f));
    const char* title = t.tr("kiosk.thanks.title");
    const char* body = t.tr("kiosk.thanks.body");
    const float body_width = std::min(page.width(), std::round(px(1100.0f)));
    const float title_height = TextBlockHeight(title, TextRole::display, page.width());
    const float body_height = TextBlockHeight(body, TextRole::body, body_width);
    const auto& promise = ctx.flow.callback_promise();
    const std::string promised = promise ? CallbackPromiseText(t, *promise) : std::string();
    const float promise_height =
        promised.empty() ? 0.0f : gap * 0.5f + TextBlockHeight(promised, TextRole::heading, body_width);
    const float button_height = NavHeight();
    const float block =
        radius * 2.0f + gap + title_height + gap * 0.5f + body_height + promise_height + gap * 2.0f + button_height;
    float y = PlaceBlock(ctx, page.min.y, page.max.y, block);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 centre(std::round(page.min.x + page.width() * 0.5f), y + radius);
    draw->AddCircleFilled(centre, radius, ImGui::GetColorU32(p.primary), 64);
    const ImVec2 tick[3] = {ImVec2(centre.x - radius * 0.42f, centre.y + radius * 0.02f),
                            ImVec2(centre.x - radius * 0.12f, centre.y + radius * 0.32f),
                            ImVec2(centre.x + radius * 0.45f, centre.y - radius * 0.3f)};
    draw->AddPolyline(tick, 3, ImGui::GetColorU32(p.on_primary), 0, std::max(px(12.0f), 2.0f));
    y += radius * 2.0f + gap;
    y += TextBlock(title, TextRole::display, ImVec2(page.min.x, y), page.width(), 0.5f) + gap * 0.5f;
    const float body_x = page.min.x + (page.width() - body_width) * 0.5f;
    y += TextBlock(body, TextRole::body, ImVec2(body_x, y), body_width, 0.5f);
    if (!promised.empty())
      y += gap * 0.5f + TextBlock(promised, TextRole::heading, ImVec2(body_x, y + gap * 0.5f), body_width, 0.5f);
    y += gap * 2.0f;

    const char* done = t.tr("kiosk.thanks.done");
    const float width = std::max(std::round(px(420.0f)), ImGui::CalcTextSize(done).x + px(64.0f));
    ImGui::SetCursorScreenPos(ImVec2(std::round(page.min.x + (page.width() - width) * 0.5f), y));
    if (TouchButton((std::string(done) + "##thanks.done").c_str(), ImVec2(width, button_height), ButtonStyle::primary))
      out.push_back(intent::next());
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
