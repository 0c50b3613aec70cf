#pragma once
// Runs one coroutine to completion on a local io_context (the tests' event loop).
#include <exception>
#include <optional>
#include <utility>

#include "drivers/api/asio.h"

namespace rigkeeper::test {

/// co_spawns `aw` on `ioc`, runs the loop until it is idle and returns the result; an
/// exception thrown by the coroutine is rethrown here (and fails the test).
template <class T>
T run_coro(asio::io_context& ioc, asio::awaitable<T> aw) {
  std::optional<T> out;
  asio::co_spawn(
      ioc, [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(aw)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  ioc.restart();
  ioc.run();
  return std::move(*out);
}

}  // namespace rigkeeper::test
