# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Checks (issue 5): single sightings, 20-vertex route checks and batches of
# 1,000 sightings against the in-memory snapshot, side by side with pgbench
# running the equivalent prepared PostGIS queries on the same zones.
# Sourced by tools/bench. The zones are those of zones.sh (1,000 of 20-60
# vertices over the city); this adds 10,000 vehicles, some with passes.
BENCH_CASES+=(sighting pg_point route20 pg_route20 sightings_1000)
BENCH_PAIRED+=(sighting route20)
BENCH_SETUP+=(setup_checks)

setup_checks() {
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" <<'SQL'
INSERT INTO orgs (name, kind) VALUES ('Bench Haulage', 'haulier');
INSERT INTO vehicles (plate, org_id, org_kind, class, gross_weight_kg, hazmat)
SELECT 'BENCH' || lpad(i::text, 5, '0'), (SELECT id FROM orgs WHERE name = 'Bench Haulage'),
       'haulier', (ARRAY['heavy_truck', 'medium_truck', 'muck_truck', 'hazmat_tanker'])[1 + i % 4],
       3000 + (i * 37) % 40000, i % 4 = 3
  FROM generate_series(1, 10000) i;
SQL
  python3 - "$BENCH_TOKEN" var/bench "$BENCH_DB" <<'PY'
import json, random, subprocess, sys
token, out, db = sys.argv[1], sys.argv[2], sys.argv[3]
random.seed(11)
AT = "2026-12-01T08:30:00+08:00"
def point():
    return 118.25 + random.random() * 0.2, 34.98 + random.random() * 0.16
def sighting():
    x, y = point()
    return {"plate": "BENCH%05d" % random.randint(1, 10000), "lon": round(x, 6),
            "lat": round(y, 6), "at": AT}
def route():
    x, y = point()
    pts = []
    for _ in range(20):  # about 8 km through the city
        pts.append([round(x, 6), round(y, 6)])
        x += random.uniform(-0.006, 0.006); y += random.uniform(-0.005, 0.005)
    return pts
routes = [route() for _ in range(100)]
def lua(name, bodies):
    with open("%s/%s.lua" % (out, name), "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
        f.write("bodies = {\n%s}\n" % "".join("[==[%s]==],\n" % json.dumps(b) for b in bodies))
        # Each request is formatted once per wrk thread, not once per
        # request: the load generator shares the two cores with the server,
        # and Lua string building per request made the POST cases pay for
        # wrk's work (about 30 % more wrk CPU per request than a plain GET).
        f.write("init = function(args) reqs = {} for i, b in ipairs(bodies) do "
                "reqs[i] = wrk.format(nil, nil, nil, b) end end\n")
        f.write("request = function() return reqs[math.random(#reqs)] end\n")
lua("sighting", [{"sightings": [sighting()]} for _ in range(1000)])
lua("route20", [{"plate": "BENCH%05d" % random.randint(1, 10000), "route":
                 {"type": "LineString", "coordinates": r}, "depart_at": AT} for r in routes])
lua("sightings_1000", [{"sightings": [sighting() for _ in range(1000)]} for _ in range(5)])
# The same routes for pgbench.
sql = "CREATE TABLE bench_routes (id int PRIMARY KEY, geom geometry(LineString, 4326));\n"
sql += "".join("INSERT INTO bench_routes VALUES (%d, 'SRID=4326;LINESTRING(%s)');\n" %
               (i + 1, ",".join("%r %r" % (p[0], p[1]) for p in r)) for i, r in enumerate(routes))
subprocess.run(["/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", db], input=sql.encode(), check=True)
with open(out + "/pg_point.sql", "w") as f:
    f.write("\\set x random(0, 1000000)\n\\set y random(0, 1000000)\n"
            "SELECT id FROM zones WHERE retired_at IS NULL AND ST_Intersects(geom,"
            " ST_SetSRID(ST_MakePoint(118.25 + :x * 0.0000002, 34.98 + :y * 0.00000016), 4326));\n")
with open(out + "/pg_route20.sql", "w") as f:
    f.write("\\set r random(1, 100)\n"
            "SELECT z.id, ST_Length(ST_Intersection(z.geom, r.geom)::geography)"
            " FROM zones z JOIN bench_routes r ON ST_Intersects(z.geom, r.geom)"
            " WHERE r.id = :r AND z.retired_at IS NULL;\n")
PY
}

BENCH_LABEL[sighting]='`POST /v1/checks/sightings`, one sighting'
case_sighting() { measure /v1/checks/sightings -s var/bench/sighting.lua; }
# The goals of issue 13 (to the floor) and the older ones of issue 5 (to
# /healthz): met when both are.
goal_sighting() { both_goals 0.7 0.6; }

BENCH_LABEL[route20]='`POST /v1/checks/route`, 20 vertices'
case_route20() { measure /v1/checks/route -s var/bench/route20.lua; }
goal_route20() { both_goals 0.35 0.2; }
# both_goals TO-FLOOR TO-HEALTHZ
both_goals() {
  GOAL="≥ $1× the floor (issue 13), ≥ $2× /healthz (issue 5)"
  MET=no
  [ "$(ge "$RATIO" "$1")" = no ] || [ "$(ge "$RPS" "$(calc "${HEALTHZ_RPS:-0} * $2")")" = no ] || MET=yes
}

# One client: the figure is the latency of one batch.
BENCH_LABEL[sightings_1000]='`POST /v1/checks/sightings`, 1,000 sightings, one client'
case_sightings_1000() { CONNS=1 WRK_THREADS=1 measure /v1/checks/sightings -s var/bench/sightings_1000.lua; }
goal_sightings_1000() { GOAL='p50 under 5 ms'; MET=$(under "$P50_MS" 5); }

# pgbench_measure SCRIPT: the prepared query of SCRIPT with as many clients
# as wrk uses; sets RPS, P50, P99 (from the per-transaction log) and ERRS.
pgbench_measure() {
  local script=$1 out
  rm -f var/bench/pgb.*
  out=$("$PGBIN/pgbench" -n -M prepared -c "$CONNS" -j "$WRK_THREADS" -T "$DURATION_S" \
    -f "$script" -l --log-prefix=var/bench/pgb "$BENCH_DB" 2>&1)
  printf '%s\n' "$out" >>var/bench/wrk.log
  RPS=$(awk '/^tps = / {print $3}' <<<"$out")
  ERRS=$(awk '/number of failed transactions:/ {print $5 + 0}' <<<"$out")
  ERRS=${ERRS:-0}
  # Column 3 of the log is the latency in µs.
  read -r P50 P99 < <(cat var/bench/pgb.* | awk '{print $3}' | sort -n |
    awk '{a[NR] = $1} END {printf "%.2fms %.2fms\n", a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000}')
  rm -f var/bench/pgb.*
}
# Their goals are those of the HTTP checks measured before them: one
# sighting at least as fast as the bare PostGIS query, routes 10 times.
BENCH_LABEL[pg_point]='pgbench: point in zones (PostGIS)'
case_pg_point() { pgbench_measure var/bench/pg_point.sql; }
goal_pg_point() {
  [ -n "${RES_RPS[sighting]:-}" ] || return 0
  GOAL="one sighting ≥ this: $(awk -v a="${RES_RPS[sighting]}" -v b="$RPS" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')×"
  MET=$(ge "${RES_RPS[sighting]}" "$RPS")
}
BENCH_LABEL[pg_route20]='pgbench: route ∩ zones with geodesic lengths (PostGIS)'
case_pg_route20() { pgbench_measure var/bench/pg_route20.sql; }
goal_pg_route20() {
  [ -n "${RES_RPS[route20]:-}" ] || return 0
  GOAL="20-vertex routes ≥ 10× this: $(awk -v a="${RES_RPS[route20]}" -v b="$RPS" 'BEGIN {printf "%.1f", (b > 0 ? a / b : 0)}')×"
  MET=$(ge "${RES_RPS[route20]}" "$(calc "$RPS * 10")")
}
