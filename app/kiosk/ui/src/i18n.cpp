// The string catalogue: loading the flat key -> text JSON files and looking keys up.
#include "heed/ui/i18n.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace heed::ui {
namespace {

// Reads a whole file into `out`; false when it cannot be opened.
bool read_file(const std::filesystem::path& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// Merges one catalogue document into `strings`; `what` names it in errors.
Result<void> merge(std::string_view text, std::string_view what,
                   std::map<std::string, std::string, std::less<>>& strings) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return make_error(Errc::invalid, std::string(what) + ": not valid JSON");
  if (!json.is_object()) return make_error(Errc::invalid, std::string(what) + ": must be a JSON object of key -> text");
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) return make_error(Errc::invalid, std::string(what) + ": \"" + key + "\" must be a string");
    strings[key] = value.get<std::string>();
  }
  return Ok{};
}

}  // namespace

Result<Catalog> Catalog::from_json(std::string_view english, std::string_view overlay,
                                   std::string_view overlay_language) {
  Catalog catalog;
  if (auto merged = merge(english, "en.json", catalog.strings_); !merged) return merged.error();
  if (!overlay.empty()) {
    const std::string name = std::string(overlay_language) + ".json";
    if (auto merged = merge(overlay, name, catalog.strings_); !merged) return merged.error();
    catalog.language_ = std::string(overlay_language);
  }
  return catalog;
}

Result<Catalog> Catalog::load(const std::filesystem::path& dir, std::string_view language) {
  std::string english;
  const auto english_file = dir / "en.json";
  if (!read_file(english_file, english))
    return make_error(Errc::not_found, english_file.string() + ": cannot read the English string catalogue");
  std::string overlay;
  if (language != "en") {
    // A language without a catalogue file falls back to English, whole.
    if (!read_file(dir / (std::string(language) + ".json"), overlay)) overlay.clear();
  }
  auto catalog = from_json(english, overlay, overlay.empty() ? std::string_view{} : language);
  if (!catalog) {
    return make_error(catalog.error().code, (dir / "").string() + catalog.error().message);
  }
  return catalog;
}

const char* Catalog::tr(std::string_view key) const {
  if (const auto it = strings_.find(key); it != strings_.end()) return it->second.c_str();
  auto [it, inserted] = missing_.try_emplace(std::string(key), std::string(key));
  (void)inserted;
  return it->second.c_str();
}

std::string Catalog::format(std::string_view key,
                            std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
  const std::string_view text = tr(key);
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      const auto close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        const auto name = text.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [arg_name, value] : args) {
          if (arg_name == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i];
    ++i;
  }
  return out;
}

bool Catalog::has(std::string_view key) const { return strings_.find(key) != strings_.end(); }

std::vector<std::string> Catalog::missing_keys() const {
  std::vector<std::string> keys;
  keys.reserve(missing_.size());
  for (const auto& [key, value] : missing_) keys.push_back(key);
  return keys;
}

}  // namespace heed::ui
