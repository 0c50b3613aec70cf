#include "agent/mqtt/mqtt_log.h"

#include <spdlog/spdlog.h>

#include <mutex>

namespace rigkeeper::agent {

std::shared_ptr<spdlog::logger> mqtt_logger() {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = spdlog::get("mqtt")) return existing;
  auto fallback = spdlog::default_logger();
  auto logger =
      std::make_shared<spdlog::logger>("mqtt", fallback->sinks().begin(), fallback->sinks().end());
  logger->set_level(fallback->level());
  try {
    spdlog::register_logger(logger);
  } catch (const spdlog::spdlog_ex&) {
    // Registered by someone else between get() and here.
    if (auto existing = spdlog::get("mqtt")) return existing;
  }
  return logger;
}

}  // namespace rigkeeper::agent
