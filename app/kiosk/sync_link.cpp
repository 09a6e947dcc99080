#include "sync_link.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "heed/customer_history.hpp"
#include "heed/sync/server_customer_history.hpp"

namespace heed::app {

namespace {
constexpr std::size_t kRefusedShown = 3;  // the staff menu lists the first few; heed-device lists all
}  // namespace

sync::SyncOptions sync_options(const DeviceConfig& config) {
  sync::SyncOptions options;
  options.connection.server_url = config.server_url;
  options.connection.ca_bundle = config.sync.ca_bundle;
  options.connection.pinned_key_sha256 = config.sync.pinned_key_sha256;
  options.connection.allow_insecure = config.sync.allow_insecure;
  options.connection.request_timeout = config.sync.request_timeout;
  options.heartbeat_interval = config.sync.heartbeat_interval;
  options.erase_after_delivery = config.sync.erase_after_delivery;
  return options;
}

Result<std::unique_ptr<SyncLink>> SyncLink::create(const DeviceConfig& config, DeviceStore& store) {
  auto options = sync_options(config);
  auto connection = options.connection;
  auto engine = sync::SyncEngine::create(store, std::move(options));
  if (!engine) return engine.error();
  return std::unique_ptr<SyncLink>(
      new SyncLink(store, std::move(connection), config.device_name, std::move(engine).value()));
}

void SyncLink::start() { engine_->start(); }

SyncLink::SyncLink(DeviceStore& store, sync::ConnectionOptions connection, std::string device_name,
                   std::unique_ptr<sync::SyncEngine> engine)
    : store_(store),
      connection_(std::move(connection)),
      device_name_(std::move(device_name)),
      engine_(std::move(engine)) {}

SyncLink::~SyncLink() {
  if (enrolment_worker_.joinable()) enrolment_worker_.join();
  engine_->stop();
}

void SyncLink::record_saved() { engine_->notify(); }

ui::SyncState SyncLink::state() const {
  const sync::SyncStatus status = engine_->status();
  ui::SyncState state = ui::sync_state_from(status, connection_.server_url);
  if (status.quarantined > 0) {
    if (auto refused = store_.quarantined_entries(kRefusedShown))
      for (const auto& entry : refused.value()) state.refused.push_back({entry.record_id, entry.last_error});
  }
  std::lock_guard lock(mutex_);
  state.enrolment = enrolment_;
  state.enrolment_error = enrolment_error_;
  return state;
}

void SyncLink::enrol(const std::string& code) {
  {
    std::lock_guard lock(mutex_);
    if (enrolment_ == ui::SyncState::Enrolment::working) return;
    enrolment_ = ui::SyncState::Enrolment::working;
    enrolment_error_.clear();
  }
  if (enrolment_worker_.joinable()) enrolment_worker_.join();  // the last one has finished
  enrolment_worker_ = std::thread([this, code] {
    auto enrolled = sync::enroll(store_, connection_, code, device_name_);
    {
      std::lock_guard lock(mutex_);
      if (enrolled) {
        enrolment_ = ui::SyncState::Enrolment::done;
        spdlog::info("enrolled as device {} of store {}", enrolled->device_id, enrolled->store_id);
      } else {
        enrolment_ = ui::SyncState::Enrolment::failed;
        enrolment_error_ = enrolled.error().message;
        spdlog::warn("enrolment failed: {}", enrolled.error().message);
      }
    }
    if (enrolled) engine_->notify();  // the token is in the store: deliver what waited
  });
}

void connect_kiosk(ui::KioskApp::Options& options, const std::unique_ptr<SyncLink>& link) {
  if (!link) return;
  options.save = [save = std::move(options.save), &link](const Record& record) {
    auto saved = save(record);
    if (saved && link) link->record_saved();
    return saved;
  };
  options.sync_state = [&link]() -> std::optional<ui::SyncState> {
    if (!link) return std::nullopt;
    return link->state();
  };
  options.enrol = [&link](const std::string& code) {
    if (link) link->enrol(code);
  };
}

void connect_staff(ui::StaffApp::Options& options, DeviceStore& store, const std::unique_ptr<SyncLink>& link) {
  if (!link) return;
  options.saved = [&link] {
    if (link) link->record_saved();
  };
  options.history =
      std::make_shared<HistoryWithFallback>(std::make_shared<sync::ServerCustomerHistory>(store, link->connection()),
                                            std::make_shared<LocalCustomerHistory>(store));
}

}  // namespace heed::app
