// What the staff tablet's screens share (staff_*.cpp): the frame's context, the
// top bar with the signed-in person and Lock, the good-practice prompt, the bar
// of Back / Continue, grids of choices, labelled text fields, a PIN pad, the
// typing overlay with the on-screen keyboard, and the QR code drawn as squares.
// Sizes are design pixels (px()) for a display 1080 high.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "heed/qr.hpp"
#include "heed/ui/staff_app.hpp"

namespace heed::ui {

// What a staff screen reads while it draws, and where it puts its intents.
struct StaffFrame {
  const StaffApp& app;
  const Catalog& t;
  StaffApp::TimePoint now;
  StaffIntents& out;
};

// The catalogue's name of an enumeration value: "staff.<group>.<wire name>".
template <class E>
std::string EnumLabel(const Catalog& t, std::string_view group, E value) {
  return t.tr("staff." + std::string(group) + "." + std::string(enum_name(value)));
}

// An error for staff in their language: "staff.error.<field>" when the
// catalogue has it, else core's English message.
std::string StaffErrorText(const Catalog& t, const FieldError& error);

// The top bar: `title` on the left; the signed-in person and Lock on the right.
// Returns the y below it, or below the title when that wraps to more lines.
float StaffTopBar(const StaffFrame& f, ImVec2 min, float width, std::string_view title);
// The good-practice prompt in a quiet card; returns its height.
float PromptCard(std::string_view text, ImVec2 at, float width);
// Back on the left when `back`, "Discard this complaint" beside it (or in its
// place) when `discard`, and the main action on the right, at the page's bottom.
float StaffNavHeight();
void StaffNav(const StaffFrame& f, ImVec2 min, ImVec2 max, bool back, const char* next_label, bool discard = false);
// Problems listed in the error colour, bottom-aligned above `bottom`; returns their height.
float ErrorLines(const StaffFrame& f, const FieldErrors& errors, float left, float bottom, float width);

// A grid of choices, `columns` wide; `selected(i)` fills a tile. Returns the
// tapped index (or -1) and adds the grid's height to *height.
int ChoiceGrid(const char* id, const std::vector<std::string>& labels, const std::function<bool(int)>& selected,
               ImVec2 at, float width, int columns, float* height);
float ChoiceGridHeight(std::size_t count, int columns);
// A label in the muted colour and its gap; returns the height taken.
float FieldLabel(std::string_view label, ImVec2 at, float width);
float FieldLabelHeight(std::string_view label, float width);
// A label and a field that opens the keyboard for `field`; returns the height taken.
// label_width: how wide the label may wrap (0: the field's width).
float LabelledField(const StaffFrame& f, std::string_view label, StaffField field, ImVec2 at, float width,
                    float field_height = 0.0f, std::string_view placeholder = {}, float label_width = 0.0f);

// A number pad for a PIN: dots, then 1-9, erase, 0 and `enter_label`. Its
// keys' ids end in "##pin" so nothing else on the screen clashes. The keys
// widen for an enter label whose longest word needs it: lay out with its width.
float PinPadHeight();
float PinPadWidth(std::string_view enter_label);
void PinPadKeys(const StaffFrame& f, std::size_t entered, ImVec2 at, const char* enter_label);

// The typing overlay: the field's label, what is typed so far, the on-screen
// keyboard and Done. Characters from a physical keyboard type into it too.
void TypingOverlay(const StaffFrame& f, KeyboardView& keyboard);

// The QR code's modules as dark squares on a light quiet zone (4 modules), `side` square.
void DrawQr(const QrCode& qr, ImVec2 at, float side);

// Keyboard layout and length limit of each field.
KeyboardMode FieldMode(StaffField field);
std::size_t FieldMaxChars(StaffField field);
bool FieldMultiline(StaffField field);
const char* FieldLabelKey(StaffField field);

// ---- Screens: one function a screen, drawn by StaffApp::Frame ----
void DrawSignIn(const StaffFrame& f);    // staff_screens.cpp
void DrawHome(const StaffFrame& f);      // staff_screens.cpp
void DrawNote(const StaffFrame& f);      // staff_screens.cpp: find, write, saved
void DrawFormStep(const StaffFrame& f);  // staff_form.cpp: hear ... review
void DrawDone(const StaffFrame& f);      // staff_screens.cpp
void DrawApproval(const StaffFrame& f);  // staff_screens.cpp
void DrawHistory(const StaffFrame& f);   // staff_screens.cpp
void DrawDiscard(const StaffFrame& f);   // staff_screens.cpp: "Discard this complaint?"
// One line about an earlier complaint: date, category, outcome, open or closed.
std::string PastComplaintLine(const Catalog& t, const PastComplaint& c);

}  // namespace heed::ui
