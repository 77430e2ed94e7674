/*
 * scn_validate.c - checking and decoding scenario statements: what each
 * verb accepts, value decoding (numbers, sizes, durations, statuses, flag
 * sets, paths, driver images), defaults, and the names a script declares
 * (volumes, services, instances, processes, handles) with their life cycle.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- what each statement accepts ------------------------------------------------------ */

enum role {
    R_NONE,
    R_DECL_PROCESS,
    R_DECL_HANDLE,
    R_USE_HANDLE,
    R_DECL_SERVICE,
    R_USE_SERVICE,
    R_DECL_VOLUME,
};

#define A_REQ 1u     /* must be given */
#define A_CURRENT 2u /* a size that also accepts "current" (SCN_OFFSET_CURRENT) */

typedef struct argspec {
    const char *name; /* key; for positionals what the argument is */
    scn_type type;
    const scn_table *table;
    const char *def; /* default, decoded like written text; NULL: none */
    unsigned flags;
    int role;
} argspec;

typedef struct verbspec {
    scn_verb verb;
    const char *word; /* keyword; for expectations the word after "expect" */
    int actor;        /* a process operation ("P1: ...") */
    const char *usage;
    argspec pos[3];
    argspec keys[10];
    int free_keys; /* param: any key, a registry value */
} verbspec;

#define POS(n, t, tab, fl, role) { n, t, tab, NULL, fl, role }
#define KEY(n, t, tab, def, fl) { n, t, tab, def, fl, R_NONE }
#define EXPECT_KEY KEY("expect", SCN_T_STATUS, NULL, "STATUS_SUCCESS", 0)
#define HANDLE_POS POS("handle", SCN_T_IDENT, NULL, A_REQ, R_USE_HANDLE)

static const verbspec verbs[] = {
    { SCN_VERB_MACHINE, "machine", 0,
      "machine [seed=N] [verifier=FLAGS|none] [track-locked-pages=0|1] [stack=SIZE] [trace=0|1]",
      { { 0 } },
      { KEY("seed", SCN_T_NUMBER, NULL, "0", 0), KEY("verifier", SCN_T_FLAGS, &scn_tab_verifier, "none", 0),
        KEY("track-locked-pages", SCN_T_BOOL, NULL, "0", 0), KEY("stack", SCN_T_SIZE32, NULL, "0x6000", 0),
        KEY("trace", SCN_T_BOOL, NULL, "0", 0) },
      0 },
    { SCN_VERB_VOLUME, "volume", 0, "volume C: | volume \\\\server\\share [latency=DURATION] [csc=0|1] [caching=0|1]",
      { POS("volume", SCN_T_VOLUME, NULL, A_REQ, R_DECL_VOLUME) },
      { KEY("latency", SCN_T_DURATION, NULL, NULL, 0), KEY("csc", SCN_T_BOOL, NULL, NULL, 0),
        KEY("caching", SCN_T_BOOL, NULL, NULL, 0) },
      0 },
    { SCN_VERB_DIR, "dir", 0, "dir \"C:\\dir\"", { POS("path", SCN_T_PATH, NULL, A_REQ, R_NONE) }, { { 0 } }, 0 },
    { SCN_VERB_FILE, "file", 0, "file \"C:\\dir\\a.txt\" [size=SIZE | text=\"...\"]",
      { POS("path", SCN_T_PATH, NULL, A_REQ, R_NONE) },
      { KEY("size", SCN_T_SIZE, NULL, NULL, 0), KEY("text", SCN_T_TEXT, NULL, NULL, 0) },
      0 },
    { SCN_VERB_DRIVER, "driver", 0, "driver NAME path=IMAGE [altitude=A] [flags=N] [instance=\"Name\"]",
      { POS("service name", SCN_T_SERVICE, NULL, A_REQ, R_DECL_SERVICE) },
      { KEY("path", SCN_T_IMAGE, NULL, NULL, A_REQ), KEY("altitude", SCN_T_ALTITUDE, NULL, NULL, 0),
        KEY("flags", SCN_T_U32, NULL, "0", 0), KEY("instance", SCN_T_TEXT, NULL, NULL, 0) },
      0 },
    { SCN_VERB_INSTANCE, "instance", 0, "instance NAME \"Instance Name\" altitude=A [flags=N]",
      { POS("service name", SCN_T_SERVICE, NULL, A_REQ, R_USE_SERVICE),
        POS("instance name", SCN_T_TEXT, NULL, A_REQ, R_NONE) },
      { KEY("altitude", SCN_T_ALTITUDE, NULL, NULL, A_REQ), KEY("flags", SCN_T_U32, NULL, "0", 0) },
      0 },
    { SCN_VERB_PARAM, "param", 0, "param NAME Key=dword:N | Key=\"string\" ...",
      { POS("service name", SCN_T_SERVICE, NULL, A_REQ, R_USE_SERVICE) }, { { 0 } }, 1 },
    { SCN_VERB_LOAD, "load", 0, "load NAME [expect=STATUS]",
      { POS("service name", SCN_T_SERVICE, NULL, A_REQ, R_USE_SERVICE) }, { EXPECT_KEY }, 0 },
    { SCN_VERB_UNLOAD, "unload", 0, "unload NAME [expect=STATUS]",
      { POS("service name", SCN_T_SERVICE, NULL, A_REQ, R_USE_SERVICE) }, { EXPECT_KEY }, 0 },
    { SCN_VERB_PROCESS, "process", 0, "process NAME [image=NAME.exe]",
      { POS("process name", SCN_T_IDENT, NULL, A_REQ, R_DECL_PROCESS) }, { KEY("image", SCN_T_TEXT, NULL, NULL, 0) },
      0 },
    { SCN_VERB_ADVANCE, "advance", 0, "advance DURATION (e.g. advance 10ms)",
      { POS("duration", SCN_T_DURATION, NULL, A_REQ, R_NONE) }, { { 0 } }, 0 },
    { SCN_VERB_OPEN, "open", 1,
      "P1: open HANDLE \"C:\\path\" [access=...] [share=...] [disposition=...] [options=...] [attributes=...] "
      "[expect=STATUS]",
      { POS("handle name", SCN_T_IDENT, NULL, A_REQ, R_DECL_HANDLE), POS("path", SCN_T_PATH, NULL, A_REQ, R_NONE) },
      { KEY("access", SCN_T_FLAGS, &scn_tab_access, "read", 0), KEY("share", SCN_T_FLAGS, &scn_tab_share, "read|write", 0),
        KEY("disposition", SCN_T_ENUM, &scn_tab_disposition, "open", 0),
        KEY("options", SCN_T_FLAGS, &scn_tab_options, "0", 0),
        KEY("attributes", SCN_T_FLAGS, &scn_tab_attributes, "normal", 0), EXPECT_KEY },
      0 },
    { SCN_VERB_READ, "read", 1, "P1: read HANDLE length=N [offset=N] [data=\"text\"] [expect=STATUS]",
      { HANDLE_POS },
      { KEY("length", SCN_T_SIZE32, NULL, NULL, A_REQ), KEY("offset", SCN_T_SIZE, NULL, "current", A_CURRENT),
        KEY("data", SCN_T_TEXT, NULL, NULL, 0), EXPECT_KEY },
      0 },
    { SCN_VERB_MAP, "map", 1, "P1: map HANDLE length=N [offset=N] [data=\"text\"] [expect=STATUS]",
      { HANDLE_POS },
      { KEY("length", SCN_T_SIZE32, NULL, NULL, A_REQ), KEY("offset", SCN_T_SIZE, NULL, "0", 0),
        KEY("data", SCN_T_TEXT, NULL, NULL, 0), EXPECT_KEY },
      0 },
    { SCN_VERB_WRITE, "write", 1, "P1: write HANDLE length=N | text=\"...\" [offset=N] [expect=STATUS]",
      { HANDLE_POS },
      { KEY("length", SCN_T_SIZE32, NULL, NULL, 0), KEY("text", SCN_T_TEXT, NULL, NULL, 0),
        KEY("offset", SCN_T_SIZE, NULL, "current", A_CURRENT), EXPECT_KEY },
      0 },
    { SCN_VERB_QUERY, "query", 1, "P1: query HANDLE CLASS [length=N] [expect=STATUS]",
      { HANDLE_POS, POS("information class", SCN_T_INFO_CLASS, NULL, A_REQ, R_NONE) },
      { KEY("length", SCN_T_SIZE32, NULL, "4096", 0), EXPECT_KEY },
      0 },
    { SCN_VERB_SET, "set", 1,
      "P1: set HANDLE EndOfFile size=N | Allocation size=N | Disposition [delete=0|1] | DispositionEx [flags=...] | "
      "Position offset=N | Basic attributes=... | Rename to=\"C:\\new\" [replace=0|1] | Link to=\"C:\\new\" "
      "[replace=0|1]",
      { HANDLE_POS, POS("information class", SCN_T_INFO_CLASS, NULL, A_REQ, R_NONE) },
      { KEY("size", SCN_T_SIZE, NULL, NULL, 0), KEY("delete", SCN_T_BOOL, NULL, NULL, 0),
        KEY("flags", SCN_T_FLAGS, &scn_tab_dispex, NULL, 0), KEY("offset", SCN_T_SIZE, NULL, NULL, 0),
        KEY("attributes", SCN_T_FLAGS, &scn_tab_attributes, NULL, 0), KEY("to", SCN_T_PATH, NULL, NULL, 0),
        KEY("replace", SCN_T_BOOL, NULL, NULL, 0), EXPECT_KEY },
      0 },
    { SCN_VERB_QUERY_SECURITY, "query-security", 1, "P1: query-security HANDLE [info=owner|group|dacl|sacl] [length=N]",
      { HANDLE_POS },
      { KEY("info", SCN_T_FLAGS, &scn_tab_secinfo, "owner|group|dacl", 0), KEY("length", SCN_T_SIZE32, NULL, "1024", 0),
        EXPECT_KEY },
      0 },
    { SCN_VERB_LIST, "list", 1, "P1: list HANDLE [pattern=\"*.txt\"] [class=Both|Directory|Full|Names|IdBoth|IdFull] [length=N]",
      { HANDLE_POS },
      { KEY("pattern", SCN_T_TEXT, NULL, NULL, 0), KEY("class", SCN_T_INFO_CLASS, &scn_tab_dirclass, "Both", 0),
        KEY("length", SCN_T_SIZE32, NULL, "4096", 0), EXPECT_KEY },
      0 },
    { SCN_VERB_CLOSE, "close", 1, "P1: close HANDLE [expect=STATUS]", { HANDLE_POS }, { EXPECT_KEY }, 0 },
    { SCN_VERB_COPY, "copy", 1, "P1: copy \"C:\\from\" \"C:\\to\" [expect=STATUS]",
      { POS("source path", SCN_T_PATH, NULL, A_REQ, R_NONE), POS("target path", SCN_T_PATH, NULL, A_REQ, R_NONE) },
      { EXPECT_KEY },
      0 },
    { SCN_VERB_SERVE, "serve", 1,
      "P1: serve port=\"\\\\Name\" [reply=\"text\"|byte:N|dword:N] [delay=DURATION] [open=\"C:\\path\"] "
      "[context=\"text\"] [hello=\"text\"] [expect=STATUS]",
      { { 0 } },
      { KEY("port", SCN_T_TEXT, NULL, NULL, A_REQ), KEY("reply", SCN_T_TEXT, NULL, NULL, 0),
        KEY("delay", SCN_T_DURATION, NULL, NULL, 0), KEY("open", SCN_T_PATH, NULL, NULL, 0),
        KEY("context", SCN_T_TEXT, NULL, NULL, 0), KEY("hello", SCN_T_TEXT, NULL, NULL, 0), EXPECT_KEY },
      0 },
    { SCN_VERB_EXIT, "exit", 1, "P1: exit [expect=STATUS]", { { 0 } }, { EXPECT_KEY }, 0 },
    { SCN_VERB_EXPECT_BUGCHECK, "bugcheck", 0, "expect bugcheck CODE [arg1=V|irp|mdl|process|...] ... [arg4=...]",
      { POS("bugcheck code", SCN_T_U32, NULL, A_REQ, R_NONE) },
      { KEY("arg1", SCN_T_BUGCHECK_ARG, NULL, NULL, 0), KEY("arg2", SCN_T_BUGCHECK_ARG, NULL, NULL, 0),
        KEY("arg3", SCN_T_BUGCHECK_ARG, NULL, NULL, 0), KEY("arg4", SCN_T_BUGCHECK_ARG, NULL, NULL, 0) },
      0 },
    { SCN_VERB_EXPECT_NO_BUGCHECK, "no-bugcheck", 0, "expect no-bugcheck", { { 0 } }, { { 0 } }, 0 },
    { SCN_VERB_EXPECT_HANG, "hang", 0, "expect hang [contains=\"text\"]", { { 0 } },
      { KEY("contains", SCN_T_TEXT, NULL, NULL, 0) }, 0 },
    { SCN_VERB_EXPECT_LOG, "log", 0, "expect log \"text\"", { POS("text", SCN_T_TEXT, NULL, A_REQ, R_NONE) },
      { { 0 } }, 0 },
    { SCN_VERB_EXPECT_NO_LOG, "no-log", 0, "expect no-log \"text\"",
      { POS("text", SCN_T_TEXT, NULL, A_REQ, R_NONE) }, { { 0 } }, 0 },
    { SCN_VERB_EXPECT_LOG_COUNT, "log-count", 0, "expect log-count \"text\" N",
      { POS("text", SCN_T_TEXT, NULL, A_REQ, R_NONE), POS("count", SCN_T_NUMBER, NULL, A_REQ, R_NONE) }, { { 0 } },
      0 },
    { SCN_VERB_EXPECT_REPORT, "report", 0, "expect report contains=\"text\"", { { 0 } },
      { KEY("contains", SCN_T_TEXT, NULL, NULL, A_REQ) }, 0 },
    { SCN_VERB_EXPECT_NO_LEAKS, "no-leaks", 0, "expect no-leaks", { { 0 } }, { { 0 } }, 0 },
    { SCN_VERB_EXPECT_HEADROOM, "headroom", 0, "expect headroom min=SIZE", { { 0 } },
      { KEY("min", SCN_T_SIZE, NULL, NULL, A_REQ) }, 0 },
};

static const verbspec *spec_of(scn_verb verb)
{
    for (size_t i = 0; i < COUNT(verbs); i++)
        if (verbs[i].verb == verb)
            return &verbs[i];
    return NULL;
}

static size_t npos_of(const verbspec *vs)
{
    size_t n = 0;
    while (n < COUNT(vs->pos) && vs->pos[n].name)
        n++;
    return n;
}

static size_t nkeys_of(const verbspec *vs)
{
    size_t n = 0;
    while (n < COUNT(vs->keys) && vs->keys[n].name)
        n++;
    return n;
}

/* --- verbs ----------------------------------------------------------------------------- */

scn_verb scn_verb_lookup(const char *word, size_t len)
{
    for (size_t i = 0; i < COUNT(verbs); i++)
        if (!SCN_VERB_IS_EXPECT(verbs[i].verb) && scn_ieqn(word, len, verbs[i].word))
            return verbs[i].verb;
    return SCN_VERB_INVALID;
}

scn_verb scn_expect_lookup(const char *word, size_t len)
{
    for (size_t i = 0; i < COUNT(verbs); i++)
        if (SCN_VERB_IS_EXPECT(verbs[i].verb) && scn_ieqn(word, len, verbs[i].word))
            return verbs[i].verb;
    return SCN_VERB_INVALID;
}

int scn_word_is_process_op(const char *word, size_t len)
{
    scn_verb v = scn_verb_lookup(word, len);
    return SCN_VERB_IS_PROCESS_OP(v);
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Levenshtein distance, case-insensitive, for short words (else a large value). */
static size_t edit_distance(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen > 63 || blen > 63)
        return 100;
    size_t row[64];
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t up = row[j];
            size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[blen];
}

const char *scn_suggest(const char *word, size_t len, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, len, candidates[i]);
        if (d < bestd && d < len) {
            bestd = d;
            best = candidates[i];
        }
    }
    return best;
}

void scn_verb_unknown(scn_diag *diag, scn_pos pos, const char *word, size_t len, int actor)
{
    const char *cands[COUNT(verbs) + 1];
    size_t n = 0;
    for (size_t i = 0; i < COUNT(verbs); i++)
        if (!SCN_VERB_IS_EXPECT(verbs[i].verb) && (!actor || SCN_VERB_IS_PROCESS_OP(verbs[i].verb)))
            cands[n++] = verbs[i].word;
    if (!actor)
        cands[n++] = "expect";
    const char *s = scn_suggest(word, len, cands, n);
    if (s)
        scn_error(diag, pos, "unknown %s '%.*s'; did you mean '%s'?", actor ? "operation" : "statement", (int)len,
                  word, s);
    else if (actor)
        scn_error(diag, pos,
                  "unknown operation '%.*s' (process operations: open, read, write, query, set, query-security, list, "
                  "close, copy, exit)",
                  (int)len, word);
    else
        scn_error(diag, pos,
                  "unknown statement '%.*s' (statements: machine, volume, dir, file, driver, instance, param, load, "
                  "unload, process, advance, expect, and process operations 'P1: open|read|write|query|set|"
                  "query-security|list|close|copy|map|serve|exit')",
                  (int)len, word);
}

/* --- number decoding --------------------------------------------------------------------- */

static int digits(const char *s, size_t len, int base, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / (uint64_t)base)
            return -2;
        v = v * (uint64_t)base + d;
    }
    *out = v;
    return 0;
}

/* A number: decimal or 0x hex. Returns 0, -1 (not a number) or -2 (too large). */
static int number(const char *s, size_t len, uint64_t *out)
{
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return digits(s + 2, len - 2, 16, out);
    return digits(s, len, 10, out);
}

int scn_parse_number(const char *s, size_t len, uint64_t *out, char *err, size_t errsize)
{
    int r = number(s, len, out);
    if (r == -1)
        snprintf(err, errsize, "'%.*s' is not a number (write decimal or 0x hex)", (int)len, s);
    else if (r == -2)
        snprintf(err, errsize, "'%.*s' is too large", (int)len, s);
    return r ? -1 : 0;
}

int scn_parse_size(const char *s, size_t len, uint64_t *out, char *err, size_t errsize)
{
    uint64_t mult = 1;
    size_t n = len;
    if (n > 1) {
        char c = lower(s[n - 1]);
        int hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        if (c == 'k')
            mult = 1024;
        else if (c == 'm')
            mult = 1024 * 1024;
        else if (c == 'g')
            mult = 1024 * 1024 * 1024;
        (void)hex;
        if (mult != 1)
            n--;
    }
    uint64_t v;
    int r = number(s, n, &v);
    if (r == -1) {
        snprintf(err, errsize, "'%.*s' is not a size (a number with an optional K, M or G suffix)", (int)len, s);
        return -1;
    }
    if (r == -2 || v > UINT64_MAX / mult) {
        snprintf(err, errsize, "'%.*s' is too large", (int)len, s);
        return -1;
    }
    *out = v * mult;
    return 0;
}

int scn_parse_duration(const char *s, size_t len, uint64_t *out, char *err, size_t errsize)
{
    static const struct {
        const char *suffix;
        uint64_t ns;
    } units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };
    for (size_t i = 0; i < COUNT(units); i++) {
        size_t sl = strlen(units[i].suffix);
        if (len > sl && scn_ieqn(s + len - sl, sl, units[i].suffix)) {
            uint64_t v;
            int r = number(s, len - sl, &v);
            if (r == -1)
                break;
            if (r == -2 || v > UINT64_MAX / units[i].ns) {
                snprintf(err, errsize, "'%.*s' is too large", (int)len, s);
                return -1;
            }
            *out = v * units[i].ns;
            return 0;
        }
    }
    uint64_t v;
    if (number(s, len, &v) == 0 && v == 0) {
        *out = 0;
        return 0;
    }
    if (number(s, len, &v) == 0)
        snprintf(err, errsize, "'%.*s' needs a unit: ns, us, ms or s (e.g. %.*sms)", (int)len, s, (int)len, s);
    else
        snprintf(err, errsize, "'%.*s' is not a duration (a number followed by ns, us, ms or s)", (int)len, s);
    return -1;
}

/* --- validator state --------------------------------------------------------------------- */

enum { HS_OPEN, HS_FAILED, HS_CLOSED, HS_GONE };

typedef struct inst_rec {
    int service;
    const char *name;
    uint32_t line;
} inst_rec;

typedef struct hstate {
    int state;
    uint32_t line; /* of the open (HS_OPEN, HS_FAILED) or of the close / exit */
} hstate;

struct scn_vstate {
    size_t nseen;        /* statements seen, valid or not */
    uint32_t first_line; /* of the first statement */
    uint32_t machine_line;
    size_t cap_stmts, cap_volumes, cap_processes, cap_services, cap_handles;
    inst_rec *inst;
    size_t ninst, cap_inst;
    hstate *hs;             /* parallel to script->handles */
    uint32_t *exited;       /* parallel to script->processes: line of `exit`, 0 */
    uint32_t expect_line[SCN_VERB_COUNT];
    scn_pos report_pos;     /* the first `expect report` */
};

scn_vstate *scn_vstate_new(void)
{
    return calloc(1, sizeof(scn_vstate));
}

void scn_vstate_free(scn_vstate *v)
{
    if (!v)
        return;
    free(v->inst);
    free(v->hs);
    free(v->exited);
    free(v);
}

void scn_vstate_begin(scn_script *s, scn_vstate *v)
{
    (void)v;
    memset(&s->machine, 0, sizeof(s->machine));
    s->machine.stack_size = 0x6000;
}

void scn_vstate_end(scn_script *s, scn_vstate *v, scn_diag *diag)
{
    (void)s;
    if (v->expect_line[SCN_VERB_EXPECT_REPORT] && !v->expect_line[SCN_VERB_EXPECT_BUGCHECK] &&
        !v->expect_line[SCN_VERB_EXPECT_HANG])
        scn_error(diag, v->report_pos,
                  "'expect report' needs 'expect bugcheck' or 'expect hang' (a report exists only when the machine "
                  "stops)");
}

/* Grow `*p` (elements of `size`) so that index n fits; 0 or -1. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap <= n)
        ncap *= 2;
    void *np = realloc(*p, ncap * size);
    if (!np)
        return -1;
    memset((char *)np + *cap * size, 0, (ncap - *cap) * size);
    *p = np;
    *cap = ncap;
    return 0;
}

/* --- value decoding ----------------------------------------------------------------------- */

static scn_pos col_plus(scn_pos p, size_t n)
{
    p.col += (uint32_t)n;
    return p;
}

/* Where the value's text starts (after an opening quote). */
static scn_pos text_pos(const scn_arg *a)
{
    return a->quoted ? col_plus(a->value_pos, 1) : a->value_pos;
}

static const char *arg_label(const scn_arg *a, const argspec *sp)
{
    return a->key ? a->key : sp->name;
}

static int is_ident(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int is_service_name(const char *s, size_t n)
{
    if (n == 0 || n > 255)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return 0;
    }
    return 1;
}

static int is_drive(const char *s, size_t n)
{
    return n == 2 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) && s[1] == ':';
}

/* "\\server\share": returns the length of the prefix, 0 if `s` does not start with one. */
static size_t unc_prefix(const char *s, size_t n)
{
    if (n < 5 || s[0] != '\\' || s[1] != '\\')
        return 0;
    size_t i = 2;
    while (i < n && s[i] != '\\')
        i++;
    if (i == 2 || i >= n)
        return 0;
    size_t share = ++i;
    while (i < n && s[i] != '\\')
        i++;
    if (i == share)
        return 0;
    return i;
}

static int find_volume(const scn_script *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->nvolumes; i++)
        if (scn_ieqn(name, len, s->volumes[i].name))
            return (int)i;
    return -1;
}

static int check_path(scn_script *s, scn_arg *a, scn_diag *diag)
{
    const char *p = a->text;
    size_t n = a->len;
    scn_pos tp = text_pos(a);
    const char *slash = memchr(p, '/', n);
    if (slash)
        return scn_error(diag, col_plus(tp, (size_t)(slash - p)),
                         "write Windows paths with '\\', not '/' (\"C:\\dir\\file.txt\")"),
               -1;
    size_t vlen;
    if (n >= 2 && is_drive(p, 2)) {
        if (n < 3 || p[2] != '\\')
            return scn_error(diag, tp, "path '%s' is not absolute (write \"%c:\\...\")", p, p[0]), -1;
        vlen = 2;
    } else if ((vlen = unc_prefix(p, n)) == 0) {
        return scn_error(diag, tp,
                         "path '%s' is not an absolute path on a volume (write \"C:\\dir\\file\" or "
                         "\"\\\\server\\share\\file\")",
                         p),
               -1;
    }
    if (find_volume(s, p, vlen) < 0)
        return scn_error(diag, tp, "path '%s' is not on a declared volume (declare it first: 'volume %.*s')", p,
                         (int)vlen, p),
               -1;
    for (size_t i = vlen; i + 1 < n; i++)
        if (p[i] == '\\' && p[i + 1] == '\\')
            return scn_error(diag, col_plus(tp, i), "empty path component ('\\\\') in '%s'", p), -1;
    return 0;
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static int resolve_image(scn_script *s, scn_arg *a, scn_diag *diag)
{
    scn_pos tp = text_pos(a);
    if (a->len == 0)
        return scn_error(diag, tp, "empty driver image path"), -1;
    if (a->text[0] == '/') {
        if (file_exists(a->text)) {
            a->resolved = a->text;
            return 0;
        }
        return scn_error(diag, tp, "driver image '%s' not found", a->text), -1;
    }
    size_t need = strlen(s->dir) + a->len + 2;
    char *p = scn_arena_alloc(s->arena, need);
    if (!p)
        return -1;
    if (strcmp(s->dir, ".") == 0)
        snprintf(p, need, "%s", a->text);
    else
        snprintf(p, need, "%s/%s", s->dir, a->text);
    if (file_exists(p)) {
        a->resolved = p;
        return 0;
    }
    const char *env = getenv("FLTSIM_DRIVERS");
    if (env && *env) {
        need = strlen(env) + a->len + 2;
        p = scn_arena_alloc(s->arena, need);
        if (!p)
            return -1;
        snprintf(p, need, "%s/%s", env, a->text);
        if (file_exists(p)) {
            a->resolved = p;
            return 0;
        }
        return scn_error(diag, tp, "driver image '%s' not found (looked in %s/ and in $FLTSIM_DRIVERS=%s)", a->text,
                         s->dir, env),
               -1;
    }
    return scn_error(diag, tp, "driver image '%s' not found (looked in %s/; $FLTSIM_DRIVERS is not set)", a->text,
                     s->dir),
           -1;
}

static int decode_items(const scn_table *t, scn_arg *a, int single, scn_diag *diag)
{
    const char *p = a->text;
    size_t n = a->len;
    scn_pos tp = text_pos(a);
    uint64_t acc = 0;
    size_t i = 0;
    if (n == 0)
        return scn_error(diag, tp, "missing %s value", t->what), -1;
    for (;;) {
        size_t j = i;
        while (j < n && p[j] != '|')
            j++;
        if (single && j < n)
            return scn_error(diag, col_plus(tp, j), "%s takes one value, not a '|' list", t->what), -1;
        if (j == i)
            return scn_error(diag, col_plus(tp, i), "empty item in the %s list '%s'", t->what, p), -1;
        uint64_t v;
        if (!scn_table_lookup(t, p + i, j - i, &v)) {
            int r = t->numbers_ok ? number(p + i, j - i, &v) : -1;
            if (r == 0 && v > UINT32_MAX)
                r = -2;
            if (r != 0) {
                char list[512];
                scn_table_list(t, list, sizeof(list));
                const char *cands[64];
                size_t nc = 0;
                for (size_t k = 0; k < t->count && nc < COUNT(cands); k++)
                    cands[nc++] = t->items[k].name;
                const char *sug = scn_suggest(p + i, j - i, cands, nc);
                if (sug)
                    return scn_error(diag, col_plus(tp, i), "unknown %s '%.*s'; did you mean '%s'?", t->what,
                                     (int)(j - i), p + i, sug),
                           -1;
                return scn_error(diag, col_plus(tp, i), "unknown %s '%.*s' (accepted: %s%s)", t->what, (int)(j - i),
                                 p + i, list, t->numbers_ok ? ", or a number" : ""),
                       -1;
            }
        }
        acc |= v;
        if (j >= n)
            break;
        i = j + 1;
        if (i >= n)
            return scn_error(diag, col_plus(tp, j), "empty item in the %s list '%s'", t->what, p), -1;
    }
    a->u = acc;
    return 0;
}

static int is_altitude(const char *s, size_t n)
{
    size_t i = 0, d1 = 0, d2 = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, d1++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d2++;
        if (d2 == 0)
            return 0;
    }
    return d1 > 0 && i == n;
}

static int directory_class(uint64_t c)
{
    return c == 1 || c == 2 || c == 3 || c == 12 || c == 37 || c == 38;
}

/* Decode `a` as `sp` says. 0 or -1 (reported). */
static int decode(scn_script *s, const argspec *sp, scn_arg *a, scn_diag *diag)
{
    char err[512];
    scn_pos tp = text_pos(a);
    const char *label = arg_label(a, sp);
    a->type = sp->type;
    if (a->key && a->len == 0 && !a->quoted)
        return scn_error(diag, a->value_pos, "missing value after '%s='", a->key), -1;
    switch (sp->type) {
    case SCN_T_TEXT:
        return 0;
    case SCN_T_IDENT:
        if (!is_ident(a->text, a->len))
            return scn_error(diag, tp,
                             "'%s' is not a valid %s (a letter or '_' followed by letters, digits, '_' or '-')",
                             a->text, sp->name),
                   -1;
        return 0;
    case SCN_T_SERVICE:
        if (!is_service_name(a->text, a->len))
            return scn_error(diag, tp, "'%s' is not a valid service name (letters, digits, '_', '-', '.')", a->text),
                   -1;
        return 0;
    case SCN_T_PATH:
        return check_path(s, a, diag);
    case SCN_T_VOLUME:
        if (is_drive(a->text, a->len)) {
            char *t = scn_arena_strndup(s->arena, a->text, 2);
            if (!t)
                return -1;
            if (t[0] >= 'a' && t[0] <= 'z')
                t[0] = (char)(t[0] - 'a' + 'A');
            a->text = t;
            a->kind = 0;
            return 0;
        }
        if (unc_prefix(a->text, a->len) == a->len) {
            a->kind = 1;
            return 0;
        }
        return scn_error(diag, tp, "'%s' is not a volume (write a drive 'C:' or a share '\\\\server\\share')",
                         a->text),
               -1;
    case SCN_T_IMAGE:
        return resolve_image(s, a, diag);
    case SCN_T_NUMBER:
    case SCN_T_U32:
        if (scn_parse_number(a->text, a->len, &a->u, err, sizeof(err)) < 0)
            return scn_error(diag, tp, "%s: %s", label, err), -1;
        if (sp->type == SCN_T_U32 && a->u > UINT32_MAX)
            return scn_error(diag, tp, "%s: %s does not fit in 32 bits", label, a->text), -1;
        return 0;
    case SCN_T_SIZE:
    case SCN_T_SIZE32:
        if ((sp->flags & A_CURRENT) && scn_ieq(a->text, "current")) {
            a->u = SCN_OFFSET_CURRENT;
            return 0;
        }
        if (scn_parse_size(a->text, a->len, &a->u, err, sizeof(err)) < 0)
            return scn_error(diag, tp, "%s: %s", label, err), -1;
        if (sp->type == SCN_T_SIZE32 && a->u > UINT32_MAX)
            return scn_error(diag, tp, "%s: %s does not fit in 32 bits (at most 4G-1)", label, a->text), -1;
        if ((sp->flags & A_CURRENT) && a->u == SCN_OFFSET_CURRENT)
            return scn_error(diag, tp, "%s: %s is too large", label, a->text), -1;
        return 0;
    case SCN_T_DURATION:
        if (scn_parse_duration(a->text, a->len, &a->u, err, sizeof(err)) < 0)
            return scn_error(diag, tp, "%s: %s", label, err), -1;
        return 0;
    case SCN_T_BOOL:
        if (a->len == 1 && (a->text[0] == '0' || a->text[0] == '1')) {
            a->u = (uint64_t)(a->text[0] - '0');
            return 0;
        }
        return scn_error(diag, tp, "%s: '%s' is not 0 or 1", label, a->text), -1;
    case SCN_T_STATUS: {
        uint32_t st;
        uint64_t v;
        if (a->len && a->text[0] >= '0' && a->text[0] <= '9') {
            if (scn_parse_number(a->text, a->len, &v, err, sizeof(err)) < 0)
                return scn_error(diag, tp, "%s: %s", label, err), -1;
            if (v > UINT32_MAX)
                return scn_error(diag, tp, "%s: %s does not fit in 32 bits", label, a->text), -1;
            a->u = v;
            return 0;
        }
        if (scn_status_lookup_n(a->text, a->len, &st)) {
            a->u = st;
            return 0;
        }
        char full[128];
        snprintf(full, sizeof(full), "STATUS_%s", a->text);
        if (a->len < 100 && scn_status_lookup(full, &st)) {
            a->u = st;
            return 0;
        }
        return scn_error(diag, tp, "unknown status '%s' (write a STATUS_ name or a number such as 0xC0000022)",
                         a->text),
               -1;
    }
    case SCN_T_ENUM:
        return decode_items(sp->table, a, 1, diag);
    case SCN_T_FLAGS:
        return decode_items(sp->table, a, 0, diag);
    case SCN_T_INFO_CLASS: {
        uint32_t c;
        uint64_t v;
        if (sp->table && scn_table_lookup(sp->table, a->text, a->len, &v)) {
            a->u = v;
            return 0;
        }
        if (scn_info_class_lookup_n(a->text, a->len, &c)) {
            a->u = c;
            return 0;
        }
        if (number(a->text, a->len, &v) == 0 && v > 0 && v < 256) {
            a->u = v;
            return 0;
        }
        return scn_error(diag, tp,
                         "unknown information class '%s' (e.g. Basic, Standard, Name, Position, All, NetworkOpen, or "
                         "FileXxxInformation)",
                         a->text),
               -1;
    }
    case SCN_T_ALTITUDE:
        if (!is_altitude(a->text, a->len))
            return scn_error(diag, tp, "altitude '%s' is not a decimal number such as 370030 or 370030.5", a->text),
                   -1;
        return 0;
    case SCN_T_BUGCHECK_ARG: {
        uint64_t k;
        if (scn_table_lookup(&scn_tab_objkind, a->text, a->len, &k)) {
            a->kind = (int)k;
            return 0;
        }
        a->kind = SCN_OBJ_NONE;
        if (number(a->text, a->len, &a->u) == 0)
            return 0;
        char list[512];
        scn_table_list(&scn_tab_objkind, list, sizeof(list));
        return scn_error(diag, tp, "%s: '%s' is neither a number nor an object kind (%s)", label, a->text, list), -1;
    }
    case SCN_T_REG_VALUE:
        if (a->quoted) {
            a->kind = SCN_REG_SZ;
            return 0;
        }
        if (a->len > 6 && scn_ieqn(a->text, 6, "dword:")) {
            uint64_t v;
            if (scn_parse_number(a->text + 6, a->len - 6, &v, err, sizeof(err)) < 0)
                return scn_error(diag, col_plus(tp, 6), "%s: %s", label, err), -1;
            if (v > UINT32_MAX)
                return scn_error(diag, col_plus(tp, 6), "%s: %s does not fit in a REG_DWORD", label, a->text + 6),
                       -1;
            a->kind = SCN_REG_DWORD;
            a->u = v;
            return 0;
        }
        return scn_error(diag, tp, "%s: write dword:N for a REG_DWORD or \"text\" for a REG_SZ", label), -1;
    }
    return 0;
}

/* --- names ------------------------------------------------------------------------------ */

static int find_process(const scn_script *s, const char *name)
{
    for (size_t i = 0; i < s->nprocesses; i++)
        if (scn_ieq(name, s->processes[i].name))
            return (int)i;
    return -1;
}

static int find_service(const scn_script *s, const char *name)
{
    for (size_t i = 0; i < s->nservices; i++)
        if (scn_ieq(name, s->services[i].name))
            return (int)i;
    return -1;
}

/* The newest handle slot named `name` in process `proc`, or -1. */
static int find_handle(const scn_script *s, int proc, const char *name)
{
    for (size_t i = s->nhandles; i-- > 0;)
        if (s->handles[i].process == proc && scn_ieq(name, s->handles[i].name))
            return (int)i;
    return -1;
}

static const char *first_process_name(const scn_script *s)
{
    return s->nprocesses ? s->processes[0].name : "P1";
}

/* --- statements --------------------------------------------------------------------------- */

static scn_pos end_pos(const scn_stmt *st)
{
    scn_pos p = st->pos;
    p.col += (uint32_t)strlen(st->source);
    return p;
}

static int status_ok(uint64_t st)
{
    return (int32_t)(uint32_t)st >= 0;
}

typedef struct pending_default {
    const argspec *spec;
    const char *text;
} pending_default;

static const scn_arg *named(const scn_stmt *st, const char *key)
{
    for (size_t i = 0; i < st->nnamed; i++)
        if (st->named[i].key && scn_ieq(st->named[i].key, key))
            return &st->named[i];
    return NULL;
}

/* `set` classes and the keys each takes. */
static const struct set_class {
    uint32_t cls;
    const char *required;
    const char *keys[2];
    const char *def_key; /* an optional key with a default */
    const char *def_text;
} set_classes[] = {
    { 4, "attributes", { "attributes", NULL }, NULL, NULL },  /* FileBasicInformation */
    { 10, "to", { "to", "replace" }, "replace", "0" },        /* FileRenameInformation */
    { 11, "to", { "to", "replace" }, "replace", "0" },        /* FileLinkInformation */
    { 13, NULL, { "delete", NULL }, "delete", "1" },          /* FileDispositionInformation */
    { 14, "offset", { "offset", NULL }, NULL, NULL },         /* FilePositionInformation */
    { 19, "size", { "size", NULL }, NULL, NULL },             /* FileAllocationInformation */
    { 20, "size", { "size", NULL }, NULL, NULL },             /* FileEndOfFileInformation */
    { 64, NULL, { "flags", NULL }, "flags", "delete" },       /* FileDispositionInformationEx */
};

static const argspec *key_spec(const verbspec *vs, const char *key)
{
    for (size_t i = 0; i < COUNT(vs->keys) && vs->keys[i].name; i++)
        if (scn_ieq(key, vs->keys[i].name))
            return &vs->keys[i];
    return NULL;
}

static void check_set(const scn_stmt *st, const verbspec *vs, pending_default *pd, size_t *npd, scn_diag *diag)
{
    const scn_arg *ca = &st->positional[1];
    const struct set_class *sc = NULL;
    for (size_t i = 0; i < COUNT(set_classes); i++)
        if (set_classes[i].cls == ca->u)
            sc = &set_classes[i];
    if (!sc) {
        scn_error(diag, ca->value_pos,
                  "set does not support %s (supported: Basic, Rename, Link, Disposition, DispositionEx, Position, "
                  "Allocation, EndOfFile)",
                  scn_info_class_name((uint32_t)ca->u) ? scn_info_class_name((uint32_t)ca->u) : ca->text);
        return;
    }
    const char *cname = scn_info_class_name(sc->cls);
    for (size_t i = 0; i < st->nnamed; i++) {
        const scn_arg *a = &st->named[i];
        if (scn_ieq(a->key, "expect"))
            continue;
        int ok = 0;
        for (size_t k = 0; k < 2; k++)
            if (sc->keys[k] && scn_ieq(a->key, sc->keys[k]))
                ok = 1;
        if (!ok)
            scn_error(diag, a->pos, "'%s=' does not apply to set %s (it takes %s=%s%s%s)", a->key, cname, sc->keys[0],
                      sc->keys[1] ? ", " : "", sc->keys[1] ? sc->keys[1] : "", sc->keys[1] ? "=" : "");
    }
    if (sc->required && !named(st, sc->required))
        scn_error(diag, end_pos(st), "set %s needs %s=", cname, sc->required);
    if (sc->def_key && !named(st, sc->def_key)) {
        pd[*npd].spec = key_spec(vs, sc->def_key);
        pd[*npd].text = sc->def_text;
        (*npd)++;
    }
}

static int add_volume(scn_script *s, scn_vstate *v, scn_stmt *st, scn_diag *diag)
{
    const scn_arg *a = &st->positional[0];
    int existing = find_volume(s, a->text, a->len);
    if (existing >= 0)
        return scn_error(diag, a->value_pos, "volume %s is already declared at line %u", a->text,
                         (unsigned)s->volumes[existing].line);
    if (grow((void **)&s->volumes, &v->cap_volumes, s->nvolumes, sizeof(*s->volumes)) < 0)
        return -1;
    scn_volume *vol = &s->volumes[s->nvolumes];
    memset(vol, 0, sizeof(*vol));
    vol->name = a->text;
    vol->remote = a->kind == 1;
    vol->line = st->pos.line;
    vol->caching = 1;
    if (!vol->remote) {
        for (size_t i = 0; i < st->nnamed; i++)
            scn_error(diag, st->named[i].pos, "'%s=' applies to remote volumes (\\\\server\\share) only",
                      st->named[i].key);
    } else {
        const scn_arg *l = named(st, "latency"), *c = named(st, "csc"), *k = named(st, "caching");
        if (l)
            vol->latency_ns = l->u;
        if (c)
            vol->csc = (int)c->u;
        if (k)
            vol->caching = (int)k->u;
    }
    st->volume = (int)s->nvolumes++;
    return 0;
}

static void declare(scn_script *s, scn_vstate *v, scn_stmt *st, const int *pos_ok, scn_diag *diag)
{
    switch (st->verb) {
    case SCN_VERB_VOLUME:
        if (pos_ok[0])
            add_volume(s, v, st, diag);
        break;
    case SCN_VERB_PROCESS: {
        if (!pos_ok[0])
            break;
        const scn_arg *a = &st->positional[0];
        int existing = find_process(s, a->text);
        if (existing >= 0) {
            scn_error(diag, a->value_pos, "process %s is already declared at line %u", a->text,
                      (unsigned)s->processes[existing].line);
            break;
        }
        if (grow((void **)&s->processes, &v->cap_processes, s->nprocesses, sizeof(*s->processes)) < 0)
            break;
        size_t cap = v->cap_processes;
        void *ex = realloc(v->exited, cap * sizeof(*v->exited));
        if (!ex)
            break;
        v->exited = ex;
        scn_process *p = &s->processes[s->nprocesses];
        p->name = a->text;
        const scn_arg *img = named(st, "image");
        p->image = img ? img->text : NULL;
        p->line = st->pos.line;
        v->exited[s->nprocesses] = 0;
        st->process = (int)s->nprocesses++;
        break;
    }
    case SCN_VERB_DRIVER: {
        if (!pos_ok[0])
            break;
        const scn_arg *a = &st->positional[0];
        int existing = find_service(s, a->text);
        if (existing >= 0) {
            scn_error(diag, a->value_pos, "driver service %s is already declared at line %u", a->text,
                      (unsigned)s->services[existing].line);
            break;
        }
        if (grow((void **)&s->services, &v->cap_services, s->nservices, sizeof(*s->services)) < 0)
            break;
        scn_service *sv = &s->services[s->nservices];
        memset(sv, 0, sizeof(*sv));
        sv->name = a->text;
        const scn_arg *img = named(st, "path"), *alt = named(st, "altitude"), *fl = named(st, "flags"),
                      *in = named(st, "instance");
        sv->image_path = img ? img->resolved : NULL;
        sv->altitude = alt ? alt->text : NULL;
        sv->instance = in ? in->text : NULL;
        sv->flags = fl ? (uint32_t)fl->u : 0;
        sv->line = st->pos.line;
        st->service = (int)s->nservices++;
        if (sv->instance && grow((void **)&v->inst, &v->cap_inst, v->ninst, sizeof(*v->inst)) == 0) {
            v->inst[v->ninst].service = st->service;
            v->inst[v->ninst].name = sv->instance;
            v->inst[v->ninst].line = st->pos.line;
            v->ninst++;
        }
        break;
    }
    case SCN_VERB_INSTANCE:
    case SCN_VERB_PARAM:
    case SCN_VERB_LOAD:
    case SCN_VERB_UNLOAD: {
        if (!pos_ok[0])
            break;
        const scn_arg *a = &st->positional[0];
        st->service = find_service(s, a->text);
        if (st->service < 0) {
            scn_error(diag, a->value_pos, "unknown driver service '%s' (declare it first: 'driver %s path=...')",
                      a->text, a->text);
            break;
        }
        if (st->verb == SCN_VERB_INSTANCE && pos_ok[1]) {
            const scn_arg *in = &st->positional[1];
            for (size_t i = 0; i < v->ninst; i++)
                if (v->inst[i].service == st->service && scn_ieq(v->inst[i].name, in->text)) {
                    scn_error(diag, in->value_pos, "instance \"%s\" of %s is already declared at line %u", in->text,
                              s->services[st->service].name, (unsigned)v->inst[i].line);
                    return;
                }
            if (grow((void **)&v->inst, &v->cap_inst, v->ninst, sizeof(*v->inst)) == 0) {
                v->inst[v->ninst].service = st->service;
                v->inst[v->ninst].name = in->text;
                v->inst[v->ninst].line = st->pos.line;
                v->ninst++;
            }
        }
        break;
    }
    default:
        break;
    }
}

/* Process operations: the actor, and the handle declared or used. */
static void check_process_op(scn_script *s, scn_vstate *v, scn_stmt *st, const int *pos_ok, scn_diag *diag)
{
    if (!st->actor_name) {
        scn_error(diag, st->verb_pos, "'%s' is a process operation: write '%s: %s ...'", st->verb_text,
                  first_process_name(s), st->verb_text);
        return;
    }
    if (!is_ident(st->actor_name, strlen(st->actor_name))) {
        scn_error(diag, st->actor_pos, "'%s' is not a valid process name", st->actor_name);
        return;
    }
    int p = find_process(s, st->actor_name);
    if (p < 0) {
        scn_error(diag, st->actor_pos, "unknown process '%s' (declare it first: 'process %s')", st->actor_name,
                  st->actor_name);
        return;
    }
    if (v->exited[p]) {
        scn_error(diag, st->actor_pos, "process %s has exited (line %u)", st->actor_name, (unsigned)v->exited[p]);
        return;
    }
    st->actor = st->process = p;

    if (st->verb == SCN_VERB_OPEN) {
        if (!pos_ok[0])
            return;
        const scn_arg *a = &st->positional[0];
        int h = find_handle(s, p, a->text);
        if (h >= 0 && v->hs[h].state == HS_OPEN) {
            scn_error(diag, a->value_pos, "handle %s is already open (line %u); close it first or use another name",
                      a->text, (unsigned)v->hs[h].line);
            return;
        }
        if (grow((void **)&s->handles, &v->cap_handles, s->nhandles, sizeof(*s->handles)) < 0)
            return;
        void *nh = realloc(v->hs, v->cap_handles * sizeof(*v->hs));
        if (!nh)
            return;
        v->hs = nh;
        const scn_arg *ex = named(st, "expect");
        s->handles[s->nhandles].name = a->text;
        s->handles[s->nhandles].process = p;
        s->handles[s->nhandles].open_line = st->pos.line;
        v->hs[s->nhandles].state = (!ex || status_ok(ex->u)) ? HS_OPEN : HS_FAILED;
        v->hs[s->nhandles].line = st->pos.line;
        st->handle = (int)s->nhandles++;
        return;
    }
    if (st->verb == SCN_VERB_EXIT) {
        v->exited[p] = st->pos.line;
        for (size_t i = 0; i < s->nhandles; i++)
            if (s->handles[i].process == p && v->hs[i].state == HS_OPEN) {
                v->hs[i].state = HS_GONE;
                v->hs[i].line = st->pos.line;
            }
        return;
    }
    if (st->verb == SCN_VERB_COPY || st->verb == SCN_VERB_SERVE || !pos_ok[0])
        return;
    /* a handle in use */
    const scn_arg *a = &st->positional[0];
    int h = find_handle(s, p, a->text);
    if (h < 0) {
        scn_error(diag, a->value_pos, "unknown handle '%s' in process %s (open it first: '%s: open %s \"C:\\...\"')",
                  a->text, s->processes[p].name, s->processes[p].name, a->text);
        return;
    }
    switch (v->hs[h].state) {
    case HS_FAILED:
        scn_error(diag, a->value_pos, "handle %s is not open: its open at line %u expects a failure", a->text,
                  (unsigned)v->hs[h].line);
        return;
    case HS_CLOSED:
        scn_error(diag, a->value_pos, "handle %s was closed at line %u", a->text, (unsigned)v->hs[h].line);
        return;
    default:
        break;
    }
    st->handle = h;
    if (st->verb == SCN_VERB_CLOSE) {
        v->hs[h].state = HS_CLOSED;
        v->hs[h].line = st->pos.line;
    }
}

static void check_expect(scn_vstate *v, scn_stmt *st, scn_diag *diag)
{
    static const struct {
        scn_verb a, b;
    } conflicts[] = {
        { SCN_VERB_EXPECT_BUGCHECK, SCN_VERB_EXPECT_NO_BUGCHECK },
        { SCN_VERB_EXPECT_BUGCHECK, SCN_VERB_EXPECT_HANG },
    };
    scn_verb vb = st->verb;
    int unique = vb == SCN_VERB_EXPECT_BUGCHECK || vb == SCN_VERB_EXPECT_NO_BUGCHECK || vb == SCN_VERB_EXPECT_HANG ||
                 vb == SCN_VERB_EXPECT_NO_LEAKS || vb == SCN_VERB_EXPECT_HEADROOM;
    if (unique && v->expect_line[vb]) {
        scn_error(diag, st->verb_pos, "duplicate '%s' (the first is at line %u)", st->verb_text,
                  (unsigned)v->expect_line[vb]);
        return;
    }
    for (size_t i = 0; i < COUNT(conflicts); i++) {
        scn_verb other = vb == conflicts[i].a ? conflicts[i].b : vb == conflicts[i].b ? conflicts[i].a : SCN_VERB_INVALID;
        if (other != SCN_VERB_INVALID && v->expect_line[other]) {
            scn_error(diag, st->verb_pos, "'%s' contradicts '%s' at line %u", st->verb_text, scn_verb_name(other),
                      (unsigned)v->expect_line[other]);
            return;
        }
    }
    if (!v->expect_line[vb]) {
        v->expect_line[vb] = st->pos.line;
        if (vb == SCN_VERB_EXPECT_REPORT)
            v->report_pos = st->verb_pos;
    }
}

static void check_machine(scn_script *s, scn_vstate *v, scn_stmt *st, scn_diag *diag)
{
    if (v->machine_line) {
        scn_error(diag, st->verb_pos, "duplicate 'machine' statement (the first is at line %u)",
                  (unsigned)v->machine_line);
        return;
    }
    v->machine_line = st->pos.line;
    if (v->nseen > 1) {
        scn_error(diag, st->verb_pos, "'machine' must come before any other statement (line %u is the first)",
                  (unsigned)v->first_line);
        return;
    }
    const scn_arg *stack = named(st, "stack");
    if (stack && !stack->is_default && (stack->u < 0x1000 || stack->u > 0x100000 || stack->u % 0x1000))
        scn_error(diag, text_pos(stack), "stack: %s is not a multiple of 4K between 4K and 1M", stack->text);
    s->machine.line = st->pos.line;
    s->machine.seed = scn_arg_u64(st, "seed", 0);
    s->machine.verifier = scn_arg_u32(st, "verifier", 0);
    s->machine.track_locked_pages = (int)scn_arg_u64(st, "track-locked-pages", 0);
    s->machine.stack_size = scn_arg_u32(st, "stack", 0x6000);
    s->machine.trace = (int)scn_arg_u64(st, "trace", 0);
}

static int append_defaults(scn_script *s, scn_stmt *st, const pending_default *pd, size_t npd, scn_diag *diag)
{
    if (npd == 0)
        return 0;
    scn_arg *na = scn_arena_alloc(s->arena, (st->nnamed + npd) * sizeof(scn_arg));
    if (!na)
        return -1;
    if (st->nnamed)
        memcpy(na, st->named, st->nnamed * sizeof(scn_arg));
    for (size_t i = 0; i < npd; i++) {
        scn_arg *a = &na[st->nnamed + i];
        memset(a, 0, sizeof(*a));
        a->key = pd[i].spec->name;
        a->text = pd[i].text;
        a->len = strlen(pd[i].text);
        a->is_default = 1;
        a->pos = a->value_pos = st->pos;
        if (decode(s, pd[i].spec, a, diag) < 0)
            return -1; /* a bad built-in default: a bug in this file */
    }
    st->named = na;
    st->nnamed += npd;
    return 0;
}

void scn_validate_stmt(scn_script *s, scn_stmt *st, scn_vstate *v, scn_diag *diag)
{
    const verbspec *vs = spec_of(st->verb);
    if (!vs)
        return;
    size_t errors0 = diag->nerrors + diag->dropped;
    v->nseen++;
    if (v->nseen == 1)
        v->first_line = st->pos.line;
    if (!vs->actor && st->actor_name)
        scn_error(diag, st->actor_pos, "'%s' is not a process operation; remove '%s:'", st->verb_text,
                  st->actor_name);

    /* positional arguments */
    size_t npos = npos_of(vs);
    int pos_ok[3] = { 0, 0, 0 };
    for (size_t i = 0; i < st->npositional; i++) {
        scn_arg *a = &st->positional[i];
        if (i >= npos) {
            scn_error(diag, a->pos, "unexpected argument '%s' (usage: %s)", a->text, vs->usage);
            break;
        }
        pos_ok[i] = decode(s, &vs->pos[i], a, diag) == 0;
    }
    if (st->npositional < npos && (vs->pos[st->npositional].flags & A_REQ))
        scn_error(diag, end_pos(st), "missing %s (usage: %s)", vs->pos[st->npositional].name, vs->usage);

    /* named arguments */
    size_t nkeys = nkeys_of(vs);
    for (size_t i = 0; i < st->nnamed; i++) {
        scn_arg *a = &st->named[i];
        for (size_t j = 0; j < i; j++)
            if (scn_ieq(st->named[j].key, a->key)) {
                scn_error(diag, a->pos, "duplicate argument '%s' (already given at column %u)", a->key,
                          (unsigned)st->named[j].pos.col);
                goto next;
            }
        if (vs->free_keys) {
            static const argspec reg = KEY("value", SCN_T_REG_VALUE, NULL, NULL, 0);
            decode(s, &reg, a, diag);
            continue;
        }
        const argspec *sp = key_spec(vs, a->key);
        if (!sp) {
            const char *cands[COUNT(vs->keys)];
            for (size_t k = 0; k < nkeys; k++)
                cands[k] = vs->keys[k].name;
            const char *sug = scn_suggest(a->key, strlen(a->key), cands, nkeys);
            if (sug)
                scn_error(diag, a->pos, "unknown argument '%s' for '%s'; did you mean '%s'?", a->key, st->verb_text,
                          sug);
            else if (nkeys == 0)
                scn_error(diag, a->pos, "'%s' takes no named arguments", st->verb_text);
            else {
                char list[256];
                size_t used = 0;
                list[0] = '\0';
                for (size_t k = 0; k < nkeys && used < sizeof(list); k++) {
                    int n = snprintf(list + used, sizeof(list) - used, "%s%s", k ? ", " : "", cands[k]);
                    if (n < 0)
                        break;
                    used += (size_t)n;
                }
                scn_error(diag, a->pos, "unknown argument '%s' for '%s' (accepted: %s)", a->key, st->verb_text, list);
            }
            continue;
        }
        decode(s, sp, a, diag);
    next:;
    }
    if (vs->free_keys && st->nnamed == 0)
        scn_error(diag, end_pos(st), "'param' needs at least one value (usage: %s)", vs->usage);
    for (size_t k = 0; k < nkeys; k++)
        if ((vs->keys[k].flags & A_REQ) && !named(st, vs->keys[k].name))
            scn_error(diag, end_pos(st), "missing %s= (usage: %s)", vs->keys[k].name, vs->usage);

    /* verb-specific rules and defaults */
    pending_default pd[16];
    size_t npd = 0;
    for (size_t k = 0; k < nkeys; k++)
        if (vs->keys[k].def && !named(st, vs->keys[k].name)) {
            pd[npd].spec = &vs->keys[k];
            pd[npd].text = vs->keys[k].def;
            npd++;
        }
    static const argspec instance_def = KEY("instance", SCN_T_TEXT, NULL, NULL, 0);
    static const argspec image_def = KEY("image", SCN_T_TEXT, NULL, NULL, 0);
    static const argspec size_def = KEY("size", SCN_T_SIZE, NULL, NULL, 0);
    switch (st->verb) {
    case SCN_VERB_FILE:
        if (named(st, "size") && named(st, "text"))
            scn_error(diag, named(st, "text")->pos, "size= and text= exclude each other");
        else if (!named(st, "size") && !named(st, "text")) {
            pd[npd].spec = &size_def;
            pd[npd++].text = "0";
        }
        break;
    case SCN_VERB_WRITE:
        if (named(st, "length") && named(st, "text"))
            scn_error(diag, named(st, "text")->pos, "length= and text= exclude each other");
        else if (!named(st, "length") && !named(st, "text"))
            scn_error(diag, end_pos(st), "write needs length=N or text=\"...\" (usage: %s)", vs->usage);
        break;
    case SCN_VERB_DRIVER:
        if (pos_ok[0] && !named(st, "instance")) {
            const char *name = st->positional[0].text;
            size_t need = strlen(name) + sizeof(" Instance");
            char *t = scn_arena_alloc(s->arena, need);
            if (t) {
                snprintf(t, need, "%s Instance", name);
                pd[npd].spec = &instance_def;
                pd[npd++].text = t;
            }
        }
        break;
    case SCN_VERB_PROCESS:
        if (pos_ok[0] && !named(st, "image")) {
            const char *name = st->positional[0].text;
            size_t need = strlen(name) + sizeof(".exe");
            char *t = scn_arena_alloc(s->arena, need);
            if (t) {
                snprintf(t, need, "%s.exe", name);
                pd[npd].spec = &image_def;
                pd[npd++].text = t;
            }
        }
        break;
    case SCN_VERB_SET:
        if (pos_ok[1])
            check_set(st, vs, pd, &npd, diag);
        break;
    case SCN_VERB_LIST:
        if (named(st, "class") && named(st, "class")->type == SCN_T_INFO_CLASS && !directory_class(named(st, "class")->u))
            scn_error(diag, text_pos(named(st, "class")),
                      "class=%s is not a directory information class (Directory, Full, Both, Names, IdBoth, IdFull)",
                      named(st, "class")->text);
        break;
    case SCN_VERB_READ:
    case SCN_VERB_MAP: {
        const scn_arg *d = named(st, "data"), *l = named(st, "length");
        if (d && l && l->type == SCN_T_SIZE32 && l->u < d->len)
            scn_error(diag, d->pos, "data= is %zu bytes, longer than length=%s", d->len, l->text);
        break;
    }
    case SCN_VERB_SERVE: {
        const scn_arg *r = named(st, "reply");
        uint64_t v = 0;
        if (r && r->len > 5 && scn_ieqn(r->text, 5, "byte:") &&
            (number(r->text + 5, r->len - 5, &v) != 0 || v > 0xFF))
            scn_error(diag, r->value_pos, "reply=byte:N needs a number from 0 to 255");
        else if (r && r->len > 6 && scn_ieqn(r->text, 6, "dword:") &&
                 (number(r->text + 6, r->len - 6, &v) != 0 || v > 0xFFFFFFFFu))
            scn_error(diag, r->value_pos, "reply=dword:N needs a 32-bit number");
        break;
    }
    default:
        break;
    }
    if (append_defaults(s, st, pd, npd, diag) < 0)
        return;

    /* declarations and uses of names */
    if (SCN_VERB_IS_PROCESS_OP(st->verb))
        check_process_op(s, v, st, pos_ok, diag);
    else
        declare(s, v, st, pos_ok, diag);
    if (st->verb == SCN_VERB_MACHINE)
        check_machine(s, v, st, diag);
    if (SCN_VERB_IS_EXPECT(st->verb))
        check_expect(v, st, diag);

    if (diag->nerrors + diag->dropped != errors0)
        return;
    if (grow((void **)&s->stmts, &v->cap_stmts, s->nstmts, sizeof(*s->stmts)) < 0)
        return;
    s->stmts[s->nstmts++] = *st;
}
