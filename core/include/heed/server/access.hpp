// Who may see and work which case: a user's role and scope (storage.hpp) against
// the case's store and escalation level. Every route that answers about cases,
// KPIs, exports or history asks here, so one table decides.
//
// - See a case (and its history, records without contact details): its store is
//   in the user's scope, whatever the role.
// - Work a case (act on it): an agent or manager, in scope, with the case at or
//   below the user's home level: a store's case sits in the store's queue until
//   escalation moves it to the area's, then head office's; a store manager then
//   still sees it but no longer works it.
// - See the customer's contact details: an agent or manager, in scope. Admins
//   run the system and never see them. Every showing is audited by the caller.
#pragma once

#include "heed/server/storage.hpp"
#include "heed/server/workflow.hpp"

namespace heed::server {

inline bool sees_store(const User& user, std::string_view store_id, const Workflow& flow) {
  return user.active && flow.covers(user.scope, store_id);
}

inline bool sees_case(const User& user, const CaseRow& c, const Workflow& flow) {
  return sees_store(user, c.store_id, flow);
}

inline bool works_cases(const User& user) { return user.active && user.role != Role::admin; }

inline bool works_case(const User& user, const CaseRow& c, const Workflow& flow) {
  return works_cases(user) && sees_case(user, c, flow) && c.level <= flow.home_level(user.scope);
}

inline bool sees_contact(const User& user, const CaseRow& c, const Workflow& flow) {
  return works_cases(user) && sees_case(user, c, flow);
}

}  // namespace heed::server
