#!/bin/sh
# Differential test of src/rules/opening_hours.c against the npm package
# opening_hours (version pinned in package.json / package-lock.json), in
# Asia/Shanghai and Europe/London (DST), side by side.
#
#   tests/diff/run_opening_hours.sh BUILD_DIR
#
# SEED=N reproduces a run (the seed is printed), COUNT=N sets the number of
# expressions per zone (default 3000). Last line: "# N passed, M failed";
# exit status 1 on any failure.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
driver="$build/src/rules/hp_oh_eval"

ninja -C "$build" src/rules/hp_oh_eval >/dev/null || {
    echo "not ok - cannot build $driver"
    echo "# 0 passed, 1 failed"
    exit 1
}
if [ ! -f "$here/node_modules/opening_hours/package.json" ]; then
    (cd "$here" && npm ci --silent --no-audit --no-fund) || {
        echo "not ok - npm ci failed in $here"
        echo "# 0 passed, 1 failed"
        exit 1
    }
fi

seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
count=${COUNT:-3000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

pids=""
for tz in Asia/Shanghai Europe/London; do
    out="$tmp/$(echo "$tz" | tr / _)"
    TZ=$tz node "$here/diff_opening_hours.js" "$driver" --seed "$seed" --count "$count" >"$out" 2>&1 &
    pids="$pids $!"
done
for pid in $pids; do
    wait "$pid" || true
done

passed=0
failed=0
for out in "$tmp"/*; do
    # Everything but each zone's own count line, which we sum instead.
    grep -v '^# [0-9]* passed, [0-9]* failed$' "$out" || true
    line=$(grep '^# [0-9]* passed, [0-9]* failed$' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "not ok - $(basename "$out"): no result (crashed?)"
        failed=$((failed + 1))
        continue
    fi
    p=$(echo "$line" | sed 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1/')
    f=$(echo "$line" | sed 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\2/')
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
