/* POST /v1/vehicles/import: a fleet as CSV. Every row is checked as a
 * POST /v1/vehicles body would be; a bad row becomes an error of its own
 * and never stops the good ones. */
#include "haulpass/api.h"

#include "haulpass/arena.h"
#include "haulpass/csv.h"
#include "haulpass/json_body.h"
#include "haulpass/reply.h"
#include "haulpass/vehicle_input.h"
#include "haulpass/vehicles.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ROWS 5000

/* A data row that passed its checks. */
struct good {
    const char *plate;
    int line;
    cJSON *fields;
    bool created;
};

/* The errors of one row, joined into one message. */
struct row_errors {
    struct hp_arena *arena;
    char *message;
};

static void on_row_error(void *ctx, const char *pointer, const char *message)
{
    struct row_errors *e = ctx;
    const char *column = pointer[0] == '/' ? pointer + 1 : pointer;
    e->message = e->message
        ? hp_arena_printf(e->arena, "%s; %s: %s", e->message, column, message)
        : hp_arena_printf(e->arena, "%s: %s", column, message);
}

static void add_error(cJSON *errors, int line, const char *message)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "row", line);
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddItemToArray(errors, e);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Whether s is a decimal number: digits, an optional sign and fraction. */
static bool decimal(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s))
        s++;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

/* A cell as the JSON value a client would have sent: numbers and booleans
 * typed when they read as such, else the text (which the checks refuse). */
static cJSON *cell_value(const char *column, char *cell)
{
    char *s = trim(cell);
    switch (hp_vehicle_input_type(column)) {
    case HP_JSON_INT:
        if (decimal(s))
            return cJSON_CreateNumber(strtod(s, NULL));
        break;
    case HP_JSON_BOOL: {
        static const char *const yes[] = {"true", "yes", "y", "t", "1"};
        static const char *const no[] = {"false", "no", "n", "f", "0"};
        for (int i = 0; i < 5; i++) {
            if (strcasecmp(s, yes[i]) == 0)
                return cJSON_CreateTrue();
            if (strcasecmp(s, no[i]) == 0)
                return cJSON_CreateFalse();
        }
        break;
    }
    default:
        break;
    }
    return cJSON_CreateString(s);
}

/*
 * Reads the header into columns (indexes of hp_vehicle_input_field);
 * false after recording each problem with hp_req_invalid.
 */
static bool read_header(struct hp_request *req, const struct hp_csv_record *rec,
                        int columns[HP_CSV_MAX_FIELDS])
{
    if (rec->error) {
        hp_req_invalid(req, "", "the header row cannot be read: %s", rec->error);
        return false;
    }
    bool seen[HP_CSV_MAX_FIELDS] = {false}; /* by field; there are fewer fields */
    bool ok = true;
    for (int c = 0; c < rec->nfields; c++) {
        char *name = trim((char *)rec->field[c]);
        int f = 0;
        while (hp_vehicle_input_field(f) && strcasecmp(hp_vehicle_input_field(f), name) != 0)
            f++;
        if (!hp_vehicle_input_field(f)) {
            hp_req_invalid(req, "", "column %d \"%s\" of the header is not a known field", c + 1,
                           name);
            ok = false;
        } else if (seen[f]) {
            hp_req_invalid(req, "", "column %d \"%s\" appears twice in the header", c + 1, name);
            ok = false;
        } else {
            seen[f] = true;
            columns[c] = f;
        }
    }
    for (int f = 0; f < HP_VEHICLE_INPUT_REQUIRED; f++)
        if (!seen[f]) {
            hp_req_invalid(req, "", "the header has no column \"%s\"", hp_vehicle_input_field(f));
            ok = false;
        }
    return ok;
}

/* Blank lines and rows of empty cells (as spreadsheets write them) are
 * no rows at all. */
static bool empty_record(const struct hp_csv_record *rec)
{
    if (rec->blank)
        return true;
    if (rec->error)
        return false;
    for (int c = 0; c < rec->nfields; c++)
        if (*trim((char *)rec->field[c]))
            return false;
    return true;
}

/* Checks one data row; on success fills *g, else adds its error. */
static bool read_row(struct hp_request *req, const struct hp_csv_record *rec,
                     const int *columns, int ncolumns, cJSON *errors, struct good *g)
{
    if (rec->error) {
        add_error(errors, rec->line,
                  hp_arena_printf(req->arena, "the row cannot be read: %s", rec->error));
        return false;
    }
    if (rec->nfields > ncolumns) {
        add_error(errors, rec->line,
                  hp_arena_printf(req->arena, "has %d fields; the header has %d", rec->nfields,
                                  ncolumns));
        return false;
    }
    cJSON *obj = cJSON_CreateObject();
    for (int c = 0; c < rec->nfields; c++) {
        const char *column = hp_vehicle_input_field(columns[c]);
        char *cell = (char *)rec->field[c];
        if (*trim(cell))
            cJSON_AddItemToObject(obj, column, cell_value(column, cell));
    }
    struct row_errors e = {req->arena, NULL};
    g->fields = hp_vehicle_input_read(obj, HP_VEHICLE_INPUT_CREATE, "", on_row_error, &e);
    cJSON_Delete(obj);
    if (!g->fields) {
        add_error(errors, rec->line, e.message ? e.message : "is not valid");
        return false;
    }
    hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete, g->fields);
    g->plate = cJSON_GetObjectItemCaseSensitive(g->fields, "plate")->valuestring;
    g->line = rec->line;
    return true;
}

static int by_plate_then_line(const void *a, const void *b)
{
    const struct good *x = *(struct good *const *)a, *y = *(struct good *const *)b;
    int c = strcmp(x->plate, y->plate);
    return c ? c : x->line - y->line;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_row(const void *a, const void *b)
{
    const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
    return cJSON_GetObjectItem(x, "row")->valueint - cJSON_GetObjectItem(y, "row")->valueint;
}

/* Marks every later row with a plate already met earlier in the file as an
 * error; returns the first rows' count, which stay in rows (in order). */
static int drop_repeats(struct hp_request *req, struct good *rows, int n, cJSON *errors)
{
    struct good **sorted = hp_arena_calloc(req->arena, (size_t)n + 1, sizeof(*sorted));
    for (int i = 0; i < n; i++)
        sorted[i] = &rows[i];
    qsort(sorted, (size_t)n, sizeof(*sorted), by_plate_then_line);
    int first = 0; /* the first row of the current run of one plate */
    for (int i = 1; i < n; i++) {
        if (strcmp(sorted[i]->plate, sorted[first]->plate) == 0) {
            add_error(errors, sorted[i]->line,
                      hp_arena_printf(req->arena, "plate: %s appears already in row %d",
                                      sorted[i]->plate, sorted[first]->line));
            sorted[i]->line = -sorted[i]->line; /* dropped below */
        } else {
            first = i;
        }
    }
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].line > 0)
            rows[kept++] = rows[i];
    return kept;
}

/* Sorts the errors by row and builds the answer. */
static cJSON *answer(struct hp_request *req, const struct good *rows, int n, cJSON *errors)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *created = cJSON_AddArrayToObject(j, "created");
    for (int i = 0; i < n; i++)
        if (rows[i].created)
            cJSON_AddItemToArray(created, cJSON_CreateString(rows[i].plate));
    int ne = cJSON_GetArraySize(errors);
    cJSON **list = hp_arena_calloc(req->arena, (size_t)ne + 1, sizeof(*list));
    for (int i = 0; i < ne; i++)
        list[i] = cJSON_DetachItemFromArray(errors, 0);
    qsort(list, (size_t)ne, sizeof(*list), by_row);
    cJSON *sorted = cJSON_AddArrayToObject(j, "errors");
    for (int i = 0; i < ne; i++)
        cJSON_AddItemToArray(sorted, list[i]);
    return j;
}

/* Registers rows (distinct plates) and marks those made; the others were
 * registered before. False after replying. */
static bool insert(struct hp_request *req, const char *org, struct good *rows, int n,
                   cJSON *errors)
{
    if (n == 0)
        return true;
    cJSON *array = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemReferenceToArray(array, rows[i].fields);
    char *text = hp_arena_defer(req->arena, cJSON_free, cJSON_PrintUnformatted(array));
    cJSON_Delete(array);
    const char **plates = hp_arena_calloc(req->arena, (size_t)n, sizeof(*plates));
    int made;
    enum hp_vehicle_outcome outcome;
    enum hp_db_status st = hp_vehicles_import(req->db, req->arena, req->who->user_id, org, text,
                                              &outcome, plates, &made);
    if (st < 0) {
        hp_api_db_failed(req, st);
        return false;
    }
    if (outcome == HP_VEHICLE_BAD_ORG) {
        hp_reply_problem(req, 400, "bad-parameter",
                         "org_id must be the id of a haulier or site organisation");
        return false;
    }
    qsort(plates, (size_t)made, sizeof(*plates), by_string);
    for (int i = 0; i < n; i++) {
        rows[i].created =
            bsearch(&rows[i].plate, plates, (size_t)made, sizeof(*plates), by_string) != NULL;
        if (!rows[i].created)
            add_error(errors, rows[i].line,
                      hp_arena_printf(req->arena, "plate: %s is registered already",
                                      rows[i].plate));
    }
    return true;
}

void hp_api_vehicles_import(struct hp_request *req)
{
    const char *asked = hp_req_query(req, "org_id");
    if (asked && !hp_uuid_valid(asked)) {
        hp_reply_problem(req, 400, "bad-parameter", "org_id must be a UUID");
        return;
    }
    const char *why = NULL;
    const char *org = hp_vehicle_input_owner(req->who, asked, &why);
    if (!org) {
        hp_reply_problem(req, 400, "bad-parameter", "org_id %s", why);
        return;
    }
    struct hp_csv csv;
    struct hp_csv_record rec;
    char nothing[1] = "";
    hp_csv_init(&csv, req->body ? req->body : nothing, req->body_len);
    int columns[HP_CSV_MAX_FIELDS], ncolumns = 0;
    bool header = false;
    while (!header && hp_csv_next(&csv, &rec)) {
        if (rec.blank)
            continue;
        if (!read_header(req, &rec, columns)) {
            hp_reply_invalid(req);
            return;
        }
        header = true;
        ncolumns = rec.nfields;
    }
    if (!header) {
        hp_req_invalid(req, "", "the file is empty: a header row naming the columns comes first");
        hp_reply_invalid(req);
        return;
    }
    cJSON *errors = hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete,
                                   cJSON_CreateArray());
    struct good *rows = hp_arena_calloc(req->arena, MAX_ROWS, sizeof(*rows));
    int nrows = 0, ngood = 0;
    while (hp_csv_next(&csv, &rec)) {
        if (empty_record(&rec))
            continue;
        if (++nrows > MAX_ROWS) {
            hp_reply_problem(req, 413, "too-many-rows",
                             "the file holds more than %d data rows; nothing was registered: "
                             "split it into several files", MAX_ROWS);
            return;
        }
        if (read_row(req, &rec, columns, ncolumns, errors, &rows[ngood]))
            ngood++;
    }
    ngood = drop_repeats(req, rows, ngood, errors);
    if (!insert(req, org, rows, ngood, errors))
        return;
    hp_reply_json(req, 200, answer(req, rows, ngood, errors));
}
