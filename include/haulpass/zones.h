/* Zones in the database (SQL only; the handlers in src/api/zones.c). */
#ifndef HAULPASS_ZONES_H
#define HAULPASS_ZONES_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

/* One zone as read; strings are arena memory. */
struct hp_zone_row {
    const char *id;
    int version;
    const char *name;
    const char *wkb_hex;  /* the geometry as hex WKB */
    bool sent_as_polygon;
    const char *rules;    /* JSON array text */
    int64_t created_us, updated_us;
    int64_t retired_us;   /* 0: live */
    const char *retire_reason; /* why it was retired; NULL: none given */
    const char *kind;     /* "restriction", or "roadworks" (docs/contract.md §13) */
};

/* Names the acting user for the zone history trigger, inside a transaction. */
enum hp_db_status hp_zones_set_actor(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id);

/* A new zone; out is the stored row. */
enum hp_db_status hp_zones_insert(struct hp_db *db, struct hp_arena *arena, const char *name,
                                  const char *wkb_hex, bool sent_as_polygon, const char *rules,
                                  struct hp_zone_row *out);

/* The zone id (HP_DB_NO_ROWS when none); for_update locks it. */
enum hp_db_status hp_zones_get(struct hp_db *db, struct hp_arena *arena, const char *id,
                               bool for_update, struct hp_zone_row *out);

/* The next version of a live zone; HP_DB_NO_ROWS when it is not live. */
enum hp_db_status hp_zones_update(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *name, const char *wkb_hex, bool sent_as_polygon,
                                  const char *rules, struct hp_zone_row *out);

/* Retires a live zone as its next version; HP_DB_NO_ROWS when it is not live. */
enum hp_db_status hp_zones_retire(struct hp_db *db, struct hp_arena *arena, const char *id,
                                  const char *reason, struct hp_zone_row *out);

/* Up to limit zones in creation order after the zone after (NULL: from the
 * start); retired ones only when include_retired. *n rows into out. */
enum hp_db_status hp_zones_list(struct hp_db *db, struct hp_arena *arena, const char *after,
                                int limit, bool include_retired, struct hp_zone_row *out,
                                int *n);

/* Every live zone (for the GeoJSON export); *rows is arena memory. */
enum hp_db_status hp_zones_all_live(struct hp_db *db, struct hp_arena *arena,
                                    struct hp_zone_row **rows, int *n);

/* hp_zones_all_live, only the zones whose bounding box meets bbox
 * ({west, south, east, north}, degrees; the GiST index on geom). */
enum hp_db_status hp_zones_live_in_bbox(struct hp_db *db, struct hp_arena *arena,
                                        const double bbox[4], struct hp_zone_row **rows, int *n);

/* One version of a zone's history: the zone as it was written (id,
 * version, name, wkb_hex, sent_as_polygon, rules; no instants), when, by
 * whom (NULL: no user), and whether that version retired it. */
struct hp_zone_version {
    struct hp_zone_row zone;
    int64_t written_us;
    const char *written_by;
    bool retired;
    const char *reason; /* why it was retired, on the retiring version */
};

/* Every version of zone id, oldest first: *n of them in *out (arena
 * memory); HP_DB_NO_ROWS when there is no such zone. */
enum hp_db_status hp_zones_versions(struct hp_db *db, struct hp_arena *arena, const char *id,
                                    struct hp_zone_version **out, int *n);

#endif
