// The customer kiosk's flow as a state machine, with no UI in it: the screens
// draw from its state and send it intents (rate, next, back, skip, ...). Every
// decision lives here so tests drive it directly or through headless frames.
//
// Flow: welcome -> the question set's questions in order -> thanks -> welcome.
// Invariants:
// - The record is saved (durably, through SaveRecord) before the thanks step
//   shows; if saving fails the answers stay and the customer sees an error.
// - Contact details reach the record only when consent is ticked; the consent
//   box starts unticked for every customer.
// - The welcome step is only ever entered through end_session(), by every path
//   (Back from the first question, the idle reset, the thanks step ending or
//   Back/Done on it, staff taking over): every answer, the contact details, the
//   language and the accessibility choices go back to their defaults, so the
//   next customer sees nothing of the last one's.
// - On the welcome step itself the customer may choose a language and
//   accessibility options before Start (they are kept by Start); left there, the
//   idle timer warns and resets them like any unfinished session.
// - start() always begins with no answers, whatever came before.
// - The call-back step is offered to every customer, whatever their scores; a
//   customer who asked (consent and an email or phone) is told on the thanks
//   step by when to expect contact (callback_promise, from the rules head office
//   follows). Nothing else of the answers shows there.
// - An identical submission within the misuse window of an earlier one is saved
//   with suspected_misuse set, never dropped.
// Times: `now` arguments are steady-clock times of the input, for the idle and
// thanks timers; records' created_at comes from the wall clock.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heed/config.hpp"
#include "heed/model.hpp"
#include "heed/question_set.hpp"
#include "heed/result.hpp"
#include "heed/workflow_rules.hpp"

namespace heed {

enum class KioskStep { welcome, csat, nps, comment, callback, thanks };
std::string_view kiosk_step_name(KioskStep step);

// Accessibility choices a customer makes on the welcome screen (Equality Act 2010).
struct KioskPreferences {
  bool high_contrast = false;
  bool large_text = false;
  bool lowered = false;  // every control in the lower part of the screen
  bool operator==(const KioskPreferences&) const = default;
};

enum class ContactField { name, email, phone };

struct KioskSettings {
  std::string store_id;
  std::string device_id;
  std::vector<std::string> languages{"en"};  // first is the default
  IdleTimeouts idle;
  std::chrono::seconds thanks_for{6};      // the thank-you screen, then welcome
  std::chrono::seconds misuse_window{15};  // identical submissions this close are flagged
  std::string privacy_notice_version = "2026-01";
  KioskPreferences default_preferences;  // e.g. a high-contrast default from the config
  // The follow-up rules head office follows (assets/rules/default.json): the
  // call-back promise on the thanks step. The defaults know no bank holidays.
  WorkflowRules rules = default_workflow_rules();
};

struct IdleStatus {
  bool warning = false;  // "Are you still there?" is showing
  int seconds_left = 0;  // until the answers are discarded
};

// Flags identical submissions that arrive within a window of each other.
class BurstDetector {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit BurstDetector(std::chrono::seconds window) : window_(window) {}
  // True when the same fingerprint was observed within the window before `at`.
  bool observe(const std::string& fingerprint, TimePoint at);

 private:
  std::chrono::seconds window_;
  std::deque<std::pair<TimePoint, std::string>> recent_;
};

class KioskFlow {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  using SaveRecord = std::function<Result<void>(const Record&)>;
  using WallClock = std::function<Timestamp()>;

  KioskFlow(QuestionSet questions, KioskSettings settings, SaveRecord save, WallClock wall = now_utc);

  // ---- What the screens show
  KioskStep step() const { return step_; }
  const std::string& language() const { return language_; }
  const KioskPreferences& preferences() const { return preferences_; }
  const QuestionSet& questions() const { return questions_; }
  const KioskSettings& settings() const { return settings_; }
  std::optional<int> csat() const { return csat_; }
  std::optional<int> nps() const { return nps_; }
  const std::string& comment() const { return comment_; }
  bool consent() const { return consent_; }
  const std::string& contact(ContactField field) const;
  bool privacy_notice_open() const { return privacy_open_; }
  // Problems with the contact details, by field, after Continue on the call-back step.
  const FieldErrors& contact_errors() const { return contact_errors_; }
  std::optional<std::string_view> contact_error(ContactField field) const;
  // On the thanks step of a customer who asked for a call-back: by when to expect it.
  const std::optional<CallbackPromise>& callback_promise() const { return callback_promise_; }
  // Set when saving failed; the screen says so and keeps the answers.
  const std::string& save_error() const { return save_error_; }
  // 1-based position of the current question and how many there are; 0 off questions.
  std::size_t question_number() const;
  std::size_t question_count() const { return questions_.questions.size(); }
  bool can_skip() const { return step_ == KioskStep::comment || step_ == KioskStep::callback; }
  // Records saved since start, and how many of them were flagged.
  std::size_t saved_count() const { return saved_count_; }
  std::size_t flagged_count() const { return flagged_count_; }

  IdleStatus idle(TimePoint now) const;
  // When tick() next has something to do (for the event loop's wait), if ever.
  std::optional<TimePoint> next_deadline(TimePoint now) const;

  // ---- Intents
  bool choose_language(std::string_view code, TimePoint now);  // false if not offered
  void set_preferences(const KioskPreferences& preferences, TimePoint now);
  void start(TimePoint now);
  void rate_csat(int score, TimePoint now);  // records and moves on
  void rate_nps(int score, TimePoint now);
  void edit_comment(std::string text, TimePoint now);  // cut to the comment limit
  void set_consent(bool consent, TimePoint now);
  void edit_contact(ContactField field, std::string text, TimePoint now);
  void show_privacy_notice(bool open, TimePoint now);
  void next(TimePoint now);  // Continue: on the last question this submits
  void skip(TimePoint now);  // optional steps only: clears the answer and moves on
  void back(TimePoint now);
  void need_more_time(TimePoint now);  // dismisses the warning and doubles the time before the next
  void touched(TimePoint now);         // any other touch keeps the session alive
  // Ends the customer's session unsaved, back to a fresh welcome (staff took over the device).
  void reset(TimePoint now);
  // Lets time pass: ends the thanks step, shows the idle warning, resets. True if
  // anything visible changed.
  bool tick(TimePoint now);

 private:
  KioskStep step_for(Question question) const;
  void go_to_question(std::size_t index, TimePoint now);
  void advance(TimePoint now);
  void submit(TimePoint now);
  void clear_answers();
  void end_session();
  bool session_in_progress() const;
  TimePoint warning_at() const;

  QuestionSet questions_;
  KioskSettings settings_;
  SaveRecord save_;
  WallClock wall_;
  BurstDetector bursts_;
  std::optional<BusinessCalendar> calendar_;  // from settings_.rules; none if they cannot work

  KioskStep step_ = KioskStep::welcome;
  std::size_t question_index_ = 0;
  std::string language_;
  KioskPreferences preferences_;
  std::optional<int> csat_, nps_;
  std::string comment_;
  bool consent_ = false;
  std::string name_, email_, phone_;
  bool privacy_open_ = false;
  FieldErrors contact_errors_;
  std::string save_error_;
  std::optional<CallbackPromise> callback_promise_;

  TimePoint last_input_{};
  bool more_time_ = false;
  bool warning_shown_ = false;
  int warning_seconds_shown_ = 0;
  TimePoint thanks_until_{};
  std::size_t saved_count_ = 0, flagged_count_ = 0;
};

// Cuts UTF-8 text to at most `max_chars` code points, never inside a character.
std::string utf8_truncate(std::string text, std::size_t max_chars);

}  // namespace heed
