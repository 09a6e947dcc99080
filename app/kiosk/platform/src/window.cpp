// The GLFW window, its OpenGL 3.3 core context and ImGui's backends.
// Sections: GLFW errors and callbacks; creation; events; frames; screenshots.
#include "heed/platform/window.hpp"

#include <glad/gl.h>  // before GLFW, which then includes no GL header of its own
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <atomic>
#include <cstring>
#include <system_error>
#include <vector>

namespace heed::platform {

struct Window::Impl {
  GLFWwindow* window = nullptr;
  bool imgui_context = false;
  bool glfw_backend = false;
  bool gl_backend = false;
  bool input_seen = true;          // something to draw for; set by the callbacks
  std::atomic<bool> woken{false};  // set by wake() on any thread

  ~Impl() {
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

// Installed before ImGui's backend, which chains to them: ImGui still gets every
// event, and the window learns that a redraw is due.
void on_cursor_pos(GLFWwindow* w, double /*x*/, double /*y*/) { mark_input(w); }
void on_mouse_button(GLFWwindow* w, int /*button*/, int /*action*/, int /*mods*/) { mark_input(w); }
void on_scroll(GLFWwindow* w, double /*dx*/, double /*dy*/) { mark_input(w); }
void on_key(GLFWwindow* w, int /*key*/, int /*scancode*/, int /*action*/, int /*mods*/) { mark_input(w); }
void on_char(GLFWwindow* w, unsigned int /*codepoint*/) { mark_input(w); }
void on_cursor_enter(GLFWwindow* w, int /*entered*/) { mark_input(w); }
void on_focus(GLFWwindow* w, int /*focused*/) { mark_input(w); }
void on_framebuffer_size(GLFWwindow* w, int /*width*/, int /*height*/) { mark_input(w); }
void on_refresh(GLFWwindow* w) { mark_input(w); }

Error glfw_failure(const std::string& what) {
  return make_error(Errc::io, what + ": " + (g_last_glfw_error.empty() ? "no detail" : g_last_glfw_error));
}

}  // namespace

// ---- Creation -------------------------------------------------------------------

Window::Window(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Window::~Window() = default;

Result<std::unique_ptr<Window>> Window::create(const WindowOptions& options) {
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() != GLFW_TRUE)
    return glfw_failure("cannot start the window system (is DISPLAY set? without a display, run under xvfb-run)");
  // From here on Impl's destructor undoes whatever was done, on every path.
  auto impl = std::make_unique<Impl>();

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);

  if (options.windowed) {
    glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
    impl->window = glfwCreateWindow(static_cast<int>(options.windowed->x), static_cast<int>(options.windowed->y),
                                    options.title.c_str(), nullptr, nullptr);
  } else {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
    if (mode == nullptr) return glfw_failure("no monitor to show the kiosk on");
    // The monitor's own mode: no mode switch, no scaling.
    glfwWindowHint(GLFW_RED_BITS, mode->redBits);
    glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
    glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
    glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
    glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);  // stay up if another window takes focus
    impl->window = glfwCreateWindow(mode->width, mode->height, options.title.c_str(), monitor, nullptr);
  }
  if (impl->window == nullptr) return glfw_failure("cannot open an OpenGL 3.3 core window");

  glfwSetWindowUserPointer(impl->window, impl.get());
  glfwMakeContextCurrent(impl->window);
  glfwSwapInterval(1);
  if (gladLoadGL(glfwGetProcAddress) == 0) return make_error(Errc::io, "cannot load OpenGL 3.3 functions");

  glfwSetCursorPosCallback(impl->window, on_cursor_pos);
  glfwSetMouseButtonCallback(impl->window, on_mouse_button);
  glfwSetScrollCallback(impl->window, on_scroll);
  glfwSetKeyCallback(impl->window, on_key);
  glfwSetCharCallback(impl->window, on_char);
  glfwSetCursorEnterCallback(impl->window, on_cursor_enter);
  glfwSetWindowFocusCallback(impl->window, on_focus);
  glfwSetFramebufferSizeCallback(impl->window, on_framebuffer_size);
  glfwSetWindowRefreshCallback(impl->window, on_refresh);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  impl->imgui_context = true;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a kiosk keeps no window layout between runs
  io.LogFilename = nullptr;
  if (options.hide_cursor) {
    glfwSetInputMode(impl->window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // else the backend shows it again each frame
  }
  impl->glfw_backend = ImGui_ImplGlfw_InitForOpenGL(impl->window, /*install_callbacks=*/true);
  if (!impl->glfw_backend) return make_error(Errc::internal, "ImGui's GLFW backend did not start");
  impl->gl_backend = ImGui_ImplOpenGL3_Init("#version 330");
  if (!impl->gl_backend) return make_error(Errc::internal, "ImGui's OpenGL 3 backend did not start");

  return std::unique_ptr<Window>(new Window(std::move(impl)));
}

// ---- Events -------------------------------------------------------------------

bool Window::should_close() const { return glfwWindowShouldClose(impl_->window) == GLFW_TRUE; }

bool Window::wait_events(double timeout_s) {
  if (timeout_s > 0.0)
    glfwWaitEventsTimeout(timeout_s);
  else
    glfwPollEvents();
  const bool woken = impl_->woken.exchange(false);
  const bool redraw = impl_->input_seen || woken;
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

// ---- Frames -------------------------------------------------------------------

void Window::begin_frame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
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

void Window::present() { glfwSwapBuffers(impl_->window); }

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
