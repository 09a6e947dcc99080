// Secrets the server hands out: device tokens, session tokens and one-time
// enrollment codes. They are random (libsodium's CSPRNG) and are stored only as
// keyed BLAKE2b hashes (see TokenHasher for why not argon2id).
//
// Invariant: a token's prefix says what it is ("hd_" device, "hs_" session), so
// a route can refuse the wrong kind without a database look-up.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "heed/result.hpp"

namespace heed::server {

inline constexpr std::string_view kDeviceTokenPrefix = "hd_";
inline constexpr std::string_view kSessionTokenPrefix = "hs_";

// "hd_" or "hs_" followed by 43 base64url characters (32 random bytes).
std::string new_device_token();
std::string new_session_token();

// A one-time enrollment code for a person to type: 12 characters of the
// reference alphabet (no 0/O, 1/I) in three groups, "K7QM-4XZP-B2HD" (60 bits).
std::string new_enrollment_code();
// Upper case, without spaces or hyphens, so a code typed loosely still matches.
std::string normalise_enrollment_code(std::string_view code);

// A device id as enrollment issues it: "dev-" and 12 lowercase hex digits.
std::string new_device_id();

// Hashes tokens and codes for storage with BLAKE2b keyed by a per-installation
// secret. Tokens and codes are 60-256 bits of CSPRNG output, so a slow password
// hash (argon2id) adds no protection against guessing; it would only cost
// ~0.1 s of CPU and 64 MiB on every device request. A fast keyed hash keeps
// the check cheap under load, and the key (a file beside the database, not in
// it) means a leaked database alone does not let anyone test candidate tokens.
class TokenHasher {
 public:
  // Reads `key_file`, creating it (32 random bytes, mode 0600) when absent.
  static Result<TokenHasher> open(const std::filesystem::path& key_file);
  // A hasher with a given 32-byte key, for tests and benchmarks.
  static TokenHasher with_key(std::string_view key);

  // 64 lowercase hex digits.
  std::string hash(std::string_view token) const;

  // A hasher under a subkey of this key (libsodium's crypto_kdf, BLAKE2b): one
  // per purpose, so a value made for one purpose (a CSRF token) is never the
  // value stored for another (a session's hash), and neither reveals the key.
  // `purpose` is exactly 8 characters, e.g. "heedcsrf".
  TokenHasher derive(std::string_view purpose) const;

 private:
  explicit TokenHasher(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// Hex HMAC-SHA256 of `body` under `secret`: the webhook signature.
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// Equal strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace heed::server
