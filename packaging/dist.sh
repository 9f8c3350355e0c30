#!/usr/bin/env bash
# Writes tlm's release files into $OUT (make dist calls it after make build):
#
#   tlm_VERSION_ARCH.deb             tlm alone: static, no dependency
#   tlm-export_VERSION_ARCH.deb      the network half: depends on tlm, libcurl4 and zlib1g
#   tlm-VERSION-linux-MACHINE.tar.gz both binaries, man pages, completions, install.sh
#   SHA256SUMS                       over the three
#
# Reproducible: every file gets the commit's time (SOURCE_DATE_EPOCH), root as owner,
# a fixed mode; archives list their entries sorted; gzip stores no name or time; the
# binaries are stripped and built without the clone's path (Makefile). Two runs from
# the same commit write the same bytes (Tests/Dist/reproducible.sh checks it).
#
# Needs dpkg-deb and dpkg-shlibdeps (Debian's dpkg-dev), gzip, GNU tar, sha256sum.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."

: "${VERSION:?VERSION is not set (make dist sets it)}"
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH is not set (make dist sets it from the commit)}"
BIN=${BIN:-.build/release/tlm}
EXPORT_BIN=${EXPORT_BIN:-.build/release/tlm-export}
OUT=${OUT:-dist}
HOMEPAGE=${HOMEPAGE:?HOMEPAGE is not set (make dist sets it)}
MAINTAINER=${MAINTAINER:?MAINTAINER is not set (make dist sets it)}
export SOURCE_DATE_EPOCH

fail() {
    echo "dist: $*" >&2
    exit 1
}
for tool in dpkg-deb dpkg-shlibdeps gzip tar sha256sum strip; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found: install dpkg-dev, gzip, tar, coreutils and binutils"
done
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "VERSION '$VERSION' is not X.Y.Z"
[[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH '$SOURCE_DATE_EPOCH' is not a number of seconds"
for binary in "$BIN" "$EXPORT_BIN"; do
    [ -x "$binary" ] || fail "$binary is missing: run 'make build' first"
done

deb_arch=$(dpkg --print-architecture)
machine=$(uname -m)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Installs a file with a fixed mode; .gz when asked, compressed without name or time.
put() { # mode source destination
    mkdir -p "$(dirname "$3")"
    case $3 in
        *.gz) gzip -9nc "$2" >"$3" ;;
        *) cp "$2" "$3" ;;
    esac
    chmod "$1" "$3"
}

# A stripped copy of each binary: what both the packages and the archive ship.
mkdir -p "$stage/bin"
# (the sections Debian's dh_strip removes too: .comment names the compilers).
for binary in "$BIN" "$EXPORT_BIN"; do
    strip --remove-section=.comment --remove-section=.note -o "$stage/bin/$(basename "$binary")" "$binary"
done
chmod 755 "$stage/bin/tlm" "$stage/bin/tlm-export"

# Debian's changelog of a native package, from CHANGELOG.md: one entry per
# "## [X.Y.Z] - YYYY-MM-DD" heading, its bullets folded to 80 columns.
debian_changelog() {
    awk -v maintainer="$MAINTAINER" '
        function close_entry() {
            if (version == "") return
            if (items == 0) print "  * No user-visible change."
            print ""
            cmd = "date -u -R -d " day "T12:00:00Z"; cmd | getline stamp; close(cmd)
            print " -- " maintainer "  " stamp
            print ""
        }
        # One bullet, folded at 78 columns: "  * " for a bullet, "    - " for one nested in it.
        function item(text, mark, indent,   line, n, i, words, empty) {
            n = split(text, words, " ")
            line = mark; empty = 1
            for (i = 1; i <= n; i++) {
                if (!empty && length(line) + 1 + length(words[i]) > 78) { print line; line = indent; empty = 1 }
                line = line (empty ? "" : " ") words[i]; empty = 0
            }
            print line
            items++
        }
        function clean(text) { gsub(/`/, "", text); gsub(/\*\*/, "", text); return text }
        /^## \[[0-9]+\.[0-9]+\.[0-9]+\] - [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ {
            close_entry()
            version = substr($2, 2, length($2) - 2); day = $4; items = 0; section = ""
            print "tlm (" version ") unstable; urgency=medium"
            print ""
            next
        }
        /^## / { close_entry(); version = ""; next }
        version != "" && /^### / { section = substr($0, 5); next }
        version != "" && /^- / {
            text = clean(substr($0, 3))
            if (section != "") {
                # "Security, never recorded: …" (an acronym keeps its capital).
                if (substr(text, 2, 1) ~ /[a-z]/) text = tolower(substr(text, 1, 1)) substr(text, 2)
                text = section ", " text
            }
            item(text, "  * ", "    ")
        }
        version != "" && /^  - / { item(clean(substr($0, 5)), "    - ", "      ") }
        version != "" && /^[^-#[:space:]]/ { item(clean($0), "  * ", "    ") }
        END { close_entry() }
    ' CHANGELOG.md | sed -e '$ { /^$/d }'
}
debian_changelog >"$stage/changelog"
grep -q "^tlm ($VERSION) " "$stage/changelog" || fail "CHANGELOG.md has no '## [$VERSION] - DATE' entry"

copyright() { sed "s|@HOMEPAGE@|$HOMEPAGE|" packaging/debian/copyright; }
copyright >"$stage/copyright"

# Dependencies as Debian computes them (dpkg-shlibdeps, from the libraries each binary
# links): none for the static tlm, libc6, libcurl4, zlib1g… for tlm-export.
shlib_depends() { # binary
    local tree
    tree=$(mktemp -d "$stage/shlibs.XXXX")
    mkdir -p "$tree/debian"
    printf 'Source: tlm\n\nPackage: tlm\nArchitecture: any\n' >"$tree/debian/control"
    (cd "$tree" && dpkg-shlibdeps -O "$1" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
}

# One package tree: its files, DEBIAN/control and md5sums, every time the commit's.
build_deb() { # package depends extra-control-lines short-description long-description
    local package=$1 depends=$2 extra=$3 short=$4 long=$5
    local root=$stage/$package
    local doc=$root/usr/share/doc/$package
    put 644 "$stage/copyright" "$doc/copyright"
    put 644 "$stage/changelog" "$doc/changelog.gz"
    mkdir -p "$root/DEBIAN"
    (cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
    local size
    size=$(find "$root/usr" -type f -printf '%s\n' | awk '{ kib += int(($1 + 1023) / 1024) } END { print kib }')
    {
        echo "Package: $package"
        echo "Version: $VERSION"
        echo "Architecture: $deb_arch"
        echo "Maintainer: $MAINTAINER"
        echo "Installed-Size: $size"
        [ -z "$depends" ] || echo "Depends: $depends"
        [ -z "$extra" ] || printf '%s\n' "$extra"
        echo "Section: utils"
        echo "Priority: optional"
        echo "Homepage: $HOMEPAGE"
        echo "Description: $short"
        printf '%s\n' "$long" | sed 's/^$/./; s/^/ /'
    } >"$root/DEBIAN/control"
    chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
    find "$root" -type d -exec chmod 755 {} +
    find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
    dpkg-deb --root-owner-group -Zxz -z9 --build "$root" "$OUT/${package}_${VERSION}_${deb_arch}.deb" >/dev/null
}

rm -rf "$OUT"
mkdir -p "$OUT"

# tlm: the static executable, its man page and the three completions.
root=$stage/tlm
put 755 "$stage/bin/tlm" "$root/usr/bin/tlm"
put 644 man/tlm.1 "$root/usr/share/man/man1/tlm.1.gz"
put 644 completions/tlm.bash "$root/usr/share/bash-completion/completions/tlm"
put 644 completions/_tlm "$root/usr/share/zsh/vendor-completions/_tlm"
put 644 completions/tlm.fish "$root/usr/share/fish/vendor_completions.d/tlm.fish"
put 644 packaging/debian/tlm.lintian-overrides "$root/usr/share/lintian/overrides/tlm"
build_deb tlm "$(shlib_depends "$stage/bin/tlm")" "Suggests: tlm-export" \
    "wrap commands, keep private, local, opt-in telemetry of them" \
    "tlm run -- make apply G=web runs the command unchanged (exit status, signals,
terminal, job control), measures its time and, only when the user has opted
in, appends one JSON line to a private log: the target, the domain, the
duration and the exit status, never arguments, paths or the environment.
tlm report summarizes the log (p50/p95/p99, failures, what changed) as text,
HTML, JSON, CSV or Markdown; tlm run supervises with --timeout and --retries.

This package is one static executable with no dependency. Sending to an
OpenTelemetry collector or a Prometheus Pushgateway needs tlm-export."

# tlm-export: the network half, beside tlm in /usr/bin where tlm looks for it.
root=$stage/tlm-export
put 755 "$stage/bin/tlm-export" "$root/usr/bin/tlm-export"
put 644 man/tlm-export.1 "$root/usr/share/man/man1/tlm-export.1.gz"
depends="tlm (= $VERSION)"
shlibs=$(shlib_depends "$stage/bin/tlm-export")
[ -z "$shlibs" ] || depends="$depends, $shlibs"
build_deb tlm-export "$depends" "" \
    "send tlm's telemetry to OpenTelemetry and Prometheus" \
    "tlm export otlp sends the runs tlm recorded as OpenTelemetry traces (OTLP over
HTTP) to a collector; tlm export prometheus --push sends its metrics to a
Pushgateway. tlm hands these commands over to tlm-export, which links the
system's libcurl and zlib, so that tlm itself stays one static executable."

# The archive: one folder, installable anywhere by its install.sh.
name=tlm-$VERSION-linux-$machine
tree=$stage/archive/$name
put 755 "$stage/bin/tlm" "$tree/bin/tlm"
put 755 "$stage/bin/tlm-export" "$tree/bin/tlm-export"
put 644 man/tlm.1 "$tree/share/man/man1/tlm.1"
put 644 man/tlm-export.1 "$tree/share/man/man1/tlm-export.1"
put 644 completions/tlm.bash "$tree/share/bash-completion/completions/tlm"
put 644 completions/_tlm "$tree/share/zsh/site-functions/_tlm"
put 644 completions/tlm.fish "$tree/share/fish/vendor_completions.d/tlm.fish"
put 644 README.md "$tree/README.md"
put 644 LICENSE "$tree/LICENSE"
put 644 CHANGELOG.md "$tree/CHANGELOG.md"
put 755 packaging/install.sh "$tree/install.sh"
find "$tree" -type d -exec chmod 755 {} +
find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
tar -C "$stage/archive" --sort=name --format=gnu --owner=0 --group=0 --numeric-owner \
    --mtime="@$SOURCE_DATE_EPOCH" -cf - "$name" | gzip -9n >"$OUT/$name.tar.gz"

(cd "$OUT" && printf '%s\n' *.deb *.tar.gz | LC_ALL=C sort | xargs sha256sum -- >SHA256SUMS)
(cd "$OUT" && ls -l -- *.deb *.tar.gz SHA256SUMS | awk '{ printf "dist: %-40s %10d bytes\n", $NF, $5 }')
