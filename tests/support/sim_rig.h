#pragma once
// A simulated fleet on its own io_context thread and drivers for one of its devices on the test
// thread, talking over real loopback sockets and HTTP: the rig for control round trips of every
// family. The default driver's config is what `--emit-config` writes for the device (its web
// ports and credentials included); tests that need other settings build one from config().
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/sim/fleet.h"

namespace rigkeeper::test {

struct SimRigOptions {
  /// 0.01: pauses land within 50 ms, a reboot keeps the API down ~0.6 s.
  double delay_scale = 0.01;
  std::string model;  ///< the first device of this model ("" = any of the family)
  uint64_t seed = 5;
  /// false: config() leaves out the credentials --emit-config wrote (a device nobody set up).
  bool credentials = true;
};

class SimRig {
 public:
  /// A fleet of `asics` devices and a driver `driver_name` for its first device of that family.
  SimRig(int asics, const std::string& driver_name, SimRigOptions options = {});
  ~SimRig();
  SimRig(const SimRig&) = delete;
  SimRig& operator=(const SimRig&) = delete;

  /// Runs `fn` on the simulator's thread and returns its result.
  template <class F>
  auto on_sim(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(sim_io_, [&task] { task(); });
    return result.get();
  }

  /// The simulator's executor (for extra servers a test runs beside the fleet).
  asio::any_io_executor sim_executor() { return sim_io_.get_executor(); }

  /// The simulated device behind the driver (touch it only inside on_sim).
  drivers::sim::AsicDevice& device() { return *fleet_->find(device_.id); }
  const drivers::sim::EmittedDevice& emitted() const { return device_; }
  /// The device's config as `--emit-config` describes it (ports, and credentials unless the
  /// options said otherwise).
  drivers::DeviceConfig config() const;
  /// An option `--emit-config` wrote for the device (credentials); throws when absent.
  std::string option(const std::string& key) const;

  /// The rig's default driver (built from config()), and others for other configs.
  drivers::Driver& driver() { return *driver_; }
  std::unique_ptr<drivers::Driver> make_driver(const drivers::DeviceConfig& config);

  Result<drivers::CommandOutcome> execute(const std::string& type,
                                          nlohmann::json params = nlohmann::json::object(),
                                          nlohmann::json memo = nullptr);
  Result<drivers::CommandOutcome> execute(drivers::Driver& d, const std::string& type,
                                          nlohmann::json params = nlohmann::json::object(),
                                          nlohmann::json memo = nullptr);
  Result<drivers::DeviceSnapshot> poll() { return poll(*driver_); }
  Result<drivers::DeviceSnapshot> poll(drivers::Driver& d) { return run(d.poll()); }
  /// One raw cgminer-API command through a fresh CgminerClient (STATUS-checked).
  Result<nlohmann::json> command(const std::string& cmd, const std::string& param = {});

  /// Polls the default driver until `pred(snapshot)` holds or `limit` passes; the last one.
  template <class P>
  Result<drivers::DeviceSnapshot> poll_until(
      P pred, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto s = poll();
      if ((s && pred(*s)) || std::chrono::steady_clock::now() > end) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  /// Runs `aw` to completion on the test thread's io_context.
  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(io_, std::move(aw), asio::use_future);
    io_.restart();
    io_.run();
    return fut.get();
  }

 private:
  const drivers::DriverInfo* info_ = nullptr;
  asio::io_context sim_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{sim_io_.get_executor()};
  std::unique_ptr<drivers::sim::Fleet> fleet_;
  std::thread sim_thread_;
  drivers::sim::EmittedDevice device_;
  bool credentials_ = true;
  asio::io_context io_;
  std::unique_ptr<drivers::Driver> driver_;
};

}  // namespace rigkeeper::test
