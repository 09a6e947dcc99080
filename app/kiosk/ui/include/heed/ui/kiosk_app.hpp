// The customer kiosk as one object: it owns the flow (KioskFlow), the staff gate
// (StaffGate), a string catalogue for each offered language and every screen's
// view state, and draws the current screen with its overlays (privacy notice,
// idle warning, PIN pad, staff menu) and the hidden staff corner.
//
//   auto app = KioskApp::Create(options).value();   // catalogues loaded, on the welcome screen
//   // each frame, between ImGui::NewFrame() and ImGui::Render():
//   auto result = app->Frame(now);                  // draws, then carries out what was tapped
//   // between frames, for the event loop:
//   app->Tick(now);                                 // time passing: thanks ends, idle warns, resets
//   app->NextDeadline(now);                         // when to wake up if nothing else happens
//   // without a finger, as a test, the screenshot tour or a benchmark does:
//   app->Apply(intent::start(), now);
//
// Invariants:
// - Every time is an argument (`now`, a steady-clock time): tests and tours run
//   on their own clock.
// - Screens only draw and append intents; Apply carries them out after the
//   frame's drawing, in order. A frame has the same state from top to bottom.
// - When the flow's step changes, the screen entered starts with fresh view
//   state (no keyboard up, no scroll), so nothing of the last customer shows.
// - Any touch or key keeps the customer's session alive (KioskFlow::touched).
// - The look (theme, larger text) follows the customer's choices at the start of
//   each frame; ImGui's style and the global look are changed only there.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heed/device_store.hpp"
#include "heed/kiosk_flow.hpp"
#include "heed/question_set.hpp"
#include "heed/staff_gate.hpp"
#include "heed/ui/callback_screen.hpp"
#include "heed/ui/comment_screen.hpp"
#include "heed/ui/csat_screen.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/idle_warning.hpp"
#include "heed/ui/kiosk_intent.hpp"
#include "heed/ui/nps_screen.hpp"
#include "heed/ui/pin_pad.hpp"
#include "heed/ui/privacy_notice.hpp"
#include "heed/ui/staff_menu.hpp"
#include "heed/ui/thanks_screen.hpp"
#include "heed/ui/welcome_screen.hpp"

namespace heed::ui {

// What the kiosk shows now, top-most first: for tests, tours and benchmarks.
enum class KioskView { welcome, csat, nps, comment, callback, privacy, thanks, idle_warning, pin_pad, staff_menu };
std::string_view kiosk_view_name(KioskView view);  // "welcome", ..., "idle", "pin", "staff-menu"

class KioskApp {
 public:
  using Clock = KioskFlow::Clock;
  using TimePoint = KioskFlow::TimePoint;

  struct Options {
    QuestionSet questions;           // which questions, their wording, the touchpoint
    KioskSettings settings;          // store and device ids, languages, idle times, defaults
    std::string staff_pin_hash;      // argon2id hash of the staff PIN
    StaffGateSettings gate;          // long press, lockout; pin_pad_timeout also closes an idle staff menu
    std::filesystem::path i18n_dir;  // assets/i18n
    KioskFlow::SaveRecord save;      // durable save (DeviceStore::save)
    std::function<Result<OutboxStats>()> outbox_stats;     // the staff menu's figures; may be empty
    std::function<std::optional<SyncState>()> sync_state;  // how delivery stands; may be empty (no sync)
    // Starts enrolling with a typed code; returns at once (sync_state reports how it went).
    std::function<void(const std::string& code)> enrol;
    KioskFlow::WallClock wall = now_utc;  // records' created_at, the oldest record's age
    // Whether "Switch to staff mode" can work: false when the config has no staff
    // roster (the menu then says so and the kiosk stays up).
    bool staff_mode_available = true;
  };

  // What the app asks of whoever runs it.
  enum class Request { none, switch_to_staff, exit };
  struct FrameResult {
    Request request = Request::none;
    bool changed = false;  // an intent was carried out: draw another frame
  };

  // Loads a catalogue for each offered language (a language without a file shows
  // English) and starts on the welcome screen. The recorded privacy notice
  // version is the catalogue's "privacy.version". Fails if a catalogue is broken.
  static Result<std::unique_ptr<KioskApp>> Create(Options options);

  // Draws one frame (call between ImGui::NewFrame and ImGui::Render) at `now`, then
  // carries out what was tapped.
  FrameResult Frame(TimePoint now);
  // Carries out one intent as if tapped at `now`; true when something changed.
  bool Apply(const KioskIntent& intent, TimePoint now);
  // Lets time pass (thanks ends, idle warns and resets, the PIN pad or staff menu
  // closes when left). True when what is shown changed.
  bool Tick(TimePoint now);
  // When Tick next has something to do, if ever: the event loop sleeps until then.
  std::optional<TimePoint> NextDeadline(TimePoint now) const;
  // The request made by the last Frame or Apply (switch, exit), then none again.
  Request TakeRequest();

  KioskView View(TimePoint now) const;
  const KioskFlow& flow() const { return flow_; }
  const StaffGate& gate() const { return gate_; }
  const Catalog& text() const;  // the customer's language
  const Catalog& catalog(std::string_view language) const;
  const PrivacyNotice& privacy_notice() const { return privacy_; }
  const StaffMenu& staff_menu() const { return menu_; }

 private:
  KioskApp(Options options, std::map<std::string, Catalog, std::less<>> catalogs);
  void ApplyLook();
  void SyncViews();
  void DrawCorner(TimePoint now, bool active, KioskIntents& out);

  Options options_;
  std::map<std::string, Catalog, std::less<>> catalogs_;
  std::vector<WelcomeScreen::Language> languages_;
  KioskFlow flow_;
  StaffGate gate_;

  WelcomeScreen welcome_;
  CsatScreen csat_;
  NpsScreen nps_;
  CommentScreen comment_;
  CallbackScreen callback_;
  ThanksScreen thanks_;
  PrivacyNotice privacy_;
  IdleWarning idle_;
  PinPad pin_;
  StaffMenu menu_;

  KioskStep shown_step_ = KioskStep::welcome;
  bool privacy_shown_ = false;
  StaffGate::State gate_shown_ = StaffGate::State::closed;
  bool corner_held_ = false;
  TimePoint staff_touched_{};  // the last touch while the staff menu is open
  TimePoint menu_read_{};      // when the staff menu last read its figures (it refreshes each second)
  int lockout_shown_ = 0;      // the PIN pad's countdown as last drawn
  Request request_ = Request::none;
};

}  // namespace heed::ui
