/* JSON log lines on stderr. */
#include "haulpass/log.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

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
static void timestamp(char ts[40])
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(ts, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, 40 - n, ".%03dZ", (int)(tv.tv_usec / 1000));
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
    fwrite(line, 1, at, stderr);
}
