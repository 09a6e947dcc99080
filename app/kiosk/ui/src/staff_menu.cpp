// The staff menu overlay: a wide card, the figures on the left and the buttons
// on the right; or, while a code is typed, the enrolment entry with its keyboard.
#include "heed/ui/staff_menu.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

SyncState sync_state_from(const sync::SyncStatus& status, std::string server_url) {
  using Connection = SyncState::Connection;
  SyncState state;
  state.server_url = std::move(server_url);
  if (!status.enrolled)
    state.connection = Connection::not_enrolled;
  else if (status.token_revoked)
    state.connection = Connection::revoked;
  else if (!status.attempted)
    state.connection = Connection::connecting;
  else
    state.connection = status.online ? Connection::online : Connection::offline;
  state.last_success = status.last_success_at;
  state.last_error = status.last_error;
  // Offline, "Sending: 3 of 10" would claim progress that is not being made.
  if (state.connection == Connection::online && status.pending > 0 && status.backlog_done > 0)
    state.progress = std::pair<std::int64_t, std::int64_t>{status.backlog_done, status.backlog_done + status.pending};
  return state;
}

std::string format_age(const Catalog& text, std::chrono::seconds age) {
  using namespace std::chrono;
  if (age < minutes(1)) return text.tr("staff.menu.age.now");
  if (age < hours(1))
    return text.format("staff.menu.age.minutes", {{"n", std::to_string(duration_cast<minutes>(age).count())}});
  if (age < hours(48))
    return text.format("staff.menu.age.hours", {{"n", std::to_string(duration_cast<hours>(age).count())}});
  return text.format("staff.menu.age.days", {{"n", std::to_string(duration_cast<hours>(age).count() / 24)}});
}

void StaffMenu::Read(const std::function<Result<OutboxStats>()>& outbox,
                     const std::function<std::optional<SyncState>()>& sync_source, Timestamp now) {
  read_at = now;
  stats.reset();
  error.clear();
  sync.reset();
  if (sync_source) sync = sync_source();
  if (code_entry_open && sync && sync->enrolment == SyncState::Enrolment::done) {
    code_entry_open = false;  // enrolled: back to the figures, which now say so
    code.clear();
    keyboard.Reset();
  }
  if (!outbox) return;
  auto read = outbox();
  if (read)
    stats = read.value();
  else
    error = read.error().message;
}

bool StaffMenu::CanEnrol() const {
  return sync && (sync->connection == SyncState::Connection::not_enrolled ||
                  sync->connection == SyncState::Connection::revoked);
}

void StaffMenu::Draw(const KioskContext& ctx, KioskIntents& out) {
  if (BeginOverlay("##staff")) {
    if (exit_confirm_open)
      DrawExitConfirm(ctx, out);
    else if (code_entry_open)
      DrawCodeEntry(ctx, out);
    else
      DrawMenu(ctx, out);
  }
  EndOverlay();
}

namespace {

using Connection = SyncState::Connection;

const char* connection_key(Connection connection) {
  switch (connection) {
    case Connection::off:
      return "staff.sync.off";
    case Connection::not_enrolled:
      return "staff.sync.not_enrolled";
    case Connection::connecting:
      return "staff.sync.connecting";
    case Connection::online:
      return "staff.sync.online";
    case Connection::offline:
      return "staff.sync.offline";
    case Connection::revoked:
      return "staff.sync.revoked";
  }
  return "staff.sync.off";
}

// A label on the left and its value on the right of one row, each wrapped in its
// column so that a long value ("less than a minute old") or a larger-text label
// makes the row taller rather than running into the next. Returns the row's height.
struct FigureColumns {
  float label_width = 0;
  float value_width = 0;
  float gap = 0;
};
float FigureRowHeight(std::string_view label, std::string_view value, const FigureColumns& c) {
  const float least = std::max(TextLineHeight(TextRole::heading), TextLineHeight(TextRole::body)) * 1.3f;
  const float needed = std::max(TextBlockHeight(label, TextRole::muted, c.label_width),
                                TextBlockHeight(value, TextRole::heading, c.value_width));
  return std::max(least, needed + TextLineHeight(TextRole::body) * 0.3f);
}
float FigureRow(std::string_view label, std::string_view value, float x, float y, const FigureColumns& c) {
  const float row = FigureRowHeight(label, value, c);
  const float label_height = TextBlockHeight(label, TextRole::muted, c.label_width);
  const float value_height = TextBlockHeight(value, TextRole::heading, c.value_width);
  TextBlock(label, TextRole::muted, ImVec2(x, std::round(y + (row - label_height) * 0.5f)), c.label_width);
  TextBlock(value, TextRole::heading, ImVec2(x + c.label_width + c.gap, std::round(y + (row - value_height) * 0.5f)),
            c.value_width, 1.0f);
  return row;
}

// Label and value columns for `rows` in `width`: labels as wide as the widest
// needs, up to 55 %; values take the rest.
FigureColumns FigureColumnsFor(const std::vector<std::pair<std::string, std::string>>& rows, float width, float gap) {
  float widest_label = 0;
  for (const auto& row : rows) widest_label = std::max(widest_label, TextSize(row.first, TextRole::muted).x);
  FigureColumns c;
  c.gap = gap;
  c.label_width = std::min(std::ceil(widest_label), std::round(width * 0.55f));
  c.value_width = width - c.label_width - gap;
  return c;
}

// A bar filled to `done / total`, with its words above it; returns its height.
float ProgressBar(std::string_view words, std::int64_t done, std::int64_t total, float x, float y, float width) {
  const float words_height = TextBlock(words, TextRole::muted, ImVec2(x, y), width);
  const float bar_top = y + words_height + px(8.0f);
  const float bar_height = px(20.0f);
  const float fraction = total > 0 ? std::clamp(static_cast<float>(done) / static_cast<float>(total), 0.0f, 1.0f) : 0;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(ImVec2(x, bar_top), ImVec2(x + width, bar_top + bar_height),
                      ImGui::GetColorU32(palette().secondary), bar_height * 0.5f);
  if (fraction > 0)
    draw->AddRectFilled(ImVec2(x, bar_top), ImVec2(x + std::max(bar_height, width * fraction), bar_top + bar_height),
                        ImGui::GetColorU32(palette().primary), bar_height * 0.5f);
  return words_height + px(8.0f) + bar_height;
}

}  // namespace

void StaffMenu::DrawMenu(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const float gap = Gap();
  const float display_width = ImGui::GetMainViewport()->Size.x;
  const float width = std::min(px(1500.0f), display_width - gap * 2.0f);
  const float inner = width - CardPadding().x * 2.0f;

  // ---- The ways on, right; as wide as the longest label needs (larger text, Polish) ----
  struct MenuButton {
    std::string label;
    ButtonStyle style;
    KioskIntent intent;
  };
  std::vector<MenuButton> buttons;
  if (CanEnrol())
    buttons.push_back({std::string(t.tr("staff.sync.enrol")) + "##staff.enrol", ButtonStyle::secondary,
                       intent::staff_enrol_open(true)});
  buttons.push_back({std::string(t.tr("staff.menu.switch_staff")) + "##staff.switch", ButtonStyle::secondary,
                     intent::staff_switch_mode()});
  buttons.push_back(
      {std::string(t.tr("staff.menu.exit")) + "##staff.exit", ButtonStyle::secondary, intent::staff_exit()});
  buttons.push_back(
      {std::string(t.tr("staff.menu.back")) + "##staff.back", ButtonStyle::primary, intent::staff_close()});
  float widest_button = 0;
  for (const auto& button : buttons)
    widest_button = std::max(widest_button, ImGui::CalcTextSize(button.label.c_str(), nullptr, true).x);
  widest_button = std::ceil(widest_button + ImGui::GetStyle().FramePadding.x * 2.0f);
  const float buttons_width = std::clamp(widest_button, std::round(inner * 0.36f), std::round(inner * 0.5f));
  const float figures_width = inner - buttons_width - gap * 1.5f;

  // ---- The figures, as lines of (label, value) and free text ----
  // "12 min" since `then`, as of the read.
  const auto age_since = [&](Timestamp then) {
    return format_age(
        t, std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(read_at - then)));
  };
  std::vector<std::pair<std::string, std::string>> rows;
  if (sync) rows.emplace_back(t.tr("staff.sync.connection"), t.tr(connection_key(sync->connection)));
  if (stats) {
    rows.emplace_back(t.tr("staff.menu.queue"), std::to_string(stats->pending + stats->in_flight));
    rows.emplace_back(t.tr("staff.menu.oldest"),
                      stats->oldest_pending_created_at
                          ? t.format("staff.menu.oldest_age", {{"age", age_since(*stats->oldest_pending_created_at)}})
                          : t.tr("staff.menu.oldest_none"));
  }
  if (sync && sync->connection != Connection::off)
    rows.emplace_back(t.tr("staff.sync.last_success"),
                      sync->last_success ? t.format("staff.sync.ago", {{"age", age_since(*sync->last_success)}})
                                         : t.tr("staff.sync.never"));
  if (stats) rows.emplace_back(t.tr("staff.menu.quarantined"), std::to_string(stats->quarantined));
  const FigureColumns columns = FigureColumnsFor(rows, figures_width, gap * 0.5f);

  std::string notes;  // the server, the last error, the refused records: wrapped text under the rows
  if (sync && !sync->server_url.empty()) notes = t.format("staff.sync.server", {{"url", sync->server_url}});
  std::string problem;
  if (!staff_mode_problem.empty()) problem = staff_mode_problem;
  if (!error.empty()) {
    if (!problem.empty()) problem += '\n';
    problem += t.format("status.outbox.error", {{"message", error}});
  }
  if (sync && !sync->last_error.empty()) {
    if (!problem.empty()) problem += '\n';
    problem += t.format("staff.sync.last_error", {{"message", sync->last_error}});
  }
  std::string refused;
  if (sync)
    for (const auto& r : sync->refused) {
      if (!refused.empty()) refused += '\n';
      refused += t.format("staff.sync.refused_item", {{"id", r.record_id.substr(0, 8)}, {"reason", r.reason}});
    }
  const bool draining = sync && sync->progress && sync->progress->second > 0;
  const std::string progress_words =
      draining ? t.format("staff.sync.progress", {{"done", std::to_string(sync->progress->first)},
                                                  {"total", std::to_string(sync->progress->second)}})
               : std::string();

  // ---- Heights, so the card fits what it holds ----
  const float small = gap * 0.5f;
  float figures_height = 0;
  for (const auto& [label, value] : rows) figures_height += FigureRowHeight(label, value, columns);
  if (!notes.empty()) figures_height += small + TextBlockHeight(notes, TextRole::muted, figures_width);
  if (draining) figures_height += small + TextBlockHeight(progress_words, TextRole::muted, figures_width) + px(28.0f);
  if (!problem.empty()) figures_height += small + TextBlockHeight(problem, TextRole::error, figures_width);
  if (!refused.empty()) figures_height += small + TextBlockHeight(refused, TextRole::muted, figures_width);
  const float button_gap = gap * 0.6f;
  const float buttons_height =
      TouchMinimum() * static_cast<float>(buttons.size()) + button_gap * static_cast<float>(buttons.size() - 1);

  const float title_height = TextBlockHeight(t.tr("staff.menu.title"), TextRole::title, inner);
  const float height = CardPadding().y * 2.0f + title_height + gap + std::max(figures_height, buttons_height);
  const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
  const float x0 = card.inner_min.x;
  float y = card.inner_min.y;
  y += TextBlock(t.tr("staff.menu.title"), TextRole::title, ImVec2(x0, y), inner) + gap;
  const float columns_top = y;

  // ---- Left: the figures ----
  for (const auto& [label, value] : rows) y += FigureRow(label, value, x0, y, columns);
  if (!notes.empty()) y += small + TextBlock(notes, TextRole::muted, ImVec2(x0, y + small), figures_width);
  if (draining)
    y += small +
         ProgressBar(progress_words, sync->progress->first, sync->progress->second, x0, y + small, figures_width);
  if (!problem.empty()) y += small + TextBlock(problem, TextRole::error, ImVec2(x0, y + small), figures_width);
  if (!refused.empty()) TextBlock(refused, TextRole::muted, ImVec2(x0, y + small), figures_width);

  // ---- Right: the ways on ----
  y = columns_top;
  const float bx = card.inner_max.x - buttons_width;
  for (const auto& button : buttons) {
    ImGui::SetCursorScreenPos(ImVec2(bx, y));
    if (TouchButton(button.label.c_str(), ImVec2(buttons_width, TouchMinimum()), button.style))
      out.push_back(button.intent);
    y += TouchMinimum() + button_gap;
  }
}

// "Exit Heed?": a customer-facing kiosk must not close on one stray tap.
void StaffMenu::DrawExitConfirm(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const float gap = Gap();
  const float width = std::min(px(1100.0f), ImGui::GetMainViewport()->Size.x - gap * 2.0f);
  const float inner = width - CardPadding().x * 2.0f;
  const std::string cancel = std::string(t.tr("staff.menu.exit_cancel")) + "##staff.exit.cancel";
  const std::string confirm = std::string(t.tr("staff.menu.exit_confirm")) + "##staff.exit.confirm";
  const float padding = ImGui::GetStyle().FramePadding.x * 2.0f;
  const float cancel_width = ImGui::CalcTextSize(cancel.c_str(), nullptr, true).x + padding;
  const float confirm_width = ImGui::CalcTextSize(confirm.c_str(), nullptr, true).x + padding;
  // Side by side when both fit, the safe choice on the right; else one above the other.
  const bool side_by_side = cancel_width + confirm_width + gap <= inner;
  const float buttons_height = side_by_side ? TouchMinimum() : TouchMinimum() * 2.0f + gap * 0.6f;
  const float height = CardPadding().y * 2.0f + TextBlockHeight(t.tr("staff.menu.exit_title"), TextRole::title, inner) +
                       gap * 0.5f + TextBlockHeight(t.tr("staff.menu.exit_body"), TextRole::body, inner) + gap +
                       buttons_height;
  const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
  const float x0 = card.inner_min.x;
  float y = card.inner_min.y;
  y += TextBlock(t.tr("staff.menu.exit_title"), TextRole::title, ImVec2(x0, y), inner) + gap * 0.5f;
  y += TextBlock(t.tr("staff.menu.exit_body"), TextRole::body, ImVec2(x0, y), inner) + gap;
  if (side_by_side) {
    const float button_width = std::round((inner - gap) * 0.5f);
    ImGui::SetCursorScreenPos(ImVec2(x0, y));
    if (TouchButton(confirm.c_str(), ImVec2(button_width, TouchMinimum()), ButtonStyle::secondary))
      out.push_back(intent::staff_exit_confirm(true));
    ImGui::SetCursorScreenPos(ImVec2(x0 + inner - button_width, y));
    if (TouchButton(cancel.c_str(), ImVec2(button_width, TouchMinimum()), ButtonStyle::primary))
      out.push_back(intent::staff_exit_confirm(false));
  } else {
    ImGui::SetCursorScreenPos(ImVec2(x0, y));
    if (TouchButton(cancel.c_str(), ImVec2(inner, TouchMinimum()), ButtonStyle::primary))
      out.push_back(intent::staff_exit_confirm(false));
    ImGui::SetCursorScreenPos(ImVec2(x0, y + TouchMinimum() + gap * 0.6f));
    if (TouchButton(confirm.c_str(), ImVec2(inner, TouchMinimum()), ButtonStyle::secondary))
      out.push_back(intent::staff_exit_confirm(true));
  }
}

void StaffMenu::DrawCodeEntry(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  const float gap = Gap();
  const ImVec2 display = ImGui::GetMainViewport()->Size;
  const float width = std::min(px(1500.0f), display.x - gap * 2.0f);
  const float inner = width - CardPadding().x * 2.0f;
  const bool working = sync && sync->enrolment == SyncState::Enrolment::working;

  OnScreenKeyboard& model = keyboard.Use(ctx.flow.language(), KeyboardMode::text);
  const auto metrics = KeyboardView::Measure(model, inner, /*done_key=*/false, /*compact=*/true);
  std::string status;
  TextRole status_role = TextRole::muted;
  if (working) {
    status = t.tr("staff.sync.enrolling");
  } else if (sync && sync->enrolment == SyncState::Enrolment::failed) {
    status = t.format("staff.sync.enrol_failed", {{"message", sync->enrolment_error}});
    status_role = TextRole::error;
  }
  const float small = gap * 0.5f;
  const float hint_height = TextBlockHeight(t.tr("staff.sync.code_hint"), TextRole::muted, inner);
  const float status_height = status.empty() ? 0.0f : small + TextBlockHeight(status, status_role, inner);
  const float height = CardPadding().y * 2.0f + TextBlockHeight(t.tr("staff.sync.enrol"), TextRole::title, inner) +
                       small + hint_height + gap + TouchMinimum() + status_height + gap + metrics.size.y + gap +
                       TouchMinimum();
  const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
  const float x0 = card.inner_min.x;
  float y = card.inner_min.y;
  y += TextBlock(t.tr("staff.sync.enrol"), TextRole::title, ImVec2(x0, y), inner) + small;
  y += TextBlock(t.tr("staff.sync.code_hint"), TextRole::muted, ImVec2(x0, y), inner) + gap;

  std::string draft = code;
  ImGui::SetCursorScreenPos(ImVec2(x0, y));
  EntryField("##field.enrol_code", draft, ImVec2(inner, TouchMinimum()), /*focused=*/!working,
             /*multiline=*/false, /*tappable=*/false, t.tr("staff.sync.code_placeholder"));
  y += TouchMinimum();
  if (!status.empty()) y += small + TextBlock(status, status_role, ImVec2(x0, y + small), inner);
  y += gap;

  bool changed = false;
  if (!working) {
    changed |= keyboard.Draw(ImVec2(std::round(x0 + (inner - metrics.size.x) * 0.5f), y), metrics, draft,
                             kMaxEnrolmentCodeChars, t, /*done_key=*/false, nullptr);
    changed |= KeyboardView::TakeTyped(draft, kMaxEnrolmentCodeChars);
  }
  y += metrics.size.y + gap;
  if (changed) out.push_back(intent::staff_enrol_edit(draft));

  const float button_width = std::round((inner - gap) * 0.5f);
  ImGui::SetCursorScreenPos(ImVec2(x0, y));
  if (TouchButton((std::string(t.tr("staff.sync.cancel")) + "##staff.enrol.cancel").c_str(),
                  ImVec2(button_width, TouchMinimum()), ButtonStyle::secondary))
    out.push_back(intent::staff_enrol_open(false));
  ImGui::SetCursorScreenPos(ImVec2(x0 + inner - button_width, y));
  ImGui::BeginDisabled(working || draft.empty());
  if (TouchButton((std::string(t.tr("staff.sync.enrol_submit")) + "##staff.enrol.submit").c_str(),
                  ImVec2(button_width, TouchMinimum()), ButtonStyle::primary))
    out.push_back(intent::staff_enrol_submit());
  ImGui::EndDisabled();
}

}  // namespace heed::ui
