// The device's durable store: captured records and their outbox, in SQLite.
//
// Invariants:
// - A record and its outbox entry are written in one transaction with
//   synchronous=FULL in WAL mode: when save() returns Ok, both survive a crash
//   or power cut. Outbox state changes survive a process crash; a power cut may
//   undo the last few, which only sends those records again (the server counts
//   a repeat as a duplicate), so they commit without a flush of their own.
// - Nothing accepted is lost or duplicated: saving an id again with the same
//   content is a no-op; with different content it is refused (Errc::conflict).
// - Outbox states move pending -> in_flight -> delivered, or in_flight ->
//   quarantined (with the server's reason); quarantined -> pending only by a
//   person's decision (requeue). Opening the store returns in_flight entries to
//   pending: a crash mid-delivery is retried, and the server's idempotency on
//   record ids makes the retry safe.
// - The schema is versioned by PRAGMA user_version and migrated forward on open.
//   A damaged file or one from a newer Heed is refused with a clear error and left
//   untouched: never recreated, never deleted.
// - The file is created readable and writable by its owner only (0600), and so
//   are SQLite's -wal and -shm beside it: it holds personal data and the token.
// - Data minimisation: erase_delivered() blanks the bodies of delivered records;
//   their ids, types and outbox states stay, so the outbox still says what was sent.
//   What the offline history shows of a complaint stays too (its summary: date,
//   category, outcome, no personal data; a feedback's scores), and so do keyed
//   hashes of its customer's normalised email and phone, so an erased complaint
//   is still found by the same email or phone, while the store holds neither.
//   The hash key is 32 random bytes made once per device (settings), so hashes
//   cannot be matched against a list of emails without the device, nor across devices.
// A DeviceStore is safe to use from several threads (calls are serialised), and
// several DeviceStore objects may open the same file (SQLite's locking).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heed/customer_history.hpp"
#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

enum class OutboxState { pending, in_flight, delivered, quarantined };
std::string_view outbox_state_name(OutboxState state);

struct OutboxEntry {
  std::int64_t seq = 0;  // delivery order: the order records were saved
  std::string record_id;
  RecordType type = RecordType::feedback;
  OutboxState state = OutboxState::pending;
  int attempts = 0;                  // delivery attempts so far
  std::int64_t next_attempt_ms = 0;  // not before this (Unix ms); 0 = at once
  std::string last_error;            // last transient failure, or the quarantine reason
  std::string body;                  // the record's canonical JSON
};

struct OutboxStats {
  std::int64_t pending = 0;
  std::int64_t in_flight = 0;
  std::int64_t delivered = 0;
  std::int64_t quarantined = 0;
  std::optional<Timestamp> oldest_pending_created_at;  // of pending and in-flight records
};

struct StoreOptions {
  int busy_timeout_ms = 5000;  // wait this long for another connection's lock
};

class DeviceStore {
 public:
  // Opens or creates the store, migrates it to the latest schema and returns
  // in-flight outbox entries to pending.
  static Result<DeviceStore> open(const std::filesystem::path& file, const StoreOptions& options = {});

  DeviceStore(DeviceStore&&) noexcept;
  DeviceStore& operator=(DeviceStore&&) noexcept;
  ~DeviceStore();

  static int latest_schema_version();
  // The SQL of each migration; element i takes the schema from version i to i+1.
  static std::span<const std::string_view> migrations();

  const std::filesystem::path& file() const;

  // Validates the record, then durably saves it with a pending outbox entry.
  // `clear_draft_of`: a member of staff whose draft this record completes; the
  // draft goes in the same transaction, so a saved complaint never reappears.
  Result<void> save(const Record& record, std::string_view clear_draft_of = {});
  // Several records in one durable transaction: all or none.
  Result<void> save_all(std::span<const Record> records, std::string_view clear_draft_of = {});

  // A half-filled complaint form, one per member of staff, kept across a lock.
  Result<void> save_draft(std::string_view staff_id, std::string_view body);
  Result<std::optional<std::string>> load_draft(std::string_view staff_id);
  Result<void> delete_draft(std::string_view staff_id);

  // This device's complaints from the customer with this email (any case, any
  // surrounding spaces) or phone (any UK spelling), newest first, also those whose
  // contact details were erased after delivery; and the notes added to one later.
  Result<std::vector<PastComplaint>> past_complaints_by_customer(const std::optional<std::string>& email,
                                                                 const std::optional<std::string>& phone);
  Result<std::vector<ComplaintUpdate>> updates_of(std::string_view complaint_id);
  // This device's complaints whose reference has this key (reference_key: upper
  // case, no dashes), newest first, also after their bodies were erased.
  Result<std::vector<PastComplaint>> past_complaints_by_reference(std::string_view key);

  // The next value of a named per-device counter (1, 2, ...), durable on return.
  Result<std::uint64_t> next_sequence(std::string_view name);

  // Small named values the device keeps (its id, later its enrollment).
  Result<std::optional<std::string>> setting(std::string_view key);
  Result<void> set_setting(std::string_view key, std::string_view value);
  // The id this device writes on its records: made once ("dev-" and a UUID) and
  // kept; enrollment may replace it with the server's.
  Result<std::string> device_id();

  std::optional<Record> load_record(std::string_view id);
  Result<std::optional<OutboxEntry>> outbox_entry(std::string_view record_id);

  // Up to max_records pending entries due at now_ms, oldest first, whose bodies
  // add up to at most max_bytes (at least one entry is returned if any is due),
  // moved to in_flight with attempts + 1.
  Result<std::vector<OutboxEntry>> claim_batch(std::size_t max_records, std::size_t max_bytes, std::int64_t now_ms);
  // Pending entries oldest first, without changing them.
  Result<std::vector<OutboxEntry>> pending_entries(std::size_t max_records);

  // Outcomes of a delivery attempt, for in-flight entries.
  Result<void> mark_delivered(std::span<const std::string> record_ids);
  // mark_delivered for a batch by delivery order (OutboxEntry::seq), in one
  // statement; with erase_now the bodies are erased in the same transaction.
  // not_found (and nothing changed) when any entry is not pending or in flight.
  Result<void> settle_delivered(std::span<const std::int64_t> seqs, bool erase_now);
  Result<void> mark_retry(std::span<const std::string> record_ids, std::string_view error,
                          std::int64_t next_attempt_ms);
  Result<void> quarantine(std::string_view record_id, std::string_view reason);
  // A person decided a quarantined record should be tried again.
  Result<void> requeue(std::string_view record_id);
  // Every quarantined record back to pending; returns how many.
  Result<std::int64_t> requeue_all_quarantined();
  // Quarantined entries oldest first; last_error holds the server's reason.
  Result<std::vector<OutboxEntry>> quarantined_entries(std::size_t max_records);

  // Erases the body of every record delivered at or before this time (Unix ms),
  // keeping its id, type and outbox state; returns how many were erased. An
  // erased record no longer loads, and saving its id again is a conflict.
  Result<std::int64_t> erase_delivered(std::int64_t delivered_before_ms);
  // Whether this record's personal data has been erased (not_found: no such record).
  Result<bool> is_erased(std::string_view record_id);

  Result<OutboxStats> outbox_stats();

  // Copies the write-ahead log into the database without blocking writers.
  // Call it when the device is idle (no save for a second or so): otherwise
  // SQLite's automatic checkpoint runs inside every ~200th save and adds two
  // flushes to that customer's wait.
  Result<void> checkpoint();

 private:
  struct Impl;
  explicit DeviceStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace heed
