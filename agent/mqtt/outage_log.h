#pragma once
/// Logging of broker connection problems without flooding the log during a long outage: the
/// first failure is logged at once, later ones at growing intervals (30 s, 1 min, 2 min, ...
/// at most hourly) with the count so far, and the end of the outage once as "reconnected".
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace rigkeeper::agent {

class OutageLog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit OutageLog(std::shared_ptr<spdlog::logger> log);

  /// A connect attempt failed (`reason` from Paho). Returns true if it was logged.
  bool failed(const std::string& reason, Clock::time_point now = Clock::now());
  /// An established connection was lost; always logged (it is the start of an outage).
  void lost(const std::string& reason, Clock::time_point now = Clock::now());
  /// Connected: logs "connected" the first time and "reconnected after ..." after an outage.
  void connected(const std::string& broker, bool session_present,
                 Clock::time_point now = Clock::now());

  uint64_t failures() const { return failures_; }

 private:
  std::shared_ptr<spdlog::logger> log_;
  bool ever_connected_ = false;
  bool in_outage_ = false;
  uint64_t failures_ = 0;  ///< failed attempts in the current outage
  Clock::time_point outage_start_{};
  Clock::time_point next_log_{};
  std::chrono::seconds interval_{30};
};

}  // namespace rigkeeper::agent
