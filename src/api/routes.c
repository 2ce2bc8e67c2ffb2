/* The route table: every endpoint of the service, who may call it, and the
 * body it reads. tests/api/test_ops.c checks it against schemas/openapi.yaml. */
#include "haulpass/api.h"
#include "haulpass/router.h"

const struct hp_route hp_routes[] = {
    {HP_GET, "/healthz", hp_api_healthz, 0, HP_BODY_NONE},
    {HP_GET, "/readyz", hp_api_readyz, 0, HP_BODY_NONE},
    {HP_GET, "/metrics", hp_api_metrics, 0, HP_BODY_NONE},
    {HP_GET, "/openapi.yaml", hp_api_openapi, 0, HP_BODY_NONE},
    {HP_GET, "/debug/db-wait", hp_api_debug_db_wait, 0, HP_BODY_NONE},

    {HP_GET, "/v1/me", hp_api_me, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_POST, "/v1/orgs", hp_api_orgs_create, HP_ROLE_ADMIN, HP_BODY_JSON},
    {HP_GET, "/v1/orgs", hp_api_orgs_list, HP_ROLE_ADMIN, HP_BODY_NONE},
    {HP_POST, "/v1/users", hp_api_users_create, HP_ROLE_ADMIN, HP_BODY_JSON},
    {HP_POST, "/v1/users/{id}/token", hp_api_users_rotate_token, HP_ROLE_ADMIN, HP_BODY_NONE},
    {HP_GET, "/v1/audit", hp_api_audit_list, HP_ROLE_POLICE, HP_BODY_NONE},

    {HP_POST, "/v1/zones", hp_api_zones_create, HP_ROLE_POLICE, HP_BODY_JSON},
    {HP_GET, "/v1/zones", hp_api_zones_list, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_POST, "/v1/zones/import", hp_api_zones_import, HP_ROLE_POLICE, HP_BODY_KML},
    {HP_GET, "/v1/zones/{id}", hp_api_zones_get, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_PUT, "/v1/zones/{id}", hp_api_zones_replace, HP_ROLE_POLICE, HP_BODY_JSON},
    {HP_DELETE, "/v1/zones/{id}", hp_api_zones_retire, HP_ROLE_POLICE, HP_BODY_NONE},
    {HP_GET, "/v1/zones/{id}/versions", hp_api_zones_versions, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_PUT, "/v1/calendar/{year}", hp_api_calendar_replace, HP_ROLE_ADMIN, HP_BODY_JSON},
    {HP_GET, "/v1/calendar/{year}", hp_api_calendar_get, HP_ROLE_ANY, HP_BODY_NONE},

    {HP_POST, "/v1/vehicles", hp_api_vehicles_create, HP_ROLE_ANY, HP_BODY_JSON, true},
    {HP_GET, "/v1/vehicles", hp_api_vehicles_list, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_POST, "/v1/vehicles/import", hp_api_vehicles_import, HP_ROLE_ANY, HP_BODY_CSV, true},
    {HP_GET, "/v1/vehicles/{plate}", hp_api_vehicles_get, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_PATCH, "/v1/vehicles/{plate}", hp_api_vehicles_patch, HP_ROLE_ANY, HP_BODY_JSON},
    {HP_POST, "/v1/projects", hp_api_projects_create, HP_ROLE_POLICE, HP_BODY_JSON, true},
    {HP_GET, "/v1/projects", hp_api_projects_list, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_GET, "/v1/projects/{id}", hp_api_projects_get, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_PATCH, "/v1/projects/{id}", hp_api_projects_patch, HP_ROLE_POLICE, HP_BODY_JSON},

    {HP_POST, "/v1/applications", hp_api_applications_create, HP_ROLE_HAULIER | HP_ROLE_SITE,
     HP_BODY_JSON, true},
    {HP_GET, "/v1/applications", hp_api_applications_list, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_GET, "/v1/applications/{id}", hp_api_applications_get, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_POST, "/v1/applications/{id}/withdraw", hp_api_applications_withdraw,
     HP_ROLE_HAULIER | HP_ROLE_SITE, HP_BODY_NONE},
    {HP_POST, "/v1/applications/{id}/endorse", hp_api_applications_endorse, HP_ROLE_SITE,
     HP_BODY_NONE},
    {HP_POST, "/v1/applications/{id}/decision", hp_api_applications_decide, HP_ROLE_POLICE,
     HP_BODY_JSON},
    {HP_POST, "/v1/applications/{id}/documents", hp_api_applications_documents,
     HP_ROLE_HAULIER | HP_ROLE_SITE, HP_BODY_JSON},
    {HP_GET, "/v1/queue", hp_api_queue_list, HP_ROLE_POLICE, HP_BODY_NONE},
    {HP_POST, "/v1/queue/claim", hp_api_queue_claim, HP_ROLE_POLICE, HP_BODY_NONE},
    {HP_GET, "/v1/queue/stats", hp_api_queue_stats, HP_ROLE_POLICE, HP_BODY_NONE},
    {HP_GET, "/v1/passes", hp_api_passes_list, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_GET, "/v1/passes/{code}", hp_api_passes_get, HP_ROLE_ANY, HP_BODY_NONE},
    {HP_POST, "/v1/passes/{code}/revoke", hp_api_passes_revoke, HP_ROLE_POLICE, HP_BODY_JSON},
    /* Checks answer from memory, the caller included (check_feed.h). */
    {HP_POST, "/v1/checks/route", hp_api_checks_route, HP_ROLE_ANY, HP_BODY_JSON, false, true},
    {HP_POST, "/v1/checks/sightings", hp_api_checks_sightings, HP_ROLE_POLICE, HP_BODY_JSON,
     false, true},
    {0, NULL, NULL, 0, 0},
};
