#include "drivers/gpu/dcgm/driver.h"

#include "drivers/api/http_client.h"
#include "drivers/gpu/dcgm/parser.h"

namespace rigkeeper::drivers::dcgm {
namespace {

constexpr size_t kMaxMetricsBytes = 8u << 20;  // 8 GPUs x every DCGM field is well under 1 MiB

std::string make_url(const DeviceConfig& config) {
  const bool https = config.options.get_bool("https").value_or(false);
  std::string path = config.options.get_string("path").value_or("/metrics");
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  std::string host = config.host;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return std::string(https ? "https://" : "http://") + host + ":" +
         std::to_string(config.port.value_or(kDefaultPort)) + path;
}

}  // namespace

DcgmDriver::DcgmDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : GpuNodeDriver(std::move(executor), config, "dcgm"),
      url_(make_url(config)),
      timeout_(config.timeout) {}

asio::awaitable<Result<gpu::GpuNodeReading>> DcgmDriver::read() {
  http::Request req;
  req.url = url_;
  req.timeout = timeout_;
  req.max_response_bytes = kMaxMetricsBytes;
  req.headers.emplace_back("Accept", "text/plain");
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(resp.error());
  if (resp->status == 401 || resp->status == 403) {
    co_return fail(Errc::kAuth, url_ + " answered HTTP " + std::to_string(resp->status));
  }
  if (!resp->ok()) {
    co_return fail(Errc::kProtocol, url_ + " answered HTTP " + std::to_string(resp->status));
  }
  auto reading = parse_metrics(resp->body);
  if (!reading) co_return fail(reading.error().code, url_ + ": " + reading.error().message);
  co_return reading;
}

int match(const Probe& probe) {
  const WebProbe* w = probe.web_at("/metrics");
  if (w == nullptr || w->status != 200) return 0;
  return w->body.find("DCGM_FI_") != std::string::npos ? 20 : 0;
}

Identity identify(const Probe& probe) {
  Identity id{.driver = "dcgm", .make = "NVIDIA", .model = "GPU node", .firmware = "dcgm"};
  if (const WebProbe* w = probe.web_at("/metrics")) {
    if (auto reading = parse_metrics(w->body)) {
      auto snap = gpu::make_gpu_node_snapshot(std::move(*reading), "dcgm");
      id.model = snap.model;
      id.firmware_version = snap.firmware_version;
    }
  }
  return id;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo = [] {
    DriverInfo info{
        .name = "dcgm",
        .firmware = "dcgm",
        .description = "NVIDIA GPU node through dcgm-exporter's Prometheus page (port 9400)",
        .capabilities = kCapRead | kCapSwitchWorkload,
        .default_port = kDefaultPort,
        .config_keys =
            {
                ConfigKey{.name = "path",
                          .type = OptionType::kString,
                          .default_value = OptionValue{std::string("/metrics")},
                          .doc = "HTTP path of dcgm-exporter's metrics page"},
                ConfigKey{.name = "https",
                          .type = OptionType::kBool,
                          .default_value = OptionValue{false},
                          .doc = "fetch the metrics over HTTPS (exporter --web-config-file)"},
            },
        .match = &match,
        .identify = &identify,
        .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
          return std::make_unique<DcgmDriver>(std::move(ex), cfg);
        },
    };
    for (auto& k : gpu::workload_config_keys()) info.config_keys.push_back(std::move(k));
    return info;
  }();
  return kInfo;
}

}  // namespace rigkeeper::drivers::dcgm
