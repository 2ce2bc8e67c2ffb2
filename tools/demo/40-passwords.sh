#!/usr/bin/env bash
# Demo data: a password for the admin and each demo user, so that a person
# can sign in to the console (tools/run prints them). These are demo
# passwords, known to anyone who reads this file: never use them anywhere
# else. Setting them again (each tools/run) signs out the users' sessions.
# Writes var/demo-passwords: one "role<TAB>name<TAB>password" a line.
# Gets HAULPASS_URL and HAULPASS_ADMIN_TOKEN from tools/run.
set -euo pipefail
: "${HAULPASS_URL:?}" "${HAULPASS_ADMIN_TOKEN:?}"
VAR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)/var

exec python3 - "$HAULPASS_URL" "$HAULPASS_ADMIN_TOKEN" "$VAR" <<'PY'
import json, os, sys, urllib.request

URL, ADMIN, VAR = sys.argv[1:4]
# Who (the token file in var/, from tools/run and tools/demo/20-fleet.sh) and
# the demo password.
DEMO = [("admin", "admin-token", "demo-admin-2026"),
        ("haulier", "demo-tokens/haulier", "demo-haulier-2026"),
        ("site", "demo-tokens/site", "demo-site-2026"),
        ("liaison", "demo-tokens/liaison", "demo-liaison-2026"),
        ("officer", "demo-tokens/officer", "demo-officer-2026")]


def call(method, path, token, body=None):
    req = urllib.request.Request(URL + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
    return json.loads(text) if text else None


lines = []
for role, token_file, password in DEMO:
    path = os.path.join(VAR, token_file)
    if not os.path.exists(path):
        continue
    me = call("GET", "/v1/me", open(path).read().strip())
    call("POST", "/v1/users/%s/password" % me["user"]["id"], ADMIN, {"password": password})
    lines.append("%s\t%s\t%s\n" % (role, me["user"]["name"], password))
    print("  password: %s" % me["user"]["name"])
out = os.path.join(VAR, "demo-passwords")
with open(out, "w", encoding="utf-8") as f:
    f.writelines(lines)
PY
