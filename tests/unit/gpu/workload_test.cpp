// Child processes and the switch_workload hook: exit codes and output come back, output is
// capped to its tail, a hook past its deadline has its whole process group killed, nothing goes
// through a shell, and bad params or a missing hook are refused with the right error.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "drivers/gpu/common/child_process.h"
#include "drivers/gpu/common/workload_hook.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/gpu/gpu_test_util.h"

namespace rigkeeper::drivers::gpu {
namespace {

using namespace std::chrono_literals;

TEST(ChildProcess, ExitCodeAndInterleavedOutput) {
  test::TempDir dir;
  auto hook =
      test::write_script(dir / "h.sh", "#!/bin/sh\necho out \"$1\"\necho err >&2\nexit 3\n");
  auto r = run_child({hook.string(), "a b; rm -rf /"}, ChildOptions{});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
  EXPECT_NE(r->output.find("out a b; rm -rf /"), std::string::npos);  // one argv word, no shell
  EXPECT_NE(r->output.find("err"), std::string::npos);
  EXPECT_FALSE(r->success());
}

TEST(ChildProcess, OutputIsCappedToItsTail) {
  test::TempDir dir;
  auto hook = test::write_script(
      dir / "h.sh",
      "#!/bin/sh\ni=0\nwhile [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done\necho LAST\n");
  auto r = run_child({hook.string()}, ChildOptions{.output_cap = 1024});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_TRUE(r->output_truncated);
  EXPECT_EQ(r->output.size(), 1024u);
  EXPECT_NE(r->output.find("LAST"), std::string::npos);
}

TEST(ChildProcess, TimeoutKillsTheProcessGroup) {
  test::TempDir dir;
  const auto pidfile = dir / "grandchild.pid";
  auto hook = test::write_script(
      dir / "h.sh", "#!/bin/sh\nsleep 60 &\necho $! > " + pidfile.string() + "\nwait\n");
  auto r = run_child({hook.string()}, ChildOptions{.timeout = 500ms});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->success());
  pid_t grandchild = 0;
  std::ifstream(pidfile) >> grandchild;
  ASSERT_GT(grandchild, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {  // reaped by init: wait until it is no more
    gone = ::kill(grandchild, 0) != 0;
    if (!gone) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(gone) << "the hook's background child survived the timeout";
  EXPECT_NE(describe_end(*r, ChildOptions{.timeout = 500ms}).find("timed out"), std::string::npos);
}

TEST(ChildProcess, MissingProgramIsUnsupported) {
  auto r = run_child({"/nonexistent/hook"}, ChildOptions{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("/nonexistent/hook"), std::string::npos);
  EXPECT_FALSE(run_child({}, ChildOptions{}));
}

DeviceCommand workload(const std::string& w) {
  return DeviceCommand{.type = "switch_workload", .params = {{"workload", w}}};
}

TEST(WorkloadHook, SuccessCarriesExitAndOutput) {
  test::TempDir dir;
  auto hook = test::write_script(dir / "h.sh", "#!/bin/sh\necho switching to $1\n");
  WorkloadHook h{.path = hook.string()};
  auto r = test::run_coro(run_workload_hook(h, workload("mining"), "gpu-7"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(r->detail.find("exit 0"), std::string::npos);
  EXPECT_NE(r->detail.find("switching to mining"), std::string::npos);
}

TEST(WorkloadHook, FailureAndTimeoutAreDeviceErrorsWithTheOutput) {
  test::TempDir dir;
  auto bad =
      test::write_script(dir / "bad.sh", "#!/bin/sh\necho scheduler refused drain\nexit 2\n");
  auto r = test::run_coro(
      run_workload_hook(WorkloadHook{.path = bad.string()}, workload("ai"), "gpu-7"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kDeviceError);
  EXPECT_NE(r.error().message.find("exit 2"), std::string::npos);
  EXPECT_NE(r.error().message.find("scheduler refused drain"), std::string::npos);
  EXPECT_NE(r.error().message.find("gpu-7"), std::string::npos);

  auto slow = test::write_script(dir / "slow.sh", "#!/bin/sh\nsleep 30\n");
  auto t = test::run_coro(run_workload_hook(WorkloadHook{.path = slow.string(), .timeout = 300ms},
                                            workload("idle"), "gpu-7"));
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("timed out"), std::string::npos);
}

TEST(WorkloadHook, BadParamsAndNoHook) {
  WorkloadHook none;
  auto r = test::run_coro(run_workload_hook(none, workload("mining"), "gpu-7"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  WorkloadHook any{.path = "/bin/true"};
  EXPECT_EQ(test::run_coro(run_workload_hook(any, workload("gaming"), "g")).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(test::run_coro(run_workload_hook(any, DeviceCommand{.type = "switch_workload"}, "g"))
                .error()
                .code,
            Errc::kInvalidArgument);
}

TEST(WorkloadHook, ConfigKeys) {
  Options o;
  o.set("workload_hook", std::string("/opt/hooks/switch"));
  o.set("workload_timeout_s", int64_t{5});
  auto h = workload_hook_from(o);
  EXPECT_EQ(h.path, "/opt/hooks/switch");
  EXPECT_EQ(h.timeout, std::chrono::seconds(5));
  EXPECT_EQ(workload_config_keys().size(), 2u);
}

}  // namespace
}  // namespace rigkeeper::drivers::gpu
