/* One GEOS context per thread: GEOS handles (and prepared geometries made
 * with them) must not be shared between threads. */
#ifndef HAULPASS_GEO_CONTEXT_H
#define HAULPASS_GEO_CONTEXT_H

#include <geos_c.h>

/* The calling thread's context, made on first use and freed when the thread
 * exits; NULL only when out of memory. */
GEOSContextHandle_t hp_geo_thread_context(void);

#endif
