#pragma once
// Internal to agent/commands: what one running command and one device's share of it hold.
#include <memory>

#include <spdlog/spdlog.h>

#include "agent/commands/command_processor.h"

namespace rigkeeper::agent::commands {

std::shared_ptr<spdlog::logger> cmd_logger();

struct CommandProcessor::Job {
  Command cmd;
  Origin origin;
  std::vector<Origin> extra;  ///< repeats of the id that arrived while it ran
  bool internal = false;      ///< the agent's own (resume at expiry): no journal, no acks
};

struct CommandProcessor::Task {
  std::string device_id;
  drivers::DeviceCommand dc;
  std::chrono::milliseconds delay{0};  ///< its stage in a ramp
  bool new_record = false;             ///< curtail: the curtailment record is this job's
};

}  // namespace rigkeeper::agent::commands
