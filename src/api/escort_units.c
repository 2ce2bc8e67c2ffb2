/* /v1/escort-units: the police units that lead convoys, and a unit's day:
 * its duty periods and its live bookings. Officers and admins only. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/calendar.h"
#include "haulpass/calendar_store.h"
#include "haulpass/escorts.h"
#include "haulpass/json_body.h"
#include "haulpass/opening_hours.h"
#include "haulpass/reply.h"

#include <string.h>
#include <time.h>

enum { F_NAME, F_BASE, F_HOURS, F_CAPACITY, F_COUNT };

static const struct hp_json_field create_spec[] = {
    {"name", HP_JSON_STRING, .required = true, .min = 1, .max = 200, .trimmed = true},
    {"base", HP_JSON_OBJECT, .required = true},
    {"hours", HP_JSON_STRING, .required = true, .min = 1, .max = HP_OH_MAX_LEN},
    {"capacity", HP_JSON_INT, .required = true, .min = 1, .max = 100},
    {NULL},
};

static cJSON *unit_json(const struct hp_escort_unit *u)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", u->id);
    cJSON_AddStringToObject(j, "name", u->name);
    cJSON_AddItemToObject(j, "base", hp_api_json_or_null(u->base));
    cJSON_AddStringToObject(j, "hours", u->hours);
    cJSON_AddNumberToObject(j, "capacity", u->capacity);
    hp_api_add_time(j, "created_at", u->created_us);
    return j;
}

struct create_tx {
    struct hp_arena *arena;
    const char *actor;
    struct hp_escort_unit in, out;
};

static enum hp_db_status create_run(struct hp_db *db, void *ctx)
{
    struct create_tx *t = ctx;
    return hp_escort_units_create(db, t->arena, t->actor, &t->in, &t->out);
}

void hp_api_escort_units_create(struct hp_request *req)
{
    cJSON *body = hp_api_body(req);
    const cJSON *v[F_COUNT];
    if (!body)
        return;
    struct create_tx t = {.arena = req->arena, .actor = req->who->user_id};
    bool ok = hp_api_read(req, body, create_spec, "", v);
    if (v[F_BASE] && !(t.in.base = hp_api_read_geometry(req, v[F_BASE], "Point", "/base")))
        ok = false;
    if (v[F_HOURS] && !(t.in.hours = hp_api_read_hours(req, v[F_HOURS]->valuestring, "/hours")))
        ok = false;
    if (!ok) {
        hp_reply_invalid(req);
        return;
    }
    t.in.name = v[F_NAME]->valuestring;
    t.in.capacity = v[F_CAPACITY]->valueint;
    enum hp_db_status st = hp_db_tx(req->db, create_run, &t);
    if (st != HP_DB_ROWS) {
        hp_api_db_failed(req, st < 0 ? st : HP_DB_HARD_ERROR);
        return;
    }
    hp_reply_header(req, "Location",
                    hp_arena_printf(req->arena, "/v1/escort-units/%s", t.out.id));
    hp_reply_json(req, 201, unit_json(&t.out));
}

void hp_api_escort_units_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_uuid_paging(req, &limit, &cursor))
        return;
    struct hp_escort_unit *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_escort_units_list(req->db, req->arena, cursor, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, unit_json(&rows[i]));
    hp_reply_json(req, 200, hp_api_page(items, n > limit ? rows[limit - 1].id : NULL));
}

/* Local midnight of date d plus days, in the process time zone. */
static time_t local_midnight(struct hp_calendar_date d, int days)
{
    struct tm tm = {.tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day + days,
                    .tm_isdst = -1};
    return mktime(&tm);
}

/* The periods of [from, to) in which the unit is on duty. */
static cJSON *duty_periods(const struct hp_oh *oh, const struct hp_calendar *cal, time_t from,
                           time_t to)
{
    cJSON *out = cJSON_CreateArray();
    time_t t = from;
    bool open = hp_oh_is_open(oh, t, cal);
    /* A change moves t forward, and a day has a handful of them. */
    for (int guard = 0; guard < 1000 && t < to; guard++) {
        time_t change;
        time_t next = hp_oh_next_change(oh, t, to, cal, &change) ? change : to;
        if (open) {
            cJSON *p = cJSON_CreateObject();
            hp_api_add_time(p, "from", (int64_t)t * 1000000);
            hp_api_add_time(p, "to", (int64_t)next * 1000000);
            cJSON_AddItemToArray(out, p);
        }
        t = next;
        open = !open;
    }
    return out;
}

/* GET /v1/escort-units/{id}/schedule?date=YYYY-MM-DD: the unit, its duty
 * periods that local day, and its live bookings whose escort meets it. */
void hp_api_escort_units_schedule(struct hp_request *req)
{
    const char *id = req->params[0];
    const char *date = hp_req_query(req, "date");
    struct hp_calendar_date d;
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no escort unit has this id");
        return;
    }
    if (!date || !hp_calendar_date_parse(date, &d)) {
        hp_reply_problem(req, 400, "bad-parameter", "date must be a real date written YYYY-MM-DD");
        return;
    }
    struct hp_escort_unit u;
    struct hp_calendar *cal = NULL;
    enum hp_db_status st = hp_escort_units_get(req->db, req->arena, id, &u);
    if (st == HP_DB_NO_ROWS) {
        hp_reply_problem(req, 404, "not-found", "no escort unit has this id");
        return;
    }
    time_t from = local_midnight(d, 0), to = local_midnight(d, 1);
    struct hp_escort_filter f = {.unit_id = id, .from_us = (int64_t)from * 1000000,
                                 .to_us = (int64_t)to * 1000000, .live_only = true};
    /* A day holds at most 48 escorts of 30 minutes; room for more anyway. */
    enum { MAX_DAY = 500 };
    struct hp_escort *rows = hp_arena_calloc(req->arena, MAX_DAY, sizeof(*rows));
    int n = 0;
    if (st >= 0)
        st = hp_calendar_store_load(req->db, req->arena, &cal);
    if (st >= 0)
        st = hp_escorts_list(req->db, req->arena, &f, MAX_DAY, rows, &n);
    struct hp_oh *oh = NULL;
    if (st >= 0 && hp_oh_compile(u.hours, &oh, NULL) != HP_OH_OK)
        st = HP_DB_HARD_ERROR;
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "unit", unit_json(&u));
    cJSON_AddStringToObject(j, "date", date);
    cJSON_AddItemToObject(j, "on_duty", duty_periods(oh, cal, from, to));
    hp_oh_free(oh);
    cJSON *items = cJSON_AddArrayToObject(j, "bookings");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(items, hp_api_escort_json(&rows[i]));
    hp_reply_json(req, 200, j);
}
