/* The JSON text of check answers, written straight into a buffer: a route
 * through a dense city has dozens of crossings, each with a reason, and
 * building a cJSON tree to print it cost more than the check itself. */
#ifndef HAULPASS_CHECK_ANSWER_H
#define HAULPASS_CHECK_ANSWER_H

#include "haulpass/check.h"
#include "haulpass/check_escort.h"

#include <stdbool.h>
#include <stddef.h>

/* A growing text; on allocation failure `failed` is set and writes stop.
 * lang: the language of the reasons it writes (English unless set). */
struct hp_text {
    char *p;
    size_t len, cap;
    bool failed;
    enum hp_rule_lang lang;
};

void hp_text_free(struct hp_text *t);

/* Room for more bytes (and the terminating NUL) in one allocation; false
 * (and t failed) when out of memory. */
bool hp_text_reserve(struct hp_text *t, size_t more);

/* Adds part's text to t; a part that failed makes t failed. */
void hp_text_append(struct hp_text *t, const struct hp_text *part);

/* The answer of POST /v1/checks/route; escort: what an oversize trip
 * needs (NULL, or not required: "escort": null). An escort required and
 * not booked makes the trip not allowed. */
void hp_check_answer_route(struct hp_text *t, const struct hp_snapshot *s,
                           const struct hp_check_vehicle *v, const struct hp_route_check *c,
                           const struct hp_escort_need *escort);

/* "{" and the members before the results of POST /v1/checks/sightings; then
 * one hp_check_answer_sighting per result (first: the first one); then
 * hp_check_answer_sightings_end. v is NULL for an unknown vehicle. */
void hp_check_answer_sightings_begin(struct hp_text *t, const struct hp_snapshot *s);
void hp_check_answer_sighting(struct hp_text *t, const struct hp_snapshot *s,
                              const struct hp_check_vehicle *v,
                              const struct hp_sighting_check *c, bool first);
void hp_check_answer_sightings_end(struct hp_text *t);

/* The answer of the route check of a convoy of n vehicles (plates[i]
 * checked as v[i], giving c[i], n >= 1, all on s and the same route): the
 * route's figures and crossings (those of c[0]), allowed only when every
 * vehicle may drive it, and the violations of all, each naming its plate. */
void hp_check_answer_convoy(struct hp_text *t, const struct hp_snapshot *s, int n,
                            const char *const *plates, const struct hp_check_vehicle *v,
                            const struct hp_route_check *c);

/* The answer of POST /v1/checks/zones: the n rules x (hp_check_zones_at,
 * a zone's rules next to each other) restricting vehicle v at instant at,
 * each with its zone and reason; without reasons, each restricting zone
 * once by its id only (a map's colours, a fraction of the bytes). */
void hp_check_answer_zones(struct hp_text *t, const struct hp_snapshot *s,
                           const struct hp_check_vehicle *v, time_t at,
                           const struct hp_check_violation *x, int n, bool reasons);

#endif
