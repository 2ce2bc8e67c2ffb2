/* Escort units and escort bookings in the database. Each write appends to
 * the audit trail (entities "escort_unit" and "escort") in the same
 * statement. Strings in results are arena memory; instants are µs. */
#ifndef HAULPASS_ESCORTS_H
#define HAULPASS_ESCORTS_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

struct hp_escort_unit {
    const char *id, *name, *base; /* base: GeoJSON Point text */
    const char *hours;            /* canonical opening_hours */
    int capacity;
    double base_distance_m;       /* hp_escort_units_near only */
    int64_t created_us;
};

/* Creates a unit of checked fields (base: GeoJSON Point text). */
enum hp_db_status hp_escort_units_create(struct hp_db *db, struct hp_arena *arena,
                                         const char *actor_id, const struct hp_escort_unit *in,
                                         struct hp_escort_unit *out);

/* Up to limit units in creation order after the one with id after (NULL:
 * from the first). */
enum hp_db_status hp_escort_units_list(struct hp_db *db, struct hp_arena *arena,
                                       const char *after, int limit,
                                       struct hp_escort_unit *out, int *n);

/* The unit with id; HP_DB_NO_ROWS when none. */
enum hp_db_status hp_escort_units_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                      struct hp_escort_unit *out);

/* Every unit able to lead at least vehicles vehicles, nearest base to
 * origin (GeoJSON Point text) first, with base_distance_m set (geodesic).
 * *out is arena memory of *n units. */
enum hp_db_status hp_escort_units_near(struct hp_db *db, struct hp_arena *arena,
                                       const char *origin, int vehicles,
                                       struct hp_escort_unit **out, int *n);

/* An interval in which a live booking takes its unit, in whole seconds
 * since the epoch rounded outwards (a busy interval never shrinks). */
struct hp_escort_busy_span {
    const char *unit_id;
    int64_t start_s, free_s;
};

/* The intervals of live bookings overlapping [from_us, to_us), in the
 * order of unit_id then start: *n of them in *out (arena memory). */
enum hp_db_status hp_escorts_busy(struct hp_db *db, struct hp_arena *arena, int64_t from_us,
                                  int64_t to_us, struct hp_escort_busy_span **out, int *n);

struct hp_escort {
    const char *id, *project_id, *unit_id, *booked_by, *status;
    const char **plates;                    /* nplates of them, in normal form */
    int nplates;
    const char *origin, *destination, *route; /* GeoJSON texts */
    const char *cargo;                      /* JSON object text or NULL */
    const char *route_check;                /* JSON object text or NULL */
    bool route_given;
    double length_m;
    int64_t start_us, end_us, free_us, created_us, updated_us;
    const char *cancel_reason; /* why it was cancelled; NULL: none given */
};

/* What a booking request names, checked against the database before the
 * search: the project visible to the caller, the plates of its site, and
 * the route's geodesic length. */
struct hp_escort_request {
    const char *project_id;
    const char *site_org_id; /* the caller's organisation when a site, else NULL */
    const char **plates;     /* nplates of them, in normal form */
    int nplates;
    const char *origin, *destination; /* GeoJSON Point texts */
    const char *route;       /* GeoJSON LineString text, or NULL */
};

struct hp_escort_refs {
    bool project_found;      /* exists and the caller may book for it */
    int *bad_plates;         /* 0-based indexes, -1 ended: not the site's vehicles */
    double length_m;         /* of route, else of the straight line (not stretched) */
    const char *route;       /* route, else the straight line: GeoJSON text */
    double start_gap_m;      /* from the origin to the route's first position */
    double end_gap_m;        /* from the route's last position to the destination */
};

enum hp_db_status hp_escorts_check(struct hp_db *db, struct hp_arena *arena,
                                   const struct hp_escort_request *in,
                                   struct hp_escort_refs *out);

/* Inserts a scheduled booking (fields of in: project_id, unit_id, booked_by,
 * plates, origin, destination, route, route_given, length_m, cargo,
 * route_check, start, end, free). HP_DB_SOFT_ERROR when the slot was taken
 * meanwhile (the exclusion constraint refused it): search again. */
enum hp_db_status hp_escorts_insert(struct hp_db *db, struct hp_arena *arena,
                                    const struct hp_escort *in, struct hp_escort *out);

/* The booking with id, of a project of site_org_id only unless it is NULL. */
enum hp_db_status hp_escorts_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                                 const char *site_org_id, struct hp_escort *out);

struct hp_escort_filter {
    const char *site_org_id, *unit_id, *project_id; /* NULL: any */
    int64_t from_us, to_us;  /* 0: open; bookings whose [start, free_at) meets [from, to) */
    bool live_only;
    const char *after_start_us, *after_id; /* cursor; NULL: from the first */
};

/* Up to limit bookings by start then id. */
enum hp_db_status hp_escorts_list(struct hp_db *db, struct hp_arena *arena,
                                  const struct hp_escort_filter *f, int limit,
                                  struct hp_escort *out, int *n);

enum hp_escort_change_outcome {
    HP_ESCORT_CHANGED,
    HP_ESCORT_NOT_FOUND,
    HP_ESCORT_WRONG_STATUS, /* out holds the booking as it is */
    HP_ESCORT_NOT_STARTED,  /* the move waits for the start; out as it is */
};

/* A change of status: audited as action, from one of from (a text[]
 * literal, e.g. "{scheduled,confirmed}"; from_text says it in words for
 * people) to to; after_start: only once the escort's start has come. */
struct hp_escort_move {
    const char *action, *from, *from_text, *to;
    bool after_start;
};

/* Makes move m on booking id (of site_org_id's projects only unless NULL),
 * audited as done by actor; reason (or NULL) is kept on a cancellation. */
enum hp_db_status hp_escorts_change(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    const char *site_org_id, const char *actor,
                                    const struct hp_escort_move *m, const char *reason,
                                    enum hp_escort_change_outcome *outcome,
                                    struct hp_escort *out);

#endif
