#pragma once
// Helpers for the simulator's tests: devices of a chosen model, readings at fixed instants,
// key sets of JSON objects, and a blocking TCP client with a deadline.
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim::test {

/// An identity of `family` playing `model` (searched among the fleet's first devices).
DeviceIdentity identity_of(Family family, std::string_view model, uint64_t seed = 1);

/// A fixed instant far from the steady clock's epoch, so tests never depend on "now".
SimTime t0();

/// A device of that model read at t0 + `after`, without faults.
DeviceReading reading_of(AsicDevice& device, std::chrono::seconds after,
                         const HealthEffects& effects = {});

/// The responder's reply to `command`, parsed back from the wire (ordered keys).
nlohmann::ordered_json reply_of(Family family, std::string_view command, const DeviceReading& r,
                                std::string_view parameter = {});

std::set<std::string> key_set(const nlohmann::ordered_json& object);
std::vector<std::string> key_list(const nlohmann::ordered_json& object);

/// The capture as ordered JSON (fixture path relative to shared/fixtures).
nlohmann::ordered_json fixture_json(const std::string& relative);

/// How a TCP exchange ended.
enum class Ending { kEof, kTimeout, kReset, kRefused, kError };

struct Exchange {
  std::string bytes;
  Ending ending = Ending::kError;
};

/// Connects, sends `payload`, reads until EOF or `timeout`.
Exchange tcp_exchange(const std::string& host, uint16_t port, std::string_view payload,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// The reply's JSON (trailing NUL removed); fails the test if not valid JSON + NUL.
nlohmann::ordered_json parse_reply(const Exchange& e);

}  // namespace rigkeeper::drivers::sim::test
