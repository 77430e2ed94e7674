/*
 * cfinfo.c - cryptfilt: IRP_MJ_QUERY_INFORMATION and IRP_MJ_SET_INFORMATION
 * on isolated files.
 *
 * Queries go to the lower stream file object and the answer is corrected
 * for the header: every size the caller sees (EndOfFile, AllocationSize,
 * the default data stream's size, the compressed size) is the plaintext
 * one, and the position is the user file object's own.  Sets of sizes are
 * translated (new plaintext size + CF_HEADER_SIZE below, then the FCB and
 * the header); the position belongs to the user's file object; renames,
 * links, dispositions, times and attributes are forwarded unchanged (a
 * rename also renames the FCB).
 */

#include "cfdata.h"

/* The plaintext allocation size for a lower one. */
static LONGLONG
CfpPlainAllocation(
    _In_ PCF_FCB Fcb,
    _In_ LONGLONG LowerAllocation
    )
{
    LONGLONG allocation = LowerAllocation > CF_HEADER_SIZE ? LowerAllocation - CF_HEADER_SIZE : 0;

    return allocation < Fcb->Header.FileSize.QuadPart ? Fcb->Header.FileSize.QuadPart : allocation;
}

static VOID
CfpAdjustStandard(
    _In_ PCF_FCB Fcb,
    _Inout_ PFILE_STANDARD_INFORMATION Standard
    )
{
    Standard->AllocationSize.QuadPart = CfpPlainAllocation(Fcb, Standard->AllocationSize.QuadPart);
    Standard->EndOfFile = Fcb->Header.FileSize;
}

/* FILE_STREAM_INFORMATION: only the default data stream carries the header. */
static VOID
CfpAdjustStreams(
    _In_ PCF_FCB Fcb,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length
    )
{
    static const WCHAR DefaultStream[] = L"::$DATA";
    ULONG offset = 0;

    for (;;) {
        PFILE_STREAM_INFORMATION entry;

        if (Length - offset < FIELD_OFFSET(FILE_STREAM_INFORMATION, StreamName)) {
            return;
        }
        entry = (PFILE_STREAM_INFORMATION)(Buffer + offset);
        if (entry->StreamNameLength == sizeof(DefaultStream) - sizeof(WCHAR) &&
            FIELD_OFFSET(FILE_STREAM_INFORMATION, StreamName) + entry->StreamNameLength <= Length - offset &&
            RtlCompareMemory(entry->StreamName, DefaultStream, entry->StreamNameLength) == entry->StreamNameLength) {
            entry->StreamSize = Fcb->Header.FileSize;
            entry->StreamAllocationSize.QuadPart = CfpPlainAllocation(Fcb, entry->StreamAllocationSize.QuadPart);
        }
        if (entry->NextEntryOffset == 0 || entry->NextEntryOffset > Length - offset) {
            return;
        }
        offset += entry->NextEntryOffset;
    }
}

/* Fixes what the lower file returned (Returned bytes of Buffer are valid). */
static VOID
CfpAdjustQueryResult(
    _In_ PCF_FCB Fcb,
    _In_ PFILE_OBJECT FileObject,
    _In_ FILE_INFORMATION_CLASS Class,
    _Inout_updates_bytes_(Returned) PVOID Buffer,
    _In_ ULONG Returned
    )
{
    switch (Class) {
    case FileStandardInformation:
        if (Returned >= sizeof(FILE_STANDARD_INFORMATION)) {
            CfpAdjustStandard(Fcb, Buffer);
        }
        break;

    case FileAllInformation:
        if (Returned >= FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation)) {
            PFILE_ALL_INFORMATION all = Buffer;
            CfpAdjustStandard(Fcb, &all->StandardInformation);
            all->PositionInformation.CurrentByteOffset = FileObject->CurrentByteOffset;
        }
        break;

    case FileNetworkOpenInformation:
        if (Returned >= sizeof(FILE_NETWORK_OPEN_INFORMATION)) {
            PFILE_NETWORK_OPEN_INFORMATION open = Buffer;
            open->AllocationSize.QuadPart = CfpPlainAllocation(Fcb, open->AllocationSize.QuadPart);
            open->EndOfFile = Fcb->Header.FileSize;
        }
        break;

    case FileStreamInformation:
        CfpAdjustStreams(Fcb, Buffer, Returned);
        break;

    case FileCompressionInformation:
        if (Returned >= sizeof(LARGE_INTEGER)) {
            PFILE_COMPRESSION_INFORMATION compression = Buffer;
            compression->CompressedFileSize.QuadPart =
                compression->CompressedFileSize.QuadPart > CF_HEADER_SIZE
                    ? compression->CompressedFileSize.QuadPart - CF_HEADER_SIZE
                    : 0;
        }
        break;

    default:
        break;
    }
}

FLT_PREOP_CALLBACK_STATUS
CfPreQueryInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    FILE_INFORMATION_CLASS infoClass = Data->Iopb->Parameters.QueryFileInformation.FileInformationClass;
    PVOID buffer = Data->Iopb->Parameters.QueryFileInformation.InfoBuffer;
    ULONG length = Data->Iopb->Parameters.QueryFileInformation.Length;
    ULONG returned = 0;
    PCF_FCB fcb;
    PCF_CCB ccb;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(fileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_DISALLOW_FASTIO;
    }
    fcb = CfFcbOf(fileObject);
    ccb = CfCcbOf(fileObject);

    if (infoClass == FilePositionInformation) {
        PFILE_POSITION_INFORMATION position = buffer;
        if (length < sizeof(FILE_POSITION_INFORMATION)) {
            return CfComplete(Data, STATUS_INFO_LENGTH_MISMATCH, 0);
        }
        position->CurrentByteOffset = fileObject->CurrentByteOffset;
        return CfComplete(Data, STATUS_SUCCESS, sizeof(FILE_POSITION_INFORMATION));
    }

    CfAcquireShared(fcb->Header.Resource);
    status = FltQueryInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, buffer, length,
                                     infoClass, &returned);
    if (NT_SUCCESS(status) || status == STATUS_BUFFER_OVERFLOW) {
        CfpAdjustQueryResult(fcb, fileObject, infoClass, buffer, returned);
    }
    CfRelease(fcb->Header.Resource);

    return CfComplete(Data, status, returned);
}

/* ------------------------------------------------------------------------ */
/* Set                                                                      */
/* ------------------------------------------------------------------------ */

/* The name a rename or link will give the file, for the FCB table. */
static NTSTATUS
CfpDestinationName(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ PCF_CCB Ccb,
    _In_ PFILE_RENAME_INFORMATION Rename,
    _In_ ULONG Length,
    _Outptr_ PFLT_FILE_NAME_INFORMATION *NameInfo
    )
{
    *NameInfo = NULL;
    if (Length < FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        Rename->FileNameLength > Length - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName)) {
        return STATUS_INVALID_PARAMETER;
    }
    return FltGetDestinationFileNameInformation(FltObjects->Instance,
                                                Ccb->StreamFileInfo.StreamObject,
                                                Rename->RootDirectory,
                                                Rename->FileName,
                                                Rename->FileNameLength,
                                                FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT,
                                                NameInfo);
}

FLT_PREOP_CALLBACK_STATUS
CfPreSetInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PFLT_PARAMETERS params = &Data->Iopb->Parameters;
    FILE_INFORMATION_CLASS infoClass = params->SetFileInformation.FileInformationClass;
    PVOID buffer = params->SetFileInformation.InfoBuffer;
    ULONG length = params->SetFileInformation.Length;
    PFLT_FILE_NAME_INFORMATION newName = NULL;
    PCF_FCB fcb;
    PCF_CCB ccb;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (!CfIsIsolatedFileObject(fileObject)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    fcb = CfFcbOf(fileObject);
    ccb = CfCcbOf(fileObject);

    switch (infoClass) {
    case FilePositionInformation: {
        PFILE_POSITION_INFORMATION position = buffer;
        if (length < sizeof(FILE_POSITION_INFORMATION)) {
            return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
        }
        if (position->CurrentByteOffset.QuadPart < 0 ||
            (FlagOn(fileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING) &&
             (position->CurrentByteOffset.LowPart & (CF_HEADER_SIZE / 8 - 1)) != 0)) {
            return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
        }
        fileObject->CurrentByteOffset = position->CurrentByteOffset;
        return CfComplete(Data, STATUS_SUCCESS, 0);
    }

    case FileEndOfFileInformation: {
        PFILE_END_OF_FILE_INFORMATION endOfFile = buffer;
        if (length < sizeof(FILE_END_OF_FILE_INFORMATION) || endOfFile->EndOfFile.QuadPart < 0) {
            return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
        }
        CfAcquireExclusive(fcb->Header.Resource);
        if (params->SetFileInformation.AdvanceOnly &&
            endOfFile->EndOfFile.QuadPart <= fcb->Header.FileSize.QuadPart) {
            status = STATUS_SUCCESS;    /* the lazy writer's advance: nothing to move */
        } else {
            status = CfSetLowerFileSize(FltObjects->Instance, ccb, endOfFile->EndOfFile.QuadPart);
        }
        CF_LOG(CF_LOG_INFO, ("cryptfilt: set end of file %wZ to %I64d -> 0x%08x\n",
                             &fcb->FileName, endOfFile->EndOfFile.QuadPart, (ULONG)status));
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, status, 0);
    }

    case FileAllocationInformation: {
        PFILE_ALLOCATION_INFORMATION allocation = buffer;
        FILE_ALLOCATION_INFORMATION lower;
        if (length < sizeof(FILE_ALLOCATION_INFORMATION) || allocation->AllocationSize.QuadPart < 0) {
            return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
        }
        CfAcquireExclusive(fcb->Header.Resource);
        lower.AllocationSize.QuadPart = allocation->AllocationSize.QuadPart + CF_HEADER_SIZE;
        status = FltSetInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, &lower,
                                       sizeof(lower), FileAllocationInformation);
        if (NT_SUCCESS(status)) {
            fcb->Header.AllocationSize = allocation->AllocationSize;
            if (allocation->AllocationSize.QuadPart < fcb->Header.FileSize.QuadPart) {
                /* Allocation below the end of file truncates the file. */
                fcb->Header.FileSize = allocation->AllocationSize;
                if (fcb->Header.ValidDataLength.QuadPart > fcb->Header.FileSize.QuadPart) {
                    fcb->Header.ValidDataLength = fcb->Header.FileSize;
                }
                fcb->HeaderDirty = TRUE;
                status = CfWriteHeader(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, fcb);
            }
        }
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, status, 0);
    }

    case FileValidDataLengthInformation: {
        PFILE_VALID_DATA_LENGTH_INFORMATION validData = buffer;
        FILE_VALID_DATA_LENGTH_INFORMATION lower;
        if (length < sizeof(FILE_VALID_DATA_LENGTH_INFORMATION)) {
            return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
        }
        CfAcquireExclusive(fcb->Header.Resource);
        lower.ValidDataLength.QuadPart = validData->ValidDataLength.QuadPart + CF_HEADER_SIZE;
        status = FltSetInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, &lower,
                                       sizeof(lower), FileValidDataLengthInformation);
        if (NT_SUCCESS(status)) {
            fcb->Header.ValidDataLength = validData->ValidDataLength;
        }
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, status, 0);
    }

    case FileRenameInformation:
    case FileRenameInformationEx:
        status = CfpDestinationName(FltObjects, ccb, buffer, length, &newName);
        if (!NT_SUCCESS(status)) {
            return CfComplete(Data, status, 0);
        }
        CfAcquireExclusive(fcb->Header.Resource);
        status = FltSetInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, buffer, length,
                                       infoClass);
        CfRelease(fcb->Header.Resource);
        if (NT_SUCCESS(status)) {
            CF_LOG(CF_LOG_INFO, ("cryptfilt: rename %wZ to %wZ\n", &fcb->FileName, &newName->Name));
            (VOID)CfRenameFcb(fcb, &newName->Name);
        }
        FltReleaseFileNameInformation(newName);
        return CfComplete(Data, status, 0);

    case FileDispositionInformation:
    case FileDispositionInformationEx:
        CfAcquireExclusive(fcb->Header.Resource);
        status = FltSetInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, buffer, length,
                                       infoClass);
        if (NT_SUCCESS(status)) {
            BOOLEAN deleting = infoClass == FileDispositionInformation
                                   ? ((PFILE_DISPOSITION_INFORMATION)buffer)->DeleteFile
                                   : BooleanFlagOn(((PFILE_DISPOSITION_INFORMATION_EX)buffer)->Flags,
                                                   FILE_DISPOSITION_DELETE);
            fcb->DeletePending = deleting;
            CF_LOG(CF_LOG_INFO, ("cryptfilt: %wZ %s\n", &fcb->FileName,
                                 deleting ? "marked for deletion" : "no longer marked for deletion"));
        }
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, status, 0);

    default:
        /* Times, attributes, links, short names, ...: the lower file's business. */
        CfAcquireExclusive(fcb->Header.Resource);
        status = FltSetInformationFile(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, buffer, length,
                                       infoClass);
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, status, 0);
    }
}
