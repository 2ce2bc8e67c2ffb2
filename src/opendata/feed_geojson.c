/* The public feed as GeoJSON (RFC 7946): a FeatureCollection, one Feature
 * per live zone, its rules in the fields of docs/contract.md §4 and a
 * sentence in Chinese and English (rule_text.h). */
#include "haulpass/public_feed.h"

#include "haulpass/calendar.h"
#include "haulpass/geo_context.h"
#include "haulpass/geojson.h"
#include "haulpass/opening_hours.h"
#include "haulpass/rule_text.h"
#include "haulpass/snapshot.h"
#include "haulpass/time.h"
#include "haulpass/vocab.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static cJSON *words(uint32_t bits, const char *const *vocab)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; vocab[i]; i++)
        if ((bits >> i) & 1)
            cJSON_AddItemToArray(a, cJSON_CreateString(vocab[i]));
    return a;
}

static void add_day(cJSON *o, const char *name, int64_t day, bool open)
{
    char d[11];
    if (open) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    hp_calendar_date_format(hp_calendar_date_from_days(day), d);
    cJSON_AddStringToObject(o, name, d);
}

static cJSON *rule_json(const struct hp_rule *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddItemToObject(o, "vehicle_classes", words(r->classes, hp_vehicle_classes));
    cJSON_AddItemToObject(o, "exempt_classes", words(r->exempt, hp_vehicle_classes));
    if (r->min_gross_kg >= 0)
        cJSON_AddNumberToObject(o, "min_gross_weight_kg", r->min_gross_kg);
    else
        cJSON_AddNullToObject(o, "min_gross_weight_kg");
    cJSON_AddBoolToObject(o, "hazmat_only", r->hazmat_only);
    if (r->hours)
        cJSON_AddStringToObject(o, "hours", hp_oh_text(r->hours));
    else
        cJSON_AddNullToObject(o, "hours");
    add_day(o, "valid_from", r->from_day, r->from_day == INT64_MIN);
    add_day(o, "valid_to", r->to_day, r->to_day == INT64_MAX);
    cJSON_AddItemToObject(o, "liftable_by", words(r->liftable, hp_pass_types));
    char text[1024];
    cJSON *t = cJSON_AddObjectToObject(o, "text");
    hp_rule_text(r, HP_RULE_LANG_ZH, text, sizeof(text));
    cJSON_AddStringToObject(t, "zh", text);
    hp_rule_text(r, HP_RULE_LANG_EN, text, sizeof(text));
    cJSON_AddStringToObject(t, "en", text);
    return o;
}

static cJSON *feature(GEOSContextHandle_t ctx, const struct hp_snap_zone *z)
{
    struct hp_geo_error err;
    cJSON *geom = hp_geojson_from_geos(ctx, z->geom,
                                         HP_GEOJSON_POLYGON_IF_SINGLE | HP_GEOJSON_FEED_PRECISION,
                                         &err);
    if (!geom)
        return NULL;
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "type", "Feature");
    cJSON_AddStringToObject(f, "id", z->id);
    cJSON_AddItemToObject(f, "geometry", geom);
    cJSON *p = cJSON_AddObjectToObject(f, "properties");
    cJSON_AddStringToObject(p, "name", z->name);
    cJSON_AddNumberToObject(p, "version", z->version);
    char when[HP_TIME_BUF];
    hp_time_format((int64_t)z->updated * 1000000, when);
    cJSON_AddStringToObject(p, "updated_at", when);
    cJSON *rules = cJSON_AddArrayToObject(p, "rules");
    for (int i = 0; i < z->nrules; i++)
        cJSON_AddItemToArray(rules, rule_json(&z->rules[i]));
    return f;
}

bool hp_public_zone_meets(const struct hp_snap_zone *z, const double bbox[4])
{
    return !bbox || (z->area.maxx >= bbox[0] && z->area.minx <= bbox[2] &&
                     z->area.maxy >= bbox[1] && z->area.miny <= bbox[3]);
}

char *hp_public_geojson(const struct hp_snapshot *s, const char *tz, const double *bbox,
                        size_t *len)
{
    GEOSContextHandle_t ctx = hp_geo_thread_context();
    cJSON *fc = ctx ? cJSON_CreateObject() : NULL;
    if (!fc)
        return NULL;
    cJSON_AddStringToObject(fc, "type", "FeatureCollection");
    /* Foreign members (RFC 7946 §6.1): how to read the rules' local
     * dates and hours, and which days "PH" means. */
    cJSON_AddStringToObject(fc, "time_zone", tz ? tz : "UTC");
    cJSON *ph = cJSON_AddArrayToObject(fc, "public_holidays");
    for (int i = 0; i < s->nholidays; i++) {
        char d[11];
        hp_calendar_date_format(hp_calendar_date_from_days(s->holidays[i]), d);
        cJSON_AddItemToArray(ph, cJSON_CreateString(d));
    }
    cJSON *features = cJSON_AddArrayToObject(fc, "features");
    bool ok = features != NULL;
    for (int i = 0; ok && i < s->nzones; i++) {
        if (!hp_public_zone_meets(&s->zones[i], bbox))
            continue;
        cJSON *f = feature(ctx, &s->zones[i]);
        ok = f && cJSON_AddItemToArray(features, f);
    }
    char *text = ok ? cJSON_PrintUnformatted(fc) : NULL;
    cJSON_Delete(fc);
    if (text)
        *len = strlen(text);
    return text;
}
