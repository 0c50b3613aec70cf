#include "drivers/detect.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "drivers/api/cgminer_client.h"
#include "drivers/api/registry.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/probe_join.h"
#include "drivers/web_probe.h"
#include "drivers/whatsminer_v3_probe.h"

namespace rigkeeper::drivers {

namespace {

using Clock = std::chrono::steady_clock;

bool nothing_answers(const Error& e) {
  return e.code == Errc::kUnreachable || e.code == Errc::kTimeout;
}

Error at(const std::string& where, Error e) {
  if (e.message.find(where) == std::string::npos) e.message = where + ": " + e.message;
  return e;
}

std::string endpoint(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

/// What the cgminer half of detection learned: replies in the probe, and why it has none.
struct CgminerOutcome {
  std::optional<Error> silent;    ///< set when the API port did not answer at all
  std::optional<Error> unusable;  ///< set when it answered but neither reply was usable
};

/// `version` first: when nothing answers it, asking devdetails would only wait again.
/// devdetails may be denied (stock S17, Hiveon: Code 45); the probe then simply lacks it.
asio::awaitable<void> probe_cgminer(const std::string& host, const DetectOptions& options,
                                    Clock::time_point deadline, Probe& probe,
                                    CgminerOutcome& outcome) {
  CgminerClient client(co_await asio::this_coro::executor, host, options.cgminer_port,
                       CgminerOptions{options.timeout});
  auto version = co_await client.command("version");
  if (version) {
    probe.cgminer_version = std::move(*version);
  } else if (nothing_answers(version.error())) {
    outcome.silent = version.error();
    co_return;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) {
    if (!probe.cgminer_version) outcome.unusable = version.error();
    co_return;
  }
  CgminerClient details_client(co_await asio::this_coro::executor, host, options.cgminer_port,
                               CgminerOptions{std::min(left, options.timeout)});
  auto details = co_await details_client.command("devdetails");
  if (details) probe.cgminer_devdetails = std::move(*details);
  if (!probe.cgminer_version && !probe.cgminer_devdetails) {
    Error why = version.error();
    if (!details) why.message += "; devdetails: " + details.error().message;
    outcome.unusable = std::move(why);
  }
}

std::vector<std::string> warnings_for(const Detection& d) {
  std::vector<std::string> out;
  if (d.identity.firmware == "cgminer")
    out.push_back("firmware not recognised: read with the generic cgminer driver");
  if (d.identity.model.empty())
    out.push_back("model not reported: read without model-specific expectations");
  else if (d.probe.cgminer_version && asic::find_model_spec(d.identity.model) == nullptr)
    out.push_back("model '" + d.identity.model +
                  "' is not in the model table: chips expected unknown");
  return out;
}

}  // namespace

std::vector<std::string> default_web_paths() {
  return {
      "/api/v1/info",           // VNish (AnthillOS): model, firmware name and version
      "/api/v1/version",        // Braiins OS 25.07+ public REST API version
      "/api/v1/miner/details",  // Braiins OS REST (401 without a token: still a marker)
  };
}

Result<Detection> detect_from_probe(const Probe& probe) {
  const DriverInfo* best = best_match(probe);
  if (best == nullptr) return fail(Errc::kUnsupported, "no driver recognises the device's replies");
  Detection d;
  d.driver = best;
  d.identity = best->identify ? best->identify(probe) : Identity{};
  d.identity.driver = best->name;
  if (d.identity.firmware.empty()) d.identity.firmware = best->firmware;
  d.probe = probe;
  d.warnings = warnings_for(d);
  return d;
}

asio::awaitable<Result<Probe>> gather_probe(std::string host, DetectOptions options) {
  const std::string where = endpoint(host, options.cgminer_port);
  const auto deadline = Clock::now() + 2 * options.timeout;
  Probe probe;
  CgminerOutcome cgminer;
  Error web_error{Errc::kUnreachable, ""};
  std::optional<Error> v3_error;

  std::vector<ProbeTask> tasks;
  if (options.cgminer)
    tasks.push_back([&]() -> asio::awaitable<void> {
      co_await probe_cgminer(host, options, deadline, probe, cgminer);
    });
  if (options.web)
    tasks.push_back([&]() -> asio::awaitable<void> {
      probe.web = co_await gather_web(host, options.web_port, options.web_paths, options.timeout,
                                      &web_error);
    });
  if (options.whatsminer_v3)
    tasks.push_back([&]() -> asio::awaitable<void> {
      auto reply = co_await whatsminer_v3_get(host, options.whatsminer_v3_port, "get.device.info",
                                              options.timeout);
      if (reply)
        probe.whatsminer_v3 = std::move(*reply);
      else
        v3_error = reply.error();
    });
  co_await run_all(std::move(tasks));

  if (probe.cgminer_version || probe.cgminer_devdetails || !probe.web.empty() ||
      probe.whatsminer_v3)
    co_return probe;
  if (cgminer.unusable)
    co_return fail(Errc::kUnsupported,
                   where + " answered, but neither version nor devdetails was usable: " +
                       cgminer.unusable->message);
  if (cgminer.silent) co_return tl::unexpected(at(where, *cgminer.silent));
  if (options.web && !web_error.message.empty())
    co_return tl::unexpected(at(endpoint(host, options.web_port), web_error));
  if (v3_error) co_return tl::unexpected(at(endpoint(host, options.whatsminer_v3_port), *v3_error));
  co_return fail(Errc::kInvalidArgument, host + ": no probe enabled");
}

asio::awaitable<Result<Detection>> detect(std::string host, DetectOptions options) {
  auto probe = co_await gather_probe(host, std::move(options));
  if (!probe) co_return tl::unexpected(probe.error());
  auto found = detect_from_probe(*probe);
  if (!found) co_return tl::unexpected(at(host, found.error()));
  co_return found;
}

asio::awaitable<Result<Detection>> detect(std::string host, uint16_t port,
                                          std::chrono::milliseconds timeout) {
  DetectOptions options;
  options.cgminer_port = port;
  options.timeout = timeout;
  co_return co_await detect(std::move(host), std::move(options));
}

}  // namespace rigkeeper::drivers
