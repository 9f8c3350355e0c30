#!/usr/bin/env bash
# Measures what `tlm run --` costs on top of the command it wraps, next to
# GNU time (the usual "run and measure" wrapper) and a Python peer wrapper.
#
#   bash bench/overhead.sh            # RUNS (default 300) timed runs, 20 warmups
#   bash bench/overhead.sh --quick    # smoke run: 20 runs, 3 warmups
#   TLM_BIN=/path/to/tlm bash bench/overhead.sh   # skip the build, time this binary
#
# Aim: tlm run with telemetry on costs at most 1.25x GNU time (median).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEER_SCRIPT="$ROOT/bench/peers/peer_wrapper.py"
AIM=1.25

RUNS=${RUNS:-300}
WARMUP=20
for arg in "$@"; do
    case "$arg" in
        --quick) RUNS=20; WARMUP=3 ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "overhead.sh: unknown argument '$arg' (only --quick)" >&2; exit 64 ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "overhead.sh: RUNS must be a positive integer, not '$RUNS'" >&2; exit 64 ;; esac

if ! command -v hyperfine >/dev/null 2>&1; then
    echo "overhead.sh: hyperfine is missing; install it with: sudo apt-get install hyperfine" >&2
    echo "             (or: cargo install hyperfine; see https://github.com/sharkdp/hyperfine)" >&2
    exit 1
fi
for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "overhead.sh: $tool is missing (Debian: python3, time)" >&2; exit 1; }
done
[ -f "$PEER_SCRIPT" ] || { echo "overhead.sh: peer wrapper not found at $PEER_SCRIPT" >&2; exit 1; }

# The real interpreter, not a launcher: with pyenv, `python3` on PATH is a bash
# shim that execs pyenv, which would bill the peer for pyenv's own start-up.
PYTHON=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')

if [ -n "${TLM_BIN:-}" ]; then
    TLM=$TLM_BIN
else
    echo "building tlm (release, static)..." >&2
    (cd "$ROOT" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product tlm >&2)
    TLM="$(cd "$ROOT" && swift build -c release --show-bin-path)/tlm"
fi
[ -x "$TLM" ] || { echo "overhead.sh: no executable tlm at $TLM" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-bench.XXXXXX")
ON_HOME=$(mktemp -d "$TMP/on.XXXXXX")
OFF_HOME=$(mktemp -d "$TMP/off.XXXXXX")
PEER_HOME=$(mktemp -d "$TMP/peer.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Nothing from the caller's environment may decide consent: only the marker does.
unset DO_NOT_TRACK TLM_TELEMETRY
TLM_HOME=$ON_HOME "$TLM" on >/dev/null
[ -f "$ON_HOME/enabled" ] || { echo "overhead.sh: 'tlm on' did not create $ON_HOME/enabled" >&2; exit 1; }
touch "$PEER_HOME/enabled"
export PEER_HOME

# hyperfine -N splits each command line like a shell would; quote every word.
q() { printf '%q ' "$@"; }
TRUE_CMD=$(q /bin/true)
TIME_CMD=$(q /usr/bin/time -a -o "$TMP/time.log" /bin/true)
TLM_CMD=$(q "$TLM" run -- /bin/true)
PEER_CMD=$(q "$PYTHON" "$PEER_SCRIPT" /bin/true)

hf() { hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic "$@" >&2; }

echo "hyperfine 1/2: telemetry on ($RUNS runs, $WARMUP warmups each)..." >&2
TLM_HOME=$ON_HOME hf --export-json "$TMP/on.json" \
    -n "/bin/true" "$TRUE_CMD" \
    -n "GNU time" "$TIME_CMD" \
    -n "tlm run (on)" "$TLM_CMD" \
    -n "python peer (on)" "$PEER_CMD"

# hyperfine -N cannot give one command its own environment (and `env` would add
# an exec), so "off" is a second invocation, with GNU time again as its anchor.
echo "hyperfine 2/2: telemetry off..." >&2
TLM_HOME=$OFF_HOME hf --export-json "$TMP/off.json" \
    -n "GNU time" "$TIME_CMD" \
    -n "tlm run (off)" "$TLM_CMD"

# Never report numbers for a broken configuration.
on_events=$(wc -l <"$ON_HOME/usage.jsonl" 2>/dev/null || echo 0)
peer_events=$(wc -l <"$PEER_HOME/usage.jsonl" 2>/dev/null || echo 0)
if [ "$on_events" -lt "$RUNS" ]; then
    echo "overhead.sh: FAILED: telemetry-on home has $on_events events, expected at least $RUNS ($ON_HOME/usage.jsonl)" >&2
    exit 1
fi
if ! tail -n 1 "$ON_HOME/usage.jsonl" | "$PYTHON" -c 'import json, os, sys; e = json.load(sys.stdin); sys.exit(os.path.basename(e.get("command") or "") != "true" or e.get("exit_code") != 0)'; then
    echo "overhead.sh: FAILED: last event in the on home is not a /bin/true run that exited 0:" >&2
    tail -n 1 "$ON_HOME/usage.jsonl" >&2
    exit 1
fi
if [ -e "$OFF_HOME/usage.jsonl" ]; then
    echo "overhead.sh: FAILED: telemetry-off home has a usage.jsonl ($(wc -l <"$OFF_HOME/usage.jsonl") lines): 'off' recorded" >&2
    exit 1
fi
if [ "$peer_events" -lt "$RUNS" ]; then
    echo "overhead.sh: FAILED: peer home has $peer_events events, expected at least $RUNS" >&2
    exit 1
fi

# bench/all.sh collects the measurements.
if [ -n "${BENCH_JSON_DIR:-}" ]; then cp "$TMP/on.json" "$BENCH_JSON_DIR/overhead-on.json"; cp "$TMP/off.json" "$BENCH_JSON_DIR/overhead-off.json"; fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
size=$(stat -c %s "$TLM")

echo "## tlm run overhead"
echo
echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $(uname -r) ($(uname -m))"
echo "- tlm: $TLM, $size bytes ($(( (size + 1023) / 1024 )) KiB)"
echo "- $(hyperfine --version), $RUNS runs + $WARMUP warmups per command, no shell (-N)"
echo "- python peer: $PYTHON $("$PYTHON" -c 'import platform; print(platform.python_version())')"
echo "- events written: on home $on_events, peer home $peer_events, off home none"
echo
"$PYTHON" - "$TMP/on.json" "$TMP/off.json" "$AIM" <<'EOF'
import json, sys

on_path, off_path, aim = sys.argv[1], sys.argv[2], float(sys.argv[3])

def load(path):
    return {r["command"]: r for r in json.load(open(path))["results"]}

ms = lambda s: s * 1000.0
on, off = load(on_path), load(off_path)
rows = []
for label, results in (("1", on), ("2", off)):
    anchor = results["GNU time"]["median"]
    for name, r in results.items():
        shown = f"{name} [{label}]" if name == "GNU time" else name
        rows.append((shown, r, r["median"] / anchor))

print("| command | median ms | mean ± stddev ms | × GNU time (median) |")
print("|---|---:|---:|---:|")
for name, r, ratio in rows:
    print(f"| {name} | {ms(r['median']):.3f} | {ms(r['mean']):.3f} ± {ms(r['stddev']):.3f} | {ratio:.2f}× |")
print()
print("Ratios compare with GNU time from the same hyperfine invocation ([1] for on, peer and /bin/true; [2] for off).")
print()
ratio = on["tlm run (on)"]["median"] / on["GNU time"]["median"]
verdict = "MET" if ratio <= aim else "NOT MET"
print(f"Aim: tlm (on) ≤ {aim:g}× GNU time (median). Measured {ratio:.2f}×: {verdict}.")
EOF
