// The SQLite storage backend (see sqlite_storage.hpp and storage.hpp for the
// invariants). All writes go through the one writer connection under
// write_mutex_, each in one BEGIN IMMEDIATE transaction; reads borrow a
// connection from the reader pool.
//
// Sections: schema | helpers | connections | records and ingest | devices |
// users and sessions | cases | customers | KPIs | webhooks | audit and stats
#include "heed/server/sqlite_storage.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <array>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <variant>

#include "heed/private_files.hpp"
#include "heed/record_json.hpp"
#include "heed/server/server_config.hpp"
#include "heed/sqlite.hpp"

namespace heed::server {

using sql::Database;
using sql::Statement;
using sql::Transaction;

// ---- Schema -------------------------------------------------------------------
namespace {

// Element i migrates version i to i + 1. Never edit a released migration: append.
constexpr std::array<std::string_view, 15> kMigrations{
    R"sql(
-- Every record as received. body is the canonical wire JSON (the duplicate check
-- compares it); the other columns are copies for indexes and reports.
CREATE TABLE records (
  seq         INTEGER PRIMARY KEY,            -- arrival order
  id          TEXT NOT NULL UNIQUE,           -- the device's UUID: the idempotency key
  type        TEXT NOT NULL CHECK (type IN ('feedback', 'complaint', 'complaint_update')),
  store_id    TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,               -- unix seconds, at the store
  arrived_at  INTEGER NOT NULL,               -- unix seconds, at the server
  local_day   INTEGER NOT NULL,               -- created_at's day in the chain's zone
  touchpoint  TEXT,                           -- feedback only
  email       TEXT,                           -- the customer's, normalised; only with consent
  phone       TEXT,
  body        TEXT NOT NULL
);
CREATE INDEX records_by_created ON records (created_at);
CREATE INDEX records_by_email ON records (email) WHERE email IS NOT NULL;
CREATE INDEX records_by_phone ON records (phone) WHERE phone IS NOT NULL;

-- KPI counts per store, local day and touchpoint ('' for complaints), kept in
-- the ingest transaction: a KPI query sums store-days, not records.
CREATE TABLE kpi_daily (
  store_id        TEXT NOT NULL,
  day             INTEGER NOT NULL,
  touchpoint      TEXT NOT NULL,
  feedback        INTEGER NOT NULL DEFAULT 0,
  csat_count      INTEGER NOT NULL DEFAULT 0,
  csat_sum        INTEGER NOT NULL DEFAULT 0,
  csat_satisfied  INTEGER NOT NULL DEFAULT 0,
  nps_count       INTEGER NOT NULL DEFAULT 0,
  promoters       INTEGER NOT NULL DEFAULT 0,
  passives        INTEGER NOT NULL DEFAULT 0,
  detractors      INTEGER NOT NULL DEFAULT 0,
  complaints      INTEGER NOT NULL DEFAULT 0,
  resolved_first  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, day, touchpoint)
) WITHOUT ROWID;
CREATE INDEX kpi_daily_by_day ON kpi_daily (day);

CREATE TABLE devices (
  device_id    TEXT PRIMARY KEY,
  store_id     TEXT NOT NULL,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,          -- keyed BLAKE2b of the token
  enrolled_at  INTEGER NOT NULL,
  revoked_at   INTEGER
) WITHOUT ROWID;

CREATE TABLE enrollment_codes (
  code_hash   TEXT PRIMARY KEY,               -- keyed BLAKE2b of the normalised code
  store_id    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER,
  device_id   TEXT
) WITHOUT ROWID;

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,               -- argon2id
  role           TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'agent')),
  created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,               -- keyed BLAKE2b of the token
  user_id     INTEGER NOT NULL REFERENCES users (id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  type              TEXT NOT NULL CHECK (type IN ('callback', 'complaint', 'follow_up')),
  record_id         TEXT NOT NULL REFERENCES records (id),
  store_id          TEXT NOT NULL,
  reference         TEXT,
  touchpoint        TEXT,
  level             INTEGER NOT NULL,
  repeat            INTEGER NOT NULL,
  clock_start       INTEGER NOT NULL,
  local_day         INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  opens_at          INTEGER,
  ack_due           INTEGER,
  resolve_due       INTEGER NOT NULL,
  acked_at          INTEGER,
  resolved_at       INTEGER,
  assignee          TEXT,
  root_cause        TEXT,
  ack_breached      INTEGER NOT NULL DEFAULT 0,
  resolve_breached  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (record_id, type)
);
CREATE INDEX cases_by_store ON cases (store_id, id);
CREATE INDEX cases_by_day ON cases (local_day);
-- What the scheduler watches: deadlines whose breach is not yet escalated.
CREATE INDEX cases_ack_watch ON cases (ack_due)
  WHERE resolved_at IS NULL AND acked_at IS NULL AND ack_breached = 0;
CREATE INDEX cases_resolve_watch ON cases (resolve_due)
  WHERE resolved_at IS NULL AND resolve_breached = 0;

CREATE TABLE case_events (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases (id),
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  detail   TEXT NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

-- The webhook outbox: a row is written with the change that caused it and
-- stays until a receiver answered 2xx.
CREATE TABLE webhooks (
  id               INTEGER PRIMARY KEY,
  event            TEXT NOT NULL,
  body             TEXT NOT NULL,
  created_at_ms    INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL,
  delivered_at_ms  INTEGER,
  last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_due ON webhooks (next_attempt_ms) WHERE delivered_at_ms IS NULL;

-- Who viewed or changed personal data; detail holds no personal data itself.
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  detail  TEXT NOT NULL
);
)sql",
    // 2: the feedback scores and first-contact flag as columns (the rollup can be
    // rebuilt from them), SLA counts in the rollup, and each device's last heartbeat.
    R"sql(
ALTER TABLE records ADD COLUMN csat INTEGER;                    -- feedback's scores, as sent
ALTER TABLE records ADD COLUMN nps INTEGER;
ALTER TABLE records ADD COLUMN resolved_first_contact INTEGER;  -- complaints: 0 or 1
UPDATE records SET
  csat = CASE WHEN type = 'feedback' THEN json_extract(body, '$.csat') END,
  nps = CASE WHEN type = 'feedback' THEN json_extract(body, '$.nps') END,
  resolved_first_contact = CASE WHEN type = 'complaint' THEN json_extract(body, '$.resolved_first_contact') END;

-- SLA counts of the cases opened that day (by their clock's local day, touchpoint
-- '' for complaints), kept by update_case from each change's before and after.
-- Cases neither done nor yet escalated are counted live (kpis()).
ALTER TABLE kpi_daily ADD COLUMN acked INTEGER NOT NULL DEFAULT 0;          -- acknowledged (resolved counts as acknowledged)
ALTER TABLE kpi_daily ADD COLUMN acked_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kpi_daily ADD COLUMN ack_breached_open INTEGER NOT NULL DEFAULT 0;  -- not acknowledged, breach escalated
ALTER TABLE kpi_daily ADD COLUMN resolved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kpi_daily ADD COLUMN resolved_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kpi_daily ADD COLUMN resolve_breached_open INTEGER NOT NULL DEFAULT 0;  -- not resolved, breach escalated
INSERT INTO kpi_daily (store_id, day, touchpoint, acked, acked_on_time, ack_breached_open, resolved,
                       resolved_on_time, resolve_breached_open)
SELECT store_id, local_day, coalesce(touchpoint, ''),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) IS NOT NULL),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) <= ack_due),
  total(ack_due IS NOT NULL AND coalesce(acked_at, resolved_at) IS NULL AND ack_breached),
  total(resolved_at IS NOT NULL),
  total(resolved_at <= resolve_due),
  total(resolved_at IS NULL AND resolve_breached)
FROM cases WHERE true GROUP BY store_id, local_day, coalesce(touchpoint, '')
ON CONFLICT (store_id, day, touchpoint) DO UPDATE SET acked = excluded.acked,
  acked_on_time = excluded.acked_on_time, ack_breached_open = excluded.ack_breached_open,
  resolved = excluded.resolved, resolved_on_time = excluded.resolved_on_time,
  resolve_breached_open = excluded.resolve_breached_open;

-- When the server last heard from each device (a batch or a heartbeat), and
-- its last heartbeat: how its outbox stood, so a silent kiosk can be found.
ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;
CREATE TABLE heartbeats (
  device_id             TEXT PRIMARY KEY REFERENCES devices (device_id),
  received_at           INTEGER NOT NULL,   -- unix seconds, at the server
  queue_length          INTEGER NOT NULL,
  oldest_pending_age_s  INTEGER,            -- NULL: nothing pending
  app_version           TEXT NOT NULL,
  quarantined           INTEGER,
  last_sync_at          INTEGER,
  last_error            TEXT
) WITHOUT ROWID;
)sql",
    // 3: the rollup by month as well, so that a KPI query over a long period sums
    // store-months, with days only at its ragged ends.
    R"sql(
CREATE TABLE kpi_monthly (
  store_id        TEXT NOT NULL,
  month           INTEGER NOT NULL,           -- year * 12 + month - 1, of the local days summed
  touchpoint      TEXT NOT NULL,
  feedback        INTEGER NOT NULL DEFAULT 0,
  csat_count      INTEGER NOT NULL DEFAULT 0,
  csat_sum        INTEGER NOT NULL DEFAULT 0,
  csat_satisfied  INTEGER NOT NULL DEFAULT 0,
  nps_count       INTEGER NOT NULL DEFAULT 0,
  promoters       INTEGER NOT NULL DEFAULT 0,
  passives        INTEGER NOT NULL DEFAULT 0,
  detractors      INTEGER NOT NULL DEFAULT 0,
  complaints      INTEGER NOT NULL DEFAULT 0,
  resolved_first  INTEGER NOT NULL DEFAULT 0,
  acked                  INTEGER NOT NULL DEFAULT 0,
  acked_on_time          INTEGER NOT NULL DEFAULT 0,
  ack_breached_open      INTEGER NOT NULL DEFAULT 0,
  resolved               INTEGER NOT NULL DEFAULT 0,
  resolved_on_time       INTEGER NOT NULL DEFAULT 0,
  resolve_breached_open  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, month, touchpoint)
) WITHOUT ROWID;
CREATE INDEX kpi_monthly_by_month ON kpi_monthly (month);
INSERT INTO kpi_monthly
SELECT store_id,
  CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12
    + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
  touchpoint, sum(feedback), sum(csat_count), sum(csat_sum), sum(csat_satisfied), sum(nps_count), sum(promoters),
  sum(passives), sum(detractors), sum(complaints), sum(resolved_first), sum(acked), sum(acked_on_time),
  sum(ack_breached_open), sum(resolved), sum(resolved_on_time), sum(resolve_breached_open)
FROM kpi_daily GROUP BY 1, 2, 3;
)sql",
    // 4: each case's severity (its opening's priority), which a reopened case's
    // new deadlines follow. Complaint cases and follow-ups take their
    // complaint's; call-backs were all opened at medium.
    R"sql(
ALTER TABLE cases ADD COLUMN severity TEXT NOT NULL DEFAULT 'medium'
  CHECK (severity IN ('low', 'medium', 'high'));
UPDATE cases SET severity = coalesce(
  (SELECT json_extract(r.body, '$.severity') FROM records r
   WHERE r.id = cases.record_id AND r.type = 'complaint'
     AND json_extract(r.body, '$.severity') IN ('low', 'medium', 'high')),
  'medium')
WHERE type IN ('complaint', 'follow_up');
)sql",
    // 5: first-contact resolution counts only what the customer accepted (records
    // schema 2); schema 1 records resolved without acceptance stop counting.
    R"sql(
UPDATE records SET resolved_first_contact = 0
WHERE type = 'complaint' AND resolved_first_contact = 1
  AND coalesce(json_extract(body, '$.customer_accepted'), 0) != 1;
UPDATE kpi_daily SET resolved_first = (
  SELECT count(*) FROM records r WHERE r.type = 'complaint' AND r.resolved_first_contact = 1
    AND r.store_id = kpi_daily.store_id AND r.local_day = kpi_daily.day)
WHERE touchpoint = '';
UPDATE kpi_monthly SET resolved_first = (
  SELECT coalesce(sum(d.resolved_first), 0) FROM kpi_daily d
  WHERE d.store_id = kpi_monthly.store_id AND d.touchpoint = ''
    AND CAST(strftime('%Y', d.day * 86400, 'unixepoch') AS INTEGER) * 12
      + CAST(strftime('%m', d.day * 86400, 'unixepoch') AS INTEGER) - 1 = kpi_monthly.month)
WHERE touchpoint = '';
)sql",
    // 6: complaints found by the reference a customer quotes (its key: no dashes),
    // and notes found by the complaint they name, for one that arrives first.
    R"sql(
CREATE INDEX records_by_reference ON records (replace(json_extract(body, '$.reference'), '-', ''))
  WHERE type = 'complaint';
CREATE INDEX records_by_complaint ON records (json_extract(body, '$.complaint_id'))
  WHERE type = 'complaint_update';
)sql",
    // 7: head office's case file. Users get a scope (chain, area:<id>, store:<id>)
    // and can be disabled. Cases keep the pause while waiting on the customer, the
    // resolution's outcome and remedies, the case a follow-up follows and its
    // answer, and their next deadline (the queue's order). The table is rebuilt
    // without UNIQUE (record_id, type): each resolution may open a follow-up.
    // Final responses are kept as sent.
    R"sql(
ALTER TABLE users ADD COLUMN scope TEXT NOT NULL DEFAULT 'chain';
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- The rows wait in a copy while the table is made again under its own name, so
-- that case_events' references (deferred meanwhile) find their cases again.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE cases_old AS SELECT * FROM cases;
DROP TABLE cases;
CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  type              TEXT NOT NULL CHECK (type IN ('callback', 'complaint', 'follow_up')),
  record_id         TEXT NOT NULL REFERENCES records (id),
  store_id          TEXT NOT NULL,
  reference         TEXT,
  touchpoint        TEXT,
  level             INTEGER NOT NULL,
  repeat            INTEGER NOT NULL,
  clock_start       INTEGER NOT NULL,
  local_day         INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  opens_at          INTEGER,
  ack_due           INTEGER,
  resolve_due       INTEGER NOT NULL,
  acked_at          INTEGER,
  resolved_at       INTEGER,
  assignee          TEXT,
  root_cause        TEXT,
  ack_breached      INTEGER NOT NULL DEFAULT 0,
  resolve_breached  INTEGER NOT NULL DEFAULT 0,
  severity          TEXT NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high')),
  waiting_since     INTEGER,                  -- waiting on the customer since; NULL: not waiting
  paused_s          INTEGER NOT NULL DEFAULT 0,  -- working seconds waited, all pauses
  outcome           TEXT,
  remedies          TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"kind", "amount_pence"?}]
  follows_case_id   INTEGER REFERENCES cases (id),
  satisfied         INTEGER,                  -- a closed follow-up: 1 satisfied, 0 not
  next_due          INTEGER                   -- next_due(): NULL when closed or waiting
);
INSERT INTO cases (id, type, record_id, store_id, reference, touchpoint, level, repeat, clock_start, local_day,
  created_at, opens_at, ack_due, resolve_due, acked_at, resolved_at, assignee, root_cause, ack_breached,
  resolve_breached, severity, next_due)
SELECT id, type, record_id, store_id, reference, touchpoint, level, repeat, clock_start, local_day, created_at,
  opens_at, ack_due, resolve_due, acked_at, resolved_at, assignee, root_cause, ack_breached, resolve_breached,
  severity,
  CASE WHEN resolved_at IS NOT NULL THEN NULL WHEN ack_due IS NOT NULL AND acked_at IS NULL THEN ack_due
       ELSE resolve_due END
FROM temp.cases_old;
DROP TABLE temp.cases_old;
CREATE INDEX cases_by_record ON cases (record_id);
-- What ingest opens, it opens once per record and type (a record stored twice is a duplicate).
CREATE UNIQUE INDEX cases_opened_once ON cases (record_id, type) WHERE follows_case_id IS NULL;
CREATE INDEX cases_by_store ON cases (store_id, id);
CREATE INDEX cases_by_day ON cases (local_day);
CREATE INDEX cases_following ON cases (follows_case_id) WHERE follows_case_id IS NOT NULL;
CREATE INDEX cases_ack_watch ON cases (ack_due)
  WHERE resolved_at IS NULL AND acked_at IS NULL AND ack_breached = 0;
CREATE INDEX cases_resolve_watch ON cases (resolve_due)
  WHERE resolved_at IS NULL AND resolve_breached = 0 AND waiting_since IS NULL;
CREATE INDEX cases_queue ON cases (next_due, id) WHERE resolved_at IS NULL;

CREATE TABLE final_letters (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  created_at  INTEGER NOT NULL,
  author      TEXT NOT NULL,
  language    TEXT NOT NULL,
  text        TEXT NOT NULL,
  html        TEXT NOT NULL
);
CREATE INDEX final_letters_by_case ON final_letters (case_id, id);
)sql",
    // 8: the audit trail is read back (GET /api/v1/audit), newest first, often
    // for one actor or one action.
    R"sql(
CREATE INDEX audit_by_actor ON audit (actor, id);
CREATE INDEX audit_by_action ON audit (action, id);
)sql",
    // 9: the queue on a million cases (GET /api/v1/cases). Cases not closed (about
    // a tenth) are read in the queue's order, whole chain or by store, from
    // indexes holding every column the tabs and filters test, so that a page and
    // the tabs' counts never visit the table; a case without a deadline sorts
    // last. Closed cases are read latest resolution first.
    R"sql(
DROP INDEX cases_queue;
CREATE INDEX cases_open_by_due ON cases (ifnull(next_due, 9223372036854775807), id, next_due, store_id, opens_at,
  ack_due, acked_at, resolve_due, waiting_since, type, severity, level, repeat, assignee, reference, resolved_at)
  WHERE resolved_at IS NULL;
CREATE INDEX cases_open_by_store ON cases (store_id, ifnull(next_due, 9223372036854775807), id, next_due, opens_at,
  ack_due, acked_at, resolve_due, waiting_since, type, severity, level, repeat, assignee, reference, resolved_at)
  WHERE resolved_at IS NULL;
CREATE INDEX cases_closed ON cases (resolved_at, id, store_id, type, severity, level, repeat, assignee, next_due)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_closed_by_store ON cases (store_id, resolved_at, id, type, severity, level, repeat, assignee,
  next_due) WHERE resolved_at IS NOT NULL;
-- The tabs' counts without counting a million rows: each store's cases and cases
-- not closed, kept by triggers; the time-dependent tabs (scheduled, breached,
-- awaiting) chain-wide from the few cases each can hold.
CREATE TABLE case_totals (
  store_id    TEXT PRIMARY KEY,
  cases       INTEGER NOT NULL,
  not_closed  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO case_totals SELECT store_id, count(*), count(*) FILTER (WHERE resolved_at IS NULL) FROM cases
  GROUP BY store_id;
CREATE TRIGGER case_totals_insert AFTER INSERT ON cases BEGIN
  INSERT OR IGNORE INTO case_totals VALUES (NEW.store_id, 0, 0);
  UPDATE case_totals SET cases = cases + 1, not_closed = not_closed + (NEW.resolved_at IS NULL)
    WHERE store_id = NEW.store_id;
END;
CREATE TRIGGER case_totals_close AFTER UPDATE OF resolved_at ON cases
  WHEN (OLD.resolved_at IS NULL) != (NEW.resolved_at IS NULL) BEGIN
  UPDATE case_totals SET not_closed = not_closed + (NEW.resolved_at IS NULL) - (OLD.resolved_at IS NULL)
    WHERE store_id = NEW.store_id;
END;
CREATE TRIGGER case_totals_delete AFTER DELETE ON cases BEGIN
  UPDATE case_totals SET cases = cases - 1, not_closed = not_closed - (OLD.resolved_at IS NULL)
    WHERE store_id = OLD.store_id;
END;
CREATE INDEX cases_ack_pending ON cases (ack_due, opens_at, resolved_at, acked_at)
  WHERE resolved_at IS NULL AND acked_at IS NULL AND ack_due IS NOT NULL;
CREATE INDEX cases_resolve_running ON cases (resolve_due, opens_at, ack_due, acked_at, resolved_at, waiting_since)
  WHERE resolved_at IS NULL AND waiting_since IS NULL;
CREATE INDEX cases_waiting ON cases (waiting_since, opens_at, ack_due, acked_at, resolved_at)
  WHERE resolved_at IS NULL AND waiting_since IS NOT NULL;
CREATE INDEX cases_scheduled ON cases (opens_at, resolved_at) WHERE resolved_at IS NULL AND opens_at IS NOT NULL;
-- Text in a reference (the queue's q): the trigrams of each reference's key (upper
-- case, no dashes or spaces) by case id. A case's reference never changes.
CREATE VIRTUAL TABLE case_reference_text USING fts5(key, tokenize = 'trigram', content = '', detail = 'full');
INSERT INTO case_reference_text (rowid, key)
  SELECT id, replace(replace(upper(reference), '-', ''), ' ', '') FROM cases WHERE reference IS NOT NULL;
CREATE TRIGGER cases_reference_text AFTER INSERT ON cases WHEN NEW.reference IS NOT NULL BEGIN
  INSERT INTO case_reference_text (rowid, key) VALUES (NEW.id, replace(replace(upper(NEW.reference), '-', ''), ' ', ''));
END;
)sql",
    // 10: webhooks are routed: each outbox row names the config's endpoint it goes
    // to (rows queued before go to --webhook-url's "default"), and a row whose
    // endpoint left the config is given up rather than retried for ever.
    R"sql(
ALTER TABLE webhooks ADD COLUMN endpoint TEXT NOT NULL DEFAULT 'default';
ALTER TABLE webhooks ADD COLUMN given_up_at_ms INTEGER;
DROP INDEX webhooks_due;
CREATE INDEX webhooks_due ON webhooks (next_attempt_ms) WHERE delivered_at_ms IS NULL AND given_up_at_ms IS NULL;
)sql",
    // 11: the idle timeout (serve --idle-timeout): when each session was last
    // used. A session from before counts as last used when it began.
    R"sql(
ALTER TABLE sessions ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_active_at = created_at;
)sql",
    // 12: the KPI digest by email (digest.hpp). A user has an email address and a
    // frequency (none until they subscribe); each digest owed is a row, keyed by
    // user, period and its first day, so it is sent once whatever the restarts.
    R"sql(
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'none' CHECK (digest IN ('none', 'daily', 'weekly'));
ALTER TABLE users ADD COLUMN digest_since INTEGER;
CREATE TABLE digest_deliveries (
  user_id          INTEGER NOT NULL REFERENCES users (id),
  period           TEXT NOT NULL CHECK (period IN ('day', 'week')),
  first_day        INTEGER NOT NULL,          -- the period's first local day
  created_at       INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL,
  last_error       TEXT,
  sent_at          INTEGER,
  given_up_at      INTEGER,
  PRIMARY KEY (user_id, period, first_day)
) WITHOUT ROWID;
CREATE INDEX digest_deliveries_due ON digest_deliveries (next_attempt_ms)
  WHERE sent_at IS NULL AND given_up_at IS NULL;
-- The digest's breaches: breach events by time.
CREATE INDEX case_events_breaches ON case_events (at) WHERE action = 'breach';
)sql",
    // 13: the dashboard's Pareto (complaint_pareto): complaints, and complaint
    // cases, by the local day they were raised, holding what each is counted by.
    // `type` is repeated in each: SQLite 3.40 reads a partial index's own
    // condition from the row, and the index would no longer cover the query. For
    // the same reason a complaint's category is copied into a column: an indexed
    // expression, or a generated column, is read from the row too.
    R"sql(
ALTER TABLE records ADD COLUMN category TEXT;  -- complaints only
UPDATE records SET category = json_extract(body, '$.category') WHERE type = 'complaint';
CREATE INDEX records_complaints_by_day ON records (local_day, store_id, category, type) WHERE type = 'complaint';
CREATE INDEX cases_complaints_by_day ON cases (local_day, store_id, root_cause, type) WHERE type = 'complaint';
)sql",
    // 14: store alerts (alerts.hpp). Cases may be of type 'alert': the table is
    // rebuilt as migration 7 did (SQLite cannot alter a CHECK), with every index
    // and trigger made again; case_totals and the reference text keep their rows,
    // as the ids do. An alert keeps its window's figures and the answers it
    // counted, and a store's latest alert is found by store.
    R"sql(
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE cases_old AS SELECT * FROM cases;
DROP TABLE cases;
CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  type              TEXT NOT NULL CHECK (type IN ('callback', 'complaint', 'follow_up', 'alert')),
  record_id         TEXT NOT NULL REFERENCES records (id),  -- an alert: the newest answer it counted
  store_id          TEXT NOT NULL,
  reference         TEXT,
  touchpoint        TEXT,
  level             INTEGER NOT NULL,
  repeat            INTEGER NOT NULL,
  clock_start       INTEGER NOT NULL,
  local_day         INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  opens_at          INTEGER,
  ack_due           INTEGER,
  resolve_due       INTEGER NOT NULL,
  acked_at          INTEGER,
  resolved_at       INTEGER,
  assignee          TEXT,
  root_cause        TEXT,
  ack_breached      INTEGER NOT NULL DEFAULT 0,
  resolve_breached  INTEGER NOT NULL DEFAULT 0,
  severity          TEXT NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high')),
  waiting_since     INTEGER,                  -- waiting on the customer since; NULL: not waiting
  paused_s          INTEGER NOT NULL DEFAULT 0,  -- working seconds waited, all pauses
  outcome           TEXT,
  remedies          TEXT NOT NULL DEFAULT '[]',  -- JSON: [{"kind", "amount_pence"?}]
  follows_case_id   INTEGER REFERENCES cases (id),
  satisfied         INTEGER,                  -- a closed follow-up: 1 satisfied, 0 not
  next_due          INTEGER                   -- next_due(): NULL when closed or waiting
);
INSERT INTO cases SELECT * FROM temp.cases_old;
DROP TABLE temp.cases_old;
CREATE INDEX cases_by_record ON cases (record_id);
CREATE UNIQUE INDEX cases_opened_once ON cases (record_id, type) WHERE follows_case_id IS NULL;
CREATE INDEX cases_by_store ON cases (store_id, id);
CREATE INDEX cases_by_day ON cases (local_day);
CREATE INDEX cases_following ON cases (follows_case_id) WHERE follows_case_id IS NOT NULL;
CREATE INDEX cases_ack_watch ON cases (ack_due)
  WHERE resolved_at IS NULL AND acked_at IS NULL AND ack_breached = 0;
CREATE INDEX cases_resolve_watch ON cases (resolve_due)
  WHERE resolved_at IS NULL AND resolve_breached = 0 AND waiting_since IS NULL;
CREATE INDEX cases_open_by_due ON cases (ifnull(next_due, 9223372036854775807), id, next_due, store_id, opens_at,
  ack_due, acked_at, resolve_due, waiting_since, type, severity, level, repeat, assignee, reference, resolved_at)
  WHERE resolved_at IS NULL;
CREATE INDEX cases_open_by_store ON cases (store_id, ifnull(next_due, 9223372036854775807), id, next_due, opens_at,
  ack_due, acked_at, resolve_due, waiting_since, type, severity, level, repeat, assignee, reference, resolved_at)
  WHERE resolved_at IS NULL;
CREATE INDEX cases_closed ON cases (resolved_at, id, store_id, type, severity, level, repeat, assignee, next_due)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_closed_by_store ON cases (store_id, resolved_at, id, type, severity, level, repeat, assignee,
  next_due) WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_ack_pending ON cases (ack_due, opens_at, resolved_at, acked_at)
  WHERE resolved_at IS NULL AND acked_at IS NULL AND ack_due IS NOT NULL;
CREATE INDEX cases_resolve_running ON cases (resolve_due, opens_at, ack_due, acked_at, resolved_at, waiting_since)
  WHERE resolved_at IS NULL AND waiting_since IS NULL;
CREATE INDEX cases_waiting ON cases (waiting_since, opens_at, ack_due, acked_at, resolved_at)
  WHERE resolved_at IS NULL AND waiting_since IS NOT NULL;
CREATE INDEX cases_scheduled ON cases (opens_at, resolved_at) WHERE resolved_at IS NULL AND opens_at IS NOT NULL;
CREATE INDEX cases_complaints_by_day ON cases (local_day, store_id, root_cause, type) WHERE type = 'complaint';
CREATE TRIGGER case_totals_insert AFTER INSERT ON cases BEGIN
  INSERT OR IGNORE INTO case_totals VALUES (NEW.store_id, 0, 0);
  UPDATE case_totals SET cases = cases + 1, not_closed = not_closed + (NEW.resolved_at IS NULL)
    WHERE store_id = NEW.store_id;
END;
CREATE TRIGGER case_totals_close AFTER UPDATE OF resolved_at ON cases
  WHEN (OLD.resolved_at IS NULL) != (NEW.resolved_at IS NULL) BEGIN
  UPDATE case_totals SET not_closed = not_closed + (NEW.resolved_at IS NULL) - (OLD.resolved_at IS NULL)
    WHERE store_id = NEW.store_id;
END;
CREATE TRIGGER case_totals_delete AFTER DELETE ON cases BEGIN
  UPDATE case_totals SET cases = cases - 1, not_closed = not_closed - (OLD.resolved_at IS NULL)
    WHERE store_id = OLD.store_id;
END;
CREATE TRIGGER cases_reference_text AFTER INSERT ON cases WHEN NEW.reference IS NOT NULL BEGIN
  INSERT INTO case_reference_text (rowid, key) VALUES (NEW.id, replace(replace(upper(NEW.reference), '-', ''), ' ', ''));
END;

CREATE TABLE alerts (
  case_id         INTEGER PRIMARY KEY REFERENCES cases (id),
  store_id        TEXT NOT NULL,
  title           TEXT NOT NULL,
  window_start    INTEGER NOT NULL,  -- the first answer's created_at
  window_end      INTEGER NOT NULL,  -- window_start + the window, exclusive
  last_answer_at  INTEGER NOT NULL,  -- the newest answer counted: a later alert counts only answers after it
  answers         INTEGER NOT NULL,
  negative        INTEGER NOT NULL
);
CREATE INDEX alerts_by_store ON alerts (store_id, last_answer_at);
CREATE TABLE alert_records (
  case_id    INTEGER NOT NULL REFERENCES alerts (case_id),
  record_id  TEXT NOT NULL REFERENCES records (id),
  negative   INTEGER NOT NULL,
  PRIMARY KEY (case_id, record_id)
) WITHOUT ROWID;
)sql",
    // 15: the dashboard at a chain's scale. The chain's rollup by day, every
    // store's counts summed, kept beside kpi_daily: a chain-wide year is ~1,000
    // rows, not 2,000 stores' 3 million. Kiosk comments indexed on their own
    // (customer_comments), newest first, for the chain and by store.
    R"sql(
CREATE INDEX records_comments ON records (created_at, seq)
  WHERE type = 'feedback' AND length(json_extract(body, '$.comment')) > 0;
CREATE INDEX records_comments_by_store ON records (store_id, created_at, seq)
  WHERE type = 'feedback' AND length(json_extract(body, '$.comment')) > 0;
CREATE TABLE kpi_chain_daily (
  day                    INTEGER NOT NULL,
  touchpoint             TEXT NOT NULL,
  feedback               INTEGER NOT NULL DEFAULT 0,
  csat_count             INTEGER NOT NULL DEFAULT 0,
  csat_sum               INTEGER NOT NULL DEFAULT 0,
  csat_satisfied         INTEGER NOT NULL DEFAULT 0,
  nps_count              INTEGER NOT NULL DEFAULT 0,
  promoters              INTEGER NOT NULL DEFAULT 0,
  passives               INTEGER NOT NULL DEFAULT 0,
  detractors             INTEGER NOT NULL DEFAULT 0,
  complaints             INTEGER NOT NULL DEFAULT 0,
  resolved_first         INTEGER NOT NULL DEFAULT 0,
  acked                  INTEGER NOT NULL DEFAULT 0,
  acked_on_time          INTEGER NOT NULL DEFAULT 0,
  ack_breached_open      INTEGER NOT NULL DEFAULT 0,
  resolved               INTEGER NOT NULL DEFAULT 0,
  resolved_on_time       INTEGER NOT NULL DEFAULT 0,
  resolve_breached_open  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, touchpoint)
) WITHOUT ROWID;
INSERT INTO kpi_chain_daily
SELECT day, touchpoint, sum(feedback), sum(csat_count), sum(csat_sum), sum(csat_satisfied), sum(nps_count),
  sum(promoters), sum(passives), sum(detractors), sum(complaints), sum(resolved_first), sum(acked),
  sum(acked_on_time), sum(ack_breached_open), sum(resolved), sum(resolved_on_time), sum(resolve_breached_open)
FROM kpi_daily GROUP BY 1, 2;
)sql",
};

// ---- Helpers ------------------------------------------------------------------
std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }

// A scope's stores as one bound JSON array (`store_id IN (SELECT value FROM
// json_each(?))`): one cached statement whatever the number of stores, and
// SQLite still looks each store up in the index. None: no filter (NULL).
std::optional<std::string> store_list(const std::optional<std::vector<std::string>>& stores) {
  if (!stores) return std::nullopt;
  return nlohmann::json(*stores).dump();
}

// kpi_monthly's month of a local day (days since 1970-01-01): year * 12 + month - 1.
std::int64_t month_of_day(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return static_cast<int>(ymd.year()) * 12 + static_cast<unsigned>(ymd.month()) - 1;
}
// The first local day of a kpi_monthly month.
std::int64_t first_day_of_month(std::int64_t month) {
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(month / 12)},
                                        std::chrono::month{static_cast<unsigned>(month % 12) + 1}, std::chrono::day{1}};
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}
Timestamp at_secs(std::int64_t s) { return Timestamp{std::chrono::seconds{s}}; }

// The KPI rollups that ingest (write_daily) and case changes (change_case) keep
// in step: per store by day and by month, and the chain's by day.
struct Rollup {
  const char* table;
  bool monthly;    // keyed by month, else by day
  bool per_store;  // keyed by store first, else the chain's
  const char* keys() const {
    if (!per_store) return "day, touchpoint";
    return monthly ? "store_id, month, touchpoint" : "store_id, day, touchpoint";
  }
  const char* key_params() const { return per_store ? "?1, ?2, ?3" : "?2, ?3"; }  // ?1 the store
  std::int64_t period_of(std::int64_t day) const { return monthly ? month_of_day(day) : day; }
};
constexpr std::array kRollups{Rollup{"kpi_daily", false, true}, Rollup{"kpi_monthly", true, true},
                              Rollup{"kpi_chain_daily", false, false}};

void bind_opt(Statement& st, int index, const std::optional<Timestamp>& t) {
  if (t)
    st.bind(index, secs(*t));
  else
    st.bind(index, nullptr);
}
void bind_opt(Statement& st, int index, const std::optional<std::int64_t>& v) {
  if (v)
    st.bind(index, *v);
  else
    st.bind(index, nullptr);
}

std::optional<Timestamp> opt_time(const Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return at_secs(st.int64(col));
}
std::optional<std::string> opt_text(const Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return std::string(st.text(col));
}

RecordType record_type_from(std::string_view name) {
  return parse_enum<RecordType>(name).value_or(RecordType::feedback);  // the CHECK constraint holds the set
}

CaseType case_type_from(std::string_view name) {
  for (CaseType t : {CaseType::callback, CaseType::complaint, CaseType::follow_up, CaseType::alert})
    if (case_type_name(t) == name) return t;
  return CaseType::callback;  // unreachable: the CHECK constraint holds the set
}

constexpr std::string_view kCaseColumns =
    "id, type, record_id, store_id, reference, touchpoint, level, repeat, clock_start, local_day, created_at, "
    "opens_at, ack_due, resolve_due, acked_at, resolved_at, assignee, root_cause, ack_breached, resolve_breached, "
    "severity, waiting_since, paused_s, outcome, remedies, follows_case_id, satisfied";

// Remedies as the cases table keeps them: [{"kind": "goodwill", "amount_pence": 1000}, ...].
std::string remedies_text(const std::vector<Remedy>& remedies) {
  nlohmann::json list = nlohmann::json::array();
  for (const Remedy& r : remedies) {
    nlohmann::json item{{"kind", remedy_name(r.kind)}};
    if (r.amount_pence) item["amount_pence"] = *r.amount_pence;
    list.push_back(std::move(item));
  }
  return list.dump();
}

std::vector<Remedy> remedies_from(std::string_view text) {
  std::vector<Remedy> remedies;
  const auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return remedies;
  for (const auto& item : list) {
    if (!item.is_object() || !item.contains("kind") || !item["kind"].is_string()) continue;
    const auto kind = parse_remedy(item["kind"].get<std::string>());
    if (!kind) continue;
    Remedy r{*kind, std::nullopt};
    if (item.contains("amount_pence") && item["amount_pence"].is_number_integer())
      r.amount_pence = item["amount_pence"].get<std::int64_t>();
    remedies.push_back(r);
  }
  return remedies;
}

CaseRow read_case(const Statement& st) {
  CaseRow c;
  c.id = st.int64(0);
  c.type = case_type_from(st.text(1));
  c.record_id = st.text(2);
  c.store_id = st.text(3);
  c.reference = opt_text(st, 4);
  c.touchpoint = opt_text(st, 5);
  c.level = static_cast<int>(st.int64(6));
  c.repeat = st.int64(7) != 0;
  c.clock_start = at_secs(st.int64(8));
  c.local_day = st.int64(9);
  c.created_at = at_secs(st.int64(10));
  c.opens_at = opt_time(st, 11);
  c.ack_due = opt_time(st, 12);
  c.resolve_due = at_secs(st.int64(13));
  c.acked_at = opt_time(st, 14);
  c.resolved_at = opt_time(st, 15);
  c.assignee = opt_text(st, 16);
  c.root_cause = opt_text(st, 17);
  c.ack_breached = st.int64(18) != 0;
  c.resolve_breached = st.int64(19) != 0;
  c.severity = parse_enum<Severity>(st.text(20)).value_or(Severity::medium);  // the CHECK constraint holds the set
  c.waiting_since = opt_time(st, 21);
  c.paused_s = st.int64(22);
  c.outcome = opt_text(st, 23);
  c.remedies = remedies_from(st.text(24));
  if (!st.is_null(25)) c.follows_case_id = st.int64(25);
  if (!st.is_null(26)) c.satisfied = st.int64(26) != 0;
  return c;
}

constexpr std::string_view kRecordColumns = "seq, id, type, store_id, created_at, arrived_at, body";

StoredRecord read_record(const Statement& st) {
  StoredRecord r;
  r.seq = st.int64(0);
  r.id = st.text(1);
  r.type = record_type_from(st.text(2));
  r.store_id = st.text(3);
  r.created_at = at_secs(st.int64(4));
  r.arrived_at = at_secs(st.int64(5));
  r.body = st.text(6);
  return r;
}

// Runs a statement that returns rows, collecting each with `read`.
template <class T, class Read>
Result<std::vector<T>> collect(Statement& st, Read read) {
  std::vector<T> rows;
  while (true) {
    auto row = st.next();
    if (!row) return row.error();
    if (!*row) return rows;
    rows.push_back(read(st));
  }
}

Result<std::vector<CaseRow>> collect_cases(Statement& st) { return collect<CaseRow>(st, read_case); }

// A case's share of kpi_daily's SLA counts. A resolution without an
// acknowledgement counts as acknowledged when resolved (the workflow records both).
struct SlaCounts {
  std::int64_t acked = 0, acked_on_time = 0, ack_breached_open = 0;
  std::int64_t resolved = 0, resolved_on_time = 0, resolve_breached_open = 0;
  bool operator==(const SlaCounts&) const = default;
};

SlaCounts sla_of(const CaseRow& c) {
  SlaCounts s;
  if (c.ack_due) {
    const auto acked_at = c.acked_at ? c.acked_at : c.resolved_at;
    if (acked_at) {
      s.acked = 1;
      s.acked_on_time = *acked_at <= *c.ack_due ? 1 : 0;
    } else if (c.ack_breached) {
      s.ack_breached_open = 1;
    }
  }
  if (c.resolved_at) {
    s.resolved = 1;
    s.resolved_on_time = *c.resolved_at <= c.resolve_due ? 1 : 0;
  } else if (c.resolve_breached) {
    s.resolve_breached_open = 1;
  }
  return s;
}

// Counts a batch adds to one kpi_daily row.
struct DailyCounts {
  std::int64_t feedback = 0, csat_count = 0, csat_sum = 0, csat_satisfied = 0;
  std::int64_t nps_count = 0, promoters = 0, passives = 0, detractors = 0;
  std::int64_t complaints = 0, resolved_first = 0;
  DailyCounts& operator+=(const DailyCounts& o) {
    feedback += o.feedback;
    csat_count += o.csat_count;
    csat_sum += o.csat_sum;
    csat_satisfied += o.csat_satisfied;
    nps_count += o.nps_count;
    promoters += o.promoters;
    passives += o.passives;
    detractors += o.detractors;
    complaints += o.complaints;
    resolved_first += o.resolved_first;
    return *this;
  }
};

Error migrate_error(const std::filesystem::path& file, const Error& cause) {
  if (cause.code == Errc::corrupt)
    return Error{Errc::corrupt, fmt::format("{} is not a Heed server database or is damaged ({}); it has been left "
                                            "untouched: restore it from a backup",
                                            file.string(), cause.message)};
  return Error{cause.code, fmt::format("{}: {}", file.string(), cause.message)};
}

// ---- Connections --------------------------------------------------------------
Result<Database> open_connection(const std::filesystem::path& file, bool create, const SqliteOptions& options,
                                 bool reader) {
  auto db = Database::open(file, create);
  if (!db) return db.error();
  sqlite3_busy_timeout(db->handle(), static_cast<int>(options.busy_timeout.count()));
  // synchronous=NORMAL everywhere: durable mode flushes the WAL itself (flush_wal).
  const std::string pragmas = fmt::format(
      "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; "
      "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 10000;{}",
      reader ? " PRAGMA query_only = 1;" : "");
  if (auto r = db->exec(pragmas); !r) return r.error();
  return db;
}

Result<void> migrate(Database& db, const std::filesystem::path& file) {
  auto mode = db.scalar_text("PRAGMA journal_mode = WAL");
  if (!mode) return migrate_error(file, mode.error());
  for (int version = 0; version < static_cast<int>(kMigrations.size()); ++version) {
    auto tx = Transaction::begin(db);
    if (!tx) return migrate_error(file, tx.error());
    // Read inside the write lock: another process may have migrated meanwhile.
    auto current = db.scalar_int("PRAGMA user_version");
    if (!current) return migrate_error(file, current.error());
    if (*current > static_cast<int>(kMigrations.size()))
      return Error{Errc::schema_too_new,
                   fmt::format("{} was written by a newer heed-server (schema {}, this one knows {}); "
                               "run that version",
                               file.string(), *current, kMigrations.size())};
    if (*current != version) continue;
    if (auto r = db.exec(kMigrations[static_cast<std::size_t>(version)]); !r) return migrate_error(file, r.error());
    if (auto r = db.exec(fmt::format("PRAGMA user_version = {}", version + 1)); !r)
      return migrate_error(file, r.error());
    if (auto r = tx->commit(); !r) return migrate_error(file, r.error());
  }
  return Ok{};
}

}  // namespace

int sqlite_storage_schema_version() { return static_cast<int>(kMigrations.size()); }

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(Database writer, std::vector<std::unique_ptr<Database>> readers, std::filesystem::path wal_file,
                bool durable)
      : writer_(std::move(writer)), readers_(std::move(readers)), wal_file_(std::move(wal_file)), durable_(durable) {
    for (auto& r : readers_) free_.push_back(r.get());
  }
  ~SqliteStorage() override {
    if (wal_fd_ >= 0) ::close(wal_fd_);
  }

  Result<IngestResult> ingest(std::span<const RecordInput> records, Timestamp arrived_at,
                              const IngestPolicy& policy) override;
  Result<std::vector<StoredRecord>> records_page(const RecordRange& range, const std::optional<RecordCursor>& after,
                                                 int limit) override;
  Result<std::optional<StoredRecord>> record_by_id(const std::string& id) override;
  Result<void> add_enrollment_code(const std::string& code_hash, const std::string& store_id, Timestamp created_at,
                                   Timestamp expires_at) override;
  Result<Device> enroll_device(const std::string& code_hash, const std::string& device_id, const std::string& name,
                               const std::string& token_hash, Timestamp now) override;
  Result<std::optional<Device>> device_by_token(const std::string& token_hash) override;
  Result<void> revoke_device(const std::string& device_id, Timestamp now) override;
  Result<void> record_heartbeat(const std::string& device_id, const Heartbeat& beat) override;
  Result<std::vector<DeviceStatus>> list_devices(const std::optional<std::string>& store_id) override;
  Result<std::int64_t> add_user(const std::string& username, const std::string& password_hash, Role role,
                                const Scope& scope, Timestamp now) override;
  Result<std::optional<User>> user_by_name(const std::string& username) override;
  Result<std::vector<User>> list_users() override;
  Result<User> update_user(const std::string& username, const UserChange& change, Timestamp now) override;
  Result<void> add_session(const std::string& token_hash, std::int64_t user_id, Timestamp now,
                           Timestamp expires_at) override;
  Result<SessionLookup> user_by_session(const std::string& token_hash, Timestamp now,
                                        std::chrono::seconds idle_timeout) override;
  Result<void> touch_session(const std::string& token_hash, Timestamp at) override;
  Result<void> end_session(const std::string& token_hash) override;
  Result<void> purge_sessions(Timestamp now, std::chrono::seconds idle_timeout) override;
  Result<std::vector<CaseRow>> list_cases(const CaseQuery& query) override;
  Result<CaseCounts> count_cases(const CaseQuery& query) override;
  Result<std::vector<CaseRow>> cases_of_record(const std::string& record_id) override;
  Result<std::optional<CaseRow>> find_case(std::int64_t id) override;
  Result<std::vector<CaseEvent>> case_history(std::int64_t id) override;
  Result<CaseRow> update_case(std::int64_t id, const CaseMutator& mutate) override;
  Result<std::vector<CaseRow>> update_cases(std::span<const std::int64_t> ids, const CaseMutator& mutate) override;
  Result<std::vector<std::int64_t>> cases_past_deadline(Timestamp now, int limit) override;
  Result<std::vector<FinalLetter>> final_letters(std::int64_t case_id) override;
  Result<std::vector<CaseRow>> cases_following(std::int64_t case_id) override;
  Result<std::vector<StoredRecord>> updates_for(const std::string& complaint_id) override;
  Result<std::optional<StoredAlert>> alert_of_case(std::int64_t case_id) override;
  Result<std::vector<StoredAlert>> alerts_of_cases(std::span<const std::int64_t> case_ids) override;
  Result<CustomerHistory> customer_history(const CustomerKey& key, int limit) override;
  Result<CustomerHistory> complaints_by_reference(const std::string& key, int limit) override;
  Result<KpiCounts> kpis(const KpiQuery& query) override;
  Result<std::vector<KpiGroupCounts>> kpi_breakdown(const KpiQuery& query, KpiGroup group) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> complaint_pareto(const KpiQuery& query,
                                                                            ParetoBy by) override;
  Result<std::vector<WebhookMessage>> due_webhooks(std::int64_t now_ms, int limit) override;
  Result<std::optional<std::int64_t>> next_webhook_due_ms() override;
  Result<void> webhook_delivered(std::int64_t id, std::int64_t now_ms) override;
  Result<void> webhook_failed(std::int64_t id, std::int64_t next_attempt_ms, const std::string& error) override;
  Result<void> webhook_given_up(std::int64_t id, std::int64_t now_ms, const std::string& error) override;
  Result<void> audit(Timestamp at, const std::string& actor, const std::string& action,
                     const std::string& detail) override;
  Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) override;
  Result<StorageStats> stats(Timestamp now) override;
  Result<DigestCounts> digest_counts(const DigestQuery& query) override;
  Result<bool> add_digest_delivery(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                   Timestamp now) override;
  Result<std::vector<DigestDelivery>> due_digests(std::int64_t now_ms, int limit) override;
  Result<std::vector<DigestDelivery>> digest_deliveries(std::int64_t user_id) override;
  Result<void> digest_sent(std::int64_t user_id, DigestPeriod period, std::int64_t first_day, Timestamp at) override;
  Result<void> digest_failed(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                             std::int64_t next_attempt_ms, const std::string& error) override;
  Result<void> digest_given_up(std::int64_t user_id, DigestPeriod period, std::int64_t first_day, Timestamp at,
                               const std::string& error) override;
  Result<std::vector<StaffFigures>> staff_figures(const KpiQuery& query) override;
  Result<std::vector<CustomerComment>> customer_comments(const CommentQuery& query) override;

 private:
  // A reader connection on loan; returned to the pool on destruction.
  class Lease {
   public:
    Lease(SqliteStorage& owner, Database* db) : owner_(owner), db_(db) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { owner_.give_back(db_); }
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_; }

   private:
    SqliteStorage& owner_;
    Database* db_;
  };

  Lease borrow() {
    std::unique_lock lock(pool_mutex_);
    pool_cv_.wait(lock, [&] { return !free_.empty(); });
    Database* db = free_.back();
    free_.pop_back();
    return Lease(*this, db);
  }
  void give_back(Database* db) {
    {
      std::lock_guard lock(pool_mutex_);
      free_.push_back(db);
    }
    pool_cv_.notify_one();
  }

  // Runs `change` under the write lock, then makes it durable (flush_wal) after
  // releasing the lock.
  template <class Change>
  auto write(Change&& change) -> decltype(change()) {
    auto result = [&] {
      std::lock_guard lock(write_mutex_);
      return change();
    }();
    if (result)
      if (auto r = flush_wal(); !r) return r.error();
    return result;
  }
  Result<void> flush_wal();

  // Group commit (see ingest).
  using DailyMap = std::map<std::tuple<std::string, std::int64_t, std::string>, DailyCounts>;
  struct PendingBatch {
    std::span<const RecordInput> records;
    Timestamp arrived_at;
    const IngestPolicy* policy;
    Result<IngestResult> result;
    bool done;
  };
  static constexpr std::size_t kMaxGroupRecords = 5000;  // bounds one transaction's size and latency
  void write_group(const std::vector<PendingBatch*>& group);
  Result<void> write_together(std::span<PendingBatch* const> group);
  Result<void> write_batch(const PendingBatch& batch, DailyMap& daily, IngestResult& result);
  Result<void> write_daily(const DailyMap& daily);

  // Inside the writer's transaction.
  Result<void> add_events(std::int64_t case_id, const std::vector<CaseEvent>& events);
  Result<void> add_webhooks(const std::vector<WebhookMessage>& webhooks);
  Result<CaseRow> change_case(std::int64_t id, const CaseMutator& mutate);
  Result<int> count_other_complaints(std::int64_t seq, Timestamp created_at, const RecordInput& input,
                                     std::chrono::days window);
  Result<void> open_case(const PlannedCase& planned, const RecordInput& input, Timestamp now);
  // Store alerts for the stores that got new answers (IngestPolicy::plan_alert).
  using FreshAnswers = std::map<std::string, std::vector<Timestamp>, std::less<>>;
  Result<void> write_alerts(const FreshAnswers& fresh, std::span<const RecordInput> batch, Timestamp arrived_at,
                            const IngestPolicy& policy, IngestResult& result);
  // Inserts a case with its "opened" event and webhooks; its id.
  Result<std::int64_t> insert_case(const CaseToOpen& open, Timestamp now);
  Result<void> note_update_on_cases(const ComplaintUpdate& update, Timestamp now);
  Result<std::optional<CaseRow>> read_case_with(Database& db, std::int64_t id);

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<PendingBatch*> queue_;
  bool leader_ = false;
  std::mutex write_mutex_;
  Database writer_;
  std::vector<std::unique_ptr<Database>> readers_;
  const std::filesystem::path wal_file_;
  const bool durable_;
  std::mutex wal_mutex_;
  int wal_fd_ = -1;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<Database*> free_;
};

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::filesystem::path& file, const SqliteOptions& options) {
  // Personal data and password hashes: owner only, before SQLite creates anything
  // (its -wal and -shm files take the database file's mode).
  if (!file.empty() && file != ":memory:") {
    if (auto r = make_private_dir(file.parent_path(), "head office's database", /*create=*/false); !r) return r.error();
    if (auto r = make_private_file(file, "head office's database", /*create=*/true); !r) return r.error();
  }
  auto writer = open_connection(file, true, options, false);
  if (!writer) return migrate_error(file, writer.error());
  if (auto r = migrate(*writer, file); !r) return r.error();
  std::vector<std::unique_ptr<Database>> readers;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    auto reader = open_connection(file, false, options, true);
    if (!reader) return migrate_error(file, reader.error());
    readers.push_back(std::make_unique<Database>(std::move(reader.value())));
  }
  return std::unique_ptr<Storage>(std::make_unique<SqliteStorage>(
      std::move(writer.value()), std::move(readers), std::filesystem::path(file.string() + "-wal"), options.durable));
}

// ---- Durability ------------------------------------------------------------------
// Durable mode commits with synchronous=NORMAL and then flushes the WAL here,
// outside the write lock, before the caller answers: what FULL does at each
// commit, except that the next transaction need not wait for this flush, and
// flushes that overlap are served by one. A crash before the flush loses only
// commits nobody was told about yet; the database stays consistent either way
// (NORMAL's own guarantee). The WAL keeps its inode while any connection is
// open, so one descriptor serves for the store's life.
Result<void> SqliteStorage::flush_wal() {
  if (!durable_) return Ok{};
  int fd = -1;
  {
    std::lock_guard lock(wal_mutex_);
    if (wal_fd_ < 0) wal_fd_ = ::open(wal_file_.c_str(), O_RDONLY | O_CLOEXEC);
    fd = wal_fd_;
  }
  if (fd < 0) return Error{Errc::io, fmt::format("cannot open {}: {}", wal_file_.string(), std::strerror(errno))};
  if (::fdatasync(fd) != 0)
    return Error{Errc::io, fmt::format("cannot flush {}: {}", wal_file_.string(), std::strerror(errno))};
  return Ok{};
}

// ---- Records and ingest -----------------------------------------------------------
// Group commit: batches that arrive while another is being written wait in
// queue_; whoever finds no leader becomes it and writes every waiting batch in
// one transaction, so one fsync serves them all. A batch is never split across
// transactions, and its records are judged in order after the batches queued
// before it, exactly as if it had its own transaction. Idle, a batch goes
// through alone with no added wait.
Result<IngestResult> SqliteStorage::ingest(std::span<const RecordInput> records, Timestamp arrived_at,
                                           const IngestPolicy& policy) {
  PendingBatch mine{records, arrived_at, &policy, Error{Errc::internal, "not written"}, false};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (leader_) {
      queue_cv_.wait(lock);
      continue;
    }
    leader_ = true;
    std::vector<PendingBatch*> group;
    std::size_t total = 0;
    while (!queue_.empty() && (group.empty() || total + queue_.front()->records.size() <= kMaxGroupRecords)) {
      total += queue_.front()->records.size();
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    try {
      write_group(group);
    } catch (const std::exception& e) {  // e.g. bad_alloc: the waiters must still be answered
      for (PendingBatch* b : group)
        b->result = Error{Errc::internal, fmt::format("storing a batch failed: {}", e.what())};
    }
    lock.lock();
    // The next group may be written while this one's flush is under way.
    leader_ = false;
    queue_cv_.notify_all();
    lock.unlock();
    if (auto r = flush_wal(); !r)
      for (PendingBatch* b : group)
        if (b->result) b->result = r.error();
    lock.lock();
    for (PendingBatch* b : group) b->done = true;
    queue_cv_.notify_all();
  }
  return std::move(mine.result);
}

// Under the write lock. The group in one transaction; when that fails and there
// were several, each batch again in its own, so that one batch's failure is
// not its neighbours'.
void SqliteStorage::write_group(const std::vector<PendingBatch*>& group) {
  std::lock_guard lock(write_mutex_);
  auto together = write_together(group);
  if (together) return;
  if (group.size() == 1) {
    group[0]->result = together.error();
    return;
  }
  for (PendingBatch* batch : group)
    if (auto alone = write_together(std::span<PendingBatch* const>(&batch, 1)); !alone) batch->result = alone.error();
}

// One transaction for `group`; each batch's result is set only once it committed.
Result<void> SqliteStorage::write_together(std::span<PendingBatch* const> group) {
  DailyMap daily;
  std::vector<IngestResult> results(group.size());
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.error();
  for (std::size_t i = 0; i < group.size(); ++i)
    if (auto r = write_batch(*group[i], daily, results[i]); !r) return r.error();
  if (auto r = write_daily(daily); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(results[i]);
  return Ok{};
}

Result<void> SqliteStorage::write_batch(const PendingBatch& batch, DailyMap& daily, IngestResult& result) {
  const Timestamp arrived_at = batch.arrived_at;
  const IngestPolicy& policy = *batch.policy;
  result.outcomes.reserve(batch.records.size());
  FreshAnswers fresh;  // stores' new answers, for alerts
  for (const RecordInput& input : batch.records) {
    const RecordHeader& header = header_of(input.record);
    const RecordType type = type_of(input.record);
    const Feedback* feedback = std::get_if<Feedback>(&input.record);
    const Complaint* complaint = std::get_if<Complaint>(&input.record);
    {
      auto st = writer_.cached(
          "INSERT INTO records (id, type, store_id, device_id, created_at, arrived_at, local_day, touchpoint, csat, "
          "nps, resolved_first_contact, email, phone, body, category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
          "?11, ?12, ?13, ?14, ?15) ON CONFLICT (id) DO NOTHING");
      if (!st) return st.error();
      st->bind(1, header.id).bind(2, enum_name(type)).bind(3, header.store_id).bind(4, header.device_id);
      st->bind(5, secs(header.created_at)).bind(6, secs(arrived_at)).bind(7, input.local_day);
      st->bind(8, nullptr).bind(9, nullptr).bind(10, nullptr).bind(11, nullptr).bind(15, nullptr);
      if (feedback) {
        st->bind(8, feedback->touchpoint);
        if (feedback->csat) st->bind(9, std::int64_t{*feedback->csat});
        if (feedback->nps) st->bind(10, std::int64_t{*feedback->nps});
      }
      if (complaint) {
        st->bind(11, std::int64_t{counts_as_first_contact_resolution(*complaint) ? 1 : 0});
        st->bind(15, enum_name(complaint->category));
      }
      st->bind(12, input.customer_email).bind(13, input.customer_phone).bind(14, input.canonical);
      if (auto r = st->run(); !r) return r.error();
    }
    if (sqlite3_changes(writer_.handle()) == 0) {
      auto st = writer_.cached("SELECT body FROM records WHERE id = ?1");
      if (!st) return st.error();
      st->bind(1, header.id);
      auto row = st->next();
      if (!row) return row.error();
      const bool same = *row && st->text(0) == input.canonical;
      result.outcomes.push_back(same ? IngestOutcome::duplicate : IngestOutcome::conflict);
      continue;
    }
    result.outcomes.push_back(IngestOutcome::accepted);
    const std::int64_t seq = sqlite3_last_insert_rowid(writer_.handle());

    if (feedback && policy.plan_alert) fresh[header.store_id].push_back(header.created_at);
    if (feedback) {
      DailyCounts& d = daily[{header.store_id, input.local_day, feedback->touchpoint}];
      ++d.feedback;
      if (feedback->csat) {
        ++d.csat_count;
        d.csat_sum += *feedback->csat;
        if (*feedback->csat >= 4) ++d.csat_satisfied;
      }
      if (feedback->nps) {
        ++d.nps_count;
        if (*feedback->nps >= 9)
          ++d.promoters;
        else if (*feedback->nps >= 7)
          ++d.passives;
        else
          ++d.detractors;
      }
    } else if (complaint) {
      DailyCounts& d = daily[{header.store_id, input.local_day, std::string()}];
      ++d.complaints;
      if (counts_as_first_contact_resolution(*complaint)) ++d.resolved_first;
    } else if (const auto* update = std::get_if<ComplaintUpdate>(&input.record)) {
      if (auto r = note_update_on_cases(*update, arrived_at); !r) return r.error();
    }

    if (policy.plan_cases && (feedback || complaint)) {
      int earlier = 0;
      if (complaint && (input.customer_email || input.customer_phone)) {
        auto n = count_other_complaints(seq, header.created_at, input, policy.repeat_window);
        if (!n) return n.error();
        earlier = *n;
      }
      for (PlannedCase& planned : policy.plan_cases(input.record, earlier)) {
        if (auto r = open_case(planned, input, arrived_at); !r) return r.error();
        result.opened.push_back(std::move(planned));
      }
    }
  }
  if (!fresh.empty())
    if (auto r = write_alerts(fresh, batch.records, arrived_at, policy, result); !r) return r.error();
  if (policy.from_device) {
    auto st =
        writer_.cached("UPDATE devices SET last_seen_at = max(coalesce(last_seen_at, 0), ?2) WHERE device_id = ?1");
    if (!st) return st.error();
    st->bind(1, *policy.from_device).bind(2, secs(arrived_at));
    if (auto r = st->run(); !r) return r.error();
  }
  return Ok{};
}

// For each store with new answers and no open alert case: its answers made
// within the alert window of the new ones, and after the last answer its
// previous alert counted; an alert the policy plans is opened with its answers.
// Exactly-once ingest keeps a replayed record out of `fresh`, so it never counts twice.
Result<void> SqliteStorage::write_alerts(const FreshAnswers& fresh, std::span<const RecordInput> batch,
                                         Timestamp arrived_at, const IngestPolicy& policy, IngestResult& result) {
  std::set<std::string, std::less<>> new_ids;
  for (const RecordInput& in : batch) new_ids.insert(header_of(in.record).id);
  for (const auto& [store_id, times] : fresh) {
    auto open = writer_.cached(
        "SELECT 1 FROM alerts a JOIN cases c ON c.id = a.case_id WHERE a.store_id = ?1 AND c.resolved_at IS NULL "
        "LIMIT 1");
    if (!open) return open.error();
    open->bind(1, store_id);
    auto busy = open->next();
    if (!busy) return busy.error();
    if (*busy) continue;  // the manager is on it already: no alert storm
    auto last = writer_.cached("SELECT max(last_answer_at) FROM alerts WHERE store_id = ?1");
    if (!last) return last.error();
    last->bind(1, store_id);
    auto row = last->next();
    if (!row) return row.error();
    const std::int64_t counted_up_to = *row && !last->is_null(0) ? last->int64(0) : std::numeric_limits<std::int64_t>::min();
    const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
    const std::int64_t window = policy.alert_window.count();
    auto st = writer_.cached(
        "SELECT id, created_at, csat, nps, ifnull(json_extract(body, '$.suspected_misuse'), 0) FROM records "
        "WHERE type = 'feedback' AND store_id = ?1 AND created_at > ?2 AND created_at < ?3 AND created_at > ?4 "
        "ORDER BY created_at, seq");
    if (!st) return st.error();
    st->bind(1, store_id).bind(2, secs(*lo) - window).bind(3, secs(*hi) + window).bind(4, counted_up_to);
    std::vector<AlertAnswer> answers;
    while (true) {
      auto next = st->next();
      if (!next) return next.error();
      if (!*next) break;
      AlertAnswer a;
      a.record_id = st->text(0);
      a.created_at = at_secs(st->int64(1));
      if (!st->is_null(2)) a.csat = static_cast<int>(st->int64(2));
      if (!st->is_null(3)) a.nps = static_cast<int>(st->int64(3));
      a.suspected_misuse = st->int64(4) != 0;
      a.arrived_now = new_ids.contains(a.record_id);
      answers.push_back(std::move(a));
    }
    auto planned = policy.plan_alert(store_id, answers);
    if (!planned) continue;
    const CaseOpening& o = planned->planned.opening;
    auto day = writer_.cached("SELECT local_day FROM records WHERE id = ?1");
    if (!day) return day.error();
    day->bind(1, o.record_id);
    auto found = day->next();
    if (!found) return found.error();
    CaseToOpen to_open{o, std::nullopt, *found ? day->int64(0) : 0, std::nullopt, std::nullopt,
                       planned->planned.opened_detail, planned->planned.webhooks};
    auto case_id = insert_case(to_open, arrived_at);
    if (!case_id) return case_id.error();
    const AlertWindow& w = planned->window;
    auto alert = writer_.cached(
        "INSERT INTO alerts (case_id, store_id, title, window_start, window_end, last_answer_at, answers, negative) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!alert) return alert.error();
    alert->bind(1, *case_id).bind(2, store_id).bind(3, planned->title).bind(4, secs(w.start)).bind(5, secs(w.end));
    alert->bind(6, secs(w.last_answer_at)).bind(7, std::int64_t{w.answers}).bind(8, std::int64_t{w.negative});
    if (auto r = alert->run(); !r) return r.error();
    for (std::size_t i = 0; i < w.record_ids.size(); ++i) {
      auto rec = writer_.cached("INSERT INTO alert_records (case_id, record_id, negative) VALUES (?1, ?2, ?3)");
      if (!rec) return rec.error();
      rec->bind(1, *case_id).bind(2, w.record_ids[i]).bind(3, std::int64_t{w.negatives[i] ? 1 : 0});
      if (auto r = rec->run(); !r) return r.error();
    }
    result.opened.push_back(std::move(planned->planned));
  }
  return Ok{};
}

// Adds the batch's counts to every rollup.
Result<void> SqliteStorage::write_daily(const DailyMap& daily) {
  for (const Rollup& rollup : kRollups) {
    DailyMap rows;
    for (const auto& [key, d] : daily) {
      const auto& [store_id, day, touchpoint] = key;
      rows[{rollup.per_store ? store_id : std::string(), rollup.period_of(day), touchpoint}] += d;
    }
    for (const auto& [key, d] : rows) {
      auto st = writer_.cached(fmt::format(
          "INSERT INTO {0} ({1}, feedback, csat_count, csat_sum, csat_satisfied, "
          "nps_count, promoters, passives, detractors, complaints, resolved_first) "
          "VALUES ({2}, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
          "ON CONFLICT ({1}) DO UPDATE SET feedback = feedback + excluded.feedback, "
          "csat_count = csat_count + excluded.csat_count, csat_sum = csat_sum + excluded.csat_sum, "
          "csat_satisfied = csat_satisfied + excluded.csat_satisfied, nps_count = nps_count + excluded.nps_count, "
          "promoters = promoters + excluded.promoters, passives = passives + excluded.passives, "
          "detractors = detractors + excluded.detractors, complaints = complaints + excluded.complaints, "
          "resolved_first = resolved_first + excluded.resolved_first",
          rollup.table, rollup.keys(), rollup.key_params()));
      if (!st) return st.error();
      st->bind(1, std::get<0>(key)).bind(2, std::get<1>(key)).bind(3, std::get<2>(key));
      st->bind(4, d.feedback).bind(5, d.csat_count).bind(6, d.csat_sum).bind(7, d.csat_satisfied);
      st->bind(8, d.nps_count).bind(9, d.promoters).bind(10, d.passives).bind(11, d.detractors);
      st->bind(12, d.complaints).bind(13, d.resolved_first);
      if (auto r = st->run(); !r) return r.error();
    }
  }
  return Ok{};
}

Result<int> SqliteStorage::count_other_complaints(std::int64_t seq, Timestamp created_at, const RecordInput& input,
                                                  std::chrono::days window) {
  // The customer's other stored complaints within the window either side: a
  // complaint that reaches the server late still pairs with one made after it.
  auto st = writer_.cached(
      "SELECT count(*) FROM (SELECT seq FROM records WHERE email = ?1 AND type = 'complaint' AND seq <> ?3 "
      "AND created_at BETWEEN ?4 AND ?5 UNION SELECT seq FROM records WHERE phone = ?2 AND type = 'complaint' "
      "AND seq <> ?3 AND created_at BETWEEN ?4 AND ?5)");
  if (!st) return st.error();
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  st->bind(1, input.customer_email).bind(2, input.customer_phone).bind(3, seq);
  st->bind(4, secs(created_at) - span).bind(5, secs(created_at) + span);
  auto row = st->next();
  if (!row) return row.error();
  const int n = *row ? static_cast<int>(st->int64(0)) : 0;
  return n;
}

Result<std::int64_t> SqliteStorage::insert_case(const CaseToOpen& open, Timestamp now) {
  const CaseOpening& o = open.opening;
  auto st = writer_.cached(
      "INSERT INTO cases (type, record_id, store_id, reference, touchpoint, level, repeat, clock_start, local_day, "
      "created_at, opens_at, ack_due, resolve_due, severity, follows_case_id, next_due) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  if (!st) return st.error();
  st->bind(1, case_type_name(o.type)).bind(2, o.record_id).bind(3, o.store_id).bind(4, o.reference);
  st->bind(5, open.touchpoint);
  st->bind(6, static_cast<std::int64_t>(o.level)).bind(7, static_cast<std::int64_t>(o.repeat ? 1 : 0));
  st->bind(8, secs(o.clock_start)).bind(9, open.local_day).bind(10, secs(now));
  bind_opt(*st, 11, open.opens_at);
  bind_opt(*st, 12, o.ack_due);
  st->bind(13, secs(o.resolve_due)).bind(14, enum_name(o.severity));
  bind_opt(*st, 15, open.follows_case_id);
  bind_opt(*st, 16, std::optional<Timestamp>(o.ack_due ? *o.ack_due : o.resolve_due));
  if (auto r = st->run(); !r) return r.error();
  const std::int64_t case_id = sqlite3_last_insert_rowid(writer_.handle());
  std::string detail = !open.opened_detail.empty()
                           ? open.opened_detail
                           : fmt::format(R"({{"type":"{}","level":{},"repeat":{}}})", case_type_name(o.type), o.level,
                                         o.repeat ? "true" : "false");
  if (auto r = add_events(case_id, {CaseEvent{0, now, "system", "opened", std::move(detail)}}); !r) return r.error();
  // The case's id is known only now: a webhook queued with it (case.opened) gets it here.
  std::vector<WebhookMessage> webhooks = open.webhooks;
  for (WebhookMessage& w : webhooks) {
    nlohmann::json body = nlohmann::json::parse(w.body, nullptr, false);
    if (!body.is_object() || !body.contains("case") || !body["case"].is_object()) continue;
    body["case"]["id"] = case_id;
    w.body = body.dump();
  }
  if (auto r = add_webhooks(webhooks); !r) return r.error();
  return case_id;
}

Result<void> SqliteStorage::open_case(const PlannedCase& planned, const RecordInput& input, Timestamp now) {
  const CaseOpening& o = planned.opening;
  const Feedback* feedback = std::get_if<Feedback>(&input.record);
  CaseToOpen open{o,
                  planned.opens_at,
                  input.local_day,
                  feedback ? std::optional<std::string>(feedback->touchpoint) : std::nullopt,
                  std::nullopt,
                  planned.opened_detail,
                  planned.webhooks};
  auto case_id = insert_case(open, now);
  if (!case_id) return case_id.error();
  std::vector<CaseEvent> events;
  // Notes that arrived before their complaint (another device was offline first)
  // join its case now, at the time they arrived, as note_update_on_cases would have.
  if (std::holds_alternative<Complaint>(input.record)) {
    auto notes = writer_.cached(
        "SELECT arrived_at, body FROM records WHERE type = 'complaint_update' "
        "AND json_extract(body, '$.complaint_id') = ?1 ORDER BY seq");
    if (!notes) return notes.error();
    notes->bind(1, o.record_id);
    while (true) {
      auto row = notes->next();
      if (!row) return row.error();
      if (!*row) break;
      auto record = record_from_json_text(notes->text(1));
      if (!record || !std::holds_alternative<ComplaintUpdate>(record.value())) continue;
      const auto& update = std::get<ComplaintUpdate>(record.value());
      events.push_back(CaseEvent{0, at_secs(notes->int64(0)), "store:" + update.staff_id, "store_update",
                                 nlohmann::json{{"update_id", update.header.id}, {"note", update.note}}.dump()});
    }
  }
  return add_events(*case_id, events);
}

Result<void> SqliteStorage::note_update_on_cases(const ComplaintUpdate& update, Timestamp now) {
  std::vector<std::int64_t> ids;
  {
    auto st = writer_.cached("SELECT id FROM cases WHERE record_id = ?1");
    if (!st) return st.error();
    st->bind(1, update.complaint_id);
    auto rows = collect<std::int64_t>(*st, [](const Statement& s) { return s.int64(0); });
    if (!rows) return rows.error();
    ids = std::move(rows.value());
  }
  for (std::int64_t id : ids) {
    std::string detail = nlohmann::json{{"update_id", update.header.id}, {"note", update.note}}.dump();
    if (auto r = add_events(id, {CaseEvent{0, now, "store:" + update.staff_id, "store_update", std::move(detail)}}); !r)
      return r;
  }
  return Ok{};
}

Result<std::vector<StoredRecord>> SqliteStorage::records_page(const RecordRange& range,
                                                              const std::optional<RecordCursor>& after, int limit) {
  auto db = borrow();
  auto st = db->cached(
      fmt::format("SELECT {} FROM records WHERE (created_at, seq) > (?1, ?2) AND (?3 IS NULL OR created_at >= ?3) "
                  "AND (?4 IS NULL OR created_at < ?4) "
                  "AND (?6 IS NULL OR store_id IN (SELECT value FROM json_each(?6))) ORDER BY created_at, seq LIMIT ?5",
                  kRecordColumns));
  if (!st) return st.error();
  st->bind(1, after ? secs(after->created_at) : std::numeric_limits<std::int64_t>::min());
  st->bind(2, after ? after->seq : std::int64_t{0});
  bind_opt(*st, 3, range.from);
  bind_opt(*st, 4, range.to);
  st->bind(5, static_cast<std::int64_t>(limit));
  st->bind(6, store_list(range.stores));
  return collect<StoredRecord>(*st, read_record);
}

Result<std::optional<StoredRecord>> SqliteStorage::record_by_id(const std::string& id) {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM records WHERE id = ?1", kRecordColumns));
  if (!st) return st.error();
  st->bind(1, id);
  auto rows = collect<StoredRecord>(*st, read_record);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<StoredRecord>();
  return std::optional<StoredRecord>(std::move(rows->front()));
}

// ---- Devices ------------------------------------------------------------------------
Result<void> SqliteStorage::add_enrollment_code(const std::string& code_hash, const std::string& store_id,
                                                Timestamp created_at, Timestamp expires_at) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "INSERT INTO enrollment_codes (code_hash, store_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    st->bind(1, code_hash).bind(2, store_id).bind(3, secs(created_at)).bind(4, secs(expires_at));
    return st->run();
  });
}

Result<Device> SqliteStorage::enroll_device(const std::string& code_hash, const std::string& device_id,
                                            const std::string& name, const std::string& token_hash, Timestamp now) {
  return write([&]() -> Result<Device> {
    auto tx = Transaction::begin(writer_);
    if (!tx) return tx.error();
    Device device{device_id, "", name, now, false, std::nullopt, std::nullopt};
    {
      auto st = writer_.cached("SELECT store_id, expires_at, used_at FROM enrollment_codes WHERE code_hash = ?1");
      if (!st) return st.error();
      st->bind(1, code_hash);
      auto row = st->next();
      if (!row) return row.error();
      if (!*row || !st->is_null(2) || st->int64(1) <= secs(now))
        return Error{Errc::not_found, "the enrollment code is unknown, already used or expired"};
      device.store_id = st->text(0);
    }
    {
      auto st = writer_.cached("UPDATE enrollment_codes SET used_at = ?2, device_id = ?3 WHERE code_hash = ?1");
      if (!st) return st.error();
      st->bind(1, code_hash).bind(2, secs(now)).bind(3, device_id);
      if (auto r = st->run(); !r) return r.error();
    }
    {
      auto st = writer_.cached(
          "INSERT INTO devices (device_id, store_id, name, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!st) return st.error();
      st->bind(1, device_id).bind(2, device.store_id).bind(3, name).bind(4, token_hash).bind(5, secs(now));
      if (auto r = st->run(); !r) return r.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return device;
  });
}

namespace {
Device read_device(const Statement& st) {
  Device d{std::string(st.text(0)),
           std::string(st.text(1)),
           std::string(st.text(2)),
           at_secs(st.int64(3)),
           !st.is_null(4),
           std::nullopt,
           std::nullopt};
  if (!st.is_null(4)) d.revoked_at = at_secs(st.int64(4));
  if (!st.is_null(5)) d.last_seen_at = at_secs(st.int64(5));
  return d;
}

std::optional<std::int64_t> opt_int(const Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return st.int64(column);
}
}  // namespace

Result<std::optional<Device>> SqliteStorage::device_by_token(const std::string& token_hash) {
  auto db = borrow();
  auto st = db->cached(
      "SELECT device_id, store_id, name, enrolled_at, revoked_at, last_seen_at FROM devices WHERE token_hash = ?1");
  if (!st) return st.error();
  st->bind(1, token_hash);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return std::optional<Device>();
  return std::optional<Device>(read_device(*st));
}

Result<void> SqliteStorage::revoke_device(const std::string& device_id, Timestamp now) {
  return write([&]() -> Result<void> {
    bool revoked = false;
    {
      auto found = writer_.cached("SELECT revoked_at FROM devices WHERE device_id = ?1");
      if (!found) return found.error();
      found->bind(1, device_id);
      auto row = found->next();
      if (!row) return row.error();
      if (!*row) return Error{Errc::not_found, fmt::format("no device {}", device_id)};
      revoked = !found->is_null(0);
    }
    if (revoked) return Error{Errc::conflict, fmt::format("device {} is already revoked", device_id)};
    auto st = writer_.cached("UPDATE devices SET revoked_at = ?2 WHERE device_id = ?1");
    if (!st) return st.error();
    st->bind(1, device_id).bind(2, secs(now));
    return st->run();
  });
}

Result<void> SqliteStorage::record_heartbeat(const std::string& device_id, const Heartbeat& beat) {
  return write([&]() -> Result<void> {
    auto tx = Transaction::begin(writer_);
    if (!tx) return tx.error();
    {
      auto st =
          writer_.cached("UPDATE devices SET last_seen_at = max(coalesce(last_seen_at, 0), ?2) WHERE device_id = ?1");
      if (!st) return st.error();
      st->bind(1, device_id).bind(2, secs(beat.received_at));
      if (auto r = st->run(); !r) return r.error();
      if (sqlite3_changes(writer_.handle()) == 0) return Error{Errc::not_found, fmt::format("no device {}", device_id)};
    }
    {
      auto st = writer_.cached(
          "INSERT INTO heartbeats (device_id, received_at, queue_length, oldest_pending_age_s, app_version, "
          "quarantined, last_sync_at, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT (device_id) DO UPDATE SET received_at = excluded.received_at, "
          "queue_length = excluded.queue_length, oldest_pending_age_s = excluded.oldest_pending_age_s, "
          "app_version = excluded.app_version, quarantined = excluded.quarantined, "
          "last_sync_at = excluded.last_sync_at, last_error = excluded.last_error");
      if (!st) return st.error();
      st->bind(1, device_id).bind(2, secs(beat.received_at)).bind(3, beat.queue_length);
      st->bind(4, nullptr).bind(6, nullptr).bind(7, nullptr);
      if (beat.oldest_pending_age_s) st->bind(4, *beat.oldest_pending_age_s);
      st->bind(5, beat.app_version);
      if (beat.quarantined) st->bind(6, *beat.quarantined);
      if (beat.last_sync_at) st->bind(7, secs(*beat.last_sync_at));
      st->bind(8, beat.last_error);
      if (auto r = st->run(); !r) return r.error();
    }
    return tx->commit();
  });
}

Result<std::vector<DeviceStatus>> SqliteStorage::list_devices(const std::optional<std::string>& store_id) {
  auto db = borrow();
  auto st = db->cached(
      "SELECT d.device_id, d.store_id, d.name, d.enrolled_at, d.revoked_at, d.last_seen_at, h.received_at, "
      "h.queue_length, h.oldest_pending_age_s, h.app_version, h.quarantined, h.last_sync_at, h.last_error "
      "FROM devices d LEFT JOIN heartbeats h USING (device_id) WHERE (?1 IS NULL OR d.store_id = ?1) "
      "ORDER BY d.store_id, d.enrolled_at, d.device_id");
  if (!st) return st.error();
  st->bind(1, store_id);
  std::vector<DeviceStatus> out;
  for (;;) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) break;
    DeviceStatus status{read_device(*st), std::nullopt};
    if (!st->is_null(6)) {
      Heartbeat h;
      h.received_at = at_secs(st->int64(6));
      h.queue_length = st->int64(7);
      h.oldest_pending_age_s = opt_int(*st, 8);
      h.app_version = std::string(st->text(9));
      h.quarantined = opt_int(*st, 10);
      if (auto t = opt_int(*st, 11)) h.last_sync_at = at_secs(*t);
      if (!st->is_null(12)) h.last_error = std::string(st->text(12));
      status.heartbeat = std::move(h);
    }
    out.push_back(std::move(status));
  }
  return out;
}

// ---- Users and sessions -----------------------------------------------------------------
Result<std::int64_t> SqliteStorage::add_user(const std::string& username, const std::string& password_hash, Role role,
                                             const Scope& scope, Timestamp now) {
  return write([&]() -> Result<std::int64_t> {
    auto st = writer_.cached(
        "INSERT INTO users (username, password_hash, role, scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind(1, username).bind(2, password_hash).bind(3, role_name(role)).bind(4, scope_text(scope)).bind(5, secs(now));
    if (auto r = st->run(); !r) {
      if (r.error().code == Errc::conflict)
        return Error{Errc::conflict, fmt::format("the username {} is taken", username)};
      return r.error();
    }
    return sqlite3_last_insert_rowid(writer_.handle());
  });
}

namespace {
constexpr std::string_view kUserColumns =
    "u.id, u.username, u.role, u.password_hash, u.scope, u.disabled_at, u.email, u.digest, u.digest_since";

User read_user(const Statement& st) {
  return User{st.int64(0),
              std::string(st.text(1)),
              parse_role(st.text(2)).value_or(Role::agent),
              std::string(st.text(3)),
              parse_scope(st.text(4)).value_or(Scope{}),
              st.is_null(5),
              opt_text(st, 6),
              parse_digest_frequency(st.text(7)).value_or(DigestFrequency::none),  // the CHECK holds the set
              opt_time(st, 8)};
}
}  // namespace

Result<std::optional<User>> SqliteStorage::user_by_name(const std::string& username) {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM users u WHERE username = ?1", kUserColumns));
  if (!st) return st.error();
  st->bind(1, username);
  auto rows = collect<User>(*st, read_user);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(std::move(rows->front()));
}

Result<std::vector<User>> SqliteStorage::list_users() {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM users u ORDER BY username", kUserColumns));
  if (!st) return st.error();
  return collect<User>(*st, read_user);
}

Result<User> SqliteStorage::update_user(const std::string& username, const UserChange& change, Timestamp now) {
  return write([&]() -> Result<User> {
    auto tx = Transaction::begin(writer_);
    if (!tx) return tx.error();
    std::optional<User> before;
    {
      auto st = writer_.cached(fmt::format("SELECT {} FROM users u WHERE username = ?1", kUserColumns));
      if (!st) return st.error();
      st->bind(1, username);
      auto rows = collect<User>(*st, read_user);
      if (!rows) return rows.error();
      if (rows->empty()) return Error{Errc::not_found, fmt::format("no user {}", username)};
      before = std::move(rows->front());
    }
    User after = *before;
    if (change.role) after.role = *change.role;
    if (change.scope) after.scope = *change.scope;
    if (change.active) after.active = *change.active;
    if (change.password_hash) after.password_hash = *change.password_hash;
    if (change.email) after.email = *change.email;
    if (change.digest) {
      after.digest = *change.digest;
      if (after.digest == DigestFrequency::none)
        after.digest_since.reset();
      else if (after.digest != before->digest)
        after.digest_since = now;  // digests due from now on; none for periods already over
    }
    if (after.digest != DigestFrequency::none && !after.email)
      return Error{Errc::invalid, "email: a user without an email address cannot have a digest"};
    // Someone must still be able to manage every user from the API: checked
    // here, inside the transaction, so two admins demoting each other at once
    // cannot both succeed.
    auto chain_admin = [](const User& u) { return u.active && u.role == Role::admin && u.scope == Scope{}; };
    if (chain_admin(*before) && !chain_admin(after)) {
      auto st = writer_.cached(
          "SELECT count(*) FROM users WHERE role = 'admin' AND scope = 'chain' AND disabled_at IS NULL AND id != ?1");
      if (!st) return st.error();
      st->bind(1, before->id);
      auto row = st->next();
      if (!row) return row.error();
      if (*row && st->int64(0) == 0)
        return Error{Errc::conflict, fmt::format("{} is the last active chain-wide admin", before->username)};
    }
    {
      auto st = writer_.cached(
          "UPDATE users SET role = ?2, scope = ?3, password_hash = ?4, "
          "disabled_at = CASE WHEN ?5 THEN NULL ELSE coalesce(disabled_at, ?6) END, email = ?7, digest = ?8, "
          "digest_since = ?9 WHERE id = ?1");
      if (!st) return st.error();
      st->bind(1, after.id).bind(2, role_name(after.role)).bind(3, scope_text(after.scope));
      st->bind(4, after.password_hash).bind(5, std::int64_t{after.active ? 1 : 0}).bind(6, secs(now));
      st->bind(7, after.email).bind(8, digest_frequency_name(after.digest));
      bind_opt(*st, 9, after.digest_since);
      if (auto r = st->run(); !r) return r.error();
    }
    if (!after.active || change.password_hash) {
      auto st = writer_.cached("DELETE FROM sessions WHERE user_id = ?1");
      if (!st) return st.error();
      st->bind(1, after.id);
      if (auto r = st->run(); !r) return r.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
    return after;
  });
}

Result<void> SqliteStorage::add_session(const std::string& token_hash, std::int64_t user_id, Timestamp now,
                                        Timestamp expires_at) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_active_at) "
        "VALUES (?1, ?2, ?3, ?4, ?3)");
    if (!st) return st.error();
    st->bind(1, token_hash).bind(2, user_id).bind(3, secs(now)).bind(4, secs(expires_at));
    return st->run();
  });
}

Result<SessionLookup> SqliteStorage::user_by_session(const std::string& token_hash, Timestamp now,
                                                     std::chrono::seconds idle_timeout) {
  auto db = borrow();
  auto st = db->cached(
      fmt::format("SELECT {}, s.created_at, s.expires_at, s.last_active_at FROM sessions s JOIN users u ON u.id = "
                  "s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL",
                  kUserColumns));
  if (!st) return st.error();
  st->bind(1, token_hash).bind(2, secs(now));
  auto rows = collect<Session>(*st, [](const Statement& row) {
    Session session;
    session.user = read_user(row);
    session.created_at = at_secs(row.int64(9));  // after kUserColumns' nine
    session.expires_at = at_secs(row.int64(10));
    session.last_active_at = at_secs(row.int64(11));
    return session;
  });
  if (!rows) return rows.error();
  SessionLookup found;
  if (rows->empty()) return found;
  // Idle ends a session as its life does: at the moment, not after it.
  found.state =
      rows->front().last_active_at + idle_timeout <= now ? SessionLookup::State::idle : SessionLookup::State::active;
  if (found.state == SessionLookup::State::active) found.session = std::move(rows->front());
  return found;
}

Result<void> SqliteStorage::touch_session(const std::string& token_hash, Timestamp at) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached("UPDATE sessions SET last_active_at = ?2 WHERE token_hash = ?1 AND last_active_at < ?2");
    if (!st) return st.error();
    st->bind(1, token_hash).bind(2, secs(at));
    return st->run();
  });
}

Result<void> SqliteStorage::end_session(const std::string& token_hash) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached("DELETE FROM sessions WHERE token_hash = ?1");
    if (!st) return st.error();
    st->bind(1, token_hash);
    return st->run();
  });
}

Result<void> SqliteStorage::purge_sessions(Timestamp now, std::chrono::seconds idle_timeout) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached("DELETE FROM sessions WHERE expires_at <= ?1 OR last_active_at <= ?2");
    if (!st) return st.error();
    st->bind(1, secs(now)).bind(2, secs(now - idle_timeout));
    return st->run();
  });
}

// ---- Cases --------------------------------------------------------------------------------
namespace {

// The queue's SQL: WHERE terms with `?` placeholders and their values in order,
// only for the filters given, so that SQLite can use the queue's indexes
// (migration 8). A case without a deadline sorts last in the open tabs.
constexpr std::string_view kDueKey = "ifnull(next_due, 9223372036854775807)";

struct CaseSql {
  std::vector<std::string> terms;
  std::vector<std::variant<std::int64_t, std::string>> values;

  void add(std::string term, std::initializer_list<std::variant<std::int64_t, std::string>> with = {}) {
    terms.push_back(std::move(term));
    values.insert(values.end(), with);
  }
  std::string where() const {
    if (terms.empty()) return "1";
    std::string text;
    for (const auto& t : terms) text += (text.empty() ? "(" : " AND (") + t + ")";
    return text;
  }
  // Binds the values from index `first`; the next free index.
  int bind(Statement& st, int first = 1) const {
    for (const auto& v : values) {
      if (const auto* n = std::get_if<std::int64_t>(&v))
        st.bind(first++, *n);
      else
        st.bind(first++, std::get<std::string>(v));
    }
    return first;
  }
};

// The stores and filters of a query, its tab aside.
CaseSql case_filters(const CaseQuery& q) {
  CaseSql sql;
  if (q.stores) sql.add("store_id IN (SELECT value FROM json_each(?))", {nlohmann::json(*q.stores).dump()});
  if (q.type) sql.add("type = ?", {std::string(case_type_name(*q.type))});
  if (q.level) sql.add("level = ?", {std::int64_t{*q.level}});
  if (q.severity) sql.add("severity = ?", {std::string(enum_name(*q.severity))});
  if (q.repeat) sql.add("repeat = ?", {std::int64_t{*q.repeat ? 1 : 0}});
  if (q.assignee) sql.add("assignee = ? COLLATE NOCASE", {*q.assignee});
  if (q.unassigned) sql.add("assignee IS NULL");
  if (q.due_before) sql.add("next_due < ?", {secs(*q.due_before)});
  if (q.category)
    sql.add("EXISTS (SELECT 1 FROM records r WHERE r.id = cases.record_id AND r.category = ?)",
            {std::string(enum_name(*q.category))});
  if (q.root_cause && q.root_cause->empty()) sql.add("root_cause IS NULL");
  if (q.root_cause && !q.root_cause->empty()) sql.add("root_cause = ?", {*q.root_cause});
  if (q.from_day) sql.add("local_day >= ?", {*q.from_day});
  if (q.to_day) sql.add("local_day <= ?", {*q.to_day});
  // Trigrams: the key must be 3 or more letters and digits (the API checks).
  if (!q.reference_text.empty())
    sql.add("id IN (SELECT rowid FROM case_reference_text WHERE case_reference_text MATCH ?)",
            {"\"" + q.reference_text + "\""});
  return sql;
}

bool has_filters(const CaseQuery& q) {
  return q.type || q.level || q.severity || q.repeat || q.assignee || q.unassigned || q.due_before ||
         !q.reference_text.empty() || q.category || q.root_cause || q.from_day || q.to_day;
}

// The tab's condition, exactly Workflow::status's: "open" is neither closed nor
// scheduled; the resolution deadline does not run while waiting on the customer.
void add_tab(CaseSql& sql, CaseFilter filter, Timestamp now) {
  const std::int64_t t = secs(now);
  switch (filter) {
    case CaseFilter::all:
      return;
    case CaseFilter::closed:
      return sql.add("resolved_at IS NOT NULL");
    case CaseFilter::scheduled:
      return sql.add("resolved_at IS NULL AND opens_at > ?", {t});
    case CaseFilter::open:
      return sql.add("resolved_at IS NULL AND (opens_at IS NULL OR opens_at <= ?)", {t});
    case CaseFilter::breached:
      return sql.add(
          "resolved_at IS NULL AND (opens_at IS NULL OR opens_at <= ?) AND "
          "((ack_due < ? AND acked_at IS NULL) OR (resolve_due < ? AND waiting_since IS NULL))",
          {t, t, t});
    case CaseFilter::awaiting_customer:
      return sql.add(
          "resolved_at IS NULL AND (opens_at IS NULL OR opens_at <= ?) AND waiting_since IS NOT NULL AND "
          "(ack_due IS NULL OR acked_at IS NOT NULL OR ack_due >= ?)",
          {t, t});
  }
}

}  // namespace

Result<std::vector<CaseRow>> SqliteStorage::list_cases(const CaseQuery& query) {
  CaseSql sql = case_filters(query);
  add_tab(sql, query.filter, query.now);
  std::string from = "cases", order;
  switch (query.filter) {
    case CaseFilter::all:
      if (query.after) sql.add("id > ?", {query.after->id});
      order = "id";
      break;
    case CaseFilter::closed:
      from = query.stores ? "cases INDEXED BY cases_closed_by_store" : "cases INDEXED BY cases_closed";
      if (!query.reference_text.empty()) from = "cases";  // the few cases whose reference matches, by id
      if (query.after)
        sql.add("resolved_at <= ? AND (resolved_at < ? OR id < ?)",
                {query.after->key, query.after->key, query.after->id});
      order = "resolved_at DESC, id DESC";
      break;
    default:
      // The chain's queue reads cases_open_by_due in order and stops at the page's
      // end; a set of stores reads each store's range and sorts what it found.
      from = query.stores ? "cases INDEXED BY cases_open_by_store" : "cases INDEXED BY cases_open_by_due";
      if (!query.reference_text.empty()) from = "cases";  // the few cases whose reference matches, by id
      if (query.after)
        sql.add(fmt::format("{0} >= ? AND ({0} > ? OR id > ?)", kDueKey),
                {query.after->key, query.after->key, query.after->id});
      order = fmt::format("{}, id", kDueKey);
      break;
  }
  auto db = borrow();
  auto st =
      db->cached(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ?", kCaseColumns, from, sql.where(), order));
  if (!st) return st.error();
  st->bind(sql.bind(*st), static_cast<std::int64_t>(query.limit));
  return collect_cases(*st);
}

Result<CaseCounts> SqliteStorage::count_cases(const CaseQuery& query) {
  const CaseSql filters = case_filters(query);
  const std::int64_t t = secs(query.now);
  CaseCounts counts;
  auto db = borrow();
  if (auto r = db->exec("BEGIN"); !r) return r.error();  // one snapshot for every count
  struct End {
    Database& db;
    ~End() { (void)db.exec("COMMIT"); }
  } end{*db};
  auto count = [&](const std::string& sql, std::initializer_list<std::int64_t> values,
                   const CaseSql* with = nullptr) -> Result<std::int64_t> {
    auto st = db->cached(sql);
    if (!st) return st.error();
    int i = 1;
    for (auto v : values) st->bind(i++, v);
    if (with) with->bind(*st, i);
    auto row = st->next();
    if (!row) return row.error();
    return st->is_null(0) ? 0 : st->int64(0);
  };
  // Cases and cases not closed: case_totals when only stores narrow the query.
  std::optional<std::int64_t> total, not_closed;
  if (!has_filters(query)) {
    auto st = db->cached(fmt::format("SELECT ifnull(sum(cases), 0), ifnull(sum(not_closed), 0) FROM case_totals{}",
                                     query.stores ? " WHERE store_id IN (SELECT value FROM json_each(?))" : ""));
    if (!st) return st.error();
    filters.bind(*st);
    auto row = st->next();
    if (!row) return row.error();
    total = st->int64(0);
    not_closed = st->int64(1);
  }
  if (!has_filters(query) && !query.stores) {
    // The whole chain: the time-dependent tabs from their own small indexes.
    constexpr std::string_view kNotScheduled = "(opens_at IS NULL OR opens_at <= ?)";
    auto scheduled = count(
        "SELECT count(*) FROM cases INDEXED BY cases_scheduled WHERE resolved_at IS NULL AND opens_at IS NOT NULL "
        "AND opens_at > ?",
        {t});
    auto ack_late = count(fmt::format("SELECT count(*) FROM cases INDEXED BY cases_ack_pending WHERE resolved_at IS "
                                      "NULL AND acked_at IS NULL AND ack_due IS NOT NULL AND ack_due < ? AND {}",
                                      kNotScheduled),
                          {t, t});
    auto resolve_late =
        count(fmt::format("SELECT count(*) FROM cases INDEXED BY cases_resolve_running WHERE resolved_at IS NULL AND "
                          "waiting_since IS NULL AND resolve_due < ? AND {} AND "
                          "NOT (ack_due IS NOT NULL AND acked_at IS NULL AND ack_due < ?)",
                          kNotScheduled),
              {t, t, t});
    auto awaiting = count(fmt::format("SELECT count(*) FROM cases INDEXED BY cases_waiting WHERE resolved_at IS NULL "
                                      "AND waiting_since IS NOT NULL AND {} AND "
                                      "(ack_due IS NULL OR acked_at IS NOT NULL OR ack_due >= ?)",
                                      kNotScheduled),
                          {t, t});
    for (const auto* r : {&scheduled, &ack_late, &resolve_late, &awaiting})
      if (!*r) return r->error();
    counts.scheduled = *scheduled;
    counts.open = *not_closed - *scheduled;
    counts.breached = *ack_late + *resolve_late;
    counts.awaiting_customer = *awaiting;
    counts.closed = *total - *not_closed;
    return counts;
  }
  // Stores or filters: every tab but "closed" in one pass over the cases not
  // closed (a covering index; each store's range when stores are given).
  {
    auto st = db->cached(
        fmt::format("SELECT count(*), count(*) FILTER (WHERE opens_at > ?), "
                    "count(*) FILTER (WHERE (opens_at IS NULL OR opens_at <= ?) AND "
                    "((ack_due < ? AND acked_at IS NULL) OR (resolve_due < ? AND waiting_since IS NULL))), "
                    "count(*) FILTER (WHERE (opens_at IS NULL OR opens_at <= ?) AND waiting_since IS NOT NULL AND "
                    "(ack_due IS NULL OR acked_at IS NOT NULL OR ack_due >= ?)) "
                    "FROM {} WHERE resolved_at IS NULL AND {}",
                    !query.reference_text.empty() ? "cases"
                    : query.stores                ? "cases INDEXED BY cases_open_by_store"
                                                  : "cases INDEXED BY cases_open_by_due",
                    filters.where()));
    if (!st) return st.error();
    for (int i = 1; i <= 6; ++i) st->bind(i, t);
    filters.bind(*st, 7);
    auto row = st->next();
    if (!row) return row.error();
    counts.scheduled = st->int64(1);
    counts.open = st->int64(0) - counts.scheduled;
    counts.breached = st->int64(2);
    counts.awaiting_customer = st->int64(3);
  }
  if (total) {
    counts.closed = *total - *not_closed;
    return counts;
  }
  // Closed with filters: counted through a covering index up to the cap.
  auto closed =
      count(fmt::format("SELECT count(*) FROM (SELECT 1 FROM {} WHERE resolved_at IS NOT NULL AND {} LIMIT {})",
                        !query.reference_text.empty() ? "cases"
                        : query.stores                ? "cases INDEXED BY cases_closed_by_store"
                                                      : "cases INDEXED BY cases_closed",
                        filters.where(), kClosedCountCap + 1),
            {}, &filters);
  if (!closed) return closed.error();
  counts.closed = std::min(*closed, kClosedCountCap);
  counts.closed_capped = *closed > kClosedCountCap;
  return counts;
}

Result<std::vector<CaseRow>> SqliteStorage::cases_of_record(const std::string& record_id) {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM cases WHERE record_id = ?1 ORDER BY id", kCaseColumns));
  if (!st) return st.error();
  st->bind(1, record_id);
  return collect_cases(*st);
}

Result<std::optional<CaseRow>> SqliteStorage::read_case_with(Database& db, std::int64_t id) {
  auto st = db.cached(fmt::format("SELECT {} FROM cases WHERE id = ?1", kCaseColumns));
  if (!st) return st.error();
  st->bind(1, id);
  auto rows = collect_cases(*st);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<CaseRow>();
  return std::optional<CaseRow>(std::move(rows->front()));
}

Result<std::optional<CaseRow>> SqliteStorage::find_case(std::int64_t id) {
  auto db = borrow();
  return read_case_with(*db, id);
}

Result<std::vector<CaseEvent>> SqliteStorage::case_history(std::int64_t id) {
  auto db = borrow();
  auto st = db->cached("SELECT id, at, actor, action, detail FROM case_events WHERE case_id = ?1 ORDER BY id");
  if (!st) return st.error();
  st->bind(1, id);
  return collect<CaseEvent>(*st, [](const Statement& s) {
    return CaseEvent{s.int64(0), at_secs(s.int64(1)), std::string(s.text(2)), std::string(s.text(3)),
                     std::string(s.text(4))};
  });
}

Result<void> SqliteStorage::add_events(std::int64_t case_id, const std::vector<CaseEvent>& events) {
  for (const CaseEvent& e : events) {
    auto st =
        writer_.cached("INSERT INTO case_events (case_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind(1, case_id).bind(2, secs(e.at)).bind(3, e.actor).bind(4, e.action).bind(5, e.detail);
    if (auto r = st->run(); !r) return r;
  }
  return Ok{};
}

Result<void> SqliteStorage::add_webhooks(const std::vector<WebhookMessage>& webhooks) {
  for (const WebhookMessage& w : webhooks) {
    auto st = writer_.cached(
        "INSERT INTO webhooks (event, body, created_at_ms, next_attempt_ms, endpoint) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind(1, w.event).bind(2, w.body).bind(3, unix_ms_now()).bind(4, w.next_attempt_ms);
    st->bind(5, w.endpoint.empty() ? std::string(kDefaultWebhookEndpoint) : w.endpoint);
    if (auto r = st->run(); !r) return r;
  }
  return Ok{};
}

Result<CaseRow> SqliteStorage::update_case(std::int64_t id, const CaseMutator& mutate) {
  return write([&]() -> Result<CaseRow> {
    auto tx = Transaction::begin(writer_);
    if (!tx) return tx.error();
    auto row = change_case(id, mutate);
    if (!row) return row.error();
    if (auto r = tx->commit(); !r) return r.error();
    return row;
  });
}

Result<std::vector<CaseRow>> SqliteStorage::update_cases(std::span<const std::int64_t> ids, const CaseMutator& mutate) {
  std::vector<CaseRow> rows;
  return write([&]() -> Result<std::vector<CaseRow>> {
    auto tx = Transaction::begin(writer_);
    if (!tx) return tx.error();
    for (std::int64_t id : ids) {
      auto row = change_case(id, mutate);
      if (!row && row.error().code == Errc::not_found) continue;
      if (!row) return row.error();
      rows.push_back(std::move(row.value()));
    }
    if (auto r = tx->commit(); !r) return r.error();
    return rows;
  });
}

// Inside the writer's transaction: reads, mutates and writes one case.
Result<CaseRow> SqliteStorage::change_case(std::int64_t id, const CaseMutator& mutate) {
  auto current = read_case_with(writer_, id);
  if (!current) return current.error();
  if (!*current) return Error{Errc::not_found, fmt::format("no case {}", id)};
  CaseRow row = std::move(**current);
  const SlaCounts before = sla_of(row);
  auto change = mutate(row);
  if (!change) return change.error();
  row.id = id;
  if (const SlaCounts after = sla_of(row); !(after == before)) {
    for (const Rollup& rollup : kRollups) {
      auto st = writer_.cached(fmt::format(
          "INSERT INTO {0} ({1}, acked, acked_on_time, ack_breached_open, resolved, "
          "resolved_on_time, resolve_breached_open) VALUES ({2}, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT ({1}) DO UPDATE SET acked = acked + excluded.acked, "
          "acked_on_time = acked_on_time + excluded.acked_on_time, "
          "ack_breached_open = ack_breached_open + excluded.ack_breached_open, "
          "resolved = resolved + excluded.resolved, resolved_on_time = resolved_on_time + excluded.resolved_on_time, "
          "resolve_breached_open = resolve_breached_open + excluded.resolve_breached_open",
          rollup.table, rollup.keys(), rollup.key_params()));
      if (!st) return st.error();
      st->bind(1, row.store_id).bind(2, rollup.period_of(row.local_day)).bind(3, row.touchpoint.value_or(""));
      st->bind(4, after.acked - before.acked).bind(5, after.acked_on_time - before.acked_on_time);
      st->bind(6, after.ack_breached_open - before.ack_breached_open).bind(7, after.resolved - before.resolved);
      st->bind(8, after.resolved_on_time - before.resolved_on_time);
      st->bind(9, after.resolve_breached_open - before.resolve_breached_open);
      if (auto r = st->run(); !r) return r.error();
    }
  }
  {
    auto st = writer_.cached(
        "UPDATE cases SET level = ?2, repeat = ?3, opens_at = ?4, ack_due = ?5, resolve_due = ?6, acked_at = ?7, "
        "resolved_at = ?8, assignee = ?9, root_cause = ?10, ack_breached = ?11, resolve_breached = ?12, "
        "clock_start = ?13, waiting_since = ?14, paused_s = ?15, outcome = ?16, remedies = ?17, satisfied = ?18, "
        "next_due = ?19 WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id).bind(2, static_cast<std::int64_t>(row.level)).bind(3, std::int64_t{row.repeat ? 1 : 0});
    bind_opt(*st, 4, row.opens_at);
    bind_opt(*st, 5, row.ack_due);
    st->bind(6, secs(row.resolve_due));
    bind_opt(*st, 7, row.acked_at);
    bind_opt(*st, 8, row.resolved_at);
    st->bind(9, row.assignee).bind(10, row.root_cause);
    st->bind(11, std::int64_t{row.ack_breached ? 1 : 0}).bind(12, std::int64_t{row.resolve_breached ? 1 : 0});
    st->bind(13, secs(row.clock_start));
    bind_opt(*st, 14, row.waiting_since);
    st->bind(15, row.paused_s).bind(16, row.outcome).bind(17, remedies_text(row.remedies));
    bind_opt(*st, 18, row.satisfied ? std::optional<std::int64_t>(*row.satisfied ? 1 : 0) : std::nullopt);
    bind_opt(*st, 19, next_due(row));
    if (auto r = st->run(); !r) return r.error();
  }
  if (auto r = add_events(id, change->events); !r) return r.error();
  if (auto r = add_webhooks(change->webhooks); !r) return r.error();
  for (const CaseToOpen& open : change->opens)
    if (auto r = insert_case(open, open.created_at); !r) return r.error();
  if (change->letter) {
    auto st = writer_.cached(
        "INSERT INTO final_letters (case_id, created_at, author, language, text, html) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return st.error();
    const FinalLetter& l = *change->letter;
    st->bind(1, id).bind(2, secs(l.created_at)).bind(3, l.author).bind(4, l.language).bind(5, l.text).bind(6, l.html);
    if (auto r = st->run(); !r) return r.error();
  }
  for (const auto& [other, mutate_other] : change->also)
    if (auto r = change_case(other, mutate_other); !r) return r.error();
  return row;
}

Result<std::vector<std::int64_t>> SqliteStorage::cases_past_deadline(Timestamp now, int limit) {
  auto db = borrow();
  auto st = db->cached(
      "SELECT id FROM cases WHERE ack_due < ?1 AND resolved_at IS NULL AND acked_at IS NULL AND ack_breached = 0 "
      "UNION SELECT id FROM cases WHERE resolve_due < ?1 AND resolved_at IS NULL AND resolve_breached = 0 "
      "AND waiting_since IS NULL "
      "LIMIT ?2");  // no ORDER BY: it would make SQLite scan the table instead of the two watch indexes
  if (!st) return st.error();
  st->bind(1, secs(now)).bind(2, static_cast<std::int64_t>(limit));
  return collect<std::int64_t>(*st, [](const Statement& s) { return s.int64(0); });
}

Result<std::vector<FinalLetter>> SqliteStorage::final_letters(std::int64_t case_id) {
  auto db = borrow();
  auto st = db->cached(
      "SELECT id, case_id, created_at, author, language, text, html FROM final_letters WHERE case_id = ?1 ORDER BY id");
  if (!st) return st.error();
  st->bind(1, case_id);
  return collect<FinalLetter>(*st, [](const Statement& s) {
    return FinalLetter{s.int64(0),
                       s.int64(1),
                       at_secs(s.int64(2)),
                       std::string(s.text(3)),
                       std::string(s.text(4)),
                       std::string(s.text(5)),
                       std::string(s.text(6))};
  });
}

Result<std::vector<CaseRow>> SqliteStorage::cases_following(std::int64_t case_id) {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM cases WHERE follows_case_id = ?1 ORDER BY id", kCaseColumns));
  if (!st) return st.error();
  st->bind(1, case_id);
  return collect_cases(*st);
}

Result<std::vector<StoredRecord>> SqliteStorage::updates_for(const std::string& complaint_id) {
  auto db = borrow();
  // The same expression and condition as the index records_by_complaint.
  auto st = db->cached(fmt::format(
      "SELECT {} FROM records WHERE type = 'complaint_update' AND json_extract(body, '$.complaint_id') = ?1 "
      "ORDER BY created_at, seq",
      kRecordColumns));
  if (!st) return st.error();
  st->bind(1, complaint_id);
  return collect<StoredRecord>(*st, read_record);
}

// ---- Alerts -----------------------------------------------------------------------------------
namespace {

constexpr std::string_view kAlertColumns =
    "case_id, store_id, title, window_start, window_end, last_answer_at, answers, negative";

StoredAlert read_alert(const Statement& st) {
  StoredAlert a;
  a.case_id = st.int64(0);
  a.store_id = st.text(1);
  a.title = st.text(2);
  a.window_start = at_secs(st.int64(3));
  a.window_end = at_secs(st.int64(4));
  a.last_answer_at = at_secs(st.int64(5));
  a.answers = static_cast<int>(st.int64(6));
  a.negative = static_cast<int>(st.int64(7));
  return a;
}

}  // namespace

Result<std::optional<StoredAlert>> SqliteStorage::alert_of_case(std::int64_t case_id) {
  auto db = borrow();
  auto st = db->cached(fmt::format("SELECT {} FROM alerts WHERE case_id = ?1", kAlertColumns));
  if (!st) return st.error();
  st->bind(1, case_id);
  auto row = st->next();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredAlert>();
  StoredAlert alert = read_alert(*st);
  auto recs = db->cached(fmt::format(
      "SELECT {}, a.negative FROM alert_records a JOIN records r ON r.id = a.record_id WHERE a.case_id = ?1 "
      "ORDER BY r.created_at, r.seq",
      "r.seq, r.id, r.type, r.store_id, r.created_at, r.arrived_at, r.body"));
  if (!recs) return recs.error();
  recs->bind(1, case_id);
  while (true) {
    auto next = recs->next();
    if (!next) return next.error();
    if (!*next) break;
    alert.records.push_back({read_record(*recs), recs->int64(7) != 0});
  }
  return std::optional<StoredAlert>(std::move(alert));
}

Result<std::vector<StoredAlert>> SqliteStorage::alerts_of_cases(std::span<const std::int64_t> case_ids) {
  std::vector<StoredAlert> alerts;
  if (case_ids.empty()) return alerts;
  auto db = borrow();
  for (std::int64_t id : case_ids) {
    auto st = db->cached(fmt::format("SELECT {} FROM alerts WHERE case_id = ?1", kAlertColumns));
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->next();
    if (!row) return row.error();
    if (*row) alerts.push_back(read_alert(*st));
  }
  return alerts;
}

// ---- Customers -------------------------------------------------------------------------------
Result<CustomerHistory> SqliteStorage::customer_history(const CustomerKey& key, int limit) {
  CustomerHistory history;
  if (!key.email && !key.phone) return history;
  auto db = borrow();
  {
    auto st =
        db->cached(fmt::format("SELECT {} FROM records WHERE seq IN (SELECT seq FROM records WHERE email = ?1 UNION "
                               "SELECT seq FROM records WHERE phone = ?2) ORDER BY created_at, seq LIMIT ?3",
                               kRecordColumns));
    if (!st) return st.error();
    st->bind(1, key.email).bind(2, key.phone).bind(3, static_cast<std::int64_t>(limit));
    auto rows = collect<StoredRecord>(*st, read_record);
    if (!rows) return rows.error();
    history.records = std::move(rows.value());
  }
  for (const StoredRecord& r : history.records) {
    // An alert hangs on its newest answer but is about the store, not this customer.
    auto st = db->cached(
        fmt::format("SELECT {} FROM cases WHERE record_id = ?1 AND type <> 'alert' ORDER BY id", kCaseColumns));
    if (!st) return st.error();
    st->bind(1, r.id);
    auto rows = collect_cases(*st);
    if (!rows) return rows.error();
    for (auto& c : rows.value()) history.cases.push_back(std::move(c));
  }
  return history;
}

Result<CustomerHistory> SqliteStorage::complaints_by_reference(const std::string& key, int limit) {
  CustomerHistory found;
  if (key.empty()) return found;
  auto db = borrow();
  {
    // The same expression and condition as the index records_by_reference.
    auto st =
        db->cached(fmt::format("SELECT {} FROM records WHERE type = 'complaint' AND "
                               "replace(json_extract(body, '$.reference'), '-', '') = ?1 ORDER BY created_at, seq "
                               "LIMIT ?2",
                               kRecordColumns));
    if (!st) return st.error();
    st->bind(1, key).bind(2, static_cast<std::int64_t>(limit));
    auto rows = collect<StoredRecord>(*st, read_record);
    if (!rows) return rows.error();
    found.records = std::move(rows.value());
  }
  for (const StoredRecord& r : found.records) {
    auto st = db->cached(fmt::format("SELECT {} FROM cases WHERE record_id = ?1 ORDER BY id", kCaseColumns));
    if (!st) return st.error();
    st->bind(1, r.id);
    auto rows = collect_cases(*st);
    if (!rows) return rows.error();
    for (auto& c : rows.value()) found.cases.push_back(std::move(c));
  }
  return found;
}

// ---- KPIs ------------------------------------------------------------------------------------
Result<KpiCounts> SqliteStorage::kpis(const KpiQuery& query) {
  auto groups = kpi_breakdown(query, KpiGroup::total);
  if (!groups) return groups.error();
  return groups->empty() ? KpiCounts{} : groups->front().counts;
}

Result<std::vector<KpiGroupCounts>> SqliteStorage::kpi_breakdown(const KpiQuery& query, KpiGroup group) {
  const std::optional<std::string> stores = store_list(query.stores);
  // The chain's figures, not by store, come from kpi_chain_daily: a year is
  // ~1,000 rows. A store's or an area's: whole months from kpi_monthly, the days
  // at either ragged end from kpi_daily (a year of 50 stores is 2,400 rows, not
  // 73,000); groups by day or week read days throughout.
  struct Part {
    const char* table;
    const char* period;
    std::optional<std::int64_t> lo, hi;  // inclusive; none: open
  };
  std::vector<Part> parts;
  {
    const auto& from = query.from_day;
    const auto& to = query.to_day;
    std::optional<std::int64_t> first_month, last_month;  // whole months covered
    if (from) first_month = month_of_day(*from) + (first_day_of_month(month_of_day(*from)) == *from ? 0 : 1);
    if (to) last_month = month_of_day(*to) - (first_day_of_month(month_of_day(*to) + 1) - 1 == *to ? 0 : 1);
    if (!query.store_id && !query.stores && group != KpiGroup::store) {
      parts.push_back({"kpi_chain_daily", "day", from, to});
    } else if (group == KpiGroup::day || group == KpiGroup::week ||
               (first_month && last_month && *first_month > *last_month)) {
      parts.push_back({"kpi_daily", "day", from, to});
    } else {
      parts.push_back({"kpi_monthly", "month", first_month, last_month});
      if (from && *from < first_day_of_month(*first_month))
        parts.push_back({"kpi_daily", "day", from, first_day_of_month(*first_month) - 1});
      if (to && *to >= first_day_of_month(*last_month + 1))
        parts.push_back({"kpi_daily", "day", first_day_of_month(*last_month + 1), to});
    }
  }
  // SQL groups by the row's period (or store); each is mapped to its group here.
  // Only the filters given go into the SQL, so that SQLite can use the rollups'
  // keys (store first) or their period indexes.
  std::map<std::pair<std::int64_t, std::string>, KpiCounts> groups;
  const auto key_of = [group](const Statement& st, bool monthly) -> std::pair<std::int64_t, std::string> {
    switch (group) {
      case KpiGroup::total:
        return {0, ""};
      case KpiGroup::store:
        return {0, std::string(st.text(0))};
      default: {
        const std::int64_t period = st.int64(0);
        return {kpi_group_first_day(group, monthly ? first_day_of_month(period) : period), ""};
      }
    }
  };
  // On cases, the unary + keeps SQLite off the store and day indexes, which
  // would read a year's cases, and on the watch indexes: only what is overdue.
  const auto filters = [&](const char* period, bool cases, bool from, bool to) {
    const char* plus = cases ? "+" : "";
    std::string where = "1";
    if (query.store_id) where += fmt::format(" AND {}store_id = ?1", plus);
    if (query.stores) where += fmt::format(" AND {}store_id IN (SELECT value FROM json_each(?6))", plus);
    // Every store's figures: one range of the key per store, found by leaping
    // from store to store in kpi_monthly's key (2,000 seeks), not through the
    // period's index with a look-up per row.
    if (!cases && group == KpiGroup::store && !query.store_id && !query.stores)
      where +=
          " AND store_id IN (WITH RECURSIVE s(id) AS (SELECT min(store_id) FROM kpi_monthly UNION ALL "
          "SELECT (SELECT min(store_id) FROM kpi_monthly WHERE store_id > s.id) FROM s WHERE s.id IS NOT NULL) "
          "SELECT id FROM s WHERE id IS NOT NULL)";
    if (query.touchpoint) where += cases ? " AND coalesce(touchpoint, '') = ?2" : " AND touchpoint = ?2";
    if (from) where += fmt::format(" AND {}{} >= ?3", plus, period);
    if (to) where += fmt::format(" AND {}{} <= ?4", plus, period);
    return where;
  };
  const auto select_key = [group](const char* period) -> std::string {
    if (group == KpiGroup::total) return "0";
    return group == KpiGroup::store ? "store_id" : period;
  };

  auto db = borrow();
  if (auto r = db->exec("BEGIN"); !r) return r.error();  // one snapshot for every part
  struct End {
    Database& db;
    ~End() { (void)db.exec("COMMIT"); }
  } end{*db};
  for (const Part& part : parts) {
    const std::string where = filters(part.period, false, part.lo.has_value(), part.hi.has_value());
    const std::string key = select_key(part.period);
    auto st = db->cached(fmt::format(
        "SELECT {0}, total(feedback), total(csat_count), total(csat_sum), total(csat_satisfied), total(nps_count), "
        "total(promoters), total(passives), total(detractors), total(complaints), total(resolved_first), "
        "total(acked), total(acked_on_time), total(ack_breached_open), total(resolved), total(resolved_on_time), "
        "total(resolve_breached_open) FROM {1} WHERE {2} GROUP BY 1",
        key, part.table, where));
    if (!st) return st.error();
    st->bind(1, query.store_id).bind(2, query.touchpoint);
    if (query.stores) st->bind(6, stores);
    if (part.lo) st->bind(3, *part.lo);
    if (part.hi) st->bind(4, *part.hi);
    const bool monthly = std::string_view(part.table) == "kpi_monthly";
    for (;;) {
      auto row = st->next();
      if (!row) return row.error();
      if (!*row) break;
      const auto k = key_of(*st, monthly);
      KpiCounts& c = groups[k];
      c.feedback += st->int64(1);
      c.csat_count += st->int64(2);
      c.csat_sum += st->int64(3);
      c.csat_satisfied += st->int64(4);
      c.nps_count += st->int64(5);
      c.promoters += st->int64(6);
      c.passives += st->int64(7);
      c.detractors += st->int64(8);
      c.complaints += st->int64(9);
      c.resolved_first_contact += st->int64(10);
      c.ack_due_or_done += st->int64(11);
      c.ack_on_time += st->int64(12);
      c.ack_due_or_done += st->int64(13);  // breached and escalated, still open
      c.resolve_due_or_done += st->int64(14);
      c.resolve_on_time += st->int64(15);
      c.resolve_due_or_done += st->int64(16);
    }
  }
  // SLA (domain.md section 1): of cases whose deadline has passed or that were
  // done, the share done on time. Done, and breached-and-escalated, are in the
  // rollup; cases past a deadline that the scheduler has not escalated yet are
  // counted here, from its watch indexes (a minute's worth, in steady state).
  const std::string live = filters("local_day", true, query.from_day.has_value(), query.to_day.has_value());
  const std::string key = select_key("local_day");
  auto st = db->cached(fmt::format(
      "SELECT k, total(ack), total(resolve) FROM ("
      "SELECT {0} AS k, 1 AS ack, 0 AS resolve FROM cases WHERE ack_due < ?5 AND resolved_at IS NULL "
      "AND acked_at IS NULL AND ack_breached = 0 AND {1} "
      // A case waiting on the customer is not late: its deadline moves when they reply.
      "UNION ALL SELECT {0}, 0, 1 FROM cases WHERE resolve_due < ?5 AND resolved_at IS NULL AND resolve_breached = 0 "
      "AND waiting_since IS NULL AND {1}) GROUP BY k",
      key, live));
  if (!st) return st.error();
  st->bind(1, query.store_id).bind(2, query.touchpoint);
  bind_opt(*st, 3, query.from_day);
  bind_opt(*st, 4, query.to_day);
  st->bind(5, secs(query.now));
  st->bind(6, stores);
  for (;;) {
    auto row = st->next();
    if (!row) return row.error();
    if (!*row) break;
    KpiCounts& c = groups[key_of(*st, false)];
    c.ack_due_or_done += st->int64(1);
    c.resolve_due_or_done += st->int64(2);
  }
  std::vector<KpiGroupCounts> out;
  out.reserve(groups.size());
  for (auto& [k, counts] : groups) out.push_back({k.first, k.second, counts});
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteStorage::complaint_pareto(const KpiQuery& query,
                                                                                          ParetoBy by) {
  // Both read a partial index of complaints by day (migration 13), not the rows.
  std::string where = "type = 'complaint'";  // records and cases alike
  if (query.store_id) where += " AND store_id = ?1";
  if (query.stores) where += " AND store_id IN (SELECT value FROM json_each(?2))";
  if (query.from_day) where += " AND local_day >= ?3";
  if (query.to_day) where += " AND local_day <= ?4";
  auto db = borrow();
  auto st = db->cached(
      by == ParetoBy::category
          ? fmt::format("SELECT category, count(*) FROM records WHERE {} GROUP BY 1", where)
          : fmt::format("SELECT ifnull(root_cause, ''), count(*) FROM cases WHERE {} GROUP BY 1", where));
  if (!st) return st.error();
  st->bind(1, query.store_id).bind(2, store_list(query.stores));
  bind_opt(*st, 3, query.from_day);
  bind_opt(*st, 4, query.to_day);
  auto counts = collect<std::pair<std::string, std::int64_t>>(
      *st, [](const Statement& s) { return std::pair{std::string(s.text(0)), s.int64(1)}; });
  if (!counts) return counts.error();
  std::sort(counts->begin(), counts->end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  return counts;
}

// ---- Webhooks --------------------------------------------------------------------------------
Result<std::vector<WebhookMessage>> SqliteStorage::due_webhooks(std::int64_t now_ms, int limit) {
  auto db = borrow();
  auto st = db->cached(
      "SELECT id, event, body, attempts, next_attempt_ms, endpoint FROM webhooks WHERE delivered_at_ms IS NULL "
      "AND given_up_at_ms IS NULL AND next_attempt_ms <= ?1 ORDER BY next_attempt_ms, id LIMIT ?2");
  if (!st) return st.error();
  st->bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  return collect<WebhookMessage>(*st, [](const Statement& s) {
    return WebhookMessage{s.int64(0), std::string(s.text(1)), std::string(s.text(2)), static_cast<int>(s.int64(3)),
                          s.int64(4), std::string(s.text(5))};
  });
}

Result<std::optional<std::int64_t>> SqliteStorage::next_webhook_due_ms() {
  auto db = borrow();
  auto st =
      db->cached("SELECT min(next_attempt_ms) FROM webhooks WHERE delivered_at_ms IS NULL AND given_up_at_ms IS NULL");
  if (!st) return st.error();
  auto row = st->next();
  if (!row) return row.error();
  std::optional<std::int64_t> due;
  if (*row && !st->is_null(0)) due = st->int64(0);
  return due;
}

Result<void> SqliteStorage::webhook_delivered(std::int64_t id, std::int64_t now_ms) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "UPDATE webhooks SET delivered_at_ms = ?2, attempts = attempts + 1, last_error = '' WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id).bind(2, now_ms);
    return st->run();
  });
}

Result<void> SqliteStorage::webhook_failed(std::int64_t id, std::int64_t next_attempt_ms, const std::string& error) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "UPDATE webhooks SET attempts = attempts + 1, next_attempt_ms = ?2, last_error = ?3 WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id).bind(2, next_attempt_ms).bind(3, error);
    return st->run();
  });
}

Result<void> SqliteStorage::webhook_given_up(std::int64_t id, std::int64_t now_ms, const std::string& error) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached("UPDATE webhooks SET given_up_at_ms = ?2, last_error = ?3 WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id).bind(2, now_ms).bind(3, error);
    return st->run();
  });
}

// ---- Audit and statistics ----------------------------------------------------------------------
Result<void> SqliteStorage::audit(Timestamp at, const std::string& actor, const std::string& action,
                                  const std::string& detail) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached("INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    st->bind(1, secs(at)).bind(2, actor).bind(3, action).bind(4, detail);
    return st->run();
  });
}

Result<std::vector<AuditEntry>> SqliteStorage::list_audit(const AuditQuery& query) {
  // Only the filters given go into the SQL, so that SQLite can walk the actor
  // or action index newest first and stop at the limit.
  std::string where = "id < ?1";
  if (query.actor) where += " AND actor = ?2";
  if (query.action) where += " AND action = ?3";
  if (query.case_id) where += " AND json_valid(detail) AND json_extract(detail, '$.case_id') = ?4";
  if (query.from) where += " AND at >= ?5";
  if (query.to) where += " AND at < ?6";
  auto db = borrow();
  auto st = db->cached(
      fmt::format("SELECT id, at, actor, action, detail FROM audit WHERE {} ORDER BY id DESC LIMIT ?7", where));
  if (!st) return st.error();
  st->bind(1, query.before_id.value_or(std::numeric_limits<std::int64_t>::max()));
  if (query.actor) st->bind(2, *query.actor);
  if (query.action) st->bind(3, *query.action);
  if (query.case_id) st->bind(4, *query.case_id);
  if (query.from) st->bind(5, secs(*query.from));
  if (query.to) st->bind(6, secs(*query.to));
  st->bind(7, static_cast<std::int64_t>(query.limit));
  return collect<AuditEntry>(*st, [](const Statement& s) {
    AuditEntry e;
    e.id = s.int64(0);
    e.at = at_secs(s.int64(1));
    e.actor = std::string(s.text(2));
    e.action = std::string(s.text(3));
    e.detail = std::string(s.text(4));
    return e;
  });
}

Result<StorageStats> SqliteStorage::stats(Timestamp now) {
  StorageStats s;
  auto db = borrow();
  auto st = db->cached(
      "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM devices WHERE revoked_at IS NULL), "
      "(SELECT count(*) FROM cases WHERE resolved_at IS NULL AND (opens_at IS NULL OR opens_at <= ?1)), "
      "(SELECT count(*) FROM webhooks WHERE delivered_at_ms IS NULL AND given_up_at_ms IS NULL)");
  if (!st) return st.error();
  st->bind(1, secs(now));
  auto row = st->next();
  if (!row) return row.error();
  if (*row) {
    s.records = st->int64(0);
    s.devices = st->int64(1);
    s.cases_open = st->int64(2);
    s.webhooks_pending = st->int64(3);
  }
  return s;
}

// ---- Digests ----------------------------------------------------------------------------------
Result<DigestCounts> SqliteStorage::digest_counts(const DigestQuery& query) {
  const std::optional<std::string> stores = store_list(query.stores);
  const std::string in_scope = query.stores ? " AND c.store_id IN (SELECT value FROM json_each(?4))" : "";
  DigestCounts counts;
  auto db = borrow();
  if (auto r = db->exec("BEGIN"); !r) return r.error();  // one snapshot for every part
  struct End {
    Database& db;
    ~End() { (void)db.exec("COMMIT"); }
  } end{*db};
  // Breaches: the scheduler's breach events whose deadline ("due") fell in the
  // period (an event is written at or after its deadline), and deadlines in the
  // period passed unmet that it has not escalated yet (as the KPIs count them).
  {
    auto st = db->cached(
        "WITH breaches AS ("
        "  SELECT e.case_id, json_extract(e.detail, '$.deadline') AS deadline FROM case_events e"
        "  JOIN cases c ON c.id = e.case_id"
        "  WHERE e.action = 'breach' AND e.at >= ?1 AND json_extract(e.detail, '$.due') >= ?5"
        "  AND json_extract(e.detail, '$.due') < ?6" +
        in_scope +
        "  UNION ALL SELECT c.id, 'acknowledge' FROM cases c WHERE c.ack_due >= ?1 AND c.ack_due < min(?2, ?3)"
        "  AND c.resolved_at IS NULL AND c.acked_at IS NULL AND c.ack_breached = 0" +
        in_scope +
        "  UNION ALL SELECT c.id, 'resolve' FROM cases c WHERE c.resolve_due >= ?1 AND c.resolve_due < min(?2, ?3)"
        "  AND c.resolved_at IS NULL AND c.resolve_breached = 0 AND c.waiting_since IS NULL" +
        in_scope +
        ") SELECT count(*) FILTER (WHERE deadline = 'acknowledge'), count(*) FILTER (WHERE deadline = 'resolve'),"
        " count(DISTINCT case_id) FROM breaches");
    if (!st) return st.error();
    st->bind(1, secs(query.start)).bind(2, secs(query.end)).bind(3, secs(query.now));
    st->bind(4, stores).bind(5, format_timestamp(query.start)).bind(6, format_timestamp(query.end));
    auto row = st->next();
    if (!row) return row.error();
    if (*row) {
      counts.ack_breaches = st->int64(0);
      counts.resolve_breaches = st->int64(1);
      counts.breached_cases = st->int64(2);
    }
  }
  // Complaints resolved in the period, and their root causes.
  {
    auto st = db->cached(
        "SELECT root_cause, count(*) FROM cases c WHERE c.resolved_at >= ?1 AND c.resolved_at < ?2 AND "
        "c.type = 'complaint'" +
        in_scope + " GROUP BY root_cause ORDER BY count(*) DESC, root_cause");
    if (!st) return st.error();
    st->bind(1, secs(query.start)).bind(2, secs(query.end)).bind(4, stores);
    while (true) {
      auto row = st->next();
      if (!row) return row.error();
      if (!*row) break;
      const std::int64_t n = st->int64(1);
      counts.complaints_resolved += n;
      if (!st->is_null(0) && static_cast<int>(counts.root_causes.size()) < query.root_causes)
        counts.root_causes.emplace_back(std::string(st->text(0)), n);
    }
  }
  return counts;
}

namespace {
constexpr std::string_view kDigestColumns =
    "user_id, period, first_day, created_at, attempts, next_attempt_ms, last_error, sent_at, given_up_at";

DigestDelivery read_digest(const Statement& st) {
  DigestDelivery d;
  d.user_id = st.int64(0);
  d.period = st.text(1) == "day" ? DigestPeriod::day : DigestPeriod::week;  // the CHECK holds the set
  d.first_day = st.int64(2);
  d.created_at = at_secs(st.int64(3));
  d.attempts = static_cast<int>(st.int64(4));
  d.next_attempt_ms = st.int64(5);
  d.last_error = opt_text(st, 6);
  d.sent_at = opt_time(st, 7);
  d.given_up_at = opt_time(st, 8);
  return d;
}
}  // namespace

Result<bool> SqliteStorage::add_digest_delivery(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                                Timestamp now) {
  return write([&]() -> Result<bool> {
    auto st = writer_.cached(
        "INSERT OR IGNORE INTO digest_deliveries (user_id, period, first_day, created_at, next_attempt_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind(1, user_id).bind(2, digest_period_name(period)).bind(3, first_day).bind(4, secs(now));
    st->bind(5, secs(now) * 1000);
    if (auto r = st->run(); !r) return r.error();
    return sqlite3_changes(writer_.handle()) > 0;
  });
}

Result<std::vector<DigestDelivery>> SqliteStorage::due_digests(std::int64_t now_ms, int limit) {
  auto db = borrow();
  auto st = db->cached(fmt::format(
      "SELECT {} FROM digest_deliveries WHERE next_attempt_ms <= ?1 AND sent_at IS NULL AND given_up_at IS NULL "
      "ORDER BY next_attempt_ms LIMIT ?2",
      kDigestColumns));
  if (!st) return st.error();
  st->bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  return collect<DigestDelivery>(*st, read_digest);
}

Result<std::vector<DigestDelivery>> SqliteStorage::digest_deliveries(std::int64_t user_id) {
  auto db = borrow();
  auto st = db->cached(fmt::format(
      "SELECT {} FROM digest_deliveries WHERE user_id = ?1 ORDER BY first_day DESC, period", kDigestColumns));
  if (!st) return st.error();
  st->bind(1, user_id);
  return collect<DigestDelivery>(*st, read_digest);
}

Result<void> SqliteStorage::digest_sent(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                        Timestamp at) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "UPDATE digest_deliveries SET sent_at = ?4, attempts = attempts + 1, last_error = NULL "
        "WHERE user_id = ?1 AND period = ?2 AND first_day = ?3");
    if (!st) return st.error();
    st->bind(1, user_id).bind(2, digest_period_name(period)).bind(3, first_day).bind(4, secs(at));
    return st->run();
  });
}

Result<void> SqliteStorage::digest_failed(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                          std::int64_t next_attempt_ms, const std::string& error) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "UPDATE digest_deliveries SET attempts = attempts + 1, next_attempt_ms = ?4, last_error = ?5 "
        "WHERE user_id = ?1 AND period = ?2 AND first_day = ?3");
    if (!st) return st.error();
    st->bind(1, user_id).bind(2, digest_period_name(period)).bind(3, first_day).bind(4, next_attempt_ms);
    st->bind(5, error);
    return st->run();
  });
}

Result<void> SqliteStorage::digest_given_up(std::int64_t user_id, DigestPeriod period, std::int64_t first_day,
                                            Timestamp at, const std::string& error) {
  return write([&]() -> Result<void> {
    auto st = writer_.cached(
        "UPDATE digest_deliveries SET given_up_at = ?4, last_error = ?5 "
        "WHERE user_id = ?1 AND period = ?2 AND first_day = ?3");
    if (!st) return st.error();
    st->bind(1, user_id).bind(2, digest_period_name(period)).bind(3, first_day).bind(4, secs(at)).bind(5, error);
    return st->run();
  });
}


// ---- Dashboard ----------------------------------------------------------------------------------
Result<std::vector<StaffFigures>> SqliteStorage::staff_figures(const KpiQuery& query) {
  // The complaints of the period come from the partial index by day (migration
  // 13); each one's staff id and escalation from its body.
  std::string where = "type = 'complaint'";
  if (query.store_id) where += " AND store_id = ?1";
  if (query.stores) where += " AND store_id IN (SELECT value FROM json_each(?2))";
  if (query.from_day) where += " AND local_day >= ?3";
  if (query.to_day) where += " AND local_day <= ?4";
  auto db = borrow();
  auto st = db->cached(fmt::format(
      "SELECT store_id, ifnull(json_extract(body, '$.staff_id'), ''), count(*), total(resolved_first_contact), "
      "count(*) FILTER (WHERE json_type(body, '$.escalation') = 'object') FROM records WHERE {} "
      "GROUP BY 1, 2 ORDER BY 1, 2",
      where));
  if (!st) return st.error();
  st->bind(1, query.store_id).bind(2, store_list(query.stores));
  bind_opt(*st, 3, query.from_day);
  bind_opt(*st, 4, query.to_day);
  return collect<StaffFigures>(*st, [](const Statement& s) {
    return StaffFigures{std::string(s.text(0)), std::string(s.text(1)), s.int64(2), s.int64(3), s.int64(4)};
  });
}

Result<std::vector<CustomerComment>> SqliteStorage::customer_comments(const CommentQuery& query) {
  // Newest first along the comments' own indexes (migration 15: the WHERE below
  // is theirs, word for word). A local day lies within a day either side of its
  // UTC day in any zone, so those bounds end the index's range; the day itself
  // is checked on the row.
  std::string where = "type = 'feedback' AND length(json_extract(body, '$.comment')) > 0";
  if (query.store_id) where += " AND store_id = ?1";
  if (query.stores) where += " AND store_id IN (SELECT value FROM json_each(?2))";
  if (query.from_day) where += " AND local_day >= ?3 AND created_at >= (?3 - 1) * 86400";
  if (query.to_day) where += " AND local_day <= ?4 AND created_at < (?4 + 2) * 86400";
  if (query.detractors_only) where += " AND nps <= 6";
  if (query.before) where += " AND (created_at, seq) < (?5, ?6)";
  auto db = borrow();
  auto st = db->cached(fmt::format(
      "SELECT seq, id, store_id, created_at, ifnull(touchpoint, ''), ifnull(json_extract(body, '$.language'), ''), "
      "csat, nps, json_extract(body, '$.comment'), ifnull(json_extract(body, '$.suspected_misuse'), 0) "
      "FROM records WHERE {} ORDER BY created_at DESC, seq DESC LIMIT ?7",
      where));
  if (!st) return st.error();
  st->bind(1, query.store_id).bind(2, store_list(query.stores));
  bind_opt(*st, 3, query.from_day);
  bind_opt(*st, 4, query.to_day);
  if (query.before) st->bind(5, secs(query.before->created_at)).bind(6, query.before->seq);
  st->bind(7, static_cast<std::int64_t>(query.limit));
  return collect<CustomerComment>(*st, [](const Statement& s) {
    CustomerComment c;
    c.seq = s.int64(0);
    c.record_id = std::string(s.text(1));
    c.store_id = std::string(s.text(2));
    c.created_at = at_secs(s.int64(3));
    c.touchpoint = std::string(s.text(4));
    c.language = std::string(s.text(5));
    if (!s.is_null(6)) c.csat = static_cast<int>(s.int64(6));
    if (!s.is_null(7)) c.nps = static_cast<int>(s.int64(7));
    c.comment = std::string(s.text(8));
    c.suspected_misuse = s.int64(9) != 0;
    return c;
  });
}

}  // namespace heed::server
