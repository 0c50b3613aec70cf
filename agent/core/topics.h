#pragma once
/// The contract's topic names (version 1), built once from site and rack.
#include <string>

namespace rigkeeper::agent {

struct Topics {
  Topics(const std::string& site, const std::string& rack)
      : prefix("rigkeeper/v1/" + site + "/" + rack),
        status(prefix + "/status"),
        rack(prefix + "/rack"),
        events(prefix + "/events"),
        cmd(prefix + "/cmd"),
        site_cmd("rigkeeper/v1/" + site + "/cmd"),
        ack(prefix + "/ack"),
        prices("rigkeeper/v1/" + site + "/prices") {}

  std::string telemetry(const std::string& device_id) const {
    return prefix + "/telemetry/" + device_id;
  }

  std::string prefix;
  std::string status;
  std::string rack;
  std::string events;
  std::string cmd;
  std::string site_cmd;
  std::string ack;
  std::string prices;
};

}  // namespace rigkeeper::agent
