#!/usr/bin/env bash
# Installs what the browser tests need on a fresh Debian/Ubuntu machine:
#   chromium            the browser Playwright drives (Playwright's own download is not used)
#   fonts-wqy-microhei  a small CJK font so Chinese labels render in figures and pages
# Does nothing when chromium is already on PATH (safe to run before every test run).
# Needs root or sudo and apt-get; otherwise it says why and exits 0, and the browser tests skip
# with that reason.
set -euo pipefail

PACKAGES=(chromium fonts-wqy-microhei)

if command -v chromium >/dev/null 2>&1; then
    echo "install_browser_deps: chromium already installed ($(command -v chromium)); nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser_deps: chromium is missing and apt-get is not available;" \
         "install chromium yourself (the browser tests will be skipped)" >&2
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "install_browser_deps: chromium is missing and installing it needs root" \
             "(run: sudo apt-get install ${PACKAGES[*]}); the browser tests will be skipped" >&2
        exit 0
    fi
fi

echo "install_browser_deps: chromium is missing; installing ${PACKAGES[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -qq; then
    echo "install_browser_deps: apt-get update failed; the browser tests will be skipped" >&2
    exit 0
fi
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "install_browser_deps: apt-get install ${PACKAGES[*]} failed; the browser tests will be skipped" >&2
    exit 0
fi
echo "install_browser_deps: installed ${PACKAGES[*]} ($(chromium --version 2>/dev/null || echo 'chromium'))"
