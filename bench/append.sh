#!/usr/bin/env bash
# Concurrent appends: WRITERS processes each run and record EVENTS commands at once, with
# rotation active (a 64 KiB threshold, so it rotates hundreds of times) and
# without (the default 16 MiB), beside the Python peer wrapper appending the
# same number of lines. Reports events per second (medians over hyperfine runs)
# and checks, after each, that every event is there exactly once.
#
#   bash bench/append.sh                      # 8 writers x 250 events, 3 runs each
#   WRITERS=32 EVENTS=200 bash bench/append.sh
#   TLM_BIN=/usr/local/bin/tlm bash bench/append.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WRITERS=${WRITERS:-8}
EVENTS=${EVENTS:-250}
RUNS=${RUNS:-3}
for value in "$WRITERS" "$EVENTS" "$RUNS"; do
    case "$value" in '' | *[!0-9]* | 0) echo "append.sh: WRITERS, EVENTS and RUNS must be positive integers" >&2; exit 64 ;; esac
done
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "append.sh: $tool is missing (Debian: hyperfine, python3)" >&2; exit 1; }
done
PEER=$ROOT/bench/peers/peer_wrapper.py
if [ -n "${TLM_BIN:-}" ]; then
    TLM=$TLM_BIN
else
    echo "building tlm (release, static)..." >&2
    (cd "$ROOT" && make -s build >&2)
    TLM=$ROOT/.build/release/tlm
fi
PYTHON=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-append.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# One writer: EVENTS runs of /bin/true, each recorded by its own process, as
# the steps of a parallel build are (the peer does the same, from Python).
cat >"$TMP/tlm-writer.sh" <<'SH'
i=0
while [ $i -lt "$EVENTS" ]; do "$TLM" run --target "w$1e$i" -- /bin/true || exit 1; i=$((i + 1)); done
SH
cat >"$TMP/peer-writer.sh" <<'SH'
i=0
while [ $i -lt "$EVENTS" ]; do "$PYTHON" "$PEER" /bin/true || exit 1; i=$((i + 1)); done
SH
cat >"$TMP/all.sh" <<'SH'
w=0
while [ $w -lt "$WRITERS" ]; do sh "$1" "$w" & w=$((w + 1)); done
wait
SH
export TLM PYTHON PEER EVENTS WRITERS TLM_TELEMETRY=1 PEER_HOME="$TMP/peer"
q() { printf '%q ' "$@"; }

echo "hyperfine: $WRITERS writers x $EVENTS events, $RUNS runs each..." >&2
hyperfine -N --runs "$RUNS" --style basic --export-json "$TMP/times.json" \
    --prepare "rm -rf $TMP/rot" --prepare "rm -rf $TMP/big" --prepare "rm -rf $TMP/peer" \
    -n "tlm, rotation every 64 KiB" "$(q env TLM_HOME="$TMP/rot" TLM_MAX_LOG_BYTES=65536 TLM_KEEP_ROTATED=1000 sh "$TMP/all.sh" "$TMP/tlm-writer.sh")" \
    -n "tlm, no rotation" "$(q env TLM_HOME="$TMP/big" sh "$TMP/all.sh" "$TMP/tlm-writer.sh")" \
    -n "python peer" "$(q sh -c "mkdir -p $TMP/peer && touch $TMP/peer/enabled && exec sh $TMP/all.sh $TMP/peer-writer.sh")" >&2

# Never report figures for a broken run: every event exactly once.
expected=$((WRITERS * EVENTS))
for home in rot big; do
    count=$(cat "$TMP/$home"/usage.jsonl* 2>/dev/null | "$PYTHON" -c '
import json, sys
targets = [json.loads(line)["target"] for line in sys.stdin if line.strip()]
print(len(targets) if len(set(targets)) == len(targets) else -1)')
    [ "$count" = "$expected" ] || { echo "append.sh: FAILED: $home holds $count distinct events, expected $expected" >&2; exit 1; }
done
files=$(ls "$TMP/rot" | grep -c '^usage.jsonl')

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
# bench/all.sh collects the measurements.
[ -n "${BENCH_JSON_DIR:-}" ] && printf '{"writers": %s, "events": %s}\n' "$WRITERS" "$EVENTS" >"$BENCH_JSON_DIR/append-size.json" && cp "$TMP/times.json" "$BENCH_JSON_DIR/append.json"

echo "## Concurrent appends"
echo
echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r) ($(uname -m))"
echo "- $WRITERS writers x $EVENTS events, each a process; $(hyperfine --version), $RUNS runs; the rotated home ended with $files log files, every event exactly once"
echo
"$PYTHON" - "$TMP/times.json" "$expected" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
events = int(sys.argv[2])
base = next(r for r in results if r["command"] == "tlm, no rotation")["median"]
print("| writers | median s | events/s | × tlm without rotation |")
print("|---|---:|---:|---:|")
for r in results:
    print(f"| {r['command']} | {r['median']:.2f} | {events / r['median']:.0f} | {r['median'] / base:.2f}× |")
PY
