// The dashboard's answers beside the KPIs (api_dashboard.cpp) over HTTP: the staff
// view with hand-computed first contact resolution, what customers said (newest
// first, paged, detractors only, never a contact detail), the CSV of cases, and
// each one's scope and roles.
#include <doctest/doctest.h>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

Feedback said(const char* created, const std::string& store, int nps, std::optional<std::string> comment) {
  Feedback f = test::feedback();
  f.header.created_at = at(created);
  f.header.store_id = store;
  f.nps = nps;
  f.comment = std::move(comment);
  return f;
}

// The customer also left contact details, with consent.
Feedback with_contact(Feedback f) {
  f.contact = test::contact();
  return f;
}

// A complaint logged by `staff`: resolved at the desk (and accepted), or escalated.
Complaint logged_by(const char* created, const std::string& store, const std::string& staff, std::uint64_t sequence,
                    bool resolved_at_store) {
  Complaint c = resolved_at_store ? test::complaint(sequence) : test::escalated_complaint();
  c.reference = make_reference("MCR", "K2", sequence);
  c.header.created_at = at(created);
  c.header.store_id = store;
  c.staff_id = staff;
  c.purchase->date = *parse_date("2026-09-20");  // before every complaint here
  return c;
}

// The data lines of a CSV (outside quotes), the header left out.
std::vector<std::string> csv_lines(const std::string& csv) {
  std::vector<std::string> lines;
  std::string line;
  bool quoted = false;
  for (std::size_t i = 3; i < csv.size(); ++i) {  // past the byte-order mark
    const char ch = csv[i];
    if (ch == '"') quoted = !quoted;
    if (ch == '\n' && !quoted) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!lines.empty()) lines.erase(lines.begin());
  return lines;
}

struct Dashboard {
  TestClock clock{"2026-12-02T12:00:00Z"};  // Wednesday
  TestServer s{&clock};
  std::string director, store_manager, agent, admin;

  Dashboard() {
    const auto mcr = s.enroll_device("MCR-01");
    const auto mcr2 = s.enroll_device("MCR-02");
    const auto lon = s.enroll_device("LON-01");
    director = s.sign_in("dora", server::Role::manager);
    store_manager = s.sign_in("sam", server::Role::manager, {server::Scope::Kind::store, "MCR-01"});
    agent = s.sign_in("agnes", server::Role::agent);
    admin = s.sign_in("ada", server::Role::admin);
    auto c = s.client();
    // MCR-01: S1 logged three (two resolved at the desk, one escalated), S2 one escalated.
    REQUIRE(
        post_records(c, mcr,
                     {logged_by("2026-11-23T10:00:00Z", "MCR-01", "S1", 1, true),
                      logged_by("2026-11-24T10:00:00Z", "MCR-01", "S1", 2, true),
                      logged_by("2026-11-25T10:00:00Z", "MCR-01", "S1", 3, false),
                      logged_by("2026-11-25T11:00:00Z", "MCR-01", "S2", 4, false),
                      // Outside the period asked for below.
                      logged_by("2026-10-01T11:00:00Z", "MCR-01", "S2", 5, true),
                      said("2026-11-23T09:00:00Z", "MCR-01", 3, "Queue was far too long."),
                      said("2026-11-24T09:00:00Z", "MCR-01", 9, "Lovely staff, diolch."),
                      with_contact(said("2026-11-25T09:00:00Z", "MCR-01", 6,
                                        "Ring me on 07700 900123 or ffion@example.co.uk about the 2026-11-20 order.")),
                      said("2026-11-26T09:00:00Z", "MCR-01", 10, std::nullopt),
                      said("2026-11-27T09:00:00Z", "MCR-01", 2, "=HYPERLINK(\"http://example.com\")")})["accepted"]
            .size() == 10);
    // MCR-02: S1 (another store's S1: another person) resolved one.
    REQUIRE(post_records(c, mcr2,
                         {logged_by("2026-11-24T12:00:00Z", "MCR-02", "S1", 6, true),
                          said("2026-11-28T09:00:00Z", "MCR-02", 0, "Nobody at the till.")})["accepted"]
                .size() == 2);
    REQUIRE(post_records(c, lon,
                         {logged_by("2026-11-24T12:00:00Z", "LON-01", "L7", 7, false),
                          said("2026-11-29T09:00:00Z", "LON-01", 8, "Fine.")})["accepted"]
                .size() == 2);
  }
};

}  // namespace

TEST_CASE("the staff view: complaints, first contact resolution and escalations per staff member") {
  Dashboard d;
  auto c = d.s.client();
  int status = 0;
  json v = get_json(c, "/api/v1/kpis/staff?from=2026-11-01&to=2026-11-30", d.director, &status);
  REQUIRE(status == 200);
  CHECK(v["min_sample"] == 30);
  CHECK(v["period"] == json{{"from", "2026-11-01"}, {"to", "2026-11-30"}});
  // In store then staff id order, never by score; the same id at two stores is two people.
  REQUIRE(v["staff"].size() == 4);
  CHECK(v["staff"][0] == json{{"store_id", "LON-01"},
                              {"staff_id", "L7"},
                              {"complaints", 1},
                              {"resolved_first_contact", 0},
                              {"fcr_pct", 0.0},
                              {"escalated", 1},
                              {"escalated_pct", 100.0},
                              {"small_sample", true}});
  // MCR-01's S1: 3 complaints, 2 resolved at the desk and accepted (2/3 = 66.7%), 1 escalated (33.3%).
  CHECK(v["staff"][1] == json{{"store_id", "MCR-01"},
                              {"staff_id", "S1"},
                              {"complaints", 3},
                              {"resolved_first_contact", 2},
                              {"fcr_pct", 66.7},
                              {"escalated", 1},
                              {"escalated_pct", 33.3},
                              {"small_sample", true}});
  // S2 in November: 1, escalated (October's, resolved at the desk, is outside the period).
  CHECK(v["staff"][2]["staff_id"] == "S2");
  CHECK(v["staff"][2]["complaints"] == 1);
  CHECK(v["staff"][2]["fcr_pct"] == 0.0);
  CHECK(v["staff"][3]["store_id"] == "MCR-02");
  CHECK(v["staff"][3]["staff_id"] == "S1");
  CHECK(v["staff"][3]["fcr_pct"] == 100.0);
  for (const auto& row : v["staff"]) {
    CHECK_FALSE(row.contains("rank"));
    CHECK(row["small_sample"] == true);  // fewer than the rules' 30
  }

  SUBCASE("without a period: every complaint") {
    json all = get_json(c, "/api/v1/kpis/staff", d.director);
    REQUIRE(all["staff"].size() == 4);
    CHECK(all["staff"][2]["complaints"] == 2);
    CHECK(all["staff"][2]["fcr_pct"] == 50.0);  // 1 of 2
    CHECK_FALSE(all.contains("period"));
  }
  SUBCASE("a store manager sees their store's staff only; another store is refused") {
    json mine = get_json(c, "/api/v1/kpis/staff?from=2026-11-01&to=2026-11-30", d.store_manager, &status);
    REQUIRE(status == 200);
    REQUIRE(mine["staff"].size() == 2);
    CHECK(mine["staff"][0]["store_id"] == "MCR-01");
    CHECK(mine["staff"][1]["store_id"] == "MCR-01");
    get_json(c, "/api/v1/kpis/staff?store_id=LON-01", d.store_manager, &status);
    CHECK(status == 403);
    json one = get_json(c, "/api/v1/kpis/staff?store_id=MCR-02&from=2026-11-01&to=2026-11-30", d.director);
    REQUIRE(one["staff"].size() == 1);
  }
  SUBCASE("an agent may not see staff figures; an admin may") {
    json refused = get_json(c, "/api/v1/kpis/staff", d.agent, &status);
    CHECK(status == 403);
    CHECK(refused["error"] == "forbidden");
    get_json(c, "/api/v1/kpis/staff", d.admin, &status);
    CHECK(status == 200);
    CHECK(c.Get("/api/v1/kpis/staff")->status == 401);
  }
  SUBCASE("bad requests") {
    get_json(c, "/api/v1/kpis/staff?from=yesterday", d.director, &status);
    CHECK(status == 400);
    get_json(c, "/api/v1/kpis/staff?from=2026-11-30&to=2026-11-01", d.director, &status);
    CHECK(status == 400);
    json tp = get_json(c, "/api/v1/kpis/staff?touchpoint=checkout", d.director, &status);
    CHECK(status == 400);
    CHECK(tp["fields"][0]["field"] == "touchpoint");
  }
}

TEST_CASE("what customers said: their comments, newest first, paged, without contact details") {
  Dashboard d;
  auto c = d.s.client();
  int status = 0;
  json all = get_json(c, "/api/v1/comments?from=2026-11-01&to=2026-11-30", d.director, &status);
  REQUIRE(status == 200);
  // Six comments (the feedback without one is left out), newest first; complaints' descriptions are not here.
  REQUIRE(all["comments"].size() == 6);
  CHECK(all["comments"][0]["comment"] == "Fine.");
  CHECK(all["comments"][0]["store_id"] == "LON-01");
  CHECK(all["comments"][0]["area"] == "London");
  CHECK(all["comments"][0]["created_at"] == "2026-11-29T09:00:00Z");
  CHECK(all["comments"][0]["nps"] == 8);
  CHECK(all["comments"][0]["csat"] == 4);
  CHECK(all["comments"][0]["touchpoint"] == "checkout");
  CHECK(all["comments"][5]["comment"] == "Queue was far too long.");
  CHECK(all["next_before"].is_null());
  const std::string text = all.dump();
  CHECK(text.find("Kettle") == std::string::npos);

  SUBCASE("never a contact detail, not even one typed into the comment") {
    const json& rung = all["comments"][3];
    CHECK(rung["comment"] == "Ring me on [number removed] or [email removed] about the 2026-11-20 order.");
    CHECK(text.find("07700") == std::string::npos);
    CHECK(text.find("ffion") == std::string::npos);
    CHECK(text.find("Łukasik") == std::string::npos);
    CHECK_FALSE(rung.contains("contact"));
  }
  SUBCASE("detractors only: NPS 6 or less") {
    json det = get_json(c, "/api/v1/comments?detractors=true&from=2026-11-01&to=2026-11-30", d.director);
    REQUIRE(det["comments"].size() == 4);
    for (const auto& x : det["comments"]) CHECK(x["nps"].get<int>() <= 6);
    CHECK(det["comments"][0]["comment"] == "Nobody at the till.");
  }
  SUBCASE("paged with limit and before; the pages meet without a gap or an overlap") {
    std::vector<std::string> seen;
    std::string before;
    for (int page = 0; page < 4; ++page) {
      const std::string path = "/api/v1/comments?from=2026-11-01&to=2026-11-30&limit=4" +
                               (before.empty() ? std::string() : "&before=" + before);
      json p = get_json(c, path, d.director, &status);
      REQUIRE(status == 200);
      for (const auto& x : p["comments"]) seen.push_back(x["id"].get<std::string>());
      if (p["next_before"].is_null()) break;
      CHECK(p["comments"].size() == 4);
      before = p["next_before"].get<std::string>();
    }
    REQUIRE(seen.size() == 6);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == all["comments"][i]["id"]);
  }
  SUBCASE("a store manager reads their store's comments only") {
    json mine = get_json(c, "/api/v1/comments", d.store_manager, &status);
    REQUIRE(status == 200);
    REQUIRE(mine["comments"].size() == 4);
    for (const auto& x : mine["comments"]) CHECK(x["store_id"] == "MCR-01");
    get_json(c, "/api/v1/comments?store_id=MCR-02", d.store_manager, &status);
    CHECK(status == 403);
    // An agent reads them too: a comment is anonymous.
    get_json(c, "/api/v1/comments", d.agent, &status);
    CHECK(status == 200);
  }
  SUBCASE("bad requests") {
    for (const char* bad : {"limit=0", "limit=101", "limit=ten", "before=yesterday", "before=12.x", "detractors=maybe",
                            "from=2026-13-01"}) {
      INFO(bad);
      json e = get_json(c, std::string("/api/v1/comments?") + bad, d.director, &status);
      CHECK(status == 400);
      CHECK(e["error"] == "invalid_request");
    }
  }
}

TEST_CASE("the cases CSV: the period's cases in scope, quoted, formula-safe, audited, without contact details") {
  Dashboard d;
  auto c = d.s.client();
  // Resolve MCR-01's escalated complaint from S2 with an outcome a spreadsheet would run.
  json open = get_json(c, "/api/v1/cases?status=open&store_id=MCR-01&type=complaint", d.director);
  REQUIRE(open["cases"].size() == 2);
  const std::string id = std::to_string(open["cases"][0]["id"].get<std::int64_t>());
  auto resolved = c.Post(("/api/v1/cases/" + id + "/actions").c_str(), bearer(d.director),
                         json{{"action", "resolve"},
                              {"outcome", "=HYPERLINK(\"http://example.com\"), said \"sorry\",\nrefunded"},
                              {"remedies", json::array({json{{"kind", "goodwill"}, {"amount_pence", 500}}})},
                              {"root_cause", "delivery_partner"}}
                             .dump(),
                         "application/json");
  REQUIRE(resolved);
  REQUIRE(resolved->status == 200);

  auto res = c.Get("/api/v1/export/cases.csv?from=2026-11-01&to=2026-11-30", bearer(d.director));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").find("text/csv") == 0);
  CHECK(res->get_header_value("Content-Disposition").find("heed-cases.csv") != std::string::npos);
  const std::string& csv = res->body;
  REQUIRE(csv.rfind("\xEF\xBB\xBFid,type,status,store_id,", 0) == 0);
  const auto lines = csv_lines(csv);
  // The escalated complaints of November: MCR-01 (2) and LON-01 (1); a resolution
  // at the desk opens no case until its follow-up, which needs contact consent.
  std::size_t complaints = 0;
  for (const auto& l : lines) complaints += l.find(",complaint,") != std::string::npos;
  CHECK(complaints == 3);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://example.com\"\"), said \"\"sorry\"\",\nrefunded\"") != std::string::npos);
  CHECK(csv.find("goodwill:500") != std::string::npos);
  CHECK(csv.find("delivery_partner") != std::string::npos);
  CHECK(csv.find("ffion") == std::string::npos);
  CHECK(csv.find("07700") == std::string::npos);
  CHECK(csv.find("Łukasik") == std::string::npos);

  SUBCASE("audited, like the records export") {
    server::AuditQuery q;
    q.action = "export_cases";
    const auto rows = d.s.server->storage().list_audit(q).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].actor == "dora");
    CHECK(json::parse(rows[0].detail)["from"] == "2026-11-01");
  }
  SUBCASE("a store manager's file holds their store's cases only") {
    auto mine = c.Get("/api/v1/export/cases.csv", bearer(d.store_manager));
    REQUIRE(mine->status == 200);
    const auto rows = csv_lines(mine->body);
    REQUIRE_FALSE(rows.empty());
    for (const auto& l : rows) CHECK(l.find(",MCR-01,") != std::string::npos);
    CHECK(c.Get("/api/v1/export/cases.csv?store_id=LON-01", bearer(d.store_manager))->status == 403);
  }
  SUBCASE("an agent may not export; bad dates are refused") {
    auto refused = c.Get("/api/v1/export/cases.csv", bearer(d.agent));
    CHECK(refused->status == 403);
    CHECK(json::parse(refused->body)["error"] == "forbidden");
    CHECK(c.Get("/api/v1/export/cases.csv?to=soon", bearer(d.director))->status == 400);
    CHECK(c.Get("/api/v1/export/cases.csv")->status == 401);
  }
}
