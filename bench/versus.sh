#!/usr/bin/env bash
# Two builds of tlm side by side, for a change that must not move the figures
# (a refactor): every row times both builds in the same hyperfine invocation
# (or interleaved, for run), so a drifting machine bills both alike.
#
#   bash bench/versus.sh OLD_DIR [NEW_DIR]   # each folder holds tlm and tlm-export
#   EVENTS=200000 RUNS=5 bash bench/versus.sh /tmp/before
#
# NEW_DIR defaults to .build/release (`make build`). For an older commit:
#   git worktree add /tmp/old REV && make -C /tmp/old build   # then OLD_DIR=/tmp/old/.build/release
#
# Rows: run's overhead against GNU time (bench/compare.sh, interleaved); report
# on EVENTS events (text and JSON); report's peak memory on those events and on
# TARGETS distinct targets; export json and export otlp --output /dev/null
# (events per second); status. Fails rather than print figures for a broken set-up.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 64; }
OLD=$1
NEW=${2:-$ROOT/.build/release}
EVENTS=${EVENTS:-1000000}
TARGETS=${TARGETS:-200000}
RUNS=${RUNS:-10}
RUN_RUNS=${RUN_RUNS:-2000}
for dir in "$OLD" "$NEW"; do
    for bin in tlm tlm-export; do
        [ -x "$dir/$bin" ] || { echo "versus.sh: no executable $bin in $dir" >&2; exit 1; }
    done
    case "$dir" in *' '*) echo "versus.sh: a path with a space cannot be timed: $dir" >&2; exit 64 ;; esac
done
for tool in hyperfine python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "versus.sh: $tool is missing (Debian: hyperfine, python3, time)" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-versus.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset DO_NOT_TRACK TLM_TELEMETRY TLM_DEBUG

# Seeded synthetic logs laid out as tlm writes its lines, ending an hour ago.
generate() { # PATH EVENTS TARGETS
    python3 - "$@" <<'PY'
import random, sys, time
path, events, targets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(16)
end = int(time.time()) - 3600
span = 30 * 86400
with open(path, "w") as f:
    for i in range(events):
        t = end - span + (i * 7919) % span
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03d+00:00" % (i % 1000)
        f.write('{"timestamp":"%s","target":"t%d","domain":"d%d","duration_seconds":%.3f,"exit_code":%d,'
                '"command":"make","signal":null,"cpu_user_seconds":0.01,"cpu_system_seconds":0.0,'
                '"max_rss_kb":1024,"timed_out":null,"attempts":null,"trace_id":null,"span_id":null,'
                '"parent_span_id":null,"ci":null}\n' % (stamp, i % targets, i % 7,
                rng.lognormvariate(1.5, 1.0), 0 if rng.random() < 0.9 else 2))
PY
}
mkdir -m 700 "$TMP/big" "$TMP/wide"
echo "generating $EVENTS events (200 targets) and $TARGETS distinct targets..." >&2
generate "$TMP/big/usage.jsonl" "$EVENTS" 200
generate "$TMP/wide/usage.jsonl" "$TARGETS" "$TARGETS"

rows=()
row() { rows+=("| $1 | $2 | $3 | $(python3 -c 'import sys; print("%.2f×" % (float(sys.argv[2]) / float(sys.argv[1])))' "$4" "$5") |"); }
# hyperfine medians of the old and the new command, in seconds: "OLD NEW".
medians() { # NAME, then hyperfine arguments after the two commands' names
    local name=$1
    shift
    hyperfine -N --warmup 1 --runs "$RUNS" --style basic --export-json "$TMP/$name.json" "$@" >&2
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"]; print(r[0]["median"], r[1]["median"])' "$TMP/$name.json"
}
ms() { python3 -c 'import sys; print("%.2f ms" % (float(sys.argv[1]) * 1000))' "$1"; }
rate() { python3 -c 'import sys; print("{:,.0f} events/s".format(int(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
peak() { # BIN ARGS…: peak RSS in MB
    /usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null
    echo $(($(cat "$TMP/rss") / 1024))
}

echo "run overhead (bench/compare.sh, $RUN_RUNS runs each)..." >&2
RUNS=$RUN_RUNS bash "$ROOT/bench/compare.sh" "$OLD/tlm" "$NEW/tlm" >"$TMP/compare.md"
read -r gnu old new < <(python3 - "$TMP/compare.md" <<'PY'
import re, sys
medians = [float(m) for m in re.findall(r"^\| `[^`]*` \| ([0-9.]+) \|", open(sys.argv[1]).read(), re.M)]
print(*medians[:3])
PY
)
[ -n "${new:-}" ] || { echo "versus.sh: FAILED: could not read compare.sh's table" >&2; cat "$TMP/compare.md" >&2; exit 1; }
rows+=("| \`tlm run -- /bin/true\`, telemetry on (GNU time: $gnu ms) | $old ms | $new ms | $(python3 -c 'import sys; print("%.2f×" % (float(sys.argv[2]) / float(sys.argv[1])))' "$old" "$new") |")

for format in text json; do
    echo "report --format $format on $EVENTS events..." >&2
    read -r a b < <(medians "report-$format" \
        -n old "env TLM_HOME=$TMP/big $OLD/tlm report --format $format" \
        -n new "env TLM_HOME=$TMP/big $NEW/tlm report --format $format")
    row "\`tlm report --format $format\`, $EVENTS events" "$(ms "$a")" "$(ms "$b")" "$a" "$b"
done
a=$(TLM_HOME=$TMP/big peak "$OLD/tlm" report)
b=$(TLM_HOME=$TMP/big peak "$NEW/tlm" report)
row "\`tlm report\` peak RSS, $EVENTS events" "$a MB" "$b MB" "$a" "$b"
a=$(TLM_HOME=$TMP/wide peak "$OLD/tlm" report)
b=$(TLM_HOME=$TMP/wide peak "$NEW/tlm" report)
row "\`tlm report\` peak RSS, $TARGETS distinct targets" "$a MB" "$b MB" "$a" "$b"

echo "export json on $EVENTS events..." >&2
read -r a b < <(medians export-json \
    -n old "env TLM_HOME=$TMP/big $OLD/tlm export json" \
    -n new "env TLM_HOME=$TMP/big $NEW/tlm export json")
row "\`tlm export json\`, $EVENTS events" "$(rate "$EVENTS" "$a")" "$(rate "$EVENTS" "$b")" "$b" "$a"
echo "export otlp --output /dev/null on $EVENTS events..." >&2
read -r a b < <(medians export-otlp --prepare "rm -f $TMP/big/export.cursor" \
    -n old "env TLM_HOME=$TMP/big $OLD/tlm-export export otlp --output /dev/null --quiet" \
    -n new "env TLM_HOME=$TMP/big $NEW/tlm-export export otlp --output /dev/null --quiet")
row "\`tlm export otlp --output /dev/null\`, $EVENTS events" "$(rate "$EVENTS" "$a")" "$(rate "$EVENTS" "$b")" "$b" "$a"
read -r a b < <(medians status \
    -n old "env TLM_HOME=$TMP/big $OLD/tlm status" \
    -n new "env TLM_HOME=$TMP/big $NEW/tlm status")
row "\`tlm status\`, $EVENTS events" "$(ms "$a")" "$(ms "$b")" "$a" "$b"

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
echo "## Two builds side by side (bench/versus.sh)"
echo
echo "Measured on $(date -u +%Y-%m-%d): $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r); old: $OLD, new: $NEW."
echo "Times are medians (run: $RUN_RUNS interleaved runs; the rest: hyperfine, $RUNS runs). The last column is new"
echo "over old: below 1× a time or memory is smaller, above 1× a rate is higher."
echo
echo "| measurement | old | new | new/old |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
