/*
 * fsfilter.c - fltsim FltMgr: the FsFilter pseudo-operations.  FltMgr
 * registers file system filter callbacks (FsRtlRegisterFileSystemFilterCallbacks)
 * and presents each FsFilter operation on a volume it filters to the
 * minifilters as callback data flagged FLTFL_CALLBACK_DATA_FS_FILTER_OPERATION
 * with the pseudo major code (IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION,
 * IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION, ...): pre callbacks top-down
 * before the file system acts, post callbacks bottom-up after it.  These
 * operations cannot be pended; a pre callback that completes one fails it
 * (or, with a success status, skips the file system).
 */
#include "fltp.h"
#include <string.h>

static NTSTATUS NTAPI FltpPreFsFilterOperation(PFS_FILTER_CALLBACK_DATA Data, PVOID *CompletionContext)
{
    struct FLTP_STATE *S = FltpState();
    KI_FRAME_SCOPE("FLTMGR", "FltpPreFsFilterOperation", 0x90);
    *CompletionContext = NULL;
    PFLT_VOLUME V = FltpVolumeFromDevice(Data->DeviceObject);
    if (S == NULL || V == NULL || FltpListEmpty(&V->Instances))
        return STATUS_SUCCESS;
    FLTP_CBD *C = FltpNewCbd(V, FLTFL_CALLBACK_DATA_FS_FILTER_OPERATION, (PETHREAD)KeGetCurrentThread(), KernelMode);
    C->Device = Data->DeviceObject;
    C->References = 1;
    C->Iopb.MajorFunction = Data->Operation; /* the pseudo major codes are the FS_FILTER_* values */
    C->Iopb.TargetFileObject = Data->FileObject;
    switch (Data->Operation) {
    case FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION:
    case FS_FILTER_RELEASE_FOR_SECTION_SYNCHRONIZATION:
        C->Iopb.Parameters.AcquireForSectionSynchronization.SyncType =
            Data->Parameters.AcquireForSectionSynchronization.SyncType;
        C->Iopb.Parameters.AcquireForSectionSynchronization.PageProtection =
            Data->Parameters.AcquireForSectionSynchronization.PageProtection;
        C->Iopb.Parameters.AcquireForSectionSynchronization.OutputInformation =
            Data->Parameters.AcquireForSectionSynchronization.OutputInformation;
        C->Iopb.Parameters.AcquireForSectionSynchronization.Flags =
            Data->Parameters.AcquireForSectionSynchronization.Flags;
        C->Iopb.Parameters.AcquireForSectionSynchronization.AllocationAttributes =
            Data->Parameters.AcquireForSectionSynchronization.AllocationAttributes;
        break;
    default:
        memcpy(&C->Iopb.Parameters, &Data->Parameters.Others, sizeof(Data->Parameters.Others));
        break;
    }
    C->Initiator = Data->FileObject != NULL ? FltpInitiatorOfFileObject(Data->FileObject) : NULL;
    FltpSnapshotInstances(C, C->Initiator);
    FltpInsertTail(&S->Active, &C->ActiveLinks);
    C->Current = 0;
    if (FltpWalkPre(C) == FltpPreCompleted) {
        /* A minifilter completed it: the instances above that one get their
         * post callbacks now, and the file system is not asked. */
        NTSTATUS Status = C->Data.IoStatus.Status;
        (void)FltpRunPost(C);
        FltpReleaseCbd(C);
        return NT_SUCCESS(Status) ? STATUS_FSFILTER_OP_COMPLETED_SUCCESSFULLY : Status;
    }
    *CompletionContext = C;
    return STATUS_SUCCESS;
}

static VOID NTAPI FltpPostFsFilterOperation(PFS_FILTER_CALLBACK_DATA Data, NTSTATUS OperationStatus,
                                            PVOID CompletionContext)
{
    FLTP_CBD *C = CompletionContext;
    (void)Data;
    if (C == NULL)
        return;
    KI_FRAME_SCOPE("FLTMGR", "FltpPostFsFilterOperation", 0x60);
    C->Data.IoStatus.Status = OperationStatus;
    C->Data.IoStatus.Information = 0;
    C->Current = C->CallCount;
    (void)FltpRunPost(C);
    FltpReleaseCbd(C);
}

void FltpRegisterFsFilterCallbacks(PDRIVER_OBJECT DriverObject)
{
    FS_FILTER_CALLBACKS Callbacks;
    memset(&Callbacks, 0, sizeof(Callbacks));
    Callbacks.SizeOfFsFilterCallbacks = sizeof(Callbacks);
    Callbacks.PreAcquireForSectionSynchronization = FltpPreFsFilterOperation;
    Callbacks.PostAcquireForSectionSynchronization = FltpPostFsFilterOperation;
    Callbacks.PreReleaseForSectionSynchronization = FltpPreFsFilterOperation;
    Callbacks.PostReleaseForSectionSynchronization = FltpPostFsFilterOperation;
    Callbacks.PreAcquireForCcFlush = FltpPreFsFilterOperation;
    Callbacks.PostAcquireForCcFlush = FltpPostFsFilterOperation;
    Callbacks.PreReleaseForCcFlush = FltpPreFsFilterOperation;
    Callbacks.PostReleaseForCcFlush = FltpPostFsFilterOperation;
    Callbacks.PreAcquireForModifiedPageWriter = FltpPreFsFilterOperation;
    Callbacks.PostAcquireForModifiedPageWriter = FltpPostFsFilterOperation;
    Callbacks.PreReleaseForModifiedPageWriter = FltpPreFsFilterOperation;
    Callbacks.PostReleaseForModifiedPageWriter = FltpPostFsFilterOperation;
    (void)FsRtlRegisterFileSystemFilterCallbacks(DriverObject, &Callbacks);
}
