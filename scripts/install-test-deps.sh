#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Python 3.11:
# the project with its test extras, the Debian packages for browser and PDF checks,
# the npm packages for the bpmn-moddle check, and pyqdpx (a REFI-QDA reader that
# needs Python >= 3.12) in a venv of its own for the QDPX read-back test. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet -e ".[test]"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v xvfb-run >/dev/null 2>&1 || need_apt+=(xvfb libxcb-icccm4 libxcb-keysyms1)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# the shared-study tests start a throwaway PostgreSQL cluster of their own (initdb, pg_ctl)
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f tests/js/package.json ]; then
    (cd tests/js && npm ci --silent --no-audit --no-fund)
fi

# pyqdpx reads our .qdpx back in the tests; it needs Python >= 3.12 (pyenv's, or one on PATH).
# Where none is found, Debian's python3.13 or python3.12 is installed if the distribution has one.
if ! python -m tests.pyqdpx_env >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    for version in 3.13 3.12; do
        if apt-cache show "python$version-venv" >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "python$version" "python$version-venv" >/dev/null
            break
        fi
    done
    if ! python -m tests.pyqdpx_env >/dev/null 2>&1; then
        # no distribution package either (Debian 12): a standalone CPython 3.12 through uv (pinned)
        python -m pip install --quiet "uv==0.13.8"
        python -m uv python install 3.12
    fi
    python -m tests.pyqdpx_env >/dev/null  # says what is missing, and fails, when it still cannot
fi
