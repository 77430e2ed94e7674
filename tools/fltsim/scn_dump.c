/*
 * scn_dump.c - printing a loaded script's decoded statements, one a line
 * (`fltsim check --dump`): what every argument was understood as, with the
 * defaults the validator filled in marked "(default)".
 */
#include <inttypes.h>

#include "scn_int.h"

static void dump_value(const scn_arg *a, FILE *out)
{
    switch (a->type) {
    case SCN_T_TEXT:
    case SCN_T_PATH:
    case SCN_T_VOLUME:
        fprintf(out, "\"%s\"", a->text);
        break;
    case SCN_T_IDENT:
    case SCN_T_SERVICE:
    case SCN_T_ALTITUDE:
        fputs(a->text, out);
        break;
    case SCN_T_IMAGE:
        fprintf(out, "\"%s\"", a->resolved ? a->resolved : a->text);
        break;
    case SCN_T_NUMBER:
    case SCN_T_SIZE:
    case SCN_T_SIZE32:
        if (a->u == SCN_OFFSET_CURRENT && a->type == SCN_T_SIZE)
            fputs("current", out);
        else
            fprintf(out, "%" PRIu64, a->u);
        break;
    case SCN_T_U32:
    case SCN_T_ENUM:
    case SCN_T_FLAGS:
        fprintf(out, "0x%" PRIx64, a->u);
        break;
    case SCN_T_DURATION:
        fprintf(out, "%" PRIu64 "ns", a->u);
        break;
    case SCN_T_BOOL:
        fprintf(out, "%" PRIu64, a->u);
        break;
    case SCN_T_STATUS: {
        const char *n = scn_status_name((uint32_t)a->u);
        if (n)
            fputs(n, out);
        else
            fprintf(out, "0x%08" PRIX32, (uint32_t)a->u);
        break;
    }
    case SCN_T_INFO_CLASS: {
        const char *n = scn_info_class_name((uint32_t)a->u);
        if (n)
            fputs(n, out);
        else
            fprintf(out, "class%" PRIu64, a->u);
        break;
    }
    case SCN_T_BUGCHECK_ARG:
        if (a->kind != SCN_OBJ_NONE)
            fputs(scn_objkind_name(a->kind), out);
        else
            fprintf(out, "0x%" PRIx64, a->u);
        break;
    case SCN_T_REG_VALUE:
        if (a->kind == SCN_REG_DWORD)
            fprintf(out, "dword:0x%" PRIx64, a->u);
        else
            fprintf(out, "sz:\"%s\"", a->text);
        break;
    }
}

void scn_dump(const scn_script *s, FILE *out)
{
    for (size_t i = 0; i < s->nstmts; i++) {
        const scn_stmt *st = &s->stmts[i];
        fprintf(out, "%u: ", (unsigned)st->pos.line);
        if (st->actor_name)
            fprintf(out, "%s: ", st->actor_name);
        fputs(st->verb_text, out);
        for (size_t k = 0; k < st->npositional; k++) {
            fputc(' ', out);
            dump_value(&st->positional[k], out);
        }
        for (size_t k = 0; k < st->nnamed; k++) {
            const scn_arg *a = &st->named[k];
            fprintf(out, " %s=", a->key);
            dump_value(a, out);
            if (a->is_default)
                fputs("(default)", out);
        }
        fputc('\n', out);
    }
}
