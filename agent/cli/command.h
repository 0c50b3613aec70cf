#pragma once
/// How the CLI's subcommands plug in: each lives in its own cmd_<name>.cpp, registers its
/// CLI11 subcommand and options, and hands back what runs when it was chosen. main.cpp keeps
/// the list; adding a command is its file plus one line there.
#include <functional>
#include <string_view>

#include <CLI/CLI.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::cli {

/// A registered subcommand: its CLI11 node and its action, which returns the exit code.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_probe_command(CLI::App& parent);
Command add_scan_command(CLI::App& parent);
Command add_status_command(CLI::App& parent);
Command add_history_command(CLI::App& parent);
Command add_check_config_command(CLI::App& parent);
// Local commands through the daemon (cmd_control.cpp) and command keys (cmd_keys.cpp).
Command add_curtail_command(CLI::App& parent);
Command add_resume_command(CLI::App& parent);
Command add_set_power_command(CLI::App& parent);
Command add_reboot_command(CLI::App& parent);
Command add_locate_command(CLI::App& parent);
Command add_keygen_command(CLI::App& parent);
Command add_sign_command(CLI::App& parent);

/// Prints "rigkeeper: <context>: <message>" on stderr and returns the contract's exit code
/// for the error (exit_code(err.code)).
int report(std::string_view context, const Error& err);

}  // namespace rigkeeper::cli
