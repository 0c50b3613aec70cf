#include "drivers/asic/whatsminer/driver.h"

#include <exception>

#include "drivers/api/json_reader.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/whatsminer/identify.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

// v2 identity replies, asked once and again after a restart.
constexpr std::string_view kGetVersion = "get_version";
constexpr std::string_view kDevdetails = "devdetails";

uint16_t v3_port_of(const DeviceConfig& cfg) {
  const auto p = cfg.options.get_int("v3_port").value_or(kV3Port);
  return p > 0 && p < 65536 ? static_cast<uint16_t>(p) : kV3Port;
}

// The parsers do not throw; a library surprise must still not crash the daemon.
template <class F>
Result<DeviceSnapshot> guarded(F&& parse) {
  try {
    return parse();
  } catch (const std::exception& e) {
    return fail(Errc::kInternal, std::string("parser failed: ") + e.what());
  }
}

nlohmann::json section(Result<nlohmann::json>&& msg, const char* key) {
  if (!msg || !msg->is_object()) return nlohmann::json();
  auto it = msg->find(key);
  return it == msg->end() ? nlohmann::json() : std::move(*it);
}

}  // namespace

WhatsminerDriver::WhatsminerDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : device_id_(config.id),
      host_(config.host),
      password_(config.options.get_string("admin_password")),
      forced_(config.options.get_string("api_generation").value_or("auto")),
      v2_(executor, config.host, config.port.value_or(4028), config.timeout),
      v3_(executor, config.host, v3_port_of(config), config.timeout) {
  if (password_ && password_->empty()) password_.reset();
}

Error WhatsminerDriver::named(Error e) const {
  e.message = "device " + device_id_ + ": " + e.message;
  return e;
}

asio::awaitable<Result<ApiGeneration>> WhatsminerDriver::choose_generation() {
  if (forced_ == "v2") co_return ApiGeneration::kV2;
  if (forced_ == "v3") co_return ApiGeneration::kV3;
  auto ver = co_await v2_.reads().command("get_version");
  if (ver) {
    identity_.store(kGetVersion, *ver);
    const auto* msg = asic::member(*ver, "Msg");
    const auto date = firmware_date(asic::string_at(msg, "fw_ver").value_or(""));
    if (!firmware_speaks_v3(date)) co_return ApiGeneration::kV2;
    // New firmware: v3 on 4433; if that port refuses, stay on what answered.
    auto info = co_await v3_.get("get.device.info");
    co_return info ? ApiGeneration::kV3 : ApiGeneration::kV2;
  }
  auto info = co_await v3_.get("get.device.info");
  if (info) co_return ApiGeneration::kV3;
  co_return tl::unexpected(ver.error());
}

asio::awaitable<Result<DeviceSnapshot>> WhatsminerDriver::poll() {
  if (!generation_) {
    auto gen = co_await choose_generation();
    if (!gen) co_return tl::unexpected(named(gen.error()));
    generation_ = *gen;
  }
  Result<DeviceSnapshot> snap = fail(Errc::kInternal, "not polled");
  if (*generation_ == ApiGeneration::kV3) {
    snap = co_await poll_v3();
  } else {
    snap = co_await poll_v2();
  }
  if (!snap) {
    if (forced_ == "auto") generation_.reset();  // firmware may have changed: choose again
    co_return tl::unexpected(named(snap.error()));
  }
  snap->device_id = device_id_;
  snap->host = host_;
  snap->ts = now_ms();
  identity_.saw_uptime(snap->uptime_s);  // a restart may come with new firmware
  co_return snap;
}

asio::awaitable<Result<DeviceSnapshot>> WhatsminerDriver::poll_v2() {
  auto& c = v2_.reads();
  for (auto cmd : {kGetVersion, kDevdetails}) {
    if (!identity_.due(cmd)) continue;
    const std::string name(cmd);
    if (auto reply = co_await c.command(name)) identity_.store(cmd, *reply);
  }
  auto replies = co_await c.commands(v2_poll_commands());
  if (!replies) co_return tl::unexpected(replies.error());
  for (auto cmd : {kGetVersion, kDevdetails}) {
    if (auto cached = identity_.cached(cmd)) (*replies)[std::string(cmd)] = std::move(*cached);
  }
  auto snap = guarded([&] { return parse_v2(*replies); });
  recycle_json(*replies);
  co_return snap;
}

asio::awaitable<Result<DeviceSnapshot>> WhatsminerDriver::poll_v3() {
  V3Replies r;
  auto info = co_await v3_.get("get.device.info");
  if (!info) co_return tl::unexpected(info.error());
  r.device_info = std::move(*info);
  auto summary = co_await v3_.get("get.miner.status", "summary");
  r.summary = section(std::move(summary), "summary");
  auto edevs = co_await v3_.get("get.miner.status", "edevs");
  r.edevs = section(std::move(edevs), "edevs");
  auto pools = co_await v3_.get("get.miner.status", "pools");
  r.pools = section(std::move(pools), "pools");
  auto snap = guarded([&] { return parse_v3(r); });
  for (auto* tree : {&r.device_info, &r.summary, &r.edevs, &r.pools}) recycle_json(*tree);
  co_return snap;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "whatsminer",
      .firmware = "btminer",
      .description =
          "MicroBT Whatsminer (btminer): API v2 on 4028 (encrypted writes) or v3 on 4433",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSetPower | kCapSwitchPool |
                      kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys =
          {
              {.name = "admin_password",
               .type = OptionType::kSecret,
               .doc = "btminer admin password (API v2 'admin' account, API v3 'super' "
                      "account); required for control verbs, never logged"},
              {.name = "v3_port",
               .type = OptionType::kInt,
               .default_value = OptionValue{int64_t{kV3Port}},
               .doc = "TCP port of the API v3 (firmware from 2024-11)",
               .min = 1,
               .max = 65535},
              {.name = "api_generation",
               .type = OptionType::kString,
               .default_value = OptionValue{std::string("auto")},
               .doc = "\"auto\" (by firmware date, v2 fallback), \"v2\" or \"v3\""},
          },
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<WhatsminerDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::whatsminer
