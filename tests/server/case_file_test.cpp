// Head office's case file over a real server: GET /api/v1/cases/{id} carries
// the record behind the case (without contact details), the store's later
// notes and the customer's other complaints in the viewer's scope; GET
// /api/v1/cases/{id}/contact shows contact details only to those who work
// cases in scope, and every showing is audited and noted on the case.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/sqlite.hpp"
#include "server_fixture.hpp"

namespace heed {
namespace {

using nlohmann::json;
using test::bearer;
using test::get_json;
using test::post_records;

const server::Scope kManchester{server::Scope::Kind::store, "MCR-01"};
const server::Scope kLondon{server::Scope::Kind::store, "LON-01"};

std::int64_t count_audit(test::TestServer& s, const std::string& action) {
  auto db = sql::Database::open(s.options.data_dir / "heed.db", false).value();
  return db.scalar_int("SELECT count(*) FROM audit WHERE action = '" + action + "'").value();
}

struct CaseFileRig {
  test::TestClock clock{"2026-11-23T10:00:00Z"};
  test::TestServer s{&clock};
  httplib::Client http = s.client();
  std::string device = s.enroll_device("MCR-01");
  std::string london_device = s.enroll_device("LON-01");
  Complaint complaint = test::escalated_complaint();

  CaseFileRig() {
    complaint.touchpoint = "customer_service";
    complaint.offered = {Offer::apology, Offer::goodwill};
    complaint.goodwill_pence = 500;
    complaint.approved_by = "S2001";
    complaint.adjustments = Adjustments{};
    complaint.adjustments->consent = true;
    complaint.adjustments->contact_channel = ContactChannel::phone;
    complaint.adjustments->formats = {AdjustmentFormat::large_print};
    const json answer = post_records(http, device, {complaint});
    INFO(answer.dump());
    REQUIRE(answer["accepted"].size() == 1);
  }
  json case_json() { return test::case_of(s, complaint.header.id); }
  std::string path(const std::string& tail = "") {
    return "/api/v1/cases/" + std::to_string(case_json()["id"].get<std::int64_t>()) + tail;
  }
};

TEST_CASE("a case carries the record behind it, without contact details, and the store's later notes") {
  CaseFileRig rig;
  ComplaintUpdate note = test::complaint_update(rig.complaint.header.id);
  REQUIRE(post_records(rig.http, rig.device, {note})["accepted"].size() == 1);
  const std::string token = rig.s.sign_in("ana", server::Role::agent);

  int status = 0;
  const json c = get_json(rig.http, rig.path(), token, &status);
  REQUIRE(status == 200);
  const json& record = c["record"];
  CHECK(record["description"] == rig.complaint.description);
  CHECK(record["customer_mood"] == "upset");
  CHECK(record["desired_outcome"] == "refund");
  CHECK(record["offered"] == json::array({"apology", "goodwill"}));
  CHECK(record["goodwill_pence"] == 500);
  CHECK(record["approved_by"] == "S2001");
  CHECK(record["purchase"]["order_ref"] == "ORD-55812");
  CHECK(record["escalation"]["target"] == "area_manager");
  CHECK(record["escalation"]["rationale"] == rig.complaint.escalation->rationale);
  CHECK(record["adjustments"]["formats"] == json::array({"large_print"}));
  CHECK(record["staff_id"] == "S1042");
  CHECK(record["store_id"] == "MCR-01");
  CHECK(record["contact_on_file"] == true);
  CHECK_FALSE(record.contains("customer"));
  CHECK(c.dump().find("ffion@example.co.uk") == std::string::npos);
  CHECK(c.dump().find("07700") == std::string::npos);
  REQUIRE(c["updates"].size() == 1);
  CHECK(c["updates"][0]["note"] == note.note);
  CHECK(c["updates"][0]["staff_id"] == "S1042");
  CHECK(c["customer"]["contact_on_file"] == true);
  CHECK(c["customer"]["can_view_contact"] == true);
  CHECK(c["history"][0]["action"] == "opened");
  CHECK(c["followed_by"].empty());
  CHECK(c["final_responses"].empty());
}

TEST_CASE("a call-back case carries the scores, comment, touchpoint and language the customer gave") {
  test::TestClock clock{"2026-11-23T10:00:00Z"};
  test::TestServer s{&clock};
  auto http = s.client();
  const std::string device = s.enroll_device("MCR-01");
  Feedback f = test::feedback();
  f.csat = 2;
  f.nps = 3;
  f.language = "cy";
  f.contact = test::contact();
  REQUIRE(post_records(http, device, {f})["accepted"].size() == 1);
  const std::string token = s.sign_in("ana", server::Role::agent);
  const json listed = test::case_of(s, f.header.id);
  REQUIRE(listed["type"] == "callback");
  const json c = get_json(http, "/api/v1/cases/" + std::to_string(listed["id"].get<int>()), token);
  CHECK(c["record"]["csat"] == 2);
  CHECK(c["record"]["nps"] == 3);
  CHECK(c["record"]["comment"] == f.comment);
  CHECK(c["record"]["touchpoint"] == "checkout");
  CHECK(c["record"]["language"] == "cy");
  CHECK_FALSE(c["record"].contains("contact"));
}

TEST_CASE("a case lists the customer's other complaints and cases, only those in the viewer's scope") {
  CaseFileRig rig;
  Complaint earlier = test::complaint(7);  // resolved at the desk, same customer
  earlier.header.created_at = *parse_timestamp("2026-10-02T11:00:00Z");
  earlier.purchase->date = *parse_date("2026-09-30");
  Complaint in_london = test::escalated_complaint();
  in_london.header = test::header();
  in_london.header.store_id = "LON-01";
  in_london.reference = make_reference("LDN", "K3", 3);
  REQUIRE(post_records(rig.http, rig.device, {earlier})["accepted"].size() == 1);
  const json london_answer = post_records(rig.http, rig.london_device, {in_london});
  INFO(london_answer.dump());
  REQUIRE(london_answer["accepted"].size() == 1);

  const std::string chain = rig.s.sign_in("hq", server::Role::manager);
  json c = get_json(rig.http, rig.path(), chain);
  std::vector<std::string> refs;
  for (const auto& k : c["customer"]["complaints"]) refs.push_back(k["reference"]);
  CHECK(refs == std::vector<std::string>{earlier.reference, in_london.reference});
  CHECK(c["customer"]["cases"].size() == 2);  // the earlier one's follow-up, London's complaint case

  const std::string store = rig.s.sign_in("mcr", server::Role::manager, kManchester);
  c = get_json(rig.http, rig.path(), store);
  REQUIRE(c["customer"]["complaints"].size() == 1);
  CHECK(c["customer"]["complaints"][0]["reference"] == earlier.reference);
  for (const auto& k : c["customer"]["cases"]) CHECK(k["store_id"] == "MCR-01");

  const std::string london = rig.s.sign_in("lon", server::Role::manager, kLondon);
  int status = 0;
  (void)get_json(rig.http, rig.path(), london, &status);
  CHECK(status == 404);  // another store's case is not there for them
}

TEST_CASE("contact details: shown to who works cases in scope, audited and noted each time, never to admins") {
  CaseFileRig rig;
  const std::string agent = rig.s.sign_in("ana", server::Role::agent);
  int status = 0;
  auto res = rig.http.Get(rig.path("/contact").c_str(), bearer(agent));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Cache-Control") == "no-store");
  const json contact = json::parse(res->body);
  CHECK(contact["name"] == "Ffion Łukasik");
  CHECK(contact["email"] == "ffion@example.co.uk");
  CHECK(contact["phone"] == "07700 900123");
  CHECK(count_audit(rig.s, "contact.view") == 1);
  (void)get_json(rig.http, rig.path("/contact"), agent, &status);
  CHECK(count_audit(rig.s, "contact.view") == 2);
  const json history = get_json(rig.http, rig.path(), agent)["history"];
  int views = 0;
  for (const auto& e : history)
    if (e["action"] == "contact_viewed") {
      ++views;
      CHECK(e["actor"] == "ana");
    }
  CHECK(views == 2);

  const std::string admin = rig.s.sign_in("root", server::Role::admin);
  const json refused = get_json(rig.http, rig.path("/contact"), admin, &status);
  CHECK(status == 403);
  CHECK(refused["error"] == "forbidden");
  CHECK(get_json(rig.http, rig.path(), admin)["customer"]["can_view_contact"] == false);

  const std::string elsewhere = rig.s.sign_in("lon", server::Role::agent, kLondon);
  (void)get_json(rig.http, rig.path("/contact"), elsewhere, &status);
  CHECK(status == 404);
  CHECK(count_audit(rig.s, "contact.view") == 2);  // refusals show nothing and audit nothing
}

TEST_CASE("a case lists whom the viewer may assign it to: a manager anyone who could work it, an agent themselves") {
  CaseFileRig rig;  // an area manager's complaint at MCR-01: the area level
  const std::string manager = rig.s.sign_in("maya", server::Role::manager);
  const std::string agent = rig.s.sign_in("ana", server::Role::agent);
  (void)rig.s.sign_in("sam", server::Role::manager, kManchester);  // a store's manager: below the case's level
  (void)rig.s.sign_in("lon", server::Role::agent, kLondon);        // another store
  (void)rig.s.sign_in("root", server::Role::admin);                // admins do not work cases
  (void)rig.s.sign_in("gone", server::Role::agent);
  server::UserChange off;
  off.active = false;
  REQUIRE(rig.s.server->storage().update_user("gone", off, rig.clock.now()));

  CHECK(get_json(rig.http, rig.path(), manager)["assignees"] == json::array({"ana", "maya"}));
  CHECK(get_json(rig.http, rig.path(), agent)["assignees"] == json::array({"ana"}));
  const std::string store_manager = rig.s.sign_in("sam2", server::Role::manager, kManchester);
  CHECK(get_json(rig.http, rig.path(), store_manager)["assignees"].empty());  // sees it, does not work it

  // Everyone listed can be given the case; a closed case lists nobody.
  auto act = [&](const std::string& token, const json& body) {
    auto res = rig.http.Post(rig.path("/actions").c_str(), bearer(token), body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  };
  CHECK(act(manager, {{"action", "assign"}, {"assignee", "maya"}})["assignee"] == "maya");
  CHECK(act(manager, {{"action", "assign"}, {"assignee", "ana"}})["assignee"] == "ana");
  (void)act(agent, {{"action", "resolve"},
                    {"outcome", "Refunded in full."},
                    {"remedies", json::array({json{{"kind", "refund"}}})},
                    {"root_cause", "product_quality"}});
  CHECK(get_json(rig.http, rig.path(), manager)["assignees"].empty());
}

TEST_CASE("a case whose customer left no contact details says so") {
  test::TestClock clock{"2026-11-23T10:00:00Z"};
  test::TestServer s{&clock};
  auto http = s.client();
  const std::string device = s.enroll_device("MCR-01");
  Complaint anonymous = test::escalated_complaint();
  anonymous.customer.reset();
  REQUIRE(post_records(http, device, {anonymous})["accepted"].size() == 1);
  const std::string token = s.sign_in("ana", server::Role::agent);
  const std::string path = "/api/v1/cases/" + std::to_string(test::case_of(s, anonymous.header.id)["id"].get<int>());
  int status = 0;
  const json c = get_json(http, path, token);
  CHECK(c["customer"]["contact_on_file"] == false);
  CHECK(c["customer"]["complaints"].empty());
  CHECK(get_json(http, path + "/contact", token, &status)["error"] == "no_contact");
  CHECK(status == 404);
}

}  // namespace
}  // namespace heed
