/* Plate normalisation: separators out, ASCII and full-width letters to
 * upper case, then only A-Z, 0-9 and CJK ideographs may remain. */
#include "haulpass/plate.h"

#include "haulpass/json_body.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* White space that is not a control character: tab, newline and the like
 * are refused with the other controls, not removed (docs/contract.md
 * section 3). */
static bool is_space(uint32_t c)
{
    return c == ' ' || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 ||
           c == 0xFEFF;
}

/* Middle dots and hyphens people write between the parts of a plate. */
static bool is_separator(uint32_t c)
{
    return c == 0xB7 || c == 0x2022 || c == 0x2027 || c == 0x2219 || c == 0x22C5 ||
           c == 0x30FB || c == 0xFF65 || c == '-' || (c >= 0x2010 && c <= 0x2013) ||
           c == 0xFF0D;
}

static bool is_control(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

static bool is_ideograph(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

/* The kept form of c (A-Z, 0-9 or the ideograph itself), or 0. */
static uint32_t kept(uint32_t c)
{
    if (c >= 0xFF10 && c <= 0xFF5A) /* full-width digits and letters */
        c -= 0xFF10 - '0';
    if (c >= 'a' && c <= 'z')
        c -= 'a' - 'A';
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || is_ideograph(c))
        return c;
    return 0;
}

/* Appends c (below U+10000) to out as UTF-8; at is the byte count so far. */
static size_t put(char *out, size_t at, uint32_t c)
{
    if (c < 0x80) {
        out[at++] = (char)c;
    } else {
        out[at++] = (char)(0xE0 | (c >> 12));
        out[at++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[at++] = (char)(0x80 | (c & 0x3F));
    }
    return at;
}

enum hp_plate_status hp_plate_normalise(const char *in, char out[HP_PLATE_BUF], uint32_t *bad)
{
    const char *s = in, *end = in + strlen(in);
    enum hp_plate_status st = HP_PLATE_OK;
    size_t at = 0, chars = 0;
    out[0] = '\0';
    while (s < end) {
        uint32_t c;
        int n = hp_utf8_decode(s, (size_t)(end - s), &c);
        if (n == 0 || is_control(c)) {
            st = HP_PLATE_NOT_TEXT;
            break;
        }
        s += n;
        if (is_space(c) || is_separator(c))
            continue;
        uint32_t k = kept(c);
        if (!k) {
            if (st == HP_PLATE_OK) {
                st = HP_PLATE_BAD_CHAR; /* keep reading: a later byte may not be UTF-8 */
                if (bad)
                    *bad = c;
            }
            continue;
        }
        if (++chars <= HP_PLATE_MAX_CHARS)
            at = put(out, at, k);
    }
    out[at] = '\0';
    if (st == HP_PLATE_OK && chars == 0)
        st = HP_PLATE_EMPTY;
    else if (st == HP_PLATE_OK && chars < HP_PLATE_MIN_CHARS)
        st = HP_PLATE_TOO_SHORT;
    else if (st == HP_PLATE_OK && chars > HP_PLATE_MAX_CHARS)
        st = HP_PLATE_TOO_LONG;
    if (st != HP_PLATE_OK)
        out[0] = '\0';
    return st;
}

const char *hp_plate_message(enum hp_plate_status st)
{
    switch (st) {
    case HP_PLATE_OK: return "is a valid plate";
    case HP_PLATE_NOT_TEXT: return "must be UTF-8 text without control characters";
    case HP_PLATE_BAD_CHAR:
        return "may hold only the letters A-Z, digits and Chinese characters "
               "(spaces, middle dots and hyphens are removed)";
    case HP_PLATE_EMPTY: return "must not be empty";
    case HP_PLATE_TOO_SHORT: return "must be at least 2 characters long";
    case HP_PLATE_TOO_LONG: return "must be at most 12 characters long, separators not counted";
    }
    return "is not a valid plate";
}
