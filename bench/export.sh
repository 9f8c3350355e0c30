#!/usr/bin/env bash
# Export: does it cost `tlm run` anything, and how fast does it send?
#
#   bash bench/export.sh                 # 300 runs per command, 100,000 events exported
#   RUNS=50 EVENTS=20000 bash bench/export.sh
#   BASELINE=60b319e bash bench/export.sh    # the tlm to compare with (default: the last commit before export)
#
# 1. `tlm run -- /bin/true` (telemetry on) built from BASELINE and from this
#    tree, with export.auto on (an endpoint set, an export done less than
#    export.interval ago: the cost of the check), beside GNU time, in one
#    hyperfine invocation.
# 2. Start-up of the two halves: `tlm export json` and `tlm-export export json`
#    on an empty log (why the network half is a separate binary).
# 3. EVENTS events (bench/peers/gen_events.py) sent by `tlm export otlp` to
#    the test suite's OTLP receiver (which parses every body with
#    opentelemetry-proto), and written with `--output /dev/null` (tlm's own
#    cost): events per second.
# Fails (exit 1) rather than print figures when a set-up is broken.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-300}
EVENTS=${EVENTS:-100000}
BASELINE=${BASELINE:-60b319e}
GEN="$ROOT/bench/peers/gen_events.py"
RECEIVER="$ROOT/Tests/TLMIntegrationTests/Fixtures/otlp_receiver.py"
for tool in hyperfine python3 /usr/bin/time git; do
    command -v "$tool" >/dev/null 2>&1 || { echo "export.sh: $tool is missing (Debian: hyperfine, python3, time, git)" >&2; exit 1; }
done
python3 -c 'import opentelemetry.proto' 2>/dev/null || { echo "export.sh: pip install opentelemetry-proto" >&2; exit 1; }
[ -f "$GEN" ] || { echo "export.sh: $GEN not found" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-export-bench.XXXXXX")
RECEIVER_PID=
cleanup() {
    [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true
    git -C "$ROOT" worktree remove --force "$TMP/baseline" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

echo "building tlm and tlm-export (release)..." >&2
make -C "$ROOT" -s build >&2
TLM="$ROOT/.build/release/tlm"
EXPORT="$ROOT/.build/release/tlm-export"
echo "building the baseline tlm ($BASELINE)..." >&2
git -C "$ROOT" worktree add --detach "$TMP/baseline" "$BASELINE" >/dev/null 2>&1
(cd "$TMP/baseline" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product tlm \
    --scratch-path "$TMP/baseline-build" >&2)
BASE_TLM="$TMP/baseline-build/release/tlm"
[ -x "$BASE_TLM" ] || { echo "export.sh: no baseline binary" >&2; exit 1; }

unset DO_NOT_TRACK TLM_TELEMETRY OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
q() { printf '%q ' "$@"; }
mkhome() { local home="$TMP/$1"; TLM_HOME=$home "$TLM" on >/dev/null; echo "$home"; }
NOW_HOME=$(mkhome now); AUTO_HOME=$(mkhome auto)
TLM_HOME=$AUTO_HOME "$TLM" config set export.endpoint http://127.0.0.1:9 >/dev/null
TLM_HOME=$AUTO_HOME "$TLM" config set export.auto true >/dev/null
TLM_HOME=$AUTO_HOME "$TLM" config set export.interval 300d >/dev/null
: >"$AUTO_HOME/export.lock"   # an export just started: every run checks, none starts one

TIME_CMD=$(q /usr/bin/time -o /dev/null /bin/true)
hf() { hyperfine -N --warmup 20 --runs "$RUNS" --style basic "$@" >&2; }
echo "hyperfine 1/2: run overhead, before and after export ($RUNS runs)..." >&2
TLM_HOME=$NOW_HOME hf --export-json "$TMP/run.json" \
    -n "GNU time" "$TIME_CMD" \
    -n "tlm run, before export ($BASELINE)" "$(q "$BASE_TLM" run -- /bin/true)" \
    -n "tlm run, now" "$(q "$TLM" run -- /bin/true)"
echo "hyperfine 2/2: with export.auto on..." >&2
TLM_HOME=$AUTO_HOME hf --export-json "$TMP/auto.json" \
    -n "GNU time" "$TIME_CMD" \
    -n "tlm run, now, export.auto on (not due)" "$(q "$TLM" run -- /bin/true)"
for name in now auto; do
    events=$(wc -l <"$TMP/$name/usage.jsonl")
    [ "$events" -ge "$RUNS" ] || { echo "export.sh: FAILED: $name recorded $events events" >&2; exit 1; }
done
[ "$(wc -l <"$NOW_HOME/usage.jsonl")" -ge $((2 * RUNS)) ] || { echo "export.sh: FAILED: too few events" >&2; exit 1; }

EMPTY=$TMP/empty
echo "hyperfine: start-up of the two halves..." >&2
hyperfine -N --warmup 10 --runs 100 --style basic --export-json "$TMP/start.json" \
    -n "tlm export json (empty log)" "$(q env TLM_HOME="$EMPTY" "$TLM" export json)" \
    -n "tlm-export export json (empty log)" "$(q env TLM_HOME="$EMPTY" "$EXPORT" export json)" >&2

echo "generating $EVENTS events..." >&2
SEND_HOME=$TMP/send
mkdir -m 700 "$SEND_HOME"
python3 "$GEN" "$EVENTS" "$SEND_HOME/usage.jsonl"
python3 "$RECEIVER" --record "$TMP/spans.jsonl" --requests "$TMP/requests.jsonl" >"$TMP/port" &
RECEIVER_PID=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$TMP/port")
[ -n "$PORT" ] || { echo "export.sh: the receiver did not start" >&2; exit 1; }
start=$(date +%s.%N)
TLM_HOME=$SEND_HOME "$TLM" export otlp --endpoint "http://127.0.0.1:$PORT" --quiet
end=$(date +%s.%N)
spans=$(wc -l <"$TMP/spans.jsonl")
[ "$spans" -eq "$EVENTS" ] || { echo "export.sh: FAILED: the receiver got $spans spans, not $EVENTS" >&2; exit 1; }
rm "$SEND_HOME/export.cursor"
ostart=$(date +%s.%N)
TLM_HOME=$SEND_HOME "$TLM" export otlp --output /dev/null --quiet
oend=$(date +%s.%N)

# bench/all.sh collects the measurements.
if [ -n "${BENCH_JSON_DIR:-}" ]; then
    cp "$TMP/run.json" "$BENCH_JSON_DIR/export-run.json"
    python3 -c 'import json, sys; json.dump({"events": int(sys.argv[1]), "send_seconds": float(sys.argv[3]) - float(sys.argv[2]), "output_seconds": float(sys.argv[5]) - float(sys.argv[4])}, open(sys.argv[6], "w"))' \
        "$EVENTS" "$start" "$end" "$ostart" "$oend" "$BENCH_JSON_DIR/export-throughput.json"
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
echo "## Export"
echo
echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r)"
echo "- tlm $(stat -c %s "$TLM") bytes, tlm-export $(stat -c %s "$EXPORT") bytes; baseline $BASELINE"
echo "- $(hyperfine --version), $RUNS runs + 20 warmups per command, no shell (-N), telemetry on"
echo
python3 - "$TMP/run.json" "$TMP/start.json" "$EVENTS" "$start" "$end" "$ostart" "$oend" "$TMP/auto.json" <<'EOF'
import json, sys
run = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
start = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
auto = {r["command"]: r for r in json.load(open(sys.argv[8]))["results"]}
events = int(sys.argv[3])
send = float(sys.argv[5]) - float(sys.argv[4])
write = float(sys.argv[7]) - float(sys.argv[6])
print("| command | median ms | × GNU time (same invocation) |")
print("|---|---:|---:|")
for label, results in (("1", run), ("2", auto)):
    anchor = results["GNU time"]["median"]
    for name, r in results.items():
        shown = f"{name} [{label}]" if name == "GNU time" else name
        print(f"| {shown} | {r['median'] * 1000:.3f} | {r['median'] / anchor:.2f}× |")
print()
base = [r for n, r in run.items() if n.startswith("tlm run, before")][0]["median"]
print(f"tlm run now / before export (same invocation): {run['tlm run, now']['median'] / base:.2f}×.")
print()
print("| start-up | median ms |")
print("|---|---:|")
for name, r in start.items():
    print(f"| {name} | {r['median'] * 1000:.3f} |")
print()
print(f"| {events:,} events | seconds | events/s |")
print("|---|---:|---:|")
print(f"| tlm export otlp → local receiver (parses each body with opentelemetry-proto) | {send:.2f} | {events / send:,.0f} |")
print(f"| tlm export otlp --output /dev/null (tlm's own cost) | {write:.2f} | {events / write:,.0f} |")
EOF
