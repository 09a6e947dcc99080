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
  nlohmann::json good;              // a valid value
  std::vector<std::string> fits{};  // bad_values() that are valid here (by `what`): "a bool" for a flag
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
  // In an order one case allows: a complaint, open, worked by a head-office manager.
  static const std::vector<ActionSpec> specs{
      {"acknowledge", {{"note", false, "Called the customer"}}},
      {"assign", {{"assignee", true, "me"}, {"note", false, "Taking this one"}}},
      {"unassign", {{"note", false, "Back to the queue"}}},
      {"note", {{"note", true, "Rang the supplier"}}},
      {"contact",
       {{"channel", true, "phone"},
        {"direction", true, "outbound"},
        {"outcome", true, "left_message"},
        {"summary", true, "Asked them to ring back about the kettle"},
        {"note", false, "Second try"}}},
      {"wait_for_customer", {{"note", true, "Asked for a photo of the receipt"}}},
      {"customer_replied", {{"note", false, "Photo received"}}},
      {"escalate", {{"reason", true, "Needs the buyer's decision"}, {"to_level", false, "head_office"}}},
      {"resolve",
       {{"outcome", true, "Faulty element confirmed; replacement sent"},
        {"remedies", true,
         nlohmann::json::array({{{"kind", "replacement"}}, {{"kind", "goodwill"}, {"amount_pence", 1000}}})},
        {"root_cause", true, "product_quality"},
        {"note", false, "Replacement sent"}}},
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

// The follow-up's own action, walked on a follow-up case.
inline const ActionSpec& close_follow_up_spec() {
  static const ActionSpec spec{"close_follow_up",
                               {{"satisfied", true, true, {"a bool"}}, {"note", false, "Happy now"}}};
  return spec;
}

// Whether `bad` is in fact a valid value of `field`.
inline bool fits(const ActionField& field, const BadValue& bad) {
  for (const auto& what : field.fits)
    if (what == bad.what) return true;
  return false;
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
