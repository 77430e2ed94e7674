/*
 * scn_lex.c - splitting a scenario line into tokens.
 *
 *   word    a run of characters other than blanks and '"'
 *   string  "..." up to the next '"' on the line; no escapes, so backslashes
 *           are literal ("C:\dir\a.txt", "\\server\share")
 *   named   key=value, where key is made of letters, digits, '_', '-' and
 *           '.', and value is a word or a string (key="a b")
 *   '#' at the start of a token begins a comment that runs to the end of
 *   the line.
 */
#include <stdlib.h>
#include <string.h>

#include "scn_int.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

static int key_valid(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_key_char(s[i]))
            return 0;
    return 1;
}

static scn_token *push(scn_toklist *t)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16;
        scn_token *nv = realloc(t->v, ncap * sizeof(*nv));
        if (!nv)
            return NULL;
        t->v = nv;
        t->cap = ncap;
    }
    scn_token *tok = &t->v[t->n++];
    memset(tok, 0, sizeof(*tok));
    return tok;
}

void scn_toklist_free(scn_toklist *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static scn_pos at(const char *file, uint32_t line, size_t index)
{
    scn_pos p = { file, line, (uint32_t)index + 1 };
    return p;
}

/* After a closing quote only a blank, a comment or the end of the line may follow. */
static int check_after_string(const char *line, size_t len, size_t i, uint32_t lineno, const char *file,
                              scn_diag *diag)
{
    if (i < len && !is_blank(line[i]) && line[i] != '#') {
        scn_error(diag, at(file, lineno, i), "missing blank after the closing '\"' of a string");
        return -1;
    }
    return 0;
}

int scn_lex_line(const char *line, size_t len, uint32_t lineno, const char *file, scn_toklist *out,
                 scn_diag *diag)
{
    out->n = 0;
    size_t i = 0;
    while (i < len) {
        char c = line[i];
        if (is_blank(c)) {
            i++;
            continue;
        }
        if (c == '#')
            break;
        size_t start = i;
        if (c == '"') {
            const char *q = memchr(line + i + 1, '"', len - i - 1);
            if (!q) {
                scn_error(diag, at(file, lineno, start),
                          "unterminated string (a string ends with '\"' on the same line)");
                return -1;
            }
            size_t end = (size_t)(q - line);
            scn_token *t = push(out);
            if (!t)
                return -1;
            t->kind = SCN_TOK_STRING;
            t->col = (uint32_t)start + 1;
            t->text = line + start + 1;
            t->len = end - start - 1;
            i = end + 1;
            if (check_after_string(line, len, i, lineno, file, diag) < 0)
                return -1;
            continue;
        }
        size_t j = i;
        while (j < len && !is_blank(line[j]) && line[j] != '"')
            j++;
        const char *word = line + i;
        size_t wlen = j - i;
        const char *eq = memchr(word, '=', wlen);
        if (eq == word) {
            scn_error(diag, at(file, lineno, start), "missing argument name before '='");
            return -1;
        }
        int named = eq && key_valid(word, (size_t)(eq - word));
        if (j < len && line[j] == '"') {
            /* key="string" is the only way a word may touch a quote */
            if (!(named && (size_t)(eq - word) == wlen - 1)) {
                scn_error(diag, at(file, lineno, j),
                          "unexpected '\"' inside a word (put a blank before a string, or write key=\"...\")");
                return -1;
            }
            const char *q = j + 1 < len ? memchr(line + j + 1, '"', len - j - 1) : NULL;
            if (!q) {
                scn_error(diag, at(file, lineno, j),
                          "unterminated string (a string ends with '\"' on the same line)");
                return -1;
            }
            size_t end = (size_t)(q - line);
            scn_token *t = push(out);
            if (!t)
                return -1;
            t->kind = SCN_TOK_NAMED;
            t->col = (uint32_t)start + 1;
            t->text = word;
            t->len = end + 1 - start;
            t->key = word;
            t->key_len = (size_t)(eq - word);
            t->value = line + j + 1;
            t->value_len = end - j - 1;
            t->value_col = (uint32_t)j + 1;
            t->value_quoted = 1;
            i = end + 1;
            if (check_after_string(line, len, i, lineno, file, diag) < 0)
                return -1;
            continue;
        }
        scn_token *t = push(out);
        if (!t)
            return -1;
        t->col = (uint32_t)start + 1;
        t->text = word;
        t->len = wlen;
        if (named) {
            t->kind = SCN_TOK_NAMED;
            t->key = word;
            t->key_len = (size_t)(eq - word);
            t->value = eq + 1;
            t->value_len = wlen - t->key_len - 1;
            t->value_col = (uint32_t)(start + t->key_len + 1) + 1;
        } else {
            t->kind = SCN_TOK_WORD;
        }
        i = j;
    }
    return 0;
}
