// heed_crash_writer: the child process of the crash-safety test.
//
//   heed_crash_writer DATABASE SEED FD
//
// Opens a DeviceStore on DATABASE, writes "ready\n" to file descriptor FD (a
// pipe to the test; standard output carries the store's log), then
// loops until it is killed: it saves valid Feedback, Complaint and
// ComplaintUpdate records (mostly one at a time with save(), sometimes a few
// with save_all(), sometimes the same record again), and in between claims
// outbox batches and settles some of them (delivered or retry), so entries are
// in flight at the moment of the kill. Only after save()/save_all() returned Ok
// does it write each record's id and '\n' to FD with write(2):
// every id the parent reads is a save that had returned.
// Any failure is printed to standard error and ends the process with status 1,
// which the test reports (it expects death by SIGKILL only).
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "heed/device_store.hpp"
#include "heed/model.hpp"
#include "heed/reference.hpp"
#include "heed/time.hpp"

namespace {

constexpr std::string_view kStoreId = "MCR-01";
constexpr std::string_view kStoreCode = "MCR";
constexpr std::string_view kDeviceCode = "K2";
constexpr std::string_view kDeviceId = "device-mcr-k2";

[[noreturn]] void fail(std::string_view what, const heed::Error& error) {
  std::fprintf(stderr, "heed_crash_writer: %.*s failed: %s\n", static_cast<int>(what.size()), what.data(),
               error.message.c_str());
  std::exit(1);
}

int report_fd = -1;

// Writes all of `text` to the test's pipe, unbuffered.
void emit(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(report_fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      std::perror("heed_crash_writer: write");
      std::exit(1);
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

class RecordMaker {
 public:
  RecordMaker(heed::DeviceStore& store, std::uint64_t seed) : store_(store), rng_(seed) {}

  heed::Record next() {
    const int pick = uniform(0, 99);
    if (pick < 60) return feedback();
    if (pick < 85 || complaint_ids_.empty()) return complaint();
    return update();
  }

  void remember(const heed::Record& record) {
    if (heed::type_of(record) == heed::RecordType::complaint) complaint_ids_.push_back(heed::header_of(record).id);
  }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return uniform(0, 99) < percent; }

 private:
  heed::RecordHeader header() {
    return heed::RecordHeader{heed::new_uuid_v4(), std::string(kStoreId), std::string(kDeviceId), heed::now_utc()};
  }

  heed::Contact contact() {
    heed::Contact c;
    c.name = "Alex Example";
    if (chance(50))
      c.email = "alex" + std::to_string(uniform(1, 999)) + "@example.com";
    else
      c.phone = "+447700900" + std::to_string(uniform(100, 999));
    c.consent = true;
    c.notice_version = "2026-01";
    return c;
  }

  heed::Record feedback() {
    heed::Feedback f;
    f.header = header();
    if (chance(80)) f.csat = uniform(1, 5);
    if (!f.csat || chance(50)) f.nps = uniform(0, 10);
    if (chance(60))
      f.comment = "Queue at checkout " + std::to_string(uniform(1, 40)) +
                  " minutes; staff were friendly but the card reader failed twice.";
    f.language = chance(80) ? "en" : "cy";
    f.touchpoint = chance(50) ? "checkout" : "returns";
    if (chance(30)) f.contact = contact();
    return f;
  }

  heed::Record complaint() {
    heed::Complaint c;
    c.header = header();
    auto sequence = store_.next_sequence("reference");
    if (!sequence.ok()) fail("next_sequence", sequence.error());
    c.reference = heed::make_reference(kStoreCode, kDeviceCode, sequence.value());
    c.staff_id = "S" + std::to_string(uniform(100, 999));
    c.channel = heed::Channel::face_to_face;
    c.touchpoint = "customer_service";
    c.category = chance(50) ? heed::Category::faulty_goods : heed::Category::service;
    c.severity = static_cast<heed::Severity>(uniform(0, 2));
    c.description =
        "The kettle bought last week stopped working after two days; the customer "
        "wants it sorted today.";
    c.customer_mood = static_cast<heed::CustomerMood>(uniform(0, 4));
    c.desired_outcome = heed::DesiredOutcome::replacement;
    c.offered = {heed::Offer::apology, heed::Offer::replacement};
    c.goodwill_pence = 0;
    if (chance(50)) {
      c.purchase = heed::Purchase{heed::PurchaseKind::goods, heed::utc_date(heed::now_utc()), uniform(100, 20000),
                                  std::string("ORD-") + std::to_string(uniform(1000, 9999))};
    }
    c.resolved_first_contact = chance(60);
    if (c.resolved_first_contact) {
      c.customer_accepted = true;
    } else {
      c.escalation = heed::Escalation{heed::EscalationTarget::store_manager,
                                      "Second faulty kettle this month after reviewing the history.", true};
    }
    if (chance(50)) c.customer = contact();
    return c;
  }

  heed::Record update() {
    heed::ComplaintUpdate u;
    u.header = header();
    u.complaint_id = complaint_ids_[static_cast<std::size_t>(uniform(0, static_cast<int>(complaint_ids_.size()) - 1))];
    u.staff_id = "S" + std::to_string(uniform(100, 999));
    u.note = "Called the customer back; replacement arranged for collection.";
    return u;
  }

  heed::DeviceStore& store_;
  std::mt19937_64 rng_;
  std::vector<std::string> complaint_ids_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: heed_crash_writer DATABASE SEED FD\n");
    return 2;
  }
  report_fd = std::atoi(argv[3]);
  auto opened = heed::DeviceStore::open(argv[1]);
  if (!opened.ok()) fail("open", opened.error());
  heed::DeviceStore store = std::move(opened).value();
  emit("ready\n");

  RecordMaker maker(store, std::strtoull(argv[2], nullptr, 10));
  std::vector<std::string> in_flight;  // claimed by this process, not yet settled
  std::optional<heed::Record> last_saved;

  for (;;) {
    const int op = maker.uniform(0, 99);
    if (op < 78) {  // one record
      heed::Record record = maker.next();
      if (auto saved = store.save(record); !saved.ok()) fail("save", saved.error());
      emit(heed::header_of(record).id + "\n");
      maker.remember(record);
      last_saved = std::move(record);
    } else if (op < 83) {  // a few records in one transaction
      std::vector<heed::Record> records;
      const int count = maker.uniform(2, 4);
      for (int i = 0; i < count; ++i) records.push_back(maker.next());
      if (auto saved = store.save_all(records); !saved.ok()) fail("save_all", saved.error());
      std::string ids;
      for (const auto& record : records) {
        ids += heed::header_of(record).id + "\n";
        maker.remember(record);
      }
      emit(ids);
    } else if (op < 86) {  // the same record again: a no-op, never a duplicate
      if (last_saved) {
        if (auto saved = store.save(*last_saved); !saved.ok()) fail("save again", saved.error());
      }
    } else if (op < 93) {  // claim a batch for delivery
      auto batch = store.claim_batch(static_cast<std::size_t>(maker.uniform(1, 20)), 256 * 1024, heed::unix_ms_now());
      if (!batch.ok()) fail("claim_batch", batch.error());
      for (const auto& entry : batch.value()) in_flight.push_back(entry.record_id);
    } else if (!in_flight.empty()) {  // settle what is in flight: some delivered, some retried
      const auto split = static_cast<std::size_t>(maker.uniform(0, static_cast<int>(in_flight.size())));
      const std::vector<std::string> delivered(in_flight.begin(),
                                               in_flight.begin() + static_cast<std::ptrdiff_t>(split));
      const std::vector<std::string> retried(in_flight.begin() + static_cast<std::ptrdiff_t>(split), in_flight.end());
      if (!delivered.empty()) {
        if (auto marked = store.mark_delivered(delivered); !marked.ok()) fail("mark_delivered", marked.error());
      }
      if (!retried.empty()) {
        auto marked = store.mark_retry(retried, "crash test: simulated timeout", heed::unix_ms_now());
        if (!marked.ok()) fail("mark_retry", marked.error());
      }
      in_flight.clear();
    }
  }
}
