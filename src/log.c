/* JSON log lines on stderr. Access lines, one per request, are gathered in
 * a buffer per thread and written a batch at a time (when the buffer fills,
 * and at least every 100 ms by a flusher thread): a write(2) per request
 * cost a network thread more than the request itself. Other lines are
 * written at once. */
#include "haulpass/log.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ACCESS_BUF 16384
#define FLUSH_EVERY_US 100000

/* One thread's pending access lines. Its mutex is contended only by the
 * flusher, ten times a second. */
struct access_buf {
    pthread_mutex_t mu;
    size_t len;
    struct access_buf *next;
    char data[ACCESS_BUF];
};

static pthread_mutex_t bufs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct access_buf *bufs; /* every thread's, never freed: threads are few */
static _Thread_local struct access_buf *own;
static pthread_once_t flusher_once = PTHREAD_ONCE_INIT;

static void append_access(const char *line, size_t len);

static enum hp_log_level threshold = HP_LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void hp_log_set_level(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, level_names[i]) == 0)
            threshold = (enum hp_log_level)i;
}

static void emit(cJSON *obj)
{
    char *line = cJSON_PrintUnformatted(obj);
    if (line) {
        /* glibc holds the stream lock for the whole call: lines never mix. */
        fprintf(stderr, "%s\n", line);
        free(line);
    }
    cJSON_Delete(obj);
}

/* Now as 2026-11-28T18:07:21.094Z. */
/* "2026-12-02T05:40:41.123Z". Each thread keeps the text of the last second
 * it formatted: an access line per request would otherwise spend more on
 * gmtime and strftime than on the request. */
static void timestamp(char ts[40])
{
    static _Thread_local time_t last_sec = -1;
    static _Thread_local char last[32];
    static _Thread_local size_t last_len;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_sec != last_sec) {
        struct tm tm;
        gmtime_r(&tv.tv_sec, &tm);
        last_len = strftime(last, sizeof(last), "%Y-%m-%dT%H:%M:%S", &tm);
        last_sec = tv.tv_sec;
    }
    memcpy(ts, last, last_len);
    int ms = (int)(tv.tv_usec / 1000);
    char *p = ts + last_len;
    *p++ = '.';
    *p++ = (char)('0' + ms / 100);
    *p++ = (char)('0' + ms / 10 % 10);
    *p++ = (char)('0' + ms % 10);
    *p++ = 'Z';
    *p = '\0';
}

static cJSON *start(enum hp_log_level level, const char *msg)
{
    char ts[40];
    timestamp(ts);
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "ts", ts);
    cJSON_AddStringToObject(obj, "level", level_names[level]);
    cJSON_AddStringToObject(obj, "msg", msg);
    return obj;
}

void hp_log(enum hp_log_level level, const char *msg, ...)
{
    if (level < threshold)
        return;
    cJSON *obj = start(level, msg);
    va_list ap;
    va_start(ap, msg);
    const char *key;
    while ((key = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);
        cJSON_AddStringToObject(obj, key, value ? value : "");
    }
    va_end(ap);
    emit(obj);
}

/* Appends s as the inside of a JSON string (quotes, backslashes and
 * controls escaped, as cJSON does) to out[*at], stopping short of cap. */
static void escaped(char *out, size_t cap, size_t *at, const char *s)
{
    size_t start = *at;
    for (; s && *s && *at + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[(*at)++] = '\\';
            out[(*at)++] = (char)c;
        } else if (c < 0x20) {
            *at += (size_t)snprintf(out + *at, cap - *at, "\\u%04x", c);
        } else {
            out[(*at)++] = (char)c;
        }
    }
    if (s && *s) { /* cut short: never in the middle of a UTF-8 character */
        while (*at > start && ((unsigned char)out[*at - 1] & 0xC0) == 0x80)
            (*at)--;
        if (*at > start && (unsigned char)out[*at - 1] >= 0xC0)
            (*at)--;
    }
}

static void append(char *out, size_t cap, size_t *at, const char *s)
{
    size_t n = strlen(s);
    if (*at + n >= cap)
        n = cap - *at - 1;
    memcpy(out + *at, s, n);
    *at += n;
}

/* One line per request, written straight rather than through a cJSON tree:
 * it is the one log line every request pays for (cJSON prints numbers with
 * sprintf and reads them back with sscanf). The fields are those of hp_log;
 * a path too long for the line is cut, never the line's JSON. */
void hp_log_access(const char *method, const char *path, int status,
                   long long micros, const char *request_id)
{
    if (HP_LOG_INFO < threshold)
        return;
    char line[4096], ts[40], num[64];
    size_t at = 0;
    timestamp(ts);
    append(line, sizeof(line), &at, "{\"ts\":\"");
    append(line, sizeof(line), &at, ts);
    append(line, sizeof(line), &at, "\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"");
    escaped(line, sizeof(line) - 256, &at, method);
    append(line, sizeof(line), &at, "\",\"path\":\"");
    escaped(line, sizeof(line) - 256, &at, path);
    snprintf(num, sizeof(num), "\",\"status\":%d,\"us\":%lld,\"request_id\":\"", status, micros);
    append(line, sizeof(line), &at, num);
    escaped(line, sizeof(line) - 8, &at, request_id);
    append(line, sizeof(line), &at, "\"}\n");
    append_access(line, at);
}

/* Writes b's lines out; b->mu held. */
static void drain(struct access_buf *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(STDERR_FILENO, b->data + off, b->len - off);
        if (n <= 0)
            break; /* stderr gone: drop the lines rather than spin */
        off += (size_t)n;
    }
    b->len = 0;
}

void hp_log_flush(void)
{
    pthread_mutex_lock(&bufs_mu);
    for (struct access_buf *b = bufs; b; b = b->next) {
        pthread_mutex_lock(&b->mu);
        drain(b);
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_unlock(&bufs_mu);
}

static void *flusher(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "hp-log");
    for (;;) {
        usleep(FLUSH_EVERY_US);
        hp_log_flush();
    }
    return NULL;
}

static void start_flusher(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, flusher, NULL) == 0)
        pthread_detach(t);
}

static void append_access(const char *line, size_t len)
{
    if (!own) {
        own = calloc(1, sizeof(*own));
        if (!own) {
            fwrite(line, 1, len, stderr);
            return;
        }
        pthread_mutex_init(&own->mu, NULL);
        pthread_mutex_lock(&bufs_mu);
        own->next = bufs;
        bufs = own;
        pthread_mutex_unlock(&bufs_mu);
        pthread_once(&flusher_once, start_flusher);
    }
    pthread_mutex_lock(&own->mu);
    if (own->len + len > ACCESS_BUF)
        drain(own);
    memcpy(own->data + own->len, line, len);
    own->len += len;
    pthread_mutex_unlock(&own->mu);
}
