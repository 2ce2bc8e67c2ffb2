/* Building a snapshot from the rows the database hands over
 * (snapshot_store.h): geometry read from WKB once, rules compiled once,
 * each distinct pass hours and corridor made once. */
#include "snapshot_internal.h"

#include "haulpass/calendar.h"
#include "haulpass/json_body.h"
#include "haulpass/opening_hours.h"
#include "haulpass/oversize.h"
#include "haulpass/snapshot_store.h"
#include "haulpass/time.h"
#include "haulpass/vocab.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEG (M_PI / 180)

/* Interning during a load: a key (bytes) to the index of the one object
 * made for it. Keys are copies, freed with the table after the load. */
struct intern {
    struct intern_slot {
        char *key;
        size_t len;
        int index;
    } *slot;
    size_t cap, n;
};

struct loader {
    struct hp_snapshot *s;
    char *err;
    size_t errlen;
    struct intern hours, corridors;
    GEOSWKBReader *wkb;
    bool delta;
    char *const *plates; /* a delta's */
    int nplates;
    struct hp_snap_vehicle *owner; /* of the passes being read; NULL: none now */
    struct hp_calendar_entry *days;
    int ndays;
    double t0, t1, t2; /* when the load began, and its zones and vehicles ended */
};

/* The slot of key: its index when seen before, else a new slot with
 * index -1 for the caller to fill. NULL when out of memory. */
static struct intern_slot *intern(struct intern *t, const char *key, size_t len)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct intern_slot *slot = calloc(cap, sizeof(*slot));
        if (!slot)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i].key)
                continue;
            size_t h = hp_snapshot_hash(t->slot[i].key, t->slot[i].len) & (cap - 1);
            while (slot[h].key)
                h = (h + 1) & (cap - 1);
            slot[h] = t->slot[i];
        }
        free(t->slot);
        t->slot = slot, t->cap = cap;
    }
    size_t h = hp_snapshot_hash(key, len) & (t->cap - 1);
    for (; t->slot[h].key; h = (h + 1) & (t->cap - 1))
        if (t->slot[h].len == len && memcmp(t->slot[h].key, key, len) == 0)
            return &t->slot[h];
    if (!(t->slot[h].key = malloc(len + 1)))
        return NULL;
    memcpy(t->slot[h].key, key, len);
    t->slot[h].len = len;
    t->slot[h].index = -1;
    t->n++;
    return &t->slot[h];
}

static void intern_free(struct intern *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slot[i].key);
    free(t->slot);
}

static bool fail(struct loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct loader *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, l->errlen, fmt, ap);
    va_end(ap);
    return false;
}

static bool read_rules(struct loader *l, struct hp_snap_zone *z, const char *json)
{
    cJSON *rules = cJSON_Parse(json);
    if (!cJSON_IsArray(rules)) {
        cJSON_Delete(rules);
        return fail(l, "zone %s: rules are not a JSON array", z->id);
    }
    z->rules = calloc((size_t)cJSON_GetArraySize(rules) + 1, sizeof(*z->rules));
    bool ok = z->rules != NULL;
    for (const cJSON *r = rules->child; ok && r; r = r->next) {
        char why[HP_OH_MAX_LEN + 64];
        if (!hp_rule_compile(r, &z->rules[z->nrules++], why, sizeof(why)))
            ok = fail(l, "zone %s: %s", z->id, why);
    }
    cJSON_Delete(rules);
    return ok || l->err[0] || fail(l, "out of memory");
}

/* The rings of a (Multi)Polygon as flat arrays for route_clip. */
static bool read_area(GEOSContextHandle_t ctx, const GEOSGeometry *g, struct hp_area *a)
{
    int npoly = GEOSGetNumGeometries_r(ctx, g), nrings = 0, npos = 0;
    for (int i = 0; i < npoly; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(ctx, g, i);
        nrings += 1 + GEOSGetNumInteriorRings_r(ctx, p);
        npos += GEOSGetNumCoordinates_r(ctx, p);
    }
    double *xy = malloc((size_t)npos * 2 * sizeof(double));
    int *ends = malloc((size_t)nrings * sizeof(int));
    if (!xy || !ends) {
        free(xy);
        free(ends);
        return false;
    }
    int r = 0, at = 0;
    for (int i = 0; i < npoly; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(ctx, g, i);
        int holes = GEOSGetNumInteriorRings_r(ctx, p);
        for (int k = -1; k < holes; k++) {
            const GEOSGeometry *ring = k < 0 ? GEOSGetExteriorRing_r(ctx, p)
                                             : GEOSGetInteriorRingN_r(ctx, p, k);
            const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, ring);
            unsigned int n = 0;
            GEOSCoordSeq_getSize_r(ctx, seq, &n);
            GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy + 2 * at, 0, 0);
            at += (int)n;
            ends[r++] = at;
        }
    }
    /* Owned by the zone from here: snapshot_free releases them even when
     * the boxes below cannot be made. */
    a->xy = xy, a->ring_end = ends, a->nrings = nrings;
    double *boxes = malloc(((size_t)hp_area_run_count(a) + 1) * 4 * sizeof(double));
    if (!boxes)
        return false;
    hp_area_run_boxes(a, boxes);
    a->run_box = boxes;
    GEOSGeom_getXMin_r(ctx, g, &a->minx);
    GEOSGeom_getYMin_r(ctx, g, &a->miny);
    GEOSGeom_getXMax_r(ctx, g, &a->maxx);
    GEOSGeom_getYMax_r(ctx, g, &a->maxy);
    return true;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The sink's callbacks (snapshot_store.h), in the order a load calls them. */

static bool on_version(void *ctx, int64_t version)
{
    struct loader *l = ctx;
    l->s->version = version;
    l->s->loaded_us = hp_time_now_us();
    l->t0 = l->t1 = l->t2 = now_ms();
    return true;
}

/* Room for every row of a table (and one more, so an empty table still
 * allocates); a delta's vehicles also get room for a tombstone per plate
 * that no vehicle carries now. */
static bool on_begin(void *ctx, enum hp_store_table table, int nrows)
{
    struct loader *l = ctx;
    struct hp_snapshot *s = l->s;
    size_t n = (size_t)nrows + 1;
    bool ok = false;
    switch (table) {
    case HP_STORE_ZONES:
        ok = (s->zones = calloc(n, sizeof(*s->zones))) != NULL;
        break;
    case HP_STORE_VEHICLES:
        ok = (s->vehicles = calloc(n + (size_t)l->nplates, sizeof(*s->vehicles))) != NULL;
        break;
    case HP_STORE_PASSES:
        ok = (s->passes = calloc(n, sizeof(*s->passes))) != NULL;
        break;
    case HP_STORE_USERS:
        ok = (s->users = calloc(n, sizeof(*s->users))) != NULL;
        break;
    case HP_STORE_CALENDAR:
        ok = (l->days = calloc(n, sizeof(*l->days))) != NULL;
        break;
    case HP_STORE_ESCORTS:
        ok = (s->escorts = calloc(n, sizeof(*s->escorts))) != NULL;
        break;
    }
    return ok || fail(l, "out of memory");
}

static bool on_zone(void *ctx, const struct hp_stored_zone *row)
{
    struct loader *l = ctx;
    struct hp_snapshot *s = l->s;
    struct hp_snap_zone *z = &s->zones[s->nzones++];
    snprintf(z->id, sizeof(z->id), "%s", row->id);
    z->name = strdup(row->name);
    z->version = row->version;
    z->updated = row->updated;
    if (row->zones_changed > s->zones_changed)
        s->zones_changed = row->zones_changed;
    z->geom = GEOSWKBReader_read_r(s->geos, l->wkb, row->wkb, row->wkb_len);
    if (!z->geom)
        return fail(l, "zone %s: geometry cannot be read", z->id);
    /* read_area also makes GEOS compute and cache the envelopes now,
     * before other threads read the geometry. */
    hp_prep_init(&z->prep, z->geom);
    if (!z->name || !read_area(s->geos, z->geom, &z->area))
        return fail(l, "out of memory");
    return read_rules(l, z, row->rules_json);
}

static bool on_vehicle(void *ctx, const struct hp_stored_vehicle *row)
{
    struct loader *l = ctx;
    struct hp_snapshot *s = l->s;
    struct hp_snap_vehicle *v = &s->vehicles[s->nvehicles++];
    snprintf(v->plate, sizeof(v->plate), "%s", row->plate);
    v->cls = hp_vocab_index(hp_vehicle_classes, row->cls);
    v->gross_kg = row->gross_kg;
    v->hazmat = row->hazmat;
    hp_uuid_bytes(row->org_id, v->org);
    return true;
}

/* The plates of a delta still missing are gone: say so with a tombstone,
 * or the base would answer for them. */
static bool add_tombstones(struct loader *l)
{
    struct hp_snapshot *s = l->s;
    int found = s->nvehicles;
    for (int i = 0; i < l->nplates; i++) {
        if (hp_snapshot_own_vehicle(s, l->plates[i]) >= 0)
            continue;
        struct hp_snap_vehicle *v = &s->vehicles[s->nvehicles++];
        memset(v, 0, sizeof(*v));
        snprintf(v->plate, sizeof(v->plate), "%s", l->plates[i]);
        v->cls = HP_SNAP_GONE;
    }
    if (s->nvehicles == found)
        return true;
    free(s->by_plate.slot);
    s->by_plate.slot = NULL;
    return hp_snapshot_index_plates(s);
}

/* A local plane in metres around (lon0, lat0), radii of WGS 84 there. */
struct local_plane {
    double lon0, lat0, kx, ky;
};

static int to_plane(double *x, double *y, void *arg)
{
    const struct local_plane *p = arg;
    *x = (*x - p->lon0) * p->kx;
    *y = (*y - p->lat0) * p->ky;
    return 1;
}

static int from_plane(double *x, double *y, void *arg)
{
    const struct local_plane *p = arg;
    *x = p->lon0 + *x / p->kx;
    *y = p->lat0 + *y / p->ky;
    return 1;
}

/* A corridor's area: the route buffered by half the width. GEOS buffers
 * in the units of the coordinates, so this goes through a local plane in
 * metres around the route's first position; over the length of a city
 * corridor the scale error stays well under 0.1 %. The whole buffer comes
 * back, holes included: a corridor along a ring road is a band around the
 * ring, never the disc inside it. */
static GEOSGeometry *corridor_area(GEOSContextHandle_t ctx, const GEOSGeometry *line,
                                   double width_m)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, line);
    unsigned int n = 0;
    struct local_plane p;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n) || n < 2 ||
        !GEOSCoordSeq_getXY_r(ctx, seq, 0, &p.lon0, &p.lat0))
        return NULL;
    const double a = 6378137.0, e2 = 0.00669437999014;
    double s2 = sin(p.lat0 * DEG) * sin(p.lat0 * DEG), w = sqrt(1 - e2 * s2);
    p.ky = a * (1 - e2) / (w * w * w) * DEG;
    p.kx = a / w * cos(p.lat0 * DEG) * DEG;
    GEOSGeometry *pl = GEOSGeom_transformXY_r(ctx, line, to_plane, &p);
    GEOSGeometry *buf = pl ? GEOSBuffer_r(ctx, pl, width_m / 2, 8) : NULL;
    GEOSGeometry *out = buf ? GEOSGeom_transformXY_r(ctx, buf, from_plane, &p) : NULL;
    GEOSGeom_destroy_r(ctx, pl);
    GEOSGeom_destroy_r(ctx, buf);
    if (out) {
        double ignored;
        GEOSGeom_getXMin_r(ctx, out, &ignored); /* cache the envelope now */
    }
    return out;
}

/* Grows an owned array of pointers by one; false when out of memory. */
static bool push_ptr(void ***array, int *n, void *p)
{
    void **a = realloc(*array, (size_t)(*n + 1) * sizeof(*a));
    if (!a)
        return false;
    *array = a;
    a[(*n)++] = p;
    return true;
}

/* The pass's zones as indexes of the zones still live. */
static bool pass_zones(struct loader *l, struct hp_snap_pass *p,
                       const struct hp_stored_pass *row)
{
    p->zones = malloc(((size_t)row->nzone_ids + 1) * sizeof(int));
    if (!p->zones)
        return fail(l, "out of memory");
    for (int i = 0; i < row->nzone_ids; i++) {
        int z = hp_snapshot_zone_index(l->s, row->zone_ids[i]);
        if (z >= 0)
            p->zones[p->nzones++] = z;
    }
    return true;
}

/* The pass's hours, compiled once per distinct text. */
static bool pass_hours(struct loader *l, struct hp_snap_pass *p, const char *text)
{
    if (!text)
        return true;
    struct hp_snapshot *s = l->s;
    struct intern_slot *slot = intern(&l->hours, text, strlen(text));
    if (!slot)
        return fail(l, "out of memory");
    if (slot->index < 0) {
        struct hp_oh *oh;
        if (hp_oh_compile(text, &oh, NULL) != HP_OH_OK)
            return fail(l, "pass %s: stored hours do not compile", p->code);
        if (!push_ptr((void ***)&s->hours, &s->nhours, oh)) {
            hp_oh_free(oh);
            return fail(l, "out of memory");
        }
        slot->index = s->nhours - 1;
    }
    p->hours = s->hours[slot->index];
    return true;
}

/* The pass's corridor, made once per distinct route and width. */
static bool pass_corridor(struct loader *l, struct hp_snap_pass *p,
                          const struct hp_stored_pass *row)
{
    if (!row->corridor_wkb)
        return true;
    struct hp_snapshot *s = l->s;
    size_t n = row->corridor_len, wn = sizeof(row->corridor_width_m);
    char *key = malloc(n + wn + 1);
    if (!key)
        return fail(l, "out of memory");
    memcpy(key, &row->corridor_width_m, wn);
    key[wn] = '/';
    memcpy(key + wn + 1, row->corridor_wkb, n);
    struct intern_slot *slot = intern(&l->corridors, key, n + wn + 1);
    free(key);
    if (!slot)
        return fail(l, "out of memory");
    if (slot->index < 0) {
        struct hp_snap_corridor *c = calloc(1, sizeof(*c));
        GEOSGeometry *line = GEOSWKBReader_read_r(s->geos, l->wkb, row->corridor_wkb, n);
        if (c && line)
            c->area = corridor_area(s->geos, line, (double)row->corridor_width_m);
        GEOSGeom_destroy_r(s->geos, line);
        if (!c || !c->area) {
            free(c);
            return fail(l, "pass %s: corridor cannot be read", p->code);
        }
        if (!push_ptr((void ***)&s->corridors, &s->ncorridors, c)) {
            GEOSGeom_destroy_r(s->geos, c->area);
            free(c);
            return fail(l, "out of memory");
        }
        hp_prep_init(&c->prep, c->area);
        slot->index = s->ncorridors - 1;
    }
    p->corridor = s->corridors[slot->index];
    return true;
}

/* Passes come ordered by plate: each plate's run goes to its vehicle. */
static bool on_pass(void *ctx, const struct hp_stored_pass *row)
{
    struct loader *l = ctx;
    struct hp_snapshot *s = l->s;
    struct hp_snap_vehicle *v = l->owner;
    if (!v || strcmp(v->plate, row->plate) != 0) {
        /* This snapshot's own vehicle only: a delta never writes into
         * its base, which other threads are reading. */
        int k = hp_snapshot_own_vehicle(s, row->plate);
        v = l->owner = k >= 0 && s->vehicles[k].cls != HP_SNAP_GONE ? &s->vehicles[k] : NULL;
        if (v)
            v->first_pass = s->npasses;
    }
    if (!v)
        return true; /* a plate no vehicle carries now: nothing to check */
    struct hp_snap_pass *p = &s->passes[s->npasses++];
    v->npasses++;
    snprintf(p->code, sizeof(p->code), "%s", row->code);
    p->type = hp_vocab_index(hp_pass_types, row->type);
    p->provisional = row->provisional;
    p->documents_due = row->documents_due;
    p->from_day = row->from_day;
    p->to_day = row->to_day;
    p->starts = row->starts;
    p->ends = row->ends;
    p->escort_required = row->cargo && hp_oversize_escort_required_json(row->cargo);
    return pass_zones(l, p, row) && pass_hours(l, p, row->hours) && pass_corridor(l, p, row);
}

static bool on_user(void *ctx, const struct hp_stored_user *row)
{
    struct loader *l = ctx;
    struct hp_snap_user *u = &l->s->users[l->s->nusers++];
    snprintf(u->token_hash, sizeof(u->token_hash), "%s", row->token_hash);
    snprintf(u->user_id, sizeof(u->user_id), "%s", row->user_id);
    snprintf(u->org_id, sizeof(u->org_id), "%s", row->org_id);
    u->user_name = strdup(row->user_name);
    u->org_name = strdup(row->org_name);
    snprintf(u->org_kind, sizeof(u->org_kind), "%s", row->org_kind);
    snprintf(u->role, sizeof(u->role), "%s", row->role);
    return (u->user_name && u->org_name) || fail(l, "out of memory");
}

static bool on_day(void *ctx, const struct hp_stored_day *row)
{
    struct loader *l = ctx;
    struct hp_calendar_entry *e = &l->days[l->ndays++];
    hp_calendar_date_parse(row->date, &e->date);
    e->kind = row->holiday ? HP_CALENDAR_HOLIDAY : HP_CALENDAR_WORKDAY;
    return true;
}

static int by_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool on_escort(void *ctx, const struct hp_stored_escort *row)
{
    struct loader *l = ctx;
    return hp_snapshot_add_escort(l->s, row) || fail(l, "escort %s cannot be read", row->id);
}

static bool calendar_done(struct loader *l)
{
    bool ok = hp_calendar_new(l->days, (size_t)l->ndays, &l->s->cal, NULL) == HP_CALENDAR_OK;
    struct hp_snapshot *s = l->s;
    if (ok && !(s->holidays = malloc(((size_t)l->ndays + 1) * sizeof(*s->holidays))))
        return fail(l, "out of memory");
    for (int i = 0; ok && i < l->ndays; i++)
        if (l->days[i].kind == HP_CALENDAR_HOLIDAY)
            s->holidays[s->nholidays++] = hp_calendar_date_to_days(l->days[i].date);
    if (ok)
        qsort(s->holidays, (size_t)s->nholidays, sizeof(*s->holidays), by_day);
    /* Checks read local time for every crossing and rule: keep it a table
     * lookup for the years they are about, whatever the calendar lists. */
    int year = hp_calendar_local_date(NULL, time(NULL)).year;
    ok = ok && hp_calendar_cover_years(l->s->cal, year - 2, year + 3);
    return ok || fail(l, "the stored calendar cannot be built");
}

/* After a table's last row: its indexes. */
static bool on_end(void *ctx, enum hp_store_table table)
{
    struct loader *l = ctx;
    struct hp_snapshot *s = l->s;
    switch (table) {
    case HP_STORE_ZONES:
        l->t1 = now_ms();
        return (hp_snapshot_index_zones(s) && hp_snapshot_index_zone_ids(s)) ||
               fail(l, "cannot index the zones");
    case HP_STORE_VEHICLES: {
        bool ok = hp_snapshot_index_plates(s) && add_tombstones(l);
        l->t2 = now_ms();
        return ok || fail(l, "out of memory");
    }
    case HP_STORE_PASSES:
        return true;
    case HP_STORE_USERS:
        return hp_snapshot_index_users(s) || fail(l, "out of memory");
    case HP_STORE_CALENDAR:
        return calendar_done(l);
    case HP_STORE_ESCORTS:
        return true;
    }
    return true;
}

/* A delta borrows what does not change with vehicles and passes, and the
 * escort bookings unless it reads its own. */
static void borrow(struct hp_snapshot *s, struct hp_snapshot *base, bool escorts)
{
    s->base = hp_snapshot_ref(base);
    s->zones = base->zones, s->nzones = base->nzones, s->tree = base->tree;
    s->by_zone_id = base->by_zone_id;
    s->users = base->users, s->nusers = base->nusers, s->by_token = base->by_token;
    s->cal = base->cal;
    s->holidays = base->holidays, s->nholidays = base->nholidays;
    s->zones_changed = base->zones_changed;
    if (escorts)
        s->own_escorts = true; /* filled by on_escort */
    else
        s->escorts = base->escorts, s->nescorts = base->nescorts;
}

struct hp_snapshot *hp_snapshot_load(struct pg_conn *conn, char *err, size_t errlen)
{
    return hp_snapshot_load_delta(conn, NULL, NULL, 0, true, err, errlen);
}

struct hp_snapshot *hp_snapshot_load_delta(struct pg_conn *conn, struct hp_snapshot *base,
                                           char *const *plates, int n, bool escorts,
                                           char *err, size_t errlen)
{
    err[0] = '\0';
    if (base && base->base) {
        /* Lookups fall back one level only (hp_snapshot_passes). */
        snprintf(err, errlen, "a delta is loaded over a full snapshot only");
        return NULL;
    }
    struct loader l = {.s = calloc(1, sizeof(struct hp_snapshot)), .err = err, .errlen = errlen,
                       .delta = base != NULL, .plates = plates, .nplates = base ? n : 0};
    if (!l.s) {
        fail(&l, "out of memory");
        return NULL;
    }
    atomic_init(&l.s->refs, 1);
    if (base)
        borrow(l.s, base, escorts);
    l.s->geos = GEOS_init_r();
    l.wkb = l.s->geos ? GEOSWKBReader_create_r(l.s->geos) : NULL;
    const struct hp_snapshot_sink sink = {
        .ctx = &l, .version = on_version, .begin = on_begin, .zone = on_zone,
        .vehicle = on_vehicle, .pass = on_pass, .user = on_user, .day = on_day, .end = on_end,
        .escort = on_escort,
    };
    bool ok = l.wkb != NULL || fail(&l, "out of memory");
    ok = ok && hp_snapshot_store_read(conn, l.delta, plates, l.nplates, escorts, &sink, err,
                                      errlen);
    double done = now_ms();
    l.s->load_ms.zones = l.t1 - l.t0;
    l.s->load_ms.vehicles = l.t2 - l.t1;
    l.s->load_ms.passes = done - l.t2;
    l.s->load_ms.total = done - l.t0;
    if (l.wkb)
        GEOSWKBReader_destroy_r(l.s->geos, l.wkb);
    intern_free(&l.hours);
    intern_free(&l.corridors);
    free(l.days);
    if (!ok) {
        hp_snapshot_discard(l.s);
        return NULL;
    }
    return l.s;
}
