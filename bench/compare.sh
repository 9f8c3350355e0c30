#!/usr/bin/env bash
# Compares `tlm run -- /bin/true` (telemetry on) of two or more tlm binaries,
# with GNU time as the yardstick, timed in turn (interleaved.c) rather than one
# after the other: on a shared machine whose speed drifts, the ratio of each to
# GNU time is then comparable, which is what every change to the run path reports.
#
#   bash bench/compare.sh OLD_TLM NEW_TLM [MORE…]     # RUNS=3000 by default
#
# Build a binary as `make build-tlm` does; for an older commit:
#   git worktree add /tmp/old REV && (cd /tmp/old && swift build -c release \
#     --static-swift-stdlib -Xswiftc -static-executable --product tlm)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3000}
[ $# -ge 1 ] || { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 64; }
case "$RUNS" in ''|*[!0-9]*|0) echo "compare.sh: RUNS must be a positive integer, not '$RUNS'" >&2; exit 64 ;; esac
for tlm in "$@"; do
    [ -x "$tlm" ] || { echo "compare.sh: no executable tlm at $tlm" >&2; exit 1; }
    case "$tlm" in *' '*) echo "compare.sh: a path with a space cannot be timed: $tlm" >&2; exit 64 ;; esac
done
command -v cc >/dev/null || { echo "compare.sh: a C compiler is needed (Debian: gcc)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time is missing (Debian: time)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tlm-compare.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cc -O2 -o "$TMP/interleaved" "$ROOT/bench/interleaved.c"
export TLM_HOME="$TMP/home"
unset DO_NOT_TRACK TLM_TELEMETRY
"$1" on >/dev/null
commands=("/usr/bin/time -a -o $TMP/time.log /bin/true")
for tlm in "$@"; do commands+=("$tlm run -- /bin/true"); done
echo "## tlm run -- /bin/true, telemetry on, $RUNS runs each, interleaved"
echo
"$TMP/interleaved" "$RUNS" "${commands[@]}"
events=$(wc -l <"$TLM_HOME/usage.jsonl")
[ "$events" -ge $((RUNS * $#)) ] || { echo "compare.sh: FAILED: $events events recorded, expected $((RUNS * $#))" >&2; exit 1; }
