// The customer history from the server. See server_customer_history.hpp.
#include "heed/sync/server_customer_history.hpp"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "heed/device_store.hpp"
#include "heed/sync/sync_engine.hpp"

namespace heed::sync {

using nlohmann::json;

Result<CustomerHistory> customer_history_from_json(const std::string& body) {
  const json doc = json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("complaints") || !doc["complaints"].is_array())
    return Error{Errc::io, "the server's customer history is not {\"complaints\": [...]}"};
  std::set<std::string> open_records;
  if (doc.contains("cases") && doc["cases"].is_array())
    for (const auto& c : doc["cases"])
      if (c.is_object() && c.value("status", "") != "closed" && c.contains("record_id") && c["record_id"].is_string())
        open_records.insert(c["record_id"].get<std::string>());
  CustomerHistory history{HistorySource::server, {}, {}};
  for (const auto& item : doc["complaints"]) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) continue;
    PastComplaint past;
    past.id = item["id"].get<std::string>();
    past.reference = item.value("reference", "");
    if (auto t = parse_timestamp(item.value("created_at", ""))) past.created_at = *t;
    past.category = parse_enum<Category>(item.value("category", "")).value_or(Category::other);
    past.resolved_first_contact = item.value("resolved_first_contact", false);
    if (item.contains("offered") && item["offered"].is_array())
      for (const auto& o : item["offered"])
        if (o.is_string())
          if (auto offer = parse_enum<Offer>(o.get<std::string>())) past.offered.push_back(*offer);
    if (item.contains("escalation_target") && item["escalation_target"].is_string())
      past.escalated_to = parse_enum<EscalationTarget>(item["escalation_target"].get<std::string>());
    past.open = open_records.count(past.id) > 0;
    history.complaints.push_back(std::move(past));
  }
  // The cases no listed complaint stands for: call-backs asked for with feedback.
  if (doc.contains("cases") && doc["cases"].is_array())
    for (const auto& c : doc["cases"]) {
      if (!c.is_object() || !c.contains("record_id") || !c["record_id"].is_string()) continue;
      const auto& record_id = c["record_id"].get_ref<const std::string&>();
      if (std::any_of(history.complaints.begin(), history.complaints.end(),
                      [&](const PastComplaint& p) { return p.id == record_id; }))
        continue;
      PastCase past;
      past.id = c.value("id", std::int64_t{0});
      past.type = c.value("type", "");
      past.status = c.value("status", "");
      if (auto t = parse_timestamp(c.value("clock_start", ""))) past.opened_at = *t;
      past.store_id = c.value("store_id", "");
      if (c.contains("touchpoint") && c["touchpoint"].is_string()) past.touchpoint = c["touchpoint"].get<std::string>();
      past.open = past.status != "closed";
      history.cases.push_back(std::move(past));
    }
  std::stable_sort(history.complaints.begin(), history.complaints.end(),
                   [](const PastComplaint& a, const PastComplaint& b) { return a.created_at > b.created_at; });
  std::stable_sort(history.cases.begin(), history.cases.end(),
                   [](const PastCase& a, const PastCase& b) { return a.opened_at > b.opened_at; });
  return history;
}

Result<CustomerHistory> ServerCustomerHistory::find(const CustomerQuery& query, std::chrono::milliseconds timeout) {
  const bool has_email = query.email && !query.email->empty();
  const bool has_phone = query.phone && !query.phone->empty();
  const bool has_reference = query.reference_key && !query.reference_key->empty();
  if (query.reference_key && !has_reference) return Error{Errc::invalid, "give the complaint's reference"};
  if (!has_email && !has_phone && !has_reference)
    return Error{Errc::invalid, "give the customer's email or phone to find their history"};
  auto token = store_.setting(keys::token);
  if (!token) return token.error();
  if (!*token || (*token)->empty()) return Error{Errc::not_found, "this device is not enrolled with a server"};

  ConnectionOptions options = connection_;
  options.connect_timeout = std::min(options.connect_timeout, timeout);
  options.request_timeout = timeout;
  auto client = HttpClient::create(options);
  if (!client) return client.error();
  const std::string target =
      has_reference
          ? "/api/v1/complaints/by-reference?reference=" + httplib::detail::encode_query_param(*query.reference_key)
      : has_email ? "/api/v1/customers/history?email=" + httplib::detail::encode_query_param(*query.email)
                  : "/api/v1/customers/history?phone=" + httplib::detail::encode_query_param(*query.phone);
  auto response = client->get(target, **token);
  if (!response) return response.error();
  if (response->status == 400)
    return Error{Errc::invalid, has_reference ? "the server could not read that reference"
                                              : "the server could not read that email or phone"};
  if (response->status != 200)
    return Error{Errc::io, "the server answered the customer history with HTTP " + std::to_string(response->status)};
  return customer_history_from_json(response->body);
}

}  // namespace heed::sync
