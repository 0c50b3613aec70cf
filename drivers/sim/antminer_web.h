#pragma once
/// The web CGI of stock Antminer firmware (lighttpd + bmminer, port 80), behind HTTP digest
/// authentication (realm "antMiner Configuration", root/root):
///   GET  /cgi-bin/get_system_info.cgi   identity (minertype, serinum, macaddr, firmware)
///   GET  /cgi-bin/get_miner_conf.cgi    the whole miner config: pools, fan, bitmain-work-mode
///   POST /cgi-bin/set_miner_conf.cgi    the whole config back; "miner-mode" (int or string,
///                                       newer firmware) or "bitmain-work-mode" (older): 0
///                                       normal, 1 sleep, 3 low power; "pools" rewritten
///   GET  /cgi-bin/reboot.cgi            reboots
///   POST /cgi-bin/blink.cgi             {"blink":true|false} locate LED
///   GET  /cgi-bin/get_blink_status.cgi  {"blink":bool}
/// The work mode is not kept across a reboot: the miner boots in normal mode and hashes (the
/// behaviour the agent's re-apply-after-reboot exists for).
///
/// Thread-safety: stateless; the per-device state is an AsicDevice extension.
#include "drivers/sim/web_responder.h"

namespace rigkeeper::drivers::sim {

inline constexpr std::string_view kAntminerRealm = "antMiner Configuration";
inline constexpr std::string_view kAntminerWebUser = "root";
inline constexpr std::string_view kAntminerWebPassword = "root";

class AntminerWeb final : public WebResponder {
 public:
  std::string_view name() const override { return "antminer-web"; }
  uint16_t default_port() const override { return 80; }
  std::string_view config_key() const override { return "web_port"; }
  HttpReply respond(const HttpRequest& request, AsicDevice& device, SimTime now,
                    int64_t now_unix) const override;
  std::vector<std::pair<std::string, std::string>> config_options(
      const AsicDevice& device) const override;
};

const WebResponder& antminer_web();

}  // namespace rigkeeper::drivers::sim
