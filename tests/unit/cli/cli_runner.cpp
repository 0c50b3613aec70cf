#include "tests/unit/cli/cli_runner.h"

#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/process.h"

namespace rigkeeper::test {

std::vector<std::string> CliRun::result_lines() const {
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.rfind("rigkeeper: ", 0) != 0) lines.push_back(line);
  return lines;
}

CliRun rigkeeper_cli(std::vector<std::string> args, const std::string& stdin_data) {
  args.insert(args.begin(), RIGKEEPER_BIN);
  CliRun run;
  run.code = run_command(args, &run.output, std::chrono::seconds(60), stdin_data);
  return run;
}

nlohmann::json single_json_line(const CliRun& run) {
  const auto lines = run.result_lines();
  if (lines.size() != 1) {
    ADD_FAILURE() << "expected exactly one result line, got " << lines.size() << ":\n"
                  << run.output;
    return nullptr;
  }
  auto j = nlohmann::json::parse(lines.front(), nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "result line is not JSON: " << lines.front();
    return nullptr;
  }
  return j;
}

}  // namespace rigkeeper::test
