// The table the case-action tests walk: each action, each field it takes, and
// each way a field can be wrong (missing, null, a number, a bool, an object, an
// array, empty, only spaces). A bad body is the action's valid body with that one
// field changed, so the only error expected is the one naming that field.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace heed::test {

struct ActionField {
  std::string name;
  bool required = false;
  nlohmann::json good;  // a valid value
};

struct ActionSpec {
  std::string action;
  std::vector<ActionField> fields;

  // The action with every field valid.
  nlohmann::json valid_body() const {
    nlohmann::json body{{"action", action}};
    for (const auto& f : fields) body[f.name] = f.good;
    return body;
  }
};

inline const std::vector<ActionSpec>& action_specs() {
  static const std::vector<ActionSpec> specs{
      {"acknowledge", {{"note", false, "Called the customer"}}},
      {"assign", {{"assignee", true, "carol"}, {"note", false, "Area manager for Manchester"}}},
      {"note", {{"note", true, "Rang the supplier"}}},
      {"resolve", {{"root_cause", true, "product_quality"}, {"note", false, "Replacement sent"}}},
      {"reopen", {{"note", true, "The new one leaks too"}}},
  };
  return specs;
}

// One way a field can be wrong. `value` empty: the field is left out.
struct BadValue {
  std::string what;
  std::optional<nlohmann::json> value;
};

inline const std::vector<BadValue>& bad_values() {
  static const std::vector<BadValue> values{
      {"missing", std::nullopt},
      {"null", nlohmann::json(nullptr)},
      {"a number", nlohmann::json(42)},
      {"a bool", nlohmann::json(true)},
      {"an object", nlohmann::json{{"text", "x"}}},
      {"an array", nlohmann::json::array({"x"})},
      {"an empty string", nlohmann::json("")},
      {"only spaces", nlohmann::json("   ")},
  };
  return values;
}

// The body with `field` replaced by `bad` (or left out).
inline nlohmann::json with_bad(const ActionSpec& spec, const std::string& field, const BadValue& bad) {
  nlohmann::json body = spec.valid_body();
  if (bad.value)
    body[field] = *bad.value;
  else
    body.erase(field);
  return body;
}

}  // namespace heed::test
