// Random tokens and codes from libsodium, their keyed BLAKE2b hashes, and the
// webhook's HMAC-SHA256.
#include "heed/server/tokens.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace heed::server {
namespace {

constexpr std::string_view kCodeAlphabet =
    "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // 32: a byte's low 5 bits pick one evenly
constexpr std::size_t kKeyBytes = crypto_generichash_KEYBYTES;

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string random_token(std::string_view prefix) {
  (void)sodium_ready();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(prefix) + text.data();
}

std::string hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

Result<std::string> read_key(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.eof() && in.fail()) return Error{Errc::io, fmt::format("cannot read {}", file.string())};
  if (key.size() != kKeyBytes)
    return Error{Errc::corrupt, fmt::format("{} is not a Heed token key ({} bytes, expected {}); restore it from "
                                            "a backup, or remove it to invalidate every device and session token",
                                            file.string(), key.size(), kKeyBytes)};
  return key;
}

}  // namespace

std::string new_device_token() { return random_token(kDeviceTokenPrefix); }
std::string new_session_token() { return random_token(kSessionTokenPrefix); }

std::string new_enrollment_code() {
  (void)sodium_ready();
  std::array<unsigned char, 12> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string code;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kCodeAlphabet[bytes[i] & 31u];
  }
  return code;
}

std::string normalise_enrollment_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::string new_device_id() {
  (void)sodium_ready();
  std::array<unsigned char, 6> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return "dev-" + hex(bytes.data(), bytes.size());
}

Result<TokenHasher> TokenHasher::open(const std::filesystem::path& key_file) {
  if (!sodium_ready()) return Error{Errc::internal, "libsodium failed to initialise"};
  if (!std::filesystem::exists(key_file)) {
    // Written whole to a temporary file, then linked into place: a second process
    // creating the key at the same moment either wins or reads the winner's key,
    // and never sees a half-written file.
    std::array<unsigned char, kKeyBytes> key{};
    randombytes_buf(key.data(), key.size());
    const auto temp = key_file.string() + fmt::format(".{}.tmp", ::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error{Errc::io, fmt::format("cannot create {}: {}", temp, std::strerror(errno))};
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      ::unlink(temp.c_str());
      return Error{Errc::io, fmt::format("cannot write {}", temp)};
    }
    const int linked = ::link(temp.c_str(), key_file.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && link_errno != EEXIST)
      return Error{Errc::io, fmt::format("cannot create {}: {}", key_file.string(), std::strerror(link_errno))};
  }
  auto key = read_key(key_file);
  if (!key) return key.error();
  return TokenHasher(std::move(key.value()));
}

TokenHasher TokenHasher::with_key(std::string_view key) {
  std::string k(key.substr(0, kKeyBytes));
  k.resize(kKeyBytes, '\0');
  return TokenHasher(std::move(k));
}

std::string TokenHasher::hash(std::string_view token) const {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  return hex(out.data(), out.size());
}

TokenHasher TokenHasher::derive(std::string_view purpose) const {
  static_assert(crypto_kdf_KEYBYTES == kKeyBytes && crypto_kdf_CONTEXTBYTES == 8);
  std::array<char, crypto_kdf_CONTEXTBYTES> context{};
  std::copy_n(purpose.begin(), std::min(purpose.size(), context.size()), context.begin());
  std::string sub(kKeyBytes, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(sub.data()), sub.size(), 1, context.data(),
                             reinterpret_cast<const unsigned char*>(key_.data()));
  return TokenHasher(std::move(sub));
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
  (void)sodium_ready();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  return hex(mac.data(), mac.size());
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace heed::server
