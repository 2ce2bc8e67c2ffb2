/* Differential test of the checks against PostGIS in the test database:
 * thousands of random zones (star-shaped polygons, some with holes, some
 * multipolygons), random routes and random points. The same zones must be
 * crossed, with the same length inside each (within 1 m + 0.1 %), and the
 * same zones must hold each point. SEED=n reruns one case. */
#include "harness.h"
#include "test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ZONES 2000
#define ROUTES 1000
#define POINTS 5000
#define BATCH 1000

int hp_test_setup(void) { return hp_t_setup(NULL); }
void hp_test_teardown(void) { hp_t_teardown(); }

static uint64_t rng;

static double uniform(double lo, double hi)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; /* xorshift64 */
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

/* A ring around (cx, cy): k positions at radii in [rmin, rmax], their
 * angles evenly spread with jitter, so the ring is simple and every edge
 * stays farther than rmin * cos(pi / 4) from the centre (for k >= 8).
 * Holes turn the other way, as they should. */
static size_t ring(char *out, size_t cap, double cx, double cy, double rmin, double rmax, int k,
                   bool hole)
{
    size_t at = (size_t)snprintf(out, cap, "(");
    double x0 = 0, y0 = 0;
    for (int i = 0; i < k; i++) {
        double a = 2 * M_PI * (i + uniform(0, 0.8)) / k * (hole ? -1 : 1);
        double r = uniform(rmin, rmax);
        double x = cx + r * cos(a), y = cy + r * sin(a);
        if (i == 0)
            x0 = x, y0 = y;
        at += (size_t)snprintf(out + at, cap - at, "%.9f %.9f,", x, y);
    }
    at += (size_t)snprintf(out + at, cap - at, "%.9f %.9f)", x0, y0);
    return at;
}

/* One random polygon (maybe with a hole) around (cx, cy) of size r. */
static size_t polygon(char *out, size_t cap, double cx, double cy, double r)
{
    size_t at = (size_t)snprintf(out, cap, "(");
    at += ring(out + at, cap - at, cx, cy, 0.3 * r, r, (int)uniform(8, 41), false);
    if (uniform(0, 1) < 0.3) {
        at += (size_t)snprintf(out + at, cap - at, ",");
        at += ring(out + at, cap - at, cx, cy, 0.05 * r, 0.18 * r, (int)uniform(8, 20), true);
    }
    return at + (size_t)snprintf(out + at, cap - at, ")");
}

static void make_zones(void)
{
    size_t cap = 64u << 20, at = 0;
    char *sql = malloc(cap);
    at += (size_t)snprintf(sql, cap, "INSERT INTO zones (name, geom, sent_as_polygon) VALUES ");
    for (int i = 0; i < ZONES; i++) {
        double cx = uniform(118.2, 118.6), cy = uniform(34.9, 35.3), r = uniform(0.001, 0.012);
        at += (size_t)snprintf(sql + at, cap - at, "%s('d%d', ST_GeomFromText('MULTIPOLYGON(",
                               i ? "," : "", i);
        at += polygon(sql + at, cap - at, cx, cy, r);
        if (uniform(0, 1) < 0.2) { /* a second part, 3 r away: disjoint */
            at += (size_t)snprintf(sql + at, cap - at, ",");
            at += polygon(sql + at, cap - at, cx + 3 * r, cy, uniform(0.3, 1) * r);
        }
        at += (size_t)snprintf(sql + at, cap - at, ")', 4326), false)");
    }
    snprintf(sql + at, cap - at, " RETURNING 1");
    PGresult *r = PQexec(hp_t_db(), sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        printf("    zones not made: %s\n", PQresultErrorMessage(r));
    CHECK_INT(PQntuples(r), ZONES);
    PQclear(r);
    free(sql);
}

static long long version(void)
{
    struct hp_t_resp *r = hp_t_post("/v1/checks/sightings", hp_t_admin,
                                    "{\"sightings\":[{\"plate\":\"X0\",\"lon\":0,\"lat\":0,"
                                    "\"at\":\"2026-12-01T00:00:00Z\"}]}");
    const cJSON *v = cJSON_GetObjectItem(r->json, "zone_set_version");
    long long n = cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
    hp_t_free(r);
    return n;
}

static void setup_once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    const char *seed = getenv("SEED");
    rng = seed ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL) * 2654435761u;
    if (!rng)
        rng = 1;
    printf("# seed %llu (rerun: SEED=%llu)\n", (unsigned long long)rng, (unsigned long long)rng);
    long long before = version();
    make_zones();
    /* The server's loader reads them on its own thread: poll, with patience. */
    HP_T_EVENTUALLY(version() > before);
}

struct zone_len {
    char id[37];
    double m;
};

/* Sums the length per zone of crossings (id, from_m, to_m) into z. */
static int add_len(struct zone_len *z, int n, const char *id, double m)
{
    for (int i = 0; i < n; i++)
        if (strcmp(z[i].id, id) == 0) {
            z[i].m += m;
            return n;
        }
    snprintf(z[n].id, sizeof(z[n].id), "%s", id);
    z[n].m = m;
    return n + 1;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct zone_len *)a)->id, ((const struct zone_len *)b)->id);
}

TEST(random_routes_cross_the_same_zones_as_postgis_says_over_the_same_lengths)
{
    setup_once();
    int bad = 0, crossed = 0;
    for (int k = 0; k < ROUTES; k++) {
        int n = (int)uniform(2, 21);
        char coords[2048], wkt[2048];
        size_t ca = 0, wa = (size_t)snprintf(wkt, sizeof(wkt), "LINESTRING(");
        double x = uniform(118.2, 118.6), y = uniform(34.9, 35.3);
        for (int i = 0; i < n; i++) {
            ca += (size_t)snprintf(coords + ca, sizeof(coords) - ca, "%s[%.9f,%.9f]",
                                   i ? "," : "", x, y);
            wa += (size_t)snprintf(wkt + wa, sizeof(wkt) - wa, "%s%.9f %.9f", i ? "," : "", x,
                                   y);
            x += uniform(-0.04, 0.04), y += uniform(-0.04, 0.04);
        }
        snprintf(wkt + wa, sizeof(wkt) - wa, ")");
        char body[3072];
        snprintf(body, sizeof(body),
                 "{\"vehicle\":{\"class\":\"heavy_truck\",\"gross_weight_kg\":31000},"
                 "\"route\":{\"type\":\"LineString\",\"coordinates\":[%s]},"
                 "\"depart_at\":\"2026-12-01T08:00:00+08:00\"}", coords);
        struct hp_t_resp *r = hp_t_post("/v1/checks/route", hp_t_admin, body);
        long status = r->status;
        if (status != 200)
            hp_t_free(r);
        REQUIRE(status == 200);
        static struct zone_len mine[ZONES], theirs[ZONES];
        int nm = 0, nt = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(r->json, "crossings"))
            nm = add_len(mine, nm, cJSON_GetObjectItem(c, "zone_id")->valuestring,
                         cJSON_GetObjectItem(c, "to_m")->valuedouble -
                             cJSON_GetObjectItem(c, "from_m")->valuedouble);
        hp_t_free(r);
        const char *params[] = {wkt};
        PGresult *pg = PQexecParams(hp_t_db(),
            "SELECT id::text, ST_Length(ST_Intersection(geom, g)::geography)"
            " FROM zones, ST_GeomFromText($1, 4326) g WHERE ST_Intersects(geom, g)",
            1, NULL, params, NULL, NULL, 0);
        REQUIRE(PQresultStatus(pg) == PGRES_TUPLES_OK);
        for (int i = 0; i < PQntuples(pg); i++)
            nt = add_len(theirs, nt, PQgetvalue(pg, i, 0), atof(PQgetvalue(pg, i, 1)));
        PQclear(pg);
        qsort(mine, (size_t)nm, sizeof(*mine), by_id);
        qsort(theirs, (size_t)nt, sizeof(*theirs), by_id);
        crossed += nt;
        bool same = nm == nt;
        for (int i = 0; same && i < nm; i++)
            same = strcmp(mine[i].id, theirs[i].id) == 0 &&
                   fabs(mine[i].m - theirs[i].m) <= 1 + 0.001 * theirs[i].m;
        if (!same && bad++ < 5) {
            printf("    route %s: %d zones here, %d in PostGIS\n", wkt, nm, nt);
            for (int i = 0; i < nm || i < nt; i++)
                printf("      %s %.3f | %s %.3f\n", i < nm ? mine[i].id : "-",
                       i < nm ? mine[i].m : 0, i < nt ? theirs[i].id : "-",
                       i < nt ? theirs[i].m : 0);
        }
    }
    printf("    %d routes, %d zone crossings compared, %d differ\n", ROUTES, crossed, bad);
    CHECK_INT(bad, 0);
    CHECK(crossed > ROUTES); /* the data really crosses zones */
}

TEST(random_points_are_inside_the_same_zones_as_postgis_says)
{
    setup_once();
    int bad = 0, inside = 0;
    for (int b = 0; b < POINTS / BATCH; b++) {
        static double xs[BATCH], ys[BATCH];
        size_t cap = BATCH * 128 + 64, at = 0;
        char *body = malloc(cap), xa[BATCH * 16 + 8], ya[BATCH * 16 + 8];
        size_t xl = (size_t)snprintf(xa, sizeof(xa), "{"), yl = (size_t)snprintf(ya, sizeof(ya), "{");
        at += (size_t)snprintf(body, cap, "{\"sightings\":[");
        for (int i = 0; i < BATCH; i++) {
            xs[i] = uniform(118.2, 118.6), ys[i] = uniform(34.9, 35.3);
            at += (size_t)snprintf(body + at, cap - at,
                                   "%s{\"plate\":\"X0\",\"lon\":%.9f,\"lat\":%.9f,"
                                   "\"at\":\"2026-12-01T08:00:00+08:00\"}", i ? "," : "", xs[i], ys[i]);
            xl += (size_t)snprintf(xa + xl, sizeof(xa) - xl, "%s%.9f", i ? "," : "", xs[i]);
            yl += (size_t)snprintf(ya + yl, sizeof(ya) - yl, "%s%.9f", i ? "," : "", ys[i]);
        }
        snprintf(body + at, cap - at, "]}");
        snprintf(xa + xl, sizeof(xa) - xl, "}");
        snprintf(ya + yl, sizeof(ya) - yl, "}");
        struct hp_t_resp *r = hp_t_post("/v1/checks/sightings", hp_t_admin, body);
        free(body);
        long status = r->status;
        if (status != 200)
            hp_t_free(r);
        REQUIRE(status == 200);
        const char *params[] = {xa, ya};
        /* Per point, its zones in id order joined by spaces. */
        PGresult *pg = PQexecParams(hp_t_db(),
            "SELECT p.i, coalesce(string_agg(z.id::text, ' ' ORDER BY z.id::text), '')"
            " FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY p(x, y, i)"
            " LEFT JOIN zones z ON ST_Intersects(z.geom, ST_SetSRID(ST_Point(p.x, p.y), 4326))"
            " GROUP BY p.i ORDER BY p.i", 2, NULL, params, NULL, NULL, 0);
        REQUIRE(PQresultStatus(pg) == PGRES_TUPLES_OK && PQntuples(pg) == BATCH);
        for (int i = 0; i < BATCH; i++) {
            const cJSON *ids = cJSON_GetObjectItem(
                cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "results"), i), "zone_ids");
            int n = cJSON_GetArraySize(ids);
            char *sorted[64], mine[64 * 37 + 1] = "";
            for (int k = 0; k < n && k < 64; k++)
                sorted[k] = cJSON_GetArrayItem(ids, k)->valuestring;
            for (int k = 1; k < n && k < 64; k++) /* a handful: insertion sort */
                for (int j = k; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
                    char *t = sorted[j];
                    sorted[j] = sorted[j - 1], sorted[j - 1] = t;
                }
            for (int k = 0; k < n && k < 64; k++) {
                if (k)
                    strcat(mine, " ");
                strcat(mine, sorted[k]);
            }
            inside += n > 0;
            if (strcmp(mine, PQgetvalue(pg, i, 1)) != 0 && bad++ < 5)
                printf("    point %.9f %.9f: [%s] here, [%s] in PostGIS\n", xs[i], ys[i], mine,
                       PQgetvalue(pg, i, 1));
        }
        PQclear(pg);
        hp_t_free(r);
    }
    printf("    %d points, %d inside some zone, %d differ\n", POINTS, inside, bad);
    CHECK_INT(bad, 0);
    CHECK(inside > POINTS / 10);
}
