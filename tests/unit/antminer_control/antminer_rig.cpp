#include "tests/unit/antminer_control/antminer_rig.h"

#include <stdexcept>

#include "drivers/api/http_client.h"
#include "drivers/asic/antminer/driver.h"

namespace rigkeeper::test {

AntminerRig::AntminerRig(std::optional<WebCredentials> credentials, double delay_scale) {
  drivers::sim::FleetOptions o;
  o.asics = 1;  // asic-001 is an Antminer
  o.seed = 7;
  o.listen = "127.0.0.1:0";
  o.delay_scale = delay_scale;
  auto f = drivers::sim::Fleet::create(sim_io_.get_executor(), std::move(o));
  if (!f) throw std::runtime_error(f.error().message);
  fleet_ = std::move(*f);
  if (auto ok = fleet_->start(); !ok) throw std::runtime_error(ok.error().message);
  device_ = fleet_->devices().at(0);
  if (device_.driver != "antminer" || device_.web.size() != 1) {
    throw std::runtime_error("asic-001 is not an Antminer with one web port");
  }
  sim_thread_ = std::thread([this] { sim_io_.run(); });

  drivers::DeviceConfig c;
  c.id = device_.id;
  c.host = device_.host;
  c.port = device_.port;
  c.timeout = std::chrono::milliseconds(3000);
  c.options.set("web_port", static_cast<int64_t>(device_.web[0].port));
  if (credentials) {
    c.options.set("web_user", credentials->user.empty() ? option("web_user") : credentials->user);
    c.options.set("web_password",
                  credentials->password.empty() ? option("web_password") : credentials->password);
  }
  const auto* info = &drivers::antminer::driver_info();

  driver_ = info->create(io_.get_executor(), c);
}

AntminerRig::~AntminerRig() {
  on_sim([this] {
    fleet_->stop();
    return 0;
  });
  work_.reset();
  sim_io_.stop();
  sim_thread_.join();
}

std::string AntminerRig::option(const std::string& key) const {
  for (const auto& [k, v] : device_.options) {
    if (k == key) return v;
  }
  throw std::runtime_error("the emitted config has no " + key);
}

Result<drivers::CommandOutcome> AntminerRig::execute(const std::string& type, nlohmann::json params,
                                                     nlohmann::json memo) {
  drivers::DeviceCommand cmd;
  cmd.type = type;
  cmd.params = std::move(params);
  cmd.memo = std::move(memo);
  return run(driver_->execute(cmd));
}

Result<drivers::DeviceSnapshot> AntminerRig::poll() { return run(driver_->poll()); }

Result<std::string> AntminerRig::cgi(const std::string& method, const std::string& name,
                                     const std::string& body) {
  drivers::http::Request req;
  req.method = method;
  req.url =
      "http://" + device_.host + ":" + std::to_string(device_.web[0].port) + "/cgi-bin/" + name;
  req.body = body;
  req.auth = drivers::http::Auth::kDigest;
  req.username = option("web_user");
  req.password = option("web_password");
  auto r = run(drivers::http::fetch(req));
  if (!r) return tl::unexpected(r.error());
  if (!r->ok()) return fail(Errc::kDeviceError, "HTTP " + std::to_string(r->status));
  return r->body;
}

}  // namespace rigkeeper::test
