// The kiosk screens' shared layout: page, header, nav bar, block placement, overlays.
#include "heed/ui/kiosk_layout.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <imgui_internal.h>

#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

bool BeginKioskScreen(const char* id) { return BeginScreen(id); }
void EndKioskScreen() { EndScreen(); }

Page CurrentPage() {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImVec2 pad = ImGui::GetStyle().WindowPadding;
  Page page;
  page.min = ImVec2(viewport->Pos.x + pad.x, viewport->Pos.y + pad.y);
  page.max = ImVec2(viewport->Pos.x + viewport->Size.x - pad.x, viewport->Pos.y + viewport->Size.y - pad.y);
  page.lower_top = viewport->Pos.y + std::ceil(viewport->Size.y * kLoweredFrom);
  return page;
}

float Gap() { return std::round(px(28.0f)); }

float QuestionHeader(const KioskContext& ctx, const Page& page, std::string_view wording) {
  const Palette& p = palette();
  const auto number = ctx.flow.question_number();
  const auto count = ctx.flow.question_count();
  float y = page.min.y;
  const std::string progress =
      ctx.text.format("kiosk.progress", {{"n", std::to_string(number)}, {"count", std::to_string(count)}});
  y += TextBlock(progress, TextRole::muted, ImVec2(page.min.x, y), page.width());
  y += std::round(px(12.0f));

  // One segment a question, filled up to this one: how far there is to go.
  if (count > 0) {
    const float gap = std::round(px(8.0f));
    const float height = std::round(px(10.0f));
    const float segment = std::round(px(72.0f));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < count; ++i) {
      const float x = page.min.x + static_cast<float>(i) * (segment + gap);
      const bool done = i < number;
      const ImVec4& fill = done ? p.primary : (look().theme == Theme::high_contrast ? p.secondary_pressed : p.border);
      draw->AddRectFilled(ImVec2(x, y), ImVec2(x + segment, y + height), ImGui::GetColorU32(fill), height * 0.5f);
    }
    y += height;
  }
  y += std::round(px(30.0f));
  y += TextBlock(wording, TextRole::title, ImVec2(page.min.x, y), std::min(page.width(), px(1600.0f)));
  return y;
}

float NavHeight() { return std::max(TouchMinimum(), std::round(px(100.0f))); }
float NavTop(const Page& page) { return page.max.y - NavHeight(); }

namespace {
float button_width(const char* label) {
  const float fit = ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
  return std::max(std::round(px(300.0f)), std::ceil(fit));
}
}  // namespace

void NavBar(const KioskContext& ctx, const Page& page, const NavSpec& spec, KioskIntents& out) {
  const float top = NavTop(page);
  const float height = NavHeight();
  const float gap = Gap();
  if (spec.back) {
    const char* label = ctx.text.tr("kiosk.back");
    ImGui::SetCursorScreenPos(ImVec2(page.min.x, top));
    if (TouchButton(label, ImVec2(button_width(label), height), ButtonStyle::secondary)) out.push_back(intent::back());
  }
  float right = page.max.x;
  if (spec.next) {
    const bool last = ctx.flow.question_number() == ctx.flow.question_count();
    const char* label = ctx.text.tr(last ? "kiosk.send" : "kiosk.next");
    const float width = button_width(label);
    right -= width;
    ImGui::SetCursorScreenPos(ImVec2(right, top));
    if (TouchButton(label, ImVec2(width, height), ButtonStyle::primary)) out.push_back(intent::next());
    right -= gap;
  }
  if (spec.skip) {
    const char* label = ctx.text.tr("kiosk.skip");
    const float width = button_width(label);
    right -= width;
    ImGui::SetCursorScreenPos(ImVec2(right, top));
    if (TouchButton(label, ImVec2(width, height), ButtonStyle::secondary)) out.push_back(intent::skip());
  }
}

float PlaceBlock(const KioskContext& ctx, float top, float bottom, float height) {
  if (ctx.lowered) return std::max(top, bottom - height);
  return std::round(top + std::max(0.0f, (bottom - top - height) * 0.5f));
}

float SaveErrorLine(const KioskContext& ctx, const Page& page, float bottom) {
  if (ctx.flow.save_error().empty()) return 0.0f;
  const char* text = ctx.text.tr("error.save_failed");
  const float height = TextBlockHeight(text, TextRole::error, page.width());
  TextBlock(text, TextRole::error, ImVec2(page.min.x, bottom - height), page.width());
  return height + Gap() * 0.5f;
}

bool BeginOverlay(const char* id) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.0f, 0.0f, 0.0f, 0.6f));
  const bool open = ImGui::Begin(id, nullptr,
                                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleColor();
  // Above the screen and anything drawn before it, every frame: a window made
  // earlier in the run would otherwise keep its old place in the stack.
  ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
  return open;
}

void EndOverlay() { ImGui::End(); }

Card OverlayCard(ImVec2 size, bool lowered) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImVec2 pad = ImGui::GetStyle().WindowPadding;
  size.x = std::min(size.x, viewport->Size.x - pad.x * 2.0f);
  size.y = std::min(size.y, viewport->Size.y - pad.y * 2.0f);
  Card card;
  card.min.x = std::round(viewport->Pos.x + (viewport->Size.x - size.x) * 0.5f);
  card.min.y = std::round(lowered ? viewport->Pos.y + viewport->Size.y - pad.y - size.y
                                  : viewport->Pos.y + (viewport->Size.y - size.y) * 0.5f);
  card.max = ImVec2(card.min.x + size.x, card.min.y + size.y);
  const ImVec2 inner = CardPadding();
  card.inner_min = ImVec2(card.min.x + inner.x, card.min.y + inner.y);
  card.inner_max = ImVec2(card.max.x - inner.x, card.max.y - inner.y);

  const Palette& p = palette();
  const float rounding = px(28.0f);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(card.min, card.max, ImGui::GetColorU32(p.surface), rounding);
  if (p.border_px > 0.0f)
    draw->AddRect(card.min, card.max, ImGui::GetColorU32(p.border), rounding, 0, std::max(px(p.border_px), 1.0f));
  return card;
}

}  // namespace heed::ui
