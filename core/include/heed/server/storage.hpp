// The server's storage interface: everything the API, the workflow and the
// scheduler keep, behind one abstract class with no database types in it, so a
// PostgreSQL backend can stand beside the embedded SQLite one
// (sqlite_storage.hpp).
//
// Invariants every backend keeps:
// - A record id is stored once. Ingest is one transaction per batch; the same id
//   with the same canonical content is a duplicate, with other content a conflict.
// - A record's cases are opened in the transaction that stores it, and every
//   change to a case is written together with its history event and any webhook
//   it queues (the outbox), so a crash never leaves one without the other.
// - Secrets arrive here already hashed; nothing in clear is stored.
// - Times are whole UTC seconds; "days" are local calendar days of the chain's
//   zone, counted from 1970-01-01.
//
// Sections: records | devices and enrollment | users and sessions | cases |
// customers | KPIs | webhooks | audit and statistics | digests | dashboard
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "heed/kpi.hpp"
#include "heed/model.hpp"
#include "heed/result.hpp"
#include "heed/time.hpp"
#include "heed/workflow_rules.hpp"

namespace heed::server {

// ---- Records ----------------------------------------------------------------
// A validated record, ready to store.
struct RecordInput {
  Record record;
  std::string canonical;                      // to_canonical_json(record): what "same content" compares
  std::int64_t local_day = 0;                 // created_at's date in the chain's zone, days since 1970-01-01
  std::optional<std::string> customer_email;  // normalised (customer.hpp), for history and repeats
  std::optional<std::string> customer_phone;  // E.164 where it is a UK number
};

enum class IngestOutcome { accepted, duplicate, conflict };

// A webhook waiting in the outbox.
struct WebhookMessage {
  std::int64_t id = 0;
  std::string event;  // e.g. "case.breached"
  std::string body;   // JSON, signed as sent
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::string endpoint;  // the config's endpoint it goes to (server_config.hpp)
};

// A case to open, as the workflow decided it, with when it is listed as open.
struct PlannedCase {
  CaseOpening opening;
  std::optional<Timestamp> opens_at;     // follow-ups: the start of their due day; none: open at once
  std::string opened_detail;             // the "opened" event's detail (a JSON object); empty: type, level, repeat
  std::vector<WebhookMessage> webhooks;  // queued with it (case.opened)
};

// An alert case the workflow decided on (alerts.hpp), with the window behind it.
struct PlannedAlert {
  PlannedCase planned;
  AlertWindow window;
  std::string title;  // alert_title
};

// How ingest asks the workflow which cases a newly stored record opens.
struct IngestPolicy {
  std::chrono::days repeat_window{90};
  // Called inside the ingest transaction for each newly stored record, with the
  // number of the same customer's other complaints made within the window before it.
  std::function<std::vector<PlannedCase>(const Record&, int earlier_complaints)> plan_cases;
  // The device that sent the batch: its last_seen_at becomes the arrival time.
  std::optional<std::string> from_device;
  // Store alerts (none: off). Called inside the ingest transaction once per store
  // that got new feedback, unless an alert case of that store is open, with the
  // store's feedback made within alert_window of the new answers and after the
  // last answer its previous alert counted (an answer counts in one alert at most).
  std::function<std::optional<PlannedAlert>(const std::string& store_id, std::span<const AlertAnswer> answers)>
      plan_alert;
  std::chrono::seconds alert_window{0};
};

struct IngestResult {
  std::vector<IngestOutcome> outcomes;  // one per input, in order
  std::vector<PlannedCase> opened;      // the cases opened
};

// A stored record, as read back for export and history.
struct StoredRecord {
  std::int64_t seq = 0;  // arrival order
  std::string id;
  RecordType type = RecordType::feedback;
  std::string store_id;
  Timestamp created_at{};
  Timestamp arrived_at{};
  std::string body;  // canonical wire JSON
};

// Records by creation time, for export: [from, to) in UTC; either end open.
struct RecordRange {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::optional<std::vector<std::string>> stores;  // only these stores' records (a scope); none: every store
};

// Where a page of records ended: its last row's creation time and seq.
struct RecordCursor {
  Timestamp created_at{};
  std::int64_t seq = 0;
};

// An alert case's window as stored: what fired it and the answers it counted.
struct StoredAlert {
  std::int64_t case_id = 0;
  std::string store_id;
  std::string title;
  Timestamp window_start{}, window_end{};  // [start, end)
  Timestamp last_answer_at{};
  int answers = 0, negative = 0;
  struct Answer {
    StoredRecord record;
    bool negative = false;
  };
  std::vector<Answer> records;  // oldest first (alert_of_case only)
};

// ---- Devices and enrollment ---------------------------------------------------
struct Device {
  std::string device_id;
  std::string store_id;
  std::string name;
  Timestamp enrolled_at{};
  bool revoked = false;
  std::optional<Timestamp> revoked_at;
  std::optional<Timestamp> last_seen_at;  // its last batch or heartbeat; none before either
};

// What a device last reported about itself (POST /api/v1/devices/heartbeat).
struct Heartbeat {
  Timestamp received_at{};                           // at the server
  std::int64_t queue_length = 0;                     // records waiting in its outbox
  std::optional<std::int64_t> oldest_pending_age_s;  // none: nothing pending
  std::string app_version;
  std::optional<std::int64_t> quarantined;  // records the server rejected, kept on the device
  std::optional<Timestamp> last_sync_at;    // its last successful delivery
  std::optional<std::string> last_error;    // its last delivery error, as it reported it
};

// A device with its last heartbeat, for the devices list.
struct DeviceStatus {
  Device device;
  std::optional<Heartbeat> heartbeat;
};

// ---- Users and sessions -------------------------------------------------------
// agent: works cases in scope. manager: also assigns to others, exports and sees
// staff figures. admin: users and devices; sees cases and KPIs in scope but
// never a customer's contact details (access.hpp).
enum class Role { admin, manager, agent };
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

// The part of the chain a user sees: one store, one area (the rules' store->area
// map) or the whole chain.
struct Scope {
  enum class Kind { chain, area, store } kind = Kind::chain;
  std::string id;  // the area's or store's id; empty for the chain
  bool operator==(const Scope&) const = default;
};
// "chain", "area:<id>" or "store:<id>".
std::string scope_text(const Scope& scope);
std::optional<Scope> parse_scope(std::string_view text);

// How often a user gets their scope's KPI digest by email (digest.hpp): never
// (the default), after each day, or after each Monday-Sunday week.
enum class DigestFrequency { none, daily, weekly };
std::string_view digest_frequency_name(DigestFrequency f);
std::optional<DigestFrequency> parse_digest_frequency(std::string_view name);

struct User {
  std::int64_t id = 0;
  std::string username;
  Role role = Role::agent;
  std::string password_hash;  // argon2id
  Scope scope;
  bool active = true;  // a disabled user cannot sign in and has no sessions
  std::optional<std::string> email;           // where digests go; none: no digest can be subscribed
  DigestFrequency digest = DigestFrequency::none;
  std::optional<Timestamp> digest_since;      // when the current subscription began; digests due after it are sent
};

// What update_user changes; a field left empty stays as it is.
struct UserChange {
  std::optional<Role> role;
  std::optional<Scope> scope;
  std::optional<bool> active;                // false: disabled now, its sessions end; true: enabled again
  std::optional<std::string> password_hash;  // a new password (argon2id); its sessions end
  std::optional<std::optional<std::string>> email;  // a new address (checked by the caller), or none to remove it
  std::optional<DigestFrequency> digest;            // a new frequency; a change to daily/weekly starts digest_since
};

// A signed-in session: its user, read anew on every request (a changed role
// applies at once), and when it began and ends.
struct Session {
  User user;
  Timestamp created_at{};
  Timestamp expires_at{};      // its life's end, used or not
  Timestamp last_active_at{};  // its last recorded use (authenticate writes it at most every few seconds)
};

// What a session token finds.
struct SessionLookup {
  enum class State {
    unknown,  // no such session, past its life, or its user disabled
    idle,     // unused for the idle timeout: over (the client says "signed out after N minutes")
    active,
  };
  State state = State::unknown;
  std::optional<Session> session;  // when active
};

// One row of the audit trail: who did what, when (detail: a JSON object
// without personal data).
struct AuditEntry {
  std::int64_t id = 0;
  Timestamp at{};
  std::string actor;
  std::string action;
  std::string detail;
};

// The audit trail, newest first; every filter optional.
struct AuditQuery {
  std::optional<std::string> action;
  std::optional<std::string> actor;
  std::optional<std::int64_t> case_id;  // rows whose detail has this "case_id"
  std::optional<Timestamp> from;        // [from, to)
  std::optional<Timestamp> to;
  std::optional<std::int64_t> before_id;  // paging: rows with a smaller id
  int limit = 100;
};

// ---- Cases --------------------------------------------------------------------
// What a resolution gave the customer; goodwill always has an amount, a refund
// or price reduction may.
struct Remedy {
  enum class Kind { refund, replacement, repair, price_reduction, goodwill, apology, explanation, none };
  Kind kind = Kind::none;
  std::optional<std::int64_t> amount_pence;
  bool operator==(const Remedy&) const = default;
};
std::string_view remedy_name(Remedy::Kind kind);
std::optional<Remedy::Kind> parse_remedy(std::string_view name);

struct CaseRow {
  std::int64_t id = 0;
  CaseType type = CaseType::callback;
  std::string record_id;
  std::string store_id;
  std::optional<std::string> reference;
  std::optional<std::string> touchpoint;  // call-backs: the feedback's touchpoint
  int level = 0;                          // index into the rules' escalation levels
  bool repeat = false;
  Severity severity = Severity::medium;  // the opening's priority (CaseOpening::severity)
  Timestamp clock_start{};               // the record's created_at, clamped to arrival; a reopening restarts it
  std::int64_t local_day = 0;            // the first clock_start's local day (the KPIs' day for the case)
  Timestamp created_at{};                // when the server opened it
  std::optional<Timestamp> opens_at;     // scheduled follow-ups: listed as open from then
  std::optional<Timestamp> ack_due;
  Timestamp resolve_due{};
  std::optional<Timestamp> acked_at;
  std::optional<Timestamp> resolved_at;
  std::optional<std::string> assignee;
  std::optional<std::string> root_cause;
  bool ack_breached = false;      // the acknowledgement deadline's breach has been escalated
  bool resolve_breached = false;  // the resolution deadline's breach has been escalated
  // Waiting on the customer: the resolution clock stops from waiting_since; the
  // reply adds the working time waited to resolve_due and to paused_s.
  std::optional<Timestamp> waiting_since;
  std::int64_t paused_s = 0;                    // working seconds waited so far, all pauses
  std::optional<std::string> outcome;           // resolve: what was found and done, in words
  std::vector<Remedy> remedies;                 // resolve: what the customer was given
  std::optional<std::int64_t> follows_case_id;  // a follow-up opened by resolving this case
  std::optional<bool> satisfied;                // a closed follow-up: the customer's answer
};

// The deadline a case is worked to next, the queue's order: the acknowledgement
// while it is due, else the resolution (none while waiting on the customer);
// none once closed.
std::optional<Timestamp> next_due(const CaseRow& c);

// A complaint's final response as sent: stored with the case that resolved it.
struct FinalLetter {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  Timestamp created_at{};
  std::string author;    // the username that resolved the case
  std::string language;  // "en" or "cy"
  std::string text;      // plain text
  std::string html;      // a printable page
};

// One entry of a case's history: who, when, what, why.
struct CaseEvent {
  std::int64_t id = 0;
  Timestamp at{};
  std::string actor;   // a username, "system" or "store:<staff id>"
  std::string action;  // "opened", "acknowledge", "breach", ...
  std::string detail;  // a JSON object: the why and the values changed
};

// The queue's tabs (Workflow::status): "open" lists every case that is neither
// closed nor scheduled, so breached and awaiting cases too; "all" is every case.
enum class CaseFilter { all, open, breached, awaiting_customer, scheduled, closed };

// Where a page of cases ended: its last case's sort key (case_sort_key) and id.
struct CaseCursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};

// A page of the queue. Every filter given narrows it; none given: every case.
struct CaseQuery {
  CaseFilter filter = CaseFilter::all;
  std::optional<std::vector<std::string>> stores;  // only these stores (scope, store, area); empty: none
  std::optional<CaseType> type;
  std::optional<int> level;
  std::optional<Severity> severity;
  std::optional<bool> repeat;
  std::optional<std::string> assignee;  // assigned to this username (compared without case)
  bool unassigned = false;              // no assignee
  std::optional<Timestamp> due_before;  // next deadline (next_due) before this
  std::string reference_text;           // in the reference, compared as reference_key; empty: any
  std::optional<Category> category;     // complaints and their follow-ups: the complaint's category
  std::optional<std::string> root_cause;  // resolved with this root cause; "": none recorded (yet)
  std::optional<std::int64_t> from_day, to_day;  // raised on these local days (the case's local_day)
  Timestamp now{};                      // statuses are judged at this moment
  std::optional<CaseCursor> after;      // paging: the cases after this one in the order
  int limit = 100;
};

// The order of a page: open tabs by next deadline (none last), then id;
// "closed" by resolution, latest first, then id descending; "all" by id (the
// order cases were opened). The key a cursor keeps for a case under that order.
std::int64_t case_sort_key(const CaseRow& c, CaseFilter filter);

// How many cases each tab holds under a query's stores and filters. `closed`
// is exact up to kClosedCountCap when other filters than stores are given,
// and `closed_capped` says it stopped there (the count is a lower bound).
struct CaseCounts {
  std::int64_t open = 0, breached = 0, awaiting_customer = 0, scheduled = 0, closed = 0;
  bool closed_capped = false;
};
inline constexpr std::int64_t kClosedCountCap = 10000;

struct CaseChange;
// Changes a case in place, or refuses with an error (nothing is then written).
using CaseMutator = std::function<Result<CaseChange>(CaseRow&)>;

// A case opened by a change to another (a follow-up after a resolution): the
// opening, its KPI day and touchpoint, and what its "opened" event says.
struct CaseToOpen {
  CaseOpening opening;
  std::optional<Timestamp> opens_at;
  std::int64_t local_day = 0;
  std::optional<std::string> touchpoint;
  std::optional<std::int64_t> follows_case_id;
  std::string opened_detail;  // a JSON object
  std::vector<WebhookMessage> webhooks;
  Timestamp created_at{};  // when it is opened
};

// What a case mutator returns, all written in the change's transaction: the
// history it adds, the webhooks it queues, cases it opens, other cases it
// changes (an unsatisfied follow-up reopens the case it followed) and the final
// response it sends.
struct CaseChange {
  std::vector<CaseEvent> events;
  std::vector<WebhookMessage> webhooks;
  std::vector<CaseToOpen> opens;
  std::vector<std::pair<std::int64_t, CaseMutator>> also;
  std::optional<FinalLetter> letter;  // case_id and id are filled in when stored
};

// ---- Customers ----------------------------------------------------------------
struct CustomerKey {
  std::optional<std::string> email;  // normalised
  std::optional<std::string> phone;  // normalised
};

struct CustomerHistory {
  std::vector<StoredRecord> records;  // the customer's complaints and contactable feedback, oldest first
  std::vector<CaseRow> cases;         // the cases those records opened
};

// ---- KPIs -----------------------------------------------------------------------
struct KpiQuery {
  std::optional<std::string> store_id;
  std::optional<std::vector<std::string>> stores;  // only these stores (a scope); with store_id, both apply
  std::optional<std::string> touchpoint;
  std::optional<std::int64_t> from_day;  // local days, inclusive
  std::optional<std::int64_t> to_day;
  Timestamp now{};  // SLA: which deadlines have passed
};

// How a KPI breakdown groups its counts: the whole query as one, by local day, by
// week (Monday to Sunday), by calendar month, or by store.
enum class KpiGroup { total, day, week, month, store };

// One group of a breakdown. A period group's first_day may fall before the
// query's from_day (a week or month cut by it); only the query's days are counted.
struct KpiGroupCounts {
  std::int64_t first_day = 0;  // day, week, month: the group's first local day
  std::string store_id;        // store
  KpiCounts counts;
  bool operator==(const KpiGroupCounts&) const = default;
};

// The first local day of the group that holds `day` (day, week or month).
std::int64_t kpi_group_first_day(KpiGroup group, std::int64_t day);

// What a Pareto of complaints counts them by: the category staff gave, or the
// root cause head office found on resolving the complaint's case.
enum class ParetoBy { category, root_cause };

// ---- Statistics -----------------------------------------------------------------
struct StorageStats {
  std::int64_t records = 0;
  std::int64_t devices = 0;
  std::int64_t cases_open = 0;
  std::int64_t webhooks_pending = 0;
};

// ---- Digests ---------------------------------------------------------------------
// What the KPI digest (digest.hpp) reads beside the KPIs, for a scope's stores and
// a period [start, end) in UTC (the period's local days).
struct DigestQuery {
  std::optional<std::vector<std::string>> stores;  // none: the whole chain
  Timestamp start{}, end{};
  Timestamp now{};  // deadlines passed by now but not yet escalated count too
  int root_causes = 5;  // how many of the top root causes
};

struct DigestCounts {
  // Deadlines that fell in the period and passed unmet (each breach the scheduler
  // escalated, and those it has yet to), and the cases they belong to.
  std::int64_t ack_breaches = 0, resolve_breaches = 0, breached_cases = 0;
  std::int64_t complaints_resolved = 0;  // complaint cases resolved in the period
  // Their root causes, most frequent first (ties by name): {kRootCauses name, count}.
  std::vector<std::pair<std::string, std::int64_t>> root_causes;
};

enum class DigestPeriod { day, week };
std::string_view digest_period_name(DigestPeriod p);  // "day", "week"

// One digest owed to one user: sent once, retried until sent or given up.
struct DigestDelivery {
  std::int64_t user_id = 0;
  DigestPeriod period = DigestPeriod::week;
  std::int64_t first_day = 0;  // the period's first local day
  Timestamp created_at{};
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::optional<std::string> last_error;
  std::optional<Timestamp> sent_at;
  std::optional<Timestamp> given_up_at;
};

// ---- Dashboard (api_dashboard.cpp) ------------------------------------------------
// One staff member's complaints in a period, for coaching: those they logged at
// the store, how many were resolved at first contact (and accepted), and how many
// they escalated. Staff are known to the server only by the id the tablet sends
// with a complaint (a store's roster), so a member is a store and a staff id.
struct StaffFigures {
  std::string store_id;
  std::string staff_id;
  std::int64_t complaints = 0;
  std::int64_t resolved_first_contact = 0;  // counts_as_first_contact_resolution
  std::int64_t escalated = 0;               // sent on with an escalation
};

// Where a page of comments ended: its last comment's creation time and seq.
struct CommentCursor {
  Timestamp created_at{};
  std::int64_t seq = 0;
};

// The comments customers typed at the kiosk, newest first; every filter optional.
struct CommentQuery {
  std::optional<std::string> store_id;
  std::optional<std::vector<std::string>> stores;  // a scope's stores; with store_id, both apply
  std::optional<std::int64_t> from_day, to_day;    // local days, inclusive
  bool detractors_only = false;                    // NPS 0-6
  std::optional<CommentCursor> before;             // paging: comments older than this one
  int limit = 20;
};

// A feedback comment with its scores: what the customer gave, never contact details.
struct CustomerComment {
  std::int64_t seq = 0;
  std::string record_id;
  std::string store_id;
  Timestamp created_at{};
  std::string touchpoint;
  std::string language;
  std::optional<int> csat, nps;
  std::string comment;
  bool suspected_misuse = false;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // ---- Records
  // Stores a batch in one transaction; see the invariants above.
  virtual Result<IngestResult> ingest(std::span<const RecordInput> records, Timestamp arrived_at,
                                      const IngestPolicy& policy) = 0;
  // Up to `limit` records in `range` after `after`, ordered by creation time (then seq).
  virtual Result<std::vector<StoredRecord>> records_page(const RecordRange& range,
                                                         const std::optional<RecordCursor>& after, int limit) = 0;
  // The record with this id, if stored.
  virtual Result<std::optional<StoredRecord>> record_by_id(const std::string& id) = 0;

  // ---- Devices and enrollment
  virtual Result<void> add_enrollment_code(const std::string& code_hash, const std::string& store_id,
                                           Timestamp created_at, Timestamp expires_at) = 0;
  // Uses up the code and creates the device, in one step. not_found when the code
  // is unknown, used or expired at `now`.
  virtual Result<Device> enroll_device(const std::string& code_hash, const std::string& device_id,
                                       const std::string& name, const std::string& token_hash, Timestamp now) = 0;
  // The device holding this token, revoked or not; nullopt when none does.
  virtual Result<std::optional<Device>> device_by_token(const std::string& token_hash) = 0;
  // not_found for an unknown device; conflict when it is already revoked.
  virtual Result<void> revoke_device(const std::string& device_id, Timestamp now) = 0;
  // Keeps `beat` as the device's last heartbeat and marks the device seen then.
  virtual Result<void> record_heartbeat(const std::string& device_id, const Heartbeat& beat) = 0;
  // Every device (of one store when given), by store then enrollment, with its last heartbeat.
  virtual Result<std::vector<DeviceStatus>> list_devices(const std::optional<std::string>& store_id) = 0;

  // ---- Users and sessions
  // conflict when the username (compared without case) is taken.
  virtual Result<std::int64_t> add_user(const std::string& username, const std::string& password_hash, Role role,
                                        const Scope& scope, Timestamp now) = 0;
  virtual Result<std::optional<User>> user_by_name(const std::string& username) = 0;
  // Every user, by username.
  virtual Result<std::vector<User>> list_users() = 0;
  // Applies `change` in one transaction and returns the user as changed.
  // Disabling sets disabled_at and deletes the user's sessions; a new password
  // deletes them too; enabling clears disabled_at. not_found for an unknown
  // user; conflict when the change would leave no active chain-wide admin.
  virtual Result<User> update_user(const std::string& username, const UserChange& change, Timestamp now) = 0;
  virtual Result<void> add_session(const std::string& token_hash, std::int64_t user_id, Timestamp now,
                                   Timestamp expires_at) = 0;
  // A token's session at `now`: active, idle (last used `idle_timeout` or
  // longer ago), or unknown (no such token, past its life, or its user disabled).
  virtual Result<SessionLookup> user_by_session(const std::string& token_hash, Timestamp now,
                                                std::chrono::seconds idle_timeout) = 0;
  // Records a use of the session at `at`; never moves its last use back.
  virtual Result<void> touch_session(const std::string& token_hash, Timestamp at) = 0;
  // Ends a session (signing out); ending one that is gone already is not an error.
  virtual Result<void> end_session(const std::string& token_hash) = 0;
  // Deletes the sessions past their life or idle at `now`.
  virtual Result<void> purge_sessions(Timestamp now, std::chrono::seconds idle_timeout) = 0;

  // ---- Cases
  // A page of cases in the query's order (case_sort_key).
  virtual Result<std::vector<CaseRow>> list_cases(const CaseQuery& query) = 0;
  // Each tab's count under the query's stores and filters (its filter, cursor and limit aside).
  virtual Result<CaseCounts> count_cases(const CaseQuery& query) = 0;
  // The cases a record opened (with their follow-ups), oldest first.
  virtual Result<std::vector<CaseRow>> cases_of_record(const std::string& record_id) = 0;
  virtual Result<std::optional<CaseRow>> find_case(std::int64_t id) = 0;
  virtual Result<std::vector<CaseEvent>> case_history(std::int64_t id) = 0;
  // Reads the case, lets `mutate` change it, and writes the case, its events and
  // webhooks in one transaction. not_found for an unknown id; mutate's error as is.
  virtual Result<CaseRow> update_case(std::int64_t id, const CaseMutator& mutate) = 0;
  // update_case for many cases in one transaction (one commit for a scheduler's
  // batch); ids no longer found are skipped. An error from `mutate` aborts all.
  virtual Result<std::vector<CaseRow>> update_cases(std::span<const std::int64_t> ids, const CaseMutator& mutate) = 0;
  // Open cases with a deadline before `now` whose breach is not yet escalated
  // (a resolution deadline does not run while waiting on the customer).
  virtual Result<std::vector<std::int64_t>> cases_past_deadline(Timestamp now, int limit) = 0;
  // The final responses a case sent, oldest first (a reopened case may send another).
  virtual Result<std::vector<FinalLetter>> final_letters(std::int64_t case_id) = 0;
  // The cases a case's changes opened (follow-ups, a complaint after an unhappy one), by id.
  virtual Result<std::vector<CaseRow>> cases_following(std::int64_t case_id) = 0;
  // The store's notes on a complaint (complaint_update records naming it), oldest first.
  virtual Result<std::vector<StoredRecord>> updates_for(const std::string& complaint_id) = 0;
  // An alert case's window and the answers it counted; nullopt for other cases.
  virtual Result<std::optional<StoredAlert>> alert_of_case(std::int64_t case_id) = 0;
  // The alerts among these cases (titles and figures, without their records), by case id.
  virtual Result<std::vector<StoredAlert>> alerts_of_cases(std::span<const std::int64_t> case_ids) = 0;

  // ---- Customers
  virtual Result<CustomerHistory> customer_history(const CustomerKey& key, int limit) = 0;
  // The complaints whose reference has this key (reference_key: upper case, no
  // dashes), oldest first, up to `limit`, with the cases they opened. Usually one.
  virtual Result<CustomerHistory> complaints_by_reference(const std::string& key, int limit) = 0;

  // ---- KPIs
  virtual Result<KpiCounts> kpis(const KpiQuery& query) = 0;
  // The same counts by group, in the group's order (period, or store id); groups
  // with nothing counted are left out. kpis() is the total group.
  virtual Result<std::vector<KpiGroupCounts>> kpi_breakdown(const KpiQuery& query, KpiGroup group) = 0;
  // Complaints raised in the query's days and stores (its touchpoint aside), by
  // category; or their cases by root cause, "" for those with none recorded (not
  // resolved yet). Most first, ties by name.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> complaint_pareto(const KpiQuery& query,
                                                                                    ParetoBy by) = 0;

  // ---- Webhooks (the durable outbox)
  virtual Result<std::vector<WebhookMessage>> due_webhooks(std::int64_t now_ms, int limit) = 0;
  // When the next undelivered webhook is due; nullopt when none waits.
  virtual Result<std::optional<std::int64_t>> next_webhook_due_ms() = 0;
  virtual Result<void> webhook_delivered(std::int64_t id, std::int64_t now_ms) = 0;
  virtual Result<void> webhook_failed(std::int64_t id, std::int64_t next_attempt_ms, const std::string& error) = 0;
  // Never tried again (its endpoint left the config): kept with `error`, no longer pending.
  virtual Result<void> webhook_given_up(std::int64_t id, std::int64_t now_ms, const std::string& error) = 0;

  // ---- Audit and statistics
  // Who viewed or changed personal data. `detail` must not itself hold personal data.
  virtual Result<void> audit(Timestamp at, const std::string& actor, const std::string& action,
                             const std::string& detail) = 0;
  virtual Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) = 0;
  virtual Result<StorageStats> stats(Timestamp now) = 0;

  // ---- Digests (digest.hpp)
  virtual Result<DigestCounts> digest_counts(const DigestQuery& query) = 0;
  // Records that a digest is owed, due at once; false when it was already
  // recorded (sent, pending or given up): what makes each digest go out once.
  virtual Result<bool> add_digest_delivery(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                           Timestamp now) = 0;
  // Owed digests neither sent nor given up whose next attempt is due at now_ms, oldest first.
  virtual Result<std::vector<DigestDelivery>> due_digests(std::int64_t now_ms, int limit) = 0;
  // One user's digests, newest period first (tests and tools).
  virtual Result<std::vector<DigestDelivery>> digest_deliveries(std::int64_t user_id) = 0;
  virtual Result<void> digest_sent(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                   Timestamp at) = 0;
  virtual Result<void> digest_failed(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                     std::int64_t next_attempt_ms, const std::string& error) = 0;
  virtual Result<void> digest_given_up(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                       Timestamp at, const std::string& error) = 0;

  // ---- Dashboard (api_dashboard.cpp)
  // Complaints raised in the query's days and stores (its touchpoint aside) by
  // the store and staff id that logged them, in store then staff id order.
  virtual Result<std::vector<StaffFigures>> staff_figures(const KpiQuery& query) = 0;
  // Up to `limit` feedback comments (non-empty) in the query, newest first (then seq).
  virtual Result<std::vector<CustomerComment>> customer_comments(const CommentQuery& query) = 0;
};

}  // namespace heed::server
