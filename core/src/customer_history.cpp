// A customer's earlier complaints from this device or head office. See customer_history.hpp.
#include "heed/customer_history.hpp"

#include "heed/device_store.hpp"

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
  past.resolved_first_contact = complaint.resolved_first_contact;
  past.offered = complaint.offered;
  if (complaint.escalation) past.escalated_to = complaint.escalation->target;
  past.open = !complaint.resolved_first_contact;
  return past;
}

Result<CustomerHistory> LocalCustomerHistory::find(const CustomerQuery& query, std::chrono::milliseconds) {
  const auto email = present(query.email);
  const auto phone = present(query.phone);
  if (!email && !phone) return make_error(Errc::invalid, "give the customer's email or phone to find their history");
  auto found = store_.complaints_by_customer(email, phone);
  if (!found) return found.error();
  CustomerHistory history{HistorySource::local_only, {}};
  for (const auto& complaint : found.value()) history.complaints.push_back(past_complaint_of(complaint));
  return history;
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
