// Email through an SMTP relay (libcurl): the MIME message a digest is sent as,
// and one blocking send.
//
// The message is multipart/alternative (text/plain, then text/html), both parts
// UTF-8 in base64, with Date, Message-ID, MIME-Version and an RFC 2047 encoded
// Subject; lines end in CRLF. libcurl dot-stuffs the body on the wire.
// Invariants: no header value carries CR or LF (addresses are checked, the
// subject is encoded), so nothing a user typed can add a header.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "heed/result.hpp"
#include "heed/time.hpp"

namespace heed::server {

struct SmtpSettings {
  std::string url;   // smtp://host[:port] (STARTTLS per `tls`) or smtps://host[:port] (TLS from the start); empty: no relay
  std::string from;  // the envelope and From address, e.g. heed@example.co.uk
  std::string from_name = "Heed";  // shown beside it
  std::string username, password;  // AUTH when the username is given
  // "try": STARTTLS when the relay offers it (the default); "required": refuse a
  // relay without it; "none": never (a relay on loopback).
  std::string tls = "try";
  std::chrono::seconds timeout{30};  // connecting, and the whole exchange
  bool configured() const { return !url.empty(); }
};

struct MailMessage {
  std::vector<std::string> to;  // addresses (is_valid_email)
  std::string subject;          // UTF-8
  std::string text, html;       // the two alternatives
  std::string message_id;       // without <>: unique per message, the same on every attempt
  Timestamp date{};
};

// An address fit for SMTP and a header: is_valid_email, without CR, LF, <, >, ",", quotes or spaces.
bool is_mail_address(std::string_view address);

// RFC 5322 date: "Mon, 30 Nov 2026 07:00:00 +0000".
std::string rfc5322_date(Timestamp t);
// A header value as one RFC 2047 encoded word per chunk when it is not plain ASCII.
std::string encode_header_words(std::string_view text);
// The whole message, headers and body, CRLF line endings.
std::string mime_message(const SmtpSettings& smtp, const MailMessage& message);

// Sends through the relay; the error says what the relay or libcurl said.
Result<void> send_mail(const SmtpSettings& smtp, const MailMessage& message);

// Once per process, before any thread sends (HeedServer::start calls it).
void smtp_global_init();

}  // namespace heed::server
