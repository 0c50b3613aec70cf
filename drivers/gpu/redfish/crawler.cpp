#include "drivers/gpu/redfish/crawler.h"

#include <algorithm>

namespace rigkeeper::drivers::redfish {
namespace {

std::string last_segment(const std::string& uri) {
  std::string u = uri;
  while (!u.empty() && u.back() == '/') u.pop_back();
  const auto slash = u.rfind('/');
  return slash == std::string::npos ? u : u.substr(slash + 1);
}

/// Sequential GETs with a budget; each failure of an optional resource is noted once.
class Walk {
 public:
  Walk(Fetch fetch, size_t budget, NodeRead& node)
      : fetch_(std::move(fetch)), budget_(budget), node_(node) {}

  asio::awaitable<Result<Json>> get(std::string uri) {
    if (budget_ == 0) {
      co_return fail(Errc::kProtocol, uri + ": resource cap reached, not read");
    }
    --budget_;
    ++node_.fetched;
    auto pending = fetch_(uri);
    auto r = co_await std::move(pending);
    co_return r;
  }

  /// get() for a resource the node can do without: failures become `errors` lines.
  asio::awaitable<std::optional<Json>> optional(std::string uri) {
    auto r = co_await get(uri);
    if (!r) {
      node_.errors.push_back(r.error().message);
      co_return std::nullopt;
    }
    co_return std::move(*r);
  }

 private:
  Fetch fetch_;
  size_t budget_;
  NodeRead& node_;
};

asio::awaitable<void> read_gpus(Walk& walk, NodeRead& node) {
  if (!node.system.processors) co_return;
  auto coll = co_await walk.optional(*node.system.processors);
  if (!coll) co_return;
  for (const std::string& uri : members(*coll)) {
    auto p = co_await walk.optional(uri);
    if (!p) continue;
    ProcessorInfo info = parse_processor(*p, uri);
    if (!info.is_gpu) continue;
    std::optional<ProcessorMetricsInfo> metrics;
    if (info.metrics && info.state != "Absent") {
      if (auto m = co_await walk.optional(*info.metrics)) metrics = parse_processor_metrics(*m);
    }
    node.gpus.push_back(std::move(info));
    node.gpu_metrics.push_back(std::move(metrics));
  }
}

asio::awaitable<void> read_controls(Walk& walk, NodeRead& node, const std::string& uri) {
  auto coll = co_await walk.optional(uri);
  if (!coll) co_return;
  for (const std::string& member : members(*coll, 16)) {
    auto c = co_await walk.optional(member);
    if (!c) continue;
    ControlInfo control = parse_control(*c);
    if (!control.is_power) continue;
    if (!node.power_limit_w) node.power_limit_w = control.set_point;
    node.limit_target = PowerLimitTarget{.kind = PowerLimitTarget::Kind::kControl,
                                         .uri = member,
                                         .min_w = control.allowable_min,
                                         .max_w = control.allowable_max};
    co_return;
  }
}

asio::awaitable<void> read_chassis(Walk& walk, NodeRead& node) {
  std::optional<std::string> uri;
  if (!node.system.chassis.empty()) {
    uri = node.system.chassis.front();
  } else if (node.root.chassis) {
    if (auto coll = co_await walk.optional(*node.root.chassis)) {
      auto list = members(*coll, 1);
      if (!list.empty()) uri = list.front();
    }
  }
  if (!uri) co_return;
  auto body = co_await walk.optional(*uri);
  if (!body) co_return;
  node.chassis = parse_chassis(*body, *uri);
  const ChassisInfo c = *node.chassis;
  // Newer schemas first (EnvironmentMetrics, Controls, ThermalSubsystem); the deprecated
  // Power and Thermal resources fill what they left null.
  if (c.environment_metrics) {
    if (auto e = co_await walk.optional(*c.environment_metrics)) {
      EnvironmentInfo env = parse_environment_metrics(*e);
      node.power_w = env.power_w;
      node.power_limit_w = env.limit_w;
      if (env.temp_c) node.temps_c.push_back(*env.temp_c);
      node.fans_rpm = env.fans_rpm;
    }
  }
  if (c.controls) co_await read_controls(walk, node, *c.controls);
  if (c.power && (!node.power_w || !node.limit_target)) {
    if (auto p = co_await walk.optional(*c.power)) {
      PowerInfo power = parse_power(*p);
      if (!node.power_w) node.power_w = power.power_w;
      if (!node.power_limit_w) node.power_limit_w = power.limit_w;
      if (!node.limit_target && power.control_index && power.limit_w) {
        node.limit_target = PowerLimitTarget{.kind = PowerLimitTarget::Kind::kPowerControl,
                                             .uri = *c.power,
                                             .control_index = *power.control_index};
      }
    }
  }
  if (c.thermal) {
    if (auto t = co_await walk.optional(*c.thermal)) {
      ThermalInfo thermal = parse_thermal(*t);
      node.temps_c.insert(node.temps_c.end(), thermal.temps_c.begin(), thermal.temps_c.end());
      if (node.fans_rpm.empty()) node.fans_rpm = thermal.fans_rpm;
    }
  }
  if (node.fans_rpm.empty() && c.thermal_subsystem) {
    if (auto ts = co_await walk.optional(*c.thermal_subsystem)) {
      if (auto fans = link(*ts, "Fans")) {
        if (auto coll = co_await walk.optional(*fans)) {
          for (const std::string& f : members(*coll, 16)) {
            auto fan = co_await walk.optional(f);
            if (!fan) continue;
            if (auto rpm = parse_fan_rpm(*fan)) node.fans_rpm.push_back(*rpm);
          }
        }
      }
    }
  }
}

}  // namespace

asio::awaitable<Result<NodeRead>> crawl(Fetch fetch, std::optional<std::string> system_id,
                                        size_t max_resources) {
  NodeRead node;
  Walk walk(std::move(fetch), max_resources, node);
  auto root_body = co_await walk.get(kServiceRoot);
  if (!root_body) co_return tl::unexpected(root_body.error());
  auto root = parse_service_root(*root_body);
  if (!root) co_return tl::unexpected(root.error());
  node.root = std::move(*root);
  if (!node.root.systems) co_return fail(Errc::kProtocol, "service root links no Systems");
  auto systems = co_await walk.get(*node.root.systems);
  if (!systems) co_return tl::unexpected(systems.error());
  node.systems = members(*systems);
  if (node.systems.empty()) co_return fail(Errc::kProtocol, "Systems collection is empty");
  std::string uri = node.systems.front();
  if (system_id) {
    auto it = std::find_if(node.systems.begin(), node.systems.end(),
                           [&](const std::string& s) { return last_segment(s) == *system_id; });
    if (it == node.systems.end()) {
      std::string known;
      for (const auto& s : node.systems) known += (known.empty() ? "" : ", ") + last_segment(s);
      co_return fail(Errc::kInvalidArgument,
                     "no system \"" + *system_id + "\" (the BMC has " + known + ")");
    }
    uri = *it;
  }
  auto system = co_await walk.get(uri);
  if (!system) co_return tl::unexpected(system.error());
  node.system = parse_system(*system, uri);
  co_await read_gpus(walk, node);
  co_await read_chassis(walk, node);
  co_return node;
}

}  // namespace rigkeeper::drivers::redfish
