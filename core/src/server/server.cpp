// HeedServer: wires the data directory, the workflow, cpp-httplib and the
// scheduler together, and takes them down in order (see server.hpp).
#include "heed/server/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "context.hpp"
#include "scheduler.hpp"

namespace heed::server {

namespace {

// cpp-httplib's listen backlog is compiled into Debian's shared library (5).
// listen(2) on a listening socket sets a new backlog, so the server raises it
// after binding; the socket is the base class's protected member.
class HttpServer : public httplib::Server {
 public:
  bool set_backlog(int backlog) { return ::listen(svr_sock_, backlog) == 0; }
};

Result<std::string> read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{Errc::io, fmt::format("cannot read {}", file.string())};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

struct HeedServer::Impl {
  std::unique_ptr<detail::ServerContext> ctx;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<Scheduler> scheduler;
  std::thread listener;
  int port = 0;
  std::mutex stop_mutex;
  bool stopped = false;
};

HeedServer::HeedServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HeedServer::~HeedServer() { stop(); }

Result<std::unique_ptr<HeedServer>> HeedServer::start(ServerOptions options) {
  if (options.idle_timeout < std::chrono::seconds(5))
    return Error{Errc::invalid, "the idle timeout must be at least 5 seconds"};
  if (!options.webhook_url.empty() && options.webhook_secret.empty())
    return Error{Errc::invalid, "a webhook URL needs a webhook secret to sign with"};
  auto joined = [](const FieldErrors& errors) {
    std::string text;
    for (const auto& e : errors)
      text += (text.empty() ? "" : "; ") + (e.field.empty() ? e.message : e.field + ": " + e.message);
    return text;
  };
  // --webhook-url is one endpoint among the config's, taking every event.
  if (!options.webhook_url.empty()) {
    WebhookEndpoint legacy;
    legacy.name = kDefaultWebhookEndpoint;
    legacy.url = options.webhook_url;
    legacy.secret = options.webhook_secret;
    legacy.events = {"*"};
    options.webhooks.push_back(std::move(legacy));
  }
  if (auto bad = check_webhook_endpoints(options.webhooks); !bad.empty())
    return Error{Errc::invalid, fmt::format("the webhook endpoints are wrong: {}", joined(bad))};
  auto workflow = Workflow::load(options.rules_file);
  if (!workflow)
    return Error{Errc::invalid,
                 fmt::format("the rules in {} are wrong: {}", options.rules_file.string(), joined(workflow.error()))};
  workflow->route_webhooks(options.webhooks);
  auto letters = LetterTemplates::load(workflow->rules().final_response.templates);
  if (!letters) return letters.error();
  std::string openapi;
  if (!options.openapi_file.empty()) {
    auto text = read_text(options.openapi_file);
    if (!text) return text.error();
    openapi = std::move(text.value());
  }
  SqliteOptions sqlite;
  sqlite.readers = std::clamp(options.threads, 2, 8);
  sqlite.durable = options.durable;
  auto data = open_data_dir(options.data_dir, sqlite);
  if (!data) return data.error();

  auto impl = std::make_unique<Impl>();
  impl->ctx = std::make_unique<detail::ServerContext>(options, std::move(data.value()), std::move(workflow.value()),
                                                      std::move(openapi), std::move(letters.value()));
  impl->http = std::make_unique<HttpServer>();
  auto& http = *impl->http;
  const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_tcp_nodelay(true);  // else kept-alive requests wait on Nagle + delayed ACK (~40 ms each)
  http.set_keep_alive_max_count(static_cast<std::size_t>(std::max(1, options.keep_alive_max)));
  http.set_keep_alive_timeout(options.keep_alive_timeout_s);
  http.set_read_timeout(options.read_timeout_s, 0);
  http.set_write_timeout(options.write_timeout_s, 0);
  // The library's own bound, which it applies to a declared Content-Length (not
  // to a chunked body) before any handler: the largest body a route accepts.
  // Each route then applies its own, smaller, limit as it reads.
  http.set_payload_max_length(std::max(options.max_records_body, options.max_small_body));
  detail::install_routes(http, *impl->ctx);

  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
    if (impl->port <= 0) return Error{Errc::io, fmt::format("cannot listen on {} (any port)", options.host)};
  } else {
    if (!http.bind_to_port(options.host, options.port))
      return Error{Errc::io, fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                                         options.host, options.port)};
    impl->port = options.port;
  }
  if (!http.set_backlog(options.backlog)) spdlog::warn("could not raise the listen backlog to {}", options.backlog);

  impl->scheduler = std::make_unique<Scheduler>(*impl->ctx);
  impl->ctx->wake_scheduler = [s = impl->scheduler.get()] { s->scan_now(); };
  impl->ctx->send_webhooks = [s = impl->scheduler.get()] { s->send_now(); };
  impl->scheduler->start();

  impl->listener = std::thread([&http] { http.listen_after_bind(); });
  // stop() only works once the accept loop runs: wait for it, so that a server
  // stopped straight after starting does not keep listening.
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<HeedServer>(new HeedServer(std::move(impl)));
}

int HeedServer::port() const { return impl_->port; }

void HeedServer::stop() {
  std::lock_guard lock(impl_->stop_mutex);
  if (impl_->stopped) return;
  impl_->stopped = true;
  // Closes the listening socket; listen_after_bind returns once the pool has
  // finished the requests in flight (kept-alive connections end after theirs).
  impl_->http->stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  impl_->ctx->wake_scheduler = nullptr;
  impl_->ctx->send_webhooks = nullptr;
  impl_->scheduler->stop();
  impl_->scheduler.reset();
  impl_->http.reset();
  impl_->ctx.reset();  // closes the database: the last connection checkpoints the WAL
}

Storage& HeedServer::storage() { return impl_->ctx->storage(); }
const Workflow& HeedServer::workflow() const { return impl_->ctx->workflow; }
void HeedServer::scan_now() {
  if (impl_->scheduler) impl_->scheduler->scan_now();
}
void HeedServer::digests_now() {
  if (impl_->scheduler) impl_->scheduler->digests_now();
}

}  // namespace heed::server
