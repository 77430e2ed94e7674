/*
 * exp.h - fltsim Ex: state shared by the files of sim/ex (pool blocks,
 * per-tag accounting, resource owner tables).
 */
#ifndef FSIM_EXP_H
#define FSIM_EXP_H

#include <fsim_kernel.h>
#include <uthash.h>

typedef struct EXP_POOL_BLOCK {
    void *Host;                  /* key */
    SIZE_T Size;
    ULONG Tag;
    POOL_TYPE Type;
    BOOLEAN Freed;
    BOOLEAN System;              /* allocated by the simulator itself */
    const char *Driver;          /* module that allocated it ("ctx") */
    const char *File;
    ULONG Line;
    uint64_t Address;            /* synthetic */
    ULONG Sequence;
    UT_hash_handle hh;
} EXP_POOL_BLOCK;

typedef struct EXP_RESOURCE_OWNER {
    PKTHREAD Thread;
    ULONG Count;
} EXP_RESOURCE_OWNER;

typedef struct EXP_RESOURCE {
    PERESOURCE Resource;         /* key */
    PKTHREAD Exclusive;
    ULONG ExclusiveCount;
    ULONG ExclusiveWaiters;      /* threads waiting for exclusive access (shared requests yield to them) */
    EXP_RESOURCE_OWNER Shared[16];
    ULONG SharedOwners;
    const char *File;            /* initialized at */
    ULONG Line;
    UT_hash_handle hh;
} EXP_RESOURCE;

/* Where driver code acquired a lock (fast/guarded mutex, push lock,
 * ERESOURCE), for hang reports; keyed by the lock's address. */
typedef struct EXP_LOCK_SITE {
    const void *Lock;            /* key */
    const char *File;
    ULONG Line;
    UT_hash_handle hh;
} EXP_LOCK_SITE;

struct EXP_STATE {
    struct EXP_WORKERS *Workers; /* the system worker threads' queue */
    EXP_POOL_BLOCK *Blocks;      /* uthash, insertion order */
    ULONG Sequence;
    EXP_RESOURCE *Resources;
    EXP_LOCK_SITE *LockSites;
};

void ExpNoteLockSite(const void *Lock);          /* the current thread acquired Lock here */
const char *ExpLockSite(const void *Lock);       /* " (acquired at FILE:LINE)" or "" */

EXP_POOL_BLOCK *ExpFindBlock(const void *Host);

#endif
