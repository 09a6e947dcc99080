// A complaint's final response (see final_response.hpp).
//
// The templates hold every sentence of the letter; this file fills in values
// and picks sections: the greeting (named or neutral), what the customer wanted
// (WANTED_<OUTCOME>), each remedy (REMEDY with a section per kind and AMOUNT),
// and the optional ways to reach the ADR body and advice. Only dates are worded
// here: the month names, as ctemplate has no way to format them.
#include "heed/server/final_response.hpp"

#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "heed/record_json.hpp"
#include "heed/validation.hpp"

namespace heed::server {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxOutcomeChars = 5000;

constexpr std::array<std::string_view, 12> kMonthsEn{"January",   "February", "March",    "April",
                                                     "May",       "June",     "July",     "August",
                                                     "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsCy{"Ionawr", "Chwefror", "Mawrth",     "Ebrill",
                                                     "Mai",    "Mehefin",  "Gorffennaf", "Awst",
                                                     "Medi",   "Hydref",   "Tachwedd",   "Rhagfyr"};

// "3 December 2026", "3 Rhagfyr 2026".
std::string letter_date_text(Date d, std::string_view language) {
  const auto& months = language == "cy" ? kMonthsCy : kMonthsEn;
  return fmt::format("{} {} {}", static_cast<unsigned>(d.day()), months[static_cast<unsigned>(d.month()) - 1],
                     static_cast<int>(d.year()));
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return out;
}

// One section per line, for the HTML: its escaping turns a line break into a space.
void add_lines(ctemplate::TemplateDictionary& d, const char* section, const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    d.AddSectionDictionary(section)->SetValue("LINE", line);
    start = end + 1;
  }
}

std::string template_name(std::string_view language, std::string_view kind) {
  return fmt::format("final_response.{}.{}.tpl", language, kind);
}

}  // namespace

std::string format_pounds(std::int64_t pence) {
  const bool negative = pence < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(pence) : static_cast<std::uint64_t>(pence);
  std::string pounds = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(pounds.size()) - 3; i > 0; i -= 3) pounds.insert(static_cast<std::size_t>(i), ",");
  return fmt::format("{}£{}.{:02}", negative ? "-" : "", pounds, magnitude % 100);
}

std::string letter_language(const Complaint& complaint, const std::optional<std::string>& requested) {
  if (requested) return *requested;
  if (complaint.adjustments && complaint.adjustments->language == "cy") return "cy";
  return "en";
}

Result<FinalResponseFacts> final_response_facts(const Workflow& flow, const StoredRecord& record, const CaseRow& c,
                                                const ResolutionText& resolution, Timestamp now) {
  auto parsed = record_from_json_text(record.body);
  if (!parsed) return Error{Errc::invalid, "the case's record cannot be read"};
  const auto* complaint = std::get_if<Complaint>(&parsed.value());
  if (!complaint) return Error{Errc::invalid, "only a complaint gets a final response"};
  FinalResponseFacts f;
  f.language = letter_language(*complaint, resolution.language);
  if (std::find(kLetterLanguages.begin(), kLetterLanguages.end(), f.language) == kLetterLanguages.end())
    return Error{Errc::invalid, "language: a final response is written in en or cy"};
  const std::string_view lang = f.language;
  f.reference = c.reference.value_or(complaint->reference);
  f.store_id = c.store_id;
  f.complained_on = flow.calendar().local_date(complaint->header.created_at);
  if (complaint->customer && complaint->customer->name && !complaint->customer->name->empty())
    f.customer_name = complaint->customer->name;
  f.description = complaint->description;
  f.desired_outcome = complaint->desired_outcome;
  f.outcome = resolution.outcome;
  f.remedies = resolution.remedies;
  const FinalResponseRules& rules = flow.rules().final_response;
  f.signature = rules.signature.in(lang);
  f.company = rules.company.in(lang);
  f.letter_date = flow.calendar().local_date(now);
  f.adr_name = rules.adr.name.in(lang);
  f.adr_website = rules.adr.website.in(lang);
  f.adr_phone = rules.adr.phone.in(lang);
  f.adr_email = rules.adr.email.in(lang);
  f.adr_we_take_part = rules.adr_we_take_part;
  f.adr_within_months = rules.adr_within_months;
  f.advice_name = rules.advice.name.in(lang);
  f.advice_phone = rules.advice.phone.in(lang);
  f.advice_website = rules.advice.website.in(lang);
  f.advice_email = rules.advice.email.in(lang);
  return f;
}

// ---- The resolution from JSON ----------------------------------------------------------
Result<ResolutionText, FieldErrors> parse_resolution_text(const json& body) {
  if (!body.is_object()) return FieldErrors{{"", "invalid", "the body must be a JSON object"}};
  FieldErrors errors;
  ResolutionText out;
  for (const auto& [key, value] : body.items())
    if (key != "outcome" && key != "remedies" && key != "language")
      errors.push_back({key, "unknown_field", "is not a field of a final response"});

  if (!body.contains("outcome")) {
    errors.push_back({"outcome", "required", "say what was found and done"});
  } else {
    const json& v = body["outcome"];
    const auto length = v.is_string() ? utf8_length(v.get_ref<const std::string&>()) : std::nullopt;
    if (!length || *length == 0 || *length > kMaxOutcomeChars ||
        v.get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
      errors.push_back({"outcome", "invalid", fmt::format("must be text of 1 to {} characters", kMaxOutcomeChars)});
    else
      out.outcome = v.get<std::string>();
  }

  if (!body.contains("remedies")) {
    errors.push_back({"remedies", "required", "list what the customer is given (or [{\"kind\": \"none\"}])"});
  } else if (auto remedies = parse_remedies(body["remedies"]); !remedies) {
    errors.push_back({"remedies", "invalid", remedies.error()});
  } else {
    out.remedies = std::move(remedies.value());
  }

  if (body.contains("language")) {
    const json& v = body["language"];
    if (!v.is_string() ||
        std::find(kLetterLanguages.begin(), kLetterLanguages.end(), v.get<std::string>()) == kLetterLanguages.end())
      errors.push_back({"language", "invalid", "must be en or cy"});
    else
      out.language = v.get<std::string>();
  }
  if (!errors.empty()) return errors;
  return out;
}

// ---- Templates -------------------------------------------------------------------------
struct LetterTemplates::Impl {
  ctemplate::TemplateCache cache;  // frozen after loading: expansion only reads it
};

LetterTemplates::LetterTemplates(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LetterTemplates::LetterTemplates(LetterTemplates&&) noexcept = default;
LetterTemplates& LetterTemplates::operator=(LetterTemplates&&) noexcept = default;
LetterTemplates::~LetterTemplates() = default;

Result<LetterTemplates> LetterTemplates::load(const std::filesystem::path& dir) {
  auto impl = std::make_unique<Impl>();
  for (std::string_view language : kLetterLanguages) {
    for (std::string_view kind : {"txt", "html"}) {
      const std::string name = template_name(language, kind);
      const std::filesystem::path file = dir / name;
      std::ifstream in(file, std::ios::binary);
      if (!in) return Error{Errc::invalid, fmt::format("final-response template {} cannot be read", file.string())};
      std::stringstream text;
      text << in.rdbuf();
      // Kept exactly as written (DO_NOT_STRIP): the letter's line breaks are the template's.
      if (!impl->cache.StringToTemplateCache(name, text.str(), ctemplate::DO_NOT_STRIP))
        return Error{Errc::invalid, fmt::format("final-response template {} does not parse", file.string())};
    }
  }
  impl->cache.Freeze();
  return LetterTemplates(std::move(impl));
}

FinalLetter LetterTemplates::render(const FinalResponseFacts& f) const {
  ctemplate::TemplateDictionary d("final_response");
  d.SetValue("LANG", f.language);
  d.SetValue("REFERENCE", f.reference);
  d.SetValue("STORE", f.store_id);
  d.SetValue("COMPLAINED_ON", letter_date_text(f.complained_on, f.language));
  d.SetValue("LETTER_DATE", letter_date_text(f.letter_date, f.language));
  d.SetValue("COMPANY", f.company);
  d.SetValue("SIGNATURE", f.signature);
  if (f.customer_name)
    d.SetValueAndShowSection("NAME", *f.customer_name, "NAMED");
  else
    d.ShowSection("UNNAMED");
  d.SetValue("DESCRIPTION", f.description);
  add_lines(d, "DESCRIPTION_LINE", f.description);
  d.ShowSection("WANTED_" + upper(enum_name(f.desired_outcome)));
  d.SetValue("OUTCOME", f.outcome);
  add_lines(d, "OUTCOME_LINE", f.outcome);
  const bool none =
      std::all_of(f.remedies.begin(), f.remedies.end(), [](const Remedy& r) { return r.kind == Remedy::Kind::none; });
  if (none) {
    d.ShowSection("NO_REMEDY");
  } else {
    d.ShowSection("REMEDIES");
    for (const Remedy& r : f.remedies) {
      if (r.kind == Remedy::Kind::none) continue;
      auto* one = d.AddSectionDictionary("REMEDY");
      one->ShowSection(upper(remedy_name(r.kind)));
      if (r.amount_pence) {
        one->SetValue("AMOUNT", format_pounds(*r.amount_pence));
        one->ShowSection("WITH_AMOUNT");
      }
    }
  }
  d.SetValue("ADR_NAME", f.adr_name);
  if (!f.adr_website.empty()) d.SetValueAndShowSection("ADR_WEBSITE", f.adr_website, "ADR_WEBSITE_GIVEN");
  if (!f.adr_phone.empty()) d.SetValueAndShowSection("ADR_PHONE", f.adr_phone, "ADR_PHONE_GIVEN");
  if (!f.adr_email.empty()) d.SetValueAndShowSection("ADR_EMAIL", f.adr_email, "ADR_EMAIL_GIVEN");
  d.ShowSection(f.adr_we_take_part ? "ADR_WE_TAKE_PART" : "ADR_WE_DO_NOT_TAKE_PART");
  if (f.adr_within_months > 0) d.SetValueAndShowSection("MONTHS", std::to_string(f.adr_within_months), "ADR_WITHIN");
  d.SetValue("ADVICE_NAME", f.advice_name);
  if (!f.advice_phone.empty()) d.SetValueAndShowSection("ADVICE_PHONE", f.advice_phone, "ADVICE_PHONE_GIVEN");
  if (!f.advice_website.empty()) d.SetValueAndShowSection("ADVICE_WEBSITE", f.advice_website, "ADVICE_WEBSITE_GIVEN");
  if (!f.advice_email.empty()) d.SetValueAndShowSection("ADVICE_EMAIL", f.advice_email, "ADVICE_EMAIL_GIVEN");

  FinalLetter letter;
  letter.language = f.language;
  // Loaded and parsed at start, so expansion cannot miss a template.
  impl_->cache.ExpandNoLoad(template_name(f.language, "txt"), ctemplate::DO_NOT_STRIP, &d, nullptr, &letter.text);
  impl_->cache.ExpandNoLoad(template_name(f.language, "html"), ctemplate::DO_NOT_STRIP, &d, nullptr, &letter.html);
  return letter;
}

Result<FinalLetter> make_final_letter(const Workflow& flow, const LetterTemplates& templates,
                                      const StoredRecord& record, const CaseRow& c, const ResolutionText& resolution,
                                      const std::string& author, Timestamp now) {
  auto facts = final_response_facts(flow, record, c, resolution, now);
  if (!facts) return facts.error();
  FinalLetter letter = templates.render(*facts);
  letter.case_id = c.id;
  letter.author = author;
  letter.created_at = now;
  return letter;
}

}  // namespace heed::server
