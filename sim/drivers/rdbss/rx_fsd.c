/*
 * rx_fsd.c - rdbss: the library's driver entry and global data, mini-
 * redirector registration (RxRegisterMinirdr, RxStartMinirdr), the FSD
 * entry RxFsdDispatch and RxFsdCommonDispatch (RX_CONTEXT per IRP, file
 * system entry, top-level IRP, reads posted to a worker when the stack is
 * nearly used up, the common routine per major function, completion), the asynchronous completion path (RxCompleteAsynchronous-
 * Request / RxLowIoCompletion, posted to a worker thread when called above
 * PASSIVE_LEVEL), the CSC surrogate hook, and the connection engine's
 * transport IRPs (RxCeAllocateIrpWithMDL).
 */
#include "rxp.h"
#include "../mup/mupprov.h"
#include <string.h>

/* --- global data ------------------------------------------------------------- */

PRX_DATA RxpData(void)
{
    IOP_DRIVER_IMAGE *Image = IopFindImageByService("rdbss");
    PDEVICE_OBJECT Device = Image && Image->DriverObject ? Image->DriverObject->DeviceObject : NULL;
    PRX_DATA Data = Device ? (PRX_DATA)Device->DeviceExtension : NULL;
    return Data != NULL && Data->NodeTypeCode == RDBSS_NTC_DATA ? Data : NULL;
}

RX_STATISTICS *RxStatistics(void)
{
    PRX_DATA Data = RxpData();
    return Data ? &Data->Statistics : NULL;
}

NTSTATUS RxDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    /* The library has no I/O of its own: an unnamed device holds its data. */
    Status = IoCreateDevice(DriverObject, sizeof(RX_DATA), NULL, FILE_DEVICE_NETWORK_FILE_SYSTEM, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    PRX_DATA Data = Device->DeviceExtension;
    RtlZeroMemory(Data, sizeof(*Data));
    Data->NodeTypeCode = RDBSS_NTC_DATA;
    Data->NodeByteSize = (CSHORT)sizeof(*Data);
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

NTSTATUS RxRegisterCscSurrogate(PMINIRDR_DISPATCH CscDispatch)
{
    PRX_DATA Data = RxpData();
    if (Data == NULL)
        return STATUS_DEVICE_NOT_READY;
    if (Data->CscDispatch != NULL && CscDispatch != NULL)
        return STATUS_OBJECT_NAME_COLLISION;
    Data->CscDispatch = CscDispatch;
    return STATUS_SUCCESS;
}

PRDBSS_DEVICE RxGetDevice(PDEVICE_OBJECT DeviceObject)
{
    PRDBSS_DEVICE D = DeviceObject ? (PRDBSS_DEVICE)DeviceObject->DeviceExtension : NULL;
    return D != NULL && D->NodeTypeCode == RDBSS_NTC_DEVICE ? D : NULL;
}

/* --- mini-redirector registration --------------------------------------------- */

NTSTATUS RxRegisterMinirdr(PDEVICE_OBJECT *DeviceObject, PDRIVER_OBJECT DriverObject, PMINIRDR_DISPATCH Dispatch,
                           ULONG Controls, PUNICODE_STRING DeviceName, ULONG DeviceExtensionSize,
                           DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics)
{
    PDEVICE_OBJECT Device;
    PRDBSS_DEVICE D;
    ULONG Header = (ULONG)((sizeof(RDBSS_DEVICE) + 15) & ~(size_t)15);
    NTSTATUS Status;
    PAGED_CODE();
    *DeviceObject = NULL;
    if (Dispatch == NULL || Dispatch->NodeTypeCode != RDBSS_NTC_MINIRDR_DISPATCH)
        return STATUS_INVALID_PARAMETER;
    /* Vista-model redirectors have an unnamed device; MUP knows the name. */
    Status = IoCreateDevice(DriverObject, Header + DeviceExtensionSize, NULL, DeviceType,
                            DeviceCharacteristics | FILE_REMOTE_DEVICE, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    D = Device->DeviceExtension;
    RtlZeroMemory(D, Header + DeviceExtensionSize);
    D->NodeTypeCode = RDBSS_NTC_DEVICE;
    D->NodeByteSize = (CSHORT)sizeof(*D);
    D->DeviceObject = Device;
    D->DriverObject = DriverObject;
    D->Dispatch = Dispatch;
    D->MiniRdrExtension = DeviceExtensionSize ? (PUCHAR)D + Header : NULL;
    ExInitializeFastMutex(&D->TableLock);
    InitializeListHead(&D->SrvCalls);
    InitializeListHead(&D->NetRoots);
    if (DeviceName != NULL && DeviceName->Length != 0 &&
        !RxpDuplicateName(&D->DeviceName, DeviceName->Buffer, DeviceName->Length)) {
        IoDeleteDevice(Device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    /*
     * Two locations: the redirector's own and one for the transport it may
     * forward to, which is why an IRP from above MUP has one location more
     * than the devices it passes (the seed's `!irp` shows 4 for FltMgr, MUP
     * and mrxsmb).
     */
    Device->StackSize = 2;
    if (!(Controls & RX_REGISTERMINI_FLAG_DONT_INIT_DRIVER_DISPATCH)) {
        for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
            DriverObject->MajorFunction[I] = (PDRIVER_DISPATCH)RxFsdDispatch;
    }
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    *DeviceObject = Device;
    return STATUS_SUCCESS;
}

NTSTATUS RxStartMinirdr(PDEVICE_OBJECT DeviceObject)
{
    PRDBSS_DEVICE D = RxGetDevice(DeviceObject);
    if (D == NULL)
        return STATUS_INVALID_PARAMETER;
    return FsRtlRegisterUncProviderEx(&D->MupHandle, &D->DeviceName, DeviceObject, 0);
}

/* --- names ------------------------------------------------------------------------ */

BOOLEAN RxpEqualNames(PCWCH A, USHORT ABytes, PCWCH B, USHORT BBytes)
{
    if (ABytes != BBytes)
        return FALSE;
    for (USHORT I = 0; I < ABytes / sizeof(WCHAR); I++)
        if (RtlUpcaseUnicodeChar(A[I]) != RtlUpcaseUnicodeChar(B[I]))
            return FALSE;
    return TRUE;
}

BOOLEAN RxpDuplicateName(PUNICODE_STRING Target, PCWCH Source, USHORT Length)
{
    Target->Buffer = ExAllocatePoolWithTag(NonPagedPoolNx, Length + sizeof(WCHAR), RX_TAG_NAME);
    if (Target->Buffer == NULL) {
        Target->Length = Target->MaximumLength = 0;
        return FALSE;
    }
    if (Length)
        RtlCopyMemory(Target->Buffer, Source, Length);
    Target->Buffer[Length / sizeof(WCHAR)] = 0;
    Target->Length = Length;
    Target->MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    return TRUE;
}

VOID RxpFreeName(PUNICODE_STRING Name)
{
    if (Name->Buffer != NULL)
        ExFreePoolWithTag(Name->Buffer, RX_TAG_NAME);
    Name->Buffer = NULL;
    Name->Length = Name->MaximumLength = 0;
}

BOOLEAN RxpDecodeFileObject(PFILE_OBJECT FileObject, PFCB *Fcb, PFOBX *Fobx)
{
    *Fcb = NULL;
    *Fobx = NULL;
    if (FileObject == NULL || FileObject->FsContext == NULL || FileObject->FsContext2 == NULL)
        return FALSE;
    PFCB F = FileObject->FsContext;
    PFOBX X = FileObject->FsContext2;
    if (F->Header.NodeTypeCode != RDBSS_NTC_FCB || X->NodeTypeCode != RDBSS_NTC_FOBX)
        return FALSE;
    *Fcb = F;
    *Fobx = X;
    return TRUE;
}

VOID RxpCopyFileInfo(PFCB Fcb, const RX_FILE_INFO *Info)
{
    BOOLEAN Changed = Fcb->Header.FileSize.QuadPart != Info->EndOfFile.QuadPart ||
                      Fcb->Info.LastWriteTime.QuadPart != Info->LastWriteTime.QuadPart;
    Fcb->Info = *Info;
    Fcb->Directory = Info->Directory;
    if (!Info->Directory) {
        Fcb->Header.AllocationSize = Info->AllocationSize;
        Fcb->Header.FileSize = Info->EndOfFile;
        Fcb->Header.ValidDataLength = Info->EndOfFile;
        if (Changed && Fcb->SectionObjectPointers.SharedCacheMap != NULL) {
            /* The file changed at the server: the cached pages are stale. */
            PFILE_OBJECT CacheFo = CcGetFileObjectFromSectionPtrs(&Fcb->SectionObjectPointers);
            (void)CcPurgeCacheSection(&Fcb->SectionObjectPointers, NULL, 0, 0);
            if (CacheFo != NULL)
                CcSetFileSizes(CacheFo, (PCC_FILE_SIZES)&Fcb->Header.AllocationSize);
        }
    }
}

/* --- RX_CONTEXT ---------------------------------------------------------------------- */

static PRX_CONTEXT RxpCreateContext(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    PRX_CONTEXT C = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(RX_CONTEXT), RX_TAG_CONTEXT);
    if (C == NULL)
        return NULL;
    RtlZeroMemory(C, sizeof(*C));
    C->NodeTypeCode = RDBSS_NTC_RX_CONTEXT;
    C->NodeByteSize = (CSHORT)sizeof(*C);
    C->MajorFunction = Sp->MajorFunction;
    C->MinorFunction = Sp->MinorFunction;
    C->CurrentIrp = Irp;
    C->CurrentIrpSp = Sp;
    C->RxDeviceObject = DeviceObject;
    C->RxDevice = RxGetDevice(DeviceObject);
    C->FileObject = Sp->FileObject;
    C->OriginalThread = Irp->Tail.Overlay.Thread;
    C->CanWait = IoIsOperationSynchronous(Irp);
    InitializeListHead(&C->TransitionLinks);
    if (RxpDecodeFileObject(Sp->FileObject, &C->pFcb, &C->pFobx)) {
        C->pNetRoot = C->pFcb->NetRoot;
        C->pSrvOpen = C->pFobx->SrvOpen;
    }
    return C;
}

static VOID RxpDeleteContext(PRX_CONTEXT C)
{
    RxpFreeName(&C->Create.PathName);
    RxpFreeName(&C->Info.Pattern);
    if (C->Info.SetBuffer != NULL)
        ExFreePoolWithTag(C->Info.SetBuffer, RX_TAG_BUFFER);
    C->NodeTypeCode = 0;
    ExFreePoolWithTag(C, RX_TAG_CONTEXT);
}

VOID RxpCompleteRequest(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information)
{
    PIRP Irp = RxContext->CurrentIrp;
    RxpDeleteContext(RxContext);
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
}

PMINIRDR_DISPATCH RxGetMiniRdrDispatch(PRX_CONTEXT RxContext)
{
    return RxContext->RxDevice ? RxContext->RxDevice->Dispatch : NULL;
}

PMINIRDR_DISPATCH RxpCallDownTable(PRX_CONTEXT RxContext)
{
    PRX_DATA Data = RxpData();
    if (Data != NULL && Data->CscDispatch != NULL && RxContext->pNetRoot != NULL &&
        (RxContext->pNetRoot->Flags & NETROOT_FLAG_CSC))
        return Data->CscDispatch;
    return RxGetMiniRdrDispatch(RxContext);
}

NTSTATUS RxpCallDownAsync(PRX_CONTEXT RxContext, PMRX_CALLDOWN Routine)
{
    NTSTATUS Status;
    IoMarkIrpPending(RxContext->CurrentIrp);
    RxContext->Flags |= RX_CONTEXT_FLAG_ASYNC_OPERATION;
    Status = Routine != NULL ? Routine(RxContext) : STATUS_NOT_IMPLEMENTED;
    if (Status != STATUS_PENDING)
        RxCompleteAsynchronousRequest(RxContext, Status, RxContext->InformationToReturn);
    return STATUS_PENDING;
}

/* --- asynchronous completion ------------------------------------------------------------ */

static VOID RxpFinishAndComplete(PRX_CONTEXT C, NTSTATUS Status, ULONG_PTR Information)
{
    switch (C->MajorFunction) {
    case IRP_MJ_CREATE:
        RxpFinishCreate(C, &Status, &Information);
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        RxpFinishReadWrite(C, &Status, &Information);
        break;
    case IRP_MJ_QUERY_INFORMATION:
        RxpFinishQueryInformation(C, &Status, &Information);
        break;
    case IRP_MJ_SET_INFORMATION:
        RxpFinishSetInformation(C, &Status, &Information);
        break;
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        RxpFinishPrefixClaim(C, Status); /* completes it and its waiters */
        return;
    default:
        break;
    }
    RxpCompleteRequest(C, Status, Information);
}

/* PASSIVE_LEVEL, a system worker thread. */
static VOID RxWorkerThreadDispatcher(PVOID Parameter)
{
    PRX_CONTEXT C = Parameter;
    KI_BOUNDARY_FRAME_SCOPE("rdbss", "RxWorkerThreadDispatcher", 0x50);
    RxpFinishAndComplete(C, C->StoredStatus, C->InformationToReturn);
}

VOID RxCompleteAsynchronousRequest(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information)
{
    RX_FRAME("RxCompleteAsynchronousRequest", 0x60);
    if (KeGetCurrentIrql() > PASSIVE_LEVEL) {
        /* Finishing may block (FCB table, pool): post it, as RDBSS does. */
        RxContext->StoredStatus = Status;
        RxContext->InformationToReturn = Information;
        ExInitializeWorkItem(&RxContext->WorkQueueItem, RxWorkerThreadDispatcher, RxContext);
        ExQueueWorkItem(&RxContext->WorkQueueItem, CriticalWorkQueue);
        return;
    }
    RxpFinishAndComplete(RxContext, Status, Information);
}

VOID RxLowIoCompletion(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information)
{
    RX_FRAME("RxLowIoCompletion", 0x60);
    RxCompleteAsynchronousRequest(RxContext, Status, Information);
}

PVOID RxMapSystemBuffer(PRX_CONTEXT RxContext)
{
    PIRP Irp = RxContext->CurrentIrp;
    if (RxContext->Info.Buffer != NULL)
        return RxContext->Info.Buffer;
    if (Irp->MdlAddress != NULL)
        return MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (Irp->AssociatedIrp.SystemBuffer != NULL)
        return Irp->AssociatedIrp.SystemBuffer;
    return NULL;
}

NTSTATUS RxLockUserBuffer(PRX_CONTEXT RxContext, LOCK_OPERATION Operation, ULONG Length)
{
    PIRP Irp = RxContext->CurrentIrp;
    PMDL Mdl;
    volatile NTSTATUS Status = STATUS_SUCCESS;
    if (Irp->MdlAddress != NULL || Length == 0)
        return STATUS_SUCCESS;
    if (Irp->UserBuffer == NULL)
        return STATUS_INVALID_USER_BUFFER;
    Mdl = IoAllocateMdl(Irp->UserBuffer, Length, FALSE, FALSE, Irp);
    if (Mdl == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    __try {
        /* In the requesting thread: the pages are charged to its process. */
        MmProbeAndLockPages(Mdl, Irp->RequestorMode, Operation);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = GetExceptionCode();
    }
    if (!NT_SUCCESS(Status)) {
        IoFreeMdl(Mdl);
        Irp->MdlAddress = NULL;
        return FsRtlIsNtstatusExpected(Status) ? Status : STATUS_INVALID_USER_BUFFER;
    }
    RxContext->Flags |= RX_CONTEXT_FLAG_BUFFER_LOCKED;
    if (RxStatistics() != NULL)
        RxStatistics()->BuffersLocked++;
    return STATUS_SUCCESS;
}

/* --- the FSD entry ------------------------------------------------------------------------ */

static NTSTATUS RxpInvalidRequest(PRX_CONTEXT RxContext)
{
    UNREFERENCED_PARAMETER(RxContext);
    return STATUS_INVALID_DEVICE_REQUEST;
}

static NTSTATUS RxpNotSupported(PRX_CONTEXT RxContext)
{
    UNREFERENCED_PARAMETER(RxContext);
    return STATUS_NOT_SUPPORTED;
}

/*
 * A read that arrives with less stack than this left is posted to a worker
 * thread rather than run here (RDBSS' stack-overflow path; 0xE00 is the
 * threshold kernel-facts.md 8.1 gives for RDBSS reads).  Paging reads are
 * not posted: Mm's synchronous page read runs on the faulting thread.  The
 * seed's listing shows it - the nested paging read entered
 * RxFsdCommonDispatch with 0xD40 bytes left and went on down to the network
 * send (and the double fault) instead of being posted.
 */
#define RX_STACK_POST_THRESHOLD 0xE00

/* PASSIVE_LEVEL, a worker thread: a read posted for lack of stack. */
static VOID RxFsdPostedRead(PVOID Parameter)
{
    PRX_CONTEXT C = Parameter;
    NTSTATUS Status;
    KI_BOUNDARY_FRAME_SCOPE("rdbss", "RxFspDispatch", 0x90); /* estimate */
    FsRtlEnterFileSystem();
    Status = RxCommonRead(C);
    if (Status != STATUS_PENDING)
        RxpCompleteRequest(C, Status, C->InformationToReturn);
    FsRtlExitFileSystem();
}

static NTSTATUS RxFsdCommonDispatch(PDEVICE_OBJECT RxDeviceObject, PIRP Irp)
{
    RX_FRAME("RxFsdCommonDispatch", 0x190);
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS (*Common)(PRX_CONTEXT);
    PRX_CONTEXT RxContext;
    NTSTATUS Status;
    BOOLEAN TopLevel = FALSE;

    switch (Sp->MajorFunction) {
    case IRP_MJ_CREATE: Common = RxCommonCreate; break;
    case IRP_MJ_CLEANUP: Common = RxCommonCleanup; break;
    case IRP_MJ_CLOSE: Common = RxCommonClose; break;
    case IRP_MJ_READ: Common = RxCommonRead; break;
    case IRP_MJ_WRITE: Common = RxCommonWrite; break;
    case IRP_MJ_QUERY_INFORMATION: Common = RxCommonQueryInformation; break;
    case IRP_MJ_SET_INFORMATION: Common = RxCommonSetInformation; break;
    case IRP_MJ_QUERY_SECURITY: Common = RxCommonQuerySecurity; break;
    case IRP_MJ_SET_SECURITY: Common = RxCommonSetSecurity; break;
    case IRP_MJ_DIRECTORY_CONTROL: Common = RxCommonDirectoryControl; break;
    case IRP_MJ_QUERY_VOLUME_INFORMATION: Common = RxCommonQueryVolumeInformation; break;
    case IRP_MJ_FLUSH_BUFFERS: Common = RxCommonFlushBuffers; break;
    case IRP_MJ_DEVICE_CONTROL: Common = RxCommonDeviceControl; break;
    case IRP_MJ_LOCK_CONTROL:
    case IRP_MJ_QUERY_EA:
    case IRP_MJ_SET_EA: Common = RxpNotSupported; break;
    default: Common = RxpInvalidRequest; break;
    }
    if (RxGetDevice(RxDeviceObject) == NULL) {
        Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    RxContext = RxpCreateContext(RxDeviceObject, Irp);
    if (RxContext == NULL) {
        Irp->IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (Sp->MajorFunction == IRP_MJ_READ && !(Irp->Flags & IRP_PAGING_IO) &&
        IoGetRemainingStackSize() < RX_STACK_POST_THRESHOLD) {
        IoMarkIrpPending(Irp);
        RxContext->Flags |= RX_CONTEXT_FLAG_ASYNC_OPERATION;
        ExInitializeWorkItem(&RxContext->WorkQueueItem, RxFsdPostedRead, RxContext);
        ExQueueWorkItem(&RxContext->WorkQueueItem, CriticalWorkQueue);
        return STATUS_PENDING;
    }
    FsRtlEnterFileSystem();
    if (IoGetTopLevelIrp() == NULL) {
        IoSetTopLevelIrp(Irp);
        TopLevel = TRUE;
    }
    Status = Common(RxContext);
    if (Status != STATUS_PENDING)
        RxpCompleteRequest(RxContext, Status, RxContext->InformationToReturn);
    /* else: RxContext belongs to the completion path now (maybe freed). */
    if (TopLevel)
        IoSetTopLevelIrp(NULL);
    FsRtlExitFileSystem();
    return Status;
}

NTSTATUS RxFsdDispatch(PDEVICE_OBJECT RxDeviceObject, PIRP Irp)
{
    RX_FRAME("RxFsdDispatch", 0x50);
    return RxFsdCommonDispatch(RxDeviceObject, Irp);
}

/* --- the connection engine's transport IRPs ------------------------------------------------------ */

PIRP RxCeAllocateIrpWithMDL(CCHAR StackSize, BOOLEAN ChargeQuota, PVOID Buffer, ULONG Length)
{
    RX_FRAME("RxCeAllocateIrpWithMDL", 0x30);
    PIRP Irp = IoAllocateIrp(StackSize, ChargeQuota);
    if (Irp == NULL)
        return NULL;
    if (Buffer != NULL && Length != 0) {
        PMDL Mdl = IoAllocateMdl(Buffer, Length, FALSE, FALSE, Irp);
        if (Mdl == NULL) {
            IoFreeIrp(Irp);
            return NULL;
        }
        MmBuildMdlForNonPagedPool(Mdl);
    }
    return Irp;
}

VOID RxCeFreeIrpWithMDL(PIRP Irp)
{
    while (Irp->MdlAddress != NULL) {
        PMDL Next = Irp->MdlAddress->Next;
        IoFreeMdl(Irp->MdlAddress);
        Irp->MdlAddress = Next;
    }
    IoFreeIrp(Irp);
}
