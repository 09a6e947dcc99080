// The staff menu overlay: a card with three label/value rows and three buttons.
#include "heed/ui/staff_menu.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

std::string format_age(const Catalog& text, std::chrono::seconds age) {
  using namespace std::chrono;
  if (age < minutes(1)) return text.tr("staff.menu.age.now");
  if (age < hours(1))
    return text.format("staff.menu.age.minutes", {{"n", std::to_string(duration_cast<minutes>(age).count())}});
  if (age < hours(48))
    return text.format("staff.menu.age.hours", {{"n", std::to_string(duration_cast<hours>(age).count())}});
  return text.format("staff.menu.age.days", {{"n", std::to_string(duration_cast<hours>(age).count() / 24)}});
}

void StaffMenu::Read(const std::function<Result<OutboxStats>()>& source, Timestamp now) {
  read_at = now;
  stats.reset();
  error.clear();
  if (!source) return;
  auto read = source();
  if (read)
    stats = read.value();
  else
    error = read.error().message;
}

void StaffMenu::Draw(const KioskContext& ctx, KioskIntents& out) {
  const Catalog& t = ctx.text;
  if (BeginOverlay("##staff")) {
    const float gap = Gap();
    const float width = px(960.0f);
    const float inner = width - CardPadding().x * 2.0f;

    // ---- What the rows say ----
    std::array<std::pair<std::string, std::string>, 3> rows;
    rows[0].first = t.tr("staff.menu.queue");
    rows[1].first = t.tr("staff.menu.oldest");
    rows[2].first = t.tr("staff.menu.quarantined");
    if (stats) {
      rows[0].second = std::to_string(stats->pending + stats->in_flight);
      rows[1].second = stats->oldest_pending_created_at
                           ? t.format("staff.menu.oldest_age",
                                      {{"age", format_age(t, std::max(std::chrono::seconds(0),
                                                                      read_at - *stats->oldest_pending_created_at))}})
                           : t.tr("staff.menu.oldest_none");
      rows[2].second = std::to_string(stats->quarantined);
    }
    const std::string problem = error.empty() ? std::string() : t.format("status.outbox.error", {{"message", error}});
    const float row_height = std::max(TextLineHeight(TextRole::heading), TextLineHeight(TextRole::body)) * 1.3f;
    const float buttons = TouchMinimum() * 3.0f + gap * 2.0f * 0.6f;
    const float height = CardPadding().y * 2.0f + TextBlockHeight(t.tr("staff.menu.title"), TextRole::title, inner) +
                         gap + (stats ? row_height * 3.0f : TextBlockHeight(problem, TextRole::error, inner)) +
                         gap * 1.5f + buttons;
    const Card card = OverlayCard(ImVec2(width, height), ctx.lowered);
    const float x0 = card.inner_min.x;
    float y = card.inner_min.y;
    y += TextBlock(t.tr("staff.menu.title"), TextRole::title, ImVec2(x0, y), inner) + gap;
    if (stats) {
      const float value_width = inner * 0.4f;
      for (const auto& [label, value] : rows) {
        // Both centred on the row, so label and value share a line.
        TextBlock(label, TextRole::muted,
                  ImVec2(x0, std::round(y + (row_height - TextLineHeight(TextRole::muted)) * 0.5f)),
                  inner - value_width);
        TextBlock(
            value, TextRole::heading,
            ImVec2(x0 + inner - value_width, std::round(y + (row_height - TextLineHeight(TextRole::heading)) * 0.5f)),
            value_width, 1.0f);
        y += row_height;
      }
    } else {
      y += TextBlock(problem, TextRole::error, ImVec2(x0, y), inner);
    }
    y += gap * 1.5f;

    const struct {
      const char* key;
      const char* id;
      ButtonStyle style;
      KioskIntent (*make)();
    } kButtons[] = {
        {"staff.menu.switch_staff", "##staff.switch", ButtonStyle::secondary, &intent::staff_switch_mode},
        {"staff.menu.exit", "##staff.exit", ButtonStyle::secondary, &intent::staff_exit},
        {"staff.menu.back", "##staff.back", ButtonStyle::primary, &intent::staff_close},
    };
    for (const auto& button : kButtons) {
      ImGui::SetCursorScreenPos(ImVec2(x0, y));
      if (TouchButton((std::string(t.tr(button.key)) + button.id).c_str(), ImVec2(inner, TouchMinimum()), button.style))
        out.push_back(button.make());
      y += TouchMinimum() + gap * 0.6f;
    }
  }
  EndOverlay();
}

}  // namespace heed::ui
