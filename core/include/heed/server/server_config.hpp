// heed-server's config file (`heed-server serve --config FILE`, JSON): for now,
// which webhook events go to which URL.
//
//   {"webhooks": [{"name": "ops", "url": "https://ops.example/hooks",
//                  "secret_file": "ops.secret",      (or "secret_env": "OPS_SECRET")
//                  "events": ["case.breached", "case.escalated"]}]}   (or ["*"]: every event)
//
// Invariants: endpoint names are unique (1-64 of a-z 0-9 _ -); every endpoint
// has a URL (http or https), a non-empty secret and at least one event Heed
// sends; a relative secret_file is read beside the config file. The outbox
// keeps each message's endpoint name: a message whose endpoint leaves the
// config is given up (scheduler.hpp), never sent elsewhere.
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heed/result.hpp"
#include "heed/server/smtp.hpp"

namespace heed::server {

// Every event heed-server sends.
// alert.opened: a store alert (alerts.hpp), with its title, window and figures.
inline constexpr std::array<std::string_view, 5> kWebhookEvents{"case.opened", "case.escalated", "case.breached",
                                                                "case.resolved", "alert.opened"};

// The endpoint --webhook-url makes: every event.
inline constexpr std::string_view kDefaultWebhookEndpoint = "default";

struct WebhookEndpoint {
  std::string name;                 // the outbox names it
  std::string url;                  // where messages are POSTed
  std::string secret;               // the HMAC-SHA256 key
  std::vector<std::string> events;  // from kWebhookEvents, or "*" for every one
  bool wants(std::string_view event) const;
};

// The digest's relay and timing (digest.hpp, smtp.hpp):
//   "smtp": {"url": "smtp://relay.example:587", "from": "heed@example.co.uk",
//            "from_name": "Heed", "username": "heed", "password_env": "HEED_SMTP_PASSWORD"
//            (or "password_file"), "tls": "try" | "required" | "none", "timeout_s": 30}
//   "digest": {"send_hour": 7}
struct ServerConfig {
  std::vector<WebhookEndpoint> webhooks;
  std::optional<SmtpSettings> smtp;
  std::optional<int> digest_send_hour;   // 0-23, the chain's local hour after a period ends
};

// Reads and checks the config; every problem names its field ("webhooks[1].url").
// `env` looks up secret_env (tests pass their own; empty: the process's environment).
Result<ServerConfig, FieldErrors> load_server_config(
    const std::filesystem::path& file, const std::function<std::optional<std::string>(const std::string&)>& env = {});

// Checks a list of endpoints as the config does (unique names, URL, secret, events).
FieldErrors check_webhook_endpoints(const std::vector<WebhookEndpoint>& endpoints);

}  // namespace heed::server
