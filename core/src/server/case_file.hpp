// Internal to the server: a case as head office works it, on one page. The
// case, its history, the record behind it (without contact details), the
// store's later notes, the cases it follows and that follow it, its final
// responses, and the customer's other complaints and cases inside the viewer's
// scope. Contact details are only ever served by GET /cases/{id}/contact, to
// those access.hpp allows, each time audited.
#pragma once

#include "http_support.hpp"

namespace heed::server::detail {

// The case in the path (/cases/(\d+)/...) when `viewer` sees it; otherwise
// nullopt with a 404 sent, as if it did not exist (or the storage error).
std::optional<CaseRow> case_in_sight(ServerContext& ctx, const Request& req, Response& res, const User& viewer);

// Leaves out of a customer's history the records and cases outside `viewer`'s scope.
void keep_in_scope(ServerContext& ctx, const User& viewer, CustomerHistory& history);

// The whole case for `viewer`; the caller has checked that they see it.
Result<json> case_file_json(ServerContext& ctx, const User& viewer, const CaseRow& c);
// Sends case_file_json, or the storage error.
void send_case(ServerContext& ctx, Response& res, const User& viewer, const CaseRow& c, int status);

// {"complaints": [...], "cases": [...]}: the few fields a tablet shows of each (api_cases.cpp).
json complaints_json(ServerContext& ctx, const CustomerHistory& history);

void install_case_file_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace heed::server::detail
