/*
 * API test harness: each test binary gets its own database, cloned from the
 * migrated template, and its own `haulpass serve` on a free loopback port;
 * requests go over real HTTP with libcurl.
 *
 * Environment (set by tools/test): HAULPASS_BIN (the binary),
 * HAULPASS_TEST_PG (the server: conninfo or URI), HAULPASS_TEST_TEMPLATE
 * (the migrated template database), HAULPASS_PG_CTL (stops and starts the
 * cluster), HAULPASS_TEST_LOGS (where server logs go), HAULPASS_SIGNING_KEY
 * (the key servers sign pass codes with; made per binary when unset).
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

/* Today in the service's time zone (HAULPASS_TZ, Asia/Shanghai by default),
 * as SQL: the test cluster's current_date is UTC's, a day behind between
 * 16:00 and 24:00 UTC. */
#define HP_T_LOCAL_TODAY "(now() AT TIME ZONE 'Asia/Shanghai')::date"

/* The database and server of this binary, and an admin token. */
extern struct hp_t_server hp_t;
extern char hp_t_admin[64];

/* Creates the database and starts the server with extra environment
 * ("NAME=value", NULL-ended, may be NULL); 0 on success. */
int hp_t_setup(const char *const *extra_env);
void hp_t_teardown(void);

/* Starts (another) server on the test database and waits until it is ready
 * (/readyz answers 200: its check snapshot is loaded); 0 on success, -1 with
 * a message on stderr when it exits, or is not ready within
 * HP_T_PATIENCE_MS. */
int hp_t_server_start(struct hp_t_server *s, const char *const *extra_env);
/* The same, but returns as soon as /healthz answers: for a test that keeps
 * the server from loading its snapshot on purpose. */
int hp_t_server_start_unready(struct hp_t_server *s, const char *const *extra_env);
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

/* Sends len bytes exactly as they are (a request curl would not write: a
 * NUL in a header, an absolute-form target) on a new connection to the
 * test server, and reads the answer until the server closes it, so the
 * request should say "Connection: close". Status 0 when no answer came;
 * headers holds the status line and the header lines. */
struct hp_t_resp *hp_t_raw(const char *bytes, size_t len);

/* The value of a response header (case-insensitive), or NULL; in static
 * storage that the fifth call after this one reuses. */
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

/* Registers a heavy truck (31 t) with plate for the organisation of
 * token, through the test server or through s; the answer's status. */
int hp_t_vehicle_add(const char *token, const char *plate);
int hp_t_vehicle_add_on(struct hp_t_server *s, const char *token, const char *plate);

/* Whether no change that server s knows of waits to reach its check
 * snapshot (haulpass_zone_snapshot_behind_seconds is 0). */
bool hp_t_snapshot_caught_up(struct hp_t_server *s);

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
/* Runs sql in the test database (as another instance or a person at psql
 * would); false, after printing PostgreSQL's message, when it failed. */
bool hp_t_sql_ok(const char *sql);

/* Waiting on other processes. A test never relies on another process (a
 * second server, the server's loader thread, PostgreSQL, the access log) having
 * acted within a fixed time: it polls for the condition, and gives up only
 * after HP_T_PATIENCE_MS, which a loaded machine does not reach. */
#define HP_T_PATIENCE_MS 30000
/* The bound of an assertion about latency ("a change reaches another
 * instance within a second"): generous, so that a loaded machine (tests
 * run while other builds and benchmarks share the CPUs) does not break it;
 * a change that does not arrive at all, or only with some later event,
 * still fails. */
#define HP_T_PROMPT_MS 10000

/* A monotonic clock in milliseconds; sleeps ms milliseconds. */
long long hp_t_now_ms(void);
void hp_t_sleep_ms(int ms);

/* Polls cond (an expression, evaluated again each time) every 10 ms until
 * it holds; records a test failure naming cond when it still does not hold
 * after HP_T_PATIENCE_MS. Needs test.h. */
#define HP_T_EVENTUALLY(cond)                                                    \
    do {                                                                         \
        long long t0_ = hp_t_now_ms();                                           \
        bool ok_;                                                                \
        while (!(ok_ = (cond)) && hp_t_now_ms() - t0_ < HP_T_PATIENCE_MS)        \
            hp_t_sleep_ms(10);                                                   \
        if (!ok_)                                                                \
            hp_test_fail(__FILE__, __LINE__, "still not true after %d s: %s",    \
                         HP_T_PATIENCE_MS / 1000, #cond);                        \
    } while (0)

/* Runs a shell command; returns its exit status. */
int hp_t_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
