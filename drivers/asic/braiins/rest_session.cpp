#include "drivers/asic/braiins/rest_session.h"

namespace rigkeeper::drivers::braiins {

const asic::TokenRestApi& rest_api() {
  static const asic::TokenRestApi kApi{
      .login_path = "auth/login",
      .login_verb = "login",
      .auth_scheme = "",
      .no_credentials = "no username/password configured for the Braiins REST API (driver options)",
      .credentials_hint = "check username/password",
      .login_not_found = std::string(kNeedsRest),
      .call_not_found = "not found; " + std::string(kNeedsRest),
      .default_ttl = std::chrono::seconds(3600),
  };
  return kApi;
}

std::optional<nlohmann::json> rest_credentials(const std::string& username,
                                               const std::string& password) {
  if (username.empty()) return std::nullopt;
  return nlohmann::json{{"username", username}, {"password", password}};
}

}  // namespace rigkeeper::drivers::braiins
