// File modes the privacy tests compare: what a private file and folder should
// be, and the loose modes a `mkdir -p` and a default umask leave.
#pragma once

#include <filesystem>

namespace heed::test {

namespace fs = std::filesystem;

inline fs::perms mode_of(const fs::path& path) { return fs::status(path).permissions() & fs::perms::mask; }

inline constexpr fs::perms kPrivateFile = fs::perms::owner_read | fs::perms::owner_write;               // 0600
inline constexpr fs::perms kLooseFile = kPrivateFile | fs::perms::group_read | fs::perms::others_read;  // 0644
inline constexpr fs::perms kLooseDir = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                       fs::perms::others_read | fs::perms::others_exec;  // 0755

}  // namespace heed::test
