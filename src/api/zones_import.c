/* POST /v1/zones/import: the KML import of ops_zones.h (shared with
 * `haulpass import-kml`), its outcome as an HTTP reply. */
#include "haulpass/api.h"

#include "haulpass/ops_zones.h"
#include "haulpass/reply.h"

#include <string.h>

void hp_api_zones_import(struct hp_request *req)
{
    const char *dry = hp_req_query(req, "dry_run");
    if (dry && strcmp(dry, "true") != 0 && strcmp(dry, "false") != 0) {
        hp_reply_problem(req, 400, "bad-parameter", "dry_run must be true or false");
        return;
    }
    bool dry_run = dry && strcmp(dry, "true") == 0;
    if (!req->body || !req->body_len) {
        hp_reply_problem(req, 400, "malformed-kml", "a KML document is required");
        return;
    }
    struct hp_db *db = dry_run ? NULL : req->db;
    cJSON *answer = NULL;
    char detail[300] = "";
    enum hp_zones_import_outcome outcome =
        hp_ops_zones_import_kml(db, req->arena, req->who->user_id, req->body, req->body_len,
                                dry_run, &answer, detail, sizeof(detail));
    switch (outcome) {
    case HP_ZONES_IMPORT_DONE: hp_reply_json(req, 200, answer); break;
    case HP_ZONES_IMPORT_MALFORMED:
        hp_reply_problem(req, 400, "malformed-kml", "%s", detail);
        break;
    case HP_ZONES_IMPORT_TOO_LARGE: hp_reply_problem(req, 413, "too-large", "%s", detail); break;
    case HP_ZONES_IMPORT_NOT_KML: hp_reply_problem(req, 422, "not-kml", "%s", detail); break;
    case HP_ZONES_IMPORT_UNAVAILABLE: hp_reply_unavailable(req); break;
    case HP_ZONES_IMPORT_NO_MEMORY:
    case HP_ZONES_IMPORT_DB_FAILED: hp_reply_internal(req, detail); break;
    }
}
