// rigkeeper-sim: simulated ASIC miners speaking their real cgminer-API dialects on loopback.
// See docs/SIMULATOR.md. Prints one line per device, an optional control line, then "ready"
// (flushed: tests wait for it) and serves until SIGTERM or SIGINT, then exits 0.
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "drivers/api/asio.h"
#include "drivers/sim/config_emitter.h"
#include "drivers/sim/control_port.h"
#include "drivers/sim/fault_spec.h"
#include "drivers/sim/fleet.h"
#include "drivers/sim/gpu_fleet.h"

namespace {

using namespace rigkeeper;
using namespace rigkeeper::drivers::sim;

struct CliOptions {
  int asics = 0;
  int gpus = 0;
  std::string listen = "127.0.0.1";
  std::string faults;
  uint64_t seed = 1;
  std::string emit_config;
  std::optional<int> control;
  double delay_scale = 1.0;
  double poll_interval_s = 10;
};

// Every device holds a listening socket and each request a connection: lift the soft
// descriptor limit to the hard one so 1000 devices under load never run out.
void raise_fd_limit(int devices) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  lim.rlim_cur = lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
  ::getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < static_cast<rlim_t>(devices) * 2 + 64) {
    std::cerr << "rigkeeper-sim: warning: open-file limit " << lim.rlim_cur << " is low for "
              << devices << " devices\n";
  }
}

std::string command_line(int argc, char** argv) {
  std::ostringstream out;
  out << "rigkeeper-sim";
  for (int i = 1; i < argc; ++i) out << ' ' << argv[i];
  return out.str();
}

int fail_with(const Error& e) {
  std::cerr << "rigkeeper-sim: " << e.message << "\n";
  return exit_code(e.code);
}

int run(const CliOptions& cli, const std::string& origin) {
  // GPU faults (targets gpu-NNN) go to the GPU fleet; the rest through the ASIC grammar.
  std::string asic_faults;
  std::vector<std::string> gpu_faults;
  for (std::string_view rest = cli.faults; !rest.empty();) {
    const auto comma = rest.find(',');
    const std::string item(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.starts_with("gpu-")) {
      gpu_faults.push_back(item);
    } else if (!item.empty()) {
      asic_faults += (asic_faults.empty() ? "" : ",") + item;
    }
  }
  auto faults = parse_faults(asic_faults);
  if (!faults) return fail_with(faults.error());
  raise_fd_limit(cli.asics);

  asio::io_context io(1);
  FleetOptions options;
  options.asics = cli.asics;
  options.seed = cli.seed;
  options.listen = cli.listen;
  options.faults = std::move(*faults);
  options.delay_scale = cli.delay_scale;
  auto fleet = Fleet::create(io.get_executor(), std::move(options));
  if (!fleet) return fail_with(fleet.error());
  if (auto ok = (*fleet)->start(); !ok) return fail_with(ok.error());
  // GPU nodes listen on the host of --listen (its port, if any, is the miners' first port);
  // under a CIDR plan they stay on 127.0.0.1 with kernel-chosen ports.
  std::string gpu_host = "127.0.0.1";
  if (cli.listen.find('/') == std::string::npos)
    gpu_host = cli.listen.substr(0, cli.listen.find(':'));
  GpuFleet gpu_fleet(io.get_executor(), cli.gpus, cli.seed, gpu_host, cli.delay_scale);
  if (auto ok = gpu_fleet.start(); !ok) return fail_with(ok.error());
  for (const auto& item : gpu_faults) {
    if (auto ok = gpu_fleet.inject(item); !ok) return fail_with(ok.error());
  }

  ControlPort control(io.get_executor(), **fleet);
  std::optional<uint16_t> control_port;
  if (cli.control) {
    auto port = control.open(static_cast<uint16_t>(*cli.control));
    if (!port) return fail_with(port.error());
    control_port = *port;
  }
  auto devices = (*fleet)->devices();
  for (auto& d : gpu_fleet.devices()) devices.push_back(std::move(d));
  if (!cli.emit_config.empty()) {
    const auto text = render_config(devices, origin, cli.poll_interval_s);
    if (auto ok = write_text_file(cli.emit_config, text); !ok) return fail_with(ok.error());
  }
  std::string lines;
  for (const auto& d : devices) {
    lines +=
        d.id + " " + d.driver + " \"" + d.model + "\" " + d.host + ":" + std::to_string(d.port);
    for (const auto& w : d.web) lines += " " + w.name + "=" + d.host + ":" + std::to_string(w.port);
    lines += "\n";
  }
  if (control_port) lines += "control 127.0.0.1:" + std::to_string(*control_port) + "\n";
  lines += "ready\n";
  std::fwrite(lines.data(), 1, lines.size(), stdout);
  std::fflush(stdout);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    (*fleet)->stop();
    gpu_fleet.stop();
    control.close();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CliOptions cli;
  CLI::App app{"rigkeeper-sim: simulated ASIC miners speaking their real protocols on loopback"};
  app.footer(fault_grammar_help() +
             "\n\nEach device prints `ID DRIVER \"MODEL\" HOST:PORT`, then `ready`.\n"
             "Families cycle antminer, luxos, braiins, cgminer (--asics 4: one of each).");
  app.add_option("--asics", cli.asics, "ASIC miners to serve")->check(CLI::Range(0, kMaxAsics));
  app.add_option("--gpus", cli.gpus, "GPU nodes to serve (Redfish BMC + dcgm-exporter each)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--listen", cli.listen,
                 "ADDR[:PORT] (one address, ports from 40001 or PORT; 0 = any) or "
                 "CIDR[:PORT] (one loopback address per device, port 4028)")
      ->capture_default_str();
  app.add_option("--faults", cli.faults, "faults to inject (grammar below)");
  app.add_option("--seed", cli.seed, "seed of every identity and reading")->capture_default_str();
  app.add_option("--emit-config", cli.emit_config, "write a rigkeeperd config for these devices");
  app.add_option("--control", cli.control, "loopback port of the JSON control port (0 = any)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--delay-scale", cli.delay_scale,
                 "multiply state-change delays (sleep, wake, reboot, ramp); 0.01 for tests")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  app.add_option("--poll-interval", cli.poll_interval_s, "agent.poll_interval_s in --emit-config")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 1;
  }
  return run(cli, command_line(argc, argv));
}
