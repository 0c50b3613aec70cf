// The crawler and snapshot on the shared Redfish captures (read in place from disk through an
// injected Fetch), and on broken variants derived in code.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "drivers/gpu/redfish/crawler.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::redfish {
namespace {

namespace fs = std::filesystem;

/// A mockup tree on disk; `overrides` replace a resource's body (broken variants).
struct Tree {
  fs::path dir;
  bool tall = false;  ///< redfish/v1/... under dir (LambdaLabs), else dir is /redfish/v1
  std::map<std::string, std::string> overrides;
  std::vector<std::string> fetched;

  Result<Json> get(const std::string& uri) {
    fetched.push_back(uri);
    std::string body;
    if (auto it = overrides.find(uri); it != overrides.end()) {
      body = it->second;
    } else {
      std::string rel = uri;
      if (!tall) rel = rel.substr(std::string(kServiceRoot).size());
      const fs::path file =
          dir / fs::path(rel.empty() ? "." : rel.substr(rel[0] == '/')) / "index.json";
      if (!fs::exists(file)) return fail(Errc::kProtocol, uri + " answered HTTP 404");
      body = test::read_file(file);
    }
    return parse_body(body, uri);
  }
};

asio::awaitable<Result<Json>> tree_get(Tree* tree, std::string uri) { co_return tree->get(uri); }

Result<NodeRead> read(Tree& tree, std::optional<std::string> system = std::nullopt) {
  asio::io_context io;
  Fetch fetch = [&tree](std::string uri) { return tree_get(&tree, std::move(uri)); };
  std::optional<Result<NodeRead>> out;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out = co_await crawl(fetch, system); }, asio::detached);
  io.run();
  return std::move(*out);
}

Tree tree(const std::string& name, bool tall = false) {
  return Tree{.dir = test::fixture_path("gpu/redfish/" + name), .tall = tall};
}

TEST(RedfishGolden, Rackmount1PowerThermalAndSystem) {
  Tree t = tree("dmtf-public-rackmount1");
  auto node = read(t);
  ASSERT_TRUE(node) << node.error().message;
  EXPECT_EQ(node->system.power_state, "On");
  EXPECT_EQ(node->system.reset_target,
            "/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset");
  EXPECT_EQ(pick_reset_type(node->system.reset_types), "GracefulRestart");
  // EnvironmentMetrics (newer) wins: PowerWatts 374 W, PowerLimitWatts.SetPoint 500 W.
  ASSERT_TRUE(node->power_w);
  EXPECT_DOUBLE_EQ(*node->power_w, 374);
  EXPECT_DOUBLE_EQ(node->power_limit_w.value_or(0), 500);
  ASSERT_TRUE(node->limit_target);
  EXPECT_EQ(node->limit_target->kind, PowerLimitTarget::Kind::kControl);
  EXPECT_EQ(node->limit_target->uri, "/redfish/v1/Chassis/1U/Controls/PowerLimit");
  EXPECT_EQ(node->fans_rpm, (std::vector<double>{1900, 2100}));
  EXPECT_TRUE(node->gpus.empty());  // GPU1 is a GraphicsController, not a Processor
  DeviceSnapshot s = make_snapshot(*node);
  EXPECT_EQ(s.kind, DeviceKind::kGpuNode);
  EXPECT_EQ(s.firmware, "redfish");
  EXPECT_EQ(s.state, DeviceState::kIdle);
  EXPECT_DOUBLE_EQ(s.power_w.value_or(0), 374);
  EXPECT_DOUBLE_EQ(s.temp_max_c.value_or(0), 41);  // Thermal CPU1 Temp
  EXPECT_LE(node->fetched, kDefaultMaxResources);
}

TEST(RedfishGolden, Rackmount1OlderSchemasOnly) {
  // A BMC without the newer resources: Power and Thermal fill the same fields.
  Tree t = tree("dmtf-public-rackmount1");
  Json chassis = Json::parse(test::read_file(t.dir / "Chassis/1U/index.json"));
  chassis.erase("EnvironmentMetrics");
  chassis.erase("Controls");
  t.overrides["/redfish/v1/Chassis/1U"] = chassis.dump();
  auto node = read(t);
  ASSERT_TRUE(node) << node.error().message;
  EXPECT_DOUBLE_EQ(node->power_w.value_or(0), 344);  // PowerControl[0].PowerConsumedWatts
  EXPECT_DOUBLE_EQ(node->power_limit_w.value_or(0), 500);
  ASSERT_TRUE(node->limit_target);
  EXPECT_EQ(node->limit_target->kind, PowerLimitTarget::Kind::kPowerControl);
  EXPECT_EQ(node->fans_rpm, (std::vector<double>{2100, 2050}));
}

TEST(RedfishGolden, TowerGpusAsProcessors) {
  Tree t = tree("dmtf-public-tower");
  auto node = read(t);
  ASSERT_TRUE(node) << node.error().message;
  ASSERT_EQ(node->gpus.size(), 2u);
  DeviceSnapshot s = make_snapshot(*node);
  ASSERT_EQ(s.gpus.size(), 2u);
  EXPECT_EQ(s.gpus[0].index, 1);  // GPU1, GPU2 keep their numbers
  EXPECT_EQ(s.gpus[0].model, "Nvidia(R) TU102");
  EXPECT_DOUBLE_EQ(s.gpus[0].mem_total_mib.value_or(0), 11264);
  EXPECT_FALSE(s.gpus[0].temp_c);  // no ProcessorMetrics: null, not 0
  EXPECT_FALSE(s.gpus[0].power_w);
  EXPECT_FALSE(s.gpus[0].uuid);
  EXPECT_EQ(s.state, DeviceState::kServing);
  EXPECT_TRUE(s.power_w);
}

TEST(RedfishGolden, Gb300PicksSystemAndDegradesWithoutChassis) {
  Tree t = tree("lambdalabs-gb300-hgx-partial", true);
  auto first = read(t);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->systems.size(), 2u);
  EXPECT_EQ(first->system.id, "System_0");
  auto node = read(t, "HGX_Baseboard_0");
  ASSERT_TRUE(node) << node.error().message;
  ASSERT_EQ(node->gpus.size(), 4u);
  DeviceSnapshot s = make_snapshot(*node);
  EXPECT_EQ(s.gpus[0].index, 0);
  EXPECT_EQ(s.gpus[0].uuid, "gpu-0-uuid");
  EXPECT_EQ(s.gpus[0].model, "NVIDIA GB300");
  EXPECT_EQ(s.gpus[0].ecc_uncorrected, 0);
  EXPECT_DOUBLE_EQ(s.gpus[0].util_pct.value_or(-1), 0);
  EXPECT_TRUE(s.gpus[0].throttle_reasons.empty());  // ["NA"]
  EXPECT_FALSE(s.power_w);                          // no Chassis captured, no GPU power: null
  EXPECT_FALSE(s.errors.empty());                   // the missing Chassis is named
  auto bad = read(t, "Blade_9");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

TEST(RedfishGolden, B200Processors) {
  Tree t = tree("lambdalabs-b200-hgx-partial", true);
  auto node = read(t, "HGX_Baseboard_0");
  ASSERT_TRUE(node) << node.error().message;
  ASSERT_EQ(node->gpus.size(), 2u);  // FPGA_0 is not a GPU
  DeviceSnapshot s = make_snapshot(*node);
  EXPECT_EQ(s.gpus[0].index, 1);
  EXPECT_TRUE(s.gpus[0].model);
}

TEST(RedfishGolden, BrokenVariantsNeverCrash) {
  const std::vector<std::string> uris = {"/redfish/v1",
                                         "/redfish/v1/Systems",
                                         "/redfish/v1/Systems/437XR1238R2",
                                         "/redfish/v1/Systems/437XR1238R2/Processors/GPU1",
                                         "/redfish/v1/Chassis/Tower/Power",
                                         "/redfish/v1/Chassis/Tower/Thermal"};
  for (const auto& uri : uris) {
    Tree good = tree("dmtf-public-tower");
    const std::string body = test::read_file(
        good.dir / (uri.size() > 12 ? uri.substr(12) : std::string(".")) / "index.json");
    for (const auto& v : test::broken_variants(body)) {
      Tree t = tree("dmtf-public-tower");
      t.overrides[uri] = v.bytes;
      auto node = read(t);
      if (uri.size() <= std::string("/redfish/v1/Systems").size()) {
        // The root and Systems are required: a clear error, no crash.
        if (!node) {
          EXPECT_FALSE(node.error().message.empty());
        }
      } else if (node) {
        DeviceSnapshot s = make_snapshot(*node);
        EXPECT_EQ(s.firmware, "redfish") << uri << " " << v.name;
      }
    }
  }
}

TEST(RedfishGolden, ResourceCapBoundsAHostileTree) {
  // A Processors collection of 5000 members: the crawl stops at the cap and says so.
  Tree t = tree("dmtf-public-tower");
  Json procs = {{"Members", Json::array()}};
  for (int i = 0; i < 5000; ++i) {
    procs["Members"].push_back({{"@odata.id", "/redfish/v1/Systems/437XR1238R2/Processors/GPU1"}});
  }
  t.overrides["/redfish/v1/Systems/437XR1238R2/Processors"] = procs.dump();
  auto node = read(t);
  ASSERT_TRUE(node) << node.error().message;
  EXPECT_LE(t.fetched.size(), kDefaultMaxResources);
  bool named = false;
  for (const auto& e : node->errors) named |= e.find("cap") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(RedfishGolden, WrongTypesAreNull) {
  Json p = {{"ProcessorType", "GPU"}, {"Model", 7}, {"MemorySummary", "x"}, {"UUID", nullptr}};
  ProcessorInfo info = parse_processor(p, "/x");
  EXPECT_TRUE(info.is_gpu);
  EXPECT_FALSE(info.model);
  EXPECT_FALSE(info.mem_total_mib);
  Json power = {{"PowerControl", {{{"PowerConsumedWatts", "lots"}}}}};
  EXPECT_FALSE(parse_power(power).power_w);
  Json thermal = {{"Fans", {{{"Reading", 40}, {"ReadingUnits", "Percent"}}}}};
  EXPECT_TRUE(parse_thermal(thermal).fans_rpm.empty());
  EXPECT_FALSE(parse_service_root(Json::object()));
}

}  // namespace
}  // namespace rigkeeper::drivers::redfish
