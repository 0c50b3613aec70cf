#pragma once
/// Helpers for the ASIC driver tests: captures loaded as a poll's replies, JSON edits, and a
/// way to run one coroutine to completion.
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::test {

/// A capture parsed with the production reader (parse_cgminer_json); fails the test if unreadable.
nlohmann::json load_json(const std::string& relative);

/// {command -> capture} for each (command, file relative to the shared fixtures).
drivers::asic::Replies load_replies(const std::vector<std::pair<std::string, std::string>>& files);

/// load_replies of `dir/<cmd>.json` for each command.
drivers::asic::Replies load_dir(const std::string& dir, const std::vector<std::string>& cmds);

/// A minimal successful cgminer reply: {"STATUS":[{"STATUS":"S",...}], section: entries}.
nlohmann::json reply_with(const std::string& section, nlohmann::json entries,
                          const std::string& description = "test");

/// Replies of a BOS+ S19 Pro: version and fans as captured (bosminer 0.1.0 README), summary,
/// devs, devdetails, temps, tunerstatus and pools built with the field names pyasic's
/// bosminer backend reads (the values are ours, not a capture).
drivers::asic::Replies braiins_replies();

/// Reply bytes per command, editable between polls (the server reads it on its thread).
struct ReplyBook {
  std::mutex mu;
  std::map<std::string, std::string> replies;
  void set(const std::string& cmd, const nlohmann::json& j);
};

/// A FakeCgminerServer handler serving `book`: single commands answered as stored, `a+b`
/// multi-commands array-wrapped like real firmware, unknown commands with the firmware's
/// invalid-command reply.
std::function<std::string(const std::string&, const std::string&)> book_handler(
    std::shared_ptr<ReplyBook> book);

/// The "command" of each raw request a FakeCgminerServer recorded.
std::vector<std::string> commands_of(const std::vector<std::string>& raw_requests);

/// Runs one coroutine on `ctx` to completion and returns its result.
template <class T>
T run_on(asio::io_context& ctx, asio::awaitable<T> aw) {
  auto fut = asio::co_spawn(ctx, std::move(aw), asio::use_future);
  ctx.restart();
  ctx.run();
  return fut.get();
}

/// Runs one coroutine on a private io_context and returns its result.
template <class T>
T run_coro(asio::awaitable<T> aw) {
  asio::io_context ctx;
  auto fut = asio::co_spawn(ctx, std::move(aw), asio::use_future);
  ctx.run();
  return fut.get();
}

}  // namespace rigkeeper::test
