/*
 * Answers. Each request gets exactly one reply; every error goes through
 * hp_reply_problem, which writes RFC 9457 problem+json with a stable code:
 * type "urn:haulpass:problem:<code>".
 */
#ifndef HAULPASS_REPLY_H
#define HAULPASS_REPLY_H

#include "haulpass/http.h"

/* Adds a response header to the coming reply (name and value must outlive
 * the request: literals or arena memory). */
void hp_reply_header(struct hp_request *req, const char *name, const char *value);

/* Adds the ETag header of a resource's version to the coming reply. */
void hp_etag_reply(struct hp_request *req, int version);

/* 2xx with a JSON body; takes ownership of body (NULL: no body). */
void hp_reply_json(struct hp_request *req, int status, cJSON *body);

/* A body of bytes that stay valid for the life of the process (static data). */
void hp_reply_static(struct hp_request *req, int status, const char *content_type,
                     const char *data, size_t len);

/* A body of bytes shared with other replies: release(cls) runs once
 * libmicrohttpd is done with them (also when the reply is never sent). */
void hp_reply_shared(struct hp_request *req, int status, const char *content_type,
                     const char *data, size_t len, void (*release)(void *cls), void *cls);

/* A body copied from data. */
void hp_reply_copy(struct hp_request *req, int status, const char *content_type,
                   const char *data, size_t len);

/* An error: status, the stable code, and a detail in printf form. */
void hp_reply_problem(struct hp_request *req, int status, const char *code,
                      const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

/* hp_reply_problem with the members of extra (an object, taken over; NULL:
 * none) added to the problem, e.g. a 409's alternatives. */
void hp_reply_problem_with(struct hp_request *req, int status, const char *code, cJSON *extra,
                           const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records one invalid field: pointer is a JSON Pointer into the body. */
void hp_req_invalid(struct hp_request *req, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 422 with every error recorded by hp_req_invalid. */
void hp_reply_invalid(struct hp_request *req);

/* 503 with Retry-After: the database cannot be reached. */
void hp_reply_unavailable(struct hp_request *req);

/* 500: a bug or a database error we did not expect; logs detail. */
void hp_reply_internal(struct hp_request *req, const char *detail);

#endif
