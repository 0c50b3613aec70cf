// The Xid catalogue as data, and Xid lines of the kernel log: the shared capture of NVRM lines
// (DCGM's kmsg reader test data), broken variants of it, PCI address matching, and following
// a log file across polls.
#include <gtest/gtest.h>

#include <fstream>

#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/common/kernel_xid.h"
#include "drivers/gpu/common/xid_catalogue.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::drivers::gpu {
namespace {

TEST(XidCatalogue, SortedUniqueAndEveryRowDescribed) {
  int previous = 0;
  for (const XidEntry& e : xid_catalogue()) {
    EXPECT_GT(e.code, previous);
    previous = e.code;
    EXPECT_FALSE(e.name.empty()) << e.code;
    EXPECT_FALSE(e.description.empty()) << e.code;
    EXPECT_FALSE(e.source.empty()) << e.code;
  }
  EXPECT_GE(xid_catalogue().size(), 30u);
}

TEST(XidCatalogue, ActionsFollowNvidia) {
  ASSERT_NE(find_xid(79), nullptr);
  EXPECT_EQ(find_xid(79)->action, XidAction::kRebootNode);
  EXPECT_TRUE(xid_is_fatal(79));
  EXPECT_EQ(find_xid(48)->action, XidAction::kResetGpu);
  EXPECT_EQ(find_xid(119)->action, XidAction::kResetGpu);
  EXPECT_EQ(find_xid(13)->action, XidAction::kRestartApp);
  EXPECT_FALSE(xid_is_fatal(13));
  EXPECT_EQ(find_xid(63)->action, XidAction::kTrend);
  EXPECT_EQ(find_xid(92)->action, XidAction::kTrend);
  EXPECT_EQ(find_xid(43)->action, XidAction::kIgnore);
  EXPECT_EQ(find_xid(12345), nullptr);
  EXPECT_FALSE(xid_is_fatal(12345));  // unknown: reported, never invented into a fault
  EXPECT_EQ(to_string(XidAction::kResetGpu), "reset_gpu");
  EXPECT_EQ(xid_action_text(48, 3), "drain and reset GPU 3");
  EXPECT_EQ(xid_action_text(79, 0), "drain and reboot node (GPU 0)");
  EXPECT_EQ(xid_action_text(13, 1), "restart the application on GPU 1");
}

TEST(KernelXid, ParsesTheCapturedNvrmLines) {
  const auto events = parse_xid_lines(test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt"));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].code, 119);
  EXPECT_EQ(events[0].pci, "0000:00:16");
  EXPECT_EQ(events[0].pid, 36055);
  EXPECT_EQ(events[0].process, "dcgm-exporter");
  EXPECT_NE(events[0].message.find("GSP"), std::string::npos);
  EXPECT_EQ(events[1].code, 43);
  EXPECT_EQ(events[1].pid, 1814139);
  EXPECT_EQ(events[1].process, "cuda_assert_64b");
  EXPECT_EQ(events[2].code, 79);
  EXPECT_EQ(events[2].pci, "0000:2a:00");
  EXPECT_EQ(events[2].pid, std::nullopt);  // pid='<unknown>'
  EXPECT_EQ(events[2].process, "");
  EXPECT_EQ(events[2].message, "GPU has fallen off the bus");
}

TEST(KernelXid, AcceptsKmsgAndDmesgPrefixes) {
  auto a = parse_xid_line("4,1234,5678901,-;NVRM: Xid (PCI:0000:3b:00): 48, pid=7, name=x, DBE");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->code, 48);
  auto b = parse_xid_line(
      "[ 1234.567890] NVRM: Xid (PCI:0000:3B:00): 79, pid=..., GPU has fallen off the bus.");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->code, 79);
  EXPECT_EQ(b->pci, "0000:3b:00");
}

TEST(KernelXid, BrokenLinesAreIgnoredNeverCrash) {
  EXPECT_FALSE(parse_xid_line("NVRM: Xid (PCI:0000:3b:00): abc, pid=1"));
  EXPECT_FALSE(parse_xid_line("NVRM: Xid (PCI:0000:3b:00"));
  EXPECT_FALSE(parse_xid_line("NVRM: Xid (PCI:0000:3b:00): -5, x"));
  EXPECT_FALSE(parse_xid_line("NVRM: GPU at PCI:0000:01:00: GPU-aeab"));
  for (const auto& v : test::broken_variants(test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt"))) {
    auto events = parse_xid_lines(v.bytes);
    EXPECT_LE(events.size(), 3u) << v.name;
  }
}

TEST(KernelXid, PciAddressesOfEverySourceMatch) {
  EXPECT_EQ(pci_bus_device("0000:3B:00"), "3b:00");
  EXPECT_EQ(pci_bus_device("00000000:3B:00.0"), "3b:00");
  EXPECT_EQ(pci_bus_device("PCI:0000:3b:00"), "3b:00");
  EXPECT_EQ(pci_bus_device("3b:00.0"), "3b:00");
  EXPECT_EQ(pci_bus_device("nonsense"), "");
  EXPECT_EQ(pci_bus_device("zz:yy"), "");
}

TEST(KernelXid, ReaderFollowsAFileAcrossPolls) {
  test::TempDir dir;
  const auto log = dir / "kern.log";
  std::ofstream(log) << test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt");
  KernelXidReader reader(log.string());
  auto first = reader.read_new();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), 3u);
  auto none = reader.read_new();
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  std::ofstream(log, std::ios::app) << "NVRM: Xid (PCI:0000:2a:00): 48, pid=9, name=a, DBE\n";
  auto next = reader.read_new();
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].code, 48);
}

TEST(KernelXid, UnreadableLogIsAClearError) {
  KernelXidReader reader("/nonexistent/kmsg");
  auto r = reader.read_new();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("/nonexistent/kmsg"), std::string::npos);
}

TEST(GpuNode, FatalXidMakesTheNodeFaultWithTheAction) {
  GpuNodeReading r;
  r.gpus.resize(2);
  r.gpus[1].index = 1;
  r.health.resize(2);
  r.health[0].pci = "3b:00";
  r.health[1] = GpuHealth{.index = 1, .pci = "2a:00"};
  apply_xid_events(r, parse_xid_lines(test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt")));
  EXPECT_EQ(r.gpus[0].xid_last, std::nullopt);
  EXPECT_EQ(r.gpus[1].xid_last, 79);
  // 119 and 43 named PCI addresses no GPU of this node has.
  EXPECT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(gpu_node_state(r), DeviceState::kFault);
  auto snap = make_gpu_node_snapshot(r, "nvml");
  EXPECT_EQ(snap.kind, DeviceKind::kGpuNode);
  EXPECT_EQ(snap.state, DeviceState::kFault);
  bool said = false;
  for (const auto& e : snap.errors) said = said || e.find("reboot node") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(GpuNode, ThrottleReasonBits) {
  EXPECT_EQ(throttle_reason_names(0x1), std::vector<std::string>{"gpu_idle"});
  EXPECT_EQ(throttle_reason_names(0x44),
            (std::vector<std::string>{"sw_power_cap", "hw_thermal_slowdown"}));
  EXPECT_EQ(throttle_reason_names(0x1000), std::vector<std::string>{"bit_12"});
  EXPECT_TRUE(throttle_reason_names(0).empty());
  EXPECT_EQ(throttle_reason_from_key("clocks_throttle_reason_hw_slowdown"), "hw_slowdown");
  EXPECT_EQ(throttle_reason_from_key("clocks_event_reason_sw_power_cap"), "sw_power_cap");
}

TEST(GpuNode, NoGpuIsAFault) {
  GpuNodeReading r;
  EXPECT_EQ(gpu_node_state(r), DeviceState::kFault);
  auto snap = make_gpu_node_snapshot(r, "dcgm");
  EXPECT_EQ(snap.power_w, std::nullopt);
  EXPECT_EQ(snap.state, DeviceState::kFault);
}

}  // namespace
}  // namespace rigkeeper::drivers::gpu
