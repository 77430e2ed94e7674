/*
 * report.h - turning a stopped machine's FSIM_REPORT (and leak lists) into
 * WinDbg `!analyze -v`-style text or JSON.  report.c is the only place a
 * report becomes text.
 */
#ifndef FLTSIM_REPORT_H
#define FLTSIM_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "fltsim.h"

#if defined(__GNUC__) || defined(__clang__)
#define RB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RB_PRINTF(f, a)
#endif

/* A growable text buffer; on allocation failure `oom` is set and text is dropped. */
typedef struct rbuf {
    char *p;
    size_t len;
    size_t cap;
    int oom;
} rbuf;

void rb_printf(rbuf *b, const char *fmt, ...) RB_PRINTF(2, 3);
void rb_puts(rbuf *b, const char *s);
void rb_putn(rbuf *b, const char *s, size_t n);
void rb_pad(rbuf *b, char c, size_t n);
/* The text so far ("" when empty); valid until the next write. */
const char *rb_str(rbuf *b);
void rb_free(rbuf *b);

/* "ffffd001`2345e000": 16 hex digits, a backtick between the halves. */
void report_address(uint64_t address, char out[18]);
/* A pool tag as its 4 characters, low byte first ("FltC"); '.' for unprintable bytes. */
void report_tag(uint32_t tag, char out[5]);

/* The whole report as text / as one JSON object (with a trailing newline). */
void report_render_text(rbuf *b, const FSIM_REPORT *r);
void report_render_json(rbuf *b, const FSIM_REPORT *r);
/* "LEAKED OBJECTS:" and a table, one object a line (nothing when n == 0). */
void report_render_leaks(rbuf *b, const FSIM_REPORT_LEAK *leaks, size_t n);
/* Leaks as a JSON array. */
void report_render_leaks_json(rbuf *b, const FSIM_REPORT_LEAK *leaks, size_t n, int indent);
/* A JSON string literal for `s` (null for NULL). */
void report_json_string(rbuf *b, const char *s);

/* Convenience: malloc'd text of a report (NULL on allocation failure). */
char *report_text(const FSIM_REPORT *r);

#endif /* FLTSIM_REPORT_H */
