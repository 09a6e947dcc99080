// The data directory and what an administrator does to it from the command line
// (heed-server enroll-code, user add), also while the server runs: the database
// (heed.db, WAL) and the token key (token.key, 0600) under one directory (0700).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "heed/result.hpp"
#include "heed/secrets.hpp"
#include "heed/server/sqlite_storage.hpp"
#include "heed/server/storage.hpp"
#include "heed/server/tokens.hpp"

namespace heed::server {

struct DataDir {
  std::unique_ptr<Storage> storage;
  TokenHasher hasher;
};

// Opens the directory, creating it and its files when absent.
Result<DataDir> open_data_dir(const std::filesystem::path& dir, const SqliteOptions& options = {});

// A new one-time enrollment code for `store_id`, valid for `ttl`. Only its hash is kept.
Result<std::string> issue_enrollment_code(DataDir& data, const std::string& store_id, Timestamp now,
                                          std::chrono::hours ttl = std::chrono::hours(24));

// Usernames: 1-64 of A-Z a-z 0-9 . _ @ -. Passwords: 12 to 1,024 characters.
bool is_valid_username(std::string_view username);
inline constexpr std::size_t kMinPasswordChars = 12;

// Adds a head-office user with an argon2id hash of the password.
Result<void> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         Timestamp now, HashCost cost = HashCost::moderate);

}  // namespace heed::server
