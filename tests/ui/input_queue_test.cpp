// heed::ui::InputQueue on a bare ImGui context, no window: events added between
// two frames all reach ImGui, in order, a frame at a time (1.87's trickling on
// 1.86's io), so a quick press and release is never lost and text typed after a
// key change waits for the frame after it.
#include <doctest/doctest.h>

#include <cfloat>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "heed/ui/input_queue.hpp"

using heed::ui::InputQueue;

namespace {

// An ImGui context that runs empty frames; io.KeyMap maps ImGuiKey k to index k.
class Frames {
 public:
  Frames() : context_(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60.0f;
    for (int key = 0; key < ImGuiKey_COUNT; ++key) io.KeyMap[key] = key;
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~Frames() { ImGui::DestroyContext(context_); }
  Frames(const Frames&) = delete;
  Frames& operator=(const Frames&) = delete;

  // One frame fed by `queue`: what ImGui saw in it.
  struct Seen {
    bool clicked = false, released = false;
    int backspaces = 0;
    bool enter = false;
    std::string text;
    ImVec2 mouse;
  };
  Seen frame(InputQueue& queue) {
    ImGuiIO& io = ImGui::GetIO();
    queue.apply(io);
    ImGui::NewFrame();
    Seen seen;
    seen.clicked = ImGui::IsMouseClicked(0);
    seen.released = ImGui::IsMouseReleased(0);
    seen.backspaces = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace), false) ? 1 : 0;
    seen.enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
    for (const ImWchar c : io.InputQueueCharacters) seen.text += static_cast<char>(c);  // ASCII in these tests
    seen.mouse = io.MousePos;
    ImGui::Render();
    return seen;
  }

 private:
  ImGuiContext* context_;
};

}  // namespace

TEST_CASE("input queue: ten Backspaces between two frames are ten presses, one a frame") {
  Frames frames;
  InputQueue queue;
  for (int i = 0; i < 10; ++i) {
    queue.add_key(ImGuiKey_Backspace, true, {});
    queue.add_key(ImGuiKey_Backspace, false, {});
  }
  int pressed = 0;
  int run = 0;
  do {
    pressed += frames.frame(queue).backspaces;
    ++run;
  } while (!queue.empty() && run < 100);
  CHECK(pressed == 10);
  CHECK(run == 20);  // down and up of the same key never share a frame
}

TEST_CASE("input queue: text after Return waits for the frame after Return") {
  Frames frames;
  InputQueue queue;
  queue.add_text("abc");
  queue.add_key(ImGuiKey_Enter, true, {});
  queue.add_key(ImGuiKey_Enter, false, {});
  queue.add_text("def");
  std::vector<Frames::Seen> seen;
  while (!queue.empty() && seen.size() < 10) seen.push_back(frames.frame(queue));
  seen.push_back(frames.frame(queue));
  REQUIRE(seen.size() >= 3);
  CHECK(seen[0].text == "abc");
  CHECK_FALSE(seen[0].enter);
  CHECK(seen[1].enter);
  CHECK(seen[1].text.empty());
  std::string after;
  for (std::size_t i = 2; i < seen.size(); ++i) after += seen[i].text;
  CHECK(after == "def");
}

TEST_CASE("input queue: keys ImGui does not read never hold text back") {
  Frames frames;
  InputQueue queue;
  constexpr int kLetterKey = 300;  // not in io.KeyMap, as GLFW's letter keys are not (but A, C, V, X, Y, Z)
  for (const char c : std::string("hello")) {
    queue.add_key(kLetterKey, true, {});
    queue.add_char(static_cast<unsigned>(c));
    queue.add_key(kLetterKey, false, {});
  }
  const auto seen = frames.frame(queue);
  CHECK(seen.text == "hello");
  CHECK(queue.empty());

  // A and Space are mapped (for Ctrl+A, and navigation), but without Ctrl they only type.
  for (const auto& [key, c] :
       {std::pair{ImGuiKey_A, 'a'}, std::pair{ImGuiKey_Space, ' '}, std::pair{ImGuiKey_A, 'a'}}) {
    queue.add_key(key, true, {});
    queue.add_char(static_cast<unsigned>(c));
    queue.add_key(key, false, {});
  }
  CHECK(frames.frame(queue).text == "a a");
  CHECK(queue.empty());
  // With Ctrl held, Ctrl+A is a key press of its own, kept in order.
  queue.add_text("x");
  queue.add_key(ImGuiKey_A, true, {.ctrl = true});
  queue.add_key(ImGuiKey_A, false, {.ctrl = true});
  CHECK(frames.frame(queue).text == "x");
  CHECK_FALSE(queue.empty());
}

TEST_CASE("input queue: a quick tap between two frames is a click at the place it was pressed") {
  Frames frames;
  InputQueue queue;
  frames.frame(queue);
  queue.add_mouse_pos(ImVec2(100, 100));
  queue.add_mouse_button(0, true);
  queue.add_mouse_button(0, false);
  queue.add_mouse_pos(ImVec2(300, 300));
  queue.add_mouse_button(0, true);
  queue.add_mouse_button(0, false);
  std::vector<Frames::Seen> seen;
  while (!queue.empty() && seen.size() < 10) seen.push_back(frames.frame(queue));
  int clicks = 0;
  int releases = 0;
  for (const auto& s : seen) {
    if (s.clicked) {
      ++clicks;
      CHECK(s.mouse.x == (clicks == 1 ? 100.0f : 300.0f));  // pressed where the finger was then
    }
    releases += s.released ? 1 : 0;
  }
  CHECK(clicks == 2);
  CHECK(releases == 2);
}

TEST_CASE("input queue: losing focus lets go of held keys and buttons") {
  Frames frames;
  InputQueue queue;
  queue.add_key(ImGuiKey_Backspace, true, {});
  queue.add_mouse_button(0, true);
  frames.frame(queue);
  CHECK(ImGui::GetIO().KeysDown[ImGuiKey_Backspace]);
  queue.add_focus(false);
  frames.frame(queue);
  frames.frame(queue);
  CHECK_FALSE(ImGui::GetIO().KeysDown[ImGuiKey_Backspace]);
  CHECK_FALSE(ImGui::GetIO().MouseDown[0]);
}
