// The dashboard's answers over HTTP: trends by day, week and month beside the
// period before, the store league against the chain, the Pareto of complaints by
// category and root cause, and the case list behind one of its bars.
#include <doctest/doctest.h>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

Timestamp at(const char* text) { return *parse_timestamp(text); }

Feedback feedback_on(const char* created, const std::string& store, int csat, int nps) {
  Feedback f = test::feedback();
  f.header.created_at = at(created);
  f.header.store_id = store;
  f.csat = csat;
  f.nps = nps;
  return f;
}

Complaint complaint_on(const char* created, const std::string& store, Category category, std::uint64_t sequence,
                       bool resolved_at_store) {
  Complaint c = resolved_at_store ? test::complaint(sequence) : test::escalated_complaint();
  c.reference = make_reference("MCR", "K2", sequence);
  c.header.created_at = at(created);
  c.header.store_id = store;
  c.category = category;
  c.customer.reset();
  return c;
}

}  // namespace

TEST_CASE("the dashboard's trend, league and Pareto, in scope") {
  TestClock clock("2026-12-02T12:00:00Z");  // Wednesday
  TestServer s(&clock);
  const auto mcr = s.enroll_device("MCR-01");
  const auto lon = s.enroll_device("LON-01");
  const auto director = s.sign_in("dora", server::Role::manager);
  const auto north_west = s.sign_in("nick", server::Role::manager, {server::Scope::Kind::area, "north_west"});
  auto c = s.client();

  // MCR-01: Monday 23 and Tuesday 24 November, then Tuesday 1 December.
  REQUIRE(post_records(c, mcr,
                       {feedback_on("2026-11-23T10:00:00Z", "MCR-01", 5, 10),
                        feedback_on("2026-11-23T11:00:00Z", "MCR-01", 1, 0),
                        feedback_on("2026-11-24T10:00:00Z", "MCR-01", 4, 9),
                        feedback_on("2026-12-01T10:00:00Z", "MCR-01", 2, 3),
                        complaint_on("2026-11-24T10:00:00Z", "MCR-01", Category::faulty_goods, 1, true),
                        complaint_on("2026-11-24T11:00:00Z", "MCR-01", Category::faulty_goods, 2, false),
                        complaint_on("2026-12-01T11:00:00Z", "MCR-01", Category::delivery, 3, false)})["accepted"]
              .size() == 7);
  // LON-01 (London, outside the north west): Wednesday 25 November.
  REQUIRE(post_records(c, lon,
                       {feedback_on("2026-11-25T10:00:00Z", "LON-01", 5, 10),
                        complaint_on("2026-11-25T10:00:00Z", "LON-01", Category::staff_conduct, 4, false)})["accepted"]
              .size() == 2);
  int status = 0;

  SUBCASE("a trend by day: every day of the period, empty ones null, and the period before") {
    json t = get_json(c, "/api/v1/kpis/trend?grain=day&from=2026-11-23&to=2026-11-29&compare=previous", director,
                      &status);
    REQUIRE(status == 200);
    CHECK(t["grain"] == "day");
    REQUIRE(t["points"].size() == 7);
    CHECK(t["points"][0]["period"] == json{{"from", "2026-11-23"}, {"to", "2026-11-23"}});
    CHECK(t["points"][0]["feedback"]["count"] == 2);
    CHECK(t["points"][0]["nps"]["score"] == 0);  // a promoter and a detractor
    CHECK(t["points"][1]["nps"]["score"] == 100);
    CHECK(t["points"][1]["complaints"]["count"] == 2);
    CHECK(t["points"][1]["complaints"]["fcr_pct"].get<double>() == doctest::Approx(50.0));
    CHECK(t["points"][2]["feedback"]["count"] == 1);  // LON-01
    CHECK(t["points"][3]["feedback"]["count"] == 0);
    CHECK(t["points"][3]["nps"]["score"].is_null());
    CHECK(t["points"][0]["nps"]["small_sample"] == true);  // 2 answers, fewer than the rules' 30
    CHECK(t["min_sample"] == 30);
    CHECK(t["previous"]["period"] == json{{"from", "2026-11-16"}, {"to", "2026-11-22"}});
    REQUIRE(t["previous"]["points"].size() == 7);
    CHECK(t["previous"]["points"][0]["feedback"]["count"] == 0);
  }

  SUBCASE("a trend by week cuts the weeks at the period's ends; by month, the months") {
    json t = get_json(c, "/api/v1/kpis/trend?grain=week&from=2026-11-24&to=2026-12-01", director, &status);
    REQUIRE(status == 200);
    REQUIRE(t["points"].size() == 2);
    CHECK(t["points"][0]["period"] == json{{"from", "2026-11-24"}, {"to", "2026-11-29"}});
    CHECK(t["points"][0]["feedback"]["count"] == 2);  // Monday the 23rd is outside the period
    CHECK(t["points"][1]["period"] == json{{"from", "2026-11-30"}, {"to", "2026-12-01"}});
    CHECK(t["points"][1]["feedback"]["count"] == 1);
    CHECK_FALSE(t.contains("previous"));
    json m = get_json(c, "/api/v1/kpis/trend?grain=month&from=2026-11-01&to=2026-12-31", director);
    REQUIRE(m["points"].size() == 2);
    CHECK(m["points"][0]["feedback"]["count"] == 4);
    CHECK(m["points"][1]["feedback"]["count"] == 1);
    CHECK(m["points"][1]["complaints"]["count"] == 1);
    // The area's manager: the north west's stores only.
    json nw = get_json(c, "/api/v1/kpis/trend?grain=month&from=2026-11-01&to=2026-12-31", north_west);
    CHECK(nw["points"][0]["feedback"]["count"] == 3);
  }

  SUBCASE("a trend's bad requests") {
    get_json(c, "/api/v1/kpis/trend?grain=hour&from=2026-11-23&to=2026-11-29", director, &status);
    CHECK(status == 400);
    json missing = get_json(c, "/api/v1/kpis/trend?grain=day&from=2026-11-23", director, &status);
    CHECK(status == 400);
    CHECK(missing["fields"][0]["field"] == "to");
    json many = get_json(c, "/api/v1/kpis/trend?grain=day&from=2024-01-01&to=2026-11-29", director, &status);
    CHECK(status == 400);
    CHECK(many["fields"][0]["field"] == "grain");
    get_json(c, "/api/v1/kpis/trend?grain=week&from=2026-11-23&to=2026-11-29&store_id=LON-01", north_west, &status);
    CHECK(status == 403);
  }

  SUBCASE("the league: each store of the scope with the chain's figures beside it") {
    json l = get_json(c, "/api/v1/kpis/stores?from=2026-11-01&to=2026-12-31", director, &status);
    REQUIRE(status == 200);
    REQUIRE(l["stores"].size() == 2);
    CHECK(l["stores"][0]["store_id"] == "LON-01");
    CHECK(l["stores"][0]["area"] == "London");
    CHECK(l["stores"][1]["store_id"] == "MCR-01");
    CHECK(l["stores"][1]["area"] == "North West");
    CHECK(l["stores"][1]["feedback"]["count"] == 4);
    CHECK(l["stores"][1]["csat"]["mean"].get<double>() == doctest::Approx(3.0));
    CHECK(l["stores"][1]["csat"]["small_sample"] == true);
    CHECK(l["chain"]["feedback"]["count"] == 5);
    CHECK(l["period"] == json{{"from", "2026-11-01"}, {"to", "2026-12-31"}});
    json nw = get_json(c, "/api/v1/kpis/stores?from=2026-11-01&to=2026-12-31", north_west);
    REQUIRE(nw["stores"].size() == 1);
    CHECK(nw["stores"][0]["store_id"] == "MCR-01");
    CHECK(nw["chain"]["feedback"]["count"] == 5);  // the chain's figure, to hold the store against
  }

  SUBCASE("the Pareto by category, most first, with the running share; and the cases behind a bar") {
    json p = get_json(c, "/api/v1/kpis/pareto?by=category&from=2026-11-01&to=2026-12-31", director, &status);
    REQUIRE(status == 200);
    CHECK(p["total"] == 4);
    REQUIRE(p["bars"].size() == 3);
    CHECK(p["bars"][0] == json{{"key", "faulty_goods"}, {"count", 2}, {"cumulative_pct", 50.0}});
    CHECK(p["bars"][1] == json{{"key", "delivery"}, {"count", 1}, {"cumulative_pct", 75.0}});  // ties by name
    CHECK(p["bars"][2] == json{{"key", "staff_conduct"}, {"count", 1}, {"cumulative_pct", 100.0}});
    json nw = get_json(c, "/api/v1/kpis/pareto?by=category&from=2026-11-01&to=2026-11-30", north_west);
    CHECK(nw["total"] == 2);
    REQUIRE(nw["bars"].size() == 1);

    // The faulty goods raised in November: one case (the other was resolved at the store).
    json behind = get_json(
        c, "/api/v1/cases?status=all&category=faulty_goods&raised_from=2026-11-01&raised_to=2026-11-30", director,
        &status);
    REQUIRE(status == 200);
    REQUIRE(behind["cases"].size() == 1);
    CHECK(behind["cases"][0]["reference"] == make_reference("MCR", "K2", 2));
    CHECK(get_json(c, "/api/v1/cases?status=all&category=delivery&raised_to=2026-11-30", director)["cases"].empty());
    get_json(c, "/api/v1/cases?status=all&category=broken", director, &status);
    CHECK(status == 400);
    get_json(c, "/api/v1/cases?status=all&raised_from=2026-12-01&raised_to=2026-11-01", director, &status);
    CHECK(status == 400);
  }

  SUBCASE("the Pareto by root cause: resolved cases by cause, the rest as none yet") {
    json open = get_json(c, "/api/v1/cases?status=open&store_id=MCR-01&type=complaint", director);
    REQUIRE(open["cases"].size() == 2);
    const std::string id = std::to_string(open["cases"][0]["id"].get<std::int64_t>());
    auto res = c.Post(("/api/v1/cases/" + id + "/actions").c_str(), bearer(director),
                      R"({"action": "resolve", "outcome": "Courier lost it; resent",
                          "remedies": [{"kind": "replacement"}], "root_cause": "delivery_partner"})",
                      "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    json p = get_json(c, "/api/v1/kpis/pareto?by=root_cause&from=2026-11-01&to=2026-12-31", director, &status);
    REQUIRE(status == 200);
    CHECK(p["by"] == "root_cause");
    CHECK(p["total"] == 3);  // complaint cases: the one resolved at the store opened none
    REQUIRE(p["bars"].size() == 2);
    CHECK(p["bars"][0]["key"] == "");
    CHECK(p["bars"][0]["count"] == 2);
    CHECK(p["bars"][1]["key"] == "delivery_partner");
    json behind = get_json(c, "/api/v1/cases?status=all&root_cause=delivery_partner", director);
    REQUIRE(behind["cases"].size() == 1);
    CHECK(std::to_string(behind["cases"][0]["id"].get<std::int64_t>()) == id);
    CHECK(get_json(c, "/api/v1/cases?status=all&root_cause=none", director)["cases"].size() == 2);
    get_json(c, "/api/v1/cases?status=all&root_cause=fate", director, &status);
    CHECK(status == 400);
    get_json(c, "/api/v1/kpis/pareto?by=store", director, &status);
    CHECK(status == 400);
  }
}
