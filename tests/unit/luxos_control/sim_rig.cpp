#include "tests/unit/luxos_control/sim_rig.h"

#include "drivers/api/cgminer_client.h"
#include "drivers/api/registry.h"

namespace rigkeeper::test {

SimRig::SimRig(int asics, const std::string& driver_name, double delay_scale,
               const std::string& model) {
  drivers::sim::FleetOptions o;
  o.asics = asics;
  o.seed = 5;
  o.listen = "127.0.0.1:0";
  o.delay_scale = delay_scale;
  auto f = drivers::sim::Fleet::create(sim_io_.get_executor(), std::move(o));
  if (!f) throw std::runtime_error(f.error().message);
  fleet_ = std::move(*f);
  if (auto ok = fleet_->start(); !ok) throw std::runtime_error(ok.error().message);
  bool found = false;
  for (const auto& d : fleet_->devices()) {
    if (d.driver == driver_name && (model.empty() || d.model == model)) {
      device_ = d;
      found = true;
      break;
    }
  }
  if (!found) throw std::runtime_error("no " + driver_name + " device in the fleet");
  sim_thread_ = std::thread([this] { sim_io_.run(); });
  const auto* info = drivers::find_driver(driver_name);
  if (info == nullptr) throw std::runtime_error("no driver " + driver_name);
  driver_ = info->create(io_.get_executor(), config());
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
  return c;
}

Result<drivers::CommandOutcome> SimRig::execute(const std::string& type, nlohmann::json params,
                                                nlohmann::json memo) {
  drivers::DeviceCommand cmd;
  cmd.type = type;
  cmd.params = std::move(params);
  cmd.memo = std::move(memo);
  return run(driver_->execute(cmd));
}

Result<drivers::DeviceSnapshot> SimRig::poll() { return run(driver_->poll()); }

Result<nlohmann::json> SimRig::command(const std::string& cmd, const std::string& param) {
  drivers::CgminerClient client(io_.get_executor(), device_.host, device_.port);
  return run(client.command(cmd, param));
}

}  // namespace rigkeeper::test
