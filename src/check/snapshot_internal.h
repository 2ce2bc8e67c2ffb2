/* Between snapshot.c (shape) and snapshot_load.c (reading it). */
#ifndef HAULPASS_SNAPSHOT_INTERNAL_H
#define HAULPASS_SNAPSHOT_INTERNAL_H

#include "haulpass/snapshot.h"
#include "haulpass/snapshot_store.h"

/* A well-spread 64-bit hash of len bytes, for the snapshot's tables. */
uint64_t hp_snapshot_hash(const char *key, size_t len);
void hp_prep_init(struct hp_prep *p, const GEOSGeometry *g);
/* Frees a snapshot nobody else has seen. */
void hp_snapshot_discard(struct hp_snapshot *s);
/* Build the plate hash and the zone STRtree once the arrays are filled. */
bool hp_snapshot_index_plates(struct hp_snapshot *s);
bool hp_snapshot_index_users(struct hp_snapshot *s);
bool hp_snapshot_index_zones(struct hp_snapshot *s);
/* Zone ids to indexes: a million passes name their zones while loading. */
bool hp_snapshot_index_zone_ids(struct hp_snapshot *s);
/* The index in s->vehicles of this plate's vehicle (or tombstone) in s
 * itself, never its base; -1 when none. */
int hp_snapshot_own_vehicle(const struct hp_snapshot *s, const char *plate);
/* The index of the zone with this id (lower-case text), or -1. */
int hp_snapshot_zone_index(const struct hp_snapshot *s, const char *id);

/* Reads one stored escort into s->escorts (snapshot_escorts.c); false
 * when out of memory or its plates cannot be read. */
bool hp_snapshot_add_escort(struct hp_snapshot *s, const struct hp_stored_escort *row);
void hp_snapshot_free_escorts(struct hp_snapshot *s);

#endif
