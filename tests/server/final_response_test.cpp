// The final-response letter: golden files of the English and Welsh letters as
// text and HTML (a change to a template shows up as a diff here; rerun with
// HEED_UPDATE_GOLDEN=1 to accept it, then read the diff), the facts gathered
// from a stored complaint, the rules' final_response key, the resolution's
// JSON, and the endpoints over a real server: reading a case's letters, the
// preview, who may and who may not, and the audit of every read.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "heed/server/final_response.hpp"
#include "heed/sqlite.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

std::filesystem::path assets() { return std::filesystem::path(HEED_ASSETS_DIR); }

const server::Workflow& default_workflow() {
  static const server::Workflow flow = server::Workflow::load(assets() / "rules/default.json").value();
  return flow;
}

const server::LetterTemplates& templates() {
  static const server::LetterTemplates t = server::LetterTemplates::load(assets() / "letters").value();
  return t;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares with the golden file; HEED_UPDATE_GOLDEN=1 rewrites it instead.
void check_golden(const std::string& name, const std::string& actual) {
  const auto file = std::filesystem::path(HEED_GOLDEN_DIR) / name;
  if (std::getenv("HEED_UPDATE_GOLDEN")) {
    std::ofstream(file, std::ios::binary) << actual;
    MESSAGE("rewrote " << file.string());
    return;
  }
  REQUIRE_MESSAGE(std::filesystem::exists(file), file.string() << " is missing: run with HEED_UPDATE_GOLDEN=1");
  const std::string expected = read_file(file);
  CAPTURE(name);
  CHECK(actual == expected);
}

// A letter with everything in it, including text a browser would run if it were not escaped.
server::FinalResponseFacts sample_facts(std::string language) {
  server::FinalResponseFacts f;
  f.language = std::move(language);
  f.reference = "MCR-K2-22A7X";
  f.store_id = "MCR-01";
  f.complained_on = *parse_date("2026-11-22");
  f.customer_name = "Ffion <b>Łukasik</b> & Sons";
  f.description = "The kettle stopped working after two days.\nI want my money back <script>alert('x')</script>";
  f.desired_outcome = DesiredOutcome::refund;
  f.outcome = "We tested the kettle: the element had failed. \"Faulty\" under the Consumer Rights Act 2015.";
  server::Remedy refund;
  refund.kind = server::Remedy::Kind::refund;
  refund.amount_pence = 2999;
  server::Remedy goodwill;
  goodwill.kind = server::Remedy::Kind::goodwill;
  goodwill.amount_pence = 123456;
  server::Remedy apology;
  apology.kind = server::Remedy::Kind::apology;
  f.remedies = {refund, goodwill, apology};
  const auto& rules = default_workflow().rules().final_response;
  f.signature = rules.signature.in(f.language);
  f.company = rules.company.in(f.language);
  f.letter_date = *parse_date("2026-12-03");
  f.adr_name = rules.adr.name.in(f.language);
  f.adr_website = rules.adr.website.in(f.language);
  f.adr_we_take_part = rules.adr_we_take_part;
  f.adr_within_months = rules.adr_within_months;
  f.advice_name = rules.advice.name.in(f.language);
  f.advice_phone = rules.advice.phone.in(f.language);
  f.advice_website = rules.advice.website.in(f.language);
  return f;
}

server::StoredRecord stored(const Record& record) {
  server::StoredRecord r;
  r.id = header_of(record).id;
  r.type = type_of(record);
  r.store_id = header_of(record).store_id;
  r.created_at = header_of(record).created_at;
  r.body = to_canonical_json(record);
  return r;
}

}  // namespace

TEST_CASE("final response golden files: English and Welsh, text and HTML") {
  for (const char* language : {"en", "cy"}) {
    const server::FinalLetter letter = templates().render(sample_facts(language));
    CHECK(letter.language == language);
    check_golden(std::string("final_response.") + language + ".txt", letter.text);
    check_golden(std::string("final_response.") + language + ".html", letter.html);
  }
}

TEST_CASE("final response: says it is final, where to go next, and that statutory rights stand, in both languages") {
  const server::FinalLetter en = templates().render(sample_facts("en"));
  for (const char* said :
       {"This letter is our final response to your complaint.", "RetailADR", "https://www.retailadr.org.uk",
        "We agree to take part in their process.", "within 12 months", "Citizens Advice consumer helpline",
        "0808 223 1133", "This response does not affect your statutory rights.", "MCR-K2-22A7X", "22 November 2026",
        "3 December 2026", "A refund of £29.99", "A goodwill payment of £1,234.56", "Our apology",
        "You asked for a refund.", "Dear Ffion <b>Łukasik</b> & Sons,"}) {
    CAPTURE(said);
    CHECK(en.text.find(said) != std::string::npos);
  }
  const server::FinalLetter cy = templates().render(sample_facts("cy"));
  for (const char* said :
       {"Y llythyr hwn yw ein hymateb terfynol i'ch cwyn.", "RetailADR", "Rydym yn cytuno i gymryd rhan yn eu proses.",
        "llinell gymorth defnyddwyr Cyngor ar Bopeth", "0808 223 1144",
        "Nid yw'r ymateb hwn yn effeithio ar eich hawliau statudol.", "22 Tachwedd 2026", "3 Rhagfyr 2026",
        "Ad-daliad o £29.99", "Taliad ewyllys da o £1,234.56", "Gofynnoch am ad-daliad.", "Yn gywir,"}) {
    CAPTURE(said);
    CHECK(cy.text.find(said) != std::string::npos);
  }
  // A letter without a name greets neutrally; with nothing given, it says so.
  auto plain = sample_facts("en");
  plain.customer_name.reset();
  server::Remedy none;
  none.kind = server::Remedy::Kind::none;
  plain.remedies = {none};
  plain.adr_we_take_part = false;
  const server::FinalLetter neutral = templates().render(plain);
  CHECK(neutral.text.find("Dear customer,") != std::string::npos);
  CHECK(neutral.text.find("We are not offering anything further.") != std::string::npos);
  CHECK(neutral.text.find("have chosen not to") != std::string::npos);
  plain.language = "cy";
  CHECK(templates().render(plain).text.find("Annwyl gwsmer,") != std::string::npos);
}

TEST_CASE("final response HTML escapes what the customer and staff wrote and carries no script") {
  for (const char* language : {"en", "cy"}) {
    const server::FinalLetter letter = templates().render(sample_facts(language));
    CHECK(letter.html.find("<script") == std::string::npos);
    CHECK(letter.html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(letter.html.find("Ffion &lt;b&gt;Łukasik&lt;/b&gt; &amp; Sons") != std::string::npos);
    CHECK(letter.html.find("&quot;Faulty&quot;") != std::string::npos);
    CHECK(letter.html.find("@media print") != std::string::npos);
    CHECK(letter.html.find(std::string("<html lang=\"") + language + "\">") != std::string::npos);
  }
}

TEST_CASE("final response facts come from the stored complaint, its case and the resolution") {
  Complaint complaint = escalated_complaint();
  complaint.header.created_at = *parse_timestamp("2026-11-22T23:30:00Z");  // 22 November in London
  server::CaseRow c;
  c.id = 7;
  c.type = CaseType::complaint;
  c.record_id = complaint.header.id;
  c.store_id = complaint.header.store_id;
  c.reference = complaint.reference;
  server::ResolutionText resolution;
  resolution.outcome = "We replaced the kettle.";
  server::Remedy replacement;
  replacement.kind = server::Remedy::Kind::replacement;
  resolution.remedies = {replacement};
  const Timestamp now = *parse_timestamp("2026-12-03T10:00:00Z");

  auto facts = server::final_response_facts(default_workflow(), stored(complaint), c, resolution, now).value();
  CHECK(facts.language == "en");
  CHECK(facts.reference == complaint.reference);
  CHECK(facts.customer_name == complaint.customer->name);
  CHECK(facts.description == complaint.description);
  CHECK(facts.desired_outcome == DesiredOutcome::refund);
  CHECK(facts.complained_on == *parse_date("2026-11-22"));
  CHECK(facts.letter_date == *parse_date("2026-12-03"));
  CHECK(facts.adr_name == "RetailADR");
  CHECK(facts.signature == "Customer Relations Team");

  // Welsh when the complaint's adjustments ask for it; an explicit choice wins.
  complaint.adjustments = Adjustments{true, ContactChannel::email, std::nullopt, "cy", {}, std::nullopt};
  facts = server::final_response_facts(default_workflow(), stored(complaint), c, resolution, now).value();
  CHECK(facts.language == "cy");
  CHECK(facts.signature == "Tîm Cysylltiadau Cwsmeriaid");
  CHECK(facts.advice_phone == "0808 223 1144");
  resolution.language = "en";
  CHECK(server::final_response_facts(default_workflow(), stored(complaint), c, resolution, now)->language == "en");

  // No name on file: a neutral greeting.
  complaint.customer.reset();
  complaint.adjustments->contact_channel.reset();  // email needs the email address just removed
  resolution.language.reset();
  const auto letter =
      server::make_final_letter(default_workflow(), templates(), stored(complaint), c, resolution, "bob", now).value();
  CHECK(letter.case_id == 7);
  CHECK(letter.author == "bob");
  CHECK(letter.created_at == now);
  CHECK(letter.text.find("Annwyl gwsmer,") != std::string::npos);

  // Only a complaint gets one.
  auto refused = server::final_response_facts(default_workflow(), stored(feedback()), c, resolution, now);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::invalid);
}

TEST_CASE("a resolution's text, remedies and language are read with field-named errors") {
  auto good = server::parse_resolution_text(
      json{{"outcome", "Replaced"},
           {"remedies", {{{"kind", "refund"}, {"amount_pence", 1299}}, {{"kind", "apology"}}}},
           {"language", "cy"}});
  REQUIRE(good);
  CHECK(good->remedies.size() == 2);
  CHECK(good->remedies[0].amount_pence == 1299);
  CHECK(good->language == "cy");
  CHECK(server::remedies_json(good->remedies) ==
        json::array({{{"kind", "refund"}, {"amount_pence", 1299}}, {{"kind", "apology"}}}));

  auto errors = [](const json& body) { return server::parse_resolution_text(body).error(); };
  CHECK(names_field(errors(json{{"remedies", {{{"kind", "none"}}}}}), "outcome", "required"));
  CHECK(names_field(errors(json{{"outcome", "  "}, {"remedies", {{{"kind", "none"}}}}}), "outcome", "invalid"));
  CHECK(names_field(errors(json{{"outcome", "x"}}), "remedies", "required"));
  CHECK(names_field(errors(json{{"outcome", "x"}, {"remedies", json::array()}}), "remedies", "invalid"));
  // The remedies are read as the resolve action reads them (parse_remedies): the
  // field is "remedies", and the message names the item and what is wrong.
  auto remedies_fault = [&](const json& remedies, const std::string& says) {
    const auto found = errors(json{{"outcome", "x"}, {"remedies", remedies}});
    REQUIRE(names_field(found, "remedies", "invalid"));
    CHECK(found[0].message.find(says) != std::string::npos);
  };
  remedies_fault({{{"kind", "voucher"}}}, "remedies[0].kind");
  remedies_fault({{{"kind", "goodwill"}}}, "goodwill needs its amount_pence");
  remedies_fault({{{"kind", "apology"}, {"amount_pence", 5}}}, "apology has no amount");
  remedies_fault({{{"kind", "refund"}, {"amount_pence", -5}}}, "remedies[0].amount_pence");
  CHECK(names_field(errors(json{{"outcome", "x"}, {"remedies", {{{"kind", "none"}}, {{"kind", "apology"}}}}}),
                    "remedies", "invalid"));
  CHECK(names_field(errors(json{{"outcome", "x"}, {"remedies", {{{"kind", "none"}}}}, {"language", "pl"}}), "language",
                    "invalid"));
  CHECK(names_field(errors(json{{"outcome", "x"}, {"remedies", {{{"kind", "none"}}}}, {"tone", "warm"}}), "tone",
                    "unknown_field"));

  CHECK(server::format_pounds(5) == "£0.05");
  CHECK(server::format_pounds(2999) == "£29.99");
  CHECK(server::format_pounds(100000000) == "£1,000,000.00");
}

TEST_CASE("the rules' final_response key: defaults, a chain's own ADR body, and field-named errors") {
  const auto& f = default_workflow().rules().final_response;
  CHECK(f.adr.name.en == "RetailADR");
  CHECK(f.advice.name.in("cy") == "llinell gymorth defnyddwyr Cyngor ar Bopeth");
  CHECK(f.adr.name.in("cy") == "RetailADR");  // no Welsh given: the English
  CHECK(f.templates == (assets() / "letters").lexically_normal());

  TempDir dir;
  auto rules_with = [&](const json& final_response) {
    std::ofstream(dir / "rules.json") << json{{"final_response", final_response}}.dump();
    return load_workflow_rules(dir / "rules.json");
  };
  auto own = rules_with({{"adr", {{"name", "The Furniture Ombudsman"}, {"phone", "0333 241 3210"}}},
                         {"company", {{"en", "Acme Stores"}, {"cy", "Siopau Acme"}}},
                         {"templates", "letters"}});
  REQUIRE(own);
  CHECK(own->final_response.adr.name.en == "The Furniture Ombudsman");
  CHECK(own->final_response.adr.website.en.empty());  // not RetailADR's
  CHECK(own->final_response.company.in("cy") == "Siopau Acme");
  CHECK(own->final_response.templates == dir / "letters");

  CHECK(names_field(rules_with({{"adr", {{"name", "X"}, {"website", "ftp://x"}}}}).error(),
                    "final_response.adr.website"));
  CHECK(names_field(rules_with({{"adr", {{"name", "X"}}}}).error(), "final_response.adr.website", "required"));
  CHECK(names_field(rules_with({{"adr", {{"name", ""}}}}).error(), "final_response.adr.name"));
  CHECK(names_field(rules_with({{"advice", {{"phone", "call us"}}}}).error(), "final_response.advice.phone"));
  CHECK(names_field(rules_with({{"adr", {{"we_take_part", "yes"}}}}).error(), "final_response.adr.we_take_part"));
  CHECK(names_field(rules_with({{"signature", {{"fr", "x"}}}}).error(), "final_response.signature"));
  CHECK(names_field(rules_with({{"ombudsman", "x"}}).error(), "final_response.ombudsman", "unknown_key"));

  auto missing = server::LetterTemplates::load(dir / "nowhere");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("final_response.en.txt.tpl") != std::string::npos);
}

// ---- The endpoints -----------------------------------------------------------------
namespace {

struct LetterServer {
  TestClock clock{"2026-12-03T10:00:00Z"};
  TestServer s{&clock};
  std::string device = s.enroll_device();
  std::string agent = s.sign_in("bob", server::Role::agent);
  std::string admin = s.sign_in("root", server::Role::admin);
  httplib::Client c = s.client();
  Complaint complaint = [] {
    Complaint made = escalated_complaint();
    made.header.created_at = *parse_timestamp("2026-12-02T10:00:00Z");
    made.description = "It broke <b>twice</b>.";
    return made;
  }();
  std::int64_t case_id = 0;

  LetterServer() {
    if (post_records(c, device, {complaint})["accepted"].size() != 1) throw std::runtime_error("not accepted");
    case_id = case_of(s, complaint.header.id)["id"].get<std::int64_t>();
  }
  std::string path(const std::string& tail) const { return "/api/v1/cases/" + std::to_string(case_id) + tail; }

  // Until the resolve action writes them, a letter is stored the way it will: in a case change.
  void store_letter(const std::string& language, const std::string& outcome) {
    server::ResolutionText resolution;
    resolution.outcome = outcome;
    resolution.remedies = {server::Remedy{server::Remedy::Kind::apology, std::nullopt}};
    resolution.language = language;
    auto record = s.server->storage().record_by_id(complaint.header.id).value().value();
    auto done = s.server->storage().update_case(case_id, [&](server::CaseRow& row) -> Result<server::CaseChange> {
      server::CaseChange change;
      auto letter =
          server::make_final_letter(s.server->workflow(), templates(), record, row, resolution, "bob", clock.now());
      if (!letter) return letter.error();
      change.letter = std::move(letter.value());
      return change;
    });
    if (!done) throw std::runtime_error(done.error().message);
  }

  std::int64_t audit_rows(const std::string& action) {
    auto db = sql::Database::open(s.options.data_dir / "heed.db", false).value();
    return db.scalar_int("SELECT count(*) FROM audit WHERE action = '" + action + "'").value();
  }
  std::string audit_details() {
    auto db = sql::Database::open(s.options.data_dir / "heed.db", false).value();
    return db.scalar_text("SELECT coalesce(group_concat(actor || ' ' || detail, char(10)), '') FROM audit").value();
  }
};

}  // namespace

TEST_CASE("GET a case's final response: 404 before one is sent, then the latest as text or a printable page") {
  LetterServer l;
  int status = 0;
  get_json(l.c, l.path("/final-response"), l.agent, &status);
  CHECK(status == 404);

  l.store_letter("en", "We found the element had failed.");
  l.clock.set("2026-12-04T10:00:00Z");
  l.store_letter("cy", "Canfuom fod yr elfen wedi methu.");  // reopened and resolved again: a second letter
  l.agent = l.s.sign_in("bob", server::Role::agent);         // yesterday's session has ended

  auto text = l.c.Get(l.path("/final-response").c_str(), bearer(l.agent));
  REQUIRE(text);
  CHECK(text->status == 200);
  CHECK(text->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  CHECK(text->body.find("Canfuom fod yr elfen wedi methu.") != std::string::npos);  // the latest
  CHECK(text->body.find("Annwyl Ffion Łukasik,") != std::string::npos);
  CHECK(text->body.find("4 Rhagfyr 2026") != std::string::npos);

  auto html = l.c.Get(l.path("/final-response?format=html").c_str(), bearer(l.agent));
  REQUIRE(html);
  CHECK(html->status == 200);
  CHECK(html->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(html->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(html->body.find("It broke &lt;b&gt;twice&lt;/b&gt;.") != std::string::npos);
  CHECK(html->body.find("<script") == std::string::npos);

  const json list = get_json(l.c, l.path("/final-responses"), l.agent, &status);
  REQUIRE(status == 200);
  REQUIRE(list["letters"].size() == 2);
  CHECK(list["letters"][0]["language"] == "en");
  CHECK(list["letters"][0]["author"] == "bob");
  CHECK(list["letters"][1]["created_at"] == "2026-12-04T10:00:00Z");
  const std::string first = std::to_string(list["letters"][0]["id"].get<std::int64_t>());
  auto older = l.c.Get(l.path("/final-response?letter=" + first).c_str(), bearer(l.agent));
  REQUIRE(older);
  CHECK(older->body.find("We found the element had failed.") != std::string::npos);

  get_json(l.c, l.path("/final-response?format=pdf"), l.agent, &status);
  CHECK(status == 400);
  get_json(l.c, l.path("/final-response?letter=999"), l.agent, &status);
  CHECK(status == 404);
  get_json(l.c, "/api/v1/cases/999/final-response", l.agent, &status);
  CHECK(status == 404);

  // Every read is audited: who and which case, never the letter's words or the customer's name.
  CHECK(l.audit_rows("final_response.read") == 3);
  const std::string audit = l.audit_details();
  CHECK(audit.find("bob {\"case_id\":" + std::to_string(l.case_id)) != std::string::npos);
  CHECK(audit.find("Ffion") == std::string::npos);
  CHECK(audit.find("elfen") == std::string::npos);
}

TEST_CASE("a final response is read and previewed only by users who may see the customer's details") {
  LetterServer l;
  l.store_letter("en", "Found.");
  int status = 0;
  get_json(l.c, l.path("/final-response"), l.admin, &status);
  CHECK(status == 403);
  get_json(l.c, l.path("/final-responses"), l.admin, &status);
  CHECK(status == 403);
  auto preview = l.c.Post(l.path("/final-response/preview").c_str(), bearer(l.admin),
                          json{{"outcome", "x"}, {"remedies", {{{"kind", "none"}}}}}.dump(), "application/json");
  REQUIRE(preview);
  CHECK(preview->status == 403);
  get_json(l.c, l.path("/final-response"), l.device, &status);
  CHECK(status == 403);  // a device's token
  get_json(l.c, l.path("/final-response"), "not a token", &status);
  CHECK(status == 401);
  CHECK(l.audit_rows("final_response.read") == 0);
}

TEST_CASE(
    "POST a final response preview: the letter a resolution would send, in the complaint's language, nothing stored") {
  LetterServer l;
  auto preview = [&](const json& body, int expected) {
    auto res = l.c.Post(l.path("/final-response/preview").c_str(), bearer(l.agent), body.dump(), "application/json");
    REQUIRE(res);
    CHECK(res->status == expected);
    return json::parse(res->body, nullptr, false);
  };
  const json en = preview({{"outcome", "We replaced the kettle."},
                           {"remedies", {{{"kind", "replacement"}}, {{"kind", "goodwill"}, {"amount_pence", 1000}}}}},
                          200);
  CHECK(en["language"] == "en");
  CHECK(en["text"].get<std::string>().find("A goodwill payment of £10.00") != std::string::npos);
  CHECK(en["text"].get<std::string>().find("3 December 2026") != std::string::npos);
  CHECK(en["html"].get<std::string>().find("It broke &lt;b&gt;twice&lt;/b&gt;.") != std::string::npos);
  const json cy = preview({{"outcome", "Newydd."}, {"remedies", {{{"kind", "replacement"}}}}, {"language", "cy"}}, 200);
  CHECK(cy["language"] == "cy");
  CHECK(cy["text"].get<std::string>().find("Eitem newydd yn lle'r hen un") != std::string::npos);

  const json bad = preview({{"outcome", "x"}, {"remedies", {{{"kind", "goodwill"}}}}}, 400);
  CHECK(bad["fields"][0]["field"] == "remedies");
  CHECK(bad["fields"][0]["message"].get<std::string>().find("amount_pence") != std::string::npos);
  CHECK(l.s.server->storage().final_letters(l.case_id)->empty());  // a preview stores nothing
  CHECK(l.audit_rows("final_response.preview") == 2);
}
