// HttpClient over cpp-httplib 0.11.4 with OpenSSL. The pin is checked in
// OpenSSL's certificate verification callback: the chain is verified as usual,
// then the leaf's public key hash is compared, and a mismatch fails the
// verification, so httplib drops the connection before any request is sent.
#include "heed/sync/http_client.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>

namespace heed::sync {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

// SHA-256 of the certificate's SubjectPublicKeyInfo, hex; empty on failure.
std::string key_pin(X509* cert) {
  if (!cert) return {};
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (length <= 0) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  const bool hashed =
      EVP_Digest(der, static_cast<std::size_t>(length), digest.data(), &digest_length, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  return hashed ? hex(digest.data(), digest_length) : std::string();
}

// OpenSSL's chain verification, then the pin on the leaf.
int verify_with_pin(X509_STORE_CTX* store, void* arg) {
  const auto* pin = static_cast<const std::string*>(arg);
  if (X509_verify_cert(store) != 1) return 0;
  if (key_pin(X509_STORE_CTX_get0_cert(store)) != *pin) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  return 1;
}

}  // namespace

Result<ServerUrl> parse_server_url(std::string_view url, bool allow_insecure) {
  ServerUrl out;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    if (!allow_insecure)
      return Error{Errc::invalid,
                   fmt::format("{}: plain http:// sends the device's token and customers' data "
                               "unencrypted; use https://, or set allow_insecure for loopback or development",
                               url)};
    out.tls = false;
    out.port = 80;
    rest = url.substr(7);
  } else {
    return Error{Errc::invalid,
                 fmt::format("{}: the server URL must start with https:// (or http:// with allow_insecure)", url)};
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos)
    return Error{Errc::invalid, fmt::format("{}: the server URL cannot have a query or fragment", url)};
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.base_path = std::string(path);
  if (authority.empty() || authority.find_first_of(" @") != std::string_view::npos)
    return Error{Errc::invalid, fmt::format("{}: the server URL has no host", url)};
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Error{Errc::invalid, fmt::format("{}: unclosed [ in the host", url)};
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Error{Errc::invalid, fmt::format("{}: bad host", url)};
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return Error{Errc::invalid, fmt::format("{}: the server URL has no host", url)};
  out.host = std::string(host);
  if (!port.empty() || authority.back() == ':') {
    int value = 0;
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Error{Errc::invalid, fmt::format("{}: the port must be a number from 1 to 65535", url)};
    for (char c : port) value = value * 10 + (c - '0');
    if (value < 1 || value > 65535)
      return Error{Errc::invalid, fmt::format("{}: the port must be a number from 1 to 65535", url)};
    out.port = value;
  }
  return out;
}

std::optional<std::string> normalise_key_pin(std::string_view pin) {
  std::string out;
  for (char c : pin) {
    if (c == ':') continue;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    out.push_back(c);
  }
  if (out.size() != 64) return std::nullopt;
  return out;
}

Result<std::string> public_key_pin_of_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return Error{Errc::internal, "out of memory"};
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!cert) return Error{Errc::invalid, "not a PEM certificate"};
  std::string pin = key_pin(cert);
  X509_free(cert);
  if (pin.empty()) return Error{Errc::internal, "cannot hash the certificate's public key"};
  return pin;
}

namespace {
// httplib's own names for its errors ("Connection", "Read") read like a cut-off
// sentence in the staff menu and `heed-device status`: say what happened.
std::string describe(httplib::Error error) {
  using E = httplib::Error;
  switch (error) {
    case E::Connection:
      return "could not connect (the server is not running, or the network is down)";
    case E::ConnectionTimeout:
      return "the connection timed out (the server or the network is too slow or down)";
    case E::Read:
      return "the connection broke while reading the answer (or the server took too long to answer)";
    case E::Write:
      return "the connection broke while sending the request";
    case E::SSLConnection:
      return "the secure (TLS) connection could not be set up";
    case E::SSLLoadingCerts:
      return "the trusted certificates (CA bundle) could not be loaded";
    case E::SSLServerVerification:
      return "the server's certificate could not be verified";
    case E::Canceled:
      return "the request was cancelled";
    case E::ExceedRedirectCount:
      return "the server redirected too many times";
    default:
      return "the request failed (" + httplib::to_string(error) + ")";
  }
}
}  // namespace

struct HttpClient::Impl {
  ServerUrl url;
  std::string pin;  // normalised; the verification callback points here, so Impl never moves
  std::unique_ptr<httplib::ClientImpl> client;

  Result<HttpResponse> finish(httplib::Result result, std::string_view what) {
    if (!result) {
      std::string reason = describe(result.error());
      if (auto* ssl = dynamic_cast<httplib::SSLClient*>(client.get());
          ssl && result.error() == httplib::Error::SSLServerVerification) {
        const long verify = ssl->get_openssl_verify_result();
        reason =
            verify == X509_V_ERR_APPLICATION_VERIFICATION
                ? std::string("the server's public key does not match the pinned key")
                : fmt::format("the server's certificate is not trusted: {}", X509_verify_cert_error_string(verify));
      }
      client->stop();  // the next request opens a fresh connection
      return Error{Errc::io, fmt::format("{} {}:{}: {}", what, url.host, url.port, reason)};
    }
    HttpResponse out;
    out.status = result->status;
    out.body = std::move(result->body);
    out.retry_after = result->get_header_value("Retry-After");
    return out;
  }

  httplib::Headers headers(std::string_view bearer) const {
    httplib::Headers h;
    if (!bearer.empty()) h.emplace("Authorization", "Bearer " + std::string(bearer));
    return h;
  }
};

Result<HttpClient> HttpClient::create(const ConnectionOptions& options) {
  auto url = parse_server_url(options.server_url, options.allow_insecure);
  if (!url) return url.error();
  auto impl = std::make_unique<Impl>();
  impl->url = std::move(url.value());
  if (!options.pinned_key_sha256.empty()) {
    auto pin = normalise_key_pin(options.pinned_key_sha256);
    if (!pin) return Error{Errc::invalid, "the pinned key must be a SHA-256 as 64 hexadecimal digits"};
    impl->pin = *pin;
  }
  if (impl->url.tls) {
    auto ssl = std::make_unique<httplib::SSLClient>(impl->url.host, impl->url.port);
    if (!options.ca_bundle.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(options.ca_bundle, ec))
        return Error{Errc::invalid, fmt::format("the CA bundle {} does not exist", options.ca_bundle.string())};
      ssl->set_ca_cert_path(options.ca_bundle.string());
    }
    ssl->enable_server_certificate_verification(true);
    if (!impl->pin.empty()) SSL_CTX_set_cert_verify_callback(ssl->ssl_context(), verify_with_pin, &impl->pin);
    impl->client = std::move(ssl);
  } else {
    if (!impl->pin.empty()) return Error{Errc::invalid, "a pinned key needs an https:// server URL"};
    impl->client = std::make_unique<httplib::ClientImpl>(impl->url.host, impl->url.port);
  }
  auto& c = *impl->client;
  c.set_tcp_nodelay(true);  // else each kept-alive request waits on Nagle and delayed ACK
  c.set_keep_alive(true);
  c.set_connection_timeout(options.connect_timeout);
  c.set_read_timeout(options.request_timeout);
  c.set_write_timeout(options.request_timeout);
  return HttpClient(std::move(impl));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::post_json(std::string_view path, const std::string& body, std::string_view bearer) {
  const std::string full = impl_->url.base_path + std::string(path);
  return impl_->finish(impl_->client->Post(full.c_str(), impl_->headers(bearer), body, "application/json"),
                       "POST " + full + " to");
}

Result<HttpResponse> HttpClient::get(std::string_view path_and_query, std::string_view bearer) {
  const std::string full = impl_->url.base_path + std::string(path_and_query);
  return impl_->finish(impl_->client->Get(full.c_str(), impl_->headers(bearer)), "GET " + full + " from");
}

void HttpClient::disconnect() { impl_->client->stop(); }
const ServerUrl& HttpClient::url() const { return impl_->url; }

}  // namespace heed::sync
