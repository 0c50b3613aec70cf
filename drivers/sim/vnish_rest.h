#pragma once
/// VNish (AnthillOS) web API personality (`/api/v1` on port 80): public reads (info, status,
/// summary, settings, autotune/presets) shaped like the captures in shared/fixtures/asic/vnish/,
/// `POST /api/v1/unlock {"pw"}` (web password "admin", the firmware default) for a token sent
/// as `Authorization: Bearer <token>` (a bare token is accepted too, as older clients send it),
/// and the privileged verbs: mining/pause|resume|stop|start, settings (overclock preset,
/// pools), system/reboot, find-miner. Tokens die with a reboot or after kUnlockTtlS.
///
/// Presets per model: "disabled" plus six power steps around the nominal power, of which the
/// 85 %, 90 % and 100 % steps are tuned and the others not.
///
/// Thread-safety: a stateless singleton; per-device state lives in AsicDevice::extension.
#include <string>
#include <vector>

#include "drivers/sim/reply_format.h"
#include "drivers/sim/web_responder.h"

namespace rigkeeper::drivers::sim {

const WebResponder& vnish_rest();

/// "Antminer S19j Pro (Vnish 1.2.6)": how VNish names the miner in summary and cgminer Type.
std::string vnish_miner_type(const ModelSpec& model);

/// One autotune preset of the simulated miner.
struct VnishPreset {
  std::string name;  ///< watts as text, or "disabled"
  double watts = 0;
  double ths = 0;
  bool tuned = false;
};

/// The presets a model offers (deterministic).
std::vector<VnishPreset> vnish_presets(const ModelSpec& model);

/// JSON bodies of the public read endpoints (info, status, summary, settings,
/// autotune/presets), or null for an unknown path.
Json vnish_rest_read(std::string_view path, AsicDevice& device, SimTime now, int64_t now_unix);

}  // namespace rigkeeper::drivers::sim
