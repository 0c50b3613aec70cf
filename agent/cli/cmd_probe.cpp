// rigkeeper probe TARGET [--driver NAME] [--id ID] [--timeout S] [--json]: identify one device
// and read it directly, without the daemon, on a local io_context.
#include <iostream>
#include <memory>
#include <optional>

#include "agent/cli/command.h"
#include "agent/cli/snapshot_view.h"
#include "agent/cli/target.h"
#include "agent/config/config.h"
#include "drivers/api/registry.h"
#include "drivers/detect.h"

namespace rigkeeper::cli {

namespace {

constexpr uint16_t kCgminerPort = 4028;

struct ProbeArgs {
  std::string target;
  std::string driver;
  std::string id;
  double timeout_s = 5;
  bool json = false;
};

struct Probed {
  drivers::DeviceSnapshot snapshot;
  std::string driver;
};

std::string driver_names() {
  std::string names;
  for (const auto* d : drivers::all_drivers()) names += (names.empty() ? "" : ", ") + d->name;
  return names.empty() ? "none built in" : names;
}

/// During identification an answer no protocol parser can read means the same to the
/// technician as one no driver claims: something is there, and it is not a device we know.
Error identification_error(Error err) {
  if (err.code == Errc::kProtocol) {
    err.code = Errc::kUnsupported;
    err.message = "not recognised (" + err.message + ")";
  }
  return err;
}

Result<drivers::Options> driver_options(const drivers::DriverInfo& info, const Target& target,
                                        const std::string& id) {
  agent::DeviceEntry entry;
  entry.id = id;
  entry.driver = info.name;
  entry.host = target.host;
  entry.port = target.port;
  if (target.kind == Target::Kind::kUrl && info.name == "dcgm") {  // the URL says where
    entry.options.set("path", target.path);
    entry.options.set("https", target.scheme == "https");
  }
  if (target.kind == Target::Kind::kUrl && info.name == "redfish") {  // http:// is asked for
    entry.options.set("scheme", target.scheme);
    entry.options.set("allow_http", target.scheme == "http");
  }
  return agent::options_for_driver(info, entry);
}

/// The driver a URL target names by its path: dcgm-exporter serves /metrics.
Result<const drivers::DriverInfo*> driver_for_url(const Target& target) {
  const std::string_view path = std::string_view(target.path).substr(0, target.path.find('?'));
  const drivers::DriverInfo* info = nullptr;
  if (path.ends_with("/metrics")) info = drivers::find_driver("dcgm");
  if (path.starts_with("/redfish") || (target.scheme == "https" && (path.empty() || path == "/")))
    info = drivers::find_driver("redfish");  // https://bmc is a Redfish BMC
  if (info == nullptr)
    return fail(Errc::kUnsupported,
                "no driver for URL '" + target.text +
                    "' (http://node:9400/metrics is dcgm, https://bmc redfish; or --driver NAME)");
  return info;
}

asio::awaitable<Result<Probed>> probe_device(const drivers::DriverInfo* named, Target target,
                                             std::string id, std::chrono::milliseconds timeout) {
  const drivers::DriverInfo* info = named;
  if (info == nullptr) {
    auto found = co_await drivers::detect(target.host, target.port.value_or(kCgminerPort), timeout);
    if (!found) co_return tl::unexpected(identification_error(found.error()));
    info = found->driver;
  }
  auto options = driver_options(*info, target, id);
  if (!options) co_return tl::unexpected(options.error());
  drivers::DeviceConfig config;
  config.id = id;
  config.host = target.host;
  config.port = target.port;
  config.timeout = timeout;
  config.options = std::move(*options);
  auto driver = info->create(co_await asio::this_coro::executor, config);
  if (!driver) co_return fail(Errc::kInternal, "driver " + info->name + " could not be created");
  auto snapshot = co_await driver->poll();
  if (!snapshot) co_return tl::unexpected(snapshot.error());
  snapshot->device_id = id;
  drivers::derive_fields(*snapshot);
  co_return Probed{std::move(*snapshot), info->name};
}

/// Runs the probe on its own io_context. Drivers bound each request by `timeout`; the guard
/// here only ends a probe that would otherwise never finish.
Result<Probed> run_probe(const drivers::DriverInfo* named, const Target& target,
                         const std::string& id, std::chrono::milliseconds timeout) {
  asio::io_context io;
  std::optional<Result<Probed>> outcome;
  asio::co_spawn(io, probe_device(named, target, id, timeout),
                 [&outcome](std::exception_ptr e, Result<Probed> result) {
                   if (!e) {
                     outcome = std::move(result);
                     return;
                   }
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     outcome = fail(Errc::kInternal, std::string("probe failed: ") + ex.what());
                   } catch (...) {
                     outcome = fail(Errc::kInternal, "probe failed");
                   }
                 });
  const auto guard = timeout * 12 + std::chrono::seconds(2);
  io.run_for(guard);
  if (!outcome)
    return fail(
        Errc::kTimeout,
        "no complete answer in " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(guard).count()) + " s");
  return std::move(*outcome);
}

int probe(const ProbeArgs& args) {
  const std::string context = "probe " + args.target;
  auto target = parse_target(args.target);
  if (!target) return report(context, target.error());
  const drivers::DriverInfo* named = nullptr;
  if (!args.driver.empty()) {
    named = drivers::find_driver(args.driver);
    if (named == nullptr)
      return report(context, {Errc::kInvalidArgument, "unknown driver '" + args.driver +
                                                          "' (known: " + driver_names() + ")"});
  } else if (target->kind == Target::Kind::kUrl) {
    auto by_url = driver_for_url(*target);
    if (!by_url) return report(context, by_url.error());
    named = *by_url;
  }
  const std::string id = args.id.empty() ? target->host : args.id;
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(args.timeout_s * 1000));
  auto probed = run_probe(named, *target, id, timeout);
  if (!probed) return report(context, probed.error());

  if (args.json) {
    std::cout << drivers::to_json_string(probed->snapshot) << '\n';
  } else {
    print_snapshot(std::cout, probed->snapshot, probed->driver);
  }
  std::cout.flush();
  return std::cout ? 0 : 5;
}

}  // namespace

Command add_probe_command(CLI::App& parent) {
  auto args = std::make_shared<ProbeArgs>();
  auto* app =
      parent.add_subcommand("probe", "Identify one device and read it directly (no daemon needed)");
  app->add_option("target", args->target, "HOST[:PORT] ([v6]:PORT), or a URL (http://, https://)")
      ->required();
  app->add_option("--driver", args->driver,
                  "Use this driver instead of detecting (" + driver_names() + ")");
  app->add_option("--id", args->id, "Device id in the output (default: the host)");
  app->add_option("--timeout", args->timeout_s, "Seconds to wait for each request to the device")
      ->check(CLI::Range(0.1, 300.0))
      ->capture_default_str();
  app->add_flag("--json", args->json, "Print one device snapshot as JSON (the telemetry schema)");
  return {app, [args] { return probe(*args); }};
}

}  // namespace rigkeeper::cli
