// Heed's widget layer over Dear ImGui, and the per-frame item registry.
//
// Every widget a screen draws goes through these functions, never straight to
// ImGui: they apply the touch look (look.hpp) and, after drawing, record the item
// — its label, its visible text, its ImGui id and its screen rectangle — in the
// current ItemRegistry. Tests (tests/support/ui_harness.hpp) find widgets there to
// tap them and check what is on screen; a later on-device diagnostics view can
// list them too.
//
// Invariants:
// - A registry holds exactly the items of the frame being drawn, or of the last
//   frame drawn once it has ended; it empties itself at each ImGui::NewFrame().
// - Recording costs one small allocation an item and nothing when no registry
//   is installed.
// - UI thread only, like ImGui itself.
//
// Tappable widgets also refuse a tap that began too soon after they appeared
// (see "Taps on what was just shown"): the second tap of a double tap must not
// act on whatever replaced the first tap's button.
//
// Sections: item registry; taps on what was just shown; tappable widgets; text;
// layout.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <imgui.h>

struct ImGuiContextHook;  // imgui_internal.h

namespace heed::ui {

// ---- Item registry ---------------------------------------------------------
enum class ItemKind { button, checkbox, selectable, text_field, text };
std::string_view item_kind_name(ItemKind kind);

// One item drawn in a frame.
struct ItemRecord {
  ItemKind kind = ItemKind::text;
  std::string label;          // as passed to the widget, with any "##id" part
  std::string visible_label;  // what a person sees: the label up to its first "##"
  ImGuiID id = 0;             // ImGui's id of the item; 0 for text, which cannot be tapped
  ImVec2 min, max;            // the item's screen rectangle
  ImVec2 clip_min, clip_max;  // the part of it its window does not clip (empty if all clipped)
  bool on_screen = false;     // ImGui::IsItemVisible(): not scrolled or clipped out entirely
  bool enabled = true;        // false when drawn inside BeginDisabled()
  int frame = 0;              // ImGui::GetFrameCount() when drawn
  ImGuiID root_window = 0;    // the top-level ImGui window it is in (each overlay is one of its own)
  // The text drawn on a tappable item (its label, a placeholder), before any
  // clipping: layout tests check that it stays inside min..max. Empty (text_min
  // == text_max) when none was noted (NoteItemText).
  ImVec2 text_min, text_max;
  bool text_cut = false;  // the text was shortened with "…" to fit

  bool has_text() const { return text_max.x > text_min.x && text_max.y > text_min.y; }

  bool tappable() const { return kind != ItemKind::text; }
  // Centre of the unclipped part: where a finger would tap.
  ImVec2 tap_point() const { return ImVec2((clip_min.x + clip_max.x) * 0.5f, (clip_min.y + clip_max.y) * 0.5f); }
};

// Collects the items of each frame of one ImGui context. Creating one installs
// it as the current registry (the one widgets record into) and hooks it into the
// current ImGui context so that it empties at every NewFrame. Destroying it
// uninstalls it; it may outlive the context (the context's shutdown detaches it).
class ItemRegistry {
 public:
  ItemRegistry();  // needs a current ImGui context
  ~ItemRegistry();
  ItemRegistry(const ItemRegistry&) = delete;
  ItemRegistry& operator=(const ItemRegistry&) = delete;

  // The registry widgets record into, or nullptr.
  static ItemRegistry* current();

  // Adds an item to this frame's list (widgets call this; so may custom widgets).
  void record(ItemRecord item);
  // Adds a rectangle of text drawn on the last recorded item to its text_min..max.
  void note_text(ImVec2 min, ImVec2 max, bool cut);

  // Items of the current or last frame, in drawing order.
  const std::vector<ItemRecord>& items() const { return items_; }
  // Items whose visible label equals `label`; when `label` contains "##" the full
  // label must match instead. Text items are included; see ItemRecord::tappable().
  std::vector<const ItemRecord*> find(std::string_view label) const;
  // The tappable item with this id, or nullptr.
  const ItemRecord* find_id(ImGuiID id) const;
  // The frame the items belong to (ImGui::GetFrameCount()), 0 before any.
  int frame() const { return frame_; }

 private:
  static void on_new_frame(ImGuiContext* context, ImGuiContextHook* hook);
  static void on_shutdown(ImGuiContext* context, ImGuiContextHook* hook);

  ImGuiContext* context_ = nullptr;  // nullptr once the context shut down
  ImGuiID new_frame_hook_ = 0;
  ImGuiID shutdown_hook_ = 0;
  ItemRegistry* previous_ = nullptr;  // the registry current before this one
  std::vector<ItemRecord> items_;
  int frame_ = 0;
};

// Records ImGui's last item (ImGui::GetItemID, GetItemRectMin/Max) in the current
// registry under `label`. For custom widgets built from ImGui parts.
void RecordLastItem(ItemKind kind, std::string_view label);

// Notes text a custom widget drew on the item it recorded last (a tile's
// label, a key's character): its rectangle before clipping, and whether it was
// shortened with "…". For layout tests; nothing when no registry is installed.
void NoteItemText(ImVec2 min, ImVec2 max, bool cut = false);

// The visible part of an ImGui label: up to its first "##".
std::string_view VisibleLabel(std::string_view label);

// ---- Taps on what was just shown ----------------------------------------------
// A tappable widget acts only on a press that began at least kTapGuardSeconds
// after both the widget and the screen it is on were first drawn. A press that
// began earlier — typically the second tap of a double tap, landing on the button
// that replaced the one the first tap hit — is ignored: the widget shows no
// pressed state and reports no tap. A widget counts as first drawn when it was
// not drawn in the frame before (its ImGui id, so keep ids stable when only the
// shown text changes). Times are ImGui's (the sum of io.DeltaTime), so headless
// frames obey the rule as the window does.
//
// 0.35 s: above the gap of a human double tap (Android's double-tap timeout is
// 0.3 s; most double taps are 0.1-0.25 s apart) and under the time a person takes
// to see a new screen and mean a tap on it (a visual reaction alone takes about
// 0.25 s, then the finger has to travel).
inline constexpr double kTapGuardSeconds = 0.35;

// The screen changed (another step, page or overlay, the keyboard up or down):
// every widget counts as first drawn in this frame. Call in the frame that first
// draws the new screen, before drawing it.
void ScreenChanged();
// For a tappable widget made of ImGui parts: call right after its ImGui item;
// false while the press on it is one to ignore (then ignore its click and its
// held state). The widgets below call it already.
bool TapCounts();
// The ImGui time (ImGui::GetTime()) from which a press on the tappable widget
// `id`, drawn in the last frame, counts; 0 if it was not drawn. For test harnesses,
// which wait as a person would before tapping what just appeared.
double TapCountsFrom(ImGuiID id);

// A widget that changes under a still finger (a key repeating while held) asks
// for the next frame, since the app's event loop sleeps until input otherwise.
void WantNextFrame();
// True when a widget asked for the next frame during the frame last drawn.
bool NextFrameWanted();

// ---- Tappable widgets --------------------------------------------------------
enum class ButtonStyle {
  primary,    // the screen's main action: filled with the brand colour
  secondary,  // any other action
};

// A touch-sized button; true on the frame it is tapped (press and release on it).
// size: {0,0} fits the label; a zero axis fits that axis; no side is made smaller
// than the touch minimum (88 design px tall).
bool TouchButton(const char* label, ImVec2 size = ImVec2(0, 0), ButtonStyle style = ButtonStyle::primary);
// A touch-sized checkbox; true on the frame *value changes.
bool TouchCheckbox(const char* label, bool* value);
// A full-width (or `size`) row that can be chosen; true on the frame it is tapped.
bool TouchSelectable(const char* label, bool selected, ImVec2 size = ImVec2(0, 0));

// A one-line text field at least TouchMinimum() tall; true on the frame *value
// changes. width: 0 = the rest of the line. flags: ImGuiInputTextFlags_*.
bool TextField(const char* label, std::string* value, float width = 0.0f, ImGuiInputTextFlags flags = 0);

// The smallest side of a tappable widget, in screen pixels at the current scale.
float TouchMinimum();

// A tappable tile of `size` at the cursor whose content the caller draws on top
// (faces, numbers, keys). It shows its pressed colour on the very frame the
// finger goes down; `selected` fills it with the primary colour. Recorded as
// `kind` under `label` (a visible label and an "##id" part), or under
// `record_as` when given: then `label` is only the ImGui id (e.g. "###k1.2", so
// that a key keeps its id when Shift changes what it shows).
struct Tile {
  bool tapped = false;  // pressed and released on it this frame
  bool held = false;    // a finger is on it now
  ImVec2 min, max;      // its rectangle
  ImU32 text = 0;       // the colour for content drawn on it
};
Tile TouchTile(const char* label, ImVec2 size, ButtonStyle style = ButtonStyle::secondary, bool selected = false,
               ItemKind kind = ItemKind::button, std::string_view record_as = {});

// A tile with a tick box and a label (wrapped to `size.x`): true on the frame
// *value changes. size.x 0 fits the label; the height grows with the label and is
// never under TouchMinimum(). Recorded as a checkbox.
bool TouchToggle(const char* label, bool* value, ImVec2 size = ImVec2(0, 0));
// The size TouchToggle takes for `label` at `width` (0: fits the label).
ImVec2 TouchToggleSize(const char* label, float width = 0.0f);

// A text field typed on the on-screen keyboard (or a physical one), drawn at the
// cursor. It shows `value` with a caret at its end when `focused` (single line:
// the tail that fits; multiline: wrapped, the last lines that fit) or
// `placeholder` in the muted colour when empty. Returns true on the frame it is
// tapped. Recorded as a text field under `id` when `tappable`, and its text as a
// text item.
bool EntryField(const char* id, std::string_view value, ImVec2 size, bool focused, bool multiline = false,
                bool tappable = true, std::string_view placeholder = {});

// ---- Text --------------------------------------------------------------------
enum class TextRole {
  body,     // running text and values
  muted,    // labels and hints
  heading,  // a section heading (bold)
  title,    // a kiosk question (bold, between heading and display)
  display,  // a screen title or a big figure (large bold)
  brand,    // the Heed word mark (large bold, brand colour)
  error,    // a problem beside a field (body size, the palette's error colour)
};
// The font a role is drawn in now (follows the large-text choice).
ImFont* FontFor(TextRole role);
// Text in a role's font and colour, recorded as a text item. It wraps at the
// current wrap position (inside a card, the card's edge).
void Text(std::string_view text, TextRole role = TextRole::body);
// The height of one line of text in a role's font.
float TextLineHeight(TextRole role);
// The largest size, at most the font's own and no less than `least` times it, at
// which `font` draws `text` within `room` pixels (a key's or a tile's label in
// Welsh or Polish at larger text). At the floor, the text may still be wider.
float FittedFontSize(ImFont* font, std::string_view text, float room, float least = 0.7f);
// The size `text` takes in a role's font, unwrapped.
ImVec2 TextSize(std::string_view text, TextRole role = TextRole::body);
// A rounded badge (e.g. "Ready") filled with `fill`, text in `on`; recorded as text.
void Badge(std::string_view text, const ImVec4& fill, const ImVec4& on);

// Text wrapped to `width` at screen position `at`, each line aligned within the
// width (0 left, 0.5 centred, 1 right); recorded as one text item. Returns its height.
float TextBlock(std::string_view text, TextRole role, ImVec2 at, float width, float align = 0.0f);
// The height TextBlock would take.
float TextBlockHeight(std::string_view text, TextRole role, float width);
// `text` cut into the lines ImGui would wrap it into at `width` in `font` (at its
// own size); spaces at a wrap are dropped, "\n" starts a line.
std::vector<std::string_view> WrapLines(ImFont* font, std::string_view text, float width);

// `text` laid out to fit a box of `room` (a tile's label, a face's word), so a
// person can read all of it: wrapped at spaces at the font's own size when that
// fits, else at the largest smaller size, down to `min_scale` of it, at which it
// fits. Only when nothing fits is it shortened: at the smallest size, the last
// line that fits (and any word wider than the box) ends in "…".
struct FittedText {
  std::vector<std::string> lines;
  float size = 0;         // the font size to draw the lines at
  float line_height = 0;  // from one line's top to the next one's
  bool cut = false;       // shortened with "…"
  // From the first line's top to the last line's bottom.
  float height() const { return lines.empty() ? 0.0f : line_height * static_cast<float>(lines.size() - 1) + size; }
};
FittedText FitText(ImFont* font, std::string_view text, ImVec2 room, float min_scale = 0.7f);
// Draws fitted text with each line centred, the block centred on min..max, in
// `colour`, and notes it on the item recorded last (NoteItemText, cut when
// shortened). Returns the rectangle drawn: {min, max}.
std::pair<ImVec2, ImVec2> DrawFittedText(ImFont* font, const FittedText& fitted, ImVec2 min, ImVec2 max, ImU32 colour);

// ---- Layout ------------------------------------------------------------------
// A window covering the whole display in the palette's background, without
// decorations. Call EndScreen() whatever BeginScreen returns.
bool BeginScreen(const char* id);
void EndScreen();

// A card: a rounded surface with padding around what is drawn between
// BeginCard and EndCard. width: the card's outer width; min_height: its least
// outer height (0 = fit the content). Cards nest up to 4 deep. EndCard returns
// the outer height the content needed (ignoring min_height), so that cards side by
// side can share the tallest one's height from the next frame on.
void BeginCard(const char* id, float width, float min_height = 0.0f);
float EndCard();
// Closes what the widget layer left open in a frame abandoned mid-draw (an
// exception out of a screen's Draw): call before ImGui's own recovery
// (ImGui::ErrorCheckEndFrameRecover) and EndFrame, within that frame.
void RecoverAbandonedFrame();

// The padding inside a card, in screen pixels.
ImVec2 CardPadding();

}  // namespace heed::ui
