// A customer's earlier complaints for the staff tablet: from this device's
// store (always local only), and a server source that falls back to it.
#include <doctest/doctest.h>

#include <memory>

#include "heed/complaint_form.hpp"
#include "heed/customer_history.hpp"
#include "heed/device_store.hpp"
#include "heed/reference.hpp"
#include "heed/secrets.hpp"
#include "temp_dir.hpp"

using namespace heed;

namespace {

ComplaintFormSettings settings(DeviceStore& store) {
  return {"MCR-01", store.device_id().value(), 2000, {}, "2026-01"};
}

// Saves a complaint from the customer with this email and phone.
Complaint save_complaint(DeviceStore& store, std::string_view created, bool resolved, std::uint64_t sequence,
                         std::string email, std::string phone) {
  ComplaintForm form(settings(store), "S1042", *parse_timestamp(created));
  auto& d = form.edit();
  d.category = resolved ? Category::delivery : Category::faulty_goods;
  d.severity = Severity::low;
  d.description = "Something went wrong.";
  d.touchpoint = "checkout";
  d.mood = CustomerMood::calm;
  d.desired_outcome = DesiredOutcome::apology;
  d.offered = {Offer::apology};
  d.resolved_first_contact = resolved;
  if (resolved) d.customer_accepted = true;
  d.history_opened = !resolved;
  if (!resolved) d.escalation_target = EscalationTarget::head_office;
  if (!resolved) d.rationale = "Third time this month: head office should look.";
  d.consent = true;
  d.email = std::move(email);
  d.phone = std::move(phone);
  auto built = form.build(make_reference("MCR", "T2", sequence));
  REQUIRE_MESSAGE(built.ok(), (built.ok() ? "" : built.error().front().field + ": " + built.error().front().message));
  REQUIRE(store.save(Record{built.value()}).ok());
  return built.value();
}

// A source that always fails with `code`, or answers with one complaint from the server.
class FakeServer final : public CustomerHistoryLookup {
 public:
  explicit FakeServer(std::optional<Errc> failure) : failure_(failure) {}
  Result<CustomerHistory> find(const CustomerQuery& query, std::chrono::milliseconds timeout) override {
    last_timeout = timeout;
    last_query = query;
    ++asked;
    if (failure_) return make_error(*failure_, "no answer");
    PastComplaint c;
    c.id = new_uuid_v4();
    c.reference = "LDS-K4-2345X";
    c.open = true;
    return CustomerHistory{HistorySource::server, {c}, {}};
  }
  std::chrono::milliseconds last_timeout{0};
  CustomerQuery last_query;
  int asked = 0;

 private:
  std::optional<Errc> failure_;
};

}  // namespace

TEST_CASE("local history: this device's complaints by email or phone, newest first, local only") {
  heed::test::TempDir dir;
  auto store = DeviceStore::open(dir / "device.db").value();
  const auto resolved = save_complaint(store, "2026-10-01T09:00:00Z", true, 1, "ffion@example.co.uk", "");
  const auto open = save_complaint(store, "2026-11-01T09:00:00Z", false, 2, "", "07700 900123");
  save_complaint(store, "2026-11-02T09:00:00Z", true, 3, "someone@example.com", "");

  LocalCustomerHistory local(store);
  auto found = local.find({"FFION@example.co.uk", "+44 7700 900123"}, std::chrono::milliseconds(500));
  REQUIRE(found.ok());
  CHECK(found->source == HistorySource::local_only);
  REQUIRE(found->complaints.size() == 2);
  CHECK(found->complaints[0] == past_complaint_of(open));
  CHECK(found->complaints[1] == past_complaint_of(resolved));
  CHECK(found->complaints[0].open);
  CHECK(found->complaints[0].escalated_to == EscalationTarget::head_office);
  CHECK_FALSE(found->complaints[1].open);
  CHECK(found->complaints[1].offered == std::vector<Offer>{Offer::apology});
  CHECK(found->complaints[1].reference == resolved.reference);

  auto nobody = local.find({"nobody@example.com", std::nullopt}, std::chrono::milliseconds(500));
  REQUIRE(nobody.ok());
  CHECK(nobody->complaints.empty());

  auto blank = local.find({"  ", ""}, std::chrono::milliseconds(500));
  REQUIRE_FALSE(blank.ok());
  CHECK(blank.error().code == Errc::invalid);
}

TEST_CASE("history with fallback: the server's answer when it gives one, else local only") {
  heed::test::TempDir dir;
  auto store = DeviceStore::open(dir / "device.db").value();
  save_complaint(store, "2026-11-01T09:00:00Z", false, 1, "ffion@example.co.uk", "");
  auto local = std::make_shared<LocalCustomerHistory>(store);
  const CustomerQuery query{"ffion@example.co.uk", std::nullopt};

  auto up = std::make_shared<FakeServer>(std::nullopt);
  auto answer = HistoryWithFallback(up, local).find(query, std::chrono::milliseconds(1500));
  REQUIRE(answer.ok());
  CHECK(answer->source == HistorySource::server);
  REQUIRE(answer->complaints.size() == 1);
  CHECK(answer->complaints[0].reference == "LDS-K4-2345X");
  CHECK(up->last_timeout == std::chrono::milliseconds(1500));

  auto down = std::make_shared<FakeServer>(Errc::io);
  auto offline = HistoryWithFallback(down, local).find(query, std::chrono::milliseconds(1500));
  REQUIRE(offline.ok());
  CHECK(offline->source == HistorySource::local_only);
  CHECK(offline->complaints.size() == 1);

  // A query the server calls bad is bad locally too: no silent fallback.
  auto refused = std::make_shared<FakeServer>(Errc::invalid);
  auto bad = HistoryWithFallback(refused, local).find(query, std::chrono::milliseconds(1500));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::invalid);

  // No server wired in: local only.
  auto alone = HistoryWithFallback(nullptr, local).find(query, std::chrono::milliseconds(1500));
  REQUIRE(alone.ok());
  CHECK(alone->source == HistorySource::local_only);
}

TEST_CASE("a complaint by the reference the customer quotes: found, mistyped, not one, or none with it") {
  heed::test::TempDir dir;
  auto store = DeviceStore::open(dir / "device.db").value();
  const auto mine = save_complaint(store, "2026-11-01T09:00:00Z", false, 5, "ffion@example.co.uk", "");
  save_complaint(store, "2026-11-02T09:00:00Z", true, 6, "someone@example.com", "");
  LocalCustomerHistory local(store);
  const auto timeout = std::chrono::milliseconds(500);

  std::string typed;  // as read out: lower case, spaces, no dashes
  for (char c : mine.reference)
    if (c != '-') typed += std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c)))) + " ";
  auto found = find_by_reference(local, typed, timeout);
  CHECK(found.outcome == ReferenceOutcome::found);
  REQUIRE(found.found);
  CHECK(found.found->source == HistorySource::local_only);
  REQUIRE(found.found->complaints.size() == 1);
  CHECK(found.found->complaints[0] == past_complaint_of(mine));

  auto none = find_by_reference(local, make_reference("MCR", "T2", 99), timeout);
  CHECK(none.outcome == ReferenceOutcome::not_found);
  REQUIRE(none.found);
  CHECK(none.found->complaints.empty());

  // Mistyped or not a reference at all: said at once, and the server is not asked.
  auto server = std::make_shared<FakeServer>(std::nullopt);
  std::string slip = mine.reference;
  slip[3 + 1 + 2 + 1] = slip[7] == 'X' ? 'Y' : 'X';
  CHECK(find_by_reference(*server, slip, timeout).outcome == ReferenceOutcome::wrong_check);
  CHECK(find_by_reference(*server, "MCR-T2", timeout).outcome == ReferenceOutcome::not_a_reference);
  CHECK(find_by_reference(*server, "  ", timeout).outcome == ReferenceOutcome::empty);
  CHECK(server->asked == 0);
  // A good one goes by its key; a failing source says why.
  CHECK(find_by_reference(*server, mine.reference, timeout).outcome == ReferenceOutcome::found);
  CHECK(server->last_query.reference_key == reference_key(mine.reference));
  FakeServer down(Errc::io);
  const auto failed = find_by_reference(down, mine.reference, timeout);
  CHECK(failed.outcome == ReferenceOutcome::failed);
  CHECK(failed.error == "no answer");
  // A reference key that is empty is a bad query, not "everything".
  CustomerQuery blank;
  blank.reference_key = "";
  CHECK(local.find(blank, timeout).error().code == Errc::invalid);
}
