#!/usr/bin/env bash
# Set-up and entry points for a fresh Debian machine (Python 3.11, root or sudo).
#   bash scripts/dev.sh run    install what the app needs, then open it on the local profile
#   bash scripts/dev.sh test   install what the tests need, then run lint, types, layers, tests and bench smoke
#   bash scripts/dev.sh bundle build the one-folder PyInstaller bundle (build.spec) into dist/imbizo
# Both are idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

# Debian packages: Qt's xcb platform plugin for a real window; Xvfb for screenshots and
# for running the app where there is no display.
APT_RUN=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
         libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0
         libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 xvfb xauth)
APT_TEST=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0)

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get -o DPkg::Lock::Timeout=300 -y -qq install "${missing[@]}" >/dev/null
}

venv_install() {
    local extras=$1
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    local stamp="$VENV/.imbizo-$extras"
    local want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "Installing Python packages into .venv (imbizo[$extras])"
        local log="$VENV/pip-install.log"
        if ! { "$VENV/bin/python" -m pip install -q --upgrade pip &&
               "$VENV/bin/python" -m pip install -q -e ".[$extras]"; } >"$log" 2>&1; then
            cat "$log" >&2
            echo "pip install failed (log above)" >&2
            exit 1
        fi
        echo "$want" > "$stamp"
    fi
}

cmd=${1:-}
shift || true
case "$cmd" in
run)
    apt_install "${APT_RUN[@]}"
    venv_install desktop
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "No display here: starting the app on a virtual screen as a smoke test."
        exec xvfb-run -a "$VENV/bin/imbizo" "$@" --smoke-test
    fi
    exec "$VENV/bin/imbizo" "$@"
    ;;
test)
    apt_install "${APT_TEST[@]}"
    venv_install dev
    export QT_QPA_PLATFORM=offscreen
    cd "$ROOT"
    echo "== ruff"; "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .
    echo "== mypy"; "$VENV/bin/mypy" desktop sync bench
    echo "== import-linter"; "$VENV/bin/lint-imports"
    # Two workers: most tests use one core, and CI machines have two (IMBIZO_TEST_WORKERS=0: one process).
    echo "== pytest"; "$VENV/bin/pytest" -q -p no:cacheprovider -n "${IMBIZO_TEST_WORKERS:-2}" --dist worksteal "$@"
    echo "== benchmarks (smoke size)"; "$VENV/bin/python" -m bench.run_all --smoke
    ;;
bundle)
    apt_install "${APT_TEST[@]}"
    venv_install dev
    "$VENV/bin/pyinstaller" --noconfirm build.spec "$@"
    echo "Built dist/imbizo/imbizo ($(du -sh dist/imbizo | cut -f1)); try: QT_QPA_PLATFORM=offscreen dist/imbizo/imbizo --smoke-test"
    ;;
*)
    echo "usage: bash scripts/dev.sh run|test|bundle [args]" >&2
    exit 2
    ;;
esac
