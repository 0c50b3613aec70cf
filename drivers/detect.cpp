#include "drivers/detect.h"

#include "drivers/api/cgminer_client.h"
#include "drivers/api/registry.h"

namespace rigkeeper::drivers {

namespace {

bool nothing_answers(const Error& e) {
  return e.code == Errc::kUnreachable || e.code == Errc::kTimeout;
}

Error at(const std::string& where, Error e) {
  if (e.message.find(where) == std::string::npos) e.message = where + ": " + e.message;
  return e;
}

}  // namespace

Result<Detection> detect_from_probe(const Probe& probe) {
  const DriverInfo* best = best_match(probe);
  if (best == nullptr)
    return fail(Errc::kUnsupported, "no driver recognises the device's version/devdetails replies");
  Detection d;
  d.driver = best;
  d.identity = best->identify ? best->identify(probe) : Identity{};
  d.identity.driver = best->name;
  if (d.identity.firmware.empty()) d.identity.firmware = best->firmware;
  d.probe = probe;
  return d;
}

asio::awaitable<Result<Detection>> detect(std::string host, uint16_t port,
                                          std::chrono::milliseconds timeout) {
  const std::string where = host + ":" + std::to_string(port);
  CgminerClient client(co_await asio::this_coro::executor, host, port, CgminerOptions{timeout});
  Probe probe;
  // `version` first: when nothing answers it, asking devdetails would only wait again.
  auto version = co_await client.command("version");
  if (version) {
    probe.cgminer_version = std::move(*version);
  } else if (nothing_answers(version.error())) {
    co_return tl::unexpected(at(where, version.error()));
  }
  // devdetails may be denied (stock S17, Hiveon: Code 45); the probe then simply lacks it.
  auto details = co_await client.command("devdetails");
  if (details) probe.cgminer_devdetails = std::move(*details);

  if (!probe.cgminer_version && !probe.cgminer_devdetails) {
    std::string why = version.error().message;
    if (!details) why += "; devdetails: " + details.error().message;
    co_return fail(Errc::kUnsupported,
                   where + " answered, but neither version nor devdetails was usable: " + why);
  }
  auto found = detect_from_probe(probe);
  if (!found) co_return tl::unexpected(at(where, found.error()));
  co_return found;
}

}  // namespace rigkeeper::drivers
