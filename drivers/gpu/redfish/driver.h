#pragma once
/// The redfish driver: a GPU node read through its BMC's Redfish service (DMTF DSP0266) over
/// HTTPS (drivers/api/http_client): the chosen ComputerSystem, its Processors of type GPU with
/// their metrics, and its Chassis power, limit, temperatures and fans (see crawler.h). One device
/// per system: the `system` key picks one on a multi-system BMC (blades, HGX baseboards); absent,
/// the first. Control: set_power (PowerControl PowerLimit or a Power Control's SetPoint, read
/// back), reboot (ComputerSystem.Reset, GracefulRestart preferred), locate
/// (LocationIndicatorActive, or IndicatorLED Blinking on older schemas).
///
/// Authentication: `auth = "session"` (POST SessionService/Sessions, X-Auth-Token, the session
/// DELETEd when the driver is destroyed; re-login once on 401) or "basic". TLS verified
/// against `ca_file` (or the system store); `insecure` skips verification (warned once);
/// `http` is refused unless `allow_http`.
///
/// Threading: as Driver (one io_context thread). Credentials never appear in errors or logs.
#include <optional>
#include <string>

#include "drivers/api/http_client.h"
#include "drivers/gpu/common/gpu_node_driver.h"
#include "drivers/gpu/redfish/crawler.h"

namespace rigkeeper::drivers::redfish {

inline constexpr uint16_t kDefaultPort = 443;

class RedfishDriver final : public gpu::GpuNodeDriver {
 public:
  RedfishDriver(asio::any_io_executor executor, const DeviceConfig& config);
  ~RedfishDriver() override;

  /// scheme://host:port of the BMC.
  const std::string& base_url() const { return base_; }
  /// The session token in use (empty with basic auth or before the first login).
  bool has_session() const { return !token_.empty(); }

  /// GET of one resource path as JSON (auth, TLS, size cap applied). kAuth on 401/403.
  asio::awaitable<Result<Json>> get_json(std::string path);

 protected:
  asio::awaitable<Result<gpu::GpuNodeReading>> read() override;
  asio::awaitable<Result<CommandOutcome>> execute_other(const DeviceCommand& cmd) override;

 public:
  /// poll() with the node-level fields (chassis power, fans, PowerState) the shared GPU
  /// reading has no room for.
  asio::awaitable<Result<DeviceSnapshot>> poll() override;

 private:
  asio::awaitable<Result<http::Response>> send(std::string method, std::string path,
                                               std::string body);
  asio::awaitable<Result<void>> login();
  asio::awaitable<Result<std::string>> expect_ok(std::string method, std::string path, Json body);
  asio::awaitable<Result<CommandOutcome>> set_power(double watts);
  asio::awaitable<Result<CommandOutcome>> reboot();
  asio::awaitable<Result<CommandOutcome>> locate();
  Error on_device(Error e) const;

  std::string base_;
  std::string username_;
  std::string password_;
  bool session_auth_ = true;
  bool allowed_ = true;  ///< false: http:// without allow_http
  std::optional<std::string> system_;
  std::chrono::milliseconds timeout_;
  std::string ca_file_;
  bool insecure_ = false;
  std::string token_;
  std::string session_uri_;
  std::optional<NodeRead> last_;
  Fetch fetch_;
};

/// Probe matcher: 30 when an answer of /redfish/v1 is a service root, 0 otherwise.
int match(const Probe& probe);
Identity identify(const Probe& probe);

const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::redfish
