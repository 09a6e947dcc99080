// Every user-facing endpoint x role (admin, manager, agent) x scope (chain,
// area north_west, store MCR-01, store LON-01), as one table: each row says how
// to call the endpoint, the status each caller must get, and what an answer may
// hold (only the caller's stores). The world is seeded once: records, devices
// and cases in MCR-01, MCR-02 (both north_west) and LON-01 (london).
//
// To add an endpoint: append a Row to rows() with its call, its expected status
// as a function of the caller, and (for 2xx) a check of the answer's content.
#include <doctest/doctest.h>

#include <functional>

#include "heed/server/access.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;
using server::Role;
using server::Scope;

namespace {

struct Caller {
  std::string username;
  Role role = Role::agent;
  Scope scope;
  std::string token;
};

// What the table runs against: the server, its seeded data, and who may see what.
struct World {
  TestClock clock;
  TestServer s{&clock};
  std::map<std::string, std::string> device_tokens;         // store -> a device's token
  std::map<std::string, int> feedback_per_store;            // feedback records seeded
  std::map<std::string, int> records_per_store;             // every record seeded
  std::map<std::string, int> devices_per_store;             // devices enrolled before the table runs
  std::vector<std::pair<std::string, std::int64_t>> cases;  // (store, case id)
  std::int64_t mcr_store_case = 0, mcr_area_case = 0, lon_case = 0;
  std::string lon_reference;
  std::string customer_email;
  std::vector<std::string> customer_stores;  // where that customer complained (one case each)
  std::vector<Caller> callers;
  int serial = 0;  // unique names for rows that create things

  const server::Workflow& flow() const { return s.server->workflow(); }
  bool sees(const Caller& c, std::string_view store) const { return flow().covers(c.scope, store); }
  int in_scope(const Caller& c, const std::map<std::string, int>& per_store) const {
    int n = 0;
    for (const auto& [store, count] : per_store)
      if (sees(c, store)) n += count;
    return n;
  }
  int cases_in_scope(const Caller& c) const {
    return static_cast<int>(std::count_if(cases.begin(), cases.end(), [&](const auto& p) { return sees(c, p.first); }));
  }
};

struct Call {
  std::string method;  // GET, POST, PATCH
  std::string path;
  std::optional<json> body;
};

struct Row {
  std::string name;
  std::function<Call(World&, const Caller&)> call;
  std::function<int(const World&, const Caller&)> status;
  std::function<void(const World&, const Caller&, const std::string& body)> check;  // 2xx only; may be empty
};

// Expected statuses, in the words of the rules.
int admin_in(const World& w, const Caller& c, std::string_view store, int ok) {
  if (c.role != Role::admin) return 403;
  return w.sees(c, store) ? ok : 403;
}

json parse(const std::string& body) { return json::parse(body, nullptr, false); }

void all_in_scope(const World& w, const Caller& c, const json& list, const char* store_key = "store_id") {
  for (const auto& item : list) {
    INFO(item.dump());
    CHECK(w.sees(c, item[store_key].get<std::string>()));
  }
}

Complaint escalated(const std::string& store, const char* code, std::uint64_t seq, EscalationTarget target,
                    const Contact& who) {
  Complaint c = test::escalated_complaint();
  c.header = test::header();
  c.header.store_id = store;
  c.reference = make_reference(code, "K2", seq);
  c.escalation->target = target;
  c.customer = who;
  return c;
}

void seed(World& w) {
  for (const char* store : {"MCR-01", "MCR-02", "LON-01"}) {
    w.device_tokens[store] = w.s.enroll_device(store);
    w.devices_per_store[store] = 1;
  }
  // One customer complains in MCR-01 and later in LON-01 (a repeat, so that case
  // goes to head office); another's complaint in MCR-01 goes to the area.
  const Contact customer = test::contact();
  Contact other = test::contact();
  other.email = "someone.else@example.co.uk";
  other.phone = "07700 900456";
  w.customer_email = *customer.email;
  w.customer_stores = {"MCR-01", "LON-01"};
  auto c = w.s.client();
  // In this order: LON-01's complaint arrives after MCR-01's from the same customer.
  for (const auto& [store, count] :
       std::vector<std::pair<std::string, int>>{{"MCR-01", 1}, {"MCR-02", 2}, {"LON-01", 3}}) {
    std::vector<Record> batch;
    for (int i = 0; i < count; ++i) batch.push_back(test::feedback());
    for (auto& r : batch) std::get<Feedback>(r).header.store_id = store;
    w.feedback_per_store[store] = count;
    w.records_per_store[store] = count;
    if (store == "MCR-01") {
      auto first = escalated(store, "MCR", 101, EscalationTarget::store_manager, customer);
      batch.push_back(first);
      batch.push_back(escalated(store, "MCR", 102, EscalationTarget::area_manager, other));
    } else if (store == "LON-01") {
      auto lon = escalated(store, "LDN", 103, EscalationTarget::store_manager, customer);
      w.lon_reference = lon.reference;
      batch.push_back(lon);
    }
    w.records_per_store[store] += static_cast<int>(batch.size()) - count;
    int status = 0;
    const json answer = post_records(c, w.device_tokens[store], batch, &status);
    REQUIRE(status == 200);
    INFO(answer.dump());
    REQUIRE(answer["accepted"].size() == batch.size());
  }
  server::CaseQuery all;
  all.now = w.s.now();
  for (const auto& k : w.s.server->storage().list_cases(all).value()) {
    w.cases.emplace_back(k.store_id, k.id);
    if (k.store_id == "LON-01") w.lon_case = k.id;
    if (k.store_id == "MCR-01" && k.level == 0) w.mcr_store_case = k.id;
    if (k.store_id == "MCR-01" && k.level == 1) w.mcr_area_case = k.id;
  }
  REQUIRE(w.cases.size() == 3);
  REQUIRE(w.mcr_store_case != 0);
  REQUIRE(w.mcr_area_case != 0);
  REQUIRE(w.lon_case != 0);

  const std::vector<std::pair<std::string, Scope>> scopes{{"chain", Scope{}},
                                                          {"nw", Scope{Scope::Kind::area, "north_west"}},
                                                          {"mcr01", Scope{Scope::Kind::store, "MCR-01"}},
                                                          {"lon01", Scope{Scope::Kind::store, "LON-01"}}};
  for (Role role : {Role::admin, Role::manager, Role::agent})
    for (const auto& [label, scope] : scopes) {
      Caller caller;
      caller.username = std::string(server::role_name(role)) + "-" + label;
      caller.role = role;
      caller.scope = scope;
      caller.token = w.s.sign_in(caller.username, role, scope);
      w.callers.push_back(std::move(caller));
    }
  // The user the user-management rows change (an agent of MCR-01).
  (void)w.s.sign_in("target-mcr", Role::agent, Scope{Scope::Kind::store, "MCR-01"});
}

std::vector<Row> rows() {
  using W = World;
  using C = Caller;
  const auto note = json{{"action", "note"}, {"note", "Checked the till roll."}};
  return {
      {"GET /me",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/me", {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W&, const C& c, const std::string& body) {
         CHECK(parse(body)["scope"] == server::scope_text(c.scope));
         CHECK(parse(body)["works_cases"] == (c.role != Role::admin));
         CHECK(parse(body)["levels"].size() == 3);  // every level, whatever the scope
         CHECK(parse(body)["time_zone"] == "Europe/London");
       }},
      {"GET /kpis",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/kpis", {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         CHECK(parse(body)["feedback"]["count"] == w.in_scope(c, w.feedback_per_store));
       }},
      {"GET /kpis?store_id=LON-01",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/kpis?store_id=LON-01", {}};
       },
       [](const W& w, const C& c) { return w.sees(c, "LON-01") ? 200 : 403; },
       [](const W& w, const C&, const std::string& body) {
         CHECK(parse(body)["feedback"]["count"] == w.feedback_per_store.at("LON-01"));
       }},
      {"GET /export/records.csv",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/export/records.csv", {}};
       },
       [](const W&, const C& c) { return c.role == Role::agent ? 403 : 200; },
       [](const W& w, const C& c, const std::string& body) {
         int rows = 0;
         std::size_t start = body.find("\r\n") + 2;  // past the header
         while (start < body.size()) {
           const std::size_t end = body.find("\r\n", start);
           const std::string line = body.substr(start, end - start);
           // id,type,store_id,...: the third field
           const std::size_t a = line.find(','), b = line.find(',', a + 1);
           const std::string store = line.substr(b + 1, line.find(',', b + 1) - b - 1);
           INFO(line);
           CHECK(w.sees(c, store));
           ++rows;
           start = end + 2;
         }
         CHECK(rows == w.in_scope(c, w.records_per_store));
       }},
      {"GET /kpis/staff",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/kpis/staff", {}};
       },
       [](const W&, const C& c) { return c.role == Role::agent ? 403 : 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json staff = parse(body)["staff"];
         all_in_scope(w, c, staff);
         int complaints = 0, expected = 0;
         for (const auto& s : staff) complaints += s["complaints"].get<int>();
         for (const auto& [store, n] : w.records_per_store)
           if (w.sees(c, store)) expected += n - w.feedback_per_store.at(store);
         CHECK(complaints == expected);
       }},
      {"GET /kpis/staff?store_id=LON-01",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/kpis/staff?store_id=LON-01", {}};
       },
       [](const W& w, const C& c) { return c.role == Role::agent || !w.sees(c, "LON-01") ? 403 : 200; },
       [](const W& w, const C& c, const std::string& body) { all_in_scope(w, c, parse(body)["staff"]); }},
      {"GET /comments",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/comments", {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json comments = parse(body)["comments"];
         all_in_scope(w, c, comments);
         CHECK(static_cast<int>(comments.size()) == w.in_scope(c, w.feedback_per_store));
       }},
      {"GET /export/cases.csv",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/export/cases.csv", {}};
       },
       [](const W&, const C& c) { return c.role == Role::agent ? 403 : 200; },
       [](const W& w, const C& c, const std::string& body) {
         int rows = 0;
         std::size_t start = body.find("\r\n") + 2;  // past the header
         while (start < body.size()) {
           const std::size_t end = body.find("\r\n", start);
           const std::string line = body.substr(start, end - start);
           // id,type,status,store_id,...: the fourth field
           std::size_t at = 0;
           for (int i = 0; i < 3; ++i) at = line.find(',', at) + 1;
           INFO(line);
           CHECK(w.sees(c, line.substr(at, line.find(',', at) - at)));
           ++rows;
           start = end + 2;
         }
         CHECK(rows == w.cases_in_scope(c));
       }},
      {"GET /devices",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/devices", {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json devices = parse(body)["devices"];
         all_in_scope(w, c, devices);
         CHECK(static_cast<int>(devices.size()) >= w.in_scope(c, w.devices_per_store));
       }},
      {"GET /devices?store_id=LON-01",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/devices?store_id=LON-01", {}};
       },
       [](const W& w, const C& c) { return w.sees(c, "LON-01") ? 200 : 403; },
       [](const W& w, const C& c, const std::string& body) { all_in_scope(w, c, parse(body)["devices"]); }},
      {"POST /devices/{LON-01 device}/revoke",
       [](W& w, const C&) {
         // A fresh device each time, so that every caller's revoke is the first.
         (void)w.s.enroll_device("LON-01");
         std::string id;
         for (const auto& d : w.s.server->storage().list_devices(std::string("LON-01")).value())
           if (!d.device.revoked) id = d.device.device_id;
         return Call{"POST", "/api/v1/devices/" + id + "/revoke", {}};
       },
       [](const W& w, const C& c) { return c.role != Role::admin ? 403
                                           : w.sees(c, "LON-01") ? 200
                                                                 : 404; },
       {}},
      {"GET /customers/history",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/customers/history?email=" + w.customer_email, {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json answer = parse(body);
         all_in_scope(w, c, answer["complaints"]);
         all_in_scope(w, c, answer["cases"]);
         const auto theirs = std::count_if(w.customer_stores.begin(), w.customer_stores.end(),
                                           [&](const std::string& store) { return w.sees(c, store); });
         CHECK(static_cast<std::int64_t>(answer["complaints"].size()) == theirs);
         CHECK(static_cast<std::int64_t>(answer["cases"].size()) == theirs);
       }},
      {"GET /complaints/by-reference (LON-01's)",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/complaints/by-reference?reference=" + w.lon_reference, {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json answer = parse(body);
         CHECK(answer["complaints"].size() == (w.sees(c, "LON-01") ? 1u : 0u));
         CHECK(answer["cases"].size() == (w.sees(c, "LON-01") ? 1u : 0u));
       }},
      {"GET /cases",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/cases", {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json list = parse(body)["cases"];
         all_in_scope(w, c, list);
         CHECK(static_cast<int>(list.size()) == w.cases_in_scope(c));
       }},
      {"GET /cases?store_id=LON-01",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/cases?store_id=LON-01", {}};
       },
       // A queue filter narrows the caller's scope: another store's is an empty list.
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json list = parse(body)["cases"];
         all_in_scope(w, c, list);
         CHECK(list.size() == (w.sees(c, "LON-01") ? 1u : 0u));
       }},
      {"GET /cases/{LON-01's}",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/cases/" + std::to_string(w.lon_case), {}};
       },
       [](const W& w, const C& c) { return w.sees(c, "LON-01") ? 200 : 404; },
       [](const W&, const C&, const std::string& body) { CHECK(parse(body)["store_id"] == "LON-01"); }},
      {"GET /cases/{LON-01's}/contact",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/cases/" + std::to_string(w.lon_case) + "/contact", {}};
       },
       [](const W& w, const C& c) { return !w.sees(c, "LON-01")    ? 404
                                           : c.role == Role::admin ? 403
                                                                   : 200; },
       [](const W& w, const C&, const std::string& body) { CHECK(parse(body)["email"] == w.customer_email); }},
      {"GET /cases/find?reference={LON-01's}",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/cases/find?reference=" + w.lon_reference, {}};
       },
       [](const W&, const C&) { return 200; },
       [](const W& w, const C& c, const std::string& body) {
         const json list = parse(body)["cases"];
         all_in_scope(w, c, list);
         CHECK(list.size() == (w.sees(c, "LON-01") ? 1u : 0u));
       }},
      {"GET /cases/find?email={the customer's}",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/cases/find?email=" + w.customer_email, {}};
       },
       [](const W&, const C& c) { return c.role == Role::admin ? 403 : 200; },
       [](const W& w, const C& c, const std::string& body) { all_in_scope(w, c, parse(body)["cases"]); }},
      {"GET /cases/{LON-01's}/final-response (none yet)",
       [](W& w, const C&) {
         return Call{"GET", "/api/v1/cases/" + std::to_string(w.lon_case) + "/final-response", {}};
       },
       [](const W& w, const C& c) { return !w.sees(c, "LON-01")    ? 404
                                           : c.role == Role::admin ? 403
                                                                   : 404; },
       {}},
      {"POST /cases/{MCR-01 store-level}/actions",
       [note](W& w, const C&) {
         return Call{"POST", "/api/v1/cases/" + std::to_string(w.mcr_store_case) + "/actions", note};
       },
       [](const W& w, const C& c) { return !w.sees(c, "MCR-01")    ? 404
                                           : c.role == Role::admin ? 403
                                                                   : 200; },
       {}},
      {"POST /cases/{MCR-01 area-level}/actions",
       [note](W& w, const C&) {
         return Call{"POST", "/api/v1/cases/" + std::to_string(w.mcr_area_case) + "/actions", note};
       },
       [](const W& w, const C& c) {
         if (!w.sees(c, "MCR-01")) return 404;
         return c.role == Role::admin || c.scope.kind == Scope::Kind::store ? 403 : 200;  // above a store's queue
       },
       {}},
      {"GET /users",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/users", {}};
       },
       [](const W&, const C& c) { return c.role == Role::admin ? 200 : 403; },
       [](const W& w, const C& c, const std::string& body) {
         std::set<std::string> listed;
         const json users = parse(body)["users"];  // kept: a range-for over a temporary's member dangles
         for (const auto& u : users) {
           INFO(u.dump());
           CHECK(server::scope_within(*server::parse_scope(u["scope"].get<std::string>()), c.scope, w.flow()));
           listed.insert(u["username"].get<std::string>());
         }
         for (const auto& other : w.callers)
           if (server::scope_within(other.scope, c.scope, w.flow())) CHECK(listed.count(other.username) == 1);
       }},
      {"POST /users (an agent of MCR-01)",
       [](W& w, const C&) {
         return Call{
             "POST", "/api/v1/users",
             json{{"username", "new-" + std::to_string(++w.serial)}, {"role", "agent"}, {"scope", "store:MCR-01"}}};
       },
       [](const W& w, const C& c) { return admin_in(w, c, "MCR-01", 201); },
       [](const W&, const C&, const std::string& body) { CHECK(parse(body)["scope"] == "store:MCR-01"); }},
      {"PATCH /users/{an agent of MCR-01}",
       [](W&, const C&) {
         return Call{"PATCH", "/api/v1/users/target-mcr", json{{"role", "agent"}}};
       },
       [](const W& w, const C& c) { return c.role != Role::admin ? 403
                                           : w.sees(c, "MCR-01") ? 200
                                                                 : 404; },
       {}},
      {"POST /users/{an agent of MCR-01}/reset-password",
       [](W&, const C&) {
         return Call{"POST", "/api/v1/users/target-mcr/reset-password", json{{"password", "a new long password"}}};
       },
       [](const W& w, const C& c) { return c.role != Role::admin ? 403
                                           : w.sees(c, "MCR-01") ? 200
                                                                 : 404; },
       {}},
      {"POST /enrollment-codes (MCR-01)",
       [](W&, const C&) {
         return Call{"POST", "/api/v1/enrollment-codes", json{{"store_id", "MCR-01"}}};
       },
       [](const W& w, const C& c) { return admin_in(w, c, "MCR-01", 201); },
       [](const W&, const C&, const std::string& body) { CHECK(parse(body)["store_id"] == "MCR-01"); }},
      {"GET /audit",
       [](W&, const C&) {
         return Call{"GET", "/api/v1/audit", {}};
       },
       [](const W&, const C& c) { return c.role == Role::admin && c.scope.kind == Scope::Kind::chain ? 200 : 403; },
       {}},
      // A device's endpoints refuse every user, whatever the role.
      {"POST /records (a device's)",
       [](W&, const C&) {
         return Call{"POST", "/api/v1/records", json{{"records", json::array()}}};
       },
       [](const W&, const C&) { return 403; },
       {}},
      {"POST /devices/heartbeat (a device's)",
       [](W&, const C&) {
         return Call{"POST", "/api/v1/devices/heartbeat",
                     json{{"queue_length", 0}, {"oldest_pending_age_s", nullptr}, {"app_version", "1"}}};
       },
       [](const W&, const C&) { return 403; },
       {}},
      // Last: it ends each caller's session (everyone may sign themselves out).
      {"POST /auth/logout",
       [](W&, const C&) {
         return Call{"POST", "/api/v1/auth/logout", {}};
       },
       [](const W&, const C&) { return 204; },
       {}},
  };
}

}  // namespace

TEST_CASE("every endpoint x role x scope: the status, and only the caller's stores in the answer") {
  World w;
  seed(w);
  auto client = w.s.client();
  for (const Row& row : rows()) {
    for (const Caller& caller : w.callers) {
      const Call call = row.call(w, caller);
      INFO(row.name, " as ", caller.username, " (", server::scope_text(caller.scope), "): ", call.method, " ",
           call.path);
      const std::string body = call.body ? call.body->dump() : std::string();
      httplib::Result res = call.method == "GET" ? client.Get(call.path.c_str(), bearer(caller.token))
                            : call.method == "PATCH"
                                ? client.Patch(call.path.c_str(), bearer(caller.token), body, "application/json")
                                : client.Post(call.path.c_str(), bearer(caller.token), body, "application/json");
      REQUIRE(res);
      INFO("answer: ", res->body.substr(0, 300));
      CHECK(res->status == row.status(w, caller));
      if (res->status / 100 == 2 && row.check) row.check(w, caller, res->body);
    }
  }
}
