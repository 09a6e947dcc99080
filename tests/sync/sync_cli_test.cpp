// heed-device as an engineer runs it, against heed-server run as a program:
// every subcommand and its exit status, the --json shape, import's bad-line
// report; and both programs killed with SIGKILL mid-sync, then restarted: every
// record at the server exactly once.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "heed/record_json.hpp"
#include "heed/server/admin.hpp"
#include "sync_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kDevice = HEED_DEVICE_PATH;
const std::string kServer = HEED_SERVER_PATH;

// heed-server serve on a fixed loopback port, killed (SIGKILL) when it goes.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& data, int port, const std::filesystem::path& log)
      : process_(kServer, {"serve", "--data", data.string(), "--listen", "127.0.0.1:" + std::to_string(port)}, log) {
    const std::string line = process_.read_line();
    if (line.find("listening on") == std::string::npos) throw std::runtime_error("heed-server did not start: " + line);
  }
  void kill() {
    process_.kill(SIGKILL);
    (void)process_.wait();
  }

 private:
  Process process_;
};

RunResult device(std::vector<std::string> args, const TempDir& dir) {
  return run_program(kDevice, std::move(args), dir.path());
}

std::string enroll_code(const std::filesystem::path& data, const TempDir& dir) {
  auto r = run_program(kServer, {"enroll-code", "--data", data.string(), "--store", "MCR-01"}, dir.path());
  REQUIRE(r.status == 0);
  return r.out.substr(0, r.out.find('\n'));
}

json status_json(const std::string& db, const TempDir& dir) {
  auto r = device({"status", "--db", db, "--json"}, dir);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file);
  for (const auto& l : lines) out << l << "\n";
}

ServerRecords stored_at(const std::filesystem::path& data) {
  auto dir = server::open_data_dir(data).value();
  return server_records(*dir.storage);
}

}  // namespace

TEST_CASE("heed-device: enroll, import, status, sync --once and quarantine, with their exit codes") {
  TempDir dir;
  const auto data = dir / "server";
  const std::string db = (dir / "device.db").string();
  const int port = free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto server = std::make_unique<ServerProcess>(data, port, dir / "server.log");

  // Before enrollment.
  json before = status_json(db, dir);
  for (const char* key : {"device_id", "store_id", "server_url", "pending", "quarantined", "oldest_pending_age_s",
                          "last_sync_at", "last_error"})
    CHECK_MESSAGE(before.contains(key), key);
  CHECK(before["store_id"].is_null());
  CHECK(before["pending"] == 0);
  CHECK(device({"sync", "--db", db, "--once"}, dir).status == 2);  // not enrolled

  // Usage errors.
  CHECK(device({}, dir).status == 2);
  CHECK(device({"sync", "--once"}, dir).status == 2);
  CHECK(device({"frobnicate"}, dir).status == 2);
  CHECK(device({"enroll", "--db", db, "--server", url, "--code", "AAAA-BBBB-CCCC"}, dir).status == 2);  // http
  auto bad_code = device({"enroll", "--db", db, "--server", url, "--code", "AAAA-BBBB-CCCC", "--allow-insecure"}, dir);
  CHECK(bad_code.status == 2);
  CHECK(bad_code.err.find("enrollment code") != std::string::npos);

  auto enrolled =
      device({"enroll", "--db", db, "--server", url, "--code", enroll_code(data, dir), "--allow-insecure"}, dir);
  REQUIRE_MESSAGE(enrolled.status == 0, enrolled.err);
  CHECK(enrolled.out.find("store MCR-01") != std::string::npos);

  // Import: bad lines are reported by number and nothing is queued.
  auto records = feedback_records(20);
  records.push_back(feedback_records(1, "LDN-02")[0]);  // valid here, rejected by the server
  std::vector<std::string> lines;
  for (const auto& r : records) lines.push_back(to_json(r).dump());
  auto bad = lines;
  bad.insert(bad.begin() + 1, "{not json");
  json out_of_range = to_json(records[0]);
  out_of_range["id"] = new_uuid_v4();
  out_of_range["nps"] = 12;
  bad.insert(bad.begin() + 3, out_of_range.dump());
  write_lines(dir / "bad.jsonl", bad);
  auto refused = device({"import", "--db", db, (dir / "bad.jsonl").string()}, dir);
  CHECK(refused.status == 1);
  CHECK(refused.err.find("bad.jsonl:2:") != std::string::npos);
  CHECK(refused.err.find("bad.jsonl:4: nps") != std::string::npos);
  CHECK(refused.err.find("nothing was queued") != std::string::npos);
  CHECK(status_json(db, dir)["pending"] == 0);

  write_lines(dir / "good.jsonl", lines);
  auto imported = device({"import", "--db", db, (dir / "good.jsonl").string()}, dir);
  REQUIRE_MESSAGE(imported.status == 0, imported.err);
  CHECK(imported.out == "queued 21 record(s)\n");
  json queued = status_json(db, dir);
  CHECK(queued["pending"] == 21);
  CHECK(queued["store_id"] == "MCR-01");
  CHECK(queued["server_url"] == url);
  CHECK(queued["oldest_pending_age_s"].is_number_integer());
  CHECK(queued["last_sync_at"].is_null());

  auto synced = device({"sync", "--db", db, "--once", "--timeout", "30"}, dir);
  CHECK_MESSAGE(synced.status == 0, synced.err);
  json after = status_json(db, dir);
  CHECK(after["pending"] == 0);
  CHECK(after["quarantined"] == 1);
  CHECK(after["last_sync_at"].is_string());
  CHECK(after["last_error"].is_null());
  CHECK(after["oldest_pending_age_s"].is_null());
  auto text = device({"status", "--db", db}, dir);
  CHECK(text.out.find("quarantined:   1") != std::string::npos);

  // Quarantine: list, export, retry.
  const std::string rejected_id = header_of(records.back()).id;
  auto listed = device({"quarantine", "--db", db}, dir);
  CHECK(listed.status == 0);
  CHECK(listed.out.find(rejected_id + "\tfeedback\twrong_store") == 0);
  auto exported = device({"quarantine", "--db", db, "export", "--out", (dir / "q.jsonl").string()}, dir);
  CHECK(exported.status == 0);
  std::ifstream in(dir / "q.jsonl");
  std::string line;
  REQUIRE(std::getline(in, line));
  json item = json::parse(line);
  CHECK(item["id"] == rejected_id);
  CHECK(item["reason"].get<std::string>().find("wrong_store") == 0);
  CHECK(item["record"]["store_id"] == "LDN-02");
  CHECK(device({"quarantine", "--db", db, "retry"}, dir).status == 2);  // which?
  CHECK(device({"quarantine", "--db", db, "retry", "--all"}, dir).out == "requeued 1 record(s)\n");
  CHECK(status_json(db, dir)["pending"] == 1);
  CHECK(device({"quarantine", "--db", db, "retry", new_uuid_v4()}, dir).status == 1);

  // Without --once: the app's background engine, until SIGTERM. The requeued
  // record is rejected again and goes back to quarantine.
  {
    Process running(kDevice, {"sync", "--db", db, "--heartbeat", "0"}, dir / "device.log");
    REQUIRE(eventually([&] { return status_json(db, dir)["quarantined"] == 1; }, 20s));
    running.kill(SIGTERM);
    CHECK(running.wait() == 0);
  }
  CHECK(status_json(db, dir)["pending"] == 0);
  CHECK(device({"quarantine", "--db", db, "retry", rejected_id}, dir).out == "requeued 1 record(s)\n");

  // The server gone: sync --once gives up at its timeout with something pending.
  server.reset();
  auto offline = device({"sync", "--db", db, "--once", "--timeout", "1", "--backoff-first-ms", "50"}, dir);
  CHECK(offline.status == 1);
  CHECK(offline.err.find("still pending") != std::string::npos);
  json stuck = status_json(db, dir);
  CHECK(stuck["pending"] == 1);
  CHECK(stuck["last_error"].is_string());
  CHECK(stored_at(data).rows == 20);
}

TEST_CASE("the server and the device killed mid-sync and restarted: every record at the server exactly once") {
  TempDir dir;
  const auto data = dir / "server";
  const std::string db = (dir / "device.db").string();
  const int port = free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto server = std::make_unique<ServerProcess>(data, port, dir / "server.log");
  REQUIRE(device({"enroll", "--db", db, "--server", url, "--code", enroll_code(data, dir), "--allow-insecure"}, dir)
              .status == 0);

  const auto records = feedback_records(4000);
  {
    auto store = DeviceStore::open(db).value();
    save_records(store, records);
  }
  const std::vector<std::string> sync_args{"sync",
                                           "--db",
                                           db,
                                           "--once",
                                           "--timeout",
                                           "120",
                                           "--batch",
                                           "25",
                                           "--backoff-first-ms",
                                           "20",
                                           "--backoff-cap-ms",
                                           "200",
                                           "--request-timeout",
                                           "3"};
  auto start_device = [&] { return std::make_unique<Process>(kDevice, sync_args, dir / "device.log"); };
  auto delivered_at_server = [&] { return stored_at(data).rows; };

  auto syncing = start_device();
  REQUIRE(eventually([&] { return delivered_at_server() > 0; }, 20s));
  for (int round = 0; round < 3; ++round) {
    // The server dies mid-batch and comes back.
    server->kill();
    const auto before = delivered_at_server();
    CHECK(before < static_cast<std::int64_t>(records.size()));
    std::this_thread::sleep_for(150ms);
    server = std::make_unique<ServerProcess>(data, port, dir / "server.log");
    REQUIRE(eventually([&] { return delivered_at_server() > before; }, 20s));
    // The device dies mid-sync and is started again.
    syncing->kill(SIGKILL);
    CHECK(syncing->wait() == 128 + SIGKILL);
    syncing = start_device();
    const auto after_device = delivered_at_server();
    REQUIRE(eventually([&] { return delivered_at_server() > after_device; }, 20s));
  }
  CHECK(syncing->wait() == 0);
  CHECK(each_stored_once(stored_at(data), records));
  auto store = DeviceStore::open(db).value();
  auto stats = store.outbox_stats().value();
  CHECK(stats.delivered == static_cast<std::int64_t>(records.size()));
  CHECK(stats.pending + stats.in_flight + stats.quarantined == 0);
}
