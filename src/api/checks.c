/* /v1/checks: may this truck drive this route then, may this plate be
 * here now. Handlers read and validate, the check core (src/check/)
 * answers from the in-memory snapshot, and this file writes the JSON. */
#include "haulpass/api.h"

#include "haulpass/accept.h"
#include "haulpass/arena.h"
#include "haulpass/check.h"
#include "haulpass/check_answer.h"
#include "haulpass/check_feed.h"
#include "haulpass/geo_context.h"
#include "haulpass/json_body.h"
#include "haulpass/ops_route.h"
#include "haulpass/parallel.h"
#include "haulpass/plate.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"
#include "haulpass/vocab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIGHTINGS 1000
#define DEFAULT_SPEED_KMH 30

/* The language of the answer's reasons: Chinese when Accept-Language
 * prefers it to English (the console sends its own), else English. */
static enum hp_rule_lang reason_lang(struct hp_request *req)
{
    static const char *const ours[] = {"en", "zh"};
    const char *l = hp_accept_pick_language(hp_req_header(req, "Accept-Language"), ours, 2);
    return strcmp(l, "zh") == 0 ? HP_RULE_LANG_ZH : HP_RULE_LANG_EN;
}

/* Replies 200 with the answer in t, which the reply takes over rather
 * than copying (a route's is 10-17 KB, a batch's about 300 KB): t is left
 * empty. */
static void reply_answer(struct hp_request *req, struct hp_text *t)
{
    hp_reply_shared(req, 200, "application/json", t->p, t->len, free, t->p);
    t->p = NULL;
    t->len = t->cap = 0;
}

/* Runs the check and writes the answer into t; 200, 404 (no such plate,
 * or one that org, when given, does not hold), 422 (it would arrive after
 * the year 9999), 503 (no snapshot yet) or 500. */
static int route_answer(const char *plate, const unsigned char *org,
                        const struct hp_check_vehicle *given, const double *xy, int n,
                        int64_t depart_us, double speed_kmh, struct hp_text *t)
{
    struct hp_snapshot *s = hp_check_feed_current();
    if (!s)
        return 503;
    struct hp_route_answer a;
    int status = 500;
    switch (hp_ops_route_check(s, plate, org, given, xy, n, depart_us, speed_kmh, &a)) {
    case HP_ROUTE_CHECKED:
        hp_check_answer_route(t, s, &a.vehicle, &a.check, &a.escort);
        status = t->failed ? 500 : 200;
        hp_ops_route_free(&a);
        break;
    case HP_ROUTE_NO_VEHICLE: status = 404; break;
    case HP_ROUTE_TOO_LATE: status = 422; break;
    case HP_ROUTE_FAILED: status = 500; break;
    }
    hp_snapshot_unref(s);
    return status;
}

static void first_problem(void *ctx, const char *pointer, const char *message)
{
    (void)pointer;
    char **detail = ctx;
    if (!*detail)
        *detail = strdup(message);
}

int hp_api_check_route_json(const cJSON *route, const char *plate, int64_t depart_us,
                            double speed_kmh, cJSON **answer)
{
    char norm[HP_PLATE_BUF], *detail = NULL;
    *answer = NULL;
    if (!plate || hp_plate_normalise(plate, norm, NULL) != HP_PLATE_OK)
        return 404;
    if (!(speed_kmh >= 5 && speed_kmh <= 120))
        return 422;
    int n;
    double *xy = hp_ops_route_positions(route, &n, first_problem, &detail);
    free(detail);
    if (!xy)
        return 422;
    struct hp_text t = {0};
    int status = route_answer(norm, NULL, NULL, xy, n, depart_us, speed_kmh, &t);
    free(xy);
    if (status == 200 && !(*answer = cJSON_Parse(t.p)))
        status = 500;
    hp_text_free(&t);
    return status;
}

struct req_bad {
    struct hp_request *req;
    const char *prefix;
};

static void req_bad(void *ctx, const char *pointer, const char *message)
{
    struct req_bad *b = ctx;
    hp_req_invalid(b->req, hp_arena_printf(b->req->arena, "%s%s", b->prefix, pointer), "%s",
                   message);
}

enum { RC_PLATE, RC_VEHICLE, RC_ROUTE, RC_DEPART, RC_SPEED };
static const struct hp_json_field route_spec[] = {
    [RC_PLATE] = {"plate", HP_JSON_STRING, .min = 1, .max = 64},
    [RC_VEHICLE] = {"vehicle", HP_JSON_OBJECT},
    [RC_ROUTE] = {"route", HP_JSON_OBJECT, .required = true},
    [RC_DEPART] = {"depart_at", HP_JSON_STRING, .required = true, .min = 1, .max = 64},
    [RC_SPEED] = {"speed_kmh", HP_JSON_ANY},
    {NULL},
};

enum { VH_CLASS, VH_WEIGHT, VH_HAZMAT };
static const struct hp_json_field vehicle_spec[] = {
    [VH_CLASS] = {"class", HP_JSON_ENUM, .required = true, .choices = hp_vehicle_classes},
    [VH_WEIGHT] = {"gross_weight_kg", HP_JSON_INT, .required = true, .min = 1, .max = 200000},
    [VH_HAZMAT] = {"hazmat", HP_JSON_BOOL},
    {NULL},
};

/* The vehicle a check is for: plate (its normal form into norm) or
 * vehicle (its traits into given), exactly one of them (asked only when
 * the body read well so far: complete); false after recording why. */
static bool read_vehicle(struct hp_request *req, bool complete, const cJSON *plate,
                         const cJSON *vehicle, char norm[HP_PLATE_BUF],
                         struct hp_check_vehicle *given)
{
    const cJSON *w[VH_HAZMAT + 1];
    bool ok = true;
    if (complete && !plate == !vehicle) {
        hp_req_invalid(req, "/plate", "give either plate or vehicle, not both nor neither");
        ok = false;
    }
    if (plate && hp_plate_normalise(plate->valuestring, norm, NULL) != HP_PLATE_OK) {
        hp_req_invalid(req, "/plate", "is not a plate");
        ok = false;
    }
    if (vehicle && hp_api_read(req, vehicle, vehicle_spec, "/vehicle", w))
        *given = (struct hp_check_vehicle){hp_vocab_index(hp_vehicle_classes,
                                                          w[VH_CLASS]->valuestring),
                                           w[VH_WEIGHT]->valueint, cJSON_IsTrue(w[VH_HAZMAT])};
    else if (vehicle)
        ok = false;
    return ok;
}

/* An instant with its offset at pointer, or false after recording why.
 * Checks stay inside 1970-01-01T00:00:00Z .. HP_TIME_LAST_US, arrival
 * included, so every instant an answer writes has a four-digit year. */
static bool read_instant(struct hp_request *req, const cJSON *v, const char *pointer,
                         int64_t *us)
{
    if (!cJSON_IsString(v) || !hp_time_parse(v->valuestring, us)) {
        hp_req_invalid(req, pointer, "must be an RFC 3339 date-time with an offset, e.g. "
                                     "2026-12-01T07:30:00+08:00");
        return false;
    }
    if (*us < 0 || *us > HP_TIME_LAST_US) {
        hp_req_invalid(req, pointer, "must lie between 1970-01-01T00:00:00Z and "
                                     "9999-12-31T09:59:59Z");
        return false;
    }
    return true;
}

void hp_api_checks_route(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    const cJSON *v[RC_SPEED + 1];
    if (!body)
        return;
    bool ok = hp_api_read(req, body, route_spec, "", v);
    char norm[HP_PLATE_BUF];
    struct hp_check_vehicle given = {0};
    ok = read_vehicle(req, ok, v[RC_PLATE], v[RC_VEHICLE], norm, &given) && ok;
    int64_t depart = 0;
    if (v[RC_DEPART] && !read_instant(req, v[RC_DEPART], "/depart_at", &depart))
        ok = false;
    double speed = DEFAULT_SPEED_KMH;
    if (v[RC_SPEED]) {
        speed = cJSON_IsNumber(v[RC_SPEED]) ? v[RC_SPEED]->valuedouble : NAN;
        if (!(speed >= 5 && speed <= 120)) {
            hp_req_invalid(req, "/speed_kmh", "must be a number from 5 to 120 (km/h)");
            ok = false;
        }
    }
    int n = 0;
    double *xy = NULL;
    if (v[RC_ROUTE]) {
        struct req_bad b = {req, "/route"};
        xy = hp_ops_route_positions(v[RC_ROUTE], &n, req_bad, &b);
        ok = ok && xy;
    }
    if (!ok) {
        free(xy);
        hp_reply_invalid(req);
        return;
    }
    /* Police look up any plate; everyone else only their own (an org id
     * that does not parse leaves zeros, which match no vehicle). */
    unsigned char org[16] = {0};
    bool police = (req->who->role & HP_ROLE_POLICE) != 0;
    if (!police)
        hp_uuid_bytes(req->who->org_id, org);
    struct hp_text t = {.lang = reason_lang(req)};
    int status = route_answer(v[RC_PLATE] ? norm : NULL, police ? NULL : org, &given, xy, n,
                              depart, speed, &t);
    free(xy);
    if (status == 200)
        reply_answer(req, &t);
    else if (status == 404)
        hp_reply_problem(req, 404, "unknown-vehicle", "no vehicle has plate %s", norm);
    else if (status == 422) {
        hp_req_invalid(req, "/route", "is too long to be driven by the year 9999 at this speed");
        hp_reply_invalid(req);
    }
    else if (status == 503)
        hp_reply_problem(req, 503, "checks-unavailable",
                         "the zones are not loaded yet; try again shortly");
    else
        hp_reply_internal(req, "out of memory checking a route");
    hp_text_free(&t);
}

static const struct hp_json_field sightings_spec[] = {
    {"sightings", HP_JSON_ARRAY, .required = true, .min = 1, .max = MAX_SIGHTINGS},
    {NULL},
};

enum { SG_PLATE, SG_LON, SG_LAT, SG_AT, SG_CAMERA };
static const struct hp_json_field sighting_spec[] = {
    [SG_PLATE] = {"plate", HP_JSON_STRING, .required = true, .min = 1, .max = 64},
    [SG_LON] = {"lon", HP_JSON_ANY, .required = true},
    [SG_LAT] = {"lat", HP_JSON_ANY, .required = true},
    [SG_AT] = {"at", HP_JSON_STRING, .required = true, .min = 1, .max = 64},
    [SG_CAMERA] = {"camera_id", HP_JSON_STRING, .nullable = true, .max = 200},
    {NULL},
};

struct sighting {
    char plate[HP_PLATE_BUF]; /* "" when the text is no plate at all */
    double lon, lat;
    int64_t at_us;
};

/* A coordinate within ±limit, else false after recording why at
 * prefix + field (the pointer is only spelled out for an error: a batch of
 * a thousand good sightings should not format four thousand of them). */
static bool read_coordinate(struct hp_request *req, const cJSON *v, double limit,
                            const char *prefix, const char *field, double *out)
{
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && fabs(v->valuedouble) <= limit) {
        *out = v->valuedouble;
        return true;
    }
    hp_req_invalid(req, hp_arena_printf(req->arena, "%s/%s", prefix, field),
                   "must be a number from %g to %g", -limit, limit);
    return false;
}

static bool read_sightings(struct hp_request *req, const cJSON *list, struct sighting *out)
{
    bool ok = true;
    int i = 0;
    for (const cJSON *item = list->child; item; item = item->next, i++) {
        const cJSON *v[SG_CAMERA + 1];
        char prefix[32] = "/sightings/";
        char digits[12];
        int nd = 0;
        for (int k = i; nd == 0 || k; k /= 10)
            digits[nd++] = (char)('0' + k % 10);
        for (int k = 0; k < nd; k++)
            prefix[11 + k] = digits[nd - 1 - k];
        prefix[11 + nd] = '\0';
        if (!hp_api_read(req, item, sighting_spec, prefix, v)) {
            ok = false;
            continue;
        }
        struct sighting *s = &out[i];
        /* A misread plate is an unknown vehicle, not a failed batch. */
        if (hp_plate_normalise(v[SG_PLATE]->valuestring, s->plate, NULL) != HP_PLATE_OK)
            s->plate[0] = '\0';
        ok &= read_coordinate(req, v[SG_LON], 180, prefix, "lon", &s->lon);
        ok &= read_coordinate(req, v[SG_LAT], 90, prefix, "lat", &s->lat);
        if (cJSON_IsString(v[SG_AT]) && hp_time_parse(v[SG_AT]->valuestring, &s->at_us) &&
            s->at_us >= 0 && s->at_us <= HP_TIME_LAST_US)
            continue;
        ok &= read_instant(req, v[SG_AT], hp_arena_printf(req->arena, "%s/at", prefix),
                          &s->at_us);
    }
    return ok;
}

/* A batch is checked in parts of this many sightings, shared with the
 * helper threads (parallel.h); a smaller batch is one part. */
#define SIGHTINGS_PART 128

/* The checks of a batch of sightings. The first part answers straight into
 * the answer, after its opening; each other part into a text of its own,
 * joined to the answer in order afterwards. A part that cannot finish
 * marks its text failed. */
struct sightings_batch {
    struct hp_snapshot *s;
    const struct sighting *in;
    int n;
    struct hp_text *answer; /* part 0's */
    struct hp_text *rest;   /* parts 1 ..; NULL for one part */
};

static void check_sightings_part(void *ctx, int part)
{
    struct sightings_batch *b = ctx;
    struct hp_snapshot *s = b->s;
    struct hp_text *t = part ? &b->rest[part - 1] : b->answer;
    int from = part * SIGHTINGS_PART;
    int to = from + SIGHTINGS_PART < b->n ? from + SIGHTINGS_PART : b->n;
    /* GEOS contexts are per thread: a helper uses its own. */
    GEOSContextHandle_t ctx_geo = hp_geo_thread_context();
    if (!ctx_geo)
        t->failed = true;
    for (int i = from; !t->failed && i < to; i++) {
        const struct sighting *in = &b->in[i];
        const struct hp_snap_vehicle *sv = in->plate[0] ? hp_snapshot_vehicle(s, in->plate)
                                                        : NULL;
        /* An unknown vehicle still learns which zones it is in. */
        struct hp_check_vehicle cv = sv ? hp_ops_check_vehicle(s, sv) : (struct hp_check_vehicle){-1};
        struct hp_sighting_check c;
        if (hp_check_sighting(s, ctx_geo, &cv, in->lon, in->lat,
                              (time_t)floor((double)in->at_us / 1e6), &c))
            hp_check_answer_sighting(t, s, sv ? &cv : NULL, &c, i == 0);
        else
            t->failed = true;
        hp_sighting_check_free(&c);
    }
}

/* The parts after the first joined to the answer: the room for them all
 * at once (a thousand results are about 300 KB), then each in order. */
static void join_parts(struct hp_text *answer, struct hp_text *rest, int n)
{
    size_t len = 0;
    for (int k = 0; k < n; k++)
        len += rest[k].len;
    hp_text_reserve(answer, len + 8);
    for (int k = 0; k < n; k++) {
        hp_text_append(answer, &rest[k]);
        hp_text_free(&rest[k]);
    }
}

void hp_api_checks_sightings(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    const cJSON *v[1];
    if (!body)
        return;
    if (!hp_api_read(req, body, sightings_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    int n = cJSON_GetArraySize(v[0]);
    struct sighting *in = hp_arena_calloc(req->arena, (size_t)n, sizeof(*in));
    if (!read_sightings(req, v[0], in)) {
        hp_reply_invalid(req);
        return;
    }
    struct hp_snapshot *s = hp_check_feed_current();
    if (!s) {
        hp_reply_problem(req, 503, "checks-unavailable",
                         "the zones are not loaded yet; try again shortly");
        return;
    }
    int nparts = (n + SIGHTINGS_PART - 1) / SIGHTINGS_PART;
    struct hp_text t = {.lang = reason_lang(req)};
    struct sightings_batch b = {.s = s, .in = in, .n = n, .answer = &t};
    if (nparts > 1)
        b.rest = hp_arena_calloc(req->arena, (size_t)nparts - 1, sizeof(*b.rest));
    for (int k = 0; k < nparts - 1; k++)
        b.rest[k].lang = t.lang;
    hp_check_answer_sightings_begin(&t, s);
    if (!t.failed) {
        hp_parallel_for(nparts, check_sightings_part, &b);
        join_parts(&t, b.rest, nparts - 1);
    }
    hp_check_answer_sightings_end(&t);
    hp_snapshot_unref(s);
    if (!t.failed)
        reply_answer(req, &t);
    else
        hp_reply_internal(req, "out of memory checking sightings");
    hp_text_free(&t);
}

enum { CZ_PLATE, CZ_VEHICLE, CZ_AT, CZ_BBOX, CZ_REASONS };
static const struct hp_json_field zones_spec[] = {
    [CZ_PLATE] = {"plate", HP_JSON_STRING, .min = 1, .max = 64},
    [CZ_VEHICLE] = {"vehicle", HP_JSON_OBJECT},
    [CZ_AT] = {"at", HP_JSON_STRING, .required = true, .min = 1, .max = 64},
    [CZ_BBOX] = {"bbox", HP_JSON_ARRAY, .required = true, .min = 4, .max = 4},
    [CZ_REASONS] = {"reasons", HP_JSON_BOOL},
    {NULL},
};

/* [west, south, east, north] (four numbers: zones_spec), as ?bbox= reads it. */
static bool read_bbox(struct hp_request *req, const cJSON *list, double b[4])
{
    int i = 0;
    for (const cJSON *x = list->child; x && i < 4; x = x->next)
        b[i++] = cJSON_IsNumber(x) ? x->valuedouble : NAN;
    if (i == 4 && hp_api_bbox_valid(b))
        return true;
    hp_req_invalid(req, "/bbox", "must be [west, south, east, north] in degrees, with west <= "
                                 "east and south <= north");
    return false;
}

/* POST /v1/checks/zones: which zones in a box restrict this vehicle at
 * this instant, for the haulier's map coloured by vehicle and time: one
 * answer per position of its time slider, from memory. */
void hp_api_checks_zones(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    const cJSON *v[CZ_REASONS + 1];
    if (!body)
        return;
    bool ok = hp_api_read(req, body, zones_spec, "", v);
    char norm[HP_PLATE_BUF];
    struct hp_check_vehicle given = {0};
    ok = read_vehicle(req, ok, v[CZ_PLATE], v[CZ_VEHICLE], norm, &given) && ok;
    int64_t at = 0;
    if (v[CZ_AT] && !read_instant(req, v[CZ_AT], "/at", &at))
        ok = false;
    double b[4];
    if (v[CZ_BBOX] && !read_bbox(req, v[CZ_BBOX], b))
        ok = false;
    if (!ok) {
        hp_reply_invalid(req);
        return;
    }
    struct hp_snapshot *s = hp_check_feed_current();
    if (!s) {
        hp_reply_problem(req, 503, "checks-unavailable",
                         "the zones are not loaded yet; try again shortly");
        return;
    }
    struct hp_check_vehicle cv = given;
    if (v[CZ_PLATE]) {
        /* As the route check: police any plate, everyone else their own. */
        const struct hp_snap_vehicle *sv = hp_snapshot_vehicle(s, norm);
        unsigned char org[16] = {0};
        bool police = (req->who->role & HP_ROLE_POLICE) != 0;
        if (!police)
            hp_uuid_bytes(req->who->org_id, org);
        if (!sv || (!police && memcmp(sv->org, org, sizeof(org)) != 0)) {
            hp_snapshot_unref(s);
            hp_reply_problem(req, 404, "unknown-vehicle", "no vehicle has plate %s", norm);
            return;
        }
        cv = hp_ops_check_vehicle(s, sv);
    }
    GEOSContextHandle_t ctx = hp_geo_thread_context();
    struct hp_check_violation *list = NULL;
    int n = 0;
    time_t when = (time_t)(at / 1000000);
    struct hp_text t = {.lang = reason_lang(req)};
    ok = ctx && hp_check_zones_at(s, ctx, &cv, b[0], b[1], b[2], b[3], when, &list, &n);
    if (ok)
        hp_check_answer_zones(&t, s, &cv, when, list, n, !cJSON_IsFalse(v[CZ_REASONS]));
    free(list);
    hp_snapshot_unref(s);
    if (ok && !t.failed)
        reply_answer(req, &t);
    else
        hp_reply_internal(req, "out of memory checking zones");
    hp_text_free(&t);
}
