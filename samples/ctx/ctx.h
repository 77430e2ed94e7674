/*
 * ctx.h - fltsim sample minifilter "ctx": context layouts, pool tags and the
 * ERESOURCE helpers shared by ctx.c.
 */
#ifndef CTX_H
#define CTX_H

#include <fltKernel.h>

#define CTX_STREAM_CONTEXT_TAG 'cSxC'
#define CTX_HANDLE_CONTEXT_TAG 'cHxC'
#define CTX_NAME_TAG 'mNxC'
#define CTX_REGISTRY_TAG 'gRxC'

/* LogLevel values (Parameters\LogLevel, REG_DWORD). */
#define CTX_LOG_NONE 0
#define CTX_LOG_OPENS 1   /* opens, cleanups, closes */
#define CTX_LOG_VERBOSE 2 /* plus context setup races and frees */

/*
 * One per stream (file data stream) this instance has seen opened.  Keeps the
 * number of successful opens and a table of the handles currently open on
 * the stream, protected by Resource.  Allocated from non-paged pool because
 * an ERESOURCE must be resident.
 */
typedef struct _CTX_STREAM_CONTEXT {
    ERESOURCE Resource;
    ULONG OpenCount;        /* successful creates ever seen */
    ULONG HandleCount;      /* entries currently in HandleList */
    ULONG NextOrdinal;      /* numbers handles 1, 2, ... per stream */
    LIST_ENTRY HandleList;  /* CTX_STREAMHANDLE_CONTEXT.Link */
} CTX_STREAM_CONTEXT, *PCTX_STREAM_CONTEXT;

/*
 * One per open handle (file object).  Holds a referenced pointer to its
 * stream's context and a private copy of the normalized name; FinalComponent
 * and Extension point into that copy.
 */
typedef struct _CTX_STREAMHANDLE_CONTEXT {
    LIST_ENTRY Link;
    BOOLEAN Linked;
    ULONG Ordinal;
    PCTX_STREAM_CONTEXT Stream;
    UNICODE_STRING FileName;
    UNICODE_STRING FinalComponent;
    UNICODE_STRING Extension;
} CTX_STREAMHANDLE_CONTEXT, *PCTX_STREAMHANDLE_CONTEXT;

/*
 * ERESOURCE use always inside a critical region so a suspended thread can
 * never hold the lock.
 */
FORCEINLINE
VOID
CtxAcquireResourceExclusive(
    _Inout_ PERESOURCE Resource
    )
{
    FLT_ASSERT(KeGetCurrentIrql() <= APC_LEVEL);
    FLT_ASSERT(!ExIsResourceAcquiredSharedLite(Resource) ||
               ExIsResourceAcquiredExclusiveLite(Resource));

    KeEnterCriticalRegion();
    (VOID)ExAcquireResourceExclusiveLite(Resource, TRUE);

    FLT_ASSERT(ExIsResourceAcquiredExclusiveLite(Resource));
}

FORCEINLINE
VOID
CtxAcquireResourceShared(
    _Inout_ PERESOURCE Resource
    )
{
    FLT_ASSERT(KeGetCurrentIrql() <= APC_LEVEL);

    KeEnterCriticalRegion();
    (VOID)ExAcquireResourceSharedLite(Resource, TRUE);

    FLT_ASSERT(ExIsResourceAcquiredSharedLite(Resource));
}

FORCEINLINE
VOID
CtxReleaseResource(
    _Inout_ PERESOURCE Resource
    )
{
    FLT_ASSERT(KeGetCurrentIrql() <= APC_LEVEL);
    FLT_ASSERT(ExIsResourceAcquiredExclusiveLite(Resource) ||
               ExIsResourceAcquiredSharedLite(Resource));

    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

#endif /* CTX_H */
