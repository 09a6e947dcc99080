// Records to and from their wire JSON (../shared/wire-format.md) with
// nlohmann-json. Encoding writes every field (null where absent) in one canonical
// form; decoding checks shape and types, rejects unknown fields, then applies
// validate(), so a decoded record is always valid.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "heed/model.hpp"
#include "heed/result.hpp"

namespace heed {

nlohmann::json to_json(const Record& record);
// Canonical text: sorted keys, no whitespace. Equal records give equal text.
std::string to_canonical_json(const Record& record);

// All problems at once, each naming its field.
Result<Record, FieldErrors> record_from_json(const nlohmann::json& json);
Result<Record, FieldErrors> record_from_json_text(std::string_view text);

}  // namespace heed
