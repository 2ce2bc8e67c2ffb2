# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Open data (issue 17): the public feed of the zones set up by zones.sh
# (1,000 of them, and the few other set-ups add), rendered once from the
# check snapshot and then sent from memory; and its 304. The server's public
# rate is too high to empty a bucket (BENCH_PUBLIC_RATE).
BENCH_CASES+=(public_feed public_feed_304)

BENCH_LABEL[public_feed]='`GET /v1/public/restrictions`, GeoJSON, 1,000+ zones'
case_public_feed() { measure /v1/public/restrictions; }
goal_public_feed() { GOAL='≥ 0.2× /healthz (issue 17)'; MET=$(ge "$RPS" "$(calc "${HEALTHZ_RPS:-0} * 0.2")"); }

BENCH_LABEL[public_feed_304]='`GET /v1/public/restrictions` with `If-None-Match`: 304'
case_public_feed_304() {
  local etag
  etag=$(curl -s -o /dev/null -D - "$BENCH_URL/v1/public/restrictions" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p' | tr -d '\r')
  measure /v1/public/restrictions -H "If-None-Match: $etag"
}
goal_public_feed_304() { GOAL='≥ 0.8× /healthz (issue 17)'; MET=$(ge "$RPS" "$(calc "${HEALTHZ_RPS:-0} * 0.8")"); }
