// The staff tablet's customer history from head office's server
// (GET /api/v1/customers/history with the device token, or a complaint by its
// reference from GET /api/v1/complaints/by-reference): every store's
// complaints, not only this device's. Put it first in a HistoryWithFallback, with
// LocalCustomerHistory behind it for when the server cannot answer in time.
#pragma once

#include <memory>
#include <string>

#include "heed/customer_history.hpp"
#include "heed/sync/http_client.hpp"

namespace heed::sync {

class ServerCustomerHistory final : public CustomerHistoryLookup {
 public:
  // `store` supplies the device token (kept there by enrollment) at each query.
  ServerCustomerHistory(DeviceStore& store, ConnectionOptions connection)
      : store_(store), connection_(std::move(connection)) {}

  // By reference key when given (GET /api/v1/complaints/by-reference: any
  // store's complaint), else by email, else by phone. Errors: invalid (no email or phone, or
  // the server says the query is bad); not_found when the device is not
  // enrolled; io when the server does not answer within `timeout` or refuses.
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) override;

 private:
  DeviceStore& store_;
  ConnectionOptions connection_;
};

// Reads the server's answer ({"complaints":[...], "cases":[...]}) into a history,
// newest first; a complaint is open while one of its cases is not closed, and the
// cases of other records (a call-back asked for at a kiosk) are listed as cases.
Result<CustomerHistory> customer_history_from_json(const std::string& body);

}  // namespace heed::sync
