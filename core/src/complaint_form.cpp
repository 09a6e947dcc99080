// The staff complaint form's rules. See complaint_form.hpp.
#include "heed/complaint_form.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "heed/reference.hpp"
#include "heed/secrets.hpp"
#include "heed/validation.hpp"

namespace heed {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 8> kStepNames{"hear",     "empathise", "act",    "resolve",
                                                     "escalate", "contact",   "review", "done"};

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

std::optional<std::string> non_empty(std::string_view text) {
  auto t = trim(text);
  return t.empty() ? std::nullopt : std::optional<std::string>(std::move(t));
}

// Which step a field belongs to, so a step's errors are only its own.
ComplaintStep step_of_field(std::string_view field) {
  auto starts = [&](std::string_view prefix) { return field.rfind(prefix, 0) == 0; };
  if (starts("customer_mood") || starts("desired_outcome")) return ComplaintStep::empathise;
  if (starts("offered") || starts("goodwill") || starts("approved_by")) return ComplaintStep::act;
  if (starts("resolved_first_contact") || starts("customer_accepted")) return ComplaintStep::resolve;
  if (starts("escalation")) return ComplaintStep::escalate;
  if (starts("customer") || starts("adjustments")) return ComplaintStep::contact;
  if (starts("id") || starts("store_id") || starts("device_id") || starts("created_at") || starts("staff_id") ||
      starts("reference"))
    return ComplaintStep::review;
  return ComplaintStep::hear;  // channel, touchpoint, category, severity, description, purchase.*, consumer_rights
}

template <class E>
json optional_enum(const std::optional<E>& value) {
  return value ? json(enum_name(*value)) : json(nullptr);
}

template <class E>
std::optional<E> read_enum(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return parse_enum<E>(j[key].get<std::string>());
}

}  // namespace

std::string_view complaint_step_name(ComplaintStep step) { return kStepNames[static_cast<std::size_t>(step)]; }

// ---- Typed input ---------------------------------------------------------------
std::optional<std::int64_t> parse_pence(std::string_view text) {
  std::string digits;
  std::string t = trim(text);
  std::string_view v = t;
  if (v.rfind("£", 0) == 0) v.remove_prefix(std::string_view("£").size());
  if (v.empty()) return std::nullopt;
  std::int64_t pounds = 0, pence = 0;
  int decimals = -1;  // -1: no point seen
  bool any_digit = false;
  for (char c : v) {
    if (c == ',' && decimals < 0) continue;  // thousands separators
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (decimals < 0) {
      if (pounds > 100'000'000) return std::nullopt;
      pounds = pounds * 10 + (c - '0');
    } else {
      if (++decimals > 2) return std::nullopt;
      pence = pence * 10 + (c - '0');
    }
  }
  if (!any_digit) return std::nullopt;
  if (decimals == 1) pence *= 10;  // "0.5" is 50p
  return pounds * 100 + pence;
}

std::string format_pence(std::int64_t pence) {
  const std::string digits = std::to_string(pence / 100);
  std::string pounds;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) pounds += ',';  // thousands
    pounds += digits[i];
  }
  return fmt::format("£{}.{:02}", pounds, pence % 100);
}

std::optional<Date> parse_uk_date(std::string_view text) {
  const std::string t = trim(text);
  if (auto iso = parse_date(t)) return iso;
  int d = 0, m = 0, y = 0;
  char s1 = 0, s2 = 0;
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y, &consumed) != 5 ||
      consumed != static_cast<int>(t.size()) || s1 != s2 || (s1 != '/' && s1 != '-' && s1 != '.') || y < 1900)
    return std::nullopt;
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// ---- Drafts --------------------------------------------------------------------
json draft_to_json(const ComplaintFormData& d) {
  json offered = json::array();
  for (Offer o : d.offered) offered.push_back(enum_name(o));
  json formats = json::array();
  for (AdjustmentFormat f : d.formats) formats.push_back(enum_name(f));
  return json{{"version", 2},
              {"touchpoint", d.touchpoint},
              {"address", d.address},
              {"adjustments_consent", d.adjustments_consent},
              {"contact_channel", optional_enum(d.contact_channel)},
              {"best_time", d.best_time},
              {"preferred_language", d.preferred_language},
              {"formats", formats},
              {"adjustment_note", d.adjustment_note},
              {"id", d.id},
              {"created_at", format_timestamp(d.created_at)},
              {"staff_id", d.staff_id},
              {"step", complaint_step_name(d.step)},
              {"channel", enum_name(d.channel)},
              {"category", optional_enum(d.category)},
              {"severity", optional_enum(d.severity)},
              {"description", d.description},
              {"has_purchase", d.has_purchase},
              {"purchase_kind", enum_name(d.purchase_kind)},
              {"purchase_date", d.purchase_date},
              {"purchase_amount", d.purchase_amount},
              {"order_ref", d.order_ref},
              {"mood", optional_enum(d.mood)},
              {"desired_outcome", optional_enum(d.desired_outcome)},
              {"offered", offered},
              {"goodwill", d.goodwill},
              {"repair_already_failed", d.repair_already_failed},
              {"approved_by", d.approved_by ? json(*d.approved_by) : json(nullptr)},
              {"approved_pence", d.approved_pence},
              {"resolved_first_contact", d.resolved_first_contact ? json(*d.resolved_first_contact) : json(nullptr)},
              {"customer_accepted", d.customer_accepted ? json(*d.customer_accepted) : json(nullptr)},
              {"history_opened", d.history_opened},
              {"escalation_target", optional_enum(d.escalation_target)},
              {"rationale", d.rationale},
              {"consent", d.consent},
              {"name", d.name},
              {"email", d.email},
              {"phone", d.phone}};
}

std::optional<ComplaintFormData> draft_from_json(const json& j) {
  // Version 1 drafts (before records schema 2) resume with schema 2's fields empty.
  const int version = j.is_object() ? j.value("version", 0) : 0;
  if (version != 1 && version != 2) return std::nullopt;
  try {
    ComplaintFormData d;
    d.id = j.at("id").get<std::string>();
    auto created = parse_timestamp(j.at("created_at").get<std::string>());
    if (!created || !is_uuid_v4(d.id)) return std::nullopt;
    d.created_at = *created;
    d.staff_id = j.at("staff_id").get<std::string>();
    const auto step = j.at("step").get<std::string>();
    const auto it = std::find(kStepNames.begin(), kStepNames.end(), step);
    if (it == kStepNames.end()) return std::nullopt;
    d.step = static_cast<ComplaintStep>(it - kStepNames.begin());
    d.channel = read_enum<Channel>(j, "channel").value_or(Channel::face_to_face);
    d.category = read_enum<Category>(j, "category");
    d.severity = read_enum<Severity>(j, "severity");
    d.description = j.at("description").get<std::string>();
    d.has_purchase = j.at("has_purchase").get<bool>();
    d.purchase_kind = read_enum<PurchaseKind>(j, "purchase_kind").value_or(PurchaseKind::goods);
    d.purchase_date = j.at("purchase_date").get<std::string>();
    d.purchase_amount = j.at("purchase_amount").get<std::string>();
    d.order_ref = j.at("order_ref").get<std::string>();
    d.mood = read_enum<CustomerMood>(j, "mood");
    d.desired_outcome = read_enum<DesiredOutcome>(j, "desired_outcome");
    for (const auto& o : j.at("offered"))
      if (auto offer = parse_enum<Offer>(o.get<std::string>())) d.offered.push_back(*offer);
    d.goodwill = j.at("goodwill").get<std::string>();
    d.repair_already_failed = j.at("repair_already_failed").get<bool>();
    if (j.at("approved_by").is_string()) d.approved_by = j.at("approved_by").get<std::string>();
    d.approved_pence = j.at("approved_pence").get<std::int64_t>();
    if (j.at("resolved_first_contact").is_boolean())
      d.resolved_first_contact = j.at("resolved_first_contact").get<bool>();
    if (j.at("customer_accepted").is_boolean()) d.customer_accepted = j.at("customer_accepted").get<bool>();
    d.history_opened = j.at("history_opened").get<bool>();
    d.escalation_target = read_enum<EscalationTarget>(j, "escalation_target");
    d.rationale = j.at("rationale").get<std::string>();
    d.consent = j.at("consent").get<bool>();
    d.name = j.at("name").get<std::string>();
    d.email = j.at("email").get<std::string>();
    d.phone = j.at("phone").get<std::string>();
    if (version >= 2) {
      d.touchpoint = j.at("touchpoint").get<std::string>();
      d.address = j.at("address").get<std::string>();
      d.adjustments_consent = j.at("adjustments_consent").get<bool>();
      d.contact_channel = read_enum<ContactChannel>(j, "contact_channel");
      d.best_time = j.at("best_time").get<std::string>();
      d.preferred_language = j.at("preferred_language").get<std::string>();
      for (const auto& f : j.at("formats"))
        if (auto format = parse_enum<AdjustmentFormat>(f.get<std::string>())) d.formats.push_back(*format);
      d.adjustment_note = j.at("adjustment_note").get<std::string>();
    }
    return d;
  } catch (const json::exception&) {
    return std::nullopt;  // a draft from another version: start afresh rather than crash
  }
}

bool ComplaintFormData::has_adjustments() const {
  return contact_channel || !trim(best_time).empty() || !trim(preferred_language).empty() || !formats.empty() ||
         !trim(adjustment_note).empty();
}

// ---- The form -----------------------------------------------------------------
ComplaintForm::ComplaintForm(ComplaintFormSettings settings, std::string staff_id, Timestamp created_at)
    : settings_(std::move(settings)) {
  data_.id = new_uuid_v4();
  data_.created_at = created_at;
  data_.staff_id = std::move(staff_id);
}

ComplaintForm::ComplaintForm(ComplaintFormSettings settings, ComplaintFormData data)
    : settings_(std::move(settings)), data_(std::move(data)) {
  if (data_.category == Category::faulty_goods) data_.has_purchase = true;  // a draft from before the rule
}

bool ComplaintForm::blank() const {
  ComplaintFormData fresh;
  fresh.id = data_.id;
  fresh.created_at = data_.created_at;
  fresh.staff_id = data_.staff_id;
  return data_ == fresh;
}

void ComplaintForm::set_category(Category category) {
  data_.category = category;
  if (category == Category::faulty_goods) data_.has_purchase = true;
}

bool ComplaintForm::set_has_purchase(bool has_purchase) {
  if (!has_purchase && data_.category == Category::faulty_goods) return false;
  data_.has_purchase = has_purchase;
  return true;
}

std::optional<std::int64_t> ComplaintForm::goodwill_pence() const {
  if (trim(data_.goodwill).empty()) return 0;
  return parse_pence(data_.goodwill);
}

bool ComplaintForm::needs_manager_approval() const {
  const auto amount = goodwill_pence().value_or(0);
  return amount > settings_.goodwill_limit_pence && !(data_.approved_by && data_.approved_pence >= amount);
}

ComplaintForm::Approval ComplaintForm::approve_goodwill(std::string_view manager_id, std::string_view pin) {
  const auto it = std::find_if(settings_.roster.begin(), settings_.roster.end(),
                               [&](const StaffMember& m) { return m.id == manager_id; });
  if (it == settings_.roster.end() || it->role != StaffRole::manager) return Approval::not_a_manager;
  if (!verify_secret(pin, it->pin_hash)) return Approval::wrong_pin;
  data_.approved_by = it->id;
  data_.approved_pence = goodwill_pence().value_or(0);
  return Approval::approved;
}

std::optional<ConsumerRightsHint> ComplaintForm::consumer_rights() const {
  if (!data_.has_purchase || !data_.category) return std::nullopt;
  const auto date = parse_uk_date(data_.purchase_date);
  if (!date) return std::nullopt;
  return consumer_rights_hint(*data_.category, Purchase{data_.purchase_kind, *date, 0, std::nullopt},
                              utc_date(data_.created_at), data_.offered, data_.repair_already_failed);
}

Complaint ComplaintForm::assemble(std::string_view reference) const {
  Complaint c;
  c.header = RecordHeader{data_.id, settings_.store_id, settings_.device_id, data_.created_at};
  c.reference = std::string(reference);
  c.staff_id = data_.staff_id;
  c.channel = data_.channel;
  c.touchpoint = non_empty(data_.touchpoint);
  c.category = data_.category.value_or(Category::other);
  c.severity = data_.severity.value_or(Severity::medium);
  c.description = trim(data_.description);
  c.customer_mood = data_.mood.value_or(CustomerMood::calm);
  c.desired_outcome = data_.desired_outcome.value_or(DesiredOutcome::other);
  c.offered = data_.offered;
  c.goodwill_pence = goodwill_pence().value_or(0);
  if (c.goodwill_pence > settings_.goodwill_limit_pence && !needs_manager_approval()) c.approved_by = data_.approved_by;
  if (data_.has_purchase) {
    Purchase p;
    p.kind = data_.purchase_kind;
    p.date = parse_uk_date(data_.purchase_date).value_or(Date{});
    p.amount_pence = parse_pence(data_.purchase_amount).value_or(0);
    p.order_ref = non_empty(data_.order_ref);
    c.purchase = p;
    if (const auto hint = consumer_rights())
      c.consumer_rights = consumer_rights_result(*hint, p.kind, data_.repair_already_failed);
  }
  // A resolution the customer did not accept is escalated, and the record says
  // they did not accept it.
  c.resolved_first_contact = data_.resolved_first_contact == true && data_.customer_accepted != false;
  c.customer_accepted = data_.resolved_first_contact == true ? data_.customer_accepted : std::nullopt;
  if (!c.resolved_first_contact)
    c.escalation = Escalation{data_.escalation_target.value_or(EscalationTarget::store_manager), trim(data_.rationale),
                              data_.history_opened};
  if (data_.consent) {
    Contact contact;
    contact.name = non_empty(data_.name);
    contact.email = non_empty(data_.email);
    contact.phone = non_empty(data_.phone);
    if (contact.phone) contact.phone = normalise_uk_phone(*contact.phone).value_or(*contact.phone);
    contact.address = non_empty(data_.address);
    contact.notice_version = settings_.notice_version;
    c.customer = contact;
  }
  if (data_.has_adjustments()) {
    Adjustments a;
    a.consent = data_.adjustments_consent;
    a.contact_channel = data_.contact_channel;
    a.best_time = non_empty(data_.best_time);
    a.language = non_empty(data_.preferred_language);
    a.formats = data_.formats;
    a.note = non_empty(data_.adjustment_note);
    c.adjustments = a;
  }
  return c;
}

FieldErrors ComplaintForm::errors(ComplaintStep step) const {
  FieldErrors out;
  auto fail = [&](std::string field, std::string code, std::string message) {
    out.push_back({std::move(field), std::move(code), std::move(message)});
  };
  switch (step) {
    case ComplaintStep::hear:
      if (!data_.category) fail("category", "required", "choose a category");
      if (!data_.severity) fail("severity", "required", "choose a severity");
      if (trim(data_.touchpoint).empty()) fail("touchpoint", "required", "choose where it happened");
      if (data_.has_purchase) {
        if (!parse_uk_date(data_.purchase_date))
          fail("purchase.date", "date_invalid", "enter the purchase date, e.g. 15/11/2026");
        if (!parse_pence(data_.purchase_amount))
          fail("purchase.amount_pence", "money_invalid", "enter the amount paid, e.g. £29.99");
      }
      break;
    case ComplaintStep::empathise:
      if (!data_.mood) fail("customer_mood", "required", "note how the customer is");
      if (!data_.desired_outcome) fail("desired_outcome", "required", "note the outcome the customer wants");
      break;
    case ComplaintStep::act:
      if (!goodwill_pence())
        fail("goodwill_pence", "money_invalid", "enter the goodwill amount, e.g. £15");
      else if (needs_manager_approval())
        fail("approved_by", "approval_required",
             fmt::format("goodwill over {} needs a manager's approval", format_pence(settings_.goodwill_limit_pence)));
      break;
    case ComplaintStep::resolve:
      if (!data_.resolved_first_contact)
        fail("resolved_first_contact", "required", "say whether it was resolved at first contact");
      else if (*data_.resolved_first_contact && !data_.customer_accepted)
        fail("customer_accepted", "accepted_missing", "say whether the customer accepted the resolution");
      break;
    case ComplaintStep::escalate:
      if (!data_.history_opened)
        fail("escalation.history_reviewed", "history_not_reviewed", "open the customer's history before escalating");
      if (!data_.escalation_target) fail("escalation.target", "required", "choose who the complaint goes to");
      break;
    default:
      break;
  }
  // The wire rules, for the fields of this step (a placeholder reference keeps
  // the reference rule quiet until save allocates the real one).
  for (auto& e : validate(assemble(make_reference("ZZ", "Z", 0)))) {
    if (step_of_field(e.field) != step && step != ComplaintStep::review) continue;
    const bool already = std::any_of(out.begin(), out.end(), [&](const FieldError& o) { return o.field == e.field; });
    if (!already) out.push_back(std::move(e));
  }
  if (step == ComplaintStep::review)  // every step's own checks too
    for (auto s : {ComplaintStep::hear, ComplaintStep::empathise, ComplaintStep::act, ComplaintStep::resolve,
                   ComplaintStep::escalate})
      if (s != ComplaintStep::escalate || data_.escalating())
        for (auto& e : errors(s))
          if (std::none_of(out.begin(), out.end(), [&](const FieldError& o) { return o.field == e.field; }))
            out.push_back(std::move(e));
  return out;
}

bool ComplaintForm::next() {
  if (data_.step == ComplaintStep::done || !errors().empty()) return false;
  switch (data_.step) {
    case ComplaintStep::hear:
      data_.step = ComplaintStep::empathise;
      break;
    case ComplaintStep::empathise:
      data_.step = ComplaintStep::act;
      break;
    case ComplaintStep::act:
      data_.step = ComplaintStep::resolve;
      break;
    case ComplaintStep::resolve:
      data_.step = data_.escalating() ? ComplaintStep::escalate : ComplaintStep::contact;
      break;
    case ComplaintStep::escalate:
      data_.step = ComplaintStep::contact;
      break;
    case ComplaintStep::contact:
      data_.step = ComplaintStep::review;
      break;
    case ComplaintStep::review:
      data_.step = ComplaintStep::done;
      break;
    case ComplaintStep::done:
      break;
  }
  return true;
}

void ComplaintForm::back() {
  switch (data_.step) {
    case ComplaintStep::hear:
    case ComplaintStep::done:
      break;
    case ComplaintStep::empathise:
      data_.step = ComplaintStep::hear;
      break;
    case ComplaintStep::act:
      data_.step = ComplaintStep::empathise;
      break;
    case ComplaintStep::resolve:
      data_.step = ComplaintStep::act;
      break;
    case ComplaintStep::escalate:
      data_.step = ComplaintStep::resolve;
      break;
    case ComplaintStep::contact:
      data_.step = data_.escalating() ? ComplaintStep::escalate : ComplaintStep::resolve;
      break;
    case ComplaintStep::review:
      data_.step = ComplaintStep::contact;
      break;
  }
}

Result<Complaint, FieldErrors> ComplaintForm::build(std::string_view reference) const {
  auto problems = errors(ComplaintStep::review);
  Complaint complaint = assemble(reference);
  for (auto& e : validate(complaint))
    if (std::none_of(problems.begin(), problems.end(), [&](const FieldError& o) { return o.field == e.field; }))
      problems.push_back(std::move(e));
  if (!problems.empty()) return problems;
  return complaint;
}

Result<ComplaintUpdate, FieldErrors> make_complaint_update(const ComplaintFormSettings& settings,
                                                           std::string_view complaint_id, std::string_view staff_id,
                                                           std::string_view note, Timestamp created_at) {
  ComplaintUpdate update;
  update.header = RecordHeader{new_uuid_v4(), settings.store_id, settings.device_id, created_at};
  update.complaint_id = std::string(complaint_id);
  update.staff_id = std::string(staff_id);
  update.note = trim(note);
  if (auto problems = validate(update); !problems.empty()) return problems;
  return update;
}

// ---- StaffSession ---------------------------------------------------------------
StaffSession::StaffSession(std::vector<StaffMember> roster, std::chrono::seconds lock_after)
    : roster_(std::move(roster)), lock_after_(lock_after) {}

const StaffMember* StaffSession::who() const { return signed_in_ ? &roster_[*signed_in_] : nullptr; }

int StaffSession::lockout_seconds_left(std::string_view staff_id, TimePoint now) const {
  for (const auto& a : attempts_)
    if (a.staff_id == staff_id && now < a.locked_until)
      return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(a.locked_until - now).count());
  return 0;
}

StaffSession::SignIn StaffSession::sign_in(std::string_view staff_id, std::string_view pin, TimePoint now) {
  const auto it = std::find_if(roster_.begin(), roster_.end(), [&](const StaffMember& m) { return m.id == staff_id; });
  if (it == roster_.end()) return SignIn::unknown;
  auto attempt =
      std::find_if(attempts_.begin(), attempts_.end(), [&](const Attempts& a) { return a.staff_id == staff_id; });
  if (attempt == attempts_.end()) attempt = attempts_.insert(attempts_.end(), Attempts{std::string(staff_id), 0, {}});
  if (now < attempt->locked_until) return SignIn::locked_out;
  if (!verify_secret(pin, it->pin_hash)) {
    if (++attempt->wrong >= 5) {
      attempt->wrong = 0;
      attempt->locked_until = now + std::chrono::seconds(60);
      return SignIn::locked_out;
    }
    return SignIn::wrong_pin;
  }
  attempt->wrong = 0;
  signed_in_ = static_cast<std::size_t>(it - roster_.begin());
  last_input_ = now;
  return SignIn::ok;
}

void StaffSession::lock() { signed_in_.reset(); }

void StaffSession::touched(TimePoint now) { last_input_ = now; }

bool StaffSession::tick(TimePoint now) {
  if (!signed_in_ || now - last_input_ < lock_after_) return false;
  lock();
  return true;
}

std::optional<StaffSession::TimePoint> StaffSession::next_deadline() const {
  if (!signed_in_) return std::nullopt;
  return last_input_ + lock_after_;
}

}  // namespace heed
