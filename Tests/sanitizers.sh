#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (with LeakSanitizer) and under
# ThreadSanitizer, each in its own build folder (.build-asan, .build-tsan).
#
#   bash Tests/sanitizers.sh            # both
#   bash Tests/sanitizers.sh address    # one
#
# Allocations that libcurl, Foundation and XCTest keep for the whole process
# are suppressed (Tests/lsan.supp for the test runner; tlm-export carries the
# same list for the processes the tests start). Exit 1 if any run fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SANITIZERS=("$@")
[ ${#SANITIZERS[@]} -eq 0 ] && SANITIZERS=(address thread)
status=0
for sanitizer in "${SANITIZERS[@]}"; do
    log=$(mktemp "${TMPDIR:-/tmp}/tlm-$sanitizer.XXXXXX")
    echo "swift test --sanitize=$sanitizer (log: $log)..." >&2
    if LSAN_OPTIONS="suppressions=$ROOT/Tests/lsan.supp:print_suppressions=0" \
        TSAN_OPTIONS="halt_on_error=1" TLM_SANITIZED=1 \
        swift test --sanitize="$sanitizer" --scratch-path ".build-${sanitizer:0:1}san" >"$log" 2>&1; then
        echo "$sanitizer: $(grep -E 'Test run with' "$log" | tail -1)"
    else
        status=1
        echo "$sanitizer: FAILED"
        grep -E '✘|ERROR: (Address|Leak|Thread)Sanitizer|WARNING: ThreadSanitizer|SUMMARY' "$log" | head -20
    fi
done
exit $status
