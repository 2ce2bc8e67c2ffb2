/*
 * The route table: {method, path pattern, handler, who may call, body kind,
 * and what the server must know of it}.
 * Patterns are literal segments and "{name}" parameters; matching is pure,
 * so it is unit tested without a server.
 */
#ifndef HAULPASS_ROUTER_H
#define HAULPASS_ROUTER_H

#include "haulpass/http.h"

enum hp_body_kind {
    HP_BODY_NONE, /* a body is ignored */
    HP_BODY_JSON, /* application/json, at most 1 MiB */
    HP_BODY_CSV,  /* text/csv, at most 1 MiB */
    HP_BODY_KML,  /* application/vnd.google-earth.kml+xml, at most 16 MiB */
};

typedef void (*hp_handler)(struct hp_request *req);

struct hp_route {
    enum hp_method method;
    const char *pattern;  /* e.g. "/v1/users/{id}/token" */
    hp_handler handler;
    int roles;            /* 0: public; else the roles that may call */
    enum hp_body_kind body;
    bool idempotent;      /* honours Idempotency-Key (a POST that creates) */
    bool snapshot_auth;   /* finds the caller in the check snapshot first */
    /* Answers from memory: runs on a network thread and never waits on
     * PostgreSQL. Every other route runs on a database worker, which
     * holds a connection for it (req->db) before the handler starts. */
    bool in_memory;
    /* Runs on a database worker, but also when no connection can be had
     * (req->db is then NULL): /metrics must answer while the database is
     * away, which is when an operator most needs it. */
    bool db_optional;
    /* Reads only, and may lag the primary a little: on an instance with a
     * standby (HAULPASS_DB_READ) it runs there, so it still answers while
     * the primary is away (docs/contract.md section 15). */
    bool reads_standby;
    /* Tries first on the network thread, once the body is in, to answer
     * from memory; a request it leaves unanswered goes on to a worker and
     * handler (hp_api_verify_from_memory: a code checked before). */
    hp_handler from_memory;
    /* A 2xx answer changed what the checks read (zones, vehicles, passes,
     * the calendar, accounts): the check snapshot is marked stale before
     * the reply leaves, so the caller's next check sees the change. */
    bool stales_snapshot;
    /* Open to the world: each client address may call the public routes
     * HAULPASS_PUBLIC_RATE times a second (burst 5x), else 429. */
    bool public_rate;
    /* The JSON body may be left out altogether (no Content-Type needed
     * then): an optional {reason} on a status change. */
    bool body_optional;
};

/* The service's routes, ended by an entry whose pattern is NULL. */
extern const struct hp_route hp_routes[];

/*
 * Finds the route for method and path in table. On a match returns its
 * index and stores the parameters (pointers into the arena copy made here);
 * on none returns -1 and sets *allowed to the methods that the path does
 * accept (0: the path is unknown, so 404 rather than 405).
 */
int hp_router_match(const struct hp_route *table, struct hp_arena *arena,
                    enum hp_method method, const char *path,
                    const char *params[HP_MAX_PARAMS], int *allowed);

/* "GET, HEAD, POST" for a method mask, in arena memory. */
const char *hp_router_allow_header(struct hp_arena *arena, int methods);

/* The method's name, or NULL for a method the service does not serve. */
enum hp_method hp_method_from_name(const char *name);

#endif
