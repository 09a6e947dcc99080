// The device status screen. Layout (design pixels at 1080 high): the word mark
// and a badge on top, two cards side by side (this device; the outbox), and the
// actions in a bar at the bottom, within reach of a seated person.
#include "heed/ui/status_screen.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <string>

#include <imgui.h>

#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {
namespace {

bool same_counts(const OutboxStats& a, const OutboxStats& b) {
  return a.pending == b.pending && a.in_flight == b.in_flight && a.delivered == b.delivered &&
         a.quarantined == b.quarantined && a.oldest_pending_created_at == b.oldest_pending_created_at;
}

std::tm local_tm(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

// "14:05:09", local time.
std::string clock_time(StatusScreen::Clock::time_point at) {
  const std::tm tm = local_tm(StatusScreen::Clock::to_time_t(at));
  std::array<char, 16> text{};
  std::strftime(text.data(), text.size(), "%H:%M:%S", &tm);
  return text.data();
}

// "14:05" when `at` is today, else "2026-11-22 14:05"; local time.
std::string when(Timestamp at, StatusScreen::Clock::time_point now) {
  const std::tm then_tm = local_tm(StatusScreen::Clock::to_time_t(at));
  const std::tm now_tm = local_tm(StatusScreen::Clock::to_time_t(now));
  const bool today = then_tm.tm_year == now_tm.tm_year && then_tm.tm_yday == now_tm.tm_yday;
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), today ? "%H:%M" : "%Y-%m-%d %H:%M", &then_tm);
  return text.data();
}

// A label and its value on one row; the value starts at `value_x` within the card.
void Row(const char* label, std::string_view value, float value_x) {
  Text(label, TextRole::muted);
  ImGui::SameLine(value_x);
  Text(value, TextRole::body);
}

// A big number over its label, as one column of `width`.
void Figure(std::int64_t value, const char* label, float width) {
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + width - px(16.0f));
  Text(std::to_string(value), TextRole::display);
  Text(label, TextRole::muted);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

}  // namespace

bool StatusScreen::Refresh(DeviceStore& store, Clock::time_point now, bool force) {
  auto read = store.outbox_stats();
  bool changed = false;
  if (read) {
    changed = !stats || !same_counts(*stats, read.value()) || !stats_error.empty();
    stats = read.value();
    stats_error.clear();
  } else {
    changed = stats_error != read.error().message;
    stats_error = read.error().message;
  }
  if (changed || force) updated_at = now;
  return changed || force;
}

StatusScreen::Intent StatusScreen::Draw(const Inputs& in) {
  Intent intent = Intent::none;
  const Palette& p = palette();
  const Catalog& t = in.text;
  const auto now = Clock::now();

  if (BeginScreen("##status")) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left = ImGui::GetCursorPosX();

    // ---- Header: word mark, screen title, badge ----
    const float header_top = ImGui::GetCursorPosY();
    Text(t.tr("app.name"), TextRole::brand);
    Text(t.tr("status.title"), TextRole::heading);
    const float header_bottom = ImGui::GetCursorPosY();

    const bool attention = !stats_error.empty() || (stats && stats->quarantined > 0);
    const char* badge = !stats && stats_error.empty() ? t.tr("status.badge.checking")
                        : attention                   ? t.tr("status.badge.attention")
                                                      : t.tr("status.badge.ready");
    const ImVec2 badge_size = TextSize(badge);
    ImGui::SetCursorPos(ImVec2(left + avail.x - badge_size.x - px(44.0f),
                               header_top + (TextLineHeight(TextRole::display) - badge_size.y - px(20.0f)) * 0.5f));
    Badge(badge, attention ? p.attention : p.good, p.on_badge);
    ImGui::SetCursorPos(ImVec2(left, header_bottom + px(28.0f)));

    // ---- Two cards ----
    const float gap = px(36.0f);
    const float card_width = (avail.x - gap) * 0.5f;
    const float card_height = std::max(cards_height, px(360.0f));
    const ImVec2 pad = CardPadding();
    const float inner_width = card_width - pad.x * 2.0f;

    float tallest = 0.0f;
    BeginCard("device", card_width, card_height);
    {
      Text(t.tr("status.device.heading"), TextRole::heading);
      ImGui::Dummy(ImVec2(0, px(6.0f)));
      const float value_x = px(250.0f);
      Row(t.tr("status.device.store"), in.config.store_id, value_x);
      Row(t.tr("status.device.name"),
          t.format("status.device.name_code", {{"name", in.config.device_name}, {"code", in.config.device_code}}),
          value_x);
      Row(t.tr("status.device.mode"), t.tr(in.config.mode == DeviceMode::staff ? "mode.staff" : "mode.kiosk"), value_x);
      Row(t.tr("status.device.server"), in.config.server_url, value_x);
      if (!in.problem.empty()) {
        ImGui::Dummy(ImVec2(0, px(6.0f)));
        Text(in.problem, TextRole::error);
      }
    }
    tallest = std::max(tallest, EndCard());

    ImGui::SameLine(0.0f, gap);
    BeginCard("outbox", card_width, card_height);
    {
      Text(t.tr("status.outbox.heading"), TextRole::heading);
      ImGui::Dummy(ImVec2(0, px(6.0f)));
      if (!stats_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, p.attention);
        Text(t.format("status.outbox.error", {{"message", stats_error}}));
        ImGui::PopStyleColor();
      } else if (!stats) {
        Text(t.tr("status.outbox.not_read"), TextRole::muted);
      } else {
        const float column = inner_width / 3.0f;
        const float start = ImGui::GetCursorPosX();
        Figure(stats->pending + stats->in_flight, t.tr("status.outbox.pending"), column);
        ImGui::SameLine();
        ImGui::SetCursorPosX(start + column);
        Figure(stats->quarantined, t.tr("status.outbox.quarantined"), column);
        ImGui::SameLine();
        ImGui::SetCursorPosX(start + column * 2.0f);
        Figure(stats->delivered, t.tr("status.outbox.delivered"), column);
        ImGui::Dummy(ImVec2(0, px(10.0f)));
        if (stats->oldest_pending_created_at)
          Text(t.format("status.outbox.oldest", {{"time", when(*stats->oldest_pending_created_at, now)}}));
        else
          Text(t.tr("status.outbox.all_sent"));
        if (stats->quarantined > 0) Text(t.tr("status.outbox.quarantine_hint"));
      }
      if (updated_at) Text(t.format("status.updated", {{"time", clock_time(*updated_at)}}), TextRole::muted);
    }
    tallest = std::max(tallest, EndCard());
    // Both cards take the taller one's content height from the next frame on.
    cards_height = tallest;

    // ---- Action bar at the bottom ----
    const float bar_height = TouchMinimum();
    const float bar_top = ImGui::GetWindowHeight() - style.WindowPadding.y - bar_height;
    const float button_width = px(380.0f);
    ImGui::SetCursorPos(ImVec2(left, bar_top + (bar_height - TextLineHeight(TextRole::body)) * 0.5f));
    Text(t.format("status.footer", {{"version", in.version}}), TextRole::muted);

    ImGui::SetCursorPos(ImVec2(left + avail.x - button_width * 2.0f - gap * 0.5f, bar_top));
    const bool high_contrast = look().theme == Theme::high_contrast;
    if (TouchButton(t.tr(high_contrast ? "status.contrast.on" : "status.contrast.off"),
                    ImVec2(button_width, bar_height), ButtonStyle::secondary))
      intent = Intent::toggle_high_contrast;
    ImGui::SameLine(0.0f, gap * 0.5f);
    if (TouchButton(t.tr("status.refresh"), ImVec2(button_width, bar_height), ButtonStyle::primary))
      intent = Intent::refresh;
  }
  EndScreen();
  return intent;
}

}  // namespace heed::ui
