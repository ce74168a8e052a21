#!/usr/bin/env bash
# Install the Debian packages the real-client tests use, when their commands are missing:
#   newsboat (feed reader), chromium (headless browser), jekyll and hugo (static-site builders);
# then the JavaScript the browser tests inject (axe-core, pinned in tests/js/package-lock.json)
# from npm, when tests/js/node_modules lacks it (npm itself from Debian if it is missing too).
#
#   bash scripts/install_system_deps.sh
#
# Idempotent: installs nothing (and does not touch apt or npm) when everything is already there.
# Needs root or passwordless sudo; without either it says what to install and exits 0, so the
# suite still runs (those tests then skip locally, and fail under CI=true: see tests/tools.py).
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package that provides it
declare -A PACKAGE_OF=(
    [newsboat]=newsboat
    [chromium]=chromium
    [jekyll]=jekyll
    [hugo]=hugo
)

# The npm packages of tests/js, installed exactly as its package-lock.json says.
AXE=tests/js/node_modules/axe-core/axe.min.js

install_js() {
    if [ -f "$AXE" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "install_system_deps: no npm; install axe-core by hand: npm ci --prefix tests/js" >&2
        return 0
    fi
    echo "install_system_deps: npm ci --prefix tests/js (axe-core)"
    npm ci --prefix tests/js --no-audit --no-fund
}

missing=()
for cmd in newsboat chromium jekyll hugo; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$cmd]}")
done
if [ ! -f "$AXE" ] && ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install_system_deps: all present (newsboat chromium jekyll hugo)"
    install_js
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_system_deps: no apt-get here; install these by hand: ${missing[*]}" >&2
    install_js
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "install_system_deps: not root and no passwordless sudo; skipping." >&2
    echo "  Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    echo "  (tests needing them skip locally and fail under CI=true)" >&2
    install_js
    exit 0
fi

echo "install_system_deps: installing ${missing[*]}"
start=$SECONDS
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install_system_deps: done in $((SECONDS - start)) s"
install_js
