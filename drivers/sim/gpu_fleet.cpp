#include "drivers/sim/gpu_fleet.h"

#include <cstdio>

#include "drivers/sim/http_server.h"

namespace rigkeeper::drivers::sim {

struct GpuFleet::Node {
  Node(std::string id, int gpus, uint64_t seed)
      : node(std::move(id), gpus, seed), redfish(kSimBmcUser, kSimBmcPassword) {}
  GpuNode node;
  RedfishService redfish;
  std::unique_ptr<HttpServer> bmc;
  std::unique_ptr<HttpServer> dcgm;
};

GpuFleet::GpuFleet(asio::any_io_executor executor, int nodes, uint64_t seed, std::string address,
                   double delay_scale)
    : executor_(std::move(executor)),
      address_(std::move(address)),
      delay_scale_(delay_scale),
      start_(std::chrono::steady_clock::now()) {
  for (int i = 0; i < nodes; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "gpu-%03d", i + 1);
    // Every other node is an 8-GPU HGX, the rest 4-GPU servers.
    nodes_.push_back(std::make_unique<Node>(id, i % 2 == 0 ? 8 : 4, seed));
  }
}

GpuFleet::~GpuFleet() { stop(); }

double GpuFleet::now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

Result<void> GpuFleet::start() {
  for (auto& n : nodes_) {
    Node* node = n.get();
    n->bmc =
        std::make_unique<HttpServer>(executor_, address_, 0, [this, node](const HttpRequest& r) {
          return node->redfish.respond(r, node->node, now_s(), delay_scale_);
        });
    n->dcgm =
        std::make_unique<HttpServer>(executor_, address_, 0, [this, node](const HttpRequest& r) {
          if (r.path() != "/metrics") return HttpReply::text(404, "not found\n");
          return HttpReply::text(200, dcgm_metrics_text(node->node, now_s()),
                                 "text/plain; version=0.0.4; charset=utf-8");
        });
    if (auto ok = n->bmc->start(); !ok) return ok;
    if (auto ok = n->dcgm->start(); !ok) return ok;
  }
  return {};
}

void GpuFleet::stop() {
  for (auto& n : nodes_) {
    if (n->bmc) n->bmc->stop();
    if (n->dcgm) n->dcgm->stop();
  }
}

std::vector<EmittedDevice> GpuFleet::devices() const {
  std::vector<EmittedDevice> out;
  for (const auto& n : nodes_) {
    const std::string model = std::to_string(n->node.gpus().size()) + " x " + kGpuModel;
    EmittedDevice bmc{.id = n->node.id(),
                      .driver = "redfish",
                      .model = model,
                      .host = address_,
                      .port = n->bmc ? n->bmc->port() : uint16_t{0}};
    bmc.options = {{"scheme", "http"}, {"username", kSimBmcUser}, {"password", kSimBmcPassword}};
    bmc.flags = {{"allow_http", true}};
    out.push_back(std::move(bmc));
    EmittedDevice dcgm{.id = n->node.id() + "-dcgm",
                       .driver = "dcgm",
                       .model = model,
                       .host = address_,
                       .port = n->dcgm ? n->dcgm->port() : uint16_t{0}};
    out.push_back(std::move(dcgm));
  }
  return out;
}

GpuNode* GpuFleet::find(const std::string& id) {
  for (auto& n : nodes_) {
    if (n->node.id() == id) return &n->node;
  }
  return nullptr;
}

size_t GpuFleet::sessions(const std::string& id) const {
  for (const auto& n : nodes_) {
    if (n->node.id() == id) return n->redfish.sessions();
  }
  return 0;
}

Result<void> GpuFleet::inject(const std::string& item) {
  if (item.find_first_of("@/") != std::string::npos) {
    return fail(Errc::kInvalidArgument,
                "GPU fault '" + item + "': delays (@) and durations (/) are not supported yet");
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= item.size(); ++i) {
    if (i == item.size() || item[i] == ':' || item[i] == '=') {
      parts.push_back(item.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() < 2) return fail(Errc::kInvalidArgument, "GPU fault '" + item + "': NODE:FAULT");
  GpuNode* node = find(parts[0]);
  if (node == nullptr)
    return fail(Errc::kInvalidArgument, "GPU fault '" + item + "': no node " + parts[0]);
  auto num = [&](size_t i, double def) {
    try {
      return i < parts.size() ? std::stod(parts[i]) : def;
    } catch (...) {
      return def;
    }
  };
  bool ok = false;
  if (parts[1] == "xid") {
    ok = node->inject_xid(static_cast<int>(num(3, 0)), static_cast<int>(num(2, 79)));
  } else if (parts[1] == "ecc") {
    ok = node->inject_ecc(static_cast<int>(num(2, 0)), num(3, 5), now_s());
  } else if (parts[1] == "falloff") {
    ok = node->inject_falloff(static_cast<int>(num(2, 0)));
  } else {
    return fail(Errc::kInvalidArgument,
                "GPU fault '" + item + "': unknown fault (xid, ecc, falloff)");
  }
  if (!ok) return fail(Errc::kInvalidArgument, "GPU fault '" + item + "': no such GPU");
  return {};
}

}  // namespace rigkeeper::drivers::sim
