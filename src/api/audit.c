/* GET /v1/audit?entity=&id= (officer, admin). */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/audit.h"
#include "haulpass/reply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hp_api_audit_list(struct hp_request *req)
{
    int limit;
    const char *cursor;
    if (!hp_api_paging(req, &limit, &cursor))
        return;
    char *end;
    errno = 0;
    if (cursor && (strtoll(cursor, &end, 10) < 1 || *end || errno == ERANGE)) {
        hp_reply_problem(req, 400, "bad-parameter", "cursor is not one this service gave");
        return;
    }
    const char *entity = hp_req_query(req, "entity"), *id = hp_req_query(req, "id");
    /* One more than asked tells whether another page follows. */
    struct hp_audit_entry *rows = hp_arena_calloc(req->arena, (size_t)limit + 1, sizeof(*rows));
    int n;
    enum hp_db_status st =
        hp_audit_list(req->db, req->arena, entity, id, cursor, limit + 1, rows, &n);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++) {
        const struct hp_audit_entry *a = &rows[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "id", (double)a->id);
        hp_api_add_time(e, "at", a->at_us);
        if (!a->actor_id) {
            cJSON_AddNullToObject(e, "actor");
        } else {
            cJSON *actor = cJSON_AddObjectToObject(e, "actor");
            cJSON_AddStringToObject(actor, "id", a->actor_id);
            cJSON_AddStringToObject(actor, "name", a->actor_name ? a->actor_name : "");
        }
        cJSON_AddStringToObject(e, "entity", a->entity);
        cJSON_AddStringToObject(e, "entity_id", a->entity_id);
        cJSON_AddStringToObject(e, "action", a->action);
        cJSON_AddItemToObject(e, "before", hp_api_json_or_null(a->before));
        cJSON_AddItemToObject(e, "after", hp_api_json_or_null(a->after));
        cJSON_AddItemToArray(items, e);
    }
    const char *next =
        n > limit ? hp_arena_printf(req->arena, "%lld", (long long)rows[limit - 1].id) : NULL;
    hp_reply_json(req, 200, hp_api_page(items, next));
}
