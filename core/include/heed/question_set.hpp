// A question set: which kiosk questions appear, in which order, their wording in
// each language, and the touchpoint they describe. Files live in
// assets/questions/<name>.json; the device config names one.
//
// {
//   "touchpoint": "checkout",                       code recorded on each feedback
//   "questions": ["csat", "nps", "comment", "callback"],
//   "text": {
//     "en": {"touchpoint_name": "Checkout", "csat": "How was your visit today?", ...},
//     "cy": {...}                                   any key missing falls back to English
//   }
// }
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/result.hpp"

namespace heed {

enum class Question { csat, nps, comment, callback };
std::string_view question_name(Question question);

struct QuestionSet {
  std::string touchpoint;
  std::vector<Question> questions;
  // language -> key -> text; keys: "touchpoint_name" and each question's name.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> text;

  bool asks(Question question) const;
  // The wording in `language`, else English (which the loader guarantees).
  const std::string& wording(std::string_view language, std::string_view key) const;
};

Result<QuestionSet, FieldErrors> parse_question_set(const nlohmann::json& document);
Result<QuestionSet, FieldErrors> load_question_set(const std::filesystem::path& file);

}  // namespace heed
