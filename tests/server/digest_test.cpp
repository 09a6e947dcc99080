// The KPI digest without sockets: its periods in the chain's zone, the report's
// words and figures against hand-computed ones, its escaping, and the MIME
// message it is mailed as.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "heed/server/digest.hpp"
#include "heed/server/smtp.hpp"
#include "heed/server/workflow.hpp"

namespace heed::server {
namespace {

std::int64_t day_of(const char* date) { return Workflow::day_number(*parse_date(date)); }
Timestamp at(const char* text) { return *parse_timestamp(text); }

Workflow rules() {
  return Workflow::load(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
}

// A week with every figure worked out by hand (see each CHECK).
DigestReport hand_made_week() {
  DigestReport r;
  r.period = DigestPeriod::week;
  r.days = {day_of("2026-11-23"), day_of("2026-11-29")};
  r.previous_days = previous_period(r.days);
  r.scope = "<script>alert(1)</script> & \"Co\" area";
  r.min_sample = 10;
  KpiCounts& a = r.current;
  a.nps_count = 20, a.promoters = 12, a.passives = 4, a.detractors = 4;  // 60 % - 20 % = +40
  a.csat_count = 10, a.csat_sum = 42, a.csat_satisfied = 8;            // 4.20; 80.0 %
  a.complaints = 12, a.resolved_first_contact = 3;                       // 25.0 %
  a.ack_due_or_done = 10, a.ack_on_time = 9;                             // 90.0 %
  a.feedback = 40;                                                       // 12 / 40 x 1,000 = 300.0
  KpiCounts& b = r.previous;
  b.nps_count = 20, b.promoters = 10, b.passives = 5, b.detractors = 5;  // 50 % - 25 % = +25
  b.csat_count = 10, b.csat_sum = 40, b.csat_satisfied = 7;            // 4.00; 70.0 %
  b.complaints = 4, b.resolved_first_contact = 4;                        // under 10: no comparison
  b.ack_due_or_done = 10, b.ack_on_time = 10;                            // 100.0 %
  b.feedback = 50;                                                       // 4 / 50 x 1,000 = 80.0
  r.counts.ack_breaches = 1, r.counts.resolve_breaches = 2, r.counts.breached_cases = 2;
  r.counts.complaints_resolved = 5;
  r.counts.root_causes = {{"staff_training", 3}, {"product_quality", 1}};
  return r;
}

TEST_CASE("digest periods: a day, a Monday-Sunday week, and the last one over") {
  CHECK(digest_days(DigestPeriod::day, day_of("2026-11-25")) == DayRange{day_of("2026-11-25"), day_of("2026-11-25")});
  CHECK(digest_days(DigestPeriod::week, day_of("2026-11-25")) ==
        DayRange{day_of("2026-11-23"), day_of("2026-11-29")});  // Wednesday: its Monday to Sunday
  CHECK(digest_days(DigestPeriod::week, day_of("2026-11-29")) == DayRange{day_of("2026-11-23"), day_of("2026-11-29")});
  CHECK(digest_days(DigestPeriod::week, day_of("2026-11-30")) == DayRange{day_of("2026-11-30"), day_of("2026-12-06")});
  CHECK(last_complete_period(DigestPeriod::day, day_of("2026-12-01")) ==
        DayRange{day_of("2026-11-30"), day_of("2026-11-30")});
  CHECK(last_complete_period(DigestPeriod::week, day_of("2026-11-30")) ==
        DayRange{day_of("2026-11-23"), day_of("2026-11-29")});
  CHECK(last_complete_period(DigestPeriod::week, day_of("2026-12-06")) ==
        DayRange{day_of("2026-11-23"), day_of("2026-11-29")});
  CHECK(uk_period({day_of("2026-11-23"), day_of("2026-11-29")}) == "Monday 23 November to Sunday 29 November 2026");
  CHECK(uk_period({day_of("2026-12-28"), day_of("2027-01-03")}) == "Monday 28 December 2026 to Sunday 3 January 2027");
  CHECK(uk_period({day_of("2026-11-25"), day_of("2026-11-25")}) == "Wednesday 25 November 2026");
}

TEST_CASE("digest periods: due at the send hour in the chain's zone, owed only after subscribing") {
  const Workflow flow = rules();
  const DayRange week{day_of("2026-11-23"), day_of("2026-11-29")};
  CHECK(digest_due_at(flow, week, 7) == at("2026-11-30T07:00:00Z"));  // GMT in November
  const DayRange summer{day_of("2026-06-29"), day_of("2026-07-05")};
  CHECK(digest_due_at(flow, summer, 7) == at("2026-07-06T06:00:00Z"));  // 07:00 BST

  const Timestamp since = at("2026-11-23T10:00:00Z");
  CHECK(digests_owed(flow, DigestPeriod::week, since, at("2026-11-30T06:59:59Z"), 7, 4).empty());
  CHECK(digests_owed(flow, DigestPeriod::week, since, at("2026-11-30T07:00:00Z"), 7, 4) ==
        std::vector<std::int64_t>{day_of("2026-11-23")});
  // Two weeks later, after downtime: both weeks, newest first.
  CHECK(digests_owed(flow, DigestPeriod::week, since, at("2026-12-08T12:00:00Z"), 7, 4) ==
        std::vector<std::int64_t>{day_of("2026-11-30"), day_of("2026-11-23")});
  // Daily: the 23rd's was due on the 24th at 07:00, after subscribing; the 22nd's before.
  CHECK(digests_owed(flow, DigestPeriod::day, since, at("2026-11-25T08:00:00Z"), 7, 7) ==
        std::vector<std::int64_t>{day_of("2026-11-24"), day_of("2026-11-23")});
  CHECK(digests_owed(flow, DigestPeriod::day, since, at("2026-12-25T08:00:00Z"), 7, 7).size() == 7);  // bounded
}

TEST_CASE("the digest's figures, sample sizes and changes, in words") {
  const DigestReport r = hand_made_week();
  const std::string text = render_digest_text(r);
  INFO(text);
  // NPS margin of error: p = 0.6, d = 0.2, variance 0.8 - 0.4^2 = 0.64, so
  // 1.96 x sqrt(0.64 / 20) x 100 = 35.06 -> 35.1 points.
  CHECK(text.find("- Net Promoter Score (NPS): +40 \u00b1 35.1 (from 20 answers). Up 15 points on the week before "
                  "(+25)") != std::string::npos);
  CHECK(text.find("- Customer satisfaction (CSAT), average out of 5: 4.20 (from 10 answers). Up 0.20 on the week "
                  "before (4.00)") != std::string::npos);
  CHECK(text.find("- Satisfied customers (CSAT 4 or 5): 80.0% (from 10 answers). Up 10.0 percentage points on the "
                  "week before (70.0%)") != std::string::npos);
  CHECK(text.find("- Complaints resolved at first contact (FCR): 25.0% (from 12 complaints). No figure for the week "
                  "before") != std::string::npos);
  CHECK(text.find("- Acknowledged on time: 90.0% (from 10 cases due). Down 10.0 percentage points on the week before "
                  "(100.0%)") != std::string::npos);
  CHECK(text.find("- Resolved on time: No figure (from 0 cases due)") != std::string::npos);
  CHECK(text.find("- Complaints per 1,000 responses: 300.0 (12 complaints and 40 responses). Up 220.0 on the week "
                  "before (80.0)") != std::string::npos);
  CHECK(text.find("3 deadlines were missed in 2 cases: 1 acknowledgement and 2 resolutions.") != std::string::npos);
  CHECK(text.find("5 complaints were resolved this week.") != std::string::npos);
  CHECK(text.find("- Staff training: 3 (60.0%)") != std::string::npos);
  CHECK(text.find("- Product quality: 1 (20.0%)") != std::string::npos);
  CHECK(digest_subject(r) ==
        "Heed weekly digest: <script>alert(1)</script> & \"Co\" area, Monday 23 November to Sunday 29 November 2026");
}

TEST_CASE("a figure from too small a sample is not shown") {
  DigestReport r = hand_made_week();
  r.current.csat_count = 9, r.current.csat_sum = 36, r.current.csat_satisfied = 7;
  const std::string text = render_digest_text(r);
  CHECK(text.find("- Customer satisfaction (CSAT), average out of 5: Too few to show (from 9 answers)\n") !=
        std::string::npos);
  CHECK(text.find("4.00") == std::string::npos);
}

TEST_CASE("the digest's HTML escapes every name and has inline style only") {
  const DigestReport r = hand_made_week();
  const std::string html = render_digest_html(r);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; area") != std::string::npos);
  CHECK(html.find("<style") == std::string::npos);  // email: inline style attributes only
  CHECK(html.find("<td style=\"padding: 6px 8px; border-bottom: 1px solid #b1b4b6; vertical-align: top; "
                  "font-weight: bold; white-space: nowrap;\">+40 \u00b1 35.1</td>") != std::string::npos);
  CHECK(html.find(">Staff training</th>") != std::string::npos);
  CHECK(html.find("Monday 23 November to Sunday 29 November 2026") != std::string::npos);
  const std::string page = render_digest_html(r, /*printable=*/true);
  CHECK(page.find("@media print") != std::string::npos);
  CHECK(html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST_CASE("root causes have plain-English labels") {
  for (std::string_view cause : kRootCauses) CHECK(root_cause_label(cause) != "Another cause");
  CHECK(root_cause_label("pricing_error") == "Pricing errors");
  CHECK(root_cause_label("nonsense") == "Another cause");
}

TEST_CASE("the digest's MIME message: headers, encoded subject, two base64 parts, CRLF only") {
  SmtpSettings smtp;
  smtp.url = "smtp://relay.invalid";
  smtp.from = "heed@example.co.uk";
  MailMessage m;
  m.to = {"dora@example.co.uk"};
  m.subject = "Heed weekly digest: Caerdydd \u2014 ŵ";
  m.text = "plain";
  m.html = "<p>html</p>";
  m.message_id = "heed-digest.week.2026-11-23.u3@example.co.uk";
  m.date = at("2026-11-30T07:00:05Z");
  const std::string msg = mime_message(smtp, m);
  INFO(msg);
  CHECK(msg.find("Date: Mon, 30 Nov 2026 07:00:05 +0000\r\n") == 0);
  CHECK(msg.find("\r\nFrom: Heed <heed@example.co.uk>\r\n") != std::string::npos);
  CHECK(msg.find("\r\nTo: dora@example.co.uk\r\n") != std::string::npos);
  CHECK(msg.find("\r\nSubject: =?UTF-8?B?") != std::string::npos);
  CHECK(msg.find("\r\nMessage-ID: <heed-digest.week.2026-11-23.u3@example.co.uk>\r\n") != std::string::npos);
  CHECK(msg.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(msg.find("Content-Type: multipart/alternative; boundary=") != std::string::npos);
  CHECK(msg.find("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\ncGxhaW4=\r\n") !=
        std::string::npos);
  CHECK(msg.find("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                 "PHA+aHRtbDwvcD4=\r\n") != std::string::npos);
  CHECK(msg.find("text/plain") < msg.find("text/html"));  // the richer part last
  for (std::size_t i = 0; i < msg.size(); ++i)
    if (msg[i] == '\n') CHECK((i > 0 && msg[i - 1] == '\r'));
  CHECK(encode_header_words("plain ascii") == "plain ascii");
  CHECK(encode_header_words("£5") == "=?UTF-8?B?wqM1?=");
  CHECK(rfc5322_date(at("2027-01-03T23:59:59Z")) == "Sun, 03 Jan 2027 23:59:59 +0000");
  CHECK_FALSE(is_mail_address("dora@example.co.uk\r\nBcc: x@evil.example"));
  CHECK_FALSE(is_mail_address("Dora <dora@example.co.uk>"));
  CHECK(is_mail_address("dora.smith+digest@example.co.uk"));
}

}  // namespace
}  // namespace heed::server
