# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Zones (issue 3): listing 1,000 zones as GeoJSON, creating a zone of 10,000
# vertices. Sourced by tools/bench.
BENCH_CASES+=(zones_geojson zone_create_10k)
BENCH_SETUP+=(setup_zones)

# 1,000 zones of 20-60 vertices over a 20 km city, and the request body of a
# 10,000-vertex zone for wrk.
setup_zones() {
  python3 - "$BENCH_URL" "$BENCH_TOKEN" var/bench <<'PY'
import json, math, random, sys, urllib.request
url, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
random.seed(7)

def ring(cx, cy, r, n):
    pts = [[round(cx + r * math.cos(2 * math.pi * i / n), 6),
            round(cy + r * 0.8 * math.sin(2 * math.pi * i / n), 6)] for i in range(n)]
    return pts + [pts[0]]

def post(body):
    req = urllib.request.Request(url + "/v1/zones", data=json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()

rule = {"min_gross_weight_kg": 4500, "hours": "07:00-22:00",
        "liftable_by": ["urban_delivery"]}
for i in range(1000):
    cx, cy = 118.25 + random.random() * 0.2, 34.98 + random.random() * 0.16
    post({"name": "bench zone %d" % i, "rules": [rule],
          "geometry": {"type": "Polygon",
                       "coordinates": [ring(cx, cy, 0.002 + random.random() * 0.004,
                                            random.randint(20, 60))]}})
big = {"name": "big zone", "rules": [rule],
       "geometry": {"type": "Polygon", "coordinates": [ring(118.35, 35.05, 0.01, 10000)]}}
with open(out + "/zone10k.lua", "w") as f:
    f.write('wrk.method = "POST"\n')
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
    f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    f.write("wrk.body = [==[%s]==]\n" % json.dumps(big))
PY
}

# One client at a time: the figure that matters is the latency of one listing.
BENCH_LABEL[zones_geojson]='`GET /v1/zones` as GeoJSON, 1,000 zones, one client'
case_zones_geojson() {
  CONNS=1 WRK_THREADS=1 measure /v1/zones -H "Authorization: Bearer $BENCH_TOKEN" -H 'Accept: application/geo+json'
}
goal_zones_geojson() { GOAL='p50 under 1 s (issue 3)'; MET=$(under "$P50_MS" 1000); }
BENCH_LABEL[zone_create_10k]='`POST /v1/zones`, 10,000 vertices, one client'
case_zone_create_10k() { CONNS=1 WRK_THREADS=1 measure /v1/zones -s var/bench/zone10k.lua; }
goal_zone_create_10k() { GOAL='p50 under 100 ms (issue 3)'; MET=$(under "$P50_MS" 100); }
