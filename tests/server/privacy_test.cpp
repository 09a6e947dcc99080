// What the server keeps and what it logs: secrets only as hashes (no token,
// password or enrollment code in any file of the data directory), and logs at
// every level free of the customer's personal data, through a run that stores
// contact details, looks a customer up and fails on purpose.
#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using nlohmann::json;

namespace {

// Every byte of every file under `dir` (the database, its WAL, the token key).
std::string all_bytes(const std::filesystem::path& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

// Routes spdlog's default logger into a string for the test's life, at trace.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return text_.str();
  }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace

TEST_CASE("secrets are stored only as hashes, and logs carry no personal data") {
  CapturedLog log;
  std::string data_bytes;
  std::string device_token, session_token, code;
  const std::string password = "correct horse battery staple";
  const Contact customer = test::contact();
  {
    TestServer s;
    auto admin = s.admin();
    code = server::issue_enrollment_code(admin, "MCR-01", s.now()).value();
    auto c = s.client();
    auto enrolled =
        c.Post("/api/v1/devices/enroll", json{{"code", code}, {"name", "Till 1"}}.dump(), "application/json");
    REQUIRE(enrolled);
    REQUIRE(enrolled->status == 201);
    device_token = json::parse(enrolled->body)["token"];
    session_token = s.sign_in("alice", server::Role::manager);

    // Contact details in a complaint, a call-back and a record that is rejected.
    Feedback low = test::feedback();
    low.csat = 1;
    low.nps = 2;
    low.contact = customer;
    Complaint bad = test::escalated_complaint();
    bad.header.store_id = "LDS-02";  // not this device's store: rejected
    int status = 0;
    post_records(c, device_token, {test::escalated_complaint(), low, bad}, &status);
    CHECK(status == 200);
    get_json(c, "/api/v1/customers/history?email=ffion%40example.co.uk", session_token, &status);
    CHECK(status == 200);
    get_json(c, "/api/v1/customers/history?phone=07700%20900123", device_token, &status);
    CHECK(status == 200);
    auto wrong = c.Post("/api/v1/auth/login", json{{"username", "alice"}, {"password", "ffion@example.co.uk"}}.dump(),
                        "application/json");
    CHECK(wrong->status == 401);
    CHECK(c.Get("/api/v1/export/records.csv", bearer(session_token))->status == 200);
    s.stop();  // flushes; the WAL stays beside the database
    data_bytes = all_bytes(s.options.data_dir);
  }
  REQUIRE(data_bytes.size() > 10'000);
  CHECK(data_bytes.find(customer.email.value()) != std::string::npos);  // the scan does see stored text
  CHECK(data_bytes.find(device_token) == std::string::npos);
  CHECK(data_bytes.find(device_token.substr(3)) == std::string::npos);  // without its prefix
  CHECK(data_bytes.find(session_token.substr(3)) == std::string::npos);
  CHECK(data_bytes.find(password) == std::string::npos);
  CHECK(data_bytes.find(code) == std::string::npos);
  std::string bare_code = code;
  std::erase(bare_code, '-');
  CHECK(data_bytes.find(bare_code) == std::string::npos);

  const std::string logged = log.text();
  CHECK(logged.find("enrolled device") != std::string::npos);  // the capture works
  CHECK(logged.find("POST /api/v1/records 200") != std::string::npos);
  for (const std::string& personal :
       {customer.email.value(), std::string("ffion%40example.co.uk"), std::string("ffion"), std::string("07700"),
        std::string("900123"), std::string("Łukasik"), std::string("Kettle"), device_token, session_token, password}) {
    INFO(personal);
    CHECK(logged.find(personal) == std::string::npos);
  }
}
