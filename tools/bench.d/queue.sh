# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# The review queue (issue 4): 8 officers at once, each looping
# POST /v1/queue/claim -> POST /v1/applications/{id}/decision (approve, one
# pass issued). Sourced by tools/bench.
#
# Not wrk: a cycle is two dependent requests per officer, so the driver is
# tools/bench.d/queue_officers.c (libcurl, a thread and a kept-alive
# connection per officer), built here with cc. Its row: req/s is decisions
# a second (a decision counts only when it answered 200), p50/p99 are those
# of one claim + decision cycle, errors are non-200 answers, failed
# transfers and claims that found the queue empty. The driver's full line
# (claim and decision latencies apart) goes to var/bench/wrk.log.
#
# Settings: BENCH_QUEUE_OFFICERS (8), BENCH_QUEUE_SIZE (applications queued
# by the set-up: 40,000), BENCH_QUEUE_FLEET (the haulier's trucks the
# applications are for, in turn: 1,000, so 40 passes a truck by the end).
# A fleet and not one truck: every decision issues a pass, and the check
# snapshot reloads the truck's passes; one truck with thousands of live
# passes measured that reload more than the queue (BENCH_QUEUE_FLEET=1
# still does, for comparison with runs before 2026-12-03).
BENCH_CASES+=(queue_decide)
BENCH_SETUP+=(setup_queue)

# 8 officers, a haulier with BENCH_QUEUE_FLEET trucks, and BENCH_QUEUE_SIZE
# queued applications (a tenth of them fast track), written straight into
# the database: filing them through the API would take longer than the run.
setup_queue() {
  [[ ${BENCH_QUEUE_FLEET:-1000} =~ ^[1-9][0-9]{0,4}$ ]] || hp_die "BENCH_QUEUE_FLEET: 1 to 99999 trucks"
  cc -O2 -Wall -o var/bench/queue_officers "$ROOT/tools/bench.d/queue_officers.c" -lcurl -lpthread ||
    hp_die "could not build tools/bench.d/queue_officers.c"
  python3 - "$BENCH_URL" "$BENCH_TOKEN" "${BENCH_QUEUE_OFFICERS:-8}" var/bench <<'PY'
import json, sys, urllib.request
url, token, officers, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def call(method, path, body=None, tok=token):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, method=method, data=data,
                                 headers={"Authorization": "Bearer " + tok,
                                          "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())

police = call("GET", "/v1/me")["org"]["id"]
with open(out + "/queue-tokens", "w") as f:
    for i in range(officers):
        u = call("POST", "/v1/users", {"org_id": police, "name": "officer %d" % i, "role": "officer"})
        f.write(u["token"] + "\n")
haulier = call("POST", "/v1/orgs", {"name": "Bench Queue Haulage", "kind": "haulier"})["id"]
h = call("POST", "/v1/users", {"org_id": haulier, "name": "dispatcher", "role": "haulier"})
call("POST", "/v1/vehicles", {"plate": "鲁Q99999", "class": "heavy_truck",
                              "gross_weight_kg": 31000}, tok=h["token"])
with open(out + "/queue-haulier", "w") as f:
    f.write("%s %s\n" % (haulier, h["id"]))
PY
  local org user
  read -r org user <var/bench/queue-haulier
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -v org="$org" -v user="$user" \
    -v n="${BENCH_QUEUE_SIZE:-40000}" -v fleet="${BENCH_QUEUE_FLEET:-1000}" <<'SQL'
-- The first truck came through the API above; the rest of the fleet.
INSERT INTO vehicles (plate, org_id, org_kind, class, gross_weight_kg)
SELECT '鲁Q' || lpad(i::text, 5, '0'), :'org', 'haulier', 'heavy_truck', 31000
  FROM generate_series(1, :fleet - 1) i;
-- An oversize load has its corridor and cargo (sql/014_oversize.sql).
INSERT INTO applications (org_id, applicant_id, type, plates, valid_from, valid_to, status,
                          fast_track, due_at, submitted_at, corridor_route, corridor_width_m,
                          cargo)
SELECT :'org', :'user', (ARRAY['construction', 'urban_delivery', 'oversize', 'hazmat',
                                'temporary'])[1 + i % 5],
       ARRAY[CASE WHEN i % :fleet = 0 THEN '鲁Q99999'
                  ELSE '鲁Q' || lpad((i % :fleet)::text, 5, '0') END], current_date, current_date + 1, 'queued', i % 10 = 0,
       now() + (i % 72) * interval '1 hour', now() - interval '1 day' + i * interval '1 ms',
       CASE WHEN i % 5 = 2 THEN 'SRID=4326;LINESTRING(118.3 35.0,118.4 35.0)'::geometry END,
       CASE WHEN i % 5 = 2 THEN 50 END,
       CASE WHEN i % 5 = 2 THEN '{"length_mm":18000,"width_mm":3500,"height_mm":4000,"mass_kg":45000}'::jsonb END
  FROM generate_series(1, :n) i;
ANALYZE applications;
SQL
}

BENCH_LABEL[queue_decide]="claim + decide, ${BENCH_QUEUE_OFFICERS:-8} officers (decisions/s)"
case_queue_decide() {
  local out
  out=$(var/bench/queue_officers "$BENCH_URL" var/bench/queue-tokens "$DURATION_S")
  printf 'queue_officers: %s\n' "$out" >>var/bench/wrk.log
  printf '    %s\n' "$out"
  RPS=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<<"$out")
  P50=$(sed -n 's/.* cycle_p50_ms=\([0-9.]*\).*/\1ms/p' <<<"$out")
  P99=$(sed -n 's/.* cycle_p99_ms=\([0-9.]*\).*/\1ms/p' <<<"$out")
  ERRS=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^(errors|empty)=/) {sub(/.*=/, "", $i); n += $i}} END {print n + 0}' <<<"$out")
}
# Issue 13: the new HTTP core must not be slower than the old one's best
# run in threads mode (BENCHMARKS.md, 2026-11-28).
goal_queue_decide() { GOAL='≥ 812 decisions/s'; MET=$(ge "$RPS" 812); }
