// The web workspace served by heed-server (issue 14): files from a temporary
// web root over the real server, their headers (CSP and the other security
// headers, MIME types, ETag, Cache-Control), gzip decompressed with zlib and
// compared, 304 on If-None-Match, HEAD, index.html for workspace routes, and
// every way out of the root refused, sent as raw bytes so that no client
// normalises the path first. Then the path and header helpers on their own.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>

#include "heed/server/web_files.hpp"
#include "server_fixture.hpp"

namespace heed::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

std::string gunzip(const std::string& data) {
  z_stream zs{};
  REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
  }
  inflateEnd(&zs);
  CHECK(rc == Z_STREAM_END);
  return out;
}

// One request as exact bytes (no client normalises the target); the status and body.
struct RawAnswer {
  int status = 0;
  std::string head, body;
};
RawAnswer raw_get(int port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string all;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  RawAnswer answer;
  const auto end = all.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  answer.head = all.substr(0, end);
  answer.body = all.substr(end + 4);
  REQUIRE(all.size() > 12);
  answer.status = std::stoi(all.substr(9, 3));
  return answer;
}

constexpr const char* kSecret = "SECRET-OUTSIDE-THE-ROOT";
const std::string kIndex =
    "<!doctype html><html lang=\"en-GB\"><head><title>Heed</title>"
    "<script type=\"module\" src=\"/src/app.js\"></script></head><body><main id=\"app\"></main></body></html>\n";

// A server whose web root is a temporary folder holding a small workspace, a
// dotfile, a dot-folder, and symlinks out of the root and to a dotfile.
struct WebServer {
  TempDir files;
  fs::path root = files.path() / "web";
  std::string app_js;
  std::unique_ptr<TestServer> server;

  WebServer() {
    for (int i = 0; i < 200; ++i)
      app_js += "export function row" + std::to_string(i) + "() { return 'queue row " + std::to_string(i) + "'; }\n";
    write_file(root / "index.html", kIndex);
    write_file(root / "src/app.js", app_js);
    write_file(root / "src/style.css", "body { font-family: system-ui, sans-serif; }\n");
    write_file(root / "vendor/preact.js", "export const h = 1;\n");
    write_file(root / "logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
    write_file(root / ".env", kSecret);
    write_file(root / ".git/config", kSecret);
    write_file(files.path() / "secret.txt", kSecret);
    fs::create_symlink(files.path() / "secret.txt", root / "src/leak.js");
    fs::create_symlink(root / ".env", root / "src/env.js");
    fs::create_directory_symlink(files.path(), root / "up");
    auto options = test_options(files.path() / "data", nullptr);
    options.web_root = root;
    server = std::make_unique<TestServer>(options);
  }
  httplib::Client client() const { return server->client(); }
  int port() const { return server->port(); }
};

void check_security_headers(const httplib::Response& res) {
  CHECK(res.get_header_value("Content-Security-Policy") == std::string(server::kWebCsp));
  CHECK(res.get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(res.get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(res.get_header_value("X-Frame-Options") == "DENY");
}

TEST_CASE("web: / serves index.html with the CSP, nosniff and the other security headers") {
  WebServer web;
  auto c = web.client();
  auto res = c.Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == kIndex);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(res->get_header_value("Cache-Control") == "no-cache");
  CHECK(res->get_header_value("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(res->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
  check_security_headers(*res);
  CHECK(res->get_header_value_count("Content-Security-Policy") == 1);
  // The same file by its own name.
  auto named = c.Get("/index.html");
  REQUIRE(named);
  CHECK(named->body == kIndex);
  check_security_headers(*named);
}

TEST_CASE("web: files by path with their MIME types; HEAD answers the headers without the body") {
  WebServer web;
  auto c = web.client();
  auto js = c.Get("/src/app.js");
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(js->body == web.app_js);
  check_security_headers(*js);
  auto css = c.Get("/src/style.css");
  REQUIRE(css);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  auto vendor = c.Get("/vendor/preact.js");
  REQUIRE(vendor);
  CHECK(vendor->body == "export const h = 1;\n");
  auto png = c.Get("/logo.png");
  REQUIRE(png);
  CHECK(png->get_header_value("Content-Type") == "image/png");
  CHECK(png->body.size() == 8);

  auto head = c.Head("/src/app.js");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Length") == std::to_string(web.app_js.size()));
  CHECK(head->get_header_value("ETag") == js->get_header_value("ETag"));
  check_security_headers(*head);
}

TEST_CASE("web: gzip when the client accepts it, once, and it decompresses to the file") {
  WebServer web;
  auto c = web.client();
  c.set_decompress(false);  // the bytes as sent: this test decompresses them itself
  for (const char* accept : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1"}) {
    CAPTURE(accept);
    auto res = c.Get("/src/app.js", {{"Accept-Encoding", accept}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Encoding") == "gzip");
    CHECK(res->get_header_value_count("Content-Encoding") == 1);  // the library did not compress it again
    CHECK(res->get_header_value("Vary") == "Accept-Encoding");
    CHECK(res->body.size() < web.app_js.size() / 4);
    CHECK(gunzip(res->body) == web.app_js);
  }
  // Not accepted: the file as it is, under its own tag.
  auto plain = c.Get("/src/app.js", {{"Accept-Encoding", "gzip;q=0, identity"}});
  REQUIRE(plain);
  CHECK(!plain->has_header("Content-Encoding"));
  CHECK(plain->body == web.app_js);
  auto gz = c.Get("/src/app.js", {{"Accept-Encoding", "gzip"}});
  REQUIRE(gz);
  CHECK(plain->get_header_value("ETag") != gz->get_header_value("ETag"));
  // The index too (the HTML a first visit fetches).
  auto index = c.Get("/", {{"Accept-Encoding", "gzip"}});
  REQUIRE(index);
  CHECK(index->get_header_value("Content-Encoding") == "gzip");
  CHECK(gunzip(index->body) == kIndex);
}

TEST_CASE("web: a strong ETag answers 304 on If-None-Match, and a changed file gets a new one") {
  WebServer web;
  auto c = web.client();
  auto first = c.Get("/src/app.js");
  REQUIRE(first);
  const std::string tag = first->get_header_value("ETag");
  REQUIRE(tag.size() > 2);
  CHECK(tag.front() == '"');
  CHECK(tag.substr(0, 2) != "W/");  // strong

  auto again = c.Get("/src/app.js", {{"If-None-Match", tag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  CHECK(again->get_header_value("ETag") == tag);
  check_security_headers(*again);
  // A list holding it, and the gzip tag of the same file, also match.
  auto gz = c.Get("/src/app.js", {{"Accept-Encoding", "gzip"}});
  REQUIRE(gz);
  auto listed = c.Get("/src/app.js", {{"If-None-Match", "\"other\", " + gz->get_header_value("ETag")}});
  REQUIRE(listed);
  CHECK(listed->status == 304);
  auto other = c.Get("/src/app.js", {{"If-None-Match", "\"not-this-one\""}});
  REQUIRE(other);
  CHECK(other->status == 200);

  // The file is rebuilt: new content, new tag, and the old tag no longer matches.
  write_file(web.root / "src/app.js", "export const changed = true;\n");
  fs::last_write_time(web.root / "src/app.js", fs::last_write_time(web.root / "index.html") + std::chrono::seconds(5));
  auto changed = c.Get("/src/app.js", {{"If-None-Match", tag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->body == "export const changed = true;\n");
  CHECK(changed->get_header_value("ETag") != tag);
}

TEST_CASE("web: no way out of the root, and no dotfiles") {
  WebServer web;
  for (const char* target : {
           "/../secret.txt",
           "/src/../../secret.txt",
           "/%2e%2e/secret.txt",
           "/%2E%2E/%2e%2E/secret.txt",
           "/src/%2e%2e/%2e%2e/secret.txt",
           "/%2e%2e%2fsecret.txt",
           "/src%2f..%2f..%2fsecret.txt",
           "/..%5csecret.txt",
           "/src/..%5c..%5csecret.txt",
           "/.env",
           "/%2eenv",
           "/.git/config",
           "/src/./app.js",
           "//etc/passwd",
           "/src/leak.js",  // a symlink to a file outside the root
           "/src/env.js",   // a symlink to a dotfile inside it
           "/up/secret.txt",
           "/index.html%00.js",
       }) {
    CAPTURE(target);
    const auto answer = raw_get(web.port(), target);
    CHECK(answer.status >= 400);
    CHECK(answer.status < 500);
    CHECK(answer.body.find(kSecret) == std::string::npos);
    CHECK(answer.body.find("<!doctype") == std::string::npos);  // not the index either
  }
  // A sound path through the same raw client works, so the refusals above mean something.
  const auto ok = raw_get(web.port(), "/src/app.js");
  CHECK(ok.status == 200);
  CHECK(ok.body == web.app_js);
}

TEST_CASE("web: workspace routes answer index.html; a missing file-looking path is 404") {
  WebServer web;
  auto c = web.client();
  for (const char* route : {"/cases/42", "/admin/users", "/sign-in", "/src", "/cases/42/"}) {
    CAPTURE(route);
    auto res = c.Get(route);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == kIndex);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    check_security_headers(*res);
  }
  for (const char* missing : {"/src/missing.js", "/favicon.ico", "/vendor/nope.css"}) {
    CAPTURE(missing);
    auto res = c.Get(missing);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(json::parse(res->body)["error"] == "not_found");
    check_security_headers(*res);
  }
  // A very long path is answered, not a crash (the route's pattern on 8 KB).
  auto longest = c.Get(("/cases/" + std::string(7000, 'a')).c_str());
  REQUIRE(longest);
  CHECK(longest->status == 200);
}

TEST_CASE("web: the API keeps its JSON answers and its JSON 404s") {
  WebServer web;
  auto c = web.client();
  for (const char* path : {"/api/v1/nope", "/api/v1/records", "/api", "/api/", "/api/v1/cases/abc"}) {
    CAPTURE(path);
    auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    CHECK(json::parse(res->body)["error"] == "not_found");
  }
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(json::parse(health->body)["status"] == "ok");
  auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->body.find("<!doctype") == std::string::npos);
  auto unauthorised = c.Get("/api/v1/cases");
  REQUIRE(unauthorised);
  CHECK(unauthorised->status == 401);
  auto post = c.Post("/", "{}", "application/json");
  REQUIRE(post);
  CHECK(post->status == 404);
  CHECK(json::parse(post->body)["error"] == "not_found");
}

TEST_CASE("web: the API answers in gzip or plain, never brotli (the library's brotli costs ~100 ms a page)") {
  WebServer web;
  auto c = web.client();
  c.set_decompress(false);
  auto plain = c.Get("/metrics", {{"Accept-Encoding", "identity"}});
  REQUIRE(plain);
  REQUIRE(!plain->has_header("Content-Encoding"));
  auto browser = c.Get("/metrics", {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(browser);
  CHECK(browser->get_header_value("Content-Encoding") == "gzip");
  const std::string unpacked = gunzip(browser->body);
  CHECK(unpacked.rfind("# HELP heed_http_responses_total", 0) == 0);  // the counters move between the two asks
  auto brotli_only = c.Get("/healthz", {{"Accept-Encoding", "br"}});
  REQUIRE(brotli_only);
  CHECK(!brotli_only->has_header("Content-Encoding"));
  CHECK(json::parse(brotli_only->body)["status"] == "ok");
}

TEST_CASE("web: without an index.html the server starts and / says --web-root") {
  TestServer server;  // test_options: no web root
  auto c = server.client();
  for (const char* path : {"/", "/cases/1"}) {
    auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    const auto body = json::parse(res->body);
    CHECK(body["error"] == "no_web_root");
    CHECK(body["message"].get<std::string>().find("--web-root") != std::string::npos);
  }
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("web files: path, encoding and ETag helpers") {
  using namespace server;
  CHECK(safe_web_path("/"));
  CHECK(safe_web_path("/src/app.js"));
  CHECK(safe_web_path("/cases/42/"));
  CHECK_FALSE(safe_web_path(""));
  CHECK_FALSE(safe_web_path("src/app.js"));
  CHECK_FALSE(safe_web_path("/../x"));
  CHECK_FALSE(safe_web_path("/a/.."));
  CHECK_FALSE(safe_web_path("/a/./b"));
  CHECK_FALSE(safe_web_path("/.well-known/x"));
  CHECK_FALSE(safe_web_path("//x"));
  CHECK_FALSE(safe_web_path("/a\\..\\b"));
  CHECK_FALSE(safe_web_path(std::string_view("/a\0b", 4)));

  CHECK(looks_like_file("/src/missing.js"));
  CHECK_FALSE(looks_like_file("/cases/42"));
  CHECK(reserved_path("/api/v1/x"));
  CHECK(reserved_path("/healthz"));
  CHECK_FALSE(reserved_path("/apiary"));

  CHECK(mime_type("src/app.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type("A.SVG") == "image/svg+xml");
  CHECK(mime_type("README") == "application/octet-stream");

  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("deflate, gzip;q=0.5"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("br"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));

  CHECK(etag_listed("\"a\"", "\"a\""));
  CHECK(etag_listed("W/\"a\"", "\"a\""));
  CHECK(etag_listed("\"b\", \"a\"", "\"a\""));
  CHECK(etag_listed("*", "\"a\""));
  CHECK_FALSE(etag_listed("\"ab\"", "\"a\""));

  const std::string text(10000, 'x');
  const auto packed = gzip_compress(text);
  CHECK(packed.size() < 200);
  CHECK(gunzip(packed) == text);
}

}  // namespace
}  // namespace heed::test
