// dcgm-exporter's page: the Prometheus text parser (HELP/TYPE, labels and escapes, garbage),
// and the mapping of the DCGM fields of the shared default-counters.csv to the contract's gpus.
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"
#include "drivers/gpu/dcgm/parser.h"
#include "drivers/gpu/dcgm/prometheus_text.h"
#include "tests/support/fixtures.h"
#include "tests/unit/gpu/gpu_test_util.h"

namespace rigkeeper::drivers {
namespace {

TEST(PrometheusText, HelpTypeLabelsAndEscapes) {
  const std::string text =
      "# HELP m_total A \\\\ help\\nline.\n"
      "# TYPE m_total counter\n"
      "# a plain comment\n"
      "m_total{a=\"x\\\"y\",b=\"back\\\\slash\",c=\"new\\nline\",} 1.5e3 1700000000000\n"
      "m_total 2\n"
      "up NaN\n"
      "inf +Inf\n";
  auto exp = prom::parse_text(text);
  ASSERT_TRUE(exp) << exp.error().message;
  EXPECT_EQ(exp->help.at("m_total"), "A \\ help\nline.");
  EXPECT_EQ(exp->type.at("m_total"), "counter");
  ASSERT_EQ(exp->samples.size(), 4u);
  const auto& s = exp->samples[0];
  EXPECT_EQ(*s.label("a"), "x\"y");
  EXPECT_EQ(*s.label("b"), "back\\slash");
  EXPECT_EQ(*s.label("c"), "new\nline");
  EXPECT_EQ(s.value, 1500);
  EXPECT_EQ(s.timestamp_ms, 1700000000000);
  EXPECT_TRUE(exp->samples[1].labels.empty());
  EXPECT_TRUE(std::isnan(exp->samples[2].value));
  EXPECT_TRUE(std::isinf(exp->samples[3].value));
  EXPECT_EQ(exp->skipped_lines, 0u);
}

TEST(PrometheusText, MalformedLinesAreSkippedAndCounted) {
  auto exp = prom::parse_text(
      "ok 1\nbad{a=\"unterminated} 1\n{x=\"1\"} 2\nnovalue\nbadval{a=\"1\"} abc\nok2 3\n");
  ASSERT_TRUE(exp);
  EXPECT_EQ(exp->samples.size(), 2u);
  EXPECT_EQ(exp->skipped_lines, 4u);
  EXPECT_FALSE(exp->first_problem.empty());
}

TEST(PrometheusText, GarbageIsAProtocolErrorAndEmptyIsNot) {
  auto g = prom::parse_text("<html><body>Not Found</body></html>\n");
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, Errc::kProtocol);
  auto e = prom::parse_text("");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->samples.empty());
}

TEST(PrometheusText, SampleCapHolds) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "m" + std::to_string(i) + " 1\n";
  auto exp = prom::parse_text(many, prom::Limits{.max_samples = 10});
  ASSERT_TRUE(exp);
  EXPECT_EQ(exp->samples.size(), 10u);
  EXPECT_GT(exp->skipped_lines, 0u);
}

TEST(DcgmParser, DefaultCountersMapToTheContractGpus) {
  const std::string page = test::dcgm_page_from_default_counters(2);
  auto r = dcgm::parse_metrics(page);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 2u);
  EXPECT_EQ(r->driver_version, "590.48.01");
  const GpuInfo& g0 = r->gpus[0];
  const GpuInfo& g1 = r->gpus[1];
  EXPECT_EQ(g0.index, 0);
  EXPECT_EQ(g1.index, 1);
  EXPECT_EQ(g0.uuid, "GPU-00000000-1111-2222-3333-444444444444");
  EXPECT_EQ(g0.model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(g0.temp_c, 40);
  EXPECT_EQ(g1.temp_c, 41);
  EXPECT_EQ(g0.power_w, 100.5);
  EXPECT_EQ(g1.util_pct, 10);
  EXPECT_EQ(g1.mem_used_mib, 1000);
  EXPECT_EQ(g1.mem_total_mib, 1000 + 79000 + 559);
  EXPECT_EQ(g0.xid_last, std::nullopt);  // XID_ERRORS 0: none
  // Not in the default counters: null, never 0.
  EXPECT_EQ(g0.power_limit_w, std::nullopt);
  EXPECT_EQ(g0.ecc_corrected, std::nullopt);
  EXPECT_EQ(g0.ecc_uncorrected, std::nullopt);
  EXPECT_TRUE(g0.throttle_reasons.empty());
  EXPECT_EQ(r->health[1].pcie_replays, 1);
  EXPECT_EQ(r->health[1].pci, "86:00");
  EXPECT_EQ(r->health[0].row_remap_failure, false);
  auto snap = gpu::make_gpu_node_snapshot(*r, "dcgm");
  EXPECT_EQ(snap.model, "2 x NVIDIA H100 80GB HBM3");
  EXPECT_EQ(snap.power_w, 100.5 + 101.5);
  EXPECT_EQ(snap.temp_max_c, 41);
  EXPECT_EQ(snap.firmware_version, "590.48.01");
  EXPECT_EQ(to_json(snap)["kind"], "gpu_node");
  EXPECT_EQ(snap.state, DeviceState::kServing);
  EXPECT_EQ(snap.errors, std::vector<std::string>{"GPU 1: 1 PCIe replays"});
}

TEST(DcgmParser, SentinelsReadAsNull) {
  EXPECT_TRUE(dcgm::is_blank(9223372036854775794.0));
  EXPECT_TRUE(dcgm::is_blank(1.40737488355328e14));
  EXPECT_TRUE(dcgm::is_blank(NAN));
  EXPECT_FALSE(dcgm::is_blank(700.0));
  auto r = dcgm::parse_metrics(
      "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\"} 9223372036854775794\n"
      "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\"} 1.4073748835532801e+14\n"
      "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 55\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gpus[0].temp_c, std::nullopt);
  EXPECT_EQ(r->gpus[0].power_w, std::nullopt);
  EXPECT_EQ(r->gpus[0].util_pct, 55);
}

TEST(DcgmParser, OptionalFieldsXidThrottleEccAndLimits) {
  auto r = dcgm::parse_metrics(
      "DCGM_FI_DEV_XID_ERRORS{gpu=\"0\",pci_bus_id=\"00000000:3B:00.0\"} 79\n"
      "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{gpu=\"0\"} 68\n"
      "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL{gpu=\"0\"} 12\n"
      "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL{gpu=\"0\"} 1\n"
      "DCGM_FI_DEV_POWER_MGMT_LIMIT{gpu=\"0\"} 700\n"
      "DCGM_FI_DEV_ROW_REMAP_FAILURE{gpu=\"0\"} 0\n");
  ASSERT_TRUE(r);
  const GpuInfo& g = r->gpus[0];
  EXPECT_EQ(g.xid_last, 79);
  EXPECT_EQ(g.throttle_reasons, (std::vector<std::string>{"sw_power_cap", "hw_thermal_slowdown"}));
  EXPECT_EQ(g.ecc_corrected, 12);
  EXPECT_EQ(g.ecc_uncorrected, 1);
  EXPECT_EQ(g.power_limit_w, 700);
  auto snap = gpu::make_gpu_node_snapshot(*r, "dcgm");
  EXPECT_EQ(snap.state, DeviceState::kFault);  // Xid 79: fallen off the bus
}

TEST(DcgmParser, MigInstanceSamplesOnlyFillGaps) {
  auto r = dcgm::parse_metrics(
      "DCGM_FI_DEV_FB_USED{gpu=\"0\",GPU_I_ID=\"1\",GPU_I_PROFILE=\"1g.10gb\"} 5\n"
      "DCGM_FI_DEV_FB_USED{gpu=\"0\"} 100\n"
      "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",GPU_I_ID=\"2\"} 33\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->gpus[0].mem_used_mib, 100);
  EXPECT_EQ(r->gpus[0].temp_c, 33);
}

TEST(DcgmParser, NoDcgmMetricsIsAProtocolError) {
  auto r = dcgm::parse_metrics("node_cpu_seconds_total{cpu=\"0\"} 1\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol);
  auto bad_index = dcgm::parse_metrics("DCGM_FI_DEV_GPU_TEMP{gpu=\"x\"} 1\n");
  ASSERT_FALSE(bad_index);
}

TEST(DcgmParser, BrokenVariantsNeverCrash) {
  const std::string page = test::dcgm_page_from_default_counters(2);
  for (const auto& v : test::broken_variants(page)) {
    auto r = dcgm::parse_metrics(v.bytes);
    if (r) {
      EXPECT_LE(r->gpus.size(), 2u) << v.name;
      for (const auto& g : r->gpus) {
        if (g.temp_c) {
          EXPECT_LT(*g.temp_c, 1000) << v.name;
        }
      }
    } else {
      EXPECT_EQ(r.error().code, Errc::kProtocol) << v.name;
    }
  }
}

}  // namespace
}  // namespace rigkeeper::drivers
