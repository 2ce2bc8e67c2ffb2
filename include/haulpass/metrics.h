/* Counters for /metrics: requests by route and status, a latency histogram. */
#ifndef HAULPASS_METRICS_H
#define HAULPASS_METRICS_H

#include <stdint.h>

struct hp_arena;
struct hp_route;

/* Counts one finished request; route_index -1 for one that matched no route. */
void hp_metrics_record(int route_index, int status, int64_t micros);

/* Counts the time signing the pass codes of one decision took, inside its
 * transaction (the statements and Ed25519 together). */
void hp_metrics_signing(int64_t micros);

/* The request counters and histogram in Prometheus text format, in arena
 * memory; routes names the route indexes. */
char *hp_metrics_render(struct hp_arena *arena, const struct hp_route *routes);

#endif
