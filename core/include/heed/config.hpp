// The device's configuration file (JSON), read once at start-up.
// Every key is known: an unknown key or a bad value is an error that names the
// key, and the app refuses to start (exit status 2) rather than run half
// configured. Relative paths are resolved against the config file's folder.
//
// {
//   "store_id": "MCR-01",            wire store_id: 1-32 of A-Z 0-9 - _   (required)
//   "store_code": "MCR",             reference prefix, unique in the chain (required)
//   "device_name": "Checkout kiosk", shown to staff and head office    (required)
//   "device_code": "K2",             reference part, unique in the store (required)
//   "server_url": "https://...",     head office server, http(s)        (required)
//   "mode": "kiosk",                 "kiosk" or "staff"                 (default kiosk)
//   "languages": ["en","cy","pl"],   offered languages, first is default (default ["en"])
//   "idle": {"warning_after_s": 30, "reset_after_s": 15, "thanks_after_s": 6},  (defaults shown)
//   "theme": "standard",             "standard" or "high_contrast"      (default standard)
//   "database": "heed-device.db",    the device store                   (default shown)
//   "question_set": "default",       assets/questions/<name>.json       (default shown)
//   "staff_pin_hash": "$argon2id$...", the staff PIN, hashed (`heed --hash-pin`; required in kiosk mode)
//   "misuse_window_s": 15,           identical kiosk submissions this close are flagged (default shown)
//   "staff": [{"id": "S1042", "name": "Aled Jones", "pin_hash": "$argon2id$...", "role": "staff"}],
//                                    who may sign in on the tablet; roles "staff" or "manager"
//                                    (required, non-empty, in staff mode)
//   "goodwill_limit_pence": 2000,    staff may offer goodwill up to this; above it a manager approves
//   "staff_lock_after_s": 120,       the tablet locks after this long untouched (default shown)
//   "sync": {                        delivery to server_url (all optional)
//     "ca_bundle": "ca.pem",         PEM file of trusted CAs for https (default: the system's)
//     "pinned_key_sha256": "ab12..", SHA-256 of the server's public key, 64 hex digits (default: no pin)
//     "allow_insecure": false,       permit an http:// server_url: loopback and development only
//     "heartbeat_interval_s": 300,   report queue length to head office this often (30-3600)
//     "erase_after_delivery_s": 0,   keep a delivered record's personal data this long (0-2592000)
//     "request_timeout_s": 30        one request's socket timeout (2-300)
//   }
// }
// server_url must be https:// unless sync.allow_insecure is true.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/result.hpp"

namespace heed {

enum class DeviceMode { kiosk, staff };
enum class Theme { standard, high_contrast };

struct IdleTimeouts {
  std::chrono::seconds warning_after{30};  // no touch for this long: show the "are you still there?" warning
  std::chrono::seconds reset_after{15};    // the warning's countdown, then unfinished answers are discarded
  std::chrono::seconds thanks_after{6};    // the thank-you screen shows this long, then the welcome
  bool operator==(const IdleTimeouts&) const = default;
};

enum class StaffRole { staff, manager };

// One person on the store's roster (from the config until head office serves it).
struct StaffMember {
  std::string id;        // as recorded on complaints: 1-64 characters
  std::string name;      // shown on the sign-in screen
  std::string pin_hash;  // argon2id of a 4-8 digit PIN
  StaffRole role = StaffRole::staff;
  bool operator==(const StaffMember&) const = default;
};

// How the device reaches head office (the sync engine's settings).
struct SyncConfig {
  std::filesystem::path ca_bundle;               // empty: the system's CAs
  std::string pinned_key_sha256;                 // normalised lower-case hex; empty: no pin
  bool allow_insecure = false;                   // permit http://
  std::chrono::seconds heartbeat_interval{300};  // queue length and age to head office
  std::chrono::seconds erase_after_delivery{0};  // grace before personal data is erased
  std::chrono::seconds request_timeout{30};      // one request's socket timeout
  bool operator==(const SyncConfig&) const = default;
};

struct DeviceConfig {
  std::string store_id;
  std::string store_code;
  std::string device_name;
  std::string device_code;
  std::string server_url;
  DeviceMode mode = DeviceMode::kiosk;
  std::vector<std::string> languages{"en"};  // first is the default
  IdleTimeouts idle;
  Theme theme = Theme::standard;
  std::filesystem::path database = "heed-device.db";
  std::string question_set = "default";
  std::string staff_pin_hash;
  std::chrono::seconds misuse_window{15};
  std::vector<StaffMember> staff;
  std::int64_t goodwill_limit_pence = 2000;
  std::chrono::seconds staff_lock_after{120};
  SyncConfig sync;
  bool operator==(const DeviceConfig&) const = default;
};

// Parses a config document. `base_dir` resolves relative paths.
Result<DeviceConfig, FieldErrors> parse_device_config(const nlohmann::json& json,
                                                      const std::filesystem::path& base_dir);
// Reads and parses a config file; a missing file or bad JSON is one FieldError
// with an empty field name.
Result<DeviceConfig, FieldErrors> load_device_config(const std::filesystem::path& file);

// "config.json: store_id: must be 1-32 of A-Z, 0-9, - and _" lines, one per error.
std::string describe_config_errors(const std::filesystem::path& file, const FieldErrors& errors);

std::string_view mode_name(DeviceMode mode);
std::string_view theme_name(Theme theme);

}  // namespace heed
