/*
 * cfio.c - cryptfilt: IRP_MJ_READ and IRP_MJ_WRITE on isolated files.
 *
 * A read of plaintext range [Offset, Offset+Length) is served from the lower
 * stream file object's range [Offset+CF_HEADER_SIZE, ...) through a
 * non-paged bounce buffer (at most CF_IO_CHUNK bytes at a time), decrypted
 * there and copied to the caller's buffer (user buffers under __try with a
 * probe).  A write runs the other way: copy, encrypt in the bounce buffer,
 * FltWriteFile at the shifted offset; a write past the end of file moves
 * FileSize and rewrites the header.  Non-cached user I/O is forwarded as
 * non-cached (the 4 KB header keeps sector alignment).  cryptfilt keeps no
 * cache of its own, so there is no fast I/O and no MDL read/write.
 */

#include "cfdata.h"

#define CF_SECTOR_SIZE 0x200

/* ------------------------------------------------------------------------ */
/* Buffers                                                                  */
/* ------------------------------------------------------------------------ */

/* The caller's data buffer: a mapped MDL, or the raw buffer (a user address
   when the request came from user mode). */
static NTSTATUS
CfpGetRequestBuffer(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_opt_ PMDL Mdl,
    _In_opt_ PVOID RawBuffer,
    _Outptr_result_maybenull_ PUCHAR *Buffer,
    _Out_ PBOOLEAN UserAddress
    )
{
    *UserAddress = FALSE;
    if (Mdl != NULL) {
        *Buffer = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority | MdlMappingNoExecute);
        return *Buffer != NULL ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    }
    *Buffer = RawBuffer;
    *UserAddress = (BOOLEAN)(Data->RequestorMode == UserMode);
    return RawBuffer != NULL ? STATUS_SUCCESS : STATUS_INVALID_USER_BUFFER;
}

static NTSTATUS
CfpCopyToCaller(
    _Out_writes_bytes_(Length) PUCHAR Destination,
    _In_ BOOLEAN UserAddress,
    _In_reads_bytes_(Length) const UCHAR *Source,
    _In_ ULONG Length
    )
{
    volatile NTSTATUS status = STATUS_SUCCESS;

    if (!UserAddress) {
        RtlCopyMemory(Destination, Source, Length);
        return STATUS_SUCCESS;
    }
    __try {
        ProbeForWrite(Destination, Length, 1);
        RtlCopyMemory(Destination, Source, Length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return status;
}

static NTSTATUS
CfpCopyFromCaller(
    _Out_writes_bytes_(Length) PUCHAR Destination,
    _In_reads_bytes_(Length) const UCHAR *Source,
    _In_ BOOLEAN UserAddress,
    _In_ ULONG Length
    )
{
    volatile NTSTATUS status = STATUS_SUCCESS;

    if (!UserAddress) {
        RtlCopyMemory(Destination, Source, Length);
        return STATUS_SUCCESS;
    }
    __try {
        ProbeForRead((PVOID)Source, Length, 1);
        RtlCopyMemory(Destination, Source, Length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    return status;
}

/* "xx xx xx ..." of up to 16 bytes, for the verbose log. */
static VOID
CfpFormatBytes(
    _In_reads_bytes_(Length) const UCHAR *Bytes,
    _In_ ULONG Length,
    _Out_writes_(Size) PCHAR Text,
    _In_ SIZE_T Size
    )
{
    ULONG i;
    SIZE_T used = 0;

    Text[0] = '\0';
    for (i = 0; i < Length && i < 16 && used + 4 <= Size; i++) {
        (VOID)RtlStringCbPrintfA(Text + used, Size - used, i == 0 ? "%02x" : " %02x", Bytes[i]);
        used += i == 0 ? 2 : 3;
    }
}

/* ------------------------------------------------------------------------ */
/* Read                                                                     */
/* ------------------------------------------------------------------------ */

FLT_PREOP_CALLBACK_STATUS
CfPreRead(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PFLT_IO_PARAMETER_BLOCK iopb = Data->Iopb;
    PCF_FCB fcb;
    PCF_CCB ccb;
    LARGE_INTEGER offset = iopb->Parameters.Read.ByteOffset;
    ULONG length = iopb->Parameters.Read.Length;
    BOOLEAN paging = BooleanFlagOn(iopb->IrpFlags, IRP_PAGING_IO);
    BOOLEAN nonCached = BooleanFlagOn(iopb->IrpFlags, IRP_NOCACHE);
    FLT_IO_OPERATION_FLAGS lowerFlags = FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET;
    PUCHAR callerBuffer = NULL;
    BOOLEAN userAddress = FALSE;
    PUCHAR bounce = NULL;
    ULONG toRead;
    ULONG done = 0;
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

    if (FlagOn(iopb->MinorFunction, IRP_MN_MDL | IRP_MN_COMPLETE)) {
        return CfComplete(Data, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (ccb->CleanupDone && !paging) {
        return CfComplete(Data, STATUS_FILE_CLOSED, 0);
    }
    if (offset.HighPart == -1 && offset.LowPart == FILE_USE_FILE_POINTER_POSITION) {
        offset = fileObject->CurrentByteOffset;
    }
    if (offset.QuadPart < 0) {
        return CfComplete(Data, STATUS_INVALID_PARAMETER, 0);
    }
    if (length == 0) {
        return CfComplete(Data, STATUS_SUCCESS, 0);
    }

    status = CfpGetRequestBuffer(Data, iopb->Parameters.Read.MdlAddress, iopb->Parameters.Read.ReadBuffer,
                                 &callerBuffer, &userAddress);
    if (!NT_SUCCESS(status)) {
        return CfComplete(Data, status, 0);
    }
    if (nonCached || paging) {
        lowerFlags |= FLTFL_IO_OPERATION_NON_CACHED;
    }

    CfAcquireShared(fcb->Header.Resource);

    if (offset.QuadPart >= fcb->Header.FileSize.QuadPart) {
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, STATUS_END_OF_FILE, 0);
    }
    toRead = length;
    if ((LONGLONG)toRead > fcb->Header.FileSize.QuadPart - offset.QuadPart) {
        toRead = (ULONG)(fcb->Header.FileSize.QuadPart - offset.QuadPart);
    }

    bounce = ExAllocatePoolZero(NonPagedPoolNx, CF_IO_CHUNK, CF_TAG_BUFFER);
    if (bounce == NULL) {
        CfRelease(fcb->Header.Resource);
        return CfComplete(Data, STATUS_INSUFFICIENT_RESOURCES, 0);
    }

    while (done < toRead) {
        ULONG chunk = min(CF_IO_CHUNK, toRead - done);
        ULONG request = chunk;
        ULONG got = 0;
        LARGE_INTEGER lowerOffset;

        if (FlagOn(lowerFlags, FLTFL_IO_OPERATION_NON_CACHED)) {
            /* Non-cached lengths stay whole sectors; the tail is dropped. */
            request = (ULONG)ROUND_TO_SIZE(chunk, CF_SECTOR_SIZE);
        }
        lowerOffset.QuadPart = offset.QuadPart + done + CF_HEADER_SIZE;
        status = FltReadFile(FltObjects->Instance,
                             ccb->StreamFileInfo.StreamObject,
                             &lowerOffset,
                             request,
                             bounce,
                             lowerFlags,
                             &got,
                             NULL,
                             NULL);
        if (status == STATUS_END_OF_FILE) {
            status = STATUS_SUCCESS;    /* the file is shorter than its header says */
            break;
        }
        if (!NT_SUCCESS(status)) {
            break;
        }
        got = min(got, chunk);
        if (got == 0) {
            break;
        }
        CfCipherDecrypt(&fcb->Cipher, offset.QuadPart + done, bounce, got);
        status = CfpCopyToCaller(callerBuffer + done, userAddress, bounce, got);
        if (!NT_SUCCESS(status)) {
            break;
        }
        done += got;
        if (got < chunk) {
            break;
        }
    }

    if (NT_SUCCESS(status) && paging && done < length) {
        /* Paging reads are whole pages: what lies past the end is zero. */
        RtlZeroMemory(callerBuffer + done, length - done);
    }

    CF_LOG(CF_LOG_VERBOSE, ("cryptfilt: read %wZ offset %I64d length %u -> 0x%08x, %u bytes\n",
                            &fcb->FileName, offset.QuadPart, length, (ULONG)status, done));

    CfRelease(fcb->Header.Resource);
    ExFreePoolWithTag(bounce, CF_TAG_BUFFER);

    if (!NT_SUCCESS(status)) {
        return CfComplete(Data, status, 0);
    }
    if (FlagOn(fileObject->Flags, FO_SYNCHRONOUS_IO) && !paging) {
        fileObject->CurrentByteOffset.QuadPart = offset.QuadPart + done;
    }
    return CfComplete(Data, STATUS_SUCCESS, done);
}

/* ------------------------------------------------------------------------ */
/* Write                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Sets the lower file's size for a new plaintext size, then the FCB's, and
 * rewrites the header.  The caller holds Ccb->Fcb->Header.Resource exclusive.
 */
NTSTATUS
CfSetLowerFileSize(
    _In_ PFLT_INSTANCE Instance,
    _In_ PCF_CCB Ccb,
    _In_ LONGLONG NewPlainSize
    )
{
    PCF_FCB fcb = Ccb->Fcb;
    FILE_END_OF_FILE_INFORMATION endOfFile;
    NTSTATUS status;

    endOfFile.EndOfFile.QuadPart = NewPlainSize + CF_HEADER_SIZE;
    status = FltSetInformationFile(Instance, Ccb->StreamFileInfo.StreamObject, &endOfFile, sizeof(endOfFile),
                                   FileEndOfFileInformation);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    fcb->Header.FileSize.QuadPart = NewPlainSize;
    if (fcb->Header.ValidDataLength.QuadPart > NewPlainSize) {
        fcb->Header.ValidDataLength.QuadPart = NewPlainSize;
    }
    if (fcb->Header.AllocationSize.QuadPart < NewPlainSize) {
        fcb->Header.AllocationSize.QuadPart = NewPlainSize;
    }
    fcb->HeaderDirty = TRUE;
    return CfWriteHeader(Instance, Ccb->StreamFileInfo.StreamObject, fcb);
}

FLT_PREOP_CALLBACK_STATUS
CfPreWrite(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PFILE_OBJECT fileObject = FltObjects->FileObject;
    PFLT_IO_PARAMETER_BLOCK iopb = Data->Iopb;
    PCF_FCB fcb;
    PCF_CCB ccb;
    LARGE_INTEGER offset = iopb->Parameters.Write.ByteOffset;
    ULONG length = iopb->Parameters.Write.Length;
    BOOLEAN paging = BooleanFlagOn(iopb->IrpFlags, IRP_PAGING_IO);
    BOOLEAN nonCached = BooleanFlagOn(iopb->IrpFlags, IRP_NOCACHE);
    FLT_IO_OPERATION_FLAGS lowerFlags = FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET;
    PUCHAR callerBuffer = NULL;
    BOOLEAN userAddress = FALSE;
    PUCHAR bounce = NULL;
    ULONG done = 0;
    LONGLONG end;
    CHAR diskBytes[64];
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
    diskBytes[0] = '\0';

    if (FlagOn(iopb->MinorFunction, IRP_MN_MDL | IRP_MN_COMPLETE)) {
        return CfComplete(Data, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (ccb->CleanupDone && !paging) {
        return CfComplete(Data, STATUS_FILE_CLOSED, 0);
    }
    if (length == 0) {
        return CfComplete(Data, STATUS_SUCCESS, 0);
    }

    status = CfpGetRequestBuffer(Data, iopb->Parameters.Write.MdlAddress, iopb->Parameters.Write.WriteBuffer,
                                 &callerBuffer, &userAddress);
    if (!NT_SUCCESS(status)) {
        return CfComplete(Data, status, 0);
    }
    if (nonCached || paging) {
        lowerFlags |= FLTFL_IO_OPERATION_NON_CACHED;
    }

    bounce = ExAllocatePoolZero(NonPagedPoolNx, CF_IO_CHUNK, CF_TAG_BUFFER);
    if (bounce == NULL) {
        return CfComplete(Data, STATUS_INSUFFICIENT_RESOURCES, 0);
    }

    CfAcquireExclusive(fcb->Header.Resource);

    if ((offset.HighPart == -1 && offset.LowPart == FILE_WRITE_TO_END_OF_FILE) ||
        (FlagOn(ccb->DesiredAccess, FILE_APPEND_DATA) && !FlagOn(ccb->DesiredAccess, FILE_WRITE_DATA) && !paging)) {
        /* Writes to the end, and every write of an append-only open. */
        offset = fcb->Header.FileSize;
    } else if (offset.HighPart == -1 && offset.LowPart == FILE_USE_FILE_POINTER_POSITION) {
        offset = fileObject->CurrentByteOffset;
    }
    if (offset.QuadPart < 0) {
        status = STATUS_INVALID_PARAMETER;
        goto Done;
    }
    if (paging) {
        /* Paging writes never move the end of file. */
        if (offset.QuadPart >= fcb->Header.FileSize.QuadPart) {
            status = STATUS_SUCCESS;
            goto Done;
        }
        if ((LONGLONG)length > fcb->Header.FileSize.QuadPart - offset.QuadPart) {
            length = (ULONG)(fcb->Header.FileSize.QuadPart - offset.QuadPart);
        }
    }

    while (done < length) {
        ULONG chunk = min(CF_IO_CHUNK, length - done);
        ULONG written = 0;
        LARGE_INTEGER lowerOffset;

        status = CfpCopyFromCaller(bounce, callerBuffer + done, userAddress, chunk);
        if (!NT_SUCCESS(status)) {
            break;
        }
        CfCipherEncrypt(&fcb->Cipher, offset.QuadPart + done, bounce, chunk);
        if (done == 0) {
            CfpFormatBytes(bounce, chunk, diskBytes, sizeof(diskBytes));
        }

        lowerOffset.QuadPart = offset.QuadPart + done + CF_HEADER_SIZE;
        status = FltWriteFile(FltObjects->Instance,
                              ccb->StreamFileInfo.StreamObject,
                              &lowerOffset,
                              chunk,
                              bounce,
                              lowerFlags,
                              &written,
                              NULL,
                              NULL);
        if (!NT_SUCCESS(status)) {
            break;
        }
        done += min(written, chunk);
        if (written < chunk) {
            break;
        }
    }

    end = offset.QuadPart + done;
    if (done != 0 && !paging && end > fcb->Header.FileSize.QuadPart) {
        /* The write extended the file: new size into the FCB and the header. */
        NTSTATUS headerStatus;

        fcb->Header.FileSize.QuadPart = end;
        if (fcb->Header.AllocationSize.QuadPart < end) {
            fcb->Header.AllocationSize.QuadPart = end;
        }
        fcb->HeaderDirty = TRUE;
        headerStatus = CfWriteHeader(FltObjects->Instance, ccb->StreamFileInfo.StreamObject, fcb);
        if (!NT_SUCCESS(headerStatus) && NT_SUCCESS(status)) {
            status = headerStatus;
        }
    }
    if (done != 0 && end > fcb->Header.ValidDataLength.QuadPart) {
        fcb->Header.ValidDataLength.QuadPart = min(end, fcb->Header.FileSize.QuadPart);
    }

    CF_LOG(CF_LOG_VERBOSE, ("cryptfilt: write %wZ offset %I64d length %u -> 0x%08x, %u bytes, size %I64d, "
                            "disk bytes at 0x%I64x: %s\n",
                            &fcb->FileName, offset.QuadPart, length, (ULONG)status, done,
                            fcb->Header.FileSize.QuadPart, offset.QuadPart + CF_HEADER_SIZE, diskBytes));

Done:
    CfRelease(fcb->Header.Resource);
    ExFreePoolWithTag(bounce, CF_TAG_BUFFER);

    if (!NT_SUCCESS(status) && done == 0) {
        return CfComplete(Data, status, 0);
    }
    if (FlagOn(fileObject->Flags, FO_SYNCHRONOUS_IO) && !paging) {
        fileObject->CurrentByteOffset.QuadPart = offset.QuadPart + done;
    }
    return CfComplete(Data, NT_SUCCESS(status) ? STATUS_SUCCESS : status, done);
}
