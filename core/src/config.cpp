// The device config file: every key known, every value checked, every problem
// reported with its key so a person can fix the file in one go.
#include "heed/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "heed/reference.hpp"
#include "heed/secrets.hpp"
#include "heed/validation.hpp"

namespace heed {

using nlohmann::json;

std::string_view mode_name(DeviceMode mode) { return mode == DeviceMode::kiosk ? "kiosk" : "staff"; }
std::string_view theme_name(Theme theme) { return theme == Theme::standard ? "standard" : "high_contrast"; }

namespace {

class ConfigReader {
 public:
  ConfigReader(const json& object, std::string prefix, FieldErrors& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  const json* get(const std::string& key, bool required) {
    known_.insert(key);
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) fail(key, "required", "is required");
      return nullptr;
    }
    return &*it;
  }

  // A required or optional string that `accept` approves, else `rule` is the message.
  template <class Accept>
  void string(const std::string& key, std::string& out, bool required, Accept accept, std::string_view rule) {
    const json* v = get(key, required);
    if (!v) return;
    if (!v->is_string()) return fail(key, "type", "must be a string");
    auto value = v->get<std::string>();
    if (!accept(value)) return fail(key, "invalid", std::string(rule));
    out = std::move(value);
  }

  void seconds(const std::string& key, std::chrono::seconds& out, int min, int max) {
    const json* v = get(key, false);
    if (!v) return;
    if (!v->is_number_integer() || v->get<std::int64_t>() < min || v->get<std::int64_t>() > max)
      return fail(key, "invalid", fmt::format("must be a whole number of seconds from {} to {}", min, max));
    out = std::chrono::seconds{v->get<std::int64_t>()};
  }

  void fail(const std::string& key, std::string_view code, std::string message) {
    errors_.push_back({prefix_ + key, std::string(code), std::move(message)});
  }

  void reject_unknown() {
    for (const auto& [key, value] : object_.items())
      if (!known_.count(key)) fail(key, "unknown_key", "is not a setting Heed knows (check the spelling)");
  }

  std::string path(const std::string& key) const { return prefix_ + key; }

 private:
  const json& object_;
  std::string prefix_;
  FieldErrors& errors_;
  std::set<std::string> known_;
};

bool is_language_code(const std::string& code) {
  return code.size() >= 2 && code.size() <= 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_server_url(const std::string& url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.rfind(scheme, 0) != 0) continue;
    const std::string_view rest = std::string_view(url).substr(scheme.size());
    const auto host_end = rest.find_first_of("/?#");
    const auto authority = rest.substr(0, host_end);
    return !authority.empty() && authority.find(' ') == std::string_view::npos;
  }
  return false;
}

std::string normalise_pin(const std::string& pin) {
  std::string out;
  for (char c : pin) {
    if (c == ':') continue;
    out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool is_key_pin(const std::string& pin) {
  const std::string hex = normalise_pin(pin);
  return hex.size() == 64 &&
         std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<DeviceConfig, FieldErrors> parse_device_config(const json& document, const std::filesystem::path& base_dir) {
  if (!document.is_object()) return FieldErrors{{"", "type", "the config must be a JSON object"}};
  FieldErrors errors;
  DeviceConfig config;
  ConfigReader r(document, "", errors);

  r.string("store_id", config.store_id, true, is_valid_store_id, "must be 1-32 of A-Z, 0-9, - and _");
  r.string(
      "store_code", config.store_code, true, [](const std::string& s) { return is_valid_store_code(s); },
      fmt::format("must be 2-6 of {} (no 0, O, 1 or I), unique in the chain", kReferenceAlphabet));
  r.string(
      "device_name", config.device_name, true,
      [](const std::string& s) {
        auto n = utf8_length(s);
        return n && *n >= 1 && *n <= 64;
      },
      "must be 1-64 characters");
  r.string(
      "device_code", config.device_code, true, [](const std::string& s) { return is_valid_device_code(s); },
      fmt::format("must be 1-4 of {} (no 0, O, 1 or I), unique in the store", kReferenceAlphabet));
  r.string("server_url", config.server_url, true, is_server_url,
           "must be an http:// or https:// address such as https://heed.example.com");

  std::string text;
  r.string(
      "mode", text, false, [](const std::string& s) { return s == "kiosk" || s == "staff"; },
      "must be \"kiosk\" or \"staff\"");
  if (text == "staff") config.mode = DeviceMode::staff;

  text.clear();
  r.string(
      "theme", text, false, [](const std::string& s) { return s == "standard" || s == "high_contrast"; },
      "must be \"standard\" or \"high_contrast\"");
  if (text == "high_contrast") config.theme = Theme::high_contrast;

  if (const json* languages = r.get("languages", false)) {
    const std::string rule = "must be a non-empty list of distinct language codes such as [\"en\", \"cy\"]";
    std::vector<std::string> codes;
    bool good = languages->is_array() && !languages->empty();
    for (const auto& item : good ? *languages : json::array()) {
      if (!item.is_string() || !is_language_code(item.get<std::string>())) {
        good = false;
        break;
      }
      codes.push_back(item.get<std::string>());
    }
    if (good && std::set<std::string>(codes.begin(), codes.end()).size() != codes.size()) good = false;
    if (good)
      config.languages = std::move(codes);
    else
      r.fail("languages", "invalid", rule);
  }

  if (const json* idle = r.get("idle", false)) {
    if (!idle->is_object()) {
      r.fail("idle", "type", "must be an object with warning_after_s and reset_after_s");
    } else {
      ConfigReader i(*idle, "idle.", errors);
      i.seconds("warning_after_s", config.idle.warning_after, 5, 3600);
      i.seconds("reset_after_s", config.idle.reset_after, 5, 600);
      i.seconds("thanks_after_s", config.idle.thanks_after, 2, 60);
      i.reject_unknown();
    }
  }

  std::string database;
  r.string(
      "database", database, false, [](const std::string& s) { return !s.empty(); }, "must be a file path");
  if (!database.empty()) config.database = database;
  if (config.database.is_relative()) config.database = base_dir / config.database;

  r.string(
      "question_set", config.question_set, false,
      [](const std::string& s) {
        return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
      },
      "must name a file in assets/questions/ without .json, e.g. \"default\"");
  r.string("staff_pin_hash", config.staff_pin_hash, config.mode == DeviceMode::kiosk, is_argon2id_hash,
           "must be an argon2id hash made by `heed --hash-pin`, never the PIN itself");
  r.seconds("misuse_window_s", config.misuse_window, 0, 600);
  r.seconds("staff_lock_after_s", config.staff_lock_after, 15, 3600);

  if (const json* limit = r.get("goodwill_limit_pence", false)) {
    if (!limit->is_number_integer() || limit->get<std::int64_t>() < 0 || limit->get<std::int64_t>() > 10'000'000)
      r.fail("goodwill_limit_pence", "invalid", "must be a whole number of pence from 0 to 10000000");
    else
      config.goodwill_limit_pence = limit->get<std::int64_t>();
  }

  const json* staff = r.get("staff", config.mode == DeviceMode::staff);
  if (staff && (!staff->is_array() || (staff->empty() && config.mode == DeviceMode::staff))) {
    r.fail("staff", "invalid", "must be a list of staff: [{\"id\", \"name\", \"pin_hash\", \"role\"}]");
  } else if (staff) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < staff->size(); ++i) {
      const json& entry = (*staff)[i];
      const std::string path = fmt::format("staff[{}]", i);
      if (!entry.is_object()) {
        r.fail(path, "invalid", "must be an object with id, name, pin_hash and role");
        continue;
      }
      ConfigReader m(entry, path + ".", errors);
      StaffMember member;
      m.string(
          "id", member.id, true,
          [](const std::string& v) {
            auto n = utf8_length(v);
            return n && *n >= 1 && *n <= 64;
          },
          "must be 1-64 characters");
      m.string(
          "name", member.name, true,
          [](const std::string& v) {
            auto n = utf8_length(v);
            return n && *n >= 1 && *n <= 100;
          },
          "must be 1-100 characters");
      m.string("pin_hash", member.pin_hash, true, is_argon2id_hash,
               "must be an argon2id hash made by `heed --hash-pin`, never the PIN itself");
      std::string role;
      m.string(
          "role", role, false, [](const std::string& v) { return v == "staff" || v == "manager"; },
          "must be \"staff\" or \"manager\"");
      if (role == "manager") member.role = StaffRole::manager;
      m.reject_unknown();
      if (!member.id.empty() && !ids.insert(member.id).second) m.fail("id", "duplicate", "is used by two people");
      config.staff.push_back(std::move(member));
    }
  }

  if (const json* sync = r.get("sync", false)) {
    if (!sync->is_object()) {
      r.fail("sync", "type", "must be an object such as {\"allow_insecure\": false}");
    } else {
      ConfigReader s(*sync, "sync.", errors);
      std::string ca_bundle;
      s.string(
          "ca_bundle", ca_bundle, false, [](const std::string& v) { return !v.empty(); }, "must be a file path");
      if (!ca_bundle.empty()) {
        config.sync.ca_bundle = ca_bundle;
        if (config.sync.ca_bundle.is_relative()) config.sync.ca_bundle = base_dir / config.sync.ca_bundle;
      }
      std::string pin;
      s.string(
          "pinned_key_sha256", pin, false, [](const std::string& v) { return is_key_pin(v); },
          "must be the SHA-256 of the server's public key as 64 hexadecimal digits (colons allowed)");
      config.sync.pinned_key_sha256 = normalise_pin(pin);
      if (const json* insecure = s.get("allow_insecure", false)) {
        if (!insecure->is_boolean())
          s.fail("allow_insecure", "type", "must be true or false");
        else
          config.sync.allow_insecure = insecure->get<bool>();
      }
      s.seconds("heartbeat_interval_s", config.sync.heartbeat_interval, 30, 3600);
      s.seconds("erase_after_delivery_s", config.sync.erase_after_delivery, 0, 30 * 24 * 3600);
      s.seconds("request_timeout_s", config.sync.request_timeout, 2, 300);
      s.reject_unknown();
    }
  }
  if (config.server_url.rfind("http://", 0) == 0 && !config.sync.allow_insecure)
    errors.push_back({"server_url", "insecure",
                      "is plain http://, which sends customers' data unencrypted: use https://, or set "
                      "sync.allow_insecure to true for loopback or development"});
  if (!config.sync.pinned_key_sha256.empty() && config.server_url.rfind("https://", 0) != 0)
    errors.push_back({"sync.pinned_key_sha256", "invalid", "needs an https:// server_url"});

  r.reject_unknown();
  if (!errors.empty()) return errors;
  return config;
}

Result<DeviceConfig, FieldErrors> load_device_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return FieldErrors{{"", "unreadable", "cannot be read (does the file exist?)"}};
  std::stringstream text;
  text << in.rdbuf();
  json document = json::parse(text.str(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (document.is_discarded()) return FieldErrors{{"", "json_invalid", "is not valid JSON"}};
  return parse_device_config(document, file.has_parent_path() ? file.parent_path() : std::filesystem::path("."));
}

std::string describe_config_errors(const std::filesystem::path& file, const FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) {
    if (!text.empty()) text += '\n';
    text += e.field.empty() ? fmt::format("{}: {}", file.string(), e.message)
                            : fmt::format("{}: {}: {}", file.string(), e.field, e.message);
  }
  return text;
}

}  // namespace heed
