/*
 * rx_info.c - rdbss: IRP_MJ_QUERY_INFORMATION and IRP_MJ_SET_INFORMATION
 * (what the server knows goes through the mini-redirector - basic,
 * standard, internal, network-open, attribute-tag and all information,
 * setting times and attributes, end of file, allocation, disposition and
 * rename; the position, mode, access, alignment, EA size and name are
 * answered locally), IRP_MJ_QUERY_SECURITY and IRP_MJ_DIRECTORY_CONTROL
 * (round trips whose neither-I/O buffer RDBSS locks into an MDL on the
 * IRP first), IRP_MJ_QUERY_VOLUME_INFORMATION and IRP_MJ_FLUSH_BUFFERS
 * (local).  IRP_MJ_SET_SECURITY is not supported by this redirector.
 *
 * Limits: a renamed directory's FCB takes the new path, but FCBs of files
 * below it keep the old one until they are closed; SL_INDEX_SPECIFIED is
 * treated as a continuation of the scan; change notification is not
 * supported.
 */
#include "rxp.h"

static PVOID RxpSystemBuffer(PRX_CONTEXT RxContext)
{
    return RxContext->CurrentIrp->AssociatedIrp.SystemBuffer;
}

static ULONG RxpFileMode(PFILE_OBJECT Fo)
{
    ULONG Mode = 0;
    if (Fo->Flags & FO_WRITE_THROUGH)
        Mode |= FILE_WRITE_THROUGH;
    if (Fo->Flags & FO_SEQUENTIAL_ONLY)
        Mode |= FILE_SEQUENTIAL_ONLY;
    if (Fo->Flags & FO_NO_INTERMEDIATE_BUFFERING)
        Mode |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (Fo->Flags & FO_SYNCHRONOUS_IO)
        Mode |= (Fo->Flags & FO_ALERTABLE_IO) ? FILE_SYNCHRONOUS_IO_ALERT : FILE_SYNCHRONOUS_IO_NONALERT;
    if (Fo->Flags & FO_DELETE_ON_CLOSE)
        Mode |= FILE_DELETE_ON_CLOSE;
    return Mode;
}

/*
 * FILE_NAME_INFORMATION at Out (Room bytes): "\server\share\path".
 * STATUS_BUFFER_OVERFLOW with what fits when the name does not.
 */
static NTSTATUS RxpFillName(PFCB Fcb, PFILE_NAME_INFORMATION Out, ULONG Room, ULONG *Used)
{
    ULONG Head = FIELD_OFFSET(FILE_NAME_INFORMATION, FileName);
    ULONG Bytes = Fcb->NetRoot->Name.Length + sizeof(WCHAR) + Fcb->PathName.Length;
    ULONG Copy, At = 0;
    if (Room < Head)
        return STATUS_INFO_LENGTH_MISMATCH;
    Out->FileNameLength = Bytes;
    Copy = Room - Head < Bytes ? Room - Head : Bytes;
    /* Assemble piece by piece, clipped at Copy bytes. */
    {
        PUCHAR Dst = (PUCHAR)Out->FileName;
        ULONG Part = Fcb->NetRoot->Name.Length < Copy ? Fcb->NetRoot->Name.Length : Copy;
        RtlCopyMemory(Dst, Fcb->NetRoot->Name.Buffer, Part);
        At = Part;
        if (At + sizeof(WCHAR) <= Copy) {
            *(PWCHAR)(Dst + At) = L'\\';
            At += sizeof(WCHAR);
        }
        Part = Copy - At < Fcb->PathName.Length ? Copy - At : Fcb->PathName.Length;
        RtlCopyMemory(Dst + At, Fcb->PathName.Buffer, Part);
        At += Part;
    }
    *Used = Head + At;
    return Copy < Bytes ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static void RxpFillBasic(const RX_FILE_INFO *I, PFILE_BASIC_INFORMATION B)
{
    B->CreationTime = I->CreationTime;
    B->LastAccessTime = I->LastAccessTime;
    B->LastWriteTime = I->LastWriteTime;
    B->ChangeTime = I->ChangeTime;
    B->FileAttributes = I->FileAttributes;
}

static void RxpFillStandard(PFCB Fcb, const RX_FILE_INFO *I, PFILE_STANDARD_INFORMATION S)
{
    S->AllocationSize = I->AllocationSize;
    S->EndOfFile = I->EndOfFile;
    S->NumberOfLinks = I->NumberOfLinks;
    S->DeletePending = I->DeletePending;
    S->Directory = Fcb->Directory;
}

/* The fixed part of a class RDBSS asks the server about; 0 if answered locally or unknown. */
static ULONG RxpRemoteClassSize(FILE_INFORMATION_CLASS Class)
{
    switch (Class) {
    case FileBasicInformation: return sizeof(FILE_BASIC_INFORMATION);
    case FileStandardInformation: return sizeof(FILE_STANDARD_INFORMATION);
    case FileInternalInformation: return sizeof(FILE_INTERNAL_INFORMATION);
    case FileNetworkOpenInformation: return sizeof(FILE_NETWORK_OPEN_INFORMATION);
    case FileAttributeTagInformation: return sizeof(FILE_ATTRIBUTE_TAG_INFORMATION);
    case FileAllInformation: return FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation.FileName);
    default: return 0;
    }
}

NTSTATUS RxCommonQueryInformation(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonQueryInformation", 0x110);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    FILE_INFORMATION_CLASS Class = Sp->Parameters.QueryFile.FileInformationClass;
    ULONG Length = Sp->Parameters.QueryFile.Length;
    PVOID Buffer = RxpSystemBuffer(RxContext);
    PFCB Fcb = RxContext->pFcb;
    PFILE_OBJECT Fo = RxContext->FileObject;
    ULONG Used = 0;
    NTSTATUS Status = STATUS_SUCCESS;
    PAGED_CODE();
    if (Fcb == NULL || Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    RxContext->Info.FileInformationClass = Class;
    RxContext->Info.Length = Length;
    ULONG Remote = RxpRemoteClassSize(Class);
    if (Remote != 0) {
        if (Length < Remote)
            return STATUS_INFO_LENGTH_MISMATCH;
        return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxQueryFileInfo);
    }
    switch (Class) {
    case FilePositionInformation:
        if (Length < sizeof(FILE_POSITION_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_POSITION_INFORMATION)Buffer)->CurrentByteOffset = Fo->CurrentByteOffset;
        Used = sizeof(FILE_POSITION_INFORMATION);
        break;
    case FileModeInformation:
        if (Length < sizeof(FILE_MODE_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_MODE_INFORMATION)Buffer)->Mode = RxpFileMode(Fo);
        Used = sizeof(FILE_MODE_INFORMATION);
        break;
    case FileAccessInformation:
        if (Length < sizeof(FILE_ACCESS_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_ACCESS_INFORMATION)Buffer)->AccessFlags = RxContext->pSrvOpen ? RxContext->pSrvOpen->DesiredAccess : 0;
        Used = sizeof(FILE_ACCESS_INFORMATION);
        break;
    case FileAlignmentInformation:
        if (Length < sizeof(FILE_ALIGNMENT_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_ALIGNMENT_INFORMATION)Buffer)->AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        Used = sizeof(FILE_ALIGNMENT_INFORMATION);
        break;
    case FileEaInformation:
        if (Length < sizeof(FILE_EA_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ((PFILE_EA_INFORMATION)Buffer)->EaSize = 0;
        Used = sizeof(FILE_EA_INFORMATION);
        break;
    case FileNameInformation:
    case FileNormalizedNameInformation:
        Status = RxpFillName(Fcb, Buffer, Length, &Used);
        if (Status == STATUS_INFO_LENGTH_MISMATCH)
            return Status;
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    RxContext->InformationToReturn = Used;
    return Status;
}

VOID RxpFinishQueryInformation(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information)
{
    PFCB Fcb = RxContext->pFcb;
    PVOID Buffer = RxpSystemBuffer(RxContext);
    const RX_FILE_INFO *I = &RxContext->Info.FileInfo;
    ULONG Used = 0;
    *Information = 0;
    if (!NT_SUCCESS(*Status))
        return;
    RxpCopyFileInfo(Fcb, I);
    switch (RxContext->Info.FileInformationClass) {
    case FileBasicInformation:
        RxpFillBasic(I, Buffer);
        Used = sizeof(FILE_BASIC_INFORMATION);
        break;
    case FileStandardInformation:
        RxpFillStandard(Fcb, I, Buffer);
        Used = sizeof(FILE_STANDARD_INFORMATION);
        break;
    case FileInternalInformation:
        ((PFILE_INTERNAL_INFORMATION)Buffer)->IndexNumber = I->IndexNumber;
        Used = sizeof(FILE_INTERNAL_INFORMATION);
        break;
    case FileNetworkOpenInformation: {
        PFILE_NETWORK_OPEN_INFORMATION N = Buffer;
        N->CreationTime = I->CreationTime;
        N->LastAccessTime = I->LastAccessTime;
        N->LastWriteTime = I->LastWriteTime;
        N->ChangeTime = I->ChangeTime;
        N->AllocationSize = I->AllocationSize;
        N->EndOfFile = I->EndOfFile;
        N->FileAttributes = I->FileAttributes;
        Used = sizeof(FILE_NETWORK_OPEN_INFORMATION);
        break;
    }
    case FileAttributeTagInformation:
        ((PFILE_ATTRIBUTE_TAG_INFORMATION)Buffer)->FileAttributes = I->FileAttributes;
        ((PFILE_ATTRIBUTE_TAG_INFORMATION)Buffer)->ReparseTag = 0;
        Used = sizeof(FILE_ATTRIBUTE_TAG_INFORMATION);
        break;
    case FileAllInformation: {
        PFILE_ALL_INFORMATION A = Buffer;
        ULONG NameUsed = 0;
        RxpFillBasic(I, &A->BasicInformation);
        RxpFillStandard(Fcb, I, &A->StandardInformation);
        A->InternalInformation.IndexNumber = I->IndexNumber;
        A->EaInformation.EaSize = 0;
        A->AccessInformation.AccessFlags = RxContext->pSrvOpen ? RxContext->pSrvOpen->DesiredAccess : 0;
        A->PositionInformation.CurrentByteOffset = RxContext->FileObject->CurrentByteOffset;
        A->ModeInformation.Mode = RxpFileMode(RxContext->FileObject);
        A->AlignmentInformation.AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        *Status = RxpFillName(Fcb, &A->NameInformation,
                              RxContext->Info.Length - FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation), &NameUsed);
        Used = FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation) + NameUsed;
        break;
    }
    default:
        *Status = STATUS_INVALID_PARAMETER;
        break;
    }
    *Information = Used;
}

/* --- set information ----------------------------------------------------------------- */

/* A pool copy of the request for the server; renames get a path below the share root. */
static NTSTATUS RxpCaptureSetBuffer(PRX_CONTEXT RxContext, PVOID Buffer, ULONG Length)
{
    FILE_INFORMATION_CLASS Class = RxContext->Info.FileInformationClass;
    PFCB Fcb = RxContext->pFcb;
    if (Class != FileRenameInformation && Class != FileRenameInformationEx) {
        RxContext->Info.SetBuffer = ExAllocatePoolWithTag(NonPagedPoolNx, Length ? Length : 1, RX_TAG_BUFFER);
        if (RxContext->Info.SetBuffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        RtlCopyMemory(RxContext->Info.SetBuffer, Buffer, Length);
        RxContext->Info.SetLength = Length;
        return STATUS_SUCCESS;
    }
    PFILE_RENAME_INFORMATION R = Buffer;
    if (Length < FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        R->FileNameLength > Length - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) || R->FileNameLength == 0)
        return STATUS_INVALID_PARAMETER;
    PCWCH Name = R->FileName;
    USHORT Bytes = (USHORT)R->FileNameLength;
    PCWCH Dir = NULL;
    USHORT DirBytes = 0;
    PFILE_OBJECT TargetFo = RxContext->CurrentIrpSp->Parameters.SetFile.FileObject;
    WCHAR Separator = L'\\';
    if (TargetFo != NULL) {
        /* The I/O manager opened the target directory (SL_OPEN_TARGET_DIRECTORY):
         * the new name is that directory's path and its FileName. */
        PFCB TargetFcb;
        PFOBX TargetFobx;
        if (!RxpDecodeFileObject(TargetFo, &TargetFcb, &TargetFobx) || TargetFcb->NetRoot != Fcb->NetRoot)
            return STATUS_NOT_SAME_DEVICE;
        Dir = TargetFcb->PathName.Buffer;
        DirBytes = TargetFcb->PathName.Length;
        Name = TargetFo->FileName.Buffer;
        Bytes = TargetFo->FileName.Length;
        if (Bytes == 0)
            return STATUS_OBJECT_NAME_INVALID;
    } else if (R->RootDirectory != NULL) {
        return STATUS_NOT_SUPPORTED;
    } else if (Name[0] == L'\\') {
        /* A full name: "\Device\Mup\server\share\...", "\server\share\..." */
        static const WCHAR Mup[] = L"\\Device\\Mup";
        USHORT MupBytes = (USHORT)(sizeof(Mup) - sizeof(WCHAR));
        PNET_ROOT Root = Fcb->NetRoot;
        if (Bytes > MupBytes && RxpEqualNames(Name, MupBytes, Mup, MupBytes)) {
            Name += MupBytes / sizeof(WCHAR);
            Bytes = (USHORT)(Bytes - MupBytes);
        }
        if (Bytes <= Root->Name.Length + sizeof(WCHAR) || !RxpEqualNames(Name, Root->Name.Length, Root->Name.Buffer,
                                                                         Root->Name.Length) ||
            Name[Root->Name.Length / sizeof(WCHAR)] != L'\\')
            return STATUS_NOT_SAME_DEVICE;
        Name += Root->Name.Length / sizeof(WCHAR) + 1;
        Bytes = (USHORT)(Bytes - Root->Name.Length - sizeof(WCHAR));
    } else {
        /* A simple name: the same directory. */
        USHORT I = Fcb->PathName.Length / sizeof(WCHAR);
        while (I > 0 && Fcb->PathName.Buffer[I - 1] != L'\\')
            I--;
        Dir = Fcb->PathName.Buffer;
        DirBytes = (USHORT)(I * sizeof(WCHAR)); /* includes the trailing '\' */
    }
    /* A directory from a target file object needs its separator. */
    USHORT SeparatorBytes = (USHORT)(TargetFo != NULL && DirBytes != 0 ? sizeof(WCHAR) : 0);
    ULONG Size = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + DirBytes + SeparatorBytes + Bytes;
    PFILE_RENAME_INFORMATION Out = ExAllocatePoolWithTag(NonPagedPoolNx, Size, RX_TAG_BUFFER);
    if (Out == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(Out, Size);
    Out->ReplaceIfExists = (BOOLEAN)(Class == FileRenameInformationEx ? (R->Flags & FILE_RENAME_REPLACE_IF_EXISTS) != 0
                                                                      : R->ReplaceIfExists);
    Out->RootDirectory = NULL;
    Out->FileNameLength = (ULONG)(DirBytes + SeparatorBytes + Bytes);
    if (DirBytes)
        RtlCopyMemory(Out->FileName, Dir, DirBytes);
    if (SeparatorBytes)
        RtlCopyMemory((PUCHAR)Out->FileName + DirBytes, &Separator, sizeof(WCHAR));
    RtlCopyMemory((PUCHAR)Out->FileName + DirBytes + SeparatorBytes, Name, Bytes);
    RxContext->Info.SetBuffer = Out;
    RxContext->Info.SetLength = Size;
    RxContext->Info.FileInformationClass = FileRenameInformation;
    return STATUS_SUCCESS;
}

NTSTATUS RxCommonSetInformation(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonSetInformation", 0x110);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    FILE_INFORMATION_CLASS Class = Sp->Parameters.SetFile.FileInformationClass;
    ULONG Length = Sp->Parameters.SetFile.Length;
    PVOID Buffer = RxpSystemBuffer(RxContext);
    PFCB Fcb = RxContext->pFcb;
    ULONG Needed;
    NTSTATUS Status;
    PAGED_CODE();
    if (Fcb == NULL || Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    RxContext->Info.FileInformationClass = Class;
    RxContext->Info.Length = Length;
    switch (Class) {
    case FilePositionInformation:
        if (Length < sizeof(FILE_POSITION_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        if (((PFILE_POSITION_INFORMATION)Buffer)->CurrentByteOffset.QuadPart < 0)
            return STATUS_INVALID_PARAMETER;
        RxContext->FileObject->CurrentByteOffset = ((PFILE_POSITION_INFORMATION)Buffer)->CurrentByteOffset;
        return STATUS_SUCCESS;
    case FileBasicInformation: Needed = sizeof(FILE_BASIC_INFORMATION); break;
    case FileEndOfFileInformation: Needed = sizeof(FILE_END_OF_FILE_INFORMATION); break;
    case FileAllocationInformation: Needed = sizeof(FILE_ALLOCATION_INFORMATION); break;
    case FileDispositionInformation: Needed = sizeof(FILE_DISPOSITION_INFORMATION); break;
    case FileDispositionInformationEx: Needed = sizeof(FILE_DISPOSITION_INFORMATION_EX); break;
    case FileRenameInformation:
    case FileRenameInformationEx: Needed = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName); break;
    case FileLinkInformation:
    case FileValidDataLengthInformation:
        return STATUS_NOT_SUPPORTED;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = RxpCaptureSetBuffer(RxContext, Buffer, Length);
    if (!NT_SUCCESS(Status))
        return Status;
    return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxSetFileInfo);
}

VOID RxpFinishSetInformation(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information)
{
    PFCB Fcb = RxContext->pFcb;
    *Information = 0;
    if (!NT_SUCCESS(*Status))
        return;
    if (RxContext->Flags & RX_CONTEXT_FLAG_FILE_INFO_VALID)
        RxpCopyFileInfo(Fcb, &RxContext->Info.FileInfo);
    if (RxContext->Info.FileInformationClass == FileRenameInformation) {
        /* The FCB now stands for the new path. */
        PFILE_RENAME_INFORMATION R = RxContext->Info.SetBuffer;
        UNICODE_STRING New;
        if (RxpDuplicateName(&New, R->FileName, (USHORT)R->FileNameLength)) {
            ExAcquireFastMutex(&RxContext->RxDevice->TableLock);
            RxpFreeName(&Fcb->PathName);
            Fcb->PathName = New;
            ExReleaseFastMutex(&RxContext->RxDevice->TableLock);
        }
    }
}

/* --- security -------------------------------------------------------------------------- */

NTSTATUS RxCommonQuerySecurity(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonQuerySecurity", 0xa0);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    ULONG Length = Sp->Parameters.QuerySecurity.Length;
    NTSTATUS Status;
    PAGED_CODE();
    if (RxContext->pFcb == NULL)
        return STATUS_INVALID_PARAMETER;
    RxContext->Info.SecurityInformation = Sp->Parameters.QuerySecurity.SecurityInformation;
    RxContext->Info.Length = Length;
    /* The caller's buffer is written on a worker thread: lock it now, here. */
    Status = RxLockUserBuffer(RxContext, IoWriteAccess, Length);
    if (!NT_SUCCESS(Status))
        return Status;
    return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxQuerySdInfo);
}

NTSTATUS RxCommonSetSecurity(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonSetSecurity", 0xa0); /* estimate */
    UNREFERENCED_PARAMETER(RxContext);
    return STATUS_NOT_SUPPORTED;
}

/* --- directories ------------------------------------------------------------------------ */

NTSTATUS RxCommonDirectoryControl(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonDirectoryControl", 0xb0);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PFCB Fcb = RxContext->pFcb;
    PFOBX Fobx = RxContext->pFobx;
    ULONG Length = Sp->Parameters.QueryDirectory.Length;
    PUNICODE_STRING Pattern = (PUNICODE_STRING)Sp->Parameters.QueryDirectory.FileName;
    NTSTATUS Status;
    PAGED_CODE();
    if (Sp->MinorFunction == IRP_MN_NOTIFY_CHANGE_DIRECTORY)
        return STATUS_NOT_SUPPORTED;
    if (Sp->MinorFunction != IRP_MN_QUERY_DIRECTORY)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Fcb == NULL || !Fcb->Directory)
        return STATUS_INVALID_PARAMETER;
    if (Length == 0)
        return STATUS_INFO_LENGTH_MISMATCH;
    RxContext->Info.FileInformationClass = Sp->Parameters.QueryDirectory.FileInformationClass;
    RxContext->Info.Length = Length;
    RxContext->Info.DirectoryFlags = Sp->Flags & (SL_RESTART_SCAN | SL_RETURN_SINGLE_ENTRY);
    if (!Fobx->EnumStarted && Pattern != NULL && Pattern->Length != 0 &&
        !RxpDuplicateName(&RxContext->Info.Pattern, Pattern->Buffer, Pattern->Length))
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = RxLockUserBuffer(RxContext, IoWriteAccess, Length);
    if (!NT_SUCCESS(Status))
        return Status;
    Fobx->EnumStarted = TRUE;
    return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxQueryDirectory);
}

/* --- volume information, flush ------------------------------------------------------------ */

static ULONG RxpVolumeSerial(PNET_ROOT Root)
{
    ULONG H = 2166136261u;
    for (USHORT I = 0; I < Root->Name.Length / sizeof(WCHAR); I++) {
        H ^= RtlUpcaseUnicodeChar(Root->Name.Buffer[I]);
        H *= 16777619u;
    }
    return H;
}

NTSTATUS RxCommonQueryVolumeInformation(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonQueryVolumeInformation", 0xb0);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    ULONG Length = Sp->Parameters.QueryVolume.Length;
    PVOID Buffer = RxpSystemBuffer(RxContext);
    PFCB Fcb = RxContext->pFcb;
    ULONG Used;
    NTSTATUS Status = STATUS_SUCCESS;
    PAGED_CODE();
    if (Fcb == NULL || Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    switch (Sp->Parameters.QueryVolume.FsInformationClass) {
    case FileFsVolumeInformation: {
        PFILE_FS_VOLUME_INFORMATION V = Buffer;
        if (Length < FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel))
            return STATUS_INFO_LENGTH_MISMATCH;
        V->VolumeCreationTime.QuadPart = 0;
        V->VolumeSerialNumber = RxpVolumeSerial(Fcb->NetRoot);
        V->VolumeLabelLength = 0;
        V->SupportsObjects = FALSE;
        Used = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel);
        break;
    }
    case FileFsSizeInformation: {
        PFILE_FS_SIZE_INFORMATION S = Buffer;
        if (Length < sizeof(*S))
            return STATUS_INFO_LENGTH_MISMATCH;
        S->TotalAllocationUnits.QuadPart = 16 * 1024 * 1024;
        S->AvailableAllocationUnits.QuadPart = 12 * 1024 * 1024;
        S->SectorsPerAllocationUnit = 8;
        S->BytesPerSector = 512;
        Used = sizeof(*S);
        break;
    }
    case FileFsFullSizeInformation: {
        PFILE_FS_FULL_SIZE_INFORMATION S = Buffer;
        if (Length < sizeof(*S))
            return STATUS_INFO_LENGTH_MISMATCH;
        S->TotalAllocationUnits.QuadPart = 16 * 1024 * 1024;
        S->CallerAvailableAllocationUnits.QuadPart = 12 * 1024 * 1024;
        S->ActualAvailableAllocationUnits.QuadPart = 12 * 1024 * 1024;
        S->SectorsPerAllocationUnit = 8;
        S->BytesPerSector = 512;
        Used = sizeof(*S);
        break;
    }
    case FileFsDeviceInformation: {
        PFILE_FS_DEVICE_INFORMATION D = Buffer;
        if (Length < sizeof(*D))
            return STATUS_INFO_LENGTH_MISMATCH;
        D->DeviceType = FILE_DEVICE_DISK;
        D->Characteristics = FILE_REMOTE_DEVICE;
        Used = sizeof(*D);
        break;
    }
    case FileFsAttributeInformation: {
        static const WCHAR Name[] = L"NTFS";
        PFILE_FS_ATTRIBUTE_INFORMATION A = Buffer;
        ULONG Head = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
        ULONG NameBytes = sizeof(Name) - sizeof(WCHAR);
        if (Length < Head)
            return STATUS_INFO_LENGTH_MISMATCH;
        A->FileSystemAttributes = FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK | FILE_PERSISTENT_ACLS;
        A->MaximumComponentNameLength = 255;
        A->FileSystemNameLength = NameBytes;
        if (Length - Head < NameBytes) {
            RtlCopyMemory(A->FileSystemName, Name, Length - Head);
            Used = Length;
            Status = STATUS_BUFFER_OVERFLOW;
        } else {
            RtlCopyMemory(A->FileSystemName, Name, NameBytes);
            Used = Head + NameBytes;
        }
        break;
    }
    default:
        return STATUS_INVALID_PARAMETER;
    }
    RxContext->InformationToReturn = Used;
    return Status;
}

NTSTATUS RxCommonFlushBuffers(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonFlushBuffers", 0x80);
    /* Nothing is cached on the client yet: nothing to write back. */
    return RxContext->pFcb != NULL ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}
