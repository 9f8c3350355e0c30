#!/usr/bin/env bash
# Every benchmark in one run, then one Markdown table of medians and ratios
# (the README's performance section is this table).
#
#   bash bench/all.sh                # the full set: about 20 minutes on 2 CPUs
#   QUICK=1 bash bench/all.sh        # fewer runs and events: a few minutes
#   OUT=/tmp/b SKIP="overhead report-1" bash bench/all.sh   # resume a run into the same OUT
#
# Runs overhead.sh (tlm run against GNU time and the Python peer), report.sh on
# 1M and 10M events (against wc -l, jq and the Python peer), export.sh (run's
# overhead before and after export, events per second to a local OTLP
# receiver), append.sh (concurrent appends, against the peer), supervisor.sh,
# shell.sh and cardinality.sh (report's peak memory on 200,000 targets), each of which fails rather than print figures for a broken
# set-up; each script's own report is kept in $OUT (printed at the end).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/tlm-bench-all.XXXXXX")}
export BENCH_JSON_DIR=$OUT/json
mkdir -p "$BENCH_JSON_DIR"

echo "building (make build)..." >&2
make -C "$ROOT" -s build >&2
export TLM_BIN=$ROOT/.build/release/tlm TLM=$ROOT/.build/release/tlm

if [ -n "${QUICK:-}" ]; then
    small=(RUNS=50) report1=(EVENTS=100000 RUNS=2) report10=(EVENTS=1000000 RUNS=1)
    export_size=(RUNS=50 EVENTS=10000) append_size=(WRITERS=4 EVENTS=100 RUNS=1)
    cardinality=(TARGETS=20000 MIB=16)
else
    small=(RUNS=300) report1=(EVENTS=1000000 RUNS=5) report10=(EVENTS=10000000 RUNS=1)
    export_size=(RUNS=300 EVENTS=100000) append_size=(WRITERS=8 EVENTS=250 RUNS=2)
    cardinality=(TARGETS=200000 MIB=128)
fi
run() { # NAME, then VAR=VALUE… SCRIPT
    local name=$1
    shift
    # SKIP="overhead report-1": steps already measured into this OUT (to resume a run).
    case " ${SKIP:-} " in *" $name "*) echo "== $name (skipped: SKIP)" >&2; return 0 ;; esac
    echo "== $name" >&2
    env "$@" >"$OUT/$name.md" 2>"$OUT/$name.log" || { echo "bench/all.sh: $name FAILED (see $OUT/$name.log)" >&2; tail -5 "$OUT/$name.log" >&2; exit 1; }
}
run overhead "${small[@]}" bash "$ROOT/bench/overhead.sh"
run report-1 "${report1[@]}" bash "$ROOT/bench/report.sh"
run report-10 "${report10[@]}" bash "$ROOT/bench/report.sh"
run export "${export_size[@]}" bash "$ROOT/bench/export.sh"
run append "${append_size[@]}" bash "$ROOT/bench/append.sh"
run supervisor "${small[@]}" bash "$ROOT/bench/supervisor.sh"
run shell "${small[@]}" bash "$ROOT/bench/shell.sh"
run cardinality "${cardinality[@]}" bash "$ROOT/bench/cardinality.sh"

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
echo "## Performance (bench/all.sh)"
echo
echo "Measured on $(date -u +%Y-%m-%d): $(nproc) CPUs, ${cpu:-unknown CPU}, $(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r), $(hyperfine --version); hyperfine medians; each ratio compares with the other command of the same hyperfine invocation."
echo
python3 - "$BENCH_JSON_DIR" <<'PY'
import glob, json, os, sys
folder = sys.argv[1]
def results(name):
    return {r["command"]: r for r in json.load(open(os.path.join(folder, name)))["results"]}
def ms(seconds): return f"{seconds * 1000:.2f} ms"
def s(seconds): return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"
rows = []
on, off = results("overhead-on.json"), results("overhead-off.json")
t = on["tlm run (on)"]["median"]
rows.append(("`tlm run -- /bin/true`, telemetry on", ms(t), "GNU time", ms(on["GNU time"]["median"]), t / on["GNU time"]["median"]))
rows.append(("", "", "Python peer wrapper", ms(on["python peer (on)"]["median"]), t / on["python peer (on)"]["median"]))
rows.append(("`tlm run -- /bin/true`, telemetry off", ms(off["tlm run (off)"]["median"]), "GNU time", ms(off["GNU time"]["median"]), off["tlm run (off)"]["median"] / off["GNU time"]["median"]))
run = results("export-run.json")
before = [r for n, r in run.items() if n.startswith("tlm run, before")][0]["median"]
rows.append(("`tlm run`, now (with export)", ms(run["tlm run, now"]["median"]), "tlm before export", ms(before), run["tlm run, now"]["median"] / before))
sup, timeout = results("supervisor-start.json"), results("supervisor-timeout.json")
rows.append(("`tlm run --timeout 1h`", ms(sup["tlm run --timeout 1h"]["median"]), "GNU `timeout 1h`", ms(sup["GNU timeout 1h"]["median"]), sup["tlm run --timeout 1h"]["median"] / sup["GNU timeout 1h"]["median"]))
rows.append(("ending `sleep 10` at 0.2 s", s(timeout["tlm run --timeout 0.2 -- sleep 10"]["median"]), "GNU `timeout 0.2`", s(timeout["GNU timeout 0.2 sleep 10"]["median"]), timeout["tlm run --timeout 0.2 -- sleep 10"]["median"] / timeout["GNU timeout 0.2 sleep 10"]["median"]))
for path in sorted(glob.glob(os.path.join(folder, "report-*.json")), key=lambda p: int(p.split("-")[-1].split(".")[0])):
    events = int(path.split("-")[-1].split(".")[0])
    r = results(os.path.basename(path))
    t = r["tlm report"]["median"]
    label = f"`tlm report`, {events:,} events"
    for other, name in (("wc -l", "`wc -l`"), ("jq (streaming)", "jq, streaming"), ("python peer", "Python peer report")):
        rows.append((label, s(t), name, s(r[other]["median"]), t / r[other]["median"]))
        label = ""
size = json.load(open(os.path.join(folder, "append-size.json")))
a = results("append.json")
total = size["writers"] * size["events"]
rate = lambda name: total / a[name]["median"]
rows.append((f"concurrent appends ({size['writers']} writers × {size['events']}), rotation every 64 KiB", f"{rate('tlm, rotation every 64 KiB'):,.0f} events/s", "Python peer", f"{rate('python peer'):,.0f} events/s", rate("tlm, rotation every 64 KiB") / rate("python peer")))
through = json.load(open(os.path.join(folder, "export-throughput.json")))
rows.append((f"`tlm export otlp`, {through['events']:,} events to a local receiver", f"{through['events'] / through['send_seconds']:,.0f} events/s", "`--output /dev/null` (tlm alone)", f"{through['events'] / through['output_seconds']:,.0f} events/s", (through['events'] / through['send_seconds']) / (through['events'] / through['output_seconds'])))
start = results("shell-start.json")
rows.append(("bash start-up with `tlm shell-init`", ms(start["bash + shell-init"]["median"]), "bash alone", ms(start["bash -c true"]["median"]), start["bash + shell-init"]["median"] / start["bash -c true"]["median"]))
def reading(mine, ratio):
    # Times: below 1 tlm is faster. Rates (events/s): above 1 tlm is faster.
    faster = ratio < 1 if "events/s" not in mine else ratio > 1
    factor = 1 / ratio if ratio < 1 else ratio
    if abs(factor - 1) < 0.05:
        return "the same"
    return f"{factor:.1f}× {'faster' if faster else 'slower'}" if factor >= 1.5 else f"{factor:.2f}× {'faster' if faster else 'slower'}"
print("| measurement | tlm | compared with | its figure | tlm is |")
print("|---|---:|---|---:|---:|")
for label, mine, other, theirs, ratio in rows:
    print(f"| {label} | {mine} | {other} | {theirs} | {reading(mine, ratio)} |")
PY
echo
# Memory, not time: its own table.
[ -f "$OUT/cardinality.md" ] && sed -n '/^| format/,/^- peak/p' "$OUT/cardinality.md"
echo
echo "Each script's own report (with its checks): $OUT/*.md"
