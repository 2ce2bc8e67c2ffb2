/* The route check as an operation (ops_route.h; see src/ops/zones.c for
 * what src/ops/ is): read a route's positions, check it for a plate or
 * for given traits, and check an escort's convoy. */
#include "haulpass/ops_route.h"

#include "haulpass/antimeridian.h"
#include "haulpass/arena.h"
#include "haulpass/check_answer.h"
#include "haulpass/check_feed.h"
#include "haulpass/escort_schedule.h"
#include "haulpass/escorts.h"
#include "haulpass/geo_context.h"
#include "haulpass/time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTE_POSITIONS 100000
/* One bad position is enough to say what is wrong; 10,000 are noise. */
#define MAX_POSITION_ERRORS 20

/* Why position p of a route is not one, or NULL when it is. */
static const char *position_problem(const cJSON *p)
{
    int dims = cJSON_GetArraySize(p);
    const cJSON *x = cJSON_GetArrayItem(p, 0), *y = cJSON_GetArrayItem(p, 1);
    const cJSON *z = cJSON_GetArrayItem(p, 2);
    if (!cJSON_IsArray(p) || dims < 2 || dims > 3 || !cJSON_IsNumber(x) ||
        !cJSON_IsNumber(y) || (z && !cJSON_IsNumber(z)) || !isfinite(x->valuedouble) ||
        !isfinite(y->valuedouble) || (z && !isfinite(z->valuedouble)))
        return "must be a position: [longitude, latitude] in finite numbers";
    if (x->valuedouble < -180 || x->valuedouble > 180)
        return "longitude must be between -180 and 180";
    if (y->valuedouble < -90 || y->valuedouble > 90)
        return "latitude must be between -90 and 90";
    return NULL;
}

double *hp_ops_route_positions(const cJSON *route, int *n, hp_ops_route_bad_fn bad, void *ctx)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(route, "type");
    const cJSON *coords = cJSON_GetObjectItemCaseSensitive(route, "coordinates");
    if (!cJSON_IsObject(route) || !cJSON_IsString(type) ||
        strcmp(type->valuestring, "LineString") != 0) {
        bad(ctx, "", "must be a GeoJSON LineString");
        return NULL;
    }
    int count = cJSON_GetArraySize(coords);
    if (!cJSON_IsArray(coords) || count < 2 || count > MAX_ROUTE_POSITIONS) {
        bad(ctx, "/coordinates", "must hold 2 to 100000 positions");
        return NULL;
    }
    double *xy = malloc((size_t)count * 2 * sizeof(double));
    int errors = 0, i = 0;
    bool before_read = false; /* whether position i - 1 is in xy */
    for (const cJSON *p = coords->child; xy && p; p = p->next, i++) {
        const char *why = position_problem(p);
        bool read = !why;
        if (read) {
            xy[2 * i] = cJSON_GetArrayItem(p, 0)->valuedouble;
            xy[2 * i + 1] = cJSON_GetArrayItem(p, 1)->valuedouble;
            if (before_read && hp_antimeridian_crossed(xy[2 * i - 2], xy[2 * i]))
                why = HP_ANTIMERIDIAN_MESSAGE;
        }
        /* A position in range stays in xy even when its segment is refused,
         * so that the next segment is judged too. */
        before_read = read;
        if (why) {
            /* The pointer is spelled out for errors only: a route of
             * 100,000 good positions should not format 100,000 of them. */
            char ptr[48];
            snprintf(ptr, sizeof(ptr), "/coordinates/%d", i);
            if (errors++ < MAX_POSITION_ERRORS)
                bad(ctx, ptr, why);
        }
    }
    if (!xy || errors) {
        if (!xy)
            bad(ctx, "", "too many positions to hold");
        free(xy);
        return NULL;
    }
    *n = count;
    return xy;
}

struct hp_check_vehicle hp_ops_check_vehicle(const struct hp_snapshot *s,
                                             const struct hp_snap_vehicle *v)
{
    return (struct hp_check_vehicle){v->cls, v->gross_kg, v->hazmat, hp_snapshot_passes(s, v),
                                     v->npasses};
}

enum hp_route_outcome hp_ops_route_check(const struct hp_snapshot *s, const char *plate,
                                         const unsigned char *org,
                                         const struct hp_check_vehicle *given, const double *xy,
                                         int n, int64_t depart_us, double speed_kmh,
                                         struct hp_route_answer *out)
{
    memset(out, 0, sizeof(*out));
    if (plate) {
        const struct hp_snap_vehicle *sv = hp_snapshot_vehicle(s, plate);
        /* docs/contract.md section 2 hides another organisation's vehicle as if it
         * did not exist. */
        if (!sv || (org && memcmp(sv->org, org, sizeof(sv->org)) != 0))
            return HP_ROUTE_NO_VEHICLE;
        out->vehicle = hp_ops_check_vehicle(s, sv);
    } else {
        out->vehicle = *given;
    }
    GEOSContextHandle_t ctx = hp_geo_thread_context();
    if (!ctx || !hp_check_route(s, ctx, &out->vehicle, xy, n, (double)depart_us / 1e6,
                                speed_kmh / 3.6, &out->check))
        return HP_ROUTE_FAILED;
    /* Every instant an answer writes has a four-digit year. */
    if (out->check.arrive_s * 1e6 > (double)HP_TIME_LAST_US) {
        hp_ops_route_free(out);
        return HP_ROUTE_TOO_LATE;
    }
    /* An oversize load's escort (docs/contract.md §13). */
    if (plate && !hp_check_escort(s, ctx, plate, out->vehicle.passes, out->vehicle.npasses, xy,
                                  n, (double)depart_us / 1e6, out->check.arrive_s,
                                  speed_kmh / 3.6, &out->escort)) {
        hp_ops_route_free(out);
        return HP_ROUTE_FAILED;
    }
    return HP_ROUTE_CHECKED;
}

void hp_ops_route_free(struct hp_route_answer *a)
{
    hp_route_check_free(&a->check);
}

static void ignore_problem(void *ctx, const char *pointer, const char *message)
{
    (void)ctx, (void)pointer, (void)message;
}

char *hp_ops_escort_route_check(struct hp_arena *arena, const struct hp_escort *e)
{
    cJSON *route = e->route ? cJSON_Parse(e->route) : NULL;
    int nplates = e->plates ? e->nplates : 0, npos = 0, checked = 0;
    double *xy = route ? hp_ops_route_positions(route, &npos, ignore_problem, NULL) : NULL;
    struct hp_snapshot *s = nplates > 0 && xy ? hp_check_feed_current() : NULL;
    struct hp_check_vehicle *vehicles =
        hp_arena_calloc(arena, (size_t)nplates + 1, sizeof(*vehicles));
    struct hp_route_check *checks = hp_arena_calloc(arena, (size_t)nplates + 1, sizeof(*checks));
    /* The convoy drives off once formed up. */
    int64_t depart_us = e->start_us + (int64_t)HP_ESCORT_FORM_UP_S * 1000000;
    for (int i = 0; s && i < nplates; i++) {
        struct hp_route_answer a;
        if (hp_ops_route_check(s, e->plates[i], NULL, NULL, xy, npos, depart_us,
                               HP_ESCORT_SPEED_KMH, &a) != HP_ROUTE_CHECKED)
            break;
        vehicles[checked] = a.vehicle;
        checks[checked++] = a.check;
    }
    char *text = NULL;
    if (s && checked == nplates) {
        struct hp_text t = {0};
        hp_check_answer_convoy(&t, s, checked, e->plates, vehicles, checks);
        if (!t.failed)
            text = hp_arena_strdup(arena, t.p);
        hp_text_free(&t);
    }
    for (int i = 0; i < checked; i++)
        hp_route_check_free(&checks[i]);
    hp_snapshot_unref(s);
    free(xy);
    cJSON_Delete(route);
    return text;
}
