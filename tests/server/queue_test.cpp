// Head office's queue and finding a case, over the real server: GET
// /api/v1/cases (every tab against Workflow::status, every filter, the order,
// cursor paging while cases change, the tabs' counts, the caller's scope) and
// GET /api/v1/cases/find (by reference, email, phone and record id, in scope,
// contact searches only for users who work cases and each one audited).
//
// Cases are opened the way stores open them (records posted by enrolled
// devices); a test then puts a case in the state it needs through the real
// storage's update_case, as the workflow's mutators do.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <random>
#include <set>

#include "heed/sqlite.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Queue {
  TestClock clock{"2026-11-23T10:00:00Z"};
  TestServer s{&clock};
  httplib::Client c = s.client();
  std::map<std::string, std::string> devices;  // store -> device token
  std::uint64_t sequence = 100;
  int emails = 0;

  std::string device(const std::string& store) {
    auto& token = devices[store];
    if (token.empty()) token = s.enroll_device(store);
    return token;
  }

  std::int64_t case_id(const std::string& record_id) {
    const json found = case_of(s, record_id);
    REQUIRE(found.is_object());
    return found["id"].get<std::int64_t>();
  }

  // An escalated complaint at `store`, made an hour ago; its case's id.
  std::int64_t complaint(const std::string& store, Severity severity = Severity::medium, Complaint* made = nullptr) {
    Complaint k = test::escalated_complaint();
    k.header = test::header();
    k.header.store_id = store;
    k.header.created_at = clock.now() - 1h;
    k.reference = make_reference("MCR", "K2", ++sequence);
    k.severity = severity;
    k.customer->email = fmt::format("customer{}@example.co.uk", ++emails);
    k.customer->phone = fmt::format("07700 900{:03}", emails);
    int status = 0;
    const json answer = post_records(c, device(store), {k}, &status);
    REQUIRE(status == 200);
    REQUIRE(answer["accepted"].size() == 1);
    if (made) *made = k;
    return case_id(k.header.id);
  }

  // Feedback asking for a call-back at `store` (good scores: low priority).
  std::int64_t callback(const std::string& store) {
    Feedback f = test::feedback();
    f.header.store_id = store;
    f.header.created_at = clock.now() - 1h;
    f.nps = 7;
    f.csat = 4;
    f.contact = test::contact();
    REQUIRE(post_records(c, device(store), {f})["accepted"].size() == 1);
    return case_id(f.header.id);
  }

  void change(std::int64_t id, const std::function<void(server::CaseRow&)>& how) {
    REQUIRE(s.server->storage().update_case(id, [&](server::CaseRow& row) -> Result<server::CaseChange> {
      how(row);
      return server::CaseChange{};
    }));
  }

  // A user signed in with this role and scope ("chain", "area:<id>", "store:<id>").
  // A scope naming an area the rules do not have (one case tested) cannot be
  // given through the API, which checks areas: storage takes it as it is.
  std::string user(const std::string& name, server::Role role, const std::string& scope) {
    const server::Scope parsed = server::parse_scope(scope).value();
    if (parsed.kind != server::Scope::Kind::area || s.server->workflow().rules().area(parsed.id))
      return s.sign_in(name, role, parsed);
    const std::string token = s.sign_in(name, role);
    server::UserChange change;
    change.scope = parsed;
    REQUIRE(s.server->storage().update_user(name, change, s.now()));
    return token;
  }

  json get(const std::string& path, const std::string& token, int expect = 200) {
    int status = 0;
    json body = get_json(c, path, token, &status);
    CAPTURE(path);
    CAPTURE(body.dump());
    CHECK(status == expect);
    return body;
  }

  // The ids of a list answer's cases, in order.
  static std::vector<std::int64_t> ids(const json& answer) {
    std::vector<std::int64_t> out;
    for (const auto& c : answer["cases"]) out.push_back(c["id"].get<std::int64_t>());
    return out;
  }
  static std::set<std::int64_t> id_set(const json& answer) {
    const auto list = ids(answer);
    return {list.begin(), list.end()};
  }
};

// Percent-encodes a query value.
std::string url(const std::string& text) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_')
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
  return out;
}

// The field a 400 names.
std::string refused_field(const json& body) {
  if (!body.contains("fields") || body["fields"].empty()) return "";
  return body["fields"][0]["field"].get<std::string>();
}

}  // namespace

TEST_CASE(
    "queue: each tab lists exactly the cases of that status (open takes in breached and awaiting) and counts every "
    "tab") {
  Queue q;
  auto manager = q.user("head", server::Role::manager, "chain");
  const Timestamp now = q.clock.now();
  std::map<std::int64_t, std::string> expected;

  const auto open = q.complaint("MCR-01");
  q.change(open, [&](auto& c) {
    c.ack_due = now + 2h;
    c.resolve_due = now + 48h;
  });
  expected[open] = "open";
  const auto ack_late = q.complaint("MCR-01");
  q.change(ack_late, [&](auto& c) { c.ack_due = now - 1h; });
  expected[ack_late] = "breached";
  const auto resolve_late = q.complaint("MCR-02");
  q.change(resolve_late, [&](auto& c) {
    c.acked_at = now - 5h;
    c.resolve_due = now - 1h;
  });
  expected[resolve_late] = "breached";
  // Waiting on the customer: the resolution deadline does not run, so it is
  // awaiting even past it; an acknowledgement overdue still breaches.
  const auto waiting = q.complaint("MCR-02");
  q.change(waiting, [&](auto& c) {
    c.acked_at = now - 5h;
    c.waiting_since = now - 3h;
    c.resolve_due = now - 1h;
  });
  expected[waiting] = "awaiting_customer";
  const auto waiting_unacked = q.complaint("LIV-01");
  q.change(waiting_unacked, [&](auto& c) {
    c.ack_due = now - 1h;
    c.waiting_since = now - 3h;
  });
  expected[waiting_unacked] = "breached";
  const auto scheduled = q.complaint("LIV-01");
  q.change(scheduled, [&](auto& c) {
    c.opens_at = now + 72h;
    c.ack_due.reset();
    c.resolve_due = now + 100h;
  });
  expected[scheduled] = "scheduled";
  const auto closed = q.complaint("LON-01");
  q.change(closed, [&](auto& c) {
    c.acked_at = now - 1h;
    c.resolved_at = now - 30min;
  });
  expected[closed] = "closed";

  std::map<std::string, std::set<std::int64_t>> want;
  for (const auto& [id, status] : expected) {
    want[status].insert(id);
    if (status == "breached" || status == "awaiting_customer" || status == "open") want["open_tab"].insert(id);
    want["all"].insert(id);
  }
  const json by_default = q.get("/api/v1/cases", manager);
  CHECK(Queue::id_set(by_default) == want["open_tab"]);
  for (const auto& c : by_default["cases"]) CHECK(c["status"] == expected[c["id"].get<std::int64_t>()]);
  for (const std::string tab : {"open", "breached", "awaiting_customer", "scheduled", "closed", "all"}) {
    CAPTURE(tab);
    const json answer = q.get("/api/v1/cases?status=" + tab, manager);
    CHECK(Queue::id_set(answer) == want[tab == "open" ? "open_tab" : tab]);
    for (const auto& c : answer["cases"]) {
      if (tab != "open" && tab != "all") CHECK(c["status"] == tab);
      CHECK(c["status"] == expected[c["id"].get<std::int64_t>()]);
    }
    const json counts = answer["counts"];
    CHECK(counts["open"] == want["open_tab"].size());
    CHECK(counts["breached"] == want["breached"].size());
    CHECK(counts["awaiting_customer"] == want["awaiting_customer"].size());
    CHECK(counts["scheduled"] == want["scheduled"].size());
    CHECK(counts["closed"] == want["closed"].size());
    CHECK(answer["counts_capped"] == json::array());
    CHECK(answer["next_cursor"].is_null());
  }

  // Time moves on (past the session's life: sign in again): the scheduled
  // follow-up opens, the open case breaches.
  q.clock.set(now + 80h);
  manager = q.user("head", server::Role::manager, "chain");
  const json later = q.get("/api/v1/cases?status=breached", manager);
  CHECK(Queue::id_set(later).count(open) == 1);
  CHECK(Queue::id_set(q.get("/api/v1/cases?status=scheduled", manager)).empty());
  CHECK(Queue::id_set(q.get("/api/v1/cases", manager)).count(scheduled) == 1);
}

TEST_CASE("queue: ordered by the next deadline then id, cases without one last; closed latest resolved first") {
  Queue q;
  const auto manager = q.user("head", server::Role::manager, "chain");
  const Timestamp now = q.clock.now();
  std::vector<std::int64_t> made;
  for (int i = 0; i < 6; ++i) made.push_back(q.complaint("MCR-01"));
  // Deadlines: made[0] +5h, made[1] +1h (ack), made[2] and made[3] the same +3h,
  // made[4] waiting (no deadline), made[5] -2h (breached).
  q.change(made[0], [&](auto& c) {
    c.acked_at = now - 1h;
    c.resolve_due = now + 5h;
  });
  q.change(made[1], [&](auto& c) {
    c.ack_due = now + 1h;
    c.resolve_due = now + 50h;
  });
  q.change(made[2], [&](auto& c) {
    c.acked_at = now - 1h;
    c.resolve_due = now + 3h;
  });
  q.change(made[3], [&](auto& c) {
    c.acked_at = now - 1h;
    c.resolve_due = now + 3h;
  });
  q.change(made[4], [&](auto& c) {
    c.acked_at = now - 1h;
    c.waiting_since = now - 1h;
  });
  q.change(made[5], [&](auto& c) { c.ack_due = now - 2h; });
  const json answer = q.get("/api/v1/cases", manager);
  CHECK(Queue::ids(answer) == std::vector{made[5], made[1], made[2], made[3], made[0], made[4]});

  q.change(made[0], [&](auto& c) { c.resolved_at = now - 3h; });
  q.change(made[2], [&](auto& c) { c.resolved_at = now - 1h; });
  q.change(made[3], [&](auto& c) { c.resolved_at = now - 1h; });
  q.change(made[1], [&](auto& c) { c.resolved_at = now - 2h; });
  CHECK(Queue::ids(q.get("/api/v1/cases?status=closed", manager)) == std::vector{made[3], made[2], made[1], made[0]});
}

TEST_CASE("queue: every filter narrows the list and the counts alike") {
  Queue q;
  const auto alice = q.user("alice", server::Role::agent, "chain");
  const Timestamp now = q.clock.now();
  Complaint made;
  const auto high = q.complaint("MCR-01", Severity::high, &made);
  const auto low_london = q.complaint("LON-01", Severity::low);
  const auto medium_liv = q.complaint("LIV-01");
  const auto callback = q.callback("MCR-02");
  q.change(high, [&](auto& c) {
    c.assignee = "alice";
    c.repeat = true;
    c.level = 2;
    c.ack_due = now + 1h;
  });
  q.change(low_london, [&](auto& c) {
    c.assignee = "bob";
    c.ack_due = now + 30h;
    c.level = 0;
  });
  q.change(medium_liv, [&](auto& c) {
    c.ack_due = now + 10h;
    c.level = 0;
  });
  q.change(callback, [&](auto& c) {
    c.ack_due = now + 20h;
    c.level = 0;
  });
  // A closed case matching most filters, for the closed count.
  const auto closed_high = q.complaint("MCR-01", Severity::high);
  q.change(closed_high, [&](auto& c) {
    c.resolved_at = now;
    c.level = 2;
  });

  struct Filter {
    std::string query;
    std::set<std::int64_t> open;
    int closed;
  };
  const std::string reference = made.reference;  // "MCR-K2-...": typed in part, any case, with spaces
  const std::string part = reference.substr(8, 2) + " " + reference.substr(10);
  std::string part_lower = part;
  for (auto& ch : part_lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::vector<Filter> filters{
      {"type=complaint", {high, low_london, medium_liv}, 1},
      {"type=callback", {callback}, 0},
      {"store_id=MCR-01", {high}, 1},
      {"area=north_west", {high, medium_liv, callback}, 1},
      {"area=london", {low_london}, 0},
      {"level=head_office", {high}, 1},
      {"level=store", {low_london, medium_liv, callback}, 0},
      {"severity=high", {high}, 1},
      {"severity=low", {low_london, callback}, 0},
      {"repeat=true", {high}, 0},
      {"repeat=false", {low_london, medium_liv, callback}, 1},
      {"assignee=me", {high}, 0},
      {"assignee=BOB", {low_london}, 0},
      {"assignee=unassigned", {medium_liv, callback}, 1},
      {"due_before=2026-11-23T21:00:00Z", {high, medium_liv}, 0},
      {"due_before=2026-11-24", {high, medium_liv}, 0},  // the start of that day in London
      {"q=" + url(part_lower), {high}, 0},
      {"q=" + reference, {high}, 0},
      {"area=north_west&severity=high&assignee=me", {high}, 0},
      {"store_id=LON-01&area=north_west", {}, 0},
  };
  for (const auto& f : filters) {
    CAPTURE(f.query);
    const json answer = q.get("/api/v1/cases?" + f.query, alice);
    CHECK(Queue::id_set(answer) == f.open);
    CHECK(answer["counts"]["open"] == f.open.size());
    CHECK(answer["counts"]["closed"] == f.closed);
  }
}

TEST_CASE("queue: a bad filter, limit or cursor is a 400 naming it") {
  Queue q;
  const auto manager = q.user("head", server::Role::manager, "chain");
  q.complaint("MCR-01");
  q.complaint("MCR-01");
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"status=pending", "status"},
           {"type=letter", "type"},
           {"store_id=mcr%2001", "store_id"},
           {"area=atlantis", "area"},
           {"level=board", "level"},
           {"severity=urgent", "severity"},
           {"repeat=yes", "repeat"},
           {"assignee=a%20b", "assignee"},
           {"due_before=tomorrow", "due_before"},
           {"due_before=2026-02-30", "due_before"},
           {"q=--", "q"},
           {"q=K2", "q"},
           {"q=K2%22", "q"},
           {"limit=0", "limit"},
           {"limit=201", "limit"},
           {"limit=ten", "limit"},
           {"cursor=abc", "cursor"},
       }) {
    CAPTURE(query);
    const json body = q.get("/api/v1/cases?" + query, manager, 400);
    CHECK(body["error"] == "invalid_request");
    CHECK(refused_field(body) == field);
  }
  // A cursor edited by a character, or given to another tab, is refused.
  const json first = q.get("/api/v1/cases?limit=1", manager);
  std::string cursor = first["next_cursor"].get<std::string>();
  CHECK(q.get("/api/v1/cases?limit=1&cursor=" + cursor, manager)["cases"].size() == 1);
  CHECK(refused_field(q.get("/api/v1/cases?status=closed&cursor=" + cursor, manager, 400)) == "cursor");
  for (std::size_t i = 0; i < cursor.size(); i += 7) {
    std::string edited = cursor;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    CAPTURE(edited);
    CHECK(refused_field(q.get("/api/v1/cases?limit=1&cursor=" + edited, manager, 400)) == "cursor");
  }
}

TEST_CASE("queue: cursor paging sees every case once while cases open and close between pages") {
  Queue q;
  const auto manager = q.user("head", server::Role::manager, "chain");
  const Timestamp now = q.clock.now();
  std::vector<std::int64_t> made;
  for (int i = 0; i < 23; ++i) {
    made.push_back(q.complaint(i % 2 ? "MCR-01" : "LON-01"));
    // Pairs share a deadline, so the id breaks ties across page ends.
    q.change(made.back(), [&](auto& c) { c.ack_due = now + std::chrono::hours(1 + i / 2); });
  }
  std::set<std::int64_t> resolved_on_the_way;
  std::vector<std::int64_t> seen;
  std::string cursor;
  int pages = 0;
  do {
    const json page = q.get("/api/v1/cases?limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor), manager);
    for (auto id : Queue::ids(page)) seen.push_back(id);
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
    ++pages;
    // Between pages a case opens (its deadline later than all) and one closes.
    const auto fresh = q.complaint("MCR-02");
    q.change(fresh, [&](auto& c) { c.ack_due = now + 100h + std::chrono::minutes(pages); });
    const auto gone = made[static_cast<std::size_t>(pages * 3 % made.size())];
    q.change(gone, [&](auto& c) { c.resolved_at = now; });
    resolved_on_the_way.insert(gone);
  } while (!cursor.empty() && pages < 50);
  CHECK(pages < 50);
  const std::set<std::int64_t> unique(seen.begin(), seen.end());
  CHECK(unique.size() == seen.size());  // none twice
  for (auto id : made)
    if (!resolved_on_the_way.count(id)) CHECK(unique.count(id) == 1);  // none missed

  // The closed tab pages too, latest resolution first.
  std::vector<std::int64_t> closed;
  cursor.clear();
  do {
    const json page =
        q.get("/api/v1/cases?status=closed&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), manager);
    for (auto id : Queue::ids(page)) closed.push_back(id);
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
  } while (!cursor.empty());
  CHECK(std::set<std::int64_t>(closed.begin(), closed.end()) == resolved_on_the_way);
  CHECK(closed.size() == resolved_on_the_way.size());
}

TEST_CASE("queue: every answer is the caller's scope; a filter outside it is an empty list") {
  Queue q;
  const auto mcr = q.complaint("MCR-01");
  const auto liv = q.complaint("LIV-01");
  const auto lon = q.complaint("LON-01");
  const auto lon_closed = q.complaint("LON-02");
  q.change(lon_closed, [&](auto& c) { c.resolved_at = q.clock.now(); });
  const auto chain = q.user("head", server::Role::manager, "chain");
  const auto north = q.user("nora", server::Role::manager, "area:north_west");
  const auto store = q.user("sam", server::Role::agent, "store:MCR-01");
  const auto london_admin = q.user("adam", server::Role::admin, "area:london");
  const auto nowhere = q.user("nobody", server::Role::manager, "area:atlantis");

  CHECK(Queue::id_set(q.get("/api/v1/cases", chain)) == std::set{mcr, liv, lon});
  CHECK(Queue::id_set(q.get("/api/v1/cases", north)) == std::set{mcr, liv});
  CHECK(Queue::id_set(q.get("/api/v1/cases", store)) == std::set{mcr});
  CHECK(Queue::id_set(q.get("/api/v1/cases?status=all", london_admin)) == std::set{lon, lon_closed});
  const json none = q.get("/api/v1/cases?status=all", nowhere);
  CHECK(none["cases"].empty());
  for (const char* tab : {"open", "breached", "awaiting_customer", "scheduled", "closed"})
    CHECK(none["counts"][tab] == 0);

  // Filters naming others' stores or areas give nothing of theirs.
  CHECK(q.get("/api/v1/cases?store_id=LON-01", north)["cases"].empty());
  CHECK(q.get("/api/v1/cases?area=london", store)["cases"].empty());
  CHECK(q.get("/api/v1/cases?area=london&status=closed", north)["counts"]["closed"] == 0);
  CHECK(Queue::id_set(q.get("/api/v1/cases?area=north_west", store)) == std::set{mcr});
  const json counts = q.get("/api/v1/cases", north)["counts"];
  CHECK(counts["open"] == 2);
  CHECK(counts["closed"] == 0);
  CHECK(q.get("/api/v1/cases?status=closed", london_admin)["counts"]["closed"] == 1);
}

TEST_CASE("find a case: by reference typed loosely, email, phone or record id, in scope, newest first") {
  Queue q;
  Complaint first, second, elsewhere;
  const auto first_id = q.complaint("MCR-01", Severity::medium, &first);
  q.clock.set(q.clock.now() + 1h);
  const auto second_id = q.complaint("MCR-02", Severity::high, &second);
  const auto elsewhere_id = q.complaint("LON-01", Severity::medium, &elsewhere);
  const auto agent = q.user("nora", server::Role::agent, "area:north_west");
  const auto admin = q.user("adam", server::Role::admin, "chain");

  // Reference: any case, spaces for dashes; a slip in the check character is a 400.
  std::string typed = first.reference;
  std::replace(typed.begin(), typed.end(), '-', ' ');
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  CHECK(Queue::ids(q.get("/api/v1/cases/find?reference=" + url(typed), agent)) == std::vector{first_id});
  std::string slip = first.reference;
  slip.back() = slip.back() == 'A' ? 'B' : 'A';
  const json refused = q.get("/api/v1/cases/find?reference=" + slip, agent, 400);
  CHECK(refused["fields"][0]["code"] == "check_mismatch");
  CHECK(refused_field(q.get("/api/v1/cases/find?reference=hello!", agent, 400)) == "reference");
  // Out of scope: found nowhere, not a refusal.
  CHECK(q.get("/api/v1/cases/find?reference=" + elsewhere.reference, agent)["cases"].empty());

  // Record id.
  CHECK(Queue::ids(q.get("/api/v1/cases/find?record_id=" + second.header.id, agent)) == std::vector{second_id});
  CHECK(q.get("/api/v1/cases/find?record_id=" + elsewhere.header.id, agent)["cases"].empty());
  CHECK(q.get("/api/v1/cases/find?record_id=no-such-record", agent)["cases"].empty());

  // Email and phone (normalised): give the second customer the first's details.
  Complaint again = test::escalated_complaint();
  again.header = test::header();
  again.header.store_id = "MCR-02";
  again.header.created_at = q.clock.now() - 10min;
  again.reference = make_reference("MCR", "K2", 999);
  again.customer->email = first.customer->email;
  again.customer->phone = first.customer->phone;
  REQUIRE(post_records(q.c, q.device("MCR-02"), {again})["accepted"].size() == 1);
  const auto again_id = q.case_id(again.header.id);
  std::string shouted = *first.customer->email;
  for (auto& ch : shouted) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  CHECK(Queue::ids(q.get("/api/v1/cases/find?email=" + url(shouted), agent)) == std::vector{again_id, first_id});
  std::string phone = *first.customer->phone;  // "07700 900001" as +44
  phone = "+44" + phone.substr(1);
  CHECK(Queue::ids(q.get("/api/v1/cases/find?phone=" + url(phone), agent)) == std::vector{again_id, first_id});
  CHECK(q.get("/api/v1/cases/find?email=nobody%40example.com", agent)["cases"].empty());

  // Admins never search by contact details; exactly one key is required.
  CHECK(q.get("/api/v1/cases/find?email=" + *first.customer->email, admin, 403)["error"] == "forbidden");
  CHECK(Queue::ids(q.get("/api/v1/cases/find?record_id=" + elsewhere.header.id, admin)) == std::vector{elsewhere_id});
  q.get("/api/v1/cases/find", agent, 400);
  q.get("/api/v1/cases/find?record_id=x&reference=" + first.reference, agent, 400);

  // Each contact search is audited: who, by what, how many found; never the value.
  auto db = sql::Database::open(q.s.options.data_dir / "heed.db", false);
  REQUIRE(db);
  auto st = db->cached("SELECT actor, detail FROM audit WHERE action = 'case_find' ORDER BY id");
  REQUIRE(st);
  std::vector<std::pair<std::string, json>> rows;
  while (st->next().value()) rows.emplace_back(std::string(st->text(0)), json::parse(st->text(1)));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].first == "nora");
  CHECK(rows[0].second == json{{"by", "email"}, {"found", 2}});
  CHECK(rows[1].second == json{{"by", "phone"}, {"found", 2}});
  CHECK(rows[2].second == json{{"by", "email"}, {"found", 0}});
  for (const auto& [actor, detail] : rows) {
    CHECK(detail.dump().find("example") == std::string::npos);
    CHECK(detail.dump().find("7700") == std::string::npos);
  }
}

TEST_CASE("queue: on random case states and times, each tab and count is exactly Workflow::status") {
  Queue q;
  const Timestamp base = q.clock.now();
  std::mt19937 rng(1313);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  auto around = [&] { return base + std::chrono::hours(pick(200) - 100); };
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(q.complaint(i % 3 ? "MCR-01" : "LON-01"));
  for (auto id : ids)
    q.change(id, [&](server::CaseRow& c) {
      // Any mix, including an acknowledgement due after the resolution.
      c.ack_due = pick(4) ? std::optional(around()) : std::nullopt;
      c.acked_at = pick(2) ? std::optional(around()) : std::nullopt;
      c.resolve_due = around();
      c.waiting_since = pick(3) ? std::nullopt : std::optional(around());
      c.opens_at = pick(5) ? std::nullopt : std::optional(around());
      c.resolved_at = pick(4) ? std::nullopt : std::optional(around());
    });
  const auto& flow = q.s.server->workflow();
  auto& storage = q.s.server->storage();
  for (int hour = -120; hour <= 120; hour += 20) {
    const Timestamp now = base + std::chrono::hours(hour);
    CAPTURE(hour);
    std::map<std::string, std::set<std::int64_t>> want;
    for (auto id : ids) {
      const auto status = std::string(flow.status(storage.find_case(id).value().value(), now));
      want[status].insert(id);
      if (status != "closed" && status != "scheduled") want["open"].insert(id);
    }
    // The whole chain (counted from case_totals and the tabs' own indexes) and
    // both stores named (counted in one pass over their ranges).
    for (bool by_store : {false, true}) {
      CAPTURE(by_store);
      server::CaseQuery query;
      query.now = now;
      query.limit = 1000;
      if (by_store) query.stores = std::vector<std::string>{"MCR-01", "LON-01"};
      const auto counts = storage.count_cases(query).value();
      for (const auto& [tab, filter, count] :
           {std::tuple{"open", server::CaseFilter::open, counts.open},
            std::tuple{"breached", server::CaseFilter::breached, counts.breached},
            std::tuple{"awaiting_customer", server::CaseFilter::awaiting_customer, counts.awaiting_customer},
            std::tuple{"scheduled", server::CaseFilter::scheduled, counts.scheduled},
            std::tuple{"closed", server::CaseFilter::closed, counts.closed}}) {
        CAPTURE(tab);
        query.filter = filter;
        std::set<std::int64_t> listed;
        for (const auto& c : storage.list_cases(query).value()) listed.insert(c.id);
        CHECK(listed == want[tab]);
        CHECK(count == static_cast<std::int64_t>(want[tab].size()));
      }
    }
  }
}
