#!/usr/bin/env bash
# Installs what tlm's tests need, from Debian's packages, only when missing:
# mandoc and groff (man page lint), zsh and fish (completion checks), python3
# (a test child that counts signals) and, from PyPI, jsonschema (the logbook's
# schema check). Idempotent and quiet when all is there.
set -euo pipefail
need=()
command -v mandoc >/dev/null 2>&1 || need+=(mandoc)
command -v groff >/dev/null 2>&1 || need+=(groff-base)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v make >/dev/null 2>&1 || need+=(make)
if [ ${#need[@]} -ne 0 ]; then
    echo "deps: installing ${need[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
    echo "deps: installing jsonschema (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check jsonschema >&2 \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages jsonschema >&2
fi
