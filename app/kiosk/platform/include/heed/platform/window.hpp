// The platform layer (style.md point 3): one GLFW window with an OpenGL 3.3 core
// context loaded by glad, and Dear ImGui's GLFW and OpenGL3 backends. Nothing
// else in Heed includes GLFW or GL; screens see only ImGui.
//
// Invariants:
// - A Window owns GLFW, the GL context and the ImGui context: at most one Window
//   exists at a time, and it is created and used on the main thread only. The one
//   exception is wake(), which any thread may call (style.md point 4: background
//   threads never touch ImGui; they post to the main thread and wake it).
// - Frames are drawn only when the caller asks (begin_frame ... present), so an
//   idle kiosk draws nothing; wait_events() sleeps until input or a timeout.
// - After close_on_stop_signals(), SIGTERM and SIGINT end a wait at once: their
//   handler writes to a pipe that a watcher thread reads, and the watcher wakes
//   the main thread with glfwPostEmptyEvent (a signal alone does not end GLFW's
//   wait). The handlers and the watcher end with the Window.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <imgui.h>

#include "heed/result.hpp"

namespace heed::platform {

// A monitor as the window system reports it.
struct MonitorInfo {
  std::string name;  // e.g. "HDMI-1"; Xvfb's is "screen"
  int width_px = 0;  // its current video mode
  int height_px = 0;
  int width_mm = 0;  // its physical size (EDID); 0 when unknown
  int height_mm = 0;
  int refresh_hz = 0;  // 0 when unknown (Xvfb)
};

struct WindowOptions {
  std::string title = "Heed";
  // {width, height} of a decorated, resizable window for development; nullopt
  // (the default) is full screen on the primary monitor at its native video
  // mode, without decorations.
  std::optional<ImVec2> windowed;
  bool hide_cursor = false;  // hide the pointer over the window (a touch kiosk)
  // Print to stderr when the first frame has been presented (after glFinish):
  // CLOCK_MONOTONIC in ms, ms since the process started, the start-up
  // milestones (monotonic ms) and the GL renderer, as key=value. For kiosk_bench.
  bool report_first_frame = false;
  // Runs on a worker thread while the window and its GL context open (the
  // slowest part of start-up), once the ImGui context exists: load the fonts,
  // style ImGui and build the font atlas there (GetTexDataAsAlpha8: the platform
  // uploads one byte a texel), so the first frame only uploads it. `monitor` is the one the window will cover (the
  // primary). The main thread touches no ImGui state until it returns, and
  // create() waits for it; if it throws, create() fails with its message.
  std::function<void(const MonitorInfo& monitor)> prepare;
};

class Window {
 public:
  // Opens the window, makes its GL context current, loads GL, creates the ImGui
  // context (no .ini file) and starts the backends. Fails with a message that
  // says what to do (e.g. no display).
  static Result<std::unique_ptr<Window>> create(const WindowOptions& options);
  ~Window();  // stops the backends, destroys the ImGui context and the window, ends GLFW
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // True once the person or the system asked the window to close (including a
  // stop signal after close_on_stop_signals()).
  bool should_close() const;

  // Makes SIGTERM and SIGINT ask the window to close, waking wait_events() within
  // milliseconds. Main thread; call at most once. Fails if no pipe or thread.
  Result<void> close_on_stop_signals();

  // True when the window covers a monitor (not a development window).
  bool fullscreen() const;
  // The monitor the window is full screen on, or the primary monitor for a
  // development window; all zero if there is none.
  MonitorInfo monitor() const;

  // Processes pending events, first waiting up to `timeout_s` seconds for one
  // (0: do not wait; nor while input is queued). True when something calls for a
  // redraw: input (or input still queued for later frames), a resize, an expose,
  // or wake().
  bool wait_events(double timeout_s);

  // Wakes wait_events() from any thread.
  void wake();

  // The window's size in ImGui coordinates (screen pixels on X11).
  ImVec2 size() const;

  // Starts an ImGui frame (backends' NewFrame, the queued input one frame takes
  // (ui::InputQueue: a press and release between frames is never lost), then
  // ImGui::NewFrame()).
  void begin_frame();
  // Builds ImGui's font atlas again and replaces the font texture with it:
  // after fonts were added to io.Fonts (the larger-text set). Not inside a frame.
  void refresh_font_texture();
  // Ends the ImGui frame and draws it into the back buffer over `clear`.
  void render(const ImVec4& clear);
  // Writes the back buffer as drawn by render() to a PNG (RGB), creating the
  // parent folder. Call between render() and present().
  Result<void> save_png(const std::filesystem::path& file) const;
  // Shows the back buffer.
  void present();

  struct Impl;  // opaque: GLFW and GL state

 private:
  explicit Window(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace heed::platform
