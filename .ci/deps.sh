#!/usr/bin/env bash
# Installs what tlm's tests need, from Debian's packages, only when missing:
# mandoc and groff (man page lint), zsh, fish and bash-completion (completion
# and shell-init checks), python3
# (a test child that counts signals), Prometheus, node_exporter and the
# Pushgateway (export's real peers), openssl (a test certificate) and, from PyPI, jsonschema (the logbook's
# schema check), opentelemetry-proto (the OTLP receiver's parser) and prometheus_client
# (an independent parser of the exposition's label values); for the release files (make dist,
# Tests/Dist): dpkg-dev (dpkg-shlibdeps), binutils (strip), lintian, and man-db (man -w).
# Idempotent and quiet when all is there.
set -euo pipefail
need=()
command -v mandoc >/dev/null 2>&1 || need+=(mandoc)
command -v groff >/dev/null 2>&1 || need+=(groff-base)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
[ -f /usr/share/bash-completion/bash_completion ] || need+=(bash-completion)
command -v fish >/dev/null 2>&1 || need+=(fish)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v make >/dev/null 2>&1 || need+=(make)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-node-exporter >/dev/null 2>&1 || need+=(prometheus-node-exporter)
command -v prometheus-pushgateway >/dev/null 2>&1 || need+=(prometheus-pushgateway)
command -v dpkg-shlibdeps >/dev/null 2>&1 || need+=(dpkg-dev)
command -v strip >/dev/null 2>&1 || need+=(binutils)
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v man >/dev/null 2>&1 || need+=(man-db)
if [ ${#need[@]} -ne 0 ]; then
    echo "deps: installing ${need[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
pip_need=()
python3 -c 'import jsonschema' >/dev/null 2>&1 || pip_need+=(jsonschema)
python3 -c 'import opentelemetry.proto.collector.trace.v1.trace_service_pb2' >/dev/null 2>&1 \
    || pip_need+=(opentelemetry-proto)
python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || pip_need+=(prometheus_client)
if [ ${#pip_need[@]} -ne 0 ]; then
    echo "deps: installing ${pip_need[*]} (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check "${pip_need[@]}" >&2 \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${pip_need[@]}" >&2
fi
