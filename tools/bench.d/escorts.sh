# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Escorts (issue 6): the latency of one booking (POST /v1/escorts) with
# 1,000 bookings per unit per week already in the database. Sourced by
# tools/bench.
BENCH_CASES+=(escort_book)
BENCH_SETUP+=(setup_escorts)

# A site with a vehicle and a project, four escort units on duty 24/7, and
# for each unit, over the next 8 weeks, 143 bookings a day (1,001 a week)
# of 5 minutes each, back to back from local midnight to 11:55. Written
# straight into the table: real escorts last at least an hour, so this
# density cannot be reached through the API; it makes every search step
# over ~143 busy intervals per unit before it finds the free afternoon.
# Then a wrk script booking (as the admin) a window of a random one of
# those 56 days, 00:00-23:00.
setup_escorts() {
  local ids
  ids=$(python3 - "$BENCH_URL" "$BENCH_TOKEN" var/bench <<'PY'
import datetime, json, random, sys, urllib.request
url, token, out = sys.argv[1], sys.argv[2], sys.argv[3]

def call(method, path, body=None, tok=token):
    req = urllib.request.Request(url + path, method=method,
                                 data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": "Bearer " + tok,
                                          "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read() or "null")

me = call("GET", "/v1/me")
site = call("POST", "/v1/orgs", {"name": "Bench Escort Site", "kind": "site"})
officer = call("POST", "/v1/users", {"org_id": me["org"]["id"], "name": "bench liaison",
                                     "role": "officer"})
site_user = call("POST", "/v1/users", {"org_id": site["id"], "name": "bench site",
                                       "role": "site"})
call("POST", "/v1/vehicles", {"plate": "鲁B00001", "class": "heavy_truck",
                              "gross_weight_kg": 31000}, site_user["token"])
project = call("POST", "/v1/projects", {
    "name": "bench project", "level": "municipal", "site_org_id": site["id"],
    "liaison_officer_id": officer["id"], "valid_to": "2099-01-01",
    "location": {"type": "Point", "coordinates": [118.35, 35.05]}})
for i in range(4):
    call("POST", "/v1/escort-units", {
        "name": "bench unit %d" % i, "hours": "24/7", "capacity": 10,
        "base": {"type": "Point", "coordinates": [118.3 + i * 0.02, 35.0]}})
tz = datetime.timezone(datetime.timedelta(hours=8))
today = datetime.datetime.now(tz).date()
days = [(today + datetime.timedelta(days=d + 1)).isoformat() for d in range(56)]
with open(out + "/escort.lua", "w") as f:
    f.write('wrk.method = "POST"\n')
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
    f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    f.write("local days = {%s}\n" % ", ".join('"%s"' % d for d in days))
    f.write('''request = function()
  local d = days[math.random(#days)]
  local body = '{"project_id":"%s","plates":["鲁B00001"],' ..
    '"origin":{"type":"Point","coordinates":[118.35,35.0]},' ..
    '"destination":{"type":"Point","coordinates":[118.35,35.1]},' ..
    '"earliest_start":"' .. d .. 'T00:00:00+08:00","latest_start":"' .. d .. 'T23:00:00+08:00"}'
  return wrk.format(nil, nil, nil, body)
end
''' % project["id"])
print(project["id"], me["user"]["id"])
PY
)
  # shellcheck disable=SC2086  # two words: the project and the admin
  set -- $ids
  psql -q -v ON_ERROR_STOP=1 -v project="$1" -v actor="$2" "$BENCH_DB" <<'SQL'
INSERT INTO escorts (project_id, unit_id, booked_by, plates, origin, destination, route,
                     route_given, length_m, starts_at, ends_at, free_at)
SELECT :'project', u.id, :'actor', '{鲁B00001}',
       ST_SetSRID(ST_MakePoint(118.35, 35.0), 4326), ST_SetSRID(ST_MakePoint(118.35, 35.1), 4326),
       ST_SetSRID(ST_MakeLine(ST_MakePoint(118.35, 35.0), ST_MakePoint(118.35, 35.1)), 4326),
       false, 14420, s, s + interval '3 minutes', s + interval '5 minutes'
  FROM escort_units u, generate_series(0, 55) d, generate_series(0, 142) k,
       LATERAL (SELECT (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai')
                        + (d + 1) * interval '1 day' + k * interval '5 minutes')
                       AT TIME ZONE 'Asia/Shanghai' AS s) x;
ANALYZE escorts;
SQL
  hp_say "pre-loaded $(psql -Atq "$BENCH_DB" -c 'SELECT count(*) FROM escorts') bookings"
}

# One client at a time: the figure is the latency of one booking.
BENCH_LABEL[escort_book]='`POST /v1/escorts`, one client'
case_escort_book() { CONNS=1 WRK_THREADS=1 measure /v1/escorts -s var/bench/escort.lua; }
goal_escort_book() { GOAL='p50 under 20 ms (issue 6)'; MET=$(under "$P50_MS" 20); }
