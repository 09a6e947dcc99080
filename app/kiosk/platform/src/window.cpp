// The GLFW window, its OpenGL 3.3 core context and ImGui's backends.
// Sections: GLFW errors and callbacks; stop signals; first frame; monitors and
// start-up preparation; creation; events; frames; screenshots.
#include "heed/platform/window.hpp"

#include <glad/gl.h>  // before GLFW, which then includes no GL header of its own
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include "heed/ui/input_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cfloat>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>
#include <vector>

namespace heed::platform {

namespace {
void stop_watching_signals(Window::Impl& impl);
}  // namespace

struct Window::Impl {
  GLFWwindow* window = nullptr;
  GLFWmonitor* monitor = nullptr;  // the one it is full screen on; nullptr for a development window
  bool imgui_context = false;
  bool glfw_backend = false;
  bool gl_backend = false;
  bool input_seen = true;                   // something to draw for; set by the callbacks
  ui::InputQueue input;                     // what the callbacks saw, fed to ImGui a frame at a time
  std::atomic<bool> woken{false};           // set by wake() on any thread
  std::atomic<bool> stop_requested{false};  // set by the signal watcher
  bool report_first_frame = false;          // WindowOptions::report_first_frame, until reported
  // Start-up milestones for that report, CLOCK_MONOTONIC ms: create() called,
  // GLFW up, window and GL context open, ImGui backends ready, first begin_frame().
  double create_ms = 0, glfw_ms = 0, window_ms = 0, backends_ms = 0, first_begin_ms = 0;
  double prepare_ms = 0;          // how long WindowOptions::prepare ran (on its worker)
  double prepare_wait_ms = 0;     // how long the main thread then waited for it
  const char* context_api = "";   // "egl" or "glx": how the GL context was made
  GLuint alpha_font_texture = 0;  // the font texture as one byte a texel; 0: the backend's own RGBA32
  // close_on_stop_signals(): the watcher and the handlers it replaced.
  std::thread signal_watcher;
  struct sigaction previous_term {};
  struct sigaction previous_int {};

  ~Impl() {
    stop_watching_signals(*this);  // before glfwTerminate: the watcher may post an empty event
    if (gl_backend) ImGui_ImplOpenGL3_Shutdown();
    if (glfw_backend) ImGui_ImplGlfw_Shutdown();
    if (imgui_context) ImGui::DestroyContext();
    if (window != nullptr) glfwDestroyWindow(window);
    glfwTerminate();
  }
};

// ---- GLFW errors and callbacks ----------------------------------------------
namespace {

// GLFW reports errors through a callback; the last one explains a failed call.
std::string g_last_glfw_error;

void on_glfw_error(int code, const char* description) {
  g_last_glfw_error = description != nullptr ? description : "unknown error";
  g_last_glfw_error += " (GLFW error " + std::to_string(code) + ")";
}

Window::Impl* impl_of(GLFWwindow* window) { return static_cast<Window::Impl*>(glfwGetWindowUserPointer(window)); }
void mark_input(GLFWwindow* window) { impl_of(window)->input_seen = true; }

// ImGui's GLFW backend is started without its callbacks: it would write
// io.KeysDown and io.MouseDown straight away and lose a press and release that
// fall between two frames. These queue every event instead (ui::InputQueue),
// which begin_frame() feeds to ImGui a frame at a time, and mark a redraw due.
ui::InputQueue& input_of(GLFWwindow* w) { return impl_of(w)->input; }

void on_cursor_pos(GLFWwindow* w, double x, double y) {
  input_of(w).add_mouse_pos(ImVec2(static_cast<float>(x), static_cast<float>(y)));
  mark_input(w);
}
void on_mouse_button(GLFWwindow* w, int button, int action, int /*mods*/) {
  input_of(w).add_mouse_button(button, action == GLFW_PRESS);
  mark_input(w);
}
void on_scroll(GLFWwindow* w, double dx, double dy) {
  input_of(w).add_mouse_wheel(static_cast<float>(dx), static_cast<float>(dy));
  mark_input(w);
}
void on_key(GLFWwindow* w, int key, int /*scancode*/, int action, int mods) {
  if (action == GLFW_REPEAT) return;  // ImGui repeats held keys itself (io.KeyRepeatDelay)
  // X11 reports the modifiers as they were before this event: count a modifier
  // key's own press or release.
  const bool down = action == GLFW_PRESS;
  const auto held = [&](int bit, int left, int right) {
    return (key == left || key == right) ? down : (mods & bit) != 0;
  };
  const ui::InputQueue::Mods held_mods{.ctrl = held(GLFW_MOD_CONTROL, GLFW_KEY_LEFT_CONTROL, GLFW_KEY_RIGHT_CONTROL),
                                       .shift = held(GLFW_MOD_SHIFT, GLFW_KEY_LEFT_SHIFT, GLFW_KEY_RIGHT_SHIFT),
                                       .alt = held(GLFW_MOD_ALT, GLFW_KEY_LEFT_ALT, GLFW_KEY_RIGHT_ALT),
                                       .super = held(GLFW_MOD_SUPER, GLFW_KEY_LEFT_SUPER, GLFW_KEY_RIGHT_SUPER)};
  input_of(w).add_key(key, down, held_mods);
  mark_input(w);
}
void on_char(GLFWwindow* w, unsigned int codepoint) {
  input_of(w).add_char(codepoint);
  mark_input(w);
}
void on_cursor_enter(GLFWwindow* w, int entered) {
  if (entered == 0) input_of(w).add_mouse_pos(ImVec2(-FLT_MAX, -FLT_MAX));  // ImGui's "no mouse"
  mark_input(w);
}
void on_focus(GLFWwindow* w, int focused) {
  input_of(w).add_focus(focused != 0);
  mark_input(w);
}
void on_framebuffer_size(GLFWwindow* w, int /*width*/, int /*height*/) { mark_input(w); }
void on_refresh(GLFWwindow* w) { mark_input(w); }

Error glfw_failure(const std::string& what) {
  return make_error(Errc::io, what + ": " + (g_last_glfw_error.empty() ? "no detail" : g_last_glfw_error));
}

// ---- Stop signals -----------------------------------------------------------------
// A signal handler may do next to nothing; write(2) is allowed. It writes
// kStopByte to a pipe; the watcher thread reads it, marks the window and posts an
// empty event, which ends glfwWaitEvents*. The pipe is made once and kept for the
// life of the process, so a handler never writes to a closed (or reused) fd.
constexpr char kStopByte = 's';
constexpr char kQuitByte = 'q';  // ends the watcher (the Window is going)
std::array<int, 2> g_stop_pipe{-1, -1};
std::atomic<int> g_stop_pipe_write{-1};
static_assert(std::atomic<int>::is_always_lock_free, "read in a signal handler");

extern "C" void heed_platform_on_stop_signal(int /*signal*/) {
  const int saved_errno = errno;
  const int fd = g_stop_pipe_write.load();
  if (fd >= 0) {
    [[maybe_unused]] const ssize_t written = ::write(fd, &kStopByte, 1);
  }
  errno = saved_errno;
}

bool make_stop_pipe() {
  if (g_stop_pipe[0] >= 0) return true;
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return false;
  // A full pipe must not block a handler; a stop is already pending then anyway.
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  g_stop_pipe = fds;
  g_stop_pipe_write = fds[1];
  return true;
}

void watch_signals(Window::Impl* impl, int read_fd) {
  for (;;) {
    char byte = 0;
    const ssize_t got = ::read(read_fd, &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0 || byte == kQuitByte) return;
    impl->stop_requested = true;
    glfwPostEmptyEvent();  // thread-safe: wakes the main thread's wait
  }
}

void stop_watching_signals(Window::Impl& impl) {
  if (!impl.signal_watcher.joinable()) return;
  // Restore the handlers first: no new stop byte comes after the quit byte.
  ::sigaction(SIGTERM, &impl.previous_term, nullptr);
  ::sigaction(SIGINT, &impl.previous_int, nullptr);
  while (::write(g_stop_pipe[1], &kQuitByte, 1) < 0 && errno == EINTR) {
  }
  impl.signal_watcher.join();
}

// ---- First frame ----------------------------------------------------------------

double clock_ms(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Milliseconds since this process started (from /proc/self/stat's start time,
// in clock ticks since boot: a 10 ms resolution); negative if unknown.
double ms_since_process_start() {
  std::ifstream in("/proc/self/stat");
  std::string stat;
  std::getline(in, stat);
  const auto comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return -1;
  std::istringstream fields(stat.substr(comm_end + 2));  // from field 3, the state
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  unsigned long long start_ticks = 0;
  if (!(fields >> start_ticks)) return -1;
  const long ticks_per_s = ::sysconf(_SC_CLK_TCK);
  if (ticks_per_s <= 0) return -1;
  return clock_ms(CLOCK_BOOTTIME) - static_cast<double>(start_ticks) * 1e3 / static_cast<double>(ticks_per_s);
}

// ---- Monitors and start-up preparation ----------------------------------------

MonitorInfo describe_monitor(GLFWmonitor* monitor) {
  MonitorInfo info;
  if (monitor == nullptr) return info;
  if (const char* name = glfwGetMonitorName(monitor); name != nullptr) info.name = name;
  if (const GLFWvidmode* mode = glfwGetVideoMode(monitor); mode != nullptr) {
    info.width_px = mode->width;
    info.height_px = mode->height;
    info.refresh_hz = mode->refreshRate;
  }
  glfwGetMonitorPhysicalSize(monitor, &info.width_mm, &info.height_mm);
  return info;
}

// Runs WindowOptions::prepare on a thread; joined at the latest when it goes out
// of scope, so create() never returns with it running.
class Preparation {
 public:
  Preparation(const std::function<void(const MonitorInfo&)>& prepare, MonitorInfo monitor)
      : monitor_(std::move(monitor)) {
    if (!prepare) return;
    thread_ = std::thread([this, &prepare] {
      const double start = clock_ms(CLOCK_MONOTONIC);
      try {
        prepare(monitor_);
      } catch (const std::exception& e) {
        error_ = e.what();
        failed_ = true;
      } catch (...) {
        error_ = "unknown exception";
        failed_ = true;
      }
      ran_ms_ = clock_ms(CLOCK_MONOTONIC) - start;
    });
  }
  ~Preparation() { join(); }
  Preparation(const Preparation&) = delete;
  Preparation& operator=(const Preparation&) = delete;

  // Waits for it; returns how long that took.
  double join() {
    const double start = clock_ms(CLOCK_MONOTONIC);
    if (thread_.joinable()) thread_.join();
    return clock_ms(CLOCK_MONOTONIC) - start;
  }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  double ran_ms() const { return ran_ms_; }

 private:
  MonitorInfo monitor_;
  std::thread thread_;
  bool failed_ = false;
  std::string error_;
  double ran_ms_ = 0;
};

}  // namespace

// ---- Creation -------------------------------------------------------------------

Window::Window(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Window::~Window() = default;

Result<std::unique_ptr<Window>> Window::create(const WindowOptions& options) {
  const double create_ms = clock_ms(CLOCK_MONOTONIC);
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() != GLFW_TRUE)
    return glfw_failure("cannot start the window system (is DISPLAY set? without a display, run under xvfb-run)");
  // From here on Impl's destructor undoes whatever was done, on every path.
  auto impl = std::make_unique<Impl>();
  impl->create_ms = create_ms;
  impl->glfw_ms = clock_ms(CLOCK_MONOTONIC);

  // The ImGui context first, so that the fonts can be prepared while the
  // window opens.
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  impl->imgui_context = true;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
  io.LogFilename = nullptr;
  Preparation preparation(options.prepare, describe_monitor(glfwGetPrimaryMonitor()));

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);

  GLFWmonitor* monitor = nullptr;
  const GLFWvidmode* mode = nullptr;
  if (options.windowed) {
    glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
  } else {
    monitor = glfwGetPrimaryMonitor();
    mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
    if (mode == nullptr) return glfw_failure("no monitor to show the kiosk on");
    // The monitor's own mode: no mode switch, no scaling.
    glfwWindowHint(GLFW_RED_BITS, mode->redBits);
    glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
    glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
    glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
    glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);  // stay up if another window takes focus
    impl->monitor = monitor;
  }
  const auto open_window = [&] {
    if (options.windowed)
      return glfwCreateWindow(static_cast<int>(options.windowed->x), static_cast<int>(options.windowed->y),
                              options.title.c_str(), nullptr, nullptr);
    return glfwCreateWindow(mode->width, mode->height, options.title.c_str(), monitor, nullptr);
  };
  // The GL context through EGL first: with Mesa its first frame reaches the
  // screen sooner than through GLX (under Xvfb about 40 ms rather than 90). GLX
  // when this machine has no EGL.
  glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_EGL_CONTEXT_API);
  impl->window = open_window();
  impl->context_api = "egl";
  if (impl->window == nullptr) {
    glfwWindowHint(GLFW_CONTEXT_CREATION_API, GLFW_NATIVE_CONTEXT_API);
    impl->window = open_window();
    impl->context_api = "glx";
  }
  if (impl->window == nullptr) return glfw_failure("cannot open an OpenGL 3.3 core window");

  impl->report_first_frame = options.report_first_frame;
  glfwSetWindowUserPointer(impl->window, impl.get());
  glfwMakeContextCurrent(impl->window);
  glfwSwapInterval(1);
  if (gladLoadGL(glfwGetProcAddress) == 0) return make_error(Errc::io, "cannot load OpenGL 3.3 functions");
  impl->window_ms = clock_ms(CLOCK_MONOTONIC);

  glfwSetCursorPosCallback(impl->window, on_cursor_pos);
  glfwSetMouseButtonCallback(impl->window, on_mouse_button);
  glfwSetScrollCallback(impl->window, on_scroll);
  glfwSetKeyCallback(impl->window, on_key);
  glfwSetCharCallback(impl->window, on_char);
  glfwSetCursorEnterCallback(impl->window, on_cursor_enter);
  glfwSetWindowFocusCallback(impl->window, on_focus);
  glfwSetFramebufferSizeCallback(impl->window, on_framebuffer_size);
  glfwSetWindowRefreshCallback(impl->window, on_refresh);

  impl->prepare_wait_ms = preparation.join();
  impl->prepare_ms = preparation.ran_ms();
  if (preparation.failed()) return make_error(Errc::internal, "preparing the fonts and look: " + preparation.error());
  if (options.hide_cursor) {
    glfwSetInputMode(impl->window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // else the backend shows it again each frame
  }
  impl->glfw_backend = ImGui_ImplGlfw_InitForOpenGL(impl->window, /*install_callbacks=*/false);  // ours queue
  if (!impl->glfw_backend) return make_error(Errc::internal, "ImGui's GLFW backend did not start");
  impl->gl_backend = ImGui_ImplOpenGL3_Init("#version 330");
  if (!impl->gl_backend) return make_error(Errc::internal, "ImGui's OpenGL 3 backend did not start");

  impl->backends_ms = clock_ms(CLOCK_MONOTONIC);
  return std::unique_ptr<Window>(new Window(std::move(impl)));
}

// ---- Events -------------------------------------------------------------------

bool Window::should_close() const { return impl_->stop_requested || glfwWindowShouldClose(impl_->window) == GLFW_TRUE; }

Result<void> Window::close_on_stop_signals() {
  if (impl_->signal_watcher.joinable()) return Ok{};
  if (!make_stop_pipe())
    return make_error(Errc::io, std::string("cannot make the stop-signal pipe: ") + std::strerror(errno));
  try {
    impl_->signal_watcher = std::thread(watch_signals, impl_.get(), g_stop_pipe[0]);
  } catch (const std::system_error& e) {
    return make_error(Errc::internal, std::string("cannot start the stop-signal watcher: ") + e.what());
  }
  struct sigaction action {};
  action.sa_handler = heed_platform_on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // other threads' system calls carry on; the watcher does the waking
  ::sigaction(SIGTERM, &action, &impl_->previous_term);
  ::sigaction(SIGINT, &action, &impl_->previous_int);
  return Ok{};
}

bool Window::fullscreen() const { return impl_->monitor != nullptr; }

MonitorInfo Window::monitor() const {
  return describe_monitor(impl_->monitor != nullptr ? impl_->monitor : glfwGetPrimaryMonitor());
}

bool Window::wait_events(double timeout_s) {
  // Input still queued is drawn straight away: no waiting while it is.
  if (timeout_s > 0.0 && impl_->input.empty())
    glfwWaitEventsTimeout(timeout_s);
  else
    glfwPollEvents();
  const bool woken = impl_->woken.exchange(false);
  const bool redraw = impl_->input_seen || woken || !impl_->input.empty();
  impl_->input_seen = false;
  return redraw;
}

void Window::wake() {
  impl_->woken = true;
  glfwPostEmptyEvent();
}

ImVec2 Window::size() const {
  int width = 0;
  int height = 0;
  glfwGetWindowSize(impl_->window, &width, &height);
  return ImVec2(static_cast<float>(width), static_cast<float>(height));
}

// ---- Font texture ----------------------------------------------------------------
// ImGui's OpenGL3 backend (1.86) makes the font texture from the atlas as RGBA32:
// four bytes a texel, of which only alpha varies. Heed's atlas (DejaVu at four
// sizes, and four more once larger text is chosen) is up to 2048x4096, so that is
// 32 MiB converted on the CPU, uploaded and held as texture. Instead the
// backend is handed a 1x1 white atlas to make its device objects from, and the
// real atlas then goes into that same texture as one byte a texel (GL_R8),
// swizzled to (1, 1, 1, r): the shader samples exactly what RGBA32 held. The CPU
// copy is freed once uploaded (ImFontAtlas::ClearTexData keeps the atlas usable).
// When fonts are added later, refresh_font_texture() rebuilds the atlas into the
// same texture. An atlas with coloured glyphs keeps the backend's own path.

namespace {

// Puts `atlas` (built) into the bound `texture` as one byte a texel; the
// backend's RGBA32 when that fails. Frees the atlas's CPU copy either way.
void upload_alpha_atlas(ImFontAtlas& atlas, GLuint texture) {
  unsigned char* alpha = nullptr;
  int width = 0;
  int height = 0;
  atlas.GetTexDataAsAlpha8(&alpha, &width, &height);  // builds the atlas if it is not
  GLint previous_texture = 0;
  GLint previous_alignment = 4;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous_texture);
  glGetIntegerv(GL_UNPACK_ALIGNMENT, &previous_alignment);
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, alpha);
  const std::array<GLint, 4> swizzle{GL_ONE, GL_ONE, GL_ONE, GL_RED};
  glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle.data());
  if (glGetError() != GL_NO_ERROR) {
    // Not expected in a 3.3 core context; the backend's format then, at its cost.
    unsigned char* rgba = nullptr;
    atlas.GetTexDataAsRGBA32(&rgba, &width, &height);
    const std::array<GLint, 4> identity{GL_RED, GL_GREEN, GL_BLUE, GL_ALPHA};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, identity.data());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, previous_alignment);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous_texture));
  atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture)));
  atlas.ClearTexData();
}

// Before the first frame: the backend's device objects, and the font atlas in
// them as one byte a texel. Returns the font texture so filled, or 0 when the
// backend made its own (coloured glyphs).
GLuint start_renderer_with_alpha_font_texture() {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  unsigned char* alpha = nullptr;
  int width = 0;
  int height = 0;
  atlas.GetTexDataAsAlpha8(&alpha, &width, &height);  // builds the atlas unless WindowOptions::prepare did
  if (alpha == nullptr || atlas.TexPixelsUseColors) {
    ImGui_ImplOpenGL3_NewFrame();  // RGBA32 it is
    return 0;
  }
  if (atlas.TexPixelsRGBA32 != nullptr) IM_FREE(atlas.TexPixelsRGBA32);
  auto* white = static_cast<unsigned int*>(IM_ALLOC(sizeof(unsigned int)));
  *white = 0xFFFFFFFFU;
  atlas.TexPixelsRGBA32 = white;
  atlas.TexWidth = 1;
  atlas.TexHeight = 1;
  ImGui_ImplOpenGL3_NewFrame();  // shaders, buffers and a 1x1 font texture
  atlas.TexWidth = width;
  atlas.TexHeight = height;
  IM_FREE(atlas.TexPixelsRGBA32);
  atlas.TexPixelsRGBA32 = nullptr;
  const auto texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(atlas.TexID));
  upload_alpha_atlas(atlas, texture);
  return texture;
}

}  // namespace

// ---- Frames -------------------------------------------------------------------

void Window::begin_frame() {
  if (impl_->first_begin_ms == 0) {
    impl_->first_begin_ms = clock_ms(CLOCK_MONOTONIC);
    impl_->alpha_font_texture = start_renderer_with_alpha_font_texture();
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();  // display size and time; its pointer and buttons are replaced next
  impl_->input.apply(ImGui::GetIO());
  ImGui::NewFrame();
}

void Window::refresh_font_texture() {
  if (impl_->first_begin_ms == 0) return;  // the first frame builds and uploads it anyway
  if (impl_->alpha_font_texture != 0) {
    upload_alpha_atlas(*ImGui::GetIO().Fonts, impl_->alpha_font_texture);
  } else {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

void Window::render(const ImVec4& clear) {
  ImGui::Render();
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(impl_->window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(clear.x, clear.y, clear.z, clear.w);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() {
  glfwSwapBuffers(impl_->window);
  if (impl_->report_first_frame) {
    impl_->report_first_frame = false;
    glFinish();  // presented means drawn, not queued
    const Impl& i = *impl_;
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    std::fprintf(stderr,
                 "heed: first frame presented: monotonic_ms=%.3f since_process_start_ms=%.0f create_ms=%.3f "
                 "glfw_ms=%.3f window_ms=%.3f backends_ms=%.3f first_begin_ms=%.3f prepare_ran_ms=%.3f "
                 "prepare_wait_ms=%.3f context=%s renderer=%s\n",
                 clock_ms(CLOCK_MONOTONIC), ms_since_process_start(), i.create_ms, i.glfw_ms, i.window_ms,
                 i.backends_ms, i.first_begin_ms, i.prepare_ms, i.prepare_wait_ms, i.context_api,
                 renderer != nullptr ? renderer : "unknown");
  }
}

// ---- Screenshots ----------------------------------------------------------------

Result<void> Window::save_png(const std::filesystem::path& file) const {
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(impl_->window, &width, &height);
  if (width <= 0 || height <= 0) return make_error(Errc::io, "the window has no pixels to save");

  const auto row = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) return make_error(Errc::io, "glReadPixels failed");

  // GL's rows run bottom to top; PNG's top to bottom.
  std::vector<unsigned char> swap(row);
  for (std::size_t top = 0, bottom = static_cast<std::size_t>(height) - 1; top < bottom; ++top, --bottom) {
    unsigned char* a = pixels.data() + top * row;
    unsigned char* b = pixels.data() + bottom * row;
    std::memcpy(swap.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, swap.data(), row);
  }

  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return make_error(Errc::io, file.parent_path().string() + ": " + ec.message());
  if (stbi_write_png(file.c_str(), width, height, 3, pixels.data(), static_cast<int>(row)) == 0)
    return make_error(Errc::io, file.string() + ": cannot write the PNG");
  return Ok{};
}

}  // namespace heed::platform
