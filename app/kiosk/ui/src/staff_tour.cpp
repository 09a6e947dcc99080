// The staff tour: scripted intents that reach each staff view.
#include "heed/ui/staff_tour.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "heed/reference.hpp"
#include "heed/secrets.hpp"

namespace heed::ui {
namespace {

using namespace std::chrono_literals;
namespace si = staff_intent;

std::string sample_description(std::string_view language) {
  if (language == "cy") return "Stopiodd y tegell weithio ar ôl deuddydd. Dyma'r ail un mewn mis.";
  if (language == "pl") return "Czajnik przestał działać po dwóch dniach. To już drugi w tym miesiącu.";
  return "The kettle stopped working after two days. It is the second one this month.";
}

std::string sample_rationale(std::string_view language) {
  if (language == "cy") return "Ail gŵyn am yr un tegell mewn mis; mae'r gyntaf yn dal ar agor.";
  if (language == "pl") return "Druga skarga na ten sam czajnik w ciągu miesiąca; pierwsza jest nadal otwarta.";
  return "Second complaint about the same kettle this month; the first is still open.";
}

std::string sample_best_time(std::string_view language) {
  if (language == "cy") return "Ar ôl 5pm";
  if (language == "pl") return "Po 17:00";
  return "After 5pm";
}

std::string sample_adjustment(std::string_view language) {
  if (language == "cy") return "Mae angen mwy o amser arni ar y ffôn; siaradwch yn araf.";
  if (language == "pl") return "Potrzebuje więcej czasu przy telefonie; proszę mówić powoli.";
  return "Needs more time on the phone; please speak slowly.";
}

std::string sample_note(std::string_view language) {
  if (language == "cy") return "Ffoniodd y cwsmer: mae'r ad-daliad wedi cyrraedd.";
  if (language == "pl") return "Klient zadzwonił: zwrot dotarł na kartę.";
  return "Customer rang: the refund has reached their card.";
}

// "DD/MM/YYYY" ten days before the app's today.
std::string ten_days_ago(const StaffApp& app) {
  const Date today = utc_date(app.options().wall());
  const Date then{std::chrono::sys_days{today} - std::chrono::days(10)};
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(then.day()),
                static_cast<unsigned>(then.month()), static_cast<int>(then.year()));
  return text;
}

// A reference with its check character slipped to the next symbol: mistyped.
std::string mistyped(std::string reference) {
  if (reference.empty()) return reference;
  const auto at = kReferenceAlphabet.find(reference.back());
  reference.back() = kReferenceAlphabet[(at == std::string_view::npos ? 0 : at + 1) % kReferenceAlphabet.size()];
  return reference;
}

// A reference as a customer reads it out: lower case, spaced, without dashes.
std::string spoken(std::string_view reference) {
  std::string out;
  for (const char c : reference) {
    if (c == '-') continue;
    if (!out.empty()) out += ' ';
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

struct Driver {
  StaffApp& app;
  StaffApp::TimePoint& now;
  void operator()(const StaffIntent& intent) {
    now += 400ms;  // a member of staff's pace
    app.Apply(intent, now);
  }
};

void sign_in(Driver& go, std::string_view pin) {
  go(si::choose_staff(kTourStaffId));
  for (const char digit : pin) go(si::pin_digit(digit - '0'));
  go(si::pin_submit());
}

}  // namespace

std::vector<StaffMember> staff_tour_roster() {
  return {{std::string(kTourStaffId), "Aled Jones", hash_secret(kTourStaffPinCode).value_or(""), StaffRole::staff},
          {"S2001", "Bethan Hughes", hash_secret("8642").value_or(""), StaffRole::staff},
          {std::string(kTourManagerId), "Ffion Evans", hash_secret(kTourManagerPin).value_or(""), StaffRole::manager}};
}

StaffTourVariant staff_variant(std::string_view name, bool high_contrast, bool large_text, std::string_view language,
                               bool keyboard, TourReference reference) {
  return StaffTourVariant{std::string(name), high_contrast, large_text, std::string(language), keyboard, reference};
}

std::string StaffTourStop::file_stem() const {
  return "staff-" + std::string(staff_view_name(view)) + "-" + variant.name;
}

std::vector<StaffView> all_staff_views() {
  return {StaffView::sign_in,   StaffView::home,        StaffView::hear,      StaffView::where,
          StaffView::purchase,  StaffView::empathise,   StaffView::act,       StaffView::approval,
          StaffView::discard,   StaffView::resolve,     StaffView::escalate,  StaffView::history,
          StaffView::contact,   StaffView::adjustments, StaffView::review,    StaffView::done,
          StaffView::note_find, StaffView::note_write,  StaffView::note_saved};
}

std::vector<StaffTourStop> staff_screenshot_tour() {
  std::vector<StaffTourStop> stops;
  for (const auto& variant :
       {staff_variant("standard", false, false, "en"), staff_variant("high-contrast", true, false, "en")})
    for (const auto view : all_staff_views()) stops.push_back({view, variant});
  for (const auto view : {StaffView::hear, StaffView::act, StaffView::escalate, StaffView::done})
    stops.push_back({view, staff_variant("large-text", false, true, "en")});
  for (const auto view : {StaffView::hear, StaffView::where, StaffView::act, StaffView::escalate, StaffView::contact,
                          StaffView::adjustments, StaffView::review})
    stops.push_back({view, staff_variant("cy", false, false, "cy")});
  for (const auto view : {StaffView::empathise, StaffView::where, StaffView::act, StaffView::history,
                          StaffView::contact, StaffView::adjustments, StaffView::review})
    stops.push_back({view, staff_variant("pl", false, false, "pl")});
  for (const auto view : {StaffView::hear, StaffView::purchase, StaffView::escalate, StaffView::contact,
                          StaffView::adjustments, StaffView::note_write})
    stops.push_back({view, staff_variant("keyboard", false, false, "en", true)});
  // A complaint by the reference the customer quotes: found, and mistyped (the longest message in Welsh).
  for (const auto view : {StaffView::note_find, StaffView::history}) {
    stops.push_back({view, staff_variant("reference", false, false, "en", false, TourReference::right)});
    stops.push_back({view, staff_variant("reference-mistyped", false, false, "en", false, TourReference::mistyped)});
    stops.push_back({view, staff_variant("reference-mistyped-cy", false, false, "cy", false, TourReference::mistyped)});
  }
  // Polish in larger text: the longest words at the largest size.
  for (const auto view :
       {StaffView::hear, StaffView::where, StaffView::purchase, StaffView::act, StaffView::discard, StaffView::escalate,
        StaffView::history, StaffView::contact, StaffView::adjustments, StaffView::review})
    stops.push_back({view, staff_variant("pl-large-text", false, true, "pl")});
  return stops;
}

void DriveStaffTo(StaffApp& app, StaffView view, const StaffTourVariant& variant, StaffApp::TimePoint& now) {
  Driver go{app, now};
  const std::string& language = variant.language;
  if (view == StaffView::sign_in) {
    go(si::choose_staff(kTourStaffId));
    go(si::pin_digit(2));
    go(si::pin_digit(4));
    return;
  }
  sign_in(go, kTourStaffPinCode);
  go(si::set_language(language));
  go(si::set_high_contrast(variant.high_contrast));
  go(si::set_large_text(variant.large_text));
  const auto reached = [&] { return app.View() == view; };
  if (reached()) return;

  go(si::new_complaint());
  go(si::choose(StaffChoice::category, static_cast<int>(Category::faulty_goods)));
  go(si::choose(StaffChoice::severity, static_cast<int>(Severity::medium)));
  go(si::edit_text(StaffField::description, sample_description(language)));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::description));
    return;
  }
  go(si::next());
  go(si::choose(StaffChoice::channel, static_cast<int>(Channel::face_to_face)));
  go(si::choose(StaffChoice::touchpoint, 1));  // customer service
  if (reached()) return;
  go(si::next());
  go(si::set(StaffChoice::has_purchase, true));
  go(si::choose(StaffChoice::purchase_kind, static_cast<int>(PurchaseKind::goods)));
  go(si::edit_text(StaffField::purchase_date, ten_days_ago(app)));
  go(si::edit_text(StaffField::purchase_amount, "£29.99"));
  go(si::edit_text(StaffField::order_ref, "ORD-55812"));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::purchase_amount));
    return;
  }
  go(si::next());
  go(si::choose(StaffChoice::mood, static_cast<int>(CustomerMood::upset)));
  go(si::choose(StaffChoice::outcome, static_cast<int>(DesiredOutcome::refund)));
  if (reached()) return;
  go(si::next());
  // An apology and goodwill over the limit: the Act's warning and the approval button show.
  go(si::choose(StaffChoice::offer, static_cast<int>(Offer::apology)));
  go(si::choose(StaffChoice::offer, static_cast<int>(Offer::goodwill)));
  go(si::edit_text(StaffField::goodwill, "£35"));
  if (reached()) return;
  if (view == StaffView::discard) {  // asked over the Act step, where most has been entered
    go(si::open_discard());
    return;
  }
  go(si::open_approval());
  go(si::choose_staff(kTourManagerId));
  if (reached()) {
    go(si::pin_digit(1));
    go(si::pin_digit(3));
    return;
  }
  for (const char digit : kTourManagerPin) go(si::pin_digit(digit - '0'));
  go(si::pin_submit());
  go(si::choose(StaffChoice::offer, static_cast<int>(Offer::refund)));
  go(si::next());
  // Resolved at the desk, but the customer did not accept it: escalated.
  go(si::set(StaffChoice::resolved, true));
  go(si::set(StaffChoice::accepted, false));
  if (reached()) return;
  go(si::next());
  go(si::edit_text(StaffField::email, "ffion@example.co.uk"));
  go(si::choose(StaffChoice::target, static_cast<int>(EscalationTarget::area_manager)));
  go(si::edit_text(StaffField::rationale, sample_rationale(language)));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::rationale));
    return;
  }
  go(si::open_history());
  if (reached()) {
    if (variant.reference == TourReference::none) return;
    // No complaint is saved yet: the right shape finds none; a slip is caught.
    const std::string unknown = make_reference(app.options().store_code, app.options().device_code, 999);
    go(si::edit_text(StaffField::history_reference,
                     variant.reference == TourReference::mistyped ? mistyped(unknown) : unknown));
    go(si::find_by_reference());
    return;
  }
  go(si::close_history());
  go(si::next());
  go(si::set(StaffChoice::consent, true));
  go(si::edit_text(StaffField::name, "Ffion Łukasik"));
  go(si::edit_text(StaffField::phone, "07700 900123"));
  go(si::edit_text(StaffField::address, "12 Heol y Coed, Caerdydd CF10 1AA"));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::address));
    return;
  }
  go(si::next());
  // Adjustments with the customer's tick: a call after 5pm, in Welsh where offered, large print.
  go(si::set(StaffChoice::adjustments_consent, true));
  go(si::choose(StaffChoice::contact_channel, static_cast<int>(ContactChannel::phone)));
  go(si::edit_text(StaffField::best_time, sample_best_time(language)));
  const auto& languages = app.languages();
  const auto welsh = std::find(languages.begin(), languages.end(), "cy");
  go(si::choose(StaffChoice::language, static_cast<int>(welsh != languages.end() ? welsh - languages.begin() : 0)));
  go(si::choose(StaffChoice::format, static_cast<int>(AdjustmentFormat::large_print)));
  go(si::choose(StaffChoice::format, static_cast<int>(AdjustmentFormat::phone_not_writing)));
  go(si::edit_text(StaffField::adjustment_note, sample_adjustment(language)));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::adjustment_note));
    return;
  }
  go(si::next());
  if (reached()) return;
  go(si::next());  // save
  if (reached()) return;
  if (view == StaffView::note_find) {
    const std::string reference = app.saved() ? app.saved()->reference : std::string();
    go(si::home());
    go(si::start_note());
    if (variant.reference == TourReference::none) {
      go(si::edit_text(StaffField::find_email, "ffion@example.co.uk"));
      go(si::find_complaints());
      return;
    }
    go(si::edit_text(StaffField::find_reference,
                     variant.reference == TourReference::mistyped ? mistyped(reference) : spoken(reference)));
    go(si::find_by_reference());
    return;
  }
  go(si::start_note(true));
  go(si::edit_text(StaffField::note, sample_note(language)));
  if (reached()) {
    if (variant.keyboard) go(si::focus(StaffField::note));
    return;
  }
  go(si::save_note());
}

}  // namespace heed::ui
