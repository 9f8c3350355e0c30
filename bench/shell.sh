#!/usr/bin/env bash
# What shell integration costs: opening a shell with `eval "$(tlm shell-init
# SHELL)"` in its rc file, and typing a wrapped command.
#
#   bash bench/shell.sh                 # 200 runs per command
#   RUNS=50 TLM_BIN=/usr/local/bin/tlm bash bench/shell.sh
#
# 1. Shell start-up, for bash, zsh and fish: `SHELL -c true` against the same
#    with the shell-init code evaluated (tlm started once, then its code read).
# 2. A wrapped `make` of an empty target, through the function (telemetry on
#    and off), against `command make` (the real one) and GNU time.
# Fails (exit 1) rather than print figures when the wrapper recorded nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-200}
for tool in hyperfine bash zsh fish make /usr/bin/time python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "shell.sh: $tool is missing (Debian: hyperfine, zsh, fish, make, time)" >&2; exit 1; }
done
if [ -n "${TLM_BIN:-}" ]; then
    TLM=$TLM_BIN
else
    echo "building tlm (release, static)..." >&2
    make -C "$ROOT" -s build-tlm >&2
    TLM=$ROOT/.build/release/tlm
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-shell-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset DO_NOT_TRACK TLM_TELEMETRY PYTEST_CURRENT_TEST TEST_MODE
export TLM_HOME=$TMP/home
"$TLM" on >/dev/null
printf 'noop:\n\t@:\n' >"$TMP/Makefile"
cd "$TMP"
q() { printf '%q ' "$@"; }

echo "hyperfine 1/2: shell start-up ($RUNS runs)..." >&2
hyperfine -N --warmup 10 --runs "$RUNS" --style basic --export-json "$TMP/start.json" \
    -n "bash -c true" "$(q bash --norc --noprofile -c true)" \
    -n "bash + shell-init" "$(q bash --norc --noprofile -c "eval \"\$($TLM shell-init bash --wrap make,terraform,ansible-playbook)\"")" \
    -n "zsh -c true" "$(q zsh -f -c true)" \
    -n "zsh + shell-init" "$(q zsh -f -c "eval \"\$($TLM shell-init zsh --wrap make,terraform,ansible-playbook)\"")" \
    -n "fish -c true" "$(q fish --no-config -c true)" \
    -n "fish + shell-init" "$(q fish --no-config -c "$TLM shell-init fish --wrap make,terraform,ansible-playbook | source")" >&2

"$TLM" shell-init bash --wrap make >"$TMP/init.bash"
echo "hyperfine 2/2: a wrapped make ($RUNS runs)..." >&2
hyperfine -N --warmup 10 --runs "$RUNS" --style basic --export-json "$TMP/make.json" \
    -n "command make (real)" "$(q bash --norc --noprofile -c ". $TMP/init.bash; command make -s noop")" \
    -n "GNU time make" "$(q bash --norc --noprofile -c ". $TMP/init.bash; /usr/bin/time -o /dev/null make -s noop")" \
    -n "make through the wrapper (on)" "$(q bash --norc --noprofile -c ". $TMP/init.bash; make -s noop")" >&2
events=$(wc -l <"$TLM_HOME/usage.jsonl")
[ "$events" -ge "$RUNS" ] || { echo "shell.sh: FAILED: the wrapper recorded $events events, expected $RUNS or more" >&2; exit 1; }

# bench/all.sh collects the measurements.
if [ -n "${BENCH_JSON_DIR:-}" ]; then cp "$TMP/start.json" "$BENCH_JSON_DIR/shell-start.json"; cp "$TMP/make.json" "$BENCH_JSON_DIR/shell-make.json"; fi

echo "## Shell integration"
echo
echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1), Linux $(uname -r)"
echo "- $(hyperfine --version), $RUNS runs + 10 warmups per command; $(bash --version | head -1 | cut -d' ' -f1-4), $(zsh --version | cut -d' ' -f1-2), $(fish --version)"
echo
python3 - "$TMP/start.json" "$TMP/make.json" <<'PY'
import json, sys
start = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
make = {r["command"]: r["median"] for r in json.load(open(sys.argv[2]))["results"]}
print("| shell start-up | median ms | with shell-init | added ms |")
print("|---|---:|---:|---:|")
for shell in ("bash", "zsh", "fish"):
    plain, init = start[f"{shell} -c true"], start[f"{shell} + shell-init"]
    print(f"| {shell} | {plain * 1000:.2f} | {init * 1000:.2f} | {(init - plain) * 1000:.2f} |")
print()
base = make["command make (real)"]
print("| in bash, `make -s noop` | median ms | × command make |")
print("|---|---:|---:|")
for name, value in make.items():
    print(f"| {name} | {value * 1000:.2f} | {value / base:.2f}× |")
PY
