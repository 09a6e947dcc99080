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

// Every key of `object` that is not in `known` is an error named `at` + key.
void check_keys(const json& object, std::initializer_list<std::string_view> known, const std::string& at,
                std::string_view what, FieldErrors& errors) {
  for (const auto& [key, value] : object.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.push_back({at + key, "unknown_key", fmt::format("is not {} Heed knows (check the spelling)", what)});
}

// `object`'s text at `key`; none when absent, and an error (named `at` + key) when not text.
std::optional<std::string> text_setting(const json& object, const char* key, const std::string& at,
                                        FieldErrors& errors) {
  if (!object.contains(key)) return std::nullopt;
  if (!object[key].is_string()) {
    errors.push_back({at + key, "invalid", "must be text"});
    return std::nullopt;
  }
  return object[key].get<std::string>();
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
  check_keys(s, {"url", "from", "from_name", "username", "password_file", "password_env", "tls", "timeout_s"},
             "smtp.", "an SMTP setting", errors);
  auto text_of = [&](const char* key) { return text_setting(s, key, "smtp.", errors); };
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
  check_keys(d, {"send_hour"}, "digest.", "a digest setting", errors);
  if (!d.contains("send_hour")) return;
  const json& hour = d["send_hour"];
  if (!hour.is_number_integer() || hour.get<std::int64_t>() < 0 || hour.get<std::int64_t>() > 23)
    errors.push_back({"digest.send_hour", "invalid", "must be a whole number from 0 to 23"});
  else
    config.digest_send_hour = hour.get<int>();
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
  check_keys(doc, {"webhooks", "smtp", "digest"}, "", "a setting", errors);
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
    check_keys(w, {"name", "url", "secret_file", "secret_env", "events"}, at + ".", "a webhook setting", errors);
    auto text_of = [&](const char* key) { return text_setting(w, key, at + ".", errors); };
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
