// The kiosk flow's rules. See kiosk_flow.hpp for the invariants.
#include "heed/kiosk_flow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "heed/validation.hpp"

namespace heed {

namespace {
constexpr std::array<std::string_view, 6> kStepNames{"welcome", "csat", "nps", "comment", "callback", "thanks"};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<std::string> non_empty(std::string_view text) {
  auto trimmed = trim(text);
  if (trimmed.empty()) return std::nullopt;
  return trimmed;
}
}  // namespace

std::string_view kiosk_step_name(KioskStep step) { return kStepNames[static_cast<std::size_t>(step)]; }

std::string utf8_truncate(std::string text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) {
      text.resize(i);
      break;
    }
    ++chars;
  }
  return text;
}

// ---- BurstDetector ---------------------------------------------------------
bool BurstDetector::observe(const std::string& fingerprint, TimePoint at) {
  while (!recent_.empty() && at - recent_.front().first > window_) recent_.pop_front();
  const bool repeated =
      std::any_of(recent_.begin(), recent_.end(), [&](const auto& seen) { return seen.second == fingerprint; });
  recent_.emplace_back(at, fingerprint);
  return repeated;
}

// ---- KioskFlow -------------------------------------------------------------
KioskFlow::KioskFlow(QuestionSet questions, KioskSettings settings, SaveRecord save, WallClock wall)
    : questions_(std::move(questions)),
      settings_(std::move(settings)),
      save_(std::move(save)),
      wall_(std::move(wall)),
      bursts_(settings_.misuse_window) {
  if (settings_.languages.empty()) settings_.languages = {"en"};
  if (auto calendar = BusinessCalendar::make(settings_.rules.calendar)) calendar_ = std::move(calendar).value();
  end_session();
}

const std::string& KioskFlow::contact(ContactField field) const {
  switch (field) {
    case ContactField::name:
      return name_;
    case ContactField::email:
      return email_;
    case ContactField::phone:
      return phone_;
  }
  return name_;
}

std::optional<std::string_view> KioskFlow::contact_error(ContactField field) const {
  const std::string_view wanted = field == ContactField::name    ? "contact.name"
                                  : field == ContactField::email ? "contact.email"
                                                                 : "contact.phone";
  for (const auto& e : contact_errors_)
    if (e.field == wanted) return e.code;
  return std::nullopt;
}

std::size_t KioskFlow::question_number() const {
  if (step_ == KioskStep::welcome || step_ == KioskStep::thanks) return 0;
  return question_index_ + 1;
}

KioskStep KioskFlow::step_for(Question question) const {
  switch (question) {
    case Question::csat:
      return KioskStep::csat;
    case Question::nps:
      return KioskStep::nps;
    case Question::comment:
      return KioskStep::comment;
    case Question::callback:
      return KioskStep::callback;
  }
  return KioskStep::welcome;
}

// ---- Intents ---------------------------------------------------------------
bool KioskFlow::choose_language(std::string_view code, TimePoint now) {
  const auto& offered = settings_.languages;
  if (std::find(offered.begin(), offered.end(), code) == offered.end()) return false;
  language_ = std::string(code);
  touched(now);
  return true;
}

void KioskFlow::set_preferences(const KioskPreferences& preferences, TimePoint now) {
  preferences_ = preferences;
  touched(now);
}

void KioskFlow::start(TimePoint now) {
  if (step_ != KioskStep::welcome) return;
  clear_answers();  // the welcome step holds none; a new session never inherits any
  go_to_question(0, now);
}

void KioskFlow::rate_csat(int score, TimePoint now) {
  if (step_ != KioskStep::csat || score < 1 || score > 5) return;
  csat_ = score;
  advance(now);
}

void KioskFlow::rate_nps(int score, TimePoint now) {
  if (step_ != KioskStep::nps || score < 0 || score > 10) return;
  nps_ = score;
  advance(now);
}

void KioskFlow::edit_comment(std::string text, TimePoint now) {
  comment_ = utf8_truncate(std::move(text), kMaxCommentChars);
  touched(now);
}

void KioskFlow::set_consent(bool consent, TimePoint now) {
  consent_ = consent;
  if (!consent_) contact_errors_.clear();
  touched(now);
}

void KioskFlow::edit_contact(ContactField field, std::string text, TimePoint now) {
  const std::size_t limit = field == ContactField::name ? 200 : 254;
  std::string& target = field == ContactField::name ? name_ : field == ContactField::email ? email_ : phone_;
  target = utf8_truncate(std::move(text), limit);
  touched(now);
}

void KioskFlow::show_privacy_notice(bool open, TimePoint now) {
  privacy_open_ = open && step_ == KioskStep::callback;
  touched(now);
}

void KioskFlow::next(TimePoint now) {
  switch (step_) {
    case KioskStep::welcome:
      return start(now);
    case KioskStep::csat:
      if (csat_) advance(now);  // moving on needs a rating; Back is the way out
      return;
    case KioskStep::nps:
      if (nps_) advance(now);
      return;
    case KioskStep::comment:
    case KioskStep::callback:
      return advance(now);
    case KioskStep::thanks:
      return end_session();
  }
}

void KioskFlow::skip(TimePoint now) {
  if (step_ == KioskStep::comment)
    comment_.clear();
  else if (step_ == KioskStep::callback) {
    consent_ = false;
    name_.clear(), email_.clear(), phone_.clear();
    contact_errors_.clear();
    privacy_open_ = false;
  } else {
    return;  // only optional steps can be skipped
  }
  advance(now);
}

void KioskFlow::back(TimePoint now) {
  touched(now);
  if (privacy_open_) {
    privacy_open_ = false;
    return;
  }
  save_error_.clear();
  switch (step_) {
    case KioskStep::welcome:
      return;
    case KioskStep::thanks:
      return end_session();
    default:
      // Back from the first question leaves the session: nothing of it may stay.
      if (question_index_ == 0)
        end_session();
      else
        go_to_question(question_index_ - 1, now);
  }
}

void KioskFlow::need_more_time(TimePoint now) {
  more_time_ = true;
  touched(now);
}

void KioskFlow::touched(TimePoint now) {
  last_input_ = now;
  warning_shown_ = false;
}

void KioskFlow::reset(TimePoint now) {
  end_session();
  last_input_ = now;
}

void KioskFlow::go_to_question(std::size_t index, TimePoint now) {
  question_index_ = index;
  step_ = step_for(questions_.questions[index]);
  privacy_open_ = false;
  touched(now);
}

void KioskFlow::advance(TimePoint now) {
  touched(now);
  if (step_ == KioskStep::welcome) return go_to_question(0, now);
  if (question_index_ + 1 < questions_.questions.size()) return go_to_question(question_index_ + 1, now);
  submit(now);
}

// ---- Saving ----------------------------------------------------------------
void KioskFlow::submit(TimePoint now) {
  Feedback f;
  f.header = RecordHeader{new_uuid_v4(), settings_.store_id, settings_.device_id, wall_()};
  if (questions_.asks(Question::csat)) f.csat = csat_;
  if (questions_.asks(Question::nps)) f.nps = nps_;
  if (questions_.asks(Question::comment)) f.comment = non_empty(comment_);
  f.language = language_;
  f.touchpoint = questions_.touchpoint;
  if (questions_.asks(Question::callback) && consent_) {
    Contact c;
    c.name = non_empty(name_);
    c.email = non_empty(email_);
    c.phone = non_empty(phone_);
    if (c.phone) c.phone = normalise_uk_phone(*c.phone).value_or(*c.phone);
    c.consent = true;
    c.notice_version = settings_.privacy_notice_version;
    f.contact = std::move(c);
  }

  contact_errors_.clear();
  save_error_.clear();
  for (auto& e : validate(f)) {
    if (e.field.rfind("contact.", 0) == 0)
      contact_errors_.push_back(std::move(e));
    else
      save_error_ = fmt::format("{}: {}", e.field, e.message);  // a bug or a bad question set
  }
  if (!contact_errors_.empty() || !save_error_.empty()) return;

  const auto fingerprint =
      fmt::format("{}|{}|{}|{}|{}|{}", f.csat.value_or(-1), f.nps.value_or(-1), f.comment.value_or(""), f.language,
                  f.contact ? f.contact->email.value_or("") : "", f.contact ? f.contact->phone.value_or("") : "");
  f.suspected_misuse = bursts_.observe(fingerprint, now);

  if (auto saved = save_(Record{f}); !saved) {
    save_error_ = saved.error().message;
    return;
  }
  ++saved_count_;
  if (f.suspected_misuse) ++flagged_count_;
  // Forget this customer's answers at once; the thanks screen shows none of them.
  const auto language = language_;
  const auto preferences = preferences_;
  end_session();
  language_ = language;  // thank them in their language and layout
  preferences_ = preferences;
  if (can_contact(f.contact) && calendar_)
    callback_promise_ = heed::callback_promise(f.header.created_at, settings_.rules, *calendar_);
  step_ = KioskStep::thanks;
  thanks_until_ = now + settings_.thanks_for;
  last_input_ = now;
}

void KioskFlow::clear_answers() {
  csat_.reset();
  nps_.reset();
  comment_.clear();
  consent_ = false;
  name_.clear(), email_.clear(), phone_.clear();
  privacy_open_ = false;
  contact_errors_.clear();
  save_error_.clear();
}

// The only way onto the welcome step (see the invariants in kiosk_flow.hpp).
void KioskFlow::end_session() {
  step_ = KioskStep::welcome;
  question_index_ = 0;
  language_ = settings_.languages.front();
  preferences_ = settings_.default_preferences;
  clear_answers();
  callback_promise_.reset();
  more_time_ = false;
  warning_shown_ = false;
}

// ---- Time ------------------------------------------------------------------
bool KioskFlow::session_in_progress() const {
  if (step_ != KioskStep::welcome) return true;
  return language_ != settings_.languages.front() || !(preferences_ == settings_.default_preferences);
}

KioskFlow::TimePoint KioskFlow::warning_at() const {
  return last_input_ + settings_.idle.warning_after * (more_time_ ? 2 : 1);
}

IdleStatus KioskFlow::idle(TimePoint now) const {
  if (step_ == KioskStep::thanks || !session_in_progress() || now < warning_at()) return {};
  const auto left = warning_at() + settings_.idle.reset_after - now;
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
  return {true, static_cast<int>(std::max<std::int64_t>(seconds, 0))};
}

std::optional<KioskFlow::TimePoint> KioskFlow::next_deadline(TimePoint now) const {
  if (step_ == KioskStep::thanks) return thanks_until_;
  if (!session_in_progress()) return std::nullopt;
  if (now < warning_at()) return warning_at();
  // During the warning: redraw each second for the countdown, then reset.
  const auto reset_at = warning_at() + settings_.idle.reset_after;
  const auto next_second = now + std::chrono::seconds(1) -
                           std::chrono::duration_cast<Clock::duration>((now - warning_at()) % std::chrono::seconds(1));
  return std::min(next_second, reset_at);
}

bool KioskFlow::tick(TimePoint now) {
  if (step_ == KioskStep::thanks) {
    if (now < thanks_until_) return false;
    end_session();
    return true;
  }
  const auto status = idle(now);
  if (!status.warning) return false;
  if (now >= warning_at() + settings_.idle.reset_after) {
    end_session();  // the customer has gone: discard the unfinished answers
    return true;
  }
  const bool changed = !warning_shown_ || warning_seconds_shown_ != status.seconds_left;
  warning_shown_ = true;
  warning_seconds_shown_ = status.seconds_left;
  return changed;
}

}  // namespace heed
