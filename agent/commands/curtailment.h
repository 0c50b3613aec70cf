#pragma once
/// Curtailments this agent put in force: which devices it put to sleep, for which command,
/// until when, and what the driver said to restore on resume (its memo). Kept durably in the
/// store (meta key `commands.curtailments`, synchronous=FULL) so that a curtailment survives a
/// restart of rigkeeperd and is re-applied when a device comes back mining; resume only ever
/// wakes devices listed here. Also the pure planner of a budget curtail.
///
/// Threading: io_context thread only.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/store/store.h"

namespace rigkeeper::agent::commands {

struct Curtailment {
  std::string device_id;
  std::string command_id;  ///< the command that put it to sleep
  int64_t since_ms = 0;
  std::optional<int64_t> expires_ms;  ///< the command's expires_at: resume then
  double ramp_s = 0;                  ///< stage spread of the resume at expiry
  nlohmann::json memo;                ///< the driver's memo from the first curtail
  bool resume_failed = false;         ///< a resume was tried and failed: do not re-apply
};

class CurtailmentBook {
 public:
  static constexpr const char* kMetaKey = "commands.curtailments";

  /// `store` may be null (tests): then nothing is persisted.
  explicit CurtailmentBook(Store* store) : store_(store) {}

  /// Reads the persisted curtailments (a damaged value is reported and treated as none).
  Result<void> load();
  const Curtailment* find(const std::string& device_id) const;
  /// Inserts or replaces, then persists durably.
  Result<void> put(Curtailment c);
  Result<void> erase(const std::string& device_id);
  const std::map<std::string, Curtailment>& all() const { return entries_; }
  /// The earliest expiry among the entries.
  std::optional<int64_t> next_expiry_ms() const;

 private:
  Result<void> save();
  Store* store_;
  std::map<std::string, Curtailment> entries_;
};

/// A device that a budget curtail may put to sleep.
struct BudgetCandidate {
  std::string device_id;
  double power_w = 0;
  std::optional<double> efficiency_jth;  ///< J/TH; nullopt: unknown (chosen after known ones)
};

struct BudgetPlan {
  std::vector<std::string> to_sleep;  ///< in the order chosen
  double rack_power_w = 0;            ///< before
  double expected_w = 0;              ///< after sleeping `to_sleep` (their power removed)
  bool fits = false;                  ///< expected_w <= budget
};

/// Least efficient first (highest J/TH; ties: the larger consumer), until the rack's
/// last-known power minus the chosen devices' power fits `budget_w`.
BudgetPlan plan_budget(double rack_power_w, double budget_w,
                       std::vector<BudgetCandidate> candidates);

}  // namespace rigkeeper::agent::commands
