#!/usr/bin/env bash
# The release files of `make dist`, as a user gets them (make check runs it after make dist):
#
#   1. SHA256SUMS verifies with sha256sum -c, and names exactly the three files;
#   2. lintian reports no error and no warning on either .deb (overrides say why);
#   3. each .deb holds what it should, and its control file is whole;
#   4. both .debs install for real with dpkg -i (as root, the CI machine); then tlm, its
#      man pages and its completions work from the system folders, telemetry is recorded,
#      reported and exported through tlm-export; dpkg -r leaves every file as before.
#      Not as root, the packages are unpacked with dpkg-deb -x instead, and the same checks run;
#   5. the archive unpacks, install.sh installs it into a fresh ~/.local, the same checks
#      run there, and install.sh --uninstall removes every file it wrote.
#
# VERSION and COMMIT (the Makefile's) say what `tlm --version` must print. Stops at the
# first failure with one line saying what; prints the install times it measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

: "${VERSION:?VERSION is not set (make check sets it)}"
COMMIT=${COMMIT:-}
DIST=${DIST:-dist}
expected_version="tlm $VERSION${COMMIT:+ ($COMMIT)}"
deb_arch=$(dpkg --print-architecture)
tlm_deb=$DIST/tlm_${VERSION}_${deb_arch}.deb
export_deb=$DIST/tlm-export_${VERSION}_${deb_arch}.deb
archive=$DIST/tlm-$VERSION-linux-$(uname -m).tar.gz
scratch=$(mktemp -d)
installed_by_test=
cleanup() {
    if [ -n "$installed_by_test" ]; then dpkg -r tlm-export tlm >/dev/null 2>&1 || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
    echo "dist test: FAILED: $*" >&2
    exit 1
}
ok() { echo "dist test: ok: $*"; }
milliseconds() { echo $(($(date +%s%N) / 1000000)); }
# Runs "$@" and fails unless it prints exactly $expected on stdout.
expect_output() { # expected command…
    local expected=$1 actual
    shift
    actual=$("$@" 2>&1) || fail "'$*' exited with $?: $actual"
    [ "$actual" = "$expected" ] || fail "'$*' printed '$actual', expected '$expected'"
}

for file in "$tlm_deb" "$export_deb" "$archive" "$DIST/SHA256SUMS"; do
    [ -f "$file" ] || fail "$file is missing: run 'make dist' first"
done

# 1. Checksums.
(cd "$DIST" && sha256sum --check --strict --quiet SHA256SUMS) || fail "sha256sum -c SHA256SUMS"
listed=$(awk '{ print $2 }' "$DIST/SHA256SUMS" | tr '\n' ' ')
want="$(basename "$archive") $(basename "$export_deb") $(basename "$tlm_deb") "
[ "$listed" = "$want" ] || fail "SHA256SUMS lists '$listed', expected '$want'"
ok "SHA256SUMS verifies the three files"

# 2. lintian: errors and warnings fail; overrides (packaging/debian/*.lintian-overrides) say why.
lintian --fail-on error,warning "$tlm_deb" "$export_deb" || fail "lintian reports errors or warnings (above)"
ok "lintian: no error, no warning"

# 3. Contents and control files.
contents() { dpkg-deb --fsys-tarfile "$1" | tar -t | grep -v '/$' | sed 's|^\./|/|' | LC_ALL=C sort; }
expect_contents() { # deb files…
    local deb=$1 actual want
    shift
    actual=$(contents "$deb")
    want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    [ "$actual" = "$want" ] || fail "$(basename "$deb") holds:"$'\n'"$actual"$'\n'"expected:"$'\n'"$want"
}
expect_contents "$tlm_deb" /usr/bin/tlm /usr/share/man/man1/tlm.1.gz \
    /usr/share/bash-completion/completions/tlm /usr/share/zsh/vendor-completions/_tlm \
    /usr/share/fish/vendor_completions.d/tlm.fish /usr/share/doc/tlm/copyright /usr/share/doc/tlm/changelog.gz \
    /usr/share/lintian/overrides/tlm
expect_contents "$export_deb" /usr/bin/tlm-export /usr/share/man/man1/tlm-export.1.gz \
    /usr/share/doc/tlm-export/copyright /usr/share/doc/tlm-export/changelog.gz
for deb in "$tlm_deb" "$export_deb"; do
    for field in Package Version Architecture Maintainer Installed-Size Section Priority Homepage Description; do
        [ -n "$(dpkg-deb --field "$deb" "$field")" ] || fail "$(basename "$deb") has no $field field"
    done
    [ "$(dpkg-deb --field "$deb" Version)" = "$VERSION" ] || fail "$(basename "$deb")'s Version is not $VERSION"
    # Installed-Size is the sum of the files' sizes in KiB, each rounded up (as dpkg-gencontrol counts).
    size=$(dpkg-deb --fsys-tarfile "$deb" | tar -tv | awk '$1 !~ /^d/ { kib += int(($3 + 1023) / 1024) } END { print kib }')
    [ "$(dpkg-deb --field "$deb" Installed-Size)" = "$size" ] || fail "$(basename "$deb")'s Installed-Size is not $size"
done
[ -z "$(dpkg-deb --field "$tlm_deb" Depends)" ] || fail "the tlm package depends on something: it is static"
depends=$(dpkg-deb --field "$export_deb" Depends)
case $depends in
    "tlm (= $VERSION), "*libcurl4*) ;;
    *) fail "tlm-export's Depends is '$depends': expected tlm (= $VERSION) and libcurl4" ;;
esac
ok "both packages hold their files, with whole control fields (tlm-export depends on: $depends)"

# The checks a user's first minutes make, with tlm installed under $1 (its bin, share/man,
# completions), a fresh HOME and no TLM_HOME of the caller's.
smoke() { # prefix man-page-path zsh-folder fish-data-folder
    local prefix=$1 home=${SMOKE_HOME:-}
    [ -n "$home" ] || home=$(mktemp -d "$scratch/home.XXXX")
    local data
    data=$(mktemp -d "$scratch/data.XXXX")
    local env=(env -i HOME="$home" PATH="$prefix/bin:/usr/bin:/bin" LANG=C.UTF-8 TERM=dumb TLM_HOME="$data/tlm")
    [ -z "${SMOKE_MANPATH:-}" ] || env+=(MANPATH="$SMOKE_MANPATH")
    [ "$("${env[@]}" sh -c 'command -v tlm')" = "$prefix/bin/tlm" ] || fail "tlm is not found in $prefix/bin"
    expect_output "$expected_version" "${env[@]}" tlm --version
    expect_output "$expected_version" "${env[@]}" tlm-export --version
    expect_output "$2" "${env[@]}" man -w tlm
    expect_output "${2%/tlm.1*}/tlm-export.1${2#*/tlm.1}" "${env[@]}" man -w tlm-export
    # bash-completion finds tlm's completion where it looks on its own (XDG_DATA_DIRS: the
    # system's share folders, or the unpacked one; ~/.local/share), and it completes.
    env+=(XDG_DATA_DIRS="$4:/usr/share")
    expect_output "complete -F _tlm tlm" "${env[@]}" bash -c \
        'source /usr/share/bash-completion/bash_completion; __load_completion tlm && complete -p tlm'
    local words
    words=$("${env[@]}" bash -c 'source /usr/share/bash-completion/bash_completion; __load_completion tlm
        COMP_WORDS=(tlm rep); COMP_CWORD=1; _tlm; printf "%s\n" "${COMPREPLY[@]}"')
    [ "$words" = report ] || fail "bash completes 'tlm rep' to '$words', expected 'report'"
    # zsh: compinit finds _tlm in the folder given ($4: a default one, or added to fpath).
    expect_output _tlm "${env[@]}" zsh -fc "fpath=($3 \$fpath); autoload -U compinit; compinit -u -D; print \${_comps[tlm]}"
    # fish: its completion lists tlm's subcommands.
    words=$("${env[@]}" fish -c 'complete -C "tlm rep"' | cut -f1)
    [ "$words" = report ] || fail "fish completes 'tlm rep' to '$words', expected 'report'"
    # Telemetry: opt in, run, report, export (prometheus by tlm, otlp through tlm-export).
    "${env[@]}" tlm on >/dev/null || fail "tlm on"
    "${env[@]}" tlm run -- true || fail "tlm run -- true"
    "${env[@]}" tlm run -- false && fail "tlm run -- false exited 0"
    local report
    report=$("${env[@]}" tlm report --ascii) || fail "tlm report"
    case $report in *"tlm report: 2 runs"*) ;; *) fail "tlm report does not count 2 runs: $report" ;; esac
    "${env[@]}" tlm export prometheus --quiet --textfile "$home/tlm.prom" || fail "tlm export prometheus"
    grep -q '^tlm_runs_total{.*} 1$' "$home/tlm.prom" || fail "tlm.prom has no tlm_runs_total"
    # tlm hands `export otlp` over to tlm-export, which sends with libcurl to a real receiver.
    local port
    python3 "$repo/Tests/TLMIntegrationTests/Fixtures/otlp_receiver.py" --record "$data/spans.jsonl" \
        --requests "$data/requests.jsonl" >"$data/port" 2>"$data/receiver.log" &
    receiver=$!
    for _ in $(seq 100); do [ -s "$data/port" ] && break; sleep 0.1; done
    port=$(head -n 1 "$data/port")
    [ -n "$port" ] || fail "the OTLP receiver did not start: $(cat "$data/receiver.log")"
    "${env[@]}" tlm export otlp --endpoint "http://127.0.0.1:$port" --quiet || fail "tlm export otlp (tlm-export)"
    kill "$receiver"
    wait "$receiver" 2>/dev/null || true
    [ "$(wc -l <"$data/spans.jsonl")" -eq 2 ] || fail "the OTLP receiver did not get the 2 runs as spans"
}

# 4. The .debs, installed for real.
if [ "$(id -u)" -eq 0 ]; then
    if dpkg-query -W -f '${Status}' tlm 2>/dev/null | grep -q installed \
        || dpkg-query -W -f '${Status}' tlm-export 2>/dev/null | grep -q installed; then
        fail "a tlm package is installed here already; this test installs and removes them: 'dpkg -r tlm-export tlm' first"
    fi
    snapshot() { find /usr /etc -xdev \( -type f -o -type l \) 2>/dev/null | LC_ALL=C sort; }
    snapshot >"$scratch/before"
    start=$(milliseconds)
    installed_by_test=yes
    dpkg -i "$tlm_deb" "$export_deb" >"$scratch/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$scratch/dpkg.log")"
    deb_ms=$(($(milliseconds) - start))
    dpkg -L tlm tlm-export | LC_ALL=C sort >"$scratch/listed"
    smoke /usr /usr/share/man/man1/tlm.1.gz /usr/share/zsh/vendor-completions /usr/share
    dpkg -r tlm-export tlm >"$scratch/dpkg.log" 2>&1 || fail "dpkg -r: $(cat "$scratch/dpkg.log")"
    installed_by_test=
    snapshot >"$scratch/after"
    diff -u "$scratch/before" "$scratch/after" >"$scratch/diff" || fail "dpkg -r left the system different:
$(head -40 "$scratch/diff")"
    while IFS= read -r path; do
        [ -d "$path" ] || [ ! -e "$path" ] || fail "dpkg -r left $path"
    done <"$scratch/listed"
    ok "dpkg -i installed both packages in $deb_ms ms; tlm, man, completions and export work; dpkg -r removed every file"
else
    root=$scratch/root
    dpkg-deb -x "$tlm_deb" "$root"
    dpkg-deb -x "$export_deb" "$root"
    echo "dist test: not root: dpkg -i is not tried here (CI runs as root); the unpacked packages are checked"
    SMOKE_MANPATH="$root/usr/share/man" smoke "$root/usr" "$root/usr/share/man/man1/tlm.1.gz" \
        "$root/usr/share/zsh/vendor-completions" "$root/usr/share"
    ok "the unpacked packages work"
fi

# 5. The archive and its install.sh, into a fresh ~/.local.
unpack=$scratch/unpack
mkdir -p "$unpack"
tar -C "$unpack" -xzf "$archive"
folder=$unpack/$(basename "$archive" .tar.gz)
[ -x "$folder/install.sh" ] || fail "the archive has no executable install.sh in $(basename "$folder")/"
user_home=$scratch/user
mkdir -p "$user_home"
start=$(milliseconds)
out=$(env -i HOME="$user_home" PATH=/usr/bin:/bin "$folder/install.sh") || fail "install.sh: $out"
archive_ms=$(($(milliseconds) - start))
prefix=$user_home/.local
[ "$(grep -c '^installed ' <<<"$out")" -eq 7 ] || fail "install.sh did not say it installed 7 files: $out"
grep -qxF "$expected_version is in $prefix/bin" <<<"$out" || fail "install.sh did not name the version it installed: $out"
grep -q "^next: add $prefix/bin to PATH" <<<"$out" || fail "install.sh did not say to add $prefix/bin to PATH: $out"
[ "$(stat -c %a "$prefix/bin/tlm")" = 755 ] || fail "install.sh installed bin/tlm with mode $(stat -c %a "$prefix/bin/tlm")"
# Found where each tool looks on its own, with only PATH set: man through PATH (man-db maps
# ~/.local/bin to ~/.local/share/man), bash-completion and fish through ~/.local/share; zsh
# through the fpath line install.sh prints.
SMOKE_HOME=$user_home smoke "$prefix" "$prefix/share/man/man1/tlm.1" "$prefix/share/zsh/site-functions" /usr/share
out=$(env -i HOME="$user_home" PATH=/usr/bin:/bin "$folder/install.sh" --uninstall) || fail "install.sh --uninstall: $out"
[ "$(grep -c '^removed ' <<<"$out")" -eq 7 ] || fail "install.sh --uninstall did not remove 7 files: $out"
left=$(find "$prefix" -type f)
[ -z "$left" ] || fail "install.sh --uninstall left: $left"
status=0
out=$("$folder/install.sh" --prefix 2>&1) || status=$?
[ "$status" -eq 64 ] && [ "$out" = "install.sh: --prefix needs a folder (try './install.sh --help')" ] \
    || fail "install.sh --prefix without a folder: exit $status, '$out'"
status=0
out=$(env -i PATH=/usr/bin:/bin "$folder/install.sh" --prefix /proc/tlm 2>&1) || status=$?
[ "$status" -eq 1 ] && [ "$out" = "install.sh: cannot write in /proc/tlm/bin: choose another --prefix, or run it with sudo" ] \
    || fail "install.sh into an unwritable prefix: exit $status, '$out'"
ok "the archive's install.sh installed 7 files into ~/.local in $archive_ms ms; everything works; --uninstall removed them"
echo "dist test: passed ($(basename "$tlm_deb") $(stat -c %s "$tlm_deb") B, $(basename "$export_deb") $(stat -c %s "$export_deb") B, $(basename "$archive") $(stat -c %s "$archive") B)"
cd "$repo"
