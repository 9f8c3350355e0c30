#!/usr/bin/env bash
# What tlm run's supervisor options cost, side by side with GNU coreutils'
# `timeout` and GNU `time`, with hyperfine (no shell, telemetry on):
#
#   - the start-up path: `tlm run` plain, with --timeout (subreaper, timed wait),
#     with --retries (no retry needed), with --logbook, with --no-trace-context;
#     `timeout 1h /bin/true` and `time /bin/true` for reference;
#   - how fast a timeout ends a command: `--timeout 0.2 -- sleep 10` against
#     `timeout 0.2 sleep 10` (the floor is 0.2 s).
#
#   bash bench/supervisor.sh              # 200 runs + 20 warmups (timeouts: 10 runs)
#   RUNS=50 bash bench/supervisor.sh
#   TLM_BIN=/path/to/tlm bash bench/supervisor.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-200}
WARMUP=${WARMUP:-20}
case "$RUNS" in '' | *[!0-9]* | 0) echo "supervisor.sh: RUNS must be a positive integer" >&2; exit 64 ;; esac
for tool in hyperfine /usr/bin/time timeout python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "supervisor.sh: $tool is missing (Debian: hyperfine, time, coreutils, python3)" >&2; exit 1; }
done
if [ -n "${TLM_BIN:-}" ]; then
    TLM=$TLM_BIN
else
    echo "building tlm (release, static)..." >&2
    (cd "$ROOT" && make -s build >&2)
    TLM=$ROOT/.build/release/tlm
fi
[ -x "$TLM" ] || { echo "supervisor.sh: no executable tlm at $TLM" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-supervisor.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset DO_NOT_TRACK TLM_TELEMETRY TRACEPARENT
export TLM_HOME=$TMP/home
"$TLM" on >/dev/null

q() { printf '%q ' "$@"; }
hf() { hyperfine -N --style basic "$@" >&2; }

echo "hyperfine 1/2: start-up paths ($RUNS runs, $WARMUP warmups each)..." >&2
hf --warmup "$WARMUP" --runs "$RUNS" --export-json "$TMP/start.json" \
    -n "GNU time" "$(q /usr/bin/time -a -o "$TMP/time.log" /bin/true)" \
    -n "GNU timeout 1h" "$(q timeout 1h /bin/true)" \
    -n "tlm run" "$(q "$TLM" run -- /bin/true)" \
    -n "tlm run --timeout 1h" "$(q "$TLM" run --timeout 1h -- /bin/true)" \
    -n "tlm run --retries 3" "$(q "$TLM" run --retries 3 -- /bin/true)" \
    -n "tlm run --logbook" "$(q "$TLM" run --logbook "$TMP/logbook.json" -- /bin/true)" \
    -n "tlm run --no-trace-context" "$(q "$TLM" run --no-trace-context -- /bin/true)"

echo "hyperfine 2/2: ending a command at its time limit (10 runs each)..." >&2
hf --warmup 1 --runs 10 -i --export-json "$TMP/timeout.json" \
    -n "GNU timeout 0.2 sleep 10" "$(q timeout 0.2 sleep 10)" \
    -n "tlm run --timeout 0.2 -- sleep 10" "$(q "$TLM" run --timeout 0.2 -- sleep 10)"

# Never report numbers for a broken configuration.
events=$(wc -l <"$TLM_HOME/usage.jsonl")
[ "$events" -ge "$RUNS" ] || { echo "supervisor.sh: FAILED: only $events events recorded" >&2; exit 1; }
python3 -c 'import json, sys; json.load(open(sys.argv[1]))["summary"]' "$TMP/logbook.json" \
    || { echo "supervisor.sh: FAILED: no valid logbook written" >&2; exit 1; }
status=0
"$TLM" run --timeout 0.2 -- sleep 10 || status=$?
[ "$status" -eq 124 ] || { echo "supervisor.sh: FAILED: a timeout exited $status, not 124" >&2; exit 1; }

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
# bench/all.sh collects the measurements.
if [ -n "${BENCH_JSON_DIR:-}" ]; then cp "$TMP/start.json" "$BENCH_JSON_DIR/supervisor-start.json"; cp "$TMP/timeout.json" "$BENCH_JSON_DIR/supervisor-timeout.json"; fi

echo "## tlm run as a supervisor"
echo
echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r) ($(uname -m))"
echo "- tlm: $TLM; $(hyperfine --version), no shell (-N); telemetry on ($events events written)"
echo
python3 - "$TMP/start.json" "$TMP/timeout.json" <<'PY'
import json, sys
start = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ends = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
anchor = start["GNU time"]["median"]
print("| command (/bin/true) | median ms | mean ± stddev ms | × GNU time |")
print("|---|---:|---:|---:|")
for name, r in start.items():
    print(f"| {name} | {r['median']*1e3:.3f} | {r['mean']*1e3:.3f} ± {r['stddev']*1e3:.3f} | {r['median']/anchor:.2f}× |")
print()
gnu = ends["GNU timeout 0.2 sleep 10"]["median"]
print("| ending `sleep 10` at 0.2 s | median s | × GNU timeout |")
print("|---|---:|---:|")
for name, r in ends.items():
    print(f"| {name} | {r['median']:.3f} | {r['median']/gnu:.2f}× |")
PY
