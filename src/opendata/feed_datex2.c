/*
 * The public feed as a DATEX II v3 TrafficRegulationPublication, written
 * with libxml2's writer (docs/open-data.md says what maps how): one
 * trafficRegulationOrder per zone with its version, one trafficRegulation
 * (an AccessRestriction) per rule with its vehicle and validity conditions,
 * the zone's area as polygons with their holes. The document validates
 * against schemas/datex2/, our schema of the subset we write: the official
 * DATEX II schemas could not be had where this was built.
 */
#include "haulpass/public_feed.h"

#include "haulpass/calendar.h"
#include "haulpass/geojson.h"
#include "haulpass/oh_periods.h"
#include "haulpass/opening_hours.h"
#include "haulpass/rule_text.h"
#include "haulpass/snapshot.h"
#include "haulpass/time.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_D2 "http://datex2.eu/schema/3/d2Payload"
#define NS_COM "http://datex2.eu/schema/3/common"
#define NS_LOC "http://datex2.eu/schema/3/locationReferencing"
#define NS_TRO "http://datex2.eu/schema/3/trafficRegulation"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

/* DATEX II's VehicleTypeEnum for each of hp_vehicle_classes: the nearest
 * one; several of ours share one (the exact class is in the comment). */
static const char *const datex_vehicle[] = {
    "van", "lorry", "lorry", "articulatedVehicle", "carOrLightVehicle",
    "constructionOrMaintenanceVehicle", "lorry", "constructionOrMaintenanceVehicle", "tanker",
    "other",
};

static const char *const day_names[] = {"monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};

/* The writer and whether every call so far succeeded. */
struct wr {
    xmlTextWriterPtr w;
    const struct hp_snapshot *s;
    bool ok;
};

static void check(struct wr *x, int rc)
{
    if (rc < 0)
        x->ok = false;
}

static void open_el(struct wr *x, const char *name)
{
    check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

/* An element with xsi:type. */
static void open_typed(struct wr *x, const char *name, const char *type)
{
    open_el(x, name);
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "xsi:type", BAD_CAST type));
}

static void close_el(struct wr *x)
{
    check(x, xmlTextWriterEndElement(x->w));
}

static void text_el(struct wr *x, const char *name, const char *text)
{
    check(x, xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST text));
}

/* A MultilingualString: values as lang, text pairs, NULL-ended. */
static void multilingual(struct wr *x, const char *name, const char *const *values)
{
    open_el(x, name);
    open_el(x, "com:values");
    for (int i = 0; values[i]; i += 2) {
        open_el(x, "com:value");
        check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "lang", BAD_CAST values[i]));
        check(x, xmlTextWriterWriteString(x->w, BAD_CAST values[i + 1]));
        close_el(x);
    }
    close_el(x);
    close_el(x);
}

/* xs:dateTime of minute on local day (days since 1970-01-01), with offset. */
static void local_time_el(struct wr *x, const char *name, int64_t day, int minute)
{
    time_t t = hp_calendar_local_time(x->s->cal, hp_calendar_date_from_days(day), minute);
    char when[HP_TIME_BUF];
    hp_time_format((int64_t)t * 1000000, when);
    text_el(x, name, when);
}

static void vehicle_condition(struct wr *x, const struct hp_rule *r, uint32_t classes,
                              bool negate, bool with_weight)
{
    open_typed(x, "tro:conditions", "tro:VehicleCondition");
    if (negate)
        text_el(x, "tro:negate", "true");
    open_el(x, "tro:vehicleCharacteristics");
    if (!negate && r->hazmat_only)
        text_el(x, "com:loadType", "hazardousMaterials");
    bool written[sizeof(datex_vehicle) / sizeof(datex_vehicle[0])] = {false};
    if (!classes)
        text_el(x, "com:vehicleType", "anyVehicle");
    for (size_t i = 0; i < sizeof(datex_vehicle) / sizeof(datex_vehicle[0]); i++) {
        if (!((classes >> i) & 1))
            continue;
        /* One element per DATEX type, however many of ours map to it. */
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= written[k] && strcmp(datex_vehicle[k], datex_vehicle[i]) == 0;
        written[i] = true;
        if (!seen)
            text_el(x, "com:vehicleType", datex_vehicle[i]);
    }
    if (with_weight && r->min_gross_kg >= 0) {
        char t[32];
        snprintf(t, sizeof(t), "%g", r->min_gross_kg / 1000.0);
        open_el(x, "com:grossWeightCharacteristic");
        /* The rule concerns vehicles strictly above the weight
         * (docs/contract.md §4). */
        text_el(x, "com:comparisonOperator", "greaterThan");
        text_el(x, "com:grossVehicleWeight", t);
        close_el(x);
    }
    close_el(x);
    close_el(x);
}

static void time_of_day(char out[16], int minute)
{
    /* xs:time has no 24:00: the end of the day is its last second. */
    if (minute >= 1440)
        snprintf(out, 16, "23:59:59");
    else
        snprintf(out, 16, "%02u:%02u:00", (unsigned)minute / 60 % 24, (unsigned)minute % 60);
}

static void period(struct wr *x, const struct hp_oh_period *p)
{
    char a[16], b[16];
    time_of_day(a, p->start);
    time_of_day(b, p->end);
    open_el(x, "com:validPeriod");
    open_typed(x, "com:recurringTimePeriodOfDay", "com:TimePeriodByHour");
    text_el(x, "com:startTimeOfPeriod", a);
    text_el(x, "com:endTimeOfPeriod", b);
    close_el(x);
    if (p->days != 0x7f) {
        open_typed(x, "com:recurringDayWeekMonthPeriod", "com:DayWeekMonth");
        for (int d = 0; d < 7; d++)
            if ((p->days >> d) & 1)
                text_el(x, "com:applicableDay", day_names[d]);
        close_el(x);
    }
    close_el(x);
}

/* The rule's dates, hours and holiday exceptions; hours that do not map
 * (oh_periods.h) leave only the dates, with the text in the comment. */
static void validity(struct wr *x, const struct hp_rule *r, int64_t zone_day)
{
    struct hp_oh_periods ph;
    bool mapped = r->hours && hp_oh_periods(hp_oh_text(r->hours), &ph);
    open_typed(x, "tro:conditions", "tro:ValidityCondition");
    open_el(x, "tro:validity");
    text_el(x, "com:validityStatus", "definedByValidityTimeSpec");
    open_el(x, "com:validityTimeSpecification");
    /* DATEX requires a start: an open one is the zone's last change. */
    local_time_el(x, "com:overallStartTime", r->from_day != INT64_MIN ? r->from_day : zone_day,
                  0);
    if (r->to_day != INT64_MAX)
        local_time_el(x, "com:overallEndTime", r->to_day + 1, 0);
    for (int i = 0; mapped && i < ph.n; i++)
        period(x, &ph.p[i]);
    for (int i = 0; mapped && ph.except_ph && i < x->s->nholidays; i++) {
        int64_t day = x->s->holidays[i];
        if ((r->from_day != INT64_MIN && day < r->from_day) ||
            (r->to_day != INT64_MAX && day > r->to_day))
            continue;
        open_el(x, "com:exceptionPeriod");
        local_time_el(x, "com:startOfPeriod", day, 0);
        local_time_el(x, "com:endOfPeriod", day + 1, 0);
        close_el(x);
    }
    close_el(x);
    close_el(x);
    close_el(x);
}

static void regulation(struct wr *x, const struct hp_rule *r, int64_t zone_day)
{
    open_el(x, "tro:trafficRegulation");
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "id", BAD_CAST r->id));
    open_typed(x, "tro:typeOfRegulation", "tro:AccessRestriction");
    text_el(x, "tro:accessRestrictionType", "noEntry");
    close_el(x);
    open_typed(x, "tro:condition", "tro:ConditionSet");
    text_el(x, "tro:operator", "and");
    vehicle_condition(x, r, r->classes, false, true);
    if (r->exempt)
        vehicle_condition(x, r, r->exempt, true, false);
    validity(x, r, zone_day);
    close_el(x);
    char zh[1024], en[1024], hours[HP_OH_MAX_LEN + 64];
    hp_rule_text(r, HP_RULE_LANG_ZH, zh, sizeof(zh));
    hp_rule_text(r, HP_RULE_LANG_EN, en, sizeof(en));
    snprintf(hours, sizeof(hours), "opening_hours: %s", r->hours ? hp_oh_text(r->hours) : "24/7");
    const char *comment[] = {"zh", zh, "en", en, "en", hours, NULL};
    multilingual(x, "tro:comment", comment);
    close_el(x);
}

/* A ring as DATEX's posList: latitude then longitude, as GML in EPSG:4326,
 * rounded as the GeoJSON feed is (HP_GEOJSON_FEED_DECIMALS). */
static void ring(struct wr *x, const char *name, const double *xy, int from, int to)
{
    size_t cap = (size_t)(to - from) * 66 + 1, at = 0;
    char *list = malloc(cap);
    if (!list) {
        x->ok = false;
        return;
    }
    list[0] = '\0';
    bool rounded = hp_geojson_ring_roundable(xy + 2 * from, (size_t)(to - from));
    for (int i = from; i < to; i++) {
        char lat[32], lon[32];
        hp_geojson_coord_text(lat, sizeof(lat), xy[2 * i + 1], rounded);
        hp_geojson_coord_text(lon, sizeof(lon), xy[2 * i], rounded);
        at += (size_t)snprintf(list + at, cap - at, "%s%s %s", i > from ? " " : "", lat, lon);
    }
    open_el(x, name);
    text_el(x, "loc:posList", list);
    close_el(x);
    free(list);
}

static void area(struct wr *x, const struct hp_snap_zone *z)
{
    GEOSContextHandle_t ctx = x->s->geos;
    open_typed(x, "tro:location", "loc:AreaLocation");
    open_el(x, "loc:gmlMultiPolygon");
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "srsName",
                                         BAD_CAST "urn:ogc:def:crs:EPSG::4326"));
    /* The flat rings of the snapshot (route_clip's) in polygon order:
     * each polygon's shell, then its holes. */
    int r = 0, start = 0;
    int npoly = GEOSGetNumGeometries_r(ctx, z->geom);
    for (int i = 0; i < npoly; i++) {
        int holes = GEOSGetNumInteriorRings_r(ctx, GEOSGetGeometryN_r(ctx, z->geom, i));
        open_el(x, "loc:gmlPolygon");
        for (int k = -1; k < holes && r < z->area.nrings; k++, r++) {
            ring(x, k < 0 ? "loc:exterior" : "loc:interior", z->area.xy, start,
                 z->area.ring_end[r]);
            start = z->area.ring_end[r];
        }
        close_el(x);
    }
    close_el(x);
    close_el(x);
}

static void order(struct wr *x, const struct hp_snap_zone *z)
{
    char version[16];
    snprintf(version, sizeof(version), "%d", z->version);
    open_el(x, "tro:trafficRegulationOrder");
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "id", BAD_CAST z->id));
    check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST "version", BAD_CAST version));
    const char *name[] = {"zh", z->name, NULL};
    multilingual(x, "tro:description", name);
    text_el(x, "tro:status", "active");
    int64_t zone_day =
        hp_calendar_date_to_days(hp_calendar_local_date(x->s->cal, z->updated));
    for (int i = 0; i < z->nrules; i++)
        regulation(x, &z->rules[i], zone_day);
    area(x, z);
    close_el(x);
}

char *hp_public_datex2(const struct hp_snapshot *s, size_t *len)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    struct wr x = {w, s, w != NULL};
    if (w) {
        check(&x, xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
        open_typed(&x, "d2:payload", "tro:TrafficRegulationPublication");
        static const char *const ns[][2] = {{"xmlns:d2", NS_D2}, {"xmlns:com", NS_COM},
                                            {"xmlns:loc", NS_LOC}, {"xmlns:tro", NS_TRO},
                                            {"xmlns:xsi", NS_XSI}, {"lang", "zh"},
                                            {"modelBaseVersion", "3"}};
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
            check(&x, xmlTextWriterWriteAttribute(w, BAD_CAST ns[i][0], BAD_CAST ns[i][1]));
        char when[HP_TIME_BUF];
        hp_time_format((int64_t)s->zones_changed * 1000000, when);
        text_el(&x, "com:publicationTime", when);
        open_el(&x, "com:publicationCreator");
        text_el(&x, "com:country", "cn");
        text_el(&x, "com:nationalIdentifier", "haulpass");
        close_el(&x);
        for (int i = 0; i < s->nzones; i++)
            order(&x, &s->zones[i]);
        close_el(&x);
        check(&x, xmlTextWriterEndDocument(w));
        xmlFreeTextWriter(w);
    }
    char *out = NULL;
    if (x.ok && buf && (out = malloc((size_t)xmlBufferLength(buf) + 1))) {
        *len = (size_t)xmlBufferLength(buf);
        memcpy(out, xmlBufferContent(buf), *len + 1);
    }
    xmlBufferFree(buf);
    return out;
}
