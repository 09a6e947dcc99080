// A customer's earlier complaints from this device or head office. See customer_history.hpp.
#include "heed/customer_history.hpp"

#include <nlohmann/json.hpp>

#include "heed/device_store.hpp"
#include "heed/reference.hpp"

namespace heed {
namespace {

std::optional<std::string> present(const std::optional<std::string>& text) {
  if (!text || text->find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  return text;
}

}  // namespace

PastComplaint past_complaint_of(const Complaint& complaint) {
  PastComplaint past;
  past.id = complaint.header.id;
  past.reference = complaint.reference;
  past.created_at = complaint.header.created_at;
  past.category = complaint.category;
  past.resolved_first_contact = counts_as_first_contact_resolution(complaint);
  past.offered = complaint.offered;
  if (complaint.escalation) past.escalated_to = complaint.escalation->target;
  past.open = !past.resolved_first_contact;
  return past;
}

std::string past_complaint_json(const PastComplaint& past) {
  nlohmann::json offered = nlohmann::json::array();
  for (const Offer o : past.offered) offered.push_back(enum_name(o));
  return nlohmann::json{
      {"id", past.id},
      {"reference", past.reference},
      {"created_at", format_timestamp(past.created_at)},
      {"category", enum_name(past.category)},
      {"resolved_first_contact", past.resolved_first_contact},
      {"offered", offered},
      {"escalated_to", past.escalated_to ? nlohmann::json(enum_name(*past.escalated_to)) : nlohmann::json()}}
      .dump();
}

std::optional<PastComplaint> past_complaint_from_json(std::string_view text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string()) return std::nullopt;
  PastComplaint past;
  past.id = doc["id"].get<std::string>();
  past.reference = doc.value("reference", "");
  if (auto t = parse_timestamp(doc.value("created_at", ""))) past.created_at = *t;
  past.category = parse_enum<Category>(doc.value("category", "")).value_or(Category::other);
  past.resolved_first_contact = doc.value("resolved_first_contact", false);
  if (doc.contains("offered") && doc["offered"].is_array())
    for (const auto& o : doc["offered"])
      if (auto offer = o.is_string() ? parse_enum<Offer>(o.get<std::string>()) : std::nullopt)
        past.offered.push_back(*offer);
  if (doc.contains("escalated_to") && doc["escalated_to"].is_string())
    past.escalated_to = parse_enum<EscalationTarget>(doc["escalated_to"].get<std::string>());
  past.open = !past.resolved_first_contact;
  return past;
}

Result<CustomerHistory> LocalCustomerHistory::find(const CustomerQuery& query, std::chrono::milliseconds) {
  if (query.reference_key) {
    if (query.reference_key->empty()) return make_error(Errc::invalid, "give the complaint's reference");
    auto found = store_.past_complaints_by_reference(*query.reference_key);
    if (!found) return found.error();
    return CustomerHistory{HistorySource::local_only, std::move(found).value(), {}};
  }
  const auto email = present(query.email);
  const auto phone = present(query.phone);
  if (!email && !phone) return make_error(Errc::invalid, "give the customer's email or phone to find their history");
  auto found = store_.past_complaints_by_customer(email, phone);
  if (!found) return found.error();
  return CustomerHistory{HistorySource::local_only, std::move(found).value(), {}};
}

ReferenceSearch find_by_reference(CustomerHistoryLookup& lookup, std::string_view typed,
                                  std::chrono::milliseconds timeout) {
  ReferenceSearch search;
  const ReadReference read = read_typed_reference(typed);
  switch (read.status) {
    case TypedReference::empty:
      search.outcome = ReferenceOutcome::empty;
      return search;
    case TypedReference::not_a_reference:
      search.outcome = ReferenceOutcome::not_a_reference;
      return search;
    case TypedReference::wrong_check:
      search.outcome = ReferenceOutcome::wrong_check;
      return search;
    case TypedReference::ok:
      break;
  }
  CustomerQuery query;
  query.reference_key = read.key;
  auto found = lookup.find(query, timeout);
  if (!found) {
    search.outcome = ReferenceOutcome::failed;
    search.error = found.error().message;
    return search;
  }
  search.outcome = found->complaints.empty() ? ReferenceOutcome::not_found : ReferenceOutcome::found;
  search.found = std::move(found).value();
  return search;
}

Result<CustomerHistory> HistoryWithFallback::find(const CustomerQuery& query, std::chrono::milliseconds timeout) {
  if (primary_) {
    auto answer = primary_->find(query, timeout);
    if (answer) return answer;
    if (answer.error().code == Errc::invalid) return answer;  // a bad query is bad everywhere
  }
  auto local = fallback_->find(query, timeout);
  if (local) local->source = HistorySource::local_only;
  return local;
}

}  // namespace heed
