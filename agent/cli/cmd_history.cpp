// rigkeeper history [DEVICE] [--since DURATION|TS] [--until TS] [--limit N] [--json]
// [--config FILE] [--state-dir DIR]: the telemetry history the controller stored, read-only
// (works while rigkeeperd writes). --json prints JSONL, one snapshot per line, in time order:
// the format `rigkeeper diag --replay` reads.
#include <iostream>
#include <memory>
#include <optional>

#include "agent/cli/cli_config.h"
#include "agent/cli/command.h"
#include "agent/cli/json_fields.h"
#include "agent/cli/output.h"
#include "agent/cli/time_arg.h"
#include "agent/store/store.h"

namespace rigkeeper::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct HistoryArgs {
  std::string device;
  std::string since;
  std::string until;
  std::size_t limit = 1000;
  bool json = false;
  std::optional<fs::path> config;
  std::optional<fs::path> state_dir;
};

Result<agent::HistoryQuery> build_query(const HistoryArgs& args, Timestamp now) {
  agent::HistoryQuery q;
  if (!args.device.empty()) q.device_id = args.device;
  if (!args.since.empty()) {
    auto since = parse_time_arg(args.since, now);
    if (!since) return tl::unexpected(since.error());
    q.since_ms = to_unix_ms(*since);
  }
  if (!args.until.empty()) {
    auto until = parse_time_arg(args.until, now);
    if (!until) return tl::unexpected(until.error());
    q.until_ms = to_unix_ms(*until);
  }
  if (q.since_ms && q.until_ms && *q.since_ms > *q.until_ms)
    return fail(Errc::kInvalidArgument, "--since is later than --until");
  q.limit = args.limit;
  return q;
}

Result<fs::path> state_dir_of(const HistoryArgs& args) {
  if (args.state_dir) return *args.state_dir;
  auto config = load_cli_config(args.config);
  if (!config) return tl::unexpected(config.error());
  return config->state_dir;
}

Result<std::vector<agent::HistoryRow>> read_rows(const fs::path& dir,
                                                 const agent::HistoryQuery& q) {
  const fs::path db = dir / agent::Store::kFileName;
  std::error_code ec;
  if (!fs::exists(db, ec))
    return fail(Errc::kConfig,
                "no history at " + db.string() +
                    " (wrong --state-dir? rigkeeperd creates it when it first runs)");
  auto store = agent::Store::open(dir, {.read_only = true});
  if (!store) return tl::unexpected(store.error());
  return (*store)->history_query(q);
}

void print_table(const std::vector<std::pair<const agent::HistoryRow*, json>>& rows) {
  Table t({"TIME", "DEVICE", "STATE", "TH/S", "POWER W", "TEMP C"});
  for (std::size_t c : {3, 4, 5}) t.align_right(c);
  for (const auto& [row, snap] : rows)
    t.add_row({format_rfc3339(from_unix_ms(row->ts_ms)), row->device_id,
               or_none(str_field(snap, "state")), fmt_ths(num_field(snap, "hashrate_ths")),
               fmt_watts(num_field(snap, "power_w")), fmt_temp(num_field(snap, "temp_max_c"))});
  if (t.rows() == 0) {
    std::cout << "no history rows match\n";
    return;
  }
  t.print(std::cout);
}

int history(const HistoryArgs& args) {
  auto query = build_query(args, now_ms());
  if (!query) return report("history", query.error());
  auto dir = state_dir_of(args);
  if (!dir) return report("history", dir.error());
  auto rows = read_rows(*dir, *query);
  if (!rows) return report("history", rows.error());

  std::vector<std::pair<const agent::HistoryRow*, json>> parsed;
  for (const auto& row : *rows) {
    auto snap = json::parse(row.snapshot_json, nullptr, /*allow_exceptions=*/false);
    if (snap.is_discarded() || !snap.is_object()) {
      std::cerr << "rigkeeper: history: skipping an unreadable row of " << sanitize(row.device_id)
                << " at " << format_rfc3339(from_unix_ms(row.ts_ms)) << '\n';
      continue;
    }
    parsed.emplace_back(&row, std::move(snap));
  }
  if (args.json) {
    for (const auto& [row, snap] : parsed)
      std::cout << snap.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  } else {
    print_table(parsed);
  }
  std::cout.flush();
  return std::cout ? 0 : 5;
}

}  // namespace

Command add_history_command(CLI::App& parent) {
  auto args = std::make_shared<HistoryArgs>();
  auto* app = parent.add_subcommand("history", "The telemetry history stored on this controller");
  app->add_option("device", args->device, "Only this device id");
  app->add_option("--since", args->since, "From this long ago (15m, 2h, 1d) or this RFC 3339 time");
  app->add_option("--until", args->until, "Up to this RFC 3339 time (or this long ago)");
  app->add_option("--limit", args->limit, "At most this many rows, the newest (0: all)")
      ->capture_default_str();
  app->add_flag("--json", args->json, "One snapshot per line (JSONL, usable by diag --replay)");
  app->add_option(
      "--config", args->config,
      std::string("Config file naming the state directory (default ") + kDefaultConfigFile + ")");
  app->add_option("--state-dir", args->state_dir,
                  "State directory holding rigkeeper.db (overrides the config)");
  return {app, [args] { return history(*args); }};
}

}  // namespace rigkeeper::cli
