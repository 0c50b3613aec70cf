#pragma once
/// Child processes for integration tests: the real rigkeeperd, rigkeeper-sim, mosquitto.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace rigkeeper::test {

class Process {
 public:
  /// Starts `argv[0]` with the arguments; stdout and stderr go to `log_file` (appended).
  Process(std::vector<std::string> argv, std::filesystem::path log_file);
  ~Process();  ///< SIGKILLs the child if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  /// Sends `sig` and waits up to `timeout` for exit; returns the exit status (or -signal),
  /// or nullopt-equivalent INT_MIN if it did not exit in time.
  int stop(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Waits for a natural exit up to `timeout`; INT_MIN if still running.
  int wait(std::chrono::milliseconds timeout);
  std::string log() const;
  const std::filesystem::path& log_file() const { return log_file_; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
  std::filesystem::path log_file_;
};

/// Runs a command to completion, capturing stdout+stderr; returns exit code (or -signal).
int run_command(const std::vector<std::string>& argv, std::string* output,
                std::chrono::milliseconds timeout = std::chrono::seconds(60),
                const std::string& stdin_data = {});

/// Polls `pred` every 50 ms until true or timeout.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    struct timespec ts {
      0, 50'000'000
    };
    nanosleep(&ts, nullptr);
  }
  return pred();
}

}  // namespace rigkeeper::test
