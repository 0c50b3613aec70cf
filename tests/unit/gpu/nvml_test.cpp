// NVML through the same dlopen code as production, against a fake libnvidia-ml built in the
// tests (fake_nvml.cpp) whose GPUs carry the values of the shared nvidia-smi captures (H100
// and L40S, under load): reading, a missing library, a failing init, power limits as root and
// not, and the nvidia-smi fallback.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "drivers/gpu/nvidia_smi/csv.h"
#include "drivers/gpu/nvml/driver.h"
#include "drivers/gpu/nvml/nvml_library.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/gpu/gpu_test_util.h"

namespace rigkeeper::drivers::nvml {
namespace {

const std::string kDir = "gpu/nvidia-smi/extracted/linux-x86_64__";

// One fake-NVML line from a capture's query CSV (the fake's key=value format).
std::string fake_line(const std::string& capture, double min_w, double max_w) {
  auto r =
      nvidia_smi::parse_csv_with_header(test::read_fixture(kDir + capture + "__query-gpu.csv"));
  EXPECT_TRUE(r);
  const GpuInfo& g = r->gpus.at(0);
  std::string name = *g.model;
  for (char& c : name)
    if (c == ' ') c = '_';
  auto mw = [](double w) { return std::to_string(static_cast<long>(w * 1000 + 0.5)); };
  return "name=" + name + " uuid=" + *g.uuid + " temp=" + std::to_string(long(*g.temp_c)) +
         " power_mw=" + mw(*g.power_w) + " limit_mw=" + mw(*g.power_limit_w) +
         " util=" + std::to_string(long(*g.util_pct)) +
         " mem_used_mib=" + std::to_string(long(*g.mem_used_mib)) +
         " mem_total_mib=" + std::to_string(long(*g.mem_total_mib)) +
         " ecc_corrected=" + std::to_string(*g.ecc_corrected) +
         " ecc_uncorrected=" + std::to_string(*g.ecc_uncorrected) + " throttle=0x44" +
         " min_mw=" + mw(min_w) + " max_mw=" + mw(max_w) + "\n";
}

class NvmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = dir_ / "fake_nvml.txt";
    std::ofstream(fixture_) << fake_line("nvidia-h100-80gb-hbm3__590.48.01__load", 200, 700)
                            << fake_line("nvidia-l40s__595.80__load", 100, 350);
    ::setenv("RK_FAKE_NVML", fixture_.c_str(), 1);
    ::unsetenv("RK_FAKE_NVML_INIT_FAIL");
    ::unsetenv("RK_FAKE_NVML_NO_PERMISSION");
  }
  DeviceConfig config(const std::string& library = RK_FAKE_NVML_PATH) {
    DeviceConfig c;
    c.id = "gpu-local";
    c.options.set("nvml_library", library);
    c.options.set("kernel_log", std::string());
    return c;
  }
  test::TempDir dir_;
  std::filesystem::path fixture_;
};

TEST_F(NvmlTest, ReadsEveryGpuThroughDlopen) {
  auto lib = NvmlLibrary::load(RK_FAKE_NVML_PATH);
  ASSERT_TRUE(lib) << lib.error().message;
  auto r = (*lib)->read_all();
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->gpus.size(), 2u);
  const GpuInfo& h100 = r->gpus[0];
  EXPECT_EQ(h100.model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(h100.uuid, "GPU-00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(h100.temp_c, 59);
  EXPECT_EQ(h100.power_w, 631.95);
  EXPECT_EQ(h100.power_limit_w, 700);
  EXPECT_EQ(h100.util_pct, 100);
  EXPECT_EQ(h100.mem_used_mib, 19818);
  EXPECT_EQ(h100.mem_total_mib, 81559);
  EXPECT_EQ(h100.ecc_corrected, 0);
  EXPECT_EQ(h100.ecc_uncorrected, 0);
  EXPECT_EQ(h100.throttle_reasons,
            (std::vector<std::string>{"sw_power_cap", "hw_thermal_slowdown"}));
  EXPECT_EQ(r->gpus[1].model, "NVIDIA L40S");
  EXPECT_EQ(r->gpus[1].index, 1);
  EXPECT_EQ(r->gpus[1].power_limit_w, 350);
  // The fake exports no optional symbols: those fields are null, not 0.
  EXPECT_EQ(r->health[0].pcie_replays, std::nullopt);
  EXPECT_EQ(r->driver_version, std::nullopt);
}

TEST_F(NvmlTest, AbsentLibraryIsAClearError) {
  auto lib = NvmlLibrary::load("/nonexistent/libnvidia-ml.so.1");
  ASSERT_FALSE(lib);
  EXPECT_EQ(lib.error().code, Errc::kUnsupported);
  EXPECT_NE(lib.error().message.find("/nonexistent/libnvidia-ml.so.1"), std::string::npos);
  auto not_nvml = NvmlLibrary::load("libc.so.6");  // loads, but is no NVML
  ASSERT_FALSE(not_nvml);
  EXPECT_NE(not_nvml.error().message.find("nvmlInit_v2"), std::string::npos);
}

TEST_F(NvmlTest, FailingInitSaysNvmlsMessage) {
  ::setenv("RK_FAKE_NVML_INIT_FAIL", "1", 1);
  auto lib = NvmlLibrary::load(RK_FAKE_NVML_PATH);
  ASSERT_FALSE(lib);
  EXPECT_EQ(lib.error().code, Errc::kDeviceError);
  EXPECT_NE(lib.error().message.find("Unknown Error"), std::string::npos);
}

TEST_F(NvmlTest, DriverPollsTheLocalNode) {
  NvmlDriver driver(asio::system_executor(), config());
  auto snap = test::run_coro(driver.poll());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->kind, DeviceKind::kGpuNode);
  EXPECT_EQ(snap->firmware, "nvml");
  EXPECT_EQ(snap->host, "localhost");
  EXPECT_EQ(snap->device_id, "gpu-local");
  EXPECT_EQ(snap->state, DeviceState::kServing);
  EXPECT_EQ(snap->power_w, 631.95 + 110.23);
  EXPECT_EQ(snap->power_limit_w, 1050);
  EXPECT_EQ(snap->temp_max_c, 59);
  EXPECT_EQ(snap->model, "mixed NVIDIA GPUs");
}

TEST_F(NvmlTest, SetPowerSplitsTheBudgetAndReadsItBack) {
  NvmlDriver driver(asio::system_executor(), config());
  auto out = test::run_coro(
      driver.execute(DeviceCommand{.type = "set_power", .params = {{"watts", 600}}}));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_NE(out->detail.find("600 W over 2 GPUs"), std::string::npos) << out->detail;
  EXPECT_EQ(out->state, DeviceState::kServing);
  auto snap = test::run_coro(driver.poll());
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->gpus[0].power_limit_w, 300);
  EXPECT_EQ(snap->gpus[1].power_limit_w, 300);
  auto bad = test::run_coro(
      driver.execute(DeviceCommand{.type = "set_power", .params = {{"watts", "x"}}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

TEST_F(NvmlTest, SetPowerWithoutRootIsAnAuthError) {
  ::setenv("RK_FAKE_NVML_NO_PERMISSION", "1", 1);
  NvmlDriver driver(asio::system_executor(), config());
  auto out = test::run_coro(
      driver.execute(DeviceCommand{.type = "set_power", .params = {{"watts", 600}}}));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, Errc::kAuth);
  EXPECT_NE(out.error().message.find("needs root"), std::string::npos);
  EXPECT_NE(out.error().message.find("gpu-local"), std::string::npos);
}

TEST_F(NvmlTest, KernelLogXidOnASingleGpuNodeFaultsIt) {
  std::ofstream(fixture_) << fake_line("nvidia-h100-80gb-hbm3__590.48.01__idle", 200, 700);
  const auto log = dir_ / "kmsg";
  std::ofstream(log) << "3,999,123,-;NVRM: Xid (PCI:0000:2a:00): 79, pid='<unknown>', "
                        "name=<unknown>, GPU has fallen off the bus\n";
  auto c = config();
  c.options.set("kernel_log", log.string());
  NvmlDriver driver(asio::system_executor(), c);
  auto snap = test::run_coro(driver.poll());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->gpus[0].xid_last, 79);
  EXPECT_EQ(snap->state, DeviceState::kFault);
  auto again = test::run_coro(driver.poll());  // the Xid is remembered across polls
  ASSERT_TRUE(again);
  EXPECT_EQ(again->gpus[0].xid_last, 79);
}

TEST_F(NvmlTest, LostGpuFaultsTheNode) {
  std::ofstream(fixture_) << "name=NVIDIA_H100 uuid=GPU-x lost=1 power_mw=1000\n";
  NvmlDriver driver(asio::system_executor(), config());
  auto snap = test::run_coro(driver.poll());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->state, DeviceState::kFault);
  EXPECT_EQ(snap->gpus.at(0).temp_c, std::nullopt);
  bool said = false;
  for (const auto& e : snap->errors) said = said || e.find("GPU is lost") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(NvmlTest, FallsBackToNvidiaSmiOrSaysWhy) {
  const auto smi = test::write_script(
      dir_ / "nvidia-smi",
      "#!/bin/sh\necho '0, GPU-aaaa, NVIDIA L40S, 00000000:01:00.0, 595.80, 54, 110.23, 350.00, "
      "9, 1235, 46068, 0, 0, 0x0000000000000000, 0, 0, No, No'\n");
  auto c = config("/nonexistent/libnvidia-ml.so.1");
  c.options.set("nvidia_smi_path", smi.string());
  NvmlDriver driver(asio::system_executor(), c);
  auto snap = test::run_coro(driver.poll());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "nvml");
  EXPECT_EQ(snap->gpus.at(0).power_w, 110.23);
  ASSERT_FALSE(snap->errors.empty());
  EXPECT_NE(snap->errors.back().find("/nonexistent/libnvidia-ml.so.1"), std::string::npos);

  c.options.set("nvml_fallback", false);
  NvmlDriver strict(asio::system_executor(), c);
  auto none = test::run_coro(strict.poll());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kUnsupported);
  EXPECT_NE(none.error().message.find("gpu-local"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper::drivers::nvml
