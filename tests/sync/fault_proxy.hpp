// A TCP proxy for the sync tests that sits between the device and the server
// and, at random, misbehaves the ways a store's network does:
// - refuse:        a new connection is reset at once;
// - reset_mid:     the request is cut off part way (the server never sees it whole);
// - reset_after:   the request reaches the server, which answers (so it has
//                  committed), and the connection is reset before the answer arrives;
// - stall:         the request is taken and nothing comes back until the client gives up;
// - pass:          bytes go both ways untouched.
// It reads HTTP/1.1 requests and responses by Content-Length (what cpp-httplib
// sends both ways), so faults land on request boundaries of a kept-alive
// connection. Counts of each fault are kept for the test to assert on.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace heed::test {

struct FaultRates {
  double refuse = 0.0;
  double reset_mid = 0.0;
  double reset_after = 0.0;
  double stall = 0.0;
  std::chrono::milliseconds stall_for{1500};  // longer than the client's timeout
};

struct FaultCounts {
  std::atomic<int> connections{0}, refused{0}, reset_mid{0}, reset_after{0}, stalled{0}, passed{0};
};

class FaultProxy {
 public:
  FaultProxy(int upstream_port, FaultRates rates, std::uint64_t seed = 1);
  ~FaultProxy();  // stops: closes every socket and joins every thread
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  const FaultCounts& counts() const { return counts_; }
  // From now on, forward everything untouched (to let a run finish).
  void heal() { healed_ = true; }

 private:
  enum class Fault { pass, reset_mid, reset_after, stall };
  void accept_loop();
  void serve(int client);
  Fault draw();
  bool draw_refuse();

  int upstream_port_;
  FaultRates rates_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> healed_{false};
  FaultCounts counts_;
  std::mutex mutex_;  // guards random_, sockets_, threads_
  std::mt19937_64 random_;
  std::vector<int> sockets_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace heed::test
