#pragma once
/// The VNish web API (`/api/v1`) as a token REST session: reads (summary, info, status,
/// settings, autotune/presets) go without a token; privileged calls first unlock with
/// `POST /api/v1/unlock {"pw": <web password>}` -> `{"token": ...}` and carry
/// `Authorization: Bearer <token>`. A 401 unlocks once more (tokens die with a reboot or after
/// the firmware's unlock timeout). A 404 means an endpoint this VNish version lacks.
#include <optional>
#include <string>

#include "drivers/asic/common/token_rest_session.h"

namespace rigkeeper::drivers::vnish {

using WebSession = asic::TokenRestSession;
inline constexpr auto kNone = WebSession::Auth::kNone;
inline constexpr auto kToken = WebSession::Auth::kToken;

/// How the VNish web API unlocks and names its failures.
const asic::TokenRestApi& web_api();

/// The unlock body for this web password; nullopt when none is configured.
std::optional<nlohmann::json> web_credentials(const std::string& password);

}  // namespace rigkeeper::drivers::vnish
