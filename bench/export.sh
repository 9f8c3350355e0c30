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
# 4. The same EVENTS events in each of OTLP's encodings, side by side: JSON,
#    protobuf, JSON + gzip, protobuf + gzip (--protocol, --compression): bytes
#    per event on the wire, and requests and events per second, sent to a tiny
#    sink (Python, raw sockets: it reads each body and answers 200 with no
#    body, parsing nothing, so that it costs little beside tlm; the
#    receiver's parse is what section 3 times). Best of SENDS runs (default 3).
# Fails (exit 1) rather than print figures when a set-up is broken.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-300}
EVENTS=${EVENTS:-100000}
BASELINE=${BASELINE:-60b319e}
SENDS=${SENDS:-3}
GEN="$ROOT/bench/peers/gen_events.py"
RECEIVER="$ROOT/Tests/TLMIntegrationTests/Fixtures/otlp_receiver.py"
for tool in hyperfine python3 /usr/bin/time git; do
    command -v "$tool" >/dev/null 2>&1 || { echo "export.sh: $tool is missing (Debian: hyperfine, python3, time, git)" >&2; exit 1; }
done
python3 -c 'import opentelemetry.proto' 2>/dev/null || { echo "export.sh: pip install opentelemetry-proto" >&2; exit 1; }
[ -f "$GEN" ] || { echo "export.sh: $GEN not found" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-export-bench.XXXXXX")
RECEIVER_PID=
SINK_PID=
cleanup() {
    [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2>/dev/null || true
    [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
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

# The sink: HTTP/1.1 with keep-alive (libcurl's), `Expect: 100-continue` answered; one
# line per request (its content type, encoding and body size) in the file given.
python3 - "$TMP/sink.jsonl" >"$TMP/sink-port" <<'EOF' &
import json, socket, sys, threading
log = sys.argv[1]
server = socket.create_server(("127.0.0.1", 0))
print(server.getsockname()[1], flush=True)
def serve(connection):
    pending = b""
    with connection:
        while True:
            while b"\r\n\r\n" not in pending:
                data = connection.recv(1 << 16)
                if not data:
                    return
                pending += data
            head, _, pending = pending.partition(b"\r\n\r\n")
            headers = {}
            for line in head.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if headers.get("expect", "").lower() == "100-continue":
                connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            length = int(headers.get("content-length", "0"))  # no chunked bodies: tlm sends a length
            while len(pending) < length:
                data = connection.recv(max(1 << 16, length - len(pending)))
                if not data:
                    return
                pending += data
            pending = pending[length:]
            with open(log, "a") as out:
                out.write(json.dumps({"contentType": headers.get("content-type"),
                                      "contentEncoding": headers.get("content-encoding"), "bytes": length}) + "\n")
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
while True:
    connection, _ = server.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
EOF
SINK_PID=$!
for _ in $(seq 100); do [ -s "$TMP/sink-port" ] && break; sleep 0.1; done
SINK_PORT=$(head -1 "$TMP/sink-port")
[ -n "$SINK_PORT" ] || { echo "export.sh: the sink did not start" >&2; exit 1; }
ENCODINGS="http/json,none http/protobuf,none http/json,gzip http/protobuf,gzip"
echo "sending $EVENTS events in each encoding to a sink, best of $SENDS..." >&2
for encoding in $ENCODINGS; do
    protocol=${encoding%,*} compression=${encoding#*,}
    name=$(echo "$encoding" | tr '/,' '--')
    for _ in $(seq "$SENDS"); do
        rm -f "$SEND_HOME/export.cursor" "$TMP/sink.jsonl"
        sstart=$(date +%s.%N)
        summary=$(TLM_HOME=$SEND_HOME "$TLM" export otlp --endpoint "http://127.0.0.1:$SINK_PORT" \
            --protocol "$protocol" --compression "$compression" 2>&1)
        send=$(date +%s.%N)
        requests=$(wc -l <"$TMP/sink.jsonl")
        case $summary in
            "tlm: exported $EVENTS events to "*" in $requests requests") ;;
            *) echo "export.sh: FAILED: $encoding: '$summary' ($requests requests at the sink)" >&2; exit 1 ;;
        esac
        echo "$sstart $send" >>"$TMP/sends-$name"
        mv "$TMP/sink.jsonl" "$TMP/sink-$name.jsonl"
    done
done

# bench/all.sh collects the measurements.
if [ -n "${BENCH_JSON_DIR:-}" ]; then
    cp "$TMP/run.json" "$BENCH_JSON_DIR/export-run.json"
    python3 -c 'import json, sys; json.dump({"events": int(sys.argv[1]), "send_seconds": float(sys.argv[3]) - float(sys.argv[2]), "output_seconds": float(sys.argv[5]) - float(sys.argv[4])}, open(sys.argv[6], "w"))' \
        "$EVENTS" "$start" "$end" "$ostart" "$oend" "$BENCH_JSON_DIR/export-throughput.json"
fi
# The encodings' rows (and export-encodings.json for bench/all.sh); fails when a request
# came with another content type or encoding than asked, or with no body.
encodings=$(python3 - "$TMP" "$EVENTS" "${BENCH_JSON_DIR:+$BENCH_JSON_DIR/export-encodings.json}" $ENCODINGS <<'EOF'
import json, sys
folder, events, out, encodings = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
types = {"http/json": "application/json", "http/protobuf": "application/x-protobuf"}
labels = {"http/json": "OTLP/JSON", "http/protobuf": "OTLP protobuf"}
rows = []
for encoding in encodings:
    protocol, compression = encoding.split(",")
    name = encoding.replace("/", "-").replace(",", "-")
    requests = [json.loads(line) for line in open(f"{folder}/sink-{name}.jsonl")]
    for r in requests:
        wanted = (types[protocol], None if compression == "none" else "gzip")
        if (r["contentType"], r["contentEncoding"]) != wanted or r["bytes"] <= 0:
            sys.exit(f"export.sh: FAILED: {protocol}, {compression}: a request came as {r}")
    times = [line.split() for line in open(f"{folder}/sends-{name}")]
    seconds = min(float(end) - float(start) for start, end in times)
    rows.append({"protocol": protocol, "compression": compression, "requests": len(requests),
                 "bytes": sum(r["bytes"] for r in requests), "seconds": seconds,
                 "label": labels[protocol] + (" + gzip" if compression == "gzip" else "")})
if out:
    json.dump({"events": events, "rows": rows}, open(out, "w"))
base = rows[0]["bytes"]
print(f"| {events:,} events, one export | requests | bytes/event | × JSON | requests/s | events/s |")
print("|---|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['label']} | {r['requests']} | {r['bytes'] / events:,.1f} | {r['bytes'] / base:.2f}× "
          f"| {r['requests'] / r['seconds']:,.0f} | {events / r['seconds']:,.0f} |")
EOF
)

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
echo
echo "$encodings"
echo
echo "Each encoding: \`tlm export otlp --protocol P --compression C\` (through tlm-export; gzip at zlib's"
echo "default level) to a sink on 127.0.0.1 that reads each body and answers 200; bytes/event counts the"
echo "bodies as sent (not the HTTP headers); times are the best of $SENDS exports of the same events."
