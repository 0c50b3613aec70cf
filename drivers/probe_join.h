#pragma once
/// Runs several probe coroutines at once and resumes when every one has finished: Boost 1.74's
/// Asio has no awaitable operators or parallel_group, so a timer that never expires serves as
/// the join's wake-up, cancelled by the last task to finish.
///
/// Thread-safety: the current executor must be single-threaded (an io_context run by one
/// thread, or a strand): the count of running tasks is not atomic. Each task bounds its own
/// time (every probe has a deadline); a task that throws counts as finished, its result unset.
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "drivers/api/asio.h"

namespace rigkeeper::drivers {

using ProbeTask = std::function<asio::awaitable<void>()>;

/// Starts every task on the current executor and waits until all have finished. Results are
/// written by the tasks themselves (into the caller's frame, which outlives them).
inline asio::awaitable<void> run_all(std::vector<ProbeTask> tasks) {
  if (tasks.empty()) co_return;
  struct Join {
    explicit Join(const asio::any_io_executor& ex) : wake(ex) {}
    std::size_t pending = 0;
    asio::steady_timer wake;
  };
  const auto ex = co_await asio::this_coro::executor;
  auto join = std::make_shared<Join>(ex);
  join->pending = tasks.size();
  join->wake.expires_at(asio::steady_timer::time_point::max());
  for (auto& task : tasks)
    asio::co_spawn(ex, std::move(task), [join](std::exception_ptr) {
      if (--join->pending == 0) join->wake.cancel();
    });
  while (join->pending > 0) {
    boost::system::error_code ec;
    co_await join->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace rigkeeper::drivers
