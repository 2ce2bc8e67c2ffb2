/* PUT/GET /v1/calendar/{year}: holidays and weekend days worked instead. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/calendar_store.h"
#include "haulpass/etag.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_YEAR 2000
#define MAX_YEAR 2100

static const char *const kinds[] = {"holiday", "workday", NULL};

static const struct hp_json_field calendar_spec[] = {
    {"days", HP_JSON_ARRAY, .required = true, .max = 366},
    {NULL},
};

static const struct hp_json_field day_spec[] = {
    {"date", HP_JSON_STRING, .required = true, .min = 10, .max = 10},
    {"kind", HP_JSON_ENUM, .required = true, .choices = kinds},
    {"name", HP_JSON_STRING, .nullable = true, .max = 100, .trimmed = true},
    {NULL},
};

/* The year of the path, or 0 after replying 404. */
static int path_year(struct hp_request *req)
{
    char *end;
    long y = strtol(req->params[0], &end, 10);
    if (*end || strlen(req->params[0]) != 4 || y < MIN_YEAR || y > MAX_YEAR) {
        hp_reply_problem(req, 404, "not-found",
                         "the calendar covers the years %d to %d; \"%s\" is not one of them",
                         MIN_YEAR, MAX_YEAR, req->params[0]);
        return 0;
    }
    return (int)y;
}

struct replace {
    struct hp_arena *arena;
    const char *actor;
    int year;
    const char *days;
    const char *expected_version; /* NULL: any */
    int version;                  /* after; 0 when stale */
};

static enum hp_db_status replace_tx(struct hp_db *db, void *ctx)
{
    struct replace *r = ctx;
    return hp_calendar_store_replace(db, r->arena, r->actor, r->year, r->days,
                                     r->expected_version, &r->version);
}

/* Checks every day and the set as a whole (the calendar module's rules:
 * a real date, listed once, a workday on a weekend); the days as stored. */
static cJSON *read_days(struct hp_request *req, const cJSON *days, int year)
{
    cJSON *out = hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete, cJSON_CreateArray());
    int n = cJSON_GetArraySize(days), i = 0;
    struct hp_calendar_entry *entries = hp_arena_calloc(req->arena, (size_t)n + 1,
                                                        sizeof(*entries));
    int *index = hp_arena_calloc(req->arena, (size_t)n + 1, sizeof(*index));
    int ne = 0;
    for (const cJSON *d = days->child; d; d = d->next, i++) {
        char prefix[32], ptr[48];
        snprintf(prefix, sizeof(prefix), "/days/%d", i);
        const cJSON *v[3];
        if (!hp_api_read(req, d, day_spec, prefix, v))
            continue;
        struct hp_calendar_date date;
        snprintf(ptr, sizeof(ptr), "%s/date", prefix);
        if (!hp_calendar_date_parse(v[0]->valuestring, &date)) {
            hp_req_invalid(req, ptr, "\"%s\" is not a real date written YYYY-MM-DD",
                           v[0]->valuestring);
            continue;
        }
        if (date.year != year) {
            hp_req_invalid(req, ptr, "%s is not in %d", v[0]->valuestring, year);
            continue;
        }
        entries[ne].date = date;
        entries[ne].kind = strcmp(v[1]->valuestring, "holiday") == 0 ? HP_CALENDAR_HOLIDAY
                                                                     : HP_CALENDAR_WORKDAY;
        index[ne++] = i;
        cJSON *day = cJSON_CreateObject();
        cJSON_AddStringToObject(day, "date", v[0]->valuestring);
        cJSON_AddStringToObject(day, "kind", v[1]->valuestring);
        if (v[2])
            cJSON_AddStringToObject(day, "name", v[2]->valuestring);
        else
            cJSON_AddNullToObject(day, "name");
        cJSON_AddItemToArray(out, day);
    }
    struct hp_calendar *cal = NULL;
    struct hp_calendar_error err = {0};
    if (hp_calendar_new(entries, (size_t)ne, &cal, &err) == HP_CALENDAR_INVALID) {
        char ptr[48];
        snprintf(ptr, sizeof(ptr), "/days/%d", index[err.index]);
        hp_req_invalid(req, ptr, "%s", err.message);
    }
    hp_calendar_free(cal);
    return req->errors ? NULL : out;
}

void hp_api_calendar_replace(struct hp_request *req)
{
    int year = path_year(req);
    if (!year)
        return;
    cJSON *body = hp_api_body(req);
    if (!body)
        return;
    const cJSON *v[1];
    if (!hp_api_read(req, body, calendar_spec, "", v)) {
        hp_reply_invalid(req);
        return;
    }
    cJSON *days = read_days(req, v[0], year);
    if (!days) {
        hp_reply_invalid(req);
        return;
    }
    char *text = hp_arena_defer(req->arena, free, cJSON_PrintUnformatted(days));
    /* If-Match is optional here: a calendar is replaced whole, and the
     * admin who sends none means to. */
    int if_version = hp_etag_if_match(hp_req_header(req, "If-Match"));
    struct replace r = {req->arena, req->who->user_id, year, text,
                        hp_etag_sql_version(req->arena, if_version), 0};
    enum hp_db_status st = hp_db_tx(req->db, replace_tx, &r);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    if (!r.version) {
        hp_reply_problem(req, 412, "stale",
                         "the %d calendar has changed since the version you read; read it "
                         "again", year);
        return;
    }
    hp_api_calendar_get(req);
}

void hp_api_calendar_get(struct hp_request *req)
{
    int year = path_year(req);
    if (!year)
        return;
    int version, n;
    struct hp_calendar_day *listed;
    enum hp_db_status st =
        hp_calendar_store_year(req->db, req->arena, year, &version, &listed, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "year", year);
    cJSON *days = cJSON_AddArrayToObject(j, "days");
    for (int i = 0; i < n; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "date", listed[i].date);
        cJSON_AddStringToObject(d, "kind", listed[i].kind);
        if (!listed[i].name)
            cJSON_AddNullToObject(d, "name");
        else
            cJSON_AddStringToObject(d, "name", listed[i].name);
        cJSON_AddItemToArray(days, d);
    }
    hp_etag_reply(req, version);
    hp_reply_json(req, 200, j);
}
