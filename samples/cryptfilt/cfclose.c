/*
 * cfclose.c - cryptfilt: IRP_MJ_CLEANUP and IRP_MJ_CLOSE on isolated files.
 *
 * Cleanup (the user's last handle went): the open leaves the FCB's share
 * access and its lower handle is closed with FltClose, so the file system
 * sees its own cleanup at the same moment (delete-on-close and delete
 * dispositions take effect then).  Close (the last reference went): the
 * lower stream file object is dereferenced (the file system's close), the
 * CCB is freed and the FCB loses that open's reference - the last one frees
 * it.
 */

#include "cfdata.h"

FLT_PREOP_CALLBACK_STATUS
CfPreCleanup(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PCF_FCB fcb;
    PCF_CCB ccb;
    HANDLE streamHandle = NULL;
    ULONG unclean;

    PAGED_CODE();
    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(fileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    fcb = CfFcbOf(fileObject);
    ccb = CfCcbOf(fileObject);

    /* VolResource too: creates look at UncleanCount to skip a closing FCB. */
    CfAcquireExclusive(fcb->Volume->VolResource);
    CfAcquireExclusive(fcb->Header.Resource);
    if (!ccb->CleanupDone) {
        IoRemoveShareAccess(fileObject, &fcb->ShareAccess);
        FLT_ASSERT(fcb->UncleanCount > 0);
        fcb->UncleanCount--;
        ccb->CleanupDone = TRUE;
        if (fcb->HeaderDirty) {
            (VOID)CfWriteHeader(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, fcb);
        }
        streamHandle = ccb->StreamFileInfo.StreamHandle;
        ccb->StreamFileInfo.StreamHandle = NULL;
    }
    unclean = fcb->UncleanCount;
    CfRelease(fcb->Header.Resource);
    CfRelease(fcb->Volume->VolResource);

    /* Outside our locks: the file system's cleanup may delete the file. */
    if (streamHandle != NULL) {
        (VOID)FltClose(streamHandle);
    }
    SetFlag(fileObject->Flags, FO_CLEANUP_COMPLETE);

    CF_LOG(CF_LOG_INFO, ("cryptfilt: cleanup %wZ (handles left %u)\n", &fcb->FileName, unclean));
    return CfComplete(Data, STATUS_SUCCESS, 0);
}

FLT_PREOP_CALLBACK_STATUS
CfPreClose(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PCF_FCB fcb;
    PCF_CCB ccb;
    ULONG opens;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(fileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    fcb = CfFcbOf(fileObject);
    ccb = CfCcbOf(fileObject);

    CfAcquireExclusive(fcb->Header.Resource);
    FLT_ASSERT(fcb->OpenCount > 0);
    fcb->OpenCount--;
    opens = fcb->OpenCount;
    CF_LOG(CF_LOG_INFO, ("cryptfilt: close %wZ (opens left %u)\n", &fcb->FileName, opens));
    CfRelease(fcb->Header.Resource);

    /* The lower stream goes with the CCB (its close reaches the file system). */
    fileObject->FsContext2 = NULL;
    CfDeleteCcb(ccb);

    fileObject->FsContext = NULL;
    fileObject->SectionObjectPointer = NULL;
    CfDereferenceFcb(fcb);

    return CfComplete(Data, STATUS_SUCCESS, 0);
}
