// library_floor: the resident memory of the libraries rigkeeperd links, loaded and initialised
// the way the daemon does (an SQLite database in WAL mode, a Paho client connected to a broker
// when one is given, OpenSSL, spdlog, toml++, pugixml), with no devices and none of rigkeeper's
// code. The daemon's peak RSS minus this is what rigkeeper itself costs; docs/PERFORMANCE.md
// reads the two side by side.
//
//   library_floor [--broker tcp://127.0.0.1:1883] [--top N]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <toml++/toml.h>
#include <pugixml.hpp>

namespace {

/// Resident kB per mapped file (anonymous mappings under their bracketed name or "anon").
std::map<std::string, long> resident_by_mapping() {
  std::ifstream in("/proc/self/smaps");
  std::map<std::string, long> out;
  std::string line, name = "anon";
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string first;
    ss >> first;
    if (first.find('-') != std::string::npos && first.find(':') == std::string::npos) {
      std::string perms, off, dev, inode, path;
      ss >> perms >> off >> dev >> inode >> path;
      name = path.empty() ? "anon" : path;
    } else if (first == "Rss:") {
      long kb = 0;
      ss >> kb;
      out[name] += kb;
    }
  }
  return out;
}

void print_status() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0 || line.rfind("RssAnon:", 0) == 0 ||
        line.rfind("RssFile:", 0) == 0)
      std::cout << line << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string broker;
  int top = 0;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 < argc && flag == "--broker") {
      broker = argv[i + 1];
    } else if (i + 1 < argc && flag == "--top") {
      top = std::atoi(argv[i + 1]);
    } else {  // an unknown flag, or one without its value
      std::cerr << "usage: library_floor [--broker URI] [--top N]\n";
      return 2;
    }
  }

  spdlog::info("library floor: loading and initialising rigkeeperd's libraries");
  const auto dir =
      std::filesystem::temp_directory_path() / ("rk-floor-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  sqlite3* db = nullptr;
  sqlite3_open((dir / "floor.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; CREATE TABLE t(ts INTEGER, body TEXT);"
               "INSERT INTO t VALUES (1, 'x');",
               nullptr, nullptr, nullptr);
  auto config = toml::parse("[agent]\npoll_interval_s = 5\n");
  pugi::xml_document xml;
  xml.load_string("<CommandResult><Status>OK</Status></CommandResult>");
  mqtt::async_client client(broker.empty() ? "tcp://127.0.0.1:1" : broker, "rk-floor",
                            mqtt::create_options(MQTTVERSION_3_1_1));
  if (!broker.empty()) {
    try {
      client.connect()->wait_for(std::chrono::seconds(5));
      client.publish("rk-floor/probe", "x", 1, false)->wait_for(std::chrono::seconds(5));
    } catch (const std::exception& e) {
      std::cerr << "broker " << broker << ": " << e.what() << "\n";
    }
  }

  print_status();
  if (top > 0) {
    std::vector<std::pair<long, std::string>> rows;
    for (const auto& [name, kb] : resident_by_mapping()) rows.emplace_back(kb, name);
    std::sort(rows.rbegin(), rows.rend());
    for (int i = 0; i < top && i < static_cast<int>(rows.size()); ++i)
      std::cout << rows[i].first << " kB " << rows[i].second << "\n";
  }

  if (client.is_connected()) client.disconnect()->wait_for(std::chrono::seconds(2));
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
  (void)config;
  return 0;
}
