// The data directory and what an administrator does to it from the command line
// (heed-server enroll-code, user ...) or the admin API, also while the server
// runs: the database (heed.db, WAL) and the token key (token.key, 0600) under
// one directory (0700). Users' scopes are checked against the rules' areas here,
// so the CLI and the API refuse the same things.
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
#include "heed/workflow_rules.hpp"

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

// invalid (naming what is wrong) unless the scope's area is one of the rules'
// areas, or its store id is well formed (1-32 of A-Z 0-9 - _).
Result<void> check_scope(const Scope& scope, const WorkflowRules& rules);

// The argon2id hash of a new password; invalid when it is not 12 to 1,024
// characters of UTF-8 text.
Result<std::string> hash_password(std::string_view password, HashCost cost = HashCost::moderate);

// A strong password for a reset that gave none: 24 characters of base64url from
// libsodium's CSPRNG (144 bits), shown once and never stored in clear.
std::string generate_password();

// Adds a head-office user with an argon2id hash of the password and a scope
// checked against the rules. invalid: the username, password or scope;
// conflict: the username is taken.
Result<User> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         const Scope& scope, const WorkflowRules& rules, Timestamp now,
                         HashCost cost = HashCost::moderate);
// The same for the whole chain (no rules needed to check it).
Result<void> create_user(DataDir& data, const std::string& username, std::string_view password, Role role,
                         Timestamp now, HashCost cost = HashCost::moderate);

// Changes a user's role, scope (checked against the rules), active flag or
// password hash in one step (Storage::update_user: disabling or a new password
// ends its sessions). not_found: no such user; conflict: it would leave no
// active chain-wide admin.
Result<User> change_user(DataDir& data, const std::string& username, const UserChange& change,
                         const WorkflowRules& rules, Timestamp now);

}  // namespace heed::server
