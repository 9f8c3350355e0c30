#!/usr/bin/env bash
# How long installing tlm takes, and how big it is, from the release files of `make dist`:
#
#   make dist && bash bench/install.sh            # as root for the dpkg rows
#   RUNS=10 FROM_SOURCE=1 bash bench/install.sh   # also: make install from a fresh clone, once
#
# Rows (median of RUNS, hyperfine): dpkg -i of tlm alone, and of tlm with tlm-export
# (each run removes them first); the archive: tar -xzf then install.sh into a fresh
# prefix; the checksum check. Then the sizes: each file, and what each installs.
# Fails rather than print figures for a broken set-up (a tlm package already installed).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}
DIST=${DIST:-dist}
fail() {
    echo "install.sh bench: $*" >&2
    exit 1
}
command -v hyperfine >/dev/null 2>&1 || fail "hyperfine not found (apt-get install hyperfine)"
tlm_deb=$(ls "$DIST"/tlm_*.deb 2>/dev/null | head -n 1)
export_deb=$(ls "$DIST"/tlm-export_*.deb 2>/dev/null | head -n 1)
archive=$(ls "$DIST"/tlm-*-linux-*.tar.gz 2>/dev/null | head -n 1)
[ -n "$tlm_deb" ] && [ -n "$export_deb" ] && [ -n "$archive" ] || fail "no release files in $DIST: run 'make dist'"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ "$(id -u)" -ne 0 ] || dpkg -r tlm-export tlm >/dev/null 2>&1 || true' EXIT

median() { # name command… : one hyperfine row, printed as "name  median ms"
    local name=$1
    shift
    hyperfine --style none --runs "$RUNS" --export-json "$tmp/h.json" "$@" >/dev/null 2>&1 \
        || fail "$name: the command failed (run it by hand: $*)"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%-44s %9.1f ms" % (sys.argv[2], r["median"] * 1000))' \
        "$tmp/h.json" "$name"
}

echo "tlm's install, $RUNS runs each (median); $(uname -m), $(nproc) cores"
echo
if [ "$(id -u)" -eq 0 ]; then
    if dpkg-query -W -f '${Status}' tlm 2>/dev/null | grep -q installed; then
        fail "the tlm package is installed here: 'dpkg -r tlm-export tlm' first"
    fi
    median "dpkg -i tlm (no dependency)" --prepare 'dpkg -r tlm-export tlm >/dev/null 2>&1 || true' \
        "dpkg -i $tlm_deb"
    median "dpkg -i tlm tlm-export" --prepare 'dpkg -r tlm-export tlm >/dev/null 2>&1 || true' \
        "dpkg -i $tlm_deb $export_deb"
    dpkg -r tlm-export tlm >/dev/null 2>&1 || true
else
    echo "(not root: the dpkg -i rows need root)"
fi
median "tar -xzf + install.sh into a fresh prefix" --prepare "rm -rf $tmp/u $tmp/p; mkdir $tmp/u" \
    "tar -C $tmp/u -xzf $archive && $tmp/u/$(basename "$archive" .tar.gz)/install.sh --prefix $tmp/p"
median "sha256sum -c SHA256SUMS" "cd $DIST && sha256sum --check --quiet SHA256SUMS"
if [ "${FROM_SOURCE:-0}" = 1 ]; then
    git clone -q "$ROOT" "$tmp/clone"
    start=$(date +%s%N)
    make -C "$tmp/clone" --no-print-directory install PREFIX="$tmp/src-prefix" >"$tmp/src.log" 2>&1 \
        || fail "make install from a fresh clone failed: $(tail -5 "$tmp/src.log")"
    printf '%-44s %9.1f s (once)\n' "make install from a fresh clone (Swift)" \
        "$(awk -v n="$(($(date +%s%N) - start))" 'BEGIN { print n / 1e9 }')"
fi

echo
echo "sizes"
for file in "$tlm_deb" "$export_deb" "$archive"; do
    printf '%-44s %9.1f MB\n' "$(basename "$file")" "$(awk -v b="$(stat -c %s "$file")" 'BEGIN { print b / 1e6 }')"
done
for deb in "$tlm_deb" "$export_deb"; do
    printf '%-44s %9.1f MB\n' "$(basename "$deb") installed" \
        "$(awk -v k="$(dpkg-deb --field "$deb" Installed-Size)" 'BEGIN { print k * 1024 / 1e6 }')"
done
