// AsyncMutex: first come, first served between coroutines of one io_context, and free again
// once the last holder unlocks.
#include "agent/commands/async_mutex.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rigkeeper::agent::commands {
namespace {

asio::awaitable<void> hold(std::shared_ptr<AsyncMutex> m, std::string name,
                           std::vector<std::string>& log) {
  co_await m->lock();
  AsyncLockGuard guard(m);
  log.push_back(name + "+");
  // Give the others a chance to run (and queue) while this one holds the mutex.
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
  co_await t.async_wait(asio::use_awaitable);
  log.push_back(name + "-");
}

TEST(AsyncMutex, WaitersGetItInArrivalOrderOneAtATime) {
  asio::io_context io;
  auto m = std::make_shared<AsyncMutex>();
  std::vector<std::string> log;
  for (const char* name : {"a", "b", "c", "d"})
    asio::co_spawn(io, hold(m, name, log), asio::detached);
  io.run();
  EXPECT_EQ(log, (std::vector<std::string>{"a+", "a-", "b+", "b-", "c+", "c-", "d+", "d-"}));
  EXPECT_FALSE(m->locked());
}

TEST(AsyncMutex, UnlockWithoutWaitersFreesItAndItCanBeTakenAgain) {
  asio::io_context io;
  auto m = std::make_shared<AsyncMutex>();
  int held = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await m->lock();
        EXPECT_TRUE(m->locked());
        m->unlock();
        EXPECT_FALSE(m->locked());
        co_await m->lock();
        ++held;
        m->unlock();
      },
      asio::detached);
  io.run();
  EXPECT_EQ(held, 1);
  EXPECT_FALSE(m->locked());
}

}  // namespace
}  // namespace rigkeeper::agent::commands
