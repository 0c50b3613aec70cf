#pragma once
// A simulated fleet on its own io_context thread and a driver for one of its devices on the
// test thread, talking over real loopback sockets: the rig for control round trips.
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/sim/fleet.h"

namespace rigkeeper::test {

class SimRig {
 public:
  /// A fleet of `asics` devices (delays scaled by `delay_scale`) and a driver named
  /// `driver_name` for the first device of that family.
  /// `model`: the first device of that model instead ("" = any).
  SimRig(int asics, const std::string& driver_name, double delay_scale = 0.01,
         const std::string& model = "");
  ~SimRig();

  /// Runs `fn` on the simulator's thread and returns its result.
  template <class F>
  auto on_sim(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(sim_io_, [&task] { task(); });
    return result.get();
  }

  /// The simulated device behind the driver (touch it only inside on_sim).
  drivers::sim::AsicDevice& device() { return *fleet_->find(device_.id); }
  const drivers::sim::EmittedDevice& emitted() const { return device_; }
  drivers::DeviceConfig config() const;

  Result<drivers::CommandOutcome> execute(const std::string& type,
                                          nlohmann::json params = nlohmann::json::object(),
                                          nlohmann::json memo = nullptr);
  Result<drivers::DeviceSnapshot> poll();
  /// One raw command to the device through a fresh CgminerClient (STATUS-checked).
  Result<nlohmann::json> command(const std::string& cmd, const std::string& param = {});
  /// Polls until `pred(snapshot)` holds or `limit` passes; the last snapshot.
  template <class P>
  Result<drivers::DeviceSnapshot> poll_until(
      P pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto s = poll();
      if ((s && pred(*s)) || std::chrono::steady_clock::now() > end) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  drivers::Driver& driver() { return *driver_; }

 private:
  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(io_, std::move(aw), asio::use_future);
    io_.restart();
    io_.run();
    return fut.get();
  }

  asio::io_context sim_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{sim_io_.get_executor()};
  std::unique_ptr<drivers::sim::Fleet> fleet_;
  std::thread sim_thread_;
  drivers::sim::EmittedDevice device_;
  asio::io_context io_;
  std::unique_ptr<drivers::Driver> driver_;
};

}  // namespace rigkeeper::test
