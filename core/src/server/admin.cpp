// The data directory and the administrator's commands (see admin.hpp).
#include "heed/server/admin.hpp"

#include <fmt/format.h>

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

Result<void> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         Timestamp now, HashCost cost) {
  if (!is_valid_username(username)) return Error{Errc::invalid, "a username is 1-64 of A-Z a-z 0-9 . _ @ -"};
  const auto length = utf8_length(password);
  if (!length || *length < kMinPasswordChars || *length > 1024)
    return Error{Errc::invalid, fmt::format("a password is {} to 1,024 characters of UTF-8 text", kMinPasswordChars)};
  auto hash = hash_secret(password, cost);
  if (!hash) return Error{Errc::io, "not enough memory to hash the password"};
  auto id = data.storage->add_user(username, *hash, role, now);
  if (!id) return id.error();
  return Ok{};
}

}  // namespace heed::server
