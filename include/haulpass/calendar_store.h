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

/* A listed day; strings are arena memory. */
struct hp_calendar_day {
    const char *date; /* YYYY-MM-DD */
    const char *kind; /* holiday | workday */
    const char *name; /* or NULL */
};

/* The year's version and its listed days in date order: *days (arena
 * memory, freed with it) holds *n of them, none for a year that lists no
 * day. Read in one statement, so the version is that of the days. */
enum hp_db_status hp_calendar_store_year(struct hp_db *db, struct hp_arena *arena, int year,
                                         int *version, struct hp_calendar_day **days, int *n);

/* The calendar built from every listed day, freed with arena;
 * HP_DB_HARD_ERROR when the stored days do not make one. */
struct hp_calendar;
enum hp_db_status hp_calendar_store_load(struct hp_db *db, struct hp_arena *arena,
                                         struct hp_calendar **out);

#endif
