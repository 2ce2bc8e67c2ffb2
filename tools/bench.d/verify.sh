# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Pass codes (issue 15): POST /v1/verify of a valid signed code (parse,
# one statement for the key and the pass, Ed25519 verification, the
# per-address token bucket). Sourced by tools/bench, whose server signs
# with var/bench/signing-key.pem and runs with a public rate so high
# (BENCH_PUBLIC_RATE, 1,000,000/s) that the bucket is taken but never
# empties: one wrk address would otherwise be limited after its burst.
BENCH_CASES+=(verify verify_new)
BENCH_SETUP+=(setup_verify)

# One pass, issued through the API (a haulier, a truck, a zone, an
# application the bench admin claims and approves); its signed code goes
# into var/bench/verify.lua.
setup_verify() {
  [ -z "${BENCH_NO_SIGNING:-}" ] || return 0 # nothing is signed: no code to verify
  python3 - "$BENCH_URL" "$BENCH_TOKEN" var/bench "$BENCH_DB" <<'PY'
import datetime, json, subprocess, sys, urllib.request
url, token, out, db = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

def call(method, path, body=None, tok=token):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, method=method, data=data,
                                 headers={"Authorization": "Bearer " + tok,
                                          "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())

org = call("POST", "/v1/orgs", {"name": "Bench Verify Haulage", "kind": "haulier"})["id"]
h = call("POST", "/v1/users", {"org_id": org, "name": "verify dispatcher", "role": "haulier"})
call("POST", "/v1/vehicles", {"plate": "鲁Q15015", "class": "heavy_truck",
                              "gross_weight_kg": 31000}, tok=h["token"])
zone = call("POST", "/v1/zones", {"name": "bench verify zone", "rules": [], "geometry": {
    "type": "Polygon", "coordinates": [[[118.3, 35.0], [118.4, 35.0], [118.4, 35.1],
                                        [118.3, 35.1], [118.3, 35.0]]]}})["id"]
today = datetime.date.today()
app = call("POST", "/v1/applications", {
    "type": "urban_delivery", "plates": ["鲁Q15015"], "zone_ids": [zone],
    "valid_from": str(today), "valid_to": str(today + datetime.timedelta(days=30)),
    "documents": []}, tok=h["token"])["id"]
# Other cases queue thousands of applications: put this one first.
subprocess.run(["/usr/lib/postgresql/15/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db,
                "-c", "UPDATE applications SET fast_track = true, due_at = now() - interval '1 year'"
                      " WHERE id = '%s'" % app], check=True)
assert call("POST", "/v1/queue/claim")["id"] == app
call("POST", "/v1/applications/%s/decision" % app, {"decision": "approve", "reason": "bench"})
passes = call("GET", "/v1/passes?plate=%E9%B2%81Q15015")["items"]
code = passes[0]["signed_code"]
assert code and code.startswith("HP1:"), passes
with open(out + "/verify.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write("wrk.body = [==[%s]==]\n" % json.dumps({"code": code}))
# The same code in a body never sent before: blanks after it spell the
# request's number in binary (space 0, tab 1), so no answer is kept for it.
with open(out + "/verify_new.lua", "w") as f:
    f.write('local body = [==[%s]==]\n' % json.dumps({"code": code})[:-1])
    # Each wrk thread has a Lua state of its own: numbered by setup (run in
    # the main state), each counts from its own 2^32 block.
    f.write('local threads = 0\n'
            'function setup(thread) threads = threads + 1; thread:set("id", threads) end\n'
            'local n\n'
            'request = function()\n'
            '  n = (n or id * 2^32) + 1\n'
            '  local b, k = {}, n\n'
            '  for i = 1, 41 do b[i] = (k % 2 == 1) and "\\t" or " "; k = math.floor(k / 2) end\n'
            '  return wrk.format("POST", nil, {["Content-Type"] = "application/json"},\n'
            '                    body .. table.concat(b) .. "}")\n'
            'end\n')
PY
}

BENCH_LABEL[verify]='`POST /v1/verify` of a valid code checked before (no auth)'
case_verify() { measure /v1/verify -s var/bench/verify.lua; }
BENCH_LABEL[verify_new]='`POST /v1/verify` of a valid code in a new body each time (worker, Ed25519)'
case_verify_new() { measure /v1/verify -s var/bench/verify_new.lua; }
goal_verify() {
  GOAL='≥ 0.3× `/healthz`'
  MET=$(ge "$(awk -v a="$RPS" -v b="${HEALTHZ_RPS:-0}" 'BEGIN {print (b > 0 ? a / b : 0)}')" 0.3)
}
