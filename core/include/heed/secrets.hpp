// Secrets at rest: staff and manager PINs, passwords and tokens are kept only as
// argon2id hashes (libsodium's crypto_pwhash_str), never in clear. A hash string
// carries its own salt and cost parameters, so stored hashes stay verifiable when
// the defaults change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace heed {

// Cost of a hash: interactive for PINs typed at a kiosk (about 0.1 s here),
// moderate for head-office passwords.
enum class HashCost { interactive, moderate };

// "$argon2id$v=19$m=...,t=...,p=1$salt$hash"; nullopt only if memory ran out.
std::optional<std::string> hash_secret(std::string_view secret, HashCost cost = HashCost::interactive);
// True when `secret` matches `hash`; false for a wrong secret or a malformed hash.
bool verify_secret(std::string_view secret, std::string_view hash);
// True when `hash` looks like an argon2id hash string Heed can verify.
bool is_argon2id_hash(std::string_view hash);

// A staff PIN: 4-8 digits.
bool is_valid_pin(std::string_view pin);

}  // namespace heed
