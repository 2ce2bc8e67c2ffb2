/* Logging: one JSON object a line on stderr, filtered by HAULPASS_LOG. */
#ifndef HAULPASS_LOG_H
#define HAULPASS_LOG_H

enum hp_log_level { HP_LOG_DEBUG, HP_LOG_INFO, HP_LOG_WARN, HP_LOG_ERROR };

/* Sets the lowest level written ("debug", "info", "warn", "error"). */
void hp_log_set_level(const char *name);

/* Writes {"ts","level","msg", key: value...}; the variadic part is pairs of
 * const char * key and const char * value, ended by NULL. */
void hp_log(enum hp_log_level level, const char *msg, ...);

/* Writes the access lines still gathered in memory (they go out at least
 * every 100 ms anyway); call before the process exits. */
void hp_log_flush(void);

/* The access log line for one request; written within 100 ms. */
void hp_log_access(const char *method, const char *path, int status,
                   long long micros, const char *request_id);

#endif
