// A small SMTP server for tests (RFC 5321's minimum): it listens on a free
// loopback port, on a thread of its own, and keeps every message it accepts.
// It speaks EHLO/HELO, MAIL FROM, RCPT TO, DATA (with the dot-unstuffing of
// section 4.5.2), RSET, NOOP and QUIT, one connection at a time; anything else is
// 502. `fail_next` makes the next N DATA commands end in a 451 after the data,
// so a sender's retry can be tested. No TLS, no AUTH: EHLO offers neither.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace heed::test {

class SmtpReceiver {
 public:
  struct Message {
    std::string mail_from;        // without <>
    std::vector<std::string> to;  // without <>
    std::string data;             // as sent, dot-unstuffed, CRLF line ends, without the final "."
  };

  SmtpReceiver() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("smtp receiver: socket");
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // a free port
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 8) != 0)
      throw std::runtime_error("smtp receiver: bind/listen");
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~SmtpReceiver() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  SmtpReceiver(const SmtpReceiver&) = delete;
  SmtpReceiver& operator=(const SmtpReceiver&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void fail_next(int n) { fail_next_ = n; }

  std::vector<Message> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  int failed() const { return failed_; }
  // Waits until at least `n` messages arrived or `timeout` passed; whether they did.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }

 private:
  void run() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      serve(fd);
      ::close(fd);
    }
  }

  // One line (without CRLF) from the connection; false when it closed or stopped.
  bool read_line(int fd, std::string& buffer, std::string& line) {
    while (true) {
      const auto end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      if (buffer.size() > 1'000'000) return false;  // a line that never ends
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, 50);
      if (stopping_) return false;
      if (ready <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static void reply(int fd, const std::string& text) {
    const std::string out = text + "\r\n";
    (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  static bool starts_with_ci(const std::string& line, const char* prefix) {
    for (std::size_t i = 0; prefix[i]; ++i)
      if (i >= line.size() || std::toupper(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
    return true;
  }

  static std::string address_in(const std::string& line) {
    const auto open = line.find('<'), close = line.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open) return {};
    return line.substr(open + 1, close - open - 1);
  }

  void serve(int fd) {
    std::string buffer, line;
    Message current;
    bool greeted = false, have_from = false;
    reply(fd, "220 test.invalid ESMTP heed-test-receiver");
    while (read_line(fd, buffer, line)) {
      if (starts_with_ci(line, "EHLO ")) {
        greeted = true;
        reply(fd, "250-test.invalid greets you");
        reply(fd, "250-8BITMIME");
        reply(fd, "250 SIZE 10485760");
      } else if (starts_with_ci(line, "HELO ")) {
        greeted = true;
        reply(fd, "250 test.invalid");
      } else if (starts_with_ci(line, "MAIL FROM:")) {
        if (!greeted) {
          reply(fd, "503 say hello first");
          continue;
        }
        current = Message{};
        current.mail_from = address_in(line);
        have_from = true;
        reply(fd, "250 OK");
      } else if (starts_with_ci(line, "RCPT TO:")) {
        if (!have_from) {
          reply(fd, "503 need MAIL first");
          continue;
        }
        current.to.push_back(address_in(line));
        reply(fd, "250 OK");
      } else if (starts_with_ci(line, "DATA")) {
        if (!have_from || current.to.empty()) {
          reply(fd, "503 need RCPT first");
          continue;
        }
        reply(fd, "354 end with <CRLF>.<CRLF>");
        bool ended = false;
        while (read_line(fd, buffer, line)) {
          if (line == ".") {
            ended = true;
            break;
          }
          if (!line.empty() && line[0] == '.') line.erase(0, 1);  // dot-unstuffing
          current.data += line + "\r\n";
        }
        if (!ended) return;
        have_from = false;
        if (fail_next_ > 0) {
          --fail_next_;
          ++failed_;
          reply(fd, "451 4.3.0 try again later (the test asked for it)");
          continue;
        }
        {
          std::lock_guard lock(mutex_);
          messages_.push_back(std::move(current));
        }
        cv_.notify_all();
        reply(fd, "250 OK queued");
      } else if (starts_with_ci(line, "RSET")) {
        have_from = false;
        reply(fd, "250 OK");
      } else if (starts_with_ci(line, "NOOP")) {
        reply(fd, "250 OK");
      } else if (starts_with_ci(line, "QUIT")) {
        reply(fd, "221 bye");
        return;
      } else {
        reply(fd, "502 command not implemented");
      }
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> fail_next_{0}, failed_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<Message> messages_;
  std::thread thread_;
};

}  // namespace heed::test
