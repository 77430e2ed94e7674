/*
 * lfs_rw.c - localfs: IRP_MJ_READ and IRP_MJ_WRITE through the cache
 * manager, paging I/O, non-cached I/O, posting requests that cannot wait,
 * and access to a request's data buffer (MDL or user buffer, probed and
 * touched under __try).
 *
 * The three paths NTFS has:
 *  - cached (neither IRP_NOCACHE nor FO_NO_INTERMEDIATE_BUFFERING): the
 *    file object's first such request calls CcInitializeCacheMap (the FCB's
 *    section object pointers, its header's sizes); the data moves with
 *    CcCopyRead / CcCopyWrite.  A page the cache does not hold is read by a
 *    paging read that Cc sends to the top of this volume's stack, nested
 *    inside this request on this thread, so filters see it.  A write past
 *    the end of file extends the file first (zero-filled) and tells Cc the
 *    new sizes;
 *  - paging I/O (IRP_PAGING_IO, from Cc/Mm): straight to the in-memory
 *    data under the FCB's paging I/O resource only (the request that
 *    missed may hold the main resource); a paging read crossing the end
 *    of file is zero-filled to the requested length (Information = the
 *    bytes before the end), a paging write never extends the file;
 *  - non-cached: the in-memory data directly, after the cached range was
 *    flushed (reads) or flushed and purged (writes), so both agree.
 * Reads at or past the end of file fail with STATUS_END_OF_FILE.  A cached
 * request that cannot wait (IoIsOperationSynchronous is FALSE) and would
 * block in Cc is posted to a critical system worker (its user buffer
 * locked first) and STATUS_PENDING returned.  While Cc runs the thread's
 * top-level IRP is this request, so the nested paging I/O (and filters'
 * callbacks for it) see what they see under NTFS.  Synchronous file objects
 * (FO_SYNCHRONOUS_IO) have CurrentByteOffset moved past the transfer.
 * Reads do not update the last-access time (NTFS's default since Vista);
 * writes set the last-write and change times and the archive attribute.
 * The stack ledger gets NTFS's frames: NtfsFsdRead, NtfsCommonRead and
 * NtfsNonCachedIo (measured sizes), NtfsFsdWrite and NtfsCommonWrite
 * (estimates).
 */
#include "lfsp.h"
#include <fsim_kernel.h> /* KI_FRAME_SCOPE: the stack ledger */

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

/* Lazy writer and read-ahead callbacks: the FCB's main resource, shared. */
static BOOLEAN NTAPI LfspAcquireForCache(PVOID Context, BOOLEAN Wait)
{
    PLFS_FCB Fcb = (PLFS_FCB)Context;

    KeEnterCriticalRegion();
    if (!ExAcquireResourceSharedLite(&Fcb->MainResource, Wait)) {
        KeLeaveCriticalRegion();
        return FALSE;
    }
    return TRUE;
}

static VOID NTAPI LfspReleaseFromCache(PVOID Context)
{
    PLFS_FCB Fcb = (PLFS_FCB)Context;

    ExReleaseResourceLite(&Fcb->MainResource);
    KeLeaveCriticalRegion();
}

static CACHE_MANAGER_CALLBACKS LfspCacheCallbacks = {
    LfspAcquireForCache, LfspReleaseFromCache, LfspAcquireForCache, LfspReleaseFromCache};

/* Caches the stream through FileObject if it does not yet (may raise). */
static void LfspInitializeCache(PFILE_OBJECT FileObject, PLFS_FCB Fcb, ULONGLONG ValidLimit)
{
    CC_FILE_SIZES Sizes;

    if (FileObject->PrivateCacheMap == NULL) {
        LfspCacheFileSizes(Fcb, ValidLimit, &Sizes);
        CcInitializeCacheMap(FileObject, &Sizes, FALSE, &LfspCacheCallbacks, Fcb);
    }
}

/* --- posting -------------------------------------------------------------- */

typedef struct _LFS_POSTED_REQUEST {
    WORK_QUEUE_ITEM WorkItem;
    PDEVICE_OBJECT DeviceObject;
    PIRP Irp;
} LFS_POSTED_REQUEST, *PLFS_POSTED_REQUEST;

static NTSTATUS LfspCommonRead(PDEVICE_OBJECT DeviceObject, PIRP Irp, BOOLEAN CanWait);
static NTSTATUS LfspCommonWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp, BOOLEAN CanWait);

static VOID NTAPI LfspPostedRequestWorker(PVOID Context)
{
    PLFS_POSTED_REQUEST Post = (PLFS_POSTED_REQUEST)Context;
    PDEVICE_OBJECT DeviceObject = Post->DeviceObject;
    PIRP Irp = Post->Irp;

    ExFreePoolWithTag(Post, LFS_TAG_TEMP);
    if (IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_READ) {
        (void)LfspCommonRead(DeviceObject, Irp, TRUE);
    } else {
        (void)LfspCommonWrite(DeviceObject, Irp, TRUE);
    }
}

/*
 * Hands a request that could not wait to a system worker thread, which
 * runs it again allowed to wait.  A user buffer is locked first: the
 * worker runs in the System process.  The caller holds no resource.
 */
static NTSTATUS LfspPostRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp, ULONG Length, BOOLEAN Write)
{
    PLFS_POSTED_REQUEST Post;

    if (Irp->MdlAddress == NULL && Irp->RequestorMode == UserMode && Irp->UserBuffer != NULL) {
        PMDL Mdl = IoAllocateMdl(Irp->UserBuffer, Length, FALSE, FALSE, Irp);
        volatile NTSTATUS Status = STATUS_SUCCESS;

        if (Mdl == NULL) {
            return LfspCompleteRequest(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        }
        __try {
            MmProbeAndLockPages(Mdl, UserMode, Write ? IoReadAccess : IoWriteAccess);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            IoFreeMdl(Mdl);
            Irp->MdlAddress = NULL;
            return LfspCompleteRequest(Irp, Status, 0);
        }
    }
    Post = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(LFS_POSTED_REQUEST), LFS_TAG_TEMP);
    if (Post == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    }
    RtlZeroMemory(Post, sizeof(LFS_POSTED_REQUEST));
    Post->DeviceObject = DeviceObject;
    Post->Irp = Irp;
    IoMarkIrpPending(Irp);
    ExInitializeWorkItem(&Post->WorkItem, LfspPostedRequestWorker, Post);
    ExQueueWorkItem(&Post->WorkItem, CriticalWorkQueue);
    return STATUS_PENDING;
}

/* --- read ----------------------------------------------------------------- */

/* IRP_PAGING_IO: the in-memory data, under the paging I/O resource only. */
static NTSTATUS LfspPagingRead(PIRP Irp, PLFS_FCB Fcb, LARGE_INTEGER ByteOffset, ULONG Length,
                               PVOID Buffer, BOOLEAN UserAddress)
{
    PLFS_NODE Node = Fcb->Node;
    ULONG_PTR Transferred = 0;
    NTSTATUS Status;

    KI_FRAME_SCOPE("Ntfs", "NtfsNonCachedIo", 0x210);
    KeEnterCriticalRegion();
    (void)ExAcquireResourceSharedLite(&Fcb->PagingIoResource, TRUE);
    if ((ULONGLONG)ByteOffset.QuadPart >= Node->FileSize) {
        Status = STATUS_END_OF_FILE;
    } else {
        ULONGLONG Available = Node->FileSize - (ULONGLONG)ByteOffset.QuadPart;
        SIZE_T Count = Available < Length ? (SIZE_T)Available : Length;

        Status = LfspCopyToRequestBuffer(Buffer, UserAddress, Length,
                                         Node->Data + ByteOffset.QuadPart, Count);
        if (NT_SUCCESS(Status) && Count < Length) {
            Status = LfspZeroRequestBuffer(Buffer, UserAddress, Count, Length - Count);
        }
        if (NT_SUCCESS(Status)) {
            Transferred = Count;
        }
    }
    ExReleaseResourceLite(&Fcb->PagingIoResource);
    KeLeaveCriticalRegion();
    return LfspCompleteRequest(Irp, Status, Transferred);
}

/* A non-cached, non-paging read of Count bytes (the caller holds the FCB). */
static NTSTATUS LfspNonCachedRead(PIRP Irp, PLFS_FCB Fcb, LARGE_INTEGER ByteOffset, ULONG Length,
                                  SIZE_T Count, PVOID Buffer, BOOLEAN UserAddress)
{
    IO_STATUS_BLOCK Iosb;

    KI_FRAME_SCOPE("Ntfs", "NtfsNonCachedIo", 0x210);
    if (Fcb->SectionObjectPointers.SharedCacheMap != NULL) {
        /* Dirty cached data first, so the read sees it. */
        BOOLEAN TopLevel = LfspSetTopLevelIrp(Irp);
        CcFlushCache(&Fcb->SectionObjectPointers, &ByteOffset, (ULONG)Count, &Iosb);
        LfspRestoreTopLevelIrp(TopLevel);
        if (!NT_SUCCESS(Iosb.Status)) {
            return Iosb.Status;
        }
    }
    return LfspCopyToRequestBuffer(Buffer, UserAddress, Length, Fcb->Node->Data + ByteOffset.QuadPart, Count);
}

/*
 * CcCopyRead of Count bytes; *Posted when it would have to wait and may
 * not.  Exceptions Cc raises (I/O errors, a bad buffer) become the status.
 */
static NTSTATUS LfspCachedRead(PIRP Irp, PFILE_OBJECT FileObject, PLFS_FCB Fcb, LARGE_INTEGER ByteOffset,
                               ULONG Length, ULONG Count, PVOID Buffer, BOOLEAN UserAddress, BOOLEAN CanWait,
                               ULONG_PTR *Transferred, BOOLEAN *Posted)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;
    volatile BOOLEAN Copied = TRUE;
    IO_STATUS_BLOCK Iosb;
    BOOLEAN TopLevel = LfspSetTopLevelIrp(Irp);

    Iosb.Status = STATUS_SUCCESS;
    Iosb.Information = 0;
    __try {
        if (UserAddress) {
            ProbeForWrite(Buffer, Length, 1);
        }
        LfspInitializeCache(FileObject, Fcb, LFS_VALID_ALL);
        Copied = CcCopyRead(FileObject, &ByteOffset, Count, CanWait, Buffer, &Iosb);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    LfspRestoreTopLevelIrp(TopLevel);
    *Posted = (BOOLEAN)(NT_SUCCESS(Status) && !Copied);
    if (NT_SUCCESS(Status) && Copied) {
        Status = Iosb.Status;
        *Transferred = Iosb.Information;
    }
    return Status;
}

static NTSTATUS LfspCommonRead(PDEVICE_OBJECT DeviceObject, PIRP Irp, BOOLEAN CanWait)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    ULONG Length = IrpSp->Parameters.Read.Length;
    LARGE_INTEGER ByteOffset = IrpSp->Parameters.Read.ByteOffset;
    BOOLEAN PagingIo = BooleanFlagOn(Irp->Flags, IRP_PAGING_IO);
    BOOLEAN NonCached = (BOOLEAN)(BooleanFlagOn(Irp->Flags, IRP_NOCACHE) ||
                                  BooleanFlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING));
    BOOLEAN Synchronous = BooleanFlagOn(FileObject->Flags, FO_SYNCHRONOUS_IO);
    BOOLEAN Posted = FALSE;
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;
    PVOID Buffer = NULL;
    BOOLEAN UserAddress = FALSE;
    NTSTATUS Status;
    ULONG_PTR Transferred = 0;

    KI_FRAME_SCOPE("Ntfs", "NtfsCommonRead", 0x1c0);
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
    if (PagingIo) {
        return LfspPagingRead(Irp, Fcb, ByteOffset, Length, Buffer, UserAddress);
    }

    LfspAcquireVcbShared(Vcb);
    LfspAcquireFcbShared(Fcb);
    Node = Fcb->Node;
    if ((ULONGLONG)ByteOffset.QuadPart >= Node->FileSize) {
        Status = STATUS_END_OF_FILE;
    } else {
        ULONGLONG Available = Node->FileSize - (ULONGLONG)ByteOffset.QuadPart;
        ULONG Count = Available < Length ? (ULONG)Available : Length;

        if (NonCached) {
            Status = LfspNonCachedRead(Irp, Fcb, ByteOffset, Length, Count, Buffer, UserAddress);
            if (NT_SUCCESS(Status)) {
                Transferred = Count;
            }
        } else {
            Status = LfspCachedRead(Irp, FileObject, Fcb, ByteOffset, Length, Count, Buffer, UserAddress,
                                    CanWait, &Transferred, &Posted);
        }
    }
    if (NT_SUCCESS(Status) && !Posted && Synchronous) {
        FileObject->CurrentByteOffset.QuadPart = ByteOffset.QuadPart + (LONGLONG)Transferred;
    }
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    if (Posted) {
        return LfspPostRequest(DeviceObject, Irp, Length, FALSE);
    }
    return LfspCompleteRequest(Irp, Status, Transferred);
}

NTSTATUS LfsFsdRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_FRAME_SCOPE("Ntfs", "NtfsFsdRead", 0xb0);
    PAGED_CODE();
    return LfspCommonRead(DeviceObject, Irp, IoIsOperationSynchronous(Irp));
}

/* --- write ---------------------------------------------------------------- */

/* IRP_PAGING_IO: into the in-memory data, never past the end of file. */
static NTSTATUS LfspPagingWrite(PIRP Irp, PLFS_FCB Fcb, LARGE_INTEGER ByteOffset, ULONG Length,
                                PVOID Buffer, BOOLEAN UserAddress)
{
    PLFS_NODE Node = Fcb->Node;
    ULONGLONG Offset = (ULONGLONG)ByteOffset.QuadPart;
    ULONG_PTR Transferred = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    KI_FRAME_SCOPE("Ntfs", "NtfsNonCachedIo", 0x210);
    KeEnterCriticalRegion();
    (void)ExAcquireResourceSharedLite(&Fcb->PagingIoResource, TRUE);
    if (Offset >= Node->FileSize) {
        Length = 0;
    } else if (Offset + Length > Node->FileSize) {
        Length = (ULONG)(Node->FileSize - Offset);
    }
    if (Length != 0) {
        Status = LfspCopyFromRequestBuffer(Node->Data + Offset, Buffer, UserAddress, Length);
        if (NT_SUCCESS(Status)) {
            Transferred = Length;
        }
    }
    ExReleaseResourceLite(&Fcb->PagingIoResource);
    KeLeaveCriticalRegion();
    return LfspCompleteRequest(Irp, Status, Transferred);
}

/* Non-cached write of [Offset, Offset + Length); the file is already long enough. */
static NTSTATUS LfspNonCachedWrite(PIRP Irp, PLFS_FCB Fcb, ULONGLONG Offset, ULONG Length, PVOID Buffer,
                                   BOOLEAN UserAddress)
{
    KI_FRAME_SCOPE("Ntfs", "NtfsNonCachedIo", 0x210);
    if (Fcb->SectionObjectPointers.SharedCacheMap != NULL) {
        /* Cached data of the range would later overwrite what is written
         * here: write it back, then drop it. */
        LARGE_INTEGER Start;
        IO_STATUS_BLOCK Iosb;
        BOOLEAN TopLevel = LfspSetTopLevelIrp(Irp);

        Start.QuadPart = (LONGLONG)Offset;
        CcFlushCache(&Fcb->SectionObjectPointers, &Start, Length, &Iosb);
        if (NT_SUCCESS(Iosb.Status)) {
            (void)CcPurgeCacheSection(&Fcb->SectionObjectPointers, &Start, Length, 0);
        }
        LfspRestoreTopLevelIrp(TopLevel);
        if (!NT_SUCCESS(Iosb.Status)) {
            return Iosb.Status;
        }
    }
    return LfspCopyFromRequestBuffer(Fcb->Node->Data + Offset, Buffer, UserAddress, Length);
}

/* CcCopyWrite of the whole request; *Posted when it would wait and may not. */
static NTSTATUS LfspCachedWrite(PIRP Irp, PFILE_OBJECT FileObject, PLFS_FCB Fcb, ULONGLONG Offset,
                                ULONG Length, PVOID Buffer, BOOLEAN UserAddress, BOOLEAN CanWait,
                                ULONGLONG OldSize, BOOLEAN *Posted)
{
    volatile NTSTATUS Status = STATUS_SUCCESS;
    volatile BOOLEAN Copied = TRUE;
    LARGE_INTEGER Start;
    BOOLEAN TopLevel = LfspSetTopLevelIrp(Irp);

    Start.QuadPart = (LONGLONG)Offset;
    __try {
        if (UserAddress) {
            ProbeForRead(Buffer, Length, 1);
        }
        /* The bytes between the old end and this write are zeros: valid
         * data ends at the old end as far as the cache is concerned. */
        LfspInitializeCache(FileObject, Fcb, OldSize);
        if (Fcb->Node->FileSize != OldSize) {
            LfspNotifyCacheSizes(FileObject, Fcb, OldSize);
        }
        Copied = CcCopyWrite(FileObject, &Start, Length, CanWait, Buffer);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    LfspRestoreTopLevelIrp(TopLevel);
    *Posted = (BOOLEAN)(NT_SUCCESS(Status) && !Copied);
    return Status;
}

static NTSTATUS LfspCommonWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp, BOOLEAN CanWait)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    ULONG Length = IrpSp->Parameters.Write.Length;
    LARGE_INTEGER ByteOffset = IrpSp->Parameters.Write.ByteOffset;
    BOOLEAN PagingIo = BooleanFlagOn(Irp->Flags, IRP_PAGING_IO);
    BOOLEAN NonCached = (BOOLEAN)(BooleanFlagOn(Irp->Flags, IRP_NOCACHE) ||
                                  BooleanFlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING));
    BOOLEAN Synchronous = BooleanFlagOn(FileObject->Flags, FO_SYNCHRONOUS_IO);
    BOOLEAN WriteToEnd = FALSE;
    BOOLEAN Posted = FALSE;
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

    KI_FRAME_SCOPE("Ntfs", "NtfsCommonWrite", 0x230);
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
    if (PagingIo) {
        if (WriteToEnd) {
            return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
        }
        return LfspPagingWrite(Irp, Fcb, ByteOffset, Length, Buffer, UserAddress);
    }

    LfspAcquireVcbShared(Vcb);
    LfspAcquireFcbExclusive(Fcb);
    Node = Fcb->Node;
    Offset = WriteToEnd ? Node->FileSize : (ULONGLONG)ByteOffset.QuadPart;
    End = Offset + Length;
    OldSize = Node->FileSize;
    if (End > LFS_MAX_FILE_SIZE) {
        Status = STATUS_DISK_FULL;
    } else if (End > Node->FileSize) {
        Status = LfspSetFileSize(Node, End);
    }
    if (NT_SUCCESS(Status)) {
        if (NonCached) {
            Status = LfspNonCachedWrite(Irp, Fcb, Offset, Length, Buffer, UserAddress);
            if (NT_SUCCESS(Status)) {
                /* The file holds what the cache may not: all of it is valid. */
                LfspNotifyCacheSizes(FileObject, Fcb, LFS_VALID_ALL);
            }
        } else {
            Status = LfspCachedWrite(Irp, FileObject, Fcb, Offset, Length, Buffer, UserAddress, CanWait,
                                     OldSize, &Posted);
        }
        if ((!NT_SUCCESS(Status) || Posted) && Node->FileSize != OldSize) {
            /* Nothing was written: the file keeps its size. */
            (void)LfspSetFileSize(Node, OldSize);
            LfspNotifyCacheSizes(FileObject, Fcb, LFS_VALID_ALL);
        }
    }
    if (NT_SUCCESS(Status) && !Posted) {
        LARGE_INTEGER Now = LfspNow();

        Transferred = Length;
        Node->LastWriteTime = Now;
        Node->ChangeTime = Now;
        Node->FileAttributes |= FILE_ATTRIBUTE_ARCHIVE;
        FileObject->Flags |= FO_FILE_MODIFIED;
        if (Synchronous) {
            FileObject->CurrentByteOffset.QuadPart = (LONGLONG)(Offset + Transferred);
        }
    }
    if (Posted) {
        /* The worker writes at the offset resolved here. */
        IrpSp->Parameters.Write.ByteOffset.QuadPart = (LONGLONG)Offset;
    }
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    if (Posted) {
        return LfspPostRequest(DeviceObject, Irp, Length, TRUE);
    }
    return LfspCompleteRequest(Irp, Status, Transferred);
}

NTSTATUS LfsFsdWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_FRAME_SCOPE("Ntfs", "NtfsFsdWrite", 0xb0);
    PAGED_CODE();
    return LfspCommonWrite(DeviceObject, Irp, IoIsOperationSynchronous(Irp));
}
