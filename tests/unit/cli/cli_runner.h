#pragma once
// Runs the real `rigkeeper` binary (path baked in at build time) and splits what it printed.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rigkeeper::test {

struct CliRun {
  int code = -1;
  std::string output;  ///< stdout and stderr together
  /// Lines that are not log or error lines (those start with "rigkeeper: ").
  std::vector<std::string> result_lines() const;
};

CliRun rigkeeper_cli(std::vector<std::string> args, const std::string& stdin_data = {});

/// The only result line, parsed; fails the test (and returns null) unless there is exactly one
/// result line and it is JSON.
nlohmann::json single_json_line(const CliRun& run);

}  // namespace rigkeeper::test
