#include "drivers/asic/avalon/control.h"

#include <algorithm>
#include <cctype>

namespace rigkeeper::drivers::avalon {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Soft off/on take effect at a device time; 5 s ahead, as Canaan's own tools send it.
constexpr long long kSoftSwitchLeadS = 5;

bool clean(const std::string& s) {
  return s.size() <= 512 && std::none_of(s.begin(), s.end(), [](char c) {
           return c == ',' || static_cast<unsigned char>(c) < 0x20;
         });
}

}  // namespace

std::vector<std::string> workmode_names(const std::string& model) {
  const auto m = lower(model);
  if (m == "avalon q") return {"eco", "standard", "super"};
  if (m.rfind("avalonminer", 0) == 0) return {"normal", "performance"};
  return {"0", "1", "2"};
}

std::optional<int> workmode_for_profile(const std::string& model, const std::string& profile) {
  const auto names = workmode_names(model);
  const auto p = lower(profile);
  for (size_t i = 0; i < names.size(); ++i)
    if (p == names[i] || p == std::to_string(i)) return static_cast<int>(i);
  return std::nullopt;
}

std::string describe_workmode(const std::string& model, int mode) {
  const auto names = workmode_names(model);
  std::string s = "work mode " + std::to_string(mode);
  if (mode >= 0 && static_cast<size_t>(mode) < names.size() &&
      names[static_cast<size_t>(mode)] != std::to_string(mode))
    s += " (" + names[static_cast<size_t>(mode)] + ")";
  return s;
}

std::string softoff_parameter(long long t) {
  return "0,softoff,1:" + std::to_string(t + kSoftSwitchLeadS);
}
std::string softon_parameter(long long t) {
  return "0,softon,1:" + std::to_string(t + kSoftSwitchLeadS);
}
std::string workmode_parameter(int mode) { return "0,workmode,set," + std::to_string(mode); }
std::string reboot_parameter() { return "0,reboot,0"; }
std::string led_parameter(bool on) { return on ? "0,led,1-1" : "0,led,1-0"; }

Result<std::string> setpool_parameter(const std::string& web_user, const std::string& web_password,
                                      const std::string& url, const std::string& worker,
                                      const std::string& worker_password) {
  for (const auto* f : {&web_user, &web_password, &url, &worker, &worker_password})
    if (!clean(*f))
      return fail(Errc::kInvalidArgument,
                  "an Avalon setpool field may not contain commas or control characters");
  return "0,setpool," + web_user + "," + web_password + "," + url + "," + worker + "," +
         worker_password;
}

}  // namespace rigkeeper::drivers::avalon
