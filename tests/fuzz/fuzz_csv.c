/* libFuzzer target: the fleet import's reading path (CSV records, then each
 * field as a plate), with the invariants the import relies on. */
#include "haulpass/csv.h"
#include "haulpass/plate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The server hands handlers a NUL-terminated copy. */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct hp_csv csv;
    struct hp_csv_record rec;
    hp_csv_init(&csv, text, size);
    int last_line = 0;
    while (hp_csv_next(&csv, &rec)) {
        if (rec.line <= last_line || rec.nfields > HP_CSV_MAX_FIELDS)
            abort(); /* lines go forward; fields fit */
        last_line = rec.line;
        for (int i = 0; !rec.error && i < rec.nfields; i++) {
            if (rec.field[i] < text || rec.field[i] > text + size)
                abort(); /* decoded in place */
            char plate[HP_PLATE_BUF];
            enum hp_plate_status st = hp_plate_normalise(rec.field[i], plate, NULL);
            size_t n = strlen(plate);
            if ((st == HP_PLATE_OK) != (n > 0) || n >= HP_PLATE_BUF)
                abort();
        }
    }
    free(text);
    return 0;
}
