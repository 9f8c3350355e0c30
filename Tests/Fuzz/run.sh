#!/usr/bin/env bash
# Fuzzes every parser that reads outside input with libFuzzer and AddressSanitizer
# (swiftc -sanitize=fuzzer,address), each target for RUNS iterations from the seed
# corpus committed in Tests/Fuzz/corpus/TARGET (new inputs it finds go to a
# temporary folder, not into the repository).
#
#   bash Tests/Fuzz/run.sh                  # every target, 200,000 runs each
#   RUNS=20000 bash Tests/Fuzz/run.sh       # the short pass CI runs
#   bash Tests/Fuzz/run.sh event config     # some targets
#
# Prints one line per target (runs, coverage, crashes). A crash or a failed
# property stops with exit 1 and names the input libFuzzer saved
# (crash-…, in $OUT): turn it into a regression test before fixing it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-200000}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(event config traceparent duration since naming json csv prometheus markup markdown shellword terminal report protobuf)
BUILD=${FUZZ_BUILD:-$ROOT/.build-fuzz}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/tlm-fuzz.XXXXXX")}
mkdir -p "$BUILD" "$OUT"

echo "building the fuzz targets (fuzzer + address sanitizer)..." >&2
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -wmo -module-cache-path "$BUILD/cache")
# The libraries, instrumented, then the targets linked against them.
swiftc "${flags[@]}" -emit-module -emit-module-path "$BUILD/TLMSystem.swiftmodule" -module-name TLMSystem \
    -emit-object -o "$BUILD/TLMSystem.o" $(find "$ROOT/Sources/TLMSystem" -name '*.swift' | sort) \
    2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; exit 1; }
swiftc "${flags[@]}" -I "$BUILD" -emit-module -emit-module-path "$BUILD/TLMRecorder.swiftmodule" \
    -module-name TLMRecorder -emit-object -o "$BUILD/TLMRecorder.o" $(find "$ROOT/Sources/TLMRecorder" -name '*.swift' | sort) \
    2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; exit 1; }
swiftc "${flags[@]}" -enable-testing -I "$BUILD" -emit-module -emit-module-path "$BUILD/TLMReport.swiftmodule" \
    -module-name TLMReport -emit-object -o "$BUILD/TLMReport.o" $(find "$ROOT/Sources/TLMReport" -name '*.swift' | sort) \
    2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; exit 1; }
swiftc "${flags[@]}" -I "$BUILD" -emit-module -emit-module-path "$BUILD/TLMExport.swiftmodule" \
    -module-name TLMExport -emit-object -o "$BUILD/TLMExport.o" $(find "$ROOT/Sources/TLMExport" -name '*.swift' | sort) \
    2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; exit 1; }
swiftc "${flags[@]}" -I "$BUILD" -module-name TLMFuzz "$ROOT/Tests/Fuzz/FuzzTargets.swift" \
    "$BUILD/TLMSystem.o" "$BUILD/TLMRecorder.o" "$BUILD/TLMReport.o" "$BUILD/TLMExport.o" -o "$BUILD/tlm-fuzz" \
    2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; exit 1; }

status=0
for target in "${TARGETS[@]}"; do
    seeds="$ROOT/Tests/Fuzz/corpus/$target"
    [ -d "$seeds" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 1; }
    work="$OUT/corpus-$target"
    mkdir -p "$work"
    log="$OUT/$target.log"
    if TLM_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$BUILD/tlm-fuzz" -runs="$RUNS" -max_len=4096 \
        -artifact_prefix="$OUT/$target-" -print_final_stats=1 "$work" "$seeds" >"$log" 2>&1; then
        done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
        cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "$target: ${runs:-?} runs, coverage ${cov:-?} edges, 0 crashes"
    else
        status=1
        echo "$target: CRASH or failed property; input in $(ls "$OUT"/"$target"-* 2>/dev/null | head -1); log $log"
        grep -E 'property failed|Fatal error|ERROR: AddressSanitizer|SUMMARY' "$log" | head -5
    fi
done
exit $status
