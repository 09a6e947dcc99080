// The data directory and the administrator's commands (see admin.hpp).
#include "heed/server/admin.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "heed/private_files.hpp"
#include "heed/validation.hpp"

namespace heed::server {

Result<DataDir> open_data_dir(const std::filesystem::path& dir, const SqliteOptions& options) {
  // Personal data and secrets live here: the server's user only.
  if (auto r = make_private_dir(dir, "head office's data", /*create=*/true); !r) return r.error();
  auto hasher = TokenHasher::open(dir / "token.key");
  if (!hasher) return hasher.error();
  if (auto r = make_private_file(dir / "token.key", "the token key", /*create=*/false); !r) return r.error();
  auto storage = open_sqlite_storage(dir / "heed.db", options);
  if (!storage) return storage.error();
  return DataDir{std::move(storage.value()), std::move(hasher.value())};
}

Result<std::string> issue_enrollment_code(DataDir& data, const std::string& store_id, Timestamp now,
                                          std::chrono::hours ttl) {
  if (!is_valid_store_id(store_id))
    return Error{Errc::invalid, fmt::format("\"{}\" is not a store id (1-32 of A-Z 0-9 - _)", store_id)};
  const std::string code = new_enrollment_code();
  if (auto r = data.storage->add_enrollment_code(data.hasher.hash(normalise_enrollment_code(code)), store_id, now,
                                                 now + ttl);
      !r)
    return r.error();
  return code;
}

bool is_valid_username(std::string_view username) {
  return !username.empty() && username.size() <= 64 && std::all_of(username.begin(), username.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '@' || c == '-';
  });
}

Result<void> check_scope(const Scope& scope, const WorkflowRules& rules) {
  switch (scope.kind) {
    case Scope::Kind::chain:
      return Ok{};
    case Scope::Kind::area:
      if (rules.area(scope.id)) return Ok{};
      return Error{Errc::invalid, fmt::format("the rules have no area \"{}\"", scope.id)};
    case Scope::Kind::store:
      if (is_valid_store_id(scope.id)) return Ok{};
      return Error{Errc::invalid, fmt::format("\"{}\" is not a store id (1-32 of A-Z 0-9 - _)", scope.id)};
  }
  return Error{Errc::invalid, "unknown scope"};
}

Result<std::string> hash_password(std::string_view password, HashCost cost) {
  const auto length = utf8_length(password);
  if (!length || *length < kMinPasswordChars || *length > 1024)
    return Error{Errc::invalid, fmt::format("a password is {} to 1,024 characters of UTF-8 text", kMinPasswordChars)};
  auto hash = hash_secret(password, cost);
  if (!hash) return Error{Errc::io, "not enough memory to hash the password"};
  return std::move(*hash);
}

std::string generate_password() {
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

Result<User> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         const Scope& scope, const WorkflowRules& rules, Timestamp now, HashCost cost) {
  if (!is_valid_username(username)) return Error{Errc::invalid, "a username is 1-64 of A-Z a-z 0-9 . _ @ -"};
  if (auto r = check_scope(scope, rules); !r) return r.error();
  auto hash = hash_password(password, cost);
  if (!hash) return hash.error();
  auto id = data.storage->add_user(username, *hash, role, scope, now);
  if (!id) return id.error();
  User user;
  user.id = *id;
  user.username = username;
  user.role = role;
  user.password_hash = std::move(*hash);
  user.scope = scope;
  return user;
}

Result<void> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         Timestamp now, HashCost cost) {
  auto user = create_user(data, username, password, role, Scope{}, WorkflowRules{}, now, cost);
  if (!user) return user.error();
  return Ok{};
}

Result<User> change_user(DataDir& data, const std::string& username, const UserChange& change,
                         const WorkflowRules& rules, Timestamp now) {
  if (change.scope)
    if (auto r = check_scope(*change.scope, rules); !r) return r.error();
  return data.storage->update_user(username, change, now);
}

}  // namespace heed::server
