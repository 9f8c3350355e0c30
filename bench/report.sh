#!/usr/bin/env bash
# Measures `tlm report` on a large synthetic log, side by side with the Python
# peer report, a streaming jq aggregation and `wc -l` (the floor: reading the
# file), with hyperfine; then tlm's peak memory.
#
#   bash bench/report.sh                  # 1,000,000 events, 5 runs + 1 warmup each
#   bash bench/report.sh --quick          # 100,000 events, 2 runs + 1 warmup
#   EVENTS=10000000 bash bench/report.sh  # another size (the file is cached)
#   TLM=/path/to/tlm bash bench/report.sh # time this binary (default .build/release/tlm, built if missing)
#
# Aims (issue 3): tlm ≤ 8× wc -l, ≥ 20× faster than the peer, peak RSS ≤ 64 MB.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS="$ROOT/bench/peers"
GENERATOR="$PEERS/gen_events.py"
PEER_SCRIPT="$PEERS/peer_report.py"
AIM_WC=8
AIM_PEER=20
AIM_RSS_MB=64

EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-5}
WARMUP=1
for arg in "$@"; do
    case "$arg" in
        --quick) EVENTS=100000; RUNS=2 ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "report.sh: unknown argument '$arg' (only --quick)" >&2; exit 64 ;;
    esac
done
for value in "$EVENTS" "$RUNS"; do
    case "$value" in ''|*[!0-9]*|0) echo "report.sh: EVENTS and RUNS must be positive integers, not '$value'" >&2; exit 64 ;; esac
done

missing=0
for tool in hyperfine jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "report.sh: $tool is missing; install it with: sudo apt-get install $tool" >&2
        missing=1
    fi
done
for tool in python3 /usr/bin/time wc; do
    command -v "$tool" >/dev/null 2>&1 || { echo "report.sh: $tool is missing (Debian: python3, time, coreutils)" >&2; missing=1; }
done
[ "$missing" = 0 ] || exit 1

# The real interpreter, not a launcher: a pyenv shim would bill the peer for pyenv's start-up.
PYTHON=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')

TLM=${TLM:-$ROOT/.build/release/tlm}
if [ ! -x "$TLM" ]; then
    echo "building tlm (release, static)..." >&2
    (cd "$ROOT" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product tlm >&2)
    TLM="$(cd "$ROOT" && swift build -c release --show-bin-path)/tlm"
fi
[ -x "$TLM" ] || { echo "report.sh: no executable tlm at $TLM" >&2; exit 1; }
if ! "$TLM" report --help >/dev/null 2>&1; then
    echo "report.sh: $TLM has no 'report' subcommand ('$TLM report --help' failed)" >&2
    exit 1
fi

# The synthetic log is slow to make (Python): keep it between runs.
CACHE="${TMPDIR:-/tmp}/tlm-report-bench"
mkdir -p "$CACHE"
LOG="$CACHE/events-$EVENTS.jsonl"
if [ ! -s "$LOG" ] || [ "$(wc -l <"$LOG")" -ne "$EVENTS" ]; then
    echo "generating $EVENTS events in $LOG..." >&2
    "$PYTHON" "$GENERATOR" "$EVENTS" "$LOG.part"
    mv "$LOG.part" "$LOG"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-report-run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Never time a broken configuration: tlm must read every event of the file.
"$TLM" report --format json --file "$LOG" >"$TMP/report.json"
read_events=$("$PYTHON" -c 'import json, sys; t = json.load(open(sys.argv[1]))["totals"]; print(t["events"], t["malformed_lines"])' "$TMP/report.json")
if [ "$read_events" != "$EVENTS 0" ]; then
    echo "report.sh: FAILED: tlm read '$read_events' (events, malformed lines), expected '$EVENTS 0'" >&2
    exit 1
fi

# hyperfine -N splits each command line like a shell would; quote every word.
q() { printf '%q ' "$@"; }
TLM_CMD=$(q "$TLM" report --format json --file "$LOG")
PEER_CMD=$(q "$PYTHON" "$PEER_SCRIPT" "$LOG")
# Streaming (reduce over inputs), not `jq -s`, which holds every event in memory.
JQ_CMD=$(q jq -n -c 'reduce inputs as $e ({}; .[$e.target].runs += 1 | .[$e.target].seconds += $e.duration_seconds | if $e.exit_code != 0 then .[$e.target].failures += 1 else . end)' "$LOG")
WC_CMD=$(q wc -l "$LOG")

echo "hyperfine: $RUNS runs + $WARMUP warmup each (jq and the peer take seconds per run)..." >&2
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic --export-json "$TMP/times.json" \
    -n "tlm report" "$TLM_CMD" \
    -n "python peer" "$PEER_CMD" \
    -n "jq (streaming)" "$JQ_CMD" \
    -n "wc -l" "$WC_CMD" >&2

echo "peak memory (GNU time, one run each)..." >&2
tlm_rss=$(/usr/bin/time -f %M "$TLM" report --format json --file "$LOG" 2>&1 >/dev/null | tail -n 1)
peer_rss=$(/usr/bin/time -f %M "$PYTHON" "$PEER_SCRIPT" "$LOG" 2>&1 >/dev/null | tail -n 1)

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
size=$(stat -c %s "$LOG")

# bench/all.sh collects the measurements.
[ -n "${BENCH_JSON_DIR:-}" ] && cp "$TMP/times.json" "$BENCH_JSON_DIR/report-$EVENTS.json"

echo "## tlm report speed"
echo
echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r) ($(uname -m))"
echo "- log: $EVENTS events, $size bytes ($(( size / 1048576 )) MiB), from gen_events.py, in the page cache"
echo "- tlm: $TLM; $(hyperfine --version), $RUNS runs + $WARMUP warmup per command, no shell (-N)"
echo "- python peer: $PYTHON $("$PYTHON" -c 'import platform; print(platform.python_version())'); $(jq --version)"
echo
"$PYTHON" - "$TMP/times.json" "$tlm_rss" "$peer_rss" "$AIM_WC" "$AIM_PEER" "$AIM_RSS_MB" <<'PY'
import json, sys

path, tlm_rss, peer_rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
aim_wc, aim_peer, aim_rss = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
results = {r["command"]: r for r in json.load(open(path))["results"]}
tlm = results["tlm report"]["median"]

print("| command | median s | mean ± stddev s | × tlm (median) |")
print("|---|---:|---:|---:|")
for name, r in results.items():
    spread = f"{r['stddev']:.3f}" if r.get("stddev") is not None else "-"  # one run: no stddev
    print(f"| {name} | {r['median']:.3f} | {r['mean']:.3f} ± {spread} | {r['median'] / tlm:.2f}× |")
print()
print(f"Peak RSS: tlm report {tlm_rss / 1024:.1f} MB, python peer {peer_rss / 1024:.1f} MB.")
print()
wc_ratio = tlm / results["wc -l"]["median"]
peer_ratio = results["python peer"]["median"] / tlm
verdict = lambda ok: "MET" if ok else "NOT MET"
print(f"- tlm ≤ {aim_wc:g}× wc -l: {wc_ratio:.1f}×, {verdict(wc_ratio <= aim_wc)}")
print(f"- tlm ≥ {aim_peer:g}× faster than the peer: {peer_ratio:.1f}×, {verdict(peer_ratio >= aim_peer)}")
print(f"- peak RSS ≤ {aim_rss:g} MB: {tlm_rss / 1024:.1f} MB, {verdict(tlm_rss / 1024 <= aim_rss)}")
PY
