// The complaint form's steps, each a function of ComplaintForm's state:
//   hear      category, severity and the customer's own words; then (second
//             page) the channel and the touchpoint; then (third) what was
//             bought, with the Consumer Rights Act hint
//   empathise their words read back, their state and the outcome they want
//   act       what was offered, goodwill (a manager's approval over the limit)
//             beside the Consumer Rights Act hint
//   resolve   resolved at first contact, and did the customer accept (not
//             accepted: escalated next, and the page says so)
//   escalate  the customer's history, the target and the rationale
//   contact   contact details (and a postal address) only with the customer's
//             consent; then (second page) adjustments and contact preferences,
//             kept only with their own explicit tick
//   review    the record, beside the Consumer Rights Act result and the
//             adjustments, then Save
// Every step has the top bar (the signed-in person, Lock), a good-practice
// prompt, and Back (not on the first page) / Discard this complaint / Continue
// with the step's problems above them after a refused Continue.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <imgui.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_app.hpp"
#include "heed/ui/staff_parts.hpp"
#include "heed/ui/widgets.hpp"
#include "heed/validation.hpp"

namespace heed::ui {
namespace {

template <class E>
std::vector<std::string> labels_of(const Catalog& t, std::string_view group) {
  std::vector<std::string> out;
  for (const E value : enum_values<E>()) out.push_back(EnumLabel(t, group, value));
  return out;
}

template <class E>
int index_of(E value) {
  return static_cast<int>(value);
}

// The channels staff record a complaint from: the kiosk is the customer's own.
constexpr std::array<Channel, 5> kStaffChannels{Channel::face_to_face, Channel::phone, Channel::email, Channel::letter,
                                                Channel::social};

// A labelled grid of one enumeration's values, choosing `choice`; returns its height.
template <class E>
float EnumGrid(const StaffFrame& f, const char* label_key, std::string_view group, StaffChoice choice,
               const std::optional<E>& current, ImVec2 at, float width, int columns) {
  float height = FieldLabel(f.t.tr(label_key), at, width);
  const int tapped = ChoiceGrid(
      std::string(group).c_str(), labels_of<E>(f.t, group), [&](int i) { return current && index_of(*current) == i; },
      ImVec2(at.x, at.y + height), width, columns, &height);
  if (tapped >= 0) f.out.push_back(staff_intent::choose(choice, tapped));
  return height;
}

// A yes / no pair for a flag; returns its height.
float YesNo(const StaffFrame& f, const char* label_key, const char* id, StaffChoice choice,
            const std::optional<bool>& current, ImVec2 at, float width) {
  float height = FieldLabel(f.t.tr(label_key), at, width);
  const std::vector<std::string> labels{f.t.tr("staff.yes"), f.t.tr("staff.no")};
  const int tapped = ChoiceGrid(
      id, labels, [&](int i) { return current && *current == (i == 0); }, ImVec2(at.x, at.y + height),
      std::min(width, std::round(px(640.0f))), 2, &height);
  if (tapped >= 0) f.out.push_back(staff_intent::set(choice, tapped == 0));
  return height;
}

float Toggle(const StaffFrame& f, const char* label_key, const char* id, StaffChoice choice, bool value, ImVec2 at,
             float width) {
  const std::string label = std::string(f.t.tr(label_key)) + "##" + id;
  const ImVec2 size = TouchToggleSize(label.c_str(), width);
  ImGui::SetCursorScreenPos(at);
  if (TouchToggle(label.c_str(), &value, size)) f.out.push_back(staff_intent::set(choice, value));
  return std::max(size.y, TouchMinimum());
}

// The Consumer Rights Act card: the remedy, how long ago, a warning when the
// offer is less. Where `max_height` is short (larger text on a small display)
// the presumption line, then the days line, then the title give way; the remedy
// and the warning always show. `judge_offer`: warn when the offer falls short (only once
// staff are choosing what to offer).
float CraCard(const StaffFrame& f, const ComplaintForm& form, ImVec2 at, float width, float max_height,
              bool judge_offer) {
  const Catalog& t = f.t;
  const auto hint = form.consumer_rights();
  std::string days, remedy, burden, warning;
  if (!hint) {
    remedy = t.tr(form.data().has_purchase ? "staff.cra.not_applicable" : "staff.cra.no_purchase");
  } else {
    days = t.format("staff.cra.days", {{"days", std::to_string(hint->days_since_purchase)}});
    remedy = t.tr(std::string(hint->explanation_key));
    if (hint->burden_on_trader) burden = t.tr("staff.cra.burden");
    if (judge_offer && hint->offer_falls_short) {
      std::string offers;
      for (const Offer o : hint->would_satisfy) offers += (offers.empty() ? "" : ", ") + EnumLabel(t, "offer", o);
      warning = t.format("staff.cra.falls_short", {{"offers", offers}});
    }
  }
  const Palette& p = palette();
  const ImVec2 pad(std::round(px(24.0f)), std::round(px(18.0f)));
  const float inner = width - pad.x * 2.0f;
  const char* title = t.tr("staff.cra.title");
  const auto join = [](const std::string& a, const std::string& b) {
    return a.empty() ? b : b.empty() ? a : a + "\n" + b;
  };
  bool titled = true;
  const auto measure = [&](const std::string& body) {
    float h = pad.y * 2.0f + TextBlockHeight(body, TextRole::body, inner);
    if (titled) h += TextBlockHeight(title, TextRole::heading, inner) + px(8.0f);
    if (!warning.empty()) h += px(12.0f) + TextBlockHeight(warning, TextRole::error, inner);
    return h;
  };
  std::string text = join(join(days, remedy), burden);
  if (measure(text) > max_height) text = join(days, remedy);
  if (measure(text) > max_height) text = remedy;
  if (measure(text) > max_height) titled = false;
  const float height = measure(text);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(p.surface), px(16.0f));
  draw->AddRect(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(warning.empty() ? p.border : p.error),
                px(16.0f), 0, std::max(px(warning.empty() ? p.border_px : 4.0f), 1.0f));
  float y = at.y + pad.y;
  if (titled) y += TextBlock(title, TextRole::heading, ImVec2(at.x + pad.x, y), inner) + px(8.0f);
  y += TextBlock(text, TextRole::body, ImVec2(at.x + pad.x, y), inner);
  if (!warning.empty()) TextBlock(warning, TextRole::error, ImVec2(at.x + pad.x, y + px(12.0f)), inner);
  return height;
}

// The adjustments and contact preferences as they will be saved, in a card;
// returns its height. Where `max_height` is short, the lines join into one
// paragraph, then only the values, then the title gives way.
float AdjustmentsCard(const StaffFrame& f, const ComplaintForm& form, ImVec2 at, float width, float max_height) {
  const Catalog& t = f.t;
  const auto& d = form.data();
  std::vector<std::string> lines, values;  // "Best time: after 5pm", and "after 5pm"
  const auto line = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    lines.push_back(t.format(key, {{"value", value}}));
    values.push_back(value);
  };
  if (d.has_adjustments() && d.adjustments_consent) {
    line("staff.review.adj_channel", d.contact_channel ? EnumLabel(t, "contact_channel", *d.contact_channel) : "");
    line("staff.review.adj_time", d.best_time);
    line("staff.review.adj_language",
         d.preferred_language.empty() ? "" : std::string(f.app.catalog(d.preferred_language).tr("language.name")));
    std::string formats;
    for (const AdjustmentFormat x : d.formats) formats += (formats.empty() ? "" : ", ") + EnumLabel(t, "format", x);
    line("staff.review.adj_formats", formats);
    line("staff.review.adj_note", d.adjustment_note);
  } else {
    lines.push_back(t.tr("staff.review.adj_none"));
    values = lines;
  }
  const auto joined = [](const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
    return out;
  };
  const Palette& p = palette();
  const ImVec2 pad(std::round(px(24.0f)), std::round(px(18.0f)));
  const float inner = width - pad.x * 2.0f;
  const char* title = t.tr("staff.step.adjustments");
  bool titled = true;
  const auto measure = [&](const std::string& body) {
    float h = pad.y * 2.0f + TextBlockHeight(body, TextRole::body, inner);
    if (titled) h += TextBlockHeight(title, TextRole::heading, inner) + px(8.0f);
    return h;
  };
  std::string text = joined(lines, "\n");
  if (measure(text) > max_height) text = joined(lines, " · ");
  if (measure(text) > max_height) text = joined(values, " · ");
  if (measure(text) > max_height) titled = false;
  const float height = measure(text);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(p.surface), px(16.0f));
  draw->AddRect(at, ImVec2(at.x + width, at.y + height), ImGui::GetColorU32(p.border), px(16.0f), 0,
                std::max(px(p.border_px), 1.0f));
  float y = at.y + pad.y;
  if (titled) y += TextBlock(title, TextRole::heading, ImVec2(at.x + pad.x, y), inner) + px(8.0f);
  TextBlock(text, TextRole::body, ImVec2(at.x + pad.x, y), inner);
  return height;
}

struct Layout {
  Page page;
  float top = 0;     // below the prompt
  float bottom = 0;  // above the errors and the nav bar
  float gap = 0;
};

// Money as typed, shown as pounds and pence ("£12.50") in every language: the
// currency is sterling wherever the tablet is read. Unreadable text as typed.
std::string Money(const std::string& typed) {
  const auto pence = parse_pence(typed);
  return pence ? format_pence(*pence) : typed;
}

// The review's lines: what will be saved, in words. `compact`: short facts
// share a line (" · "), for larger text on a small display.
std::string ReviewText(const Catalog& t, const StaffApp& app, const ComplaintForm& form, bool compact) {
  const auto& d = form.data();
  std::string s;
  // Facts that may share a line end it only when not compact.
  const auto fact = [&](const char* key, const std::string& value, bool ends) {
    s += std::string(t.tr(key)) + ": " + (value.empty() ? "—" : value) + (ends || !compact ? "\n" : " · ");
  };
  const auto line = [&](const char* key, const std::string& value) { fact(key, value, true); };
  fact("staff.review.category", d.category ? EnumLabel(t, "category", *d.category) : "", false);
  fact("staff.review.severity", d.severity ? EnumLabel(t, "severity", *d.severity) : "", false);
  fact("staff.review.channel", EnumLabel(t, "channel", d.channel), false);
  line("staff.review.touchpoint", d.touchpoint.empty() ? "" : std::string(t.tr("touchpoint." + d.touchpoint)));
  line("staff.field.description", d.description);
  if (d.has_purchase)
    line("staff.review.purchase", EnumLabel(t, "purchase", d.purchase_kind) + ", " + d.purchase_date + ", " +
                                      Money(d.purchase_amount) + (d.order_ref.empty() ? "" : ", " + d.order_ref));
  fact("staff.review.mood", d.mood ? EnumLabel(t, "mood", *d.mood) : "", false);
  line("staff.review.outcome", d.desired_outcome ? EnumLabel(t, "outcome", *d.desired_outcome) : "");
  std::string offers;
  for (const Offer o : d.offered) offers += (offers.empty() ? "" : ", ") + EnumLabel(t, "offer", o);
  fact("staff.review.offered", offers, d.goodwill.empty());
  if (!d.goodwill.empty())
    line("staff.field.goodwill",
         Money(d.goodwill) +
             (d.approved_by
                  ? " (" + t.format("staff.review.approved_by", {{"name", app.staff_name(*d.approved_by)}}) + ")"
                  : ""));
  if (d.resolved_and_accepted())
    line("staff.review.resolved",
         std::string(t.tr("staff.yes")) + ", " +
             t.tr(d.customer_accepted == true ? "staff.review.accepted" : "staff.review.not_accepted"));
  else if (d.escalating())
    line("staff.review.escalated",
         (d.customer_accepted == false ? std::string(t.tr("staff.review.not_accepted")) + "; " : std::string()) +
             (d.escalation_target ? EnumLabel(t, "target", *d.escalation_target) : std::string()) + ": " + d.rationale);
  if (d.consent) {
    std::string who;
    for (const std::string* part : {&d.name, &d.email, &d.phone, &d.address})
      if (!part->empty()) who += (who.empty() ? "" : ", ") + *part;
    line("staff.review.contact", who);
  } else {
    line("staff.review.contact", t.tr("staff.review.no_consent"));
  }
  if (!s.empty()) s.pop_back();
  return s;
}

}  // namespace

void DrawFormStep(const StaffFrame& f) {
  const ComplaintForm* form = f.app.form();
  if (form == nullptr) return;
  const Catalog& t = f.t;
  const auto& d = form->data();
  const StaffView view = f.app.StepView();  // under any overlay
  const std::string step = std::string(complaint_step_name(form->step()));
  const std::string page_key = view == StaffView::purchase      ? "purchase"
                               : view == StaffView::where       ? "where"
                               : view == StaffView::adjustments ? "adjustments"
                                                                : step;
  if (BeginKioskScreen("##staff")) {
    ImGui::PushID(page_key.c_str());
    Layout l;
    l.page = CurrentPage();
    l.gap = Gap();
    const Page& page = l.page;
    // "Step 2 of 7 · Empathise": escalate counts only when it is on the way.
    const int total = d.escalating() ? 7 : 6;
    int number = static_cast<int>(form->step()) + 1;
    if (form->step() > ComplaintStep::escalate && !d.escalating()) --number;
    const std::string title = t.format(
        "staff.step",
        {{"n", std::to_string(number)}, {"count", std::to_string(total)}, {"name", t.tr("staff.step." + page_key)}});
    float y = StaffTopBar(f, page.min, page.width(), title) + l.gap * 0.75f;
    if (f.app.resumed_draft() && form->step() == ComplaintStep::hear && view == StaffView::hear)
      y += TextBlock(t.tr("staff.resumed"), TextRole::heading, ImVec2(page.min.x, y), page.width()) + l.gap * 0.5f;
    const float nav_top = page.max.y - StaffNavHeight();
    // The review gives its prompt's room to the record where even the record's
    // short form needs it (larger text on a small display).
    const std::string prompt = t.tr("staff.prompt." + page_key);
    const float prompt_height = TextBlockHeight(prompt, TextRole::body, page.width() - std::round(px(28.0f)) * 2.0f) +
                                std::round(px(16.0f)) * 2.0f;
    const float column = std::floor((page.width() - l.gap * 2.0f) * 0.5f);
    const bool prompt_shown =
        view != StaffView::review || TextBlockHeight(ReviewText(t, f.app, *form, true), TextRole::body, column) <=
                                         nav_top - l.gap - y - prompt_height - l.gap;
    if (prompt_shown) y += PromptCard(prompt, ImVec2(page.min.x, y), page.width()) + l.gap;
    l.top = y;
    std::string problems_text;
    const auto errors = f.app.page_errors();
    FieldErrors shown = errors;
    if (!f.app.save_error().empty())
      shown.push_back({"save", "save_failed", t.format("staff.save_failed", {{"reason", f.app.save_error()}})});
    const float errors_height = ErrorLines(f, shown, page.min.x, nav_top - l.gap * 0.5f, page.width());
    l.bottom = nav_top - l.gap - (errors_height > 0 ? errors_height + l.gap * 0.5f : 0.0f);

    const float half = std::floor((page.width() - l.gap * 2.0f) * 0.5f);
    const float right_x = page.min.x + half + l.gap * 2.0f;
    const char* next_label = t.tr("staff.next");
    switch (view) {
      case StaffView::hear: {
        float left = l.top;
        left += EnumGrid<Severity>(f, "staff.label.severity", "severity", StaffChoice::severity, d.severity,
                                   ImVec2(page.min.x, left), half, 3) +
                l.gap * 0.6f;
        const float field =
            std::max(TouchMinimum(), l.bottom - left - FieldLabelHeight(t.tr("staff.field.description"), half));
        LabelledField(f, t.tr("staff.field.description"), StaffField::description, ImVec2(page.min.x, left), half,
                      field, t.tr("staff.placeholder.description"));
        EnumGrid<Category>(f, "staff.label.category", "category", StaffChoice::category, d.category,
                           ImVec2(right_x, l.top), half, 2);
        break;
      }
      case StaffView::where: {
        // The channels staff record complaints from (the kiosk is the customer's own).
        std::vector<std::string> channels;
        for (const Channel c : kStaffChannels) channels.push_back(EnumLabel(t, "channel", c));
        const float label = FieldLabel(t.tr("staff.label.channel"), ImVec2(page.min.x, l.top), half);
        const int channel = ChoiceGrid(
            "channel", channels, [&](int i) { return d.channel == kStaffChannels[static_cast<std::size_t>(i)]; },
            ImVec2(page.min.x, l.top + label), half, 2, nullptr);
        if (channel >= 0)
          f.out.push_back(
              staff_intent::choose(StaffChoice::channel, index_of(kStaffChannels[static_cast<std::size_t>(channel)])));
        const auto& codes = f.app.options().form.touchpoints;
        std::vector<std::string> places;
        for (const auto& code : codes) places.push_back(t.tr("touchpoint." + code));
        const float place_label = FieldLabel(t.tr("staff.label.touchpoint"), ImVec2(right_x, l.top), half);
        const int columns = place_label + ChoiceGridHeight(places.size(), 2) > l.bottom - l.top ? 3 : 2;
        const int place = ChoiceGrid(
            "touchpoint", places, [&](int i) { return d.touchpoint == codes[static_cast<std::size_t>(i)]; },
            ImVec2(right_x, l.top + place_label), half, columns, nullptr);
        if (place >= 0) f.out.push_back(staff_intent::choose(StaffChoice::touchpoint, place));
        break;
      }
      case StaffView::purchase: {
        float left = l.top;
        // Faulty goods are always something bought: the tick stays, and says why.
        const bool bought = d.category == Category::faulty_goods;
        if (bought) ImGui::BeginDisabled();
        left += Toggle(f, "staff.label.has_purchase", "has_purchase", StaffChoice::has_purchase, d.has_purchase,
                       ImVec2(page.min.x, left), half);
        if (bought) {
          ImGui::EndDisabled();
          left += l.gap * 0.25f + TextBlock(t.tr("staff.label.faulty_bought"), TextRole::muted,
                                            ImVec2(page.min.x, left + l.gap * 0.25f), half);
        }
        left += l.gap;
        float right = l.top;
        if (d.has_purchase) {
          left +=
              EnumGrid<PurchaseKind>(f, "staff.label.purchase_kind", "purchase", StaffChoice::purchase_kind,
                                     std::optional<PurchaseKind>(d.purchase_kind), ImVec2(page.min.x, left), half, 3) +
              l.gap;
          const float w = std::floor((half - l.gap) * 0.5f);
          LabelledField(f, t.tr("staff.field.purchase_date"), StaffField::purchase_date, ImVec2(page.min.x, left), w, 0,
                        t.tr("staff.placeholder.date"));
          LabelledField(f, t.tr("staff.field.purchase_amount"), StaffField::purchase_amount,
                        ImVec2(page.min.x + w + l.gap, left), w, 0, "£0.00");
          right +=
              LabelledField(f, t.tr("staff.field.order_ref"), StaffField::order_ref, ImVec2(right_x, right), half) +
              l.gap;
        }
        CraCard(f, *form, ImVec2(right_x, right), half, l.bottom - right, false);
        break;
      }
      case StaffView::empathise: {
        float y2 = l.top;
        const std::string words =
            d.description.empty() ? std::string("—") : t.format("staff.quote", {{"text", d.description}});
        y2 += FieldLabel(t.tr("staff.label.their_words"), ImVec2(page.min.x, y2), page.width());
        y2 += TextBlock(words, TextRole::body, ImVec2(page.min.x, y2), page.width()) + l.gap;
        y2 += EnumGrid<CustomerMood>(f, "staff.label.mood", "mood", StaffChoice::mood, d.mood, ImVec2(page.min.x, y2),
                                     page.width(), 5) +
              l.gap;
        EnumGrid<DesiredOutcome>(f, "staff.label.outcome", "outcome", StaffChoice::outcome, d.desired_outcome,
                                 ImVec2(page.min.x, y2), page.width(), 4);
        break;
      }
      case StaffView::act: {
        float left = l.top;
        // The offers in two columns, or three (fewer rows) when two would push the
        // goodwill amount into the nav bar (larger text on a small display).
        const auto offers = labels_of<Offer>(t, "offer");
        const float below_offers =
            l.gap * 0.75f + FieldLabelHeight(t.tr("staff.field.goodwill"), half) + TouchMinimum();
        const int offer_columns =
            FieldLabelHeight(t.tr("staff.label.offered"), half) + ChoiceGridHeight(offers.size(), 2) + below_offers >
                    l.bottom - l.top
                ? 3
                : 2;
        left += FieldLabel(t.tr("staff.label.offered"), ImVec2(page.min.x, left), half);
        const int tapped = ChoiceGrid(
            "offer", offers,
            [&](int i) {
              return std::find(d.offered.begin(), d.offered.end(), enum_values<Offer>()[static_cast<std::size_t>(i)]) !=
                     d.offered.end();
            },
            ImVec2(page.min.x, left), half, offer_columns, &left);
        if (tapped >= 0) f.out.push_back(staff_intent::choose(StaffChoice::offer, tapped));
        left += l.gap * 0.75f;
        const float amount_width = std::round(half * 0.32f);
        const float field_y = left + FieldLabelHeight(t.tr("staff.field.goodwill"), half);
        left += LabelledField(f, t.tr("staff.field.goodwill"), StaffField::goodwill, ImVec2(page.min.x, left),
                              amount_width, 0, "£0.00", half);
        const float beside = page.min.x + amount_width + l.gap;
        const float beside_width = half - amount_width - l.gap;
        // Beside the amount when its words (or the shorter "Manager approval") fit
        // there, else under it when there is room above the nav bar, else at the
        // top of the right-hand column.
        const auto fits_beside = [&](const char* words) {
          return TextSize(words).x + ImGui::GetStyle().FramePadding.x * 2.0f <= beside_width;
        };
        const char* ask = t.tr("staff.approval.open");
        if (!fits_beside(ask) && fits_beside(t.tr("staff.approval.title"))) ask = t.tr("staff.approval.title");
        bool ask_on_right = false;
        if (form->needs_manager_approval()) {
          const bool fits = fits_beside(ask);
          ask_on_right = !fits && left + l.gap * 0.5f + TouchMinimum() > l.bottom;
          if (!ask_on_right) {
            const ImVec2 at = fits ? ImVec2(beside, field_y) : ImVec2(page.min.x, left + l.gap * 0.5f);
            if (!fits) left += l.gap * 0.5f + TouchMinimum();
            ImGui::SetCursorScreenPos(at);
            if (TouchButton((std::string(ask) + "##act.approval").c_str(), ImVec2(fits ? beside_width : half, 0)))
              f.out.push_back(staff_intent::open_approval());
          }
        } else if (d.approved_by) {
          TextBlock(t.format("staff.approval.done", {{"name", f.app.staff_name(*d.approved_by)}}), TextRole::body,
                    ImVec2(beside, field_y), beside_width);
        } else {
          TextBlock(
              t.format("staff.approval.limit", {{"limit", format_pence(f.app.options().form.goodwill_limit_pence)}}),
              TextRole::muted, ImVec2(beside, field_y), beside_width);
        }
        left += l.gap * 0.75f;
        float right = l.top;
        if (ask_on_right) {
          ImGui::SetCursorScreenPos(ImVec2(right_x, right));
          if (TouchButton((std::string(ask) + "##act.approval").c_str(), ImVec2(half, 0)))
            f.out.push_back(staff_intent::open_approval());
          right += TouchMinimum() + l.gap * 0.75f;
        }
        if (d.has_purchase && d.purchase_kind == PurchaseKind::goods)
          right += Toggle(f, "staff.label.repair_failed", "repair_failed", StaffChoice::repair_failed,
                          d.repair_already_failed, ImVec2(right_x, right), half) +
                   l.gap * 0.75f;
        CraCard(f, *form, ImVec2(right_x, right), half, l.bottom - right, true);
        break;
      }
      case StaffView::resolve: {
        float y2 = l.top;
        y2 += YesNo(f, "staff.label.resolved", "resolved", StaffChoice::resolved, d.resolved_first_contact,
                    ImVec2(page.min.x, y2), page.width()) +
              l.gap;
        if (d.resolved_first_contact == true)
          YesNo(f, "staff.label.accepted", "accepted", StaffChoice::accepted, d.customer_accepted,
                ImVec2(page.min.x, y2), page.width());
        else if (d.resolved_first_contact == false)
          TextBlock(t.tr("staff.resolve.will_escalate"), TextRole::body, ImVec2(page.min.x, y2), page.width());
        if (d.resolved_first_contact == true && d.customer_accepted == false)  // accepted? asked above
          TextBlock(t.tr("staff.resolve.not_accepted"), TextRole::body,
                    ImVec2(page.min.x,
                           y2 + FieldLabelHeight(t.tr("staff.label.accepted"), page.width()) + TouchMinimum() + l.gap),
                    page.width());
        break;
      }
      case StaffView::escalate: {
        // Left: find and open the customer's history. Right: where it goes and why.
        float left = l.top;
        left += TextBlock(t.tr("staff.escalate.find"), TextRole::muted, ImVec2(page.min.x, left), half) + l.gap * 0.5f;
        const float w = std::floor((half - l.gap) * 0.5f);
        LabelledField(f, t.tr("staff.field.email"), StaffField::email, ImVec2(page.min.x, left), w);
        left +=
            LabelledField(f, t.tr("staff.field.phone"), StaffField::phone, ImVec2(page.min.x + w + l.gap, left), w) +
            l.gap * 0.75f;
        ImGui::SetCursorScreenPos(ImVec2(page.min.x, left));
        if (TouchButton((std::string(t.tr("staff.history.open_button")) + "##escalate.history").c_str(),
                        ImVec2(half, 0), d.history_opened ? ButtonStyle::secondary : ButtonStyle::primary))
          f.out.push_back(staff_intent::open_history());
        left += TouchMinimum() + l.gap * 0.5f;
        std::string status = t.tr("staff.history.not_opened");
        if (d.history_opened) {
          const auto& found = f.app.history().found;
          status =
              found
                  ? t.format("staff.history.count",
                             {{"n", std::to_string(found->complaints.size())},
                              {"open", std::to_string(std::count_if(found->complaints.begin(), found->complaints.end(),
                                                                    [](const PastComplaint& c) { return c.open; }))}})
                  : std::string(t.tr("staff.history.opened"));
          if (found && found->source == HistorySource::local_only)
            status += "\n" + std::string(t.tr("staff.history.local_only"));
        }
        TextBlock(status, d.history_opened ? TextRole::body : TextRole::error, ImVec2(page.min.x, left), half);
        float right = l.top;
        right += EnumGrid<EscalationTarget>(f, "staff.label.target", "target", StaffChoice::target, d.escalation_target,
                                            ImVec2(right_x, right), half, 2) +
                 l.gap * 0.75f;
        const std::string counter = t.format(
            "staff.escalate.counter",
            {{"n", std::to_string(utf8_decode(d.rationale).size())}, {"min", std::to_string(kMinRationaleChars)}});
        const float field =
            std::max(TouchMinimum(), l.bottom - right - FieldLabelHeight(t.tr("staff.field.rationale"), half) -
                                         TextLineHeight(TextRole::muted) - l.gap * 0.25f);
        right += LabelledField(f, t.tr("staff.field.rationale"), StaffField::rationale, ImVec2(right_x, right), half,
                               field, t.tr("staff.placeholder.rationale")) +
                 l.gap * 0.25f;
        TextBlock(counter, TextRole::muted, ImVec2(right_x, right), half);
        break;
      }
      case StaffView::contact: {
        float y2 = l.top;
        y2 += Toggle(f, "staff.label.consent", "consent", StaffChoice::consent, d.consent, ImVec2(page.min.x, y2),
                     page.width()) +
              l.gap;
        if (d.consent) {
          const float w = std::floor((page.width() - l.gap * 2.0f) / 3.0f);
          LabelledField(f, t.tr("staff.field.name"), StaffField::name, ImVec2(page.min.x, y2), w);
          LabelledField(f, t.tr("staff.field.email"), StaffField::email, ImVec2(page.min.x + w + l.gap, y2), w);
          y2 += LabelledField(f, t.tr("staff.field.phone"), StaffField::phone,
                              ImVec2(page.min.x + (w + l.gap) * 2.0f, y2), w) +
                l.gap * 0.75f;
          // Room for two lines where there is room; one on a small display in larger text.
          const float label = FieldLabelHeight(t.tr("staff.field.address"), page.width());
          const float field = std::clamp(l.bottom - y2 - label, TouchMinimum(), std::round(px(150.0f)));
          LabelledField(f, t.tr("staff.field.address"), StaffField::address, ImVec2(page.min.x, y2), page.width(),
                        field, t.tr("staff.placeholder.address"));
        } else {
          std::string note = t.tr("staff.contact.no_consent");
          if (!d.email.empty() || !d.phone.empty()) note += "\n" + std::string(t.tr("staff.contact.lookup_not_kept"));
          TextBlock(note, TextRole::muted, ImVec2(page.min.x, y2), page.width());
        }
        break;
      }
      case StaffView::adjustments: {
        // The tick first: nothing here is kept without it. Entries made without
        // it are refused on Continue, and can be cleared in one tap.
        float top = l.top;
        const bool unconsented = d.has_adjustments() && !d.adjustments_consent;
        const char* clear = t.tr("staff.adjustments.clear");
        const float clear_width = std::max(std::round(px(240.0f)), TextSize(clear).x + px(64.0f));
        const float tick_width = unconsented ? page.width() - clear_width - l.gap : page.width();
        const float tick =
            Toggle(f, "staff.label.adjustments_consent", "adjustments_consent", StaffChoice::adjustments_consent,
                   d.adjustments_consent, ImVec2(page.min.x, top), tick_width);
        if (unconsented) {
          ImGui::SetCursorScreenPos(ImVec2(page.max.x - clear_width, top));
          if (TouchButton((std::string(clear) + "##adjustments.clear").c_str(), ImVec2(clear_width, tick),
                          ButtonStyle::secondary))
            f.out.push_back(staff_intent::clear_adjustments());
        }
        top += tick + l.gap * 0.75f;
        float left = top;
        left +=
            EnumGrid<ContactChannel>(f, "staff.label.contact_channel", "contact_channel", StaffChoice::contact_channel,
                                     d.contact_channel, ImVec2(page.min.x, left), half, 3) +
            l.gap * 0.6f;
        left += LabelledField(f, t.tr("staff.field.best_time"), StaffField::best_time, ImVec2(page.min.x, left), half,
                              0, t.tr("staff.placeholder.best_time")) +
                l.gap * 0.6f;
        // The languages this tablet offers, each named in itself.
        std::vector<std::string> names;
        for (const auto& code : f.app.languages()) names.push_back(f.app.catalog(code).tr("language.name"));
        left += FieldLabel(t.tr("staff.label.language"), ImVec2(page.min.x, left), half);
        const int language = ChoiceGrid(
            "language", names,
            [&](int i) { return d.preferred_language == f.app.languages()[static_cast<std::size_t>(i)]; },
            ImVec2(page.min.x, left), half, std::max(1, std::min(3, static_cast<int>(names.size()))), nullptr);
        if (language >= 0) f.out.push_back(staff_intent::choose(StaffChoice::language, language));
        float right = top;
        right += FieldLabel(t.tr("staff.label.formats"), ImVec2(right_x, right), half);
        const int format = ChoiceGrid(
            "format", labels_of<AdjustmentFormat>(t, "format"),
            [&](int i) {
              return std::find(d.formats.begin(), d.formats.end(),
                               enum_values<AdjustmentFormat>()[static_cast<std::size_t>(i)]) != d.formats.end();
            },
            ImVec2(right_x, right), half, 3, &right);
        if (format >= 0) f.out.push_back(staff_intent::choose(StaffChoice::format, format));
        right += l.gap * 0.6f;
        const std::string counter =
            t.format("staff.adjustments.counter", {{"n", std::to_string(utf8_decode(d.adjustment_note).size())},
                                                   {"max", std::to_string(kMaxAdjustmentNoteChars)}});
        const float field =
            std::max(TouchMinimum(), l.bottom - right - FieldLabelHeight(t.tr("staff.field.adjustment_note"), half) -
                                         TextLineHeight(TextRole::muted) - l.gap * 0.25f);
        right += LabelledField(f, t.tr("staff.field.adjustment_note"), StaffField::adjustment_note,
                               ImVec2(right_x, right), half, field, t.tr("staff.placeholder.adjustment_note")) +
                 l.gap * 0.25f;
        TextBlock(counter, TextRole::muted, ImVec2(right_x, right), half);
        break;
      }
      case StaffView::review: {
        // The record on the left; what the Act gives and what the customer needs on the right.
        // Where the record is too long for its column (larger text on a small
        // display), short facts share lines; then it takes the page's width and
        // the two cards sit side by side under it.
        const float room = l.bottom - l.top;
        std::string text = ReviewText(t, f.app, *form, false);
        if (TextBlockHeight(text, TextRole::body, half) > room) text = ReviewText(t, f.app, *form, true);
        if (TextBlockHeight(text, TextRole::body, half) <= room) {
          TextBlock(text, TextRole::body, ImVec2(page.min.x, l.top), half);
          float right = l.top;
          right += CraCard(f, *form, ImVec2(right_x, right), half, room * 0.55f, true) + l.gap * 0.75f;
          AdjustmentsCard(f, *form, ImVec2(right_x, right), half, l.bottom - right);
        } else {
          const float below =
              l.top + TextBlock(text, TextRole::body, ImVec2(page.min.x, l.top), page.width()) + l.gap * 0.75f;
          CraCard(f, *form, ImVec2(page.min.x, below), half, l.bottom - below, true);
          AdjustmentsCard(f, *form, ImVec2(right_x, below), half, l.bottom - below);
        }
        next_label = t.tr("staff.save");
        break;
      }
      default:
        break;
    }
    StaffNav(f, page.min, page.max, view != StaffView::hear, next_label, true);
    ImGui::PopID();
  }
  EndKioskScreen();
}

}  // namespace heed::ui
