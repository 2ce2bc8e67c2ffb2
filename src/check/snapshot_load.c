/* Reading a snapshot: one REPEATABLE READ transaction, geometry as WKB
 * (binary results, no text round trip), rules compiled once here. */
#include "snapshot_internal.h"

#include "haulpass/calendar.h"
#include "haulpass/json_body.h"
#include "haulpass/opening_hours.h"
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
    PGconn *conn;
    struct hp_snapshot *s;
    char *err;
    size_t errlen;
    struct intern hours, corridors;
    /* A delta's plates: a text[] literal for $1, and the plates. */
    const char *plates_param;
    char *const *plates;
    int nplates;
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

/* Runs sql (with the delta's plates as $1 when it names them); binary asks
 * for binary results (WKB). NULL after fail(). */
static PGresult *query(struct loader *l, const char *sql, bool binary)
{
    const char *params[] = {l->plates_param};
    int n = l->plates_param && strstr(sql, "$1") ? 1 : 0;
    PGresult *r = PQexecParams(l->conn, sql, n, NULL, params, NULL, NULL, binary ? 1 : 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fail(l, "%s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* query() and an array of one zeroed element per row (and one more, so
 * an empty result still allocates) into *array; NULL after fail(). */
static PGresult *query_rows(struct loader *l, const char *sql, bool binary, size_t size,
                           void **array)
{
    PGresult *r = query(l, sql, binary);
    if (!r)
        return NULL;
    *array = calloc((size_t)PQntuples(r) + 1, size);
    if (!*array) {
        PQclear(r);
        fail(l, "out of memory");
        return NULL;
    }
    return r;
}

static bool command(struct loader *l, const char *sql)
{
    PGresult *r = query(l, sql, false);
    PQclear(r);
    return r != NULL;
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
    a->xy = xy, a->ring_end = ends, a->nrings = nrings;
    GEOSGeom_getXMin_r(ctx, g, &a->minx);
    GEOSGeom_getYMin_r(ctx, g, &a->miny);
    GEOSGeom_getXMax_r(ctx, g, &a->maxx);
    GEOSGeom_getYMax_r(ctx, g, &a->maxy);
    return true;
}

static bool load_zones(struct loader *l, GEOSWKBReader *wkb)
{
    struct hp_snapshot *s = l->s;
    PGresult *r = query_rows(l,
        "SELECT id::text, name, ST_AsBinary(geom), rules::text FROM zones"
        " WHERE retired_at IS NULL ORDER BY id", true, sizeof(*s->zones), (void **)&s->zones);
    if (!r)
        return false;
    int n = PQntuples(r);
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        struct hp_snap_zone *z = &s->zones[s->nzones++];
        snprintf(z->id, sizeof(z->id), "%s", PQgetvalue(r, i, 0));
        z->name = strdup(PQgetvalue(r, i, 1));
        z->geom = GEOSWKBReader_read_r(s->geos, wkb, (const unsigned char *)PQgetvalue(r, i, 2),
                                       (size_t)PQgetlength(r, i, 2));
        if (!z->geom) {
            ok = fail(l, "zone %s: geometry cannot be read", z->id);
            break;
        }
        /* read_area also makes GEOS compute and cache the envelopes now,
         * before other threads read the geometry. */
        hp_prep_init(&z->prep, z->geom);
        ok = (z->name && read_area(s->geos, z->geom, &z->area)) || fail(l, "out of memory");
        ok = ok && read_rules(l, z, PQgetvalue(r, i, 3));
    }
    PQclear(r);
    return ok && ((hp_snapshot_index_zones(s) && hp_snapshot_index_zone_ids(s)) ||
                  fail(l, "cannot index the zones"));
}

static bool load_vehicles(struct loader *l)
{
    struct hp_snapshot *s = l->s;
    PGresult *r = query_rows(l,
        l->plates_param
            ? "SELECT plate, class, gross_weight_kg, hazmat, org_id FROM vehicles"
              " WHERE plate = ANY($1::text[])"
            : "SELECT plate, class, gross_weight_kg, hazmat, org_id FROM vehicles",
        false, sizeof(*s->vehicles), (void **)&s->vehicles);
    if (!r)
        return false;
    int n = PQntuples(r);
    bool ok = true;
    if (l->plates_param) {
        /* Room for a tombstone per plate that no vehicle carries now. */
        void *grown = realloc(s->vehicles, ((size_t)n + (size_t)l->nplates + 1) *
                                               sizeof(*s->vehicles));
        ok = grown != NULL;
        if (grown)
            s->vehicles = grown;
    }
    for (int i = 0; ok && i < n; i++) {
        struct hp_snap_vehicle *v = &s->vehicles[s->nvehicles++];
        snprintf(v->plate, sizeof(v->plate), "%s", PQgetvalue(r, i, 0));
        v->cls = hp_vocab_index(hp_vehicle_classes, PQgetvalue(r, i, 1));
        v->gross_kg = atoi(PQgetvalue(r, i, 2));
        v->hazmat = PQgetvalue(r, i, 3)[0] == 't';
        hp_uuid_bytes(PQgetvalue(r, i, 4), v->org);
    }
    PQclear(r);
    /* The plates still missing are gone: say so, or the base would answer. */
    ok = ok && hp_snapshot_index_plates(s);
    int found = s->nvehicles;
    for (int i = 0; ok && i < l->nplates; i++) {
        if (hp_snapshot_own_vehicle(s, l->plates[i]) >= 0)
            continue;
        struct hp_snap_vehicle *v = &s->vehicles[s->nvehicles++];
        memset(v, 0, sizeof(*v));
        snprintf(v->plate, sizeof(v->plate), "%s", l->plates[i]);
        v->cls = HP_SNAP_GONE;
    }
    if (ok && s->nvehicles > found) {
        free(s->by_plate.slot);
        s->by_plate.slot = NULL;
        ok = hp_snapshot_index_plates(s);
    }
    return ok || fail(l, "out of memory");
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

/* Integers of binary results are big-endian. */
static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static int64_t be64(const char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* A uuid[] in PostgreSQL's binary array format (ndim, has-null flag,
 * element type, then size and lower bound per dimension, then length and
 * bytes per element): the indexes of the zones still live. Read in binary
 * because turning a million arrays into text took PostgreSQL half a
 * second. */
static bool read_pass_zones(struct hp_snapshot *s, struct hp_snap_pass *p, const char *arr,
                            int len)
{
    int n = len >= 20 && be32(arr) == 1 ? (int)be32(arr + 12) : 0;
    p->zones = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof(int));
    if (!p->zones)
        return false;
    const char *e = arr + 20, *end = arr + len;
    for (int i = 0; i < n && e + 4 <= end; i++) {
        int32_t el = (int32_t)be32(e);
        e += 4;
        if (el != 16 || e + 16 > end)
            break; /* NULL or not a uuid: the schema allows neither */
        static const char hex[] = "0123456789abcdef";
        char id[37];
        for (int k = 0, at = 0; k < 16; k++) {
            if (k == 4 || k == 6 || k == 8 || k == 10)
                id[at++] = '-';
            id[at++] = hex[(unsigned char)e[k] >> 4];
            id[at++] = hex[(unsigned char)e[k] & 15];
        }
        id[36] = '\0';
        e += 16;
        int z = hp_snapshot_zone_index(s, id);
        if (z >= 0)
            p->zones[p->nzones++] = z;
    }
    return true;
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

/* The pass's hours (column 9), compiled once per distinct text. */
static bool pass_hours(struct loader *l, struct hp_snap_pass *p, const PGresult *r, int row)
{
    if (PQgetisnull(r, row, 9))
        return true;
    struct hp_snapshot *s = l->s;
    const char *text = PQgetvalue(r, row, 9);
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

/* The pass's corridor (WKB in column 5, width in 6), made once per
 * distinct route and width. */
static bool pass_corridor(struct loader *l, struct hp_snap_pass *p, const PGresult *r, int row,
                          GEOSWKBReader *wkb)
{
    if (PQgetisnull(r, row, 5))
        return true;
    struct hp_snapshot *s = l->s;
    const char *bytes = PQgetvalue(r, row, 5), *width = PQgetvalue(r, row, 6);
    size_t n = (size_t)PQgetlength(r, row, 5), wn = 4; /* int4 */
    char *key = malloc(n + wn + 1);
    if (!key)
        return fail(l, "out of memory");
    memcpy(key, width, wn);
    key[wn] = '/';
    memcpy(key + wn + 1, bytes, n);
    struct intern_slot *slot = intern(&l->corridors, key, n + wn + 1);
    free(key);
    if (!slot)
        return fail(l, "out of memory");
    if (slot->index < 0) {
        struct hp_snap_corridor *c = calloc(1, sizeof(*c));
        GEOSGeometry *line = GEOSWKBReader_read_r(s->geos, wkb, (const unsigned char *)bytes, n);
        if (c && line)
            c->area = corridor_area(s->geos, line, (double)(int32_t)be32(width));
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

/* Only passes that may still lift a rule: active or provisional. */
#define PASSES_SQL(and)                                                                   \
    "SELECT plate, code, type, status, zone_ids, ST_AsBinary(corridor_route),"          \
    " corridor_width_m, valid_from - DATE '1970-01-01', valid_to - DATE '1970-01-01',"   \
    " hours, extract(epoch FROM documents_due)::int8"                                    \
    " FROM passes WHERE status IN ('active', 'provisional')" and " ORDER BY plate, code"

static bool load_passes(struct loader *l, GEOSWKBReader *wkb)
{
    struct hp_snapshot *s = l->s;
    PGresult *r = query_rows(l,
                             l->plates_param ? PASSES_SQL(" AND plate = ANY($1::text[])")
                                             : PASSES_SQL(""),
                             true, sizeof(*s->passes), (void **)&s->passes);
    if (!r)
        return false;
    int n = PQntuples(r);
    bool ok = true;
    struct hp_snap_vehicle *v = NULL;
    for (int i = 0; ok && i < n; i++) {
        const char *plate = PQgetvalue(r, i, 0);
        if (!v || strcmp(v->plate, plate) != 0) {
            /* This snapshot's own vehicle only: a delta never writes into
             * its base, which other threads are reading. */
            int k = hp_snapshot_own_vehicle(s, plate);
            v = k >= 0 && s->vehicles[k].cls != HP_SNAP_GONE ? &s->vehicles[k] : NULL;
            if (v)
                v->first_pass = s->npasses;
        }
        if (!v)
            continue; /* a plate no vehicle carries now: nothing to check */
        struct hp_snap_pass *p = &s->passes[s->npasses++];
        v->npasses++;
        snprintf(p->code, sizeof(p->code), "%s", PQgetvalue(r, i, 1));
        p->type = hp_vocab_index(hp_pass_types, PQgetvalue(r, i, 2));
        p->provisional = strcmp(PQgetvalue(r, i, 3), "provisional") == 0;
        /* Binary columns: dates as days since 1970-01-01, like
         * hp_calendar_date_to_days; documents_due as epoch seconds. */
        p->documents_due = PQgetisnull(r, i, 10) ? 0 : (time_t)be64(PQgetvalue(r, i, 10));
        p->from_day = (int32_t)be32(PQgetvalue(r, i, 7));
        p->to_day = (int32_t)be32(PQgetvalue(r, i, 8));
        ok = (read_pass_zones(s, p, PQgetvalue(r, i, 4), PQgetlength(r, i, 4)) ||
              fail(l, "out of memory")) &&
             pass_hours(l, p, r, i) && pass_corridor(l, p, r, i, wkb);
    }
    PQclear(r);
    return ok;
}

static bool load_users(struct loader *l)
{
    struct hp_snapshot *s = l->s;
    PGresult *r = query_rows(l,
        "SELECT encode(u.token_hash, 'hex'), u.id::text, o.id::text, u.name, o.name, o.kind,"
        " u.role FROM users u JOIN orgs o ON o.id = u.org_id", false, sizeof(*s->users),
        (void **)&s->users);
    if (!r)
        return false;
    bool ok = true;
    for (int i = 0; ok && i < PQntuples(r); i++) {
        struct hp_snap_user *u = &s->users[s->nusers++];
        snprintf(u->token_hash, sizeof(u->token_hash), "%s", PQgetvalue(r, i, 0));
        snprintf(u->user_id, sizeof(u->user_id), "%s", PQgetvalue(r, i, 1));
        snprintf(u->org_id, sizeof(u->org_id), "%s", PQgetvalue(r, i, 2));
        u->user_name = strdup(PQgetvalue(r, i, 3));
        u->org_name = strdup(PQgetvalue(r, i, 4));
        snprintf(u->org_kind, sizeof(u->org_kind), "%s", PQgetvalue(r, i, 5));
        snprintf(u->role, sizeof(u->role), "%s", PQgetvalue(r, i, 6));
        ok = u->user_name && u->org_name;
    }
    PQclear(r);
    return (ok && hp_snapshot_index_users(s)) || fail(l, "out of memory");
}

static bool load_calendar(struct loader *l)
{
    PGresult *r = query(l, "SELECT day::text, kind FROM calendar_days", false);
    if (!r)
        return false;
    int n = PQntuples(r);
    struct hp_calendar_entry *e = calloc((size_t)n + 1, sizeof(*e));
    bool ok = e != NULL;
    for (int i = 0; ok && i < n; i++) {
        hp_calendar_date_parse(PQgetvalue(r, i, 0), &e[i].date);
        e[i].kind = strcmp(PQgetvalue(r, i, 1), "holiday") == 0 ? HP_CALENDAR_HOLIDAY
                                                                 : HP_CALENDAR_WORKDAY;
    }
    ok = ok && hp_calendar_new(e, (size_t)n, &l->s->cal, NULL) == HP_CALENDAR_OK;
    /* Checks read local time for every crossing and rule: keep it a table
     * lookup for the years they are about, whatever the calendar lists. */
    int year = hp_calendar_local_date(NULL, time(NULL)).year;
    ok = ok && hp_calendar_cover_years(l->s->cal, year - 2, year + 3);
    free(e);
    PQclear(r);
    return ok || fail(l, "the stored calendar cannot be built");
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* plates as a text[] literal: {"a","b"} with quotes and backslashes
 * escaped. NULL when out of memory. */
static char *text_array(char *const *plates, int n)
{
    size_t len = 3;
    for (int i = 0; i < n; i++)
        len += 2 * strlen(plates[i]) + 3;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    *o++ = '{';
    for (int i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '"';
        for (const char *c = plates[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *o++ = '\\';
            *o++ = *c;
        }
        *o++ = '"';
    }
    *o++ = '}';
    *o = '\0';
    return out;
}

/* A delta borrows what does not change with vehicles and passes. */
static void borrow(struct hp_snapshot *s, struct hp_snapshot *base)
{
    s->base = hp_snapshot_ref(base);
    s->zones = base->zones, s->nzones = base->nzones, s->tree = base->tree;
    s->by_zone_id = base->by_zone_id;
    s->users = base->users, s->nusers = base->nusers, s->by_token = base->by_token;
    s->cal = base->cal;
}

struct hp_snapshot *hp_snapshot_load(PGconn *conn, char *err, size_t errlen)
{
    return hp_snapshot_load_delta(conn, NULL, NULL, 0, err, errlen);
}

struct hp_snapshot *hp_snapshot_load_delta(PGconn *conn, struct hp_snapshot *base,
                                           char *const *plates, int n, char *err,
                                           size_t errlen)
{
    err[0] = '\0';
    if (base && base->base) {
        /* Lookups fall back one level only (hp_snapshot_passes). */
        snprintf(err, errlen, "a delta is loaded over a full snapshot only");
        return NULL;
    }
    struct loader l = {conn, calloc(1, sizeof(struct hp_snapshot)), err, errlen};
    char *param = base ? text_array(plates, n) : NULL;
    if (!l.s || (base && !param)) {
        free(l.s);
        free(param);
        fail(&l, "out of memory");
        return NULL;
    }
    l.plates_param = param, l.plates = plates, l.nplates = base ? n : 0;
    atomic_init(&l.s->refs, 1);
    if (base)
        borrow(l.s, base);
    l.s->geos = GEOS_init_r();
    GEOSWKBReader *wkb = l.s->geos ? GEOSWKBReader_create_r(l.s->geos) : NULL;
    bool ok = wkb != NULL || fail(&l, "out of memory");
    ok = ok && command(&l, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    /* The first read fixes the transaction's view, so the version counts
     * exactly the changes this snapshot sees (sql/008_snapshot_version.sql). */
    PGresult *v = ok ? query(&l, "SELECT sum(n)::text FROM snapshot_changes", false) : NULL;
    if (v && PQntuples(v) == 1)
        l.s->version = atoll(PQgetvalue(v, 0, 0));
    l.s->loaded_us = hp_time_now_us();
    PQclear(v);
    double t0 = now_ms();
    ok = ok && v && (base || load_zones(&l, wkb));
    double t1 = now_ms();
    ok = ok && load_vehicles(&l);
    double t2 = now_ms();
    ok = ok && load_passes(&l, wkb) && (base || (load_users(&l) && load_calendar(&l)));
    l.s->load_ms.zones = t1 - t0;
    l.s->load_ms.vehicles = t2 - t1;
    l.s->load_ms.passes = now_ms() - t2;
    l.s->load_ms.total = now_ms() - t0;
    if (ok)
        ok = command(&l, "COMMIT");
    else
        PQclear(PQexec(conn, "ROLLBACK"));
    if (wkb)
        GEOSWKBReader_destroy_r(l.s->geos, wkb);
    intern_free(&l.hours);
    intern_free(&l.corridors);
    free(param);
    if (!ok) {
        hp_snapshot_discard(l.s);
        return NULL;
    }
    return l.s;
}
