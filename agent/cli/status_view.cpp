#include "agent/cli/status_view.h"

#include <ostream>
#include <string>

#include "agent/cli/json_fields.h"
#include "agent/cli/output.h"
#include "agent/cli/target.h"

namespace rigkeeper::cli {

namespace {

using nlohmann::json;

/// The rack totals: under "rack_summary", or under "rack" when that is an object rather than
/// the rack's name (both shapes have been proposed for the daemon's reply).
const json& rack_summary(const json& reply) {
  const json& summary = obj_field(reply, "rack_summary");
  return summary.empty() ? obj_field(reply, "rack") : summary;
}

std::string host_of(const json& device) {
  const auto host = str_field(device, "host");
  const auto port = int_field(device, "port");
  if (!host) return std::string(kNone);
  if (!port || *port < 1 || *port > 65535) return *host;
  return host_port(*host, static_cast<uint16_t>(*port));
}

std::string count(const json& devices, const char* key) { return fmt_int(int_field(devices, key)); }

std::string age_or_none(const json& j, const char* key, Timestamp now) {
  const auto ts = ts_field(j, key);
  if (ts) return fmt_age(*ts, now);
  return str_field(j, key).value_or(std::string(kNone));  // unreadable: show it as given
}

std::string mqtt_line(const json& mqtt) {
  const auto broker = or_none(str_field(mqtt, "broker"));
  const auto connected = bool_field(mqtt, "connected");
  if (!connected) return "unknown (broker " + broker + ")";
  return (*connected ? "connected to " : "NOT connected to ") + broker;
}

std::string outbox_line(const json& outbox, Timestamp now) {
  std::string line = fmt_int(int_field(outbox, "rows")) + " rows, ";
  const auto bytes = int_field(outbox, "bytes");
  line += (bytes ? fmt_bytes(*bytes) : std::string(kNone)) + ", ";
  line += fmt_int(int_field(outbox, "dropped_total")) + " dropped";
  if (const auto oldest = ts_field(outbox, "oldest_ts"))
    line += ", oldest " + fmt_age(*oldest, now);
  return line;
}

std::string rack_line(const json& rack) {
  const json& d = obj_field(rack, "devices");
  return fmt_ths(num_field(rack, "hashrate_ths")) + " TH/s, " +
         fmt_watts(num_field(rack, "power_w")) + " W; devices " + count(d, "total") + " total, " +
         count(d, "online") + " online, " + count(d, "mining") + " mining, " +
         count(d, "curtailed") + " curtailed, " + count(d, "faulted") + " faulted";
}

/// Quarantine and the last error, the two things a technician looks for first.
std::string note(const json& device) {
  std::string text;
  if (const auto until = str_field(device, "quarantined_until"))
    text = "quarantined until " + *until;
  if (const auto error = str_field(device, "last_error"))
    text += (text.empty() ? "" : "; ") + sanitize(*error, 80);
  return text;
}

void print_devices(std::ostream& out, const json& devices, Timestamp now) {
  Table t({"DEVICE", "DRIVER", "HOST", "STATE", "TH/S", "POWER W", "TEMP C", "LAST OK", "FAILS",
           "NOTE"});
  for (std::size_t c : {4, 5, 6, 8}) t.align_right(c);
  for (const auto& d : devices) {
    t.add_row({or_none(str_field(d, "id")), or_none(str_field(d, "driver")), host_of(d),
               or_none(str_field(d, "state")), fmt_ths(num_field(d, "hashrate_ths")),
               fmt_watts(num_field(d, "power_w")), fmt_temp(num_field(d, "temp_max_c")),
               age_or_none(d, "last_ok_ts", now), fmt_int(int_field(d, "consecutive_failures")),
               note(d)});
  }
  out << '\n';
  if (t.rows() == 0) {
    out << "no devices configured\n";
    return;
  }
  t.print(out);
}

}  // namespace

void print_status(std::ostream& out, const json& reply, Timestamp now) {
  std::string started = or_none(str_field(reply, "started_at"));
  if (const auto ts = ts_field(reply, "started_at")) started += " (" + fmt_age(*ts, now) + ")";
  out << "rigkeeperd " << sanitize(or_none(str_field(reply, "version"))) << "  site "
      << sanitize(or_none(str_field(reply, "site"))) << "  rack "
      << sanitize(or_none(str_field(reply, "rack"))) << '\n';
  Table head;
  head.add_row({"started", started});
  head.add_row({"mqtt", mqtt_line(obj_field(reply, "mqtt"))});
  head.add_row({"outbox", outbox_line(obj_field(reply, "outbox"), now)});
  const json& summary = rack_summary(reply);
  head.add_row({"rack", summary.empty() ? "" : rack_line(summary)});
  head.print(out);
  const auto it = reply.find("devices");
  print_devices(out, it != reply.end() && it->is_array() ? *it : json::array(), now);
}

}  // namespace rigkeeper::cli
