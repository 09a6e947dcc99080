// Files that hold personal data or secrets (the device store, the server's
// database and token key) are readable by their owner only: 0600, in a folder
// of mode 0700. They are made so on every opening, however they were created
// (a folder made by `mkdir -p`, a file left 0644 by an older build or a copy),
// and tightening an existing one logs a warning saying what was changed.
// SQLite gives the -wal and -shm files it creates the database file's mode, so a
// private database keeps its companions private; ones left by a running or
// crashed process are tightened too.
#pragma once

#include <filesystem>
#include <string_view>

#include "heed/result.hpp"

namespace heed {

// Makes `dir` 0700, creating it (and missing parents) when absent and `create`
// is set (otherwise an absent folder is an I/O error). A shared
// folder (sticky bit, like /tmp) or another user's is left alone with a warning:
// its files are still private, and changing it would break others' use of it.
// An empty `dir` (a file named without a folder) leaves the working directory
// alone. `what` names the contents in messages ("the device store").
Result<void> make_private_dir(const std::filesystem::path& dir, std::string_view what, bool create);

// Makes `file` 0600, creating it empty with that mode when absent and `create`
// is set, and tightens its SQLite companions (-wal, -shm, -journal) if present.
Result<void> make_private_file(const std::filesystem::path& file, std::string_view what, bool create);

}  // namespace heed
