// Users over the real server: the admin API (list, add, change, reset a
// password), a disabled user's session ending at once, GET /me, enrollment
// codes for a store, and the audit trail those changes leave. Who may call what
// in which scope is walked endpoint by endpoint in access_test.cpp.
#include <doctest/doctest.h>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

const server::Scope kNorthWest{server::Scope::Kind::area, "north_west"};
const server::Scope kMcr01{server::Scope::Kind::store, "MCR-01"};

json send(httplib::Client& c, const char* method, const std::string& path, const std::string& token, const json& body,
          int& status) {
  httplib::Result res = std::string(method) == "PATCH"
                            ? c.Patch(path.c_str(), bearer(token), body.dump(), "application/json")
                            : c.Post(path.c_str(), bearer(token), body.dump(), "application/json");
  REQUIRE(res);
  status = res->status;
  return json::parse(res->body, nullptr, false);
}

json sign_in_as(httplib::Client& c, const std::string& username, const std::string& password, int& status) {
  auto res =
      c.Post("/api/v1/auth/login", json{{"username", username}, {"password", password}}.dump(), "application/json");
  REQUIRE(res);
  status = res->status;
  return json::parse(res->body, nullptr, false);
}

}  // namespace

TEST_CASE("an admin adds, lists, changes and disables users through the API; a disabled user's token stops at once") {
  TestClock clock;
  TestServer s(&clock);
  const std::string root = s.sign_in("root", server::Role::admin);
  auto c = s.client();
  int status = 0;

  json added = send(
      c, "POST", "/api/v1/users", root,
      {{"username", "nora"}, {"password", "a long enough password"}, {"role", "manager"}, {"scope", "area:north_west"}},
      status);
  CHECK(status == 201);
  CHECK(added == json{{"username", "nora"}, {"role", "manager"}, {"scope", "area:north_west"}, {"active", true},
                      {"email", nullptr}, {"digest", "none"}});
  // Without a password, one is made and shown once.
  added = send(c, "POST", "/api/v1/users", root, {{"username", "sam"}, {"role", "agent"}, {"scope", "store:MCR-01"}},
               status);
  CHECK(status == 201);
  const std::string sam_password = added.value("password", "");
  CHECK(sam_password.size() == 24);

  // Bad input names its field; a taken name is a conflict.
  json refused = send(
      c, "POST", "/api/v1/users", root,
      {{"username", "x y"}, {"password", "short"}, {"role", "boss"}, {"scope", "area:atlantis"}, {"colour", "blue"}},
      status);
  CHECK(status == 400);
  std::set<std::string> fields;
  for (const auto& f : refused["fields"]) fields.insert(f["field"].get<std::string>());
  CHECK(fields == std::set<std::string>{"username", "role", "scope", "colour"});
  send(c, "POST", "/api/v1/users", root, {{"username", "x"}, {"password", "short"}, {"role", "agent"}}, status);
  CHECK(status == 400);  // the password, once the rest is right
  send(c, "POST", "/api/v1/users", root, {{"username", "NORA"}, {"role", "agent"}}, status);
  CHECK(status == 409);

  const json users = get_json(c, "/api/v1/users", root, &status);
  CHECK(status == 200);
  std::vector<std::string> names;
  for (const auto& u : users["users"]) names.push_back(u["username"].get<std::string>());
  CHECK(names == std::vector<std::string>{"nora", "root", "sam"});

  // sam signs in; the answer says their scope.
  const json session = sign_in_as(c, "sam", sam_password, status);
  REQUIRE(status == 200);
  CHECK(session["scope"] == "store:MCR-01");
  const std::string sam = session["token"];
  CHECK(get_json(c, "/api/v1/me", sam, &status)["username"] == "sam");
  CHECK(status == 200);

  json changed = send(c, "PATCH", "/api/v1/users/sam", root, {{"role", "manager"}, {"scope", "area:london"}}, status);
  CHECK(status == 200);
  CHECK(changed["scope"] == "area:london");
  CHECK(get_json(c, "/api/v1/me", sam, &status)["scope"] == "area:london");  // the session reads the user anew

  send(c, "PATCH", "/api/v1/users/sam", root, {}, status);
  CHECK(status == 400);
  send(c, "PATCH", "/api/v1/users/sam", root, {{"active", "no"}}, status);
  CHECK(status == 400);
  send(c, "PATCH", "/api/v1/users/ghost", root, {{"active", false}}, status);
  CHECK(status == 404);

  // Disabled: the same token is refused at once, and sign-in fails.
  changed = send(c, "PATCH", "/api/v1/users/sam", root, {{"active", false}}, status);
  CHECK(status == 200);
  CHECK(changed["active"] == false);
  get_json(c, "/api/v1/me", sam, &status);
  CHECK(status == 401);
  sign_in_as(c, "sam", sam_password, status);
  CHECK(status == 401);
  send(c, "PATCH", "/api/v1/users/sam", root, {{"active", true}}, status);
  CHECK(status == 200);
  sign_in_as(c, "sam", sam_password, status);
  CHECK(status == 200);

  // The last chain-wide admin can neither leave nor narrow.
  json last = send(c, "PATCH", "/api/v1/users/root", root, {{"active", false}}, status);
  CHECK(status == 409);
  CHECK(last["error"] == "last_admin");
  send(c, "PATCH", "/api/v1/users/root", root, {{"scope", "area:london"}}, status);
  CHECK(status == 409);
  get_json(c, "/api/v1/me", root, &status);
  CHECK(status == 200);

  // Every change is in the audit trail, without a password.
  const json audit = get_json(c, "/api/v1/audit?actor=root", root, &status);
  CHECK(status == 200);
  std::vector<std::string> actions;
  for (const auto& e : audit["entries"]) actions.push_back(e["action"].get<std::string>());
  CHECK(actions == std::vector<std::string>{"user.update", "user.update", "user.update", "user.create", "user.create"});
  CHECK(audit.dump().find(sam_password) == std::string::npos);
  CHECK(audit.dump().find("a long enough password") == std::string::npos);
  CHECK(audit["entries"][2]["detail"] ==
        json{{"username", "sam"}, {"role", {"agent", "manager"}}, {"scope", {"store:MCR-01", "area:london"}}});
}

TEST_CASE("a password reset ends the user's sessions; none given, a strong one is made and shown once") {
  TestServer s;
  const std::string root = s.sign_in("root", server::Role::admin);
  const std::string ana = s.sign_in("ana", server::Role::agent, kMcr01);
  auto c = s.client();
  int status = 0;
  // No body at all: a password is made.
  auto res = c.Post("/api/v1/users/ana/reset-password", bearer(root), "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  const json made = json::parse(res->body);
  CHECK(made["sessions_ended"] == true);
  const std::string password = made["password"];
  CHECK(password.size() == 24);
  get_json(c, "/api/v1/me", ana, &status);
  CHECK(status == 401);
  sign_in_as(c, "ana", "correct horse battery staple", status);
  CHECK(status == 401);
  sign_in_as(c, "ana", password, status);
  CHECK(status == 200);

  json given = send(c, "POST", "/api/v1/users/ana/reset-password", root, {{"password", "chosen by the admin"}}, status);
  CHECK(status == 200);
  CHECK_FALSE(given.contains("password"));
  send(c, "POST", "/api/v1/users/ana/reset-password", root, {{"password", "short"}}, status);
  CHECK(status == 400);
  sign_in_as(c, "ana", "chosen by the admin", status);
  CHECK(status == 200);
  const json audit = get_json(c, "/api/v1/audit?action=user.reset_password", root, &status);
  REQUIRE(audit["entries"].size() == 2);
  CHECK(audit["entries"][0]["detail"] == json{{"username", "ana"}, {"generated", false}});
  CHECK(audit["entries"][1]["detail"] == json{{"username", "ana"}, {"generated", true}});
  CHECK(audit.dump().find(password) == std::string::npos);
}

TEST_CASE("an area admin manages only the users and stores of their area") {
  TestServer s;
  (void)s.sign_in("root", server::Role::admin);
  const std::string area_admin = s.sign_in("nw-admin", server::Role::admin, kNorthWest);
  (void)s.sign_in("lon-agent", server::Role::agent, {server::Scope::Kind::store, "LON-01"});
  (void)s.sign_in("mcr-agent", server::Role::agent, kMcr01);
  auto c = s.client();
  int status = 0;
  const json users = get_json(c, "/api/v1/users", area_admin, &status);
  std::vector<std::string> names;
  for (const auto& u : users["users"]) names.push_back(u["username"].get<std::string>());
  CHECK(names == std::vector<std::string>{"mcr-agent", "nw-admin"});

  // Left out, the scope is the admin's own; wider or elsewhere is refused.
  json added = send(c, "POST", "/api/v1/users", area_admin, {{"username", "liv"}, {"role", "agent"}}, status);
  CHECK(status == 201);
  CHECK(added["scope"] == "area:north_west");
  send(c, "POST", "/api/v1/users", area_admin, {{"username", "x1"}, {"role", "agent"}, {"scope", "chain"}}, status);
  CHECK(status == 403);
  send(c, "POST", "/api/v1/users", area_admin, {{"username", "x2"}, {"role", "agent"}, {"scope", "store:LON-02"}},
       status);
  CHECK(status == 403);
  send(c, "POST", "/api/v1/users", area_admin, {{"username", "x3"}, {"role", "agent"}, {"scope", "store:LIV-01"}},
       status);
  CHECK(status == 201);

  // A user outside the area answers as absent; moving one out is refused.
  send(c, "PATCH", "/api/v1/users/lon-agent", area_admin, {{"active", false}}, status);
  CHECK(status == 404);
  send(c, "POST", "/api/v1/users/lon-agent/reset-password", area_admin, json::object(), status);
  CHECK(status == 404);
  send(c, "PATCH", "/api/v1/users/mcr-agent", area_admin, {{"scope", "area:london"}}, status);
  CHECK(status == 403);
  send(c, "PATCH", "/api/v1/users/mcr-agent", area_admin, {{"scope", "store:MCR-02"}}, status);
  CHECK(status == 200);

  // Enrollment codes for the area's stores only; and no audit trail (chain admins only).
  json code = send(c, "POST", "/api/v1/enrollment-codes", area_admin, {{"store_id", "MCR-02"}}, status);
  CHECK(status == 201);
  send(c, "POST", "/api/v1/enrollment-codes", area_admin, {{"store_id", "LON-01"}}, status);
  CHECK(status == 403);
  get_json(c, "/api/v1/audit", area_admin, &status);
  CHECK(status == 403);

  // The code enrolls a device for that store.
  auto enrolled =
      c.Post("/api/v1/devices/enroll", json{{"code", code["code"]}, {"name", "Till 9"}}.dump(), "application/json");
  REQUIRE(enrolled);
  CHECK(enrolled->status == 201);
  CHECK(json::parse(enrolled->body)["store_id"] == "MCR-02");
}

TEST_CASE("an enrollment code from the API: valid for a day, audited without the code; bad store ids named") {
  TestClock clock;
  TestServer s(&clock);
  const std::string root = s.sign_in("root", server::Role::admin);
  auto c = s.client();
  int status = 0;
  const json code = send(c, "POST", "/api/v1/enrollment-codes", root, {{"store_id", "LON-02"}}, status);
  CHECK(status == 201);
  CHECK(code["store_id"] == "LON-02");
  CHECK(code["expires_at"] == "2026-11-24T10:00:00Z");
  const json bad = send(c, "POST", "/api/v1/enrollment-codes", root, {{"store_id", "not a store"}}, status);
  CHECK(status == 400);
  CHECK(bad["fields"][0]["field"] == "store_id");
  send(c, "POST", "/api/v1/enrollment-codes", root, json::object(), status);
  CHECK(status == 400);
  const json audit = get_json(c, "/api/v1/audit?action=enrollment_code.issue", root, &status);
  REQUIRE(audit["entries"].size() == 1);
  CHECK(audit["entries"][0]["detail"] == json{{"store_id", "LON-02"}});
  CHECK(audit.dump().find(code["code"].get<std::string>()) == std::string::npos);
  clock.set("2026-11-24T10:00:01Z");
  auto late =
      c.Post("/api/v1/devices/enroll", json{{"code", code["code"]}, {"name", "Till"}}.dump(), "application/json");
  REQUIRE(late);
  CHECK(late->status == 403);
}

TEST_CASE("GET /me says who the caller is, their queue's level and what their scope covers") {
  TestServer s;
  auto c = s.client();
  int status = 0;
  const json chain = get_json(c, "/api/v1/me", s.sign_in("hq", server::Role::manager), &status);
  CHECK(status == 200);
  CHECK(chain["scope"] == "chain");
  CHECK(chain["home_level_name"] == "head_office");
  CHECK(chain["works_cases"] == true);
  CHECK(chain["whole_chain"] == true);
  CHECK(chain["areas"].size() == 2);
  CHECK(chain["stores"].size() == 5);

  const json area = get_json(c, "/api/v1/me", s.sign_in("nw", server::Role::agent, kNorthWest), &status);
  CHECK(area["home_level_name"] == "area");
  CHECK(area["whole_chain"] == false);
  REQUIRE(area["areas"].size() == 1);
  CHECK(area["areas"][0]["id"] == "north_west");
  CHECK(area["areas"][0]["name"] == "North West");
  CHECK(area["stores"] == json{"MCR-01", "MCR-02", "LIV-01"});

  const json store = get_json(c, "/api/v1/me", s.sign_in("adm", server::Role::admin, kMcr01), &status);
  CHECK(store["role"] == "admin");
  CHECK(store["home_level"] == 0);
  CHECK(store["home_level_name"] == "store");
  CHECK(store["works_cases"] == false);
  CHECK(store["areas"].empty());
  CHECK(store["stores"] == json{"MCR-01"});
}

TEST_CASE("the audit trail pages newest first and filters by actor, action, case and dates") {
  TestClock clock;
  TestServer s(&clock);
  const std::string root = s.sign_in("root", server::Role::admin);
  {
    auto data = s.admin();
    for (int i = 0; i < 5; ++i)
      REQUIRE(data.storage->audit(*parse_timestamp("2026-11-20T10:00:00Z") + std::chrono::hours(24 * i), "ana",
                                  "case.contact_shown", json{{"case_id", 10 + i % 2}}.dump()));
  }
  auto c = s.client();
  int status = 0;
  json page = get_json(c, "/api/v1/audit?actor=ana&limit=2", root, &status);
  REQUIRE(status == 200);
  REQUIRE(page["entries"].size() == 2);
  CHECK(page["entries"][0]["at"] == "2026-11-24T10:00:00Z");
  const auto before = page["next_before"].get<std::int64_t>();
  page = get_json(c, "/api/v1/audit?actor=ana&limit=2&before=" + std::to_string(before), root, &status);
  CHECK(page["entries"][0]["at"] == "2026-11-22T10:00:00Z");
  CHECK(get_json(c, "/api/v1/audit?case_id=11", root, &status)["entries"].size() == 2);
  CHECK(get_json(c, "/api/v1/audit?from=2026-11-21&to=2026-11-22", root, &status)["entries"].size() == 2);
  get_json(c, "/api/v1/audit?limit=0", root, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/audit?case_id=x", root, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/audit?from=yesterday", root, &status);
  CHECK(status == 400);
  get_json(c, "/api/v1/audit", s.sign_in("boss", server::Role::manager), &status);
  CHECK(status == 403);
}
