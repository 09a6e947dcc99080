#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/question_set.hpp"

using namespace heed;
using heed::test::names_field;
using nlohmann::json;

TEST_CASE("the shipped question sets load, with English for every question") {
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(HEED_ASSETS_DIR) / "questions")) {
    CAPTURE(entry.path().string());
    auto set = load_question_set(entry.path());
    REQUIRE(set.ok());
    CHECK_FALSE(set->wording("en", "touchpoint_name").empty());
    for (Question q : set->questions) CHECK_FALSE(set->wording("en", question_name(q)).empty());
  }
}

TEST_CASE("question-set errors name their key") {
  const json good = {
      {"touchpoint", "checkout"},
      {"questions", {"csat", "comment"}},
      {"text", {{"en", {{"touchpoint_name", "Checkout"}, {"csat", "How was it?"}, {"comment", "Tell us"}}}}}};
  REQUIRE(parse_question_set(good).ok());
  auto errors_of = [](json j) {
    auto r = parse_question_set(j);
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  json j = good;
  j["questions"] = {"comment"};
  CHECK(names_field(errors_of(j), "questions"));  // no rating
  j = good;
  j["questions"] = {"csat", "csat"};
  CHECK(names_field(errors_of(j), "questions"));
  j = good;
  j["questions"] = {"csat", "age"};
  CHECK(names_field(errors_of(j), "questions"));
  j = good;
  j["text"]["en"].erase("comment");
  CHECK(names_field(errors_of(j), "text.en.comment"));
  j = good;
  j["touchpoint"] = "Check Out";
  CHECK(names_field(errors_of(j), "touchpoint"));
  j = good;
  j["colour"] = "blue";
  CHECK(names_field(errors_of(j), "colour"));
}
