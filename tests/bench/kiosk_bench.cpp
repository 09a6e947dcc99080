// kiosk_bench: what the customer kiosk costs the machine it runs on.
//
// Issue 3 targets: CPU time per frame for each screen, headless, median at most
// 1 ms; the real app idle under Xvfb below 1 % of one core; start to first
// frame at most 300 ms. Peak memory is reported without a target.
//
// In one run:
//   1. frames: each screen in its own headless ImGui context (the UI test
//      harness: DejaVu fonts, the real look, no window, no GPU) is drawn
//      --warmup frames untimed, then --frames frames, each timed in thread CPU
//      time (CLOCK_THREAD_CPUTIME_ID) over NewFrame, the screen's Draw, Render
//      and a walk over GetDrawData's lists (what a renderer reads). The screens:
//      the status screen, and every view of the customer kiosk (KioskApp,
//      reached by intents as kiosk_tour.hpp does; the comment and call-back with
//      the keyboard up), the heaviest again in high contrast and larger text.
//      The pointer moves over a grid between frames, as a finger leaves it where
//      it lifted, so hit-testing runs; it never presses, so the screen stays put;
//   2. the app (when it was built and Xvfb is installed): starts its own Xvfb
//      on a free display (-displayfd) at --size, then
//      - start to first frame: runs `heed --report-first-frame` --starts times
//        and takes the time from just before spawning it to the first frame
//        presented (the app prints CLOCK_MONOTONIC after glFinish). For scale,
//        the same is measured for the bare platform layer (this program with
//        --gl-floor: the window, GL and one empty ImGui frame, no Heed; with
//        malloc's huge pages, as the heed launcher gives them to heed-app);
//      - stop: the time from SIGTERM to the process ending;
//      - idle: starts heed once more, lets it settle --settle seconds, and reads
//        utime+stime of all its threads from /proc/PID/stat before and after
//        --idle-seconds (also Xvfb's, which draws only what the app sends, and
//        the app's context switches: how often it wakes);
//      - peak memory: VmHWM of that heed process, and of this program after
//        the frames (before the staff menu's, whose PIN check alone takes
//        argon2id's 64 MiB).
// The app runs on a copy of assets/config/device.example.json in a fresh folder
// under --dir, so its device store is a new one.
// Prints the machine, a table with PASS/FAIL per target and, for the start, where
// the time went. Exit status: 0, or 1 on an error; with --strict also 1 when a
// target is missed.
//
// Sections: options and helpers; the machine; screens; frames; processes; Xvfb;
// the app; report; main.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <imgui.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "heed/config.hpp"
#include "heed/device_store.hpp"
#include "heed/huge_pages.hpp"
#include "heed/platform/window.hpp"
#include "heed/question_set.hpp"
#include "heed/time.hpp"
#include "heed/ui/i18n.hpp"
#include "heed/ui/kiosk_app.hpp"
#include "heed/ui/kiosk_tour.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/status_screen.hpp"
#include "ui_harness.hpp"

namespace {

namespace fs = std::filesystem;

// ---- Options and helpers ------------------------------------------------------------

struct Options {
  std::string dir = HEED_BENCH_DEFAULT_DIR;
  std::string heed = HEED_BENCH_HEED_PATH;  // empty: the app was not built
  std::string size = "1920x1080";
  int frames = 2000;
  int warmup = 50;
  int starts = 5;
  double settle_s = 5;
  double idle_s = 60;
  bool no_app = false;
  bool keep = false;
  bool strict = false;
};

constexpr double kFrameTargetMs = 1.0;
constexpr double kIdleTargetPercent = 1.0;
constexpr double kStartTargetMs = 300.0;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "kiosk_bench: %s\n", what.c_str());
  std::exit(1);
}

double clock_ms(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}
double monotonic_ms() { return clock_ms(CLOCK_MONOTONIC); }
double thread_cpu_ms() { return clock_ms(CLOCK_THREAD_CPUTIME_ID); }

// Nearest-rank percentile of sorted samples, p in (0, 100].
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

struct Summary {
  double median = 0, p99 = 0, min = 0, max = 0;
};
Summary summarise(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Summary s;
  s.median = percentile(samples, 50);
  s.p99 = percentile(samples, 99);
  s.min = samples.empty() ? 0 : samples.front();
  s.max = samples.empty() ? 0 : samples.back();
  return s;
}

const char* verdict(bool pass) { return pass ? "PASS" : "FAIL"; }

// "1920x1080" -> {1920, 1080}.
std::optional<std::pair<int, int>> parse_size(const std::string& text) {
  int width = 0, height = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) != 3 || (x != 'x' && x != 'X'))
    return std::nullopt;
  if (width < 200 || height < 200 || width > 16384 || height > 16384) return std::nullopt;
  return std::pair{width, height};
}

// ---- The machine ----------------------------------------------------------------

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) break;
    const auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "unknown" : line.substr(start);
  }
  return "unknown";
}

// The first three fields of /proc/loadavg: other work on the machine skews the figures.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// A "Key:   value kB" line of /proc/<pid>/status, in MiB; nullopt if absent.
std::optional<double> status_mib(const std::string& pid, const std::string& key) {
  std::ifstream in("/proc/" + pid + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    double kib = 0;
    if (fields >> kib) return kib / 1024.0;
  }
  return std::nullopt;
}

// utime + stime of a whole process (all its threads) in seconds, from
// /proc/<pid>/stat; nullopt once it is gone.
std::optional<double> cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  const auto comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(comm_end + 2));  // field 3 (state) on
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  unsigned long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Context switches (voluntary + involuntary) of all a process's threads: how
// often it was scheduled out, so roughly how often it woke.
long long context_switches(pid_t pid) {
  long long total = 0;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 || line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
        total += std::stoll(line.substr(line.find(':') + 1));
    }
  }
  return total;
}

// ---- Screens ------------------------------------------------------------------------
// Everything the screens borrow, loaded once. The kiosk saves into a real device
// store in the bench's folder; its staff PIN is the example config's (4821).
struct Fixture {
  heed::DeviceConfig config;
  heed::ui::Catalog text;
  heed::QuestionSet questions;
  std::unique_ptr<heed::DeviceStore> store;
  std::string device_id;
};
constexpr std::string_view kExampleStaffPin = "4821";  // of device.example.json's staff_pin_hash

// One screen to time. `open` sets what the harness draws (state it needs lives in
// the draw function's captures) and brings the screen up.
struct ScreenCase {
  std::string name;
  heed::Theme theme = heed::Theme::standard;
  std::function<void(heed::test::UiHarness&, Fixture&)> open;
  bool checks_pin = false;  // reaching it verifies the staff PIN (argon2id: 64 MiB for a moment)
};

void open_status(heed::test::UiHarness& ui, Fixture& fx) {
  auto screen = std::make_shared<heed::ui::StatusScreen>();
  // A device with work in its outbox and one record needing attention: every
  // card and badge of the screen is drawn.
  heed::OutboxStats stats;
  stats.pending = 3;
  stats.delivered = 1284;
  stats.quarantined = 1;
  stats.oldest_pending_created_at = heed::now_utc();
  screen->stats = stats;
  screen->updated_at = heed::ui::StatusScreen::Clock::now();
  ui.set_draw([screen, &fx] { screen->Draw({fx.config, fx.text, "0.1.0"}); });
}

// The customer kiosk as the app makes it from the config (kiosk_runner.cpp).
std::shared_ptr<heed::ui::KioskApp> make_kiosk(Fixture& fx) {
  heed::ui::KioskApp::Options options;
  options.questions = fx.questions;
  options.settings.store_id = fx.config.store_id;
  options.settings.device_id = fx.device_id;
  options.settings.languages = fx.config.languages;
  options.settings.idle = fx.config.idle;
  options.settings.thanks_for = fx.config.idle.thanks_after;
  options.settings.misuse_window = fx.config.misuse_window;
  options.staff_pin_hash = fx.config.staff_pin_hash;
  options.i18n_dir = fs::path(HEED_ASSETS_DIR) / "i18n";
  heed::DeviceStore& store = *fx.store;
  options.save = [&store](const heed::Record& record) { return store.save(record); };
  options.outbox_stats = [&store] { return store.outbox_stats(); };
  auto app = heed::ui::KioskApp::Create(std::move(options));
  if (!app) throw std::runtime_error("KioskApp: " + app.error().message);
  return std::shared_ptr<heed::ui::KioskApp>(std::move(app).value());
}

// A kiosk screen, reached by intents as a customer would (kiosk_tour.hpp); the
// clock then stands still, so the screen stays (the idle warning's countdown too).
ScreenCase kiosk_case(heed::ui::KioskView view, const heed::ui::TourVariant& variant) {
  std::string name = "kiosk " + std::string(heed::ui::kiosk_view_name(view));
  if (variant.name != "standard") name += " (" + variant.name + ")";
  const bool pin = view == heed::ui::KioskView::staff_menu;
  return {name, heed::Theme::standard,
          [view, variant](heed::test::UiHarness& ui, Fixture& fx) {
            auto app = make_kiosk(fx);
            auto now = std::make_shared<heed::ui::KioskApp::TimePoint>(heed::ui::KioskApp::Clock::now());
            heed::ui::DriveTo(*app, view, variant, *now, kExampleStaffPin);
            if (app->View(*now) != view)
              throw std::runtime_error("the tour reached " + std::string(heed::ui::kiosk_view_name(app->View(*now))));
            ui.set_draw([app, now] { app->Frame(*now); });
          },
          pin};
}

std::vector<ScreenCase> screen_cases() {
  using heed::ui::KioskView;
  std::vector<ScreenCase> cases;
  cases.push_back({"status", heed::Theme::standard, open_status});
  cases.push_back({"status (high contrast)", heed::Theme::high_contrast, open_status});
  for (const auto view :
       {KioskView::welcome, KioskView::csat, KioskView::nps, KioskView::comment, KioskView::callback,
        KioskView::privacy, KioskView::thanks, KioskView::idle_warning, KioskView::pin_pad, KioskView::staff_menu})
    cases.push_back(kiosk_case(view, heed::ui::standard_variant()));
  // The heaviest screens (the keyboard up, long text) in the other looks.
  for (const auto& variant : {heed::ui::high_contrast_variant(), heed::ui::large_text_variant()})
    for (const auto view : {KioskView::comment, KioskView::callback, KioskView::privacy})
      cases.push_back(kiosk_case(view, variant));
  // Those that verify the staff PIN last, so the memory figure before them is the kiosk's own.
  std::stable_partition(cases.begin(), cases.end(), [](const ScreenCase& c) { return !c.checks_pin; });
  return cases;
}

// ---- Frames ----------------------------------------------------------------------------

struct FrameRun {
  std::string name;
  std::vector<double> cpu_ms;  // per timed frame
  int vertices = 0;            // of the last frame
  int indices = 0;
  int commands = 0;
  std::string error;  // set when the screen could not be drawn
};

// Where the pointer rests before frame `i`: a 9 x 6 grid over the display.
ImVec2 pointer_at(int i, ImVec2 display) {
  constexpr int kColumns = 9, kRows = 6;
  const int cell = i % (kColumns * kRows);
  const int column = cell % kColumns;
  const int row = cell / kColumns;
  return ImVec2(display.x * (static_cast<float>(column) + 0.5f) / kColumns,
                display.y * (static_cast<float>(row) + 0.5f) / kRows);
}

FrameRun time_screen(const ScreenCase& screen, Fixture& fx, const Options& options, ImVec2 display) {
  FrameRun run;
  run.name = screen.name;
  try {
    heed::test::UiHarnessOptions harness_options;
    harness_options.display_size = display;
    harness_options.theme = screen.theme;
    heed::test::UiHarness ui(harness_options);
    screen.open(ui, fx);
    run.cpu_ms.reserve(static_cast<std::size_t>(options.frames));
    for (int i = 0; i < options.warmup + options.frames; ++i) {
      ui.move_pointer(pointer_at(i, display));
      const double start = thread_cpu_ms();
      ui.frame();
      // What a renderer walks: every list's vertices and commands.
      const ImDrawData* data = ImGui::GetDrawData();
      int vertices = 0, indices = 0, commands = 0;
      for (int l = 0; data != nullptr && l < data->CmdListsCount; ++l) {
        const ImDrawList* list = data->CmdLists[l];
        vertices += list->VtxBuffer.Size;
        indices += list->IdxBuffer.Size;
        for (const ImDrawCmd& cmd : list->CmdBuffer) commands += cmd.ElemCount > 0 ? 1 : 0;
      }
      const double spent = thread_cpu_ms() - start;
      if (i >= options.warmup) run.cpu_ms.push_back(spent);
      run.vertices = vertices;
      run.indices = indices;
      run.commands = commands;
    }
  } catch (const std::exception& e) {
    run.error = e.what();
  }
  return run;
}

// ---- Processes -------------------------------------------------------------------------

// The environment with DISPLAY set to `display`.
std::vector<std::string> environment_with_display(const std::string& display) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "DISPLAY=", 8) != 0) env.emplace_back(*e);
  env.push_back("DISPLAY=" + display);
  return env;
}

// `env` as the heed launcher passes it on to heed-app: with malloc's huge pages
// (heed/huge_pages.hpp), so that the bare platform layer is measured alike.
std::vector<std::string> as_heed_launches(std::vector<std::string> env) {
  if (!heed::kernel_offers_huge_pages()) return env;
  constexpr std::string_view kName = "GLIBC_TUNABLES=";
  const auto given = std::find_if(env.begin(), env.end(), [&](const std::string& e) { return e.starts_with(kName); });
  const auto tunables =
      heed::tunables_with_malloc_huge_pages(given != env.end() ? given->c_str() + kName.size() : nullptr);
  if (!tunables) return env;
  if (given != env.end()) env.erase(given);
  env.push_back(std::string(kName) + *tunables);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// A child process whose stderr comes back through a pipe.
class Child {
 public:
  // Spawns `argv` with `env`; stdout goes to /dev/null, stderr to err_fd(), and
  // `keep_fd` (if >= 0) is passed as fd 3.
  static Child spawn(std::vector<std::string> argv, std::vector<std::string> env, int keep_fd = -1) {
    std::array<int, 2> err{-1, -1};
    if (::pipe2(err.data(), O_CLOEXEC) != 0) die(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    if (keep_fd >= 0) posix_spawn_file_actions_adddup2(&actions, keep_fd, 3);
    auto args = c_strings(argv);
    auto envp = c_strings(env);
    Child child;
    const int failed = ::posix_spawn(&child.pid_, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(err[1]);
    if (failed != 0) {
      ::close(err[0]);
      die("cannot start " + argv[0] + ": " + std::strerror(failed));
    }
    child.err_fd_ = err[0];
    return child;
  }

  Child() = default;
  Child(Child&& other) noexcept { *this = std::move(other); }
  Child& operator=(Child&& other) noexcept {
    std::swap(pid_, other.pid_);
    std::swap(err_fd_, other.err_fd_);
    std::swap(err_text_, other.err_text_);
    return *this;
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  // Ends the child if it still runs: SIGTERM (Xvfb then removes its lock file
  // and socket), SIGKILL after 3 s.
  ~Child() {
    if (pid_ > 0 && !stop(SIGTERM, 3000)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_fd_ >= 0) ::close(err_fd_);
  }

  pid_t pid() const { return pid_; }
  const std::string& stderr_text() const { return err_text_; }

  // Reads stderr until a line containing `marker` arrives (returns it), the
  // child closes stderr, or `timeout_ms` passes (nullopt).
  std::optional<std::string> wait_for_line(const std::string& marker, double timeout_ms) {
    const double deadline = monotonic_ms() + timeout_ms;
    for (;;) {
      std::size_t from = 0;
      for (auto end = err_text_.find('\n'); end != std::string::npos; end = err_text_.find('\n', from)) {
        const std::string line = err_text_.substr(from, end - from);
        if (line.find(marker) != std::string::npos && seen_.insert(line).second) return line;
        from = end + 1;
      }
      const double left = deadline - monotonic_ms();
      if (left <= 0 || !read_some(static_cast<int>(left))) return std::nullopt;
    }
  }

  // Sends `signal` and waits for the child to end; the ms that took, or nullopt
  // if it still runs after `timeout_ms` (or was already reaped).
  std::optional<double> stop(int signal, double timeout_ms) {
    if (pid_ <= 0) return std::nullopt;
    const double start = monotonic_ms();
    ::kill(pid_, signal);
    for (;;) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        const double took = monotonic_ms() - start;
        pid_ = -1;
        while (read_some(0)) {
        }
        return took;
      }
      if (monotonic_ms() - start > timeout_ms) return std::nullopt;
      read_some(1);  // drain stderr (and pace the loop at 1 ms)
    }
  }

  // Collects stderr for `ms` milliseconds (or until it closes).
  void drain(double ms) {
    const double deadline = monotonic_ms() + ms;
    while (err_fd_ >= 0 && monotonic_ms() < deadline) read_some(static_cast<int>(std::ceil(deadline - monotonic_ms())));
  }

 private:
  // Reads what stderr has within `timeout_ms`; false on timeout or end of file.
  bool read_some(int timeout_ms) {
    if (err_fd_ < 0) {
      if (timeout_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      return false;
    }
    pollfd p{err_fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    std::array<char, 4096> buffer{};
    const ssize_t got = ::read(err_fd_, buffer.data(), buffer.size());
    if (got <= 0) {
      ::close(err_fd_);
      err_fd_ = -1;
      return false;
    }
    err_text_.append(buffer.data(), static_cast<std::size_t>(got));
    return true;
  }

  pid_t pid_ = -1;
  int err_fd_ = -1;
  std::string err_text_;
  std::set<std::string> seen_;  // marker lines already returned
};

// "key=value" pairs of a line; values up to the next space (the last may hold spaces
// when its key is `rest_key`).
std::map<std::string, std::string> key_values(const std::string& line, const std::string& rest_key) {
  std::map<std::string, std::string> out;
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    const auto eq = word.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = word.substr(0, eq);
    std::string value = word.substr(eq + 1);
    if (key == rest_key) {
      std::string more;
      std::getline(words, more);
      value += more;
    }
    out[key] = value;
  }
  return out;
}

// ---- Xvfb ---------------------------------------------------------------------------------

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return std::nullopt;
}

// An Xvfb of our own on a display number it picks itself (-displayfd).
struct Xvfb {
  Child process;
  std::string display;  // ":N"
};

std::optional<Xvfb> start_xvfb(const std::string& program, std::pair<int, int> size, std::string& why) {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) die(std::string("pipe: ") + std::strerror(errno));
  const std::string screen = std::to_string(size.first) + "x" + std::to_string(size.second) + "x24";
  Xvfb x;
  x.process = Child::spawn({program, "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp", "-noreset"},
                           environment_with_display(""), fds[1]);
  ::close(fds[1]);
  std::string number;
  const double deadline = monotonic_ms() + 10000;
  while (number.find('\n') == std::string::npos && monotonic_ms() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    std::array<char, 32> buffer{};
    const ssize_t got = ::read(fds[0], buffer.data(), buffer.size());
    if (got <= 0) break;
    number.append(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(fds[0]);
  while (!number.empty() && (number.back() == '\n' || number.back() == ' ')) number.pop_back();
  if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) {
    x.process.drain(200);
    why = "Xvfb did not report a display number: " + x.process.stderr_text();
    return std::nullopt;
  }
  x.display = ":" + number;
  return x;
}

// ---- The app --------------------------------------------------------------------------------

// One start of a program that prints "first frame presented" with milestones.
struct Start {
  double first_frame_ms = 0;    // from just before spawning to the first frame presented
  double before_window_ms = 0;  // exec, libraries and (for heed) config, store and strings
  double glfw_ms = 0;           // glfwInit
  double window_ms = 0;         // window, GL context, GL functions
  double setup_ms = 0;          // ImGui backends, fonts added, until the first frame starts
  double frame_ms = 0;          // first frame: atlas upload, shaders, draw, swap, glFinish
  double prepare_ms = 0;        // fonts, style and atlas on the platform's worker, beside window+GL
  double prepare_wait_ms = 0;   // how long the main thread then still waited for them
  double hwm_mib = 0;           // VmHWM at the first frame
  std::optional<double> stop_ms;
  std::string renderer;
  std::string context;       // "egl" or "glx"
  std::string display_line;  // heed's "display ... scale ..." line
};

// `launched_like_heed`: with the environment the heed launcher gives heed-app.
std::optional<Start> measure_start(const std::vector<std::string>& argv, const std::string& display,
                                   bool launched_like_heed, std::string& why) {
  auto env = environment_with_display(display);
  if (launched_like_heed) env = as_heed_launches(std::move(env));
  const double spawned = monotonic_ms();
  Child child = Child::spawn(argv, std::move(env));
  const auto line = child.wait_for_line("first frame presented", 30000);
  if (!line) {
    why = argv[0] + " showed no first frame within 30 s; its stderr:\n" + child.stderr_text();
    return std::nullopt;
  }
  const auto kv = key_values(*line, "renderer");
  const auto number = [&](const char* key) { return kv.contains(key) ? std::atof(kv.at(key).c_str()) : 0.0; };
  Start s;
  s.first_frame_ms = number("monotonic_ms") - spawned;
  s.before_window_ms = number("create_ms") - spawned;
  s.glfw_ms = number("glfw_ms") - number("create_ms");
  s.window_ms = number("window_ms") - number("glfw_ms");
  s.setup_ms = number("first_begin_ms") - number("window_ms");
  s.frame_ms = number("monotonic_ms") - number("first_begin_ms");
  s.prepare_ms = number("prepare_ran_ms");
  s.prepare_wait_ms = number("prepare_wait_ms");
  s.hwm_mib = status_mib(std::to_string(child.pid()), "VmHWM").value_or(0);
  s.renderer = kv.contains("renderer") ? kv.at("renderer") : "unknown";
  s.context = kv.contains("context") ? kv.at("context") : "unknown";
  s.stop_ms = child.stop(SIGTERM, 10000);
  const auto& text = child.stderr_text();
  if (const auto at = text.find("heed: display "); at != std::string::npos)
    s.display_line = text.substr(at + 6, text.find('\n', at) - at - 6);
  return s;
}

struct IdleRun {
  double seconds = 0;
  double app_cpu_s = 0;
  double xvfb_cpu_s = 0;
  long long switches = 0;
  std::optional<double> hwm_mib, rss_mib;
  std::optional<double> stop_ms;
};

std::optional<IdleRun> measure_idle(const Options& options, const std::vector<std::string>& argv, const Xvfb& x,
                                    std::string& why) {
  Child app = Child::spawn(argv, environment_with_display(x.display));
  if (!app.wait_for_line("first frame presented", 30000)) {
    why = "heed showed no first frame within 30 s; its stderr:\n" + app.stderr_text();
    return std::nullopt;
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.settle_s));
  const auto app_before = cpu_seconds(app.pid());
  const auto xvfb_before = cpu_seconds(x.process.pid());
  const long long switches_before = context_switches(app.pid());
  const double start = monotonic_ms();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.idle_s));
  const auto app_after = cpu_seconds(app.pid());
  const auto xvfb_after = cpu_seconds(x.process.pid());
  const long long switches_after = context_switches(app.pid());
  IdleRun run;
  run.seconds = (monotonic_ms() - start) / 1e3;
  if (!app_before || !app_after) {
    why = "heed ended during the idle measurement; its stderr:\n" + app.stderr_text();
    return std::nullopt;
  }
  run.app_cpu_s = *app_after - *app_before;
  run.xvfb_cpu_s = xvfb_before && xvfb_after ? *xvfb_after - *xvfb_before : 0;
  run.switches = switches_after - switches_before;
  run.hwm_mib = status_mib(std::to_string(app.pid()), "VmHWM");
  run.rss_mib = status_mib(std::to_string(app.pid()), "VmRSS");
  run.stop_ms = app.stop(SIGTERM, 10000);
  return run;
}

// The bare platform layer's first frame: this program with --gl-floor.
int gl_floor() {
  heed::platform::WindowOptions options;
  options.report_first_frame = true;
  auto window = heed::platform::Window::create(options);
  if (!window) {
    std::fprintf(stderr, "kiosk_bench --gl-floor: %s\n", window.error().message.c_str());
    return 1;
  }
  window.value()->begin_frame();
  window.value()->render(ImVec4(0, 0, 0, 1));
  window.value()->present();
  return 0;
}

// ---- Report -----------------------------------------------------------------------------------

Summary summarise_field(const std::vector<Start>& starts, double Start::*field) {
  std::vector<double> values;
  for (const auto& s : starts) values.push_back(s.*field);
  return summarise(values);
}

void print_starts(const char* what, const std::vector<Start>& starts) {
  const auto col = [&](double Start::*field) { return summarise_field(starts, field).median; };
  std::vector<double> stops;
  for (const auto& s : starts)
    if (s.stop_ms) stops.push_back(*s.stop_ms);
  std::printf("  %-20s %6.0f ms %7.0f %6.0f %9.0f %6.0f %7.0f %7.0f %6.0f %8.0f %7.0f %7.1f\n", what,
              col(&Start::first_frame_ms), col(&Start::before_window_ms), col(&Start::glfw_ms), col(&Start::window_ms),
              col(&Start::setup_ms), col(&Start::frame_ms), col(&Start::prepare_ms), col(&Start::prepare_wait_ms),
              starts.front().first_frame_ms, summarise(stops).median, col(&Start::hwm_mib));
}

// The whole benchmark; main() only adds the last-resort exception handler.
int run(int argc, char** argv) {
  Options options;
  bool floor_only = false;
  CLI::App cli{
      "kiosk_bench: CPU per frame of each kiosk screen (headless), and the app's idle CPU, start-up time "
      "and memory under Xvfb"};
  cli.add_option("--frames", options.frames, "timed frames per screen")->check(CLI::PositiveNumber);
  cli.add_option("--warmup", options.warmup, "untimed frames per screen first")->check(CLI::NonNegativeNumber);
  cli.add_option("--size", options.size, "display WIDTHxHEIGHT, headless and for Xvfb")->capture_default_str();
  cli.add_option("--starts", options.starts, "app starts timed to the first frame")->check(CLI::PositiveNumber);
  cli.add_option("--settle", options.settle_s, "seconds the app runs before the idle measurement")
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--seconds,--idle-seconds", options.idle_s, "seconds of idle measured")->check(CLI::PositiveNumber);
  cli.add_option("--heed", options.heed, "the heed executable")->capture_default_str();
  cli.add_option("--dir", options.dir, "folder for the app's config and store (a fresh subfolder is made)");
  cli.add_flag("--no-app", options.no_app, "only the headless frames");
  cli.add_flag("--keep", options.keep, "keep the app's folder");
  cli.add_flag("--strict", options.strict, "exit 1 when a target is missed");
  cli.add_flag("--gl-floor", floor_only, "(internal) show one empty frame with the bare platform layer")->group("");
  CLI11_PARSE(cli, argc, argv);
  if (floor_only) return gl_floor();

  const auto size = parse_size(options.size);
  if (!size) die("--size " + options.size + ": expected WIDTHxHEIGHT, e.g. 1920x1080");
  const ImVec2 display(static_cast<float>(size->first), static_cast<float>(size->second));

  // The app's folder: a copy of the example config, so a fresh device store.
  std::error_code ec;
  const fs::path dir = fs::path(options.dir) / ("kiosk_bench-" + std::to_string(::getpid()));
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) die("create " + dir.string() + ": " + ec.message());
  const fs::path config_file = dir / "device.json";
  fs::copy_file(fs::path(HEED_ASSETS_DIR) / "config" / "device.example.json", config_file, ec);
  if (ec) die("copy the example config: " + ec.message());

  auto config = heed::load_device_config(config_file);
  if (!config) die(heed::describe_config_errors(config_file, config.error()));
  auto catalog = heed::ui::Catalog::load(fs::path(HEED_ASSETS_DIR) / "i18n", "en");
  if (!catalog) die(catalog.error().message);
  auto questions = heed::load_question_set(fs::path(HEED_ASSETS_DIR) / "questions" / (config->question_set + ".json"));
  if (!questions) die("the question set " + config->question_set + " does not load");
  auto store = heed::DeviceStore::open(dir / "headless-device.db");
  if (!store) die("open the device store: " + store.error().message);
  auto device_id = store->device_id();
  if (!device_id) die("device id: " + device_id.error().message);
  Fixture fixture{*config, std::move(catalog).value(), std::move(questions).value(),
                  std::make_unique<heed::DeviceStore>(std::move(store).value()), device_id.value()};

  utsname uts{};
  ::uname(&uts);
  std::printf("kiosk_bench\n");
  std::printf("  machine   %ld cpus, %s, Linux %s\n", ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(),
              uts.release);
  std::printf("  load      %s (1, 5, 15 min) at the start\n", load_average().c_str());
  std::printf("  display   %dx%d, scale %.2f (headless frames and Xvfb)\n", size->first, size->second,
              static_cast<double>(heed::ui::scale_for_display(display.x, display.y)));
  std::printf("  frames    %d per screen after %d untimed; thread CPU time of NewFrame + Draw + Render + draw data\n",
              options.frames, options.warmup);
  std::fflush(stdout);

  // ---- 1. Frames ----
  std::vector<FrameRun> runs;
  std::optional<double> hwm_before_pin;
  for (const auto& screen : screen_cases()) {
    if (screen.checks_pin && !hwm_before_pin) hwm_before_pin = status_mib("self", "VmHWM");
    runs.push_back(time_screen(screen, fixture, options, display));
  }
  const auto bench_hwm = status_mib("self", "VmHWM");
  if (!hwm_before_pin) hwm_before_pin = bench_hwm;

  std::printf("\n%-30s %9s %9s %9s %9s %7s\n", "screen (CPU per frame)", "median", "p99", "max", "vertices", "draws");
  bool errors = false;
  const FrameRun* worst = nullptr;
  double worst_median = 0;
  for (const auto& run : runs) {
    if (!run.error.empty()) {
      std::printf("%-30s ERROR: %s\n", run.name.c_str(), run.error.c_str());
      errors = true;
      continue;
    }
    const Summary s = summarise(run.cpu_ms);
    if (worst == nullptr || s.median > worst_median) {
      worst = &run;
      worst_median = s.median;
    }
    std::printf("%-30s %6.3f ms %6.3f ms %6.3f ms %9d %7d\n", run.name.c_str(), s.median, s.p99, s.max, run.vertices,
                run.commands);
  }
  std::printf("\npeak memory of kiosk_bench (VmHWM): %.1f MiB before the staff PIN was checked, %.1f MiB after\n",
              hwm_before_pin.value_or(0), bench_hwm.value_or(0));
  std::fflush(stdout);

  // Rows of the final table: what, measured, target, verdict.
  struct Row {
    std::string what, measured, target;
    std::optional<bool> pass;  // nullopt: no target
  };
  std::vector<Row> rows;
  const auto fmt = [](const char* format, double value) {
    std::array<char, 64> text{};
    std::snprintf(text.data(), text.size(), format, value);
    return std::string(text.data());
  };
  const bool frames_ok = worst != nullptr && worst_median <= kFrameTargetMs && !errors;
  rows.push_back({"frame CPU median, worst screen" + (worst != nullptr ? ": " + worst->name : std::string()),
                  fmt("%.3f ms", worst_median), "<= 1 ms", frames_ok});

  // ---- 2. The app ----
  bool app_ok = true;
  const auto xvfb_program = find_program("Xvfb");
  if (options.no_app || options.heed.empty() || !xvfb_program) {
    rows.push_back({"app (start, idle, memory)", "not measured",
                    options.no_app         ? "--no-app"
                    : options.heed.empty() ? "heed not built"
                                           : "no Xvfb (apt install xvfb)",
                    std::nullopt});
  } else {
    std::string why;
    auto x = start_xvfb(*xvfb_program, *size, why);
    if (!x) die(why);
    const std::vector<std::string> heed_argv{options.heed, "--config", config_file.string(), "--report-first-frame"};
    const std::vector<std::string> floor_argv{fs::read_symlink("/proc/self/exe").string(), "--gl-floor"};

    std::vector<Start> heed_starts, floor_starts;
    for (int i = 0; i < options.starts; ++i) {
      auto floor = measure_start(floor_argv, x->display, /*launched_like_heed=*/true, why);
      if (!floor) die(why);
      floor_starts.push_back(*floor);
      auto start = measure_start(heed_argv, x->display, /*launched_like_heed=*/false, why);
      if (!start) die(why);
      heed_starts.push_back(*start);
    }
    auto idle = measure_idle(options, heed_argv, *x, why);
    if (!idle) die(why);

    std::printf("\napp: heed under Xvfb %s at %s, GL renderer %s through %s\n", x->display.c_str(),
                options.size.c_str(), heed_starts.front().renderer.c_str(), heed_starts.front().context.c_str());
    if (!heed_starts.front().display_line.empty()) std::printf("  %s\n", heed_starts.front().display_line.c_str());
    std::printf("\n  start to first frame, median of %d, ms:\n", options.starts);
    std::printf("  %-20s %9s %7s %6s %9s %6s %7s %7s %6s %8s %7s %7s\n", "", "total", "exec..", "glfw", "window+GL",
                "set-up", "frame 1", "fonts*", "waited", "1st run", "stop", "MiB");
    print_starts("heed", heed_starts);
    print_starts("bare platform layer", floor_starts);
    std::printf(
        "  exec..: spawn to the window's creation (loading; for heed also config, store, strings)\n"
        "  set-up: GL loaded to the first frame's start (ImGui backends, and waiting for fonts*)\n"
        "  frame 1: atlas upload, shader compilation, drawing, swap and glFinish\n"
        "  fonts*: fonts, style and atlas build on a worker beside window+GL; waited: what that added\n"
        "  1st run: the first start's total; stop: SIGTERM to exit; MiB: VmHWM at the first frame\n"
        "  bare platform layer: kiosk_bench --gl-floor, the same window and one empty ImGui frame, no Heed\n");

    const Summary first = summarise_field(heed_starts, &Start::first_frame_ms);
    const double idle_percent = 100.0 * idle->app_cpu_s / idle->seconds;
    const bool start_ok = first.median <= kStartTargetMs;
    const bool idle_ok = idle_percent < kIdleTargetPercent;
    app_ok = start_ok && idle_ok;
    const std::string idle_for = std::to_string(std::lround(idle->seconds)) + " s";
    rows.push_back({"start to first frame, median of " + std::to_string(options.starts), fmt("%.0f ms", first.median),
                    "<= 300 ms", start_ok});
    const Summary floor_first = summarise_field(floor_starts, &Start::first_frame_ms);
    rows.push_back({"  bare platform layer (window, GL, an empty frame)", fmt("%.0f ms", floor_first.median), "", {}});
    rows.push_back({"  Heed's own part (the difference)", fmt("%.0f ms", first.median - floor_first.median), "", {}});
    rows.push_back({"idle CPU over " + idle_for, fmt("%.3f %%", idle_percent), "< 1 %", idle_ok});
    rows.push_back({"  Xvfb's CPU meanwhile", fmt("%.3f %%", 100.0 * idle->xvfb_cpu_s / idle->seconds), "", {}});
    rows.push_back({"  heed's context switches meanwhile",
                    fmt("%.1f /s", static_cast<double>(idle->switches) / idle->seconds),
                    "",
                    {}});
    rows.push_back({"stop on SIGTERM (after idle)", fmt("%.0f ms", idle->stop_ms.value_or(-1)), "", {}});
    rows.push_back({"peak memory of heed (VmHWM)", fmt("%.1f MiB", idle->hwm_mib.value_or(0)), "", {}});
  }
  rows.push_back({"peak memory of kiosk_bench (headless, before a PIN check)",
                  fmt("%.1f MiB", hwm_before_pin.value_or(0)),
                  "",
                  {}});

  std::printf("\nload average at the end: %s (1, 5, 15 min)\n", load_average().c_str());
  std::printf("\n%-60s %12s   %-10s %s\n", "target", "measured", "target", "");
  for (const auto& row : rows)
    std::printf("%-60s %12s   %-10s %s\n", row.what.c_str(), row.measured.c_str(), row.target.c_str(),
                row.pass ? verdict(*row.pass) : "");

  if (!options.keep) fs::remove_all(dir, ec);
  if (errors) return 1;
  return options.strict && !(frames_ok && app_ok) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    die(std::string("unexpected error: ") + e.what());
  }
}
