#!/usr/bin/env bash
# Demo data: three escort units around the demo city and one escort booking.
# Idempotent: a unit whose name exists is left alone; the booking is made
# only when the demo project has none. Without any project, it makes one
# (a demo site organisation, a liaison officer and a vehicle) first.
# Gets HAULPASS_URL and HAULPASS_ADMIN_TOKEN from tools/run.
set -euo pipefail
: "${HAULPASS_URL:?}" "${HAULPASS_ADMIN_TOKEN:?}"

python3 - "$HAULPASS_URL" "$HAULPASS_ADMIN_TOKEN" <<'PY'
import datetime, json, sys, urllib.error, urllib.parse, urllib.request
url, token = sys.argv[1], sys.argv[2]

def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or "null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or "null")

def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}

# Units: one in the centre on duty day and night, two at the edges on day
# duty (not on public holidays).
units = {u["name"] for u in call("GET", "/v1/escort-units?limit=500")[1]["items"]}
for name, base, hours, capacity in [
        ("兰山护卫一中队 Lanshan escort 1", point(118.356, 35.065), "24/7", 6),
        ("河东护卫中队 Hedong escort", point(118.402, 35.089), "Mo-Sa 07:00-21:00; PH off", 4),
        ("罗庄护卫中队 Luozhuang escort", point(118.284, 34.997), "Mo-Fr 08:00-18:00; PH off", 4)]:
    if name not in units:
        call("POST", "/v1/escort-units", {"name": name, "base": base, "hours": hours,
                                          "capacity": capacity})
        print("  escort unit:", name)

projects = call("GET", "/v1/projects?limit=500")[1]["items"]
if not projects:
    orgs = call("GET", "/v1/orgs?limit=500")[1]["items"]
    site = next((o for o in orgs if o["name"] == "临沂北城项目部 Demo site"), None)
    if not site:
        site = call("POST", "/v1/orgs", {"name": "临沂北城项目部 Demo site", "kind": "site"})[1]
    me = call("GET", "/v1/me")[1]
    officer = call("POST", "/v1/users", {"org_id": me["org"]["id"], "name": "demo liaison officer",
                                         "role": "officer"})[1]
    st, p = call("POST", "/v1/projects", {
        "name": "北城新区地铁站 Demo metro station", "level": "municipal",
        "site_org_id": site["id"], "liaison_officer_id": officer["id"],
        "valid_to": "2030-12-31", "location": point(118.345, 35.102)})
    if st != 201:
        print("  no demo project (%s): no booking" % st)
        sys.exit(0)
    projects = [p]
    print("  project:", p["name"])
project = projects[0]

if call("GET", "/v1/escorts?project_id=" + project["id"])[1]["items"]:
    sys.exit(0)
plate = "鲁Q8E001"
st, _ = call("GET", "/v1/vehicles/" + urllib.parse.quote(plate))
if st == 404:
    st, _ = call("POST", "/v1/vehicles", {"plate": plate, "class": "special",
                                          "gross_weight_kg": 48000, "length_mm": 18000,
                                          "org_id": project["site_org_id"]})
    if st != 201:
        print("  could not register %s for the project's site (%s): no booking" % (plate, st))
        sys.exit(0)
tz = datetime.timezone(datetime.timedelta(hours=8))
day = (datetime.datetime.now(tz).date() + datetime.timedelta(days=1)).isoformat()
st, b = call("POST", "/v1/escorts", {
    "project_id": project["id"], "plates": [plate],
    "origin": point(118.284, 34.997), "destination": point(118.345, 35.102),
    "earliest_start": day + "T09:00:00+08:00", "latest_start": day + "T17:00:00+08:00",
    "cargo": {"description": "盾构机刀盘 tunnel boring machine cutter head",
              "gross_weight_kg": 48000, "length_mm": 18000, "width_mm": 4200,
              "height_mm": 4300}})
if st == 201:
    print("  escort: %s %s-%s" % (b["unit_id"], b["start"], b["end"]))
else:
    print("  escort not booked (%s): %s" % (st, b.get("detail")))
PY
