/*
 * cfstruct.c - cryptfilt: lifetime of its own structures.  FCBs (one per
 * isolated file, in the volume context's list, reference counted by their
 * CCBs), CCBs (one per user open, owning the lower stream file object),
 * the volume context's cleanup, ERESOURCE helpers and string helpers.
 */

#include "cfdata.h"

/* ------------------------------------------------------------------------ */
/* Locks                                                                    */
/* ------------------------------------------------------------------------ */

/* Every ERESOURCE is taken inside a critical region (FsRtlEnterFileSystem). */
VOID
CfAcquireExclusive(
    _Inout_ PERESOURCE Resource
    )
{
    FLT_ASSERT(KeGetCurrentIrql() <= APC_LEVEL);
    KeEnterCriticalRegion();
    (VOID)ExAcquireResourceExclusiveLite(Resource, TRUE);
}

VOID
CfAcquireShared(
    _Inout_ PERESOURCE Resource
    )
{
    FLT_ASSERT(KeGetCurrentIrql() <= APC_LEVEL);
    KeEnterCriticalRegion();
    (VOID)ExAcquireResourceSharedLite(Resource, TRUE);
}

VOID
CfRelease(
    _Inout_ PERESOURCE Resource
    )
{
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                  */
/* ------------------------------------------------------------------------ */

NTSTATUS
CfCopyUnicodeString(
    _Out_ PUNICODE_STRING Destination,
    _In_ PCUNICODE_STRING Source
    )
{
    USHORT size = Source->Length != 0 ? Source->Length : sizeof(WCHAR);

    Destination->Buffer = ExAllocatePoolZero(PagedPool, size, CF_TAG_NAME);
    if (Destination->Buffer == NULL) {
        Destination->Length = Destination->MaximumLength = 0;
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Destination->Length = 0;
    Destination->MaximumLength = size;
    RtlCopyUnicodeString(Destination, Source);
    return STATUS_SUCCESS;
}

VOID
CfFreeUnicodeString(
    _Inout_ PUNICODE_STRING String
    )
{
    if (String->Buffer != NULL) {
        ExFreePoolWithTag(String->Buffer, CF_TAG_NAME);
    }
    String->Buffer = NULL;
    String->Length = String->MaximumLength = 0;
}

/* ------------------------------------------------------------------------ */
/* Volume context                                                           */
/* ------------------------------------------------------------------------ */

VOID
CfVolumeContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType
    )
{
    PCF_VOLUME_CONTEXT volume = Context;

    UNREFERENCED_PARAMETER(ContextType);
    FLT_ASSERT(ContextType == FLT_VOLUME_CONTEXT);

    /* Every FCB holds a reference on its volume context, so none is left. */
    FLT_ASSERT(volume->FcbCount == 0);

    if (volume->VolResource != NULL) {
        ExDeleteResourceLite(volume->VolResource);
        ExFreePoolWithTag(volume->VolResource, CF_TAG_RESOURCE);
        volume->VolResource = NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* FCB                                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Is FileObject one whose create cryptfilt completed (FsContext is one of its
 * FCBs)?  Checked by the node type code in the FCB header and the CCB: the
 * FSRTL header is common to every file system's FCB, so reading its first
 * field is safe for any file object with an FsContext.
 */
BOOLEAN
CfIsIsolatedFileObject(
    _In_opt_ PFILE_OBJECT FileObject
    )
{
    PFSRTL_COMMON_FCB_HEADER header;
    PCF_CCB ccb;

    if (FileObject == NULL || FileObject->FsContext == NULL || FileObject->FsContext2 == NULL) {
        return FALSE;
    }
    header = FileObject->FsContext;
    if (header->NodeTypeCode != CF_NTC_FCB || header->NodeByteSize != (CSHORT)sizeof(CF_FCB)) {
        return FALSE;
    }
    ccb = FileObject->FsContext2;
    return (BOOLEAN)(ccb->NodeTypeCode == CF_NTC_CCB && ccb->Fcb == FileObject->FsContext);
}

/*
 * Builds an FCB for FileName and inserts it in the volume's list.  The caller
 * holds Volume->VolResource exclusive and gets the FCB with one reference.
 */
NTSTATUS
CfCreateFcb(
    _In_ PCF_VOLUME_CONTEXT Volume,
    _In_ PCUNICODE_STRING FileName,
    _In_ LONGLONG FileSize,
    _In_ LONGLONG LowerAllocationSize,
    _In_ ULONGLONG Nonce,
    _In_ ULONG CipherId,
    _Outptr_ PCF_FCB *Fcb
    )
{
    PCF_FCB fcb;
    PCCF_CIPHER_OPS cipher;
    NTSTATUS status;

    *Fcb = NULL;

    cipher = CfFindCipher(CipherId);
    if (cipher == NULL) {
        return STATUS_UNSUPPORTED_COMPRESSION; /* "not a format we can read" */
    }

    fcb = ExAllocatePoolZero(NonPagedPoolNx, sizeof(CF_FCB), CF_TAG_FCB);
    if (fcb == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    status = CfCopyUnicodeString(&fcb->FileName, FileName);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(fcb, CF_TAG_FCB);
        return status;
    }

    status = CfCipherInit(&fcb->Cipher, cipher, CfGlobals.Key, sizeof(CfGlobals.Key), Nonce);
    if (!NT_SUCCESS(status)) {
        CfFreeUnicodeString(&fcb->FileName);
        ExFreePoolWithTag(fcb, CF_TAG_FCB);
        return status;
    }

    (VOID)ExInitializeResourceLite(&fcb->MainResource);
    (VOID)ExInitializeResourceLite(&fcb->PagingIoResource);
    ExInitializeFastMutex(&fcb->HeaderFastMutex);

    fcb->Header.NodeTypeCode = CF_NTC_FCB;
    fcb->Header.NodeByteSize = (CSHORT)sizeof(CF_FCB);
    fcb->Header.IsFastIoPossible = 0;   /* FastIoIsNotPossible: no cache map */
    fcb->Header.Resource = &fcb->MainResource;
    fcb->Header.PagingIoResource = &fcb->PagingIoResource;
    fcb->Header.FileSize.QuadPart = FileSize;
    fcb->Header.ValidDataLength.QuadPart = FileSize;
    fcb->Header.AllocationSize.QuadPart =
        LowerAllocationSize > CF_HEADER_SIZE ? LowerAllocationSize - CF_HEADER_SIZE : 0;
    if (fcb->Header.AllocationSize.QuadPart < FileSize) {
        fcb->Header.AllocationSize.QuadPart = FileSize;
    }
    FsRtlSetupAdvancedHeader(&fcb->Header, &fcb->HeaderFastMutex);

    fcb->ReferenceCount = 1;
    fcb->HeaderVersion = CF_HEADER_VERSION;
    fcb->CipherId = CipherId;
    fcb->Nonce = Nonce;

    FltReferenceContext(Volume);
    fcb->Volume = Volume;
    InsertTailList(&Volume->FcbList, &fcb->VolumeLinks);
    Volume->FcbCount++;
    InterlockedIncrement(&CfGlobals.FcbCount);

    *Fcb = fcb;
    return STATUS_SUCCESS;
}

/* Finds the live FCB of FileName (case-insensitive); returns it referenced.
   The caller holds Volume->VolResource. */
PCF_FCB
CfFindFcb(
    _In_ PCF_VOLUME_CONTEXT Volume,
    _In_ PCUNICODE_STRING FileName
    )
{
    PLIST_ENTRY entry;

    for (entry = Volume->FcbList.Flink; entry != &Volume->FcbList; entry = entry->Flink) {
        PCF_FCB fcb = CONTAINING_RECORD(entry, CF_FCB, VolumeLinks);
        /* An FCB whose handles are all closed only waits for its closes: a
           new open reads the file again and gets an FCB of its own. */
        if (fcb->UncleanCount != 0 && RtlEqualUnicodeString(&fcb->FileName, FileName, TRUE)) {
            CfReferenceFcb(fcb);
            return fcb;
        }
    }
    return NULL;
}

VOID
CfReferenceFcb(
    _Inout_ PCF_FCB Fcb
    )
{
    InterlockedIncrement(&Fcb->ReferenceCount);
}

/*
 * Drops a reference; the last one takes the FCB out of its volume's list and
 * frees it (the stream contexts filters above attached to it go first).
 * Must not be called with Fcb->Header.Resource held.
 */
VOID
CfDereferenceFcb(
    _Inout_ PCF_FCB Fcb
    )
{
    PCF_VOLUME_CONTEXT volume = Fcb->Volume;

    CfAcquireExclusive(volume->VolResource);
    if (InterlockedDecrement(&Fcb->ReferenceCount) != 0) {
        CfRelease(volume->VolResource);
        return;
    }
    RemoveEntryList(&Fcb->VolumeLinks);
    volume->FcbCount--;
    CfRelease(volume->VolResource);

    FLT_ASSERT(Fcb->OpenCount == 0);

    FsRtlTeardownPerStreamContexts(&Fcb->Header);
    CfCipherCleanup(&Fcb->Cipher);
    ExDeleteResourceLite(&Fcb->MainResource);
    ExDeleteResourceLite(&Fcb->PagingIoResource);
    CfFreeUnicodeString(&Fcb->FileName);
    ExFreePoolWithTag(Fcb, CF_TAG_FCB);

    InterlockedDecrement(&CfGlobals.FcbCount);
    FltReleaseContext(volume);
}

/* A successful rename: the FCB is found by its new name from now on. */
NTSTATUS
CfRenameFcb(
    _Inout_ PCF_FCB Fcb,
    _In_ PCUNICODE_STRING NewName
    )
{
    UNICODE_STRING copy;
    NTSTATUS status;

    status = CfCopyUnicodeString(&copy, NewName);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    CfAcquireExclusive(Fcb->Volume->VolResource);
    CfFreeUnicodeString(&Fcb->FileName);
    Fcb->FileName = copy;
    CfRelease(Fcb->Volume->VolResource);
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* CCB                                                                      */
/* ------------------------------------------------------------------------ */

/* The CCB takes over the caller's reference on StreamObject and StreamHandle. */
NTSTATUS
CfCreateCcb(
    _In_ PCF_FCB Fcb,
    _In_ PFILE_OBJECT StreamObject,
    _In_ HANDLE StreamHandle,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ ULONG CreateOptions,
    _Outptr_ PCF_CCB *Ccb
    )
{
    PCF_CCB ccb;

    *Ccb = NULL;
    ccb = ExAllocatePoolZero(NonPagedPoolNx, sizeof(CF_CCB), CF_TAG_CCB);
    if (ccb == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ccb->NodeTypeCode = CF_NTC_CCB;
    ccb->NodeByteSize = (CSHORT)sizeof(CF_CCB);
    ccb->Fcb = Fcb;
    ccb->StreamFileInfo.StreamObject = StreamObject;
    ccb->StreamFileInfo.StreamHandle = StreamHandle;
    ccb->DesiredAccess = DesiredAccess;
    ccb->CreateOptions = CreateOptions;
    *Ccb = ccb;
    return STATUS_SUCCESS;
}

/* Closes what is left of the lower stream and frees the CCB. */
VOID
CfDeleteCcb(
    _In_ _Post_invalid_ PCF_CCB Ccb
    )
{
    if (Ccb->StreamFileInfo.StreamHandle != NULL) {
        (VOID)FltClose(Ccb->StreamFileInfo.StreamHandle);
        Ccb->StreamFileInfo.StreamHandle = NULL;
    }
    if (Ccb->StreamFileInfo.StreamObject != NULL) {
        ObDereferenceObject(Ccb->StreamFileInfo.StreamObject);
        Ccb->StreamFileInfo.StreamObject = NULL;
    }
    Ccb->NodeTypeCode = 0;
    ExFreePoolWithTag(Ccb, CF_TAG_CCB);
}
