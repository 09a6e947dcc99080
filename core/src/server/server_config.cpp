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

// "smtp": the relay digests go through (smtp.hpp).
void read_smtp(const json& doc, const std::filesystem::path& file,
               const std::function<std::optional<std::string>(const std::string&)>& env, ServerConfig& config,
               FieldErrors& errors) {
  if (!doc.contains("smtp")) return;
  const json& s = doc["smtp"];
  if (!s.is_object()) {
    errors.push_back({"smtp", "invalid", "must be {\"url\", \"from\", ...}"});
    return;
  }
  for (const auto& [key, value] : s.items())
    if (key != "url" && key != "from" && key != "from_name" && key != "username" && key != "password_file" &&
        key != "password_env" && key != "tls" && key != "timeout_s")
      errors.push_back({"smtp." + key, "unknown_key", "is not an SMTP setting Heed knows"});
  auto text_of = [&](const char* key) -> std::optional<std::string> {
    if (!s.contains(key)) return std::nullopt;
    if (!s[key].is_string()) {
      errors.push_back({std::string("smtp.") + key, "invalid", "must be text"});
      return std::nullopt;
    }
    return s[key].get<std::string>();
  };
  SmtpSettings smtp;
  smtp.url = text_of("url").value_or("");
  const auto scheme = smtp.url.find("://");
  const std::string scheme_name = scheme == std::string::npos ? "" : smtp.url.substr(0, scheme);
  if ((scheme_name != "smtp" && scheme_name != "smtps") || smtp.url.size() <= scheme + 3 ||
      smtp.url.find_first_of(" \t\r\n") != std::string::npos)
    errors.push_back({"smtp.url", s.contains("url") ? "invalid" : "required",
                      "give the relay as smtp://host[:port] (STARTTLS) or smtps://host[:port]"});
  smtp.from = text_of("from").value_or("");
  if (!is_mail_address(smtp.from))
    errors.push_back({"smtp.from", s.contains("from") ? "invalid" : "required",
                      "give the address digests come from, like heed@example.co.uk"});
  if (auto name = text_of("from_name")) {
    if (name->empty() || name->size() > 100 || name->find_first_of("\r\n") != std::string::npos)
      errors.push_back({"smtp.from_name", "invalid", "is 1-100 characters on one line"});
    else
      smtp.from_name = *name;
  }
  smtp.username = text_of("username").value_or("");
  const auto password_file = text_of("password_file");
  const auto password_env = text_of("password_env");
  if (password_file && password_env) {
    errors.push_back({"smtp.password_file", "invalid", "give at most one of password_file and password_env"});
  } else if (password_file) {
    std::filesystem::path path = *password_file;
    if (path.is_relative()) path = file.parent_path() / path;
    std::ifstream in(path);
    std::stringstream content;
    if (in) content << in.rdbuf();
    smtp.password = first_line(content.str());
    if (smtp.password.empty())
      errors.push_back({"smtp.password_file", "unreadable", fmt::format("no password can be read from {}", path.string())});
  } else if (password_env) {
    std::optional<std::string> value;
    if (env)
      value = env(*password_env);
    else if (const char* v = std::getenv(password_env->c_str()))
      value = v;
    smtp.password = value.value_or("");
    if (smtp.password.empty())
      errors.push_back({"smtp.password_env", "unset",
                        fmt::format("the environment variable {} is unset or empty", *password_env)});
  }
  if (!smtp.password.empty() && smtp.username.empty())
    errors.push_back({"smtp.username", "required", "a password needs the username it goes with"});
  if (auto tls = text_of("tls")) {
    if (*tls != "try" && *tls != "required" && *tls != "none")
      errors.push_back({"smtp.tls", "invalid", "must be try (STARTTLS when offered), required or none"});
    else
      smtp.tls = *tls;
  }
  if (s.contains("timeout_s")) {
    if (!s["timeout_s"].is_number_integer() || s["timeout_s"].get<std::int64_t>() < 1 ||
        s["timeout_s"].get<std::int64_t>() > 600)
      errors.push_back({"smtp.timeout_s", "invalid", "must be a whole number of seconds from 1 to 600"});
    else
      smtp.timeout = std::chrono::seconds(s["timeout_s"].get<int>());
  }
  config.smtp = std::move(smtp);
}

// "digest": when digests go. (How small a sample may show a figure is the
// rules' insight.min_sample, which the dashboard follows too.)
void read_digest(const json& doc, ServerConfig& config, FieldErrors& errors) {
  if (!doc.contains("digest")) return;
  const json& d = doc["digest"];
  if (!d.is_object()) {
    errors.push_back({"digest", "invalid", "must be {\"send_hour\"}"});
    return;
  }
  for (const auto& [key, value] : d.items())
    if (key != "send_hour")
      errors.push_back({"digest." + key, "unknown_key", "is not a digest setting Heed knows"});
  auto whole = [&](const char* key, int lo, int hi, std::optional<int>& out) {
    if (!d.contains(key)) return;
    const json& v = d[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
      errors.push_back({std::string("digest.") + key, "invalid", fmt::format("must be a whole number from {} to {}", lo, hi)});
    else
      out = v.get<int>();
  };
  whole("send_hour", 0, 23, config.digest_send_hour);
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
    if (key != "webhooks" && key != "smtp" && key != "digest")
      errors.push_back({key, "unknown_key", "is not a setting Heed knows (check the spelling)"});
  read_smtp(doc, file, env, config, errors);
  read_digest(doc, config, errors);
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
