#!/usr/bin/env bash
# Checks that README's recorder snippets are the example's code: every line of each ```swift
# block of "The recorder module (Swift API)" (but the Package.swift one, and TLMReport's, which
# Tests/TLMReportTests/APIExampleTests.swift runs) is, comments and spaces aside, in main.swift.
# Usage: readme-check.sh README.md Examples/RecordSync/Sources/record-sync/main.swift
set -euo pipefail
readme=$1
code=$2
normalize() { sed -e 's#//.*##' -e 's/[[:space:]]//g'; }
whole=$(normalize <"$code" | tr -d '\n')
blocks=$(awk '
    /^## / { inside = ($0 ~ /^## The recorder module/) }
    inside && /^```swift/ { block = ""; reading = 1; next }
    inside && reading && /^```/ {
        reading = 0
        if (block !~ /PackageDescription|\.package\(|TLMReport/) printf "%s", block
        next
    }
    reading { block = block $0 "\n" }
' "$readme")
[ -n "$blocks" ] || { echo "readme-check: no swift block in $readme's recorder section" >&2; exit 1; }
missing=0
checked=0
while IFS= read -r line; do
    flat=$(normalize <<<"$line")
    [ -n "$flat" ] || continue
    checked=$((checked + 1))
    case $whole in
        *"$flat"*) ;;
        *) echo "readme-check: $readme's line is not in $code: $line" >&2; missing=1 ;;
    esac
done <<<"$blocks"
[ "$missing" = 0 ] || exit 1
echo "readme-check: $checked lines of $readme's recorder snippets are in $code"
