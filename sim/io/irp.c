/*
 * irp.c - fltsim Io: IRPs and their stack locations: allocation and
 * freeing, IofCallDriver (0x35 when no location is left) and
 * IofCompleteRequest walking the completion routines the way Windows does
 * (PendingReturned propagation, STATUS_MORE_PROCESSING_REQUIRED stopping
 * the walk, 0x44 on a second completion, the MDL chain unlocked when the
 * walk finishes), plus MDL allocation and the cancel spin lock.
 */
#include "iop.h"
#include <string.h>

static ULONG IopSizeOfIrp(CCHAR StackSize)
{
    return (ULONG)sizeof(IRP) + (ULONG)StackSize * (ULONG)sizeof(IO_STACK_LOCATION);
}

VOID IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize)
{
    memset(Irp, 0, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = (CHAR)(StackSize + 1);
    Irp->ApcEnvironment = OriginalApcEnvironment;
    InitializeListHead(&Irp->ThreadListEntry);
    Irp->Tail.Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)((PUCHAR)Irp + sizeof(IRP)) + StackSize;
}

PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    (void)ChargeQuota;
    KiRequireIrql(DISPATCH_LEVEL, "IoAllocateIrp");
    if (StackSize <= 0)
        return NULL;
    KI_FRAME_SCOPE("nt", "IoAllocateIrp", 0x30);
    USHORT Size = (USHORT)IopSizeOfIrp(StackSize);
    PIRP Irp;
    if (KiMachine->Options.VerifierFlags & FSIM_VERIFIER_IO_CHECKING) {
        /* I/O Verification allocates every IRP through its own path. */
        KI_FRAME_SCOPE_2("nt", "IovAllocateIrp", 0x50);
        KI_FRAME_SCOPE_3("nt", "ViIrpAllocateLockedPacket", 0x50);
        KI_FRAME_SCOPE_4("nt", "VeAllocatePoolWithTagPriority", 0x70);
        KI_FRAME_SCOPE_5("nt", "ExAllocatePoolWithTagPriority", 0x40);
        Irp = ExpAllocateSystemPool(NonPagedPoolNx, Size, ' prI');
    } else {
        Irp = ExpAllocateSystemPool(NonPagedPoolNx, Size, ' prI');
    }
    MiSetRangeKind(Irp, "IRP");
    IoInitializeIrp(Irp, Size, StackSize);
    Irp->AllocationFlags = IRP_ALLOCATED_FIXED_SIZE;
    return Irp;
}

PIRP IoAllocateIrpEx(PDEVICE_OBJECT DeviceObject, CCHAR StackSize, BOOLEAN ChargeQuota)
{
    (void)DeviceObject;
    return IoAllocateIrp(StackSize, ChargeQuota);
}

VOID IoFreeIrp(PIRP Irp)
{
    KiRequireIrql(DISPATCH_LEVEL, "IoFreeIrp");
    if (Irp->Type != IO_TYPE_IRP) {
        KiReportSetRootCause("IoFreeIrp on something that is not an IRP (or an IRP already freed)");
        KeBugCheckEx(BAD_POOL_CALLER, 0x07, 0, 0, (ULONG_PTR)MiSyntheticAddress(Irp));
    }
    Irp->Type = 0;
    ExFreePoolWithTag(Irp, ' prI');
}

VOID IoReuseIrp(PIRP Irp, NTSTATUS Iostatus)
{
    UCHAR AllocationFlags = Irp->AllocationFlags;
    IoInitializeIrp(Irp, Irp->Size, Irp->StackCount);
    Irp->AllocationFlags = AllocationFlags;
    Irp->IoStatus.Status = Iostatus;
}

PIRP IoMakeAssociatedIrp(PIRP Irp, CCHAR StackSize)
{
    PIRP A = IoAllocateIrp(StackSize, FALSE);
    if (A == NULL)
        return NULL;
    A->Flags |= IRP_ASSOCIATED_IRP;
    A->AssociatedIrp.MasterIrp = Irp;
    A->Tail.Overlay.Thread = Irp->Tail.Overlay.Thread;
    return A;
}

static const char *IopMajorName(UCHAR Major)
{
    static const char *const Names[] = {
        "IRP_MJ_CREATE", "IRP_MJ_CREATE_NAMED_PIPE", "IRP_MJ_CLOSE", "IRP_MJ_READ", "IRP_MJ_WRITE",
        "IRP_MJ_QUERY_INFORMATION", "IRP_MJ_SET_INFORMATION", "IRP_MJ_QUERY_EA", "IRP_MJ_SET_EA",
        "IRP_MJ_FLUSH_BUFFERS", "IRP_MJ_QUERY_VOLUME_INFORMATION", "IRP_MJ_SET_VOLUME_INFORMATION",
        "IRP_MJ_DIRECTORY_CONTROL", "IRP_MJ_FILE_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CONTROL",
        "IRP_MJ_INTERNAL_DEVICE_CONTROL", "IRP_MJ_SHUTDOWN", "IRP_MJ_LOCK_CONTROL", "IRP_MJ_CLEANUP",
        "IRP_MJ_CREATE_MAILSLOT", "IRP_MJ_QUERY_SECURITY", "IRP_MJ_SET_SECURITY", "IRP_MJ_POWER",
        "IRP_MJ_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CHANGE", "IRP_MJ_QUERY_QUOTA", "IRP_MJ_SET_QUOTA", "IRP_MJ_PNP"};
    return Major <= IRP_MJ_MAXIMUM_FUNCTION ? Names[Major] : "IRP_MJ_???";
}

const char *IopIrpMajorName(UCHAR Major);
const char *IopIrpMajorName(UCHAR Major)
{
    return IopMajorName(Major);
}

static NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    (void)DeviceObject;
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IofCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

static NTSTATUS IopfCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* Built-in drivers that push their own Windows-named entry frames (FltMgr
 * and the redirector chain) get no generic "FsdDispatch" frame. */
static BOOLEAN IopChargesGenericFrame(const char *Module)
{
    static const char *const Own[] = {"FLTMGR", "mup", "mrxsmb", "rdbss", "csc", "smbsrv"};
    for (size_t I = 0; I < sizeof(Own) / sizeof(Own[0]); I++)
        if (strcmp(Module, Own[I]) == 0)
            return FALSE;
    return TRUE;
}

/* IofCallDriver; with I/O Verification on, through Verifier's thunk:
 * IofCallDriver -> IovCallDriver -> IopfCallDriver, as its stacks show. */
NTSTATUS FASTCALL IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_FRAME_SCOPE("nt", "IofCallDriver", 0x40);
    if (KiMachine->Options.VerifierFlags & FSIM_VERIFIER_IO_CHECKING) {
        KI_FRAME_SCOPE_2("nt", "IovCallDriver", 0x40);
        KI_FRAME_SCOPE_3("nt", "IopfCallDriver", 0x40);
        return IopfCallDriver(DeviceObject, Irp);
    }
    return IopfCallDriver(DeviceObject, Irp);
}

static NTSTATUS IopfCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KiRequireIrql(DISPATCH_LEVEL, "IoCallDriver");
    Irp->CurrentLocation--;
    if (Irp->CurrentLocation <= 0) {
        KiReportSetRootCause(KiFormat("IoCallDriver to %s with no IRP stack location left (StackCount %d): the "
                                      "IRP was allocated with too few locations for the device stack below",
                                      IopFindImageByDriverObject(DeviceObject->DriverObject)
                                          ? IopFindImageByDriverObject(DeviceObject->DriverObject)->ImageName
                                          : "?", Irp->StackCount));
        KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)MiSyntheticAddress(Irp), 0, 0, 0);
    }
    Irp->Tail.Overlay.CurrentStackLocation--;
    PIO_STACK_LOCATION IrpSp = Irp->Tail.Overlay.CurrentStackLocation;
    IrpSp->DeviceObject = DeviceObject;
    PDRIVER_DISPATCH Dispatch = DeviceObject->DriverObject->MajorFunction[IrpSp->MajorFunction];
    if (Dispatch == NULL)
        Dispatch = IopInvalidDeviceRequest;
    IOP_DRIVER_IMAGE *Image = IopFindImageByDriverObject(DeviceObject->DriverObject);
    if (Image != NULL && !Image->BuiltIn) {
        KI_DRIVER_FRAME_SCOPE(Dispatch);
        return Dispatch(DeviceObject, Irp);
    }
    if (Image != NULL && IopChargesGenericFrame(Image->ModuleName)) {
        /* A built-in driver (the local file system...): what it allocates
         * is the system's, not the calling filter's. */
        KI_BOUNDARY_FRAME_SCOPE(Image->ModuleName, "FsdDispatch", 0x60);
        return Dispatch(DeviceObject, Irp);
    }
    return Dispatch(DeviceObject, Irp);
}

/* A location the completion walk has passed: function codes, flags and
 * parameters are cleared; the device and the completion routine and
 * context stay, as a crash dump's `!irp` shows them (the routine cannot run
 * again: its SL_INVOKE_* bits are gone). */
static void IopClearStackLocation(PIO_STACK_LOCATION Sp)
{
    Sp->MajorFunction = 0;
    Sp->MinorFunction = 0;
    Sp->Flags = 0;
    Sp->Control &= SL_ERROR_RETURNED;
    Sp->Parameters.Others.Argument1 = NULL;
    Sp->Parameters.Others.Argument2 = NULL;
    Sp->Parameters.Others.Argument3 = NULL;
    Sp->Parameters.Others.Argument4 = NULL;
    Sp->FileObject = NULL;
}

VOID FASTCALL IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    PIO_STACK_LOCATION Sp;
    NTSTATUS ErrorCode = STATUS_SUCCESS;
    (void)PriorityBoost;
    KI_FRAME_SCOPE("nt", "IofCompleteRequest", 0x40);
    KiRequireIrql(DISPATCH_LEVEL, "IoCompleteRequest");
    if (Irp->CurrentLocation > Irp->StackCount + 1 || Irp->Type != IO_TYPE_IRP) {
        KiReportSetRootCause(KiFormat("IoCompleteRequest on IRP %016llx that was already completed",
                                      (unsigned long long)MiSyntheticAddress(Irp)));
        KeBugCheckEx(MULTIPLE_IRP_COMPLETE_REQUESTS, (ULONG_PTR)MiSyntheticAddress(Irp), 0, 0, 0);
    }
    if (Irp->IoStatus.Status == STATUS_PENDING) {
        KiReportSetRootCause("IoCompleteRequest with Irp->IoStatus.Status == STATUS_PENDING");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x00C9, (ULONG_PTR)MiSyntheticAddress(Irp), 0, 0);
    }
    if (Irp->CancelRoutine != NULL) {
        KiReportSetRootCause("IoCompleteRequest on an IRP that still has a cancel routine set");
        KeBugCheckEx(0xC9 /* DRIVER_VERIFIER_IOMANAGER_VIOLATION */, 0x07, (ULONG_PTR)MiSyntheticAddress(Irp),
                     0, 0);
    }
    Sp = IoGetCurrentIrpStackLocation(Irp);
    Irp->CurrentLocation++;
    Irp->Tail.Overlay.CurrentStackLocation++;
    for (; Irp->CurrentLocation <= Irp->StackCount + 1;
         Sp++, Irp->CurrentLocation++, Irp->Tail.Overlay.CurrentStackLocation++) {
        Irp->PendingReturned = (BOOLEAN)(Sp->Control & SL_PENDING_RETURNED);
        if (!NT_SUCCESS(Irp->IoStatus.Status)) {
            if (Irp->IoStatus.Status != ErrorCode) {
                ErrorCode = Irp->IoStatus.Status;
                Sp->Control |= SL_ERROR_RETURNED;
            }
        }
        if (Sp->CompletionRoutine != NULL &&
            ((NT_SUCCESS(Irp->IoStatus.Status) && (Sp->Control & SL_INVOKE_ON_SUCCESS)) ||
             (!NT_SUCCESS(Irp->IoStatus.Status) && (Sp->Control & SL_INVOKE_ON_ERROR)) ||
             (Irp->Cancel && (Sp->Control & SL_INVOKE_ON_CANCEL)))) {
            PIO_COMPLETION_ROUTINE Routine = Sp->CompletionRoutine;
            PVOID Context = Sp->Context;
            PDEVICE_OBJECT Device =
                Irp->CurrentLocation == Irp->StackCount + 1 ? NULL : IoGetCurrentIrpStackLocation(Irp)->DeviceObject;
            NTSTATUS Status;
            IopClearStackLocation(Sp);
            {
                IOP_DRIVER_IMAGE *Image = IopFindImageByAddress((PVOID)Routine);
                if (Image != NULL) {
                    KI_DRIVER_FRAME_SCOPE(Routine);
                    Status = Routine(Device, Irp, Context);
                } else {
                    Status = Routine(Device, Irp, Context);
                }
            }
            if (Status == STATUS_MORE_PROCESSING_REQUIRED)
                return;
        } else {
            if (Irp->CurrentLocation <= Irp->StackCount && Irp->PendingReturned)
                IoMarkIrpPending(Irp);
            IopClearStackLocation(Sp);
        }
    }
    /* The walk finished.  Paging I/O (its MDLs are Mm's) and cleanup/close
     * IRPs: the status goes straight to the issuer, who frees the IRP. */
    if (Irp->Flags & (IRP_PAGING_IO | IRP_CLOSE_OPERATION)) {
        if (Irp->UserIosb != NULL)
            *Irp->UserIosb = Irp->IoStatus;
        if (Irp->UserEvent != NULL)
            KeSetEvent(Irp->UserEvent, IO_NO_INCREMENT, FALSE);
        return;
    }
    /* Unlock the pages of the MDL chain here, in the completing thread. */
    for (PMDL Mdl = Irp->MdlAddress; Mdl; Mdl = Mdl->Next)
        if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(Mdl);
    /* A synchronous service whose driver did not pend the IRP finishes it
     * itself (IRP_DEFER_IO_COMPLETION); otherwise the rest runs as the
     * special kernel APC IopCompleteRequest in the issuing thread. */
    if ((Irp->Flags & IRP_DEFER_IO_COMPLETION) && !Irp->PendingReturned)
        return;
    if (Irp->Tail.Overlay.Thread != NULL) {
        IopQueueCompletionApc(Irp);
        return;
    }
    /* A driver's own IRP with no thread that nobody stopped with
     * STATUS_MORE_PROCESSING_REQUIRED: the status and event still reach
     * whoever set them (the IRP is the driver's to free). */
    if (Irp->UserIosb != NULL)
        *Irp->UserIosb = Irp->IoStatus;
    if (Irp->UserEvent != NULL)
        KeSetEvent(Irp->UserEvent, IO_NO_INCREMENT, FALSE);
}

/* --- MDLs (allocation side; locking lives in sim/mm) ---------------------- */

PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota, PIRP Irp)
{
    (void)ChargeQuota;
    KiRequireIrql(DISPATCH_LEVEL, "IoAllocateMdl");
    if (Length >= 0xFFFFFFFF - PAGE_SIZE || Length == 0)
        return NULL;
    ULONG Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length);
    SIZE_T Size = sizeof(MDL) + Pages * sizeof(PFN_NUMBER);
    PMDL Mdl = ExAllocatePoolWithTag(NonPagedPoolNx, Size, ' ldM');
    if (Mdl == NULL)
        return NULL;
    MiSetRangeKind(Mdl, "MDL");
    MmInitializeMdl(Mdl, VirtualAddress, Length);
    Mdl->MdlFlags |= MDL_ALLOCATED_FIXED_SIZE;
    Mdl->AllocationProcessorNumber = (USHORT)KeGetCurrentProcessorNumber();
    Mdl->Reserved = 0;
    Mdl->Process = NULL;
    Mdl->MappedSystemVa = NULL;
    if (Irp != NULL) {
        if (!SecondaryBuffer) {
            Irp->MdlAddress = Mdl;
        } else {
            PMDL Tail = Irp->MdlAddress;
            while (Tail->Next)
                Tail = Tail->Next;
            Tail->Next = Mdl;
        }
    }
    return Mdl;
}

VOID IoFreeMdl(PMDL Mdl)
{
    KiRequireIrql(DISPATCH_LEVEL, "IoFreeMdl");
    if (Mdl->MdlFlags & MDL_PAGES_LOCKED) {
        KiReportSetRootCause("IoFreeMdl on an MDL whose pages are still locked (MmUnlockPages was not called)");
        KeBugCheckEx(0x76 /* PROCESS_HAS_LOCKED_PAGES */, 1, (ULONG_PTR)MiSyntheticAddress(Mdl->Process),
                     (ULONG_PTR)ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl), Mdl->ByteCount), 0);
    }
    ExFreePoolWithTag(Mdl, ' ldM');
}

/* --- cancel ---------------------------------------------------------------- */

VOID IoAcquireCancelSpinLock(PKIRQL Irql)
{
    *Irql = KeAcquireSpinLockRaiseToDpc(&IopState()->CancelLock);
}

VOID IoReleaseCancelSpinLock(KIRQL Irql)
{
    KeReleaseSpinLock(&IopState()->CancelLock, Irql);
}

BOOLEAN IoCancelIrp(PIRP Irp)
{
    KIRQL Irql;
    PDRIVER_CANCEL Routine;
    IoAcquireCancelSpinLock(&Irql);
    Irp->Cancel = TRUE;
    Routine = IoSetCancelRoutine(Irp, NULL);
    if (Routine == NULL) {
        IoReleaseCancelSpinLock(Irql);
        return FALSE;
    }
    Irp->CancelIrql = Irql;
    {
        KI_DRIVER_FRAME_SCOPE(Routine);
        Routine(IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);
    }
    return TRUE;
}

/* --- queries ---------------------------------------------------------------- */

PIRP IoGetTopLevelIrp(VOID)
{
    return KeGetCurrentThread()->TopLevelIrp;
}

VOID IoSetTopLevelIrp(PIRP Irp)
{
    KeGetCurrentThread()->TopLevelIrp = Irp;
}

BOOLEAN IoIsOperationSynchronous(PIRP Irp)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    if (Irp->Flags & IRP_SYNCHRONOUS_API)
        return TRUE;
    if (Sp->FileObject && (Sp->FileObject->Flags & FO_SYNCHRONOUS_IO))
        return TRUE;
    if ((Irp->Flags & IRP_PAGING_IO) && (Irp->Flags & IRP_SYNCHRONOUS_PAGING_IO))
        return TRUE;
    return FALSE;
}

PEPROCESS IoGetRequestorProcess(PIRP Irp)
{
    PKTHREAD T = (PKTHREAD)Irp->Tail.Overlay.Thread;
    return T ? T->Process : NULL;
}

ULONG IoGetRequestorProcessId(PIRP Irp)
{
    PEPROCESS P = IoGetRequestorProcess(Irp);
    return P ? P->ProcessId : 0;
}

BOOLEAN IoIs32bitProcess(PIRP Irp)
{
    (void)Irp;
    return FALSE;
}
