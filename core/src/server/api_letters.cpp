// HTTP API v1, final responses: a case's letters as sent (text, or a printable
// HTML page), the list of them, and a preview of the letter a resolution would
// send (nothing stored).
//
// A letter names the customer and quotes their words, so only users who may see
// the case's contact details (access.hpp: sees_contact) read or preview one, and
// every read and preview is an audit row: who, which case and letter, never the
// letter's content. A case outside the caller's scope is "no such case".
#include <spdlog/spdlog.h>

#include <charconv>

#include "case_file.hpp"
#include "heed/server/access.hpp"
#include "heed/server/final_response.hpp"

namespace heed::server::detail {

namespace {

// The page is ours and static: no script, no outside resource, no framing.
constexpr const char* kLetterPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// The case for a letter route, or nullopt with the answer sent: 404 when unknown
// or outside the caller's scope, 403 when the caller may not see the customer's details.
std::optional<CaseRow> letter_case(ServerContext& ctx, const Request& req, Response& res, const User& user) {
  auto found = case_in_sight(ctx, req, res, user);
  if (found && !sees_contact(user, *found, ctx.workflow)) {
    send_error(res, 403, "forbidden", "a final response names the customer: it needs a user who works this case");
    return std::nullopt;
  }
  return found;
}

void audit_letter(ServerContext& ctx, const User& user, std::string_view action, const json& detail) {
  if (auto r = ctx.storage().audit(ctx.now(), user.username, std::string(action), dump(detail)); !r)
    spdlog::error("auditing {} failed: {}", action, r.error().message);
}

json letter_summary(const FinalLetter& l) {
  return {{"id", l.id}, {"created_at", format_timestamp(l.created_at)}, {"author", l.author}, {"language", l.language}};
}

// GET /api/v1/cases/{id}/final-response[?format=html][&letter=ID]
void get_final_response(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  const std::string format = param(req, "format").value_or("text");
  if (format != "text" && format != "html")
    return send_field_errors(res, 400, "invalid_request", {{"format", "invalid", "must be text or html"}});
  std::optional<std::int64_t> wanted;
  if (auto text = param(req, "letter"); text && !text->empty()) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < 1)
      return send_field_errors(res, 400, "invalid_request", {{"letter", "invalid", "must be a letter's id"}});
    wanted = n;
  }
  auto c = letter_case(ctx, req, res, *who->user);
  if (!c) return;
  auto letters = ctx.storage().final_letters(c->id);
  if (!letters) return send_storage_error(res, letters.error(), "reading a case's final responses");
  const FinalLetter* letter = nullptr;
  for (const auto& l : *letters)
    if (!wanted || l.id == *wanted) letter = &l;  // the latest, or the one asked for
  if (!letter) return send_error(res, 404, "not_found", "this case has sent no such final response");
  audit_letter(ctx, *who->user, "final_response.read",
               {{"case_id", c->id}, {"letter_id", letter->id}, {"format", format}});
  res.set_header("Cache-Control", "no-store");
  if (format == "html") {
    res.set_header("Content-Security-Policy", kLetterPolicy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(letter->html, "text/html; charset=utf-8");
  } else {
    res.set_content(letter->text, "text/plain; charset=utf-8");
  }
  res.status = 200;
}

// GET /api/v1/cases/{id}/final-responses: who sent which letter when, in which language.
void list_final_responses(ServerContext& ctx, const Request& req, Response& res) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return;
  auto c = letter_case(ctx, req, res, *who->user);
  if (!c) return;
  auto letters = ctx.storage().final_letters(c->id);
  if (!letters) return send_storage_error(res, letters.error(), "reading a case's final responses");
  json list = json::array();
  for (const auto& l : *letters) list.push_back(letter_summary(l));
  send_json(res, 200, json{{"case_id", c->id}, {"letters", list}});
}

// POST /api/v1/cases/{id}/final-response/preview {outcome, remedies, language?}
void preview_final_response(ServerContext& ctx, const Request& req, Response& res, const ContentReader& reader) {
  auto who = authenticate(ctx, req, res, Accept::user);
  if (!who) return refuse_body(req, res, reader);
  auto body = json_body(ctx, req, res, reader, ctx.options.max_small_body);
  if (!body) return;
  auto resolution = parse_resolution_text(*body);
  if (!resolution) return send_field_errors(res, 400, "invalid_request", resolution.error());
  auto c = letter_case(ctx, req, res, *who->user);
  if (!c) return;
  if (c->type != CaseType::complaint)
    return send_error(res, 409, "conflict", "only a complaint's case sends a final response");
  auto record = ctx.storage().record_by_id(c->record_id);
  if (!record) return send_storage_error(res, record.error(), "reading a case's record");
  if (!*record) return send_error(res, 409, "conflict", "the case's complaint is not stored");
  auto letter = make_final_letter(ctx.workflow, ctx.letters, **record, *c, *resolution, who->user->username, ctx.now());
  if (!letter) return send_error(res, 409, "conflict", letter.error().message);
  audit_letter(ctx, *who->user, "final_response.preview", {{"case_id", c->id}, {"language", letter->language}});
  res.set_header("Cache-Control", "no-store");
  send_json(res, 200, json{{"language", letter->language}, {"text", letter->text}, {"html", letter->html}});
}

}  // namespace

void install_letter_routes(httplib::Server& http, ServerContext& ctx) {
  ServerContext* c = &ctx;
  http.Get(R"(/api/v1/cases/(\d{1,18})/final-response)",
           [c](const Request& req, Response& res) { get_final_response(*c, req, res); });
  http.Get(R"(/api/v1/cases/(\d{1,18})/final-responses)",
           [c](const Request& req, Response& res) { list_final_responses(*c, req, res); });
  http.Post(
      R"(/api/v1/cases/(\d{1,18})/final-response/preview)",
      [c](const Request& req, Response& res, const ContentReader& r) { preview_final_response(*c, req, res, r); });
}

}  // namespace heed::server::detail
