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

static cJSON *start(enum hp_log_level level, const char *msg)
{
    struct timeval tv;
    struct tm tm;
    char ts[40];
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03dZ", (int)(tv.tv_usec / 1000));
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

void hp_log_access(const char *method, const char *path, int status,
                   long long micros, const char *request_id)
{
    if (HP_LOG_INFO < threshold)
        return;
    cJSON *obj = start(HP_LOG_INFO, "request");
    cJSON_AddStringToObject(obj, "method", method);
    cJSON_AddStringToObject(obj, "path", path);
    cJSON_AddNumberToObject(obj, "status", status);
    cJSON_AddNumberToObject(obj, "us", (double)micros);
    cJSON_AddStringToObject(obj, "request_id", request_id);
    emit(obj);
}
