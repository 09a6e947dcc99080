// The staff tablet's frame and its screens outside the form's steps: sign-in,
// home, the reference and its QR code, adding a note to a saved complaint, and
// the overlays for a manager's approval, the customer's history and discarding
// the complaint. Sections: frame; sign-in; home; done; notes; approval; history;
// discard.
#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>

#include "heed/reference.hpp"
#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/staff_app.hpp"
#include "heed/ui/staff_parts.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

// ---- Frame -----------------------------------------------------------------------

bool StaffApp::Frame(TimePoint now) {
  bool changed = Tick(now);
  ApplyLook();
  const ImGuiIO& io = ImGui::GetIO();
  if (session_.who() && (ImGui::IsMouseClicked(0) || !io.InputQueueCharacters.empty())) session_.touched(now);
  // A new screen (or overlay, or the keyboard) ignores taps that began on the one
  // before, such as the second tap of a double tap on Save complaint.
  const std::pair screen{View(), session_.who() ? typing_ : StaffField::none};
  if (screen != screen_drawn_) {
    ScreenChanged();
    screen_drawn_ = screen;
  }

  ImGui::PushFont(current_fonts().body != nullptr ? current_fonts().body : ImGui::GetFont());
  StaffIntents out;
  const StaffFrame f{*this, text(), now, out};
  switch (View()) {
    case StaffView::sign_in:
      DrawSignIn(f);
      break;
    case StaffView::home:
      DrawHome(f);
      break;
    case StaffView::note_find:
    case StaffView::note_write:
    case StaffView::note_saved:
      DrawNote(f);
      break;
    case StaffView::done:
      DrawDone(f);
      break;
    case StaffView::approval:
      DrawFormStep(f);
      DrawApproval(f);
      break;
    case StaffView::history:
      DrawFormStep(f);
      DrawHistory(f);
      break;
    case StaffView::discard:
      DrawFormStep(f);
      DrawDiscard(f);
      break;
    default:
      DrawFormStep(f);
      break;
  }
  if (typing_ != StaffField::none && session_.who()) TypingOverlay(f, keyboard_);
  ImGui::PopFont();
  frames_wanted_ = NextFrameWanted();

  for (const auto& intent : out) changed |= Apply(intent, now);
  return changed;
}

std::string PastComplaintLine(const Catalog& t, const PastComplaint& c) {
  const Date date = utc_date(c.created_at);
  char day[16];
  std::snprintf(day, sizeof day, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  std::string outcome;
  if (c.resolved_first_contact) {
    outcome = t.tr("staff.history.resolved");
    for (const Offer o : c.offered) outcome += (o == c.offered.front() ? ": " : ", ") + EnumLabel(t, "offer", o);
  } else if (c.escalated_to) {
    outcome = t.format("staff.history.escalated", {{"target", EnumLabel(t, "target", *c.escalated_to)}});
  } else {
    outcome = t.tr("staff.review.escalated");  // an answer that does not say where to
  }
  return std::string(day) + " · " + c.reference + " · " + EnumLabel(t, "category", c.category) + " · " + outcome +
         " · " + t.tr(c.open ? "staff.history.open" : "staff.history.closed");
}

// What a search by reference says instead of a list: a mistyped reference, text
// that is not one, or one no complaint has. Empty when it found something (or failed:
// the caller shows why).
std::string ReferenceMessage(const StaffFrame& f, ReferenceOutcome outcome) {
  const Catalog& t = f.t;
  const auto& o = f.app.options();
  switch (outcome) {
    case ReferenceOutcome::empty:
      return t.tr("staff.reference.empty");
    case ReferenceOutcome::not_a_reference:
      // Sequence 0 is never issued, so the example is never a real complaint's.
      return t.format("staff.reference.not_a_reference", {{"example", make_reference(o.store_code, o.device_code, 0)}});
    case ReferenceOutcome::wrong_check:
      return t.tr("staff.reference.wrong_check");
    case ReferenceOutcome::not_found:
      return t.tr("staff.reference.not_found");
    case ReferenceOutcome::found:
    case ReferenceOutcome::failed:
      break;
  }
  return {};
}

// ---- Sign-in ------------------------------------------------------------------------

void DrawSignIn(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& state = f.app.sign_in_state();
  if (BeginKioskScreen("##staff")) {
    ImGui::PushID("sign-in");
    const Page page = CurrentPage();
    const float gap = Gap();
    float y = page.min.y;
    y += TextBlock(t.tr("staff.sign_in.title"), TextRole::display, ImVec2(page.min.x, y), page.width()) + gap * 0.5f;
    y += TextBlock(t.tr("staff.sign_in.hint"), TextRole::muted, ImVec2(page.min.x, y), page.width()) + gap;

    // ---- The roster on the left ----
    const bool for_kiosk = f.app.kiosk_pin_entry();
    const char* enter_label = t.tr(for_kiosk ? "staff.to_kiosk.enter" : "staff.sign_in.enter");
    const float pad_width = PinPadWidth(enter_label);
    const float list_width = std::min(page.width() - pad_width - gap * 3.0f, std::round(px(900.0f)));
    const auto& roster = f.app.session().roster();
    const int columns = roster.size() > 6 ? 2 : 1;
    std::vector<std::string> names;
    for (const auto& m : roster) names.push_back(m.name + " (" + m.id + ")");
    const int tapped = ChoiceGrid(
        "staff", names, [&](int i) { return roster[static_cast<std::size_t>(i)].id == state.staff_id; },
        ImVec2(page.min.x, y), list_width, columns, nullptr);
    if (tapped >= 0) f.out.push_back(staff_intent::choose_staff(roster[static_cast<std::size_t>(tapped)].id));

    // ---- The PIN pad on the right ----
    const float x = page.max.x - pad_width;
    float py = y;
    std::string message;
    const int locked = for_kiosk                ? f.app.kiosk_gate().lockout_seconds_left(f.now)
                       : state.staff_id.empty() ? 0
                                                : f.app.session().lockout_seconds_left(state.staff_id, f.now);
    if (locked > 0)
      message = t.format("staff.pin.locked", {{"seconds", std::to_string(locked)}});
    else if (state.message == StaffApp::PinMessage::wrong)
      message = t.tr("staff.pin.wrong");
    else if (state.message == StaffApp::PinMessage::unknown || state.message == StaffApp::PinMessage::choose_first)
      message = t.tr("staff.sign_in.choose_first");
    const std::string who = [&] {
      if (for_kiosk) return std::string(t.tr("staff.to_kiosk.pin"));
      for (const auto& m : roster)
        if (m.id == state.staff_id) return t.format("staff.sign_in.pin_for", {{"name", m.name}});
      return std::string(t.tr("staff.sign_in.choose_first"));
    }();
    py += TextBlock(who, TextRole::heading, ImVec2(x, py), pad_width) + gap * 0.5f;
    const float message_height = TextBlockHeight(t.tr("staff.pin.wrong"), TextRole::error, pad_width);
    if (!message.empty()) TextBlock(message, TextRole::error, ImVec2(x, py), pad_width);
    py += message_height + gap * 0.5f;
    PinPadKeys(f, for_kiosk ? f.app.kiosk_gate().entered().size() : state.pin.size(), ImVec2(x, py), enter_label);

    // ---- The way back to the customer kiosk, bottom left, when this device has one ----
    if (f.app.can_return_to_kiosk() && !for_kiosk) {
      ImGui::SetCursorScreenPos(ImVec2(page.min.x, page.max.y - TouchMinimum()));
      if (TouchButton((std::string(t.tr("staff.to_kiosk")) + "##sign-in.to-kiosk").c_str(), ImVec2(0, 0),
                      ButtonStyle::secondary))
        f.out.push_back(staff_intent::to_kiosk());
    }
    ImGui::PopID();
  }
  EndKioskScreen();
}

// ---- Home ---------------------------------------------------------------------------

void DrawHome(const StaffFrame& f) {
  const Catalog& t = f.t;
  if (BeginKioskScreen("##staff")) {
    ImGui::PushID("home");
    const Page page = CurrentPage();
    const float gap = Gap();
    float y = StaffTopBar(f, page.min, page.width(), t.tr("staff.home.title")) + gap;
    y += PromptCard(t.tr("staff.home.prompt"), ImVec2(page.min.x, y), page.width()) + gap * 1.5f;
    const float button = std::min(page.width(), std::round(px(900.0f)));
    const float tall = std::round(px(140.0f));
    ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
    if (TouchButton((std::string(t.tr("staff.home.new")) + "##home.new").c_str(), ImVec2(button, tall)))
      f.out.push_back(staff_intent::new_complaint());
    y += tall + gap;
    ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
    if (TouchButton((std::string(t.tr("staff.home.note")) + "##home.note").c_str(), ImVec2(button, tall),
                    ButtonStyle::secondary))
      f.out.push_back(staff_intent::start_note());
    y += tall + gap;
    if (f.app.can_return_to_kiosk()) {
      ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
      if (TouchButton((std::string(t.tr("staff.to_kiosk")) + "##home.to-kiosk").c_str(), ImVec2(button, 0),
                      ButtonStyle::secondary))
        f.out.push_back(staff_intent::to_kiosk());
      y += TouchMinimum() + gap;
    }
    y += gap;

    // ---- Display: contrast, text size, language ----
    y += TextBlock(t.tr("staff.home.display"), TextRole::heading, ImVec2(page.min.x, y), page.width()) + gap * 0.5f;
    bool contrast = f.app.high_contrast();
    bool large = f.app.large_text();
    ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
    const std::string contrast_label = std::string(t.tr("kiosk.access.high_contrast")) + "##home.contrast";
    const std::string large_label = std::string(t.tr("kiosk.access.large_text")) + "##home.large";
    const ImVec2 toggle = TouchToggleSize(contrast_label.c_str());
    if (TouchToggle(contrast_label.c_str(), &contrast)) f.out.push_back(staff_intent::set_high_contrast(contrast));
    ImGui::SetCursorScreenPos(ImVec2(page.min.x + toggle.x + gap, y));
    if (TouchToggle(large_label.c_str(), &large)) f.out.push_back(staff_intent::set_large_text(large));
    y += std::max(toggle.y, TouchMinimum()) + gap;
    const auto& languages = f.app.languages();
    if (languages.size() > 1) {
      std::vector<std::string> names;
      for (const auto& code : languages) names.push_back(f.app.catalog(code).tr("language.name"));
      const int tapped = ChoiceGrid(
          "language", names, [&](int i) { return languages[static_cast<std::size_t>(i)] == f.app.language(); },
          ImVec2(page.min.x, y), std::min(page.width(), px(300.0f) * static_cast<float>(names.size())),
          static_cast<int>(names.size()), nullptr);
      if (tapped >= 0) f.out.push_back(staff_intent::set_language(languages[static_cast<std::size_t>(tapped)]));
    }
    ImGui::PopID();
  }
  EndKioskScreen();
}

// ---- Done: the reference, large, and its QR code ---------------------------------------

// What happens next, as next_step_for plans it from the server's rules: never a
// contact that cannot happen (no consent, or nothing to reach the customer by).
namespace {
std::string DonePromise(const Catalog& t, const Complaint& saved, const WorkflowRules& rules) {
  const NextStep step = next_step_for(saved, rules);
  const auto count = [&](std::string_view key, int n) {
    return n == 1 ? std::string(t.tr(std::string(key) + "_one")) : t.format(key, {{"n", std::to_string(n)}});
  };
  switch (step.kind) {
    case NextStep::Kind::follow_up_check:
      return step.after_days == 1 ? std::string(t.tr("staff.done.follow_up_one"))
                                  : t.format("staff.done.follow_up", {{"days", std::to_string(step.after_days)}});
    case NextStep::Kind::head_office_contact:
      return t.format("staff.done.escalated_contact",
                      {{"within", step.within_days > 0 ? count("staff.done.within_days", step.within_days)
                                                       : count("staff.done.within_hours", step.within_hours)}});
    case NextStep::Kind::reference_only:
      break;
  }
  return t.tr(saved.resolved_first_contact ? "staff.done.resolved_no_contact" : "staff.done.escalated_no_contact");
}
}  // namespace

void DrawDone(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& saved = f.app.saved();
  if (BeginKioskScreen("##staff")) {
    ImGui::PushID("done");
    const Page page = CurrentPage();
    const float gap = Gap();
    float y = StaffTopBar(f, page.min, page.width(), t.tr("staff.done.title")) + gap;
    const float qr_side = std::min(std::round(px(560.0f)), page.max.y - y - StaffNavHeight() - gap * 2.0f);
    const float left = page.width() - qr_side - gap * 2.0f;
    if (saved) {
      y += TextBlock(DonePromise(t, *saved, f.app.options().rules), TextRole::body, ImVec2(page.min.x, y), left) + gap;
      y += TextBlock(t.tr("staff.done.reference"), TextRole::muted, ImVec2(page.min.x, y), left) + gap * 0.25f;
      // The reference in the display font at its own size (larger would blur it).
      ImFont* font = FontFor(TextRole::display);
      const float size = font->FontSize;
      ImGui::GetWindowDrawList()->AddText(font, size, ImVec2(page.min.x, y), ImGui::GetColorU32(palette().text),
                                          saved->reference.c_str());
      ImGui::SetCursorScreenPos(ImVec2(page.min.x, y));
      ImGui::Dummy(ImVec2(font->CalcTextSizeA(size, FLT_MAX, 0.0f, saved->reference.c_str()).x, size));
      RecordLastItem(ItemKind::text, saved->reference);
      y += size + gap;
      TextBlock(t.tr("staff.done.give"), TextRole::body, ImVec2(page.min.x, y), left);
      if (const auto& qr = f.app.qr())
        DrawQr(*qr, ImVec2(page.max.x - qr_side, page.min.y + TouchMinimum() + gap), qr_side);
    }
    const float bottom = page.max.y - StaffNavHeight();
    // Each button at least as wide as its label (larger text, longer languages);
    // when the usual widths do not fit in a row, just the labels' widths.
    const auto label_width = [](const char* label) { return std::round(TextSize(label).x + px(80.0f)); };
    const char* note_label = t.tr("staff.done.note");
    const char* home_label = t.tr("staff.done.home");
    const char* new_label = t.tr("staff.done.new");
    const float w = std::round(px(520.0f));
    float note_w = std::max(w, label_width(note_label));
    float home_w = std::max(std::round(w * 0.6f), label_width(home_label));
    float new_w = std::max(w, label_width(new_label));
    if (note_w + home_w + new_w + gap * 2.0f > page.width()) {
      note_w = label_width(note_label);
      home_w = label_width(home_label);
      new_w = label_width(new_label);
    }
    ImGui::SetCursorScreenPos(ImVec2(page.min.x, bottom));
    if (TouchButton((std::string(note_label) + "##done.note").c_str(), ImVec2(note_w, 0), ButtonStyle::secondary))
      f.out.push_back(staff_intent::start_note(true));
    ImGui::SetCursorScreenPos(ImVec2(page.min.x + note_w + gap, bottom));
    if (TouchButton((std::string(home_label) + "##done.home").c_str(), ImVec2(home_w, 0), ButtonStyle::secondary))
      f.out.push_back(staff_intent::home());
    ImGui::SetCursorScreenPos(ImVec2(page.max.x - new_w, bottom));
    if (TouchButton((std::string(new_label) + "##done.new").c_str(), ImVec2(new_w, 0)))
      f.out.push_back(staff_intent::new_complaint());
    ImGui::PopID();
  }
  EndKioskScreen();
}

// ---- Notes: find the complaint, write the note, saved ------------------------------------

void DrawNote(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& note = f.app.note();
  if (BeginKioskScreen("##staff")) {
    ImGui::PushID("note");
    const Page page = CurrentPage();
    const float gap = Gap();
    float y = StaffTopBar(f, page.min, page.width(), t.tr("staff.note.title")) + gap;
    const float bottom = page.max.y - StaffNavHeight();
    const auto home_button = [&](const char* key, ButtonStyle style) {
      const float w = std::round(px(360.0f));
      ImGui::SetCursorScreenPos(ImVec2(page.min.x, bottom));
      if (TouchButton((std::string(t.tr(key)) + "##note.home").c_str(), ImVec2(w, 0), style))
        f.out.push_back(staff_intent::home());
    };
    if (note.saved && note.complaint) {
      y += TextBlock(t.format("staff.note.saved", {{"reference", note.complaint->reference}}), TextRole::title,
                     ImVec2(page.min.x, y), page.width()) +
           gap;
      TextBlock(t.tr("staff.note.append_only"), TextRole::muted, ImVec2(page.min.x, y), page.width());
      home_button("staff.done.home", ButtonStyle::primary);
    } else if (note.complaint) {
      y += PromptCard(t.tr("staff.note.prompt"), ImVec2(page.min.x, y), page.width()) + gap;
      y += TextBlock(PastComplaintLine(t, *note.complaint), TextRole::heading, ImVec2(page.min.x, y), page.width()) +
           gap;
      const float field = std::round(px(260.0f));
      y += LabelledField(f, t.tr("staff.field.note"), StaffField::note, ImVec2(page.min.x, y), page.width(), field) +
           gap * 0.5f;
      for (const auto& e : note.errors)
        y += TextBlock(StaffErrorText(t, e), TextRole::error, ImVec2(page.min.x, y), page.width());
      if (!note.save_error.empty())
        TextBlock(t.format("staff.save_failed", {{"reason", note.save_error}}), TextRole::error, ImVec2(page.min.x, y),
                  page.width());
      home_button("staff.cancel", ButtonStyle::secondary);
      const float w = std::round(px(420.0f));
      ImGui::SetCursorScreenPos(ImVec2(page.max.x - w, bottom));
      if (TouchButton((std::string(t.tr("staff.note.save")) + "##note.save").c_str(), ImVec2(w, 0)))
        f.out.push_back(staff_intent::save_note());
    } else {
      y += PromptCard(t.tr("staff.note.find_prompt"), ImVec2(page.min.x, y), page.width()) + gap;
      const float column = std::floor((page.width() - gap * 2.0f) / 3.0f);
      // First the reference the customer quotes (it names one complaint), then who they are.
      LabelledField(f, t.tr("staff.field.reference"), StaffField::find_reference, ImVec2(page.min.x, y),
                    column * 2.0f + gap);
      const float reference_top = y + FieldLabelHeight(t.tr("staff.field.reference"), column * 2.0f + gap);
      ImGui::SetCursorScreenPos(ImVec2(page.min.x + (column + gap) * 2.0f, reference_top));
      if (TouchButton((std::string(t.tr("staff.reference.find")) + "##note.find_reference").c_str(), ImVec2(column, 0)))
        f.out.push_back(staff_intent::find_by_reference());
      y = reference_top + TouchMinimum() + gap;
      LabelledField(f, t.tr("staff.field.email"), StaffField::find_email, ImVec2(page.min.x, y), column);
      LabelledField(f, t.tr("staff.field.phone"), StaffField::find_phone, ImVec2(page.min.x + column + gap, y), column);
      const float field_top = y + FieldLabelHeight(t.tr("staff.field.email"), column);
      ImGui::SetCursorScreenPos(ImVec2(page.min.x + (column + gap) * 2.0f, field_top));
      if (TouchButton((std::string(t.tr("staff.note.find")) + "##note.find").c_str(), ImVec2(column, 0)))
        f.out.push_back(staff_intent::find_complaints());
      y = field_top + TouchMinimum() + gap;
      const std::string message = note.reference_outcome ? ReferenceMessage(f, *note.reference_outcome) : "";
      if (!message.empty() && note.reference_outcome != ReferenceOutcome::not_found) {
        y += TextBlock(message, TextRole::error, ImVec2(page.min.x, y), page.width()) + gap;
      } else if (!note.find_error.empty()) {
        y += TextBlock(note.find_error, TextRole::error, ImVec2(page.min.x, y), page.width()) + gap;
      } else if (note.found) {
        if (note.found->source == HistorySource::local_only)
          y += TextBlock(t.tr("staff.history.local_only"), TextRole::error, ImVec2(page.min.x, y), page.width()) +
               gap * 0.5f;
        if (note.found->complaints.empty())
          y += TextBlock(message.empty() ? t.tr("staff.history.none") : message, TextRole::body, ImVec2(page.min.x, y),
                         page.width());
        std::vector<std::string> lines;
        for (const auto& c : note.found->complaints) lines.push_back(PastComplaintLine(t, c));
        const std::size_t fit =
            static_cast<std::size_t>(std::max(0.0f, (bottom - gap - y + px(12.0f)) / (TouchMinimum() + px(12.0f))));
        lines.resize(std::min(lines.size(), fit));
        const int tapped = ChoiceGrid(
            "found", lines, [](int) { return false; }, ImVec2(page.min.x, y), page.width(), 1, nullptr);
        if (tapped >= 0)
          f.out.push_back(staff_intent::pick_complaint(note.found->complaints[static_cast<std::size_t>(tapped)].id));
      }
      home_button("staff.cancel", ButtonStyle::secondary);
    }
    ImGui::PopID();
  }
  EndKioskScreen();
}

// ---- A manager's approval of goodwill over the limit ------------------------------------

void DrawApproval(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& state = f.app.approval();
  const ComplaintForm* form = f.app.form();
  if (form == nullptr) return;
  if (BeginOverlay("##staff.approval")) {
    const float gap = Gap();
    const char* approve = t.tr("staff.approval.approve");
    const float pad = PinPadWidth(approve);
    const float list = std::round(px(640.0f));
    const float inner = list + gap * 2.0f + pad;
    const float height = CardPadding().y * 2.0f + TextLineHeight(TextRole::title) * 2.0f + gap +
                         TextLineHeight(TextRole::body) * 3.0f + gap + TextLineHeight(TextRole::error) + gap +
                         PinPadHeight() + gap + TouchMinimum();
    const Card card = OverlayCard(ImVec2(inner + CardPadding().x * 2.0f, height), false);
    float y = card.inner_min.y;
    const float x = card.inner_min.x;
    y += TextBlock(t.tr("staff.approval.title"), TextRole::title, ImVec2(x, y), inner) + gap * 0.5f;
    const auto amount = parse_pence(form->data().goodwill).value_or(0);
    y +=
        TextBlock(t.format("staff.approval.hint", {{"amount", format_pence(amount)},
                                                   {"limit", format_pence(f.app.options().form.goodwill_limit_pence)}}),
                  TextRole::body, ImVec2(x, y), inner) +
        gap;
    std::string message;
    if (state.message == StaffApp::PinMessage::wrong) message = t.tr("staff.approval.wrong");
    if (state.message == StaffApp::PinMessage::not_a_manager || state.message == StaffApp::PinMessage::choose_first)
      message = t.tr("staff.approval.choose");
    if (!message.empty()) TextBlock(message, TextRole::error, ImVec2(x, y), inner);
    y += TextLineHeight(TextRole::error) + gap;
    std::vector<std::string> names;
    std::vector<std::string> ids;
    for (const auto& m : f.app.session().roster())
      if (m.role == StaffRole::manager) {
        names.push_back(m.name + " (" + m.id + ")");
        ids.push_back(m.id);
      }
    if (names.empty()) TextBlock(t.tr("staff.approval.no_managers"), TextRole::error, ImVec2(x, y), list);
    const int tapped = ChoiceGrid(
        "manager", names, [&](int i) { return ids[static_cast<std::size_t>(i)] == state.manager_id; }, ImVec2(x, y),
        list, 1, nullptr);
    if (tapped >= 0) f.out.push_back(staff_intent::choose_staff(ids[static_cast<std::size_t>(tapped)]));
    PinPadKeys(f, state.pin.size(), ImVec2(card.inner_max.x - pad, y), approve);
    y += PinPadHeight() + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (TouchButton((std::string(t.tr("staff.cancel")) + "##approval.cancel").c_str(), ImVec2(list, 0),
                    ButtonStyle::secondary))
      f.out.push_back(staff_intent::close_approval());
  }
  EndOverlay();
}

// ---- The customer's history --------------------------------------------------------------

namespace {
// "23/11/2026 · Call-back request from feedback · MCR-01 · checkout · Open"
std::string PastCaseLine(const Catalog& t, const PastCase& c) {
  const Date date = utc_date(c.opened_at);
  char day[16];
  std::snprintf(day, sizeof day, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  const std::string type_key = "staff.history.case." + c.type;
  std::string line =
      std::string(day) + " · " + t.tr(t.has(type_key) ? type_key : "staff.history.case.other") + " · " + c.store_id;
  if (!c.touchpoint.empty()) line += " · " + c.touchpoint;
  const char* status = c.status == "scheduled"  ? "staff.history.scheduled"
                       : c.status == "breached" ? "staff.history.overdue"
                       : c.open                 ? "staff.history.open"
                                                : "staff.history.closed";
  return line + " · " + t.tr(status);
}
}  // namespace

void DrawHistory(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& history = f.app.history();
  if (BeginOverlay("##staff.history")) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float gap = Gap();
    const float width = std::min(viewport->Size.x - ImGui::GetStyle().WindowPadding.x * 2.0f, std::round(px(1600.0f)));
    const float height = viewport->Size.y - ImGui::GetStyle().WindowPadding.y * 2.0f;
    const Card card = OverlayCard(ImVec2(width, height), false);
    const float x = card.inner_min.x;
    const float inner = card.inner_width();
    float y = card.inner_min.y;
    y += TextBlock(t.tr("staff.history.title"), TextRole::title, ImVec2(x, y), inner) + gap * 0.5f;
    // A complaint the customer quotes by its reference, found in any store.
    {
      const char* find = t.tr("staff.reference.find");
      const float button = std::max(std::round(px(420.0f)), std::ceil(TextSize(find).x + px(64.0f)));
      const float field = inner - button - gap;
      LabelledField(f, t.tr("staff.field.reference"), StaffField::history_reference, ImVec2(x, y), field);
      const float field_top = y + FieldLabelHeight(t.tr("staff.field.reference"), field);
      ImGui::SetCursorScreenPos(ImVec2(x + field + gap, field_top));
      if (TouchButton((std::string(find) + "##history.find_reference").c_str(), ImVec2(button, 0)))
        f.out.push_back(staff_intent::find_by_reference());
      y = field_top + TouchMinimum() + gap * 0.5f;
      if (const auto& search = history.by_reference) {
        const std::string message = ReferenceMessage(f, search->outcome);
        const bool listed = search->outcome == ReferenceOutcome::found;
        // Offline is said once: here only when the customer's history below does not say it.
        const bool history_says_offline = history.found && history.found->source == HistorySource::local_only;
        if (search->found && search->found->source == HistorySource::local_only && !history_says_offline)
          y += TextBlock(t.tr("staff.history.local_only"), TextRole::error, ImVec2(x, y), inner) + gap * 0.25f;
        if (search->outcome == ReferenceOutcome::failed)
          y += TextBlock(t.format("staff.history.failed", {{"reason", search->error}}), TextRole::error, ImVec2(x, y),
                         inner);
        else if (!listed)
          y += TextBlock(message, search->outcome == ReferenceOutcome::not_found ? TextRole::body : TextRole::error,
                         ImVec2(x, y), inner);
        else
          for (const auto& c : search->found->complaints)
            y += TextBlock(PastComplaintLine(t, c), TextRole::body, ImVec2(x, y), inner) + px(10.0f);
        y += gap;
      }
    }
    if (!history.error.empty()) {
      y += TextBlock(t.format("staff.history.failed", {{"reason", history.error}}), TextRole::error, ImVec2(x, y),
                     inner) +
           gap;
    } else if (!history.found) {
      y += TextBlock(t.tr("staff.history.no_contact"), TextRole::body, ImVec2(x, y), inner) + gap;
    } else {
      if (history.found->source == HistorySource::local_only)
        y += TextBlock(t.tr("staff.history.local_only"), TextRole::error, ImVec2(x, y), inner) + gap * 0.5f;
      else
        y += TextBlock(t.tr("staff.history.server"), TextRole::muted, ImVec2(x, y), inner) + gap * 0.5f;
      const auto& list = history.found->complaints;
      const auto& cases = history.found->cases;
      const float bottom = card.inner_max.y - TouchMinimum() - gap;
      const auto lines = [&](const std::vector<std::string>& texts) {
        for (const auto& line : texts) {
          if (y + TextBlockHeight(line, TextRole::body, inner) > bottom) break;
          y += TextBlock(line, TextRole::body, ImVec2(x, y), inner) + px(10.0f);
        }
      };
      // Head office's other cases first: an open call-back must not be missed
      // below a long list of complaints.
      if (!cases.empty()) {
        const auto open_cases = std::count_if(cases.begin(), cases.end(), [](const PastCase& c) { return c.open; });
        y += TextBlock(t.format("staff.history.cases",
                                {{"n", std::to_string(cases.size())}, {"open", std::to_string(open_cases)}}),
                       TextRole::heading, ImVec2(x, y), inner) +
             gap * 0.5f;
        std::vector<std::string> texts;
        for (const auto& c : cases) texts.push_back(PastCaseLine(t, c));
        lines(texts);
        y += gap * 0.5f;
      }
      const auto open = std::count_if(list.begin(), list.end(), [](const PastComplaint& c) { return c.open; });
      y += TextBlock(
               t.format("staff.history.count", {{"n", std::to_string(list.size())}, {"open", std::to_string(open)}}),
               TextRole::heading, ImVec2(x, y), inner) +
           gap * 0.5f;
      if (list.empty() && cases.empty())
        y += TextBlock(t.tr("staff.history.none"), TextRole::body, ImVec2(x, y), inner);
      std::vector<std::string> texts;
      for (const auto& c : list) texts.push_back(PastComplaintLine(t, c));
      lines(texts);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, card.inner_max.y - TouchMinimum()));
    if (TouchButton((std::string(t.tr("staff.history.close")) + "##history.close").c_str(), ImVec2(px(420.0f), 0)))
      f.out.push_back(staff_intent::close_history());
  }
  EndOverlay();
}

// ---- Discarding the complaint ---------------------------------------------------------------

void DrawDiscard(const StaffFrame& f) {
  const Catalog& t = f.t;
  const auto& state = f.app.discarding();
  if (BeginOverlay("##staff.discard")) {
    const float gap = Gap();
    const float inner = std::round(px(1000.0f));
    const char* title = t.tr("staff.discard.title");
    const char* body = t.tr("staff.discard.body");
    std::string error;
    if (!state.error.empty()) error = t.format("staff.discard.failed", {{"reason", state.error}});
    const float height = CardPadding().y * 2.0f + TextBlockHeight(title, TextRole::title, inner) + gap * 0.5f +
                         TextBlockHeight(body, TextRole::body, inner) + gap +
                         (error.empty() ? 0.0f : TextBlockHeight(error, TextRole::error, inner) + gap) + TouchMinimum();
    const Card card = OverlayCard(ImVec2(inner + CardPadding().x * 2.0f, height), false);
    const float x = card.inner_min.x;
    const float width = card.inner_width();
    float y = card.inner_min.y;
    y += TextBlock(title, TextRole::title, ImVec2(x, y), width) + gap * 0.5f;
    y += TextBlock(body, TextRole::body, ImVec2(x, y), width) + gap;
    if (!error.empty()) y += TextBlock(error, TextRole::error, ImVec2(x, y), width) + gap;
    // Keep working on the left, where Back is; the destructive action apart on the right.
    const float button = std::floor((width - gap) * 0.5f);
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (TouchButton((std::string(t.tr("staff.discard.keep")) + "##discard.keep").c_str(), ImVec2(button, 0),
                    ButtonStyle::secondary))
      f.out.push_back(staff_intent::close_discard());
    ImGui::SetCursorScreenPos(ImVec2(card.inner_max.x - button, y));
    if (TouchButton((std::string(t.tr("staff.discard.confirm")) + "##discard.confirm").c_str(), ImVec2(button, 0)))
      f.out.push_back(staff_intent::discard());
  }
  EndOverlay();
}

}  // namespace heed::ui
