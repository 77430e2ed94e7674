/*
 * copy.c - fltsim Cc: copying between the cache and a caller's buffer:
 * CcCopyRead/CcCopyReadEx (a page that is not resident is read with a
 * paging read from inside the call, on the caller's thread), CcCopyWrite
 * and CcZeroData (pages become dirty; a page that is only partly
 * overwritten and holds valid data is read first), and the write
 * throttling entry points CcCanIWrite/CcDeferWrite (never throttled here).
 *
 * With Wait == FALSE the routines refuse to block: when any page of the
 * range would need I/O (or is being read by another thread) they return
 * FALSE before copying anything, and the file system posts the request.
 * Failures raise a status exception, as Windows' Cc does: the I/O error of
 * a paging read, or STATUS_INVALID_USER_BUFFER for a faulting buffer.
 */
#include "ccp.h"

NTSTATUS CcpCopyCallerBuffer(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;

    if (Length == 0) {
        return STATUS_SUCCESS;
    }
    __try {
        if (Source == NULL) {
            RtlZeroMemory(Destination, Length);
        } else {
            RtlCopyMemory(Destination, Source, Length);
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = FsRtlNormalizeNtstatus(GetExceptionCode(), STATUS_INVALID_USER_BUFFER);
    }
    return Status;
}

/*
 * Whether making page Index resident needs a paging read.  Bytes at or
 * beyond the valid data length are zeros by definition and never read; a
 * write needs the page's old data only when it leaves some valid byte of
 * the page untouched.
 */
static BOOLEAN CcpNeedsRead(PCCP_SHARED_MAP Map, ULONGLONG Index, BOOLEAN ForWrite, LONGLONG WriteStart,
                            LONGLONG WriteEnd)
{
    LONGLONG PageStart = (LONGLONG)(Index * PAGE_SIZE);
    LONGLONG PageEnd = PageStart + PAGE_SIZE;
    LONGLONG Valid = Map->ValidDataLength < Map->FileSize ? Map->ValidDataLength : Map->FileSize;
    LONGLONG KeepEnd;

    if (PageStart >= Valid) {
        return FALSE;
    }
    if (!ForWrite) {
        return TRUE;
    }
    KeepEnd = PageEnd < Valid ? PageEnd : Valid;
    return (BOOLEAN)(WriteStart > PageStart || WriteEnd < KeepEnd);
}

/* Whether any page of [First, Last] would make the caller wait. */
static BOOLEAN CcpWouldBlock(PCCP_SHARED_MAP Map, ULONGLONG First, ULONGLONG Last, BOOLEAN ForWrite,
                             LONGLONG WriteStart, LONGLONG WriteEnd)
{
    ULONGLONG Index;

    for (Index = First; Index <= Last; Index++) {
        PCCP_PAGE Page = CcpFindPage(Map, Index);
        if (Page != NULL ? Page->Reading : CcpNeedsRead(Map, Index, ForWrite, WriteStart, WriteEnd)) {
            return TRUE;
        }
    }
    return FALSE;
}

/*
 * A referenced, valid page at Index: found, waited for (another thread is
 * reading it), or made resident now - zero-filled, or read through the
 * paging path of a read (CcFetchDataForRead) or of a page fault (a write
 * through the cache, or a process touching a mapped view: Fault).
 */
NTSTATUS CcpResolvePage(PCCP_SHARED_MAP Map, ULONGLONG Index, BOOLEAN ForWrite, BOOLEAN Fault, LONGLONG WriteStart,
                        LONGLONG WriteEnd, PCCP_PAGE *Out)
{
    for (;;) {
        PCCP_PAGE Page = CcpFindPage(Map, Index);
        NTSTATUS Status;

        if (Page != NULL && !Page->Reading) {
            CcpReferencePage(Page);
            *Out = Page;
            return STATUS_SUCCESS;
        }
        if (Page != NULL) {
            CcpWaitForPageRead(Page);
            continue;
        }
        Page = CcpInsertPage(Map, Index);
        CcpReferencePage(Page);
        if (!CcpNeedsRead(Map, Index, ForWrite, WriteStart, WriteEnd)) {
            *Out = Page;
            return STATUS_SUCCESS;
        }
        Page->Reading = TRUE;
        Page->Reader = KeGetCurrentThread();
        Status = Fault ? CcpFaultPageForWrite(Map, Page) : CcpFetchDataForRead(Map, Page);
        Page->Reading = FALSE;
        Page->Reader = NULL;
        Page->ReadStatus = Status;
        KeSetEvent(&Page->ReadDone, IO_NO_INCREMENT, FALSE);
        if (!NT_SUCCESS(Status)) {
            CcpRemovePage(Map, Page);
            CcpDereferencePage(Page);
            return Status;
        }
        *Out = Page;
        return STATUS_SUCCESS;
    }
}

/* CcMapAndCopyFromCache: the pages of the range, resident or read now, copied out. */
static NTSTATUS CcpMapAndCopyFromCache(PCCP_SHARED_MAP Map, LONGLONG Offset, ULONG Length, BOOLEAN Wait,
                                       PUCHAR Buffer, ULONG_PTR *Copied)
{
    LONGLONG End = Offset + (LONGLONG)Length;
    ULONGLONG First, Last, Index;

    KI_FRAME_SCOPE("nt", "CcMapAndCopyFromCache", 0xa0);
    *Copied = 0;
    if (End > Map->FileSize) {
        End = Map->FileSize;
    }
    if (Offset >= End) {
        return STATUS_SUCCESS;
    }
    First = (ULONGLONG)Offset / PAGE_SIZE;
    Last = (ULONGLONG)(End - 1) / PAGE_SIZE;
    if (!Wait && CcpWouldBlock(Map, First, Last, FALSE, 0, 0)) {
        return CCP_STATUS_CANT_WAIT;
    }
    for (Index = First; Index <= Last; Index++) {
        LONGLONG PageStart = (LONGLONG)(Index * PAGE_SIZE);
        LONGLONG From = Offset > PageStart ? Offset : PageStart;
        LONGLONG To = End < PageStart + PAGE_SIZE ? End : PageStart + PAGE_SIZE;
        PCCP_PAGE Page;
        NTSTATUS Status = CcpResolvePage(Map, Index, FALSE, FALSE, 0, 0, &Page);

        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Status = CcpCopyCallerBuffer(Buffer + (From - Offset), Page->Data + (From - PageStart),
                                     (SIZE_T)(To - From));
        CcpDereferencePage(Page);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        *Copied += (ULONG_PTR)(To - From);
    }
    return STATUS_SUCCESS;
}

/* CcMapAndCopyToCache: Source (NULL: zeros) copied into the pages, which become dirty. */
static NTSTATUS CcpMapAndCopyToCache(PCCP_SHARED_MAP Map, LONGLONG Offset, ULONG Length, BOOLEAN Wait,
                                     const UCHAR *Source)
{
    LONGLONG End = Offset + (LONGLONG)Length;
    ULONGLONG First, Last, Index;

    KI_FRAME_SCOPE("nt", "CcMapAndCopyToCache", 0xc0);
    if (Length == 0) {
        return STATUS_SUCCESS;
    }
    if (End > Map->FileSize) {
        KiReportSetRootCause(KiFormat("CcCopyWrite of bytes 0x%llx-0x%llx beyond the file size the cache manager "
                                      "knows (0x%llx): the file system must extend the file and call "
                                      "CcSetFileSizes before writing past its end",
                                      (unsigned long long)Offset, (unsigned long long)End,
                                      (unsigned long long)Map->FileSize));
        KeBugCheckEx(0x34 /* CACHE_MANAGER */, 0, (ULONG_PTR)MiSyntheticAddress(Map->FileObject),
                     (ULONG_PTR)End, (ULONG_PTR)Map->FileSize);
    }
    First = (ULONGLONG)Offset / PAGE_SIZE;
    Last = (ULONGLONG)(End - 1) / PAGE_SIZE;
    if (!Wait && CcpWouldBlock(Map, First, Last, TRUE, Offset, End)) {
        return CCP_STATUS_CANT_WAIT;
    }
    for (Index = First; Index <= Last; Index++) {
        LONGLONG PageStart = (LONGLONG)(Index * PAGE_SIZE);
        LONGLONG From = Offset > PageStart ? Offset : PageStart;
        LONGLONG To = End < PageStart + PAGE_SIZE ? End : PageStart + PAGE_SIZE;
        PCCP_PAGE Page;
        NTSTATUS Status = CcpResolvePage(Map, Index, TRUE, TRUE, Offset, End, &Page);

        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Status = CcpCopyCallerBuffer(Page->Data + (From - PageStart),
                                     Source != NULL ? Source + (From - Offset) : NULL, (SIZE_T)(To - From));
        if (NT_SUCCESS(Status) && !Page->Removed) {
            Page->Dirty = TRUE;
        }
        CcpDereferencePage(Page);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }
    if (End > Map->ValidDataLength) {
        Map->ValidDataLength = End;
    }
    return STATUS_SUCCESS;
}

BOOLEAN CcCopyReadEx(PFILE_OBJECT FileObject, PLARGE_INTEGER FileOffset, ULONG Length, BOOLEAN Wait,
                     PVOID Buffer, PIO_STATUS_BLOCK IoStatus, PETHREAD IoIssuerThread)
{
    PCCP_SHARED_MAP Map;
    ULONG_PTR Copied = 0;
    NTSTATUS Status;

    KI_FRAME_SCOPE("nt", "CcCopyReadEx", 0xb0);
    UNREFERENCED_PARAMETER(IoIssuerThread); /* no per-thread I/O accounting */
    KiRequireIrql(APC_LEVEL, "CcCopyRead");
    Map = CcpRequireSharedMap(FileObject, "CcCopyRead");
    IoStatus->Status = STATUS_SUCCESS;
    IoStatus->Information = 0;
    if (Length == 0) {
        return TRUE;
    }
    if (FileOffset == NULL || FileOffset->QuadPart < 0) {
        ExRaiseStatus(STATUS_INVALID_PARAMETER);
    }
    CcpEnter(Map);
    Status = CcpMapAndCopyFromCache(Map, FileOffset->QuadPart, Length, Wait, Buffer, &Copied);
    CcpLeave(Map);
    if (Status == CCP_STATUS_CANT_WAIT) {
        return FALSE;
    }
    IoStatus->Information = Copied;
    if (!NT_SUCCESS(Status)) {
        IoStatus->Status = Status;
        ExRaiseStatus(Status);
    }
    return TRUE;
}

BOOLEAN CcCopyRead(PFILE_OBJECT FileObject, PLARGE_INTEGER FileOffset, ULONG Length, BOOLEAN Wait, PVOID Buffer,
                   PIO_STATUS_BLOCK IoStatus)
{
    KI_FRAME_SCOPE("nt", "CcCopyRead", 0x50);
    return CcCopyReadEx(FileObject, FileOffset, Length, Wait, Buffer, IoStatus, NULL);
}

BOOLEAN CcCopyWrite(PFILE_OBJECT FileObject, PLARGE_INTEGER FileOffset, ULONG Length, BOOLEAN Wait, PVOID Buffer)
{
    PCCP_SHARED_MAP Map;
    NTSTATUS Status;

    KI_FRAME_SCOPE("nt", "CcCopyWrite", 0x80);
    KiRequireIrql(APC_LEVEL, "CcCopyWrite");
    Map = CcpRequireSharedMap(FileObject, "CcCopyWrite");
    if (Length == 0) {
        return TRUE;
    }
    if (FileOffset == NULL || FileOffset->QuadPart < 0 || Buffer == NULL) {
        ExRaiseStatus(STATUS_INVALID_PARAMETER);
    }
    CcpEnter(Map);
    Status = CcpMapAndCopyToCache(Map, FileOffset->QuadPart, Length, Wait, Buffer);
    CcpLeave(Map);
    if (Status == CCP_STATUS_CANT_WAIT) {
        return FALSE;
    }
    if (!NT_SUCCESS(Status)) {
        ExRaiseStatus(Status);
    }
    return TRUE;
}

/*
 * Zeros [StartOffset, EndOffset) through the cache.  A stream that is not
 * cached needs nothing: the model's file systems zero-fill their storage
 * when a file grows.
 */
BOOLEAN CcZeroData(PFILE_OBJECT FileObject, PLARGE_INTEGER StartOffset, PLARGE_INTEGER EndOffset, BOOLEAN Wait)
{
    PCCP_SHARED_MAP Map;
    LONGLONG Start, End;
    NTSTATUS Status = STATUS_SUCCESS;

    KI_FRAME_SCOPE("nt", "CcZeroData", 0x90);
    KiRequireIrql(APC_LEVEL, "CcZeroData");
    Map = FileObject != NULL ? CcpSharedMapOf(FileObject->SectionObjectPointer) : NULL;
    if (Map == NULL || StartOffset == NULL || EndOffset == NULL) {
        return TRUE;
    }
    Start = StartOffset->QuadPart < 0 ? 0 : StartOffset->QuadPart;
    End = EndOffset->QuadPart < Map->FileSize ? EndOffset->QuadPart : Map->FileSize;
    CcpEnter(Map);
    while (Start < End && NT_SUCCESS(Status) && Status != CCP_STATUS_CANT_WAIT) {
        ULONG Chunk = End - Start > 0x100000 ? 0x100000 : (ULONG)(End - Start);
        Status = CcpMapAndCopyToCache(Map, Start, Chunk, Wait, NULL);
        Start += Chunk;
    }
    CcpLeave(Map);
    if (Status == CCP_STATUS_CANT_WAIT) {
        return FALSE;
    }
    if (!NT_SUCCESS(Status)) {
        ExRaiseStatus(Status);
    }
    return TRUE;
}

/* Write throttling: the model has no dirty-page threshold. */
BOOLEAN CcCanIWrite(PFILE_OBJECT FileObject, ULONG BytesToWrite, BOOLEAN Wait, UCHAR Retrying)
{
    UNREFERENCED_PARAMETER(FileObject);
    UNREFERENCED_PARAMETER(BytesToWrite);
    UNREFERENCED_PARAMETER(Wait);
    UNREFERENCED_PARAMETER(Retrying);
    return TRUE;
}

VOID CcDeferWrite(PFILE_OBJECT FileObject, PCC_POST_DEFERRED_WRITE PostRoutine, PVOID Context1, PVOID Context2,
                  ULONG BytesToWrite, BOOLEAN Retrying)
{
    UNREFERENCED_PARAMETER(FileObject);
    UNREFERENCED_PARAMETER(BytesToWrite);
    UNREFERENCED_PARAMETER(Retrying);
    /* CcCanIWrite never says no, so a deferred write can go at once. */
    if (IopFindImageByAddress((PVOID)PostRoutine) != NULL) {
        KI_DRIVER_FRAME_SCOPE(PostRoutine);
        PostRoutine(Context1, Context2);
    } else {
        PostRoutine(Context1, Context2);
    }
}
