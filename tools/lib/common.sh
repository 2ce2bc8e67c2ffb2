# shellcheck shell=bash disable=SC2034  # (variables used by the sourcing scripts)
# Shared by tools/run, tools/test, tools/pg, tools/bench: sourced, never run.

# The repository's top folder, from this file's own place (no git needed).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
export ROOT
PGBIN=/usr/lib/postgresql/15/bin

# Debian packages each script needs (tools/test adds TEST, tools/bench BENCH).
HP_PKGS_RUN=(build-essential meson ninja-build pkg-config python3 libmicrohttpd-dev
  libpq-dev libxml2-dev libcjson-dev libgeos-dev libssl-dev libcurl4-openssl-dev libqrencode-dev
  libbrotli-dev postgresql-15 postgresql-15-postgis-3 postgresql-contrib curl jq nodejs npm)
# chromium and a CJK font: the console's end-to-end tests (tests/e2e/), whose
# screenshots a person reads; rsvg-convert and zbarimg read pass codes' QRs back;
# promtool (in prometheus) and mandoc check the deployment files; the service
# is tested behind pgbouncer.
HP_PKGS_TEST=(clang libclang-rt-14-dev nodejs npm chromium fonts-wqy-zenhei librsvg2-bin zbar-tools
  prometheus mandoc pgbouncer)
HP_PKGS_BENCH=(wrk postgresql-client)

# build/ is shared by tools/run and tools/test: the same options for both, so
# switching between them never reconfigures or rebuilds from scratch.
HP_MAIN_BUILD_ARGS=(--buildtype=debugoptimized -Dwerror=true)

hp_say() { printf '==> %s\n' "$*"; }
hp_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# hp_install_deps PKG...: installs those of PKG that dpkg does not have.
hp_install_deps() {
  local p missing=()
  for p in "$@"; do
    # node/npm may come from outside dpkg (e.g. npm installed by npm itself);
    # Debian's npm would then drag in a second Node.js, so leave them be.
    case $p in nodejs) command -v node >/dev/null && continue ;;
               npm) command -v npm >/dev/null && continue ;; esac
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || hp_die "missing packages (run as root to install): ${missing[*]}"
  hp_say "installing ${missing[*]}"
  mkdir -p "$ROOT/var"
  local log="$ROOT/var/apt.log"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a dpkg lock held by someone else (e.g. unattended-upgrades).
  if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
         apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
           "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
    cat "$log" >&2
    hp_die "apt-get failed"
  fi
}

# hp_build DIR [MESON-SETUP-ARGS...]: configures DIR (relative to ROOT) when
# new or when its arguments (or $CC) changed, then builds it; quiet unless it
# fails. A changed setup starts DIR afresh: stale options can't linger.
hp_build() {
  local dir=$1; shift
  local want="CC=${CC:-} $*" log="$ROOT/var/${dir//\//_}.build.log"
  mkdir -p "$ROOT/var"
  if [ ! -f "$ROOT/$dir/build.ninja" ] || [ "$(cat "$ROOT/$dir/.hp-setup" 2>/dev/null)" != "$want" ]; then
    rm -rf "${ROOT:?}/$dir"
    if ! (cd "$ROOT" && meson setup "$dir" "$@") >"$log" 2>&1 </dev/null; then
      cat "$log"; echo "meson setup $dir failed (log: $log)"; return 1
    fi
    printf '%s\n' "$want" >"$ROOT/$dir/.hp-setup"
  fi
  if ! ninja -C "$ROOT/$dir" >"$log" 2>&1 </dev/null; then
    cat "$log"; echo "build of $dir failed (log: $log)"; return 1
  fi
}

# hp_bin BUILDDIR: the haulpass executable in BUILDDIR (relative to ROOT).
hp_bin() {
  local b
  for b in "$ROOT/$1/haulpass" "$ROOT/$1/src/haulpass"; do
    [ -x "$b" ] && { printf '%s\n' "$b"; return 0; }
  done
  echo "no haulpass executable in $1" >&2
  return 1
}

# hp_server: sets HP_PG to a libpq "key=value" string naming the PostgreSQL
# server (no dbname): $HAULPASS_DB when that is set (nothing is started), else
# the private cluster of tools/pg, started if needed. HP_PG_PRIVATE=1 in the
# latter case.
hp_server() {
  if [ -n "${HAULPASS_DB:-}" ]; then
    HP_PG=$HAULPASS_DB HP_PG_PRIVATE=0
  else
    bash "$ROOT/tools/pg" start
    eval "$(bash "$ROOT/tools/pg" env)"  # sets HAULPASS_PG
    HP_PG=${HAULPASS_PG:?} HP_PG_PRIVATE=1
  fi
}

# hp_psql DBNAME [PSQL-ARGS...]: psql on database DBNAME of $HP_PG, stops at
# the first error, no ~/.psqlrc.
hp_psql() {
  local db=$1; shift
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$HP_PG dbname=$db" "$@" </dev/null
}

# hp_recreate_db NAME BUILDDIR: drops NAME (closing its sessions), creates it
# and migrates it with BUILDDIR/haulpass.
hp_recreate_db() {
  local db=$1 bin
  bin=$(hp_bin "$2") &&
  hp_psql postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" &&
    "$bin" migrate --db "$HP_PG dbname=$db" </dev/null
}

# hp_url LISTEN: the http:// URL a client uses for a HAULPASS_LISTEN value.
hp_url() {
  local host=${1%:*} port=${1##*:}
  case $host in ''|0.0.0.0|'*') host=127.0.0.1 ;; '[::]'|::) host='[::1]' ;; esac
  printf 'http://%s:%s\n' "$host" "$port"
}

# hp_wait_healthz URL PID SECONDS: waits until GET URL/healthz answers 200;
# fails if PID exits first or time runs out.
hp_wait_healthz() {
  local url=$1 pid=$2 i
  for ((i = 0; i < $3 * 5; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/healthz" || true)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
