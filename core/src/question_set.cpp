// Question sets: checked on load so the kiosk never shows a question without
// English wording or records a touchpoint the server would refuse.
#include "heed/question_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "heed/validation.hpp"

namespace heed {

using nlohmann::json;

namespace {
constexpr std::array<std::string_view, 4> kQuestionNames{"csat", "nps", "comment", "callback"};
}

std::string_view question_name(Question question) { return kQuestionNames[static_cast<std::size_t>(question)]; }

bool QuestionSet::asks(Question question) const {
  return std::find(questions.begin(), questions.end(), question) != questions.end();
}

const std::string& QuestionSet::wording(std::string_view language, std::string_view key) const {
  if (auto lang = text.find(language); lang != text.end())
    if (auto it = lang->second.find(std::string(key)); it != lang->second.end()) return it->second;
  static const std::string none;
  const auto& english = text.find(std::string_view("en"));
  if (english == text.end()) return none;
  auto it = english->second.find(std::string(key));
  return it == english->second.end() ? none : it->second;
}

Result<QuestionSet, FieldErrors> parse_question_set(const json& document) {
  FieldErrors errors;
  auto fail = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), "invalid", std::move(message)});
  };
  if (!document.is_object()) return FieldErrors{{"", "type", "a question set must be a JSON object"}};
  QuestionSet set;

  for (const auto& [key, value] : document.items())
    if (key != "touchpoint" && key != "questions" && key != "text") fail(key, "is not a question-set key");

  const auto touchpoint = document.value("touchpoint", json());
  if (!touchpoint.is_string()) {
    fail("touchpoint", "is required: a code like \"checkout\"");
  } else {
    set.touchpoint = touchpoint.get<std::string>();
    if (set.touchpoint.empty() || set.touchpoint.size() > 64 ||
        !std::all_of(set.touchpoint.begin(), set.touchpoint.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }))
      fail("touchpoint", "must be 1-64 of a-z, 0-9, _ and -");
  }

  const auto questions = document.value("questions", json());
  if (!questions.is_array() || questions.empty()) {
    fail("questions", "must list the questions to ask, e.g. [\"csat\", \"nps\", \"comment\", \"callback\"]");
  } else {
    for (const auto& item : questions) {
      const auto name = item.is_string() ? item.get<std::string>() : std::string();
      const auto it = std::find(kQuestionNames.begin(), kQuestionNames.end(), name);
      if (it == kQuestionNames.end()) {
        fail("questions", fmt::format("\"{}\" is not one of: csat, nps, comment, callback", item.dump()));
        continue;
      }
      const auto question = static_cast<Question>(it - kQuestionNames.begin());
      if (set.asks(question))
        fail("questions", fmt::format("asks \"{}\" twice", name));
      else
        set.questions.push_back(question);
    }
    if (!set.asks(Question::csat) && !set.asks(Question::nps))
      fail("questions", "must ask csat or nps: a feedback record needs a rating");
  }

  const auto text = document.value("text", json());
  if (!text.is_object()) {
    fail("text", "must give the wording per language, with \"en\" at least");
  } else {
    for (const auto& [language, entries] : text.items()) {
      if (!entries.is_object()) {
        fail("text." + language, "must be an object of key -> text");
        continue;
      }
      for (const auto& [key, value] : entries.items()) {
        if (!value.is_string() || !utf8_length(value.get<std::string>()) || value.get<std::string>().empty())
          fail("text." + language + "." + key, "must be non-empty UTF-8 text");
        else
          set.text[language][key] = value.get<std::string>();
      }
    }
    std::vector<std::string> needed{"touchpoint_name"};
    for (Question q : set.questions) needed.emplace_back(question_name(q));
    for (const auto& key : needed)
      if (!set.text.count(std::string_view("en")) || !set.text["en"].count(key))
        fail("text.en." + key, "is required: English is every question's fallback");
  }

  if (!errors.empty()) return errors;
  return set;
}

Result<QuestionSet, FieldErrors> load_question_set(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return FieldErrors{{"", "unreadable", fmt::format("{} cannot be read", file.string())}};
  std::stringstream text;
  text << in.rdbuf();
  const json document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded())
    return FieldErrors{{"", "json_invalid", fmt::format("{} is not valid JSON", file.string())}};
  return parse_question_set(document);
}

}  // namespace heed
