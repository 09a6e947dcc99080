// Wire JSON for records (assets/api/wire-format.md). Encoding is canonical (every
// field of the record's schema, null where absent, keys sorted by nlohmann's
// std::map); a schema 1 record is written without schema 2's fields, so it reads
// back exactly as it was sent. Decoding first reads shape and types with
// a FieldReader that remembers which keys it consumed, so any key left over is an
// unknown field; only a well-shaped record goes on to validate().
#include "heed/record_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "heed/validation.hpp"

namespace heed {

using nlohmann::json;

// ---- Encoding -------------------------------------------------------------
namespace {

template <class T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

template <class E>
json optional_enum_json(const std::optional<E>& value) {
  return value ? json(enum_name(*value)) : json(nullptr);
}

json contact_json(const std::optional<Contact>& contact, int schema) {
  if (!contact) return nullptr;
  json j{{"name", optional_json(contact->name)},
         {"email", optional_json(contact->email)},
         {"phone", optional_json(contact->phone)},
         {"consent", contact->consent},
         {"notice_version", contact->notice_version}};
  if (schema >= 2) j["address"] = optional_json(contact->address);
  return j;
}

json consumer_rights_json(const std::optional<ConsumerRightsResult>& cra) {
  if (!cra) return nullptr;
  return json{{"kind", enum_name(cra->kind)},
              {"days_since_purchase", cra->days_since_purchase},
              {"entitlement", enum_name(cra->entitlement)},
              {"repair_already_failed", cra->repair_already_failed},
              {"burden_on_trader", cra->burden_on_trader},
              {"offer_falls_short", cra->offer_falls_short}};
}

json adjustments_json(const std::optional<Adjustments>& a) {
  if (!a) return nullptr;
  json formats = json::array();
  for (AdjustmentFormat f : a->formats) formats.push_back(enum_name(f));
  return json{{"consent", a->consent},
              {"contact_channel", optional_enum_json(a->contact_channel)},
              {"best_time", optional_json(a->best_time)},
              {"language", optional_json(a->language)},
              {"formats", formats},
              {"note", optional_json(a->note)}};
}

json header_json(const RecordHeader& header, RecordType type) {
  return json{{"id", header.id},
              {"type", enum_name(type)},
              {"schema", header.schema},
              {"store_id", header.store_id},
              {"device_id", header.device_id},
              {"created_at", format_timestamp(header.created_at)}};
}

json encode(const Feedback& f) {
  json j = header_json(f.header, RecordType::feedback);
  j["csat"] = optional_json(f.csat);
  j["nps"] = optional_json(f.nps);
  j["comment"] = optional_json(f.comment);
  j["language"] = f.language;
  j["touchpoint"] = f.touchpoint;
  j["contact"] = contact_json(f.contact, f.header.schema);
  j["suspected_misuse"] = f.suspected_misuse;
  return j;
}

json encode(const Complaint& c) {
  json j = header_json(c.header, RecordType::complaint);
  j["reference"] = c.reference;
  j["staff_id"] = c.staff_id;
  j["channel"] = enum_name(c.channel);
  j["category"] = enum_name(c.category);
  j["severity"] = enum_name(c.severity);
  j["description"] = c.description;
  j["customer_mood"] = enum_name(c.customer_mood);
  j["desired_outcome"] = enum_name(c.desired_outcome);
  j["offered"] = json::array();
  for (Offer o : c.offered) j["offered"].push_back(enum_name(o));
  j["goodwill_pence"] = c.goodwill_pence;
  j["approved_by"] = optional_json(c.approved_by);
  j["purchase"] = c.purchase ? json{{"kind", enum_name(c.purchase->kind)},
                                    {"date", format_date(c.purchase->date)},
                                    {"amount_pence", c.purchase->amount_pence},
                                    {"order_ref", optional_json(c.purchase->order_ref)}}
                             : json(nullptr);
  j["resolved_first_contact"] = c.resolved_first_contact;
  j["customer_accepted"] = optional_json(c.customer_accepted);
  j["escalation"] = c.escalation ? json{{"target", enum_name(c.escalation->target)},
                                        {"rationale", c.escalation->rationale},
                                        {"history_reviewed", c.escalation->history_reviewed}}
                                 : json(nullptr);
  j["customer"] = contact_json(c.customer, c.header.schema);
  if (c.header.schema >= 2) {
    j["touchpoint"] = optional_json(c.touchpoint);
    j["consumer_rights"] = consumer_rights_json(c.consumer_rights);
    j["adjustments"] = adjustments_json(c.adjustments);
  }
  return j;
}

json encode(const ComplaintUpdate& u) {
  json j = header_json(u.header, RecordType::complaint_update);
  j["complaint_id"] = u.complaint_id;
  j["staff_id"] = u.staff_id;
  j["note"] = u.note;
  return j;
}

}  // namespace

json to_json(const Record& record) {
  return std::visit([](const auto& r) { return encode(r); }, record);
}

std::string to_canonical_json(const Record& record) {
  // validate() rejects invalid UTF-8, so `replace` never fires for a stored
  // record; it keeps an exception from crossing the UI for an unvalidated one.
  return to_json(record).dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---- Decoding -------------------------------------------------------------
namespace {

// Reads the fields of one JSON object, collecting errors under a dotted prefix.
class FieldReader {
 public:
  FieldReader(const json& object, std::string prefix, FieldErrors& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  // The value of `key`, or nullptr if absent or null; records a "required" error
  // when absent/null and `required`.
  const json* get(const std::string& key, bool required) {
    consumed_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      if (required) fail(key, "required", "is required");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string(const std::string& key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return fail(key, "type", "must be a string"), std::nullopt;
    return v->get<std::string>();
  }

  std::optional<std::int64_t> integer(const std::string& key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return std::nullopt;
    if (v->is_number_integer()) return v->get<std::int64_t>();
    if (v->is_number_unsigned() && v->get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max())
      return static_cast<std::int64_t>(v->get<std::uint64_t>());
    return fail(key, "type", "must be a whole number"), std::nullopt;
  }

  // A small integer (a rating); out-of-int range values become a range error later.
  std::optional<int> small_integer(const std::string& key, bool required) {
    auto value = integer(key, required);
    if (!value) return std::nullopt;
    if (*value < -1000 || *value > 1000) return -1000;  // far outside every rating's range
    return static_cast<int>(*value);
  }

  std::optional<bool> boolean(const std::string& key, bool required = true) {
    const json* v = get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) return fail(key, "type", "must be true or false"), std::nullopt;
    return v->get<bool>();
  }

  template <class E>
  std::optional<E> enumeration(const std::string& key, bool required = true) {
    auto text = string(key, required);
    if (!text) return std::nullopt;
    if (auto value = parse_enum<E>(*text)) return value;
    fail(key, "enum", fmt::format("must be one of: {}", fmt::join(EnumNames<E>::names, ", ")));
    return std::nullopt;
  }

  const json* object(const std::string& key, bool required) {
    const json* v = get(key, required);
    if (v && !v->is_object()) return fail(key, "type", "must be an object"), nullptr;
    return v;
  }

  std::string path(const std::string& key) const { return prefix_ + key; }

  void fail(const std::string& key, std::string_view code, std::string message) {
    errors_.push_back({prefix_ + key, std::string(code), std::move(message)});
  }

  void reject_unknown() {
    for (const auto& [key, value] : object_.items())
      if (!consumed_.count(key)) fail(key, "unknown_field", "is not a field of this record");
  }

 private:
  const json& object_;
  std::string prefix_;
  FieldErrors& errors_;
  std::set<std::string> consumed_;
};

std::optional<Contact> read_contact(FieldReader& parent, const std::string& key, int schema, FieldErrors& errors) {
  const json* object = parent.object(key, false);
  if (!object) return std::nullopt;
  FieldReader r(*object, parent.path(key) + ".", errors);
  Contact c;
  c.name = r.string("name", false);
  c.email = r.string("email", false);
  c.phone = r.string("phone", false);
  if (schema >= 2) c.address = r.string("address", false);
  c.consent = r.boolean("consent").value_or(false);
  c.notice_version = r.string("notice_version").value_or("");
  r.reject_unknown();
  return c;
}

// A JSON array of enumeration strings; each bad item is reported once.
template <class E>
std::vector<E> read_enum_array(FieldReader& r, const std::string& key) {
  std::vector<E> values;
  const json* array = r.get(key, true);
  if (!array) return values;
  if (!array->is_array()) return r.fail(key, "type", "must be an array of strings"), values;
  for (const auto& item : *array) {
    const auto value = item.is_string() ? parse_enum<E>(item.get<std::string>()) : std::nullopt;
    if (value)
      values.push_back(*value);
    else
      r.fail(key, "enum", fmt::format("items must be among: {}", fmt::join(EnumNames<E>::names, ", ")));
  }
  return values;
}

std::optional<ConsumerRightsResult> read_consumer_rights(FieldReader& parent, FieldErrors& errors) {
  const json* object = parent.object("consumer_rights", false);
  if (!object) return std::nullopt;
  FieldReader r(*object, "consumer_rights.", errors);
  ConsumerRightsResult cra;
  cra.kind = r.enumeration<PurchaseKind>("kind").value_or(cra.kind);
  const auto days = r.integer("days_since_purchase").value_or(0);
  cra.days_since_purchase = static_cast<int>(std::clamp<std::int64_t>(days, -1, 1'000'000));
  cra.entitlement = r.enumeration<Entitlement>("entitlement").value_or(cra.entitlement);
  cra.repair_already_failed = r.boolean("repair_already_failed").value_or(false);
  cra.burden_on_trader = r.boolean("burden_on_trader").value_or(false);
  cra.offer_falls_short = r.boolean("offer_falls_short").value_or(false);
  r.reject_unknown();
  return cra;
}

std::optional<Adjustments> read_adjustments(FieldReader& parent, FieldErrors& errors) {
  const json* object = parent.object("adjustments", false);
  if (!object) return std::nullopt;
  FieldReader r(*object, "adjustments.", errors);
  Adjustments a;
  a.consent = r.boolean("consent").value_or(false);
  a.contact_channel = r.enumeration<ContactChannel>("contact_channel", false);
  a.best_time = r.string("best_time", false);
  a.language = r.string("language", false);
  a.formats = read_enum_array<AdjustmentFormat>(r, "formats");
  a.note = r.string("note", false);
  r.reject_unknown();
  return a;
}

void read_header(FieldReader& r, RecordHeader& h) {
  h.id = r.string("id").value_or("");
  h.store_id = r.string("store_id").value_or("");
  h.device_id = r.string("device_id").value_or("");
  if (auto text = r.string("created_at")) {
    if (auto t = parse_timestamp(*text))
      h.created_at = *t;
    else
      r.fail("created_at", "time_invalid", "must be an RFC 3339 UTC time like 2026-11-22T14:05:09Z");
  }
  if (auto schema = r.integer("schema")) {
    if (*schema >= kOldestSchema && *schema <= kSchemaVersion)
      h.schema = static_cast<int>(*schema);
    else
      r.fail("schema", "schema_unsupported", fmt::format("must be from {} to {}", kOldestSchema, kSchemaVersion));
  }
}

Feedback read_feedback(FieldReader& r, FieldErrors& errors) {
  Feedback f;
  read_header(r, f.header);
  f.csat = r.small_integer("csat", false);
  f.nps = r.small_integer("nps", false);
  f.comment = r.string("comment", false);
  f.language = r.string("language").value_or("");
  f.touchpoint = r.string("touchpoint").value_or("");
  f.contact = read_contact(r, "contact", f.header.schema, errors);
  f.suspected_misuse = r.boolean("suspected_misuse").value_or(false);
  return f;
}

Complaint read_complaint(FieldReader& r, FieldErrors& errors) {
  Complaint c;
  read_header(r, c.header);
  c.reference = r.string("reference").value_or("");
  c.staff_id = r.string("staff_id").value_or("");
  c.channel = r.enumeration<Channel>("channel").value_or(c.channel);
  c.category = r.enumeration<Category>("category").value_or(c.category);
  c.severity = r.enumeration<Severity>("severity").value_or(c.severity);
  c.description = r.string("description").value_or("");
  c.customer_mood = r.enumeration<CustomerMood>("customer_mood").value_or(c.customer_mood);
  c.desired_outcome = r.enumeration<DesiredOutcome>("desired_outcome").value_or(c.desired_outcome);
  c.offered = read_enum_array<Offer>(r, "offered");
  c.goodwill_pence = r.integer("goodwill_pence").value_or(0);
  c.approved_by = r.string("approved_by", false);
  if (const json* object = r.object("purchase", false)) {
    FieldReader p(*object, "purchase.", errors);
    Purchase purchase;
    purchase.kind = p.enumeration<PurchaseKind>("kind").value_or(purchase.kind);
    if (auto text = p.string("date")) {
      if (auto date = parse_date(*text))
        purchase.date = *date;
      else
        p.fail("date", "date_invalid", "must be a date like 2026-11-22");
    }
    purchase.amount_pence = p.integer("amount_pence").value_or(0);
    purchase.order_ref = p.string("order_ref", false);
    p.reject_unknown();
    c.purchase = purchase;
  }
  c.resolved_first_contact = r.boolean("resolved_first_contact").value_or(false);
  c.customer_accepted = r.boolean("customer_accepted", false);
  if (const json* object = r.object("escalation", false)) {
    FieldReader e(*object, "escalation.", errors);
    Escalation escalation;
    escalation.target = e.enumeration<EscalationTarget>("target").value_or(escalation.target);
    escalation.rationale = e.string("rationale").value_or("");
    escalation.history_reviewed = e.boolean("history_reviewed").value_or(false);
    e.reject_unknown();
    c.escalation = escalation;
  }
  c.customer = read_contact(r, "customer", c.header.schema, errors);
  if (c.header.schema >= 2) {
    c.touchpoint = r.string("touchpoint");
    c.consumer_rights = read_consumer_rights(r, errors);
    c.adjustments = read_adjustments(r, errors);
  }
  return c;
}

ComplaintUpdate read_update(FieldReader& r) {
  ComplaintUpdate u;
  read_header(r, u.header);
  u.complaint_id = r.string("complaint_id").value_or("");
  u.staff_id = r.string("staff_id").value_or("");
  u.note = r.string("note").value_or("");
  return u;
}

}  // namespace

Result<Record, FieldErrors> record_from_json(const json& j) {
  FieldErrors errors;
  if (!j.is_object()) return FieldErrors{{"", "type", "a record must be a JSON object"}};
  FieldReader reader(j, "", errors);
  const auto type = reader.enumeration<RecordType>("type");
  if (!type) return errors;

  Record record = [&]() -> Record {
    switch (*type) {
      case RecordType::feedback:
        return read_feedback(reader, errors);
      case RecordType::complaint:
        return read_complaint(reader, errors);
      case RecordType::complaint_update:
        return read_update(reader);
    }
    return Feedback{};
  }();
  reader.reject_unknown();
  if (!errors.empty()) return errors;
  if (auto problems = validate(record); !problems.empty()) return problems;
  return record;
}

Result<Record, FieldErrors> record_from_json_text(std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return FieldErrors{{"", "json_invalid", "is not valid JSON"}};
  return record_from_json(parsed);
}

}  // namespace heed
