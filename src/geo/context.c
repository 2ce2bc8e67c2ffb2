/* Per-thread GEOS contexts. libmicrohttpd starts a thread per connection,
 * so the context must be freed with its thread (pthread key destructor),
 * not leaked as a plain __thread variable would be. */
#include "haulpass/geo_context.h"

#include "haulpass/geojson.h"

#include <pthread.h>

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void destroy(void *ctx)
{
    hp_geojson_context_free(ctx);
}

static void make_key(void)
{
    pthread_key_create(&key, destroy);
}

GEOSContextHandle_t hp_geo_thread_context(void)
{
    pthread_once(&once, make_key);
    GEOSContextHandle_t ctx = pthread_getspecific(key);
    if (!ctx) {
        ctx = hp_geojson_context_new();
        if (ctx)
            pthread_setspecific(key, ctx);
    }
    return ctx;
}
