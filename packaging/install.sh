#!/bin/sh
# Installs tlm from this folder (the release archive) into a prefix, and prints
# each file it writes. The default prefix, ~/.local, needs no root; a running tlm
# is never disturbed (each file is written beside its place, then renamed).
#
#   ./install.sh                       into ~/.local (or $PREFIX)
#   ./install.sh --prefix /usr/local   (with sudo)
#   ./install.sh --uninstall           removes exactly these files again
#
# Exit status: 0 done, 1 a file could not be written or removed, 64 a bad option.
set -eu

usage="usage: ./install.sh [--prefix DIR] [--uninstall]"
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-${HOME:-}/.local}
action=install

bad_usage() {
    echo "install.sh: $1 (try './install.sh --help')" >&2
    exit 64
}
while [ $# -gt 0 ]; do
    case $1 in
        --prefix)
            [ $# -ge 2 ] || bad_usage "--prefix needs a folder"
            prefix=$2
            shift 2
            ;;
        --prefix=*)
            prefix=${1#--prefix=}
            shift
            ;;
        --uninstall)
            action=uninstall
            shift
            ;;
        -h | --help)
            echo "$usage"
            echo "Installs tlm into DIR (default ~/.local, or \$PREFIX): bin/, share/man, shell completions."
            exit 0
            ;;
        *) bad_usage "unknown option '$1'" ;;
    esac
done
case $prefix in
    "" | /.local) bad_usage "no prefix: HOME is not set, give --prefix DIR" ;;
    /*) ;;
    *) prefix=$(pwd)/$prefix ;;
esac

# What is installed, with its mode: the same list removes it.
files="bin/tlm 755
bin/tlm-export 755
share/man/man1/tlm.1 644
share/man/man1/tlm-export.1 644
share/bash-completion/completions/tlm 644
share/zsh/site-functions/_tlm 644
share/fish/vendor_completions.d/tlm.fish 644"

if [ "$action" = uninstall ]; then
    echo "$files" | while read -r path mode; do
        if [ -e "$prefix/$path" ] || [ -L "$prefix/$path" ]; then
            rm -f "$prefix/$path" || {
                echo "install.sh: cannot remove $prefix/$path" >&2
                exit 1
            }
            echo "removed $prefix/$path"
        fi
    done
    exit 0
fi

echo "$files" | while read -r path mode; do
    target=$prefix/$path
    folder=$(dirname "$target")
    temporary=$folder/.tlm-install.$$
    if ! mkdir -p "$folder" 2>/dev/null || ! cp "$here/$path" "$temporary" 2>/dev/null; then
        rm -f "$temporary"
        echo "install.sh: cannot write in $folder: choose another --prefix, or run it with sudo" >&2
        exit 1
    fi
    chmod "$mode" "$temporary"
    mv -f "$temporary" "$target"
    echo "installed $target"
done

echo "$("$prefix/bin/tlm" --version | head -n 1) is in $prefix/bin"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *) echo "next: add $prefix/bin to PATH, e.g. in ~/.profile: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
case $prefix in
    /usr/local | /usr) ;;
    *) echo "next (zsh only): in ~/.zshrc, before compinit: fpath=($prefix/share/zsh/site-functions \$fpath)" ;;
esac
echo "then: tlm on   (telemetry is off until you opt in; see 'man tlm')"
