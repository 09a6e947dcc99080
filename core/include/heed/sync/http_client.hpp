// The device's HTTP(S) connection to head office's server, over cpp-httplib.
//
// Invariants:
// - https:// is verified against a CA bundle (the given file, else the system's)
//   and the host name; with a pin, the server's public key (SHA-256 of its
//   SubjectPublicKeyInfo) must also match, checked during the TLS handshake.
// - http:// is refused unless ConnectionOptions::allow_insecure (loopback, development).
// - No response (refused, reset, timeout, TLS failure) is an Error; any HTTP
//   status is a response: the caller decides what a status means.
// One HttpClient keeps one connection alive; it is not thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heed/result.hpp"

namespace heed::sync {

struct ConnectionOptions {
  std::string server_url;                            // "https://heed.example.com" (a path prefix is kept)
  std::filesystem::path ca_bundle;                   // PEM file of trusted CAs; empty: the system's
  std::string pinned_key_sha256;                     // 64 hex digits (colons allowed); empty: no pin
  bool allow_insecure = false;                       // permit http:// (no TLS): loopback and development only
  std::chrono::milliseconds connect_timeout{5000};   // TCP and TLS set-up
  std::chrono::milliseconds request_timeout{30000};  // each read or write on the socket
};

struct ServerUrl {
  bool tls = true;
  std::string host;
  int port = 443;
  std::string base_path;  // without a trailing slash; "" for the root
};

// Checks and splits a server URL; http:// only with allow_insecure.
Result<ServerUrl> parse_server_url(std::string_view url, bool allow_insecure);
// A pin as 32 raw bytes written as 64 lower-case hex digits; nullopt if malformed.
std::optional<std::string> normalise_key_pin(std::string_view pin);

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header, if any
};

class HttpClient {
 public:
  // Validates the options (URL, pin, CA file) and prepares the connection; it
  // connects on the first request.
  static Result<HttpClient> create(const ConnectionOptions& options);
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  // POST a JSON body to base_path + path, with a bearer token when not empty.
  Result<HttpResponse> post_json(std::string_view path, const std::string& body, std::string_view bearer = {});
  // GET base_path + path_and_query.
  Result<HttpResponse> get(std::string_view path_and_query, std::string_view bearer = {});

  // Drops the kept-alive connection (after a failure the next request reconnects).
  void disconnect();
  const ServerUrl& url() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The SHA-256 of a PEM certificate's public key (SubjectPublicKeyInfo DER), as a
// pin: what an operator puts in the config. Used by tests and `heed-device`.
Result<std::string> public_key_pin_of_pem(const std::string& pem);

}  // namespace heed::sync
