#!/usr/bin/env bash
# Demo data: a small city modelled on Linyi (临沂) and the 2026 calendar.
# Idempotent: a zone whose name is already live is left alone.
# Gets HAULPASS_URL and HAULPASS_ADMIN_TOKEN from tools/run.
set -euo pipefail
: "${HAULPASS_URL:?}" "${HAULPASS_ADMIN_TOKEN:?}"

api() { # METHOD PATH [JSON]
  curl -fsS -X "$1" "$HAULPASS_URL$2" -H "Authorization: Bearer $HAULPASS_ADMIN_TOKEN" \
    ${3:+-H 'Content-Type: application/json' --data-binary "$3"}
}

# The 2026 plan announced on 2025-11-04 (docs/contract.md §5).
days=""
add() { days+="${days:+,}{\"date\":\"$1\",\"kind\":\"$2\",\"name\":\"$3\"}"; }
for d in 01 02 03; do add "2026-01-$d" holiday 元旦; done
for d in 15 16 17 18 19 20 21 22 23; do add "2026-02-$d" holiday 春节; done
for d in 04 05 06; do add "2026-04-$d" holiday 清明节; done
for d in 01 02 03 04 05; do add "2026-05-$d" holiday 劳动节; done
for d in 19 20 21; do add "2026-06-$d" holiday 端午节; done
for d in 25 26 27; do add "2026-09-$d" holiday 中秋节; done
for d in 01 02 03 04 05 06 07; do add "2026-10-$d" holiday 国庆节; done
for d in 2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10; do
  add "$d" workday 调休上班
done
api PUT /v1/calendar/2026 "{\"days\":[$days]}" >/dev/null

live=$(api GET '/v1/zones?limit=500')
zone() { # NAME GEOMETRY RULES
  if grep -qF "\"name\":\"$1\"" <<<"$live"; then return; fi
  api POST /v1/zones "{\"name\":\"$1\",\"geometry\":$2,\"rules\":$3}" >/dev/null
  echo "  zone: $1"
}

# The core: closed 07:00-22:00 to trucks above 4.5 t; pickups exempt (the
# city-entry ban on pickups is lifted); urban delivery and construction
# passes lift it.
zone "兰山核心区 Lanshan core" \
  '{"type":"Polygon","coordinates":[[[118.320,35.030],[118.385,35.030],[118.385,35.080],[118.320,35.080],[118.320,35.030]]]}' \
  '[{"exempt_classes":["pickup"],"min_gross_weight_kg":4500,"hours":"07:00-22:00","liftable_by":["urban_delivery","construction"]}]'

# School roads: every truck class, school days at school times.
zone "学府路 school road" \
  '{"type":"Polygon","coordinates":[[[118.3400,35.0600],[118.3520,35.0600],[118.3520,35.0615],[118.3400,35.0615],[118.3400,35.0600]]]}' \
  '[{"vehicle_classes":["light_truck","medium_truck","heavy_truck","tractor","construction","muck_truck","concrete_mixer","hazmat_tanker","special"],"hours":"Mo-Fr 07:00-08:30,11:30-13:30,16:30-18:00; PH off","liftable_by":["temporary"]}]'

# A bridge over the Yi river: an absolute 30 t limit, no pass lifts it.
zone "沂河大桥 Yi river bridge" \
  '{"type":"Polygon","coordinates":[[[118.3920,35.0450],[118.4010,35.0450],[118.4010,35.0470],[118.3920,35.0470],[118.3920,35.0450]]]}' \
  '[{"min_gross_weight_kg":30000,"liftable_by":[]}]'
