#pragma once
/// The Redfish service of a simulated GPU node's BMC, shaped like the DMTF mockups: service
/// root, SessionService/Sessions (POST: X-Auth-Token and Location; DELETE logs out), Systems/1
/// (PowerState, #ComputerSystem.Reset, LocationIndicatorActive), Processors GPU_n of type GPU
/// with ProcessorMetrics, Chassis/1 with EnvironmentMetrics, Controls/PowerLimit, Power and
/// Thermal. Every resource except the service root needs Basic or session authentication.
///
/// Thread-safety: none; the fleet's io_context thread owns it.
#include <set>
#include <string>

#include "drivers/sim/gpu_node.h"
#include "drivers/sim/http_server.h"

namespace rigkeeper::drivers::sim {

class RedfishService {
 public:
  RedfishService(std::string user, std::string password)
      : user_(std::move(user)), password_(std::move(password)) {}
  HttpReply respond(const HttpRequest& request, GpuNode& node, double t_s, double delay_scale);
  size_t sessions() const { return tokens_.size(); }

 private:
  bool authorized(const HttpRequest& request) const;
  std::string user_;
  std::string password_;
  std::set<std::string> tokens_;
  uint64_t next_session_ = 1;
};

/// dcgm-exporter's /metrics text for the node (fallen GPUs are missing).
std::string dcgm_metrics_text(const GpuNode& node, double t_s);

}  // namespace rigkeeper::drivers::sim
