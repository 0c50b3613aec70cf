// Whatsminer API v3 (firmware from 2024-11, TCP 4433), firmware side. Replies are
// {"code","desc","msg","when"} with sorted keys like the M60S capture
// (shared/fixtures/asic/whatsminer/v3_get.device.info.json). get.miner.status sections follow
// the key names pyasic and asic-rs parse (hash-realtime in TH/s, power-limit, edevs, pools).
// set.* commands must carry ts, account "super" and token = first 8 characters of
// base64(sha256(cmd + password + salt + ts)); a wrong token gets code -4.
#include <cmath>
#include <cstdlib>
#include <string>

#include "drivers/asic/whatsminer/crypto.h"
#include "drivers/sim/whatsminer_firmware.h"

namespace rigkeeper::drivers::sim::whatsminer {

namespace {

constexpr int64_t kMaxClockSkewS = 300;

Json envelope3(const DeviceReading& r, int code, std::string_view desc, Json msg) {
  Json j = Json::object();
  j["code"] = code;
  j["desc"] = std::string(desc);
  j["msg"] = std::move(msg);
  j["when"] = r.when_unix;
  return j;
}

Json error3(const DeviceReading& r, int code, std::string_view desc, std::string_view msg) {
  return envelope3(r, code, desc, Json(std::string(msg)));
}

std::string salt_of(const DeviceReading& r, FirmwareState& st) {
  if (st.v3_salt.empty()) {
    constexpr std::string_view kChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint64_t x = r.identity->noise_key | 1;
    for (int i = 0; i < 8; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      st.v3_salt.push_back(kChars[x % kChars.size()]);
    }
  }
  return st.v3_salt;
}

Json device_info(const DeviceReading& r, FirmwareState& st) {
  const auto fw = firmware_of(r);
  Json miner = Json::object();
  miner["board-num"] = std::to_string(r.boards.size());
  for (size_t i = 0; i < r.boards.size(); ++i)
    miner["chipdata" + std::to_string(i)] = "K8EC374-2426 BINVE6-197806A";
  std::string detect;
  for (const auto& b : r.boards)
    detect += (detect.empty() ? "" : ":") + std::to_string(std::llround(b.ghs_ideal));
  miner["detect-hash-rate"] = detect;
  miner["fast-boot"] = "disable";
  miner["hash-board"] = "K40";
  miner["hash-percent"] = "0";
  miner["miner-sn"] = "BTM" + r.identity->serial;
  for (size_t i = 0; i < r.boards.size() && i < r.identity->board_serials.size(); ++i)
    miner["pcbsn" + std::to_string(i)] = r.identity->board_serials[i];
  miner["pool-strategy"] = "FAILOVER";
  miner["type"] = r.model().name;
  miner["working"] = r.curtailed || r.state == PowerState::kSleeping ? "false" : "true";
  Json network = Json::object();
  network["dns"] = "127.0.0.1";
  network["gateway"] = "127.0.0.1";
  network["hostname"] = "WhatsMiner";
  network["ip"] = r.identity->ip;
  network["mac"] = r.identity->mac;
  network["netmask"] = "255.0.0.0";
  network["proto"] = "dhcp";
  Json power = Json::object();
  power["fanspeed"] = r.hashing() ? 6344 : 0;
  power["hwversion"] = "RT0159";
  power["model"] = "P221B";
  power["sn"] = "1436B2429603097";
  power["swversion"] = "230224.220429";
  power["type"] = "P221B";
  power["vendor"] = "1";
  Json system = Json::object();
  system["api"] = "3.0.2";
  system["apiswitch"] = st.api_enabled ? "1" : "0";
  system["control-board-version"] = "CB6V10";
  system["fwversion"] = fw.fw_ver;
  system["ledstatus"] = st.led;
  system["platform"] = "H616";
  Json msg = Json::object();
  msg["miner"] = std::move(miner);
  msg["network"] = std::move(network);
  msg["power"] = std::move(power);
  msg["salt"] = salt_of(r, st);
  msg["system"] = std::move(system);
  return msg;
}

Json summary3(const DeviceReading& r) {
  Json s = Json::object();
  Json temps = Json::array();
  double cmin = 200, cmax = 0, cavg = 0;
  for (const auto& b : r.boards) {
    temps.push_back(round2(b.hot()));
    cmin = std::min(cmin, b.temp_chip[1]);
    cmax = std::max(cmax, b.chip_hot());
    cavg += b.temp_chip[2] / static_cast<double>(r.boards.size());
  }
  s["board-temperature"] = temps;
  s["bootup-time"] = r.elapsed_s + 638;
  s["chip-temp-avg"] = round2(cavg);
  s["chip-temp-max"] = round2(cmax);
  s["chip-temp-min"] = round2(r.boards.empty() ? 0 : cmin);
  s["elapsed"] = r.elapsed_s;
  s["environment-temperature"] = round2(r.identity->ambient_c);
  s["factory-hash"] = round2(r.model().nominal_ths);
  s["fan-speed-in"] = r.fans.empty() ? 0 : r.fans[0].rpm;
  s["fan-speed-out"] = r.fans.size() > 1 ? r.fans[1].rpm : 0;
  s["freq-avg"] = r.boards.empty() ? 0 : r.boards[0].freq_mhz;
  s["hash-15min"] = round2(r.ghs_15m / 1000.0);
  s["hash-1min"] = round2(r.ghs_1m / 1000.0);
  s["hash-average"] = round2(r.ghs_av / 1000.0);
  s["hash-realtime"] = round2(r.ghs_5s / 1000.0);
  s["power-5min"] = std::round(r.power_w);
  s["power-limit"] = static_cast<int64_t>(std::llround(r.power_limit_w));
  s["power-rate"] = round2(r.ghs_5s > 0 ? r.power_w / (r.ghs_5s / 1000.0) : 0.0);
  s["power-realtime"] = static_cast<int64_t>(std::llround(r.power_w));
  s["target-freq"] = r.model().freq_mhz;
  s["up-freq-finish"] = r.state == PowerState::kMining ? 1 : 0;
  return s;
}

Json edevs3(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json d = Json::object();
    d["chip-temp-avg"] = round2(b.temp_chip[2]);
    d["chip-temp-max"] = round2(b.chip_hot());
    d["chip-temp-min"] = round2(b.temp_chip[1]);
    d["effective-chips"] = b.alive ? b.chips_present : 0;
    d["factory-hash"] = round2(b.ghs_ideal / 1000.0);
    d["freq"] = b.freq_mhz;
    d["hash-average"] = round2(b.ghs / 1000.0);
    d["id"] = b.index;
    d["slot"] = b.index;
    list.push_back(std::move(d));
  }
  return list;
}

Json pools3(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t i = 0; i < r.pools.size(); ++i) {
    const auto& p = r.pools[i];
    Json j = Json::object();
    j["account"] = p.user;
    j["id"] = static_cast<int>(i);
    j["last-share-time"] = p.active ? r.last_share_unix : 0;
    j["reject-rate"] = 0.0;
    j["status"] = p.status == "Alive" ? "alive" : "dead";
    j["stratum-active"] = p.active;
    j["url"] = p.url;
    list.push_back(std::move(j));
  }
  return list;
}

Json run_set(const std::string& cmd, const nlohmann::json& param, const DeviceReading& r,
             const DeviceAccess& a, FirmwareState& st) {
  AsicDevice& d = *a.device;
  if (cmd == "set.miner.service") {
    const std::string v = param.is_string() ? param.get<std::string>() : "";
    if (v == "stop")
      d.sleep(a.now);
    else if (v == "start")
      d.wake(a.now);
    else if (v == "restart")
      d.reboot(a.now);
    else
      return error3(r, -1, cmd, "invalid param");
  } else if (cmd == "set.miner.power_limit") {
    const double w = param.is_number()   ? param.get<double>()
                     : param.is_string() ? std::atof(param.get<std::string>().c_str())
                                         : 0.0;
    if (!(w >= 100 && w <= r.model().nominal_power_w() * 1.2))
      return error3(r, -1, cmd, "power limit out of range");
    d.set_power_target(a.now, w);
  } else if (cmd == "set.system.reboot") {
    d.reboot(a.now);
  } else if (cmd == "set.system.led") {
    st.led = param.is_string() ? param.get<std::string>() : "manual";
  } else {
    return error3(r, -2, cmd, "invalid command");
  }
  ++st.privileged_ok;
  return envelope3(r, 0, cmd, Json("ok"));
}

}  // namespace

Json v3_answer(std::string_view body, const DeviceReading& r, const DeviceAccess& access) {
  auto& st = access.device->extension<FirmwareState>();
  const auto req = nlohmann::json::parse(body, nullptr, false);
  if (!req.is_object() || !req.contains("cmd") || !req["cmd"].is_string())
    return error3(r, -3, "", "invalid json");
  const std::string cmd = req["cmd"].get<std::string>().substr(0, 64);
  const nlohmann::json param = req.value("param", nlohmann::json());
  if (cmd == "get.device.info") {
    Json msg = device_info(r, st);
    if (param.is_string() && msg.contains(param.get<std::string>())) {
      Json only = Json::object();
      only[param.get<std::string>()] = msg[param.get<std::string>()];
      msg = std::move(only);
    }
    return envelope3(r, 0, cmd, std::move(msg));
  }
  if (cmd == "get.miner.status") {
    const std::string what = param.is_string() ? param.get<std::string>() : "summary";
    Json msg = Json::object();
    if (what == "summary")
      msg["summary"] = summary3(r);
    else if (what == "edevs")
      msg["edevs"] = edevs3(r);
    else if (what == "pools")
      msg["pools"] = pools3(r);
    else
      return error3(r, -1, cmd, "invalid param");
    return envelope3(r, 0, cmd, std::move(msg));
  }
  if (!cmd.starts_with("set.")) return error3(r, -2, cmd, "invalid command");
  if (!st.api_enabled) return error3(r, -4, cmd, "API is not enabled");
  const auto ts = req.value("ts", int64_t{0});
  const auto token = req.value("token", std::string());
  const auto account = req.value("account", std::string());
  if (account != "super" || std::llabs(ts - r.when_unix) > kMaxClockSkewS ||
      token != drivers::whatsminer::v3_token(cmd, st.password, salt_of(r, st), ts))
    return error3(r, -4, cmd, "invalid token");
  return run_set(cmd, param, r, access, st);
}

}  // namespace rigkeeper::drivers::sim::whatsminer
