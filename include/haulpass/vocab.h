/* The service's fixed vocabularies (docs/contract.md sections 3 and 7), each a
 * NULL-terminated list usable as an HP_JSON_ENUM's choices. */
#ifndef HAULPASS_VOCAB_H
#define HAULPASS_VOCAB_H

/* light_truck, medium_truck, … special */
extern const char *const hp_vehicle_classes[];

/* construction, urban_delivery, oversize, hazmat, temporary */
extern const char *const hp_pass_types[];
/* What an application may ask for: a pass of one of hp_pass_types, or a
 * road-occupation permit (which becomes a roadworks zone, no pass). */
extern const char *const hp_application_types[];

/* The index of s in list, or -1. */
int hp_vocab_index(const char *const *list, const char *s);

#endif
