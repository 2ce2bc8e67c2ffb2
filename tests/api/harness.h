/*
 * API test harness: each test binary gets its own database, cloned from the
 * migrated template, and its own `haulpass serve` on a free loopback port;
 * requests go over real HTTP with libcurl.
 *
 * Environment (set by tools/test): HAULPASS_BIN (the binary),
 * HAULPASS_TEST_PG (the server: conninfo or URI), HAULPASS_TEST_TEMPLATE
 * (the migrated template database), HAULPASS_PG_CTL (stops and starts the
 * cluster), HAULPASS_TEST_LOGS (where server logs go).
 */
#ifndef HP_API_HARNESS_H
#define HP_API_HARNESS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hp_t_server {
    pid_t pid;
    int port;
    char base[64];       /* http://127.0.0.1:PORT */
    char conninfo[1024]; /* the test database */
    char log[512];       /* the server's stderr */
};

struct hp_t_resp {
    long status;
    char *body;
    size_t len;
    cJSON *json;    /* NULL when the body is not JSON */
    char *headers;  /* raw header block */
};

/* The database and server of this binary, and an admin token. */
extern struct hp_t_server hp_t;
extern char hp_t_admin[64];

/* Creates the database and starts the server with extra environment
 * ("NAME=value", NULL-ended, may be NULL); 0 on success. */
int hp_t_setup(const char *const *extra_env);
void hp_t_teardown(void);

/* Starts (another) server on the test database; 0 on success. */
int hp_t_server_start(struct hp_t_server *s, const char *const *extra_env);
/* Sends SIGTERM and returns the exit status (-1: killed or timed out). */
int hp_t_server_stop(struct hp_t_server *s);

/* One request to the test server. body may be NULL; content_type NULL means
 * application/json when there is a body. headers: "Name: value", NULL-ended. */
struct hp_t_resp *hp_t_req(const char *method, const char *path, const char *token,
                           const char *content_type, const char *body, size_t len,
                           const char *const *headers);
/* Shorthands: JSON body text (may be NULL). */
struct hp_t_resp *hp_t_get(const char *path, const char *token);
struct hp_t_resp *hp_t_post(const char *path, const char *token, const char *json);
struct hp_t_resp *hp_t_on(struct hp_t_server *s, const char *method, const char *path,
                          const char *token, const char *json);
void hp_t_free(struct hp_t_resp *r);

/* The value of a response header (case-insensitive), in static storage per
 * call, or NULL. */
const char *hp_t_header(const struct hp_t_resp *r, const char *name);

/* A string member of r->json at a dotted path ("user.name"), or NULL. */
const char *hp_t_str(const struct hp_t_resp *r, const char *path);

/* Creates a user through the command line; returns its token (static
 * buffer per call: copy it). */
const char *hp_t_user_add(const char *org, const char *kind, const char *role,
                          const char *name);

/* A user made with hp_t_user_add: its token, user id and organisation id
 * (empty strings when it could not be made). */
struct hp_t_who {
    char token[128], id[64], org[64];
};
struct hp_t_who hp_t_who_add(const char *org, const char *kind, const char *role,
                             const char *name);

/* Registers a heavy truck with plate for the organisation of token. */
void hp_t_vehicle_add(const char *token, const char *plate);

/* POSTs body to path as token and checks that it answered 201; copies the
 * new resource's id into id ("" when it failed). */
void hp_t_create(const char *path, const char *token, const char *body, char id[64]);

/* Creates a project (by token, an officer's or admin's) of site_org with
 * liaison officer_id; copies its id into id ("" when it failed). */
void hp_t_project_add(const char *token, const char *site_org, const char *officer_id,
                      char id[64]);

/* A connection to the test database (kept open), for checks in SQL. */
PGconn *hp_t_db(void);

/* The first column of the first row of sql as an integer (a count, say);
 * -1 when the query fails or has no rows. */
int hp_t_sql_int(const char *sql);

/* Runs a shell command; returns its exit status. */
int hp_t_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
