#pragma once
/// Command acknowledgements (`P/ack`) and the agent's own events (`P/events`) in the
/// contract's shapes.
///
/// Threading: pure values and functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/timestamp.h"

namespace rigkeeper::agent::commands {

/// Per-device result statuses used in acks: "done", "failed", "expired", and "unchanged" for a
/// targeted device the command deliberately left alone (the detail says why).
struct DeviceResult {
  std::string device_id;
  std::string status;
  std::string detail;
  std::optional<std::string> state;  ///< state read back; nullopt when unknown
};

/// Ack statuses: "accepted", "rejected" (first); "done", "partial", "failed", "expired" (final).
struct Ack {
  std::string id;
  Timestamp ts;
  std::string status;
  std::optional<std::string> reason;
  std::vector<DeviceResult> results;
  std::optional<double> rack_power_w;
};

nlohmann::json to_json(const Ack& ack);

/// True for the statuses that end a command.
bool is_final(std::string_view status);

/// The final status of a set of device results: all done/unchanged -> "done"; all expired ->
/// "expired"; none done -> "failed"; otherwise "partial". No results at all -> "done".
std::string final_status(const std::vector<DeviceResult>& results);

/// One event in the contract's shape (component null, predicted_failure_at null). The id is
/// unique: "<device_id>-<code>-<unix ms>-<random hex>".
nlohmann::json make_event(std::string_view device_id, std::string_view severity,
                          std::string_view code, std::string message, nlohmann::json evidence,
                          std::string action);

}  // namespace rigkeeper::agent::commands
