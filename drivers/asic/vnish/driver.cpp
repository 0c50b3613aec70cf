#include "drivers/asic/vnish/driver.h"

#include "drivers/api/json_reader.h"
#include "drivers/asic/vnish/control.h"
#include "drivers/asic/vnish/identify.h"
#include "drivers/asic/vnish/parser.h"

namespace rigkeeper::drivers::vnish {

namespace {

constexpr std::string_view kSummary = "summary";
constexpr std::string_view kInfo = "info";
constexpr std::string_view kSettings = "settings";

asic::TokenRestEndpoint endpoint_of(const DeviceConfig& c) {
  asic::TokenRestEndpoint ep;
  ep.device_id = c.id;
  ep.base_url =
      "http://" + c.host + ":" + std::to_string(c.options.get_int("web_port").value_or(80));
  ep.credentials = web_credentials(c.options.get_string("web_password").value_or(""));
  ep.timeout = c.timeout;
  return ep;
}

}  // namespace

VnishDriver::VnishDriver(asio::any_io_executor /*executor*/, const DeviceConfig& config)
    : device_id_(config.id), host_(config.host), web_(web_api(), endpoint_of(config)) {}

asio::awaitable<Result<DeviceSnapshot>> VnishDriver::poll() {
  WebReplies r;
  auto summary = co_await web_.call(WebSession::kGet, kSummary, kNone);
  if (!summary) co_return tl::unexpected(summary.error());
  r.summary = std::move(*summary);
  // info and settings only add identity details and the power target: a failure there leaves
  // those fields null, unless the device went away. They change rarely (a control verb
  // forgets them), so they are asked once per asic::kSlowRefresh.
  for (auto [path, slot] : {std::pair{kInfo, &r.info}, std::pair{kSettings, &r.settings}}) {
    if (!slow_.due(path)) {
      *slot = slow_.cached(path);
      continue;
    }
    auto reply = co_await web_.call(WebSession::kGet, path, kNone);
    if (reply) {
      slow_.store(path, *reply);
      *slot = std::move(*reply);
    } else if (reply.error().code == Errc::kUnreachable || reply.error().code == Errc::kTimeout) {
      co_return tl::unexpected(reply.error());
    }
  }
  auto snap = parse_web(r);
  for (auto* tree : {&r.summary, &r.info, &r.settings}) recycle_json(*tree);
  if (!snap) {
    co_return fail(snap.error().code, "device " + device_id_ + ": " + snap.error().message);
  }
  slow_.saw_uptime(snap->uptime_s);
  snap->device_id = device_id_;
  snap->host = host_;
  snap->ts = now_ms();
  co_return snap;
}

asio::awaitable<Result<CommandOutcome>> VnishDriver::execute(const DeviceCommand& cmd) {
  if (!web_.has_credentials()) {
    co_return fail(Errc::kAuth, "device " + device_id_ +
                                    ": VNish control needs web_password (driver option); reads "
                                    "work without it");
  }
  slow_.forget();  // what the verb changes (settings, preset) is read again on the next poll
  co_return co_await execute_web(web_, cmd);
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "vnish",
      .firmware = "vnish",
      .description = "VNish (AnthillOS) on Antminers: web API /api/v1 (read and control)",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSetPower | kCapSwitchPool |
                      kCapSwitchProfile | kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys =
          {
              {.name = "web_port",
               .type = OptionType::kInt,
               .default_value = OptionValue{int64_t{80}},
               .doc = "port of the VNish web API (/api/v1)",
               .min = 1,
               .max = 65535},
              {.name = "web_password",
               .type = OptionType::kSecret,
               .doc = "VNish web password (firmware default: admin); needed for control"},
          },
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<VnishDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::vnish
