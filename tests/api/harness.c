/* See harness.h. */
#include "harness.h"
#include "test.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct hp_t_server hp_t;
char hp_t_admin[64];
static char dbname[64];
static PGconn *check_conn;
extern char **environ;

static const char *env_or_die(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "harness: %s is not set (run the tests with tools/test)\n", name);
        exit(1);
    }
    return v;
}

/* A conninfo string for the server of HAULPASS_TEST_PG with another dbname. */
static void conninfo_for(const char *db, char *out, size_t n)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(env_or_die("HAULPASS_TEST_PG"), &err);
    if (!opts) {
        fprintf(stderr, "harness: HAULPASS_TEST_PG: %s\n", err ? err : "unparsable");
        exit(1);
    }
    size_t at = 0;
    out[0] = '\0';
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || strcmp(o->keyword, "dbname") == 0)
            continue;
        at += (size_t)snprintf(out + at, n - at, "%s='%s' ", o->keyword, o->val);
    }
    snprintf(out + at, n - at, "dbname='%s'", db);
    PQconninfoFree(opts);
}

static PGconn *connect_to(const char *db)
{
    char ci[1024];
    conninfo_for(db, ci, sizeof(ci));
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "harness: cannot connect to %s: %s", db, PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}

static bool admin_sql(const char *sql)
{
    PGconn *c = connect_to("postgres");
    if (!c)
        return false;
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("harness: free port");
        exit(1);
    }
    close(fd);
    return ntohs(a.sin_port);
}

long long hp_t_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void hp_t_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool answers_200(struct hp_t_server *s, const char *path)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", path, NULL, NULL);
    bool ok = r->status == 200;
    hp_t_free(r);
    return ok;
}

/* False (and s->pid 0) when the server has exited. */
static bool still_running(struct hp_t_server *s)
{
    int status;
    if (waitpid(s->pid, &status, WNOHANG) != s->pid)
        return true;
    fprintf(stderr, "harness: the server exited at start; see %s\n", s->log);
    s->pid = 0;
    return false;
}

static int server_start(struct hp_t_server *s, const char *const *extra_env, bool ready)
{
    const char *bin = env_or_die("HAULPASS_BIN");
    if (s != &hp_t)
        snprintf(s->conninfo, sizeof(s->conninfo), "%s", hp_t.conninfo);
    s->port = free_port();
    snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d", s->port);
    char listen[32];
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
    const char *logdir = getenv("HAULPASS_TEST_LOGS");
    char *logpath = s->log;
    snprintf(logpath, sizeof(s->log), "%s/server-%d-%d.log", logdir && *logdir ? logdir : "/tmp",
             (int)getpid(), s->port);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        setenv("HAULPASS_DB", s->conninfo, 1);
        setenv("HAULPASS_LISTEN", listen, 1);
        for (int i = 0; extra_env && extra_env[i]; i++)
            putenv((char *)extra_env[i]);
        execl(bin, bin, "serve", (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    /* Up to HP_T_PATIENCE_MS for each step: a loaded machine may take a
     * while to start a process or to read the snapshot. */
    long long t0 = hp_t_now_ms();
    while (!answers_200(s, "/healthz")) {
        if (!still_running(s))
            return -1;
        if (hp_t_now_ms() - t0 > HP_T_PATIENCE_MS) {
            fprintf(stderr, "harness: the server did not answer /healthz within %d s; see %s\n",
                    HP_T_PATIENCE_MS / 1000, logpath);
            return -1;
        }
        hp_t_sleep_ms(50);
    }
    if (!ready)
        return 0;
    /* Tests start from a ready server: its check snapshot is loaded. */
    for (t0 = hp_t_now_ms(); !answers_200(s, "/readyz"); hp_t_sleep_ms(20)) {
        if (!still_running(s))
            return -1;
        if (hp_t_now_ms() - t0 > HP_T_PATIENCE_MS) {
            fprintf(stderr, "harness: the server was not ready (/readyz) within %d s; see %s\n",
                    HP_T_PATIENCE_MS / 1000, logpath);
            return -1;
        }
    }
    return 0;
}

int hp_t_server_start(struct hp_t_server *s, const char *const *extra_env)
{
    return server_start(s, extra_env, true);
}

int hp_t_server_start_unready(struct hp_t_server *s, const char *const *extra_env)
{
    return server_start(s, extra_env, false);
}

int hp_t_server_stop(struct hp_t_server *s)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    /* The drain takes at most 10 s; a loaded machine gets longer to exit. */
    for (long long t0 = hp_t_now_ms(); hp_t_now_ms() - t0 < HP_T_PATIENCE_MS;) {
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        hp_t_sleep_ms(50);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return -1;
}

int hp_t_setup(const char *const *extra_env)
{
    curl_global_init(CURL_GLOBAL_ALL);
    snprintf(dbname, sizeof(dbname), "hp_test_%d_%ld", (int)getpid(), (long)time(NULL));
    char sql[256];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s", dbname,
             env_or_die("HAULPASS_TEST_TEMPLATE"));
    if (!admin_sql(sql))
        return -1;
    conninfo_for(dbname, hp_t.conninfo, sizeof(hp_t.conninfo));
    const char *admin = hp_t_user_add("Test Police", "police", "admin", "test admin");
    if (!admin)
        return -1;
    snprintf(hp_t_admin, sizeof(hp_t_admin), "%s", admin);
    /* Servers sign pass codes with HAULPASS_SIGNING_KEY (tools/test sets
     * it); a test binary run alone makes a key of its own. */
    const char *key = getenv("HAULPASS_SIGNING_KEY");
    if (!key || !*key) {
        static char path[512];
        const char *logdir = getenv("HAULPASS_TEST_LOGS");
        snprintf(path, sizeof(path), "%s/signing-key-%d.pem", logdir && *logdir ? logdir : "/tmp",
                 (int)getpid());
        if (hp_t_sh("HAULPASS_SIGNING_KEY='%s' '%s' keys generate --db '%s' >/dev/null", path,
                    env_or_die("HAULPASS_BIN"), hp_t.conninfo) != 0)
            return -1;
        setenv("HAULPASS_SIGNING_KEY", path, 1);
    }
    return hp_t_server_start(&hp_t, extra_env);
}

void hp_t_teardown(void)
{
    int rc = hp_t_server_stop(&hp_t);
    if (rc != 0) /* a crash, a sanitizer report, a failed drain */
        hp_test_fail(__FILE__, __LINE__, "the server exited with %d; see %s", rc, hp_t.log);
    PQfinish(check_conn);
    check_conn = NULL;
    char sql[256];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
    admin_sql(sql);
}

struct buf {
    char *data;
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buf *b = userdata;
    size_t n = size * nmemb;
    char *nd = realloc(b->data, b->len + n + 1);
    if (!nd)
        return 0;
    memcpy(nd + b->len, ptr, n);
    b->len += n;
    nd[b->len] = '\0';
    b->data = nd;
    return n;
}

static struct hp_t_resp *request(const char *base, const char *method, const char *path,
                                 const char *token, const char *content_type,
                                 const char *body, size_t len, const char *const *headers)
{
    struct hp_t_resp *r = calloc(1, sizeof(*r));
    struct buf b = {calloc(1, 1), 0}, h = {calloc(1, 1), 0};
    CURL *c = curl_easy_init();
    char url[2048], auth[128], ct[256];
    snprintf(url, sizeof(url), "%s%s", base, path);
    struct curl_slist *hl = NULL;
    if (token) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    if (body) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", content_type ? content_type : "application/json");
        hl = curl_slist_append(hl, ct);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    hl = curl_slist_append(hl, "Expect:");
    for (int i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* A reply the server sent before reading the whole body (an early 401
     * or 404 to a large upload) counts even when curl then failed to send
     * the rest; the assertions on its body still judge what arrived. */
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    if (rc != CURLE_OK && r->status)
        fprintf(stderr, "    (%s %s answered %ld, then curl: %s)\n", method, path, r->status,
                curl_easy_strerror(rc));
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    r->body = b.data;
    r->len = b.len;
    r->headers = h.data;
    r->json = cJSON_Parse(r->body);
    return r;
}

struct hp_t_resp *hp_t_req(const char *method, const char *path, const char *token,
                           const char *content_type, const char *body, size_t len,
                           const char *const *headers)
{
    return request(hp_t.base, method, path, token, content_type, body, len, headers);
}

struct hp_t_resp *hp_t_get(const char *path, const char *token)
{
    return request(hp_t.base, "GET", path, token, NULL, NULL, 0, NULL);
}

struct hp_t_resp *hp_t_post(const char *path, const char *token, const char *json)
{
    return request(hp_t.base, "POST", path, token, NULL, json, json ? strlen(json) : 0, NULL);
}

struct hp_t_resp *hp_t_on(struct hp_t_server *s, const char *method, const char *path,
                          const char *token, const char *json)
{
    return request(s->base, method, path, token, NULL, json, json ? strlen(json) : 0, NULL);
}

struct hp_t_resp *hp_t_raw(const char *bytes, size_t len)
{
    struct hp_t_resp *r = calloc(1, sizeof(*r));
    struct buf b = {calloc(1, 1), 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)hp_t.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {.tv_sec = 60};
    if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
        connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        size_t sent = 0;
        ssize_t n = 0;
        while (sent < len && (n = send(fd, bytes + sent, len - sent, MSG_NOSIGNAL)) > 0)
            sent += (size_t)n;
        char chunk[4096];
        while ((n = recv(fd, chunk, sizeof(chunk), 0)) > 0)
            collect(chunk, 1, (size_t)n, &b);
    }
    if (fd >= 0)
        close(fd);
    char *end = strstr(b.data, "\r\n\r\n");
    if (strncmp(b.data, "HTTP/1.", 7) == 0 && end) {
        r->status = strtol(b.data + 9, NULL, 10);
        r->headers = strndup(b.data, (size_t)(end - b.data) + 2);
        r->len = b.len - (size_t)(end + 4 - b.data);
        r->body = malloc(r->len + 1);
        memcpy(r->body, end + 4, r->len);
        r->body[r->len] = '\0';
        r->json = cJSON_Parse(r->body);
    } else {
        r->headers = strdup("");
        r->body = strdup("");
    }
    free(b.data);
    return r;
}

void hp_t_free(struct hp_t_resp *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    free(r);
}

const char *hp_t_header(const struct hp_t_resp *r, const char *name)
{
    /* A few in turn, so that two in one expression (comparing the ETags of
     * two responses) are two strings, not one buffer written twice. */
    static __thread char values[4][1024];
    static __thread unsigned turn;
    char *value = values[turn++ % 4];
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        if (!end)
            break;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(value, sizeof(values[0]), "%.*s", (int)(end - v), v);
            return value;
        }
        line = end + 2;
    }
    return NULL;
}

const char *hp_t_str(const struct hp_t_resp *r, const char *path)
{
    const cJSON *j = r->json;
    char key[128];
    for (const char *p = path; j && *p;) {
        const char *dot = strchrnul(p, '.');
        snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
        j = cJSON_GetObjectItemCaseSensitive(j, key);
        p = *dot ? dot + 1 : dot;
    }
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

const char *hp_t_user_add(const char *org, const char *kind, const char *role,
                          const char *name)
{
    static char token[128];
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        const char *bin = env_or_die("HAULPASS_BIN");
        execl(bin, bin, "user", "add", "--db", hp_t.conninfo, "--org", org, "--kind", kind,
              "--role", role, "--name", name, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    ssize_t n = read(pipefd[0], token, sizeof(token) - 1);
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NULL;
    token[n] = '\0';
    token[strcspn(token, "\n")] = '\0';
    return token;
}

PGconn *hp_t_db(void)
{
    if (!check_conn || PQstatus(check_conn) != CONNECTION_OK) {
        PQfinish(check_conn);
        check_conn = PQconnectdb(hp_t.conninfo);
    }
    return check_conn;
}

bool hp_t_sql_ok(const char *sql)
{
    PGresult *r = PQexec(hp_t_db(), sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "    %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok;
}

int hp_t_sql_int(const char *sql)
{
    PGresult *res = PQexec(hp_t_db(), sql);
    int n = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0
                ? atoi(PQgetvalue(res, 0, 0))
                : -1;
    PQclear(res);
    return n;
}

int hp_t_sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    fflush(NULL);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

struct hp_t_who hp_t_who_add(const char *org, const char *kind, const char *role,
                             const char *name)
{
    struct hp_t_who w = {"", "", ""};
    const char *t = hp_t_user_add(org, kind, role, name);
    snprintf(w.token, sizeof(w.token), "%s", t ? t : "");
    struct hp_t_resp *r = hp_t_get("/v1/me", w.token);
    const char *id = hp_t_str(r, "user.id"), *org_id = hp_t_str(r, "org.id");
    snprintf(w.id, sizeof(w.id), "%s", id ? id : "");
    snprintf(w.org, sizeof(w.org), "%s", org_id ? org_id : "");
    hp_t_free(r);
    return w;
}

int hp_t_vehicle_add_on(struct hp_t_server *s, const char *token, const char *plate)
{
    char b[256];
    snprintf(b, sizeof(b), "{\"plate\":\"%s\",\"class\":\"heavy_truck\",\"gross_weight_kg\":31000}",
             plate);
    struct hp_t_resp *r = hp_t_on(s, "POST", "/v1/vehicles", token, b);
    int status = r->status;
    hp_t_free(r);
    return status;
}

int hp_t_vehicle_add(const char *token, const char *plate)
{
    return hp_t_vehicle_add_on(&hp_t, token, plate);
}

bool hp_t_snapshot_caught_up(struct hp_t_server *s)
{
    struct hp_t_resp *r = hp_t_on(s, "GET", "/metrics", NULL, NULL);
    bool yes = r->body && strstr(r->body, "\nhaulpass_zone_snapshot_behind_seconds 0.000\n");
    hp_t_free(r);
    return yes;
}

void hp_t_create(const char *path, const char *token, const char *body, char id[64])
{
    struct hp_t_resp *r = hp_t_post(path, token, body);
    CHECK_INT(r->status, 201);
    const char *got = r->status == 201 ? hp_t_str(r, "id") : NULL;
    snprintf(id, 64, "%s", got ? got : "");
    hp_t_free(r);
}

void hp_t_project_add(const char *token, const char *site_org, const char *officer_id,
                      char id[64])
{
    char b[1024];
    snprintf(b, sizeof(b),
             "{\"name\":\"地铁\",\"level\":\"provincial\",\"site_org_id\":\"%s\","
             "\"liaison_officer_id\":\"%s\",\"location\":{\"type\":\"Point\","
             "\"coordinates\":[118.35,35.1]},\"valid_to\":\"2030-01-01\"}",
             site_org, officer_id);
    hp_t_create("/v1/projects", token, b, id);
}
