#include "drivers/asic/vnish/session.h"

namespace rigkeeper::drivers::vnish {

const asic::TokenRestApi& web_api() {
  static const asic::TokenRestApi kApi{
      .login_path = "unlock",
      .login_verb = "unlock",
      .auth_scheme = "Bearer",
      .no_credentials = "no web_password configured; VNish control needs it",
      .credentials_hint = "check web_password",
      .login_not_found = "no /api/v1/unlock: not a VNish web API",
      .call_not_found = "not found on this VNish version",
      .default_ttl = std::nullopt,
  };
  return kApi;
}

std::optional<nlohmann::json> web_credentials(const std::string& password) {
  if (password.empty()) return std::nullopt;
  return nlohmann::json{{"pw", password}};
}

}  // namespace rigkeeper::drivers::vnish
