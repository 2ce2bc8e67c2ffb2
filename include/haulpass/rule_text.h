/*
 * A rule in a sentence, in Chinese and in English, for people reading the
 * public feed (docs/open-data.md): "heavy trucks over 4.5 t, 07:00–22:00
 * every day except public holidays". Pure: no I/O.
 *
 * Hours are put in words for the common forms (times, weekday ranges, a
 * trailing "PH off"); any other opening_hours text is quoted as it is, so
 * a sentence is never wrong, at worst less plain.
 */
#ifndef HAULPASS_RULE_TEXT_H
#define HAULPASS_RULE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct hp_rule;

enum hp_rule_lang { HP_RULE_LANG_EN, HP_RULE_LANG_ZH };

/* Writes the sentence for r into out[outlen] (NUL-terminated, cut short
 * if it does not fit); false when it was cut. */
bool hp_rule_text(const struct hp_rule *r, enum hp_rule_lang lang, char *out, size_t outlen);

/* A vehicle class's name (hp_vehicle_classes[i]) in words, plural in
 * English; NULL for an index out of range. */
const char *hp_rule_text_class(int i, enum hp_rule_lang lang);

#endif
