// heed-server's config file (see server_config.hpp).
#include "heed/server/server_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "heed/json_file.hpp"

namespace heed::server {

using nlohmann::json;

namespace {

bool good_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool good_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const std::string s = url.substr(0, scheme);
  return (s == "http" || s == "https") && url.size() > scheme + 3 && url[scheme + 3] != '/' &&
         url.find_first_of(" \t\r\n") == std::string::npos;
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

bool WebhookEndpoint::wants(std::string_view event) const {
  return std::any_of(events.begin(), events.end(), [&](const std::string& e) { return e == "*" || e == event; });
}

FieldErrors check_webhook_endpoints(const std::vector<WebhookEndpoint>& endpoints) {
  FieldErrors errors;
  std::set<std::string> names;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const WebhookEndpoint& e = endpoints[i];
    const std::string at = fmt::format("webhooks[{}]", i);
    if (!good_name(e.name))
      errors.push_back({at + ".name", "invalid", "is 1-64 of a-z 0-9 _ -"});
    else if (!names.insert(e.name).second)
      errors.push_back({at + ".name", "duplicate", fmt::format("another endpoint is already named {}", e.name)});
    if (!good_url(e.url)) errors.push_back({at + ".url", "invalid", "must be an http:// or https:// URL"});
    if (e.secret.empty()) errors.push_back({at + ".secret", "required", "every endpoint's messages are signed"});
    if (e.events.empty()) errors.push_back({at + ".events", "required", "list the events it takes, or [\"*\"]"});
    for (const std::string& ev : e.events)
      if (ev != "*" && std::find(kWebhookEvents.begin(), kWebhookEvents.end(), ev) == kWebhookEvents.end())
        errors.push_back({at + ".events", "invalid",
                          fmt::format("{} is not an event Heed sends (case.opened, case.escalated, case.breached, "
                                      "case.resolved or *)",
                                      ev)});
  }
  return errors;
}

Result<ServerConfig, FieldErrors> load_server_config(
    const std::filesystem::path& file, const std::function<std::optional<std::string>(const std::string&)>& env) {
  auto read = read_json_object(file);
  if (!read) return read.error();
  const json& doc = read.value();

  FieldErrors errors;
  ServerConfig config;
  for (const auto& [key, value] : doc.items())
    if (key != "webhooks") errors.push_back({key, "unknown_key", "is not a setting Heed knows (check the spelling)"});
  if (doc.contains("webhooks") && !doc["webhooks"].is_array())
    errors.push_back({"webhooks", "invalid", "must be a list of endpoints"});
  const json list = doc.contains("webhooks") && doc["webhooks"].is_array() ? doc["webhooks"] : json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& w = list[i];
    const std::string at = fmt::format("webhooks[{}]", i);
    WebhookEndpoint e;
    if (!w.is_object()) {
      errors.push_back({at, "invalid", "must be {\"name\", \"url\", \"secret_file\" or \"secret_env\", \"events\"}"});
      config.webhooks.push_back(std::move(e));  // keeps the later entries' indexes
      continue;
    }
    for (const auto& [key, value] : w.items())
      if (key != "name" && key != "url" && key != "secret_file" && key != "secret_env" && key != "events")
        errors.push_back({at + "." + key, "unknown_key", "is not a webhook setting Heed knows"});
    auto text_of = [&](const char* key) -> std::optional<std::string> {
      if (!w.contains(key)) return std::nullopt;
      if (!w[key].is_string()) {
        errors.push_back({at + "." + key, "invalid", "must be text"});
        return std::nullopt;
      }
      return w[key].get<std::string>();
    };
    const auto name = text_of("name");
    const auto url = text_of("url");
    if (!w.contains("name")) errors.push_back({at + ".name", "required", "name the endpoint"});
    if (!w.contains("url")) errors.push_back({at + ".url", "required", "give the URL messages are POSTed to"});
    e.name = name.value_or("");
    e.url = url.value_or("");
    const auto secret_file = text_of("secret_file");
    const auto secret_env = text_of("secret_env");
    bool secret_reported = false;
    if (w.contains("secret_file") == w.contains("secret_env")) {
      errors.push_back({at + ".secret_file", "required", "give exactly one of secret_file and secret_env"});
      secret_reported = true;
    } else if (secret_file) {
      std::filesystem::path path = *secret_file;
      if (path.is_relative()) path = file.parent_path() / path;
      std::ifstream s(path);
      std::stringstream content;
      if (s) content << s.rdbuf();
      e.secret = first_line(content.str());
      if (e.secret.empty()) {
        errors.push_back(
            {at + ".secret_file", "unreadable", fmt::format("no secret can be read from {}", path.string())});
        secret_reported = true;
      }
    } else if (secret_env) {
      std::optional<std::string> value;
      if (env)
        value = env(*secret_env);
      else if (const char* v = std::getenv(secret_env->c_str()))
        value = v;
      e.secret = value.value_or("");
      if (e.secret.empty()) {
        errors.push_back(
            {at + ".secret_env", "unset", fmt::format("the environment variable {} is unset or empty", *secret_env)});
        secret_reported = true;
      }
    }
    if (!w.contains("events") || !w["events"].is_array() || w["events"].empty() ||
        !std::all_of(w["events"].begin(), w["events"].end(), [](const json& v) { return v.is_string(); })) {
      errors.push_back({at + ".events", w.contains("events") ? "invalid" : "required",
                        "list the events it takes, e.g. [\"case.breached\"], or [\"*\"] for every event"});
    } else {
      for (const auto& ev : w["events"]) e.events.push_back(ev.get<std::string>());
    }
    // The shared checks, without repeating what was already said about this entry.
    WebhookEndpoint checked = e;
    if (secret_reported) checked.secret = "-";
    if (!w.contains("name")) checked.name = "x";
    if (!w.contains("url")) checked.url = "http://x";
    if (checked.events.empty()) checked.events = {"*"};
    std::vector<WebhookEndpoint> so_far = config.webhooks;
    so_far.push_back(checked);
    for (auto& err : check_webhook_endpoints(so_far))
      if (err.field.starts_with(at + ".")) errors.push_back(std::move(err));
    config.webhooks.push_back(std::move(e));
  }
  if (!errors.empty()) return errors;
  return config;
}

}  // namespace heed::server
