/*
 * cfcreate.c - cryptfilt: IRP_MJ_CREATE.  Decides which opens are managed,
 * opens the lower stream file object with FltCreateFileEx2 below cryptfilt
 * (share-all plus IO_IGNORE_SHARE_ACCESS_CHECK: sharing among the user's
 * opens is checked on cryptfilt's own FCB), reads the header of an existing
 * file or writes a fresh one for a new or truncated file, builds or finds
 * the FCB, builds the CCB and completes the create itself with FsContext =
 * FCB and FsContext2 = CCB.
 *
 * What is managed:
 *   - a file whose final component ends in one of Parameters\Extension
 *     (default "enc"): new files are encrypted, existing files carrying the
 *     header are decrypted, existing non-empty files without the header are
 *     left alone (plain) and the create passes through to the file system;
 *     an existing empty file opened for writing is adopted (gets a header);
 *   - with Parameters\ManageByHeader = 1, also any existing file that
 *     carries the header, whatever its name (opened with FILE_OPEN or
 *     FILE_OPEN_IF; overwriting such a file makes it plain again).
 * Never managed: directories, volume opens, opens by file id, named
 * streams, paging files, target-directory opens.
 */

#include "cfdata.h"

/* Not in every WDK's fltKernel.h/wdm.h (the simulator's lacks it). */
#ifndef IO_IGNORE_SHARE_ACCESS_CHECK
#define IO_IGNORE_SHARE_ACCESS_CHECK 0x0800
#endif

/* Create options the lower open never takes: buffering and oplock requests
   belong to the user's open, which cryptfilt serves itself. */
#define CF_LOWER_STRIPPED_OPTIONS \
    (FILE_NO_INTERMEDIATE_BUFFERING | FILE_COMPLETE_IF_OPLOCKED | FILE_OPEN_REQUIRING_OPLOCK | FILE_RESERVE_OPFILTER)

typedef enum _CF_CREATE_KIND {
    CfCreateNew,            /* created, overwritten or superseded: fresh header */
    CfCreateAdopt,          /* existing empty file, opened for writing: fresh header */
    CfCreateOpenEncrypted,  /* existing file with a valid header */
    CfCreatePlain           /* not ours: the user's create goes to the file system */
} CF_CREATE_KIND;

static PCSTR
CfpCreateKindName(
    _In_ CF_CREATE_KIND Kind
    )
{
    switch (Kind) {
    case CfCreateNew:
        return "new encrypted file";
    case CfCreateAdopt:
        return "empty file adopted";
    case CfCreateOpenEncrypted:
        return "encrypted";
    default:
        return "plain";
    }
}

/* Generic rights mapped to the file-specific ones (IoCheckShareAccess looks
   at FILE_READ_DATA, FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_EXECUTE, DELETE). */
static ACCESS_MASK
CfpMapFileAccess(
    _In_ ACCESS_MASK Access
    )
{
    ACCESS_MASK mapped = Access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);

    if (FlagOn(Access, GENERIC_READ)) {
        mapped |= FILE_GENERIC_READ;
    }
    if (FlagOn(Access, GENERIC_WRITE)) {
        mapped |= FILE_GENERIC_WRITE;
    }
    if (FlagOn(Access, GENERIC_EXECUTE)) {
        mapped |= FILE_GENERIC_EXECUTE;
    }
    if (FlagOn(Access, GENERIC_ALL) || FlagOn(Access, MAXIMUM_ALLOWED)) {
        mapped |= FILE_ALL_ACCESS;
    }
    return mapped;
}

/* The opens cryptfilt never isolates. */
static BOOLEAN
CfpIsCreateCandidate(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    ULONG options = Data->Iopb->Parameters.Create.Options;

    if (FlagOn(options, FILE_DIRECTORY_FILE) || FlagOn(options, FILE_OPEN_BY_FILE_ID)) {
        return FALSE;
    }
    if (FlagOn(Data->Iopb->OperationFlags, SL_OPEN_PAGING_FILE | SL_OPEN_TARGET_DIRECTORY)) {
        return FALSE;
    }
    if (FlagOn(fileObject->Flags, FO_VOLUME_OPEN) ||
        (fileObject->FileName.Length == 0 && fileObject->RelatedFileObject == NULL)) {
        return FALSE;
    }
    return TRUE;
}

static VOID
CfpCloseStream(
    _In_ HANDLE StreamHandle,
    _In_ PFILE_OBJECT StreamObject
    )
{
    (VOID)FltClose(StreamHandle);
    ObDereferenceObject(StreamObject);
}

/*
 * Everything after the name and policy checks.  Runs with the volume
 * context's VolResource held exclusive, so FCB lookup, the lower open and
 * the FCB/CCB setup are one step for each file.
 */
static FLT_PREOP_CALLBACK_STATUS
CfpCommonCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ PCF_VOLUME_CONTEXT Volume,
    _In_ PFLT_FILE_NAME_INFORMATION NameInfo,
    _In_ BOOLEAN ByExtension
    )
{
    PFLT_PARAMETERS params = &Data->Iopb->Parameters;
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PIO_SECURITY_CONTEXT securityContext = params->Create.SecurityContext;
    ACCESS_MASK desiredAccess = CfpMapFileAccess(securityContext->DesiredAccess);
    ULONG disposition = (params->Create.Options >> 24) & 0xFF;
    ULONG createOptions = params->Create.Options & FILE_VALID_OPTION_FLAGS;
    ULONG shareAccess = params->Create.ShareAccess;
    ULONG lowerDisposition = disposition;
    ACCESS_MASK lowerAccess;
    ULONG lowerOptions;
    LARGE_INTEGER allocationSize;
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK ioStatus;
    HANDLE streamHandle = NULL;
    PFILE_OBJECT streamObject = NULL;
    PCF_FCB fcb = NULL;
    PCF_CCB ccb = NULL;
    CF_CREATE_KIND kind = CfCreatePlain;
    CF_HEADER_INFO header;
    FILE_STANDARD_INFORMATION standard;
    LONGLONG plainSize = 0;
    ULONGLONG nonce = 0;
    ULONG cipherId = CfGlobals.Cipher->CipherId;
    BOOLEAN fcbHeld = FALSE;
    NTSTATUS status;

    RtlZeroMemory(&standard, sizeof(standard));
    RtlZeroMemory(&header, sizeof(header));

    if (!ByExtension) {
        /* Found by its header only: an existing file opened as it is. */
        if (disposition != FILE_OPEN && disposition != FILE_OPEN_IF) {
            return FLT_PREOP_SUCCESS_NO_CALLBACK;
        }
        lowerDisposition = FILE_OPEN;
    }

    CfAcquireExclusive(Volume->VolResource);

    /* An open of a file some handle still has open: sharing is checked on our
       FCB (the lower opens all share everything). */
    fcb = CfFindFcb(Volume, &NameInfo->Name);
    if (fcb != NULL) {
        CfAcquireExclusive(fcb->Header.Resource);
        fcbHeld = TRUE;
        status = IoCheckShareAccess(desiredAccess, shareAccess, fileObject, &fcb->ShareAccess, FALSE);
        if (!NT_SUCCESS(status)) {
            CF_LOG(CF_LOG_INFO, ("cryptfilt: open %wZ: sharing violation with %u open(s)\n",
                                 &NameInfo->Name, fcb->UncleanCount));
            goto Fail;
        }
    }

    /* The lower stream file object: the user's access plus what cryptfilt
       needs (reading the header; writing it when it changes). */
    lowerAccess = desiredAccess | FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
    if (FlagOn(desiredAccess, FILE_WRITE_DATA | FILE_APPEND_DATA) ||
        (ByExtension && lowerDisposition != FILE_OPEN)) {
        lowerAccess |= FILE_WRITE_DATA;
    }
    lowerOptions = (createOptions & ~CF_LOWER_STRIPPED_OPTIONS) | FILE_NON_DIRECTORY_FILE;
    allocationSize.QuadPart = params->Create.AllocationSize.QuadPart;
    if (allocationSize.QuadPart != 0) {
        allocationSize.QuadPart += CF_HEADER_SIZE;
    }

    InitializeObjectAttributes(&attributes, &NameInfo->Name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    RtlZeroMemory(&ioStatus, sizeof(ioStatus));

    status = FltCreateFileEx2(FltObjects->Filter,
                              FltObjects->Instance,
                              &streamHandle,
                              &streamObject,
                              lowerAccess,
                              &attributes,
                              &ioStatus,
                              allocationSize.QuadPart != 0 ? &allocationSize : NULL,
                              params->Create.FileAttributes,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              lowerDisposition,
                              lowerOptions,
                              params->Create.EaBuffer,
                              params->Create.EaLength,
                              IO_IGNORE_SHARE_ACCESS_CHECK,
                              NULL);
    if (!NT_SUCCESS(status) || status == STATUS_REPARSE) {
        streamHandle = NULL;
        streamObject = NULL;
        if (fcb == NULL && (!ByExtension || status == STATUS_FILE_IS_A_DIRECTORY || status == STATUS_REPARSE)) {
            /* Not something cryptfilt serves: let the file system answer. */
            kind = CfCreatePlain;
            status = STATUS_SUCCESS;
            goto PassThrough;
        }
        if (status == STATUS_OBJECT_NAME_NOT_FOUND || status == STATUS_OBJECT_PATH_NOT_FOUND ||
            status == STATUS_OBJECT_NAME_COLLISION || status == STATUS_DELETE_PENDING) {
            /* The ordinary answers to a create: the file system's own. */
            CF_LOG(CF_LOG_VERBOSE, ("cryptfilt: open %wZ: 0x%08x from the file system\n",
                                    &NameInfo->Name, (ULONG)status));
        } else {
            CF_LOG(CF_LOG_INFO, ("cryptfilt: open %wZ: lower open failed 0x%08x\n",
                                 &NameInfo->Name, (ULONG)status));
        }
        goto Fail;
    }

    if (fcb == NULL) {
        /* First open: what is in the file decides. */
        if (ioStatus.Information == FILE_CREATED || ioStatus.Information == FILE_OVERWRITTEN ||
            ioStatus.Information == FILE_SUPERSEDED) {
            kind = CfCreateNew;
        } else {
            status = FltQueryInformationFile(FltObjects->Instance, streamObject, &standard, sizeof(standard),
                                             FileStandardInformation, NULL);
            if (!NT_SUCCESS(status)) {
                goto Fail;
            }
            if (standard.EndOfFile.QuadPart == 0) {
                kind = (ByExtension && FlagOn(lowerAccess, FILE_WRITE_DATA)) ? CfCreateAdopt : CfCreatePlain;
            } else if (standard.EndOfFile.QuadPart < CF_HEADER_SIZE) {
                kind = CfCreatePlain;
            } else {
                status = CfReadHeaderOnOpen(Data, FltObjects->Instance, streamObject, &NameInfo->Name, &header);
                if (!NT_SUCCESS(status)) {
                    goto Fail;
                }
                if (!header.Valid) {
                    kind = CfCreatePlain;
                } else {
                    kind = CfCreateOpenEncrypted;
                    plainSize = header.OriginalSize;
                    if (plainSize > standard.EndOfFile.QuadPart - CF_HEADER_SIZE) {
                        CF_LOG(CF_LOG_INFO, ("cryptfilt: open %wZ: header size %I64d exceeds the data, using %I64d\n",
                                             &NameInfo->Name, plainSize,
                                             standard.EndOfFile.QuadPart - CF_HEADER_SIZE));
                        plainSize = standard.EndOfFile.QuadPart - CF_HEADER_SIZE;
                    }
                    nonce = header.Nonce;
                    cipherId = header.CipherId;
                }
            }
        }

        if (kind == CfCreatePlain) {
            goto PassThrough;
        }
        if (kind != CfCreateOpenEncrypted) {
            nonce = CfNewNonce(&NameInfo->Name);
        }

        status = CfCreateFcb(Volume, &NameInfo->Name, plainSize,
                             kind == CfCreateOpenEncrypted ? standard.AllocationSize.QuadPart : 0,
                             nonce, cipherId, &fcb);
        if (!NT_SUCCESS(status)) {
            goto Fail;
        }
        CfAcquireExclusive(fcb->Header.Resource);
        fcbHeld = TRUE;

        if (kind != CfCreateOpenEncrypted) {
            status = CfWriteHeader(FltObjects->Instance, streamObject, fcb);
            if (!NT_SUCCESS(status)) {
                CF_LOG(CF_LOG_INFO, ("cryptfilt: open %wZ: writing the header failed 0x%08x\n",
                                     &NameInfo->Name, (ULONG)status));
                goto Fail;
            }
        }
    } else {
        /* Another open of a file already isolated. */
        kind = CfCreateOpenEncrypted;
        if (ioStatus.Information == FILE_CREATED || ioStatus.Information == FILE_OVERWRITTEN ||
            ioStatus.Information == FILE_SUPERSEDED) {
            /* The file system truncated it: the header went with the data. */
            kind = CfCreateNew;
            fcb->Header.FileSize.QuadPart = 0;
            fcb->Header.ValidDataLength.QuadPart = 0;
            fcb->Header.AllocationSize.QuadPart = 0;
            status = CfWriteHeader(FltObjects->Instance, streamObject, fcb);
            if (!NT_SUCCESS(status)) {
                goto Fail;
            }
        }
    }

    status = CfCreateCcb(fcb, streamObject, streamHandle, desiredAccess, createOptions, &ccb);
    if (!NT_SUCCESS(status)) {
        goto Fail;
    }
    /* The CCB owns the lower stream now, and the FCB reference we hold. */
    streamHandle = NULL;
    streamObject = NULL;

    /* Commit: sharing, counts, and the user's file object. */
    (VOID)IoCheckShareAccess(desiredAccess, shareAccess, fileObject, &fcb->ShareAccess, TRUE);
    fcb->OpenCount++;
    fcb->UncleanCount++;

    fileObject->FsContext = fcb;
    fileObject->FsContext2 = ccb;
    fileObject->SectionObjectPointer = &fcb->SectionObjectPointers;
    fileObject->Vpb = ccb->StreamFileInfo.StreamObject->Vpb;
    fileObject->PrivateCacheMap = NULL;

    /* The file system granted the lower open what the user asked for. */
    if (securityContext->AccessState != NULL) {
        securityContext->AccessState->PreviouslyGrantedAccess |= securityContext->AccessState->RemainingDesiredAccess;
        securityContext->AccessState->RemainingDesiredAccess = 0;
    }

    CF_LOG(CF_LOG_INFO, ("cryptfilt: open %wZ: %s, size %I64d (opens %u)\n",
                         &NameInfo->Name, CfpCreateKindName(kind), fcb->Header.FileSize.QuadPart, fcb->OpenCount));

    CfRelease(fcb->Header.Resource);
    CfRelease(Volume->VolResource);
    return CfComplete(Data, STATUS_SUCCESS, ioStatus.Information);

PassThrough:
    /* Not isolated: close what we opened and let the create go down. */
    FLT_ASSERT(fcb == NULL);
    if (streamObject != NULL) {
        CfpCloseStream(streamHandle, streamObject);
    }
    CfRelease(Volume->VolResource);
    CF_LOG(CF_LOG_VERBOSE, ("cryptfilt: open %wZ: plain, passed through\n", &NameInfo->Name));
    return FLT_PREOP_SUCCESS_NO_CALLBACK;

Fail:
    if (streamObject != NULL) {
        CfpCloseStream(streamHandle, streamObject);
    }
    if (fcb != NULL) {
        if (fcbHeld) {
            CfRelease(fcb->Header.Resource);
        }
        CfRelease(Volume->VolResource);
        CfDereferenceFcb(fcb);          /* frees an FCB built for this open */
    } else {
        CfRelease(Volume->VolResource);
    }
    return CfComplete(Data, status, 0);
}

FLT_PREOP_CALLBACK_STATUS
CfPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFLT_FILE_NAME_INFORMATION nameInfo = NULL;
    PCF_VOLUME_CONTEXT volume = NULL;
    FLT_PREOP_CALLBACK_STATUS result = FLT_PREOP_SUCCESS_NO_CALLBACK;
    BOOLEAN byExtension;
    NTSTATUS status;

    PAGED_CODE();
    *CompletionContext = NULL;

    /* A relative open through one of our file objects cannot reach the file
       system (it does not know our FCB): such a name is not valid here. */
    if (FltObjects->FileObject->RelatedFileObject != NULL &&
        CfIsIsolatedFileObject(FltObjects->FileObject->RelatedFileObject)) {
        return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
    }

    if (!CfpIsCreateCandidate(Data, FltObjects)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    status = FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT, &nameInfo);
    if (!NT_SUCCESS(status)) {
        status = FltGetFileNameInformation(Data, FLT_FILE_NAME_OPENED | FLT_FILE_NAME_QUERY_DEFAULT, &nameInfo);
    }
    if (!NT_SUCCESS(status)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    status = FltParseFileNameInformation(nameInfo);
    if (!NT_SUCCESS(status) || nameInfo->Stream.Length != 0 || nameInfo->FinalComponent.Length == 0) {
        goto Done;
    }

    byExtension = CfIsManagedExtension(&nameInfo->Extension);
    if (!byExtension && !CfGlobals.ManageByHeader) {
        goto Done;
    }

    status = FltGetVolumeContext(FltObjects->Filter, FltObjects->Volume, (PFLT_CONTEXT *)&volume);
    if (!NT_SUCCESS(status)) {
        goto Done;
    }

    result = CfpCommonCreate(Data, FltObjects, volume, nameInfo, byExtension);

Done:
    if (volume != NULL) {
        FltReleaseContext(volume);
    }
    FltReleaseFileNameInformation(nameInfo);
    return result;
}
