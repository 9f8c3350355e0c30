#!/usr/bin/env bash
# The whole test suite under AddressSanitizer (with LeakSanitizer) and under
# ThreadSanitizer, each in its own build folder (.build-asan, .build-tsan).
#
#   bash Tests/sanitizers.sh            # both
#   bash Tests/sanitizers.sh address    # one
#
# Allocations that libcurl, Foundation and XCTest keep for the whole process
# are suppressed: the list is compiled in (Sources/CSystem/system.c), so that it
# also holds in the tlm processes the tests start with an environment of their
# own. Exit 1 if any run fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SANITIZERS=("$@")
[ ${#SANITIZERS[@]} -eq 0 ] && SANITIZERS=(address thread)
status=0
for sanitizer in "${SANITIZERS[@]}"; do
    log=$(mktemp "${TMPDIR:-/tmp}/tlm-$sanitizer.XXXXXX")
    echo "swift test --sanitize=$sanitizer (log: $log)..." >&2
    # TLM_SANITIZED: the few checks a sanitizer's runtime cannot pass itself (a memory
    # bound under ASan's quarantine, a file-size limit that kills TSan's runtime) know it.
    if TSAN_OPTIONS="halt_on_error=1" TLM_SANITIZED=$sanitizer \
        swift test --sanitize="$sanitizer" --scratch-path ".build-${sanitizer:0:1}san" >"$log" 2>&1; then
        echo "$sanitizer: $(grep -E 'Test run with' "$log" | tail -1)"
    else
        status=1
        echo "$sanitizer: FAILED"
        grep -E '✘|ERROR: (Address|Leak|Thread)Sanitizer|WARNING: ThreadSanitizer|SUMMARY' "$log" | head -20
    fi
done
exit $status
