// The device config: the shipped example is valid; every bad key is named.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "heed/config.hpp"
#include "heed/secrets.hpp"

using namespace heed;
using heed::test::names_field;
using nlohmann::json;

namespace {

// The development PIN 4821, hashed as `heed --hash-pin` does.
const std::string kPinHash = *hash_secret("4821");

json minimal() {
  return json{{"store_id", "MCR-01"},
              {"store_code", "MCR"},
              {"device_name", "Kiosk"},
              {"device_code", "K2"},
              {"server_url", "https://heed.example.com"},
              {"staff_pin_hash", kPinHash}};
}

FieldErrors errors_of(const json& j) {
  auto result = parse_device_config(j, "/etc/heed");
  REQUIRE_FALSE(result.ok());
  return result.error();
}

}  // namespace

TEST_CASE("the shipped example config is valid") {
  auto config = load_device_config(std::filesystem::path(HEED_ASSETS_DIR) / "config/device.example.json");
  REQUIRE_MESSAGE(config.ok(),
                  describe_config_errors("device.example.json", config.ok() ? FieldErrors{} : config.error()));
  CHECK(config->store_id == "MCR-01");
  CHECK(config->languages == std::vector<std::string>{"en", "cy", "pl"});
  CHECK(config->mode == DeviceMode::kiosk);
  CHECK(config->database == std::filesystem::path(HEED_ASSETS_DIR) / "config/heed-device.db");
}

TEST_CASE("defaults fill what a minimal config leaves out") {
  auto config = parse_device_config(minimal(), "/etc/heed");
  REQUIRE(config.ok());
  CHECK(config->mode == DeviceMode::kiosk);
  CHECK(config->theme == Theme::standard);
  CHECK(config->languages == std::vector<std::string>{"en"});
  CHECK(config->idle == IdleTimeouts{});
  CHECK(config->database == "/etc/heed/heed-device.db");
  CHECK(config->question_set == "default");
  CHECK(config->misuse_window == std::chrono::seconds(15));
}

TEST_CASE("the kiosk's staff PIN is kept only as an argon2id hash; staff mode signs in from the roster instead") {
  json j = minimal();
  j["staff_pin_hash"] = "4821";
  CHECK(names_field(errors_of(j), "staff_pin_hash", "invalid"));
  j.erase("staff_pin_hash");
  j["mode"] = "staff";
  j["staff"] = {{{"id", "S1042"}, {"name", "Aled Jones"}, {"pin_hash", kPinHash}}};
  CHECK(parse_device_config(j, "/etc/heed").ok());
}

TEST_CASE("each required key is named when missing") {
  for (const char* key : {"store_id", "store_code", "device_name", "device_code", "server_url", "staff_pin_hash"}) {
    json j = minimal();
    j.erase(key);
    CAPTURE(key);
    CHECK(names_field(errors_of(j), key, "required"));
  }
}

TEST_CASE("bad values name their key") {
  const std::vector<std::pair<std::string, json>> bad{{"store_id", "mcr 01"},
                                                      {"store_code", "M0"},
                                                      {"device_code", "K1"},
                                                      {"device_name", ""},
                                                      {"server_url", "ftp://x"},
                                                      {"server_url", "heed.example.com"},
                                                      {"mode", "tablet"},
                                                      {"theme", "dark"},
                                                      {"languages", json::array()},
                                                      {"languages", {"en", "en"}},
                                                      {"languages", {"English"}},
                                                      {"languages", "en"},
                                                      {"database", ""},
                                                      {"store_id", 42},
                                                      {"idle", 30},
                                                      {"question_set", "../etc/passwd"},
                                                      {"question_set", ""},
                                                      {"misuse_window_s", -1},
                                                      {"misuse_window_s", "15"}};
  for (const auto& [key, value] : bad) {
    json j = minimal();
    j[key] = value;
    CAPTURE(key);
    CAPTURE(value.dump());
    CHECK(names_field(errors_of(j), key));
  }
  json j = minimal();
  j["idle"] = {{"warning_after_s", 2}, {"reset_after_s", "15"}, {"thanks_after_s", 600}};
  auto errors = errors_of(j);
  CHECK(names_field(errors, "idle.thanks_after_s", "invalid"));
  CHECK(names_field(errors, "idle.warning_after_s", "invalid"));
  CHECK(names_field(errors, "idle.reset_after_s", "invalid"));
}

TEST_CASE("unknown keys are errors, at any depth") {
  json j = minimal();
  j["sever_url"] = "https://typo.example.com";
  j["idle"] = {{"warn_after_s", 30}};
  auto errors = errors_of(j);
  CHECK(names_field(errors, "sever_url", "unknown_key"));
  CHECK(names_field(errors, "idle.warn_after_s", "unknown_key"));
}

TEST_CASE("all problems are reported at once, each on its own line with the file name") {
  json j = minimal();
  j["mode"] = "tablet";
  j["theme"] = "dark";
  const auto errors = errors_of(j);
  CHECK(errors.size() == 2);
  const auto text = describe_config_errors("/etc/heed/device.json", errors);
  CHECK(text.find("/etc/heed/device.json: mode: must be \"kiosk\" or \"staff\"") != std::string::npos);
  CHECK(text.find('\n') != std::string::npos);
}

TEST_CASE("unreadable and malformed files are errors, not defaults") {
  auto missing = load_device_config("/nonexistent/heed/device.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().front().code == "unreadable");

  const auto file = std::filesystem::temp_directory_path() / "heed-config-test-bad.json";
  std::ofstream(file) << "{\"store_id\": \"MCR-01\",";
  auto malformed = load_device_config(file);
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().front().code == "json_invalid");
  std::filesystem::remove(file);
}

TEST_CASE("the staff roster: people with hashed PINs and a role; required in staff mode") {
  json j = minimal();
  j["mode"] = "staff";
  CHECK(names_field(errors_of(j), "staff", "required"));
  j["staff"] = json::array();
  CHECK(names_field(errors_of(j), "staff", "invalid"));
  j["staff"] = {{{"id", "S1042"}, {"name", "Aled Jones"}, {"pin_hash", kPinHash}},
                {{"id", "M7"}, {"name", "Ffion Evans"}, {"pin_hash", kPinHash}, {"role", "manager"}}};
  j["goodwill_limit_pence"] = 2500;
  auto config = parse_device_config(j, "/etc/heed");
  REQUIRE(config.ok());
  REQUIRE(config->staff.size() == 2);
  CHECK(config->staff[0].role == StaffRole::staff);
  CHECK(config->staff[1].role == StaffRole::manager);
  CHECK(config->goodwill_limit_pence == 2500);
  CHECK(config->staff_lock_after == std::chrono::seconds(120));

  j["staff"][1]["id"] = "S1042";
  j["staff"][0]["pin_hash"] = "1234";
  j["staff"][1]["role"] = "boss";
  j["staff"][1]["shoe_size"] = 9;
  j["goodwill_limit_pence"] = -5;
  const auto errors = errors_of(j);
  CHECK(names_field(errors, "staff[0].pin_hash", "invalid"));
  CHECK(names_field(errors, "staff[1].id", "duplicate"));
  CHECK(names_field(errors, "staff[1].role", "invalid"));
  CHECK(names_field(errors, "staff[1].shoe_size", "unknown_key"));
  CHECK(names_field(errors, "goodwill_limit_pence", "invalid"));
}

TEST_CASE("sync settings: defaults, every key read, and http:// only with allow_insecure") {
  auto defaults = parse_device_config(minimal(), "/etc/heed");
  REQUIRE(defaults.ok());
  CHECK(defaults->sync == SyncConfig{});
  CHECK(defaults->sync.heartbeat_interval == std::chrono::seconds(300));
  CHECK(defaults->sync.erase_after_delivery == std::chrono::seconds(0));

  json j = minimal();
  j["sync"] = {{"ca_bundle", "certs/ca.pem"},
               {"pinned_key_sha256", "AB:CD:" + std::string(60, 'e')},
               {"heartbeat_interval_s", 60},
               {"erase_after_delivery_s", 3600},
               {"request_timeout_s", 10}};
  auto config = parse_device_config(j, "/etc/heed");
  REQUIRE(config.ok());
  CHECK(config->sync.ca_bundle == "/etc/heed/certs/ca.pem");
  CHECK(config->sync.pinned_key_sha256 == "abcd" + std::string(60, 'e'));
  CHECK(config->sync.heartbeat_interval == std::chrono::seconds(60));
  CHECK(config->sync.erase_after_delivery == std::chrono::seconds(3600));
  CHECK(config->sync.request_timeout == std::chrono::seconds(10));
  CHECK_FALSE(config->sync.allow_insecure);

  json plain = minimal();
  plain["server_url"] = "http://127.0.0.1:8080";
  CHECK(names_field(errors_of(plain), "server_url", "insecure"));
  plain["sync"] = {{"allow_insecure", true}};
  CHECK(parse_device_config(plain, "/etc/heed").ok());
  plain["sync"]["pinned_key_sha256"] = std::string(64, 'a');
  CHECK(names_field(errors_of(plain), "sync.pinned_key_sha256", "invalid"));
}

TEST_CASE("bad sync settings are each named") {
  for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{{"pinned_key_sha256", "abc"},
                                                                            {"pinned_key_sha256", std::string(64, 'g')},
                                                                            {"allow_insecure", "yes"},
                                                                            {"heartbeat_interval_s", 5},
                                                                            {"erase_after_delivery_s", -1},
                                                                            {"request_timeout_s", 1000},
                                                                            {"ca_bundle", ""},
                                                                            {"colour", "blue"}}) {
    json j = minimal();
    j["sync"] = {{key, value}};
    CAPTURE(key);
    CHECK(names_field(errors_of(j), "sync." + key));
  }
  json j = minimal();
  j["sync"] = "fast";
  CHECK(names_field(errors_of(j), "sync", "type"));
}
