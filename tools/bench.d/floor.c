/* floor PORT [THREADS]: the floor of tools/bench. A bare libmicrohttpd server
 * on 127.0.0.1:PORT answering {"status":"ok"} to any GET (405 otherwise), in
 * the mode haulpass's network threads use (internal epoll, a pool of THREADS,
 * default $HAULPASS_THREADS or 2), until SIGTERM or SIGINT. No routing, no
 * logging, no request state: what no real handler can beat on this machine,
 * so every figure of tools/bench is also printed as a ratio to this one. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ok[] = "{\"status\":\"ok\"}";

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls, (void)url, (void)version, (void)upload;
    /* The first call only has the headers: a response queued then makes MHD
     * close the connection (the rest of the request is unread), so wrk would
     * reconnect for every request. Answer on the next call, as servers do. */
    static int seen;
    if (!*state) {
        *state = &seen;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* a body (on a GET or not): read and ignored */
        return MHD_YES;
    }
    int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    /* A response per request, from the static buffer, as a real server
     * makes one: sharing a single one would add a lock between threads. */
    struct MHD_Response *r =
        MHD_create_response_from_buffer(get ? sizeof(ok) - 1 : 0, (void *)ok, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result res = MHD_queue_response(conn, get ? MHD_HTTP_OK : MHD_HTTP_METHOD_NOT_ALLOWED, r);
    MHD_destroy_response(r);
    return res;
}

int main(int argc, char **argv)
{
    const char *env = getenv("HAULPASS_THREADS");
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int threads = argc > 2 ? atoi(argv[2]) : env && *env ? atoi(env) : 2;
    if (port <= 0 || port > 65535 || threads <= 0 || threads > 1024) {
        fprintf(stderr, "usage: floor PORT [THREADS]\n");
        return 2;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    /* Block the signals before MHD starts its threads, so that only sigwait
     * below sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
        NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "floor: could not listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
