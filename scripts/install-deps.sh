#!/usr/bin/env bash
# Installs what DiffGen needs, once; silent when everything is present.
# - Debian packages (apt-get): as root, or through sudo when it needs no password; otherwise the
#   exact command to run is printed and the script fails.
# - CasADi (the outside client of the tests and benchmarks) and Pinocchio (`pin`, the independent
#   rigid-body library of the robot tests): used where python3 already has them, else installed
#   into .venv/ in this repository, which the Makefile puts first on PATH (works
#   on systems whose Python is marked externally managed).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libtcc-dev tcc gcc-arm-none-eabi cmake libssl-dev chromium liblapack-dev liblapacke-dev libcolpack-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        run=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        run=(sudo)
    else
        echo "DiffGen needs these Debian packages: ${missing[*]}" >&2
        echo "Install them as root, then run make again:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "installing ${missing[*]} (apt-get)"
    "${run[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=python3
[ -x .venv/bin/python3 ] && python=.venv/bin/python3
# Pinocchio (the wheel `pin`) is the independent rigid-body library robot tests compare with.
if ! "$python" -c "import casadi, pinocchio" 2>/dev/null; then
    echo "installing casadi and pin into .venv (pip)"
    if [ ! -x .venv/bin/python3 ] && ! python3 -m venv .venv 2>/dev/null; then
        rm -rf .venv
        echo "python3 cannot make a virtual environment; install python3-venv (Debian) and run make again:" >&2
        echo "    sudo apt-get install -y python3-venv" >&2
        exit 1
    fi
    # cmeel-eigen and cmeel-urdfdom-headers: the headers `make bench` builds Pinocchio's C++ twin with.
    .venv/bin/python3 -m pip install -q --disable-pip-version-check casadi pin cmeel-eigen cmeel-urdfdom-headers
    .venv/bin/python3 -c "import casadi, pinocchio"
fi

# acados (the wheel comma-deps-acados: acados, its Python template layer, and a CasADi of its own
# built for CPython 3.12) lives in .venv-acados/, apart from the CasADi above.
if ! .venv-acados/bin/python -c "import acados; acados.smoketest()" 2>/dev/null; then
    py312=""
    # A pyenv shim answers for versions that are not selected: try it, then pyenv's own copies.
    for candidate in python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12; do
        if "$candidate" -c "import sys; assert sys.version_info[:2] == (3, 12)" 2>/dev/null; then py312=$candidate; break; fi
    done
    if [ -z "$py312" ]; then
        echo "acados' wheel needs Python 3.12 (python3.12); install it and run make again" >&2
        exit 1
    fi
    echo "installing comma-deps-acados into .venv-acados (pip)"
    rm -rf .venv-acados
    "$py312" -m venv .venv-acados
    .venv-acados/bin/python -m pip install -q --disable-pip-version-check comma-deps-acados==0.2.2.post92
    .venv-acados/bin/python -c "import acados; acados.smoketest()"
fi
