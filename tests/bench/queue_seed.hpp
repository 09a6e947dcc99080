// The million-case generator shared by queue_bench and workspace_seed: writes
// cases, their records and "opened" events straight into a server's heed.db
// (made and migrated by open_data_dir first), in transactions of 50,000, each
// case with its next_due as next_due() computes it. The mix, relative to `at`:
// 90% closed over the two years before it (recent_share sets it); of the open 10%, about 15% breached,
// 8% waiting on the customer, 5% scheduled follow-ups, 40% assigned; 8% repeats;
// levels 60/30/10% store/area/head office; complaints 20% high severity. The same
// sizes give the same data (a fixed seed), shifted to `at`.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "heed/reference.hpp"
#include "heed/time.hpp"

namespace heed::bench {

inline std::int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }
inline std::string store_id(int i) { return fmt::format("S{:04}", i); }
inline std::string area_id(int i) { return fmt::format("a{:03}", i); }
// A store code of the reference alphabet, unique per store.
inline std::string store_code(int i) {
  std::string code;
  for (int k = 0; k < 3; ++k, i /= 32) code += kReferenceAlphabet[static_cast<std::size_t>(i % 32)];
  return code;
}

// The default rules (from `assets`) with `stores` stores in areas of `area_size`.
// Its holidays and letters are named relative to the rules file: here, absolute.
inline nlohmann::json bench_rules(const std::filesystem::path& assets, int stores, int area_size) {
  namespace fs = std::filesystem;
  nlohmann::json rules = nlohmann::json::parse(std::ifstream(assets / "rules/default.json"));
  if (rules["calendar"]["holidays"].is_string())
    rules["calendar"]["holidays"] =
        fs::absolute(assets / "rules" / rules["calendar"]["holidays"].get<std::string>()).string();
  if (rules.contains("final_response") && rules["final_response"]["templates"].is_string())
    rules["final_response"]["templates"] =
        fs::absolute(assets / "rules" / rules["final_response"]["templates"].get<std::string>()).string();
  rules["areas"] = nlohmann::json::object();
  for (int s = 0; s < stores; ++s) rules["areas"][area_id(s / area_size)]["stores"].push_back(store_id(s));
  for (auto& [id, area] : rules["areas"].items()) area["name"] = "Area " + id;
  return rules;
}

inline bool exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return true;
  std::fprintf(stderr, "seed: %s\n", error ? error : "sqlite error");
  sqlite3_free(error);
  return false;
}

struct Seeded {
  std::string reference;     // an open complaint's, for the find
  std::int64_t case_id = 0;  // an open case, for the detail
};

// Writes the cases, their records and "opened" events straight into heed.db.
// recent_share: the latest share of the cases, 95% of them open (the rest are open at 0.5%).
inline bool seed(const std::filesystem::path& db_file, int cases, int stores, Seeded& out, Timestamp at,
                 double recent_share = 0.10) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_file.c_str(), &db) != SQLITE_OK) return false;
  struct Close {
    sqlite3* db;
    ~Close() { sqlite3_close(db); }
  } close{db};
  if (!exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF")) return false;
  sqlite3_stmt* record = nullptr;
  sqlite3_stmt* kase = nullptr;
  sqlite3_stmt* event = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO records (id, type, store_id, device_id, created_at, arrived_at, local_day, "
                     "touchpoint, body) VALUES (?1, ?2, ?3, 'dev-bench', ?4, ?4, ?5, ?6, ?7)",
                     -1, &record, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO cases (id, type, record_id, store_id, reference, touchpoint, level, repeat, "
                     "clock_start, local_day, created_at, opens_at, ack_due, resolve_due, acked_at, resolved_at, "
                     "assignee, root_cause, severity, waiting_since, next_due) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                     "?8, ?9, ?10, ?9, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                     -1, &kase, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO case_events (case_id, at, actor, action, detail) VALUES (?1, ?2, 'system', "
                     "'opened', '{}')",
                     -1, &event, nullptr);
  if (!record || !kase || !event) {
    std::fprintf(stderr, "seed: %s\n", sqlite3_errmsg(db));
    return false;
  }
  std::mt19937_64 rng(13);
  using namespace std::chrono;
  using nlohmann::json;
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const std::int64_t now = secs(at), day = 86400, span = 730 * day;
  auto bind_opt = [](sqlite3_stmt* st, int i, std::optional<std::int64_t> v) {
    if (v)
      sqlite3_bind_int64(st, i, *v);
    else
      sqlite3_bind_null(st, i);
  };
  auto text = [](sqlite3_stmt* st, int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  const auto started = steady_clock::now();
  for (int i = 1; i <= cases; ++i) {
    if (i % 50000 == 1 && !exec(db, "BEGIN")) return false;
    const int store = static_cast<int>(between(0, stores - 1));
    const std::int64_t created = now - span + span * i / cases;
    const double kind = std::uniform_real_distribution<double>(0, 1)(rng);
    const std::string type = kind < 0.60 ? "callback" : kind < 0.95 ? "complaint" : "follow_up";
    std::string severity = "medium";
    if (type == "complaint") severity = chance(0.2) ? "high" : chance(0.6) ? "medium" : "low";
    if (type == "follow_up") severity = "low";
    const bool recent = i > cases - static_cast<int>(cases * recent_share);
    const bool closed = recent ? chance(0.05) : !chance(0.005);
    std::optional<std::int64_t> opens_at, ack_due, acked_at, resolved_at, waiting_since;
    std::int64_t resolve_due = created + 5 * day;
    if (type != "follow_up") ack_due = created + 4 * 3600;
    if (closed) {
      resolved_at = created + between(3600, 10 * day);
      if (ack_due) acked_at = created + between(600, 4 * 3600);
    } else {
      const double state = std::uniform_real_distribution<double>(0, 1)(rng);
      if (type == "follow_up" && state < 0.9) {  // scheduled, or open from its day
        opens_at = now + between(-3 * day, 7 * day);
        resolve_due = *opens_at + 3 * day;
      } else if (state < 0.15) {  // breached
        if (ack_due && chance(0.5)) {
          ack_due = now - between(60, 5 * day);
        } else {
          acked_at = created + 600;
          resolve_due = now - between(60, 10 * day);
        }
      } else if (state < 0.23) {  // waiting on the customer
        acked_at = created + 600;
        waiting_since = now - between(60, 5 * day);
        resolve_due = now + between(-day, 5 * day);
      } else {
        if (ack_due && chance(0.3))
          ack_due = now + between(60, 4 * 3600);
        else
          acked_at = created + 600;
        resolve_due = now + between(60, 10 * day);
      }
      if (ack_due && *ack_due > resolve_due) resolve_due = *ack_due + day;
    }
    std::optional<std::int64_t> next_due;
    if (!resolved_at)
      next_due = ack_due && !acked_at ? ack_due : waiting_since ? std::nullopt : std::optional(resolve_due);
    const double lv = std::uniform_real_distribution<double>(0, 1)(rng);
    const int level = lv < 0.6 ? 0 : lv < 0.9 ? 1 : 2;
    std::optional<std::string> assignee;
    if (closed || chance(0.4)) assignee = fmt::format("agent{:02}", between(1, 50));
    std::optional<std::string> reference;
    if (type != "callback") reference = make_reference(store_code(store), "K2", static_cast<std::uint64_t>(i));
    const std::string record_id = fmt::format("rec-{:07}", i);
    const json body{{"id", record_id},
                    {"type", type == "callback" ? "feedback" : "complaint"},
                    {"store_id", store_id(store)},
                    {"created_at", format_timestamp(Timestamp{seconds{created}})},
                    {"reference", reference ? json(*reference) : json()},
                    {"touchpoint", "checkout"}};
    sqlite3_reset(record);
    text(record, 1, record_id);
    text(record, 2, type == "callback" ? "feedback" : "complaint");
    text(record, 3, store_id(store));
    sqlite3_bind_int64(record, 4, created);
    sqlite3_bind_int64(record, 5, created / day);
    text(record, 6, "checkout");
    text(record, 7, body.dump());
    if (sqlite3_step(record) != SQLITE_DONE) break;
    sqlite3_reset(kase);
    sqlite3_clear_bindings(kase);
    sqlite3_bind_int64(kase, 1, i);
    text(kase, 2, type);
    text(kase, 3, record_id);
    text(kase, 4, store_id(store));
    if (reference) text(kase, 5, *reference);
    text(kase, 6, "checkout");
    sqlite3_bind_int64(kase, 7, level);
    sqlite3_bind_int64(kase, 8, chance(0.08) ? 1 : 0);
    sqlite3_bind_int64(kase, 9, created);
    sqlite3_bind_int64(kase, 10, created / day);
    bind_opt(kase, 11, opens_at);
    bind_opt(kase, 12, ack_due);
    sqlite3_bind_int64(kase, 13, resolve_due);
    bind_opt(kase, 14, acked_at);
    bind_opt(kase, 15, resolved_at);
    if (assignee) text(kase, 16, *assignee);
    if (closed) text(kase, 17, "product_quality");
    text(kase, 18, severity);
    bind_opt(kase, 19, waiting_since);
    bind_opt(kase, 20, next_due);
    if (sqlite3_step(kase) != SQLITE_DONE) break;
    sqlite3_reset(event);
    sqlite3_bind_int64(event, 1, i);
    sqlite3_bind_int64(event, 2, created);
    if (sqlite3_step(event) != SQLITE_DONE) break;
    if (!closed && reference && !opens_at && out.reference.empty() && i > cases - cases / 20) {
      out.reference = *reference;
      out.case_id = i;
    }
    if ((i % 50000 == 0 || i == cases) && !exec(db, "COMMIT")) return false;
    if (i % 200000 == 0)
      std::printf("  seeded %d cases (%.0f s)\n", i, duration<double>(steady_clock::now() - started).count());
  }
  const bool ok = sqlite3_errcode(db) == SQLITE_OK || sqlite3_errcode(db) == SQLITE_DONE;
  if (!ok) std::fprintf(stderr, "seed: seeding: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(record);
  sqlite3_finalize(kase);
  sqlite3_finalize(event);
  return ok && exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace heed::bench
