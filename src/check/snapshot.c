/* The snapshot's shape once loaded: references, the plate index, the zone
 * index and the prepared copies. Reading it from the database is in
 * snapshot_load.c. */
#include "snapshot_internal.h"

#include "haulpass/calendar.h"
#include "haulpass/opening_hours.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct hp_snapshot *hp_snapshot_ref(struct hp_snapshot *s)
{
    if (s)
        atomic_fetch_add(&s->refs, 1);
    return s;
}

static void prep_free(GEOSContextHandle_t ctx, struct hp_prep *p)
{
    for (int i = 0; i < HP_PREP_COPIES; i++) {
        if (p->copy[i].prepared)
            GEOSPreparedGeom_destroy_r(ctx, p->copy[i].prepared);
        pthread_mutex_destroy(&p->copy[i].lock);
    }
}

void hp_prep_init(struct hp_prep *p, const GEOSGeometry *g)
{
    p->geom = g;
    for (int i = 0; i < HP_PREP_COPIES; i++) {
        pthread_mutex_init(&p->copy[i].lock, NULL);
        p->copy[i].prepared = NULL;
    }
}

static void snapshot_free(struct hp_snapshot *s)
{
    GEOSContextHandle_t ctx = s->geos;
    /* A delta's zones, users and calendar are its base's (and its escort
     * bookings, unless it read its own). */
    for (int i = 0; !s->base && i < s->nzones; i++) {
        struct hp_snap_zone *z = &s->zones[i];
        if (z->geom) {
            prep_free(ctx, &z->prep);
            GEOSGeom_destroy_r(ctx, z->geom);
        }
        for (int r = 0; r < z->nrules; r++)
            hp_oh_free(z->rules[r].hours);
        free(z->rules);
        free(z->name);
        free((void *)z->area.xy);
        free((void *)z->area.ring_end);
        free((void *)z->area.run_box);
    }
    for (int i = 0; i < s->npasses; i++)
        free(s->passes[i].zones);
    for (int i = 0; i < s->ncorridors; i++) {
        prep_free(ctx, &s->corridors[i]->prep);
        GEOSGeom_destroy_r(ctx, s->corridors[i]->area);
        free(s->corridors[i]);
    }
    free(s->corridors);
    for (int i = 0; i < s->nhours; i++)
        hp_oh_free(s->hours[i]);
    free(s->hours);
    free(s->passes);
    free(s->vehicles);
    free(s->by_plate.slot);
    if (!s->base) {
        if (s->tree)
            GEOSSTRtree_destroy_r(ctx, s->tree);
        free(s->zones);
        free(s->by_zone_id.slot);
        for (int i = 0; i < s->nusers; i++) {
            free(s->users[i].user_name);
            free(s->users[i].org_name);
        }
        free(s->users);
        free(s->by_token.slot);
        hp_calendar_free(s->cal);
        free(s->holidays);
    }
    if (!s->base || s->own_escorts)
        hp_snapshot_free_escorts(s);
    struct hp_snapshot *base = s->base;
    free(s);
    if (ctx)
        GEOS_finish_r(ctx);
    hp_snapshot_unref(base);
}

void hp_snapshot_unref(struct hp_snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1)
        snapshot_free(s);
}

/* Frees a snapshot that was never shared (a failed load). */
void hp_snapshot_discard(struct hp_snapshot *s)
{
    if (s)
        snapshot_free(s);
}

uint64_t hp_snapshot_hash(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    /* FNV's low bits depend only on the low bits of the bytes, and the
     * tables index by low bits: plates in a series ("S0000001", ...) piled
     * up in a few runs until this splitmix64 finaliser spread them. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static uint64_t hash(const char *s)
{
    return hp_snapshot_hash(s, strlen(s));
}

static const char *plate_key(const struct hp_snapshot *s, int i)
{
    return s->vehicles[i].plate;
}

static const char *zone_key(const struct hp_snapshot *s, int i)
{
    return s->zones[i].id;
}

static const char *token_key(const struct hp_snapshot *s, int i)
{
    return s->users[i].token_hash;
}

typedef const char *(*key_fn)(const struct hp_snapshot *s, int i);

static bool index_build(const struct hp_snapshot *s, struct hp_snap_index *ix, int n, key_fn key)
{
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap *= 2;
    ix->slot = calloc(cap, sizeof(*ix->slot));
    if (!ix->slot)
        return false;
    ix->mask = cap - 1;
    for (int i = 0; i < n; i++) {
        size_t h = hash(key(s, i)) & ix->mask;
        while (ix->slot[h])
            h = (h + 1) & ix->mask;
        ix->slot[h] = i + 1;
    }
    return true;
}

/* The index of the entry with this key, or -1. */
static int index_find(const struct hp_snapshot *s, const struct hp_snap_index *ix, key_fn key,
                      const char *wanted)
{
    if (!ix->slot)
        return -1;
    for (size_t h = hash(wanted) & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
        if (strcmp(key(s, ix->slot[h] - 1), wanted) == 0)
            return ix->slot[h] - 1;
    return -1;
}

bool hp_snapshot_index_plates(struct hp_snapshot *s)
{
    return index_build(s, &s->by_plate, s->nvehicles, plate_key);
}

bool hp_snapshot_index_zone_ids(struct hp_snapshot *s)
{
    return index_build(s, &s->by_zone_id, s->nzones, zone_key);
}

int hp_snapshot_zone_index(const struct hp_snapshot *s, const char *id)
{
    return index_find(s, &s->by_zone_id, zone_key, id);
}

bool hp_snapshot_index_users(struct hp_snapshot *s)
{
    return index_build(s, &s->by_token, s->nusers, token_key);
}

int hp_snapshot_own_vehicle(const struct hp_snapshot *s, const char *plate)
{
    return index_find(s, &s->by_plate, plate_key, plate);
}

const struct hp_snap_vehicle *hp_snapshot_vehicle(const struct hp_snapshot *s,
                                                  const char *plate)
{
    int i = index_find(s, &s->by_plate, plate_key, plate);
    if (i >= 0)
        return s->vehicles[i].cls == HP_SNAP_GONE ? NULL : &s->vehicles[i];
    return s->base ? hp_snapshot_vehicle(s->base, plate) : NULL;
}

const struct hp_snap_pass *hp_snapshot_passes(const struct hp_snapshot *s,
                                              const struct hp_snap_vehicle *v)
{
    if (!v->npasses)
        return NULL;
    uintptr_t at = (uintptr_t)v, first = (uintptr_t)s->vehicles;
    bool own = at >= first && at < first + (uintptr_t)s->nvehicles * sizeof(*v);
    return &(own || !s->base ? s : s->base)->passes[v->first_pass];
}

const struct hp_snap_user *hp_snapshot_user(const struct hp_snapshot *s, const char *token_hash)
{
    int i = index_find(s, &s->by_token, token_key, token_hash);
    return i < 0 ? NULL : &s->users[i];
}

static void visit(void *item, void *userdata)
{
    (void)item, (void)userdata;
}

bool hp_snapshot_index_zones(struct hp_snapshot *s)
{
    s->tree = GEOSSTRtree_create_r(s->geos, 10);
    if (!s->tree)
        return false;
    for (int i = 0; i < s->nzones; i++)
        GEOSSTRtree_insert_r(s->geos, s->tree, s->zones[i].geom, (void *)(intptr_t)(i + 1));
    /* The tree builds itself on its first query: do that here, while this
     * thread still owns the snapshot, so later queries only read it. */
    GEOSGeometry *probe = GEOSGeom_createPointFromXY_r(s->geos, 0, 0);
    if (!probe)
        return false;
    GEOSSTRtree_query_r(s->geos, s->tree, probe, visit, NULL);
    GEOSGeom_destroy_r(s->geos, probe);
    return true;
}

struct near {
    void (*fn)(int zone, void *arg);
    void *arg;
};

static void near_item(void *item, void *userdata)
{
    struct near *n = userdata;
    n->fn((int)(intptr_t)item - 1, n->arg);
}

void hp_snapshot_zones_near(const struct hp_snapshot *s, GEOSContextHandle_t ctx, double minx,
                            double miny, double maxx, double maxy,
                            void (*fn)(int zone, void *arg), void *arg)
{
    if (!s->tree || s->nzones == 0)
        return;
    GEOSGeometry *box = minx == maxx && miny == maxy
                            ? GEOSGeom_createPointFromXY_r(ctx, minx, miny)
                            : GEOSGeom_createRectangle_r(ctx, minx, miny, maxx, maxy);
    if (!box)
        return;
    struct near n = {fn, arg};
    GEOSSTRtree_query_r(ctx, s->tree, box, near_item, &n);
    GEOSGeom_destroy_r(ctx, box);
}

const GEOSPreparedGeometry *hp_prep_acquire(struct hp_prep *p, GEOSContextHandle_t ctx,
                                            int *slot)
{
    /* Spread threads over the copies; take any free one before waiting. */
    int first = (int)(((uintptr_t)pthread_self() >> 6) % HP_PREP_COPIES), i = -1;
    for (int k = 0; k < HP_PREP_COPIES && i < 0; k++)
        if (pthread_mutex_trylock(&p->copy[(first + k) % HP_PREP_COPIES].lock) == 0)
            i = (first + k) % HP_PREP_COPIES;
    if (i < 0) {
        i = first;
        pthread_mutex_lock(&p->copy[i].lock);
    }
    if (!p->copy[i].prepared)
        p->copy[i].prepared = GEOSPrepare_r(ctx, p->geom);
    if (!p->copy[i].prepared) {
        pthread_mutex_unlock(&p->copy[i].lock);
        return NULL;
    }
    *slot = i;
    return p->copy[i].prepared;
}

void hp_prep_release(struct hp_prep *p, int slot)
{
    pthread_mutex_unlock(&p->copy[slot].lock);
}
