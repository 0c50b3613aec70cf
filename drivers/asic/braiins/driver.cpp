#include "drivers/asic/braiins/driver.h"

#include "drivers/api/json_reader.h"
#include "drivers/asic/braiins/identify.h"
#include "drivers/asic/braiins/rest_control.h"
#include "drivers/asic/braiins/rest_parser.h"

namespace rigkeeper::drivers::braiins {

namespace {

std::optional<ApiMode> parse_mode(const std::string& s) {
  if (s == "auto") return ApiMode::kAuto;
  if (s == "rest") return ApiMode::kRest;
  if (s == "cgminer") return ApiMode::kCgminer;
  return std::nullopt;
}

asic::TokenRestEndpoint endpoint_of(const DeviceConfig& c) {
  asic::TokenRestEndpoint ep;
  ep.device_id = c.id;
  const auto scheme = c.options.get_string("rest_scheme").value_or("http");
  const auto port = c.options.get_int("rest_port").value_or(80);
  ep.base_url = scheme + "://" + c.host + ":" + std::to_string(port);
  ep.credentials = rest_credentials(c.options.get_string("username").value_or(""),
                                    c.options.get_string("password").value_or(""));
  ep.timeout = c.timeout;
  return ep;
}

// Replies asked once per asic::kSlowRefresh instead of on every poll: the firmware's error
// history and the tuner's power target change rarely (a control verb forgets them). Pools stay
// on every poll: their alive/dead status explains a hashrate drop.
bool is_slow_path(std::string_view path) {
  return path == "miner/errors" || path == "performance/tuner-state";
}

// Failures that mean "no REST API here" (older firmware), so auto mode falls back to cgminer.
bool rest_missing(const Error& e) {
  return e.code == Errc::kUnsupported || e.code == Errc::kUnreachable;
}

}  // namespace

BraiinsDriver::BraiinsDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : device_id_(config.id),
      host_(config.host),
      mode_text_(config.options.get_string("api").value_or("auto")),
      cgminer_(executor, config),
      rest_(rest_api(), endpoint_of(config)) {
  mode_ = parse_mode(mode_text_);
}

Error BraiinsDriver::named(Errc code, const std::string& what) const {
  return Error{code, "device " + device_id_ + ": " + what};
}

asio::awaitable<Result<DeviceSnapshot>> BraiinsDriver::poll_rest() {
  RestReplies replies;
  for (auto path : kRestReadPaths) {
    const bool slow = is_slow_path(path);
    if (slow && !slow_.due(path)) {
      *replies.slot(path) = slow_.cached(path);
      continue;
    }
    auto r = co_await rest_.call(RestSession::kGet, path, kToken);
    if (!r) {
      const bool essential = path == "miner/details";
      if (essential || r.error().code == Errc::kAuth || r.error().code == Errc::kUnreachable ||
          r.error().code == Errc::kTimeout) {
        co_return tl::unexpected(r.error());
      }
      continue;  // one endpoint broken: its fields stay null
    }
    if (slow) slow_.store(path, *r);
    *replies.slot(path) = std::move(*r);
  }
  auto snap = parse_rest(replies);
  for (auto path : kRestReadPaths) recycle_json(*replies.slot(path));
  if (!snap) co_return tl::unexpected(named(snap.error().code, snap.error().message));
  slow_.saw_uptime(snap->uptime_s);
  snap->device_id = device_id_;
  snap->host = host_;
  snap->ts = now_ms();
  co_return snap;
}

asio::awaitable<Result<DeviceSnapshot>> BraiinsDriver::poll() {
  if (!mode_) {
    co_return tl::unexpected(
        named(Errc::kConfig,
              "option api must be auto, rest or cgminer, not '" + mode_text_.substr(0, 32) + "'"));
  }
  if (*mode_ == ApiMode::kRest) co_return co_await poll_rest();
  if (*mode_ == ApiMode::kAuto && rest_.has_credentials() && !rest_absent_) {
    auto snap = co_await poll_rest();
    if (snap) co_return snap;
    if (rest_missing(snap.error())) {
      rest_absent_ = snap.error().code == Errc::kUnsupported;
    } else {
      // Credentials refused or REST broken: read through cgminer and say why.
      auto cg = co_await cgminer_.poll();
      if (cg) cg->errors.push_back("REST API: " + snap.error().message);
      co_return cg;
    }
  }
  co_return co_await cgminer_.poll();
}

asio::awaitable<Result<CommandOutcome>> BraiinsDriver::execute(const DeviceCommand& cmd) {
  if (!mode_) co_return tl::unexpected(named(Errc::kConfig, "option api is invalid"));
  if (*mode_ == ApiMode::kCgminer) {
    co_return tl::unexpected(named(Errc::kUnsupported,
                                   "control needs the REST API; the device is set to api = "
                                   "\"cgminer\" (read-only)"));
  }
  if (!rest_.has_credentials()) {
    co_return tl::unexpected(named(Errc::kAuth,
                                   "Braiins control needs username and password (driver "
                                   "options); reads work without them"));
  }
  if (rest_absent_) co_return tl::unexpected(named(Errc::kUnsupported, std::string(kNeedsRest)));
  slow_.forget();  // what the verb changes (power target) is read again on the next poll
  auto out = co_await execute_rest(rest_, cmd);
  if (!out && out.error().code == Errc::kUnsupported &&
      out.error().message.find(kNeedsRest) != std::string::npos) {
    rest_absent_ = true;
  }
  co_return out;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "braiins",
      .firmware = "braiins",
      .description =
          "Braiins OS+: REST API /api/v1 (25.07+, read and control) or the "
          "cgminer-compatible API on 4028 (read)",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSetPower | kCapSwitchPool |
                      kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys =
          {
              {.name = "api",
               .type = OptionType::kString,
               .default_value = OptionValue{std::string("auto")},
               .doc = "auto (REST when the firmware has it and credentials are set, else "
                      "cgminer), rest, or cgminer (read-only)"},
              {.name = "rest_port",
               .type = OptionType::kInt,
               .default_value = OptionValue{int64_t{80}},
               .doc = "port of the web server carrying /api/v1",
               .min = 1,
               .max = 65535},
              {.name = "rest_scheme",
               .type = OptionType::kString,
               .default_value = OptionValue{std::string("http")},
               .doc = "http or https (https verifies the certificate with the system store)"},
              {.name = "username",
               .type = OptionType::kSecret,
               .doc = "REST API user (Braiins default: root); needed for control"},
              {.name = "password",
               .type = OptionType::kSecret,
               .doc = "REST API password (Braiins default: root); needed for control"},
          },
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<BraiinsDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::braiins
