#pragma once
/// The command pipeline: open (envelope), dedupe (journal), validate, journal, ack
/// `accepted`, execute per device (concurrently, serialised per device, with a per-device
/// timeout, capabilities checked first), ack the final status; plus the curtailments it put in
/// force: re-applied when a device reads back mining, resumed in stages on `resume` or at
/// expiry, never touching a device it did not curtail. See docs/COMMANDS.md.
///
/// Threading: io_context thread only. Errors never escape: each becomes an ack or an event.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/commands/ack.h"
#include "agent/commands/async_mutex.h"
#include "agent/commands/command.h"
#include "agent/commands/curtailment.h"
#include "agent/commands/device_directory.h"
#include "agent/commands/envelope.h"
#include "agent/store/store.h"
#include "drivers/api/asio.h"

namespace rigkeeper::agent::commands {

struct ProcessorOptions {
  ParseLimits limits;
  std::chrono::milliseconds device_timeout{60000};  ///< one device's verb, read-back included
  double default_ramp_s = 0;  ///< resume stage spread when the command gives no ramp_s
  /// A curtailed device that reads back mining is re-applied at most this often.
  std::chrono::milliseconds reapply_interval{30000};
  /// Wait before finishing commands interrupted by a restart (lets pollers identify devices).
  std::chrono::milliseconds recovery_delay{0};
  std::chrono::hours journal_retention{24 * 7};
};

/// Where a command came from and where its acks go besides `P/ack`.
struct Origin {
  std::string source = "local";  ///< "mqtt:<topic>" or "local"
  std::string response_topic;    ///< MQTT v5 response topic, empty if none
  std::string correlation_data;
  bool site_wide = false;  ///< from rigkeeper/v1/<site>/cmd: devices of other racks are ignored
  /// Local (control socket, trusted by its file permissions): no signature needed.
  bool trusted_local = false;
  /// Called with every ack of this command (the control socket waits for the final one).
  std::function<void(const Ack&)> on_ack;
};

/// Where acks and events leave the pipeline (the daemon: the outbox and the MQTT link).
class CommandOutput {
 public:
  virtual ~CommandOutput() = default;
  /// One ack for `P/ack`; must be durable before it returns (the outbox's ack class is).
  virtual void ack(const std::string& payload) = 0;
  /// A copy for an MQTT v5 response topic.
  virtual void response(const std::string& topic, const std::string& correlation_data,
                        const std::string& payload) = 0;
  /// One event for `P/events` (contract shape).
  virtual void event(const nlohmann::json& event) = 0;
};

class CommandProcessor {
 public:
  CommandProcessor(asio::io_context& io, Store* store, DeviceDirectory& devices, CommandOutput& out,
                   KeyRing keys, ProcessorOptions options);
  ~CommandProcessor();

  /// Loads the curtailments, arms their expiry, prunes the journal and (after
  /// recovery_delay) finishes commands interrupted by a restart: repeatable ones are run
  /// again, the others (reboot, switch_workload, diagnose) fail with "interrupted by agent
  /// restart; not repeated".
  Result<void> start();
  void stop();

  /// Handles one received payload (envelope or plain command).
  void submit(std::string payload, Origin origin);

  /// After every poll: a device this agent curtailed that reads back mining or starting is
  /// put to sleep again (CURTAILMENT_REAPPLIED).
  void on_snapshot(const drivers::DeviceSnapshot& snap);

  const CurtailmentBook& curtailments() const { return book_; }
  /// Commands accepted and not yet final.
  std::size_t in_flight() const { return running_.size(); }

 private:
  struct Job;
  struct Task;
  void accept(Command cmd, Origin origin);
  void reject(const std::string& id, const std::string& reason, const Origin& origin);
  void replay(const CommandRecord& rec, const Origin& origin);
  void emit(const Ack& ack, const Origin& origin);
  void finish(const std::shared_ptr<Job>& job, std::vector<DeviceResult> results,
              std::optional<std::string> reason, std::optional<std::string> status = {});
  void recover();
  void schedule_expiry();
  void on_expiry();

  asio::awaitable<void> run(std::shared_ptr<Job> job);
  std::vector<Task> plan(const Job& job, std::vector<DeviceResult>& results,
                         std::optional<std::string>& reason, bool& fits);
  asio::awaitable<std::vector<DeviceResult>> run_tasks(std::shared_ptr<Job> job,
                                                       std::vector<Task> tasks);
  asio::awaitable<DeviceResult> run_task(std::shared_ptr<Job> job, Task task);
  asio::awaitable<Result<drivers::CommandOutcome>> execute_with_timeout(
      const std::string& device_id, drivers::DeviceCommand cmd);
  asio::awaitable<void> reapply(std::string device_id, std::string read_state);
  void after_device(const Job& job, const Task& task, const Result<drivers::CommandOutcome>& r,
                    DeviceResult& result);
  std::optional<double> rack_power() const;
  const std::shared_ptr<AsyncMutex>& mutex_for(const std::string& device_id);
  std::optional<int64_t> next_expiry_ms() const;

  asio::io_context& io_;
  Store* store_;
  DeviceDirectory& devices_;
  CommandOutput& out_;
  KeyRing keys_;
  ProcessorOptions options_;
  CurtailmentBook book_;
  asio::steady_timer expiry_timer_;
  asio::steady_timer recovery_timer_;
  std::map<std::string, std::shared_ptr<AsyncMutex>> mutexes_;
  std::map<std::string, std::shared_ptr<Job>> running_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_reapply_;
  std::set<std::string> reapplying_;
  std::set<std::string> expiring_;  ///< devices whose expiry resume is under way
  std::shared_ptr<bool> alive_;
  bool stopped_ = false;
};

}  // namespace rigkeeper::agent::commands
