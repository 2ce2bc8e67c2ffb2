/* The handlers of the route table (src/api/routes.c), one file per resource. */
#ifndef HAULPASS_API_H
#define HAULPASS_API_H

#include "haulpass/db.h"
#include "haulpass/http.h"

#include <cjson/cJSON.h>

/* ops.c */
void hp_api_healthz(struct hp_request *req);
void hp_api_readyz(struct hp_request *req);
void hp_api_metrics(struct hp_request *req);
void hp_api_openapi(struct hp_request *req);
void hp_api_debug_db_wait(struct hp_request *req);

/* orgs.c */
void hp_api_orgs_create(struct hp_request *req);
void hp_api_orgs_list(struct hp_request *req);
void hp_api_orgs_get(struct hp_request *req);

/* users.c */
void hp_api_users_create(struct hp_request *req);
void hp_api_users_rotate_token(struct hp_request *req);
void hp_api_users_list(struct hp_request *req);
void hp_api_me(struct hp_request *req);

/* zones.c, zones_import.c */
void hp_api_zones_create(struct hp_request *req);
void hp_api_zones_list(struct hp_request *req);
void hp_api_zones_get(struct hp_request *req);
void hp_api_zones_replace(struct hp_request *req);
void hp_api_zones_retire(struct hp_request *req);
void hp_api_zones_versions(struct hp_request *req);
void hp_api_zones_import(struct hp_request *req);

/* calendar.c */
void hp_api_calendar_replace(struct hp_request *req);
void hp_api_calendar_get(struct hp_request *req);

/* audit.c */
void hp_api_audit_list(struct hp_request *req);

/* vehicles.c, vehicles_import.c */
void hp_api_vehicles_create(struct hp_request *req);
void hp_api_vehicles_list(struct hp_request *req);
void hp_api_vehicles_get(struct hp_request *req);
void hp_api_vehicles_patch(struct hp_request *req);
void hp_api_vehicles_import(struct hp_request *req);

/* projects.c */
void hp_api_projects_create(struct hp_request *req);
void hp_api_projects_list(struct hp_request *req);
void hp_api_projects_get(struct hp_request *req);
void hp_api_projects_patch(struct hp_request *req);

/* applications.c */
void hp_api_applications_create(struct hp_request *req);
void hp_api_applications_list(struct hp_request *req);
void hp_api_applications_get(struct hp_request *req);
void hp_api_applications_withdraw(struct hp_request *req);
void hp_api_applications_endorse(struct hp_request *req);
void hp_api_applications_decide(struct hp_request *req);
void hp_api_applications_revoke(struct hp_request *req); /* road_works.c */
void hp_api_applications_documents(struct hp_request *req);
/* An application as the API shows it, with its history when history is
 * not NULL. */
struct hp_application;
struct hp_application_history;
/* Reads an application's body (POST /v1/applications) into in, for the
 * caller's organisation; false after replying 422. Pointers into body. */
struct hp_application_input;
bool hp_api_application_input(struct hp_request *req, const cJSON *body,
                              struct hp_application_input *in);

/* The cargo of an oversize application (oversize_cargo.c) into in->cargo:
 * required (NULL or absent is refused at /cargo); false after recording
 * why. */
bool hp_api_read_cargo(struct hp_request *req, const cJSON *cargo,
                       struct hp_application_input *in);
/* {length_mm, ..., escort_required} of cargo (JSON object text, NULL:
 * null), for an application's or a pass's answer. */
cJSON *hp_api_cargo_json(const char *cargo);

/* The works of a road-occupation application (road_works.c) into in
 * (works, works_area, works_width_m); false after recording why. works may
 * be NULL (then it records that it is required); docs: the application's
 * documents, one of which the works' plan must name. */
bool hp_api_read_works(struct hp_request *req, const cJSON *works, const cJSON *docs,
                       struct hp_application_input *in);

cJSON *hp_api_application_json(const struct hp_application *a,
                               const struct hp_application_history *history);
/* queue.c */
void hp_api_queue_list(struct hp_request *req);
void hp_api_queue_claim(struct hp_request *req);
void hp_api_queue_stats(struct hp_request *req);
/* passes.c */
void hp_api_passes_list(struct hp_request *req);
void hp_api_passes_get(struct hp_request *req);
void hp_api_passes_revoke(struct hp_request *req);
/* pass_codes.c, pass_print.c */
void hp_api_keys_list(struct hp_request *req);
void hp_api_verify(struct hp_request *req);
void hp_api_verify_from_memory(struct hp_request *req);
void hp_api_passes_revocations(struct hp_request *req);
void hp_api_passes_qr(struct hp_request *req);
void hp_api_passes_amend(struct hp_request *req);
void hp_api_passes_revisions(struct hp_request *req);
void hp_api_passes_print(struct hp_request *req);
void hp_api_print_css(struct hp_request *req);
/* The pass of the path (params[0]) as the caller may see it, signed first
 * when it has no signed code and the service has a key; false after
 * replying (404, 503). */
struct hp_pass;
bool hp_api_pass_for_code(struct hp_request *req, struct hp_pass *p);
/* A pass as the API shows it (passes.c). */
cJSON *hp_api_pass_json(const struct hp_pass *p);
/* Runs the lazy sweeps of passes (hp_passes_sweep) and of road works past
 * their last day (hp_roadworks_sweep) for today; false after replying when
 * the database failed. */
bool hp_api_sweep_lapsed(struct hp_request *req);
/* checks.c */
void hp_api_checks_route(struct hp_request *req);
void hp_api_checks_sightings(struct hp_request *req);
void hp_api_checks_zones(struct hp_request *req);

/* The route check of docs/contract.md §8 as the JSON of its answer (ops_route.h
 * gives it as structs, which is what other modules use): route is a
 * GeoJSON LineString, plate a vehicle's plate in any spelling, depart_us
 * the departure (µs since the epoch), speed_kmh 5-120. Returns the HTTP
 * status it amounts to: 200 with *answer (the caller frees it with
 * cJSON_Delete), 404 when no vehicle has the plate, 422 when the route or
 * speed is not valid, 503 before the zones are loaded, 500 when out of
 * memory. Reads the in-memory snapshot only: no database call. */
int hp_api_check_route_json(const cJSON *route, const char *plate, int64_t depart_us,
                            double speed_kmh, cJSON **answer);

/* escort_units.c, escort_book.c, escorts.c */
void hp_api_escort_units_create(struct hp_request *req);
void hp_api_escort_units_list(struct hp_request *req);
void hp_api_escort_units_schedule(struct hp_request *req);
void hp_api_escorts_book(struct hp_request *req);
void hp_api_escorts_list(struct hp_request *req);
void hp_api_escorts_get(struct hp_request *req);
void hp_api_escorts_confirm(struct hp_request *req);
void hp_api_escorts_cancel(struct hp_request *req);
void hp_api_escorts_complete(struct hp_request *req);
/* A booking as the API shows it, route_check included. */
struct hp_escort;
cJSON *hp_api_escort_json(const struct hp_escort *e);

/* Shared by the handlers (common.c). */

/* The JSON body of req as an object, or NULL after replying 400 (not JSON)
 * or 422 (not an object). Owned by the request. */
cJSON *hp_api_body(struct hp_request *req);

/* The optional body {reason} of a status change (withdraw, cancel,
 * retire): *reason is NULL when no body, {} or a null reason came; false
 * after replying 400 or 422. */
bool hp_api_optional_reason(struct hp_request *req, const char **reason);

/* Reads obj against spec (see hp_json_read), recording each error on req
 * with hp_req_invalid; true when there was none. */
struct hp_json_field;
bool hp_api_read(struct hp_request *req, const cJSON *obj, const struct hp_json_field *spec,
                 const char *prefix, const cJSON **out);

/* Reads ?limit= and ?cursor=; false after replying 400. */
bool hp_api_paging(struct hp_request *req, int *limit, const char **cursor);
/* hp_api_paging for lists whose cursor is the last row's UUID. */
bool hp_api_uuid_paging(struct hp_request *req, int *limit, const char **cursor);

/* A fresh bearer token (HP_TOKEN_LEN + 1 bytes) and its SHA-256 hex
 * (HP_SHA256_HEX_LEN + 1); false after replying 500. */
bool hp_api_new_token(struct hp_request *req, char token[], char hash[]);

/* The stored (scrypt) form of a new password into out (HP_PASSWORD_HASH_MAX
 * bytes); false after replying 500. */
bool hp_api_password_hash(struct hp_request *req, const char *password, char out[]);

/* {"items": items, "next_cursor": next or null}. */
cJSON *hp_api_page(cJSON *items, const char *next);

/* Adds key: the instant us in HAULPASS_TZ with its offset. */
void hp_api_add_time(cJSON *obj, const char *key, int64_t us);

/* Today's local date (HAULPASS_TZ) as YYYY-MM-DD. */
void hp_api_today(char out[11]);

/* JSON text the database stored (jsonb, GeoJSON) as a tree; null when the
 * text is NULL or does not parse. */
cJSON *hp_api_json_or_null(const char *text);

/* A GeoJSON position of two or three finite numbers, longitude then
 * latitude in range; false after recording why at ptr (hp_req_invalid). */
bool hp_api_read_position(struct hp_request *req, const cJSON *pos, const char *ptr);
/* The plates of array plates in normal form, each once: *n of them in
 * request memory; NULL after recording why under ptr ("/plates/3"). */
const char **hp_api_read_plates(struct hp_request *req, const cJSON *plates, const char *ptr,
                                int *n);
/* A GeoJSON geometry of type ("Point" or "LineString", 2 to 10,000
 * positions, no segment across the antimeridian) as clean text holding
 * only type and coordinates; NULL after recording why under ptr. */
const char *hp_api_read_geometry(struct hp_request *req, const cJSON *g, const char *type,
                                 const char *ptr);
/* opening_hours src in canonical form; NULL after recording at ptr why
 * and at which position it is not. */
const char *hp_api_read_hours(struct hp_request *req, const char *src, const char *ptr);
/* The caller's organisation when it is a haulier or site, whose own
 * resources are all it may see; NULL for officers and admins (all). */
const char *hp_api_own_org(const struct hp_request *req);
/* Replies for a failed database call: 503 when it is away, else 500. */
void hp_api_db_failed(struct hp_request *req, enum hp_db_status st);

/* Sign-in (sessions.c). */
void hp_api_sessions_create(struct hp_request *req);
void hp_api_sessions_delete_current(struct hp_request *req);
void hp_api_me_password(struct hp_request *req);
void hp_api_users_password(struct hp_request *req);
/* A new user with its token and, when password_hash is not NULL, its
 * password, in one transaction; statuses as hp_accounts_user_create's. */
struct hp_user;
enum hp_db_status hp_api_user_create(struct hp_db *db, struct hp_arena *arena,
                                     const char *actor_id, const char *org_id, const char *name,
                                     const char *role, const char *token_hash,
                                     const char *password_hash, struct hp_user *out);

/* ?bbox=west,south,east,north (degrees) of a list that takes one (only
 * with GeoJSON: allowed); *given is whether it was there. False after
 * replying 400 bad-parameter. (bbox.c) */
bool hp_api_read_bbox(struct hp_request *req, bool allowed, double bbox[4], bool *given);

/* Whether b is a box as RFC 7946 orders it: [west, south, east, north],
 * finite, within -180..180 and -90..90, west <= east, south <= north. The
 * one rule of ?bbox= and of a JSON body's "bbox". (bbox.c) */
bool hp_api_bbox_valid(const double b[4]);

/* GET /v1/zones/outlines (zone_outlines.c). */
void hp_api_zones_outlines(struct hp_request *req);

/* The restrictions as open data (public_restrictions.c). */
void hp_api_public_restrictions(struct hp_request *req);
void hp_api_public_restrictions_datex2(struct hp_request *req);

/* Webhooks and their delivery log (webhooks.c). */
void hp_api_webhooks_create(struct hp_request *req);
void hp_api_webhooks_list(struct hp_request *req);
void hp_api_webhooks_delete(struct hp_request *req);
void hp_api_webhooks_deliveries(struct hp_request *req);

/* The console (console.c): its page, its assets, its configuration. */
void hp_api_console_page(struct hp_request *req);
void hp_api_console_asset(struct hp_request *req);
void hp_api_console_config(struct hp_request *req);

#endif
