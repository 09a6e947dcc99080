// The web workspace on the API's listener (issue 14): files from the web root
// (web_files.hpp), index.html for any other GET path (the workspace routes in
// the browser), and the security headers on every answer it gives.
//
// The route is one GET pattern registered after every API route (cpp-httplib
// tries routes in order), and it refuses the API's and the operators' paths
// itself, so an unknown /api/... path keeps its JSON 404 whatever the order.
//
// Answers go out through a content provider with a known length: Debian's
// libcpp-httplib is built with zlib and brotli and would compress a plain body
// again per request (and add a second Content-Encoding); it leaves a
// fixed-length provider alone. The gzip form is made once per file.
#include <spdlog/spdlog.h>

#include "heed/server/web_files.hpp"
#include "http_support.hpp"

namespace heed::server::detail {

namespace {

void security_headers(Response& res) {
  res.set_header("Content-Security-Policy", std::string(kWebCsp));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

void send_file(const Request& req, Response& res, std::shared_ptr<const WebFile> file) {
  const bool gzip = !file->gzip.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"));
  res.set_header("ETag", gzip ? file->gzip_etag : file->etag);
  res.set_header("Cache-Control", "no-cache");  // revalidate each time: an ETag answers 304
  if (!file->gzip.empty()) res.set_header("Vary", "Accept-Encoding");
  if (req.has_header("If-None-Match")) {
    const auto tags = req.get_header_value("If-None-Match");
    if (etag_listed(tags, file->etag) || (!file->gzip_etag.empty() && etag_listed(tags, file->gzip_etag))) {
      res.status = 304;
      return;
    }
  }
  res.status = 200;
  const std::string& bytes = gzip ? file->gzip : file->body;
  if (bytes.empty()) return res.set_content("", file->mime);
  if (gzip) res.set_header("Content-Encoding", "gzip");
  res.set_content_provider(bytes.size(), file->mime,
                           [file, data = &bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(data->data() + offset, length);
                           });
}

void web(ServerContext& ctx, const Request& req, Response& res) {
  const std::string& path = req.path;  // decoded by cpp-httplib: "%2e%2e" is ".." here
  if (reserved_path(path)) return send_error(res, 404, "not_found", "no such resource");
  security_headers(res);
  if (!safe_web_path(path)) return send_error(res, 404, "not_found", "no such file");
  auto file = ctx.web.find(path);
  if (!file) {
    if (looks_like_file(path)) return send_error(res, 404, "not_found", "no such file");
    file = ctx.web.find("/");  // a workspace route, e.g. /cases/42
    if (!file)
      return send_error(res, 404, "no_web_root",
                        "the web workspace is not installed: the folder given by heed-server's --web-root option "
                        "has no index.html");
  }
  send_file(req, res, std::move(file));
}

}  // namespace

void install_web_routes(httplib::Server& http, ServerContext& ctx) {
  if (!ctx.web.has_index())
    spdlog::warn("no index.html in the web root {}: the web workspace is not served (see serve --web-root)",
                 ctx.web.root().string());
  ServerContext* c = &ctx;
  http.Get("/.*", [c](const Request& req, Response& res) { web(*c, req, res); });
}

}  // namespace heed::server::detail
