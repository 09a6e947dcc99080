// What the sync tests share: the real heed-server in-process (server_fixture.hpp),
// a device store full of records, engine options with short timeouts and
// backoff, and ways to count what the server stored.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <set>
#include <thread>

#include "heed/device_store.hpp"
#include "heed/sync/sync_engine.hpp"
#include "server_fixture.hpp"

namespace heed::test {

// A loopback port nobody listens on now (bound, read and released).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t size = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// n valid feedback records for store MCR-01, each with its own id.
inline std::vector<Record> feedback_records(int n, const std::string& store = "MCR-01") {
  std::vector<Record> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    Feedback f = feedback();
    f.header.id = new_uuid_v4();
    f.header.store_id = store;
    f.csat = 1 + i % 5;
    out.emplace_back(std::move(f));
  }
  return out;
}

inline void save_records(DeviceStore& store, const std::vector<Record>& records) {
  constexpr std::size_t kChunk = 2000;
  for (std::size_t at = 0; at < records.size(); at += kChunk) {
    const auto n = std::min(kChunk, records.size() - at);
    auto saved = store.save_all(std::span(records).subspan(at, n));
    if (!saved) throw std::runtime_error("saving records: " + saved.error().message);
  }
}

inline sync::ConnectionOptions loopback(int port) {
  sync::ConnectionOptions c;
  c.server_url = "http://127.0.0.1:" + std::to_string(port);
  c.allow_insecure = true;
  c.connect_timeout = std::chrono::milliseconds(1000);
  c.request_timeout = std::chrono::milliseconds(5000);
  return c;
}

inline sync::SyncOptions fast_options(int port) {
  sync::SyncOptions o;
  o.connection = loopback(port);
  o.backoff_first = std::chrono::milliseconds(20);
  o.backoff_cap = std::chrono::milliseconds(200);
  o.heartbeat_interval = std::chrono::seconds(0);
  o.seed = 7;
  return o;
}

// Enrolls the store with the server for `store_id`, as a person would with a code.
inline sync::Enrollment enroll(DeviceStore& device, TestServer& server, const std::string& store_id = "MCR-01") {
  auto data = server.admin();
  const auto code = server::issue_enrollment_code(data, store_id, server.now()).value();
  auto enrolled = sync::enroll(device, loopback(server.port()), code, "Till 1");
  if (!enrolled) throw std::runtime_error("enrollment failed: " + enrolled.error().message);
  return enrolled.value();
}

// Every record id the server holds, and how many rows there are.
struct ServerRecords {
  std::int64_t rows = 0;
  std::set<std::string> ids;
};

inline ServerRecords server_records(server::Storage& storage) {
  ServerRecords out;
  std::optional<server::RecordCursor> after;
  while (true) {
    auto page = storage.records_page({}, after, 5000);
    if (!page) throw std::runtime_error("reading the server's records: " + page.error().message);
    if (page->empty()) return out;
    for (const auto& r : *page) {
      ++out.rows;
      out.ids.insert(r.id);
    }
    after = server::RecordCursor{page->back().created_at, page->back().seq};
  }
}

// True when every record is at the server exactly once (and nothing else is).
inline bool each_stored_once(const ServerRecords& stored, const std::vector<Record>& records) {
  if (stored.rows != static_cast<std::int64_t>(records.size()) || stored.ids.size() != records.size()) return false;
  for (const auto& r : records)
    if (!stored.ids.count(header_of(r).id)) return false;
  return true;
}

inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds within) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

inline std::chrono::steady_clock::time_point in(std::chrono::milliseconds d) {
  return std::chrono::steady_clock::now() + d;
}

}  // namespace heed::test
