// The nvidia-smi driver against fake nvidia-smi programs: the driver's query, the pre-r530
// field names, the XML fallback (serving a shared capture), a failing driver, a hang, Xid
// lines from a kernel log, and switch_workload with the state read back.
#include <gtest/gtest.h>

#include <fstream>

#include "drivers/gpu/nvidia_smi/driver.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/gpu/gpu_test_util.h"

namespace rigkeeper::drivers::nvidia_smi {
namespace {

const std::string kRow =
    "0, GPU-aaaa, NVIDIA H100 80GB HBM3, 00000000:3B:00.0, 590.48.01, 59, 631.95, 700.00, 100, "
    "19818, 81559, 0, 0, 0x0000000000000000, 0, 0, No, No";

class NvidiaSmiDriverTest : public ::testing::Test {
 protected:
  DeviceConfig config(const std::filesystem::path& program) {
    DeviceConfig c;
    c.id = "gpu-smi";
    c.options.set("nvidia_smi_path", program.string());
    c.options.set("kernel_log", std::string());
    return c;
  }
  Result<DeviceSnapshot> poll(const DeviceConfig& c) {
    NvidiaSmiDriver d(asio::system_executor(), c);
    return test::run_coro(d.poll());
  }
  test::TempDir dir_;
};

TEST_F(NvidiaSmiDriverTest, QueriesAndBuildsTheSnapshot) {
  auto smi =
      test::write_script(dir_ / "nvidia-smi",
                         "#!/bin/sh\ncase \"$1\" in --query-gpu=index,uuid,*) ;; *) exit 9;; esac\n"
                         "[ \"$2\" = --format=csv,noheader,nounits ] || exit 8\necho '" +
                             kRow + "'\n");
  auto snap = poll(config(smi));
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "nvidia-smi");
  EXPECT_EQ(snap->host, "localhost");
  EXPECT_EQ(snap->firmware_version, "590.48.01");
  EXPECT_EQ(snap->state, DeviceState::kServing);
  EXPECT_EQ(snap->power_w, 631.95);
  EXPECT_EQ(snap->model, "1 x NVIDIA H100 80GB HBM3");
}

TEST_F(NvidiaSmiDriverTest, OldDriverGetsTheLegacyQuery) {
  auto smi = test::write_script(
      dir_ / "nvidia-smi",
      "#!/bin/sh\ncase \"$1\" in *clocks_event_reasons*) echo 'Field "
      "\"clocks_event_reasons.active\" "
      "is not a valid field to query.'; exit 2;; esac\n"
      "echo '0, GPU-aaaa, Tesla P100-PCIE-16GB, 00000000:00:04.0, 510.47.03, 40, 30.1, 250.00, 0, "
      "2, 16384, 0, 0, 0x0000000000000001'\n");
  auto snap = poll(config(smi));
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->gpus.at(0).model, "Tesla P100-PCIE-16GB");
  EXPECT_EQ(snap->gpus.at(0).throttle_reasons, std::vector<std::string>{"gpu_idle"});
}

TEST_F(NvidiaSmiDriverTest, XmlFallbackReadsTheCapture) {
  const auto xml = test::fixture_path("gpu/nvidia-smi/xml/rtx-4090-driver-535.xml");
  auto smi = test::write_script(dir_ / "nvidia-smi",
                                "#!/bin/sh\n[ \"$1\" = -q ] && exec cat '" + xml.string() +
                                    "'\necho 'Invalid combination of input arguments'\nexit 2\n");
  auto snap = poll(config(smi));
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->gpus.at(0).power_limit_w, 450);
  auto c = config(smi);
  c.options.set("nvidia_smi_format", std::string("xml"));
  auto direct = poll(c);
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->firmware_version, "535.86.05");
}

TEST_F(NvidiaSmiDriverTest, FailuresNameTheDeviceAndTheReason) {
  auto broken = test::write_script(
      dir_ / "broken",
      "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
      "driver.\"\nexit 9\n");
  auto r = poll(config(broken));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kDeviceError);
  EXPECT_NE(r.error().message.find("gpu-smi"), std::string::npos);
  EXPECT_NE(r.error().message.find("couldn't communicate"), std::string::npos);

  auto missing = poll(config(dir_ / "no-such-nvidia-smi"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kUnsupported);

  auto hang = test::write_script(dir_ / "hang", "#!/bin/sh\nsleep 30\n");
  auto c = config(hang);
  c.options.set("nvidia_smi_timeout_s", int64_t{1});
  auto t = poll(c);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::kTimeout);

  auto garbage = test::write_script(dir_ / "garbage", "#!/bin/sh\necho '<<<>>>'\n");
  auto g = poll(config(garbage));
  ASSERT_FALSE(g);
}

TEST_F(NvidiaSmiDriverTest, XidFromTheKernelLogFaultsTheMatchingGpu) {
  auto smi = test::write_script(dir_ / "nvidia-smi", "#!/bin/sh\necho '" + kRow + "'\n");
  const auto log = dir_ / "kern.log";
  std::ofstream(log) << test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt")
                     << "NVRM: Xid (PCI:0000:3b:00): 48, pid=1, name=train, DBE\n";
  auto c = config(smi);
  c.options.set("kernel_log", log.string());
  auto snap = poll(c);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->gpus.at(0).xid_last, 48);
  EXPECT_EQ(snap->state, DeviceState::kFault);
  bool action = false;
  for (const auto& e : snap->errors)
    action = action || e.find("drain and reset GPU 0") != std::string::npos;
  EXPECT_TRUE(action);
}

TEST_F(NvidiaSmiDriverTest, SwitchWorkloadRunsTheHookAndReadsBack) {
  auto smi = test::write_script(dir_ / "nvidia-smi", "#!/bin/sh\necho '" + kRow + "'\n");
  auto hook = test::write_script(dir_ / "hook", "#!/bin/sh\necho now $1\n");
  auto c = config(smi);
  c.options.set("workload_hook", hook.string());
  NvidiaSmiDriver d(asio::system_executor(), c);
  auto out = test::run_coro(
      d.execute(DeviceCommand{.type = "switch_workload", .params = {{"workload", "ai"}}}));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->state, DeviceState::kServing);
  EXPECT_NE(out->detail.find("now ai"), std::string::npos);
  auto reboot = test::run_coro(d.execute(DeviceCommand{.type = "reboot"}));
  ASSERT_FALSE(reboot);
  EXPECT_EQ(reboot.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::drivers::nvidia_smi
