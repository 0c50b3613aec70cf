#include "tests/unit/braiins_rest/web_rig.h"

#include <stdexcept>

namespace rigkeeper::test {

WebRig::WebRig(int asics, const drivers::DriverInfo& driver, double delay_scale)
    : driver_(&driver) {
  const std::string& driver_name = driver.name;
  drivers::sim::FleetOptions o;
  o.asics = asics;
  o.seed = 7;
  o.listen = "127.0.0.1:0";
  o.delay_scale = delay_scale;
  auto f = drivers::sim::Fleet::create(sim_io_.get_executor(), std::move(o));
  if (!f) throw std::runtime_error(f.error().message);
  fleet_ = std::move(*f);
  if (auto ok = fleet_->start(); !ok) throw std::runtime_error(ok.error().message);
  bool found = false;
  for (const auto& d : fleet_->devices()) {
    if (d.driver == driver_name) {
      device_ = d;
      found = true;
      break;
    }
  }
  if (!found) throw std::runtime_error("no " + driver_name + " device in the fleet");
  sim_thread_ = std::thread([this] { sim_io_.run(); });
}

WebRig::~WebRig() {
  on_sim([this] {
    fleet_->stop();
    return 0;
  });
  work_.reset();
  sim_io_.stop();
  sim_thread_.join();
}

drivers::DeviceConfig WebRig::config() const {
  drivers::DeviceConfig c;
  c.id = device_.id;
  c.host = device_.host;
  c.port = device_.port;
  c.timeout = std::chrono::milliseconds(3000);
  for (const auto& w : device_.web) c.options.set(w.config_key, int64_t{w.port});
  for (const auto& [k, v] : device_.options) c.options.set(k, v);
  return c;
}

std::unique_ptr<drivers::Driver> WebRig::make_driver(const drivers::DeviceConfig& config) {
  return driver_->create(io_.get_executor(), config);
}

Result<drivers::CommandOutcome> WebRig::execute(drivers::Driver& d, const std::string& type,
                                                nlohmann::json params) {
  drivers::DeviceCommand cmd;
  cmd.type = type;
  cmd.params = std::move(params);
  return run(d.execute(cmd));
}

Result<drivers::DeviceSnapshot> WebRig::poll(drivers::Driver& d) { return run(d.poll()); }

}  // namespace rigkeeper::test
