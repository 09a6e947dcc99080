// A customer's earlier complaints, for the staff tablet's escalation step and
// for finding a complaint to add a note to. Staff review this history before
// referring a complaint (domain.md section 3), so a repeat or unresolved problem
// is spotted.
//
// Two sources answer the same question: this device's own records
// (LocalCustomerHistory, always available, also after a delivered complaint's
// contact details were erased: the store matches keyed hashes of them) and head
// office's server, which also knows the customer's cases that no complaint
// stands for (a call-back asked for with kiosk feedback). A result says which
// one answered, so an offline tablet can say plainly that it shows local history only. A source must answer within its
// timeout (a customer is waiting at the desk); HistoryWithFallback asks the server first and falls back to local
// records when it cannot.
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
// Or a complaint by the reference the customer quotes: its key (reference_key,
// from read_typed_reference, which catches a mistyped one first); the answer is
// then that complaint (rarely, two sharing a key), not a customer's history.
struct CustomerQuery {
  std::optional<std::string> email;
  std::optional<std::string> phone;
  // When set, email and phone are not used. Initialised, so {email, phone} still builds a query.
  std::optional<std::string> reference_key = std::nullopt;
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

// A head office case about the customer that none of their listed complaints
// stands for: above all a call-back they asked for with kiosk feedback.
struct PastCase {
  std::int64_t id = 0;
  std::string type;       // the server's case type: "callback", ...
  std::string status;     // "scheduled", "open", "breached" or "closed"
  Timestamp opened_at{};  // when the customer gave the feedback (the case's clock start)
  std::string store_id;
  std::string touchpoint;  // where, e.g. "checkout"; empty when not known
  bool open = false;       // not closed
  bool operator==(const PastCase&) const = default;
};

enum class HistorySource { server, local_only };

struct CustomerHistory {
  HistorySource source = HistorySource::local_only;
  std::vector<PastComplaint> complaints;  // newest first
  std::vector<PastCase> cases;            // newest first; only the server knows them
};

// The interface the tablet asks; synchronous, answering within `timeout`.
class CustomerHistoryLookup {
 public:
  virtual ~CustomerHistoryLookup() = default;
  // Errors: Errc::invalid when the query has no email, phone or reference key;
  // otherwise the source's own failure (a server that cannot be reached in time).
  virtual Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) = 0;
};

// What a saved complaint looks like in a history list. Locally a complaint
// resolved at first contact is closed; an escalated one stays open, since only
// head office knows when its case closes.
PastComplaint past_complaint_of(const Complaint& complaint);

// A past complaint as JSON without personal data (the device store keeps it
// after erasing the complaint's body), and back; nullopt when it is not one.
std::string past_complaint_json(const PastComplaint& past);
std::optional<PastComplaint> past_complaint_from_json(std::string_view text);

// This device's records (DeviceStore::past_complaints_by_customer, and
// past_complaints_by_reference for a reference key); source local_only.
class LocalCustomerHistory final : public CustomerHistoryLookup {
 public:
  explicit LocalCustomerHistory(DeviceStore& store) : store_(store) {}
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) override;

 private:
  DeviceStore& store_;
};

// A search for a complaint by the reference a customer quotes, as the tablet
// tells staff about it: a mistyped reference (wrong_check) is said apart from one
// no complaint has (not_found), and neither is sent to be looked up in vain.
enum class ReferenceOutcome { found, empty, not_a_reference, wrong_check, not_found, failed };
struct ReferenceSearch {
  ReferenceOutcome outcome = ReferenceOutcome::empty;
  std::optional<CustomerHistory> found;  // found and not_found: the answer (its source: server or local only)
  std::string error;                     // failed: why (the lookup's own message)
};
// Reads `typed` (read_typed_reference) and asks `lookup` by its key only when it
// is a reference whose check character matches.
ReferenceSearch find_by_reference(CustomerHistoryLookup& lookup, std::string_view typed,
                                  std::chrono::milliseconds timeout);

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
