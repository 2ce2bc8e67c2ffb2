/* The escort bookings of a snapshot (snapshot.h): which live booking leads
 * an oversize vehicle over a stretch of time (docs/contract.md §13). */
#include "snapshot_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hp_snapshot_add_escort(struct hp_snapshot *s, const struct hp_stored_escort *row)
{
    cJSON *plates = cJSON_Parse(row->plates_json);
    int n = cJSON_GetArraySize(plates);
    struct hp_snap_escort *e = &s->escorts[s->nescorts];
    bool ok = cJSON_IsArray(plates) && (e->plates = calloc((size_t)n + 1, sizeof(*e->plates)));
    for (const cJSON *p = ok ? plates->child : NULL; p; p = p->next)
        if (cJSON_IsString(p))
            snprintf(e->plates[e->nplates++], sizeof(*e->plates), "%s", p->valuestring);
    cJSON_Delete(plates);
    if (!ok)
        return false;
    snprintf(e->id, sizeof(e->id), "%s", row->id);
    e->starts = row->starts;
    e->ends = row->ends;
    s->nescorts++;
    return true;
}

void hp_snapshot_free_escorts(struct hp_snapshot *s)
{
    for (int i = 0; i < s->nescorts; i++)
        free(s->escorts[i].plates);
    free(s->escorts);
}

const struct hp_snap_escort *hp_snapshot_escort_covering(const struct hp_snapshot *s,
                                                         const char *plate, time_t from,
                                                         time_t to)
{
    for (int i = 0; i < s->nescorts; i++) {
        const struct hp_snap_escort *e = &s->escorts[i];
        if (e->starts > from || e->ends < to)
            continue;
        for (int k = 0; k < e->nplates; k++)
            if (strcmp(e->plates[k], plate) == 0)
                return e;
    }
    return NULL;
}
