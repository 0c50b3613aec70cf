#include "agent/cli/scanner.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <utility>

#include "drivers/api/asio.h"

namespace rigkeeper::cli {

namespace {

/// What the workers share; lives on scan_range()'s stack while io.run() runs.
struct ScanState {
  const AddressRange& range;
  const ScanOptions& options;
  const std::function<void(const ScanProgress&)>& progress;
  std::size_t next = 0;
  ScanProgress counts;
  std::vector<std::pair<std::size_t, ScanFound>> found;
  std::vector<std::pair<std::size_t, std::string>> unrecognised;
};

asio::awaitable<void> worker(ScanState& state) {
  while (state.next < state.range.size()) {
    const std::size_t index = state.next++;
    std::string host = state.range.at(index);
    auto result = co_await drivers::detect(host, state.options.detect);
    if (result) {
      state.found.emplace_back(index, to_found(host, state.options.detect, *result));
      ++state.counts.found;
    } else if (result.error().code == Errc::kUnsupported ||
               result.error().code == Errc::kProtocol) {
      state.unrecognised.emplace_back(index, result.error().message);
    }
    ++state.counts.done;
    if (state.progress) state.progress(state.counts);
  }
}

template <class T>
std::vector<T> in_address_order(std::vector<std::pair<std::size_t, T>> items) {
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> out;
  out.reserve(items.size());
  for (auto& item : items) out.push_back(std::move(item.second));
  return out;
}

}  // namespace

ScanFound to_found(std::string host, const drivers::DetectOptions& options,
                   const drivers::Detection& detection) {
  ScanFound found;
  found.host = std::move(host);
  const bool api_answered =
      detection.probe.cgminer_version.has_value() || detection.probe.cgminer_devdetails.has_value();
  found.port = api_answered ? options.cgminer_port : detection.driver->default_port;
  found.driver = detection.driver;
  found.identity = detection.identity;
  found.warnings = detection.warnings;
  return found;
}

ScanReport scan_range(const AddressRange& range, const ScanOptions& options,
                      const std::function<void(const ScanProgress&)>& progress) {
  asio::io_context io(1);
  ScanState state{range, options, progress, 0, {}, {}, {}};
  state.counts.total = range.size();
  const std::size_t workers = std::clamp<std::size_t>(options.concurrency, 1, range.size());
  for (std::size_t i = 0; i < workers; ++i)
    asio::co_spawn(io, worker(state), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);  // a bug, not device input: let main report it
    });
  io.run();

  ScanReport report;
  report.scanned = state.counts.done;
  report.found = in_address_order(std::move(state.found));
  report.unrecognised = in_address_order(std::move(state.unrecognised));
  return report;
}

}  // namespace rigkeeper::cli
