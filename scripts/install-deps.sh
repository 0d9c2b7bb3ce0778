#!/usr/bin/env bash
# Installs what DiffGen needs from Debian's packages, once; silent when all is present.
set -euo pipefail
missing=()
for package in libtcc-dev tcc gcc-arm-none-eabi cmake libssl-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# CasADi is the outside client the tests and benchmarks compare against.
if ! python3 -c "import casadi" 2>/dev/null; then
    echo "installing casadi (pip)"
    python3 -m pip install -q casadi 2>&1 | grep -v "WARNING: Running pip as the 'root' user" || true
    python3 -c "import casadi"
fi
