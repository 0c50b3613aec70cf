// rigkeeper check-config FILE [--json]: validates a rigkeeperd config (and its drop-ins) the way
// the daemon loads it, and lists every problem at once. FILE "-" reads stdin (no drop-ins).
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agent/cli/command.h"
#include "agent/cli/output.h"
#include "agent/config/config.h"

namespace rigkeeper::cli {

namespace {

using nlohmann::json;

struct CheckConfigArgs {
  std::string file;
  bool json = false;
};

Result<agent::AgentConfig> load_stdin() {
  std::string text;
  char buf[65536];
  while (std::cin.read(buf, sizeof(buf)) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > agent::kMaxConfigFileBytes)
      return fail(Errc::kConfig,
                  "<stdin>: larger than " + std::to_string(agent::kMaxConfigFileBytes) + " bytes");
  }
  return agent::parse_config(text, "<stdin>");
}

std::vector<std::string> lines_of(const std::string& message) {
  std::vector<std::string> lines;
  std::istringstream in(message);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  if (lines.empty()) lines.push_back("invalid configuration");
  return lines;
}

int check_config(const CheckConfigArgs& args) {
  const bool from_stdin = args.file == "-";
  const std::string name = from_stdin ? "<stdin>" : args.file;
  auto config = from_stdin ? load_stdin() : agent::load_config(args.file);

  if (config) {
    const auto devices = config->devices.size();
    if (args.json)
      std::cout << json{{"file", name},
                        {"ok", true},
                        {"devices", devices},
                        {"site", config->site},
                        {"rack", config->rack}}
                       .dump(-1, ' ', false, json::error_handler_t::replace)
                << '\n';
    else
      std::cout << sanitize(name) << ": OK (" << devices
                << (devices == 1 ? " device)" : " devices)") << '\n';
    return 0;
  }

  const auto errors = lines_of(config.error().message);
  if (args.json) {
    std::cout << json{{"file", name}, {"ok", false}, {"errors", errors}}.dump(
                     -1, ' ', false, json::error_handler_t::replace)
              << '\n';
  } else {
    std::cerr << sanitize(name) << ": " << errors.size()
              << (errors.size() == 1 ? " problem" : " problems") << '\n';
    for (const auto& line : errors) std::cerr << "  " << sanitize(line, 1000) << '\n';
  }
  return exit_code(config.error().code);
}

}  // namespace

Command add_check_config_command(CLI::App& parent) {
  auto args = std::make_shared<CheckConfigArgs>();
  auto* app =
      parent.add_subcommand("check-config", "Validate a rigkeeperd config file and its drop-ins");
  app->add_option("file", args->file, "The config file (- for stdin)")->required();
  app->add_flag("--json", args->json, R"(Print {"file","ok","devices"|"errors"} as JSON)");
  return {app, [args] { return check_config(*args); }};
}

}  // namespace rigkeeper::cli
