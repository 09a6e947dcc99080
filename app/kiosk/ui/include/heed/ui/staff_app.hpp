// The staff tablet as one object, shaped like KioskApp: it owns the sign-in
// session (StaffSession), the complaint form (ComplaintForm), a string catalogue
// for each offered language and every screen's view state, and draws the screen
// of the moment: sign-in, the home screen, the form's steps (Hear in three pages:
// the account, how and where, what was bought; Empathise, Take action, Resolve,
// Escalate, Contact in two pages: details, then adjustments; Review), the reference with its QR
// code, adding a note to a saved complaint, and the overlays (manager approval,
// the customer's history, discarding the complaint, the keyboard).
//
//   auto app = StaffApp::Create(options).value();   // on the sign-in screen
//   app->Frame(now);                                // between NewFrame and Render
//   app->Tick(now);  app->NextDeadline(now);        // the idle lock
//   app->Apply(staff_intent::next(), now);          // a tap, without a finger
//
// Invariants:
// - Decisions live in core (ComplaintForm, StaffSession, consumer_rights,
//   CustomerHistoryLookup); screens only draw state and append intents, which
//   Apply carries out after the frame's drawing, in order.
// - A half-filled complaint is never lost: each finished step and every lock (on
//   demand, idle, or the app closing) saves it as its author's draft, and their
//   next sign-in resumes it; nobody else's sign-in sees it. Saving the complaint deletes the draft in the same
//   transaction (DeviceStore::save's clear_draft_of). Only staff's confirmed
//   "Discard" deletes it otherwise (and a form with nothing entered is not kept);
//   a discarded complaint takes no reference number.
// - Every time is an argument (`now`, a steady-clock time); records take their
//   created_at from Options::wall.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heed/complaint_form.hpp"
#include "heed/customer_history.hpp"
#include "heed/device_store.hpp"
#include "heed/qr.hpp"
#include "heed/staff_gate.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/keyboard_view.hpp"
#include "heed/workflow_rules.hpp"

namespace heed::ui {

// What the tablet shows now, top-most first: for tests, tours and benchmarks.
enum class StaffView {
  sign_in,
  home,
  hear,
  where,  // Hear's second page: how the complaint was made and where it happened
  purchase,
  empathise,
  act,
  resolve,
  escalate,
  contact,
  adjustments,  // Contact's second page: adjustments and contact preferences
  review,
  done,
  approval,
  history,
  discard,
  note_find,
  note_write,
  note_saved
};
std::string_view staff_view_name(StaffView view);  // "sign-in", "home", "hear", ...

// The text a field holds; the keyboard types into one at a time.
enum class StaffField {
  none,
  description,
  purchase_date,
  purchase_amount,
  order_ref,
  goodwill,
  rationale,
  name,
  email,
  phone,
  address,
  best_time,
  adjustment_note,
  note,
  find_email,
  find_phone,
  find_reference,    // Add a note: the reference the customer quotes
  history_reference  // the history overlay: the same
};

// A choice among an enumeration's values (number: its index) or a yes/no (flag).
enum class StaffChoice {
  channel,
  touchpoint,  // number: index in the settings' touchpoints
  contact_channel,
  language,  // number: index in Options::languages
  format,    // number: toggled in or out
  category,
  severity,
  purchase_kind,
  mood,
  outcome,
  target,  // number
  offer,   // number: toggled in or out
  has_purchase,
  repair_failed,
  resolved,
  accepted,
  consent,              // flag
  adjustments_consent,  // flag
};

struct StaffIntent {
  enum class Kind {
    none,
    choose_staff,  // text: staff id (sign-in) or manager id (approval)
    pin_digit,     // number 0-9, into whichever PIN pad is open
    pin_erase,
    pin_submit,  // sign in, or approve the goodwill
    lock,
    new_complaint,
    home,       // leave the done or note screens
    choose,     // choice, number / flag
    focus,      // field: the keyboard types into it; none puts it away
    edit_text,  // field, text: the whole new value
    next,       // Continue; on review, Save
    back,
    open_approval,
    close_approval,
    open_history,  // looks the customer up and marks the history opened
    close_history,
    open_discard,       // asks "Discard this complaint?" over the form
    close_discard,      // Keep working
    discard,            // confirmed: the draft is deleted, back to home
    clear_adjustments,  // the adjustments entered, all cleared (the customer did not agree)
    start_note,         // find a complaint to add a note to (from home), or flag: the one just saved
    find_complaints,
    find_by_reference,  // the reference typed on Add a note, or in the history overlay when it is open
    pick_complaint,     // text: the complaint's id
    save_note,
    set_language,       // text: code
    set_high_contrast,  // flag
    set_large_text,     // flag
    to_kiosk,           // "Back to the kiosk": signed in, at once; on sign-in, after the kiosk's staff PIN
  };
  Kind kind = Kind::none;
  int number = 0;
  bool flag = false;
  std::string text;
  StaffField field = StaffField::none;
  StaffChoice choice = StaffChoice::channel;
};
using StaffIntents = std::vector<StaffIntent>;

namespace staff_intent {
StaffIntent choose_staff(std::string_view id);
StaffIntent pin_digit(int digit);
StaffIntent pin_erase();
StaffIntent pin_submit();
StaffIntent lock();
StaffIntent new_complaint();
StaffIntent home();
StaffIntent choose(StaffChoice choice, int number);
StaffIntent set(StaffChoice choice, bool flag);
StaffIntent focus(StaffField field);
StaffIntent edit_text(StaffField field, std::string text);
StaffIntent next();
StaffIntent back();
StaffIntent open_approval();
StaffIntent close_approval();
StaffIntent open_history();
StaffIntent close_history();
StaffIntent open_discard();
StaffIntent close_discard();
StaffIntent discard();
StaffIntent clear_adjustments();
StaffIntent start_note(bool for_saved_complaint = false);
StaffIntent find_complaints();
StaffIntent find_by_reference();
StaffIntent pick_complaint(std::string_view id);
StaffIntent save_note();
StaffIntent set_language(std::string_view code);
StaffIntent set_high_contrast(bool on);
StaffIntent set_large_text(bool on);
StaffIntent to_kiosk();
}  // namespace staff_intent

class StaffApp {
 public:
  using Clock = StaffSession::Clock;
  using TimePoint = StaffSession::TimePoint;

  struct Options {
    ComplaintFormSettings form;  // store and device ids, goodwill limit, roster, notice version
    std::string store_code;      // reference parts (reference.hpp)
    std::string device_code;
    std::chrono::seconds lock_after{120};
    std::vector<std::string> languages{"en"};  // first is the default
    Theme theme = Theme::standard;
    std::filesystem::path i18n_dir;                  // assets/i18n
    DeviceStore* store = nullptr;                    // records, drafts, reference numbers; must outlive the app
    std::shared_ptr<CustomerHistoryLookup> history;  // null: this device's records
    std::chrono::milliseconds history_timeout{2000};
    std::function<Timestamp()> wall = now_utc;  // records' created_at
    std::function<void()> saved;                // after a record is saved (wakes delivery); may be empty
    // The follow-up rules head office's server follows (assets/rules): the done
    // screen promises only the follow-up they plan (next_step_for).
    WorkflowRules rules = default_workflow_rules();
    // The kiosk's staff PIN hash (argon2id) when this device can also be the
    // customer kiosk: sign-in and home then offer "Back to the kiosk" (from
    // sign-in, after this PIN). Empty: no kiosk to go back to.
    std::string kiosk_pin_hash;
  };

  // What the tablet asks of whoever runs it.
  enum class Request { none, switch_to_kiosk };

  // Loads a catalogue per language (privacy notice version from the first) and
  // starts on the sign-in screen. Fails if a catalogue is broken, the store is
  // missing, the roster is empty or the reference codes are not valid.
  static Result<std::unique_ptr<StaffApp>> Create(Options options);

  // Draws one frame at `now` (between ImGui::NewFrame and ImGui::Render), then
  // carries out what was tapped. True when something changed.
  bool Frame(TimePoint now);
  bool Apply(const StaffIntent& intent, TimePoint now);
  // Locks after the idle time (saving the draft). True when what is shown changed.
  bool Tick(TimePoint now);
  std::optional<TimePoint> NextDeadline(TimePoint now) const;
  // The request made by the last Frame or Apply, then none again.
  Request TakeRequest();

  StaffView View() const;
  const StaffSession& session() const { return session_; }
  const ComplaintForm* form() const { return form_ ? &*form_ : nullptr; }
  const std::optional<Complaint>& saved() const { return saved_; }  // the complaint just saved
  const Catalog& text() const;
  StaffField typing() const { return typing_; }
  // The text a field holds now.
  std::string field_text(StaffField field) const;

  // ---- Screen state, read by the screens (staff_*.cpp) ----
  enum class PinMessage { none, wrong, unknown, locked, choose_first, not_a_manager };
  struct SignInState {
    std::string staff_id;  // chosen on the roster
    std::string pin;       // digits entered (shown as dots)
    PinMessage message = PinMessage::none;
  };
  struct ApprovalState {
    bool open = false;
    std::string manager_id;
    std::string pin;
    PinMessage message = PinMessage::none;
  };
  struct HistoryState {
    bool open = false;
    std::optional<CustomerHistory> found;
    std::string error;      // why it could not be looked up
    std::string reference;  // a reference the customer quotes, and what it found
    std::optional<ReferenceSearch> by_reference;
  };
  struct DiscardState {
    bool open = false;
    std::string error;  // why the draft could not be deleted (the form stays)
  };
  struct NoteState {
    bool active = false;
    std::string email, phone;  // who to find
    std::string reference;     // or the reference the customer quotes
    std::optional<CustomerHistory> found;
    std::string find_error;
    // Set when the last search was by reference: its outcome (found lists note.found).
    std::optional<ReferenceOutcome> reference_outcome;
    std::optional<PastComplaint> complaint;  // the one the note is for
    std::string text;
    FieldErrors errors;
    std::string save_error;
    bool saved = false;
  };
  const SignInState& sign_in_state() const { return sign_in_; }
  const ApprovalState& approval() const { return approval_; }
  const HistoryState& history() const { return history_; }
  const DiscardState& discarding() const { return discard_; }
  // The form's step as a view (hear, purchase ... done), under any overlay; home without a form.
  StaffView StepView() const;
  // The roster's name for a staff id (an approver, say); the id itself when not on the roster.
  std::string staff_name(std::string_view id) const;
  const NoteState& note() const { return note_; }
  bool hear_purchase_page() const { return form_ && form_->step() == ComplaintStep::hear && page_ == 2; }
  bool show_errors() const { return show_errors_; }
  bool resumed_draft() const { return resumed_; }
  const std::string& save_error() const { return save_error_; }
  const std::optional<QrCode>& qr() const { return qr_; }
  const std::vector<std::string>& languages() const { return options_.languages; }
  const std::string& language() const { return language_; }
  bool high_contrast() const { return high_contrast_; }
  bool large_text() const { return large_text_; }
  const Options& options() const { return options_; }
  bool can_return_to_kiosk() const { return !options_.kiosk_pin_hash.empty(); }
  // The sign-in screen's PIN pad asks for the kiosk's staff PIN (to go back to the kiosk).
  bool kiosk_pin_entry() const { return kiosk_gate_.state() == StaffGate::State::pin_entry; }
  const StaffGate& kiosk_gate() const { return kiosk_gate_; }
  const Catalog& catalog(std::string_view language) const;
  // Errors to show on the current form page (empty until a Continue was refused).
  FieldErrors page_errors() const;

 private:
  StaffApp(Options options, std::map<std::string, Catalog, std::less<>> catalogs);
  void ApplyLook();
  void SaveDraft();
  void Resume();
  void Locked();
  void Save();
  void OpenHistory();
  void FindByReference();
  void Discard();
  void SetText(StaffField field, std::string text);

  Options options_;
  std::map<std::string, Catalog, std::less<>> catalogs_;
  std::string language_;
  bool high_contrast_ = false;
  bool large_text_ = false;
  StaffSession session_;

  SignInState sign_in_;
  ApprovalState approval_;
  HistoryState history_;
  DiscardState discard_;
  NoteState note_;
  std::optional<ComplaintForm> form_;
  // The page within the step: Hear has hear (0), where (1) and purchase (2);
  // Contact has contact (0) and adjustments (1); other steps one page.
  int page_ = 0;
  bool show_errors_ = false;
  bool resumed_ = false;
  std::string save_error_;
  std::optional<Complaint> saved_;
  std::optional<QrCode> qr_;
  StaffField typing_ = StaffField::none;
  KeyboardView keyboard_;
  // The view and field typed into, as last drawn: a change is a new screen for
  // the tap guard (widgets.hpp).
  std::optional<std::pair<StaffView, StaffField>> screen_drawn_;
  bool frames_wanted_ = false;  // a widget asked for the next frame (a key repeating)
  int lockout_shown_ = 0;
  StaffGate kiosk_gate_;  // the kiosk's staff PIN, for "Back to the kiosk" from sign-in
  int kiosk_lockout_shown_ = 0;
  Request request_ = Request::none;

  friend struct StaffScreens;
};

}  // namespace heed::ui
