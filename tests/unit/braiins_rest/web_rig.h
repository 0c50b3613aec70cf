#pragma once
// A simulated fleet on its own io_context thread and a web-API driver for one of its devices
// on the test thread, over real loopback HTTP: the rig for Braiins REST and VNish control
// round trips. The driver's config carries the web ports and credentials --emit-config writes.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/sim/fleet.h"

namespace rigkeeper::test {

class WebRig {
 public:
  /// A fleet of `asics` devices and the first one whose driver is `driver.name`.
  /// `delay_scale` 0.01: pauses land within 50 ms, a reboot keeps the API down ~0.6 s.
  WebRig(int asics, const drivers::DriverInfo& driver, double delay_scale = 0.01);
  ~WebRig();

  /// Runs `fn` on the simulator's thread and returns its result.
  template <class F>
  auto on_sim(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(sim_io_, [&task] { task(); });
    return result.get();
  }

  /// The simulator's executor (for extra servers the test runs beside the fleet).
  asio::any_io_executor sim_executor() { return sim_io_.get_executor(); }

  drivers::sim::AsicDevice& device() { return *fleet_->find(device_.id); }
  const drivers::sim::EmittedDevice& emitted() const { return device_; }
  /// The device's config as `--emit-config` describes it (ports and credentials included).
  drivers::DeviceConfig config() const;
  /// The rig's driver for `config`, on the test thread's io_context.
  std::unique_ptr<drivers::Driver> make_driver(const drivers::DeviceConfig& config);

  Result<drivers::CommandOutcome> execute(drivers::Driver& d, const std::string& type,
                                          nlohmann::json params = nlohmann::json::object());
  Result<drivers::DeviceSnapshot> poll(drivers::Driver& d);

  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(io_, std::move(aw), asio::use_future);
    io_.restart();
    io_.run();
    return fut.get();
  }

 private:
  const drivers::DriverInfo* driver_;
  asio::io_context sim_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{sim_io_.get_executor()};
  std::unique_ptr<drivers::sim::Fleet> fleet_;
  std::thread sim_thread_;
  drivers::sim::EmittedDevice device_;
  asio::io_context io_;
};

}  // namespace rigkeeper::test
