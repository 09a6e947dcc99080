// The welcome screen. Layout: the touchpoint and the invitation at the top, Start
// in the middle (lowered layout: just above the choices), and a panel at the bottom
// with the language buttons and the accessibility toggles, within reach of a
// seated person in every layout.
#include "heed/ui/welcome_screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {
namespace {

struct Toggle {
  const char* key;
  bool KioskPreferences::*field;
  const char* id;
};
constexpr std::array<Toggle, 3> kToggles{{
    {"kiosk.access.high_contrast", &KioskPreferences::high_contrast, "##access.contrast"},
    {"kiosk.access.large_text", &KioskPreferences::large_text, "##access.large"},
    {"kiosk.access.lowered", &KioskPreferences::lowered, "##access.lowered"},
}};

}  // namespace

void WelcomeScreen::Draw(const Inputs& in, KioskIntents& out) {
  const KioskContext& ctx = in.ctx;
  const Catalog& t = ctx.text;
  const Palette& p = palette();
  if (BeginKioskScreen("##kiosk")) {
    ImGui::PushID("welcome");
    const Page page = CurrentPage();
    const float gap = Gap();
    const float small = std::round(px(14.0f));

    // ---- The choices panel, from the bottom up ----
    const ImVec2 panel_pad(std::round(px(40.0f)), std::round(px(30.0f)));
    const float max_inner = page.width() - panel_pad.x * 2.0f;
    std::array<std::string, 3> toggle_labels;
    for (std::size_t i = 0; i < kToggles.size(); ++i)
      toggle_labels[i] = std::string(t.tr(kToggles[i].key)) + kToggles[i].id;
    // Toggles share a row; when their labels do not fit, they share it equally and wrap.
    float toggles_width = small * 2.0f;
    for (const auto& label : toggle_labels) toggles_width += TouchToggleSize(label.c_str()).x;
    const bool equal = toggles_width > max_inner;
    const float equal_width = std::floor((max_inner - small * 2.0f) / 3.0f);
    // The panel is as wide as its widest row, centred.
    const auto language_width = [&](const Language& language) {
      return std::max(std::round(px(250.0f)),
                      ImGui::CalcTextSize(language.name.c_str()).x + ImGui::GetStyle().FramePadding.x * 2.0f);
    };
    float languages_width = 0;
    for (const auto& language : in.languages) languages_width += language_width(language) + small;
    const float inner_width = std::min(max_inner, std::max({equal ? max_inner : toggles_width, languages_width - small,
                                                            TextSize(t.tr("kiosk.welcome.access")).x}));
    float toggle_height = 0;
    for (const auto& label : toggle_labels)
      toggle_height = std::max(toggle_height, TouchToggleSize(label.c_str(), equal ? equal_width : 0.0f).y);
    const float label_height = TextLineHeight(TextRole::muted);
    const float row_height = TouchMinimum();
    const float panel_height =
        panel_pad.y * 2.0f + label_height + small + row_height + gap + label_height + small + toggle_height;
    const float panel_top = page.max.y - panel_height;

    // ---- The top: touchpoint, invitation ----
    float y = page.min.y;
    if (!in.touchpoint_name.empty())
      y += TextBlock(in.touchpoint_name, TextRole::muted, ImVec2(page.min.x, y), page.width());
    y += ctx.lowered ? gap : std::round(px(60.0f));
    y += TextBlock(t.tr("kiosk.welcome.title"), TextRole::display, ImVec2(page.min.x, y), page.width(), 0.5f);
    y += gap * 0.75f;
    const float subtitle_width = std::min(page.width(), std::round(px(1320.0f)));
    y += TextBlock(t.tr("kiosk.welcome.subtitle"), TextRole::body,
                   ImVec2(page.min.x + (page.width() - subtitle_width) * 0.5f, y), subtitle_width, 0.5f);

    // ---- Start ----
    ImGui::PushFont(FontFor(TextRole::title));
    const char* start = t.tr("kiosk.welcome.start");
    const ImVec2 start_size(std::max(std::round(px(560.0f)), ImGui::CalcTextSize(start).x + px(120.0f)),
                            std::round(px(140.0f)));
    const float start_top = PlaceBlock(ctx, y + gap, panel_top - gap * 1.5f, start_size.y);
    ImGui::SetCursorScreenPos(ImVec2(std::round(page.min.x + (page.width() - start_size.x) * 0.5f), start_top));
    if (TouchButton((std::string(start) + "##start").c_str(), start_size, ButtonStyle::primary))
      out.push_back(intent::start());
    ImGui::PopFont();

    // ---- The panel ----
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float panel_width = inner_width + panel_pad.x * 2.0f;
    const ImVec2 panel_min(std::round(page.min.x + (page.width() - panel_width) * 0.5f), panel_top);
    const ImVec2 panel_max(panel_min.x + panel_width, page.max.y);
    draw->AddRectFilled(panel_min, panel_max, ImGui::GetColorU32(p.surface), px(22.0f));
    if (p.border_px > 0.0f)
      draw->AddRect(panel_min, panel_max, ImGui::GetColorU32(p.border), px(22.0f), 0, std::max(px(p.border_px), 1.0f));
    const float x0 = panel_min.x + panel_pad.x;
    y = panel_top + panel_pad.y;

    y += TextBlock(t.tr("kiosk.welcome.language"), TextRole::muted, ImVec2(x0, y), inner_width);
    y += small;
    float x = x0;
    for (const auto& language : in.languages) {
      const bool chosen = language.code == ctx.flow.language();
      const std::string label = language.name + "##lang." + language.code;
      const float width = language_width(language);
      ImGui::SetCursorScreenPos(ImVec2(x, y));
      if (TouchButton(label.c_str(), ImVec2(width, row_height), chosen ? ButtonStyle::primary : ButtonStyle::secondary))
        out.push_back(intent::choose_language(language.code));
      x += width + small;
    }
    y += row_height + gap;

    y += TextBlock(t.tr("kiosk.welcome.access"), TextRole::muted, ImVec2(x0, y), inner_width);
    y += small;
    x = x0;
    for (std::size_t i = 0; i < kToggles.size(); ++i) {
      bool value = ctx.flow.preferences().*kToggles[i].field;
      const float width = equal ? equal_width : TouchToggleSize(toggle_labels[i].c_str()).x;
      ImGui::SetCursorScreenPos(ImVec2(x, y));
      if (TouchToggle(toggle_labels[i].c_str(), &value, ImVec2(width, toggle_height))) {
        KioskPreferences preferences = ctx.flow.preferences();
        preferences.*kToggles[i].field = value;
        out.push_back(intent::set_preferences(preferences));
      }
      x += width + small;
    }
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
