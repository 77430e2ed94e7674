/*
 * context.c - FsRtl per-stream filter contexts: the FilterContexts list of
 * a file system's FSRTL_ADVANCED_FCB_HEADER (FsRtlInsertPerStreamContext,
 * FsRtlLookupPerStreamContextInternal, FsRtlRemovePerStreamContext,
 * FsRtlTeardownPerStreamContexts).
 *
 * The list is kept newest first (a lookup finds the most recently inserted
 * match).  A lookup with OwnerId NULL returns the first context; with
 * InstanceId NULL the first of that owner.  The file system calls
 * FsRtlTeardownPerStreamContexts before freeing the FCB: every remaining
 * context is unlinked and its FreeCallback called.  The header's FastMutex
 * guards the list.
 */
#include <ntifs.h>

static BOOLEAN FsRtlpContextMatches(PVOID EntryOwner, PVOID EntryInstance, PVOID OwnerId,
                                    PVOID InstanceId)
{
    if (OwnerId == NULL) {
        return TRUE;
    }
    if (EntryOwner != OwnerId) {
        return FALSE;
    }
    return (BOOLEAN)(InstanceId == NULL || EntryInstance == InstanceId);
}

static BOOLEAN FsRtlpSupportsStreamContexts(PFSRTL_ADVANCED_FCB_HEADER Header)
{
    return (BOOLEAN)(Header != NULL &&
                     FlagOn(((PFSRTL_COMMON_FCB_HEADER)Header)->Flags2,
                            FSRTL_FLAG2_SUPPORTS_FILTER_CONTEXTS) &&
                     Header->FastMutex != NULL);
}

NTSTATUS FsRtlInsertPerStreamContext(PFSRTL_ADVANCED_FCB_HEADER PerStreamContext,
                                     PFSRTL_PER_STREAM_CONTEXT Ptr)
{
    if (!FsRtlpSupportsStreamContexts(PerStreamContext)) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    ExAcquireFastMutex(PerStreamContext->FastMutex);
    InsertHeadList(&PerStreamContext->FilterContexts, &Ptr->Links);
    ExReleaseFastMutex(PerStreamContext->FastMutex);
    return STATUS_SUCCESS;
}

static PFSRTL_PER_STREAM_CONTEXT FsRtlpFindStreamContext(PFSRTL_ADVANCED_FCB_HEADER Header,
                                                         PVOID OwnerId, PVOID InstanceId)
{
    PLIST_ENTRY Entry;

    for (Entry = Header->FilterContexts.Flink; Entry != &Header->FilterContexts;
         Entry = Entry->Flink) {
        PFSRTL_PER_STREAM_CONTEXT Context =
            CONTAINING_RECORD(Entry, FSRTL_PER_STREAM_CONTEXT, Links);
        if (FsRtlpContextMatches(Context->OwnerId, Context->InstanceId, OwnerId, InstanceId)) {
            return Context;
        }
    }
    return NULL;
}

PFSRTL_PER_STREAM_CONTEXT FsRtlLookupPerStreamContextInternal(
    PFSRTL_ADVANCED_FCB_HEADER StreamContext, PVOID OwnerId, PVOID InstanceId)
{
    PFSRTL_PER_STREAM_CONTEXT Found;

    if (!FsRtlpSupportsStreamContexts(StreamContext)) {
        return NULL;
    }
    ExAcquireFastMutex(StreamContext->FastMutex);
    Found = FsRtlpFindStreamContext(StreamContext, OwnerId, InstanceId);
    ExReleaseFastMutex(StreamContext->FastMutex);
    return Found;
}

PFSRTL_PER_STREAM_CONTEXT FsRtlRemovePerStreamContext(PFSRTL_ADVANCED_FCB_HEADER StreamContext,
                                                      PVOID OwnerId, PVOID InstanceId)
{
    PFSRTL_PER_STREAM_CONTEXT Found;

    if (!FsRtlpSupportsStreamContexts(StreamContext)) {
        return NULL;
    }
    ExAcquireFastMutex(StreamContext->FastMutex);
    Found = FsRtlpFindStreamContext(StreamContext, OwnerId, InstanceId);
    if (Found != NULL) {
        RemoveEntryList(&Found->Links);
    }
    ExReleaseFastMutex(StreamContext->FastMutex);
    return Found;
}

VOID FsRtlTeardownPerStreamContexts(PFSRTL_ADVANCED_FCB_HEADER AdvancedHeader)
{
    if (!FsRtlpSupportsStreamContexts(AdvancedHeader)) {
        return;
    }
    for (;;) {
        PFSRTL_PER_STREAM_CONTEXT Context = NULL;

        ExAcquireFastMutex(AdvancedHeader->FastMutex);
        if (!IsListEmpty(&AdvancedHeader->FilterContexts)) {
            PLIST_ENTRY Entry = RemoveHeadList(&AdvancedHeader->FilterContexts);
            Context = CONTAINING_RECORD(Entry, FSRTL_PER_STREAM_CONTEXT, Links);
        }
        ExReleaseFastMutex(AdvancedHeader->FastMutex);
        if (Context == NULL) {
            return;
        }
        /* The callback may free the structure: nothing is touched after it. */
        if (Context->FreeCallback != NULL) {
            Context->FreeCallback(Context);
        }
    }
}
