/*
 * scn_int.h - internals shared by the scenario lexer, parser and validator.
 */
#ifndef FLTSIM_SCN_INT_H
#define FLTSIM_SCN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "scn.h"

/* --- arena: everything a script points to lives here ------------------------ */

typedef struct scn_arena {
    struct scn_arena_block *head;
} scn_arena;

void *scn_arena_alloc(scn_arena *a, size_t size);
char *scn_arena_strndup(scn_arena *a, const char *s, size_t n);
char *scn_arena_strdup(scn_arena *a, const char *s);
void scn_arena_free(scn_arena *a);

/* --- lexer ----------------------------------------------------------------- */

typedef enum scn_tok_kind {
    SCN_TOK_WORD,   /* a run of non-blank characters other than '"' */
    SCN_TOK_STRING, /* "..." : text is the contents */
    SCN_TOK_NAMED   /* key=value (value a word or a string) */
} scn_tok_kind;

typedef struct scn_token {
    scn_tok_kind kind;
    uint32_t col;          /* 1-based column of the token's first character */
    const char *text;      /* WORD: the word; STRING: contents; NAMED: the whole token */
    size_t len;
    const char *key;       /* NAMED */
    size_t key_len;
    const char *value;     /* NAMED */
    size_t value_len;
    uint32_t value_col;
    int value_quoted;
} scn_token;

typedef struct scn_toklist {
    scn_token *v;
    size_t n;
    size_t cap;
} scn_toklist;

/*
 * Split one line (without its line terminator) into tokens; `#` at the start
 * of a token begins a comment.  Tokens point into `line`.  Returns 0, or -1
 * after reporting a lexical error (the line is then skipped).
 */
int scn_lex_line(const char *line, size_t len, uint32_t lineno, const char *file, scn_toklist *out,
                 scn_diag *diag);
void scn_toklist_free(scn_toklist *t);

/* --- names (scn_names.c) ---------------------------------------------------- */

typedef struct scn_name_value {
    const char *name;
    uint64_t value;
} scn_name_value;

typedef struct scn_table {
    const char *what;              /* "access", "share", ... for messages */
    const scn_name_value *items;
    size_t count;
    int numbers_ok;                /* a number is also accepted as an item */
} scn_table;

extern const scn_table scn_tab_access;
extern const scn_table scn_tab_share;
extern const scn_table scn_tab_disposition;
extern const scn_table scn_tab_options;
extern const scn_table scn_tab_attributes;
extern const scn_table scn_tab_verifier;
extern const scn_table scn_tab_dispex;
extern const scn_table scn_tab_volkind;
extern const scn_table scn_tab_objkind;
extern const scn_table scn_tab_secinfo;
extern const scn_table scn_tab_dirclass;

int scn_table_lookup(const scn_table *t, const char *name, size_t len, uint64_t *value);
/* "a, b, c" into buf. */
void scn_table_list(const scn_table *t, char *buf, size_t size);

int scn_info_class_lookup_n(const char *name, size_t len, uint32_t *value);
int scn_status_lookup_n(const char *name, size_t len, uint32_t *value);

/* Case-insensitive comparisons (ASCII). */
int scn_ieq(const char *a, const char *b);
int scn_ieqn(const char *a, size_t alen, const char *b);

/* --- value decoding (scn_validate.c; used by the unit tests as well) --------- */

/* 0 on success; otherwise an error message in `err`. */
int scn_parse_number(const char *s, size_t len, uint64_t *out, char *err, size_t errsize);
int scn_parse_size(const char *s, size_t len, uint64_t *out, char *err, size_t errsize);
int scn_parse_duration(const char *s, size_t len, uint64_t *out, char *err, size_t errsize);

/* --- parser -> validator ---------------------------------------------------- */

typedef struct scn_vstate scn_vstate;

scn_vstate *scn_vstate_new(void);
void scn_vstate_free(scn_vstate *v);
/* Look up a verb word (case-insensitive); SCN_VERB_INVALID if unknown. For
 * "expect", `kind` is the next word. */
scn_verb scn_verb_lookup(const char *word, size_t len);
scn_verb scn_expect_lookup(const char *word, size_t len);
int scn_word_is_process_op(const char *word, size_t len);
/* Check and decode one parsed statement (appended to script->stmts), update
 * the declared names. */
void scn_validate_stmt(scn_script *script, scn_stmt *st, scn_vstate *v, scn_diag *diag);
/* Before the first and after the last statement of a script. */
void scn_vstate_begin(scn_script *script, scn_vstate *v);
void scn_vstate_end(scn_script *script, scn_vstate *v, scn_diag *diag);
/* Report an unknown statement keyword (with a suggestion when one is close);
 * `actor`: it followed "P1:", so only process operations are candidates. */
void scn_verb_unknown(scn_diag *diag, scn_pos pos, const char *word, size_t len, int actor);
/* The closest of `n` candidates to `word` (edit distance <= 2), or NULL. */
const char *scn_suggest(const char *word, size_t len, const char *const *candidates, size_t n);

#endif /* FLTSIM_SCN_INT_H */
