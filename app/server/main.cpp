// heed-server: head office's server. Receives every store's records, opens and
// tracks the follow-up cases, answers head office's questions. The logic lives
// in heed_server_core; this file is the command line and the signal handling.
//
//   heed-server serve [--data DIR] [--listen HOST:PORT] [--rules FILE] [--config FILE] [--web-root DIR] ...
//   heed-server enroll-code --data DIR --store STORE_ID
//   heed-server user add --data DIR --username NAME --role admin|manager|agent [--scope SCOPE]  (password on stdin)
//   heed-server user list --data DIR
//   heed-server user disable|enable --data DIR --username NAME
//   heed-server user set-role --data DIR --username NAME --role ROLE
//   heed-server user set-scope --data DIR --username NAME --scope chain|area:ID|store:ID [--rules FILE]
//   heed-server user reset-password --data DIR --username NAME  (password on stdin)
//   heed-server device revoke --data DIR --device DEVICE_ID
//   heed-server device list --data DIR [--store STORE_ID]
//
// Exit status: 0 done (serve: stopped by SIGTERM/SIGINT); 1 a runtime failure;
// 2 the command line or configuration is wrong.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "heed/server/admin.hpp"
#include "heed/server/server.hpp"
#include "heed/server/workflow.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kUsage = 2;

// An asset shipped with Heed: from the build tree, else ./assets.
fs::path asset(const std::string& relative) {
  const fs::path built = fs::path(HEED_ASSETS_DIR) / relative;
  return fs::exists(built) ? built : fs::path("assets") / relative;
}

// "HOST:PORT" (the last colon splits, so "[::1]:8080" style hosts keep theirs).
bool split_listen(const std::string& listen, std::string& host, int& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    return used == listen.size() - colon - 1 && port >= 0 && port <= 65535;
  } catch (const std::exception&) {
    return false;
  }
}

// One line from standard input, without echo when it is a terminal.
std::string read_secret_line(const char* prompt) {
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

int serve(heed::server::ServerOptions options, const std::string& listen, const std::string& secret_file,
          const std::string& config_file) {
  if (!split_listen(listen, options.host, options.port)) {
    std::cerr << "heed-server: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return kUsage;
  }
  if (!config_file.empty()) {
    auto config = heed::server::load_server_config(config_file);
    if (!config) {
      for (const auto& e : config.error())
        std::cerr << "heed-server: " << config_file << ": " << (e.field.empty() ? "" : e.field + ": ") << e.message
                  << '\n';
      return kUsage;
    }
    options.webhooks = std::move(config->webhooks);
    if (config->smtp) options.smtp = std::move(*config->smtp);
    if (config->digest_send_hour) options.digest_send_hour = *config->digest_send_hour;
  }
  if (!secret_file.empty()) {
    std::ifstream in(secret_file);
    if (!in || !std::getline(in, options.webhook_secret) || options.webhook_secret.empty()) {
      std::cerr << "heed-server: cannot read a webhook secret from " << secret_file << '\n';
      return kUsage;
    }
  } else if (const char* env = std::getenv("HEED_WEBHOOK_SECRET")) {
    options.webhook_secret = env;
  }

  // Block the stop signals in every thread (the server's inherit this mask) and
  // take them here with sigwait, outside any signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the server

  auto server = heed::server::HeedServer::start(options);
  if (!server) {
    std::cerr << "heed-server: " << server.error().message << '\n';
    return server.error().code == heed::Errc::invalid ? kUsage : 1;
  }
  std::cout << "heed-server listening on " << options.host << ':' << (*server)->port() << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("signal {} received: finishing requests in flight", signal_number);
  (*server)->stop();
  spdlog::info("stopped");
  return 0;
}

// The rules a scope is checked against (their areas), as serve reads them.
std::optional<heed::server::Workflow> load_rules(const fs::path& file) {
  auto flow = heed::server::Workflow::load(file);
  if (!flow) {
    for (const auto& e : flow.error())
      std::cerr << "heed-server: " << file.string() << ": " << e.field << ": " << e.message << '\n';
    return std::nullopt;
  }
  return std::move(flow.value());
}

// 2 for what the person can fix (bad input, unknown or taken name, the last
// admin), 1 for a runtime failure.
int fail(const heed::Error& error) {
  std::cerr << "heed-server: " << error.message << '\n';
  using heed::Errc;
  return error.code == Errc::invalid || error.code == Errc::conflict || error.code == Errc::not_found ? kUsage : 1;
}

// user list/disable/enable/set-role/set-scope/reset-password.
struct UserCommand {
  CLI::App* list = nullptr;
  CLI::App* disable = nullptr;
  CLI::App* enable = nullptr;
  CLI::App* set_role = nullptr;
  CLI::App* set_scope = nullptr;
  CLI::App* reset_password = nullptr;
  bool parsed() const {
    return list->parsed() || disable->parsed() || enable->parsed() || set_role->parsed() || set_scope->parsed() ||
           reset_password->parsed();
  }
};

int run_user_command(const UserCommand& cmd, const std::string& data_dir, const std::string& username,
                     const std::string& role_text, const std::string& scope_text, const fs::path& rules_file) {
  namespace hs = heed::server;
  std::optional<hs::Workflow> flow;
  std::optional<hs::Scope> scope;
  if (cmd.set_scope->parsed()) {
    scope = hs::parse_scope(scope_text);
    if (!scope) {
      std::cerr << "heed-server: --scope must be chain, area:ID or store:ID\n";
      return kUsage;
    }
    flow = load_rules(rules_file);
    if (!flow) return kUsage;
  }
  std::string password;
  if (cmd.reset_password->parsed()) password = read_secret_line("New password: ");
  auto data = hs::open_data_dir(data_dir);
  if (!data) return fail(data.error());
  if (cmd.list->parsed()) {
    auto users = data->storage->list_users();
    if (!users) return fail(users.error());
    std::cout << "username\trole\tscope\tactive\n";
    for (const auto& u : *users)
      std::cout << u.username << '\t' << hs::role_name(u.role) << '\t' << hs::scope_text(u.scope) << '\t'
                << (u.active ? "active" : "disabled") << '\n';
    return 0;
  }
  hs::UserChange change;
  std::string action = "user.update";
  if (cmd.disable->parsed()) change.active = false;
  if (cmd.enable->parsed()) change.active = true;
  if (cmd.set_role->parsed()) change.role = hs::parse_role(role_text);
  if (cmd.set_scope->parsed()) change.scope = scope;
  if (cmd.reset_password->parsed()) {
    auto hash = hs::hash_password(password);
    if (!hash) return fail(hash.error());
    change.password_hash = std::move(*hash);
    action = "user.reset_password";
  }
  const auto now = heed::now_utc();
  auto changed = hs::change_user(*data, username, change, flow ? flow->rules() : heed::WorkflowRules{}, now);
  if (!changed) return fail(changed.error());
  nlohmann::json detail{{"username", changed->username}};
  if (change.role) detail["role"] = hs::role_name(changed->role);
  if (change.scope) detail["scope"] = hs::scope_text(changed->scope);
  if (change.active) detail["active"] = changed->active;
  (void)data->storage->audit(now, "cli", action, detail.dump());
  std::cerr << changed->username << ": " << hs::role_name(changed->role) << ' ' << hs::scope_text(changed->scope)
            << (changed->active ? " active" : " disabled")
            << (!changed->active || change.password_hash ? " (sessions ended)" : "") << '\n';
  return 0;
}

int run(int argc, char** argv) {
  CLI::App cli{"Heed server: receives feedback and complaints from the stores' devices.", "heed-server"};
  cli.set_version_flag("--version", std::string("heed-server ") + HEED_VERSION);
  cli.require_subcommand(1);

  heed::server::ServerOptions options;
  options.rules_file = asset("rules/default.json");
  options.openapi_file = asset("api/openapi.yaml");
  options.web_root = HEED_WEB_ROOT;
  std::string data_dir = "./heed-data";
  std::string listen = "127.0.0.1:8080";
  std::string secret_file;
  std::string config_file;
  std::string log_level = "info";
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server until SIGTERM or SIGINT.");
  serve_cmd->add_option("--data", data_dir, "Data directory (database, token key)")->capture_default_str();
  serve_cmd->add_option("--listen", listen, "Address to listen on, HOST:PORT")->capture_default_str();
  serve_cmd->add_option("--rules", options.rules_file, "Workflow rules file")->capture_default_str();
  serve_cmd->add_option("--openapi", options.openapi_file, "OpenAPI document served at /api/v1/openapi.yaml");
  serve_cmd
      ->add_option("--web-root", options.web_root,
                   "Folder of the web workspace served at / (index.html and src/, as heed_web builds it)")
      ->capture_default_str();
  serve_cmd->add_option("--config", config_file,
                        "Server config file (JSON): webhook endpoints and their events, the SMTP relay for digests");
  serve_cmd->add_option("--webhook-url", options.webhook_url,
                        "One more webhook endpoint (named \"default\") that takes every event");
  serve_cmd->add_option("--webhook-secret-file", secret_file,
                        "File holding the webhook HMAC secret (else $HEED_WEBHOOK_SECRET)");
  serve_cmd->add_option("--threads", options.threads, "Request threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  int silent_after_min = 15;
  serve_cmd
      ->add_option("--silent-after", silent_after_min,
                   "Minutes without a heartbeat before GET /api/v1/devices lists a device as silent")
      ->capture_default_str()
      ->check(CLI::Range(1, 7 * 24 * 60));
  int idle_timeout_s = 1800;
  serve_cmd
      ->add_option("--idle-timeout", idle_timeout_s,
                   "Seconds a head-office session may go unused before it ends (at least 5)")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            int seconds = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
            if (ec != std::errc() || end != text.data() + text.size() || seconds < 5)
              return "the idle timeout is a whole number of seconds, at least 5 (e.g. 1800 for 30 minutes)";
            return "";
          },
          "SECONDS>=5"));
  serve_cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();

  std::string store_id;
  auto* enroll_cmd = cli.add_subcommand("enroll-code", "Print a one-time enrollment code for a store (24 hours).");
  enroll_cmd->add_option("--data", data_dir, "Data directory")->required();
  enroll_cmd->add_option("--store", store_id, "The store the device will belong to")->required();

  std::string username, role_text, scope_text = "chain";
  auto* user_cmd = cli.add_subcommand("user", "Manage head-office users.");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", "Add a user; the password is read from standard input.");
  user_add->add_option("--data", data_dir, "Data directory")->required();
  user_add->add_option("--username", username, "Sign-in name")->required();
  user_add->add_option("--role", role_text, "admin, manager or agent")
      ->required()
      ->check(CLI::IsMember({"admin", "manager", "agent"}));
  user_add->add_option("--scope", scope_text, "What the user sees: chain, area:ID (an area of the rules) or store:ID")
      ->capture_default_str();
  user_add->add_option("--rules", options.rules_file, "Workflow rules file (its areas)")->capture_default_str();
  UserCommand user_cmds;
  user_cmds.list = user_cmd->add_subcommand("list", "List the users: username, role, scope, active (tab-separated).");
  user_cmds.disable =
      user_cmd->add_subcommand("disable", "Disable a user: no sign-in, and their sessions end at once.");
  user_cmds.enable = user_cmd->add_subcommand("enable", "Enable a disabled user again.");
  user_cmds.set_role = user_cmd->add_subcommand("set-role", "Change a user's role.");
  user_cmds.set_role->add_option("--role", role_text, "admin, manager or agent")
      ->required()
      ->check(CLI::IsMember({"admin", "manager", "agent"}));
  user_cmds.set_scope = user_cmd->add_subcommand("set-scope", "Change the part of the chain a user sees.");
  user_cmds.set_scope->add_option("--scope", scope_text, "chain, area:ID (an area of the rules) or store:ID")
      ->required();
  user_cmds.set_scope->add_option("--rules", options.rules_file, "Workflow rules file (its areas)")
      ->capture_default_str();
  user_cmds.reset_password = user_cmd->add_subcommand(
      "reset-password", "Set a new password, read from standard input; the user's sessions end.");
  for (CLI::App* sub : {user_cmds.list, user_cmds.disable, user_cmds.enable, user_cmds.set_role, user_cmds.set_scope,
                        user_cmds.reset_password}) {
    sub->add_option("--data", data_dir, "Data directory")->required();
    if (sub != user_cmds.list) sub->add_option("--username", username, "Sign-in name")->required();
  }

  std::string device_id;
  auto* device_cmd = cli.add_subcommand("device", "Manage enrolled devices.");
  device_cmd->require_subcommand(1);
  auto* device_revoke =
      device_cmd->add_subcommand("revoke", "Revoke a device's token: it gets 401 on every request from now on.");
  device_revoke->add_option("--data", data_dir, "Data directory")->required();
  device_revoke->add_option("--device", device_id, "The device's id (see device list)")->required();
  auto* device_list = device_cmd->add_subcommand("list", "List the enrolled devices and when each was last seen.");
  device_list->add_option("--data", data_dir, "Data directory")->required();
  device_list->add_option("--store", store_id, "Only this store's devices");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kUsage;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("heed-server"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (serve_cmd->parsed()) {
    options.data_dir = data_dir;
    options.device_silent_after = std::chrono::minutes(silent_after_min);
    options.idle_timeout = std::chrono::seconds(idle_timeout_s);
    return serve(options, listen, secret_file, config_file);
  }
  if (enroll_cmd->parsed()) {
    auto data = heed::server::open_data_dir(data_dir);
    if (!data) {
      std::cerr << "heed-server: " << data.error().message << '\n';
      return 1;
    }
    auto code = heed::server::issue_enrollment_code(*data, store_id, heed::now_utc());
    if (!code) {
      std::cerr << "heed-server: " << code.error().message << '\n';
      return code.error().code == heed::Errc::invalid ? kUsage : 1;
    }
    std::cout << *code << '\n';
    return 0;
  }
  if (user_add->parsed()) {
    const auto scope = heed::server::parse_scope(scope_text);
    if (!scope) {
      std::cerr << "heed-server: --scope must be chain, area:ID or store:ID\n";
      return kUsage;
    }
    const auto flow = load_rules(options.rules_file);
    if (!flow) return kUsage;
    const std::string password = read_secret_line("Password: ");
    auto data = heed::server::open_data_dir(data_dir);
    if (!data) return fail(data.error());
    const auto now = heed::now_utc();
    auto added = heed::server::create_user(*data, username, password, *heed::server::parse_role(role_text), *scope,
                                           flow->rules(), now);
    if (!added) return fail(added.error());
    (void)data->storage->audit(
        now, "cli", "user.create",
        nlohmann::json{{"username", username}, {"role", role_text}, {"scope", heed::server::scope_text(*scope)}}
            .dump());
    std::cerr << "added " << role_text << ' ' << username << " (" << heed::server::scope_text(*scope) << ")\n";
    return 0;
  }
  if (user_cmds.parsed())
    return run_user_command(user_cmds, data_dir, username, role_text, scope_text, options.rules_file);
  if (device_revoke->parsed() || device_list->parsed()) {
    auto data = heed::server::open_data_dir(data_dir);
    if (!data) {
      std::cerr << "heed-server: " << data.error().message << '\n';
      return 1;
    }
    if (device_revoke->parsed()) {
      auto revoked = data->storage->revoke_device(device_id, heed::now_utc());
      if (!revoked) {
        std::cerr << "heed-server: " << revoked.error().message << '\n';
        return revoked.error().code == heed::Errc::not_found || revoked.error().code == heed::Errc::conflict ? kUsage
                                                                                                             : 1;
      }
      (void)data->storage->audit(heed::now_utc(), "cli", "device.revoke", "{\"device_id\":\"" + device_id + "\"}");
      std::cerr << "revoked " << device_id << '\n';
      return 0;
    }
    auto devices = data->storage->list_devices(store_id.empty() ? std::nullopt : std::optional(store_id));
    if (!devices) {
      std::cerr << "heed-server: " << devices.error().message << '\n';
      return 1;
    }
    auto when = [](const std::optional<heed::Timestamp>& t) {
      return t ? heed::format_timestamp(*t) : std::string("-");
    };
    std::cout << "device_id\tstore_id\tname\tenrolled_at\tlast_seen_at\tqueue_length\tstatus\n";
    for (const auto& d : *devices)
      std::cout << d.device.device_id << '\t' << d.device.store_id << '\t' << d.device.name << '\t'
                << heed::format_timestamp(d.device.enrolled_at) << '\t' << when(d.device.last_seen_at) << '\t'
                << (d.heartbeat ? std::to_string(d.heartbeat->queue_length) : std::string("-")) << '\t'
                << (d.device.revoked ? "revoked" : "active") << '\n';
    return 0;
  }
  return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "heed-server: unexpected error: " << e.what() << '\n';
  }
  return 1;
}
