#!/usr/bin/env bash
# Reproducibility: `make dist` run a second time, from a copy of this tree in another,
# longer folder (so that a build path in a binary shows), with its own build from
# scratch, must write byte-identical files to the ones in dist/. make check runs it
# after make dist. On a difference it says which file, and which member of it.
#
# The copy carries .git, so that the commit, the time (SOURCE_DATE_EPOCH) and a -dirty
# mark are the same on both sides: the test also holds in a working tree with changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIST=${DIST:-dist}

fail() {
    echo "reproducible test: FAILED: $*" >&2
    exit 1
}
[ -s "$DIST/SHA256SUMS" ] || fail "$DIST/SHA256SUMS is missing: run 'make dist' first"
command -v git >/dev/null 2>&1 || fail "git not found: the copy is made from git's list of files"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
other=$scratch/a-second-and-longer-folder/tlm
mkdir -p "$other"
# Every file git knows or would add (tracked and untracked, not ignored), and .git itself.
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ ! -e "$1" ] || printf "%s\0" "$1"' _ {} \
    | tar --null -T - -cf - | tar -C "$other" -xf -
cp -a .git "$other/.git"

echo "reproducible test: make dist again in $other (a build from scratch)"
make -C "$other" --no-print-directory dist >"$scratch/build.log" 2>&1 || {
    tail -30 "$scratch/build.log" >&2
    fail "make dist failed in the copy (above)"
}

differ=0
for file in "$DIST"/*; do
    name=$(basename "$file")
    if cmp -s "$file" "$other/dist/$name"; then
        echo "reproducible test: ok: $name is identical ($(sha256sum <"$file" | cut -c1-16))"
        continue
    fi
    differ=1
    echo "reproducible test: $name differs" >&2
    # Narrow it down: which member of the .deb, which file of the archive.
    case $name in
        *.deb)
            for side in "$file" "$other/dist/$name"; do
                mkdir -p "$scratch/x/$side" && dpkg-deb -R "$side" "$scratch/x/$side"
            done
            diff -r "$scratch/x/$file" "$scratch/x/$other/dist/$name" >&2 || true
            ;;
        *.tar.gz)
            diff <(tar -tvzf "$file") <(tar -tvzf "$other/dist/$name") >&2 || true
            ;;
    esac
done
[ "$differ" -eq 0 ] || fail "two make dist runs of the same tree differ (above)"
echo "reproducible test: passed: two builds from two folders wrote identical files"
