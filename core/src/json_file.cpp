// Reading a JSON configuration file (see json_file.hpp).
#include "heed/json_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace heed {

Result<nlohmann::json, FieldErrors> read_json_object(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return FieldErrors{{"", "unreadable", fmt::format("{} cannot be read", file.string())}};
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return FieldErrors{{"", "json_invalid", fmt::format("{} is not a JSON object", file.string())}};
  return doc;
}

}  // namespace heed
