/*
 * io.c - fltsim FltMgr: filter-initiated I/O.  Callback data a filter
 * allocates (FltAllocateCallbackData, FltPerformSynchronousIo /
 * FltPerformAsynchronousIo, FltFreeCallbackData freeing the MDL chain lower
 * layers attached), and the routines built on it that are seen only by the
 * instances below the caller: FltCreateFile(Ex)(2)/FltClose, FltReadFile,
 * FltWriteFile, FltQuery/SetInformationFile, FltQueryDirectoryFile, volume
 * information, security, FSCTLs/IOCTLs, FltCreateSystemVolumeInformationFolder.
 */
#include "fltp.h"

/* ------------------------------------------------------------------------ */
/* File objects opened with FltCreateFile*                                  */
/* ------------------------------------------------------------------------ */

PFLT_INSTANCE FltpInitiatorOfFileObject(PFILE_OBJECT FileObject)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->OpenFiles.Flink; E != &S->OpenFiles; E = E->Flink) {
        FLTP_OPEN_FILE *O = CONTAINING_RECORD(E, FLTP_OPEN_FILE, Links);
        if (O->FileObject == FileObject)
            return (O->Initiator->Detached || O->Initiator->TearingDown) ? NULL : O->Initiator;
    }
    return NULL;
}

void FltpRememberFileObject(PFILE_OBJECT FileObject, PFLT_INSTANCE Initiator)
{
    struct FLTP_STATE *S = FltpState();
    FLTP_OPEN_FILE *O = calloc(1, sizeof(*O));
    if (O == NULL)
        abort();
    O->FileObject = FileObject;
    O->Initiator = Initiator;
    FltpInsertTail(&S->OpenFiles, &O->Links);
}

void FltpForgetFileObject(PFILE_OBJECT FileObject)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->OpenFiles.Flink; E != &S->OpenFiles; E = E->Flink) {
        FLTP_OPEN_FILE *O = CONTAINING_RECORD(E, FLTP_OPEN_FILE, Links);
        if (O->FileObject == FileObject) {
            FltpRemove(E);
            free(O);
            return;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Callback data for generated I/O                                          */
/* ------------------------------------------------------------------------ */

static FLTP_CBD *FltpNewGeneratedCbd(PFLT_INSTANCE Initiator, PFILE_OBJECT FileObject, BOOLEAN DriverCharged)
{
    struct FLTP_STATE *S = FltpState();
    FLTP_CBD *C;
    if (DriverCharged) {
        C = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(FLTP_CBD), FLTP_TAG_CBD);
        if (C == NULL)
            return NULL;
        MiSetRangeKind(C, "FLT_CALLBACK_DATA");
        memset(C, 0, sizeof(*C));
        C->FromPool = TRUE;
    } else {
        C = calloc(1, sizeof(*C));
        if (C == NULL)
            abort();
        MiRegisterRange(C, sizeof(*C), "FLT_CALLBACK_DATA");
    }
    C->Magic = FLTP_CBD_MAGIC;
    C->FilterAllocated = DriverCharged;
    C->CallerOwned = TRUE;
    C->Volume = Initiator->Volume;
    C->Filter = Initiator->Filter;
    C->Initiator = Initiator;
    C->File = FltpCallFile();
    C->Line = FltpCallLine();
    FltpInitList(&C->Links);
    FltpInitList(&C->ActiveLinks);
    C->Data.Flags = FLTFL_CALLBACK_DATA_IRP_OPERATION | FLTFL_CALLBACK_DATA_GENERATED_IO;
    C->Data.Thread = (PETHREAD)KiCurrentThread();
    C->Data.Iopb = &C->Iopb;
    C->Data.RequestorMode = KernelMode;
    C->Iopb.TargetFileObject = FileObject;
    C->Iopb.TargetInstance = Initiator;
    KeInitializeEvent(&C->DoneEvent, NotificationEvent, FALSE);
    if (DriverCharged)
        FltpInsertTail(&S->CallbackData, &C->Links);
    return C;
}

/* Frees the MDL chain the callback data holds (unlocking locked pages). */
static void FltpFreeHeldMdls(FLTP_CBD *C)
{
    PMDL Mdl = C->HeldMdl;
    C->HeldMdl = NULL;
    if (C->HeldIrp != NULL) {
        C->HeldIrp->MdlAddress = NULL;
        IoFreeIrp(C->HeldIrp);
        C->HeldIrp = NULL;
    }
    while (Mdl != NULL) {
        PMDL Next = Mdl->Next;
        if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(Mdl);
        IoFreeMdl(Mdl);
        Mdl = Next;
    }
}

static void FltpDestroyGeneratedCbd(FLTP_CBD *C)
{
    FltpFreeHeldMdls(C);
    if (C->SystemBuffer != NULL) {
        ExFreePoolWithTag(C->SystemBuffer, FLTP_TAG_MISC);
        C->SystemBuffer = NULL;
    }
    if (C->Links.Flink != &C->Links)
        FltpRemove(&C->Links);
    C->Freed = TRUE;
    if (C->References > 0) {
        /* FltMgr is still unwinding from the operation (e.g. the completion
         * callback freed it): the memory goes when FltMgr lets go. */
        C->DestroyPending = TRUE;
        return;
    }
    FltpFreeCbdMemory(C);
}

/* Sends C's operation to the instances below its initiator, then below
 * FltMgr.  Returns when it completed (waits if something pended it). */
static NTSTATUS FltpSendGenerated(FLTP_CBD *C, BOOLEAN Wait)
{
    PFLT_VOLUME V = C->Volume;
    PDEVICE_OBJECT Lower = V->LowerDevice;
    if (C->Phase != FltpPhasePre && C->Phase != FltpPhaseDone) {
        KiReportSetRootCause("callback data reused while its previous operation is still in progress");
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6B, (ULONG_PTR)MiSyntheticAddress(&C->Data), 0,
                     (ULONG_PTR)MiSyntheticAddress(KiCurrentThread()));
    }
    if (C->HeldIrp != NULL) {
        /* reused: the previous operation's IRP goes; its MDL chain stays held */
        C->HeldIrp->MdlAddress = NULL;
        IoFreeIrp(C->HeldIrp);
        C->HeldIrp = NULL;
    }
    PIRP Irp = IoAllocateIrp((CCHAR)(Lower->StackSize + 1), FALSE);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    IoSetNextIrpStackLocation(Irp);
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    Sp->DeviceObject = V->FrameDevice;
    Irp->Tail.Overlay.Thread = C->Data.Thread;
    Irp->Tail.Overlay.OriginalFileObject = C->Iopb.TargetFileObject;
    Irp->RequestorMode = C->Data.RequestorMode;
    FltpApplyParameters(&C->Iopb, Irp, Sp);
    if (C->HeldMdl != NULL && Irp->MdlAddress == NULL)
        Irp->MdlAddress = C->HeldMdl; /* FltLockUserBuffer before the send */
    if (Irp->MdlAddress == C->HeldMdl)
        C->HeldMdl = NULL;
    C->Irp = Irp;
    C->OwnsIrp = TRUE;
    C->Dirty = FALSE;
    C->Data.IoStatus.Status = STATUS_SUCCESS;
    C->Data.IoStatus.Information = 0;
    C->Data.Flags &= ~(ULONG)(FLTFL_CALLBACK_DATA_POST_OPERATION | FLTFL_CALLBACK_DATA_DIRTY);
    KeClearEvent(&C->DoneEvent);
    if (C->NoInstances)
        C->CallCount = 0;
    else
        FltpSnapshotInstances(C, C->Initiator);
    C->References = 1; /* held here; the pass-down / complete / pend paths take their own */
    C->Phase = FltpPhasePre;
    (void)FltpStartOperation(C);
    BOOLEAN Done = C->Phase == FltpPhaseDone;
    if (!Wait) {
        FltpReleaseCbd(C); /* may free it: an async callback may have freed the data */
        return Done ? STATUS_SUCCESS : STATUS_PENDING;
    }
    if (!Done)
        KeWaitForSingleObject(&C->DoneEvent, Executive, KernelMode, FALSE, NULL);
    NTSTATUS Status = C->Data.IoStatus.Status;
    FltpReleaseCbd(C);
    return Status;
}

NTSTATUS FLTAPI FltAllocateCallbackDataEx(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                          FLT_ALLOCATE_CALLBACK_DATA_FLAGS Flags, PFLT_CALLBACK_DATA *RetNewCallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltAllocateCallbackData");
    FltpCheckInstance(Instance, "FltAllocateCallbackData");
    if (RetNewCallbackData == NULL || (Flags & ~(ULONG)FLT_ALLOCATE_CALLBACK_DATA_PREALLOCATE_ALL_MEMORY))
        return STATUS_INVALID_PARAMETER;
    *RetNewCallbackData = NULL;
    if (Instance->TearingDown || Instance->Detached)
        return STATUS_FLT_DELETING_OBJECT;
    FLTP_CBD *C = FltpNewGeneratedCbd(Instance, FileObject, TRUE);
    if (C == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    C->Phase = FltpPhaseDone;
    *RetNewCallbackData = &C->Data;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltAllocateCallbackData(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                        PFLT_CALLBACK_DATA *RetNewCallbackData)
{
    return FltAllocateCallbackDataEx(Instance, FileObject, 0, RetNewCallbackData);
}

VOID FLTAPI FltFreeCallbackData(PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltFreeCallbackData");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltFreeCallbackData");
    if (!C->FilterAllocated) {
        KiReportSetRootCause("FltFreeCallbackData on callback data the filter did not allocate with "
                             "FltAllocateCallbackData");
        KeBugCheckEx(BAD_POOL_CALLER, 0x07, 0, FLTP_TAG_CBD, (ULONG_PTR)MiSyntheticAddress(CallbackData));
    }
    FltpDestroyGeneratedCbd(C);
}

VOID FLTAPI FltReuseCallbackData(PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltReuseCallbackData");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltReuseCallbackData");
    if (!C->FilterAllocated)
        return;
    FltpFreeHeldMdls(C);
    C->Data.IoStatus.Status = STATUS_SUCCESS;
    C->Data.IoStatus.Information = 0;
    C->Data.Flags = FLTFL_CALLBACK_DATA_IRP_OPERATION | FLTFL_CALLBACK_DATA_GENERATED_IO;
    C->Phase = FltpPhaseDone;
}

VOID FLTAPI FltPerformSynchronousIo(PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltPerformSynchronousIo");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltPerformSynchronousIo");
    KI_FRAME_SCOPE("FLTMGR", "FltPerformSynchronousIo", FLTP_FRAME_SYNC_IO);
    if (!C->FilterAllocated) {
        CallbackData->IoStatus.Status = STATUS_INVALID_PARAMETER;
        return;
    }
    (void)FltpSendGenerated(C, TRUE);
}

NTSTATUS FLTAPI FltPerformAsynchronousIo(PFLT_CALLBACK_DATA CallbackData, PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
                                         PVOID CallbackContext)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltPerformAsynchronousIo");
    KiRequireIrql((C->Iopb.IrpFlags & IRP_PAGING_IO) ? APC_LEVEL : PASSIVE_LEVEL, "FltPerformAsynchronousIo");
    KI_FRAME_SCOPE("FLTMGR", "FltPerformAsynchronousIo", FLTP_FRAME_SYNC_IO);
    if (CallbackRoutine == NULL || !C->FilterAllocated || C->Iopb.MajorFunction == IRP_MJ_CREATE) {
        /* The callback is called even when the request fails. */
        CallbackData->IoStatus.Status = STATUS_INVALID_PARAMETER;
        CallbackData->IoStatus.Information = 0;
        if (CallbackRoutine != NULL) {
            KI_DRIVER_FRAME_SCOPE(CallbackRoutine);
            CallbackRoutine(CallbackData, CallbackContext);
        }
        return STATUS_INVALID_PARAMETER;
    }
    C->AsyncCallback = CallbackRoutine;
    C->AsyncContext = CallbackContext;
    NTSTATUS Status = FltpSendGenerated(C, FALSE);
    return Status == STATUS_PENDING ? STATUS_PENDING : STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltReissueSynchronousIo(PFLT_INSTANCE InitiatingInstance, PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltReissueSynchronousIo");
    FltpCheckInstance(InitiatingInstance, "FltReissueSynchronousIo");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltReissueSynchronousIo");
    if (!FLT_IS_IRP_OPERATION(CallbackData) || C->Iopb.MajorFunction == IRP_MJ_CREATE)
        return STATUS_INVALID_PARAMETER;
    /* Send a copy of the operation below the initiating instance. */
    FLTP_CBD *R = FltpNewGeneratedCbd(InitiatingInstance, C->Iopb.TargetFileObject, FALSE);
    R->Iopb = C->Iopb;
    R->Iopb.TargetInstance = InitiatingInstance;
    R->Data.RequestorMode = C->Data.RequestorMode;
    R->Data.Flags |= FLTFL_CALLBACK_DATA_REISSUED_IO;
    (void)FltpSendGenerated(R, TRUE);
    CallbackData->IoStatus = R->Data.IoStatus;
    CallbackData->Flags |= FLTFL_CALLBACK_DATA_REISSUED_IO;
    FltpDestroyGeneratedCbd(R);
    return CallbackData->IoStatus.Status;
}

/* An operation FltMgr issues for a Flt* routine and frees itself. */
static NTSTATUS FltpIssue(FLTP_CBD *C, PIO_STATUS_BLOCK IoStatus)
{
    NTSTATUS Status = FltpSendGenerated(C, TRUE);
    if (IoStatus != NULL)
        *IoStatus = C->Data.IoStatus;
    FltpDestroyGeneratedCbd(C);
    return Status;
}

static FLTP_CBD *FltpBeginIo(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, UCHAR Major, UCHAR Minor,
                             const char *Routine)
{
    FltpCheckInstance(Instance, Routine);
    FLTP_CBD *C = FltpNewGeneratedCbd(Instance, FileObject, FALSE);
    C->Iopb.MajorFunction = Major;
    C->Iopb.MinorFunction = Minor;
    C->Iopb.IrpFlags = IRP_SYNCHRONOUS_API;
    return C;
}

/* The file's path as the file system stores it, asked below every instance
 * of the frame (minifilters do not see FltMgr's own name queries). */
NTSTATUS FltpQueryFileSystemName(PFLT_VOLUME Volume, PFILE_OBJECT FileObject, WCHAR **Path, size_t *Units)
{
    struct FLTP_STATE *S = FltpState();
    ULONG Size = 1024;
    *Path = NULL;
    *Units = 0;
    if (Volume == NULL || FileObject == NULL || FileObject->FsContext == NULL)
        return STATUS_INVALID_PARAMETER;
    for (int Attempt = 0; Attempt < 4; Attempt++) {
        PFILE_NAME_INFORMATION Info = calloc(1, Size);
        if (Info == NULL)
            abort();
        FLTP_CBD *C = FltpNewCbd(Volume, FLTFL_CALLBACK_DATA_IRP_OPERATION | FLTFL_CALLBACK_DATA_GENERATED_IO,
                                 (PETHREAD)KiCurrentThread(), KernelMode);
        C->CallerOwned = TRUE;
        C->NoInstances = TRUE;
        C->Iopb.TargetFileObject = FileObject;
        C->Iopb.MajorFunction = IRP_MJ_QUERY_INFORMATION;
        C->Iopb.IrpFlags = IRP_SYNCHRONOUS_API | IRP_BUFFERED_IO;
        C->Iopb.Parameters.QueryFileInformation.Length = Size;
        C->Iopb.Parameters.QueryFileInformation.FileInformationClass = FileNameInformation;
        C->Iopb.Parameters.QueryFileInformation.InfoBuffer = Info;
        KeInitializeEvent(&C->DoneEvent, NotificationEvent, FALSE);
        (void)S;
        NTSTATUS Status = FltpSendGenerated(C, TRUE);
        FltpDestroyGeneratedCbd(C);
        if (Status == STATUS_BUFFER_OVERFLOW && Info->FileNameLength + 64 > Size) {
            Size = Info->FileNameLength + 64;
            free(Info);
            continue;
        }
        if (!NT_SUCCESS(Status)) {
            free(Info);
            return Status;
        }
        *Units = Info->FileNameLength / sizeof(WCHAR);
        *Path = malloc((*Units + 1) * sizeof(WCHAR));
        if (*Path == NULL)
            abort();
        memcpy(*Path, Info->FileName, *Units * sizeof(WCHAR));
        free(Info);
        return STATUS_SUCCESS;
    }
    return STATUS_BUFFER_OVERFLOW;
}

/* ------------------------------------------------------------------------ */
/* Read / write                                                             */
/* ------------------------------------------------------------------------ */

static NTSTATUS FltpReadWrite(BOOLEAN Write, PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                              PLARGE_INTEGER ByteOffset, ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags,
                              PULONG Transferred, PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
                              PVOID CallbackContext, PULONG Key, PMDL Mdl)
{
    const char *Routine = Write ? "FltWriteFile" : "FltReadFile";
    KiRequireIrql(PASSIVE_LEVEL, Routine);
    FltpCheckInstance(Instance, Routine);
    if (Transferred != NULL)
        *Transferred = 0;
    if (FileObject == NULL || (Buffer == NULL && Mdl == NULL && Length != 0))
        return STATUS_INVALID_PARAMETER;
    if ((Flags & FLTFL_IO_OPERATION_SYNCHRONOUS_PAGING) && !(Flags & FLTFL_IO_OPERATION_PAGING))
        return STATUS_INVALID_PARAMETER;
    if (Instance->TearingDown || Instance->Detached)
        return STATUS_FLT_DELETING_OBJECT;
    FLTP_CBD *C = FltpNewGeneratedCbd(Instance, FileObject, FALSE);
    C->Iopb.MajorFunction = Write ? IRP_MJ_WRITE : IRP_MJ_READ;
    C->Iopb.MinorFunction = IRP_MN_NORMAL;
    ULONG IrpFlags = Write ? IRP_WRITE_OPERATION : (IRP_READ_OPERATION | IRP_INPUT_OPERATION);
    if (Flags & FLTFL_IO_OPERATION_NON_CACHED)
        IrpFlags |= IRP_NOCACHE;
    if (Flags & FLTFL_IO_OPERATION_PAGING)
        IrpFlags |= IRP_PAGING_IO | IRP_NOCACHE;
    if (Flags & FLTFL_IO_OPERATION_SYNCHRONOUS_PAGING)
        IrpFlags |= IRP_SYNCHRONOUS_PAGING_IO;
    if (CallbackRoutine == NULL)
        IrpFlags |= IRP_SYNCHRONOUS_API;
    C->Iopb.IrpFlags = IrpFlags;
    LARGE_INTEGER Offset;
    if (ByteOffset != NULL)
        Offset = *ByteOffset;
    else
        Offset = FileObject->CurrentByteOffset;
    LARGE_INTEGER SavedOffset = FileObject->CurrentByteOffset;
    C->Iopb.Parameters.Read.Length = Length;
    C->Iopb.Parameters.Read.Key = Key ? *Key : 0;
    C->Iopb.Parameters.Read.ByteOffset = Offset;
    C->Iopb.Parameters.Read.ReadBuffer = Buffer;
    C->Iopb.Parameters.Read.MdlAddress = Mdl;
    if (CallbackRoutine != NULL) {
        C->AsyncCallback = CallbackRoutine;
        C->AsyncContext = CallbackContext;
        NTSTATUS Status = FltpSendGenerated(C, TRUE);
        (void)Status;
        /* FltMgr frees its callback data after the callback ran. */
        FltpDestroyGeneratedCbd(C);
        return STATUS_PENDING;
    }
    NTSTATUS Status;
    {
        /* FltReadFileEx/FltWriteFileEx send a synchronous request the way a
         * filter would: through FltPerformSynchronousIo (the seed's listing). */
        KI_FRAME_SCOPE("FLTMGR", "FltPerformSynchronousIo", FLTP_FRAME_SYNC_IO);
        Status = FltpSendGenerated(C, TRUE);
    }
    if (Transferred != NULL)
        *Transferred = (ULONG)C->Data.IoStatus.Information;
    if (Flags & FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET)
        FileObject->CurrentByteOffset = SavedOffset;
    else if ((FileObject->Flags & FO_SYNCHRONOUS_IO) && !(Flags & FLTFL_IO_OPERATION_PAGING) && NT_SUCCESS(Status))
        FileObject->CurrentByteOffset.QuadPart = Offset.QuadPart + (LONGLONG)C->Data.IoStatus.Information;
    FltpDestroyGeneratedCbd(C);
    return Status;
}

NTSTATUS FLTAPI FltReadFileEx(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset,
                              ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesRead,
                              PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext, PULONG Key,
                              PMDL Mdl)
{
    KI_FRAME_SCOPE("FLTMGR", "FltReadFileEx", 0x100);
    return FltpReadWrite(FALSE, InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesRead,
                         CallbackRoutine, CallbackContext, Key, Mdl);
}

static NTSTATUS FltpReadFile(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset,
                             ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesRead,
                             PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext)
{
    KI_FRAME_SCOPE("FLTMGR", "FltReadFile", FLTP_FRAME_READFILE);
    return FltReadFileEx(InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesRead,
                         CallbackRoutine, CallbackContext, NULL, NULL);
}

NTSTATUS FLTAPI FltReadFile(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset,
                            ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesRead,
                            PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext)
{
    if (KiMachine->Options.VerifierFlags != 0) {
        /* Driver Verifier on: the filter's import of FltReadFile goes
         * through Filter Verifier's thunk first, as in the seed's listing. */
        KI_FRAME_SCOPE("FLTMGR", "FltvReadFile", FLTP_FRAME_READFILE);
        return FltpReadFile(InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesRead,
                            CallbackRoutine, CallbackContext);
    }
    return FltpReadFile(InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesRead,
                        CallbackRoutine, CallbackContext);
}

NTSTATUS FLTAPI FltWriteFileEx(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset,
                               ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesWritten,
                               PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext, PULONG Key,
                               PMDL Mdl)
{
    KI_FRAME_SCOPE("FLTMGR", "FltWriteFileEx", 0x100);
    return FltpReadWrite(TRUE, InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesWritten,
                         CallbackRoutine, CallbackContext, Key, Mdl);
}

NTSTATUS FLTAPI FltWriteFile(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset,
                             ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesWritten,
                             PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext)
{
    KI_FRAME_SCOPE("FLTMGR", "FltWriteFile", 0x70);
    return FltWriteFileEx(InitiatingInstance, FileObject, ByteOffset, Length, Buffer, Flags, BytesWritten,
                          CallbackRoutine, CallbackContext, NULL, NULL);
}

/* ------------------------------------------------------------------------ */
/* Information, directories, volumes, security                              */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltQueryInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation,
                                        ULONG Length, FILE_INFORMATION_CLASS FileInformationClass,
                                        PULONG LengthReturned)
{
    IO_STATUS_BLOCK Iosb;
    KiRequireIrql(PASSIVE_LEVEL, "FltQueryInformationFile");
    if (LengthReturned != NULL)
        *LengthReturned = 0;
    if (FileObject == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_QUERY_INFORMATION, 0, "FltQueryInformationFile");
    C->Iopb.IrpFlags |= IRP_BUFFERED_IO;
    C->Iopb.Parameters.QueryFileInformation.Length = Length;
    C->Iopb.Parameters.QueryFileInformation.FileInformationClass = FileInformationClass;
    C->Iopb.Parameters.QueryFileInformation.InfoBuffer = FileInformation;
    NTSTATUS Status = FltpIssue(C, &Iosb);
    if (LengthReturned != NULL)
        *LengthReturned = (ULONG)Iosb.Information;
    return Status;
}

NTSTATUS FLTAPI FltSetInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation,
                                      ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltSetInformationFile");
    if (FileObject == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_SET_INFORMATION, 0, "FltSetInformationFile");
    C->Iopb.IrpFlags |= IRP_BUFFERED_IO;
    C->Iopb.Parameters.SetFileInformation.Length = Length;
    C->Iopb.Parameters.SetFileInformation.FileInformationClass = FileInformationClass;
    C->Iopb.Parameters.SetFileInformation.InfoBuffer = FileInformation;
    return FltpIssue(C, NULL);
}

NTSTATUS FLTAPI FltQueryDirectoryFileEx(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation,
                                        ULONG Length, FILE_INFORMATION_CLASS FileInformationClass, ULONG QueryFlags,
                                        PUNICODE_STRING FileName, PULONG LengthReturned)
{
    IO_STATUS_BLOCK Iosb;
    KiRequireIrql(PASSIVE_LEVEL, "FltQueryDirectoryFile");
    if (LengthReturned != NULL)
        *LengthReturned = 0;
    if (FileObject == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY,
                              "FltQueryDirectoryFile");
    C->Iopb.OperationFlags = (UCHAR)(QueryFlags & SL_QUERY_DIRECTORY_MASK);
    C->Iopb.Parameters.DirectoryControl.QueryDirectory.Length = Length;
    C->Iopb.Parameters.DirectoryControl.QueryDirectory.FileName = FileName;
    C->Iopb.Parameters.DirectoryControl.QueryDirectory.FileInformationClass = FileInformationClass;
    C->Iopb.Parameters.DirectoryControl.QueryDirectory.DirectoryBuffer = FileInformation;
    NTSTATUS Status = FltpIssue(C, &Iosb);
    if (LengthReturned != NULL)
        *LengthReturned = (ULONG)Iosb.Information;
    return Status;
}

NTSTATUS FLTAPI FltQueryDirectoryFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation,
                                      ULONG Length, FILE_INFORMATION_CLASS FileInformationClass,
                                      BOOLEAN ReturnSingleEntry, PUNICODE_STRING FileName, BOOLEAN RestartScan,
                                      PULONG LengthReturned)
{
    ULONG Flags = (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0) | (RestartScan ? SL_RESTART_SCAN : 0);
    return FltQueryDirectoryFileEx(Instance, FileObject, FileInformation, Length, FileInformationClass, Flags, FileName,
                                   LengthReturned);
}

NTSTATUS FLTAPI FltQueryVolumeInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FsInformation,
                                              ULONG Length, FS_INFORMATION_CLASS FsInformationClass,
                                              PULONG LengthReturned)
{
    IO_STATUS_BLOCK Iosb;
    KiRequireIrql(PASSIVE_LEVEL, "FltQueryVolumeInformationFile");
    if (LengthReturned != NULL)
        *LengthReturned = 0;
    if (FileObject == NULL || FsInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_QUERY_VOLUME_INFORMATION, 0,
                              "FltQueryVolumeInformationFile");
    C->Iopb.IrpFlags |= IRP_BUFFERED_IO;
    C->Iopb.Parameters.QueryVolumeInformation.Length = Length;
    C->Iopb.Parameters.QueryVolumeInformation.FsInformationClass = FsInformationClass;
    C->Iopb.Parameters.QueryVolumeInformation.VolumeBuffer = FsInformation;
    NTSTATUS Status = FltpIssue(C, &Iosb);
    if (LengthReturned != NULL)
        *LengthReturned = (ULONG)Iosb.Information;
    return Status;
}

/* The volume root opened below Instance, for the volume-wide requests. */
static NTSTATUS FltpOpenRoot(PFLT_INSTANCE Instance, PFILE_OBJECT *Root);

static NTSTATUS FltpVolumeRequest(PFLT_INSTANCE Instance, PIO_STATUS_BLOCK Iosb, PVOID FsInformation, ULONG Length,
                                  FS_INFORMATION_CLASS FsInformationClass, UCHAR Major, const char *Routine)
{
    PFILE_OBJECT Root;
    KiRequireIrql(PASSIVE_LEVEL, Routine);
    FltpCheckInstance(Instance, Routine);
    if (Iosb == NULL || FsInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS Status = FltpOpenRoot(Instance, &Root);
    if (!NT_SUCCESS(Status)) {
        Iosb->Status = Status;
        Iosb->Information = 0;
        return Status;
    }
    FLTP_CBD *C = FltpBeginIo(Instance, Root, Major, 0, Routine);
    C->Iopb.IrpFlags |= IRP_BUFFERED_IO;
    C->Iopb.Parameters.QueryVolumeInformation.Length = Length;
    C->Iopb.Parameters.QueryVolumeInformation.FsInformationClass = FsInformationClass;
    C->Iopb.Parameters.QueryVolumeInformation.VolumeBuffer = FsInformation;
    Status = FltpIssue(C, Iosb);
    ObfDereferenceObject(Root);
    return Status;
}

NTSTATUS FLTAPI FltQueryVolumeInformation(PFLT_INSTANCE Instance, PIO_STATUS_BLOCK Iosb, PVOID FsInformation,
                                          ULONG Length, FS_INFORMATION_CLASS FsInformationClass)
{
    return FltpVolumeRequest(Instance, Iosb, FsInformation, Length, FsInformationClass,
                             IRP_MJ_QUERY_VOLUME_INFORMATION, "FltQueryVolumeInformation");
}

NTSTATUS FLTAPI FltSetVolumeInformation(PFLT_INSTANCE Instance, PIO_STATUS_BLOCK Iosb, PVOID FsInformation,
                                        ULONG Length, FS_INFORMATION_CLASS FsInformationClass)
{
    return FltpVolumeRequest(Instance, Iosb, FsInformation, Length, FsInformationClass, IRP_MJ_SET_VOLUME_INFORMATION,
                             "FltSetVolumeInformation");
}

NTSTATUS FLTAPI FltQuerySecurityObject(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                       SECURITY_INFORMATION SecurityInformation,
                                       PSECURITY_DESCRIPTOR SecurityDescriptor, ULONG Length, PULONG LengthNeeded)
{
    IO_STATUS_BLOCK Iosb;
    KiRequireIrql(PASSIVE_LEVEL, "FltQuerySecurityObject");
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_QUERY_SECURITY, 0, "FltQuerySecurityObject");
    C->Iopb.Parameters.QuerySecurity.SecurityInformation = SecurityInformation;
    C->Iopb.Parameters.QuerySecurity.Length = Length;
    C->Iopb.Parameters.QuerySecurity.SecurityBuffer = SecurityDescriptor;
    NTSTATUS Status = FltpIssue(C, &Iosb);
    if (LengthNeeded != NULL)
        *LengthNeeded = (ULONG)Iosb.Information;
    return Status;
}

NTSTATUS FLTAPI FltSetSecurityObject(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                     SECURITY_INFORMATION SecurityInformation, PSECURITY_DESCRIPTOR SecurityDescriptor)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltSetSecurityObject");
    if (FileObject == NULL || SecurityDescriptor == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_SET_SECURITY, 0, "FltSetSecurityObject");
    C->Iopb.Parameters.SetSecurity.SecurityInformation = SecurityInformation;
    C->Iopb.Parameters.SetSecurity.SecurityDescriptor = SecurityDescriptor;
    return FltpIssue(C, NULL);
}

NTSTATUS FLTAPI FltFlushBuffers2(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG FlushType,
                                 PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltFlushBuffers");
    (void)CallbackData;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_FLUSH_BUFFERS, (UCHAR)FlushType, "FltFlushBuffers");
    return FltpIssue(C, NULL);
}

NTSTATUS FLTAPI FltFlushBuffers(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject)
{
    return FltFlushBuffers2(Instance, FileObject, 0, NULL);
}

static NTSTATUS FltpControl(UCHAR Major, PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG Code,
                            PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength,
                            PULONG LengthReturned, const char *Routine)
{
    IO_STATUS_BLOCK Iosb;
    KiRequireIrql(PASSIVE_LEVEL, Routine);
    if (LengthReturned != NULL)
        *LengthReturned = 0;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, Major,
                              Major == IRP_MJ_FILE_SYSTEM_CONTROL ? IRP_MN_USER_FS_REQUEST : 0, Routine);
    PFLT_PARAMETERS P = &C->Iopb.Parameters;
    P->DeviceIoControl.Common.IoControlCode = Code;
    P->DeviceIoControl.Common.InputBufferLength = InputBufferLength;
    P->DeviceIoControl.Common.OutputBufferLength = OutputBufferLength;
    if ((Code & 3) == METHOD_BUFFERED) {
        ULONG Size = InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
        if (Size > 0) {
            C->SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Size, FLTP_TAG_MISC);
            if (InputBuffer != NULL && InputBufferLength > 0)
                memcpy(C->SystemBuffer, InputBuffer, InputBufferLength);
        }
        C->Iopb.IrpFlags |= IRP_BUFFERED_IO;
        P->DeviceIoControl.Buffered.SystemBuffer = C->SystemBuffer;
    } else if ((Code & 3) == METHOD_NEITHER) {
        P->DeviceIoControl.Neither.InputBuffer = InputBuffer;
        P->DeviceIoControl.Neither.OutputBuffer = OutputBuffer;
    } else {
        P->DeviceIoControl.Direct.InputSystemBuffer = InputBuffer;
        P->DeviceIoControl.Direct.OutputBuffer = OutputBuffer;
    }
    NTSTATUS Status = FltpSendGenerated(C, TRUE);
    Iosb = C->Data.IoStatus;
    if ((Code & 3) == METHOD_BUFFERED && OutputBuffer != NULL && C->SystemBuffer != NULL && !NT_ERROR(Status)) {
        ULONG N = (ULONG)Iosb.Information < OutputBufferLength ? (ULONG)Iosb.Information : OutputBufferLength;
        memcpy(OutputBuffer, C->SystemBuffer, N);
    }
    if (LengthReturned != NULL)
        *LengthReturned = (ULONG)Iosb.Information;
    FltpDestroyGeneratedCbd(C);
    return Status;
}

NTSTATUS FLTAPI FltDeviceIoControlFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG IoControlCode,
                                       PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                                       ULONG OutputBufferLength, PULONG LengthReturned)
{
    return FltpControl(IRP_MJ_DEVICE_CONTROL, Instance, FileObject, IoControlCode, InputBuffer, InputBufferLength,
                       OutputBuffer, OutputBufferLength, LengthReturned, "FltDeviceIoControlFile");
}

NTSTATUS FLTAPI FltFsControlFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG FsControlCode,
                                 PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                                 ULONG OutputBufferLength, PULONG LengthReturned)
{
    return FltpControl(IRP_MJ_FILE_SYSTEM_CONTROL, Instance, FileObject, FsControlCode, InputBuffer,
                       InputBufferLength, OutputBuffer, OutputBufferLength, LengthReturned, "FltFsControlFile");
}

NTSTATUS FLTAPI FltIsDirectory(PFILE_OBJECT FileObject, PFLT_INSTANCE Instance, PBOOLEAN IsDirectory)
{
    FILE_STANDARD_INFORMATION Info;
    KiRequireIrql(APC_LEVEL, "FltIsDirectory");
    if (IsDirectory == NULL || FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    *IsDirectory = FALSE;
    memset(&Info, 0, sizeof(Info));
    NTSTATUS Status =
        FltQueryInformationFile(Instance, FileObject, &Info, sizeof(Info), FileStandardInformation, NULL);
    if (NT_SUCCESS(Status))
        *IsDirectory = Info.Directory;
    return Status;
}

/* Undo a successful create from post-create: cleanup and close go below
 * the instance, and the create then fails. */
VOID FLTAPI FltCancelFileOpen(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltCancelFileOpen");
    FltpCheckInstance(Instance, "FltCancelFileOpen");
    if (FileObject == NULL || (FileObject->Flags & FO_FILE_OPEN_CANCELLED))
        return;
    FLTP_CBD *C = FltpBeginIo(Instance, FileObject, IRP_MJ_CLEANUP, 0, "FltCancelFileOpen");
    (void)FltpIssue(C, NULL);
    C = FltpBeginIo(Instance, FileObject, IRP_MJ_CLOSE, 0, "FltCancelFileOpen");
    C->Iopb.IrpFlags |= IRP_CLOSE_OPERATION;
    (void)FltpIssue(C, NULL);
    FileObject->Flags |= FO_FILE_OPEN_CANCELLED | FO_CLEANUP_COMPLETE;
    FileObject->Flags &= ~FO_FILE_OPEN;
}

/* ------------------------------------------------------------------------ */
/* Creates                                                                  */
/* ------------------------------------------------------------------------ */

/* Turns an object name ("\??\C:\x", "\Device\HarddiskVolume1\x", or a name
 * relative to RootDirectory) into the "C:\x" form IopCreateFile takes. */
static NTSTATUS FltpDosPath(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING Out)
{
    struct FLTP_STATE *S = FltpState();
    PCUNICODE_STRING Name = Attributes->ObjectName;
    const WCHAR *B = Name && Name->Buffer ? Name->Buffer : (const WCHAR *)L"";
    size_t N = Name ? Name->Length / sizeof(WCHAR) : 0;
    size_t Prefix = 0;
    const char *Drive = NULL;
    char *Base = NULL;
    if (Attributes->RootDirectory != NULL) {
        PFILE_OBJECT Root;
        NTSTATUS Status = ObReferenceObjectByHandle(Attributes->RootDirectory, 0, *IoFileObjectType, KernelMode,
                                                    (PVOID *)&Root, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        PFLT_VOLUME V = FltpVolumeFromFileObject(Root);
        if (V == NULL) {
            ObfDereferenceObject(Root);
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        Drive = V->IoVolume->Drive;
        Base = KiUtf16ToUtf8(Root->FileName.Buffer ? Root->FileName.Buffer : (PCWSTR)L"",
                             Root->FileName.Length / sizeof(WCHAR));
        ObfDereferenceObject(Root);
    } else {
        for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
            PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
            size_t VU = V->Name.Length / sizeof(WCHAR);
            if (N >= VU && memcmp(B, V->Name.Buffer, V->Name.Length) == 0 && (N == VU || B[VU] == L'\\')) {
                Drive = V->IoVolume->Drive;
                Prefix = VU;
                break;
            }
        }
        if (Drive == NULL) {
            /* Already a DOS-style name: IopCreateFile resolves it. */
            Out->Buffer = malloc(N * sizeof(WCHAR) + sizeof(WCHAR));
            if (Out->Buffer == NULL)
                abort();
            memcpy(Out->Buffer, B, N * sizeof(WCHAR));
            Out->Length = Out->MaximumLength = (USHORT)(N * sizeof(WCHAR));
            return STATUS_SUCCESS;
        }
    }
    char *Rest = KiUtf16ToUtf8(B + Prefix, N - Prefix);
    const char *Text;
    /* The network volume's "drive" is the UNC root "\\": its paths (and the
     * root file object's name) already start with the second backslash. */
    if (strcmp(Drive, "\\\\") == 0)
        Drive = "\\";
    if (Base != NULL)
        Text = KiFormat("%s%s%s%s", Drive, Base[0] == '\\' ? "" : "\\", Base,
                        Rest[0] == 0 ? "" : KiFormat("%s%s", (Base[0] && Base[strlen(Base) - 1] == '\\') ? "" : "\\",
                                                     Rest));
    else
        Text = KiFormat("%s%s%s", Drive, Rest[0] == '\\' ? "" : "\\", Rest);
    free(Rest);
    free(Base);
    KiUtf8ToUnicode(Text, Out);
    return STATUS_SUCCESS;
}

static NTSTATUS FltpCreate(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle, PFILE_OBJECT *FileObject,
                           ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                           PIO_STATUS_BLOCK IoStatusBlock, ULONG FileAttributes, ULONG ShareAccess,
                           ULONG CreateDisposition, ULONG CreateOptions, const char *Routine)
{
    struct FLTP_STATE *S = FltpState();
    UNICODE_STRING Path;
    KiRequireIrql(PASSIVE_LEVEL, Routine);
    FltpCheckFilter(Filter, Routine);
    if (FileHandle != NULL)
        *FileHandle = NULL;
    if (FileObject != NULL)
        *FileObject = NULL;
    if (FileHandle == NULL || ObjectAttributes == NULL || IoStatusBlock == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Instance != NULL) {
        FltpCheckInstance(Instance, Routine);
        if (Instance->Filter != Filter)
            return STATUS_INVALID_PARAMETER;
        if (Instance->TearingDown || Instance->Detached)
            return STATUS_FLT_DELETING_OBJECT;
    }
    if (IoGetTopLevelIrp() != NULL)
        return STATUS_INVALID_DEVICE_STATE;
    NTSTATUS Status = FltpDosPath(ObjectAttributes, &Path);
    if (!NT_SUCCESS(Status)) {
        IoStatusBlock->Status = Status;
        IoStatusBlock->Information = 0;
        return Status;
    }
    struct _EPROCESS *Process =
        (ObjectAttributes->Attributes & OBJ_KERNEL_HANDLE) ? KiMachine->SystemProcess : KiCurrentThread()->Process;
    PFILE_OBJECT Fo = NULL;
    PFLT_INSTANCE SavedInitiator = S->CreateInitiator;
    /* The create goes to FltMgr's frame for the volume and from there only to
     * the instances below the caller's (NULL: the whole stack). */
    S->CreateInitiator = Instance;
    KI_FRAME_SCOPE("FLTMGR", "FltCreateFileEx2", 0x150);
    Status = IopCreateFile(Process, &Path, DesiredAccess, FileAttributes, ShareAccess, CreateDisposition,
                           CreateOptions, KernelMode, Instance ? Instance->Volume->FrameDevice : NULL, FileHandle,
                           IoStatusBlock, &Fo);
    S->CreateInitiator = SavedInitiator;
    free(Path.Buffer);
    if (!NT_SUCCESS(Status) || Status == STATUS_REPARSE) {
        *FileHandle = NULL;
        return Status;
    }
    if (FileObject != NULL)
        *FileObject = Fo; /* referenced: the caller dereferences it */
    else if (Fo != NULL)
        ObfDereferenceObject(Fo);
    return Status;
}

NTSTATUS FLTAPI FltCreateFileEx2(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle,
                                 PFILE_OBJECT *FileObject, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                                 PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                                 ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength,
                                 ULONG Flags, PIO_DRIVER_CREATE_CONTEXT DriverContext)
{
    (void)AllocationSize;
    (void)EaBuffer;
    (void)EaLength;
    (void)Flags;
    (void)DriverContext;
    return FltpCreate(Filter, Instance, FileHandle, FileObject, DesiredAccess, ObjectAttributes, IoStatusBlock,
                      FileAttributes, ShareAccess, CreateDisposition, CreateOptions, "FltCreateFileEx2");
}

NTSTATUS FLTAPI FltCreateFileEx(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle,
                                PFILE_OBJECT *FileObject, ACCESS_MASK DesiredAccess,
                                POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                                PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                                ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength,
                                ULONG Flags)
{
    (void)AllocationSize;
    (void)EaBuffer;
    (void)EaLength;
    (void)Flags;
    return FltpCreate(Filter, Instance, FileHandle, FileObject, DesiredAccess, ObjectAttributes, IoStatusBlock,
                      FileAttributes, ShareAccess, CreateDisposition, CreateOptions, "FltCreateFileEx");
}

NTSTATUS FLTAPI FltCreateFile(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle,
                              ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                              PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                              ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                              ULONG EaLength, ULONG Flags)
{
    (void)AllocationSize;
    (void)EaBuffer;
    (void)EaLength;
    (void)Flags;
    return FltpCreate(Filter, Instance, FileHandle, NULL, DesiredAccess, ObjectAttributes, IoStatusBlock,
                      FileAttributes, ShareAccess, CreateDisposition, CreateOptions, "FltCreateFile");
}

NTSTATUS FLTAPI FltClose(HANDLE FileHandle)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltClose");
    KI_FRAME_SCOPE("FLTMGR", "FltClose", FLTP_FRAME_DEFAULT);
    /* The cleanup and close this generates reach only the instances below the
     * opener (FltMgr remembers the file object's initiator). */
    return ZwClose(FileHandle);
}

static NTSTATUS FltpOpenRoot(PFLT_INSTANCE Instance, PFILE_OBJECT *Root)
{
    struct FLTP_STATE *S = FltpState();
    UNICODE_STRING Path;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle = NULL;
    KiUtf8ToUnicode(KiFormat("%s\\", Instance->Volume->IoVolume->Drive), &Path);
    PFLT_INSTANCE Saved = S->CreateInitiator;
    S->CreateInitiator = Instance;
    NTSTATUS Status = IopCreateFile(KiMachine->SystemProcess, &Path, FILE_READ_ATTRIBUTES | SYNCHRONIZE, 0,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                                    FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, KernelMode,
                                    Instance->Volume->FrameDevice, NULL, &Iosb, Root);
    S->CreateInitiator = Saved;
    (void)Handle;
    KiFreeUnicode(&Path);
    return Status;
}

NTSTATUS FLTAPI FltCreateSystemVolumeInformationFolder(PFLT_INSTANCE Instance)
{
    struct FLTP_STATE *S = FltpState();
    UNICODE_STRING Path;
    IO_STATUS_BLOCK Iosb;
    PFILE_OBJECT Fo = NULL;
    KiRequireIrql(PASSIVE_LEVEL, "FltCreateSystemVolumeInformationFolder");
    FltpCheckInstance(Instance, "FltCreateSystemVolumeInformationFolder");
    if (Instance->TearingDown || Instance->Detached)
        return STATUS_FLT_DELETING_OBJECT;
    KI_FRAME_SCOPE("FLTMGR", "FltCreateSystemVolumeInformationFolder", FLTP_FRAME_DEFAULT);
    KiUtf8ToUnicode(KiFormat("%s\\System Volume Information", Instance->Volume->IoVolume->Drive), &Path);
    PFLT_INSTANCE Saved = S->CreateInitiator;
    S->CreateInitiator = Instance;
    NTSTATUS Status = IopCreateFile(KiMachine->SystemProcess, &Path, FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                                    FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN_IF,
                                    FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, KernelMode,
                                    Instance->Volume->FrameDevice, NULL, &Iosb, &Fo);
    S->CreateInitiator = Saved;
    KiFreeUnicode(&Path);
    if (NT_SUCCESS(Status) && Status != STATUS_REPARSE && Fo != NULL)
        ObfDereferenceObject(Fo);
    return NT_SUCCESS(Status) ? STATUS_SUCCESS : Status;
}

/* Machine teardown: callback data still allocated (leaked or in flight). */
void FltpFreeCallbackDataBlocks(void)
{
    struct FLTP_STATE *S = FltpState();
    /* Filter-allocated ones are pool blocks (the pool owner frees them). */
    FltpInitList(&S->CallbackData);
    while (!FltpListEmpty(&S->Active)) {
        PLIST_ENTRY E = S->Active.Flink;
        FLTP_CBD *C = CONTAINING_RECORD(E, FLTP_CBD, ActiveLinks);
        FltpRemove(E);
        if (!C->FromPool) {
            MiUnregisterRange(C);
            free(C);
        }
    }
}
