/*
 * rx_rw.c - rdbss: IRP_MJ_READ and IRP_MJ_WRITE.  RxCommonRead /
 * RxCommonWrite check the request and hand it to low I/O: RxLowIoSubmit
 * locks the caller's buffer into an MDL on the IRP (unless the IRP already
 * has one: paging I/O, direct I/O), records the originating thread and
 * calls the mini-redirector's MRxLowIOSubmit routine - through the CSC
 * surrogate on a CSC share.  When the reply arrives RDBSS updates the file
 * position of a synchronous file object and the FCB's sizes.
 *
 * The cached path (CcCopyRead / CcCopyWrite when the share allows caching
 * and the request is neither paging nor non-cached) belongs to a later
 * slice: RxpCachedReadPossible marks where it branches off; every read and
 * write goes to low I/O for now.
 */
#include "rxp.h"

/* Where the cached branch will be taken (not yet: no Cache Manager). */
static BOOLEAN RxpCachedReadPossible(PRX_CONTEXT RxContext)
{
    PIRP Irp = RxContext->CurrentIrp;
    if ((Irp->Flags & (IRP_PAGING_IO | IRP_NOCACHE)) ||
        (RxContext->FileObject->Flags & FO_NO_INTERMEDIATE_BUFFERING))
        return FALSE;
    if (RxContext->pNetRoot == NULL || !(RxContext->pNetRoot->Flags & NETROOT_FLAG_CACHING))
        return FALSE;
    return FALSE; /* CcCopyRead: a later slice */
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
    if (RxpCachedReadPossible(RxContext)) {
        /* CcCopyRead(FileObject, &ByteOffset, Length, CanWait, Buffer, &IoStatus) */
    }
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
    }
    /* A synchronous file object's position moves past what was transferred. */
    if (Fo != NULL && (Fo->Flags & FO_SYNCHRONOUS_IO) && !(Irp->Flags & IRP_PAGING_IO)) {
        LONGLONG Start = RxContext->LowIoContext.ReadWrite.ByteOffset;
        if (Start < 0)
            Start = Fcb ? Fcb->Header.FileSize.QuadPart - (LONGLONG)*Information : 0;
        Fo->CurrentByteOffset.QuadPart = Start + (LONGLONG)*Information;
    }
}
