/* Pass codes a person can read out and type: "HP-2026-" then 8 random
 * Crockford base32 characters and Crockford's mod-37 check character, which
 * catches any single wrong character and any swap of two neighbours. */
#ifndef HAULPASS_PASS_CODE_H
#define HAULPASS_PASS_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HP_PASS_CODE_LEN 17 /* HP-YYYY-XXXXXXXXC */
#define HP_PASS_CODE_BUF (HP_PASS_CODE_LEN + 1)

/* Writes a new code for year (1000..9999) from 40 random bits (token.h),
 * so one code says nothing about the next. False when the year is out of
 * range or no randomness could be had. */
bool hp_pass_code_new(int year, char out[HP_PASS_CODE_BUF]);

/* The code of year with the 8 body characters body (which must be
 * Crockford base32, upper case); false otherwise. For tests and new. */
bool hp_pass_code_make(int year, const char *body, char out[HP_PASS_CODE_BUF]);

/* Whether s is a well-formed code whose check character matches. */
bool hp_pass_code_valid(const char *s);

/* A valid code as its year and the 40 bits of its body, and back (the
 * check character is recomputed), for the signed code's layout. */
bool hp_pass_code_pack(const char *code, int *year, uint64_t *body);
bool hp_pass_code_unpack(int year, uint64_t body, char out[HP_PASS_CODE_BUF]);

#endif
