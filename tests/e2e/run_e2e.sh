#!/bin/sh
# End-to-end tests of the console in a real browser: Debian's chromium,
# headless, driven by puppeteer-core (pinned in package-lock.json; it
# downloads no browser), against a real `haulpass serve` on a fresh database
# for each scenario (tests/e2e/*.test.mjs, run by main.mjs;
# HAULPASS_E2E_ONLY=WORD runs only the files whose name contains WORD).
#
#   tests/e2e/run_e2e.sh BUILD_DIR
#
# Needs what tools/test exports: HAULPASS_TEST_PG, HAULPASS_TEST_TEMPLATE.
# Screenshots of each step land in var/e2e/. Last line: "# N passed, M
# failed"; exit status 1 on any failure.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
bin=$build/src/haulpass
[ -x "$bin" ] || bin=$build/haulpass

fail() {
    echo "not ok - $1"
    echo "# 0 passed, 1 failed"
    exit 1
}
[ -x "$bin" ] || fail "no haulpass executable in $build"
[ -n "${HAULPASS_TEST_PG:-}" ] || fail "HAULPASS_TEST_PG is not set (run me through tools/test)"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (apt package chromium)"
if [ ! -f "$here/node_modules/.package-lock.json" ] ||
   [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || fail "npm ci failed in $here"
fi

mkdir -p "$root/var/e2e"
HAULPASS_BIN=$bin HAULPASS_E2E_SHOTS=$root/var/e2e exec node "$here/main.mjs"
