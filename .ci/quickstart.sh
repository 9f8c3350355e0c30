#!/usr/bin/env bash
# README's quick start, as a new user runs it, in a fresh clone: `make install` into a
# temporary PREFIX (which builds, as nothing is built there), then `tlm --version`,
# `tlm on`, `tlm run -- true` and `tlm report` with that tlm, in a temporary TLM_HOME.
# Prints the time from the clone to the first report. Needs no root, no stdin, no network.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec </dev/null

fail() {
    echo "quickstart: $*" >&2
    exit 1
}

start=$(date +%s)
git clone -q "$ROOT" "$tmp/tlm" || fail "git clone $ROOT failed"
# Not the sudo case (install refuses to build as root through sudo): this clone is ours.
env -u SUDO_USER make -C "$tmp/tlm" --no-print-directory install PREFIX="$tmp/prefix" >"$tmp/install.log" 2>&1 \
    || { tail -30 "$tmp/install.log" >&2; fail "make install PREFIX=$tmp/prefix failed in a fresh clone"; }

tlm=$tmp/prefix/bin/tlm
[ -x "$tlm" ] || fail "make install put no tlm in $tmp/prefix/bin"
[ -x "$tmp/prefix/bin/tlm-export" ] || fail "make install put no tlm-export in $tmp/prefix/bin"
version=$("$tlm" --version) || fail "tlm --version failed"
case $version in
    tlm\ [0-9]*) ;;
    *) fail "tlm --version printed '$version', not 'tlm VERSION'" ;;
esac

# The user's own switches would decide instead of `tlm on`: none of them here.
run() { env -u DO_NOT_TRACK -u TLM_TELEMETRY -u PYTEST_CURRENT_TEST -u TEST_MODE TLM_HOME="$tmp/home" "$tlm" "$@"; }
run on >"$tmp/on.out" || fail "tlm on failed"
grep -q '^telemetry on' "$tmp/on.out" || fail "tlm on printed '$(cat "$tmp/on.out")', not 'telemetry on…'"
run run -- true || fail "tlm run -- true failed"
[ "$(wc -l <"$tmp/home/usage.jsonl")" -eq 1 ] || fail "tlm run -- true recorded no single event in usage.jsonl"
run report >"$tmp/report.out" || fail "tlm report failed"
end=$(date +%s)
grep -qw true "$tmp/report.out" || { cat "$tmp/report.out" >&2; fail "tlm report does not show the run of 'true'"; }

echo "quickstart: $version, from a fresh clone to the first report in $((end - start)) s (build included)"
