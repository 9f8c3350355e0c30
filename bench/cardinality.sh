#!/usr/bin/env bash
# Measures `tlm report` on a hostile log: 128 MiB, 200,000 distinct targets, all
# within the last 14 days (so every target also lands in "what changed").
# Runs the report in text, json, csv and html and prints, side by side, peak
# RSS (GNU time) and output size.
#
#   bash bench/cardinality.sh                  # 200,000 targets, 128 MiB
#   TARGETS=50000 MIB=32 bash bench/cardinality.sh
#   TLM=/path/to/tlm bash bench/cardinality.sh # this binary (default .build/release/tlm, built if missing)
#
# Aim (issue 14): peak RSS ≤ 128 MB in every format; outputs bounded by --top.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AIM_RSS_MB=128
TARGETS=${TARGETS:-200000}
MIB=${MIB:-128}
for arg in "$@"; do
    case "$arg" in
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "cardinality.sh: unknown argument '$arg'" >&2; exit 64 ;;
    esac
done
for value in "$TARGETS" "$MIB"; do
    case "$value" in ''|*[!0-9]*|0) echo "cardinality.sh: TARGETS and MIB must be positive integers, not '$value'" >&2; exit 64 ;; esac
done
for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "cardinality.sh: $tool is missing (Debian: python3, time)" >&2; exit 1; }
done

TLM=${TLM:-$ROOT/.build/release/tlm}
if [ ! -x "$TLM" ]; then
    echo "building tlm (release, static)..." >&2
    (cd "$ROOT" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product tlm >&2)
    TLM="$(cd "$ROOT" && swift build -c release --show-bin-path)/tlm"
fi
[ -x "$TLM" ] || { echo "cardinality.sh: no executable tlm at $TLM" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-cardinality.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LOG="$TMP/usage.jsonl"

# Seeded and laid out as tlm writes its lines; the timestamps end an hour ago,
# so the file is regenerated on every run rather than cached.
echo "generating $MIB MiB with $TARGETS targets in $LOG..." >&2
python3 - "$LOG" "$TARGETS" "$MIB" <<'PY'
import random, sys, time
path, targets, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(14)
limit = mib << 20
end = int(time.time()) - 3600
span = 14 * 86400
written = 0
i = 0
with open(path, "w") as f:
    while written < limit:
        t = end - span + (i * 7919) % span
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03d+00:00" % (i % 1000)
        n = i % targets
        target = "target-%06d-%s" % (n, "x" * (n % 17))
        line = ('{"timestamp":"%s","target":"%s","domain":"d%d","duration_seconds":%.3f,"exit_code":%d,'
                '"command":"make","signal":null,"cpu_user_seconds":0.01,"cpu_system_seconds":0.0,'
                '"max_rss_kb":1024,"timed_out":null,"attempts":null,"trace_id":null,"span_id":null,'
                '"parent_span_id":null,"ci":null}\n') % (
            stamp, target, i % 7, rng.lognormvariate(1.5, 1.0), 0 if rng.random() < 0.9 else 2)
        f.write(line)
        written += len(line)
        i += 1
print(i, "events,", min(i, targets), "targets", file=sys.stderr)
PY
size=$(stat -c %s "$LOG")
lines=$(wc -l <"$LOG")

printf '## tlm report on %s distinct targets\n\n' "$TARGETS"
echo "- machine: $(nproc) CPUs, Linux $(uname -r) ($(uname -m))"
echo "- log: $lines events, $size bytes ($(( size / 1048576 )) MiB), $TARGETS targets, all in the last 14 days"
echo "- tlm: $TLM (default --top)"
echo
echo "| format | peak RSS MB | output bytes | exit |"
echo "|---|---:|---:|---:|"
worst=0
for format in text json csv html; do
    status=0
    rm -f "$TMP/out"
    if [ "$format" = html ]; then
        /usr/bin/time -f %M -o "$TMP/rss" "$TLM" report --html "$TMP/out" --file "$LOG" >/dev/null 2>"$TMP/err" || status=$?
    else
        /usr/bin/time -f %M -o "$TMP/rss" "$TLM" report --format "$format" --file "$LOG" >"$TMP/out" 2>"$TMP/err" || status=$?
    fi
    rss=$(tail -n 1 "$TMP/rss")
    case "$rss" in ''|*[!0-9]*) rss=0 ;; esac
    [ "$rss" -gt "$worst" ] && worst=$rss
    printf '| %s | %s | %s | %s |\n' "$format" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$(stat -c %s "$TMP/out" 2>/dev/null || echo 0)" "$status"
    if [ "$status" != 0 ]; then
        echo "cardinality.sh: FAILED: tlm report --format $format exited $status" >&2
        cat "$TMP/err" >&2
        exit 1
    fi
done
echo
verdict=$(awk -v k="$worst" -v aim="$AIM_RSS_MB" 'BEGIN { print (k / 1024 <= aim ? "MET" : "NOT MET") }')
echo "- peak RSS ≤ $AIM_RSS_MB MB in every format: $(awk -v k="$worst" 'BEGIN { printf "%.1f", k / 1024 }') MB, $verdict"
