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
    struct hp_db *db = hp_req_db(req);
    if (!db) {
        hp_reply_unavailable(req);
        return;
    }
    PGresult *r;
    enum hp_db_status st = hp_audit_list(db, req->arena, entity, id, cursor, limit + 1, &r);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return;
    }
    int n = PQntuples(r);
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < n && i < limit; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "id", strtod(PQgetvalue(r, i, 0), NULL));
        hp_api_add_time(e, "at", strtoll(PQgetvalue(r, i, 1), NULL, 10));
        if (PQgetisnull(r, i, 2)) {
            cJSON_AddNullToObject(e, "actor");
        } else {
            cJSON *actor = cJSON_AddObjectToObject(e, "actor");
            cJSON_AddStringToObject(actor, "id", PQgetvalue(r, i, 2));
            cJSON_AddStringToObject(actor, "name", PQgetvalue(r, i, 3));
        }
        cJSON_AddStringToObject(e, "entity", PQgetvalue(r, i, 4));
        cJSON_AddStringToObject(e, "entity_id", PQgetvalue(r, i, 5));
        cJSON_AddStringToObject(e, "action", PQgetvalue(r, i, 6));
        cJSON_AddItemToObject(e, "before", hp_api_json_or_null(PQgetvalue(r, i, 7)));
        cJSON_AddItemToObject(e, "after", hp_api_json_or_null(PQgetvalue(r, i, 8)));
        cJSON_AddItemToArray(items, e);
    }
    const char *next = n > limit ? PQgetvalue(r, limit - 1, 0) : NULL;
    hp_reply_json(req, 200, hp_api_page(items, next));
}
