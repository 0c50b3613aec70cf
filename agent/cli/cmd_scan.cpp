// rigkeeper scan RANGE [--json] [--port P] [--web-port P] [--v3-port P] [--timeout S]
// [--concurrency N] [--write-config FILE]: discover devices in an address range.
// Results on stdout (a table, or JSON Lines with --json); a progress bar and the summary on
// stderr when it is a terminal. Exit: 0 something found; 1 usage, range or config error;
// 2 nothing answered; 3 hosts answered but none was recognised.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>

#include "agent/cli/address_range.h"
#include "agent/cli/command.h"
#include "agent/cli/output.h"
#include "agent/cli/scan_config.h"
#include "agent/cli/scanner.h"

namespace rigkeeper::cli {

namespace {

using Clock = std::chrono::steady_clock;

/// Sockets one host's detection may hold at once: cgminer, web `/` then 3 family paths, v3.
constexpr std::size_t kSocketsPerHost = 6;

struct ScanArgs {
  std::string range;
  bool json = false;
  uint16_t port = 4028;
  uint16_t web_port = 80;
  uint16_t v3_port = 4433;
  double timeout_s = 2;
  std::size_t concurrency = 256;
  std::string write_config;
};

/// Raises the soft descriptor limit to the hard one and returns how many hosts fit in it.
std::size_t hosts_the_fd_limit_allows() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 128;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = std::min<rlim_t>(lim.rlim_max, 1u << 16);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  const auto fds = static_cast<std::size_t>(lim.rlim_cur);
  return fds > 64 + kSocketsPerHost ? (fds - 64) / kSocketsPerHost : 1;
}

/// `\r[#####     ] 512/1024 hosts, 37 found`, at most every 100 ms and always at the end.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(const ScanProgress& p) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (p.done != p.total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = p.total == 0 ? kWidth : p.done * kWidth / p.total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
              << p.done << '/' << p.total << " hosts, " << p.found << " found" << std::flush;
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point last_{};
};

nlohmann::json found_json(const ScanFound& f) {
  return {{"host", f.host},
          {"port", f.port},
          {"driver", f.driver->name},
          {"make", f.identity.make},
          {"model", f.identity.model},
          {"firmware", f.identity.firmware},
          {"firmware_version", f.identity.firmware_version
                                   ? nlohmann::json(*f.identity.firmware_version)
                                   : nlohmann::json(nullptr)},
          {"warnings", f.warnings}};
}

void print_results(const ScanReport& report, bool json) {
  if (json) {
    for (const auto& f : report.found)
      std::cout << found_json(f).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
    return;
  }
  if (report.found.empty()) return;
  Table table({"HOST", "PORT", "DRIVER", "MAKE", "MODEL", "FIRMWARE", "VERSION", "NOTE"});
  for (const auto& f : report.found) {
    std::string note;
    for (const auto& w : f.warnings) note += (note.empty() ? "" : "; ") + w;
    table.add_row({f.host, std::to_string(f.port), f.driver->name, f.identity.make,
                   f.identity.model, f.identity.firmware, or_none(f.identity.firmware_version),
                   note});
  }
  table.print(std::cout);
}

/// Multi-line messages (the config loader's) printed one sanitised line at a time.
int report_lines(const std::string& context, const Error& err) {
  std::istringstream lines(err.message);
  for (std::string line; std::getline(lines, line);)
    std::cerr << "rigkeeper: " << sanitize(context) << ": " << sanitize(line, 2000) << '\n';
  return exit_code(err.code);
}

int write_config(const ScanArgs& args, const ScanReport& report) {
  const std::string context = "scan --write-config " + args.write_config;
  auto written = append_devices(args.write_config, report.found, "rigkeeper scan " + args.range);
  if (!written) return report_lines(context, written.error());
  for (const auto& host : written->skipped)
    std::cerr << "rigkeeper: " << sanitize(context) << ": " << host
              << " is already configured, not added\n";
  for (const auto& a : written->added)
    std::cerr << "rigkeeper: " << sanitize(context) << ": added " << a.id << " ("
              << a.device->driver->name << ", " << a.device->host << ")\n";
  return 0;
}

int scan(const ScanArgs& args) {
  const std::string context = "scan " + args.range;
  auto range = parse_address_range(args.range);
  if (!range) return report(context, range.error());

  ScanOptions options;
  options.detect.cgminer = args.port != 0;
  options.detect.cgminer_port = args.port;
  options.detect.web = args.web_port != 0;
  options.detect.web_port = args.web_port;
  options.detect.whatsminer_v3 = args.v3_port != 0;
  options.detect.whatsminer_v3_port = args.v3_port;
  options.detect.timeout = std::chrono::milliseconds(static_cast<int64_t>(args.timeout_s * 1000));
  options.concurrency = std::min(args.concurrency, hosts_the_fd_limit_allows());

  const bool terminal = isatty(STDERR_FILENO) == 1;
  ProgressBar bar(terminal);
  const auto started = Clock::now();
  const ScanReport result =
      scan_range(*range, options, [&bar](const ScanProgress& p) { bar.update(p); });
  bar.finish();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  print_results(result, args.json);
  std::cout.flush();
  for (const auto& why : result.unrecognised)
    std::cerr << "rigkeeper: " << sanitize(context) << ": not recognised: " << sanitize(why)
              << '\n';
  if (terminal)
    std::cerr << "rigkeeper: " << sanitize(context) << ": " << result.scanned << " hosts in "
              << fmt_num(seconds, 1) << " s: " << result.found.size() << " found, "
              << result.unrecognised.size() << " not recognised\n";
  if (!std::cout) return 5;

  if (!args.write_config.empty() && !result.found.empty()) {
    const int code = write_config(args, result);
    if (code != 0) return code;
  }
  if (!result.found.empty()) return 0;
  if (!result.unrecognised.empty()) return 3;
  std::cerr << "rigkeeper: " << sanitize(context) << ": no device answered in " << result.scanned
            << " hosts\n";
  return 2;
}

}  // namespace

Command add_scan_command(CLI::App& parent) {
  auto args = std::make_shared<ScanArgs>();
  auto* app = parent.add_subcommand(
      "scan", "Discover devices in an address range (CIDR, a-b, a-N or one address)");
  app->add_option("range", args->range,
                  "10.0.0.0/22, 10.0.0.1-10.0.0.254, 10.0.0.1-254 or 10.0.0.7 (at most a /16)")
      ->required();
  app->add_flag("--json", args->json, "Print one JSON object per device found (JSON Lines)");
  app->add_option("--port", args->port, "cgminer API port (0: do not probe)")
      ->capture_default_str();
  app->add_option("--web-port", args->web_port, "Web port probed for markers (0: do not probe)")
      ->capture_default_str();
  app->add_option("--v3-port", args->v3_port, "Whatsminer API v3 port (0: do not probe)")
      ->capture_default_str();
  app->add_option("--timeout", args->timeout_s,
                  "Seconds for one request; a host is done within twice this")
      ->check(CLI::Range(0.05, 60.0))
      ->capture_default_str();
  app->add_option("--concurrency", args->concurrency, "Hosts probed at once")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app->add_option("--write-config", args->write_config,
                  "Append the devices found to this rigkeeperd config as [[devices]] entries");
  return {app, [args] { return scan(*args); }};
}

}  // namespace rigkeeper::cli
