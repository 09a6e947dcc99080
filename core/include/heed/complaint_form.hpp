// The staff complaint form as a state machine, with no UI in it. Its steps
// follow good complaint handling (domain.md section 3):
//   hear      what happened, in the customer's words; channel, touchpoint,
//             category, severity; what was bought (for the Consumer Rights Act hint)
//   empathise the customer's state and the outcome they want
//   act       what was offered (and goodwill, with a manager's approval over
//             the limit), beside the Consumer Rights Act hint
//   resolve   resolved at first contact? did the customer accept? (not
//             accepted is not resolved: it goes on to escalate)
//   escalate  only when not resolved: the customer's history must be opened,
//             then a target and a rationale that cites it
//   contact   contact details, only with the customer's consent; reasonable
//             adjustments and contact preferences, only with their explicit consent
//   review    everything once more, then save
//   done      the reference, large and as a QR code
// The form's data is plain and serialisable, so a half-filled form survives a
// tablet lock as a draft and resumes exactly where it was.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/config.hpp"
#include "heed/consumer_rights.hpp"
#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

enum class ComplaintStep { hear, empathise, act, resolve, escalate, contact, review, done };
std::string_view complaint_step_name(ComplaintStep step);

// Everything typed or chosen so far. Text fields hold what staff typed; they
// are parsed (money, dates, phone numbers) when the form checks a step.
struct ComplaintFormData {
  std::string id;          // the complaint's id, fixed when the form starts
  Timestamp created_at{};  // when the customer made the complaint
  std::string staff_id;
  ComplaintStep step = ComplaintStep::hear;

  Channel channel = Channel::face_to_face;
  std::string touchpoint;  // one of the settings' touchpoints
  std::optional<Category> category;
  std::optional<Severity> severity;
  std::string description;
  bool has_purchase = false;
  PurchaseKind purchase_kind = PurchaseKind::goods;
  std::string purchase_date;    // "15/11/2026" or "2026-11-15"
  std::string purchase_amount;  // "£29.99"
  std::string order_ref;

  std::optional<CustomerMood> mood;
  std::optional<DesiredOutcome> desired_outcome;

  std::vector<Offer> offered;
  std::string goodwill;  // "£15" or empty
  bool repair_already_failed = false;
  std::optional<std::string> approved_by;  // manager id
  std::int64_t approved_pence = 0;         // the amount that manager approved

  std::optional<bool> resolved_first_contact;
  std::optional<bool> customer_accepted;

  bool history_opened = false;
  std::optional<EscalationTarget> escalation_target;
  std::string rationale;

  bool consent = false;
  std::string name, email, phone, address;

  // Reasonable adjustments and contact preferences (kept only with adjustments_consent).
  bool adjustments_consent = false;
  std::optional<ContactChannel> contact_channel;
  std::string best_time;
  std::string preferred_language;  // catalogue code, or empty
  std::vector<AdjustmentFormat> formats;
  std::string adjustment_note;

  // Resolved at first contact and the customer accepted; otherwise the form escalates.
  bool resolved_and_accepted() const { return resolved_first_contact == true && customer_accepted == true; }
  // Whether the form goes through the escalate step: not resolved, or not accepted.
  bool escalating() const {
    return resolved_first_contact == false || (resolved_first_contact == true && customer_accepted == false);
  }
  // Any adjustment or preference entered (consent or not).
  bool has_adjustments() const;

  bool operator==(const ComplaintFormData&) const = default;
};

nlohmann::json draft_to_json(const ComplaintFormData& data);
// A draft written by draft_to_json; nullopt if it is not one (an older or damaged draft).
std::optional<ComplaintFormData> draft_from_json(const nlohmann::json& json);

// Money as a person types it ("£1,299.50", "15", "0.5") to pence; nullopt if not money.
std::optional<std::int64_t> parse_pence(std::string_view text);
std::string format_pence(std::int64_t pence);  // "£1,299.50"
// A date as a person in the UK types it ("15/11/2026", "15-11-2026") or ISO.
std::optional<Date> parse_uk_date(std::string_view text);

struct ComplaintFormSettings {
  std::string store_id;
  std::string device_id;
  std::int64_t goodwill_limit_pence = 2000;
  std::vector<StaffMember> roster;         // managers among them approve goodwill
  std::string notice_version = "2026-01";  // the privacy notice the customer is shown
  // Where in the customer's journey a complaint arose; the UI names each with the
  // catalogue key "touchpoint.<code>".
  std::vector<std::string> touchpoints{"checkout",      "customer_service",  "shop_floor",
                                       "fitting_rooms", "click_and_collect", "delivery",
                                       "returns",       "website",           "other"};
};

class ComplaintForm {
 public:
  // A new form for `staff_id`, made at `created_at`.
  ComplaintForm(ComplaintFormSettings settings, std::string staff_id, Timestamp created_at);
  // A form resumed from a draft.
  ComplaintForm(ComplaintFormSettings settings, ComplaintFormData data);

  const ComplaintFormData& data() const { return data_; }
  // The UI edits fields in place (immediate-mode text boxes); the rules are
  // checked when it moves on, so editing needs no intents.
  ComplaintFormData& edit() { return data_; }
  ComplaintStep step() const { return data_.step; }
  // Nothing chosen or typed yet: a form only opened (not worth keeping as a draft).
  bool blank() const;

  // A category. Faulty goods are always something the customer bought, so
  // choosing it ticks has_purchase (and the Consumer Rights Act hint applies).
  void set_category(Category category);
  // Whether the complaint is about something bought; false is refused (and
  // false returned) while the category is faulty goods.
  bool set_has_purchase(bool has_purchase);

  // What stops the current step (or `step`) from being left, by field.
  FieldErrors errors(ComplaintStep step) const;
  FieldErrors errors() const { return errors(data_.step); }
  // Moves on when the step is complete; false (and nothing moves) otherwise.
  bool next();
  void back();

  // The Consumer Rights Act hint for what is entered so far, if it applies.
  std::optional<ConsumerRightsHint> consumer_rights() const;
  // Goodwill above the limit and not (or no longer) covered by an approval.
  bool needs_manager_approval() const;
  enum class Approval { approved, wrong_pin, not_a_manager };
  // A manager approves the goodwill now entered, on the spot, with their PIN.
  Approval approve_goodwill(std::string_view manager_id, std::string_view pin);
  // Staff opened the customer's history (required before escalating).
  void history_opened() { data_.history_opened = true; }

  // The complaint record with this reference; errors name fields if incomplete.
  Result<Complaint, FieldErrors> build(std::string_view reference) const;

 private:
  std::optional<std::int64_t> goodwill_pence() const;
  Complaint assemble(std::string_view reference) const;

  ComplaintFormSettings settings_;
  ComplaintFormData data_;
};

// A note added later to a saved complaint: a new, append-only record that names
// the complaint (nothing saved is edited in place). The note is trimmed; errors
// name the fields (an empty or overlong note, a complaint id that is not one).
Result<ComplaintUpdate, FieldErrors> make_complaint_update(const ComplaintFormSettings& settings,
                                                           std::string_view complaint_id, std::string_view staff_id,
                                                           std::string_view note, Timestamp created_at);

// Sign-in and lock for the staff tablet.
class StaffSession {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  enum class SignIn { ok, unknown, wrong_pin, locked_out };

  StaffSession(std::vector<StaffMember> roster, std::chrono::seconds lock_after);

  const StaffMember* who() const;  // nullptr when locked
  const std::vector<StaffMember>& roster() const { return roster_; }
  SignIn sign_in(std::string_view staff_id, std::string_view pin, TimePoint now);
  int lockout_seconds_left(std::string_view staff_id, TimePoint now) const;
  void lock();  // on demand
  void touched(TimePoint now);
  bool tick(TimePoint now);  // locks after the idle time; true when it did
  std::optional<TimePoint> next_deadline() const;

 private:
  struct Attempts {
    std::string staff_id;
    int wrong = 0;
    TimePoint locked_until{};
  };
  std::vector<StaffMember> roster_;
  std::chrono::seconds lock_after_;
  std::optional<std::size_t> signed_in_;
  TimePoint last_input_{};
  std::vector<Attempts> attempts_;
};

}  // namespace heed
