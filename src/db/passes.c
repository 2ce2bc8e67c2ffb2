/* SQL of passes. */
#include "haulpass/passes.h"

#include "haulpass/db_exec.h"
#include "json_arrays.h"

#include "haulpass/arena.h"
#include "haulpass/log.h"
#include "haulpass/pass_token.h"
#include "haulpass/signing_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASS_COLS                                                                       \
    "p.code, p.plate, p.type, p.status, p.application_id, to_json(p.zone_ids)::text,"   \
    " ST_AsGeoJSON(p.corridor_route, 15), p.corridor_width_m,"                          \
    " to_char(p.valid_from, 'YYYY-MM-DD'), to_char(p.valid_to, 'YYYY-MM-DD'), p.hours,"  \
    " p.project_id, p.revoke_reason, hp_us(p.issued_at), hp_us(p.documents_due),"       \
    " hp_us(p.revoked_at), p.revision, p.signed_code, hp_us(p.revised_at), p.revised_by,"  \
    " p.revision_application_id, p.revise_reason, to_json(p.revise_changes)::text,"      \
    " p.extensions, o.org_id, o.fast_track, p.cargo::text"

/* The application that first issued pass p, for PASS_COLS. */
#define PASS_FROM " FROM passes p JOIN applications o ON o.id = p.application_id"

/* Who sees pass p: all when $N is NULL, else the organisation that applied
 * for it or that owns the vehicle now. */
#define PASS_VISIBLE(n)                                                                 \
    "(" n "::uuid IS NULL"                                                               \
    " OR EXISTS (SELECT 1 FROM applications a WHERE a.id = p.application_id"            \
    "             AND a.org_id = " n "::uuid)"                                           \
    " OR EXISTS (SELECT 1 FROM vehicles v WHERE v.plate = p.plate"                      \
    "             AND v.org_id = " n "::uuid))"

static void read_pass(struct hp_arena *arena, const PGresult *r, int row, struct hp_pass *p)
{
    p->code = PQgetvalue(r, row, 0);
    p->plate = PQgetvalue(r, row, 1);
    p->type = PQgetvalue(r, row, 2);
    p->status = PQgetvalue(r, row, 3);
    p->application_id = PQgetvalue(r, row, 4);
    p->zone_ids = hp_db_json_strings(arena, hp_db_text(r, row, 5), &p->nzones);
    p->corridor = hp_db_text(r, row, 6);
    p->corridor_width_m = PQgetisnull(r, row, 7) ? 0 : atoi(PQgetvalue(r, row, 7));
    p->valid_from = PQgetvalue(r, row, 8);
    p->valid_to = PQgetvalue(r, row, 9);
    p->hours = hp_db_text(r, row, 10);
    p->project_id = hp_db_text(r, row, 11);
    p->revoke_reason = hp_db_text(r, row, 12);
    p->issued_us = hp_db_int64(r, row, 13);
    p->documents_due_us = hp_db_int64(r, row, 14);
    p->revoked_us = hp_db_int64(r, row, 15);
    p->revision = atoi(PQgetvalue(r, row, 16));
    p->signed_code = hp_db_text(r, row, 17);
    p->revised_us = hp_db_int64(r, row, 18);
    p->revised_by = hp_db_text(r, row, 19);
    p->revision_application_id = hp_db_text(r, row, 20);
    p->revise_reason = hp_db_text(r, row, 21);
    p->revise_changes = hp_db_text(r, row, 22);
    p->extensions = atoi(PQgetvalue(r, row, 23));
    p->holder_org_id = PQgetvalue(r, row, 24);
    p->fast_track = strcmp(PQgetvalue(r, row, 25), "t") == 0;
    p->cargo = hp_db_text(r, row, 26);
}

static struct hp_sql sweep_sql = HP_SQL("passes_sweep",
    "UPDATE passes SET status = CASE WHEN valid_to < $1::date THEN 'expired'"
    "                                ELSE 'suspended' END"
    " WHERE (status = 'provisional' AND documents_due <= clock_timestamp())"
    "    OR (status IN ('active', 'provisional', 'suspended') AND valid_to < $1::date)");

enum hp_db_status hp_passes_sweep(struct hp_db *db, struct hp_arena *arena, const char *today)
{
    PGresult *r;
    const char *params[] = {today};
    return hp_db_exec(db, arena, &sweep_sql, 1, params, &r);
}

static struct hp_sql list_sql = HP_SQL("passes_list",
    "SELECT " PASS_COLS PASS_FROM
    " WHERE " PASS_VISIBLE("$1") " AND ($2::text IS NULL OR p.plate = $2)"
    "   AND ($3::text IS NULL OR (p.issued_at, p.code)"
    "        > (SELECT issued_at, code FROM passes WHERE code = $3))"
    " ORDER BY p.issued_at, p.code LIMIT $4::int");

enum hp_db_status hp_passes_list(struct hp_db *db, struct hp_arena *arena, const char *org_id,
                                 const char *plate, const char *after, int limit,
                                 struct hp_pass *out, int *n)
{
    PGresult *r;
    const char *params[] = {org_id, plate, after, hp_arena_printf(arena, "%d", limit)};
    enum hp_db_status st = hp_db_exec(db, arena, &list_sql, 4, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < limit; i++)
        read_pass(arena, r, i, &out[(*n)++]);
    return st;
}

static struct hp_sql get_sql = HP_SQL("passes_get",
    "SELECT " PASS_COLS PASS_FROM " WHERE p.code = $1 AND " PASS_VISIBLE("$2"));

enum hp_db_status hp_passes_get(struct hp_db *db, struct hp_arena *arena, const char *code,
                                const char *org_id, struct hp_pass *out)
{
    PGresult *r;
    const char *params[] = {code, org_id};
    enum hp_db_status st = hp_db_exec(db, arena, &get_sql, 2, params, &r);
    if (st == HP_DB_ROWS)
        read_pass(arena, r, 0, out);
    return st;
}

/* One row (the pass exists) saying whether it was revoked now. */
static struct hp_sql revoke_sql = HP_SQL("passes_revoke",
    "WITH cur AS (SELECT * FROM passes WHERE code = $1 FOR UPDATE),"
    "     u AS (UPDATE passes p SET status = 'revoked', revoked_at = clock_timestamp(),"
    "             revoked_by = $2::uuid, revoke_reason = $3"
    "             FROM cur WHERE p.code = cur.code"
    "              AND cur.status IN ('active', 'provisional', 'suspended')"
    "           RETURNING p.*),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "            SELECT $2::uuid, 'pass', u.code, 'revoke',"
    "                   to_jsonb(cur) - 'corridor_route', to_jsonb(u) - 'corridor_route'"
    "              FROM u, cur)"
    "SELECT EXISTS (SELECT 1 FROM u) FROM cur");

enum hp_db_status hp_passes_revoke(struct hp_db *db, struct hp_arena *arena, const char *code,
                                   const char *actor, const char *reason, bool *changed,
                                   struct hp_pass *out)
{
    PGresult *r;
    const char *params[] = {code, actor, reason};
    enum hp_db_status st = hp_db_exec(db, arena, &revoke_sql, 3, params, &r);
    *changed = st == HP_DB_ROWS && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    if (st != HP_DB_ROWS)
        return st;
    return hp_passes_get(db, arena, code, NULL, out);
}

/* Marks the document provided when it is one of the missing ones; one
 * row: whether it was, and whether all missing ones are now provided. */
static struct hp_sql supply_sql = HP_SQL("passes_supply",
    "WITH cur AS (SELECT * FROM applications WHERE id = $1::uuid AND org_id = $2::uuid"
    "               FOR UPDATE),"
    "     ok AS (SELECT cur.id FROM cur WHERE $4 = ANY (cur.missing_documents)),"
    "     u AS (UPDATE applications a SET version = a.version + 1, documents ="
    "             (SELECT jsonb_agg(CASE WHEN d->>'name' = $4"
    "                                    THEN jsonb_set(d, '{provided}', 'true') ELSE d END"
    "                               ORDER BY n)"
    "                FROM jsonb_array_elements(a.documents) WITH ORDINALITY x(d, n))"
    "             FROM ok WHERE a.id = ok.id RETURNING a.*),"
    "     au AS (INSERT INTO audit (actor_id, entity, entity_id, action, before, after)"
    "            SELECT $3::uuid, 'application', u.id::text, 'supply-document',"
    "                   jsonb_build_object('documents', cur.documents),"
    "                   jsonb_build_object('documents', u.documents) FROM u, cur)"
    "SELECT EXISTS (SELECT 1 FROM ok),"
    "       coalesce((SELECT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(u.documents) d"
    "                                     WHERE d->>'name' = ANY (u.missing_documents)"
    "                                       AND NOT (d->>'provided')::boolean) FROM u), false)"
    "  FROM cur");

/* The provisional passes of an application whose documents are all in:
 * active when the documents came in time; suspended when they came after
 * documents_due, expired after valid_to (what the sweep would have made
 * them: a late document must not bring a pass back, only a new decision
 * may). */
static struct hp_sql activate_sql = HP_SQL("passes_activate",
    "WITH u AS (UPDATE passes SET status = CASE WHEN valid_to < $3::date THEN 'expired'"
    "                                           WHEN documents_due <= clock_timestamp()"
    "                                           THEN 'suspended' ELSE 'active' END"
    /* An amendment approved provisionally made a revision of a pass whose
     * application_id is the first application's: match it too. */
    "            WHERE (application_id = $1::uuid OR revision_application_id = $1::uuid)"
    "              AND status = 'provisional'"
    "            RETURNING code, status)"
    "INSERT INTO audit (actor_id, entity, entity_id, action, after)"
    " SELECT $2::uuid, 'pass', code,"
    "        CASE status WHEN 'active' THEN 'activate' WHEN 'expired' THEN 'expire'"
    "                    ELSE 'suspend' END,"
    "        jsonb_build_object('status', status)"
    "   FROM u");

enum hp_db_status hp_passes_supply(struct hp_db *db, struct hp_arena *arena, const char *id,
                                   const char *org_id, const char *actor, const char *name,
                                   const char *today, enum hp_supply_outcome *outcome)
{
    PGresult *r;
    const char *params[] = {id, org_id, actor, name};
    enum hp_db_status st = hp_db_exec(db, arena, &supply_sql, 4, params, &r);
    *outcome = HP_SUPPLY_NOT_FOUND;
    if (st != HP_DB_ROWS)
        return st;
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        *outcome = HP_SUPPLY_NOT_MISSING;
        return st;
    }
    *outcome = HP_SUPPLY_DONE;
    if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        return st;
    const char *p2[] = {id, actor, today};
    st = hp_db_exec(db, arena, &activate_sql, 3, p2, &r);
    return st < 0 ? st : HP_DB_ROWS;
}

/* The passes still without a signed code of application $1 or code $2,
 * unless key $3 is retired (a key not yet published is not). */
static struct hp_sql unsigned_sql = HP_SQL("passes_unsigned",
    "SELECT " PASS_COLS PASS_FROM
    " WHERE p.signed_code IS NULL AND (p.application_id = $1::uuid OR p.code = $2)"
    "   AND NOT EXISTS (SELECT 1 FROM signing_keys k"
    "                    WHERE k.kid = $3 AND k.retired_at IS NOT NULL)"
    " ORDER BY p.code FOR UPDATE OF p");

/* Stores the codes, publishing key $3 ($4: its public key) on the way in
 * case the database was away when the service started: the foreign key
 * is checked at the end of the statement, after the insert. A key retired
 * meanwhile (by another instance) stores nothing. */
static struct hp_sql set_signed_sql = HP_SQL("passes_set_signed",
    "WITH k AS (INSERT INTO signing_keys (kid, public_key) VALUES ($3, $4)"
    "           ON CONFLICT DO NOTHING)"
    "UPDATE passes p SET signed_code = x.s, kid = $3"
    "  FROM unnest(ARRAY(SELECT json_array_elements_text($1::json)),"
    "              ARRAY(SELECT json_array_elements_text($2::json))) x(code, s)"
    " WHERE p.code = x.code AND p.signed_code IS NULL"
    "   AND NOT EXISTS (SELECT 1 FROM signing_keys r"
    "                    WHERE r.kid = $3 AND r.retired_at IS NOT NULL)");

/* The written pass i of w as the claims key signs (with coverage, the
 * digest all of w's passes share); false when a field does not fit the
 * layout (a plate over 32 bytes). */
static bool claims_of(const struct hp_passes_written *w, int i, uint32_t kid,
                      const unsigned char coverage[HP_PASS_TOKEN_COVERAGE],
                      struct hp_pass_claims *c)
{
    memset(c, 0, sizeof(*c));
    if (strlen(w->plates[i]) > HP_PASS_TOKEN_PLATE_MAX ||
        strlen(w->codes[i]) != HP_PASS_CODE_LEN)
        return false;
    c->kid = kid;
    memcpy(c->code, w->codes[i], HP_PASS_CODE_BUF);
    c->revision = (unsigned)w->revision;
    snprintf(c->plate, sizeof(c->plate), "%s", w->plates[i]);
    c->type = w->type;
    snprintf(c->valid_from, sizeof(c->valid_from), "%s", w->valid_from);
    snprintf(c->valid_to, sizeof(c->valid_to), "%s", w->valid_to);
    c->issued_s = w->issued_us / 1000000;
    memcpy(c->coverage, coverage, HP_PASS_TOKEN_COVERAGE);
    return true;
}

/* The one pass p as written: a revision's code is issued when the
 * revision is made. */
static void written_of(const struct hp_pass *p, struct hp_passes_written *w)
{
    *w = (struct hp_passes_written){
        .codes = &p->code, .plates = &p->plate, .n = 1, .type = p->type,
        .valid_from = p->valid_from, .valid_to = p->valid_to,
        .zone_ids = p->zone_ids, .nzones = p->nzones, .corridor = p->corridor,
        .corridor_width_m = p->corridor_width_m, .hours = p->hours, .revision = p->revision,
        .issued_us = p->revised_us ? p->revised_us : p->issued_us};
}

/* Signs w's passes into codes/texts from *k on (arena memory); those that
 * do not fit the layout are left out, with a warning. False when out of
 * memory. */
static bool sign_all(struct hp_arena *arena, const struct hp_signing_key *key,
                     const struct hp_passes_written *w, const char **codes, const char **texts,
                     int *k)
{
    unsigned char coverage[HP_PASS_TOKEN_COVERAGE];
    if (!hp_pass_token_coverage(w->zone_ids, w->nzones, w->corridor,
                                w->corridor_width_m, w->hours, coverage))
        return false;
    for (int i = 0; i < w->n; i++) {
        struct hp_pass_claims c;
        char *text = hp_arena_alloc(arena, HP_PASS_TOKEN_BUF);
        if (!claims_of(w, i, key->kid, coverage, &c) || !hp_pass_token_sign(&c, key->pkey, text)) {
            /* Plates (plate.h) and types (the schema) always fit: this is
             * a new type the layout does not number yet. */
            hp_log(HP_LOG_WARN, "pass not signed: a field does not fit the code", "code",
                   w->codes[i], NULL);
            continue;
        }
        codes[*k] = w->codes[i];
        texts[(*k)++] = text;
    }
    return true;
}

/* The k codes signed with key as the statements that store them take
 * them; false when out of memory. */
static bool signed_of(struct hp_arena *arena, const struct hp_signing_key *key,
                      const char **codes, const char **texts, int k,
                      struct hp_passes_signed *out)
{
    char *pub = hp_arena_alloc(arena, 64);
    hp_base64url_encode(key->public_key, 32, pub);
    *out = (struct hp_passes_signed){.codes_json = hp_db_json_of_strings(arena, codes, k),
                                     .texts_json = hp_db_json_of_strings(arena, texts, k),
                                     .kid_hex = key->kid_hex, .public_key = pub, .n = k};
    return out->codes_json && out->texts_json;
}

/* Stores the signed codes s: one statement. */
static enum hp_db_status store_signed(struct hp_db *db, struct hp_arena *arena,
                                      const struct hp_passes_signed *s)
{
    if (!s->n)
        return HP_DB_NO_ROWS;
    PGresult *r;
    const char *params[] = {s->codes_json, s->texts_json, s->kid_hex, s->public_key};
    enum hp_db_status st = hp_db_exec(db, arena, &set_signed_sql, 4, params, &r);
    return st == HP_DB_ROWS && atoi(PQcmdTuples(r)) == 0 ? HP_DB_NO_ROWS : st;
}

enum hp_db_status hp_passes_sign(struct hp_db *db, struct hp_arena *arena,
                                 const struct hp_signing_key *key, const char *application_id,
                                 const char *code)
{
    if (!key || !key->pkey)
        return HP_DB_NO_ROWS;
    PGresult *r;
    const char *params[] = {application_id, code, key->kid_hex};
    enum hp_db_status st = hp_db_exec(db, arena, &unsigned_sql, 3, params, &r);
    if (st != HP_DB_ROWS)
        return st;
    int n = PQntuples(r), k = 0;
    const char **codes = hp_arena_calloc(arena, (size_t)n, sizeof(*codes));
    const char **texts = hp_arena_calloc(arena, (size_t)n, sizeof(*texts));
    for (int i = 0; i < n; i++) {
        struct hp_pass p;
        struct hp_passes_written w;
        read_pass(arena, r, i, &p);
        written_of(&p, &w);
        if (!sign_all(arena, key, &w, codes, texts, &k))
            return HP_DB_HARD_ERROR;
    }
    struct hp_passes_signed s = {0};
    if (k && !signed_of(arena, key, codes, texts, k, &s))
        return HP_DB_HARD_ERROR;
    return store_signed(db, arena, &s);
}

bool hp_passes_sign_ahead(struct hp_arena *arena, const struct hp_signing_key *key,
                          const struct hp_passes_written *w, struct hp_passes_signed *out)
{
    *out = (struct hp_passes_signed){0};
    if (!key || !key->pkey || w->n <= 0)
        return true;
    int k = 0;
    const char **codes = hp_arena_calloc(arena, (size_t)w->n, sizeof(*codes));
    const char **texts = hp_arena_calloc(arena, (size_t)w->n, sizeof(*texts));
    if (!sign_all(arena, key, w, codes, texts, &k))
        return false;
    return !k || signed_of(arena, key, codes, texts, k, out);
}

enum hp_db_status hp_passes_sign_written(struct hp_db *db, struct hp_arena *arena,
                                         const struct hp_signing_key *key,
                                         const struct hp_passes_written *w)
{
    struct hp_passes_signed s;
    if (!hp_passes_sign_ahead(arena, key, w, &s))
        return HP_DB_HARD_ERROR;
    return store_signed(db, arena, &s);
}

/* The key $1 and the pass $2 as they stand ($3: today, local); what a
 * printed revision $4 said of hours, zones and corridor comes from that
 * revision when a later one has superseded it (its bearer holds it, not
 * the new one). */
static struct hp_sql verify_sql = HP_SQL("passes_verify",
    "SELECT k.public_key, hp_us(k.retired_at), p.code IS NOT NULL, p.revision,"
    "       CASE WHEN p.status IN ('active', 'provisional', 'suspended')"
    "                 AND p.valid_to < $3::date THEN 'expired'"
    "            WHEN p.status = 'provisional' AND p.documents_due <= clock_timestamp()"
    "            THEN 'suspended' ELSE p.status END,"
    "       p.plate, p.type, to_char(p.valid_from, 'YYYY-MM-DD'),"
    "       to_char(p.valid_to, 'YYYY-MM-DD'),"
    "       CASE WHEN r.code IS NULL THEN p.hours ELSE r.hours END, hp_us(p.documents_due),"
    "       to_json(ARRAY(SELECT z.name"
    "                       FROM unnest(CASE WHEN r.code IS NULL THEN p.zone_ids"
    "                                        ELSE r.zone_ids END) WITH ORDINALITY u(id, i)"
    "                      JOIN zones z ON z.id = u.id ORDER BY u.i))::text,"
    "       CASE WHEN r.code IS NULL THEN p.corridor_route ELSE r.corridor_route END IS NOT NULL"
    "  FROM signing_keys k LEFT JOIN passes p ON p.code = $2"
    "  LEFT JOIN pass_revisions r ON r.code = p.code AND r.revision = $4::int"
    "                            AND r.revision < p.revision"
    " WHERE k.kid = $1");

enum hp_db_status hp_passes_verify_lookup(struct hp_db *db, struct hp_arena *arena,
                                          const char *kid, const char *code, int revision,
                                          const char *today, struct hp_pass_now *out)
{
    PGresult *r;
    char rev[16];
    snprintf(rev, sizeof(rev), "%d", revision);
    const char *params[] = {kid, code, today, rev};
    enum hp_db_status st = hp_db_exec(db, arena, &verify_sql, 4, params, &r);
    memset(out, 0, sizeof(*out));
    if (st != HP_DB_ROWS)
        return st;
    out->public_key = PQgetvalue(r, 0, 0);
    out->key_retired_us = hp_db_int64(r, 0, 1);
    out->found = strcmp(PQgetvalue(r, 0, 2), "t") == 0;
    if (!out->found)
        return st;
    out->revision = atoi(PQgetvalue(r, 0, 3));
    out->status = PQgetvalue(r, 0, 4);
    out->plate = PQgetvalue(r, 0, 5);
    out->type = PQgetvalue(r, 0, 6);
    out->valid_from = PQgetvalue(r, 0, 7);
    out->valid_to = PQgetvalue(r, 0, 8);
    out->hours = hp_db_text(r, 0, 9);
    out->documents_due_us = hp_db_int64(r, 0, 10);
    out->zone_names = hp_db_json_strings(arena, hp_db_text(r, 0, 11), &out->nzone_names);
    out->has_corridor = strcmp(PQgetvalue(r, 0, 12), "t") == 0;
    return st;
}

static struct hp_sql revocations_sql = HP_SQL("passes_revocations",
    "SELECT code, revision, status, hp_us(at) FROM ("
    "  SELECT code, revision, status, CASE status WHEN 'revoked' THEN revoked_at"
    "                                             ELSE suspended_at END AS at"
    "    FROM passes WHERE (status = 'revoked' AND revoked_at >= to_timestamp($1::bigint / 1e6))"
    "       OR (status = 'suspended' AND suspended_at >= to_timestamp($1::bigint / 1e6))"
    /* A revision an amendment replaced: its printed code stops at once. */
    "  UNION ALL SELECT code, revision, 'superseded', superseded_at FROM pass_revisions"
    "    WHERE superseded_at >= to_timestamp($1::bigint / 1e6)) x"
    " ORDER BY at, code, revision LIMIT $2::int");

enum hp_db_status hp_passes_revocations(struct hp_db *db, struct hp_arena *arena,
                                        int64_t since_us, int max,
                                        struct hp_revocation *out, int *n)
{
    PGresult *r;
    const char *params[] = {hp_arena_printf(arena, "%lld", (long long)since_us),
                            hp_arena_printf(arena, "%d", max)};
    enum hp_db_status st = hp_db_exec(db, arena, &revocations_sql, 2, params, &r);
    *n = 0;
    if (st < 0)
        return st;
    for (int i = 0; i < PQntuples(r) && i < max; i++) {
        struct hp_revocation *v = &out[(*n)++];
        v->code = PQgetvalue(r, i, 0);
        v->revision = atoi(PQgetvalue(r, i, 1));
        v->status = PQgetvalue(r, i, 2);
        v->at_us = hp_db_int64(r, i, 3);
    }
    return st;
}

/* The shapes of pass $1's map: its zones (in the pass's order) and its
 * corridor buffered to its width, as SVG path data (ST_AsSVG: y is
 * negated), x scaled by the cosine of their middle latitude so the map is
 * not stretched; and their common extent in the same units. */
static struct hp_sql shapes_sql = HP_SQL("passes_map_shapes",
    "WITH p AS (SELECT * FROM passes WHERE code = $1),"
    "     s AS (SELECT z.name, z.geom::geometry AS geom, u.i"
    "             FROM p, unnest(p.zone_ids) WITH ORDINALITY u(id, i)"
    "             JOIN zones z ON z.id = u.id"
    "           UNION ALL"
    "           SELECT NULL, ST_Buffer(p.corridor_route::geography,"
    "                                  greatest(p.corridor_width_m, 10) / 2.0)::geometry, 0"
    "             FROM p WHERE p.corridor_route IS NOT NULL),"
    "     k AS (SELECT cos(radians(ST_Y(ST_Centroid(ST_Extent(geom)::geometry)))) AS c FROM s),"
    "     t AS (SELECT s.name, s.i, ST_Affine(s.geom, k.c, 0, 0, 1, 0, 0) AS g FROM s, k),"
    "     e AS (SELECT ST_Extent(g) AS b FROM t)"
    "SELECT t.name, ST_AsSVG(t.g, 0, 6), ST_XMin(e.b), ST_YMax(e.b),"
    "       ST_XMax(e.b) - ST_XMin(e.b), ST_YMax(e.b) - ST_YMin(e.b)"
    "  FROM t, e ORDER BY t.i LIMIT $2::int");

enum hp_db_status hp_passes_map(struct hp_db *db, struct hp_arena *arena, const char *code,
                               int max, struct hp_pass_shape *out, int *n,
                               struct hp_pass_extent *extent)
{
    PGresult *r;
    const char *params[] = {code, hp_arena_printf(arena, "%d", max)};
    enum hp_db_status st = hp_db_exec(db, arena, &shapes_sql, 2, params, &r);
    *n = 0;
    memset(extent, 0, sizeof(*extent));
    if (st != HP_DB_ROWS)
        return st;
    for (int i = 0; i < PQntuples(r) && i < max; i++) {
        if (PQgetisnull(r, i, 1))
            continue;
        out[*n].name = hp_db_text(r, i, 0);
        out[(*n)++].path = PQgetvalue(r, i, 1);
    }
    extent->min_x = strtod(PQgetvalue(r, 0, 2), NULL);
    extent->min_y = -strtod(PQgetvalue(r, 0, 3), NULL);
    extent->width = strtod(PQgetvalue(r, 0, 4), NULL);
    extent->height = strtod(PQgetvalue(r, 0, 5), NULL);
    return st;
}
