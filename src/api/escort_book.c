/*
 * POST /v1/escorts: book an escort. The request is checked, then the search
 * (src/rules/escort_schedule.c) and the insert run in one transaction. The
 * exclusion constraint escorts_no_double_booking is what guarantees that no
 * two live bookings of a unit overlap: when a concurrent booking (from this
 * process or another instance) takes the slot between our search and our
 * insert, the insert fails with 23P01 and the whole search runs again, a
 * bounded number of times, and finds the next feasible slot or none.
 */
#include "haulpass/api.h"

#include "haulpass/antimeridian.h"
#include "haulpass/arena.h"
#include "haulpass/calendar_store.h"
#include "haulpass/escort_schedule.h"
#include "haulpass/escorts.h"
#include "haulpass/json_body.h"
#include "haulpass/ops_route.h"
#include "haulpass/opening_hours.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"

#include <math.h>
#include <string.h>

#define US 1000000LL
/* How far ahead a window may reach, and how far in the past its start may
 * lie (a client's "now" that took a moment to arrive). */
#define MAX_AHEAD_US (90LL * 24 * 3600 * US)
#define PAST_GRACE_US (60 * US)
/* A given route must run from the origin to the destination, give or take
 * this much (a gate across the road from the point on the map). */
#define MAX_ROUTE_GAP_M 1000.0
/* The longest escort: a unit leads a convoy across its city and to the
 * next, about 13 hours at 40 km/h; longer hauls are handed from force to
 * force, and a search over weeks of one unit's time would be nonsense. */
#define MAX_ESCORT_M 500000.0
/* hp_db_tx runs a search up to 5 times on a lost race; this many rounds of
 * it. Each lost race means another booking won, so progress is certain. */
#define BOOK_ROUNDS 6

enum { F_PROJECT, F_PLATES, F_ORIGIN, F_DEST, F_ROUTE, F_EARLIEST, F_LATEST, F_CARGO, F_COUNT };

static const struct hp_json_field book_spec[] = {
    {"project_id", HP_JSON_UUID, .required = true},
    {"plates", HP_JSON_ARRAY, .required = true, .min = 1, .max = 100},
    {"origin", HP_JSON_OBJECT, .required = true},
    {"destination", HP_JSON_OBJECT, .required = true},
    {"route", HP_JSON_OBJECT, .nullable = true},
    {"earliest_start", HP_JSON_STRING, .required = true},
    {"latest_start", HP_JSON_STRING, .required = true},
    {"cargo", HP_JSON_OBJECT, .nullable = true},
    {NULL},
};

static const struct hp_json_field cargo_spec[] = {
    {"description", HP_JSON_STRING, .required = true, .min = 1, .max = 500},
    {"gross_weight_kg", HP_JSON_INT, .min = 1, .max = 1000000},
    {"length_mm", HP_JSON_INT, .min = 100, .max = 100000},
    {"width_mm", HP_JSON_INT, .min = 100, .max = 20000},
    {"height_mm", HP_JSON_INT, .min = 100, .max = 20000},
    {NULL},
};

struct booking {
    struct hp_escort_request req;
    const char *cargo;
    int vehicles;
    int route_last; /* index of the route's last position */
    int64_t earliest_us, latest_us;
};

/* An instant of the body; false after recording why at ptr. */
static bool read_instant(struct hp_request *req, const cJSON *v, const char *ptr, int64_t *us)
{
    if (v && !hp_time_parse(v->valuestring, us)) {
        hp_req_invalid(req, ptr, "must be an RFC 3339 date-time with an offset");
        return false;
    }
    return v != NULL;
}

/* The window: not ending before it starts, not starting in the past, not
 * reaching more than 90 days ahead. */
static bool read_window(struct hp_request *req, const cJSON *const *v, struct booking *b)
{
    bool e = read_instant(req, v[F_EARLIEST], "/earliest_start", &b->earliest_us);
    bool l = read_instant(req, v[F_LATEST], "/latest_start", &b->latest_us);
    int64_t now = hp_time_now_us();
    bool ok = e && l;
    if (e && b->earliest_us < now - PAST_GRACE_US) {
        hp_req_invalid(req, "/earliest_start", "must not be in the past");
        ok = false;
    }
    if (e && l && b->latest_us < b->earliest_us) {
        hp_req_invalid(req, "/latest_start", "must not be before earliest_start");
        ok = false;
    }
    if (l && b->latest_us > now + MAX_AHEAD_US) {
        hp_req_invalid(req, "/latest_start", "must be at most 90 days ahead");
        ok = false;
    }
    return ok;
}

/* Axis k (0 longitude, 1 latitude) of a Point hp_api_read_geometry read. */
static double axis(const cJSON *point, int k)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(point, "coordinates"), k)
        ->valuedouble;
}

static bool same_point(const cJSON *a, const cJSON *b)
{
    return axis(a, 0) == axis(b, 0) && axis(a, 1) == axis(b, 1);
}

/* Reads the body into b; false after replying 422. */
static bool read_booking(struct hp_request *req, const cJSON *body, struct booking *b)
{
    const cJSON *v[F_COUNT], *c[5];
    bool ok = hp_api_read(req, body, book_spec, "", v);
    memset(b, 0, sizeof(*b));
    b->req.project_id = v[F_PROJECT] ? v[F_PROJECT]->valuestring : NULL;
    b->req.site_org_id = hp_api_own_org(req);
    if (v[F_PLATES] &&
        !(b->req.plates = hp_api_read_plates(req, v[F_PLATES], "/plates", &b->req.nplates)))
        ok = false;
    b->vehicles = v[F_PLATES] ? cJSON_GetArraySize(v[F_PLATES]) : 0;
    if (v[F_ORIGIN] &&
        !(b->req.origin = hp_api_read_geometry(req, v[F_ORIGIN], "Point", "/origin")))
        ok = false;
    if (v[F_DEST] &&
        !(b->req.destination = hp_api_read_geometry(req, v[F_DEST], "Point", "/destination")))
        ok = false;
    if (b->req.origin && b->req.destination && same_point(v[F_ORIGIN], v[F_DEST])) {
        hp_req_invalid(req, "/destination", "must not be the origin");
        ok = false;
    }
    if (v[F_ROUTE] &&
        !(b->req.route = hp_api_read_geometry(req, v[F_ROUTE], "LineString", "/route")))
        ok = false;
    /* Without a route the escort's is the straight line between the two,
     * a segment like any other (antimeridian.h). */
    if (!v[F_ROUTE] && b->req.origin && b->req.destination &&
        hp_antimeridian_crossed(axis(v[F_ORIGIN], 0), axis(v[F_DEST], 0))) {
        hp_req_invalid(req, "/destination/coordinates",
                       "lies across the antimeridian (180° of longitude) from origin: the "
                       "straight line between them would cross it; keep to one side");
        ok = false;
    }
    b->route_last =
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v[F_ROUTE], "coordinates")) - 1;
    if (!read_window(req, v, b))
        ok = false;
    if (v[F_CARGO]) {
        if (hp_api_read(req, v[F_CARGO], cargo_spec, "/cargo", c))
            b->cargo = hp_arena_defer(req->arena, cJSON_free, cJSON_PrintUnformatted(v[F_CARGO]));
        else
            ok = false;
    }
    if (!ok)
        hp_reply_invalid(req);
    return ok;
}

struct book_tx {
    struct hp_arena *arena;
    const struct booking *b;
    const struct hp_calendar *cal;
    struct hp_escort row;  /* what to insert, but for unit and times */
    time_t from, to, duration;
    /* Outcome of the last attempt. */
    struct hp_escort_unit *units;
    int nunits;
    struct hp_escort_candidate *cand;
    bool booked;
    struct hp_escort out;
};

/* Every unit's earliest feasible start in [from, to] into t->cand. */
static enum hp_db_status search(struct hp_db *db, struct book_tx *t, struct hp_oh **hours,
                                time_t from, time_t to)
{
    struct hp_escort_busy_span *spans;
    int nspans;
    time_t reach = to + t->duration + HP_ESCORT_TURNAROUND_S;
    enum hp_db_status st = hp_escorts_busy(db, t->arena, (int64_t)from * US,
                                           (int64_t)reach * US, &spans, &nspans);
    if (st < 0)
        return st;
    struct hp_escort_busy *busy = hp_arena_calloc(t->arena, (size_t)nspans + 1, sizeof(*busy));
    for (int i = 0; i < t->nunits; i++) {
        /* The spans come by unit, then start: this unit's run of them. */
        size_t n = 0;
        for (int k = 0; k < nspans; k++)
            if (strcmp(spans[k].unit_id, t->units[i].id) == 0)
                busy[n++] = (struct hp_escort_busy){(time_t)spans[k].start_s,
                                                    (time_t)spans[k].free_s};
        t->cand[i].base_distance_m = t->units[i].base_distance_m;
        t->cand[i].found = hours[i] &&
                           hp_escort_earliest(hours[i], t->cal, busy, n, from, to, t->duration,
                                              HP_ESCORT_TURNAROUND_S, &t->cand[i].start);
    }
    return HP_DB_ROWS;
}

static void free_oh(void *oh)
{
    hp_oh_free(oh);
}

static enum hp_db_status book_run(struct hp_db *db, void *ctx)
{
    struct book_tx *t = ctx;
    t->booked = false;
    enum hp_db_status st = hp_escort_units_near(db, t->arena, t->b->req.origin, t->b->vehicles,
                                                &t->units, &t->nunits);
    if (st < 0)
        return st;
    struct hp_oh **hours = hp_arena_calloc(t->arena, (size_t)t->nunits + 1, sizeof(*hours));
    for (int i = 0; i < t->nunits; i++)
        if (hp_oh_compile(t->units[i].hours, &hours[i], NULL) == HP_OH_OK)
            hp_arena_defer(t->arena, free_oh, hours[i]);
    t->cand = hp_arena_calloc(t->arena, (size_t)t->nunits + 1, sizeof(*t->cand));
    if ((st = search(db, t, hours, t->from, t->to)) < 0)
        return st;
    int best = hp_escort_best(t->cand, (size_t)t->nunits);
    if (best < 0) /* none in the window: the alternatives after it */
        return search(db, t, hours, t->to + 1, t->to + HP_ESCORT_ALTERNATIVE_S);
    t->row.unit_id = t->units[best].id;
    t->row.start_us = (int64_t)t->cand[best].start * US;
    t->row.end_us = t->row.start_us + (int64_t)t->duration * US;
    t->row.free_us = t->row.end_us + (int64_t)HP_ESCORT_TURNAROUND_S * US;
    /* Checked from memory before the insert, to be stored with the booking:
     * reading it back later costs nothing, however long the route. */
    t->row.route_check = hp_ops_escort_route_check(t->arena, &t->row);
    st = hp_escorts_insert(db, t->arena, &t->row, &t->out);
    t->booked = st == HP_DB_ROWS;
    return st;
}

static void reply_full(struct hp_request *req, const struct book_tx *t)
{
    size_t idx[HP_ESCORT_MAX_ALTERNATIVES];
    size_t n = hp_escort_ranked(t->cand, (size_t)t->nunits, idx, HP_ESCORT_MAX_ALTERNATIVES);
    cJSON *extra = cJSON_CreateObject();
    cJSON *alts = cJSON_AddArrayToObject(extra, "alternatives");
    for (size_t i = 0; i < n; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "unit_id", t->units[idx[i]].id);
        hp_api_add_time(a, "start", (int64_t)t->cand[idx[i]].start * US);
        cJSON_AddItemToArray(alts, a);
    }
    hp_reply_problem_with(req, 409, "no-escort-free", extra,
                          t->nunits ? "no escort unit is on duty and free for the whole escort"
                                      " at a start in the window"
                                    : "no escort unit can lead %d vehicles", t->b->vehicles);
}

/* The length an escort drives: its route, else the straight line
 * stretched by the usual detour. */
static double escort_length(const struct booking *b, const struct hp_escort_refs *refs)
{
    return b->req.route ? refs->length_m : refs->length_m * HP_ESCORT_DETOUR;
}

/* Checks the project and plates; false after replying. */
static bool check_refs(struct hp_request *req, struct hp_db *db, const struct booking *b,
                       struct hp_escort_refs *refs)
{
    enum hp_db_status st = hp_escorts_check(db, req->arena, &b->req, refs);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return false;
    }
    if (!refs->project_found) {
        hp_reply_problem(req, 404, "not-found", "no project has this id");
        return false;
    }
    for (int *i = refs->bad_plates; *i >= 0; i++)
        hp_req_invalid(req, hp_arena_printf(req->arena, "/plates/%d", *i),
                       "is not a vehicle of the project's site");
    if (b->req.route && refs->start_gap_m > MAX_ROUTE_GAP_M)
        hp_req_invalid(req, "/route/coordinates/0",
                       "must lie within %.0f m of the origin (it is %.0f m away)",
                       MAX_ROUTE_GAP_M, refs->start_gap_m);
    if (b->req.route && refs->end_gap_m > MAX_ROUTE_GAP_M)
        hp_req_invalid(req, hp_arena_printf(req->arena, "/route/coordinates/%d", b->route_last),
                       "must lie within %.0f m of the destination (it is %.0f m away)",
                       MAX_ROUTE_GAP_M, refs->end_gap_m);
    double length = escort_length(b, refs);
    if (length > MAX_ESCORT_M)
        hp_req_invalid(req, b->req.route ? "/route" : "/destination",
                       "makes an escort of %.0f km; at most %.0f km can be booked",
                       length / 1000, MAX_ESCORT_M / 1000);
    if (!req->errors)
        return true;
    hp_reply_invalid(req);
    return false;
}

void hp_api_escorts_book(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    struct booking b;
    if (!body || !read_booking(req, body, &b))
        return;
    struct hp_escort_refs refs;
    struct hp_calendar *cal;
    if (!check_refs(req, req->db, &b, &refs))
        return;
    enum hp_db_status st = hp_calendar_store_load(req->db, req->arena, &cal);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    double length = escort_length(&b, &refs);
    int64_t now = hp_time_now_us();
    struct book_tx t = {
        .arena = req->arena, .b = &b, .cal = cal,
        .row = {.project_id = b.req.project_id, .booked_by = req->who->user_id,
                .plates = b.req.plates, .nplates = b.req.nplates, .origin = b.req.origin,
                .destination = b.req.destination, .route = refs.route,
                .route_given = b.req.route != NULL, .length_m = length,
                .cargo = b.cargo},
        /* Whole seconds: the first one not before the window nor now, to
         * the window's last one, or to that first one when a window within
         * the grace has just passed: it is booked from now. */
        .from = (time_t)((b.earliest_us > now ? b.earliest_us : now) + US - 1) / US,
        .to = (time_t)(b.latest_us / US),
        .duration = hp_escort_duration_s(length),
    };
    if (t.to < t.from)
        t.to = t.from;
    st = HP_DB_SOFT_ERROR;
    for (int round = 0; round < BOOK_ROUNDS && st == HP_DB_SOFT_ERROR; round++)
        st = hp_db_tx(req->db, book_run, &t);
    if (st == HP_DB_SOFT_ERROR) {
        hp_reply_header(req, "Retry-After", "1");
        hp_reply_problem(req, 503, "contention",
                         "too many bookings raced for the same escort units; try again");
    } else if (st < 0) {
        hp_api_db_failed(req, st);
    } else if (!t.booked) {
        reply_full(req, &t);
    } else {
        hp_reply_header(req, "Location", hp_arena_printf(req->arena, "/v1/escorts/%s", t.out.id));
        hp_reply_json(req, 201, hp_api_escort_json(&t.out));
    }
}
