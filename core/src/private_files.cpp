// Owner-only files and folders (see private_files.hpp).
#include "heed/private_files.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace heed {

namespace {

constexpr mode_t kPrivateDir = 0700;
constexpr mode_t kPrivateFile = 0600;

Error io_error(std::string_view doing, const std::filesystem::path& path) {
  return Error{Errc::io, fmt::format("cannot {} {}: {}", doing, path.string(), std::strerror(errno))};
}

// chmod to `mode` when group or others have any access; warns when it did.
Result<void> tighten(const std::filesystem::path& path, const struct stat& st, mode_t mode, std::string_view what) {
  if ((st.st_mode & 077) == 0) return Ok{};
  if (::chmod(path.c_str(), mode) != 0)
    return Error{Errc::io, fmt::format("{} holds {}, but its mode {:04o} cannot be made {:04o}: {}; change its owner "
                                       "or mode",
                                       path.string(), what, st.st_mode & 07777, mode, std::strerror(errno))};
  spdlog::warn("{} (holding {}) had mode {:04o}; made it {:04o}, owner only", path.string(), what, st.st_mode & 07777,
               mode);
  return Ok{};
}

}  // namespace

Result<void> make_private_dir(const std::filesystem::path& dir, std::string_view what, bool create) {
  if (dir.empty()) return Ok{};  // a bare file name: the working directory is not ours to change
  std::filesystem::path path = dir;
  if (!path.has_filename() && path.has_parent_path()) path = path.parent_path();  // "data/" is "data"
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return io_error("read the mode of", path);
    if (!create) return Error{Errc::io, fmt::format("{} does not exist: create it for {}", path.string(), what)};
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Error{Errc::io, fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message())};
    if (::mkdir(path.c_str(), kPrivateDir) != 0 && errno != EEXIST) return io_error("create", path);
    if (::stat(path.c_str(), &st) != 0) return io_error("read the mode of", path);
  }
  if (!S_ISDIR(st.st_mode)) return Error{Errc::io, fmt::format("{} is not a folder", path.string())};
  if ((st.st_mode & 077) == 0) return Ok{};
  if ((st.st_mode & S_ISVTX) != 0 || st.st_uid != ::geteuid()) {
    spdlog::warn(
        "{} holds {} but is shared (mode {:04o}) or another user's; left as it is. Keep {} in a folder "
        "of its own",
        path.string(), what, st.st_mode & 07777, what);
    return Ok{};
  }
  return tighten(path, st, kPrivateDir, what);
}

Result<void> make_private_file(const std::filesystem::path& file, std::string_view what, bool create) {
  if (create) {
    // O_EXCL-free: an existing file is kept, and its mode is checked below.
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFile);
    if (fd < 0) return io_error("open or create", file);
    ::close(fd);
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::filesystem::path path = file.string() + suffix;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT && (*suffix != '\0' || !create)) continue;  // not made yet
      return io_error("read the mode of", path);
    }
    if (!S_ISREG(st.st_mode)) return Error{Errc::io, fmt::format("{} is not a regular file", path.string())};
    if (auto r = tighten(path, st, kPrivateFile, what); !r) return r;
  }
  return Ok{};
}

}  // namespace heed
