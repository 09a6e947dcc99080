// The wire format's rules (assets/api/wire-format.md for schema 2,
// ../shared/wire-format.md for schema 1), one check per rule, each naming its field. Messages are plain English for API
// responses and logs; the UI translates by `code`.
#include "heed/validation.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "heed/reference.hpp"

namespace heed {
namespace {

// U+FFFD in UTF-8: what a device's text stack puts where it lost a character (an
// emoji through a 16-bit character type). Storing it would keep the loss for good.
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";
constexpr std::string_view kReplacementMessage =
    "contains U+FFFD, the mark of a character lost before it was sent: send the text as typed";

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

class Checker {
 public:
  explicit Checker(std::string prefix = {}) : prefix_(std::move(prefix)) {}

  void fail(std::string_view field, std::string_view code, std::string message) {
    errors_.push_back({prefix_ + std::string(field), std::string(code), std::move(message)});
  }

  // Text of min..max code points, valid UTF-8, with something besides spaces if min > 0.
  void text(std::string_view field, std::string_view value, std::size_t min, std::size_t max) {
    const auto length = utf8_length(value);
    if (!length) return fail(field, "not_utf8", "must be valid UTF-8 text");
    if (value.find(kReplacementChar) != std::string_view::npos)
      return fail(field, "replacement_char", std::string(kReplacementMessage));
    const bool blank = value.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (min > 0 && blank) return fail(field, "required", "is required");
    if (*length < min) return fail(field, "too_short", fmt::format("must be at least {} characters", min));
    if (*length > max) return fail(field, "too_long", fmt::format("must be at most {} characters", max));
  }

  void contact(std::string_view field, const Contact& contact) {
    Checker inner(prefix_ + std::string(field) + ".");
    if (!contact.consent)
      inner.fail("consent", "consent_required",
                 "must be true: contact details are kept only with the person's consent");
    if (!contact.email && !contact.phone && !contact.address)
      inner.fail("email", "contact_missing", "give an email address, a phone number or a postal address");
    if (contact.email && !is_valid_email(*contact.email))
      inner.fail("email", "email_invalid", "must be an email address like name@example.com");
    if (contact.phone && !normalise_uk_phone(*contact.phone))
      inner.fail("phone", "phone_invalid", "must be a UK phone number like 07700 900123");
    if (contact.name) inner.text("name", *contact.name, 1, 200);
    if (contact.address) inner.text("address", *contact.address, 1, kMaxAddressChars);
    inner.text("notice_version", contact.notice_version, 1, 32);
    for (auto& e : inner.errors_) errors_.push_back(std::move(e));
  }

  void header(const RecordHeader& header) {
    if (!is_uuid_v4(header.id)) fail("id", "id_invalid", "must be a UUID v4");
    if (!is_valid_store_id(header.store_id)) fail("store_id", "store_id_invalid", "must be 1-32 of A-Z, 0-9, - and _");
    const auto& device = header.device_id;
    if (device.empty() || device.size() > 64 || !std::all_of(device.begin(), device.end(), [](char c) {
          return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
        }))
      fail("device_id", "device_id_invalid", "must be 1-64 of A-Z, a-z, 0-9, - _ . and :");
    // Times before Heed existed are a broken clock, not a customer's visit.
    const auto floor = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1};
    if (header.created_at < floor)
      fail("created_at", "created_at_invalid", "must be a time after 2020-01-01T00:00:00Z");
  }

  // 1-64 of a-z, 0-9, _ and -: a touchpoint of the question set.
  void touchpoint(std::string_view field, std::string_view value) {
    if (value.empty() || value.size() > 64 || !std::all_of(value.begin(), value.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }))
      fail(field, "touchpoint_invalid", "must be 1-64 of a-z, 0-9, _ and -");
  }

  void language(std::string_view field, std::string_view lang) {
    if (lang.size() < 2 || lang.size() > 3 ||
        !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      fail(field, "language_invalid", "must be a catalogue code like en, cy or pl");
  }

  FieldErrors take() { return std::move(errors_); }

 private:
  std::string prefix_;
  FieldErrors errors_;
};

// What schema 2 added to a complaint: touchpoint, the Consumer Rights Act result
// as shown, and the customer's adjustments and contact preferences.
void schema2_complaint(Checker& check, const Complaint& complaint) {
  if (!complaint.touchpoint)
    check.fail("touchpoint", "required", "is required");
  else
    check.touchpoint("touchpoint", *complaint.touchpoint);

  if (const auto& cra = complaint.consumer_rights) {
    if (!complaint.purchase)
      check.fail("consumer_rights", "purchase_missing", "is kept only for a complaint about a purchase");
    else if (cra->kind != complaint.purchase->kind)
      check.fail("consumer_rights.kind", "kind_mismatch", "must be the purchase's kind");
    if (cra->days_since_purchase < 0 || cra->days_since_purchase > kMaxDaysSincePurchase)
      check.fail("consumer_rights.days_since_purchase", "days_range",
                 fmt::format("must be from 0 to {}", kMaxDaysSincePurchase));
  }

  if (const auto& a = complaint.adjustments) {
    if (!a->consent)
      check.fail("adjustments.consent", "consent_required",
                 "must be true: adjustments are kept only with the customer's explicit consent");
    if (!a->contact_channel && !a->best_time && !a->language && a->formats.empty() && !a->note)
      check.fail("adjustments", "adjustments_empty", "say what the customer needs, or leave adjustments out");
    const auto& customer = complaint.customer;
    if (a->contact_channel == ContactChannel::phone && !(customer && customer->phone))
      check.fail("adjustments.contact_channel", "channel_unreachable", "phone needs the customer's phone number");
    if (a->contact_channel == ContactChannel::email && !(customer && customer->email))
      check.fail("adjustments.contact_channel", "channel_unreachable", "email needs the customer's email address");
    if (a->contact_channel == ContactChannel::letter && !(customer && customer->address))
      check.fail("adjustments.contact_channel", "channel_unreachable", "letter needs the customer's postal address");
    if (a->best_time) check.text("adjustments.best_time", *a->best_time, 1, kMaxBestTimeChars);
    if (a->language) check.language("adjustments.language", *a->language);
    for (std::size_t i = 0; i < a->formats.size(); ++i)
      if (std::find(a->formats.begin() + static_cast<std::ptrdiff_t>(i) + 1, a->formats.end(), a->formats[i]) !=
          a->formats.end())
        check.fail("adjustments.formats", "format_duplicate",
                   fmt::format("lists \"{}\" twice", enum_name(a->formats[i])));
    if (a->note) check.text("adjustments.note", *a->note, 1, kMaxAdjustmentNoteChars);
  }
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      extra = 0;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code = lead & 0x07;
    } else
      return std::nullopt;
    if (i + extra >= text.size()) return std::nullopt;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinForLength[extra] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

bool is_valid_store_id(std::string_view store_id) {
  if (store_id.empty() || store_id.size() > 32) return false;
  return std::all_of(store_id.begin(), store_id.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

bool is_valid_email(std::string_view email) {
  // Deliberately practical, not RFC 5322: what a person types at a kiosk and a
  // mail server delivers. One @, a sensible local part, a dotted domain.
  if (email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto local = email.substr(0, at), domain = email.substr(at + 1);
  const std::string_view local_extra = ".!#$%&'*+/=?^_`{|}~-";
  for (char c : local)
    if (!is_ascii_alnum(c) && local_extra.find(c) == std::string_view::npos) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  if (domain.size() < 4 || domain.find('.') == std::string_view::npos) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i < domain.size() && domain[i] != '.') {
      if (!is_ascii_alnum(domain[i]) && domain[i] != '-') return false;
      continue;
    }
    const auto label = domain.substr(label_start, i - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (i == domain.size()) {  // top-level domain: letters only, 2+
      if (label.size() < 2 || !std::all_of(label.begin(), label.end(),
                                           [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }))
        return false;
    }
    label_start = i + 1;
  }
  return true;
}

std::optional<std::string> normalise_email(std::string_view email) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!email.empty() && space(email.front())) email.remove_prefix(1);
  while (!email.empty() && space(email.back())) email.remove_suffix(1);
  if (email.empty()) return std::nullopt;
  std::string out(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::string> normalise_uk_phone(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c == '+' && digits.empty() && !plus)
      plus = true;
    else if (c != ' ' && c != '-' && c != '(' && c != ')')
      return std::nullopt;
  }
  std::string national;  // the 10 digits after the leading 0 or +44
  if (plus) {
    if (digits.rfind("44", 0) != 0) return std::nullopt;
    national = digits.substr(2);
    if (!national.empty() && national.front() == '0') national.erase(0, 1);  // "+44 (0)20 ..."
  } else if (digits.rfind("0044", 0) == 0) {
    national = digits.substr(4);
  } else if (!digits.empty() && digits.front() == '0') {
    national = digits.substr(1);
  } else {
    return std::nullopt;
  }
  // UK numbers in use start 1, 2, 3 (geographic and non-geographic), 5, 7 (mobile), 8 or 9.
  if (national.size() != 10 || std::string_view("1235789").find(national.front()) == std::string_view::npos)
    return std::nullopt;
  return "+44" + national;
}

FieldErrors validate(const Feedback& feedback) {
  Checker check;
  check.header(feedback.header);
  if (!feedback.csat && !feedback.nps) check.fail("csat", "rating_missing", "give a CSAT or an NPS rating (or both)");
  if (feedback.csat && (*feedback.csat < 1 || *feedback.csat > 5))
    check.fail("csat", "csat_range", "must be from 1 to 5");
  if (feedback.nps && (*feedback.nps < 0 || *feedback.nps > 10)) check.fail("nps", "nps_range", "must be from 0 to 10");
  if (feedback.comment) check.text("comment", *feedback.comment, 0, kMaxCommentChars);
  check.language("language", feedback.language);
  check.touchpoint("touchpoint", feedback.touchpoint);
  if (feedback.contact) check.contact("contact", *feedback.contact);
  return check.take();
}

FieldErrors validate(const Complaint& complaint) {
  Checker check;
  check.header(complaint.header);
  if (!parse_reference(complaint.reference))
    check.fail("reference", "reference_invalid", "must be a reference like MCR-K2-22A7X with a valid check character");
  check.text("staff_id", complaint.staff_id, 1, 64);
  check.text("description", complaint.description, 1, kMaxDescriptionChars);

  const auto& offered = complaint.offered;
  const auto has = [&](Offer o) { return std::find(offered.begin(), offered.end(), o) != offered.end(); };
  if (offered.empty()) check.fail("offered", "offered_missing", "say what was offered, or \"none\"");
  for (std::size_t i = 0; i < offered.size(); ++i)
    if (std::find(offered.begin() + static_cast<std::ptrdiff_t>(i) + 1, offered.end(), offered[i]) != offered.end())
      check.fail("offered", "offered_duplicate", fmt::format("lists \"{}\" twice", enum_name(offered[i])));
  if (has(Offer::none) && offered.size() > 1)
    check.fail("offered", "offered_none_alone", "\"none\" cannot be combined with other offers");

  if (complaint.goodwill_pence < 0) check.fail("goodwill_pence", "goodwill_negative", "must be 0 or more");
  if (complaint.goodwill_pence > 0 && !has(Offer::goodwill))
    check.fail("offered", "goodwill_not_offered", "must include \"goodwill\" when a goodwill amount is given");
  if (has(Offer::goodwill) && complaint.goodwill_pence <= 0)
    check.fail("goodwill_pence", "goodwill_amount_missing", "give the goodwill amount in pence");
  if (complaint.approved_by) check.text("approved_by", *complaint.approved_by, 1, 64);

  if (const auto& p = complaint.purchase) {
    if (!p->date.ok())
      check.fail("purchase.date", "date_invalid", "must be a calendar date");
    else if (std::chrono::sys_days{p->date} > std::chrono::sys_days{utc_date(complaint.header.created_at)})
      check.fail("purchase.date", "purchase_in_future", "cannot be after the complaint was made");
    if (p->amount_pence < 0) check.fail("purchase.amount_pence", "amount_negative", "must be 0 or more");
    if (p->order_ref) check.text("purchase.order_ref", *p->order_ref, 1, 64);
  }

  if (complaint.resolved_first_contact) {
    if (!complaint.customer_accepted)
      check.fail("customer_accepted", "accepted_missing", "say whether the customer accepted the resolution");
    else if (!*complaint.customer_accepted && complaint.header.schema >= 2)
      check.fail("customer_accepted", "not_accepted",
                 "a resolution the customer did not accept is not resolved at first contact: escalate it");
    if (complaint.escalation)
      check.fail("escalation", "escalation_unexpected", "must be empty when resolved at first contact");
  } else {
    // Schema 2 keeps a refused resolution (false); schema 1 set it only when resolved.
    if (complaint.customer_accepted && (*complaint.customer_accepted || complaint.header.schema < 2))
      check.fail("customer_accepted", "accepted_unexpected",
                 complaint.header.schema < 2 ? "is only set when resolved at first contact"
                                             : "can only be false (refused) when not resolved at first contact");
    if (!complaint.escalation) {
      check.fail("escalation", "escalation_missing", "is required when not resolved at first contact");
    } else {
      const auto& e = *complaint.escalation;
      if (!e.history_reviewed)
        check.fail("escalation.history_reviewed", "history_not_reviewed",
                   "review the customer's history before escalating");
      const auto length = utf8_length(e.rationale);
      std::string_view trimmed = e.rationale;
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n')) trimmed.remove_prefix(1);
      while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n')) trimmed.remove_suffix(1);
      if (!length)
        check.fail("escalation.rationale", "not_utf8", "must be valid UTF-8 text");
      else if (e.rationale.find(kReplacementChar) != std::string::npos)
        check.fail("escalation.rationale", "replacement_char", std::string(kReplacementMessage));
      else if (utf8_length(trimmed).value_or(0) < kMinRationaleChars)
        check.fail("escalation.rationale", "rationale_too_short",
                   fmt::format("explain the escalation in at least {} characters", kMinRationaleChars));
      else if (*length > kMaxDescriptionChars)
        check.fail("escalation.rationale", "too_long",
                   fmt::format("must be at most {} characters", kMaxDescriptionChars));
    }
  }
  if (complaint.customer) check.contact("customer", *complaint.customer);
  if (complaint.header.schema >= 2) schema2_complaint(check, complaint);
  return check.take();
}

FieldErrors validate(const ComplaintUpdate& update) {
  Checker check;
  check.header(update.header);
  if (!is_uuid_v4(update.complaint_id))
    check.fail("complaint_id", "id_invalid", "must be the complaint's id (a UUID v4)");
  check.text("staff_id", update.staff_id, 1, 64);
  check.text("note", update.note, 1, kMaxNoteChars);
  return check.take();
}

FieldErrors validate(const Record& record) {
  return std::visit([](const auto& r) { return validate(r); }, record);
}

}  // namespace heed
