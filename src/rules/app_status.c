/* Application statuses and their allowed changes. */
#include "haulpass/app_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[HP_APP_STATUS_COUNT] = {
    [HP_APP_AWAITING_ENDORSEMENT] = "awaiting_endorsement",
    [HP_APP_QUEUED] = "queued",
    [HP_APP_IN_REVIEW] = "in_review",
    [HP_APP_APPROVED] = "approved",
    [HP_APP_APPROVED_PROVISIONAL] = "approved_provisional",
    [HP_APP_REJECTED] = "rejected",
    [HP_APP_WITHDRAWN] = "withdrawn",
};

/* The one table of allowed changes (mirrored by app_transitions in the
 * schema). An expired claim stays in_review and is claimable again, so
 * there is no way back to queued; withdrawal ends only what no officer
 * has started reviewing. */
static const struct {
    enum hp_app_status from, to;
} allowed[] = {
    {HP_APP_AWAITING_ENDORSEMENT, HP_APP_QUEUED},
    {HP_APP_AWAITING_ENDORSEMENT, HP_APP_WITHDRAWN},
    {HP_APP_QUEUED, HP_APP_IN_REVIEW},
    {HP_APP_QUEUED, HP_APP_WITHDRAWN},
    {HP_APP_IN_REVIEW, HP_APP_APPROVED},
    {HP_APP_IN_REVIEW, HP_APP_APPROVED_PROVISIONAL},
    {HP_APP_IN_REVIEW, HP_APP_REJECTED},
};

const char *hp_app_status_name(enum hp_app_status s)
{
    return (unsigned)s < HP_APP_STATUS_COUNT ? names[s] : NULL;
}

bool hp_app_status_parse(const char *s, enum hp_app_status *out)
{
    for (int i = 0; s && i < HP_APP_STATUS_COUNT; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum hp_app_status)i;
            return true;
        }
    }
    return false;
}

bool hp_app_status_allowed(enum hp_app_status from, enum hp_app_status to)
{
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (allowed[i].from == from && allowed[i].to == to)
            return true;
    return false;
}

bool hp_app_status_final(enum hp_app_status s)
{
    for (int to = 0; to < HP_APP_STATUS_COUNT; to++)
        if (hp_app_status_allowed(s, (enum hp_app_status)to))
            return false;
    return (unsigned)s < HP_APP_STATUS_COUNT;
}

static const struct {
    const char *type;
    int due_days, max_days;
} types[] = {
    {"construction", 1, 90}, {"urban_delivery", 3, 90}, {"oversize", 3, 90},
    {"hazmat", 0, 90},       {"temporary", 1, 3},
    /* A works' traffic plan is reviewed within 5 working days. */
    {"road_occupation", 5, 90},
};

int hp_app_due_days(const char *type, bool fast_track)
{
    for (size_t i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(type, types[i].type) == 0)
            return fast_track ? types[i].due_days / 2 : types[i].due_days;
    return -1;
}

int hp_app_max_days(const char *type)
{
    for (size_t i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(type, types[i].type) == 0)
            return types[i].max_days;
    return 0;
}
