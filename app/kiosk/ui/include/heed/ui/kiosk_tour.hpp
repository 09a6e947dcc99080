// Reaching every kiosk screen by intents, as a customer or a member of staff
// would (never by setting state): for `heed --screenshot DIR`, the UI tests and
// the frame-time benchmark.
//
//   auto app = KioskApp::Create(options).value();  // with staff_pin_hash = hash of kTourStaffPin
//   auto now = KioskApp::Clock::now();
//   DriveTo(*app, KioskView::callback, TourVariant{}, now);
//   app->Frame(now);  // ... draws the call-back screen with an error and the keyboard up
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heed/ui/kiosk_app.hpp"

namespace heed::ui {

// The staff PIN a tour's app is made with (hash it for Options::staff_pin_hash).
inline constexpr std::string_view kTourStaffPin = "2468";

// Choices made on the welcome screen before going on.
struct TourVariant {
  std::string name = "standard";  // for file names: standard, high-contrast, large-text, lowered, cy, pl
  KioskPreferences preferences;
  std::string language = "en";
  bool keyboard = true;   // comment and call-back: with the keyboard up (and, on the call-back, an error shown)
  bool callback = false;  // thanks: the customer asked for a call-back (the screen says by when)
};
TourVariant standard_variant();
TourVariant high_contrast_variant();
TourVariant large_text_variant();
TourVariant lowered_variant();
TourVariant language_variant(std::string_view code);
TourVariant without_keyboard(TourVariant variant);  // name gets "-no-keyboard"
TourVariant with_callback(TourVariant variant);     // name gets "-callback"

struct TourStop {
  KioskView view;
  TourVariant variant;
  std::string file_stem() const;  // "welcome-standard"
};

// Every view in the standard and high-contrast themes, then larger text, the
// lowered layout and the Welsh and Polish catalogues for the screens they change
// most, and the thank-you screen after a call-back was asked for, in each language.
std::vector<TourStop> screenshot_tour();

// Drives `app`, fresh on its welcome screen, to `view`: the variant's choices on
// the welcome screen, then the taps that lead there, each as an intent. Rating
// screens get middling answers; the call-back screen is left with consent
// ticked, an email error shown and the keyboard up; the comment screen with text
// typed and the keyboard up; the thank-you screen, with `callback`, after top
// ratings and a call-back asked for with an email. `now` moves on where time
// must pass (the idle warning, the long press on the staff corner). `staff_pin` must be the PIN of
// the app's staff_pin_hash. Any question set works: steps it lacks are passed.
void DriveTo(KioskApp& app, KioskView view, const TourVariant& variant, KioskApp::TimePoint& now,
             std::string_view staff_pin = kTourStaffPin);

}  // namespace heed::ui
