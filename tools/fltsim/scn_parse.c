/*
 * scn_parse.c - loading a scenario script: reading the file, the arena its
 * tree lives in, splitting lines into statements (actor, verb, positional
 * and named arguments) and handing each to the validator.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

/* --- arena ----------------------------------------------------------------------- */

typedef struct scn_arena_block {
    struct scn_arena_block *next;
    size_t used;
    size_t size;
    max_align_t data[]; /* `size` bytes */
} scn_arena_block;

#define ARENA_BLOCK_SIZE 16384u

void *scn_arena_alloc(scn_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    scn_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bsize = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        b = malloc(sizeof(*b) + bsize);
        if (!b)
            return NULL;
        b->size = bsize;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *scn_arena_strndup(scn_arena *a, const char *s, size_t n)
{
    char *p = scn_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *scn_arena_strdup(scn_arena *a, const char *s)
{
    return scn_arena_strndup(a, s, strlen(s));
}

void scn_arena_free(scn_arena *a)
{
    scn_arena_block *b = a->head;
    while (b) {
        scn_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

/* --- statements ---------------------------------------------------------------------- */

static scn_pos pos_at(const char *file, uint32_t line, uint32_t col)
{
    scn_pos p = { file, line, col };
    return p;
}

static int fill_arg(scn_arena *ar, scn_arg *a, const scn_token *t, const char *file, uint32_t lineno)
{
    a->pos = pos_at(file, lineno, t->col);
    if (t->kind == SCN_TOK_NAMED) {
        a->key = scn_arena_strndup(ar, t->key, t->key_len);
        a->text = scn_arena_strndup(ar, t->value, t->value_len);
        a->len = t->value_len;
        a->quoted = t->value_quoted;
        a->value_pos = pos_at(file, lineno, t->value_col);
        if (!a->key)
            return -1;
    } else {
        a->text = scn_arena_strndup(ar, t->text, t->len);
        a->len = t->len;
        a->quoted = t->kind == SCN_TOK_STRING;
        a->value_pos = a->pos;
    }
    return a->text ? 0 : -1;
}

/* End column (exclusive, 0-based) of a token in its line. */
static size_t token_end(const scn_token *t)
{
    size_t start = t->col - 1;
    if (t->kind == SCN_TOK_STRING)
        return start + t->len + 2;
    return start + t->len;
}

static const char *tok_desc(const scn_token *t)
{
    switch (t->kind) {
    case SCN_TOK_STRING:
        return "a string";
    case SCN_TOK_NAMED:
        return "an argument";
    default:
        return "a word";
    }
}

/*
 * Build one statement from the tokens of a line and hand it to the
 * validator.  Returns -1 when memory runs out.
 */
static int parse_statement(scn_script *s, scn_vstate *v, const char *line, uint32_t lineno,
                           const scn_toklist *tl, scn_diag *diag)
{
    scn_arena *ar = s->arena;
    const char *file = s->path;
    scn_stmt st;
    memset(&st, 0, sizeof(st));
    st.actor = st.process = st.service = st.handle = st.volume = -1;
    size_t i = 0;
    const scn_token *t0 = &tl->v[0];
    st.pos = pos_at(file, lineno, t0->col);

    size_t src_start = t0->col - 1, src_end = token_end(&tl->v[tl->n - 1]);
    st.source = scn_arena_strndup(ar, line + src_start, src_end - src_start);
    if (!st.source)
        return -1;

    /* "P1: verb ..." */
    if (t0->kind == SCN_TOK_WORD && t0->len > 1 && t0->text[t0->len - 1] == ':') {
        st.actor_name = scn_arena_strndup(ar, t0->text, t0->len - 1);
        if (!st.actor_name)
            return -1;
        st.actor_pos = st.pos;
        i = 1;
        if (tl->n == 1) {
            scn_error(diag, pos_at(file, lineno, (uint32_t)src_end + 1),
                      "missing operation after '%s' (e.g. '%s open h1 \"C:\\file.txt\"')", st.source, st.source);
            return 0;
        }
    }
    const scn_token *vt = &tl->v[i];
    st.verb_pos = pos_at(file, lineno, vt->col);
    if (vt->kind != SCN_TOK_WORD) {
        scn_error(diag, st.verb_pos, "expected a statement keyword, found %s", tok_desc(vt));
        return 0;
    }
    i++;
    if (scn_ieqn(vt->text, vt->len, "expect")) {
        if (i >= tl->n || tl->v[i].kind != SCN_TOK_WORD) {
            scn_error(diag, i < tl->n ? pos_at(file, lineno, tl->v[i].col) : pos_at(file, lineno, (uint32_t)src_end + 1),
                      "'expect' needs a kind: bugcheck, no-bugcheck, hang, log, no-log, log-count, report or "
                      "no-leaks");
            return 0;
        }
        const scn_token *kt = &tl->v[i];
        st.verb = scn_expect_lookup(kt->text, kt->len);
        if (st.verb == SCN_VERB_INVALID) {
            scn_error(diag, pos_at(file, lineno, kt->col),
                      "unknown expectation '%.*s' (accepted: bugcheck, no-bugcheck, hang, log, no-log, log-count, "
                      "report, no-leaks)",
                      (int)kt->len, kt->text);
            return 0;
        }
        st.verb_pos = pos_at(file, lineno, kt->col);
        i++;
    } else {
        st.verb = scn_verb_lookup(vt->text, vt->len);
        if (st.verb == SCN_VERB_INVALID) {
            const char *colon = memchr(vt->text, ':', vt->len);
            size_t before = colon ? (size_t)(colon - vt->text) : 0;
            if (i < tl->n && tl->v[i].kind == SCN_TOK_WORD && tl->v[i].len == 1 && tl->v[i].text[0] == ':')
                scn_error(diag, pos_at(file, lineno, tl->v[i].col),
                          "write the process name and ':' together ('%.*s: ...')", (int)vt->len, vt->text);
            else if (colon && before > 0 && !st.actor_name &&
                     scn_word_is_process_op(colon + 1, vt->len - before - 1))
                scn_error(diag, pos_at(file, lineno, vt->col + (uint32_t)before + 1),
                          "missing blank after '%.*s:' (write '%.*s: %.*s ...')", (int)before, vt->text, (int)before,
                          vt->text, (int)(vt->len - before - 1), colon + 1);
            else
                scn_verb_unknown(diag, st.verb_pos, vt->text, vt->len, st.actor_name != NULL);
            return 0;
        }
    }
    st.verb_text = scn_verb_name(st.verb);

    size_t npos = 0, nnamed = 0;
    for (size_t j = i; j < tl->n; j++) {
        if (tl->v[j].kind == SCN_TOK_NAMED)
            nnamed++;
        else
            npos++;
    }
    if (npos) {
        st.positional = scn_arena_alloc(ar, npos * sizeof(scn_arg));
        if (!st.positional)
            return -1;
    }
    if (nnamed) {
        st.named = scn_arena_alloc(ar, nnamed * sizeof(scn_arg));
        if (!st.named)
            return -1;
    }
    for (size_t j = i; j < tl->n; j++) {
        const scn_token *t = &tl->v[j];
        scn_arg *a = t->kind == SCN_TOK_NAMED ? &st.named[st.nnamed++] : &st.positional[st.npositional++];
        if (fill_arg(ar, a, t, file, lineno) < 0)
            return -1;
    }
    scn_validate_stmt(s, &st, v, diag);
    return 0;
}

/* --- loading ------------------------------------------------------------------------- */

static const char *dir_of(scn_arena *ar, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return scn_arena_strdup(ar, ".");
    if (slash == path)
        return scn_arena_strdup(ar, "/");
    return scn_arena_strndup(ar, path, (size_t)(slash - path));
}

scn_script *scn_load_string(const char *name, const char *text, size_t len, scn_diag *diag)
{
    scn_script *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->arena = calloc(1, sizeof(*s->arena));
    scn_vstate *v = scn_vstate_new();
    if (!s->arena || !v) {
        scn_vstate_free(v);
        scn_free(s);
        return NULL;
    }
    s->path = scn_arena_strdup(s->arena, name ? name : "<script>");
    s->dir = s->path ? dir_of(s->arena, s->path) : NULL;
    if (!s->path || !s->dir) {
        scn_vstate_free(v);
        scn_free(s);
        return NULL;
    }
    scn_vstate_begin(s, v);

    const char *saved_file = diag->src_file, *saved_src = diag->src;
    size_t saved_len = diag->src_len;
    diag->src_file = s->path;
    diag->src = text;
    diag->src_len = len;

    scn_toklist tl = { 0 };
    int oom = 0;
    size_t off = 0;
    uint32_t lineno = 0;
    while (off < len && !diag->full) {
        lineno++;
        const char *line = text + off;
        const char *nl = memchr(line, '\n', len - off);
        size_t llen = nl ? (size_t)(nl - line) : len - off;
        off += llen + (nl ? 1 : 0);
        if (llen && line[llen - 1] == '\r')
            llen--;
        if (memchr(line, '\0', llen)) {
            scn_error(diag, pos_at(s->path, lineno, (uint32_t)((const char *)memchr(line, '\0', llen) - line) + 1),
                      "NUL byte in the script (is this a text file?)");
            continue;
        }
        if (scn_lex_line(line, llen, lineno, s->path, &tl, diag) < 0 || tl.n == 0)
            continue;
        if (parse_statement(s, v, line, lineno, &tl, diag) < 0) {
            oom = 1;
            break;
        }
    }
    if (!oom && !diag->full)
        scn_vstate_end(s, v, diag);
    scn_toklist_free(&tl);
    scn_vstate_free(v);
    scn_diag_finish(diag, s->path);
    diag->src_file = saved_file;
    diag->src = saved_src;
    diag->src_len = saved_len;
    if (oom) {
        scn_error_file(diag, s->path, "out of memory");
        scn_free(s);
        return NULL;
    }
    return s;
}

scn_script *scn_load_file(const char *path, scn_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        scn_error_file(diag, path, "cannot read the script: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    int failed = buf == NULL;
    while (!failed) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                failed = 1;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                failed = 1;
            break;
        }
    }
    int err = errno;
    fclose(f);
    if (failed) {
        scn_error_file(diag, path, "cannot read the script: %s", buf ? strerror(err) : "out of memory");
        free(buf);
        return NULL;
    }
    scn_script *s = scn_load_string(path, buf, len, diag);
    free(buf);
    return s;
}

void scn_free(scn_script *s)
{
    if (!s)
        return;
    free(s->stmts);
    free(s->volumes);
    free(s->processes);
    free(s->services);
    free(s->handles);
    if (s->arena) {
        scn_arena_free(s->arena);
        free(s->arena);
    }
    free(s);
}
