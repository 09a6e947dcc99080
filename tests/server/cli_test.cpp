// The heed-server program itself: enroll-code and user add from the command
// line, serve printing "listening on", and SIGTERM stopping it cleanly after the
// request in flight has its answer.
#include <doctest/doctest.h>
#include <signal.h>

#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "child_process.hpp"
#include "temp_dir.hpp"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using heed::test::Process;

int run(std::vector<std::string> args, const std::string& input, std::string* output = nullptr) {
  Process child(HEED_SERVER_PATH, std::move(args), {}, input);
  const std::string text = child.read_all();
  if (output) *output = text;
  return child.wait();
}

}  // namespace

TEST_CASE("heed-server: user add, enroll-code, serve, and a clean stop on SIGTERM") {
  heed::test::TempDir dir;
  const std::string data = (dir / "data").string();
  CHECK(run({"user", "add", "--data", data, "--username", "alice", "--role", "manager"},
            "correct horse battery staple\n") == 0);
  CHECK(run({"user", "add", "--data", data, "--username", "alice", "--role", "agent"},
            "another long password\n") == 2);  // taken
  CHECK(run({"user", "add", "--data", data, "--username", "bob", "--role", "agent"}, "short\n") == 2);
  CHECK(run({"user", "add", "--data", data, "--username", "bob", "--role", "boss"}, "x\n") == 2);

  std::string code_out;
  REQUIRE(run({"enroll-code", "--data", data, "--store", "MCR-01"}, "", &code_out) == 0);
  CHECK(std::regex_match(code_out, std::regex("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\n")));
  CHECK(run({"enroll-code", "--data", data, "--store", "not a store"}, "") == 2);
  const std::string code = code_out.substr(0, code_out.size() - 1);

  Process server(HEED_SERVER_PATH, {"serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  const std::string ready = server.read_line();
  std::smatch m;
  REQUIRE(std::regex_search(ready, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  const int port = std::stoi(m[1]);

  httplib::Client client("127.0.0.1", port);
  auto enrolled =
      client.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "Till 1"}}.dump(), "application/json");
  REQUIRE(enrolled);
  CHECK(enrolled->status == 201);

  // A sign-in takes a moment (argon2id): SIGTERM arrives while it is in flight,
  // and it still gets its answer before the server exits 0.
  int signed_in_status = 0;
  std::string signed_in_body;
  std::thread in_flight([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    auto res =
        c.Post("/api/v1/auth/login", json{{"username", "alice"}, {"password", "correct horse battery staple"}}.dump(),
               "application/json");
    if (res) {
      signed_in_status = res->status;
      signed_in_body = res->body;
    }
  });
  std::this_thread::sleep_for(150ms);
  server.kill(SIGTERM);
  in_flight.join();
  CHECK(server.wait() == 0);
  REQUIRE(signed_in_status == 200);
  CHECK(json::parse(signed_in_body)["token"].get<std::string>().rfind("hs_", 0) == 0);

  // What it stored is there on the next start; SIGINT stops it too.
  Process again(HEED_SERVER_PATH, {"serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  const std::string ready2 = again.read_line();
  REQUIRE(std::regex_search(ready2, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  httplib::Client client2("127.0.0.1", std::stoi(m[1]));
  auto refused =
      client2.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "Till 2"}}.dump(), "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 403);  // the code was used
  // The session signed in before the restart holds, under the default idle timeout (30 minutes).
  const std::string token = json::parse(signed_in_body)["token"].get<std::string>();
  auto me = client2.Get("/api/v1/me", {{"Authorization", "Bearer " + token}});
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(json::parse(me->body)["idle_timeout_s"] == 1800);
  again.kill(SIGINT);
  CHECK(again.wait() == 0);

  CHECK(run({"serve", "--data", data, "--listen", "nonsense"}, "") == 2);
  CHECK(run({"serve", "--data", data, "--rules", (dir / "missing.json").string()}, "") == 2);
}

TEST_CASE("heed-server device list and device revoke, while the server runs") {
  heed::test::TempDir dir;
  const std::string data = (dir / "data").string();
  std::string code_out;
  REQUIRE(run({"enroll-code", "--data", data, "--store", "MCR-01"}, "", &code_out) == 0);
  Process server(HEED_SERVER_PATH, {"serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  std::smatch m;
  const std::string ready = server.read_line();
  REQUIRE(std::regex_search(ready, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  httplib::Client client("127.0.0.1", std::stoi(m[1]));
  auto enrolled = client.Post("/api/v1/devices/enroll",
                              json{{"code", code_out.substr(0, code_out.size() - 1)}, {"name", "Till 1"}}.dump(),
                              "application/json");
  REQUIRE(enrolled);
  REQUIRE(enrolled->status == 201);
  const auto device = json::parse(enrolled->body);
  const std::string device_id = device["device_id"];
  const httplib::Headers auth{{"Authorization", "Bearer " + device["token"].get<std::string>()}};
  const std::string beat = json{{"queue_length", 3}, {"oldest_pending_age_s", 60}, {"app_version", "0.6.0"}}.dump();
  auto first = client.Post("/api/v1/devices/heartbeat", auth, beat, "application/json");
  REQUIRE(first);
  CHECK(first->status == 204);

  std::string listed;
  CHECK(run({"device", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("device_id\tstore_id") == 0);
  CHECK(listed.find(device_id + "\tMCR-01\tTill 1\t") != std::string::npos);
  CHECK(listed.find("\t3\tactive\n") != std::string::npos);

  CHECK(run({"device", "revoke", "--data", data, "--device", device_id}, "") == 0);
  auto after = client.Post("/api/v1/devices/heartbeat", auth, beat, "application/json");
  REQUIRE(after);
  CHECK(after->status == 401);
  auto records = client.Post("/api/v1/records", auth, R"({"records": []})", "application/json");
  REQUIRE(records);
  CHECK(records->status == 401);
  CHECK(run({"device", "revoke", "--data", data, "--device", device_id}, "") == 2);  // already
  CHECK(run({"device", "revoke", "--data", data, "--device", "dev-000000000000"}, "") == 2);
  CHECK(run({"device", "revoke", "--data", data}, "") == 2);  // no --device
  CHECK(run({"device", "list", "--data", data, "--store", "LDS-02"}, "", &listed) == 0);
  CHECK(listed.find(device_id) == std::string::npos);
  CHECK(run({"device", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("\trevoked\n") != std::string::npos);
  server.kill(SIGTERM);
  CHECK(server.wait() == 0);
}

TEST_CASE(
    "heed-server user: scopes checked against the rules, list, disable ends sessions, enable, role, scope, password") {
  heed::test::TempDir dir;
  const std::string data = (dir / "data").string();
  const std::string password = "correct horse battery staple\n";
  CHECK(run({"user", "add", "--data", data, "--username", "root", "--role", "admin"}, password) == 0);
  CHECK(run({"user", "add", "--data", data, "--username", "nora", "--role", "manager", "--scope", "area:north_west"},
            password) == 0);
  CHECK(run({"user", "add", "--data", data, "--username", "sam", "--role", "agent", "--scope", "store:MCR-01"},
            password) == 0);
  CHECK(run({"user", "add", "--data", data, "--username", "x", "--role", "agent", "--scope", "area:atlantis"},
            password) == 2);  // not an area of the rules
  CHECK(run({"user", "add", "--data", data, "--username", "x", "--role", "agent", "--scope", "store:not a store"},
            password) == 2);
  CHECK(run({"user", "add", "--data", data, "--username", "x", "--role", "agent", "--scope", "region:north"},
            password) == 2);
  CHECK(run({"user", "add", "--data", data, "--username", "x", "--role", "agent", "--scope", "area:atlantis", "--rules",
             (dir / "missing.json").string()},
            password) == 2);

  std::string listed;
  REQUIRE(run({"user", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed ==
        "username\trole\tscope\tactive\n"
        "nora\tmanager\tarea:north_west\tactive\n"
        "root\tadmin\tchain\tactive\n"
        "sam\tagent\tstore:MCR-01\tactive\n");

  Process server(HEED_SERVER_PATH, {"serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  std::smatch m;
  const std::string ready = server.read_line();
  REQUIRE(std::regex_search(ready, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  httplib::Client client("127.0.0.1", std::stoi(m[1]));
  auto sign_in = [&](const std::string& name, const std::string& pw) {
    auto res = client.Post("/api/v1/auth/login", json{{"username", name}, {"password", pw}}.dump(), "application/json");
    REQUIRE(res);
    return res->status == 200 ? json::parse(res->body) : json();
  };
  const json sam = sign_in("sam", "correct horse battery staple");
  REQUIRE(sam.is_object());
  CHECK(sam["scope"] == "store:MCR-01");
  const httplib::Headers auth{{"Authorization", "Bearer " + sam["token"].get<std::string>()}};
  auto me = client.Get("/api/v1/me", auth);
  REQUIRE(me);
  CHECK(me->status == 200);

  // Disabled while the server runs: the session ends at once, and sign-in fails.
  CHECK(run({"user", "disable", "--data", data, "--username", "sam"}, "") == 0);
  me = client.Get("/api/v1/me", auth);
  REQUIRE(me);
  CHECK(me->status == 401);
  CHECK(sign_in("sam", "correct horse battery staple").is_null());
  REQUIRE(run({"user", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("sam\tagent\tstore:MCR-01\tdisabled\n") != std::string::npos);
  CHECK(run({"user", "enable", "--data", data, "--username", "sam"}, "") == 0);
  CHECK(sign_in("sam", "correct horse battery staple").is_object());

  CHECK(run({"user", "set-role", "--data", data, "--username", "sam", "--role", "manager"}, "") == 0);
  CHECK(run({"user", "set-role", "--data", data, "--username", "sam", "--role", "boss"}, "") == 2);
  CHECK(run({"user", "set-scope", "--data", data, "--username", "sam", "--scope", "area:london"}, "") == 0);
  CHECK(run({"user", "set-scope", "--data", data, "--username", "sam", "--scope", "area:atlantis"}, "") == 2);
  CHECK(run({"user", "set-scope", "--data", data, "--username", "ghost", "--scope", "chain"}, "") == 2);
  REQUIRE(run({"user", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("sam\tmanager\tarea:london\tactive\n") != std::string::npos);

  // A new password: the old one and the old session stop working.
  const json before = sign_in("sam", "correct horse battery staple");
  REQUIRE(before.is_object());
  CHECK(run({"user", "reset-password", "--data", data, "--username", "sam"}, "short\n") == 2);
  CHECK(run({"user", "reset-password", "--data", data, "--username", "sam"}, "a brand new passphrase\n") == 0);
  CHECK(sign_in("sam", "correct horse battery staple").is_null());
  CHECK(sign_in("sam", "a brand new passphrase").is_object());
  me = client.Get("/api/v1/me", {{"Authorization", "Bearer " + before["token"].get<std::string>()}});
  REQUIRE(me);
  CHECK(me->status == 401);

  // The last chain-wide admin stays.
  const auto refused =
      heed::test::run_program(HEED_SERVER_PATH, {"user", "disable", "--data", data, "--username", "root"}, dir.path());
  CHECK(refused.status == 2);
  CHECK(refused.err.find("last active chain-wide admin") != std::string::npos);
  CHECK(run({"user", "set-role", "--data", data, "--username", "root", "--role", "agent"}, "") == 2);
  server.kill(SIGTERM);
  CHECK(server.wait() == 0);
}

TEST_CASE("heed-server serve --config: a wrong config file stops it with exit 2, naming the field") {
  heed::test::TempDir dir;
  const std::string config = (dir / "heed.json").string();
  std::ofstream(config)
      << R"({"webhooks": [{"name": "ops", "url": "ftp://ops.example/", "secret_env": "HEED_NO_SUCH_VARIABLE", "events": ["case.closed"]}]})";
  Process child(HEED_SERVER_PATH,
                {"serve", "--data", (dir / "data").string(), "--listen", "127.0.0.1:0", "--config", config},
                dir / "stderr.txt");
  child.read_all();
  CHECK(child.wait() == 2);
  std::ifstream err(dir / "stderr.txt");
  const std::string out{std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>()};
  CHECK(out.find("webhooks[0].url") != std::string::npos);
  CHECK(out.find("webhooks[0].events") != std::string::npos);
  CHECK(out.find("webhooks[0].secret_env") != std::string::npos);
}

TEST_CASE("heed-server serve --web-root: the workspace at /; a folder without index.html still starts, and says so") {
  heed::test::TempDir dir;
  std::filesystem::create_directories(dir / "web");
  std::ofstream(dir / "web/index.html") << "<!doctype html><title>Heed</title>\n";
  {
    Process server(HEED_SERVER_PATH, {"serve", "--data", (dir / "data").string(), "--listen", "127.0.0.1:0",
                                      "--web-root", (dir / "web").string(), "--log-level", "warn"});
    std::smatch m;
    const std::string ready = server.read_line();
    REQUIRE(std::regex_search(ready, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
    httplib::Client client("127.0.0.1", std::stoi(m[1]));
    auto index = client.Get("/cases/7");
    REQUIRE(index);
    CHECK(index->status == 200);
    CHECK(index->body == "<!doctype html><title>Heed</title>\n");
    CHECK(index->has_header("Content-Security-Policy"));
    server.kill(SIGTERM);
    CHECK(server.wait() == 0);
  }
  Process server(
      HEED_SERVER_PATH,
      {"serve", "--data", (dir / "data").string(), "--listen", "127.0.0.1:0", "--web-root", (dir / "nowhere").string()},
      dir / "stderr.txt");
  std::smatch m;
  const std::string ready = server.read_line();
  REQUIRE(std::regex_search(ready, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  httplib::Client client("127.0.0.1", std::stoi(m[1]));
  auto root = client.Get("/");
  REQUIRE(root);
  CHECK(root->status == 404);
  CHECK(json::parse(root->body)["message"].get<std::string>().find("--web-root") != std::string::npos);
  server.kill(SIGTERM);
  CHECK(server.wait() == 0);
  std::ifstream err(dir / "stderr.txt");
  const std::string out{std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>()};
  CHECK(out.find("no index.html") != std::string::npos);
}

TEST_CASE("heed-server serve --idle-timeout: under 5 seconds is refused with exit 2 and says why") {
  heed::test::TempDir dir;
  for (const std::string value : {"4", "soon"}) {
    CAPTURE(value);
    const auto err_file = dir / ("stderr-" + value + ".txt");
    Process child(HEED_SERVER_PATH,
                  {"serve", "--data", (dir / "data").string(), "--listen", "127.0.0.1:0", "--idle-timeout", value},
                  err_file);
    child.read_all();
    CHECK(child.wait() == 2);
    std::ifstream err(err_file);
    const std::string out{std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>()};
    CHECK(out.find("--idle-timeout") != std::string::npos);
    CHECK(out.find("at least 5") != std::string::npos);
  }
}
