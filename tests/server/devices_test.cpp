// Integration tests of the device endpoints the sync engine relies on: the
// heartbeat, the devices list with its silent flag, and token revocation (by
// API; the command line's revoke is in cli_test.cpp). A real server on a
// loopback port, a real HTTP client, a clock the test moves.
#include <doctest/doctest.h>

#include "server_fixture.hpp"

using namespace heed;
using namespace heed::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::pair<int, json> post_json(httplib::Client& c, const char* path, const std::string& token, const std::string& body,
                               const char* type = "application/json") {
  auto res = c.Post(path, bearer(token), body, type);
  if (!res) throw std::runtime_error(std::string("no response to POST ") + path);
  return {res->status, json::parse(res->body, nullptr, false)};
}

json heartbeat_body() {
  return json{{"queue_length", 12},
              {"oldest_pending_age_s", 340},
              {"app_version", "0.6.0"},
              {"quarantined", 1},
              {"last_sync_at", "2026-11-23T09:55:00Z"},
              {"last_error", "timed out"}};
}

json device_in(const json& list, const std::string& device_id) {
  for (const auto& d : list["devices"])
    if (d["device_id"] == device_id) return d;
  throw std::runtime_error("device not listed: " + device_id);
}

std::string device_id_of(TestServer& s, const std::string& token) {
  return s.server->storage().device_by_token(s.admin().hasher.hash(token)).value()->device_id;
}

}  // namespace

TEST_CASE("heartbeat: kept per device, listed with the device, and a silent device is flagged") {
  TestClock clock;  // Monday 10:00
  TestServer s(&clock);
  const auto till = s.enroll_device("MCR-01");
  const auto kiosk = s.enroll_device("MCR-01");
  const auto leeds = s.enroll_device("LDS-02");
  const auto user = s.sign_in("alice", server::Role::agent);
  const std::string till_id = device_id_of(s, till), kiosk_id = device_id_of(s, kiosk);
  auto c = s.client();

  auto [status, body] = post_json(c, "/api/v1/devices/heartbeat", till, heartbeat_body().dump());
  CHECK(status == 204);
  int list_status = 0;
  auto list = get_json(c, "/api/v1/devices", user, &list_status);
  REQUIRE(list_status == 200);
  CHECK(list["devices"].size() == 3);
  CHECK(list["silent_after_s"] == 900);
  CHECK(list["silent_count"] == 0);
  auto d = device_in(list, till_id);
  CHECK(d["store_id"] == "MCR-01");
  CHECK(d["name"] == "Till 1");
  CHECK(d["enrolled_at"] == "2026-11-23T10:00:00Z");
  CHECK(d["last_seen_at"] == "2026-11-23T10:00:00Z");
  CHECK(d["revoked"] == false);
  CHECK(d["revoked_at"].is_null());
  CHECK(d["silent"] == false);
  CHECK(d["heartbeat"] == json{{"received_at", "2026-11-23T10:00:00Z"},
                               {"queue_length", 12},
                               {"oldest_pending_age_s", 340},
                               {"app_version", "0.6.0"},
                               {"quarantined", 1},
                               {"last_sync_at", "2026-11-23T09:55:00Z"},
                               {"last_error", "timed out"}});
  CHECK(device_in(list, kiosk_id)["heartbeat"].is_null());
  CHECK(device_in(list, kiosk_id)["last_seen_at"].is_null());

  // The last heartbeat replaces the one before; optional fields may be left out
  // or null. A batch of records also counts as being seen.
  clock.set("2026-11-23T10:10:00Z");
  CHECK(post_json(c, "/api/v1/devices/heartbeat", till,
                  json{{"queue_length", 0}, {"oldest_pending_age_s", nullptr}, {"app_version", "0.6.1"}}.dump())
            .first == 204);
  clock.set("2026-11-23T10:12:00Z");
  int records_status = 0;
  post_records(c, kiosk, {test::feedback()}, &records_status);
  CHECK(records_status == 200);
  list = get_json(c, "/api/v1/devices?store_id=MCR-01", user);
  CHECK(list["devices"].size() == 2);
  d = device_in(list, till_id);
  CHECK(d["heartbeat"]["queue_length"] == 0);
  CHECK(d["heartbeat"]["oldest_pending_age_s"].is_null());
  CHECK(d["heartbeat"]["app_version"] == "0.6.1");
  CHECK(d["heartbeat"]["quarantined"].is_null());
  CHECK(d["heartbeat"]["last_error"].is_null());
  CHECK(d["last_seen_at"] == "2026-11-23T10:10:00Z");
  CHECK(device_in(list, kiosk_id)["last_seen_at"] == "2026-11-23T10:12:00Z");

  // 15 minutes without a heartbeat: silent. The kiosk never sent one: it is
  // silent 15 minutes after its enrollment, records or not.
  clock.set("2026-11-23T10:25:00Z");
  list = get_json(c, "/api/v1/devices", user);
  CHECK(device_in(list, till_id)["silent"] == false);
  CHECK(device_in(list, kiosk_id)["silent"] == true);
  clock.set("2026-11-23T10:25:01Z");
  list = get_json(c, "/api/v1/devices", user);
  CHECK(device_in(list, till_id)["silent"] == true);
  CHECK(list["silent_count"] == 3);
  CHECK(post_json(c, "/api/v1/devices/heartbeat", till, heartbeat_body().dump()).first == 204);
  list = get_json(c, "/api/v1/devices", user);
  CHECK(device_in(list, till_id)["silent"] == false);
  CHECK(list["silent_count"] == 2);
  (void)leeds;
}

TEST_CASE("heartbeat: every bad request gets its status and a JSON error naming the field") {
  TestServer s;
  const auto device = s.enroll_device();
  const auto user = s.sign_in();
  auto c = s.client();
  auto beat = [&](const json& body) { return post_json(c, "/api/v1/devices/heartbeat", device, body.dump()); };

  auto without = heartbeat_body();
  without.erase("queue_length");
  auto [status, body] = beat(without);
  CHECK(status == 400);
  CHECK(body["error"] == "invalid_request");
  CHECK(body["fields"][0]["field"] == "queue_length");
  auto negative = heartbeat_body();
  negative["oldest_pending_age_s"] = -1;
  CHECK(beat(negative).second["fields"][0]["field"] == "oldest_pending_age_s");
  auto no_version = heartbeat_body();
  no_version["app_version"] = "";
  CHECK(beat(no_version).second["fields"][0]["field"] == "app_version");
  auto bad_time = heartbeat_body();
  bad_time["last_sync_at"] = "yesterday";
  CHECK(beat(bad_time).second["fields"][0]["field"] == "last_sync_at");
  auto unknown = heartbeat_body();
  unknown["battery"] = 80;
  auto refused = beat(unknown);
  CHECK(refused.first == 400);
  CHECK(refused.second["fields"][0]["field"] == "battery");
  CHECK(refused.second["fields"][0]["code"] == "unknown_field");
  CHECK(beat(json::array()).first == 400);
  CHECK(post_json(c, "/api/v1/devices/heartbeat", device, "{not json").first == 400);
  CHECK(post_json(c, "/api/v1/devices/heartbeat", device, heartbeat_body().dump(), "text/plain").first == 415);
  CHECK(post_json(c, "/api/v1/devices/heartbeat", device, std::string(100'000, ' ')).first == 413);
  auto anonymous = c.Post("/api/v1/devices/heartbeat", heartbeat_body().dump(), "application/json");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  CHECK(json::parse(anonymous->body)["error"] == "unauthorized");
  CHECK(post_json(c, "/api/v1/devices/heartbeat", "hd_unknown", heartbeat_body().dump()).first == 401);
  auto by_user = post_json(c, "/api/v1/devices/heartbeat", user, heartbeat_body().dump());
  CHECK(by_user.first == 403);
  CHECK(by_user.second["error"] == "forbidden");
  // Nothing was kept from the refused ones.
  CHECK(s.server->storage().list_devices(std::nullopt).value().at(0).heartbeat == std::nullopt);

  int status_list = 0;
  auto as_device = get_json(c, "/api/v1/devices", device, &status_list);
  CHECK(status_list == 403);
  CHECK(as_device["error"] == "forbidden");
  get_json(c, "/api/v1/devices", "", &status_list);
  CHECK(status_list == 401);
  auto bad_store = get_json(c, "/api/v1/devices?store_id=not%20a%20store", user, &status_list);
  CHECK(status_list == 400);
  CHECK(bad_store["message"].get<std::string>().find("store_id") != std::string::npos);
}

TEST_CASE("revoking a device: admins only, once; afterwards its token gets 401 everywhere") {
  TestServer s;
  const auto device = s.enroll_device();
  const auto other = s.enroll_device();
  const std::string device_id = device_id_of(s, device);
  const auto admin = s.sign_in("root", server::Role::admin);
  const auto manager = s.sign_in("alice", server::Role::manager);
  auto c = s.client();
  const std::string path = "/api/v1/devices/" + device_id + "/revoke";

  auto [by_manager, refusal] = post_json(c, path.c_str(), manager, "");
  CHECK(by_manager == 403);
  CHECK(refusal["error"] == "forbidden");
  CHECK(post_json(c, path.c_str(), other, "").first == 403);  // a device cannot revoke
  CHECK(post_json(c, path.c_str(), "", "").first == 401);
  CHECK(post_json(c, "/api/v1/devices/dev-000000000000/revoke", admin, "").first == 404);
  CHECK(post_json(c, "/api/v1/devices/not-a-device/revoke", admin, "").first == 404);

  // Still works before the revocation...
  CHECK(post_json(c, "/api/v1/devices/heartbeat", device, heartbeat_body().dump()).first == 204);
  auto [revoked_status, revoked] = post_json(c, path.c_str(), admin, "");
  REQUIRE(revoked_status == 200);
  CHECK(revoked["device_id"] == device_id);
  CHECK(revoked["revoked"] == true);
  CHECK(parse_timestamp(revoked["revoked_at"].get<std::string>()));
  auto again = post_json(c, path.c_str(), admin, "");
  CHECK(again.first == 409);
  CHECK(again.second["error"] == "already_revoked");

  // ...and on no endpoint after it.
  int status = 0;
  auto records = post_records(c, device, {test::feedback()}, &status);
  CHECK(status == 401);
  CHECK(records["error"] == "unauthorized");
  CHECK(post_json(c, "/api/v1/devices/heartbeat", device, heartbeat_body().dump()).first == 401);
  get_json(c, "/api/v1/customers/history?email=someone%40example.com", device, &status);
  CHECK(status == 401);
  // The other device goes on.
  post_records(c, other, {test::feedback()}, &status);
  CHECK(status == 200);

  auto list = get_json(c, "/api/v1/devices", manager);
  auto d = device_in(list, device_id);
  CHECK(d["revoked"] == true);
  CHECK(d["revoked_at"] == revoked["revoked_at"]);
  CHECK(d["silent"] == false);  // revoked is not "silent": it was stopped on purpose
}
