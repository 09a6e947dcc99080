// A configuration file that must hold one JSON object (the workflow rules, the
// server's config): read whole, with the errors every such file gives.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "heed/result.hpp"

namespace heed {

// The object in `file`; "unreadable" or "json_invalid" (field "") naming the file otherwise.
Result<nlohmann::json, FieldErrors> read_json_object(const std::filesystem::path& file);

}  // namespace heed
