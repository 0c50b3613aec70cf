#pragma once
/// Helpers for the GPU driver tests: running a coroutine to completion, executable scripts in
/// a temp dir, and a dcgm-exporter page built from the shared default-counters.csv.
#include <filesystem>
#include <optional>
#include <string>

#include "drivers/api/asio.h"

namespace rigkeeper::test {

/// Runs `aw` on a fresh io_context until it completes.
template <class T>
T run_coro(asio::awaitable<T> aw) {
  asio::io_context io;
  std::optional<T> out;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(aw)); }, asio::detached);
  io.run();
  return std::move(*out);
}

/// Writes an executable script (mode 0755) and returns its path.
std::filesystem::path write_script(const std::filesystem::path& path, const std::string& body);

/// A dcgm-exporter /metrics page for `gpus` GPUs, one family per field of the shared
/// dcgm/default-counters.csv (HELP and TYPE from the file, DRIVER_VERSION as a label like the
/// exporter does), GPU i reporting temperature 40+i, power 100.5+i W, util 10*i, FB used 1000*i,
/// free 80000-1000*i, reserved 559, XID 0, PCIe replays i, row remapping 0, MEMORY_TEMP as
/// DCGM's NOT_SUPPORTED blank and PCIE_TX_BYTES as the FP64 blank; every other field 7.
std::string dcgm_page_from_default_counters(int gpus);

}  // namespace rigkeeper::test
