#pragma once
/// The Braiins OS+ public REST API (`/api/v1`, 25.07+) as a token REST session:
/// `POST /api/v1/auth/login {"username","password"}` gives `{"token","timeout_s"}`; every
/// other request, reads included, carries the bare token as `Authorization: <token>` (no
/// "Bearer"; paths and header from asic-rs' v25_07 backend). The token is renewed 30 s before
/// `timeout_s` runs out (an hour when the reply does not say) and once more on a 401.
/// A 404 on the log-in or on an /api/v1 path means older firmware: kUnsupported kNeedsRest.
#include <string_view>

#include "drivers/asic/common/token_rest_session.h"

namespace rigkeeper::drivers::braiins {

inline constexpr std::string_view kNeedsRest = "REST API needs Braiins OS 25.07 or later";

using RestSession = asic::TokenRestSession;
inline constexpr auto kToken = RestSession::Auth::kToken;

/// How the Braiins REST API logs in and names its failures.
const asic::TokenRestApi& rest_api();

/// The log-in body for these credentials; nullopt when no username is configured.
std::optional<nlohmann::json> rest_credentials(const std::string& username,
                                               const std::string& password);

}  // namespace rigkeeper::drivers::braiins
