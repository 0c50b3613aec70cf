// nvidia-smi: the full --query-gpu captures (H100, H100 MIG, L40S; idle and load) and the
// -q -x XML captures (A100 MIG, P100, RTX 4090, RTX PRO 6000), golden values and broken
// variants; the driver's own header-less query.
#include <gtest/gtest.h>

#include "drivers/gpu/nvidia_smi/csv.h"
#include "drivers/gpu/nvidia_smi/values.h"
#include "drivers/gpu/nvidia_smi/xml.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::nvidia_smi {
namespace {

const std::string kDir = "gpu/nvidia-smi/extracted/linux-x86_64__";

gpu::GpuNodeReading csv_capture(const std::string& name) {
  auto r = parse_csv_with_header(test::read_fixture(kDir + name + "__query-gpu.csv"));
  EXPECT_TRUE(r) << name << ": " << r.error().message;
  return r ? *r : gpu::GpuNodeReading{};
}

TEST(NvidiaSmiValues, UnitsAndMissingForms) {
  EXPECT_EQ(number("69.85 W"), 69.85);
  EXPECT_EQ(number("81559 MiB"), 81559);
  EXPECT_EQ(number("0 %"), 0);
  EXPECT_EQ(number(" 37 C "), 37);
  EXPECT_EQ(number("-5 C"), -5);
  EXPECT_EQ(number("[N/A]"), std::nullopt);
  EXPECT_EQ(number("N/A"), std::nullopt);
  EXPECT_EQ(number("[Not Supported]"), std::nullopt);
  EXPECT_EQ(number("12abc3"), std::nullopt);
  EXPECT_EQ(count("192 bank(s)"), 192);
  EXPECT_EQ(count("1.5"), std::nullopt);
  EXPECT_EQ(hex_mask("0x0000000000000001"), 1u);
  EXPECT_EQ(hex_mask("0xZZ"), std::nullopt);
  EXPECT_EQ(flag("Not Active"), false);
  EXPECT_EQ(flag("Active"), true);
  EXPECT_EQ(flag("No"), false);
  EXPECT_TRUE(says_lost("[GPU is lost]"));
}

TEST(NvidiaSmiCsv, H100IdleAndLoad) {
  auto idle = csv_capture("nvidia-h100-80gb-hbm3__590.48.01__idle");
  ASSERT_EQ(idle.gpus.size(), 1u);
  const GpuInfo& g = idle.gpus[0];
  EXPECT_EQ(g.index, 0);
  EXPECT_EQ(g.model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(g.uuid, "GPU-00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(g.temp_c, 41);
  EXPECT_EQ(g.power_w, 69.85);
  EXPECT_EQ(g.power_limit_w, 700);
  EXPECT_EQ(g.util_pct, 0);
  EXPECT_EQ(g.mem_used_mib, 0);
  EXPECT_EQ(g.mem_total_mib, 81559);
  EXPECT_EQ(g.ecc_corrected, 0);
  EXPECT_EQ(g.ecc_uncorrected, 0);
  EXPECT_EQ(g.throttle_reasons, std::vector<std::string>{"gpu_idle"});
  EXPECT_EQ(idle.driver_version, "590.48.01");
  EXPECT_EQ(idle.health[0].pci, "00:09");
  EXPECT_EQ(idle.health[0].row_remap_pending, false);
  EXPECT_EQ(idle.health[0].remapped_rows_uncorrectable, 0);

  auto load = csv_capture("nvidia-h100-80gb-hbm3__590.48.01__load");
  ASSERT_EQ(load.gpus.size(), 1u);
  EXPECT_EQ(load.gpus[0].power_w, 631.95);
  EXPECT_EQ(load.gpus[0].util_pct, 100);
  EXPECT_EQ(load.gpus[0].mem_used_mib, 19818);
  EXPECT_TRUE(load.gpus[0].throttle_reasons.empty());
  auto snap = gpu::make_gpu_node_snapshot(load, "nvidia-smi");
  EXPECT_EQ(snap.state, DeviceState::kServing);
  EXPECT_EQ(snap.power_w, 631.95);
  EXPECT_TRUE(snap.errors.empty());
}

TEST(NvidiaSmiCsv, MigReportsNoUtilisationOrRemapping) {
  auto mig = csv_capture("nvidia-h100-mig__590.48.01__load");
  ASSERT_EQ(mig.gpus.size(), 1u);
  EXPECT_EQ(mig.gpus[0].util_pct, std::nullopt);  // [N/A] under MIG
  EXPECT_EQ(mig.gpus[0].power_w, 433.78);
  EXPECT_EQ(mig.health[0].remapped_rows_correctable, std::nullopt);
  EXPECT_EQ(mig.health[0].row_remap_failure, std::nullopt);
}

TEST(NvidiaSmiCsv, L40s) {
  auto l40s = csv_capture("nvidia-l40s__595.80__load");
  ASSERT_EQ(l40s.gpus.size(), 1u);
  EXPECT_EQ(l40s.gpus[0].model, "NVIDIA L40S");
  EXPECT_EQ(l40s.gpus[0].power_limit_w, 350);
  EXPECT_EQ(l40s.gpus[0].mem_total_mib, 46068);
  EXPECT_EQ(l40s.gpus[0].util_pct, 9);
  EXPECT_EQ(l40s.driver_version, "595.80");
}

TEST(NvidiaSmiCsv, DriverQueryWithoutHeader) {
  const std::string out =
      "0, GPU-aaaa, NVIDIA H100 80GB HBM3, 00000000:3B:00.0, 590.48.01, 41, 69.85, 700.00, 3, "
      "120, 81559, 0, 0, 0x0000000000000044, 0, 0, No, No\n"
      "1, GPU-bbbb, NVIDIA H100 80GB HBM3, 00000000:86:00.0, 590.48.01, [N/A], [N/A], 700.00, "
      "[N/A], 0, 81559, 2, 1, [N/A], 3, 1, Yes, No\n";
  auto r = parse_csv_rows(out, query_fields());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 2u);
  EXPECT_EQ(r->gpus[0].throttle_reasons,
            (std::vector<std::string>{"sw_power_cap", "hw_thermal_slowdown"}));
  EXPECT_EQ(r->gpus[1].temp_c, std::nullopt);
  EXPECT_EQ(r->gpus[1].power_w, std::nullopt);
  EXPECT_EQ(r->gpus[1].ecc_uncorrected, 1);
  EXPECT_EQ(r->health[1].pci, "86:00");
  EXPECT_EQ(r->health[1].row_remap_pending, true);
  EXPECT_EQ(r->health[1].remapped_rows_uncorrectable, 1);
  auto snap = gpu::make_gpu_node_snapshot(*r, "nvidia-smi");
  EXPECT_EQ(snap.power_w, 69.85);  // the sum of what was reported
  EXPECT_EQ(snap.power_limit_w, 1400);
}

TEST(NvidiaSmiCsv, LostGpuMakesAFault) {
  std::string out = "0, GPU-aaaa, [GPU is lost], [GPU is lost], 590.48.01";
  for (size_t i = 5; i < query_fields().size(); ++i) out += ", [GPU is lost]";
  auto r = parse_csv_rows(out + "\n", query_fields());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->health[0].lost);
  EXPECT_EQ(gpu::gpu_node_state(*r), DeviceState::kFault);
}

TEST(NvidiaSmiCsv, BrokenVariantsFailCleanly) {
  EXPECT_FALSE(parse_csv_with_header(""));
  EXPECT_FALSE(parse_csv_with_header("name, uuid\nx, y\n"));   // no index column
  EXPECT_FALSE(parse_csv_rows("0, GPU-a\n", query_fields()));  // wrong column count
  const std::string good =
      test::read_fixture(kDir + "nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv");
  for (const auto& v : test::broken_variants(good)) {
    auto r = parse_csv_with_header(v.bytes);
    if (r) {
      EXPECT_LE(r->gpus.size(), 1u) << v.name;
    } else {
      EXPECT_EQ(r.error().code, Errc::kProtocol) << v.name;
    }
  }
}

TEST(NvidiaSmiXml, A100MigUsesGpuLevelMemoryAndOldThrottleNames) {
  auto r = parse_xml(test::read_fixture("gpu/nvidia-smi/xml/a100-sxm4-mig.xml"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 1u);
  const GpuInfo& g = r->gpus[0];
  EXPECT_EQ(g.model, "NVIDIA A100-SXM4-40GB");
  EXPECT_EQ(g.uuid, "GPU-27b94a00-ed54-5c24-b1fd-1054085de32a");
  EXPECT_EQ(g.temp_c, 36);
  EXPECT_EQ(g.power_w, 66.92);
  EXPECT_EQ(g.power_limit_w, 400);
  EXPECT_EQ(g.util_pct, std::nullopt);  // N/A under MIG
  EXPECT_EQ(g.mem_total_mib, 40960);    // the GPU's, not a MIG instance's 19968
  EXPECT_EQ(g.mem_used_mib, 38);
  EXPECT_EQ(g.ecc_corrected, std::nullopt);  // volatile sram/dram all N/A
  EXPECT_TRUE(g.throttle_reasons.empty());
  EXPECT_EQ(r->driver_version, "510.47.03");
  EXPECT_EQ(r->health[0].pci, "00:04");
  EXPECT_EQ(r->health[0].pcie_replays, 0);
  EXPECT_EQ(r->health[0].row_remap_failure, std::nullopt);  // remapped_rows N/A
}

TEST(NvidiaSmiXml, P100OldEccLayout) {
  auto r = parse_xml(test::read_fixture("gpu/nvidia-smi/xml/tesla-p100.xml"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 1u);
  EXPECT_EQ(r->gpus[0].model, "Tesla P100-PCIE-16GB");
  EXPECT_EQ(r->gpus[0].ecc_corrected, 0);
  EXPECT_EQ(r->gpus[0].ecc_uncorrected, 0);
  EXPECT_EQ(r->gpus[0].mem_total_mib, 16384);
  EXPECT_EQ(r->gpus[0].util_pct, 0);
}

TEST(NvidiaSmiXml, Rtx4090NewNames) {
  auto r = parse_xml(test::read_fixture("gpu/nvidia-smi/xml/rtx-4090-driver-535.xml"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 1u);
  const GpuInfo& g = r->gpus[0];
  EXPECT_EQ(g.temp_c, 40);
  EXPECT_EQ(g.power_w, 26.84);
  EXPECT_EQ(g.power_limit_w, 450);
  EXPECT_EQ(g.mem_total_mib, 24564);
  EXPECT_EQ(g.throttle_reasons, std::vector<std::string>{"gpu_idle"});
  EXPECT_EQ(r->health[0].remapped_rows_correctable, 0);
  EXPECT_EQ(r->health[0].row_remap_pending, false);
  EXPECT_EQ(r->health[0].pci, "84:00");
  EXPECT_EQ(r->driver_version, "535.86.05");
}

TEST(NvidiaSmiXml, RtxPro6000PartialUsesInstantPower) {
  auto r = parse_xml(test::read_fixture("gpu/nvidia-smi/xml/rtx-pro-6000-driver-580.xml"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 1u);
  EXPECT_EQ(r->gpus[0].model, "NVIDIA RTX PRO 6000 Blackwell");
  EXPECT_EQ(r->gpus[0].temp_c, 37);
  EXPECT_EQ(r->gpus[0].power_w, 66.84);
  EXPECT_EQ(r->gpus[0].power_limit_w, std::nullopt);
  EXPECT_EQ(r->gpus[0].mem_total_mib, std::nullopt);
  EXPECT_EQ(r->driver_version, std::nullopt);
}

TEST(NvidiaSmiXml, BrokenVariantsFailCleanly) {
  EXPECT_FALSE(parse_xml(""));
  EXPECT_FALSE(parse_xml("<other/>"));
  for (const auto& f : test::fixture_files("gpu/nvidia-smi/xml")) {
    for (const auto& v : test::broken_variants(test::read_file(f))) {
      auto r = parse_xml(v.bytes);
      if (r) {
        EXPECT_LE(r->gpus.size(), 1u) << f << " " << v.name;
      } else {
        EXPECT_EQ(r.error().code, Errc::kProtocol) << f << " " << v.name;
      }
    }
  }
}

}  // namespace
}  // namespace rigkeeper::drivers::nvidia_smi
