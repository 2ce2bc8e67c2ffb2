/* Vehicles in the database. Each write appends to the audit trail (entity
 * "vehicle", entity_id the plate) in the same statement. Plates here are
 * already in their normal form (plate.h). Strings in results are arena
 * memory. */
#ifndef HAULPASS_VEHICLES_H
#define HAULPASS_VEHICLES_H

#include "haulpass/db.h"

#include <stdbool.h>
#include <stdint.h>

/* Sizes and counts of 0 are "not given" (every bound starts above 0). */
struct hp_vehicle {
    const char *id, *plate, *org_id, *class;
    int gross_weight_kg, axles, length_mm, width_mm, height_mm;
    bool hazmat, new_energy;
    int version;
    int64_t created_us, updated_us;
};

enum hp_vehicle_outcome {
    HP_VEHICLE_DONE,
    HP_VEHICLE_PLATE_TAKEN, /* create: the plate is registered already */
    HP_VEHICLE_BAD_ORG,     /* create, import: org_id names no haulier or site */
    HP_VEHICLE_MISSING,     /* patch: no such vehicle (that the caller may see) */
    HP_VEHICLE_STALE,       /* patch: If-Match named another version */
};

/* Registers the vehicle of fields, a JSON object text of checked fields
 * (plate in normal form, class, gross_weight_kg, and optionally axles,
 * length_mm, width_mm, height_mm, hazmat, new_energy), for org_id. */
enum hp_db_status hp_vehicles_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id,
                                     const char *fields, enum hp_vehicle_outcome *outcome,
                                     struct hp_vehicle *out);

/* The vehicle with plate, of org_id only unless org_id is NULL;
 * HP_DB_NO_ROWS when none. */
enum hp_db_status hp_vehicles_get(struct hp_db *db, struct hp_arena *arena, const char *plate,
                                  const char *org_id, struct hp_vehicle *out);

/* Up to limit vehicles in plate order after the plate `after` (NULL: from
 * the first), of org_id only unless it is NULL; *n of them in out. */
enum hp_db_status hp_vehicles_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                   const char *after, int limit, struct hp_vehicle *out, int *n);

/*
 * Applies patch, a JSON object text of checked fields (class,
 * gross_weight_kg, axles, length_mm, width_mm, height_mm, hazmat,
 * new_energy; null clears a size or count), to the vehicle with plate that
 * org_id may see (NULL: any), when its version is if_version (as
 * hp_etag_if_match gives it: -1 or 0 any, -2 none). Bumps the version.
 */
enum hp_db_status hp_vehicles_patch(struct hp_db *db, struct hp_arena *arena,
                                    const char *actor_id, const char *plate, const char *org_id,
                                    const char *patch, int if_version,
                                    enum hp_vehicle_outcome *outcome, struct hp_vehicle *out);

/*
 * Registers every vehicle of rows, a JSON array text of objects with the
 * fields of hp_vehicles_create (plates distinct), for org_id, skipping the
 * plates registered already. plates (room for every row) receives the
 * plates registered now, *n of them, in no particular order.
 */
enum hp_db_status hp_vehicles_import(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *rows,
                                     enum hp_vehicle_outcome *outcome, const char **plates,
                                     int *n);

#endif
