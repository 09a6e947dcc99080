// A child process for tests that run Heed's programs: standard output on a pipe,
// standard error in a file (logs never block it) or inherited, standard input
// from a given text or /dev/null; killed with SIGKILL if the test ends first.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace heed::test {

class Process {
 public:
  // `stderr_file` empty: the test's own standard error. `input`: written to the
  // child's standard input, which is then closed.
  Process(const std::string& program, std::vector<std::string> args, const std::filesystem::path& stderr_file = {},
          const std::optional<std::string>& input = std::nullopt) {
    int out[2];
    int in[2] = {-1, -1};
    if (::pipe(out) != 0 || (input && ::pipe(in) != 0)) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(input ? in[0] : ::open("/dev/null", O_RDONLY), STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      if (!stderr_file.empty()) ::dup2(::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644), STDERR_FILENO);
      ::close(out[0]);
      if (input) ::close(in[1]);
      args.insert(args.begin(), program);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
    if (input) {
      ::close(in[0]);
      (void)::write(in[1], input->data(), input->size());
      ::close(in[1]);
    }
  }
  ~Process() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      (void)wait();
    }
    ::close(stdout_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

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
  void kill(int sig) { ::kill(pid_, sig); }
  // The exit status, or 128 + the signal.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool waited_ = false;
};

struct RunResult {
  int status = 0;
  std::string out;
  std::string err;
};

// Runs a program to the end.
inline RunResult run_program(const std::string& program, std::vector<std::string> args,
                             const std::filesystem::path& scratch) {
  const auto err_file = scratch / ("stderr-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  RunResult r;
  {
    Process p(program, std::move(args), err_file);
    r.out = p.read_all();
    r.status = p.wait();
  }
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(err_file);
  return r;
}

}  // namespace heed::test
