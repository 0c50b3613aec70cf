#pragma once
/// Replies that change rarely (identity, settings, error history, tuner state), asked for only
/// once per refresh period instead of on every poll: on a web-API family each one is a whole
/// HTTP request. The driver forgets them after a control verb and when the device restarted,
/// so what a verb changed is read again on the next poll.
///
/// Kept as compact JSON text (a few hundred bytes to a few kB per device) rather than as a
/// parsed tree, which would take several times that on the heap of a 1000-device rack.
///
/// Threading: one instance per driver, used from its executor.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::asic {

/// How long a slow reply is reused before it is asked again.
inline constexpr std::chrono::seconds kSlowRefresh{60};

class SlowReplies {
 public:
  using Clock = std::chrono::steady_clock;

  /// `period`: Clock::duration::max() keeps each reply until forget() (identity replies such
  /// as `version`, read again only after a restart).
  explicit SlowReplies(Clock::duration period = kSlowRefresh) : period_(period) {}

  /// True when `key` must be asked on this poll: never asked, older than the period, or
  /// forgotten.
  bool due(std::string_view key, Clock::time_point now = Clock::now()) const;
  /// Remembers a fresh reply to `key`.
  void store(std::string_view key, const nlohmann::json& reply,
             Clock::time_point now = Clock::now());
  /// The remembered reply to `key`, or nullopt.
  std::optional<nlohmann::json> cached(std::string_view key) const;
  /// Forgets everything (after a control verb, a restart, a new firmware).
  void forget() { entries_.clear(); }
  /// The uptime a poll read: a lower one than the last means the device restarted (perhaps
  /// with new firmware or settings), and everything is forgotten.
  void saw_uptime(std::optional<int64_t> uptime_s);

 private:
  struct Entry {
    std::string key;
    std::string text;
    Clock::time_point at;
  };
  const Entry* find(std::string_view key) const;

  Clock::duration period_;
  std::vector<Entry> entries_;
  std::optional<int64_t> last_uptime_s_;
};

}  // namespace rigkeeper::drivers::asic
