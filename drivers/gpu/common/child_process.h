#pragma once
/// Runs a program (never through a shell) with a deadline and captures its output: used for
/// the workload hooks and nvidia-smi. The child gets its own process group, and on timeout the
/// whole group is killed (SIGTERM, then SIGKILL after a grace period).
///
/// Thread-safety: run_child() blocks the calling thread until the child ends or the deadline
/// passes; call it off the io_context (see off_loop()). It is safe from several threads at once.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::gpu {

struct ChildResult {
  std::optional<int> exit_code;   ///< nullopt when killed by a signal (see signal)
  std::optional<int> signal;      ///< the signal that ended it
  bool timed_out = false;         ///< killed by us at the deadline
  std::string output;             ///< stdout and stderr interleaved, at most the cap
  bool output_truncated = false;  ///< more than the cap was written: `output` keeps the tail
  bool success() const { return !timed_out && exit_code && *exit_code == 0; }
};

struct ChildOptions {
  std::chrono::milliseconds timeout{30000};
  size_t output_cap = 16 * 1024;  ///< bytes kept (the last ones when the child writes more)
  bool keep_head = false;         ///< keep the first `output_cap` bytes instead of the tail
};

/// Runs argv[0] (a path, or a name looked up in PATH) with argv. Errors: kInvalidArgument for
/// an empty argv, kUnsupported when the program cannot be started (missing, not executable),
/// naming it. A non-zero exit or a timeout is a ChildResult, not an Error.
Result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options);

/// One line describing how it ended: "exit 0", "exit 3", "killed by signal 9",
/// "timed out after 5 s".
std::string describe_end(const ChildResult& r, const ChildOptions& options);

}  // namespace rigkeeper::drivers::gpu
