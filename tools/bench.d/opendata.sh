# shellcheck shell=bash disable=SC2016,SC2034,SC2154  # (sourced by tools/bench; labels are Markdown)
# Open data (issue 17): the public feed of the zones set up by zones.sh
# (1,000 of them, and the few other set-ups add), rendered once from the
# check snapshot and then sent from memory, plain and gzip-coded; their
# 304s; and one district (?bbox=, about 2 km square), rendered per request. The server's public rate is too high to empty a bucket
# (BENCH_PUBLIC_RATE).
BENCH_CASES+=(public_feed public_feed_gzip public_feed_br public_feed_304 public_feed_gzip_304 public_feed_bbox)

# feed_etag [CURL-ARGS...]: the ETag the feed answers with.
feed_etag() {
  curl -s -o /dev/null -D - "$@" "$BENCH_URL/v1/public/restrictions" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p' | tr -d '\r'
}

# feed_sizes: a note with the bytes of each representation, which is what
# bounds the answers a second.
feed_sizes() {
  local path plain gz
  for path in /v1/public/restrictions /v1/public/restrictions.datex2.xml; do
    plain=$(curl -s -o /dev/null -w '%{size_download}' "$BENCH_URL$path")
    gz=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$BENCH_URL$path")
    br_ready "$path"
    br=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' "$BENCH_URL$path")
    NOTES+=("\`$path\`: $plain bytes plain, $gz gzip-coded ($(awk -v a="$plain" -v b="$gz" 'BEGIN {printf "%.1f", a / b}')× smaller), $br brotli-coded ($(awk -v a="$plain" -v b="$br" 'BEGIN {printf "%.1f", a / b}')×).")
  done
}

# br_ready PATH: waits (up to 2 minutes) until PATH comes brotli-coded: its
# own thread makes it seconds after the body (docs/open-data.md).
br_ready() {
  local i
  for i in $(seq 1200); do
    curl -s -o /dev/null -D - -H 'Accept-Encoding: br' "$BENCH_URL$1" | grep -qi '^content-encoding: br' && return 0
    sleep 0.1
  done
  hp_die "$1 never came brotli-coded"
}

BENCH_LABEL[public_feed]='`GET /v1/public/restrictions`, GeoJSON, 1,000+ zones'
case_public_feed() { feed_sizes; measure /v1/public/restrictions; }
goal_public_feed() { GOAL='≥ 0.2× /healthz (issue 17)'; MET=$(ge "$RPS" "$(calc "${HEALTHZ_RPS:-0} * 0.2")"); }

BENCH_LABEL[public_feed_gzip]='`GET /v1/public/restrictions`, `Accept-Encoding: gzip`'
case_public_feed_gzip() { measure /v1/public/restrictions -H 'Accept-Encoding: gzip'; }
goal_public_feed_gzip() { goal_public_feed; }

BENCH_LABEL[public_feed_br]='`GET /v1/public/restrictions`, `Accept-Encoding: br`'
case_public_feed_br() { br_ready /v1/public/restrictions; measure /v1/public/restrictions -H 'Accept-Encoding: br'; }
goal_public_feed_br() { goal_public_feed; }

BENCH_LABEL[public_feed_304]='`GET /v1/public/restrictions` with `If-None-Match`: 304'
case_public_feed_304() { measure /v1/public/restrictions -H "If-None-Match: $(feed_etag)"; }
goal_public_feed_304() { GOAL='≥ 0.8× /healthz (issue 17)'; MET=$(ge "$RPS" "$(calc "${HEALTHZ_RPS:-0} * 0.8")"); }

BENCH_LABEL[public_feed_gzip_304]='… gzip, with the gzip `If-None-Match`: 304'
case_public_feed_gzip_304() {
  measure /v1/public/restrictions -H 'Accept-Encoding: gzip' \
    -H "If-None-Match: $(feed_etag -H 'Accept-Encoding: gzip')"
}
goal_public_feed_gzip_304() { goal_public_feed_304; }

# About 2 km square in the middle of the bench city (zones.sh): a client
# that covers one district.
BENCH_LABEL[public_feed_bbox]='`GET /v1/public/restrictions?bbox=` of ~2 km square, rendered per request'
case_public_feed_bbox() {
  local n
  n=$(curl -s "$BENCH_URL/v1/public/restrictions?bbox=118.34,35.05,118.36,35.07" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["features"]))')
  NOTES+=("\`?bbox=118.34,35.05,118.36,35.07\`: $n zones.")
  measure '/v1/public/restrictions?bbox=118.34,35.05,118.36,35.07'
}
