/*
 * diag.c - collecting and printing the scenario front end's messages, with
 * the offending source line and a caret under the column.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void scn_diag_init(scn_diag *d)
{
    memset(d, 0, sizeof(*d));
    d->max_errors = SCN_DIAG_MAX_ERRORS;
}

void scn_diag_free(scn_diag *d)
{
    for (size_t i = 0; i < d->nmsgs; i++) {
        free(d->msgs[i]);
        free(d->context[i]);
    }
    free(d->msgs);
    free(d->context);
    d->msgs = NULL;
    d->context = NULL;
    d->nmsgs = d->cap = 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (r)
        memcpy(r, s, n + 1);
    return r;
}

/* Takes ownership of `line` and `context` (either may be NULL). */
static void diag_add(scn_diag *d, char *line, char *context)
{
    if (!line) {
        free(context);
        return;
    }
    if (!context)
        context = dup_str("");
    if (!context) {
        free(line);
        return;
    }
    if (d->nmsgs == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        char **n = realloc(d->msgs, ncap * sizeof(*n));
        if (!n) {
            free(line);
            free(context);
            return;
        }
        d->msgs = n;
        char **c = realloc(d->context, ncap * sizeof(*c));
        if (!c) {
            free(line);
            free(context);
            return;
        }
        d->context = c;
        d->cap = ncap;
    }
    d->msgs[d->nmsgs] = line;
    d->context[d->nmsgs] = context;
    d->nmsgs++;
    if (d->echo) {
        fputs(line, d->echo);
        fputc('\n', d->echo);
        fputs(context, d->echo);
    }
}

static char *vformat(const char *prefix, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    size_t plen = strlen(prefix);
    char *s = malloc(plen + (size_t)n + 1);
    if (!s)
        return NULL;
    memcpy(s, prefix, plen);
    vsnprintf(s + plen, (size_t)n + 1, fmt, ap);
    return s;
}

static int diag_accept(scn_diag *d)
{
    if (d->max_errors && d->nerrors >= d->max_errors) {
        d->dropped++;
        d->full = 1;
        return 0;
    }
    d->nerrors++;
    if (d->max_errors && d->nerrors >= d->max_errors)
        d->full = 1;
    return 1;
}

/*
 * "    3 | text\n      |     ^\n" for line `pos.line` of the script being
 * loaded, or NULL when the position is not in it.  Tabs before the column
 * are kept in the caret line so the caret lines up in a terminal.
 */
static char *source_context(const scn_diag *d, scn_pos pos)
{
    if (!d->src || !pos.file || !d->src_file || strcmp(pos.file, d->src_file) != 0 || pos.line == 0)
        return NULL;
    const char *p = d->src, *end = d->src + d->src_len;
    for (uint32_t l = 1; l < pos.line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
    if (len && p[len - 1] == '\r')
        len--;
    char num[16];
    int w = snprintf(num, sizeof(num), "%u", (unsigned)pos.line);
    if (w < 4)
        w = 4;
    size_t col = pos.col ? pos.col - 1 : 0;
    if (col > len)
        col = len;
    size_t size = 2 * ((size_t)w + 8) + len + col + 8;
    char *s = malloc(size);
    if (!s)
        return NULL;
    int n = snprintf(s, size, "%*u | %.*s\n%*s | ", w, (unsigned)pos.line, (int)len, p, w, "");
    size_t used = n > 0 ? (size_t)n : 0;
    for (size_t i = 0; i < col && used + 3 < size; i++)
        s[used++] = p[i] == '\t' ? '\t' : ' ';
    s[used++] = '^';
    s[used++] = '\n';
    s[used] = '\0';
    return s;
}

int scn_error(scn_diag *d, scn_pos pos, const char *fmt, ...)
{
    if (!diag_accept(d))
        return 0;
    char prefix[1024];
    snprintf(prefix, sizeof(prefix), "%s:%u:%u: error: ", pos.file ? pos.file : "<script>",
             (unsigned)pos.line, (unsigned)pos.col);
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, vformat(prefix, fmt, ap), source_context(d, pos));
    va_end(ap);
    return 0;
}

int scn_error_file(scn_diag *d, const char *file, const char *fmt, ...)
{
    if (!diag_accept(d))
        return 0;
    char prefix[1024];
    snprintf(prefix, sizeof(prefix), "%s: error: ", file ? file : "<script>");
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, vformat(prefix, fmt, ap), NULL);
    va_end(ap);
    return 0;
}

void scn_diag_finish(scn_diag *d, const char *file)
{
    if (!d->full || d->max_errors == 0)
        return;
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s: note: too many errors, stopped after %zu", file ? file : "<script>",
             d->max_errors);
    diag_add(d, dup_str(buf), NULL);
}

void scn_diag_print(const scn_diag *d, FILE *out)
{
    for (size_t i = 0; i < d->nmsgs; i++) {
        fputs(d->msgs[i], out);
        fputc('\n', out);
        if (d->context && d->context[i])
            fputs(d->context[i], out);
    }
}
