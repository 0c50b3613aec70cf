#include "drivers/gpu/nvidia_smi/runner.h"

#include "drivers/gpu/common/child_process.h"
#include "drivers/gpu/nvidia_smi/csv.h"
#include "drivers/gpu/nvidia_smi/xml.h"

namespace rigkeeper::drivers::nvidia_smi {
namespace {

constexpr size_t kMaxOutput = 4u << 20;

Result<std::string> run(const RunnerOptions& o, std::vector<std::string> args) {
  args.insert(args.begin(), o.program);
  gpu::ChildOptions co{.timeout = o.timeout, .output_cap = kMaxOutput, .keep_head = true};
  auto r = gpu::run_child(args, co);
  if (!r) return tl::unexpected(r.error());
  if (r->timed_out) {
    return fail(Errc::kTimeout,
                o.program + " gave no answer in " + std::to_string(o.timeout.count()) + " ms");
  }
  if (r->output_truncated) return fail(Errc::kProtocol, o.program + " printed more than 4 MiB");
  if (!r->success()) {
    std::string first_line = r->output.substr(0, r->output.find('\n'));
    if (first_line.size() > 300) first_line.resize(300);
    return fail(Errc::kDeviceError, o.program + " " + gpu::describe_end(*r, co) +
                                        (first_line.empty() ? "" : ": " + first_line));
  }
  return std::move(r->output);
}

Result<gpu::GpuNodeReading> read_csv(const RunnerOptions& o,
                                     const std::vector<std::string>& fields) {
  auto out = run(o, {query_argument(fields), "--format=csv,noheader,nounits"});
  if (!out) return tl::unexpected(out.error());
  return parse_csv_rows(*out, fields);
}

Result<gpu::GpuNodeReading> read_xml(const RunnerOptions& o) {
  auto out = run(o, {"-q", "-x"});
  if (!out) return tl::unexpected(out.error());
  return parse_xml(*out);
}

}  // namespace

Result<gpu::GpuNodeReading> read_local(const RunnerOptions& options) {
  if (options.prefer_xml) return read_xml(options);
  auto r = read_csv(options, query_fields());
  if (r || r.error().code == Errc::kUnsupported || r.error().code == Errc::kTimeout) return r;
  // An older driver rejects a field it does not know ("is not a valid field to query").
  auto legacy = read_csv(options, legacy_query_fields());
  if (legacy) return legacy;
  auto xml = read_xml(options);
  if (xml) return xml;
  return r;
}

}  // namespace rigkeeper::drivers::nvidia_smi
