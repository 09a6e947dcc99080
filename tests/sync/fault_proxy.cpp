// See fault_proxy.hpp. One thread per client connection; each opens its own
// upstream connection. Shutting a socket down wakes a thread blocked on it.
#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace heed::test {

namespace {

// Close with RST instead of FIN: the peer sees "connection reset".
void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one HTTP message (headers, then Content-Length bytes) into `message`,
// keeping any bytes beyond it in `buffer`. False on EOF or error.
bool read_message(int fd, std::string& buffer, std::string& message) {
  char chunk[65536];
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::string headers = buffer.substr(0, header_end);
  std::transform(headers.begin(), headers.end(), headers.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (headers.find("transfer-encoding: chunked") != std::string::npos)
    throw std::runtime_error("chunked bodies are not supported");
  std::size_t length = 0;
  if (const auto at = headers.find("content-length:"); at != std::string::npos)
    length = std::stoul(headers.substr(at + 15));
  const std::size_t total = header_end + 4 + length;
  while (buffer.size() < total) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  message = buffer.substr(0, total);
  buffer.erase(0, total);
  return true;
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

FaultProxy::FaultProxy(int upstream_port, FaultRates rates, std::uint64_t seed)
    : upstream_port_(upstream_port), rates_(rates), random_(seed) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 128) != 0)
    throw std::runtime_error("fault proxy: cannot listen");
  socklen_t size = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  ::close(listener_);
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (int fd : sockets_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

bool FaultProxy::draw_refuse() {
  if (healed_) return false;
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0, 1)(random_) < rates_.refuse;
}

FaultProxy::Fault FaultProxy::draw() {
  if (healed_) return Fault::pass;
  std::lock_guard lock(mutex_);
  double x = std::uniform_real_distribution<double>(0, 1)(random_);
  if ((x -= rates_.reset_mid) < 0) return Fault::reset_mid;
  if ((x -= rates_.reset_after) < 0) return Fault::reset_after;
  if ((x -= rates_.stall) < 0) return Fault::stall;
  return Fault::pass;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (stopping_) return;
      continue;
    }
    ++counts_.connections;
    if (draw_refuse()) {
      ++counts_.refused;
      reset(client);
      continue;
    }
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard lock(mutex_);
    sockets_.push_back(client);
    threads_.emplace_back([this, client] { serve(client); });
  }
}

void FaultProxy::serve(int client) {
  const int upstream = connect_loopback(upstream_port_);
  if (upstream >= 0) {
    std::lock_guard lock(mutex_);
    sockets_.push_back(upstream);
  }
  auto forget = [this](int fd) {
    std::lock_guard lock(mutex_);
    sockets_.erase(std::remove(sockets_.begin(), sockets_.end(), fd), sockets_.end());
  };
  std::string from_client, from_upstream, request, response;
  bool keep = upstream >= 0;
  while (keep && !stopping_) {
    try {
      if (!read_message(client, from_client, request)) break;
    } catch (const std::exception&) {
      break;
    }
    const Fault fault = draw();
    if (fault == Fault::reset_mid) {
      ++counts_.reset_mid;
      // Half the request reaches the server, then both sides are cut.
      (void)send_all(upstream, request.data(), request.size() / 2);
      break;
    }
    if (fault == Fault::stall) {
      ++counts_.stalled;
      // Hold the request; nothing goes on until the client has given up.
      pollfd p{client, POLLIN, 0};
      const auto until = std::chrono::steady_clock::now() + rates_.stall_for;
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        if (::poll(&p, 1, 50) > 0 && (p.revents & (POLLHUP | POLLERR))) break;
      }
      break;
    }
    if (!send_all(upstream, request.data(), request.size())) break;
    try {
      if (!read_message(upstream, from_upstream, response)) break;
    } catch (const std::exception&) {
      break;
    }
    if (fault == Fault::reset_after) {
      ++counts_.reset_after;  // the server has answered: its work is done
      break;
    }
    ++counts_.passed;
    if (!send_all(client, response.data(), response.size())) break;
  }
  forget(client);
  reset(client);
  if (upstream >= 0) {
    forget(upstream);
    reset(upstream);
  }
}

}  // namespace heed::test
