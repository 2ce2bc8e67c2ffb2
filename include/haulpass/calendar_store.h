/* The calendar in the database: one row a listed day. */
#ifndef HAULPASS_CALENDAR_STORE_H
#define HAULPASS_CALENDAR_STORE_H

#include "haulpass/db.h"

/* Replaces the days of year with days_json (a JSON array of {date, kind,
 * name}) inside the caller's transaction when the year is at
 * expected_version (NULL: any; see hp_etag_sql_version); audits before and
 * after and sets *version to the new one. HP_DB_NO_ROWS, with nothing
 * changed, when the year is at another version. */
enum hp_db_status hp_calendar_store_replace(struct hp_db *db, struct hp_arena *arena,
                                            const char *actor_id, int year,
                                            const char *days_json,
                                            const char *expected_version, int *version);

/* The year's version, then its days (date, kind, name) in date order: one
 * row (version, NULL, NULL, NULL) when it lists none. */
enum hp_db_status hp_calendar_store_year(struct hp_db *db, struct hp_arena *arena, int year,
                                         PGresult **res);

/* Every listed day (date, kind), for building the in-memory calendar. */
enum hp_db_status hp_calendar_store_all(struct hp_db *db, struct hp_arena *arena,
                                        PGresult **res);

/* The calendar built from every listed day, freed with arena;
 * HP_DB_HARD_ERROR when the stored days do not make one. */
struct hp_calendar;
enum hp_db_status hp_calendar_store_load(struct hp_db *db, struct hp_arena *arena,
                                         struct hp_calendar **out);

#endif
