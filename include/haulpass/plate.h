/*
 * Number plates in their one normal form (docs/contract.md section 3): the form in
 * which a plate is stored, looked up, compared and shown. Pure.
 *
 * Any control character (U+0000-U+001F, U+007F-U+009F: tab and newline
 * too) makes the text no plate (HP_PLATE_NOT_TEXT). Normalising removes
 * the other white space anywhere (so also trims), middle dots
 * (U+00B7 and its look-alikes U+2022, U+2027, U+2219, U+22C5, U+30FB,
 * U+FF65) and hyphens (U+002D, U+2010-U+2013, U+FF0D); turns a-z and the
 * full-width letters and digits (U+FF10-U+FF5A) into A-Z and 0-9. What is
 * left must be 2 to 12 characters, each A-Z, 0-9 or a CJK ideograph
 * (U+3400-U+4DBF, U+4E00-U+9FFF), so "鲁Q·12345" and " lu q-12345 " are
 * "鲁Q12345" and "LUQ12345". Letters of other scripts are refused: Cyrillic
 * and Greek capitals look like Latin ones and would let two records hold
 * what a camera reads as one plate.
 */
#ifndef HAULPASS_PLATE_H
#define HAULPASS_PLATE_H

#include <stdint.h>

#define HP_PLATE_MIN_CHARS 2
#define HP_PLATE_MAX_CHARS 12
/* Bytes for the longest normal plate and its NUL (ideographs take 3). */
#define HP_PLATE_BUF (HP_PLATE_MAX_CHARS * 3 + 1)

enum hp_plate_status {
    HP_PLATE_OK = 0,
    HP_PLATE_NOT_TEXT,  /* not UTF-8, or holds a control character */
    HP_PLATE_BAD_CHAR,  /* a character other than A-Z, 0-9 or an ideograph */
    HP_PLATE_EMPTY,     /* nothing is left once separators are removed */
    HP_PLATE_TOO_SHORT,
    HP_PLATE_TOO_LONG,
};

/*
 * Writes the normal form of the NUL-terminated text `in` to out. On any
 * status but HP_PLATE_OK out is "" and, for HP_PLATE_BAD_CHAR, *bad (when
 * bad is not NULL) is the first refused code point. Any input is safe.
 */
enum hp_plate_status hp_plate_normalise(const char *in, char out[HP_PLATE_BUF], uint32_t *bad);

/* A sentence for the user about a status other than HP_PLATE_OK (static). */
const char *hp_plate_message(enum hp_plate_status st);

#endif
