// The web workspace's files (issue 14), served by heed-server from one folder,
// the web root. No HTTP here: the routes are in core/src/server/api_web.cpp.
//
// Invariants: a URL path reaches the disk only when every segment is a plain
// name (no "..", no "." or other dotfile, no backslash, no NUL), and a file is
// served only when its real path (symlinks resolved) is inside the real root.
// Files are read on first request and kept in memory with their gzip form and
// strong ETags, keyed by path and checked against the file's mtime and size on
// every request: the root is small (a few hundred KB), and a rebuilt file
// (`cmake --build ... --target heed_web`) is served at once without a restart.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace heed::server {

// Content-Security-Policy of every web answer: no inline script or style.
inline constexpr std::string_view kWebCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A file ready to send: both forms in memory, each with its own strong ETag.
struct WebFile {
  std::string path;       // relative to the root, "/"-separated: "src/app.js"
  std::string mime;       // Content-Type
  std::string body;       // the file as it is
  std::string gzip;       // gzip of body; empty when it would not be smaller
  std::string etag;       // "\"<hash>\"" of body (quoted, strong)
  std::string gzip_etag;  // "\"<hash>.gz\"": a different representation has a different tag
  std::filesystem::file_time_type mtime{};
  std::uintmax_t size = 0;
};

class WebRoot {
 public:
  // Files above this size are not served (the workspace has none near it).
  static constexpr std::uintmax_t kMaxFile = 16u << 20;

  // `root` need not exist: then nothing is served and has_index() is false.
  explicit WebRoot(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  // Whether the root holds index.html (checked now, not cached).
  bool has_index() const;

  // The file at a decoded URL path ("/", "/src/app.js"); "/" is index.html.
  // nullptr when the path is unsafe, names no regular file inside the root, or
  // cannot be read.
  std::shared_ptr<const WebFile> find(std::string_view url_path);

 private:
  static std::optional<WebFile> load(const std::string& relative, const std::filesystem::path& real);

  std::filesystem::path root_;  // as given
  std::filesystem::path real_;  // canonical; empty when the root does not exist
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const WebFile>> cache_;
};

// A decoded URL path every segment of which is a plain name: starts with "/",
// no "." or ".." or other dotfile segment, no empty segment but a final one, no
// backslash, NUL or other control character.
bool safe_web_path(std::string_view url_path);
// Whether the last segment has an extension ("/src/missing.js"): a missing
// file-looking path answers 404, anything else falls back to index.html.
bool looks_like_file(std::string_view url_path);
// Whether a path belongs to the API or the operators (never the web workspace):
// /api, /api/..., /healthz, /metrics.
bool reserved_path(std::string_view url_path);
// Content-Type by extension (lower case), application/octet-stream when unknown.
std::string mime_type(std::string_view path);
// Whether an Accept-Encoding header accepts gzip (q=0 refuses; "*" accepts).
bool accepts_gzip(std::string_view accept_encoding);
// Whether an If-None-Match header lists `etag` (weak comparison, or "*").
bool etag_listed(std::string_view if_none_match, std::string_view etag);
// gzip (RFC 1952) of `data` at the best compression; empty on failure.
std::string gzip_compress(std::string_view data);

// HTTP header text: without the spaces and tabs around it; ASCII lower case
// (header names, schemes and hosts compare case-insensitively).
std::string_view trim_header_space(std::string_view s);
std::string ascii_lower(std::string_view s);

}  // namespace heed::server
