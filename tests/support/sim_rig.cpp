#include "tests/support/sim_rig.h"

#include <stdexcept>

#include "drivers/api/cgminer_client.h"
#include "drivers/api/registry.h"

namespace rigkeeper::test {

SimRig::SimRig(int asics, const std::string& driver_name, SimRigOptions options)
    : info_(drivers::find_driver(driver_name)), credentials_(options.credentials) {
  if (info_ == nullptr) throw std::runtime_error("no driver " + driver_name);
  drivers::sim::FleetOptions o;
  o.asics = asics;
  o.seed = options.seed;
  o.listen = "127.0.0.1:0";
  o.delay_scale = options.delay_scale;
  auto f = drivers::sim::Fleet::create(sim_io_.get_executor(), std::move(o));
  if (!f) throw std::runtime_error(f.error().message);
  fleet_ = std::move(*f);
  if (auto ok = fleet_->start(); !ok) throw std::runtime_error(ok.error().message);
  bool found = false;
  for (const auto& d : fleet_->devices()) {
    if (d.driver == driver_name && (options.model.empty() || d.model == options.model)) {
      device_ = d;
      found = true;
      break;
    }
  }
  if (!found) {
    fleet_->stop();
    throw std::runtime_error("no " + driver_name + " device in the fleet");
  }
  sim_thread_ = std::thread([this] { sim_io_.run(); });
  driver_ = make_driver(config());
}

SimRig::~SimRig() {
  on_sim([this] {
    fleet_->stop();
    return 0;
  });
  work_.reset();
  sim_io_.stop();
  sim_thread_.join();
}

drivers::DeviceConfig SimRig::config() const {
  drivers::DeviceConfig c;
  c.id = device_.id;
  c.host = device_.host;
  c.port = device_.port;
  c.timeout = std::chrono::milliseconds(3000);
  for (const auto& w : device_.web) c.options.set(w.config_key, int64_t{w.port});
  if (credentials_) {
    for (const auto& [k, v] : device_.options) c.options.set(k, v);
  }
  return c;
}

std::string SimRig::option(const std::string& key) const {
  for (const auto& [k, v] : device_.options) {
    if (k == key) return v;
  }
  throw std::runtime_error("the emitted config of " + device_.id + " has no " + key);
}

std::unique_ptr<drivers::Driver> SimRig::make_driver(const drivers::DeviceConfig& config) {
  return info_->create(io_.get_executor(), config);
}

Result<drivers::CommandOutcome> SimRig::execute(const std::string& type, nlohmann::json params,
                                                nlohmann::json memo) {
  return execute(*driver_, type, std::move(params), std::move(memo));
}

Result<drivers::CommandOutcome> SimRig::execute(drivers::Driver& d, const std::string& type,
                                                nlohmann::json params, nlohmann::json memo) {
  drivers::DeviceCommand cmd;
  cmd.type = type;
  cmd.params = std::move(params);
  cmd.memo = std::move(memo);
  return run(d.execute(cmd));
}

Result<nlohmann::json> SimRig::command(const std::string& cmd, const std::string& param) {
  drivers::CgminerClient client(io_.get_executor(), device_.host, device_.port);
  return run(client.command(cmd, param));
}

}  // namespace rigkeeper::test
