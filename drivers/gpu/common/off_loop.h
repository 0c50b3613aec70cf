#pragma once
/// Runs blocking work (a child process, NVML calls) on its own thread and resumes the awaiting
/// coroutine on its executor with the result, so the io_context never blocks. The executor is
/// kept busy (outstanding work) until the result is delivered.
///
/// Thread-safety: `fn` runs on a new thread; it must own or copy everything it touches.
#include <functional>
#include <thread>
#include <utility>

#include "drivers/api/asio.h"

namespace rigkeeper::drivers::gpu {

template <class T>
asio::awaitable<T> off_loop(std::function<T()> fn) {
  auto executor = co_await asio::this_coro::executor;
  // Named locals, not temporaries inside the co_await expression: GCC 12 mis-destroys
  // temporaries of a co_await operand.
  auto initiation = [fn = std::move(fn), executor](auto handler) mutable {
    auto work = asio::prefer(executor, asio::execution::outstanding_work.tracked);
    std::thread([fn = std::move(fn), work = std::move(work),
                 handler = std::move(handler)]() mutable {
      T result = fn();
      asio::post(work, [handler = std::move(handler), result = std::move(result)]() mutable {
        std::move(handler)(std::move(result));
      });
    }).detach();
  };
  auto awaitable =
      asio::async_initiate<decltype(asio::use_awaitable), void(T)>(initiation, asio::use_awaitable);
  T result = co_await std::move(awaitable);
  co_return result;
}

}  // namespace rigkeeper::drivers::gpu
