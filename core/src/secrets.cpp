// argon2id through libsodium. sodium_init() is idempotent and thread-safe.
#include "heed/secrets.hpp"

#include <sodium.h>

#include <algorithm>

namespace heed {
namespace {

bool ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

std::optional<std::string> hash_secret(std::string_view secret, HashCost cost) {
  if (!ready()) return std::nullopt;
  const auto ops = cost == HashCost::interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MODERATE;
  const auto mem = cost == HashCost::interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MODERATE;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return std::string(out);
}

bool verify_secret(std::string_view secret, std::string_view hash) {
  if (!ready() || !is_argon2id_hash(hash)) return false;
  const std::string stored(hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(stored.c_str(), secret.data(), secret.size()) == 0;
}

bool is_argon2id_hash(std::string_view hash) {
  return hash.size() < crypto_pwhash_STRBYTES && hash.rfind("$argon2id$", 0) == 0;
}

bool is_valid_pin(std::string_view pin) {
  return pin.size() >= 4 && pin.size() <= 8 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace heed
