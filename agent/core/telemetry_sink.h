#pragma once
/// Where every snapshot goes after a poll: serialised once, queued on the outbox for
/// `P/telemetry/<id>`, and sampled into the history (at most one row per device per
/// history interval, written in batches).
///
/// Threading: io_context thread only.
#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/core/outbox.h"
#include "agent/core/topics.h"
#include "agent/store/store.h"
#include "drivers/api/asio.h"
#include "drivers/api/telemetry.h"

namespace rigkeeper::agent {

struct TelemetrySinkOptions {
  int telemetry_qos = 0;
  std::chrono::milliseconds history_interval{60000};
  std::chrono::milliseconds history_retention{48 * 3600 * 1000LL};
  int64_t history_max_bytes = 64ll << 20;
  std::chrono::milliseconds history_flush_interval{5000};
};

class TelemetrySink {
 public:
  TelemetrySink(asio::io_context& io, Store& store, Outbox& outbox, const Topics& topics,
                TelemetrySinkOptions options);
  void start();
  /// Flushes buffered history rows (shutdown).
  void stop();
  void on_snapshot(const drivers::DeviceSnapshot& snap);

 private:
  void flush_history();
  void prune_history();
  void schedule();

  Store& store_;
  Outbox& outbox_;
  const Topics& topics_;
  TelemetrySinkOptions options_;
  asio::steady_timer timer_;
  std::unordered_map<std::string, int64_t> last_history_ms_;
  std::vector<HistoryRow> history_buffer_;
  int64_t last_prune_ms_ = 0;
  bool stopped_ = false;
};

}  // namespace rigkeeper::agent
