#!/usr/bin/env bash
# The deployment files, checked by the tools a Debian admin would use on
# them (docs/deployment.md): `meson install` into a scratch root puts each
# file where it belongs; systemd-analyze verifies the unit and rates its
# hardening; promtool checks the alerting rules and runs their unit tests;
# mandoc lints the man pages; and every metric the rules and the dashboard
# name is one a running `haulpass serve` really exposes.
#
#   tests/deploy/run_deploy.sh BUILD_DIR
#
# Needs what tools/test exports (HAULPASS_TEST_PG, HAULPASS_TEST_TEMPLATE,
# HAULPASS_BIN, HAULPASS_TEST_STANDBY). Prints TAP-like lines and "# N passed, M failed".
set -u

build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${HAULPASS_BIN:?run me through tools/test}
scratch=$(mktemp -d /tmp/hp-deploy.XXXXXX)
server_pid=
db=deploy_$$
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || sed 's/^/    /' <<<"$2" | head -n 20; }
# check NAME CMD...: ok when CMD succeeds, its output shown otherwise.
check() {
  local name=$1 out; shift
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$out"; fi
}
psql_pg() { /usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -d "$HAULPASS_TEST_PG dbname=postgres" "$@"; }
finish() {
  [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }
  psql_pg -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$scratch"
  echo "# $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
trap finish EXIT

# --- meson install ----------------------------------------------------------
dest=$scratch/root
if out=$(DESTDIR=$dest meson install -C "$build" --no-rebuild --quiet 2>&1); then
  ok "meson install puts the files into a scratch root"
else
  not_ok "meson install puts the files into a scratch root" "$out"
  exit 1
fi
prefix=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
sysconf=$prefix/etc
[ "$prefix" != /usr ] || sysconf=/etc
missing=
for f in "$prefix/bin/haulpass" "$prefix/lib/systemd/system/haulpass.service" \
         "$prefix/lib/sysusers.d/haulpass.conf" "$sysconf/haulpass/haulpass.env" \
         "$prefix/share/doc/haulpass/examples/haulpass.rules.yml" \
         "$prefix/share/doc/haulpass/examples/haulpass-dashboard.json"; do
  [ -f "$dest$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "the binary, unit, system user, environment file and examples are installed"
else not_ok "the binary, unit, system user, environment file and examples are installed" "missing:$missing"; fi
mode=$(stat -c %a "$dest$sysconf/haulpass/haulpass.env" 2>/dev/null)
if [ "$mode" = 640 ]; then ok "the environment file is not readable by everyone (0640)"
else not_ok "the environment file is not readable by everyone (0640)" "mode $mode"; fi

# Each command of `haulpass --help` has its man page.
man=$dest$prefix/share/man
missing=
for c in $("$bin" --help 2>&1 | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} /^$/{on=0}'); do
  [ -f "$man/man1/haulpass-$c.1" ] || missing="$missing haulpass-$c.1"
done
if [ -z "$missing" ] && [ -f "$man/man1/haulpass.1" ]; then ok "every command has a man page"
else not_ok "every command has a man page" "missing:$missing"; fi
lint=
for f in "$man"/man1/haulpass*.1; do lint+=$(mandoc -T lint -W warning "$f" 2>&1); done
if [ -z "$lint" ]; then ok "mandoc finds nothing to warn about in the man pages"
else not_ok "mandoc finds nothing to warn about in the man pages" "$lint"; fi

# --- the systemd unit -------------------------------------------------------
# systemd-analyze checks that ExecStart's program exists and that
# Documentation's man pages open: point both at the scratch root.
unit=$scratch/haulpass.service
sed "s#=$prefix/bin/haulpass#=$dest$prefix/bin/haulpass#" \
  "$dest$prefix/lib/systemd/system/haulpass.service" >"$unit"
out=$(MANPATH=$man systemd-analyze verify "$unit" 2>&1); st=$?
if [ $st -eq 0 ] && [ -z "$out" ]; then ok "systemd-analyze verify passes on the unit, without a warning"
else not_ok "systemd-analyze verify passes on the unit, without a warning" "$out"; fi
grep -q "^EnvironmentFile=$sysconf/haulpass/haulpass.env$" "$unit" &&
  grep -q '^User=haulpass$' "$unit" &&
  grep -q '^NoNewPrivileges=yes$' "$unit" && grep -q '^ProtectSystem=strict$' "$unit" &&
  ok "the unit runs as haulpass, reads the environment file, and is hardened" ||
  not_ok "the unit runs as haulpass, reads the environment file, and is hardened" "$(cat "$unit")"
exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 |
  sed -n 's/.*Overall exposure level for haulpass.service: \([0-9.]*\).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
  ok "systemd-analyze security rates the unit's exposure $exposure (at most 2.0)"
else
  not_ok "systemd-analyze security rates the unit's exposure at most 2.0" "exposure: ${exposure:-none}"
fi

# The sample environment file names only variables the service reads, and
# every variable the README's configuration table lists.
known=$(grep -o 'HAULPASS_[A-Z_]*' "$root/README.md" | sort -u)
named=$(grep -o 'HAULPASS_[A-Z_]*' "$root/deploy/haulpass.env" | sort -u)
extra=$(comm -13 <(echo "$known") <(echo "$named"))
absent=$(comm -23 <(sed -n '/^## Configuration/,/^## /p' "$root/README.md" |
  grep -o '^| `HAULPASS_[A-Z_]*' | tr -d '|` ' | sort -u | grep -v DEBUG_ROUTES) <(echo "$named"))
if [ -z "$extra" ] && [ -z "$absent" ]; then ok "the sample environment file covers the README's settings and no others"
else not_ok "the sample environment file covers the README's settings and no others" "unknown: $extra / not in the sample: $absent"; fi

# --- Prometheus and Grafana ---------------------------------------------------
check "promtool check rules passes" promtool check rules "$root/deploy/prometheus/haulpass.rules.yml"
check "each alert fires on its figures and not on a healthy instance (promtool test rules)" \
  promtool test rules "$root/deploy/prometheus/haulpass.rules.test.yml"
check "the Grafana dashboard is JSON with panels" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["panels"] and all(p["targets"] for p in d["panels"]), "a panel without a query"' \
  "$root/deploy/grafana/haulpass-dashboard.json"

# Every metric the rules and the dashboard name, in a live /metrics.
psql_pg -c "CREATE DATABASE $db TEMPLATE $HAULPASS_TEST_TEMPLATE" >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# On the standby tools/test starts (HAULPASS_TEST_STANDBY): only an instance
# reading one shows haulpass_replica_lag_seconds, which an alert and a panel
# use. Without a standby that metric is reported missing.
read_db=
[ -z "${HAULPASS_TEST_STANDBY:-}" ] || read_db="$HAULPASS_TEST_STANDBY dbname=$db"
HAULPASS_DB="$HAULPASS_TEST_PG dbname=$db" HAULPASS_DB_READ=$read_db HAULPASS_LISTEN=127.0.0.1:$port \
  HAULPASS_LOG=warn HAULPASS_THREADS=1 HAULPASS_DB_POOL=2 "$bin" serve 2>"$scratch/serve.log" &
server_pid=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
curl -s "http://127.0.0.1:$port/healthz" >/dev/null  # so that the request counters have a row
curl -s -X POST "http://127.0.0.1:$port/v1/checks/route" -d '{}' >/dev/null
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
missing=
for m in $(grep -oh 'haulpass_[a-z_]*' "$root/deploy/prometheus/haulpass.rules.yml" \
             "$root/deploy/grafana/haulpass-dashboard.json" | sort -u); do
  grep -q "^$m[ {]" <<<"$metrics" || missing="$missing $m"
done
if [ -n "$metrics" ] && [ -z "$missing" ]; then ok "every metric the alerts and the dashboard use is exposed by haulpass serve"
else not_ok "every metric the alerts and the dashboard use is exposed by haulpass serve" "missing:$missing ${read_db:-(no standby: HAULPASS_TEST_STANDBY unset)} $(tail -n 5 "$scratch/serve.log")"; fi
