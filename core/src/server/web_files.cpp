// The web workspace's files: safe path checks, MIME types, gzip and ETags, and
// the in-memory cache keyed by path and checked against mtime and size (see
// web_files.hpp for the invariants).
#include "heed/server/web_files.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace heed::server {

namespace fs = std::filesystem;

namespace {

// Calls f(part) for each part of `s` split at `sep`.
template <class F>
void split(std::string_view s, char sep, F&& f) {
  while (true) {
    const auto at = s.find(sep);
    f(s.substr(0, at));
    if (at == std::string_view::npos) return;
    s.remove_prefix(at + 1);
  }
}

// The ETag of some bytes: a 128-bit BLAKE2b hash, hex, quoted.
std::string content_tag(std::string_view data, std::string_view suffix) {
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     nullptr, 0);
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return "\"" + std::string(hex.data()) + std::string(suffix) + "\"";
}

bool compressible(std::string_view mime) {
  return mime.starts_with("text/") || mime.find("json") != std::string_view::npos ||
         mime.find("xml") != std::string_view::npos || mime.find("javascript") != std::string_view::npos ||
         mime.starts_with("application/wasm") || mime.starts_with("image/x-icon");
}

// The whole of a regular file that is not a symlink; nullopt otherwise.
std::optional<std::string> read_regular(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::optional<std::string> out;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uintmax_t>(st.st_size) <= WebRoot::kMaxFile) {
    std::string data;
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < data.size()) {
      const auto n = ::read(fd, data.data() + got, data.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (got == data.size()) out = std::move(data);
  }
  ::close(fd);
  return out;
}

}  // namespace

bool safe_web_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return false;
  url_path.remove_prefix(1);
  bool ok = true;
  std::size_t segments = 0, count = 1 + static_cast<std::size_t>(std::count(url_path.begin(), url_path.end(), '/'));
  split(url_path, '/', [&](std::string_view segment) {
    ++segments;
    if (segment.empty()) {
      ok = ok && segments == count;  // only a trailing slash (or "/" itself)
      return;
    }
    if (segment.front() == '.') ok = false;  // ".", "..", ".git", ".env"
    for (unsigned char c : segment)
      if (c < 0x20 || c == 0x7f || c == '\\') ok = false;
  });
  return ok;
}

bool looks_like_file(std::string_view url_path) {
  const auto slash = url_path.rfind('/');
  const auto last = slash == std::string_view::npos ? url_path : url_path.substr(slash + 1);
  return last.find('.') != std::string_view::npos;
}

bool reserved_path(std::string_view p) {
  return p == "/api" || p.starts_with("/api/") || p == "/healthz" || p == "/metrics";
}

std::string mime_type(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string ext = ascii_lower(name.substr(dot + 1));
  static const std::unordered_map<std::string, std::string> types{
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"txt", "text/plain; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"ttf", "font/ttf"},
      {"wasm", "application/wasm"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
  };
  const auto found = types.find(ext);
  return found == types.end() ? "application/octet-stream" : found->second;
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  split(accept_encoding, ',', [&](std::string_view item) {
    item = trim_header_space(item);
    const auto semi = item.find(';');
    const std::string name = ascii_lower(trim_header_space(item.substr(0, semi)));
    double q = 1;
    if (semi != std::string_view::npos) {
      split(item.substr(semi + 1), ';', [&](std::string_view param) {
        param = trim_header_space(param);
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
          const std::string value(param.substr(2));
          char* end = nullptr;
          const double parsed = std::strtod(value.c_str(), &end);
          q = end == value.c_str() ? 0 : parsed;
        }
      });
    }
    if (name == "gzip" || name == "x-gzip") gzip = q > 0;
    if (name == "*") any = q > 0;
  });
  return gzip ? *gzip : any.value_or(false);
}

bool etag_listed(std::string_view if_none_match, std::string_view etag) {
  if (trim_header_space(if_none_match) == "*") return true;
  auto strip = [](std::string_view t) {
    t = trim_header_space(t);
    if (t.starts_with("W/")) t.remove_prefix(2);
    return t;
  };
  bool found = false;
  split(if_none_match, ',', [&](std::string_view tag) { found = found || strip(tag) == strip(etag); });
  return found;
}

std::string_view trim_header_space(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string{};
}

WebRoot::WebRoot(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  real_ = fs::canonical(root_, ec);
  if (ec) real_.clear();
}

bool WebRoot::has_index() const {
  std::error_code ec;
  return !real_.empty() && fs::is_regular_file(real_ / "index.html", ec);
}

std::shared_ptr<const WebFile> WebRoot::find(std::string_view url_path) {
  if (real_.empty() || !safe_web_path(url_path)) return nullptr;
  std::string relative(url_path.substr(1));
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  // The real path, symlinks resolved, must still be inside the real root and
  // must not be a dotfile there (a symlink "a.js" -> ".secret").
  std::error_code ec;
  const fs::path real = fs::canonical(real_ / relative, ec);
  if (ec) return nullptr;
  const fs::path inside = real.lexically_relative(real_);
  if (inside.empty()) return nullptr;
  for (const auto& part : inside)
    if (part.native().empty() || part.native().front() == '.') return nullptr;
  if (!fs::is_regular_file(real, ec)) return nullptr;
  const auto size = fs::file_size(real, ec);
  if (ec) return nullptr;
  const auto mtime = fs::last_write_time(real, ec);
  if (ec) return nullptr;

  const std::string key = inside.generic_string();
  {
    std::lock_guard lock(mutex_);
    if (auto hit = cache_.find(key); hit != cache_.end() && hit->second->mtime == mtime && hit->second->size == size)
      return hit->second;
  }
  auto file = load(key, real);
  if (!file) return nullptr;
  auto loaded = std::make_shared<WebFile>(std::move(*file));
  loaded->mtime = mtime;  // as seen before reading: a file changed meanwhile is read again next time
  std::lock_guard lock(mutex_);
  cache_[key] = loaded;
  return loaded;
}

std::optional<WebFile> WebRoot::load(const std::string& relative, const fs::path& real) {
  auto data = read_regular(real);
  if (!data) {
    spdlog::warn("web root: cannot read {} (unreadable, or larger than {} bytes)", relative, kMaxFile);
    return std::nullopt;
  }
  WebFile file;
  file.path = relative;
  file.mime = mime_type(relative);
  file.size = data->size();
  file.etag = content_tag(*data, "");
  if (compressible(file.mime)) {
    auto packed = gzip_compress(*data);
    if (!packed.empty() && packed.size() < data->size()) {
      file.gzip = std::move(packed);
      file.gzip_etag = content_tag(*data, ".gz");
    }
  }
  file.body = std::move(*data);
  return file;
}

}  // namespace heed::server
