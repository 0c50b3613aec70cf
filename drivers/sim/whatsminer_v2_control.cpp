// Whatsminer API v2 privileged commands, firmware side: `get_token` issues a salt pair and a
// time; a command arrives as {"enc":1,"data":base64(aes256ecb(json))} with the key
// sha256(md5crypt(password, salt)) and "token" = md5crypt(hash + time, newsalt) (the same
// derivation as pyasic's client); the answer goes back as {"enc":base64(aes(json))}. A
// command that no issued token opens is answered in plain text, code 135 "check token err";
// with the API switched off, code 45 "can't access write cmd". Firmware from 2024-11 on
// (API v3 models) refuses v2 writes the same way, as field reports say it does.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "drivers/asic/whatsminer/crypto.h"
#include "drivers/sim/cgminer_dispatch.h"
#include "drivers/sim/cgminer_request.h"
#include "drivers/sim/whatsminer_firmware.h"

namespace rigkeeper::drivers::sim::whatsminer {

namespace {

namespace wc = drivers::whatsminer;

constexpr size_t kTokensKept = 4;
constexpr std::string_view kSaltChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

std::string salt8(uint64_t seed) {
  std::string s;
  for (int i = 0; i < 8; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    s.push_back(kSaltChars[(seed >> 33) % kSaltChars.size()]);
  }
  return s;
}

std::string param_str(const nlohmann::json& cmd, const char* key) {
  auto it = cmd.find(key);
  if (it == cmd.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

Json ok(const DeviceReading& r, std::string_view msg) {
  Json j = flat_reply(r, Json(std::string(msg)));
  return j;
}

// Runs one decrypted privileged command on the device.
Json run(const nlohmann::json& cmd, const DeviceReading& r, const DeviceAccess& a,
         FirmwareState& st) {
  AsicDevice& d = *a.device;
  const std::string name = param_str(cmd, "cmd");
  if (name == "power_off") {
    d.sleep(a.now);
    return ok(r, "API command OK");
  }
  if (name == "power_on") {
    d.wake(a.now);
    return ok(r, "API command OK");
  }
  if (name == "adjust_power_limit") {
    const auto w = std::atof(param_str(cmd, "power_limit").c_str());
    if (!(w >= 100 && w <= r.model().nominal_power_w() * 1.2))
      return flat_error(r, 132, "power_limit out of range");
    d.set_power_target(a.now, w);
    return ok(r, "API command OK");
  }
  if (name == "update_pools") {
    const auto url = param_str(cmd, "pool1");
    const auto user = param_str(cmd, "worker1");
    if (url.empty() || user.empty()) return flat_error(r, 132, "pool1 or worker1 missing");
    d.set_pool(a.now, PoolConfig{url, user});
    return ok(r, "API command OK");
  }
  if (name == "reboot") {
    d.reboot(a.now);
    return ok(r, "API command OK");
  }
  if (name == "set_led") {
    st.led = param_str(cmd, "param") == "auto" ? "auto" : param_str(cmd, "color");
    return ok(r, "API command OK");
  }
  if (name == "restart_btminer") return ok(r, "API command OK");
  return flat_error(r, code::kInvalidCommand, "invalid cmd");
}

}  // namespace

FirmwareInfo firmware_of(const DeviceReading& r) { return firmware_of_model(r.model().name); }

FirmwareInfo firmware_of_model(std::string_view m) {
  if (m.starts_with("M60")) return {"20251209.16.Rel2", "whatsminer v3.0.2", true};
  if (m.starts_with("M50")) return {"20230911.14.REL", "whatsminer v2.0.5", false};
  return {"20210322.22.REL", "whatsminer v1.4.0", false};
}

Json flat_reply(const DeviceReading& r, Json msg, int code) {
  Json j = Json::object();
  j["Code"] = code;
  j["Description"] = firmware_of(r).api_ver;
  j["Msg"] = std::move(msg);
  j["STATUS"] = "S";
  j["When"] = r.when_unix;
  return j;
}

Json flat_error(const DeviceReading& r, int code, std::string_view msg) {
  Json j = flat_reply(r, Json(std::string(msg)), code);
  j["STATUS"] = "E";
  return j;
}

Json get_token(const DeviceReading& r, const DeviceAccess& access) {
  auto& st = access.device->extension<FirmwareState>();
  if (!st.api_enabled || firmware_of(r).v3) return flat_error(r, 45, "can't access write cmd");
  const uint64_t n = ++st.issued;
  FirmwareState::Token t{salt8(r.identity->noise_key ^ (n * 2)),
                         salt8(r.identity->noise_key ^ (n * 2 + 1)),
                         std::to_string(r.when_unix % 10000)};
  st.tokens.push_back(t);
  while (st.tokens.size() > kTokensKept) st.tokens.pop_front();
  Json m = Json::object();
  m["newsalt"] = t.newsalt;
  m["salt"] = t.salt;
  m["time"] = t.time;
  return flat_reply(r, std::move(m), 134);
}

std::optional<Json> v2_special(std::string_view request, const DeviceReading& r,
                               const DeviceAccess& access, const FamilyResponder& responder) {
  if (request.size() > kMaxRequestBytes || request.find("\"enc\"") == std::string_view::npos) {
    // The {"cmd":"summary"} form some clients use (Whatsminer API documents both).
    if (request.find("\"cmd\"") == std::string_view::npos) return std::nullopt;
    auto j = nlohmann::json::parse(request, nullptr, false);
    if (!j.is_object() || !j.contains("cmd") || !j["cmd"].is_string() || j.contains("command"))
      return std::nullopt;
    const nlohmann::json plain = {{"command", j["cmd"]}};
    return answer_json(plain.dump(), r, responder, &access);
  }
  auto j = nlohmann::json::parse(request, nullptr, false);
  if (!j.is_object() || !j.contains("data") || !j["data"].is_string()) return std::nullopt;
  auto& st = access.device->extension<FirmwareState>();
  if (!st.api_enabled || firmware_of(r).v3) return flat_error(r, 45, "can't access write cmd");
  const std::string data = j["data"].get<std::string>();
  for (auto it = st.tokens.rbegin(); it != st.tokens.rend(); ++it) {
    const auto token = wc::derive_v2_token(st.password, it->salt, it->newsalt, it->time);
    auto plain = wc::open_v2_payload(token.aes_key, data);
    if (!plain) continue;
    auto cmd = nlohmann::json::parse(*plain, nullptr, false);
    if (!cmd.is_object() || param_str(cmd, "token") != token.sign) continue;
    st.tokens.erase(std::next(it).base());  // one command per token
    const Json answer = sim::sorted_keys(run(cmd, r, access, st));
    if (answer.value("STATUS", "") == "S") ++st.privileged_ok;
    Json out = Json::object();
    out["enc"] = wc::base64_encode(wc::aes256_ecb_encrypt(token.aes_key, to_wire(answer)));
    return out;
  }
  return flat_error(r, 135, "check token err");
}

}  // namespace rigkeeper::drivers::sim::whatsminer
