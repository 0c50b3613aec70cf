#!/usr/bin/env bash
# Whole-process benchmark: rigkeeperd managing N simulated miners (default 1000) at a 5 s poll
# interval, with a real Mosquitto. Not a test: figures go to docs/PERFORMANCE.md.
#
#   tests/bench/daemon_rack.sh [BUILD_DIR]
#   RK_BENCH_ASICS=1000 RK_BENCH_INTERVAL=5 RK_BENCH_WARMUP=20 RK_BENCH_WINDOW=120 RK_BENCH_RUNS=3
#
# Reports, per run: rigkeeperd's CPU over the window as % of one core (its threads' run time
# from /proc/<pid>/task/*/schedstat), its peak RSS (VmHWM), and telemetry coverage: snapshots received per device over the
# window against the number of poll cycles in it (every device every cycle = 1.00). When the
# bench targets are built (RK_BUILD_BENCH), also the library floor: the peak RSS of a process
# that loads and initialises rigkeeperd's libraries and nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
ASICS=${RK_BENCH_ASICS:-1000}
INTERVAL=${RK_BENCH_INTERVAL:-5}
WARMUP=${RK_BENCH_WARMUP:-20}
WINDOW=${RK_BENCH_WINDOW:-120}
RUNS=${RK_BENCH_RUNS:-1}
SIM=$BUILD/drivers/sim/rigkeeper-sim
DAEMON=$BUILD/agent/core/rigkeeperd
for b in "$SIM" "$DAEMON"; do [ -x "$b" ] || { echo "build $b first" >&2; exit 1; }; done

# CPU time of a process in nanoseconds: the scheduler's exact run time of each of its threads
# (/proc/<pid>/task/*/schedstat), not utime+stime, which are sampled at the 100 Hz tick (about
# 200 ticks in a 40 s window at 5 %: +-7 % from the sampling alone).
cpu_ns() { cat "/proc/$1"/task/*/schedstat | awk '{s += $1} END {printf "%.0f", s}'; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

one_run() {
  local work pids=() bport
  work=$(mktemp -d /tmp/rk-bench.XXXXXX)
  bport=$(port)
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' RETURN
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\n' "$bport" >"$work/m.conf"
  /usr/sbin/mosquitto -c "$work/m.conf" >"$work/m.log" 2>&1 & pids+=($!)
  "$SIM" --asics "$ASICS" --gpus 0 --seed 1 --listen 127.1.0.0/16 --emit-config "$work/rk.toml" \
    >"$work/sim.log" 2>&1 & pids+=($!)
  for _ in $(seq 300); do grep -q '^ready' "$work/sim.log" && break; sleep 0.1; done
  grep -q '^ready' "$work/sim.log" || { echo "rigkeeper-sim did not start:" >&2; tail -5 "$work/sim.log" >&2; return 1; }
  mkdir -p "$work/rigkeeper.d"
  printf '[agent]\npoll_timeout_s = 3\n' >"$work/rigkeeper.d/bench.toml"
  "$DAEMON" --config "$work/rk.toml" --broker "tcp://127.0.0.1:$bport" --site bench --rack r1 \
    --state-dir "$work/state" --poll-interval "$INTERVAL" >"$work/d.log" 2>&1 & pids+=($!)
  local dpid=$!
  sleep "$WARMUP"
  kill -0 "$dpid" 2>/dev/null || { echo "rigkeeperd exited:" >&2; tail -5 "$work/d.log" >&2; return 1; }
  timeout "$WINDOW" mosquitto_sub -p "$bport" -t 'rigkeeper/v1/bench/r1/telemetry/+' -v \
    >"$work/telemetry.txt" 2>/dev/null &
  local sub=$!
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(cpu_ns "$dpid")
  wait "$sub" || true
  t1=$(date +%s.%N); c1=$(cpu_ns "$dpid")
  local hwm rss
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$dpid/status")
  grep -E 'RssAnon|RssFile' "/proc/$dpid/status" | tr -s ' \t' ' ' | tr '\n' ' '; echo
  rss=$(awk '/VmRSS/{print $2}' "/proc/$dpid/status")
  local cycles
  cycles=$(python3 -c "print(($t1-$t0)/$INTERVAL)")
  python3 - "$work/telemetry.txt" "$ASICS" "$cycles" "$c0" "$c1" "$t0" "$t1" "$hwm" "$rss" <<'PY'
import sys, collections, json
path, n, cycles, c0, c1, t0, t1, hwm, rss = sys.argv[1:]
n, cycles = int(n), float(cycles)
counts = collections.Counter(); offline = 0
for line in open(path):
    topic, _, payload = line.partition(' ')
    counts[topic.rsplit('/', 1)[-1]] += 1
    if '"state":"offline"' in payload: offline += 1
per = list(counts.values()) + [0] * max(0, n - len(counts))
cpu = (float(c1) - float(c0)) / 1e9 / (float(t1) - float(t0)) * 100
print(f"devices={n} window={float(t1)-float(t0):.0f}s cycles={cycles:.1f} "
      f"cpu={cpu:.2f}%-of-one-core peak_rss={int(hwm)/1024:.1f}MiB rss_now={int(rss)/1024:.1f}MiB "
      f"coverage_min={min(per)/cycles:.2f} coverage_mean={sum(per)/n/cycles:.2f} "
      f"devices_seen={len(counts)} offline_snapshots={offline}")
PY
  # The same libraries with no devices and none of rigkeeper's code (tests/bench/floor), against
  # the same broker: what of the peak is the libraries' and what is rigkeeper's own.
  local floor=$BUILD/tests/bench/floor/library_floor
  if [ -x "$floor" ]; then
    local kb
    kb=$("$floor" --broker "tcp://127.0.0.1:$bport" 2>/dev/null | awk '/VmHWM/{print $2}')
    python3 -c "print(f'library_floor={$kb/1024:.1f}MiB')"
  fi
}

echo "rigkeeperd bench: $ASICS miners, ${INTERVAL}s interval, ${WINDOW}s window after ${WARMUP}s warm-up, $RUNS run(s)"
for i in $(seq "$RUNS"); do one_run; done
