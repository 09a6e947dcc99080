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
// - Manage a user (admin API): an admin whose scope holds the user's scope.
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

// Whether every store `inner` covers is inside `outer` (an area's stores are
// within it; a store is within only itself or its area; the chain is within
// only the chain).
inline bool scope_within(const Scope& inner, const Scope& outer, const Workflow& flow) {
  switch (outer.kind) {
    case Scope::Kind::chain:
      return true;
    case Scope::Kind::area:
      return inner == outer || (inner.kind == Scope::Kind::store && flow.covers(outer, inner.id));
    case Scope::Kind::store:
      return inner == outer;
  }
  return false;
}

// An admin manages the users whose scope is within theirs: a chain admin, everyone.
inline bool manages_user(const User& admin, const User& user, const Workflow& flow) {
  return admin.active && admin.role == Role::admin && scope_within(user.scope, admin.scope, flow);
}

}  // namespace heed::server
