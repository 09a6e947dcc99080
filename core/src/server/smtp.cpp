// Email through an SMTP relay with libcurl (see smtp.hpp).
#include "heed/server/smtp.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>

#include "heed/validation.hpp"

namespace heed::server {

namespace {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Base64 in lines of 76 characters (RFC 2045), each ending in CRLF.
std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

bool plain_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

}  // namespace

bool is_mail_address(std::string_view address) {
  return is_valid_email(address) && address.find_first_of(" \t\r\n<>,\"()") == std::string_view::npos;
}

std::string rfc5322_date(Timestamp t) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[std::chrono::weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

std::string encode_header_words(std::string_view text) {
  if (plain_ascii(text) && text.size() <= 900) return std::string(text);
  // Encoded words of at most 75 characters: 45 bytes of UTF-8 each (60 in
  // base64), never splitting a character.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string mime_message(const SmtpSettings& smtp, const MailMessage& m) {
  // The boundary is made from the message id: never inside base64 text (it has a "=_").
  const std::string boundary = "=_heed_" + base64(m.message_id).substr(0, 24);
  std::string to;
  for (const auto& address : m.to) to += (to.empty() ? "" : ", ") + address;
  std::string msg;
  msg += "Date: " + rfc5322_date(m.date) + "\r\n";
  msg += fmt::format("From: {} <{}>\r\n", encode_header_words(smtp.from_name), smtp.from);
  msg += "To: " + to + "\r\n";
  msg += "Subject: " + encode_header_words(m.subject) + "\r\n";
  msg += fmt::format("Message-ID: <{}>\r\n", m.message_id);
  msg += "MIME-Version: 1.0\r\n";
  msg += "Auto-Submitted: auto-generated\r\n";
  msg += fmt::format("Content-Type: multipart/alternative; boundary=\"{}\"\r\n", boundary);
  msg += "\r\n";
  msg += "This is a message in MIME format: a text part and an HTML part.\r\n";
  for (const auto& [type, body] : {std::pair{"text/plain", &m.text}, std::pair{"text/html", &m.html}}) {
    msg += fmt::format("\r\n--{}\r\n", boundary);
    msg += fmt::format("Content-Type: {}; charset=utf-8\r\n", type);
    msg += "Content-Transfer-Encoding: base64\r\n\r\n";
    msg += base64_lines(*body);
  }
  msg += fmt::format("\r\n--{}--\r\n", boundary);
  return msg;
}

void smtp_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<void> send_mail(const SmtpSettings& smtp, const MailMessage& message) {
  if (!smtp.configured()) return Error{Errc::invalid, "no SMTP relay is configured"};
  if (message.to.empty()) return Error{Errc::invalid, "a message needs a recipient"};
  for (const auto& address : message.to)
    if (!is_mail_address(address)) return Error{Errc::invalid, "a recipient is not an email address"};
  smtp_global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error{Errc::io, "libcurl could not start"};
  struct Source {
    std::string data;
    std::size_t sent = 0;
  } source{mime_message(smtp, message), 0};
  auto read = +[](char* buffer, std::size_t size, std::size_t count, void* user) -> std::size_t {
    auto* s = static_cast<Source*>(user);
    const std::size_t n = std::min(size * count, s->data.size() - s->sent);
    std::memcpy(buffer, s->data.data() + s->sent, n);
    s->sent += n;
    return n;
  };
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(nullptr, curl_slist_free_all);
  for (const auto& address : message.to) {
    curl_slist* next = curl_slist_append(recipients.get(), ("<" + address + ">").c_str());
    if (!next) return Error{Errc::io, "out of memory"};
    (void)recipients.release();
    recipients.reset(next);
  }
  std::array<char, CURL_ERROR_SIZE> detail{};
  CURL* c = curl.get();
  const std::string from = "<" + smtp.from + ">";
  curl_easy_setopt(c, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read);
  curl_easy_setopt(c, CURLOPT_READDATA, &source);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail.data());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(smtp.timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(smtp.timeout.count() * 2));
  const long use_ssl = smtp.tls == "required" ? CURLUSESSL_ALL : smtp.tls == "none" ? CURLUSESSL_NONE : CURLUSESSL_TRY;
  curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  if (!smtp.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, smtp.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    std::string text = detail[0] ? detail.data() : curl_easy_strerror(rc);
    if (reply > 0) text += fmt::format(" (the relay's last reply: {})", reply);
    return Error{Errc::io, text};
  }
  return Ok{};
}

}  // namespace heed::server
