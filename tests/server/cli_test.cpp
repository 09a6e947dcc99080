// The heed-server program itself: enroll-code and user add from the command
// line, serve printing "listening on", and SIGTERM stopping it cleanly after the
// request in flight has its answer.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "temp_dir.hpp"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A child process with its standard input and output on pipes.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(in[1]);
      ::close(out[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(HEED_SERVER_PATH, argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
  }
  ~Child() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      (void)wait();
    }
    ::close(stdout_);
    if (stdin_ >= 0) ::close(stdin_);
  }

  void write_stdin(const std::string& text) {
    (void)::write(stdin_, text.data(), text.size());
    ::close(stdin_);
    stdin_ = -1;
  }
  // One line of standard output (blocking).
  std::string read_line() {
    std::string line;
    char c = 0;
    while (::read(stdout_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
  std::string read_all() {
    std::string text;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(stdout_, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
    return text;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1;
  bool waited_ = false;
};

int run(std::vector<std::string> args, const std::string& input, std::string* output = nullptr) {
  Child child(std::move(args));
  child.write_stdin(input);
  const std::string text = child.read_all();
  if (output) *output = text;
  return child.wait();
}

}  // namespace

TEST_CASE("heed-server: user add, enroll-code, serve, and a clean stop on SIGTERM") {
  heed::test::TempDir dir;
  const std::string data = (dir / "data").string();
  CHECK(run({"heed-server", "user", "add", "--data", data, "--username", "alice", "--role", "manager"},
            "correct horse battery staple\n") == 0);
  CHECK(run({"heed-server", "user", "add", "--data", data, "--username", "alice", "--role", "agent"},
            "another long password\n") == 2);  // taken
  CHECK(run({"heed-server", "user", "add", "--data", data, "--username", "bob", "--role", "agent"}, "short\n") == 2);
  CHECK(run({"heed-server", "user", "add", "--data", data, "--username", "bob", "--role", "boss"}, "x\n") == 2);

  std::string code_out;
  REQUIRE(run({"heed-server", "enroll-code", "--data", data, "--store", "MCR-01"}, "", &code_out) == 0);
  CHECK(std::regex_match(code_out, std::regex("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\n")));
  CHECK(run({"heed-server", "enroll-code", "--data", data, "--store", "not a store"}, "") == 2);
  const std::string code = code_out.substr(0, code_out.size() - 1);

  Child server({"heed-server", "serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
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
  server.signal(SIGTERM);
  in_flight.join();
  CHECK(server.wait() == 0);
  REQUIRE(signed_in_status == 200);
  CHECK(json::parse(signed_in_body)["token"].get<std::string>().rfind("hs_", 0) == 0);

  // What it stored is there on the next start; SIGINT stops it too.
  Child again({"heed-server", "serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  const std::string ready2 = again.read_line();
  REQUIRE(std::regex_search(ready2, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)")));
  httplib::Client client2("127.0.0.1", std::stoi(m[1]));
  auto refused =
      client2.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "Till 2"}}.dump(), "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 403);  // the code was used
  again.signal(SIGINT);
  CHECK(again.wait() == 0);

  CHECK(run({"heed-server", "serve", "--data", data, "--listen", "nonsense"}, "") == 2);
  CHECK(run({"heed-server", "serve", "--data", data, "--rules", (dir / "missing.json").string()}, "") == 2);
}

TEST_CASE("heed-server device list and device revoke, while the server runs") {
  heed::test::TempDir dir;
  const std::string data = (dir / "data").string();
  std::string code_out;
  REQUIRE(run({"heed-server", "enroll-code", "--data", data, "--store", "MCR-01"}, "", &code_out) == 0);
  Child server({"heed-server", "serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
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
  CHECK(run({"heed-server", "device", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("device_id\tstore_id") == 0);
  CHECK(listed.find(device_id + "\tMCR-01\tTill 1\t") != std::string::npos);
  CHECK(listed.find("\t3\tactive\n") != std::string::npos);

  CHECK(run({"heed-server", "device", "revoke", "--data", data, "--device", device_id}, "") == 0);
  auto after = client.Post("/api/v1/devices/heartbeat", auth, beat, "application/json");
  REQUIRE(after);
  CHECK(after->status == 401);
  auto records = client.Post("/api/v1/records", auth, R"({"records": []})", "application/json");
  REQUIRE(records);
  CHECK(records->status == 401);
  CHECK(run({"heed-server", "device", "revoke", "--data", data, "--device", device_id}, "") == 2);  // already
  CHECK(run({"heed-server", "device", "revoke", "--data", data, "--device", "dev-000000000000"}, "") == 2);
  CHECK(run({"heed-server", "device", "revoke", "--data", data}, "") == 2);  // no --device
  CHECK(run({"heed-server", "device", "list", "--data", data, "--store", "LDS-02"}, "", &listed) == 0);
  CHECK(listed.find(device_id) == std::string::npos);
  CHECK(run({"heed-server", "device", "list", "--data", data}, "", &listed) == 0);
  CHECK(listed.find("\trevoked\n") != std::string::npos);
  server.signal(SIGTERM);
  CHECK(server.wait() == 0);
}
