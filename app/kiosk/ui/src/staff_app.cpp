// The staff tablet: composing the session, the form, the catalogues and the
// screens. Sections: intents; creation; intents carried out; time; views and look.
// The drawing is in staff_screens.cpp (sign-in, home, notes, overlays) and
// staff_form.cpp (the form's steps).
#include "heed/ui/staff_app.hpp"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "heed/reference.hpp"
#include "heed/ui/look.hpp"

namespace heed::ui {

std::string_view staff_view_name(StaffView view) {
  constexpr std::array<std::string_view, 19> kNames{"sign-in",     "home",      "hear",       "where",     "purchase",
                                                    "empathise",   "act",       "resolve",    "escalate",  "contact",
                                                    "adjustments", "review",    "done",       "approval",  "history",
                                                    "discard",     "note-find", "note-write", "note-saved"};
  return kNames[static_cast<std::size_t>(view)];
}

// ---- Intents ------------------------------------------------------------------

namespace staff_intent {
namespace {
StaffIntent make(StaffIntent::Kind kind) {
  StaffIntent i;
  i.kind = kind;
  return i;
}
}  // namespace
using Kind = StaffIntent::Kind;
StaffIntent choose_staff(std::string_view id) {
  auto i = make(Kind::choose_staff);
  i.text = std::string(id);
  return i;
}
StaffIntent pin_digit(int digit) {
  auto i = make(Kind::pin_digit);
  i.number = digit;
  return i;
}
StaffIntent pin_erase() { return make(Kind::pin_erase); }
StaffIntent pin_submit() { return make(Kind::pin_submit); }
StaffIntent to_kiosk() { return make(Kind::to_kiosk); }
StaffIntent lock() { return make(Kind::lock); }
StaffIntent new_complaint() { return make(Kind::new_complaint); }
StaffIntent home() { return make(Kind::home); }
StaffIntent choose(StaffChoice choice, int number) {
  auto i = make(Kind::choose);
  i.choice = choice;
  i.number = number;
  return i;
}
StaffIntent set(StaffChoice choice, bool flag) {
  auto i = make(Kind::choose);
  i.choice = choice;
  i.flag = flag;
  return i;
}
StaffIntent focus(StaffField field) {
  auto i = make(Kind::focus);
  i.field = field;
  return i;
}
StaffIntent edit_text(StaffField field, std::string text) {
  auto i = make(Kind::edit_text);
  i.field = field;
  i.text = std::move(text);
  return i;
}
StaffIntent next() { return make(Kind::next); }
StaffIntent back() { return make(Kind::back); }
StaffIntent open_approval() { return make(Kind::open_approval); }
StaffIntent close_approval() { return make(Kind::close_approval); }
StaffIntent open_history() { return make(Kind::open_history); }
StaffIntent find_by_reference() { return make(Kind::find_by_reference); }
StaffIntent close_history() { return make(Kind::close_history); }
StaffIntent open_discard() { return make(Kind::open_discard); }
StaffIntent close_discard() { return make(Kind::close_discard); }
StaffIntent discard() { return make(Kind::discard); }
StaffIntent clear_adjustments() { return make(Kind::clear_adjustments); }
StaffIntent start_note(bool for_saved_complaint) {
  auto i = make(Kind::start_note);
  i.flag = for_saved_complaint;
  return i;
}
StaffIntent find_complaints() { return make(Kind::find_complaints); }
StaffIntent pick_complaint(std::string_view id) {
  auto i = make(Kind::pick_complaint);
  i.text = std::string(id);
  return i;
}
StaffIntent save_note() { return make(Kind::save_note); }
StaffIntent set_language(std::string_view code) {
  auto i = make(Kind::set_language);
  i.text = std::string(code);
  return i;
}
StaffIntent set_high_contrast(bool on) {
  auto i = make(Kind::set_high_contrast);
  i.flag = on;
  return i;
}
StaffIntent set_large_text(bool on) {
  auto i = make(Kind::set_large_text);
  i.flag = on;
  return i;
}
}  // namespace staff_intent

// ---- Creation -------------------------------------------------------------------

Result<std::unique_ptr<StaffApp>> StaffApp::Create(Options options) {
  if (options.store == nullptr) return make_error(Errc::invalid, "the staff tablet needs a device store");
  if (options.form.roster.empty())
    return make_error(Errc::invalid, "no staff on the roster: add \"staff\" to the config");
  if (!is_valid_store_code(options.store_code) || !is_valid_device_code(options.device_code))
    return make_error(Errc::invalid, "the store and device codes cannot make complaint references");
  if (options.languages.empty()) options.languages = {"en"};
  std::map<std::string, Catalog, std::less<>> catalogs;
  for (const auto& code : options.languages) {
    auto catalog = Catalog::load(options.i18n_dir, code);
    if (!catalog) return catalog.error();
    catalogs.emplace(code, std::move(catalog).value());
  }
  const Catalog& first = catalogs.at(options.languages.front());
  if (first.has("privacy.version")) options.form.notice_version = first.tr("privacy.version");
  if (!options.history) options.history = std::make_shared<LocalCustomerHistory>(*options.store);
  return std::unique_ptr<StaffApp>(new StaffApp(std::move(options), std::move(catalogs)));
}

StaffApp::StaffApp(Options options, std::map<std::string, Catalog, std::less<>> catalogs)
    : options_(std::move(options)),
      catalogs_(std::move(catalogs)),
      language_(options_.languages.front()),
      high_contrast_(options_.theme == Theme::high_contrast),
      session_(options_.form.roster, options_.lock_after),
      kiosk_gate_(options_.kiosk_pin_hash) {}

const Catalog& StaffApp::catalog(std::string_view language) const {
  if (const auto it = catalogs_.find(language); it != catalogs_.end()) return it->second;
  return catalogs_.at(options_.languages.front());
}

const Catalog& StaffApp::text() const { return catalog(language_); }

// ---- Fields -----------------------------------------------------------------------

std::string StaffApp::field_text(StaffField field) const {
  if (field == StaffField::note) return note_.text;
  if (field == StaffField::find_email) return note_.email;
  if (field == StaffField::find_phone) return note_.phone;
  if (field == StaffField::find_reference) return note_.reference;
  if (field == StaffField::history_reference) return history_.reference;
  if (!form_) return {};
  const auto& d = form_->data();
  switch (field) {
    case StaffField::description:
      return d.description;
    case StaffField::purchase_date:
      return d.purchase_date;
    case StaffField::purchase_amount:
      return d.purchase_amount;
    case StaffField::order_ref:
      return d.order_ref;
    case StaffField::goodwill:
      return d.goodwill;
    case StaffField::rationale:
      return d.rationale;
    case StaffField::name:
      return d.name;
    case StaffField::email:
      return d.email;
    case StaffField::phone:
      return d.phone;
    case StaffField::address:
      return d.address;
    case StaffField::best_time:
      return d.best_time;
    case StaffField::adjustment_note:
      return d.adjustment_note;
    default:
      return {};
  }
}

void StaffApp::SetText(StaffField field, std::string text) {
  if (field == StaffField::note) note_.text = std::move(text);
  if (field == StaffField::find_email) note_.email = std::move(text);
  if (field == StaffField::find_phone) note_.phone = std::move(text);
  if (field == StaffField::find_reference) note_.reference = std::move(text);
  if (field == StaffField::history_reference) history_.reference = std::move(text);
  if (!form_) return;
  auto& d = form_->edit();
  switch (field) {
    case StaffField::description:
      d.description = std::move(text);
      break;
    case StaffField::purchase_date:
      d.purchase_date = std::move(text);
      break;
    case StaffField::purchase_amount:
      d.purchase_amount = std::move(text);
      break;
    case StaffField::order_ref:
      d.order_ref = std::move(text);
      break;
    case StaffField::goodwill:
      d.goodwill = std::move(text);
      break;
    case StaffField::rationale:
      d.rationale = std::move(text);
      break;
    case StaffField::name:
      d.name = std::move(text);
      break;
    case StaffField::email:
      d.email = std::move(text);
      history_.found.reset();  // another customer: look again
      break;
    case StaffField::phone:
      d.phone = std::move(text);
      history_.found.reset();
      break;
    case StaffField::address:
      d.address = std::move(text);
      break;
    case StaffField::best_time:
      d.best_time = std::move(text);
      break;
    case StaffField::adjustment_note:
      d.adjustment_note = std::move(text);
      break;
    default:
      break;
  }
}

FieldErrors StaffApp::page_errors() const {
  if (!form_ || !show_errors_) return {};
  FieldErrors errors = form_->errors();
  const auto starts = [](const FieldError& e, std::string_view prefix) { return e.field.rfind(prefix, 0) == 0; };
  // A page shows only its own fields' problems; the step's last page shows all that are left.
  const auto where = [&](const FieldError& e) { return starts(e, "touchpoint") || starts(e, "channel"); };
  if (form_->step() == ComplaintStep::hear && page_ == 0)
    std::erase_if(errors, [&](const FieldError& e) { return starts(e, "purchase") || where(e); });
  if (form_->step() == ComplaintStep::hear && page_ == 1)
    std::erase_if(errors, [&](const FieldError& e) { return !where(e); });
  if (form_->step() == ComplaintStep::contact && page_ == 0)
    std::erase_if(errors, [&](const FieldError& e) { return starts(e, "adjustments"); });
  return errors;
}

// ---- Intents carried out ------------------------------------------------------------

bool StaffApp::Apply(const StaffIntent& intent, TimePoint now) {
  using Kind = StaffIntent::Kind;
  if (session_.who()) session_.touched(now);
  switch (intent.kind) {
    case Kind::none:
      return false;
    case Kind::choose_staff:
      if (approval_.open) {
        approval_.manager_id = intent.text;
        approval_.pin.clear();
        approval_.message = PinMessage::none;
      } else {
        kiosk_gate_.close();
        sign_in_.staff_id = intent.text;
        sign_in_.pin.clear();
        sign_in_.message = PinMessage::none;
      }
      break;
    case Kind::to_kiosk:
      if (!can_return_to_kiosk()) break;
      if (session_.who()) {  // signed in: they are staff already
        session_.lock();
        Locked();
        request_ = Request::switch_to_kiosk;
      } else {
        sign_in_ = SignInState{};
        kiosk_gate_.open_pin_entry(now);
      }
      break;
    case Kind::pin_digit: {
      if (!approval_.open && kiosk_pin_entry()) {
        kiosk_gate_.digit(static_cast<char>('0' + std::clamp(intent.number, 0, 9)), now);
        sign_in_.message = PinMessage::none;
        break;
      }
      std::string& pin = approval_.open ? approval_.pin : sign_in_.pin;
      if (pin.size() < 8) pin += static_cast<char>('0' + std::clamp(intent.number, 0, 9));
      break;
    }
    case Kind::pin_erase: {
      if (!approval_.open && kiosk_pin_entry()) {
        kiosk_gate_.erase();
        break;
      }
      std::string& pin = approval_.open ? approval_.pin : sign_in_.pin;
      if (!pin.empty()) pin.pop_back();
      break;
    }
    case Kind::pin_submit:
      if (approval_.open) {
        if (approval_.manager_id.empty() || !form_) {
          approval_.message = PinMessage::choose_first;
          break;
        }
        const auto result = form_->approve_goodwill(approval_.manager_id, approval_.pin);
        approval_.pin.clear();
        approval_.message = result == ComplaintForm::Approval::wrong_pin       ? PinMessage::wrong
                            : result == ComplaintForm::Approval::not_a_manager ? PinMessage::not_a_manager
                                                                               : PinMessage::none;
        if (result == ComplaintForm::Approval::approved) approval_ = ApprovalState{};
      } else if (kiosk_pin_entry()) {
        const auto result = kiosk_gate_.submit(now);
        sign_in_.message = result == StaffGate::PinResult::wrong        ? PinMessage::wrong
                           : result == StaffGate::PinResult::locked_out ? PinMessage::locked
                                                                        : PinMessage::none;
        if (result == StaffGate::PinResult::accepted) {
          kiosk_gate_.close();
          request_ = Request::switch_to_kiosk;
        }
      } else {
        if (sign_in_.staff_id.empty()) {
          sign_in_.message = PinMessage::choose_first;
          break;
        }
        const auto result = session_.sign_in(sign_in_.staff_id, sign_in_.pin, now);
        sign_in_.pin.clear();
        sign_in_.message = result == StaffSession::SignIn::wrong_pin    ? PinMessage::wrong
                           : result == StaffSession::SignIn::unknown    ? PinMessage::unknown
                           : result == StaffSession::SignIn::locked_out ? PinMessage::locked
                                                                        : PinMessage::none;
        if (result == StaffSession::SignIn::ok) Resume();
      }
      break;
    case Kind::lock:
      if (session_.who()) {
        session_.lock();
        Locked();
      }
      break;
    case Kind::new_complaint:
      if (const auto* who = session_.who()) {
        form_.emplace(options_.form, who->id, options_.wall());
        saved_.reset();
        qr_.reset();
        note_ = NoteState{};
        history_ = HistoryState{};
        page_ = 0;
        show_errors_ = resumed_ = false;
        save_error_.clear();
      }
      break;
    case Kind::home:
      if (form_ && form_->step() == ComplaintStep::done) form_.reset();
      note_ = NoteState{};
      saved_.reset();
      qr_.reset();
      break;
    case Kind::choose: {
      if (!form_) break;
      auto& d = form_->edit();
      const auto n = static_cast<std::size_t>(std::max(intent.number, 0));
      switch (intent.choice) {
        case StaffChoice::channel:
          d.channel = enum_values<Channel>().at(n);
          break;
        case StaffChoice::touchpoint:
          if (n < options_.form.touchpoints.size()) d.touchpoint = options_.form.touchpoints[n];
          break;
        case StaffChoice::contact_channel: {
          const ContactChannel channel = enum_values<ContactChannel>().at(n);
          if (d.contact_channel == channel)
            d.contact_channel.reset();  // tapped again: no preference
          else
            d.contact_channel = channel;
          break;
        }
        case StaffChoice::language:
          if (n < options_.languages.size())
            d.preferred_language = d.preferred_language == options_.languages[n] ? "" : options_.languages[n];
          break;
        case StaffChoice::format: {
          const AdjustmentFormat format = enum_values<AdjustmentFormat>().at(n);
          if (const auto it = std::find(d.formats.begin(), d.formats.end(), format); it != d.formats.end())
            d.formats.erase(it);
          else
            d.formats.push_back(format);
          break;
        }
        case StaffChoice::adjustments_consent:
          d.adjustments_consent = intent.flag;
          break;
        case StaffChoice::category:
          form_->set_category(enum_values<Category>().at(n));
          break;
        case StaffChoice::severity:
          d.severity = enum_values<Severity>().at(n);
          break;
        case StaffChoice::purchase_kind:
          d.purchase_kind = enum_values<PurchaseKind>().at(n);
          break;
        case StaffChoice::mood:
          d.mood = enum_values<CustomerMood>().at(n);
          break;
        case StaffChoice::outcome:
          d.desired_outcome = enum_values<DesiredOutcome>().at(n);
          break;
        case StaffChoice::target:
          d.escalation_target = enum_values<EscalationTarget>().at(n);
          break;
        case StaffChoice::offer: {
          const Offer offer = enum_values<Offer>().at(n);
          if (const auto it = std::find(d.offered.begin(), d.offered.end(), offer); it != d.offered.end())
            d.offered.erase(it);
          else if (offer == Offer::none)
            d.offered = {Offer::none};  // "nothing offered" stands alone
          else {
            std::erase(d.offered, Offer::none);
            d.offered.push_back(offer);
          }
          break;
        }
        case StaffChoice::has_purchase:
          form_->set_has_purchase(intent.flag);
          break;
        case StaffChoice::repair_failed:
          d.repair_already_failed = intent.flag;
          break;
        case StaffChoice::resolved:
          d.resolved_first_contact = intent.flag;
          if (!intent.flag) d.customer_accepted.reset();
          break;
        case StaffChoice::accepted:
          d.customer_accepted = intent.flag;
          break;
        case StaffChoice::consent:
          d.consent = intent.flag;
          if (!intent.flag && (typing_ == StaffField::name || typing_ == StaffField::email ||
                               typing_ == StaffField::phone || typing_ == StaffField::address))
            typing_ = StaffField::none;
          break;
      }
      break;
    }
    case Kind::focus:
      if (intent.field != typing_) keyboard_.Reset();
      typing_ = intent.field;
      break;
    case Kind::edit_text:
      SetText(intent.field, intent.text);
      break;
    case Kind::next:
      if (!form_) break;
      typing_ = StaffField::none;
      // Hear's first two pages and Contact's first: on to the step's next page.
      if ((form_->step() == ComplaintStep::hear && page_ < 2) ||
          (form_->step() == ComplaintStep::contact && page_ == 0)) {
        show_errors_ = true;
        if (page_errors().empty()) {
          ++page_;
          show_errors_ = false;
        }
        break;
      }
      if (form_->step() == ComplaintStep::review) {
        Save();
        break;
      }
      if (form_->next()) {
        show_errors_ = false;
        page_ = 0;
        SaveDraft();  // each finished step survives a crash or a power cut, not only a lock
      } else {
        show_errors_ = true;
      }
      break;
    case Kind::back:
      if (!form_) break;
      typing_ = StaffField::none;
      show_errors_ = false;
      if ((form_->step() == ComplaintStep::hear || form_->step() == ComplaintStep::contact) && page_ > 0) {
        --page_;
      } else {
        const ComplaintStep before = form_->step();
        form_->back();
        // Back into a step of several pages lands on its last page.
        if (before != ComplaintStep::hear && form_->step() == ComplaintStep::hear) page_ = 2;
        if (before == ComplaintStep::review && form_->step() == ComplaintStep::contact) page_ = 1;
      }
      break;
    case Kind::open_approval:
      approval_ = ApprovalState{};
      approval_.open = true;
      typing_ = StaffField::none;
      break;
    case Kind::close_approval:
      approval_ = ApprovalState{};
      break;
    case Kind::open_history:
      OpenHistory();
      break;
    case Kind::open_discard:
      if (!form_ || form_->step() == ComplaintStep::done) break;
      discard_ = DiscardState{};
      discard_.open = true;
      typing_ = StaffField::none;
      break;
    case Kind::close_discard:
      discard_ = DiscardState{};
      break;
    case Kind::discard:
      Discard();
      break;
    case Kind::clear_adjustments:
      if (!form_) break;
      {
        auto& d = form_->edit();
        d.adjustments_consent = false;
        d.contact_channel.reset();
        d.best_time.clear();
        d.preferred_language.clear();
        d.formats.clear();
        d.adjustment_note.clear();
        if (typing_ == StaffField::best_time || typing_ == StaffField::adjustment_note) typing_ = StaffField::none;
      }
      break;
    case Kind::close_history:
      history_.open = false;
      typing_ = StaffField::none;
      break;
    case Kind::start_note:
      note_ = NoteState{};
      note_.active = true;
      typing_ = StaffField::none;
      if (intent.flag && saved_) note_.complaint = past_complaint_of(*saved_);
      break;
    case Kind::find_complaints: {
      typing_ = StaffField::none;
      CustomerQuery query;
      if (!note_.email.empty()) query.email = note_.email;
      if (!note_.phone.empty()) query.phone = note_.phone;
      auto found = options_.history->find(query, options_.history_timeout);
      note_.found.reset();
      note_.find_error.clear();
      note_.reference_outcome.reset();
      if (found)
        note_.found = std::move(found).value();
      else
        note_.find_error = found.error().message;
      break;
    }
    case Kind::find_by_reference:
      FindByReference();
      break;
    case Kind::pick_complaint:
      if (note_.found)
        for (const auto& c : note_.found->complaints)
          if (c.id == intent.text) note_.complaint = c;
      break;
    case Kind::save_note: {
      const auto* who = session_.who();
      if (!who || !note_.complaint) break;
      typing_ = StaffField::none;
      auto update = make_complaint_update(options_.form, note_.complaint->id, who->id, note_.text, options_.wall());
      note_.save_error.clear();
      if (!update) {
        note_.errors = update.error();
        break;
      }
      note_.errors.clear();
      if (auto saved = options_.store->save(Record{update.value()}); !saved) {
        note_.save_error = saved.error().message;
        break;
      }
      note_.saved = true;
      if (options_.saved) options_.saved();
      break;
    }
    case Kind::set_language:
      if (catalogs_.contains(intent.text)) {
        language_ = intent.text;
        keyboard_.Reset();
      }
      break;
    case Kind::set_high_contrast:
      high_contrast_ = intent.flag;
      break;
    case Kind::set_large_text:
      large_text_ = intent.flag;
      break;
  }
  return true;
}

void StaffApp::OpenHistory() {
  if (!form_) return;
  typing_ = StaffField::none;
  history_.open = true;
  history_.error.clear();
  history_.found.reset();
  history_.by_reference.reset();
  const auto& d = form_->data();
  CustomerQuery query;
  if (!d.email.empty()) query.email = d.email;
  if (!d.phone.empty()) query.phone = d.phone;
  if (query.email || query.phone) {
    auto found = options_.history->find(query, options_.history_timeout);
    if (found)
      history_.found = std::move(found).value();
    else
      history_.error = found.error().message;
  }
  // Opened is opened: with no contact details there is nothing to find, and
  // staff have seen that before they write the rationale.
  form_->history_opened();
}

void StaffApp::FindByReference() {
  typing_ = StaffField::none;
  if (!session_.who()) return;  // a look-up is personal data: staff only
  if (history_.open) {
    history_.by_reference = heed::find_by_reference(*options_.history, history_.reference, options_.history_timeout);
    return;
  }
  if (!note_.active) return;
  auto search = heed::find_by_reference(*options_.history, note_.reference, options_.history_timeout);
  note_.reference_outcome = search.outcome;
  note_.found = std::move(search.found);
  note_.find_error = std::move(search.error);
}

void StaffApp::Discard() {
  if (!form_ || form_->step() == ComplaintStep::done) return;
  // Deleted from the store first: a draft left behind would come back at the next sign-in.
  if (auto deleted = options_.store->delete_draft(form_->data().staff_id); !deleted) {
    discard_.error = deleted.error().message;
    return;
  }
  form_.reset();
  discard_ = DiscardState{};
  approval_ = ApprovalState{};
  history_ = HistoryState{};
  typing_ = StaffField::none;
  keyboard_.Reset();
  page_ = 0;
  show_errors_ = resumed_ = false;
  save_error_.clear();
}

void StaffApp::Save() {
  const auto* who = session_.who();
  if (!form_ || !who) return;
  show_errors_ = true;
  save_error_.clear();
  if (!form_->errors(ComplaintStep::review).empty()) return;
  auto sequence = options_.store->next_sequence("complaint_reference");
  if (!sequence) {
    save_error_ = sequence.error().message;
    return;
  }
  const std::string reference = make_reference(options_.store_code, options_.device_code, sequence.value());
  auto complaint = form_->build(reference);
  if (!complaint) return;  // errors show on the review page
  if (auto saved = options_.store->save(Record{complaint.value()}, who->id); !saved) {
    save_error_ = saved.error().message;
    return;
  }
  if (options_.saved) options_.saved();
  saved_ = complaint.value();
  qr_ = make_qr(reference);
  form_->next();  // to done
  show_errors_ = false;
}

void StaffApp::SaveDraft() {
  if (!form_ || form_->step() == ComplaintStep::done) return;
  if (form_->blank()) {  // only opened: nothing to come back to at the next sign-in
    if (auto deleted = options_.store->delete_draft(form_->data().staff_id); !deleted)
      save_error_ = deleted.error().message;
    return;
  }
  const auto body = draft_to_json(form_->data()).dump();
  if (auto saved = options_.store->save_draft(form_->data().staff_id, body); !saved)
    save_error_ = saved.error().message;  // shown when the form is resumed in this run
}

void StaffApp::Locked() {
  SaveDraft();
  form_.reset();
  saved_.reset();
  qr_.reset();
  approval_ = ApprovalState{};
  history_ = HistoryState{};
  discard_ = DiscardState{};
  note_ = NoteState{};
  typing_ = StaffField::none;
  keyboard_.Reset();
  page_ = 0;
  show_errors_ = resumed_ = false;
  sign_in_ = SignInState{};
}

void StaffApp::Resume() {
  const auto* who = session_.who();
  resumed_ = false;
  if (!who) return;
  auto draft = options_.store->load_draft(who->id);
  if (!draft || !draft.value()) return;
  std::optional<ComplaintFormData> data;
  try {
    data = draft_from_json(nlohmann::json::parse(*draft.value()));
  } catch (const nlohmann::json::exception&) {
    data.reset();
  }
  if (!data || data->staff_id != who->id) return;
  page_ = 0;
  form_.emplace(options_.form, std::move(*data));
  resumed_ = true;
}

// ---- Time ---------------------------------------------------------------------------

bool StaffApp::Tick(TimePoint now) {
  bool changed = frames_wanted_;     // a held key repeats
  changed |= kiosk_gate_.tick(now);  // an abandoned kiosk PIN pad closes itself
  if (kiosk_pin_entry()) {
    const int locked = kiosk_gate_.lockout_seconds_left(now);
    changed |= locked != kiosk_lockout_shown_;
    kiosk_lockout_shown_ = locked;
  }
  if (session_.tick(now)) {
    Locked();
    changed = true;
  }
  if (!session_.who() && !sign_in_.staff_id.empty()) {
    const int locked = session_.lockout_seconds_left(sign_in_.staff_id, now);
    changed |= locked != lockout_shown_;
    lockout_shown_ = locked;
  }
  return changed;
}

std::optional<StaffApp::TimePoint> StaffApp::NextDeadline(TimePoint now) const {
  using namespace std::chrono_literals;
  std::optional<TimePoint> next = session_.next_deadline();
  if (!session_.who() && !sign_in_.staff_id.empty() && session_.lockout_seconds_left(sign_in_.staff_id, now) > 0) {
    const TimePoint soon = now + 250ms;  // the countdown
    if (!next || soon < *next) next = soon;
  }
  if (const auto gate = kiosk_gate_.next_deadline(); gate && (!next || *gate < *next)) next = gate;
  if (kiosk_pin_entry() && kiosk_gate_.lockout_seconds_left(now) > 0) {
    const TimePoint soon = now + 250ms;
    if (!next || soon < *next) next = soon;
  }
  if (frames_wanted_ && (!next || now + 16ms < *next)) next = now + 16ms;  // a held key repeats
  return next;
}

StaffApp::Request StaffApp::TakeRequest() {
  const Request request = request_;
  request_ = Request::none;
  return request;
}

// ---- Views and look ----------------------------------------------------------------

StaffView StaffApp::View() const {
  if (!session_.who()) return StaffView::sign_in;
  if (approval_.open) return StaffView::approval;
  if (history_.open) return StaffView::history;
  if (discard_.open) return StaffView::discard;
  if (note_.active) {
    if (note_.saved) return StaffView::note_saved;
    return note_.complaint ? StaffView::note_write : StaffView::note_find;
  }
  return StepView();
}

StaffView StaffApp::StepView() const {
  if (!form_) return StaffView::home;
  switch (form_->step()) {
    case ComplaintStep::hear:
      return page_ == 2 ? StaffView::purchase : page_ == 1 ? StaffView::where : StaffView::hear;
    case ComplaintStep::empathise:
      return StaffView::empathise;
    case ComplaintStep::act:
      return StaffView::act;
    case ComplaintStep::resolve:
      return StaffView::resolve;
    case ComplaintStep::escalate:
      return StaffView::escalate;
    case ComplaintStep::contact:
      return page_ == 1 ? StaffView::adjustments : StaffView::contact;
    case ComplaintStep::review:
      return StaffView::review;
    case ComplaintStep::done:
      return StaffView::done;
  }
  return StaffView::home;
}

std::string StaffApp::staff_name(std::string_view id) const {
  for (const auto& member : session_.roster())
    if (member.id == id) return member.name;
  return std::string(id);
}

void StaffApp::ApplyLook() {
  Look current = look();
  const Theme theme = high_contrast_ ? Theme::high_contrast : Theme::standard;
  if (current.theme == theme && current.large_text == large_text_) return;
  current.theme = theme;
  current.large_text = large_text_;
  apply_touch_style(ImGui::GetStyle(), theme, current.scale);
  set_look(current);
}

}  // namespace heed::ui
