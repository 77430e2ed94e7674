/*
 * diag.h - error messages of the scenario front end.
 *
 * Messages are collected in memory (so tests can look at them) and printed
 * as "FILE:LINE:COL: error: MESSAGE".  After `max_errors` errors (20 by
 * default) further errors are dropped and `full` is set so the loader stops.
 *
 * While a script is being loaded the loader points `src` at its text; an
 * error at a position in that file then also records the source line and a
 * caret under the column (gcc style), printed by scn_diag_print below the
 * message:
 *
 *     t.scn:3:5: error: unknown statement 'opne'
 *         3 | P1: opne h1
 *           |     ^
 */
#ifndef FLTSIM_DIAG_H
#define FLTSIM_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "scn.h"

#if defined(__GNUC__) || defined(__clang__)
#define SCN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCN_PRINTF(f, a)
#endif

#define SCN_DIAG_MAX_ERRORS 20

typedef struct scn_diag {
    char **msgs;       /* each a full line, without the newline */
    char **context;    /* parallel to msgs: source line and caret ("" when none) */
    size_t nmsgs;
    size_t cap;
    size_t nerrors;    /* errors recorded */
    size_t dropped;    /* errors not recorded because the limit was reached */
    size_t max_errors; /* 0 = no limit */
    int full;          /* the limit was reached */
    FILE *echo;        /* when set, every message is also printed here as it arrives */
    /* the script being loaded (set by the loader, cleared when it returns) */
    const char *src_file;
    const char *src;
    size_t src_len;
} scn_diag;

void scn_diag_init(scn_diag *d);
void scn_diag_free(scn_diag *d);
/* Record "FILE:LINE:COL: error: MESSAGE". Returns 0 (so callers can `return scn_error(...)`). */
int scn_error(scn_diag *d, scn_pos pos, const char *fmt, ...) SCN_PRINTF(3, 4);
/* An error that is not at a position in the file: "FILE: error: MESSAGE". */
int scn_error_file(scn_diag *d, const char *file, const char *fmt, ...) SCN_PRINTF(3, 4);
/* Adds the "too many errors" note when errors were dropped (call once at the end). */
void scn_diag_finish(scn_diag *d, const char *file);
/* Print every message, one a line, each followed by its source context. */
void scn_diag_print(const scn_diag *d, FILE *out);

#endif /* FLTSIM_DIAG_H */
