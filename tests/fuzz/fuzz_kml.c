/*
 * libFuzzer target: KML bytes -> hp_kml_parse (with and without the XSD) ->
 * each candidate through hp_geojson_to_geos, as the import endpoint does,
 * then back through from_geos and WKB. Aborts on a broken invariant.
 *
 *   build-fuzz-geo/tests/fuzz_kml -max_total_time=60 tests/fuzz/corpus/kml
 */
#include "haulpass/geojson.h"
#include "haulpass/kml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hp_kml_schema *schema;
static GEOSContextHandle_t geos;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    FILE *f = fopen(HP_KML_XSD_PATH, "rb");
    static char xsd[1 << 16];
    size_t n;
    char msg[256];

    (void)argc;
    (void)argv;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", HP_KML_XSD_PATH);
        abort();
    }
    n = fread(xsd, 1, sizeof xsd, f);
    fclose(f);
    hp_kml_global_init();
    schema = hp_kml_schema_new(xsd, n, msg, sizeof msg);
    geos = hp_geojson_context_new();
    if (!schema || !geos) {
        fprintf(stderr, "set-up failed: %s\n", msg);
        abort();
    }
    return 0;
}

static void check_zone(const struct hp_kml_zone *z)
{
    struct hp_geo_error err;
    GEOSGeometry *g, *back;
    cJSON *out, *reparsed;
    char *text;
    unsigned char *wkb;
    size_t len = 0;

    if (!z->name || !*z->name || !z->geometry || !cJSON_IsObject(z->rule) || z->index < 1)
        abort();
    g = hp_geojson_to_geos(geos, z->geometry, &err);
    if (!g) {
        if (!err.message[0])
            abort(); /* a refusal always says why */
        return;
    }
    /* GeoJSON -> GEOS -> GeoJSON text -> GEOS must give the same coordinates. */
    out = hp_geojson_from_geos(geos, g, HP_GEOJSON_DEFAULT, &err);
    if (!out)
        abort();
    text = cJSON_PrintUnformatted(out);
    reparsed = text ? cJSON_Parse(text) : NULL;
    back = reparsed ? hp_geojson_to_geos(geos, reparsed, &err) : NULL;
    if (!back || GEOSEqualsExact_r(geos, g, back, 0) != 1)
        abort();
    wkb = hp_geojson_to_wkb(geos, g, &len);
    if (wkb) {
        cJSON *from_wkb = hp_geojson_from_wkb(geos, wkb, len, false, 0, &err);
        if (!from_wkb || !cJSON_Compare(from_wkb, out, 1))
            abort();
        cJSON_Delete(from_wkb);
    }
    free(wkb);
    GEOSGeom_destroy_r(geos, back);
    cJSON_Delete(reparsed);
    free(text);
    cJSON_Delete(out);
    GEOSGeom_destroy_r(geos, g);
}

static void run(const uint8_t *data, size_t size, const struct hp_kml_schema *s)
{
    struct hp_kml_result *r = NULL;
    struct hp_kml_error err;
    enum hp_kml_status st = hp_kml_parse((const char *)data, size, s, &r, &err);

    if (st != HP_KML_OK) {
        if (r || !err.message[0])
            abort();
        return;
    }
    for (size_t i = 0; i < r->nzones; i++)
        check_zone(&r->zones[i]);
    for (size_t i = 0; i < r->nskipped; i++)
        if (!r->skipped[i].reason || !*r->skipped[i].reason || r->skipped[i].index < 1)
            abort();
    hp_kml_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, schema);
    run(data, size, NULL);
    return 0;
}
