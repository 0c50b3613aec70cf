#!/usr/bin/env bash
# Whole-process benchmark of discovery: `rigkeeper scan` over a /22 of loopback addresses
# where rigkeeper-sim serves N miners (default 1000, a mix of every simulated family), each on
# its own address with its firmware's usual ports. Not a test: figures go to
# docs/PERFORMANCE.md ("Scan").
#
#   tests/bench/scan_range.sh [BUILD_DIR]
#   RK_BENCH_ASICS=1000 RK_BENCH_RANGE=127.2.0.0/22 RK_BENCH_RUNS=3 RK_BENCH_ARGS="--timeout 2"
#
# Linux routes all of 127.0.0.0/8 to lo, so every address of the range exists without set-up;
# the sim binds 4028 (and 80 / 4433 for the families that serve them) on each: run as root or
# with CAP_NET_BIND_SERVICE for port 80. Reports per run: wall time, CPU (user+sys) and peak
# RSS of the `rigkeeper scan` process (/usr/bin/time -v), and devices found; then min/median/max.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
ASICS=${RK_BENCH_ASICS:-1000}
RANGE=${RK_BENCH_RANGE:-127.2.0.0/22}
RUNS=${RK_BENCH_RUNS:-3}
ARGS=${RK_BENCH_ARGS:-}
SIM=$BUILD/drivers/sim/rigkeeper-sim
CLI=$BUILD/agent/cli/rigkeeper
for b in "$SIM" "$CLI"; do [ -x "$b" ] || { echo "build $b first" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

work=$(mktemp -d /tmp/rk-scanbench.XXXXXX)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$SIM" --asics "$ASICS" --gpus 0 --seed 1 --listen "$RANGE" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 600); do grep -q '^ready' "$work/sim.log" && break; sleep 0.1; done
grep -q '^ready' "$work/sim.log" || { echo "sim not ready:" >&2; tail "$work/sim.log" >&2; exit 1; }
echo "sim: $ASICS devices on $RANGE ($(grep -c '^asic-' "$work/sim.log") listed)"
echo "families: $(awk '/^asic-/{print $2}' "$work/sim.log" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"

results=()
for run in $(seq "$RUNS"); do
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/time.txt" "$CLI" scan "$RANGE" --json $ARGS >"$work/out.jsonl" \
    2>"$work/err.txt" || true
  found=$(wc -l <"$work/out.jsonl")
  line=$(python3 - "$work/time.txt" "$found" <<'PY'
import sys, re
t = open(sys.argv[1]).read()
def f(key):
    return re.search(re.escape(key) + r":\s*(\S+)", t).group(1)
wall = f("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(f("User time (seconds)")) + float(f("System time (seconds)"))
rss = int(f("Maximum resident set size (kbytes)")) / 1024
print(f"{secs:.2f} {cpu:.2f} {rss:.1f} {sys.argv[2]}")
PY
)
  echo "run $run: wall_s cpu_s peak_rss_mib found = $line"
  results+=("$line")
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
for i, name in enumerate(["wall s", "cpu s", "peak RSS MiB", "found"]):
    col = sorted(r[i] for r in rows)
    print(f"{name:>13}: min {col[0]:.2f}  median {statistics.median(col):.2f}  max {col[-1]:.2f}")
'
grep -v '^$' "$work/err.txt" | head -5 || true
