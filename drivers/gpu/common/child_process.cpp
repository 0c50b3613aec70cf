#include "drivers/gpu/common/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

extern char** environ;

namespace rigkeeper::drivers::gpu {
namespace {

using Clock = std::chrono::steady_clock;

void keep(std::string& out, bool& truncated, const char* data, size_t n, const ChildOptions& o) {
  if (o.keep_head) {
    const size_t room = o.output_cap > out.size() ? o.output_cap - out.size() : 0;
    if (n > room) truncated = true;
    out.append(data, std::min(n, room));
    return;
  }
  out.append(data, n);
  if (out.size() > o.output_cap) {
    out.erase(0, out.size() - o.output_cap);
    truncated = true;
  }
}

// Waits for `pid` up to `grace`; true when it was reaped (status filled).
bool reap_within(pid_t pid, int& status, std::chrono::milliseconds grace) {
  const auto until = Clock::now() + grace;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;
    if (Clock::now() >= until) return false;
    ::usleep(10000);
  }
}

// Why `program` cannot be started (as posix_spawnp would look for it: a name with a slash as it
// is, a bare name along PATH), or nullopt when an executable is there. Checked before spawning
// because posix_spawn reports a failed exec only where the child shares the parent's memory
// until it execs; under qemu-user (CLONE_VFORK emulated as fork) the parent sees a started
// child that exits 127 instead.
std::optional<std::string> unrunnable(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) == 0) return std::nullopt;
    return std::string(std::strerror(errno));
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    if (::access((dir + "/" + program).c_str(), X_OK) == 0) return std::nullopt;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::string("not found in PATH");
}

}  // namespace

Result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty() || argv[0].empty()) return fail(Errc::kInvalidArgument, "no program to run");
  if (auto why = unrunnable(argv[0]))
    return fail(Errc::kUnsupported, "cannot run " + argv[0] + ": " + *why);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return fail(Errc::kInternal, std::string("pipe failed: ") + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);  // own group: a timeout kills the hook's children too
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t dfl;
  sigemptyset(&dfl);
  sigaddset(&dfl, SIGPIPE);
  sigaddset(&dfl, SIGTERM);
  sigaddset(&dfl, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &dfl);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return fail(Errc::kUnsupported, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }

  ChildResult result;
  const auto deadline = Clock::now() + options.timeout;
  int status = 0;
  bool reaped = false;
  bool pipe_open = true;
  char buf[4096];
  while (!reaped) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGTERM);
      if (!reap_within(pid, status, std::chrono::milliseconds(1000))) {
        ::kill(-pid, SIGKILL);
        reap_within(pid, status, std::chrono::milliseconds(5000));
      }
      ::kill(-pid, SIGKILL);  // stragglers of the group
      reaped = true;
      break;
    }
    if (pipe_open) {
      pollfd p{fds[0], POLLIN, 0};
      const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 50)));
      if (n > 0) {
        const ssize_t got = ::read(fds[0], buf, sizeof buf);
        if (got > 0) {
          keep(result.output, result.output_truncated, buf, static_cast<size_t>(got), options);
        } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
          pipe_open = false;
        }
      }
    } else {
      ::usleep(10000);
    }
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) reaped = true;
  }
  // Drain what the child wrote before it ended; a background grandchild holding the pipe open
  // (a miner a hook started) must not keep us here, hence non-blocking.
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  for (int i = 0; pipe_open && i < 64; ++i) {
    const ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got <= 0) break;
    keep(result.output, result.output_truncated, buf, static_cast<size_t>(got), options);
  }
  ::close(fds[0]);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

std::string describe_end(const ChildResult& r, const ChildOptions& options) {
  if (r.timed_out) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(options.timeout.count()) / 1000);
    return std::string("timed out after ") + secs + " s (process group killed)";
  }
  if (r.exit_code) return "exit " + std::to_string(*r.exit_code);
  if (r.signal) return "killed by signal " + std::to_string(*r.signal);
  return "ended";
}

}  // namespace rigkeeper::drivers::gpu
