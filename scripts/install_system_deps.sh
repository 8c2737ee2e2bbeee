#!/usr/bin/env bash
# Installs the Debian packages the tests need on a fresh Debian/Ubuntu machine:
#   chromium            the browser Playwright drives (Playwright's own download is not used)
#   fonts-wqy-microhei  a small CJK font so Chinese labels render in figures and pages
#   bubblewrap          the sandbox the homework grader runs each student's notebook in
# Installs only what is missing (safe to run before every test run).
# Needs root or sudo and apt-get; otherwise it says why and exits 0, and the browser tests skip
# with that reason.
set -euo pipefail

PACKAGES=()
command -v chromium >/dev/null 2>&1 || PACKAGES+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
    || PACKAGES+=(fonts-wqy-microhei)
command -v bwrap >/dev/null 2>&1 || PACKAGES+=(bubblewrap)

if [ ${#PACKAGES[@]} -eq 0 ]; then
    echo "install_system_deps: chromium, fonts-wqy-microhei and bubblewrap already installed; nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_system_deps: ${PACKAGES[*]} missing and apt-get is not available;" \
         "install them yourself (the tests that need them will be skipped)" >&2
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "install_system_deps: ${PACKAGES[*]} missing and installing it needs root" \
             "(run: sudo apt-get install ${PACKAGES[*]}); the tests that need them will be skipped" >&2
        exit 0
    fi
fi

echo "install_system_deps: installing ${PACKAGES[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -qq; then
    echo "install_system_deps: apt-get update failed; the tests that need them will be skipped" >&2
    exit 0
fi
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "install_system_deps: apt-get install ${PACKAGES[*]} failed; the tests that need them will be skipped" >&2
    exit 0
fi
echo "install_system_deps: installed ${PACKAGES[*]} ($(chromium --version 2>/dev/null || echo 'chromium'))"
