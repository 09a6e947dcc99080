// The kiosk app: composing the flow, the staff gate, the catalogues and the
// screens. Sections: creation; frames; intents; time; views and look.
#include "heed/ui/kiosk_app.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <imgui.h>
#include <imgui_internal.h>

#include "heed/ui/kiosk_layout.hpp"
#include "heed/ui/look.hpp"
#include "heed/ui/widgets.hpp"

namespace heed::ui {

namespace {
// How often an open staff menu reads the outbox and the sync state again.
constexpr std::chrono::seconds kMenuRefresh{1};
}  // namespace

std::string_view kiosk_view_name(KioskView view) {
  switch (view) {
    case KioskView::welcome:
      return "welcome";
    case KioskView::csat:
      return "csat";
    case KioskView::nps:
      return "nps";
    case KioskView::comment:
      return "comment";
    case KioskView::callback:
      return "callback";
    case KioskView::privacy:
      return "privacy";
    case KioskView::thanks:
      return "thanks";
    case KioskView::idle_warning:
      return "idle";
    case KioskView::pin_pad:
      return "pin";
    case KioskView::staff_menu:
      return "staff-menu";
  }
  return "unknown";
}

// ---- Creation -----------------------------------------------------------------

Result<std::unique_ptr<KioskApp>> KioskApp::Create(Options options) {
  if (options.settings.languages.empty()) options.settings.languages = {"en"};
  std::map<std::string, Catalog, std::less<>> catalogs;
  for (const auto& code : options.settings.languages) {
    auto catalog = Catalog::load(options.i18n_dir, code);
    if (!catalog) return catalog.error();
    catalogs.emplace(code, std::move(catalog).value());
  }
  // The notice the customer reads is the one whose version the record carries.
  const Catalog& first = catalogs.at(options.settings.languages.front());
  if (first.has("privacy.version")) options.settings.privacy_notice_version = first.tr("privacy.version");
  return std::unique_ptr<KioskApp>(new KioskApp(std::move(options), std::move(catalogs)));
}

KioskApp::KioskApp(Options options, std::map<std::string, Catalog, std::less<>> catalogs)
    : options_(std::move(options)),
      catalogs_(std::move(catalogs)),
      flow_(options_.questions, options_.settings, options_.save, options_.wall),
      gate_(options_.staff_pin_hash, options_.gate) {
  for (const auto& code : flow_.settings().languages) languages_.push_back({code, catalog(code).tr("language.name")});
}

const Catalog& KioskApp::catalog(std::string_view language) const {
  if (const auto it = catalogs_.find(language); it != catalogs_.end()) return it->second;
  return catalogs_.at(flow_.settings().languages.front());
}

const Catalog& KioskApp::text() const { return catalog(flow_.language()); }

// ---- Frames -------------------------------------------------------------------

KioskApp::FrameResult KioskApp::Frame(TimePoint now) {
  Tick(now);
  ApplyLook();

  // Any touch or key keeps the session (and an open staff menu) alive. While the
  // idle warning shows, the warning itself decides on release: its button asks
  // for more time, a touch anywhere else just keeps the session.
  const IdleStatus idle = flow_.idle(now);
  const ImGuiIO& io = ImGui::GetIO();
  const bool moved = io.MouseDown[0] && (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f);
  if (ImGui::IsMouseClicked(0) || ImGui::IsMouseReleased(0) || moved || !io.InputQueueCharacters.empty()) {
    if (!idle.warning) flow_.touched(now);
    staff_touched_ = now;
  }

  ImGui::PushFont(current_fonts().body != nullptr ? current_fonts().body : ImGui::GetFont());
  const KioskContext ctx{flow_, text(), now, flow_.preferences().lowered};
  KioskIntents out;
  switch (flow_.step()) {
    case KioskStep::welcome:
      welcome_.Draw({ctx, languages_, flow_.questions().wording(flow_.language(), "touchpoint_name")}, out);
      break;
    case KioskStep::csat:
      csat_.Draw(ctx, out);
      break;
    case KioskStep::nps:
      nps_.Draw(ctx, out);
      break;
    case KioskStep::comment:
      comment_.Draw(ctx, out);
      break;
    case KioskStep::callback:
      callback_.Draw(ctx, out);
      break;
    case KioskStep::thanks:
      thanks_.Draw(ctx, out);
      break;
  }
  const bool staff = gate_.state() != StaffGate::State::closed;
  DrawCorner(now, !staff && !idle.warning && !flow_.privacy_notice_open(), out);
  if (flow_.privacy_notice_open() && !staff) privacy_.Draw(ctx, out);
  if (idle.warning && !staff) idle_.Draw(ctx, idle, out);
  if (gate_.state() == StaffGate::State::pin_entry) pin_.Draw(ctx, gate_, out);
  if (gate_.state() == StaffGate::State::open) menu_.Draw(ctx, out);
  ImGui::PopFont();

  FrameResult result;
  for (const auto& intent : out) result.changed |= Apply(intent, now);
  result.request = TakeRequest();
  return result;
}

void KioskApp::DrawCorner(TimePoint now, bool active, KioskIntents& out) {
  bool held = false;
  if (active) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float side = std::ceil(TouchMinimum() * 1.5f);
    ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x - side, viewport->Pos.y));
    ImGui::SetNextWindowSize(ImVec2(side, side));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    if (ImGui::Begin("##corner", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse)) {
      ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
      ImGui::InvisibleButton("##staff-corner", ImVec2(side, side));
      held = ImGui::IsItemActive();
      RecordLastItem(ItemKind::button, "##staff-corner");
      // Nothing shows for a customer's brief touch; a held press draws a faint ring.
      const float progress = gate_.hold_progress(now);
      if (held && progress > 0.15f) {
        const ImVec2 centre(viewport->Pos.x + viewport->Size.x - side * 0.5f, viewport->Pos.y + side * 0.5f);
        const float start = -std::numbers::pi_v<float> * 0.5f;
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->PathArcTo(centre, side * 0.28f, start, start + progress * 2.0f * std::numbers::pi_v<float>, 48);
        draw->PathStroke(ImGui::GetColorU32(palette().text_muted), 0, std::max(px(6.0f), 2.0f));
      }
    }
    ImGui::End();
    ImGui::PopStyleVar();
  }
  if (held != corner_held_) out.push_back(intent::corner(held));
}

// ---- Intents ------------------------------------------------------------------

bool KioskApp::Apply(const KioskIntent& intent, TimePoint now) {
  using Kind = KioskIntent::Kind;
  switch (intent.kind) {
    case Kind::none:
      return false;
    case Kind::start:
      flow_.start(now);
      break;
    case Kind::choose_language:
      flow_.choose_language(intent.text, now);
      break;
    case Kind::set_preferences:
      flow_.set_preferences(intent.preferences, now);
      break;
    case Kind::rate_csat:
      flow_.rate_csat(intent.number, now);
      break;
    case Kind::rate_nps:
      flow_.rate_nps(intent.number, now);
      break;
    case Kind::edit_comment:
      flow_.edit_comment(intent.text, now);
      break;
    case Kind::set_consent:
      flow_.set_consent(intent.flag, now);
      break;
    case Kind::edit_contact:
      flow_.edit_contact(contact_field(intent.target), intent.text, now);
      break;
    case Kind::show_privacy:
      flow_.show_privacy_notice(intent.flag, now);
      break;
    case Kind::next:
      flow_.next(now);
      break;
    case Kind::skip:
      flow_.skip(now);
      break;
    case Kind::back:
      flow_.back(now);
      break;
    case Kind::need_more_time:
      flow_.need_more_time(now);
      break;
    case Kind::keep_alive:
      flow_.touched(now);
      break;
    case Kind::focus:
      flow_.touched(now);
      if (flow_.step() == KioskStep::comment) comment_.Focus(intent.target == TextTarget::comment);
      if (flow_.step() == KioskStep::callback) callback_.Focus(intent.target);
      break;
    case Kind::corner:
      corner_held_ = intent.flag;
      gate_.corner(intent.flag, now);
      break;
    case Kind::pin_digit:
      staff_touched_ = now;
      gate_.digit(static_cast<char>('0' + std::clamp(intent.number, 0, 9)), now);
      break;
    case Kind::pin_erase:
      gate_.erase();
      break;
    case Kind::pin_submit: {
      const auto result = gate_.submit(now);
      pin_.message = result == StaffGate::PinResult::wrong        ? PinPad::Message::wrong
                     : result == StaffGate::PinResult::locked_out ? PinPad::Message::locked
                                                                  : PinPad::Message::none;
      if (result == StaffGate::PinResult::accepted) {
        menu_.code_entry_open = false;
        menu_.exit_confirm_open = false;
        menu_.staff_mode_problem.clear();
        menu_.Read(options_.outbox_stats, options_.sync_state, options_.wall ? options_.wall() : now_utc());
        menu_read_ = now;
        staff_touched_ = now;
      }
      break;
    }
    case Kind::pin_cancel:
    case Kind::staff_close:
      gate_.close();
      break;
    case Kind::staff_switch_mode:
      staff_touched_ = now;
      if (!options_.staff_mode_available) {
        menu_.staff_mode_problem = text().tr("staff.menu.no_staff_mode");  // say why; stay a kiosk
        break;
      }
      gate_.close();
      flow_.reset();  // whatever a customer had started is not there when the kiosk comes back
      request_ = Request::switch_to_staff;
      break;
    case Kind::staff_exit:
      staff_touched_ = now;
      menu_.exit_confirm_open = true;
      break;
    case Kind::staff_exit_confirm:
      staff_touched_ = now;
      menu_.exit_confirm_open = false;
      if (intent.flag) request_ = Request::exit;
      break;
    case Kind::staff_enrol_open:
      staff_touched_ = now;
      menu_.code_entry_open = intent.flag && menu_.CanEnrol() && static_cast<bool>(options_.enrol);
      menu_.code.clear();
      menu_.keyboard.Reset();
      break;
    case Kind::staff_enrol_edit:
      staff_touched_ = now;
      menu_.code = intent.text.substr(0, kMaxEnrolmentCodeChars);
      break;
    case Kind::staff_enrol_submit:
      staff_touched_ = now;
      if (menu_.code_entry_open && !menu_.code.empty() && options_.enrol) {
        options_.enrol(menu_.code);
        menu_.Read(options_.outbox_stats, options_.sync_state, options_.wall ? options_.wall() : now_utc());
        menu_read_ = now;
      }
      break;
  }
  SyncViews();
  return true;
}

KioskApp::Request KioskApp::TakeRequest() {
  const Request request = request_;
  request_ = Request::none;
  return request;
}

// ---- Time ---------------------------------------------------------------------

bool KioskApp::Tick(TimePoint now) {
  bool changed = flow_.tick(now);
  changed |= gate_.tick(now);
  if (gate_.state() == StaffGate::State::open && now - staff_touched_ >= options_.gate.pin_pad_timeout) {
    gate_.close();  // a staff menu left open must not wait for a customer
    changed = true;
  }
  if (gate_.state() == StaffGate::State::pin_entry) {
    const int locked = gate_.lockout_seconds_left(now);
    changed |= locked != lockout_shown_;
    lockout_shown_ = locked;
  }
  if (gate_.hold_progress(now) > 0.0f) changed = true;  // the corner's ring grows
  if (gate_.state() == StaffGate::State::open && now - menu_read_ >= kMenuRefresh) {
    // Delivery moves on while staff watch: queue, progress, errors, enrolment.
    menu_.Read(options_.outbox_stats, options_.sync_state, options_.wall ? options_.wall() : now_utc());
    menu_read_ = now;
    changed = true;
  }
  SyncViews();
  return changed;
}

std::optional<KioskApp::TimePoint> KioskApp::NextDeadline(TimePoint now) const {
  using namespace std::chrono_literals;
  std::optional<TimePoint> next = flow_.next_deadline(now);
  const auto consider = [&](TimePoint at) {
    if (!next || at < *next) next = at;
  };
  if (const auto gate = gate_.next_deadline()) consider(*gate);
  if (gate_.state() == StaffGate::State::open) {
    consider(staff_touched_ + options_.gate.pin_pad_timeout);
    consider(menu_read_ + kMenuRefresh);
  }
  if (gate_.state() == StaffGate::State::pin_entry && gate_.lockout_seconds_left(now) > 0) consider(now + 250ms);
  if (gate_.hold_progress(now) > 0.0f) consider(now + 50ms);
  return next;
}

// ---- Views and look ---------------------------------------------------------------

void KioskApp::SyncViews() {
  if (flow_.step() != shown_step_) {
    // A screen entered starts afresh: no keyboard, no scroll, nothing of before.
    comment_.Reset();
    callback_.Reset();
    privacy_.Reset();
    shown_step_ = flow_.step();
  }
  if (flow_.privacy_notice_open() != privacy_shown_) {
    privacy_.Reset();
    privacy_shown_ = flow_.privacy_notice_open();
  }
  if (gate_.state() != gate_shown_) {
    if (gate_.state() == StaffGate::State::pin_entry && gate_shown_ == StaffGate::State::closed) pin_.Reset();
    gate_shown_ = gate_.state();
  }
}

KioskView KioskApp::View(TimePoint now) const {
  if (gate_.state() == StaffGate::State::open) return KioskView::staff_menu;
  if (gate_.state() == StaffGate::State::pin_entry) return KioskView::pin_pad;
  if (flow_.idle(now).warning) return KioskView::idle_warning;
  if (flow_.privacy_notice_open()) return KioskView::privacy;
  switch (flow_.step()) {
    case KioskStep::welcome:
      return KioskView::welcome;
    case KioskStep::csat:
      return KioskView::csat;
    case KioskStep::nps:
      return KioskView::nps;
    case KioskStep::comment:
      return KioskView::comment;
    case KioskStep::callback:
      return KioskView::callback;
    case KioskStep::thanks:
      return KioskView::thanks;
  }
  return KioskView::welcome;
}

void KioskApp::ApplyLook() {
  Look current = look();
  const Theme theme = flow_.preferences().high_contrast ? Theme::high_contrast : Theme::standard;
  const bool large = flow_.preferences().large_text;
  if (current.theme == theme && current.large_text == large) return;
  current.theme = theme;
  current.large_text = large;
  apply_touch_style(ImGui::GetStyle(), theme, current.scale);
  set_look(current);
}

}  // namespace heed::ui
