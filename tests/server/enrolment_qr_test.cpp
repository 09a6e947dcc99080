// The enrolment code's QR code (issue 14): POST /api/v1/enrollment-codes answers
// qr_text (the heed-enrol: URI the technician's phone reads) and qr_svg. The SVG
// is parsed as XML (expat), its geometry checked against its viewBox, and its
// path read back into a module grid that must equal make_qr's of qr_text.
#include <doctest/doctest.h>
#include <expat.h>
#include <fmt/format.h>

#include <map>
#include <regex>
#include <set>

#include "heed/qr.hpp"
#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  int depth = 0;
};

struct Parsed {
  bool well_formed = false;
  std::vector<Element> elements;
};

// Every element of an XML document in order, with its attributes and text.
Parsed parse_xml(const std::string& text) {
  struct State {
    Parsed out;
    std::vector<std::size_t> open;
  } state;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto& s = *static_cast<State*>(data);
        Element e;
        e.name = name;
        e.depth = static_cast<int>(s.open.size());
        for (int i = 0; attrs[i]; i += 2) e.attributes[attrs[i]] = attrs[i + 1];
        s.open.push_back(s.out.elements.size());
        s.out.elements.push_back(std::move(e));
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->open.pop_back(); });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* chars, int length) {
    auto& s = *static_cast<State*>(data);
    if (!s.open.empty()) s.out.elements[s.open.back()].text.append(chars, static_cast<std::size_t>(length));
  });
  state.out.well_formed = XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  return state.out;
}

const Element* only(const Parsed& p, const std::string& name) {
  const Element* found = nullptr;
  for (const auto& e : p.elements)
    if (e.name == name) {
      if (found) return nullptr;
      found = &e;
    }
  return found;
}

std::string encoded(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    out += std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ? std::string(1, static_cast<char>(c))
                                                                           : fmt::format("%{:02X}", c);
  return out;
}

}  // namespace

TEST_CASE("enrolment code: qr_svg is an SVG of qr_text, module for module, in a 4-module quiet zone") {
  TestServer s;
  const auto admin = s.sign_in("root", server::Role::admin);
  auto c = s.client();
  httplib::Headers headers = bearer(admin);
  headers.emplace("X-Forwarded-Proto", "https");
  auto res = c.Post("/api/v1/enrollment-codes", headers, json{{"store_id", "MCR-01"}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  const json body = json::parse(res->body);
  const std::string code = body["code"];

  // What it holds: the code, the store, and this server as the browser reached it.
  const std::string origin = "https://127.0.0.1:" + std::to_string(s.port());
  CHECK(body["qr_text"] == "heed-enrol:" + code + "?store=MCR-01&server=" + encoded(origin));

  const auto parsed = parse_xml(body["qr_svg"].get<std::string>());
  REQUIRE(parsed.well_formed);
  REQUIRE(!parsed.elements.empty());
  const Element& svg = parsed.elements.front();
  CHECK(svg.name == "svg");
  CHECK(svg.attributes.at("xmlns") == "http://www.w3.org/2000/svg");
  CHECK(svg.attributes.at("shape-rendering") == "crispEdges");
  const Element* title = only(parsed, "title");
  REQUIRE(title);
  CHECK(title->depth == 1);
  CHECK(title->text.find(code) != std::string::npos);
  CHECK(title->text.find("MCR-01") != std::string::npos);

  const auto qr = make_qr(body["qr_text"].get<std::string>());
  REQUIRE(qr);
  const int side = qr->size + 8;  // 4 modules of quiet zone each side
  CHECK(svg.attributes.at("viewBox") == fmt::format("0 0 {0} {0}", side));
  CHECK(svg.attributes.at("width") == svg.attributes.at("height"));
  CHECK(std::stoi(svg.attributes.at("width")) % side == 0);
  const Element* background = only(parsed, "rect");
  REQUIRE(background);
  CHECK(background->attributes.at("width") == std::to_string(side));
  CHECK(background->attributes.at("fill") == "#ffffff");

  // The path, read back: unit squares only, all inside the quiet zone, one per dark module.
  const Element* path = only(parsed, "path");
  REQUIRE(path);
  const std::string d = path->attributes.at("d");
  const std::regex square(R"(M(\d+) (\d+)h1v1h-1z)");
  std::set<std::pair<int, int>> drawn;
  std::size_t covered = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), square); it != std::sregex_iterator(); ++it) {
    CHECK(it->position() == static_cast<std::ptrdiff_t>(covered));  // nothing between the squares
    covered += static_cast<std::size_t>(it->length());
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]);
    CHECK(x >= 4);
    CHECK(y >= 4);
    CHECK(x < side - 4);
    CHECK(y < side - 4);
    CHECK(drawn.insert({x - 4, y - 4}).second);
  }
  CHECK(covered == d.size());
  std::set<std::pair<int, int>> dark;
  for (int y = 0; y < qr->size; ++y)
    for (int x = 0; x < qr->size; ++x)
      if (qr->is_dark(x, y)) dark.insert({x, y});
  CHECK(drawn.size() > 100);
  CHECK(drawn == dark);

  // The code in it enrolls the tablet.
  auto enrolled = c.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "Till 1"}}.dump(), "application/json");
  REQUIRE(enrolled);
  CHECK(enrolled->status == 201);
}

TEST_CASE("enrolment code: without a plain Host the QR holds the code and the store only") {
  TestServer s;
  const auto admin = s.sign_in("root", server::Role::admin);
  auto c = s.client();
  httplib::Headers headers = bearer(admin);
  headers.emplace("Host", "evil\"host<svg>");
  auto res = c.Post("/api/v1/enrollment-codes", headers, json{{"store_id", "LON-01"}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  const json body = json::parse(res->body);
  CHECK(body["qr_text"] == "heed-enrol:" + body["code"].get<std::string>() + "?store=LON-01");
  CHECK(parse_xml(body["qr_svg"].get<std::string>()).well_formed);
}

TEST_CASE("qr_svg escapes its title") {
  const auto qr = make_qr("x");
  REQUIRE(qr);
  const auto parsed = parse_xml(qr_svg(*qr, "a <b> & \"c\""));
  REQUIRE(parsed.well_formed);
  const Element* title = only(parsed, "title");
  REQUIRE(title);
  CHECK(title->text == "a <b> & \"c\"");
}
