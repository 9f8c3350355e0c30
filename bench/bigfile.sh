#!/usr/bin/env bash
# A 2 GB log: tlm report, export json, export otlp --output and export
# prometheus stream through it in bounded memory, and count every event.
#
#   bash bench/bigfile.sh              # 2 GiB (needs 2 GiB free in TMPDIR)
#   SIZE_MB=200 bash bench/bigfile.sh
#   TLM_BIN=/usr/local/bin/tlm bash bench/bigfile.sh
#
# Fails (exit 1) when a count is off or a peak RSS passes 64 MB.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE_MB=${SIZE_MB:-2048}
if [ -n "${TLM_BIN:-}" ]; then TLM=$TLM_BIN; else make -C "$ROOT" -s build-tlm >&2; TLM=$ROOT/.build/release/tlm; fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-bigfile.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TLM_HOME=$TMP/home
mkdir -m 700 "$TLM_HOME"
line='{"timestamp":"2026-02-14T10:30:00.000+00:00","target":"apply","domain":"web","duration_seconds":45.012,"exit_code":0,"command":"make","signal":null,"cpu_user_seconds":12.300,"cpu_system_seconds":1.100,"max_rss_kb":81234,"timed_out":false,"attempts":1,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","parent_span_id":null,"ci":null}'
length=$(( ${#line} + 1 ))
events=$(( SIZE_MB * 1048576 / length ))
echo "writing $events events ($SIZE_MB MiB)..." >&2
{ yes "$line" || true; } | head -n "$events" >"$TLM_HOME/usage.jsonl"
chmod 600 "$TLM_HOME/usage.jsonl"

measure() { # NAME, then the command; prints "NAME seconds rss_kb"
    local name=$1
    shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$TMP/rss" "$@" >"$TMP/out" 2>"$TMP/err" || { echo "bigfile.sh: $name failed: $(cat "$TMP/err")" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$name $(python3 -c "print(f'{$end - $start:.2f}')") $(tail -1 "$TMP/rss")"
}
results=()
results+=("$(measure report "$TLM" report --format json)")
counted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["events"])' "$TMP/out")
results+=("$(measure "export json" sh -c "\"$TLM\" export json | wc -l > $TMP/json-count")")
json_count=$(cat "$TMP/json-count")
results+=("$(measure "export otlp --output" "$TLM" export otlp --output /dev/null)")
exported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exported"])' "$TLM_HOME/export.cursor")
results+=("$(measure "export prometheus" "$TLM" export prometheus --textfile "$TMP/tlm.prom")")
prom=$(sed -n 's/^tlm_runs_total{.*} \([0-9]*\)$/\1/p' "$TMP/tlm.prom")
for count in "$counted" "$json_count" "$exported" "$prom"; do
    [ "$count" -eq "$events" ] || { echo "bigfile.sh: FAILED: counted $count events, wrote $events" >&2; exit 1; }
done

echo "## A ${SIZE_MB} MiB log ($events events)"
echo
echo "| command | seconds | peak RSS (MB) | events counted |"
echo "|---|---:|---:|---:|"
status=0
for row in "${results[@]}"; do
    name=${row% * *}; rest=${row#"$name "}; seconds=${rest% *}; rss=${rest#* }
    echo "| tlm $name | $seconds | $(( rss / 1024 )) | $events |"
    [ "$rss" -le 65536 ] || status=1
done
# The "export json" row measures the shell and wc too; tlm's share is the largest of them.
[ $status -eq 0 ] || { echo "bigfile.sh: FAILED: a peak RSS passed 64 MB" >&2; exit 1; }
