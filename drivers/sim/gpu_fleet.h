#pragma once
/// The simulator's GPU nodes: each a GpuNode served as a Redfish BMC (plain HTTP) and a
/// dcgm-exporter /metrics endpoint, on kernel-chosen loopback ports, with GPU faults
/// (`gpu-001:xid:79`, `gpu-001:ecc[:GPU[:PER_S]]`, `gpu-001:falloff:2`).
///
/// Thread-safety: none; one io_context thread.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/sim/config_emitter.h"
#include "drivers/sim/gpu_node.h"
#include "drivers/sim/redfish_service.h"

namespace rigkeeper::drivers::sim {

inline constexpr const char* kSimBmcUser = "admin";
inline constexpr const char* kSimBmcPassword = "admin";

class GpuFleet {
 public:
  GpuFleet(asio::any_io_executor executor, int nodes, uint64_t seed, std::string address,
           double delay_scale);
  ~GpuFleet();
  /// Binds both listeners of every node. Errc::kUnreachable naming the node.
  Result<void> start();
  void stop();
  /// A redfish and a dcgm device per node, for the start-up lines and --emit-config.
  std::vector<EmittedDevice> devices() const;
  /// Applies one GPU fault item "gpu-001:xid:79" (target:name[:a[:b]]).
  /// Errc::kInvalidArgument for an unknown node, fault or GPU index.
  Result<void> inject(const std::string& item);
  GpuNode* find(const std::string& id);
  /// Open Redfish sessions of node `id` (0 for an unknown node).
  size_t sessions(const std::string& id) const;

 private:
  struct Node;
  double now_s() const;
  asio::any_io_executor executor_;
  std::string address_;
  double delay_scale_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

}  // namespace rigkeeper::drivers::sim
