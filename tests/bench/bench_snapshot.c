/* The cost of a check snapshot: build time and resident memory of
 * hp_snapshot_load, and the time of a delta of 1 and of 1,000 changed
 * plates over it, over the database named by argv[1] (see
 * tools/bench-snapshot, which fills one with 10,000 zones and 1,000,000
 * vehicles with passes). Not run by `meson test`. */
#include "haulpass/snapshot.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double rss_mib(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_snapshot CONNINFO\n");
        return 2;
    }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "%s", PQerrorMessage(conn));
        return 1;
    }
    double base = rss_mib(), best = 1e9, zones = 0, vehicles = 0, passes = 0;
    struct hp_snapshot *kept = NULL;
    for (int i = 0; i < 3; i++) {
        char err[256];
        double t0 = now_s();
        struct hp_snapshot *s = hp_snapshot_load(conn, err, sizeof(err));
        double t = now_s() - t0;
        if (!s) {
            fprintf(stderr, "load failed: %s\n", err);
            return 1;
        }
        if (t < best) {
            best = t;
            zones = s->load_ms.zones, vehicles = s->load_ms.vehicles, passes = s->load_ms.passes;
        }
        if (!kept) {
            kept = s;
            printf("snapshot: %d zones, %d vehicles, %d passes; resident %.0f MiB more "
                   "than before the first load\n",
                   s->nzones, s->nvehicles, s->npasses, rss_mib() - base);
        } else {
            hp_snapshot_unref(s);
        }
    }
    printf("build time: best of 3 %.2f s (zones %.0f ms, vehicles %.0f ms, passes and the"
           " rest %.0f ms)\n", best, zones, vehicles, passes);
    /* Deltas of the first plates (a vehicle or pass change reloads these). */
    int sizes[] = {1, 1000};
    for (int k = 0; k < 2 && kept->nvehicles >= sizes[k]; k++) {
        char **plates = malloc((size_t)sizes[k] * sizeof(*plates));
        for (int i = 0; i < sizes[k]; i++)
            plates[i] = kept->vehicles[i].plate;
        double dbest = 1e9;
        for (int i = 0; i < 5; i++) {
            char err[256];
            double t0 = now_s();
            struct hp_snapshot *d =
                hp_snapshot_load_delta(conn, kept, plates, sizes[k], false, err, sizeof(err));
            double t = now_s() - t0;
            if (!d) {
                fprintf(stderr, "delta failed: %s\n", err);
                return 1;
            }
            dbest = t < dbest ? t : dbest;
            hp_snapshot_unref(d);
        }
        printf("delta of %d changed plate%s: best of 5 %.1f ms\n", sizes[k],
               sizes[k] == 1 ? "" : "s", dbest * 1e3);
        free(plates);
    }
    hp_snapshot_unref(kept);
    PQfinish(conn);
    return 0;
}
