// The kiosk flow without a window: order, skip, back, consent, idle, misuse,
// and the record saved (in a real device store) before the thanks step.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "heed/device_store.hpp"
#include "heed/kiosk_flow.hpp"
#include "heed/validation.hpp"
#include "temp_dir.hpp"

using namespace heed;
using namespace std::chrono_literals;
using Clock = KioskFlow::Clock;

namespace {

QuestionSet full_set() {
  QuestionSet set;
  set.touchpoint = "checkout";
  set.questions = {Question::csat, Question::nps, Question::comment, Question::callback};
  set.text["en"] = {{"touchpoint_name", "Checkout"},
                    {"csat", "How was your visit?"},
                    {"nps", "Recommend us?"},
                    {"comment", "Anything else?"},
                    {"callback", "Shall we call you?"}};
  set.text["cy"] = {{"csat", "Sut oedd eich ymweliad?"}};
  return set;
}

KioskSettings settings() {
  KioskSettings s;
  s.store_id = "MCR-01";
  s.device_id = "dev-7f3a";
  s.languages = {"en", "cy", "pl"};
  s.idle = IdleTimeouts{30s, 15s};
  return s;
}

// A flow over a real store in a temp dir.
struct Rig {
  test::TempDir dir;
  DeviceStore store = std::move(DeviceStore::open(dir / "device.db").value());
  std::vector<Feedback> saved;
  bool fail_saves = false;
  Clock::time_point t0 = Clock::time_point{} + 1000h;
  KioskFlow flow{full_set(), settings(), [this](const Record& r) -> Result<void> {
                   if (fail_saves) return Error{Errc::io, "disk full"};
                   auto result = store.save(r);
                   if (result) saved.push_back(std::get<Feedback>(r));
                   return result;
                 }};
  Clock::time_point at(std::chrono::seconds s) const { return t0 + s; }
};

}  // namespace

TEST_CASE("the whole flow saves one record, durably, before the thanks step") {
  Rig rig;
  auto& flow = rig.flow;
  CHECK(flow.step() == KioskStep::welcome);
  flow.start(rig.at(1s));
  CHECK(flow.step() == KioskStep::csat);
  CHECK(flow.question_number() == 1);
  CHECK(flow.question_count() == 4);
  flow.rate_csat(4, rig.at(2s));
  CHECK(flow.step() == KioskStep::nps);
  flow.rate_nps(9, rig.at(3s));
  CHECK(flow.step() == KioskStep::comment);
  flow.edit_comment("  Lovely staff  ", rig.at(4s));
  flow.next(rig.at(5s));
  CHECK(flow.step() == KioskStep::callback);
  CHECK_FALSE(flow.consent());  // starts unticked
  flow.next(rig.at(6s));
  CHECK(flow.step() == KioskStep::thanks);

  REQUIRE(rig.saved.size() == 1);
  const auto& f = rig.saved.front();
  CHECK(f.csat == 4);
  CHECK(f.nps == 9);
  CHECK(f.comment == "Lovely staff");
  CHECK(f.language == "en");
  CHECK(f.touchpoint == "checkout");
  CHECK_FALSE(f.contact);
  CHECK_FALSE(f.suspected_misuse);
  CHECK(rig.store.outbox_stats()->pending == 1);
  CHECK(rig.store.load_record(f.header.id) == Record{f});
}

TEST_CASE("nothing of the last customer remains once thanks ends") {
  Rig rig;
  auto& flow = rig.flow;
  flow.choose_language("cy", rig.at(0s));
  flow.set_preferences({true, true, false}, rig.at(0s));
  flow.start(rig.at(1s));
  flow.rate_csat(2, rig.at(2s));
  flow.rate_nps(3, rig.at(3s));
  flow.edit_comment("Queue too long", rig.at(4s));
  flow.next(rig.at(5s));
  flow.set_consent(true, rig.at(6s));
  flow.edit_contact(ContactField::email, "ffion@example.co.uk", rig.at(7s));
  flow.next(rig.at(8s));
  REQUIRE(flow.step() == KioskStep::thanks);
  // Answers are gone already; language and layout stay for the thank-you.
  CHECK_FALSE(flow.csat());
  CHECK(flow.comment().empty());
  CHECK(flow.contact(ContactField::email).empty());
  CHECK(flow.language() == "cy");
  CHECK(flow.preferences().high_contrast);

  CHECK_FALSE(flow.tick(rig.at(13s)));
  CHECK(flow.tick(rig.at(14s)));  // thanks_for = 6 s
  CHECK(flow.step() == KioskStep::welcome);
  CHECK(flow.language() == "en");
  CHECK(flow.preferences() == KioskPreferences{});
  CHECK_FALSE(flow.consent());
}

TEST_CASE("skip paths: comment and call-back skipped save ratings only") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(5, rig.at(1s));
  flow.rate_nps(10, rig.at(2s));
  flow.edit_comment("half a thought", rig.at(3s));
  CHECK(flow.can_skip());
  flow.skip(rig.at(4s));
  CHECK(flow.step() == KioskStep::callback);
  flow.set_consent(true, rig.at(5s));
  flow.edit_contact(ContactField::phone, "07700 900123", rig.at(6s));
  flow.skip(rig.at(7s));
  REQUIRE(rig.saved.size() == 1);
  CHECK_FALSE(rig.saved[0].comment);
  CHECK_FALSE(rig.saved[0].contact);
}

TEST_CASE("rating steps cannot be skipped or passed without a rating") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  CHECK_FALSE(flow.can_skip());
  flow.skip(rig.at(1s));
  flow.next(rig.at(1s));
  CHECK(flow.step() == KioskStep::csat);
  flow.rate_csat(9, rig.at(1s));  // out of range: ignored
  CHECK(flow.step() == KioskStep::csat);
}

TEST_CASE("back navigation keeps earlier answers and leaves from the first question") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(3, rig.at(1s));
  flow.rate_nps(6, rig.at(2s));
  flow.back(rig.at(3s));
  CHECK(flow.step() == KioskStep::nps);
  CHECK(flow.nps() == 6);
  flow.back(rig.at(4s));
  CHECK(flow.step() == KioskStep::csat);
  CHECK(flow.csat() == 3);
  flow.rate_csat(5, rig.at(5s));  // a changed mind counts
  flow.back(rig.at(6s));
  flow.back(rig.at(7s));
  CHECK(flow.step() == KioskStep::welcome);
  CHECK_FALSE(flow.csat());  // leaving the first question ends the session
  flow.back(rig.at(8s));
  CHECK(flow.step() == KioskStep::welcome);
  CHECK(rig.saved.empty());
}

namespace {

// Every trace of a customer is gone: what the welcome step must always be.
void check_fresh(const KioskFlow& flow) {
  CHECK(flow.step() == KioskStep::welcome);
  CHECK_FALSE(flow.csat());
  CHECK_FALSE(flow.nps());
  CHECK(flow.comment().empty());
  CHECK_FALSE(flow.consent());
  for (auto field : {ContactField::name, ContactField::email, ContactField::phone}) CHECK(flow.contact(field).empty());
  CHECK(flow.contact_errors().empty());
  CHECK(flow.save_error().empty());
  CHECK_FALSE(flow.privacy_notice_open());
  CHECK(flow.language() == "en");
  CHECK(flow.preferences() == KioskPreferences{});
}

// A Polish customer with larger text and the lowered layout, all answered up to
// the call-back step with consent, a name and an email typed.
void customer_at_callback(KioskFlow& flow, Clock::time_point at) {
  flow.choose_language("pl", at);
  flow.set_preferences({.high_contrast = true, .large_text = true, .lowered = true}, at);
  flow.start(at);
  flow.rate_csat(1, at);
  flow.rate_nps(1, at);
  flow.edit_comment("secret", at);
  flow.next(at);
  flow.set_consent(true, at);
  flow.edit_contact(ContactField::name, "Alice", at);
  flow.edit_contact(ContactField::email, "alice@example.com", at);
  REQUIRE(flow.step() == KioskStep::callback);
}

}  // namespace

TEST_CASE("Back to the welcome screen ends the session: the next customer gets none of it") {
  // Issue 11: answers, comment, consent and email came back after Back x4 and Start.
  Rig rig;
  auto& flow = rig.flow;
  customer_at_callback(flow, rig.at(0s));
  for (int i = 0; i < 4; ++i) flow.back(rig.at(1s));
  check_fresh(flow);
  CHECK_FALSE(flow.next_deadline(rig.at(2s)));  // nothing left to time out

  // The next customer, 90 s later.
  flow.start(rig.at(91s));
  CHECK(flow.step() == KioskStep::csat);
  CHECK_FALSE(flow.csat());
  flow.next(rig.at(92s));
  CHECK(flow.step() == KioskStep::csat);  // no earlier rating to pass on
  flow.rate_csat(4, rig.at(93s));
  CHECK_FALSE(flow.nps());
  flow.rate_nps(9, rig.at(94s));
  CHECK(flow.comment().empty());
  flow.next(rig.at(95s));
  CHECK_FALSE(flow.consent());
  CHECK(flow.contact(ContactField::email).empty());
  flow.next(rig.at(96s));
  REQUIRE(rig.saved.size() == 1);
  CHECK(rig.saved[0].csat == 4);
  CHECK_FALSE(rig.saved[0].comment);
  CHECK_FALSE(rig.saved[0].contact);
  CHECK(rig.saved[0].language == "en");
}

TEST_CASE("every path to the welcome screen leaves nothing of the customer") {
  Rig rig;
  auto& flow = rig.flow;
  SUBCASE("Back from the first question") {
    customer_at_callback(flow, rig.at(0s));
    for (int i = 0; i < 4; ++i) flow.back(rig.at(1s));
  }
  SUBCASE("Back from the first question with the privacy notice open on the way") {
    customer_at_callback(flow, rig.at(0s));
    flow.show_privacy_notice(true, rig.at(1s));
    for (int i = 0; i < 5; ++i) flow.back(rig.at(1s));
  }
  SUBCASE("the idle reset") {
    customer_at_callback(flow, rig.at(0s));
    CHECK(flow.tick(rig.at(30s)));
    CHECK(flow.tick(rig.at(45s)));
  }
  SUBCASE("the idle reset after more time") {
    customer_at_callback(flow, rig.at(0s));
    flow.tick(rig.at(31s));
    flow.need_more_time(rig.at(31s));
    CHECK_FALSE(flow.tick(rig.at(90s)));
    CHECK(flow.tick(rig.at(91s)));
    CHECK(flow.tick(rig.at(106s)));
  }
  SUBCASE("the thanks step ending by itself") {
    customer_at_callback(flow, rig.at(0s));
    flow.next(rig.at(1s));
    REQUIRE(flow.step() == KioskStep::thanks);
    CHECK(flow.tick(rig.at(7s)));
  }
  SUBCASE("Done on the thanks step") {
    customer_at_callback(flow, rig.at(0s));
    flow.next(rig.at(1s));
    flow.next(rig.at(2s));
  }
  SUBCASE("Back on the thanks step") {
    customer_at_callback(flow, rig.at(0s));
    flow.next(rig.at(1s));
    flow.back(rig.at(2s));
  }
  SUBCASE("a failed save, then Back out") {
    customer_at_callback(flow, rig.at(0s));
    rig.fail_saves = true;
    flow.next(rig.at(1s));
    CHECK_FALSE(flow.save_error().empty());
    for (int i = 0; i < 4; ++i) flow.back(rig.at(2s));
  }
  SUBCASE("staff taking over") {
    customer_at_callback(flow, rig.at(0s));
    flow.reset(rig.at(1s));
  }
  SUBCASE("staff taking over on the welcome screen") {
    flow.choose_language("cy", rig.at(0s));
    flow.set_preferences({.large_text = true}, rig.at(0s));
    flow.reset(rig.at(1s));
  }
  SUBCASE("choices left on the welcome screen") {
    flow.choose_language("pl", rig.at(0s));
    flow.set_preferences({.lowered = true}, rig.at(0s));
    CHECK(flow.tick(rig.at(30s)));  // warned
    CHECK(flow.tick(rig.at(45s)));  // reset
  }
  check_fresh(flow);
  CHECK_FALSE(flow.idle(rig.at(1000s)).warning);
}

TEST_CASE("choices made on the welcome screen are kept by Start, and time out there") {
  Rig rig;
  auto& flow = rig.flow;
  flow.choose_language("cy", rig.at(0s));
  flow.set_preferences({.large_text = true, .lowered = true}, rig.at(1s));
  CHECK(flow.next_deadline(rig.at(1s)) == rig.at(31s));
  CHECK(flow.tick(rig.at(31s)));
  CHECK(flow.idle(rig.at(31s)).warning);
  // "I need more time" on the welcome screen keeps them.
  flow.need_more_time(rig.at(35s));
  CHECK_FALSE(flow.idle(rig.at(35s)).warning);
  CHECK(flow.language() == "cy");
  CHECK(flow.preferences().lowered);
  flow.start(rig.at(40s));
  CHECK(flow.step() == KioskStep::csat);
  CHECK(flow.language() == "cy");
  CHECK(flow.preferences() == KioskPreferences{.large_text = true, .lowered = true});
}

TEST_CASE("consent unticked means no contact is stored, whatever was typed") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(1, rig.at(1s));
  flow.rate_nps(0, rig.at(2s));
  flow.next(rig.at(3s));
  flow.set_consent(true, rig.at(4s));
  flow.edit_contact(ContactField::name, "Ffion", rig.at(5s));
  flow.edit_contact(ContactField::email, "ffion@example.co.uk", rig.at(6s));
  flow.set_consent(false, rig.at(7s));
  flow.next(rig.at(8s));
  REQUIRE(rig.saved.size() == 1);
  CHECK_FALSE(rig.saved[0].contact);
  const auto body = rig.store.outbox_entry(rig.saved[0].header.id)->value().body;
  CHECK(body.find("ffion") == std::string::npos);
  CHECK(body.find("Ffion") == std::string::npos);
}

TEST_CASE("with consent, contact details are checked beside their field, then stored with the notice version") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(2, rig.at(1s));
  flow.rate_nps(4, rig.at(2s));
  flow.next(rig.at(3s));
  flow.set_consent(true, rig.at(4s));
  flow.next(rig.at(5s));  // neither email nor phone
  CHECK(flow.step() == KioskStep::callback);
  CHECK(flow.contact_error(ContactField::email) == "contact_missing");
  flow.edit_contact(ContactField::email, "ffion@", rig.at(6s));
  flow.edit_contact(ContactField::phone, "12345", rig.at(6s));
  flow.next(rig.at(7s));
  CHECK(flow.contact_error(ContactField::email) == "email_invalid");
  CHECK(flow.contact_error(ContactField::phone) == "phone_invalid");
  CHECK(rig.saved.empty());
  flow.edit_contact(ContactField::email, "", rig.at(8s));
  flow.edit_contact(ContactField::phone, "07700 900123", rig.at(8s));
  flow.next(rig.at(9s));
  REQUIRE(rig.saved.size() == 1);
  const auto& c = *rig.saved[0].contact;
  CHECK(c.consent);
  CHECK(c.phone == "+447700900123");
  CHECK_FALSE(c.email);
  CHECK_FALSE(c.name);
  CHECK(c.notice_version == "2026-01");
}

TEST_CASE("a happy customer may ask for a call-back too, and the thanks step says by when") {
  test::TempDir dir;
  auto store = DeviceStore::open(dir / "device.db").value();
  auto s = settings();
  s.rules = load_workflow_rules(std::filesystem::path(HEED_ASSETS_DIR) / "rules/default.json").value();
  Timestamp wall = *parse_timestamp("2026-11-20T15:00:00Z");  // a Friday afternoon
  KioskFlow flow{full_set(), s, [&](const Record& r) { return store.save(r); }, [&] { return wall; }};
  const auto t0 = Clock::time_point{} + 1000h;

  flow.start(t0);
  flow.rate_csat(5, t0 + 1s);
  flow.rate_nps(10, t0 + 2s);
  flow.next(t0 + 3s);
  REQUIRE(flow.step() == KioskStep::callback);  // offered to every customer, not only an unhappy one
  CHECK_FALSE(flow.callback_promise());
  flow.set_consent(true, t0 + 4s);
  flow.edit_contact(ContactField::email, "ffion@example.co.uk", t0 + 5s);
  flow.next(t0 + 6s);
  REQUIRE(flow.step() == KioskStep::thanks);
  REQUIRE(flow.callback_promise());
  CHECK(flow.callback_promise()->due == *parse_timestamp("2026-11-23T15:00:00Z"));  // Monday, over the weekend
  CHECK(flow.callback_promise()->day == CallbackPromise::Day::later);

  // The next customer, who does not ask: no promise.
  flow.next(t0 + 7s);
  CHECK_FALSE(flow.callback_promise());
  flow.start(t0 + 8s);
  flow.rate_csat(1, t0 + 9s);
  flow.rate_nps(0, t0 + 10s);
  flow.next(t0 + 11s);
  flow.skip(t0 + 12s);
  REQUIRE(flow.step() == KioskStep::thanks);
  CHECK_FALSE(flow.callback_promise());

  // The thanks step ending by itself forgets it too.
  flow.next(t0 + 13s);
  flow.start(t0 + 14s);
  flow.rate_csat(3, t0 + 15s);
  flow.rate_nps(7, t0 + 16s);
  flow.next(t0 + 17s);
  flow.set_consent(true, t0 + 18s);
  flow.edit_contact(ContactField::phone, "07700 900123", t0 + 19s);
  flow.next(t0 + 20s);
  REQUIRE(flow.callback_promise());
  CHECK(flow.tick(t0 + 30s));
  CHECK(flow.step() == KioskStep::welcome);
  CHECK_FALSE(flow.callback_promise());
}

TEST_CASE("the privacy notice opens on the call-back step and Back closes it first") {
  Rig rig;
  auto& flow = rig.flow;
  flow.show_privacy_notice(true, rig.at(0s));
  CHECK_FALSE(flow.privacy_notice_open());  // only where consent is asked
  flow.start(rig.at(0s));
  flow.rate_csat(3, rig.at(1s));
  flow.rate_nps(7, rig.at(2s));
  flow.next(rig.at(3s));
  flow.show_privacy_notice(true, rig.at(4s));
  CHECK(flow.privacy_notice_open());
  flow.back(rig.at(5s));
  CHECK_FALSE(flow.privacy_notice_open());
  CHECK(flow.step() == KioskStep::callback);
}

TEST_CASE("idle: a warning with a countdown, more time on request, then a reset that discards") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(4, rig.at(1s));
  CHECK_FALSE(flow.idle(rig.at(30s)).warning);
  CHECK(flow.next_deadline(rig.at(2s)) == rig.at(31s));
  CHECK(flow.tick(rig.at(31s)));
  auto status = flow.idle(rig.at(31s));
  CHECK(status.warning);
  CHECK(status.seconds_left == 15);
  CHECK_FALSE(flow.tick(rig.at(31s)));  // nothing new to draw
  CHECK(flow.tick(rig.at(32s)));        // the countdown moved
  CHECK(flow.idle(rig.at(40s)).seconds_left == 6);

  flow.need_more_time(rig.at(40s));
  CHECK_FALSE(flow.idle(rig.at(99s)).warning);  // doubled: 60 s
  CHECK(flow.idle(rig.at(100s)).warning);
  CHECK(flow.step() == KioskStep::nps);
  CHECK(flow.csat() == 4);

  CHECK(flow.tick(rig.at(115s)));
  CHECK(flow.step() == KioskStep::welcome);
  CHECK_FALSE(flow.csat());
  CHECK(rig.saved.empty());
  CHECK_FALSE(flow.idle(rig.at(500s)).warning);  // a fresh welcome waits for ever
  CHECK_FALSE(flow.next_deadline(rig.at(500s)));
}

TEST_CASE("idle on the welcome screen resets a language or layout choice") {
  Rig rig;
  auto& flow = rig.flow;
  flow.choose_language("pl", rig.at(0s));
  CHECK(flow.next_deadline(rig.at(0s)) == rig.at(30s));
  flow.tick(rig.at(45s));
  CHECK(flow.language() == "en");
}

TEST_CASE("switching language mid-flow keeps the answers") {
  Rig rig;
  auto& flow = rig.flow;
  flow.start(rig.at(0s));
  flow.rate_csat(5, rig.at(1s));
  CHECK(flow.choose_language("cy", rig.at(2s)));
  CHECK_FALSE(flow.choose_language("fr", rig.at(2s)));  // not offered
  CHECK(flow.language() == "cy");
  CHECK(flow.csat() == 5);
  CHECK(flow.questions().wording("cy", "csat") == "Sut oedd eich ymweliad?");
  CHECK(flow.questions().wording("cy", "nps") == "Recommend us?");  // falls back to English
  flow.rate_nps(8, rig.at(3s));
  flow.skip(rig.at(4s));
  flow.skip(rig.at(5s));
  REQUIRE(rig.saved.size() == 1);
  CHECK(rig.saved[0].language == "cy");
}

TEST_CASE("a burst of identical submissions is flagged, never dropped") {
  Rig rig;
  auto& flow = rig.flow;
  auto submit = [&](std::chrono::seconds at, int csat) {
    flow.start(rig.at(at));
    flow.rate_csat(csat, rig.at(at));
    flow.rate_nps(10, rig.at(at));
    flow.skip(rig.at(at));
    flow.skip(rig.at(at));
    flow.next(rig.at(at));  // Done on the thanks screen
  };
  submit(0s, 5);
  submit(3s, 5);
  submit(6s, 5);
  submit(8s, 4);   // different answers: not the same submission
  submit(60s, 5);  // long after: a new customer
  REQUIRE(rig.saved.size() == 5);
  CHECK_FALSE(rig.saved[0].suspected_misuse);
  CHECK(rig.saved[1].suspected_misuse);
  CHECK(rig.saved[2].suspected_misuse);
  CHECK_FALSE(rig.saved[3].suspected_misuse);
  CHECK_FALSE(rig.saved[4].suspected_misuse);
  CHECK(flow.flagged_count() == 2);
  CHECK(rig.store.outbox_stats()->pending == 5);
}

TEST_CASE("a failed save keeps the answers and says so") {
  Rig rig;
  auto& flow = rig.flow;
  rig.fail_saves = true;
  flow.start(rig.at(0s));
  flow.rate_csat(3, rig.at(1s));
  flow.rate_nps(5, rig.at(2s));
  flow.skip(rig.at(3s));
  flow.skip(rig.at(4s));
  CHECK(flow.step() == KioskStep::callback);
  CHECK(flow.save_error() == "disk full");
  CHECK(flow.csat() == 3);
  rig.fail_saves = false;
  flow.next(rig.at(5s));
  CHECK(flow.step() == KioskStep::thanks);
  CHECK(rig.saved.size() == 1);
}

TEST_CASE("a question set without some questions skips their steps") {
  auto set = full_set();
  set.questions = {Question::nps, Question::callback};
  std::vector<Feedback> saved;
  KioskFlow flow(set, settings(), [&](const Record& r) -> Result<void> {
    saved.push_back(std::get<Feedback>(r));
    return Ok{};
  });
  const auto t = Clock::now();
  flow.start(t);
  CHECK(flow.step() == KioskStep::nps);
  flow.rate_nps(7, t);
  CHECK(flow.step() == KioskStep::callback);
  flow.next(t);
  REQUIRE(saved.size() == 1);
  CHECK_FALSE(saved[0].csat);
  CHECK(saved[0].nps == 7);
  CHECK_FALSE(saved[0].comment);
}

TEST_CASE("comments are cut at 2,000 characters, never inside a character") {
  Rig rig;
  std::string long_text;
  for (int i = 0; i < 2100; ++i) long_text += "ł";
  rig.flow.edit_comment(long_text, rig.at(0s));
  CHECK(utf8_length(rig.flow.comment()) == 2000u);
  CHECK(utf8_truncate("ab£c", 3) == "ab£");
  CHECK(utf8_truncate("ab£c", 2) == "ab");
}
