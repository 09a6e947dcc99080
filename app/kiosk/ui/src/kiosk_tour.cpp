// The tour: scripted intents that reach each kiosk view.
#include "heed/ui/kiosk_tour.hpp"

#include <array>

namespace heed::ui {
namespace {

using namespace std::chrono_literals;

// A sample comment in the customer's language (it shows the keyboard's letters at work).
std::string sample_comment(std::string_view language) {
  if (language == "cy") return "Roedd y staff yn hyfryd, ond roedd y ciw yn hir.";
  if (language == "pl") return "Obsługa była miła, ale kolejka do kasy była długa.";
  return "The staff were lovely, but the queue at the tills was long.";
}

// Taps through the flow until it shows `step` (or cannot go further), rating csat and nps.
void advance_to(KioskApp& app, KioskStep step, KioskApp::TimePoint& now, int csat = 4, int nps = 8) {
  for (int guard = 0; guard < 12 && app.flow().step() != step; ++guard) {
    now += 700ms;  // a customer's pace
    switch (app.flow().step()) {
      case KioskStep::welcome:
        app.Apply(intent::start(), now);
        break;
      case KioskStep::csat:
        app.Apply(intent::rate_csat(csat), now);
        break;
      case KioskStep::nps:
        app.Apply(intent::rate_nps(nps), now);
        break;
      case KioskStep::comment:
      case KioskStep::callback:
        app.Apply(intent::skip(), now);
        break;
      case KioskStep::thanks:
        return;
    }
  }
}

void open_pin_pad(KioskApp& app, KioskApp::TimePoint& now) {
  app.Apply(intent::corner(true), now);
  now += 3500ms;  // longer than any sensible hold_for
  app.Tick(now);
  app.Apply(intent::corner(false), now);
}

}  // namespace

TourVariant standard_variant() { return TourVariant{}; }
TourVariant high_contrast_variant() {
  TourVariant v;
  v.name = "high-contrast";
  v.preferences.high_contrast = true;
  return v;
}
TourVariant large_text_variant() {
  TourVariant v;
  v.name = "large-text";
  v.preferences.large_text = true;
  return v;
}
TourVariant lowered_variant() {
  TourVariant v;
  v.name = "lowered";
  v.preferences.lowered = true;
  return v;
}
TourVariant language_variant(std::string_view code) {
  TourVariant v;
  v.name = std::string(code);
  v.language = std::string(code);
  return v;
}

TourVariant without_keyboard(TourVariant variant) {
  variant.name += "-no-keyboard";
  variant.keyboard = false;
  return variant;
}

TourVariant with_callback(TourVariant variant) {
  variant.name += "-callback";
  variant.callback = true;
  return variant;
}

std::string TourStop::file_stem() const { return std::string(kiosk_view_name(view)) + "-" + variant.name; }

std::vector<TourStop> screenshot_tour() {
  constexpr std::array<KioskView, 10> kAll{
      KioskView::welcome, KioskView::csat,   KioskView::nps,          KioskView::comment, KioskView::callback,
      KioskView::privacy, KioskView::thanks, KioskView::idle_warning, KioskView::pin_pad, KioskView::staff_menu};
  std::vector<TourStop> stops;
  for (const auto& variant : {standard_variant(), high_contrast_variant()})
    for (const auto view : kAll) stops.push_back({view, variant});
  for (const auto view : {KioskView::welcome, KioskView::csat, KioskView::comment, KioskView::callback})
    stops.push_back({view, large_text_variant()});
  for (const auto view : {KioskView::welcome, KioskView::nps, KioskView::comment, KioskView::callback})
    stops.push_back({view, lowered_variant()});
  for (const auto view : {KioskView::welcome, KioskView::csat, KioskView::callback})
    stops.push_back({view, language_variant("cy")});
  for (const auto view : {KioskView::comment, KioskView::nps}) stops.push_back({view, language_variant("pl")});
  for (const auto& variant : {standard_variant(), lowered_variant(), large_text_variant()})
    for (const auto view : {KioskView::comment, KioskView::callback})
      stops.push_back({view, without_keyboard(variant)});
  for (const auto& variant : {standard_variant(), language_variant("cy"), language_variant("pl")})
    stops.push_back({KioskView::thanks, with_callback(variant)});
  return stops;
}

void DriveTo(KioskApp& app, KioskView view, const TourVariant& variant, KioskApp::TimePoint& now,
             std::string_view staff_pin) {
  if (variant.language != app.flow().language()) app.Apply(intent::choose_language(variant.language), now);
  if (!(variant.preferences == app.flow().preferences())) app.Apply(intent::set_preferences(variant.preferences), now);
  switch (view) {
    case KioskView::welcome:
      return;
    case KioskView::csat:
      return advance_to(app, KioskStep::csat, now);
    case KioskView::nps:
      return advance_to(app, KioskStep::nps, now);
    case KioskView::comment:
      advance_to(app, KioskStep::comment, now);
      if (variant.keyboard) app.Apply(intent::focus(TextTarget::comment), now);
      app.Apply(intent::edit_comment(sample_comment(app.flow().language())), now);
      return;
    case KioskView::callback:
      advance_to(app, KioskStep::callback, now);
      app.Apply(intent::set_consent(true), now);
      app.Apply(intent::edit_contact(TextTarget::name, "Ffion Łukasik"), now);
      app.Apply(intent::edit_contact(TextTarget::email, "ffion@example"), now);
      app.Apply(intent::next(), now);  // the email is not complete: its error shows
      if (variant.keyboard) app.Apply(intent::focus(TextTarget::email), now);
      return;
    case KioskView::privacy:
      advance_to(app, KioskStep::callback, now);
      app.Apply(intent::show_privacy(true), now);
      return;
    case KioskView::thanks:
      if (variant.callback) {
        // A happy customer who asks anyway: the call-back is offered to everyone.
        advance_to(app, KioskStep::callback, now, 5, 10);
        if (app.flow().step() == KioskStep::callback) {
          app.Apply(intent::set_consent(true), now);
          app.Apply(intent::edit_contact(TextTarget::email, "ffion@example.co.uk"), now);
          app.Apply(intent::next(), now);
        }
      }
      return advance_to(app, KioskStep::thanks, now);
    case KioskView::idle_warning:
      advance_to(app, KioskStep::nps, now);
      now += app.flow().settings().idle.warning_after + 3s;
      app.Tick(now);
      return;
    case KioskView::pin_pad:
      open_pin_pad(app, now);
      app.Apply(intent::pin_digit(4), now);
      app.Apply(intent::pin_digit(8), now);
      return;
    case KioskView::staff_menu:
      open_pin_pad(app, now);
      for (const char digit : staff_pin) app.Apply(intent::pin_digit(digit - '0'), now);
      app.Apply(intent::pin_submit(), now);
      return;
  }
}

}  // namespace heed::ui
