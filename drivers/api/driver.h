#pragma once
/// The Driver interface: what the core needs from any device family. A driver is a thin join
/// of a transport (I/O, injected executor) and a pure parser (bytes in, telemetry out).
///
/// Threading: a Driver instance belongs to one device and is used from one io_context thread;
/// its coroutines never block that thread. Errors come back as values, never as exceptions.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/options.h"
#include "drivers/api/result.h"
#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers {

/// What a driver can do. Control verbs map onto the contract's command types.
enum Capability : uint32_t {
  kCapRead = 1u << 0,
  kCapCurtail = 1u << 1,
  kCapResume = 1u << 2,
  kCapSetPower = 1u << 3,
  kCapSwitchPool = 1u << 4,
  kCapSwitchProfile = 1u << 5,
  kCapReboot = 1u << 6,
  kCapLocate = 1u << 7,
  kCapSwitchWorkload = 1u << 8,
};

/// Names of the capability bits set in `caps`, e.g. {"read", "curtail"}.
std::vector<std::string> capability_names(uint32_t caps);

/// Where and how to reach one device, as configured.
struct DeviceConfig {
  std::string id;
  std::string host;
  std::optional<uint16_t> port;             ///< nullopt: the driver's default port
  std::chrono::milliseconds timeout{3000};  ///< deadline for one request to the device
  Options options;  ///< driver-specific, validated against DriverInfo::config_keys
};

/// What identification learned of a device before it is polled.
struct Identity {
  std::string driver;  ///< registry name of the driver that matches
  std::string make;
  std::string model;
  std::string firmware;  ///< contract value (stock, luxos, braiins, cgminer, ...)
  std::optional<std::string> firmware_version;
};

/// What a plain HTTP GET of a device's web port returned, for detection by web markers.
struct WebProbe {
  std::string url;     ///< what was fetched (http://host/ or a family's known endpoint)
  long status = 0;     ///< HTTP status
  std::string realm;   ///< WWW-Authenticate realm, empty when there was no challenge
  std::string server;  ///< Server header, empty when absent
  std::string body;    ///< the first 16 KiB of the body
};

/// The replies a detector gathered from an unknown device. Each is nullopt when the device
/// did not answer that request (refused, denied or garbage).
struct Probe {
  std::optional<nlohmann::json> cgminer_version;     ///< reply to {"command":"version"}
  std::optional<nlohmann::json> cgminer_devdetails;  ///< reply to {"command":"devdetails"}
  /// Web answers, keyed by path ("/" on port 80, "/api/v1/info", ...): every GET the
  /// detector made that got an HTTP reply, whatever its status.
  std::vector<WebProbe> web;
  /// Raw reply of the Whatsminer API v3 port (4433) to a get.device.info request, if any.
  std::optional<nlohmann::json> whatsminer_v3;

  /// The web answer fetched from `path`, or nullptr.
  const WebProbe* web_at(std::string_view path) const;
};

/// A control request for one device (the agent splits rack commands into these).
///
/// Per-device types and params: curtail {"mode":"sleep"}; resume {}; set_power {"watts":N};
/// switch_pool {"url","user","password"}; switch_profile {"profile":S}; reboot {}; locate {}
/// (optional "seconds"); switch_workload {"workload":S}.
struct DeviceCommand {
  std::string type;  ///< contract command type: curtail, resume, set_power, ...
  nlohmann::json params = nlohmann::json::object();
  /// What the driver returned as CommandOutcome::memo when it curtailed this device (the
  /// mode or profile it had before), kept by the agent across restarts and handed back on
  /// resume; null when there is none.
  nlohmann::json memo;
};

/// What a control verb achieved, read back from the device.
struct CommandOutcome {
  DeviceState state = DeviceState::kOffline;  ///< as read back after the verb
  std::string detail;  ///< confirmed values, e.g. "power target 3000 W (profile 290MHz)"
  /// True when the read-back shows the verb took effect; false when the device accepted it
  /// but has not reached the requested state yet (waking, ramping): the agent re-reads later.
  bool confirmed = true;
  /// State to restore on resume (curtail only), e.g. {"mode":"normal"}; null when nothing.
  nlohmann::json memo;
};

/// A CommandOutcome without a memo.
inline CommandOutcome make_outcome(DeviceState state, std::string detail, bool confirmed = true) {
  CommandOutcome o;
  o.state = state;
  o.detail = std::move(detail);
  o.confirmed = confirmed;
  return o;
}

class Driver {
 public:
  virtual ~Driver() = default;

  /// Reads one full snapshot: device_id, host and ts filled in, and the derived fields
  /// (derive_fields) already applied, so callers use it as it is.
  virtual asio::awaitable<Result<DeviceSnapshot>> poll() = 0;

  /// Applies a control verb and reads the state back. Default: Errc::kUnsupported.
  /// Failures say why: kAuth (credentials refused), kUnsupported (not on this firmware or
  /// model), kDeviceError (the device refused, with its message), transport errors as poll().
  virtual asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd);
};

/// Self-description of a driver family; one static instance per driver, listed in the
/// generated registry. Adding a driver never edits a central switch.
struct DriverInfo {
  std::string name;         ///< registry and config name: "antminer", "luxos", ...
  std::string firmware;     ///< contract firmware value the driver reports
  std::string description;  ///< one line for docs and `--help`
  uint32_t capabilities = kCapRead;
  uint16_t default_port = 4028;
  std::vector<ConfigKey> config_keys;
  /// How strongly a probe matches this family: 0 = not this family; the generic cgminer
  /// fallback answers 1 to any cgminer reply; specific families answer 10 or more.
  std::function<int(const Probe&)> match;
  /// Make, model, firmware version from a matching probe.
  std::function<Identity(const Probe&)> identify;
  /// Creates the driver for one device.
  std::function<std::unique_ptr<Driver>(asio::any_io_executor, const DeviceConfig&)> create;
};

}  // namespace rigkeeper::drivers
