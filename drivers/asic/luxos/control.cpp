#include "drivers/asic/luxos/control.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::luxos {

namespace {

constexpr size_t kMaxProfiles = 256;
constexpr size_t kMaxArgBytes = 512;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::vector<Profile>> parse_profiles(const nlohmann::json& reply) {
  std::vector<Profile> out;
  for (const auto* p : asic::entries(&reply, "PROFILES")) {
    if (out.size() >= kMaxProfiles) break;
    auto name = asic::string_at(p, "Profile Name");
    auto watts = asic::number_at(p, "Watts");
    if (!name || name->empty() || !watts || !std::isfinite(*watts) || *watts <= 0) continue;
    out.push_back(Profile{*name, *watts});
  }
  if (out.empty()) return fail(Errc::kProtocol, "profiles reply lists no usable profile");
  return out;
}

std::optional<Profile> choose_profile(const std::vector<Profile>& profiles, double target_w) {
  std::optional<Profile> best;
  for (const auto& p : profiles) {
    if (p.watts <= target_w && (!best || p.watts > best->watts)) best = p;
  }
  return best;
}

std::optional<Profile> find_profile(const std::vector<Profile>& profiles, const std::string& name) {
  auto it = std::find_if(profiles.begin(), profiles.end(),
                         [&](const Profile& p) { return p.name == name; });
  if (it == profiles.end()) return std::nullopt;
  return *it;
}

bool ControlState::sleeping() const {
  const auto mode = lower(curtail_mode);
  return !mode.empty() && mode != "none";
}

Result<ControlState> parse_control_state(const nlohmann::json& reply) {
  const auto* c = asic::first_entry(&reply, "CONFIG");
  if (c == nullptr || !c->is_object()) return fail(Errc::kProtocol, "config reply has no CONFIG");
  ControlState s;
  s.curtail_mode = asic::string_at(c, "CurtailMode").value_or("");
  s.profile = asic::string_at(c, "Profile");
  s.atm_enabled = asic::flag_at(c, "IsAtmEnabled");
  s.red_led = asic::string_at(c, "RedLed");
  return s;
}

Result<std::string> privileged_parameter(const std::string& session_id,
                                         const std::vector<std::string>& args) {
  std::string out = session_id;
  for (const auto& a : args) {
    const bool bad = a.size() > kMaxArgBytes || std::any_of(a.begin(), a.end(), [](char c) {
                       return c == ',' || static_cast<unsigned char>(c) < 0x20;
                     });
    if (bad)
      return fail(Errc::kInvalidArgument,
                  "a LuxOS command argument may not contain commas or control characters");
    out += ',';
    out += a;
  }
  return out;
}

}  // namespace rigkeeper::drivers::luxos
