#pragma once
/// A first-come-first-served mutex for coroutines on one io_context: serialises the commands
/// (and polls) of one device without blocking the thread.
///
/// Threading: io_context thread only; lock() must be awaited on that context.
#include <chrono>
#include <list>
#include <memory>

#include "drivers/api/asio.h"

namespace rigkeeper::agent::commands {

class AsyncMutex {
 public:
  /// Waits until the mutex is free, then holds it; release with unlock().
  asio::awaitable<void> lock() {
    if (!locked_) {
      locked_ = true;
      co_return;
    }
    auto waiter = std::make_shared<asio::steady_timer>(
        co_await asio::this_coro::executor, std::chrono::steady_clock::time_point::max());
    waiters_.push_back(waiter);
    boost::system::error_code ec;
    co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // unlock() handed the mutex over to us: locked_ stayed true.
  }

  /// Hands the mutex to the oldest waiter, or frees it.
  void unlock() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    auto next = waiters_.front();
    waiters_.pop_front();
    next->cancel();
  }

  bool locked() const { return locked_; }

 private:
  bool locked_ = false;
  // A list, not a deque: an empty std::deque allocates ~580 bytes, and a rack has one mutex
  // per device that almost never has a waiter (0.55 MiB of a 1000-device daemon's heap).
  std::list<std::shared_ptr<asio::steady_timer>> waiters_;
};

/// Unlocks on scope exit; does nothing if the mutex's owner is gone (a coroutine frame
/// destroyed after its owner at shutdown).
class AsyncLockGuard {
 public:
  explicit AsyncLockGuard(const std::shared_ptr<AsyncMutex>& m) : m_(m) {}
  ~AsyncLockGuard() {
    if (auto m = m_.lock()) m->unlock();
  }
  AsyncLockGuard(const AsyncLockGuard&) = delete;
  AsyncLockGuard& operator=(const AsyncLockGuard&) = delete;

 private:
  std::weak_ptr<AsyncMutex> m_;
};

}  // namespace rigkeeper::agent::commands
