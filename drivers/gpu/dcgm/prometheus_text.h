#pragma once
/// A tolerant parser of the Prometheus text exposition format (version 0.0.4), as
/// dcgm-exporter serves it: `# HELP` / `# TYPE` lines, then `name{label="value",...} value
/// [timestamp]` samples. Label values and HELP text are unescaped (\\, \", \n).
///
/// Robustness: the input is untrusted. A malformed line is skipped and counted (never a
/// crash); the sample count and line length are capped. Errors only when nothing usable is
/// left: kProtocol naming the first problem.
///
/// Thread-safety: pure function.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::prom {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;

  /// The value of label `key`, or nullptr.
  const std::string* label(std::string_view key) const;
};

struct Exposition {
  std::map<std::string, std::string> help;  ///< metric name -> HELP text (unescaped)
  std::map<std::string, std::string> type;  ///< metric name -> counter, gauge, ...
  std::vector<Sample> samples;
  size_t skipped_lines = 0;   ///< malformed lines ignored
  std::string first_problem;  ///< what was wrong with the first skipped line
};

struct Limits {
  size_t max_samples = 100000;
  size_t max_line = 64 * 1024;
  size_t max_labels = 64;
};

/// Parses an exposition. kProtocol when the text holds no sample and at least one malformed
/// line (an empty exposition is valid and has no samples).
Result<Exposition> parse_text(std::string_view text, const Limits& limits = {});

}  // namespace rigkeeper::drivers::prom
