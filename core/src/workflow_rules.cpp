// Reading the workflow rules and deciding which cases a record opens.
#include "heed/workflow_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "heed/json_file.hpp"
#include "heed/validation.hpp"

namespace heed {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 4> kCaseTypeNames{"callback", "complaint", "follow_up", "alert"};
constexpr std::array<std::string_view, 7> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

class RulesReader {
 public:
  RulesReader(FieldErrors& errors, const CalendarSettings& calendar) : errors_(errors), calendar_(calendar) {}

  void fail(const std::string& field, std::string message) {
    errors_.push_back({field, "invalid", std::move(message)});
  }

  const json* object(const json& parent, const std::string& key, const std::string& path) {
    if (!parent.contains(key)) return nullptr;  // absent: the default stands
    if (!parent[key].is_object()) {
      fail(path, "must be an object");
      return nullptr;
    }
    return &parent[key];
  }

  // {"working_days": n} or {"working_hours": n}
  void duration(const json& parent, const std::string& key, const std::string& path, WorkingDuration& out) {
    const json* d = object(parent, key, path);
    if (!d) return;
    const auto day_length = calendar_.day_end - calendar_.day_start;
    if (d->size() == 1 && d->contains("working_days") && (*d)["working_days"].is_number_integer() &&
        (*d)["working_days"].get<int>() > 0)
      out = WorkingDuration{day_length * (*d)["working_days"].get<int>()};
    else if (d->size() == 1 && d->contains("working_hours") && (*d)["working_hours"].is_number_integer() &&
             (*d)["working_hours"].get<int>() > 0)
      out = WorkingDuration::hours((*d)["working_hours"].get<int>());
    else
      fail(path, "must be {\"working_days\": n} or {\"working_hours\": n} with n a positive whole number");
  }

  void integer(const json& parent, const std::string& key, const std::string& path, int& out, int min, int max) {
    if (!parent.contains(key)) return;
    if (!parent[key].is_number_integer() || parent[key].get<int>() < min || parent[key].get<int>() > max)
      return fail(path, fmt::format("must be a whole number from {} to {}", min, max));
    out = parent[key].get<int>();
  }

  void known(const json& object, std::initializer_list<std::string_view> keys, const std::string& prefix) {
    for (const auto& [key, value] : object.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        errors_.push_back({prefix + key, "unknown_key", "is not a rule Heed knows (check the spelling)"});
  }

 private:
  FieldErrors& errors_;
  const CalendarSettings& calendar_;
};

std::optional<std::chrono::minutes> parse_clock(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto text = value.get<std::string>();
  int h = 0, m = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%2d:%2d%n", &h, &m, &consumed) != 2 || consumed != static_cast<int>(text.size()) ||
      h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
    return std::nullopt;
  return std::chrono::minutes(h * 60 + m);
}

// The default targets, in working days of the calendar's length.
void default_targets(WorkflowRules& rules) {
  const auto day = rules.calendar.day_end - rules.calendar.day_start;
  rules.callback_ack = WorkingDuration{day};
  rules.callback_resolve = WorkingDuration{day * 3};
  rules.complaint_ack = {WorkingDuration{day}, WorkingDuration{day}, WorkingDuration::hours(4)};
  rules.complaint_resolve = {WorkingDuration{day * 5}, WorkingDuration{day * 5}, WorkingDuration{day * 2}};
  rules.follow_up_resolve = WorkingDuration{day};
  rules.alerts.resolve = WorkingDuration{day};
}

// Where a customer can go next, as a UK retailer's final response says it:
// RetailADR (the retail sector's ADR body) and the Citizens Advice consumer
// helpline (its Welsh-language line for Welsh letters).
FinalResponseRules default_final_response() {
  FinalResponseRules f;
  f.adr.name = {"RetailADR", ""};
  f.adr.website = {"https://www.retailadr.org.uk", ""};
  f.advice.name = {"Citizens Advice consumer helpline", "llinell gymorth defnyddwyr Cyngor ar Bopeth"};
  f.advice.phone = {"0808 223 1133", "0808 223 1144"};
  f.advice.website = {"https://www.citizensadvice.org.uk/consumer/", "https://www.citizensadvice.org.uk/cymraeg/"};
  f.signature = {"Customer Relations Team", "Tîm Cysylltiadau Cwsmeriaid"};
  f.company = {"Heed Retail", ""};
  return f;
}

bool is_web_address(const std::string& s) {
  return (s.starts_with("https://") || s.starts_with("http://")) && s.find_first_of(" <>\"'\n") == std::string::npos &&
         s.size() > 8 && s.size() <= 300;
}

// "text" or {"en": "text", "cy": "testun"}; `check` says whether one version is acceptable.
void read_local_text(const json& parent, const std::string& key, const std::string& path, LocalText& out,
                     bool (*check)(const std::string&), const char* what, FieldErrors& errors) {
  if (!parent.contains(key)) return;
  const json& v = parent[key];
  auto good = [&](const json& t) {
    return t.is_string() && !t.get<std::string>().empty() && t.get<std::string>().size() <= 300 &&
           (!check || check(t.get<std::string>()));
  };
  if (good(v)) {
    out = {v.get<std::string>(), ""};
    return;
  }
  if (v.is_object() && v.contains("en") && good(v["en"]) && v.size() <= 2 &&
      (v.size() == 1 || (v.contains("cy") && good(v["cy"])))) {
    out = {v["en"].get<std::string>(), v.value("cy", std::string())};
    return;
  }
  errors.push_back(
      {path, "invalid", fmt::format("must be {} (1-300 characters), or {{\"en\": .., \"cy\": ..}} of them", what)});
}

bool is_phone_text(const std::string& s) { return s.find_first_not_of("0123456789 +()-") == std::string::npos; }

// "final_response": {"adr": {...}, "advice": {...}, "signature", "company", "templates"}
void read_final_response(const json& doc, const std::filesystem::path& rules_file, RulesReader& r,
                         FinalResponseRules& out, FieldErrors& errors) {
  const json* f = r.object(doc, "final_response", "final_response");
  if (!f) return;
  r.known(*f, {"adr", "advice", "signature", "company", "templates"}, "final_response.");
  for (auto [key, body] : {std::pair{"adr", &out.adr}, std::pair{"advice", &out.advice}}) {
    const std::string path = std::string("final_response.") + key;
    const json* b = r.object(*f, key, path);
    if (!b) continue;
    if (std::string_view(key) == "adr") {
      r.known(*b, {"name", "website", "phone", "email", "we_take_part", "refer_within_months"}, path + ".");
      if (b->contains("we_take_part")) {
        if ((*b)["we_take_part"].is_boolean())
          out.adr_we_take_part = (*b)["we_take_part"].get<bool>();
        else
          r.fail(path + ".we_take_part", "must be true or false: whether the chain takes part in their process");
      }
      r.integer(*b, "refer_within_months", path + ".refer_within_months", out.adr_within_months, 0, 72);
    } else {
      r.known(*b, {"name", "website", "phone", "email"}, path + ".");
    }
    // A body named anew starts from nothing: the default's website or phone would be another body's.
    if (b->contains("name")) *body = FinalResponseRules::Body{};
    read_local_text(*b, "name", path + ".name", body->name, nullptr, "a name", errors);
    read_local_text(*b, "website", path + ".website", body->website, is_web_address, "an http(s) address", errors);
    read_local_text(*b, "phone", path + ".phone", body->phone, is_phone_text, "a phone number", errors);
    read_local_text(
        *b, "email", path + ".email", body->email,
        [](const std::string& s) { return s.find('@') != std::string::npos && s.find(' ') == std::string::npos; },
        "an email address", errors);
    if (body->name.en.empty()) errors.push_back({path + ".name", "required", "name the body the customer can go to"});
    if (body->website.en.empty() && body->phone.en.empty())
      errors.push_back({path + ".website", "required", "give a website or a phone number to reach them"});
  }
  read_local_text(*f, "signature", "final_response.signature", out.signature, nullptr, "who signs the letter", errors);
  read_local_text(*f, "company", "final_response.company", out.company, nullptr, "the chain's trading name", errors);
  if (f->contains("templates")) {
    if (!(*f)["templates"].is_string() || (*f)["templates"].get<std::string>().empty()) {
      r.fail("final_response.templates", "must name the letters' template folder");
    } else {
      std::filesystem::path dir = (*f)["templates"].get<std::string>();
      if (dir.is_relative()) dir = rules_file.parent_path() / dir;
      out.templates = dir.lexically_normal();
    }
  }
}

}  // namespace

WorkflowRules default_workflow_rules() {
  WorkflowRules rules;
  default_targets(rules);
  rules.final_response = default_final_response();
  return rules;
}

bool can_contact(const std::optional<Contact>& contact) {
  const auto given = [](const std::optional<std::string>& text) {
    return text && text->find_first_not_of(" \t") != std::string::npos;
  };
  return contact && contact->consent && (given(contact->email) || given(contact->phone));
}

NextStep next_step_for(const Complaint& complaint, const WorkflowRules& rules) {
  NextStep step;
  if (!can_contact(complaint.customer)) return step;
  if (counts_as_first_contact_resolution(complaint)) {
    step.kind = NextStep::Kind::follow_up_check;
    step.after_days = rules.follow_up_after_days;
    return step;
  }
  step.kind = NextStep::Kind::head_office_contact;
  const auto target = rules.complaint_ack.of(complaint.severity).working_time;
  const auto day = rules.calendar.day_end - rules.calendar.day_start;
  if (day.count() > 0 && target.count() % day.count() == 0)
    step.within_days = static_cast<int>(target / day);
  else
    step.within_hours = static_cast<int>((target.count() + 59) / 60);
  return step;
}

CallbackPromise callback_promise(Timestamp asked_at, const WorkflowRules& rules, const BusinessCalendar& calendar) {
  using namespace std::chrono;
  CallbackPromise p;
  p.due = calendar.add(asked_at, rules.callback_ack);
  p.date = calendar.local_date(p.due);
  constexpr minutes kQuarter{15};
  const auto exact = ceil<minutes>(calendar.local_time_of_day(p.due));
  const auto rounded = (exact + kQuarter - minutes(1)) / kQuarter * kQuarter;
  p.time = std::min(rounded, std::max(exact, calendar.settings().day_end));
  const auto apart = sys_days{p.date} - sys_days{calendar.local_date(asked_at)};
  p.day = apart == days(0)   ? CallbackPromise::Day::today
          : apart == days(1) ? CallbackPromise::Day::tomorrow
                             : CallbackPromise::Day::later;
  return p;
}

std::string_view case_type_name(CaseType type) { return kCaseTypeNames[static_cast<std::size_t>(type)]; }

namespace {

// "areas": {"north_west": {"name": "North West", "stores": ["MCR-01", ...]}, ...}
void read_areas(const json& doc, std::vector<Area>& areas, FieldErrors& errors) {
  if (!doc.is_object()) {
    errors.push_back({"areas", "invalid", "must map area ids to {\"name\", \"stores\"}"});
    return;
  }
  std::set<std::string> seen_stores;
  for (const auto& [id, value] : doc.items()) {
    const std::string path = "areas." + id;
    const bool good_id = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!good_id) {
      errors.push_back({path, "invalid", "an area id is 1-64 of a-z 0-9 _ -"});
      continue;
    }
    if (!value.is_object() || !value.contains("stores") || !value["stores"].is_array()) {
      errors.push_back({path, "invalid", "must be {\"name\": text, \"stores\": [store ids]}"});
      continue;
    }
    Area area{id, value.value("name", id), {}};
    for (const auto& store : value["stores"]) {
      if (!store.is_string() || !is_valid_store_id(store.get<std::string>())) {
        errors.push_back({path + ".stores", "invalid", "each store id is 1-32 of A-Z 0-9 - _"});
        continue;
      }
      if (!seen_stores.insert(store.get<std::string>()).second) {
        errors.push_back({path + ".stores", "duplicate",
                          fmt::format("store {} is already in another area", store.get<std::string>())});
        continue;
      }
      area.stores.push_back(store.get<std::string>());
    }
    areas.push_back(std::move(area));
  }
}

// "alerts": {"enabled": true, "negative_share": 0.5, "window_minutes": 15, "min_count": 4,
//            "csat_at_most": 2, "nps_at_most": 6, "acknowledge": {..}, "resolve": {..}}
void read_alerts(const json& al, RulesReader& r, AlertRules& out) {
  r.known(al,
          {"enabled", "negative_share", "window_minutes", "min_count", "csat_at_most", "nps_at_most", "acknowledge",
           "resolve"},
          "alerts.");
  if (al.contains("enabled")) {
    if (al["enabled"].is_boolean())
      out.enabled = al["enabled"].get<bool>();
    else
      r.fail("alerts.enabled", "must be true or false: whether alert cases open");
  }
  if (al.contains("negative_share")) {
    const json& v = al["negative_share"];
    if (v.is_number() && v.get<double>() > 0 && v.get<double>() <= 1)
      out.negative_share_bp = static_cast<int>(std::lround(v.get<double>() * 10000));
    else
      r.fail("alerts.negative_share", "must be a share above 0 and at most 1, e.g. 0.5 for half the answers");
  }
  int minutes = static_cast<int>(out.window.count());
  r.integer(al, "window_minutes", "alerts.window_minutes", minutes, 1, 1440);
  out.window = std::chrono::minutes(minutes);
  r.integer(al, "min_count", "alerts.min_count", out.min_count, 1, 10000);
  r.integer(al, "csat_at_most", "alerts.csat_at_most", out.csat_at_most, 1, 4);
  r.integer(al, "nps_at_most", "alerts.nps_at_most", out.nps_at_most, 0, 9);
  r.duration(al, "acknowledge", "alerts.acknowledge", out.acknowledge);
  r.duration(al, "resolve", "alerts.resolve", out.resolve);
}

// "store_names": {"MCR-01": "Manchester Arndale", ...}
void read_store_names(const json& doc, std::vector<std::pair<std::string, std::string>>& out, FieldErrors& errors) {
  if (!doc.is_object()) {
    errors.push_back({"store_names", "invalid", "must be an object of store id to name"});
    return;
  }
  for (const auto& [id, name] : doc.items()) {
    if (!is_valid_store_id(id))
      errors.push_back({"store_names." + id, "invalid", "a store id is 1-32 of A-Z 0-9 - _"});
    else if (!name.is_string() || name.get<std::string>().empty() || name.get<std::string>().size() > 100)
      errors.push_back({"store_names." + id, "invalid", "must be the store's name, 1-100 characters"});
    else
      out.emplace_back(id, name.get<std::string>());
  }
}

}  // namespace

Result<WorkflowRules, FieldErrors> load_workflow_rules(const std::filesystem::path& file) {
  auto read = read_json_object(file);
  if (!read) return read.error();
  const json& doc = read.value();

  WorkflowRules rules;
  rules.final_response = default_final_response();
  rules.final_response.templates = (file.parent_path() / "../letters").lexically_normal();
  FieldErrors errors;
  RulesReader r(errors, rules.calendar);
  r.known(doc,
          {"calendar", "callback", "complaint", "follow_up", "repeat", "escalation_levels", "areas", "final_response",
           "insight", "alerts", "store_names"},
          "");

  if (const json* cal = r.object(doc, "calendar", "calendar")) {
    r.known(*cal, {"time_zone", "working_days", "day_start", "day_end", "holidays"}, "calendar.");
    if (cal->contains("time_zone")) {
      if ((*cal)["time_zone"].is_string())
        rules.calendar.time_zone = (*cal)["time_zone"].get<std::string>();
      else
        r.fail("calendar.time_zone", "must be a zone name like Europe/London");
    }
    if (cal->contains("working_days")) {
      std::array<bool, 7> days{};
      bool good = (*cal)["working_days"].is_array() && !(*cal)["working_days"].empty();
      for (const auto& d : good ? (*cal)["working_days"] : json::array()) {
        const auto it =
            d.is_string() ? std::find(kDayNames.begin(), kDayNames.end(), d.get<std::string>()) : kDayNames.end();
        if (it == kDayNames.end())
          good = false;
        else
          days[static_cast<std::size_t>(it - kDayNames.begin())] = true;
      }
      if (good)
        rules.calendar.working_days = days;
      else
        r.fail("calendar.working_days", "must list days such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]");
    }
    for (auto [key, target] :
         {std::pair{"day_start", &rules.calendar.day_start}, std::pair{"day_end", &rules.calendar.day_end}}) {
      if (!cal->contains(key)) continue;
      if (auto clock = parse_clock((*cal)[key]))
        *target = *clock;
      else
        r.fail(std::string("calendar.") + key, "must be a time like \"09:00\"");
    }
    if (cal->contains("holidays")) {
      if (!(*cal)["holidays"].is_string()) {
        r.fail("calendar.holidays", "must name a bank-holiday list file");
      } else {
        std::filesystem::path list = (*cal)["holidays"].get<std::string>();
        if (list.is_relative()) list = file.parent_path() / list;
        auto dates = load_holidays(list);
        if (dates)
          rules.calendar.holidays = std::move(dates.value());
        else
          r.fail("calendar.holidays", dates.error().message);
      }
    }
    if (auto made = BusinessCalendar::make(rules.calendar); !made) r.fail("calendar", made.error().message);
  }

  // Targets in working days take the calendar's day length, so they are read after it.
  default_targets(rules);

  if (const json* cb = r.object(doc, "callback", "callback")) {
    r.known(*cb, {"nps_at_most", "csat_at_most", "acknowledge", "resolve"}, "callback.");
    r.integer(*cb, "nps_at_most", "callback.nps_at_most", rules.callback_nps_at_most, -1, 10);
    r.integer(*cb, "csat_at_most", "callback.csat_at_most", rules.callback_csat_at_most, 0, 5);
    r.duration(*cb, "acknowledge", "callback.acknowledge", rules.callback_ack);
    r.duration(*cb, "resolve", "callback.resolve", rules.callback_resolve);
  }
  if (const json* c = r.object(doc, "complaint", "complaint")) {
    r.known(*c, {"acknowledge", "resolve"}, "complaint.");
    for (auto [key, targets] :
         {std::pair{"acknowledge", &rules.complaint_ack}, std::pair{"resolve", &rules.complaint_resolve}}) {
      const std::string path = std::string("complaint.") + key;
      if (const json* t = r.object(*c, key, path)) {
        r.known(*t, {"low", "medium", "high"}, path + ".");
        r.duration(*t, "low", path + ".low", targets->low);
        r.duration(*t, "medium", path + ".medium", targets->medium);
        r.duration(*t, "high", path + ".high", targets->high);
      }
    }
  }
  if (const json* f = r.object(doc, "follow_up", "follow_up")) {
    r.known(*f, {"after_days", "resolve"}, "follow_up.");
    r.integer(*f, "after_days", "follow_up.after_days", rules.follow_up_after_days, 1, 365);
    r.duration(*f, "resolve", "follow_up.resolve", rules.follow_up_resolve);
  }
  if (const json* rep = r.object(doc, "repeat", "repeat")) {
    r.known(*rep, {"complaints", "within_days"}, "repeat.");
    r.integer(*rep, "complaints", "repeat.complaints", rules.repeat_complaints, 2, 100);
    r.integer(*rep, "within_days", "repeat.within_days", rules.repeat_within_days, 1, 3650);
  }
  if (const json* in = r.object(doc, "insight", "insight")) {
    r.known(*in, {"min_sample"}, "insight.");
    r.integer(*in, "min_sample", "insight.min_sample", rules.kpi_min_sample, 1, 10000);
  }
  if (const json* al = r.object(doc, "alerts", "alerts")) read_alerts(*al, r, rules.alerts);
  if (doc.contains("store_names")) read_store_names(doc["store_names"], rules.store_names, errors);
  if (doc.contains("escalation_levels")) {
    const auto& levels = doc["escalation_levels"];
    std::vector<std::string> names;
    bool good = levels.is_array() && levels.size() >= 2;
    for (const auto& l : good ? levels : json::array()) {
      if (!l.is_string() || l.get<std::string>().empty())
        good = false;
      else
        names.push_back(l.get<std::string>());
    }
    if (good)
      rules.escalation_levels = std::move(names);
    else
      r.fail("escalation_levels",
             "must list at least two levels, lowest first, e.g. [\"store\", \"area\", \"head_office\"]");
  }
  if (doc.contains("areas")) read_areas(doc["areas"], rules.areas, errors);
  read_final_response(doc, file, r, rules.final_response, errors);
  if (!errors.empty()) return errors;
  return rules;
}

const Area* WorkflowRules::area(std::string_view id) const {
  const auto it = std::find_if(areas.begin(), areas.end(), [&](const Area& a) { return a.id == id; });
  return it == areas.end() ? nullptr : &*it;
}

std::string WorkflowRules::store_name(std::string_view store_id) const {
  for (const auto& [id, name] : store_names)
    if (id == store_id) return name;
  return std::string(store_id);
}

const Area* WorkflowRules::area_of_store(std::string_view store_id) const {
  for (const Area& a : areas)
    if (std::find(a.stores.begin(), a.stores.end(), store_id) != a.stores.end()) return &a;
  return nullptr;
}

int level_for(EscalationTarget target, const WorkflowRules& rules) {
  const auto& levels = rules.escalation_levels;
  const int top = static_cast<int>(levels.size()) - 1;
  // Levels are named by the chain; the defaults' names are looked for, else the
  // target's position counted from the bottom (store manager) or top (head office).
  const auto named = [&](std::string_view name) -> std::optional<int> {
    const auto it = std::find(levels.begin(), levels.end(), name);
    if (it == levels.end()) return std::nullopt;
    return static_cast<int>(it - levels.begin());
  };
  switch (target) {
    case EscalationTarget::store_manager:
      return named("store").value_or(0);
    case EscalationTarget::area_manager:
      return named("area").value_or(std::min(1, top));
    case EscalationTarget::head_office:
    case EscalationTarget::specialist:  // specialists sit at head office
      return named("head_office").value_or(top);
  }
  return 0;
}

std::vector<CaseOpening> cases_for(const Record& record, const WorkflowRules& rules, const BusinessCalendar& calendar,
                                   Timestamp arrived_at, int earlier_complaints_in_window) {
  std::vector<CaseOpening> cases;
  const auto& header = header_of(record);
  // A device clock running ahead must not buy extra SLA time.
  const Timestamp start = std::min(header.created_at, arrived_at);
  const int top = static_cast<int>(rules.escalation_levels.size()) - 1;

  if (const auto* f = std::get_if<Feedback>(&record)) {
    // Asking (with consent and a way to reach them) opens the case; low scores only raise its priority.
    const bool low =
        (f->nps && *f->nps <= rules.callback_nps_at_most) || (f->csat && *f->csat <= rules.callback_csat_at_most);
    if (can_contact(f->contact)) {
      CaseOpening c{CaseType::callback,
                    header.id,
                    header.store_id,
                    std::nullopt,
                    0,
                    false,
                    low ? Severity::high : Severity::low,
                    start,
                    calendar.add(start, rules.callback_ack),
                    calendar.add(start, rules.callback_resolve),
                    std::nullopt};
      cases.push_back(c);
    }
  } else if (const auto* complaint = std::get_if<Complaint>(&record)) {
    const bool repeat = earlier_complaints_in_window + 1 >= rules.repeat_complaints;
    // Resolved only when the customer accepted; a schema 1 record that says
    // resolved without acceptance is worked as a complaint.
    if (!counts_as_first_contact_resolution(*complaint)) {
      const int chosen = complaint->escalation ? level_for(complaint->escalation->target, rules) : 0;
      CaseOpening c{CaseType::complaint,
                    header.id,
                    header.store_id,
                    complaint->reference,
                    repeat ? top : chosen,
                    repeat,
                    complaint->severity,
                    start,
                    calendar.add(start, rules.complaint_ack.of(complaint->severity)),
                    calendar.add(start, rules.complaint_resolve.of(complaint->severity)),
                    std::nullopt};
      cases.push_back(c);
    } else if (can_contact(complaint->customer)) {  // a check needs someone to ask
      const Timestamp due_day = start + std::chrono::days(rules.follow_up_after_days);
      CaseOpening c{CaseType::follow_up,
                    header.id,
                    header.store_id,
                    complaint->reference,
                    repeat ? top : 0,
                    repeat,
                    complaint->severity,
                    start,
                    std::nullopt,
                    calendar.add(due_day, rules.follow_up_resolve),
                    due_day};
      cases.push_back(c);
    }
  }
  return cases;
}

}  // namespace heed
