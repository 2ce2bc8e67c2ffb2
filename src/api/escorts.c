/* /v1/escorts: read escort bookings and move them through their statuses
 * (booking itself is escort_book.c). A site sees and cancels the bookings of
 * its own projects; officers and admins see all, confirm and complete. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/escorts.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"
#include "haulpass/time.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

cJSON *hp_api_escort_json(const struct hp_escort *e)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "id", e->id);
    cJSON_AddStringToObject(j, "status", e->status);
    cJSON_AddStringToObject(j, "unit_id", e->unit_id);
    hp_api_add_time(j, "start", e->start_us);
    hp_api_add_time(j, "end", e->end_us);
    cJSON_AddItemToObject(j, "route_check", hp_api_json_or_null(e->route_check));
    hp_api_add_time(j, "unit_free_at", e->free_us);
    cJSON_AddStringToObject(j, "project_id", e->project_id);
    cJSON *plates = e->plates ? cJSON_CreateStringArray(e->plates, e->nplates) : NULL;
    cJSON_AddItemToObject(j, "plates", plates ? plates : cJSON_CreateNull());
    cJSON_AddItemToObject(j, "origin", hp_api_json_or_null(e->origin));
    cJSON_AddItemToObject(j, "destination", hp_api_json_or_null(e->destination));
    cJSON_AddItemToObject(j, "route", hp_api_json_or_null(e->route));
    cJSON_AddBoolToObject(j, "route_given", e->route_given);
    cJSON_AddNumberToObject(j, "length_m", e->length_m);
    cJSON_AddItemToObject(j, "cargo", hp_api_json_or_null(e->cargo));
    cJSON_AddStringToObject(j, "booked_by", e->booked_by);
    hp_api_add_time(j, "created_at", e->created_us);
    hp_api_add_time(j, "updated_at", e->updated_us);
    cJSON_AddItemToObject(j, "cancel_reason", e->cancel_reason
                                                  ? cJSON_CreateString(e->cancel_reason)
                                                  : cJSON_CreateNull());
    return j;
}

/* A query parameter holding an id (NULL when absent); false after 400. */
static bool uuid_param(struct hp_request *req, const char *name, const char **out)
{
    *out = hp_req_query(req, name);
    if (*out && !hp_uuid_valid(*out)) {
        hp_reply_problem(req, 400, "bad-parameter", "%s must be an id", name);
        return false;
    }
    return true;
}

/* A query parameter holding an RFC 3339 instant (0 when absent). */
static bool time_param(struct hp_request *req, const char *name, int64_t *out)
{
    const char *v = hp_req_query(req, name);
    *out = 0;
    if (v && !hp_time_parse(v, out)) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "%s must be an RFC 3339 date-time with an offset", name);
        return false;
    }
    return true;
}

/* The cursor "<start µs>_<id>" of the last row of a page. */
static bool read_cursor(struct hp_request *req, const char *cursor, struct hp_escort_filter *f)
{
    if (!cursor)
        return true;
    const char *sep = strchr(cursor, '_');
    char *end;
    if (sep && sep > cursor && sep - cursor < 20) {
        errno = 0;
        long long us = strtoll(cursor, &end, 10);
        if (end == sep && errno == 0 && hp_uuid_valid(sep + 1)) {
            f->after_start_us = hp_arena_printf(req->arena, "%lld", us);
            f->after_id = sep + 1;
            return true;
        }
    }
    hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
    return false;
}

void hp_api_escorts_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    struct hp_escort_filter f = {.site_org_id = hp_api_own_org(req)};
    if (!hp_api_paging(req, &limit, &cursor) || !read_cursor(req, cursor, &f) ||
        !uuid_param(req, "unit_id", &f.unit_id) ||
        !uuid_param(req, "project_id", &f.project_id) || !time_param(req, "from", &f.from_us) ||
        !time_param(req, "to", &f.to_us))
        return;
    struct hp_escort *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st = hp_escorts_list(req->db, req->arena, &f, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, hp_api_escort_json(&rows[i]));
    const char *next = n > limit ? hp_arena_printf(req->arena, "%lld_%s",
                                                   (long long)rows[limit - 1].start_us,
                                                   rows[limit - 1].id)
                                 : NULL;
    hp_reply_json(req, 200, hp_api_page(items, next));
}

void hp_api_escorts_get(struct hp_request *req)
{
    const char *id = req->params[0];
    struct hp_escort e;
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no escort has this id");
        return;
    }
    enum hp_db_status st = hp_escorts_get(req->db, req->arena, id, hp_api_own_org(req), &e);
    if (st == HP_DB_NO_ROWS)
        hp_reply_problem(req, 404, "not-found", "no escort has this id");
    else if (st < 0)
        hp_api_db_failed(req, st);
    else
        hp_reply_json(req, 200, hp_api_escort_json(&e));
}

struct change_tx {
    struct hp_arena *arena;
    const char *id, *org, *actor, *reason;
    const struct hp_escort_move *move;
    enum hp_escort_change_outcome outcome;
    struct hp_escort e;
};

static enum hp_db_status change_run(struct hp_db *db, void *ctx)
{
    struct change_tx *t = ctx;
    return hp_escorts_change(db, t->arena, t->id, t->org, t->actor, t->move, t->reason,
                             &t->outcome, &t->e);
}

/* Makes move m on the booking of the path. */
static void change(struct hp_request *req, const struct hp_escort_move *m)
{
    const char *id = req->params[0];
    if (!hp_uuid_valid(id)) {
        hp_reply_problem(req, 404, "not-found", "no escort has this id");
        return;
    }
    const char *reason = NULL;
    if (strcmp(m->to, "cancelled") == 0 && !hp_api_optional_reason(req, &reason))
        return;
    struct change_tx t = {.arena = req->arena, .id = id, .org = hp_api_own_org(req),
                          .actor = req->who->user_id, .reason = reason, .move = m};
    enum hp_db_status st = hp_db_tx(req->db, change_run, &t);
    if (st < 0)
        hp_api_db_failed(req, st);
    else if (t.outcome == HP_ESCORT_NOT_FOUND)
        hp_reply_problem(req, 404, "not-found", "no escort has this id");
    else if (t.outcome == HP_ESCORT_WRONG_STATUS)
        hp_reply_problem(req, 409, "wrong-status", "the escort is %s; only one that is %s can be %s",
                         t.e.status, m->from_text, m->to);
    else if (t.outcome == HP_ESCORT_NOT_STARTED) {
        char start[HP_TIME_BUF];
        hp_time_format(t.e.start_us, start);
        hp_reply_problem(req, 409, "not-started", "the escort starts at %s; it cannot be %s before",
                         start, m->to);
    } else
        hp_reply_json(req, 200, hp_api_escort_json(&t.e));
}

void hp_api_escorts_confirm(struct hp_request *req)
{
    static const struct hp_escort_move m = {"confirm", "{scheduled}", "scheduled", "confirmed"};
    change(req, &m);
}

/* The slot is free for others as soon as this commits: the exclusion
 * constraint only counts scheduled and confirmed bookings. */
void hp_api_escorts_cancel(struct hp_request *req)
{
    static const struct hp_escort_move m = {"cancel", "{scheduled,confirmed}",
                                            "scheduled or confirmed", "cancelled"};
    change(req, &m);
}

void hp_api_escorts_complete(struct hp_request *req)
{
    /* An escort cannot have been done before it began. */
    static const struct hp_escort_move m = {"complete", "{confirmed}", "confirmed", "completed",
                                            .after_start = true};
    change(req, &m);
}
