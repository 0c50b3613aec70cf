#include "agent/cli/scan_config.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <system_error>

#include "agent/config/config.h"
#include "agent/config/file_io.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::cli {

namespace {

namespace fs = std::filesystem;

/// TOML basic string: quotes and backslashes escaped, control characters as \uXXXX.
std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Result<void> write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return fail(Errc::kStorage, "cannot write " + file.string());
  return {};
}

}  // namespace

std::string devices_toml(const std::vector<ConfigAddition>& additions, const std::string& origin) {
  std::string out = "\n# Added by " + origin + " on " + format_rfc3339(now_ms()) + "\n";
  for (const auto& a : additions) {
    const ScanFound& d = *a.device;
    out += "[[devices]]\nid = " + toml_string(a.id) + "\n";
    out += "driver = " + toml_string(d.driver->name) + "\n";
    out += "host = " + toml_string(d.host) + "\n";
    if (d.port != d.driver->default_port) out += "port = " + std::to_string(d.port) + "\n";
    std::string what = d.identity.make + " " + d.identity.model + ", " + d.identity.firmware;
    if (d.identity.firmware_version) what += " " + *d.identity.firmware_version;
    std::replace_if(
        what.begin(), what.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    out += "# " + what + "\n";
  }
  return out;
}

std::string device_id_for(const std::string& host, const std::vector<std::string>& taken) {
  std::string base = "miner-" + host;
  std::replace(base.begin(), base.end(), '.', '-');
  std::string id = base;
  for (int n = 2; std::find(taken.begin(), taken.end(), id) != taken.end(); ++n)
    id = base + "-" + std::to_string(n);
  return id;
}

Result<ConfigWriteResult> append_devices(const fs::path& file, const std::vector<ScanFound>& found,
                                         const std::string& origin) {
  std::string text;
  std::vector<std::string> ids;
  std::set<std::string> hosts;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    auto existing = agent::load_config(file);
    if (!existing)
      return fail(Errc::kConfig, file.string() + " does not load, so nothing was added:\n" +
                                     existing.error().message);
    for (const auto& d : existing->devices) {
      ids.push_back(d.id);
      hosts.insert(d.host);
    }
    auto read = agent::config::read_bounded(file, agent::kMaxConfigFileBytes);
    if (!read) return fail(Errc::kConfig, file.string() + ": " + read.error());
    text = std::move(*read);
    if (!text.empty() && text.back() != '\n') text += '\n';
  }

  ConfigWriteResult result;
  for (const auto& device : found) {
    if (hosts.count(device.host) != 0) {
      result.skipped.push_back(device.host);
      continue;
    }
    ConfigAddition addition{device_id_for(device.host, ids), &device};
    ids.push_back(addition.id);
    hosts.insert(device.host);
    result.added.push_back(std::move(addition));
  }
  if (result.added.empty()) return result;

  text += devices_toml(result.added, origin);
  const fs::path temp = file.parent_path() / (file.filename().string() + ".scan-tmp");
  if (auto written = write_file(temp, text); !written) return tl::unexpected(written.error());
  auto checked = agent::load_config(temp);
  if (!checked) {
    fs::remove(temp, ec);
    std::string why = checked.error().message;  // name the real file, not the temporary one
    for (auto at = why.find(temp.string()); at != std::string::npos; at = why.find(temp.string()))
      why.replace(at, temp.string().size(), file.string());
    return fail(Errc::kConfig, "the devices found would make " + file.string() +
                                   " invalid, so nothing was added:\n" + why);
  }
  if (fs::exists(file, ec)) fs::permissions(temp, fs::status(file, ec).permissions(), ec);
  fs::rename(temp, file, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fail(Errc::kStorage, "cannot replace " + file.string() + ": " + ec.message());
  }
  return result;
}

}  // namespace rigkeeper::cli
