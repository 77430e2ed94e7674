/*
 * cfsec.c - cryptfilt: IRP_MJ_QUERY_SECURITY and IRP_MJ_SET_SECURITY on
 * isolated files.
 *
 * The query is re-issued to the open's lower stream file object exactly the
 * way the seed thread's driver did it: FltAllocateCallbackData on the stream
 * object, a copy of the whole FLT_IO_PARAMETER_BLOCK, TargetFileObject set
 * to the stream object, the caller's SecurityBuffer / MdlAddress / Length /
 * SecurityInformation, FltPerformSynchronousIo, and the original completed
 * with the new callback data's IoStatus.
 *
 * Then Parameters\FreeCallbackData decides:
 *   1 (default) FltFreeCallbackData - correct.
 *   0           the seed's bug: the callback data is never freed.  Locally
 *               nothing shows until the filter is unloaded (its rundown waits
 *               for the callback data forever).  On a network share the
 *               redirector has locked the caller's buffer into an MDL on the
 *               callback data's IRP; FltMgr keeps that MDL with the callback
 *               data, so the pages stay locked, and when the process exits
 *               the memory manager finds them: 0xCB
 *               DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (0x76 without
 *               TrackLockedPages).
 */

#include "cfdata.h"

FLT_PREOP_CALLBACK_STATUS
CfPreQuerySecurity(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFLT_IO_PARAMETER_BLOCK Iopb = Data->Iopb;
    PCF_VOLUME_CONTEXT volCtx = NULL;
    PCF_FCB Fcb;
    PCF_CCB Ccb;
    PFLT_CALLBACK_DATA RetNewCallbackData = NULL;
    BOOLEAN AcquireVolResource = FALSE;
    BOOLEAN FcbAcquired = FALSE;
    NTSTATUS Status;
    ULONG_PTR Information = 0;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    Fcb = CfFcbOf(FltObjects->FileObject);
    Ccb = CfCcbOf(FltObjects->FileObject);

    Status = FltGetVolumeContext(FltObjects->Filter, FltObjects->Volume, (PFLT_CONTEXT *)&volCtx);
    if (!NT_SUCCESS(Status)) {
        return CfComplete(Data, Status, 0);
    }

    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(volCtx->VolResource, TRUE);
    AcquireVolResource = TRUE;

    ExAcquireResourceExclusiveLite(Fcb->Header.Resource, TRUE);
    FcbAcquired = TRUE;

    Status = FltAllocateCallbackData(FltObjects->Instance, Ccb->StreamFileInfo.StreamObject, &RetNewCallbackData);

    if (NT_SUCCESS(Status)) {
        RtlCopyMemory(RetNewCallbackData->Iopb, Data->Iopb, sizeof(FLT_IO_PARAMETER_BLOCK));

        ClearFlag(RetNewCallbackData->Iopb->IrpFlags, IRP_PAGING_IO);
        RetNewCallbackData->Iopb->Parameters.QuerySecurity.SecurityBuffer = Iopb->Parameters.QuerySecurity.SecurityBuffer;
        RetNewCallbackData->Iopb->Parameters.QuerySecurity.MdlAddress = Iopb->Parameters.QuerySecurity.MdlAddress;
        RetNewCallbackData->Iopb->Parameters.QuerySecurity.Length = Iopb->Parameters.QuerySecurity.Length;
        RetNewCallbackData->Iopb->TargetFileObject = Ccb->StreamFileInfo.StreamObject;
        RetNewCallbackData->Iopb->Parameters.QuerySecurity.SecurityInformation =
            Iopb->Parameters.QuerySecurity.SecurityInformation;

        FltPerformSynchronousIo(RetNewCallbackData);

        Status = RetNewCallbackData->IoStatus.Status;
        Information = RetNewCallbackData->IoStatus.Information;

        if (CfGlobals.FreeCallbackData) {
            FltFreeCallbackData(RetNewCallbackData);
            CF_LOG(CF_LOG_INFO, ("cryptfilt: query security %wZ (info 0x%x, length 0x%x) re-issued to the stream "
                                 "file object -> 0x%08x, 0x%Ix bytes; callback data freed\n",
                                 &Fcb->FileName, Iopb->Parameters.QuerySecurity.SecurityInformation,
                                 Iopb->Parameters.QuerySecurity.Length, (ULONG)Status, Information));
        } else {
            /* Parameters\FreeCallbackData = 0: the seed's missing FltFreeCallbackData. */
            CF_LOG(CF_LOG_INFO, ("cryptfilt: query security %wZ (info 0x%x, length 0x%x) re-issued to the stream "
                                 "file object -> 0x%08x, 0x%Ix bytes; callback data NOT freed "
                                 "(FreeCallbackData=0)\n",
                                 &Fcb->FileName, Iopb->Parameters.QuerySecurity.SecurityInformation,
                                 Iopb->Parameters.QuerySecurity.Length, (ULONG)Status, Information));
        }
        RetNewCallbackData = NULL;
    }

    if (FcbAcquired) {
        ExReleaseResourceLite(Fcb->Header.Resource);
    }
    if (AcquireVolResource) {
        ExReleaseResourceLite(volCtx->VolResource);
    }
    KeLeaveCriticalRegion();
    FltReleaseContext(volCtx);

    return CfComplete(Data, Status, Information);
}

/* Setting security is forwarded as is: the descriptor belongs to the lower
   file (the header does not change it). */
FLT_PREOP_CALLBACK_STATUS
CfPreSetSecurity(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PCF_FCB fcb;
    PCF_CCB ccb;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(FltObjects->FileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    fcb = CfFcbOf(FltObjects->FileObject);
    ccb = CfCcbOf(FltObjects->FileObject);

    CfAcquireExclusive(fcb->Header.Resource);
    status = FltSetSecurityObject(FltObjects->Instance,
                                  ccb->StreamFileInfo.StreamObject,
                                  Data->Iopb->Parameters.SetSecurity.SecurityInformation,
                                  Data->Iopb->Parameters.SetSecurity.SecurityDescriptor);
    CfRelease(fcb->Header.Resource);

    return CfComplete(Data, status, 0);
}
