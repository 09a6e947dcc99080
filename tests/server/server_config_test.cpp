// heed-server's config file: webhook endpoints with their secrets and events,
// and every mistake named by its field.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/server/server_config.hpp"
#include "temp_dir.hpp"

using namespace heed;
using nlohmann::json;

namespace {

struct ConfigDir {
  test::TempDir dir;
  Result<server::ServerConfig, FieldErrors> load(const json& config) {
    std::ofstream(dir / "heed.json") << config.dump();
    return server::load_server_config(dir / "heed.json", [](const std::string& name) -> std::optional<std::string> {
      if (name == "OPS_SECRET") return "ops secret";
      return std::nullopt;
    });
  }
};

}  // namespace

TEST_CASE("server config: endpoints with a secret from a file beside it or from the environment") {
  ConfigDir d;
  std::ofstream(d.dir / "crm.secret") << "crm secret\n";
  auto config = d.load(
      {{"webhooks",
        {{{"name", "crm"},
          {"url", "https://crm.example/hooks"},
          {"secret_file", "crm.secret"},
          {"events", {"case.opened", "case.resolved"}}},
         {{"name", "ops"}, {"url", "http://127.0.0.1:9000/"}, {"secret_env", "OPS_SECRET"}, {"events", {"*"}}}}}});
  REQUIRE(config);
  REQUIRE(config->webhooks.size() == 2);
  const auto& crm = config->webhooks[0];
  CHECK(crm.secret == "crm secret");  // the first line, without its newline
  CHECK(crm.wants("case.opened"));
  CHECK_FALSE(crm.wants("case.breached"));
  CHECK(config->webhooks[1].secret == "ops secret");
  for (auto event : server::kWebhookEvents) CHECK(config->webhooks[1].wants(event));
  CHECK(d.load(json::object())->webhooks.empty());
}

TEST_CASE("server config: every mistake is named by its field") {
  ConfigDir d;
  const json good{{"name", "ops"}, {"url", "https://ops.example/h"}, {"secret_env", "OPS_SECRET"}, {"events", {"*"}}};
  auto errors = [&](const json& endpoint) { return d.load({{"webhooks", {good, endpoint}}}).error(); };
  auto with = [&](const char* key, const json& value) {
    json e = good;
    e["name"] = "two";
    e[key] = value;
    return e;
  };
  auto without = [&](const char* key) {
    json e = good;
    e["name"] = "two";
    e.erase(key);
    return e;
  };
  CHECK(test::names_field(errors(good), "webhooks[1].name", "duplicate"));
  CHECK(test::names_field(errors(with("name", "Ops Team")), "webhooks[1].name", "invalid"));
  CHECK(test::names_field(errors(without("name")), "webhooks[1].name", "required"));
  CHECK(test::names_field(errors(with("url", "ftp://x/")), "webhooks[1].url", "invalid"));
  CHECK(test::names_field(errors(without("url")), "webhooks[1].url", "required"));
  CHECK(test::names_field(errors(with("events", {"case.closed"})), "webhooks[1].events", "invalid"));
  CHECK(test::names_field(errors(with("events", json::array())), "webhooks[1].events", "invalid"));
  CHECK(test::names_field(errors(without("events")), "webhooks[1].events", "required"));
  CHECK(test::names_field(errors(with("secret_env", "NOT_SET")), "webhooks[1].secret_env", "unset"));
  CHECK(test::names_field(errors(with("secret_file", "missing.secret")), "webhooks[1].secret_file", "required"));
  CHECK(test::names_field(errors(without("secret_env")), "webhooks[1].secret_file", "required"));
  json from_file = without("secret_env");
  from_file["secret_file"] = "missing.secret";
  CHECK(test::names_field(errors(from_file), "webhooks[1].secret_file", "unreadable"));
  CHECK(test::names_field(errors(with("retries", 3)), "webhooks[1].retries", "unknown_key"));
  CHECK(test::names_field(errors("ops"), "webhooks[1]", "invalid"));
  CHECK(test::names_field(d.load({{"webhook", json::array()}}).error(), "webhook", "unknown_key"));
  CHECK(test::names_field(d.load({{"webhooks", "ops"}}).error(), "webhooks", "invalid"));
  std::ofstream(d.dir / "broken.json") << "{";
  CHECK(test::names_field(server::load_server_config(d.dir / "broken.json").error(), "", "json_invalid"));
  CHECK(test::names_field(server::load_server_config(d.dir / "absent.json").error(), "", "unreadable"));
}

TEST_CASE("server config: the shipped example reads, given its secrets") {
  test::TempDir dir;
  std::ofstream(dir / "ops.secret") << "ops secret\n";
  // The example's secret file is an absolute path on a server; here it points into the test's folder.
  std::ifstream in(std::filesystem::path(HEED_ASSETS_DIR) / "config/server.example.json");
  json example = json::parse(in);
  example["webhooks"][1]["secret_file"] = (dir / "ops.secret").string();
  std::ofstream(dir / "heed.json") << example.dump();
  auto config =
      server::load_server_config(dir / "heed.json", [](const std::string& name) -> std::optional<std::string> {
        if (name == "HEED_CRM_WEBHOOK_SECRET") return "crm secret";
        if (name == "HEED_SMTP_PASSWORD") return "smtp secret";
        return std::nullopt;
      });
  REQUIRE(config);
  REQUIRE(config->webhooks.size() == 2);
  CHECK(config->webhooks[0].wants("case.opened"));
  CHECK(config->webhooks[1].wants("case.breached"));
  CHECK_FALSE(config->webhooks[1].wants("case.opened"));
  REQUIRE(config->smtp);
  CHECK(config->smtp->url == "smtp://relay.example.co.uk:587");
  CHECK(config->smtp->from == "heed@example.co.uk");
  CHECK(config->smtp->username == "heed");
  CHECK(config->smtp->password == "smtp secret");
  CHECK(config->smtp->tls == "try");
  CHECK(config->digest_send_hour == 7);
}

TEST_CASE("server config: the SMTP relay and the digest's settings are checked, each error naming its key") {
  test::TempDir dir;
  std::ofstream(dir / "heed.json") << R"({"smtp": {"url": "http://relay", "from": "heed at example", "tls": "maybe",
    "password": "in the clear", "password_env": "NOPE"}, "digest": {"send_hour": 24, "min_sample": 0}})";
  auto config = server::load_server_config(dir / "heed.json", [](const std::string&) { return std::nullopt; });
  REQUIRE_FALSE(config);
  const auto& e = config.error();
  CHECK(test::names_field(e, "smtp.url", "invalid"));
  CHECK(test::names_field(e, "smtp.from", "invalid"));
  CHECK(test::names_field(e, "smtp.tls", "invalid"));
  CHECK(test::names_field(e, "smtp.password", "unknown_key"));  // never a password in the config itself
  CHECK(test::names_field(e, "smtp.password_env", "unset"));
  CHECK(test::names_field(e, "digest.send_hour", "invalid"));
  CHECK(test::names_field(e, "digest.min_sample", "unknown_key"));  // the rules' insight.min_sample
  std::ofstream(dir / "ok.json") << R"({"smtp": {"url": "smtps://relay.example:465", "from": "heed@example.co.uk"}})";
  auto ok = server::load_server_config(dir / "ok.json");
  REQUIRE(ok);
  CHECK(ok->smtp->url == "smtps://relay.example:465");
  CHECK(ok->smtp->username.empty());
  CHECK_FALSE(ok->digest_send_hour);
}
