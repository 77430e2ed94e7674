/*
 * scn_access.c - the accessors the executor reads decoded statements with.
 */
#include <string.h>

#include "scn_int.h"

const scn_arg *scn_arg_find(const scn_stmt *st, const char *key)
{
    for (size_t i = 0; i < st->nnamed; i++)
        if (st->named[i].key && scn_ieq(st->named[i].key, key))
            return &st->named[i];
    return NULL;
}

int scn_arg_given(const scn_stmt *st, const char *key)
{
    const scn_arg *a = scn_arg_find(st, key);
    return a && !a->is_default;
}

uint64_t scn_arg_u64(const scn_stmt *st, const char *key, uint64_t def)
{
    const scn_arg *a = scn_arg_find(st, key);
    return a ? a->u : def;
}

uint32_t scn_arg_u32(const scn_stmt *st, const char *key, uint32_t def)
{
    const scn_arg *a = scn_arg_find(st, key);
    return a ? (uint32_t)a->u : def;
}

const char *scn_arg_str(const scn_stmt *st, const char *key, const char *def)
{
    const scn_arg *a = scn_arg_find(st, key);
    return a ? a->text : def;
}

const scn_arg *scn_pos_arg(const scn_stmt *st, size_t index)
{
    return index < st->npositional ? &st->positional[index] : NULL;
}

const char *scn_pos_str(const scn_stmt *st, size_t index)
{
    const scn_arg *a = scn_pos_arg(st, index);
    return a ? a->text : NULL;
}

uint64_t scn_pos_u64(const scn_stmt *st, size_t index, uint64_t def)
{
    const scn_arg *a = scn_pos_arg(st, index);
    return a ? a->u : def;
}

uint32_t scn_expect_status(const scn_stmt *st)
{
    return scn_arg_u32(st, "expect", SCN_STATUS_SUCCESS);
}
