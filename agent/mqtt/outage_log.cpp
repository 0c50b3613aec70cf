#include "agent/mqtt/outage_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace rigkeeper::agent {

namespace {
constexpr std::chrono::seconds kFirstInterval{30};
constexpr std::chrono::seconds kMaxInterval{3600};

long long seconds_between(OutageLog::Clock::time_point a, OutageLog::Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::seconds>(b - a).count();
}
}  // namespace

OutageLog::OutageLog(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {}

bool OutageLog::failed(const std::string& reason, Clock::time_point now) {
  ++failures_;
  if (!in_outage_) {
    in_outage_ = true;
    outage_start_ = now;
    interval_ = kFirstInterval;
    next_log_ = now + interval_;
    log_->warn("cannot connect to the broker: {} (retrying with backoff)", reason);
    return true;
  }
  if (now < next_log_) return false;
  log_->warn("still cannot connect to the broker after {} attempts over {} s: {}", failures_,
             seconds_between(outage_start_, now), reason);
  interval_ = std::min(interval_ * 2, kMaxInterval);
  next_log_ = now + interval_;
  return true;
}

void OutageLog::lost(const std::string& reason, Clock::time_point now) {
  in_outage_ = true;
  failures_ = 0;
  outage_start_ = now;
  interval_ = kFirstInterval;
  next_log_ = now + interval_;
  log_->warn("connection to the broker lost: {}", reason);
}

void OutageLog::connected(const std::string& broker, bool session_present, Clock::time_point now) {
  if (!ever_connected_ && !in_outage_) {
    log_->info("connected to {} (MQTT v5, session {})", broker,
               session_present ? "resumed" : "new");
  } else if (!ever_connected_) {
    log_->info("connected to {} after {} failed attempts over {} s (session {})", broker, failures_,
               seconds_between(outage_start_, now), session_present ? "resumed" : "new");
  } else {
    log_->info("reconnected to {} after {} s and {} failed attempts (session {})", broker,
               seconds_between(outage_start_, now), failures_, session_present ? "resumed" : "new");
  }
  ever_connected_ = true;
  in_outage_ = false;
  failures_ = 0;
}

}  // namespace rigkeeper::agent
