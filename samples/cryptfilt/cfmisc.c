/*
 * cfmisc.c - cryptfilt: the remaining operations on isolated files.  Flush
 * and volume information go to the lower stream file object through the
 * Flt* routines; EAs, byte-range locks, FSCTLs and IOCTLs are re-issued to
 * it with callback data of their own (offsets of lock requests shifted by
 * the header), and freed every time; oplock requests are refused (cryptfilt
 * keeps no oplock of its own); everything else an isolated file cannot do
 * is completed with the status the file system would give.
 *
 * Not translated: FSCTLs whose buffers carry file offsets (zero data,
 * allocated ranges, retrieval pointers) are forwarded as they are.
 */

#include "cfdata.h"

/* Oplock FSCTLs (function codes 0, 1, 2, 23 and 144 of FILE_DEVICE_FILE_SYSTEM). */
#define CF_FSCTL_REQUEST_OPLOCK_LEVEL_1 0x00090000
#define CF_FSCTL_REQUEST_OPLOCK_LEVEL_2 0x00090004
#define CF_FSCTL_REQUEST_BATCH_OPLOCK 0x00090008
#define CF_FSCTL_REQUEST_FILTER_OPLOCK 0x0009005c
#define CF_FSCTL_REQUEST_OPLOCK 0x00090240

/*
 * Sends a copy of Data's operation to the open's lower stream file object
 * and completes Data with its result.  OffsetAdjust is added to a lock
 * request's byte offset.  Unlike the QUERY_SECURITY path (which keeps the
 * seed's shape, FreeCallbackData switch included), this always frees.
 */
static FLT_PREOP_CALLBACK_STATUS
CfpForwardToStream(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ LONGLONG OffsetAdjust
    )
{
    PCF_FCB fcb = CfFcbOf(FltObjects->FileObject);
    PCF_CCB ccb = CfCcbOf(FltObjects->FileObject);
    PFLT_CALLBACK_DATA newData = NULL;
    NTSTATUS status;
    ULONG_PTR information = 0;

    CfAcquireExclusive(fcb->Header.Resource);
    status = FltAllocateCallbackData(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, &newData);
    if (NT_SUCCESS(status)) {
        RtlCopyMemory(newData->Iopb, Data->Iopb, sizeof(FLT_IO_PARAMETER_BLOCK));
        newData->Iopb->TargetFileObject = ccb->StreamFileInfo.StreamObject;
        newData->Iopb->TargetInstance = FltObjects->Instance;
        ClearFlag(newData->Iopb->IrpFlags, IRP_PAGING_IO | IRP_DEALLOCATE_BUFFER);
        /* The caller's buffers are passed as they are: keep its mode so the
           file system probes user addresses. */
        newData->RequestorMode = Data->RequestorMode;
        if (Data->Iopb->MajorFunction == IRP_MJ_LOCK_CONTROL) {
            newData->Iopb->Parameters.LockControl.ByteOffset.QuadPart += OffsetAdjust;
        }
        FltPerformSynchronousIo(newData);
        status = newData->IoStatus.Status;
        information = newData->IoStatus.Information;
        FltFreeCallbackData(newData);
    }
    CfRelease(fcb->Header.Resource);

    return CfComplete(Data, status, information);
}

FLT_PREOP_CALLBACK_STATUS
CfPreFlushBuffers(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PCF_FCB fcb;
    PCF_CCB ccb;
    NTSTATUS status = STATUS_SUCCESS;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    fcb = CfFcbOf(FltObjects->FileObject);
    ccb = CfCcbOf(FltObjects->FileObject);

    CfAcquireExclusive(fcb->Header.Resource);
    if (fcb->HeaderDirty) {
        status = CfWriteHeader(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, fcb);
    }
    if (NT_SUCCESS(status)) {
        status = FltFlushBuffers(FltObjects->Instance, ccb->StreamFileInfo.StreamObject);
    }
    CfRelease(fcb->Header.Resource);

    return CfComplete(Data, status, 0);
}

FLT_PREOP_CALLBACK_STATUS
CfPreVolumeInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFLT_PARAMETERS params = &Data->Iopb->Parameters;
    PCF_CCB ccb;
    IO_STATUS_BLOCK ioStatus;
    ULONG returned = 0;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_DISALLOW_FASTIO;
    }
    ccb = CfCcbOf(FltObjects->FileObject);

    if (Data->Iopb->MajorFunction == IRP_MJ_QUERY_VOLUME_INFORMATION) {
        status = FltQueryVolumeInformationFile(FltObjects->Instance,
                                               ccb->StreamFileInfo.StreamObject,
                                               params->QueryVolumeInformation.VolumeBuffer,
                                               params->QueryVolumeInformation.Length,
                                               params->QueryVolumeInformation.FsInformationClass,
                                               &returned);
        return CfComplete(Data, status, returned);
    }

    RtlZeroMemory(&ioStatus, sizeof(ioStatus));
    status = FltSetVolumeInformation(FltObjects->Instance,
                                     &ioStatus,
                                     params->SetVolumeInformation.VolumeBuffer,
                                     params->SetVolumeInformation.Length,
                                     params->SetVolumeInformation.FsInformationClass);
    return CfComplete(Data, status, ioStatus.Information);
}

FLT_PREOP_CALLBACK_STATUS
CfPreControl(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    ULONG code;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_DISALLOW_FASTIO;
    }

    if (Data->Iopb->MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL) {
        if (Data->Iopb->MinorFunction != IRP_MN_USER_FS_REQUEST &&
            Data->Iopb->MinorFunction != IRP_MN_KERNEL_CALL) {
            return CfComplete(Data, STATUS_INVALID_DEVICE_REQUEST, 0);
        }
        code = Data->Iopb->Parameters.FileSystemControl.Common.FsControlCode;
        switch (code) {
        case CF_FSCTL_REQUEST_OPLOCK_LEVEL_1:
        case CF_FSCTL_REQUEST_OPLOCK_LEVEL_2:
        case CF_FSCTL_REQUEST_BATCH_OPLOCK:
        case CF_FSCTL_REQUEST_FILTER_OPLOCK:
        case CF_FSCTL_REQUEST_OPLOCK:
            /* An oplock on the lower stream would not protect the user's
               view; cryptfilt grants none. */
            return CfComplete(Data, STATUS_OPLOCK_NOT_GRANTED, 0);
        default:
            break;
        }
    }
    return CfpForwardToStream(Data, FltObjects, 0);
}

FLT_PREOP_CALLBACK_STATUS
CfPreLockControl(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_DISALLOW_FASTIO;
    }
    /* Locks live on the lower stream file object of this open, so the file
       system drops them at the lower cleanup, as it would for the user's. */
    return CfpForwardToStream(Data, FltObjects, CF_HEADER_SIZE);
}

/*
 * EAs are forwarded; a directory enumeration on a file fails as it does on
 * NTFS; anything else cannot be done to an isolated file.
 */
FLT_PREOP_CALLBACK_STATUS
CfPreUnsupported(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_DISALLOW_FASTIO;
    }

    switch (Data->Iopb->MajorFunction) {
    case IRP_MJ_QUERY_EA:
    case IRP_MJ_SET_EA:
        return CfpForwardToStream(Data, FltObjects, 0);
    case IRP_MJ_DIRECTORY_CONTROL:
        return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
    default:
        return CfComplete(Data, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}
