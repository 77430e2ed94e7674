/*
 * flush.c - fltsim Cc: writing back and dropping cached data:
 * CcFlushCache (the dirty pages of a range written with paging writes to
 * the top of the stream's device stack, on the caller's thread) and
 * CcPurgeCacheSection (pages dropped, dirty data discarded; optionally
 * every private cache map of the stream uninitialized first).
 */
#include "ccp.h"

/* [*First, *End) page indexes of a byte range; Length 0: to the end of the file. */
static void CcpRangeToPages(PCCP_SHARED_MAP Map, PLARGE_INTEGER FileOffset, ULONG Length, ULONGLONG *First,
                            ULONGLONG *End)
{
    LONGLONG Start, Stop;

    if (FileOffset == NULL) {
        *First = 0;
        *End = ~0ull;
        return;
    }
    Start = FileOffset->QuadPart < 0 ? 0 : FileOffset->QuadPart;
    if (Length == 0) {
        *First = (ULONGLONG)Start / PAGE_SIZE;
        *End = ~0ull;
        return;
    }
    Stop = Start + (LONGLONG)Length;
    *First = (ULONGLONG)Start / PAGE_SIZE;
    *End = ((ULONGLONG)Stop + PAGE_SIZE - 1) / PAGE_SIZE;
    (void)Map;
}

/*
 * IoStatus: STATUS_SUCCESS and, for a range, Information = Length (for the
 * whole file, the bytes written); on a failed paging write its status and
 * the bytes written before it.  A stream that is not cached has nothing to
 * write.
 */
VOID CcFlushCache(PSECTION_OBJECT_POINTERS SectionObjectPointer, PLARGE_INTEGER FileOffset, ULONG Length,
                  PIO_STATUS_BLOCK IoStatus)
{
    PCCP_SHARED_MAP Map;
    ULONGLONG First, End;
    ULONG_PTR Written = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    KI_FRAME_SCOPE("nt", "CcFlushCache", 0x100);
    KiRequireIrql(PASSIVE_LEVEL, "CcFlushCache");
    Map = CcpSharedMapOf(SectionObjectPointer);
    if (Map != NULL) {
        CcpRangeToPages(Map, FileOffset, Length, &First, &End);
        CcpEnter(Map);
        Status = CcpFlushRange(Map, First, End, &Written);
        CcpLeave(Map);
    }
    if (IoStatus != NULL) {
        IoStatus->Status = Status;
        IoStatus->Information = (NT_SUCCESS(Status) && FileOffset != NULL) ? Length : Written;
    }
}

/*
 * Returns FALSE when some page of the range could not be purged because a
 * paging read is still filling it.  With UNINITIALIZE_CACHE_MAPS every
 * private cache map of the stream goes too (the range is dropped first, so
 * its dirty data is discarded rather than written on the way out).
 */
BOOLEAN CcPurgeCacheSection(PSECTION_OBJECT_POINTERS SectionObjectPointer, PLARGE_INTEGER FileOffset,
                            ULONG Length, ULONG Flags)
{
    PCCP_SHARED_MAP Map;
    ULONGLONG First, End;
    BOOLEAN Purged = TRUE;
    ULONG At;

    KI_FRAME_SCOPE("nt", "CcPurgeCacheSection", 0x90);
    KiRequireIrql(APC_LEVEL, "CcPurgeCacheSection");
    Map = CcpSharedMapOf(SectionObjectPointer);
    if (Map == NULL) {
        return TRUE;
    }
    CcpRangeToPages(Map, FileOffset, Length, &First, &End);
    At = CcpPagePosition(Map, First);
    while (At < Map->PageCount && Map->Pages[At]->Index < End) {
        PCCP_PAGE Page = Map->Pages[At];
        if (Page->Reading) {
            Purged = FALSE;
            At++;
            continue;
        }
        CcpRemovePage(Map, Page);
    }
    if (Flags & UNINITIALIZE_CACHE_MAPS) {
        (void)CcpUninitializeAllPrivateMaps(Map);
    }
    return Purged;
}
