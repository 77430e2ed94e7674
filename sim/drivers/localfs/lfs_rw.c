/*
 * lfs_rw.c - localfs: IRP_MJ_READ, IRP_MJ_WRITE and access to a request's
 * data buffer (MDL or user buffer, probed and touched under __try).
 *
 * The volume is not cached: IRP_NOCACHE and paging I/O are accepted and go
 * straight to the in-memory data.  Reads at or past the end of file fail
 * with STATUS_END_OF_FILE; a paging read that crosses it is zero-filled to
 * the requested length (Information = the bytes before the end of file); a
 * paging write never extends the file.  Synchronous file objects
 * (FO_SYNCHRONOUS_IO) have CurrentByteOffset moved past the transfer.
 * Reads do not update the last-access time (NTFS's default since Vista);
 * writes set the last-write and change times and the archive attribute.
 */
#include "lfsp.h"

NTSTATUS LfspGetRequestBuffer(PIRP Irp, PVOID *Buffer, BOOLEAN *UserAddress)
{
    *UserAddress = FALSE;
    if (Irp->MdlAddress != NULL) {
        *Buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        if (*Buffer == NULL) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        return STATUS_SUCCESS;
    }
    *Buffer = Irp->UserBuffer;
    *UserAddress = (BOOLEAN)(Irp->RequestorMode == UserMode);
    return STATUS_SUCCESS;
}

/*
 * Copies Length bytes of Source to the start of Buffer.  A user address is
 * first probed for writing over ProbeLength bytes (the caller's whole
 * buffer); a fault returns the exception code (STATUS_ACCESS_VIOLATION).
 */
NTSTATUS LfspCopyToRequestBuffer(PVOID Buffer, BOOLEAN UserAddress, ULONG ProbeLength,
                                 const VOID *Source, SIZE_T Length)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;

    if (Length == 0 && !UserAddress) {
        return STATUS_SUCCESS;
    }
    if (!UserAddress) {
        if (Buffer == NULL) {
            return STATUS_INVALID_USER_BUFFER;
        }
        RtlCopyMemory(Buffer, Source, Length);
        return STATUS_SUCCESS;
    }
    __try {
        ProbeForWrite(Buffer, ProbeLength, 1);
        if (Length != 0) {
            RtlCopyMemory(Buffer, Source, Length);
        }
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    return Status;
}

NTSTATUS LfspCopyFromRequestBuffer(PVOID Destination, const VOID *Buffer, BOOLEAN UserAddress,
                                   SIZE_T Length)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;

    if (!UserAddress) {
        if (Buffer == NULL) {
            return STATUS_INVALID_USER_BUFFER;
        }
        RtlCopyMemory(Destination, Buffer, Length);
        return STATUS_SUCCESS;
    }
    __try {
        ProbeForRead((PVOID)Buffer, Length, 1);
        RtlCopyMemory(Destination, Buffer, Length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    return Status;
}

/* Zero-fills Length bytes of the request buffer at Offset (paging reads past EOF). */
static NTSTATUS LfspZeroRequestBuffer(PVOID Buffer, BOOLEAN UserAddress, SIZE_T Offset,
                                      SIZE_T Length)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;

    if (Length == 0) {
        return STATUS_SUCCESS;
    }
    if (!UserAddress) {
        RtlZeroMemory((PUCHAR)Buffer + Offset, Length);
        return STATUS_SUCCESS;
    }
    __try {
        RtlZeroMemory((PUCHAR)Buffer + Offset, Length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    return Status;
}

static BOOLEAN LfspIsSectorAligned(ULONGLONG Value)
{
    return (Value % LFS_SECTOR_SIZE) == 0;
}

NTSTATUS LfsFsdRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    ULONG Length = IrpSp->Parameters.Read.Length;
    LARGE_INTEGER ByteOffset = IrpSp->Parameters.Read.ByteOffset;
    BOOLEAN PagingIo = BooleanFlagOn(Irp->Flags, IRP_PAGING_IO);
    BOOLEAN Synchronous = BooleanFlagOn(FileObject->Flags, FO_SYNCHRONOUS_IO);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;
    PVOID Buffer = NULL;
    BOOLEAN UserAddress = FALSE;
    NTSTATUS Status;
    ULONG_PTR Transferred = 0;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, FileObject, &Fcb, &Ccb);
    if (Type != LfsOpenFile) {
        return LfspCompleteRequest(Irp, Type == LfsOpenUnknown ? STATUS_INVALID_PARAMETER
                                                               : STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (FlagOn(IrpSp->MinorFunction, IRP_MN_MDL | IRP_MN_COMPLETE)) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (ByteOffset.LowPart == FILE_USE_FILE_POINTER_POSITION && ByteOffset.HighPart == -1) {
        ByteOffset = FileObject->CurrentByteOffset;
    }
    if (ByteOffset.QuadPart < 0) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (FlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING) && !PagingIo &&
        (!LfspIsSectorAligned((ULONGLONG)ByteOffset.QuadPart) || !LfspIsSectorAligned(Length))) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (Length == 0) {
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
    }
    Status = LfspGetRequestBuffer(Irp, &Buffer, &UserAddress);
    if (!NT_SUCCESS(Status)) {
        return LfspCompleteRequest(Irp, Status, 0);
    }

    LfspAcquireVcbShared(Vcb);
    LfspAcquireFcbShared(Fcb);
    Node = Fcb->Node;
    if ((ULONGLONG)ByteOffset.QuadPart >= Node->FileSize) {
        Status = STATUS_END_OF_FILE;
    } else {
        ULONGLONG Available = Node->FileSize - (ULONGLONG)ByteOffset.QuadPart;
        SIZE_T Count = Available < Length ? (SIZE_T)Available : Length;

        Status = LfspCopyToRequestBuffer(Buffer, UserAddress, Length,
                                         Node->Data + ByteOffset.QuadPart, Count);
        if (NT_SUCCESS(Status) && PagingIo && Count < Length) {
            Status = LfspZeroRequestBuffer(Buffer, UserAddress, Count, Length - Count);
        }
        if (NT_SUCCESS(Status)) {
            Transferred = Count;
        }
    }
    if (NT_SUCCESS(Status) && Synchronous && !PagingIo) {
        FileObject->CurrentByteOffset.QuadPart = ByteOffset.QuadPart + (LONGLONG)Transferred;
    }
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, Status, Transferred);
}

NTSTATUS LfsFsdWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    ULONG Length = IrpSp->Parameters.Write.Length;
    LARGE_INTEGER ByteOffset = IrpSp->Parameters.Write.ByteOffset;
    BOOLEAN PagingIo = BooleanFlagOn(Irp->Flags, IRP_PAGING_IO);
    BOOLEAN Synchronous = BooleanFlagOn(FileObject->Flags, FO_SYNCHRONOUS_IO);
    BOOLEAN WriteToEnd = FALSE;
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;
    PVOID Buffer = NULL;
    BOOLEAN UserAddress = FALSE;
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG_PTR Transferred = 0;
    ULONGLONG Offset;
    ULONGLONG End;
    ULONGLONG OldSize;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, FileObject, &Fcb, &Ccb);
    if (Type != LfsOpenFile) {
        return LfspCompleteRequest(Irp, Type == LfsOpenUnknown ? STATUS_INVALID_PARAMETER
                                                               : STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (FlagOn(IrpSp->MinorFunction, IRP_MN_MDL | IRP_MN_COMPLETE)) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (ByteOffset.HighPart == -1 && ByteOffset.LowPart == FILE_WRITE_TO_END_OF_FILE) {
        WriteToEnd = TRUE;
    } else if (ByteOffset.HighPart == -1 &&
               ByteOffset.LowPart == FILE_USE_FILE_POINTER_POSITION) {
        ByteOffset = FileObject->CurrentByteOffset;
    }
    if (!WriteToEnd && ByteOffset.QuadPart < 0) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (FlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING) && !PagingIo &&
        ((!WriteToEnd && !LfspIsSectorAligned((ULONGLONG)ByteOffset.QuadPart)) ||
         !LfspIsSectorAligned(Length))) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (Length == 0) {
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
    }
    Status = LfspGetRequestBuffer(Irp, &Buffer, &UserAddress);
    if (!NT_SUCCESS(Status)) {
        return LfspCompleteRequest(Irp, Status, 0);
    }

    LfspAcquireVcbShared(Vcb);
    LfspAcquireFcbExclusive(Fcb);
    Node = Fcb->Node;
    Offset = WriteToEnd ? Node->FileSize : (ULONGLONG)ByteOffset.QuadPart;
    if (PagingIo) {
        /* Paging writes never extend the file. */
        if (Offset >= Node->FileSize) {
            Length = 0;
        } else if (Offset + Length > Node->FileSize) {
            Length = (ULONG)(Node->FileSize - Offset);
        }
    }
    End = Offset + Length;
    OldSize = Node->FileSize;
    if (Length != 0) {
        if (End > LFS_MAX_FILE_SIZE) {
            Status = STATUS_DISK_FULL;
        } else if (End > Node->FileSize) {
            Status = LfspSetFileSize(Node, End);
        }
        if (NT_SUCCESS(Status)) {
            Status = LfspCopyFromRequestBuffer(Node->Data + Offset, Buffer, UserAddress, Length);
            if (!NT_SUCCESS(Status) && Node->FileSize != OldSize) {
                (void)LfspSetFileSize(Node, OldSize);
            }
        }
        if (NT_SUCCESS(Status)) {
            Transferred = Length;
            if (!PagingIo) {
                LARGE_INTEGER Now = LfspNow();
                Node->LastWriteTime = Now;
                Node->ChangeTime = Now;
                Node->FileAttributes |= FILE_ATTRIBUTE_ARCHIVE;
            }
        }
    }
    if (NT_SUCCESS(Status) && Synchronous && !PagingIo) {
        FileObject->CurrentByteOffset.QuadPart = (LONGLONG)(Offset + Transferred);
    }
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, Status, Transferred);
}
