// Reaching every staff tablet screen by intents, as a member of staff would
// (never by setting state): for `heed --screenshot DIR`, the UI tests and
// benchmarks. The tour's app must be made with staff_tour_roster() and its own
// throwaway device store (the tour saves a complaint and a note).
//
//   auto now = StaffApp::Clock::now();
//   DriveStaffTo(*app, StaffView::act, StaffTourVariant{}, now);
//   app->Frame(now);  // ... the Take action step, with the Consumer Rights Act warning
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heed/ui/staff_app.hpp"

namespace heed::ui {

// The tour's roster: a member of staff and a manager, with these PINs.
inline constexpr std::string_view kTourStaffId = "S1042";
inline constexpr std::string_view kTourStaffPinCode = "2468";
inline constexpr std::string_view kTourManagerId = "M7";
inline constexpr std::string_view kTourManagerPin = "1357";
// Hashes the PINs (argon2id): call once and keep it.
std::vector<StaffMember> staff_tour_roster();

// A search by reference on Add a note and in the history overlay: none (Add a note
// finds by email), a mistyped reference (its message), or the saved complaint's
// reference as read out (Add a note lists it; the history, made before it was
// saved, says no complaint has it).
enum class TourReference { none, mistyped, right };

struct StaffTourVariant {
  std::string name = "standard";  // for file names: standard, high-contrast, large-text, cy, pl, ...-keyboard
  bool high_contrast = false;
  bool large_text = false;
  std::string language = "en";
  bool keyboard = false;  // a text field is being typed into (the keyboard is up)
  TourReference reference = TourReference::none;
};
StaffTourVariant staff_variant(std::string_view name, bool high_contrast, bool large_text, std::string_view language,
                               bool keyboard = false, TourReference reference = TourReference::none);

struct StaffTourStop {
  StaffView view;
  StaffTourVariant variant;
  std::string file_stem() const;  // "staff-hear-standard"
};

// Every staff view in the standard and high-contrast themes, then larger text,
// the Welsh and Polish catalogues and the keyboard up on the steps that type.
std::vector<StaffTourStop> staff_screenshot_tour();
// Every staff view, in the order the tour reaches them.
std::vector<StaffView> all_staff_views();

// Drives `app`, fresh on its sign-in screen, to `view`: the variant's choices on
// the home screen, then the taps that lead there. The complaint is a faulty
// kettle bought ten days before the wall clock's today, at customer service,
// resolved at the desk but not accepted, so escalated after the history is opened, with contact details, a postal
// address and adjustments (with the customer's tick). `now` moves on a little between taps.
void DriveStaffTo(StaffApp& app, StaffView view, const StaffTourVariant& variant, StaffApp::TimePoint& now);

}  // namespace heed::ui
