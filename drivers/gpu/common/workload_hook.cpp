#include "drivers/gpu/common/workload_hook.h"

#include "drivers/gpu/common/child_process.h"
#include "drivers/gpu/common/off_loop.h"

namespace rigkeeper::drivers::gpu {
namespace {

std::string tail_for_detail(const ChildResult& r) {
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.empty()) return "no output";
  return std::string(r.output_truncated ? "output (tail): " : "output: ") + out;
}

}  // namespace

std::vector<ConfigKey> workload_config_keys() {
  return {
      ConfigKey{.name = "workload_hook",
                .type = OptionType::kString,
                .default_value = std::nullopt,
                .doc = "executable run for switch_workload, with the workload (ai, mining, idle) "
                       "as its argument; not through a shell"},
      ConfigKey{.name = "workload_timeout_s",
                .type = OptionType::kInt,
                .default_value = OptionValue{int64_t{120}},
                .doc = "seconds the workload hook may run before its process group is killed",
                .min = 1,
                .max = 3600},
  };
}

WorkloadHook workload_hook_from(const Options& options) {
  WorkloadHook hook;
  hook.path = options.get_string("workload_hook").value_or("");
  if (auto s = options.get_int("workload_timeout_s"); s && *s > 0)
    hook.timeout = std::chrono::seconds(*s);
  return hook;
}

asio::awaitable<Result<CommandOutcome>> run_workload_hook(const WorkloadHook& hook,
                                                          const DeviceCommand& command,
                                                          const std::string& device_id) {
  const auto& params = command.params;
  if (!params.is_object() || !params.contains("workload") || !params["workload"].is_string()) {
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id + ": switch_workload needs params.workload");
  }
  const std::string workload = params["workload"].get<std::string>();
  if (workload != "ai" && workload != "mining" && workload != "idle") {
    co_return fail(Errc::kInvalidArgument, "device " + device_id + ": unknown workload '" +
                                               workload + "' (ai, mining or idle)");
  }
  if (hook.path.empty()) {
    co_return fail(Errc::kUnsupported,
                   "device " + device_id + ": no workload_hook configured for switch_workload");
  }
  ChildOptions opts{.timeout = hook.timeout, .output_cap = hook.output_cap};
  std::vector<std::string> argv{hook.path, workload};
  std::function<Result<ChildResult>()> job = [argv, opts]() { return run_child(argv, opts); };
  Result<ChildResult> run = co_await off_loop(std::move(job));
  if (!run) {
    co_return fail(run.error().code,
                   "device " + device_id + ": workload hook: " + run.error().message);
  }
  const std::string what = "workload " + workload + ": hook " + hook.path + " " +
                           describe_end(*run, opts) + "; " + tail_for_detail(*run);
  if (!run->success()) co_return fail(Errc::kDeviceError, "device " + device_id + ": " + what);
  CommandOutcome outcome;
  outcome.detail = what;
  outcome.confirmed = true;
  co_return outcome;
}

}  // namespace rigkeeper::drivers::gpu
