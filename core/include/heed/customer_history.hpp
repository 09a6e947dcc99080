// A customer's earlier complaints, for the staff tablet's escalation step and
// for finding a complaint to add a note to. Staff review this history before
// referring a complaint (domain.md section 3), so a repeat or unresolved problem
// is spotted.
//
// Two sources answer the same question: this device's own records
// (LocalCustomerHistory, always available) and, once wired in, head office's
// server. A result says which one answered, so an offline tablet can say plainly
// that it shows local history only. A source must answer within its timeout (a
// customer is waiting at the desk); HistoryWithFallback asks the server first and
// falls back to local records when it cannot.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

class DeviceStore;

// Who to look up: an email (any case) or a UK phone (any spelling); at least one.
struct CustomerQuery {
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

// One earlier complaint, as staff see it in the history list.
struct PastComplaint {
  std::string id;         // the complaint record's id (a note names it)
  std::string reference;  // what the customer quotes
  Timestamp created_at{};
  Category category = Category::other;
  bool resolved_first_contact = false;
  std::vector<Offer> offered;                    // the outcome at the desk
  std::optional<EscalationTarget> escalated_to;  // when it was referred
  bool open = false;                             // still being handled (escalated and not known to be closed)
  bool operator==(const PastComplaint&) const = default;
};

enum class HistorySource { server, local_only };

struct CustomerHistory {
  HistorySource source = HistorySource::local_only;
  std::vector<PastComplaint> complaints;  // newest first
};

// The interface the tablet asks; synchronous, answering within `timeout`.
class CustomerHistoryLookup {
 public:
  virtual ~CustomerHistoryLookup() = default;
  // Errors: Errc::invalid when the query has neither an email nor a phone;
  // otherwise the source's own failure (a server that cannot be reached in time).
  virtual Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) = 0;
};

// What a saved complaint looks like in a history list. Locally a complaint
// resolved at first contact is closed; an escalated one stays open, since only
// head office knows when its case closes.
PastComplaint past_complaint_of(const Complaint& complaint);

// This device's records (DeviceStore::complaints_by_customer); source local_only.
class LocalCustomerHistory final : public CustomerHistoryLookup {
 public:
  explicit LocalCustomerHistory(DeviceStore& store) : store_(store) {}
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) override;

 private:
  DeviceStore& store_;
};

// Asks `primary` (the server) and, when it fails, `fallback` (local records),
// whose answer then says local_only.
class HistoryWithFallback final : public CustomerHistoryLookup {
 public:
  HistoryWithFallback(std::shared_ptr<CustomerHistoryLookup> primary, std::shared_ptr<CustomerHistoryLookup> fallback)
      : primary_(std::move(primary)), fallback_(std::move(fallback)) {}
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) override;

 private:
  std::shared_ptr<CustomerHistoryLookup> primary_;
  std::shared_ptr<CustomerHistoryLookup> fallback_;
};

}  // namespace heed
