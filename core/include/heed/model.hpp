// The records Heed captures, as assets/api/wire-format.md defines them (schema 2;
// schema 1 is ../shared/wire-format.md and is still accepted): Feedback from the
// kiosk, Complaint and ComplaintUpdate from the staff tablet. Field names match
// the wire; enum values are the wire's strings (see enum_name / parse_enum).
// Money is integer pence; times are whole UTC seconds. A record remembers the
// schema it was written in, so a schema 1 record reads back as it was sent.
// A record here may be invalid: validate() (validation.hpp) says what is wrong.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "heed/time.hpp"

namespace heed {

// The schema devices write. kOldestSchema..kSchemaVersion are accepted.
inline constexpr int kSchemaVersion = 2;
inline constexpr int kOldestSchema = 1;

// ---- Enumerations ---------------------------------------------------------
enum class RecordType { feedback, complaint, complaint_update };
enum class Channel { face_to_face, phone, email, kiosk, letter, social };
enum class Category {
  faulty_goods,
  not_as_described,
  delivery,
  pricing_billing,
  staff_conduct,
  service,
  store_environment,
  accessibility,
  data_privacy,
  other
};
enum class Severity { low, medium, high };
enum class CustomerMood { calm, upset, angry, confused, demanding };
enum class DesiredOutcome { refund, replacement, repair, apology, explanation, compensation, other };
enum class Offer { refund, replacement, repair, goodwill, apology, explanation, price_reduction, none };
enum class PurchaseKind { goods, digital, service };
enum class EscalationTarget { store_manager, area_manager, head_office, specialist };
// Consumer Rights Act 2015 remedies (consumer_rights.hpp explains each).
enum class Entitlement {
  short_term_reject,       // goods, first 30 days: reject for a full refund
  repair_or_replace,       // goods after 30 days: one repair or replacement first
  final_reject_or_reduce,  // goods after a failed repair/replacement
  digital_repair,          // digital content: repair or replacement, else price reduction
  service_redo,            // services: repeat performance, else price reduction
};
// How a customer would like head office to reach them.
enum class ContactChannel { phone, email, letter };
// Formats a customer needs (Equality Act 2010 reasonable adjustments).
enum class AdjustmentFormat { large_print, easy_read, phone_not_writing };

// The wire strings of each enumeration, in declaration order.
template <class E>
struct EnumNames;
template <>
struct EnumNames<RecordType> {
  static constexpr std::array<std::string_view, 3> names{"feedback", "complaint", "complaint_update"};
};
template <>
struct EnumNames<Channel> {
  static constexpr std::array<std::string_view, 6> names{"face_to_face", "phone", "email", "kiosk", "letter", "social"};
};
template <>
struct EnumNames<Category> {
  static constexpr std::array<std::string_view, 10> names{
      "faulty_goods", "not_as_described",  "delivery",      "pricing_billing", "staff_conduct",
      "service",      "store_environment", "accessibility", "data_privacy",    "other"};
};
template <>
struct EnumNames<Severity> {
  static constexpr std::array<std::string_view, 3> names{"low", "medium", "high"};
};
template <>
struct EnumNames<CustomerMood> {
  static constexpr std::array<std::string_view, 5> names{"calm", "upset", "angry", "confused", "demanding"};
};
template <>
struct EnumNames<DesiredOutcome> {
  static constexpr std::array<std::string_view, 7> names{"refund",      "replacement",  "repair", "apology",
                                                         "explanation", "compensation", "other"};
};
template <>
struct EnumNames<Offer> {
  static constexpr std::array<std::string_view, 8> names{"refund",  "replacement", "repair",          "goodwill",
                                                         "apology", "explanation", "price_reduction", "none"};
};
template <>
struct EnumNames<PurchaseKind> {
  static constexpr std::array<std::string_view, 3> names{"goods", "digital", "service"};
};
template <>
struct EnumNames<EscalationTarget> {
  static constexpr std::array<std::string_view, 4> names{"store_manager", "area_manager", "head_office", "specialist"};
};

template <>
struct EnumNames<Entitlement> {
  static constexpr std::array<std::string_view, 5> names{"short_term_reject", "repair_or_replace",
                                                         "final_reject_or_reduce", "digital_repair", "service_redo"};
};
template <>
struct EnumNames<ContactChannel> {
  static constexpr std::array<std::string_view, 3> names{"phone", "email", "letter"};
};
template <>
struct EnumNames<AdjustmentFormat> {
  static constexpr std::array<std::string_view, 3> names{"large_print", "easy_read", "phone_not_writing"};
};

template <class E>
constexpr std::string_view enum_name(E value) {
  return EnumNames<E>::names[static_cast<std::size_t>(value)];
}

template <class E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

// Every value of an enumeration, for pickers and exhaustive tests.
template <class E>
constexpr auto enum_values() {
  std::array<E, EnumNames<E>::names.size()> values{};
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<E>(i);
  return values;
}

// ---- Parts ----------------------------------------------------------------
// Fields every record carries.
struct RecordHeader {
  std::string id;               // UUID v4 made on the device: the idempotency key
  std::string store_id;         // 1-32 of A-Z 0-9 - _
  std::string device_id;        // as issued at enrollment
  Timestamp created_at{};       // when the person made it, at the store
  int schema = kSchemaVersion;  // the wire schema it was written in
  bool operator==(const RecordHeader&) const = default;
};

// Contact details, present only when the person consented to be contacted.
struct Contact {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  bool consent = true;                 // must be true: without consent there is no Contact at all
  std::string notice_version;          // the privacy notice the person agreed to
  std::optional<std::string> address;  // schema 2: postal address, for a customer who wants letters
  bool operator==(const Contact&) const = default;
};

struct Purchase {
  PurchaseKind kind = PurchaseKind::goods;
  Date date{};
  std::int64_t amount_pence = 0;
  std::optional<std::string> order_ref;
  bool operator==(const Purchase&) const = default;
};

struct Escalation {
  EscalationTarget target = EscalationTarget::store_manager;
  std::string rationale;          // 20+ characters, citing the history reviewed
  bool history_reviewed = false;  // must be true
  bool operator==(const Escalation&) const = default;
};

// What the tablet showed staff about the Consumer Rights Act (schema 2), kept as
// shown so head office reads it without recomputing it.
struct ConsumerRightsResult {
  PurchaseKind kind = PurchaseKind::goods;
  int days_since_purchase = 0;
  Entitlement entitlement = Entitlement::short_term_reject;
  bool repair_already_failed = false;
  bool burden_on_trader = false;   // a fault is presumed present at delivery
  bool offer_falls_short = false;  // nothing offered met the entitlement
  bool operator==(const ConsumerRightsResult&) const = default;
};

// Reasonable adjustments and contact preferences (schema 2). Special-category
// data under UK GDPR: kept only with the customer's explicit consent, in the
// fewest words.
struct Adjustments {
  bool consent = true;  // must be true: without consent there are no Adjustments
  std::optional<ContactChannel> contact_channel;
  std::optional<std::string> best_time;  // "after 5pm", at most 100 characters
  std::optional<std::string> language;   // catalogue code, e.g. "cy"
  std::vector<AdjustmentFormat> formats;
  std::optional<std::string> note;  // the adjustment needed, at most 300 characters
  bool operator==(const Adjustments&) const = default;
};

// ---- Records --------------------------------------------------------------
struct Feedback {
  RecordHeader header;
  std::optional<int> csat;             // 1-5
  std::optional<int> nps;              // 0-10; at least one of csat, nps
  std::optional<std::string> comment;  // at most 2,000 characters
  std::string language;                // catalogue code: "en", "cy", "pl"
  std::string touchpoint;              // from the question set, e.g. "checkout"
  std::optional<Contact> contact;
  bool suspected_misuse = false;  // set by the kiosk's burst detector
  bool operator==(const Feedback&) const = default;
};

struct Complaint {
  RecordHeader header;
  std::string reference;  // the customer's reference (reference.hpp)
  std::string staff_id;
  Channel channel = Channel::face_to_face;
  std::optional<std::string> touchpoint;  // schema 2 (required there): where it happened
  Category category = Category::other;
  Severity severity = Severity::medium;
  std::string description;  // the customer's account, 1-5,000 characters
  CustomerMood customer_mood = CustomerMood::calm;
  DesiredOutcome desired_outcome = DesiredOutcome::other;
  std::vector<Offer> offered;
  std::int64_t goodwill_pence = 0;
  std::optional<std::string> approved_by;  // manager who approved goodwill over the limit
  std::optional<Purchase> purchase;
  std::optional<ConsumerRightsResult> consumer_rights;  // schema 2: when the Act applied
  bool resolved_first_contact = false;
  // Set when resolved at first contact; schema 2 requires true there (a resolution
  // the customer did not accept is escalated instead).
  std::optional<bool> customer_accepted;
  std::optional<Escalation> escalation;  // required when not resolved at first contact
  std::optional<Contact> customer;
  std::optional<Adjustments> adjustments;  // schema 2
  bool operator==(const Complaint&) const = default;
};

// First-contact resolution as the KPIs count it: resolved at the desk and the
// customer accepted. Schema 1 records could say resolved without acceptance.
bool counts_as_first_contact_resolution(const Complaint& complaint);

struct ComplaintUpdate {
  RecordHeader header;
  std::string complaint_id;  // the complaint's id
  std::string staff_id;
  std::string note;  // 1-5,000 characters
  bool operator==(const ComplaintUpdate&) const = default;
};

using Record = std::variant<Feedback, Complaint, ComplaintUpdate>;

const RecordHeader& header_of(const Record& record);
RecordHeader& header_of(Record& record);
RecordType type_of(const Record& record);

// A new random UUID v4 in lowercase canonical form.
std::string new_uuid_v4();
bool is_uuid_v4(std::string_view text);

}  // namespace heed
