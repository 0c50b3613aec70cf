#include "agent/cli/snapshot_view.h"

#include <ostream>
#include <string>

#include "agent/cli/output.h"

namespace rigkeeper::cli {

namespace {

using drivers::DeviceSnapshot;

std::string hashrate_line(const DeviceSnapshot& s) {
  std::string line = s.hashrate_ths ? fmt_ths(s.hashrate_ths) + " TH/s" : std::string(kNone);
  if (s.hashrate_nominal_ths) {
    line += " of " + fmt_ths(s.hashrate_nominal_ths) + " nominal";
    if (s.hashrate_ths && *s.hashrate_nominal_ths > 0)
      line += " (" + fmt_num(*s.hashrate_ths / *s.hashrate_nominal_ths * 100.0, 1) + "%)";
  }
  return line;
}

std::string power_line(const DeviceSnapshot& s) {
  std::string line = s.power_w ? fmt_watts(s.power_w) + " W" : std::string(kNone);
  if (s.power_limit_w) line += ", limit " + fmt_watts(s.power_limit_w) + " W";
  return line;
}

std::string fans_line(const DeviceSnapshot& s) {
  if (s.fans_rpm.empty()) return std::string(kNone);
  std::string line;
  for (const double rpm : s.fans_rpm) line += (line.empty() ? "" : " ") + fmt_num(rpm, 0);
  return line + " rpm";
}

std::string pool_line(const DeviceSnapshot& s) {
  if (!s.pool) return std::string(kNone);
  std::string line = s.pool->url.empty() ? std::string(kNone) : s.pool->url;
  if (!s.pool->user.empty()) line += "  user " + s.pool->user;
  if (!s.pool->status.empty()) line += "  (" + s.pool->status + ")";
  return line;
}

std::string chips(const std::optional<int>& found, const std::optional<int>& expected) {
  if (!found && !expected) return std::string(kNone);
  return fmt_int(found) + "/" + fmt_int(expected);
}

void print_boards(std::ostream& out, const DeviceSnapshot& s) {
  Table t({"BOARD", "TH/S", "CHIPS", "BOARD C", "CHIP C", "HW ERR", "STATUS"});
  for (std::size_t c : {0, 1, 2, 3, 4, 5}) t.align_right(c);
  for (const auto& b : s.boards)
    t.add_row({std::to_string(b.index), fmt_ths(b.hashrate_ths), chips(b.chips, b.chips_expected),
               fmt_temp(b.temp_board_c), fmt_temp(b.temp_chip_c), fmt_int(b.hw_errors), b.status});
  out << '\n';
  t.print(out);
}

void print_gpus(std::ostream& out, const DeviceSnapshot& s) {
  Table t({"GPU", "MODEL", "TEMP C", "POWER W", "LIMIT W", "UTIL %", "MEM MiB", "ECC C/U", "XID",
           "THROTTLE"});
  for (std::size_t c : {0, 2, 3, 4, 5}) t.align_right(c);
  for (const auto& g : s.gpus) {
    std::string throttle;
    for (const auto& r : g.throttle_reasons) throttle += (throttle.empty() ? "" : ",") + r;
    const std::string mem = (g.mem_used_mib || g.mem_total_mib)
                                ? fmt_num(g.mem_used_mib, 0) + "/" + fmt_num(g.mem_total_mib, 0)
                                : std::string(kNone);
    const std::string ecc = (g.ecc_corrected || g.ecc_uncorrected)
                                ? fmt_int(g.ecc_corrected) + "/" + fmt_int(g.ecc_uncorrected)
                                : std::string(kNone);
    t.add_row({std::to_string(g.index), or_none(g.model), fmt_temp(g.temp_c), fmt_watts(g.power_w),
               fmt_watts(g.power_limit_w), fmt_num(g.util_pct, 0), mem, ecc,
               g.xid_last ? std::to_string(*g.xid_last) : std::string(kNone), throttle});
  }
  out << '\n';
  t.print(out);
}

}  // namespace

void print_snapshot(std::ostream& out, const DeviceSnapshot& s, std::string_view driver) {
  Table head;
  std::string firmware = s.firmware;
  if (s.firmware_version) firmware += " " + *s.firmware_version;
  head.add_row({"device", s.device_id + (s.host != s.device_id ? " (" + s.host + ")" : "")});
  head.add_row({"model", (s.make.empty() ? "" : s.make + " ") + s.model});
  head.add_row({"firmware", firmware + "  (driver " + std::string(driver) + ")"});
  head.add_row({"state", std::string(drivers::to_string(s.state))});
  if (s.kind == drivers::DeviceKind::kAsic || s.hashrate_ths)
    head.add_row({"hashrate", hashrate_line(s)});
  head.add_row({"power", power_line(s)});
  head.add_row({"efficiency", s.efficiency_jth ? fmt_num(s.efficiency_jth, 1) + " J/TH" : ""});
  head.add_row({"temp max", s.temp_max_c ? fmt_temp(s.temp_max_c) + " C" : ""});
  head.add_row({"fans", fans_line(s)});
  if (s.kind == drivers::DeviceKind::kAsic) head.add_row({"pool", pool_line(s)});
  head.add_row({"uptime", fmt_duration(s.uptime_s)});
  head.add_row({"read at", format_rfc3339(s.ts)});
  head.print(out);
  if (!s.boards.empty()) print_boards(out, s);
  if (!s.gpus.empty()) print_gpus(out, s);
  out << '\n';
  if (s.errors.empty()) {
    out << "errors: none\n";
    return;
  }
  out << "errors:\n";
  for (const auto& e : s.errors) out << "  " << sanitize(e, 500) << '\n';
}

}  // namespace rigkeeper::cli
