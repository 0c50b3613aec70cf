#pragma once
// A simulated fleet on its own io_context thread and the stock Antminer driver for its first
// Antminer on the test thread, over real loopback sockets (cgminer API and web CGI).
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/sim/fleet.h"

namespace rigkeeper::test {

struct WebCredentials {
  std::string user;
  std::string password;
};

class AntminerRig {
 public:
  /// `credentials`: nullopt configures none; default: what --emit-config writes.
  explicit AntminerRig(std::optional<WebCredentials> credentials = WebCredentials{"", ""},
                       double delay_scale = 0.01);
  ~AntminerRig();

  template <class F>
  auto on_sim(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(sim_io_, [&task] { task(); });
    return result.get();
  }

  drivers::sim::AsicDevice& device() { return *fleet_->find(device_.id); }
  const drivers::sim::EmittedDevice& emitted() const { return device_; }

  Result<drivers::CommandOutcome> execute(const std::string& type,
                                          nlohmann::json params = nlohmann::json::object(),
                                          nlohmann::json memo = nullptr);
  Result<drivers::DeviceSnapshot> poll();
  /// One web CGI request with the emitted credentials; the body or the error.
  Result<std::string> cgi(const std::string& method, const std::string& name,
                          const std::string& body = {});

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

 private:
  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(io_, std::move(aw), asio::use_future);
    io_.restart();
    io_.run();
    return fut.get();
  }
  std::string option(const std::string& key) const;

  asio::io_context sim_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{sim_io_.get_executor()};
  std::unique_ptr<drivers::sim::Fleet> fleet_;
  std::thread sim_thread_;
  drivers::sim::EmittedDevice device_;
  asio::io_context io_;
  std::unique_ptr<drivers::Driver> driver_;
};

}  // namespace rigkeeper::test
