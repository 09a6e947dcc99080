// A webhook receiver for tests: an httplib server on a loopback port, on a
// thread of its own, that keeps every delivery of the events it watches and can
// answer 503 to the first few (a receiver that fails, then recovers). free_port
// gives a port nothing listens on yet: a receiver that is down, started later.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace heed::test {

// A webhook receiver: records every delivery of the events in `record` (empty:
// every event), answering 503 to the first `fail_first` of them; other events
// are answered 200 and not recorded (--webhook-url's endpoint takes every event,
// and most tests here watch breaches).
class Receiver {
 public:
  struct Delivery {
    std::string body, signature, delivery_id, event;
    std::chrono::steady_clock::time_point at;
    int status = 0;
  };

  explicit Receiver(int fail_first = 0, int port = 0, std::set<std::string> record = {"case.breached"})
      : fail_first_(fail_first), record_(std::move(record)) {
    http_.Post("/hooks", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (!record_.empty() && !record_.count(req.get_header_value("X-Heed-Event"))) {
        res.status = 200;
        return;
      }
      Delivery d{req.body,
                 req.get_header_value("X-Heed-Signature"),
                 req.get_header_value("X-Heed-Delivery"),
                 req.get_header_value("X-Heed-Event"),
                 std::chrono::steady_clock::now(),
                 200};
      if (static_cast<int>(attempts_.size()) < fail_first_) d.status = 503;
      res.status = d.status;
      attempts_.push_back(d);
      cv_.notify_all();
    });
    port_ = port == 0 ? http_.bind_to_any_port("127.0.0.1") : (http_.bind_to_port("127.0.0.1", port) ? port : -1);
    if (port_ <= 0) throw std::runtime_error("receiver could not bind");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    http_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks"; }

  // Waits until `n` deliveries were accepted (2xx).
  bool wait_for_accepted(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return accepted_locked().size() >= n; });
  }
  std::vector<Delivery> accepted() {
    std::lock_guard lock(mutex_);
    return accepted_locked();
  }
  std::vector<Delivery> attempts() {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

 private:
  std::vector<Delivery> accepted_locked() const {
    std::vector<Delivery> out;
    for (const auto& d : attempts_)
      if (d.status == 200) out.push_back(d);
    return out;
  }

  int fail_first_;
  std::set<std::string> record_;
  int port_ = 0;
  httplib::Server http_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Delivery> attempts_;
};

// A port nothing listens on (a receiver that is down), free to bind later.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0)
    throw std::runtime_error("no free port");
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace heed::test
