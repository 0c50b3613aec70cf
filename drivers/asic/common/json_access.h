#pragma once
/// Safe access to cgminer-API replies: every lookup tolerates a missing key, a wrong type or
/// the array wrapping that multi-command replies carry, and never throws. Device bytes are
/// untrusted; nothing here uses nlohmann's throwing or asserting accessors.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::asic {

using nlohmann::json;

/// The replies of one poll, keyed by command name ("summary", "stats", ...), as
/// CgminerClient::commands() returns them.
using Replies = std::map<std::string, json>;

/// `obj[key]` when `obj` is an object holding `key`, else nullptr.
const json* member(const json* obj, std::string_view key);
inline const json* member(const json& obj, std::string_view key) { return member(&obj, key); }

/// `obj[key]` as a string when `obj` is an object holding a string there (a command's
/// parameters: {"url": ...}), else nullopt.
std::optional<std::string> string_member(const json& obj, std::string_view key);

/// The reply to `cmd`, unwrapped from a one-element array if the firmware wrapped it, or nullptr.
const json* reply_of(const Replies& replies, std::string_view cmd);

/// The objects of section `name` of a reply (`{"SUMMARY":[{...}]}` -> its objects). A section
/// written as a single object counts as one entry; anything else gives none.
std::vector<const json*> entries(const json* reply, std::string_view name);

/// The first object of section `name`, or nullptr.
const json* first_entry(const json* reply, std::string_view name);

/// A reply's STATUS section, read from the list form or Whatsminer's flat form.
struct StatusInfo {
  std::string status;  ///< "S", "I", "W", "E", "F" as sent (empty when absent)
  std::optional<int64_t> code;
  std::string msg;
  std::string description;  ///< usually the miner program and version ("LUXminer 2025...")
};

/// The STATUS of a reply, or nullopt when it has none.
std::optional<StatusInfo> status_of(const json* reply);

/// True when the reply's STATUS is S (success) or I (informational).
bool status_ok(const json* reply);

/// True when `reply` has the shape of any cgminer-API reply (an object with a STATUS section).
bool looks_like_cgminer_reply(const json* reply);

}  // namespace rigkeeper::drivers::asic
