#!/usr/bin/env bash
# Load and soak: many tlm at once, and many in a row.
#
#   bash bench/soak.sh                       # 64 writers, 20,000 runs; then 10,000 in a row
#   PARALLEL=16 TOTAL=2000 SEQUENTIAL=1000 bash bench/soak.sh
#   TLM_BIN=/usr/local/bin/tlm bash bench/soak.sh
#
# 1. PARALLEL tlm at a time run TOTAL recorded `/bin/true`s with rotation every
#    256 KiB: the log and its rotated files must hold exactly TOTAL valid events,
#    no two with the same span id, no malformed line.
# 2. SEQUENTIAL runs one after the other: tlm's own open descriptors (seen from
#    the command: /proc/$PPID/fd) and peak memory (GNU time) at the first and
#    the last run, and the run overhead (hyperfine) on the empty log and on the
#    full one. Fails (exit 1) when a count is off or a descriptor count grows.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARALLEL=${PARALLEL:-64}
TOTAL=${TOTAL:-20000}
SEQUENTIAL=${SEQUENTIAL:-10000}
for tool in hyperfine /usr/bin/time python3 xargs; do
    command -v "$tool" >/dev/null 2>&1 || { echo "soak.sh: $tool is missing" >&2; exit 1; }
done
if [ -n "${TLM_BIN:-}" ]; then TLM=$TLM_BIN; else make -C "$ROOT" -s build-tlm >&2; TLM=$ROOT/.build/release/tlm; fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-soak.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset DO_NOT_TRACK TLM_TELEMETRY PYTEST_CURRENT_TEST TEST_MODE TRACEPARENT

# 1. Concurrent.
export TLM_HOME=$TMP/parallel
"$TLM" on >/dev/null
"$TLM" config set max_log_bytes 262144 >/dev/null
"$TLM" config set keep_rotated 1000 >/dev/null
echo "1/2: $TOTAL runs, $PARALLEL at a time, rotation every 256 KiB..." >&2
start=$(date +%s.%N)
seq "$TOTAL" | xargs -P "$PARALLEL" -I{} "$TLM" run --target soak -- /bin/true
end=$(date +%s.%N)
read -r events distinct malformed files < <(python3 - "$TLM_HOME" <<'PY'
import json, os, sys
home = sys.argv[1]
names = [n for n in os.listdir(home) if n.startswith("usage.jsonl") and not n.endswith(".lock")]
events, spans, bad = 0, set(), 0
for name in names:
    for line in open(os.path.join(home, name), "rb"):
        try:
            event = json.loads(line)
            events += 1
            spans.add(event["span_id"])
        except Exception:
            bad += 1
print(events, len(spans), bad, len(names))
PY
)
report_events=$("$TLM" report --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["events"])')
if [ "$events" -ne "$TOTAL" ] || [ "$distinct" -ne "$TOTAL" ] || [ "$malformed" -ne 0 ] || [ "$report_events" -ne "$TOTAL" ]; then
    echo "soak.sh: FAILED: $events events, $distinct distinct, $malformed malformed, report $report_events (expected $TOTAL)" >&2
    exit 1
fi

# 2. Sequential.
export TLM_HOME=$TMP/sequential
"$TLM" on >/dev/null
probe() { # tlm's descriptors as its command sees them, and tlm's peak memory
    local fds rss
    fds=$("$TLM" run --target probe -- sh -c 'ls /proc/$PPID/fd | wc -l')
    rss=$(/usr/bin/time -f %M "$TLM" run --target probe -- /bin/true 2>&1 >/dev/null | tail -1)
    echo "$fds $rss"
}
read -r fds_first rss_first < <(probe)
echo "2/2: hyperfine on the empty log, $SEQUENTIAL runs in a row, hyperfine again..." >&2
hyperfine -N --warmup 10 --runs 200 --style none --export-json "$TMP/first.json" -n first "$TLM run -- /bin/true" >&2
for _ in $(seq "$SEQUENTIAL"); do "$TLM" run --target soak -- /bin/true; done
read -r fds_last rss_last < <(probe)
hyperfine -N --warmup 10 --runs 200 --style none --export-json "$TMP/last.json" -n last "$TLM run -- /bin/true" >&2
recorded=$(cat "$TLM_HOME"/usage.jsonl* 2>/dev/null | grep -c '"target":"soak"' || true)
[ "$recorded" -eq "$SEQUENTIAL" ] || { echo "soak.sh: FAILED: $recorded of $SEQUENTIAL sequential runs recorded" >&2; exit 1; }
[ "$fds_last" -le "$fds_first" ] || { echo "soak.sh: FAILED: descriptors grew from $fds_first to $fds_last" >&2; exit 1; }

echo "## Load and soak"
echo
echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1), Linux $(uname -r)"
echo
python3 - "$TOTAL" "$PARALLEL" "$start" "$end" "$events" "$distinct" "$malformed" "$files" \
    "$SEQUENTIAL" "$fds_first" "$fds_last" "$rss_first" "$rss_last" "$TMP/first.json" "$TMP/last.json" <<'PY'
import json, sys
(total, parallel, start, end, events, distinct, malformed, files, sequential,
 fds_first, fds_last, rss_first, rss_last, first, last) = sys.argv[1:]
seconds = float(end) - float(start)
print(f"| {total} runs, {parallel} at a time, rotation every 256 KiB | |")
print("|---|---:|")
print(f"| wall time | {seconds:.1f} s ({int(total) / seconds:,.0f} runs/s) |")
print(f"| valid events / distinct span ids / malformed lines | {events} / {distinct} / {malformed} |")
print(f"| log files (after rotation) | {files} |")
print()
f = json.load(open(first))["results"][0]["median"]
l = json.load(open(last))["results"][0]["median"]
print(f"| {sequential} runs in a row | first | last | last / first |")
print("|---|---:|---:|---:|")
print(f"| tlm's open descriptors (seen by the command) | {fds_first} | {fds_last} | |")
print(f"| tlm's peak memory (KB, GNU time) | {rss_first} | {rss_last} | {int(rss_last) / int(rss_first):.2f}× |")
print(f"| `tlm run -- /bin/true` median (ms) | {f * 1000:.3f} | {l * 1000:.3f} | {l / f:.2f}× |")
PY
