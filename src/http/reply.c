/* Building libmicrohttpd responses; problem+json for errors. The server
 * queues the one a request ends with (src/http/server.c). */
#include "haulpass/reply.h"

#include "haulpass/arena.h"
#include "haulpass/etag.h"
#include "haulpass/log.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int status;
    const char *title;
} titles[] = {
    {400, "Bad Request"},         {401, "Unauthorized"},
    {403, "Forbidden"},           {404, "Not Found"},
    {405, "Method Not Allowed"},  {409, "Conflict"},
    {412, "Precondition Failed"}, {413, "Content Too Large"},
    {415, "Unsupported Media Type"}, {422, "Unprocessable Content"},
    {428, "Precondition Required"}, {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {503, "Service Unavailable"},
};

static const char *title_of(int status)
{
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
        if (titles[i].status == status)
            return titles[i].title;
    return "Error";
}

void hp_reply_header(struct hp_request *req, const char *name, const char *value)
{
    if (req->nextra == HP_MAX_EXTRA_HEADERS) {
        hp_log(HP_LOG_ERROR, "too many response headers", "name", name, NULL);
        return;
    }
    req->extra_headers[req->nextra][0] = name;
    req->extra_headers[req->nextra][1] = value;
    req->nextra++;
}

/* Shows the coming reply to req->on_reply (once: only the first reply is sent). */
static void notify(struct hp_request *req, int status, const char *content_type,
                   const char *data, size_t len)
{
    if (req->on_reply && !req->status)
        req->on_reply(req, status, content_type, data, len);
}

static void queue(struct hp_request *req, int status, const char *content_type,
                  struct MHD_Response *resp)
{
    if (!resp) {
        /* libmicrohttpd could not allocate it: the server answers 503 itself. */
        hp_log(HP_LOG_ERROR, "out of memory making a response", "path", req->path, NULL);
        return;
    }
    if (req->status) {
        /* A second reply is a bug in a handler: keep the first. */
        hp_log(HP_LOG_ERROR, "second reply ignored", "path", req->path, NULL);
        MHD_destroy_response(resp);
        return;
    }
    if (content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    for (int i = 0; i < req->nextra; i++)
        MHD_add_response_header(resp, req->extra_headers[i][0], req->extra_headers[i][1]);
    req->status = status;
    /* The server hands it to libmicrohttpd on a network thread (a worker
     * thread may not queue it: the connection is suspended there). */
    req->response = resp;
}

void hp_reply_copy(struct hp_request *req, int status, const char *content_type,
                   const char *data, size_t len)
{
    notify(req, status, content_type, data, len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    queue(req, status, content_type, resp);
}

void hp_reply_static(struct hp_request *req, int status, const char *content_type,
                     const char *data, size_t len)
{
    notify(req, status, content_type, data, len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    queue(req, status, content_type, resp);
}

void hp_reply_shared(struct hp_request *req, int status, const char *content_type,
                     const char *data, size_t len, void (*release)(void *cls), void *cls)
{
    notify(req, status, content_type, data, len);
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(
        len, (void *)data, release, cls);
    if (!resp)
        release(cls);
    queue(req, status, content_type, resp);
}

void hp_etag_reply(struct hp_request *req, int version)
{
    hp_reply_header(req, "ETag", hp_etag_of(req->arena, version));
}

static void reply_cjson(struct hp_request *req, int status, const char *content_type,
                        cJSON *body)
{
    if (!body) {
        notify(req, status, NULL, "", 0);
        queue(req, status, NULL, MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT));
        return;
    }
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!text) {
        hp_reply_internal(req, "out of memory printing JSON");
        return;
    }
    notify(req, status, content_type, text, strlen(text));
    /* MHD frees the text with free() once sent. */
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen(text), text, MHD_RESPMEM_MUST_FREE);
    queue(req, status, content_type, resp);
}

void hp_reply_json(struct hp_request *req, int status, cJSON *body)
{
    reply_cjson(req, status, "application/json", body);
}

static void problem(struct hp_request *req, int status, const char *code,
                    const char *detail, cJSON *errors, cJSON *extra)
{
    cJSON *p = cJSON_CreateObject();
    char type[96];
    snprintf(type, sizeof(type), "urn:haulpass:problem:%s", code);
    cJSON_AddStringToObject(p, "type", type);
    cJSON_AddStringToObject(p, "title", title_of(status));
    cJSON_AddNumberToObject(p, "status", status);
    cJSON_AddStringToObject(p, "detail", detail);
    if (errors)
        cJSON_AddItemToObject(p, "errors", errors);
    while (extra && extra->child) {
        cJSON *m = cJSON_DetachItemViaPointer(extra, extra->child);
        cJSON_AddItemToObject(p, m->string, m);
    }
    cJSON_Delete(extra);
    reply_cjson(req, status, "application/problem+json", p);
}

void hp_reply_problem(struct hp_request *req, int status, const char *code,
                      const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    problem(req, status, code, hp_arena_vprintf(req->arena, detail_fmt, ap), NULL, NULL);
    va_end(ap);
}

void hp_reply_problem_with(struct hp_request *req, int status, const char *code, cJSON *extra,
                           const char *detail_fmt, ...)
{
    va_list ap;
    va_start(ap, detail_fmt);
    problem(req, status, code, hp_arena_vprintf(req->arena, detail_fmt, ap), NULL, extra);
    va_end(ap);
}

void hp_req_invalid(struct hp_request *req, const char *pointer, const char *fmt, ...)
{
    if (!req->errors)
        req->errors = hp_arena_defer(req->arena, (void (*)(void *))cJSON_Delete,
                                     cJSON_CreateArray());
    if (cJSON_GetArraySize(req->errors) >= 100)
        return; /* enough to fix the request; keep the answer small */
    va_list ap;
    va_start(ap, fmt);
    char *msg = hp_arena_vprintf(req->arena, fmt, ap);
    va_end(ap);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "pointer", pointer);
    cJSON_AddStringToObject(e, "message", msg);
    cJSON_AddItemToArray(req->errors, e);
}

void hp_reply_invalid(struct hp_request *req)
{
    cJSON *errors = req->errors ? cJSON_Duplicate(req->errors, 1) : cJSON_CreateArray();
    const char *first = "the request is not valid";
    cJSON *e0 = cJSON_GetArrayItem(errors, 0);
    if (e0) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e0, "message");
        const cJSON *ptr = cJSON_GetObjectItemCaseSensitive(e0, "pointer");
        if (cJSON_IsString(ptr) && cJSON_IsString(m))
            first = hp_arena_printf(req->arena, "%s: %s", ptr->valuestring, m->valuestring);
    }
    problem(req, 422, "invalid", first, errors, NULL);
}

void hp_reply_unavailable(struct hp_request *req)
{
    hp_reply_header(req, "Retry-After", "5");
    hp_reply_problem(req, 503, "database-unavailable",
                     "the database cannot be reached; try again shortly");
}

void hp_reply_internal(struct hp_request *req, const char *detail)
{
    hp_log(HP_LOG_ERROR, "internal error", "path", req->path, "detail", detail,
           "request_id", req->request_id, NULL);
    hp_reply_problem(req, 500, "internal", "an internal error occurred (request %s)",
                     req->request_id);
}
