#pragma once
/// The "mqtt" spdlog logger shared by everything in agent/mqtt.
#include <memory>

#include <spdlog/logger.h>

namespace rigkeeper::agent {

/// The logger named "mqtt": the one the application registered under that name, or else one
/// created on first use with the default logger's sinks and level (and registered). Safe to
/// call from any thread (Paho's included).
std::shared_ptr<spdlog::logger> mqtt_logger();

}  // namespace rigkeeper::agent
