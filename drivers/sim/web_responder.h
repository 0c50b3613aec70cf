#pragma once
/// A firmware family's HTTP personality (Antminer web CGI, Braiins OS REST, VNish REST):
/// how one simulated device answers one HTTP request, authentication and state machine
/// included. Per-device state (sessions, tokens, the saved web config) lives in
/// AsicDevice::extension<T>(), so responders themselves are stateless singletons.
///
/// The fleet gives each device one HttpServer per responder of its family: on the family's
/// usual port (default_port) under a CIDR listen plan, on a kernel-chosen port otherwise; the
/// port reaches the daemon's config through `--emit-config` as the driver option named by
/// config_key() ("web_port", "rest_port").
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/http_server.h"
#include "drivers/sim/model_catalog.h"

namespace rigkeeper::drivers::sim {

class WebResponder {
 public:
  virtual ~WebResponder() = default;
  virtual std::string_view name() const = 0;        ///< "antminer-web", "vnish-rest", ...
  virtual uint16_t default_port() const = 0;        ///< 80 for the firmware's web server
  virtual std::string_view config_key() const = 0;  ///< driver option carrying the port
  /// The reply to one request at `now` (`now_unix`: wall clock for tokens and nonces).
  virtual HttpReply respond(const HttpRequest& request, AsicDevice& device, SimTime now,
                            int64_t now_unix) const = 0;
  /// Extra string driver options `--emit-config` writes for `device` (for example the web
  /// credentials the daemon needs: {"web_user","root"}); none by default.
  virtual std::vector<std::pair<std::string, std::string>> config_options(
      const AsicDevice& device) const {
    (void)device;
    return {};
  }
};

/// The HTTP personalities a family's devices serve besides the cgminer API (often none).
/// One registration line per family in web_responder.cpp.
std::vector<const WebResponder*> web_responders_for(Family family);

}  // namespace rigkeeper::drivers::sim
