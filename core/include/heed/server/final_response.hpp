// A complaint's final response: the facts a letter needs, gathered from the
// stored complaint, its case and the resolution, and the letter made from them
// with the templates in assets/letters/ (Google ctemplate), as plain text and as
// a printable HTML page.
//
// Invariants:
// - Every word the customer or staff wrote reaches the HTML only through the
//   template's HTML auto-escaping; the page carries no script.
// - The letter says it is the final response, where the customer can go next
//   (the rules' ADR body and free advice) and that statutory rights are not
//   affected: the templates say it, and the golden tests keep them saying it.
// - Language: an explicit choice, else Welsh when the complaint's adjustments
//   ask for Welsh ("cy"), else English.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "heed/model.hpp"
#include "heed/result.hpp"
#include "heed/server/storage.hpp"
#include "heed/server/workflow.hpp"

namespace heed::server {

// The languages a final response is written in.
inline constexpr std::array<std::string_view, 2> kLetterLanguages{"en", "cy"};

// What the resolution says, as the resolve action or the preview sends it.
struct ResolutionText {
  std::string outcome;                  // what was found and done, in words
  std::vector<Remedy> remedies;         // what the customer is given
  std::optional<std::string> language;  // "en" or "cy"; none: from the complaint
};

// Everything a letter says, already in its language.
struct FinalResponseFacts {
  std::string language = "en";
  std::string reference;
  std::string store_id;
  Date complained_on{};                      // the complaint's local date
  std::optional<std::string> customer_name;  // none: a neutral greeting
  std::string description;                   // the customer's words
  DesiredOutcome desired_outcome = DesiredOutcome::other;
  std::string outcome;  // what was found
  std::vector<Remedy> remedies;
  std::string signature;
  std::string company;
  Date letter_date{};
  // Where to go next.
  std::string adr_name, adr_website, adr_phone, adr_email;
  bool adr_we_take_part = true;
  int adr_within_months = 0;  // 0: unsaid
  std::string advice_name, advice_phone, advice_website, advice_email;
};

// The language of a complaint's letter: `requested` when given, else "cy" when
// its adjustments ask for Welsh, else "en".
std::string letter_language(const Complaint& complaint, const std::optional<std::string>& requested);

// The facts from a stored complaint (its wire JSON), its case and the
// resolution, dated `now` in the chain's zone. invalid when the record is not a
// complaint or the language is not one of kLetterLanguages.
Result<FinalResponseFacts> final_response_facts(const Workflow& flow, const StoredRecord& record, const CaseRow& c,
                                                const ResolutionText& resolution, Timestamp now);

// "£1,234.50".
std::string format_pounds(std::int64_t pence);

// Reads {"outcome", "remedies": [{"kind", "amount_pence"?}], "language"?}; errors
// name the field. Goodwill needs an amount, refund and price reduction may have
// one, the others take none; "none" stands alone.
Result<ResolutionText, FieldErrors> parse_resolution_text(const nlohmann::json& body);

// The letters' templates, read and parsed once (at server start); rendering is
// then safe from any thread.
class LetterTemplates {
 public:
  // Reads final_response.<lang>.txt.tpl and .html.tpl for each language from
  // `dir`; an error names the missing or broken file.
  static Result<LetterTemplates> load(const std::filesystem::path& dir);
  LetterTemplates(LetterTemplates&&) noexcept;
  LetterTemplates& operator=(LetterTemplates&&) noexcept;
  ~LetterTemplates();

  // The letter's language, text and HTML (a FinalLetter's; id, case, author and
  // time are the caller's).
  FinalLetter render(const FinalResponseFacts& facts) const;

 private:
  struct Impl;
  explicit LetterTemplates(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The whole step for the resolve action: facts, then the letter, by `author` at `now`.
Result<FinalLetter> make_final_letter(const Workflow& flow, const LetterTemplates& templates,
                                      const StoredRecord& record, const CaseRow& c, const ResolutionText& resolution,
                                      const std::string& author, Timestamp now);

}  // namespace heed::server
