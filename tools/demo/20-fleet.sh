#!/usr/bin/env bash
# Demo data: the people and the fleet around the demo city, and a few
# applications in the review queue.
#
#   City Traffic Police   admin (tools/run), Officer Wang (liaison officer of
#                         the North station hub), Officer Li (liaison officer
#                         of the Yi bridge rebuild)
#   沂蒙物流 Yimeng Logistics   a haulier: dispatcher Zhang, six trucks (CSV import)
#   北站建设指挥部 North station site   a site: site manager Chen; runs both projects
#   applications  a plain urban delivery; a construction one naming the bridge
#                 project, endorsed by the site (fast track); one naming the
#                 bridge project still awaiting endorsement. The station hub
#                 project has none, so the README walkthrough's application is
#                 the first thing Officer Wang's claim hands out.
#
# Idempotent: organisations, users, vehicles, projects and applications are
# found by name (applications by their note) before anything is made. Each
# demo user's token is kept in var/demo-tokens/NAME while it still works,
# else the user's token is rotated (the user is found in the audit trail).
# Gets HAULPASS_URL and HAULPASS_ADMIN_TOKEN from tools/run.
set -euo pipefail
: "${HAULPASS_URL:?}" "${HAULPASS_ADMIN_TOKEN:?}"
TOKENS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)/var/demo-tokens
mkdir -p "$TOKENS"
chmod 700 "$TOKENS"

exec python3 - "$HAULPASS_URL" "$HAULPASS_ADMIN_TOKEN" "$TOKENS" <<'PY'
import datetime, json, os, sys, urllib.error, urllib.parse, urllib.request

URL, ADMIN, TOKENS = sys.argv[1:4]


def call(method, path, token, body=None, ctype="application/json", ok=(200, 201, 204)):
    """(status, JSON or None); raises on a status outside ok."""
    data = None
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers["Content-Type"] = ctype
    req = urllib.request.Request(URL + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    if status not in ok:
        sys.exit("%s %s: %d %s" % (method, path, status, text.decode(errors="replace")))
    return status, (json.loads(text) if text else None)


def items(path, token):
    """Every item of a collection, page by page."""
    out, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        q = path + sep + "limit=500" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        page = call("GET", q, token)[1]
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def org(name, kind):
    for o in items("/v1/orgs", ADMIN):
        if o["name"] == name:
            return o["id"]
    o = call("POST", "/v1/orgs", ADMIN, {"name": name, "kind": kind})[1]
    print("  organisation: %s" % name)
    return o["id"]


def user(key, org_id, name, role):
    """(id, token) of the demo user NAME in ORG_ID; its token in TOKENS/KEY."""
    path = os.path.join(TOKENS, key)
    try:
        token = open(path).read().strip()
    except OSError:
        token = ""
    if token:
        status, me = call("GET", "/v1/me", token, ok=(200, 401))
        if status == 200 and me["user"]["name"] == name and me["org"]["id"] == org_id:
            return me["user"]["id"], token
    known = [e["after"]["id"] for e in items("/v1/audit?entity=user", ADMIN)
             if e["action"] == "create" and e["after"]
             and e["after"].get("name") == name and e["after"].get("org_id") == org_id]
    if known:
        uid = known[0]
        token = call("POST", "/v1/users/%s/token" % uid, ADMIN)[1]["token"]
    else:
        u = call("POST", "/v1/users", ADMIN, {"org_id": org_id, "name": name, "role": role})[1]
        uid, token = u["id"], u["token"]
        print("  user: %s (%s)" % (name, role))
    fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.replace(path + ".new", path)
    return uid, token


today = datetime.date.today()
day = lambda n: (today + datetime.timedelta(days=n)).isoformat()

police = org("City Traffic Police", "police")
haulier_org = org("沂蒙物流 Yimeng Logistics", "haulier")
site_org = org("北站建设指挥部 North station site", "site")
wang, _ = user("liaison", police, "王警官 Officer Wang", "officer")
li, _ = user("officer", police, "李警官 Officer Li", "officer")
_, haulier = user("haulier", haulier_org, "张调度 Dispatcher Zhang", "haulier")
_, site = user("site", site_org, "陈经理 Site manager Chen", "site")

# The fleet: what the CSV import has not registered yet.
fleet = [
    "plate,class,gross_weight_kg,axles,length_mm,width_mm,height_mm,hazmat,new_energy",
    "鲁Q·A1001,light_truck,4490,2,5995,2100,2800,false,true",
    "鲁Q·A1002,light_truck,4495,2,5995,2100,2800,false,false",
    "鲁Q·B2001,medium_truck,12000,2,8990,2500,3500,false,false",
    "鲁Q·C3001,heavy_truck,31000,4,11990,2550,3900,false,false",
    "鲁Q·D4001,muck_truck,25000,3,8500,2500,3400,false,false",
    "鲁Q·E5001,concrete_mixer,32000,4,9800,2500,3950,false,false",
]
have = {v["plate"] for v in items("/v1/vehicles", haulier)}
rows = [r for r in fleet[1:] if r.split(",")[0].replace("·", "") not in have]
if rows:
    res = call("POST", "/v1/vehicles/import", haulier, "\n".join([fleet[0]] + rows) + "\n",
               ctype="text/csv")[1]
    if res["errors"]:
        sys.exit("fleet import: %s" % res["errors"])
    print("  vehicles: %s" % ", ".join(res["created"]))


def project(name, liaison, location, level):
    for p in items("/v1/projects", ADMIN):
        if p["name"] == name:
            return p["id"]
    p = call("POST", "/v1/projects", ADMIN, {
        "name": name, "level": level, "site_org_id": site_org, "liaison_officer_id": liaison,
        "location": {"type": "Point", "coordinates": location}, "valid_to": day(365)})[1]
    print("  project: %s" % name)
    return p["id"]


project("临沂北站枢纽 North station hub", wang, [118.3520, 35.1250], "provincial")
bridge = project("沂河大桥改建 Yi bridge rebuild", li, [118.3965, 35.0460], "municipal")

zones = {z["name"]: z["id"] for z in items("/v1/zones", ADMIN)}
core = zones["兰山核心区 Lanshan core"]
mine = {a["note"]: a for a in items("/v1/applications", haulier) if a["note"]}


def apply(note, body, endorse=False):
    if note in mine:
        return
    body.update({"note": note, "zone_ids": [core], "valid_from": day(1)})
    a = call("POST", "/v1/applications", haulier, body)[1]
    if endorse:
        a = call("POST", "/v1/applications/%s/endorse" % a["id"], site)[1]
    print("  application: %s (%s%s)" % (note, a["status"], ", fast track" if a["fast_track"] else ""))


docs = [{"name": "行驶证 vehicle licence", "provided": True}]
apply("demo: daytime deliveries in the core", {
    "type": "urban_delivery", "plates": ["鲁QA1001", "鲁QA1002"], "valid_to": day(30),
    "hours": "Mo-Sa 09:00-17:00", "documents": docs})
apply("demo: muck to the bridge site", {
    "type": "construction", "plates": ["鲁QD4001"], "valid_to": day(60),
    "project_id": bridge, "documents": docs}, endorse=True)
apply("demo: concrete for the bridge piers", {
    "type": "construction", "plates": ["鲁QE5001"], "valid_to": day(60),
    "project_id": bridge, "documents": docs + [{"name": "施工许可 works permit", "provided": False}]})
PY
