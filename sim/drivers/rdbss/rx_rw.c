/*
 * rx_rw.c - rdbss: IRP_MJ_READ and IRP_MJ_WRITE.  RxCommonRead /
 * RxCommonWrite check the request and hand it to low I/O: RxLowIoSubmit
 * locks the caller's buffer into an MDL on the IRP (unless the IRP already
 * has one: paging I/O, direct I/O), records the originating thread and
 * calls the mini-redirector's MRxLowIOSubmit routine - through the CSC
 * surrogate on a CSC share.  When the reply arrives RDBSS updates the file
 * position of a synchronous file object and the FCB's sizes.
 *
 * Cached reads: on a share that lets the client cache (NETROOT_FLAG_CACHING)
 * a read that is neither paging nor non-cached, from a caller that can wait,
 * is a CcCopyRead through the file object (the cache map is set up on the
 * file object's first such read; FileObject->SectionObjectPointer is the
 * FCB's).  A miss makes Cc send a paging read (IRP_PAGING_IO, Mm's MDL) to
 * the top of the same device stack, nested on this thread: it comes back
 * here as a non-cached low-I/O read.  A caller that cannot wait is served
 * by low I/O directly.  Writes go to the server (low I/O); a write purges
 * the cached range first and the new sizes are passed to Cc afterwards, so
 * the cache never serves stale data.
 */
#include "rxp.h"

/* The cache callbacks (lazy writer, read-ahead): the FCB's main resource, shared. */
static BOOLEAN NTAPI RxpAcquireForCache(PVOID Context, BOOLEAN Wait)
{
    PFCB Fcb = (PFCB)Context;
    KeEnterCriticalRegion();
    if (!ExAcquireResourceSharedLite(&Fcb->MainResource, Wait)) {
        KeLeaveCriticalRegion();
        return FALSE;
    }
    return TRUE;
}

static VOID NTAPI RxpReleaseFromCache(PVOID Context)
{
    PFCB Fcb = (PFCB)Context;
    ExReleaseResourceLite(&Fcb->MainResource);
    KeLeaveCriticalRegion();
}

static CACHE_MANAGER_CALLBACKS RxpCacheCallbacks = {RxpAcquireForCache, RxpReleaseFromCache, RxpAcquireForCache,
                                                    RxpReleaseFromCache};

/* A read that goes through the cache: not paging, not non-cached, on a
 * share that allows caching, from a caller that may wait for the miss. */
static BOOLEAN RxpCachedReadPossible(PRX_CONTEXT RxContext)
{
    PIRP Irp = RxContext->CurrentIrp;
    if ((Irp->Flags & (IRP_PAGING_IO | IRP_NOCACHE)) ||
        (RxContext->FileObject->Flags & FO_NO_INTERMEDIATE_BUFFERING))
        return FALSE;
    if (RxContext->pNetRoot == NULL || !(RxContext->pNetRoot->Flags & NETROOT_FLAG_CACHING))
        return FALSE;
    if (RxContext->FileObject->SectionObjectPointer != &RxContext->pFcb->SectionObjectPointers)
        return FALSE;
    return RxContext->CanWait;
}

/*
 * CcCopyRead of the request, clamped to the file size, into the caller's
 * buffer.  Cc raises on an I/O error of the paging read or a bad buffer:
 * the exception becomes the status.  The caller is top level (or below
 * the top-level request that owns the thread) and may wait.
 */
static NTSTATUS RxpCachedRead(PRX_CONTEXT RxContext)
{
    PIRP Irp = RxContext->CurrentIrp;
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PFILE_OBJECT Fo = RxContext->FileObject;
    PFCB Fcb = RxContext->pFcb;
    LARGE_INTEGER Offset = Sp->Parameters.Read.ByteOffset;
    volatile ULONG Length = Sp->Parameters.Read.Length;
    LONGLONG FileSize = Fcb->Header.FileSize.QuadPart;
    IO_STATUS_BLOCK Iosb;
    PVOID Buffer;
    volatile NTSTATUS Status = STATUS_SUCCESS;
    volatile BOOLEAN Copied = TRUE;

    if (Offset.QuadPart >= FileSize)
        return STATUS_END_OF_FILE;
    if ((LONGLONG)Length > FileSize - Offset.QuadPart)
        Length = (ULONG)(FileSize - Offset.QuadPart);
    Buffer = Irp->MdlAddress != NULL ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority)
                                     : Irp->UserBuffer;
    if (Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Iosb.Status = STATUS_SUCCESS;
    Iosb.Information = 0;
    __try {
        if (Irp->MdlAddress == NULL && Irp->RequestorMode == UserMode)
            ProbeForWrite(Buffer, Length, 1);
        if (Fo->PrivateCacheMap == NULL) {
            CcInitializeCacheMap(Fo, (PCC_FILE_SIZES)&Fcb->Header.AllocationSize, FALSE, &RxpCacheCallbacks, Fcb);
        }
        Copied = CcCopyRead(Fo, &Offset, Length, TRUE, Buffer, &Iosb);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    if (!NT_SUCCESS(Status))
        return FsRtlIsNtstatusExpected(Status) ? Status : STATUS_UNEXPECTED_IO_ERROR;
    if (!Copied)
        return STATUS_UNEXPECTED_IO_ERROR; /* Wait was TRUE: Cc does not refuse */
    if (NT_SUCCESS(Iosb.Status)) {
        RxContext->InformationToReturn = Iosb.Information;
        if (Fo->Flags & FO_SYNCHRONOUS_IO)
            Fo->CurrentByteOffset.QuadPart = Offset.QuadPart + (LONGLONG)Iosb.Information;
    }
    return Iosb.Status;
}

static NTSTATUS RxLowIoSubmit(PRX_CONTEXT RxContext, USHORT Operation)
{
    RX_FRAME("RxLowIoSubmit", 0x70);
    PIRP Irp = RxContext->CurrentIrp;
    PLOWIO_CONTEXT LowIo = &RxContext->LowIoContext;
    NTSTATUS Status;
    LowIo->Operation = Operation;
    LowIo->ResourceThreadId = ExGetCurrentResourceThread();
    if (Irp->Flags & IRP_PAGING_IO)
        LowIo->Flags |= LOWIO_READWRITEFLAG_PAGING_IO;
    if (Irp->MdlAddress == NULL) {
        /* A read's buffer receives data: locked for write access. */
        Status = RxLockUserBuffer(RxContext, Operation == LOWIO_OP_READ ? IoWriteAccess : IoReadAccess,
                                  LowIo->ReadWrite.ByteCount);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    LowIo->ReadWrite.Buffer = Irp->MdlAddress;
    return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxLowIOSubmit[Operation]);
}

NTSTATUS RxCommonRead(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonRead", 0x180);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PFCB Fcb = RxContext->pFcb;
    if (Fcb == NULL || RxContext->pSrvOpen == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Fcb->Directory)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Sp->MinorFunction & IRP_MN_MDL)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Sp->Parameters.Read.Length == 0)
        return STATUS_SUCCESS;
    if (Sp->Parameters.Read.ByteOffset.QuadPart < 0)
        return STATUS_INVALID_PARAMETER;
    if (RxpCachedReadPossible(RxContext))
        return RxpCachedRead(RxContext);
    RxContext->LowIoContext.ReadWrite.ByteOffset = Sp->Parameters.Read.ByteOffset.QuadPart;
    RxContext->LowIoContext.ReadWrite.ByteCount = Sp->Parameters.Read.Length;
    return RxLowIoSubmit(RxContext, LOWIO_OP_READ);
}

NTSTATUS RxCommonWrite(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonWrite", 0x180);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PFCB Fcb = RxContext->pFcb;
    LARGE_INTEGER Offset = Sp->Parameters.Write.ByteOffset;
    if (Fcb == NULL || RxContext->pSrvOpen == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Fcb->Directory)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Sp->MinorFunction & IRP_MN_MDL)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Sp->Parameters.Write.Length == 0)
        return STATUS_SUCCESS;
    if (Offset.LowPart == FILE_WRITE_TO_END_OF_FILE && Offset.HighPart == -1)
        Offset.QuadPart = -1; /* the server appends */
    else if (Offset.QuadPart < 0)
        return STATUS_INVALID_PARAMETER;
    if (!(RxContext->CurrentIrp->Flags & IRP_PAGING_IO) && Fcb->SectionObjectPointers.SharedCacheMap != NULL) {
        /* The server gets the data; the cache must not keep the old bytes. */
        if (Offset.QuadPart < 0)
            (void)CcPurgeCacheSection(&Fcb->SectionObjectPointers, NULL, 0, 0);
        else
            (void)CcPurgeCacheSection(&Fcb->SectionObjectPointers, &Offset, Sp->Parameters.Write.Length, 0);
    }
    RxContext->LowIoContext.ReadWrite.ByteOffset = Offset.QuadPart;
    RxContext->LowIoContext.ReadWrite.ByteCount = Sp->Parameters.Write.Length;
    return RxLowIoSubmit(RxContext, LOWIO_OP_WRITE);
}

VOID RxpFinishReadWrite(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information)
{
    PIRP Irp = RxContext->CurrentIrp;
    PFILE_OBJECT Fo = RxContext->FileObject;
    PFCB Fcb = RxContext->pFcb;
    if (!NT_SUCCESS(*Status))
        return;
    if (RxContext->MajorFunction == IRP_MJ_WRITE && Fcb != NULL &&
        (RxContext->Flags & RX_CONTEXT_FLAG_FILE_INFO_VALID)) {
        /* The mini-redirector reported the new end of file. */
        Fcb->Header.FileSize = RxContext->Info.FileInfo.EndOfFile;
        Fcb->Header.ValidDataLength = RxContext->Info.FileInfo.EndOfFile;
        if (Fcb->Header.AllocationSize.QuadPart < Fcb->Header.FileSize.QuadPart)
            Fcb->Header.AllocationSize = Fcb->Header.FileSize;
        Fcb->Info.EndOfFile = Fcb->Header.FileSize;
        if (Fcb->SectionObjectPointers.SharedCacheMap != NULL && Fo != NULL)
            CcSetFileSizes(Fo, (PCC_FILE_SIZES)&Fcb->Header.AllocationSize);
    }
    /* A synchronous file object's position moves past what was transferred. */
    if (Fo != NULL && (Fo->Flags & FO_SYNCHRONOUS_IO) && !(Irp->Flags & IRP_PAGING_IO)) {
        LONGLONG Start = RxContext->LowIoContext.ReadWrite.ByteOffset;
        if (Start < 0)
            Start = Fcb ? Fcb->Header.FileSize.QuadPart - (LONGLONG)*Information : 0;
        Fo->CurrentByteOffset.QuadPart = Start + (LONGLONG)*Information;
    }
}
