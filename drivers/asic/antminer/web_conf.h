#pragma once
/// Pure parsing and building of the stock Antminer web CGI's JSON (docs/drivers/antminer.md):
/// `get_miner_conf.cgi` (the whole miner config: pools, fan settings, `bitmain-work-mode`),
/// the body `set_miner_conf.cgi` takes (that whole config back, with the work mode as
/// `miner-mode` for newer firmware and `bitmain-work-mode` for older), and the CGI replies
/// (`{"stats":"success","code":"M000"}`, `{"blink":true}`).
///
/// Thread-safety: pure functions. Errors: kProtocol naming what is wrong with the reply.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::antminer {

/// Stock work modes (`bitmain-work-mode` / `miner-mode` values 0, 1, 3).
enum class WorkMode { kNormal = 0, kSleep = 1, kLowPower = 3 };

/// "normal", "sleep", "low_power" (the names used in memos and profiles).
std::string_view to_string(WorkMode mode);
/// Parses a mode or profile name: normal, sleep, low_power (also "low"); nullopt otherwise.
std::optional<WorkMode> parse_work_mode(std::string_view name);

struct WebPool {
  std::string url;
  std::string user;
};

/// What get_miner_conf.cgi returned.
struct MinerConf {
  nlohmann::json raw;  ///< the whole object, posted back by set_miner_conf
  /// The work mode; nullopt when the key is absent or holds a value this driver does not know.
  std::optional<WorkMode> mode;
  std::vector<WebPool> pools;  ///< in priority order, passwords left out
};

/// Parses get_miner_conf.cgi's body. kProtocol when it is not a JSON object.
Result<MinerConf> parse_miner_conf(std::string_view body);

/// The set_miner_conf.cgi body: `conf` as read, with the work mode set both ways.
nlohmann::json conf_with_mode(const MinerConf& conf, WorkMode mode);
/// The set_miner_conf.cgi body: `conf` with `url`/`user`/`password` first in "pools" (an
/// existing entry for the same URL and user moves up; at most 3 pools, as the firmware keeps).
nlohmann::json conf_with_pool(const MinerConf& conf, const std::string& url,
                              const std::string& user, const std::string& password);

/// Checks set_miner_conf.cgi's reply: ok for `"stats":"success"` (or an empty body, as some
/// older firmware sends); kDeviceError with the firmware's code and message otherwise.
Result<void> check_set_reply(std::string_view body);

/// `{"blink":bool}` from get_blink_status.cgi; nullopt when absent or unreadable.
std::optional<bool> parse_blink_status(std::string_view body);

}  // namespace rigkeeper::drivers::antminer
