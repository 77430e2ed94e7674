/*
 * lfs_info.c - localfs: IRP_MJ_QUERY_INFORMATION, IRP_MJ_SET_INFORMATION
 * and IRP_MJ_QUERY_VOLUME_INFORMATION.
 *
 * Buffers are Irp->AssociatedIrp.SystemBuffer (buffered I/O).  A buffer
 * shorter than the class's structure fails with STATUS_INFO_LENGTH_MISMATCH;
 * a name that does not fit is cut short with STATUS_BUFFER_OVERFLOW (the
 * length field still tells the whole length); unknown classes fail with
 * STATUS_INVALID_PARAMETER.  Values follow NTFS: file reference numbers as
 * IndexNumber, one link per file, directories with zero sizes, a file with
 * no attribute reported as FILE_ATTRIBUTE_NORMAL, names as paths from the
 * volume root.  A new end of file or allocation size of a cached file is
 * passed on to the cache manager (CcSetFileSizes).
 */
#include "lfsp.h"

#ifndef FILE_DISPOSITION_DELETE
#define FILE_DISPOSITION_DO_NOT_DELETE 0x00000000
#define FILE_DISPOSITION_DELETE 0x00000001
#define FILE_DISPOSITION_POSIX_SEMANTICS 0x00000002
#define FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK 0x00000004
#define FILE_DISPOSITION_ON_CLOSE 0x00000008
#endif
#ifndef FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE
#define FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE 0x00000010
#endif
#ifndef FILE_RENAME_REPLACE_IF_EXISTS
#define FILE_RENAME_REPLACE_IF_EXISTS 0x00000001
#endif
#ifndef FILE_RENAME_IGNORE_READONLY_ATTRIBUTE
#define FILE_RENAME_IGNORE_READONLY_ATTRIBUTE 0x00000040
#endif
#ifndef FO_DELETE_ON_CLOSE
#define FO_DELETE_ON_CLOSE 0x00010000
#endif
#ifndef SSINFO_FLAGS_ALIGNED_DEVICE
#define SSINFO_FLAGS_ALIGNED_DEVICE 0x00000001
#define SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE 0x00000002
#endif

/* --- query --------------------------------------------------------------- */

static void LfspFillBasic(PLFS_NODE Node, PFILE_BASIC_INFORMATION Basic)
{
    Basic->CreationTime = Node->CreationTime;
    Basic->LastAccessTime = Node->LastAccessTime;
    Basic->LastWriteTime = Node->LastWriteTime;
    Basic->ChangeTime = Node->ChangeTime;
    Basic->FileAttributes = LfspReportedAttributes(Node);
}

static void LfspFillStandard(PLFS_NODE Node, PFILE_STANDARD_INFORMATION Standard)
{
    if (Node->IsDirectory) {
        Standard->AllocationSize.QuadPart = 0;
        Standard->EndOfFile.QuadPart = 0;
    } else {
        Standard->AllocationSize.QuadPart = (LONGLONG)Node->AllocationSize;
        Standard->EndOfFile.QuadPart = (LONGLONG)Node->FileSize;
    }
    Standard->NumberOfLinks = 1;
    Standard->DeletePending = (BOOLEAN)(Node->DeletePending || !Node->Linked);
    Standard->Directory = Node->IsDirectory;
}

static ULONG LfspModeOf(PFILE_OBJECT FileObject, PLFS_CCB Ccb)
{
    ULONG Mode = 0;

    if (FlagOn(FileObject->Flags, FO_WRITE_THROUGH)) {
        Mode |= FILE_WRITE_THROUGH;
    }
    if (FlagOn(FileObject->Flags, FO_SEQUENTIAL_ONLY)) {
        Mode |= FILE_SEQUENTIAL_ONLY;
    }
    if (FlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING)) {
        Mode |= FILE_NO_INTERMEDIATE_BUFFERING;
    }
    if (FlagOn(FileObject->Flags, FO_SYNCHRONOUS_IO)) {
        Mode |= FlagOn(FileObject->Flags, FO_ALERTABLE_IO) ? FILE_SYNCHRONOUS_IO_ALERT
                                                           : FILE_SYNCHRONOUS_IO_NONALERT;
    }
    if (Ccb->DeleteOnClose || FlagOn(FileObject->Flags, FO_DELETE_ON_CLOSE)) {
        Mode |= FILE_DELETE_ON_CLOSE;
    }
    return Mode;
}

/*
 * FILE_NAME_INFORMATION at Name with Available bytes (at least the fixed
 * part): the full length, and as many bytes of the path as fit.
 */
static NTSTATUS LfspFillName(PLFS_NODE Node, PFILE_NAME_INFORMATION Name, ULONG Available,
                             ULONG *Written)
{
    ULONG Offset = FIELD_OFFSET(FILE_NAME_INFORMATION, FileName);
    ULONG PathLength = LfspPathLength(Node);
    ULONG Room = Available - Offset;
    PWCHAR Path;

    Name->FileNameLength = PathLength;
    if (PathLength <= Room) {
        LfspFillPath(Node, Name->FileName, PathLength);
        *Written = Offset + PathLength;
        return STATUS_SUCCESS;
    }
    Path = ExAllocatePoolWithTag(PagedPool, PathLength, LFS_TAG_TEMP);
    if (Path == NULL) {
        *Written = 0;
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    LfspFillPath(Node, Path, PathLength);
    RtlCopyMemory(Name->FileName, Path, Room);
    ExFreePoolWithTag(Path, LFS_TAG_TEMP);
    *Written = Available;
    return STATUS_BUFFER_OVERFLOW;
}

static NTSTATUS LfspQueryFileInformation(PFILE_OBJECT FileObject, LFS_OPEN_TYPE Type,
                                         PLFS_FCB Fcb, PLFS_CCB Ccb,
                                         FILE_INFORMATION_CLASS Class, PVOID Buffer,
                                         ULONG Length, ULONG_PTR *Information)
{
    PLFS_NODE Node = Fcb->Node;
    ULONG Written = 0;
    NTSTATUS Status = STATUS_SUCCESS;

#define LFS_NEED(Type_)                          \
    do {                                         \
        if (Length < sizeof(Type_)) {            \
            return STATUS_INFO_LENGTH_MISMATCH;  \
        }                                        \
        RtlZeroMemory(Buffer, sizeof(Type_));    \
        Written = sizeof(Type_);                 \
    } while (0)

    /* The volume itself only answers the handle-related classes. */
    if (Type == LfsOpenVolume && Class != FilePositionInformation &&
        Class != FileModeInformation && Class != FileAlignmentInformation &&
        Class != FileAccessInformation) {
        return STATUS_INVALID_PARAMETER;
    }

    switch (Class) {
    case FileBasicInformation:
        LFS_NEED(FILE_BASIC_INFORMATION);
        LfspFillBasic(Node, (PFILE_BASIC_INFORMATION)Buffer);
        break;

    case FileStandardInformation:
        LFS_NEED(FILE_STANDARD_INFORMATION);
        LfspFillStandard(Node, (PFILE_STANDARD_INFORMATION)Buffer);
        break;

    case FileInternalInformation:
        LFS_NEED(FILE_INTERNAL_INFORMATION);
        ((PFILE_INTERNAL_INFORMATION)Buffer)->IndexNumber.QuadPart = (LONGLONG)Node->FileId;
        break;

    case FileEaInformation:
        LFS_NEED(FILE_EA_INFORMATION);
        break;

    case FileAccessInformation:
        LFS_NEED(FILE_ACCESS_INFORMATION);
        ((PFILE_ACCESS_INFORMATION)Buffer)->AccessFlags = Ccb->GrantedAccess;
        break;

    case FilePositionInformation:
        LFS_NEED(FILE_POSITION_INFORMATION);
        ((PFILE_POSITION_INFORMATION)Buffer)->CurrentByteOffset = FileObject->CurrentByteOffset;
        break;

    case FileModeInformation:
        LFS_NEED(FILE_MODE_INFORMATION);
        ((PFILE_MODE_INFORMATION)Buffer)->Mode = LfspModeOf(FileObject, Ccb);
        break;

    case FileAlignmentInformation:
        LFS_NEED(FILE_ALIGNMENT_INFORMATION);
        ((PFILE_ALIGNMENT_INFORMATION)Buffer)->AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        break;

    case FileNameInformation:
    case FileNormalizedNameInformation:
        if (Length < sizeof(FILE_NAME_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Status = LfspFillName(Node, (PFILE_NAME_INFORMATION)Buffer, Length, &Written);
        break;

    case FileAlternateNameInformation:
        /* No 8.3 names are generated. */
        if (Length < sizeof(FILE_NAME_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        return STATUS_OBJECT_NAME_NOT_FOUND;

    case FileAllInformation: {
        PFILE_ALL_INFORMATION All = (PFILE_ALL_INFORMATION)Buffer;
        ULONG NameOffset = FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation);

        if (Length < sizeof(FILE_ALL_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        RtlZeroMemory(All, sizeof(FILE_ALL_INFORMATION));
        LfspFillBasic(Node, &All->BasicInformation);
        LfspFillStandard(Node, &All->StandardInformation);
        All->InternalInformation.IndexNumber.QuadPart = (LONGLONG)Node->FileId;
        All->EaInformation.EaSize = 0;
        All->AccessInformation.AccessFlags = Ccb->GrantedAccess;
        All->PositionInformation.CurrentByteOffset = FileObject->CurrentByteOffset;
        All->ModeInformation.Mode = LfspModeOf(FileObject, Ccb);
        All->AlignmentInformation.AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        Status = LfspFillName(Node, &All->NameInformation, Length - NameOffset, &Written);
        Written += NameOffset;
        break;
    }

    case FileNetworkOpenInformation: {
        PFILE_NETWORK_OPEN_INFORMATION Open = (PFILE_NETWORK_OPEN_INFORMATION)Buffer;
        FILE_STANDARD_INFORMATION Standard;

        LFS_NEED(FILE_NETWORK_OPEN_INFORMATION);
        LfspFillStandard(Node, &Standard);
        Open->CreationTime = Node->CreationTime;
        Open->LastAccessTime = Node->LastAccessTime;
        Open->LastWriteTime = Node->LastWriteTime;
        Open->ChangeTime = Node->ChangeTime;
        Open->AllocationSize = Standard.AllocationSize;
        Open->EndOfFile = Standard.EndOfFile;
        Open->FileAttributes = LfspReportedAttributes(Node);
        break;
    }

    case FileAttributeTagInformation:
        LFS_NEED(FILE_ATTRIBUTE_TAG_INFORMATION);
        ((PFILE_ATTRIBUTE_TAG_INFORMATION)Buffer)->FileAttributes = LfspReportedAttributes(Node);
        ((PFILE_ATTRIBUTE_TAG_INFORMATION)Buffer)->ReparseTag = 0;
        break;

    case FileStreamInformation: {
        static const WCHAR StreamName[] = L"::$DATA";
        PFILE_STREAM_INFORMATION Stream = (PFILE_STREAM_INFORMATION)Buffer;
        ULONG Offset = FIELD_OFFSET(FILE_STREAM_INFORMATION, StreamName);
        ULONG NameLength = (ULONG)(sizeof(StreamName) - sizeof(WCHAR));

        if (Length < sizeof(FILE_STREAM_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        if (Node->IsDirectory) {
            /* A directory has no data stream. */
            Written = 0;
            break;
        }
        RtlZeroMemory(Stream, Offset);
        Stream->NextEntryOffset = 0;
        Stream->StreamNameLength = NameLength;
        Stream->StreamSize.QuadPart = (LONGLONG)Node->FileSize;
        Stream->StreamAllocationSize.QuadPart = (LONGLONG)Node->AllocationSize;
        if (Offset + NameLength > Length) {
            RtlCopyMemory(Stream->StreamName, StreamName, Length - Offset);
            Written = Length;
            Status = STATUS_BUFFER_OVERFLOW;
        } else {
            RtlCopyMemory(Stream->StreamName, StreamName, NameLength);
            Written = Offset + NameLength;
        }
        break;
    }

    case FileIdInformation: {
        PFILE_ID_INFORMATION Id = (PFILE_ID_INFORMATION)Buffer;
        ULONGLONG FileId = Node->FileId;
        ULONG Index;

        LFS_NEED(FILE_ID_INFORMATION);
        Id->VolumeSerialNumber = Fcb->Vcb->SerialNumber;
        for (Index = 0; Index < 8; Index++) {
            Id->FileId.Identifier[Index] = (UCHAR)(FileId >> (8 * Index));
        }
        break;
    }

    default:
        return STATUS_INVALID_PARAMETER;
    }
#undef LFS_NEED
    *Information = Written;
    return Status;
}

NTSTATUS LfsFsdQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (Irp->AssociatedIrp.SystemBuffer == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_USER_BUFFER, 0);
    }
    LfspAcquireVcbShared(Vcb);
    LfspAcquireFcbShared(Fcb);
    Status = LfspQueryFileInformation(IrpSp->FileObject, Type, Fcb, Ccb,
                                      IrpSp->Parameters.QueryFile.FileInformationClass,
                                      Irp->AssociatedIrp.SystemBuffer,
                                      IrpSp->Parameters.QueryFile.Length, &Information);
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    if (NT_ERROR(Status)) {
        Information = 0;
    }
    return LfspCompleteRequest(Irp, Status, Information);
}

/* --- set ----------------------------------------------------------------- */

/* A time from FILE_BASIC_INFORMATION: 0 and -1/-2 leave it alone. */
static NTSTATUS LfspSetTime(const LARGE_INTEGER *New, LARGE_INTEGER *Time, BOOLEAN *Changed)
{
    if (New->QuadPart == 0 || New->QuadPart == -1 || New->QuadPart == -2) {
        return STATUS_SUCCESS;
    }
    if (New->QuadPart < 0) {
        return STATUS_INVALID_PARAMETER;
    }
    *Time = *New;
    *Changed = TRUE;
    return STATUS_SUCCESS;
}

static NTSTATUS LfspSetBasic(PLFS_NODE Node, const FILE_BASIC_INFORMATION *Basic)
{
    LARGE_INTEGER Creation = Node->CreationTime;
    LARGE_INTEGER Access = Node->LastAccessTime;
    LARGE_INTEGER Write = Node->LastWriteTime;
    LARGE_INTEGER Change = Node->ChangeTime;
    BOOLEAN Changed = FALSE;
    BOOLEAN ChangeTimeSet = FALSE;
    NTSTATUS Status;

    Status = LfspSetTime(&Basic->CreationTime, &Creation, &Changed);
    if (NT_SUCCESS(Status)) {
        Status = LfspSetTime(&Basic->LastAccessTime, &Access, &Changed);
    }
    if (NT_SUCCESS(Status)) {
        Status = LfspSetTime(&Basic->LastWriteTime, &Write, &Changed);
    }
    if (NT_SUCCESS(Status)) {
        Status = LfspSetTime(&Basic->ChangeTime, &Change, &ChangeTimeSet);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Basic->FileAttributes != 0) {
        ULONG Attributes = Basic->FileAttributes & LFS_SETTABLE_ATTRIBUTES;
        if (Node->IsDirectory && FlagOn(Basic->FileAttributes, FILE_ATTRIBUTE_TEMPORARY)) {
            return STATUS_INVALID_PARAMETER;
        }
        Node->FileAttributes = Attributes;
        Changed = TRUE;
    }
    Node->CreationTime = Creation;
    Node->LastAccessTime = Access;
    Node->LastWriteTime = Write;
    if (ChangeTimeSet) {
        Node->ChangeTime = Change;
    } else if (Changed) {
        Node->ChangeTime = LfspNow();
    }
    return STATUS_SUCCESS;
}

static NTSTATUS LfspSetDisposition(PFILE_OBJECT FileObject, PLFS_NODE Node, PLFS_CCB Ccb,
                                   ULONG Flags)
{
    BOOLEAN Delete = BooleanFlagOn(Flags, FILE_DISPOSITION_DELETE);

    if (!FlagOn(Ccb->GrantedAccess, DELETE)) {
        return STATUS_ACCESS_DENIED;
    }
    if (Delete) {
        if (Node->IsRoot) {
            return STATUS_CANNOT_DELETE;
        }
        if (FlagOn(Node->FileAttributes, FILE_ATTRIBUTE_READONLY) &&
            !FlagOn(Flags, FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE)) {
            return STATUS_CANNOT_DELETE;
        }
        if (Node->IsDirectory && Node->ChildCount != 0) {
            return STATUS_DIRECTORY_NOT_EMPTY;
        }
    }
    if (FlagOn(Flags, FILE_DISPOSITION_ON_CLOSE)) {
        Ccb->DeleteOnClose = Delete;
        if (Delete) {
            FileObject->Flags |= FO_DELETE_ON_CLOSE;
        } else {
            FileObject->Flags &= ~FO_DELETE_ON_CLOSE;
        }
        return STATUS_SUCCESS;
    }
    if (Delete) {
        if (Node->Linked) {
            Node->DeletePending = TRUE;
        }
        FileObject->DeletePending = TRUE;
        Ccb->PosixDelete = BooleanFlagOn(Flags, FILE_DISPOSITION_POSIX_SEMANTICS);
    } else {
        if (Node->Linked) {
            Node->DeletePending = FALSE;
        }
        FileObject->DeletePending = FALSE;
        Ccb->PosixDelete = FALSE;
    }
    return STATUS_SUCCESS;
}

/* The last component of a path (after the last backslash). */
static void LfspFinalComponent(PCUNICODE_STRING Path, PUNICODE_STRING Final)
{
    USHORT Count = Path->Length / sizeof(WCHAR);
    USHORT Start = Count;

    while (Start > 0 && Path->Buffer[Start - 1] != L'\\') {
        Start--;
    }
    Final->Buffer = Path->Buffer + Start;
    Final->Length = (USHORT)((Count - Start) * sizeof(WCHAR));
    Final->MaximumLength = Final->Length;
}

/* "\dir\sub\name": the directory "\dir\sub" and the final component. */
static NTSTATUS LfspResolveParent(PLFS_VCB Vcb, PCUNICODE_STRING Path, PLFS_NODE *Parent,
                                  PUNICODE_STRING Final)
{
    UNICODE_STRING Remaining = *Path;
    UNICODE_STRING Component;
    UNICODE_STRING Rest;
    PLFS_NODE Directory = Vcb->Root;

    if (Remaining.Length > sizeof(WCHAR) && Remaining.Buffer[0] == L'\\') {
        Remaining.Buffer++;
        Remaining.Length -= sizeof(WCHAR);
    }
    for (;;) {
        if (Remaining.Length == 0 || Remaining.Buffer[0] == L'\\') {
            return STATUS_OBJECT_NAME_INVALID;
        }
        FsRtlDissectName(Remaining, &Component, &Rest);
        if (Component.Length == 0 || (Rest.Length != 0 && Rest.Buffer[0] == L'\\')) {
            return STATUS_OBJECT_NAME_INVALID;
        }
        if (Rest.Length == 0) {
            break;
        }
        Directory = LfspLookupChild(Directory, &Component);
        if (Directory == NULL || !Directory->IsDirectory) {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        Remaining = Rest;
    }
    *Parent = Directory;
    *Final = Component;
    return STATUS_SUCCESS;
}

/*
 * FileRenameInformation(Ex).  The target directory is the file object the
 * I/O manager opened with SL_OPEN_TARGET_DIRECTORY (its FileName is the new
 * name), else the buffer's name is a simple name in the same directory or a
 * path from the volume root.
 */
static NTSTATUS LfspSetRename(PLFS_VCB Vcb, PIO_STACK_LOCATION IrpSp, PLFS_NODE Node,
                              const FILE_RENAME_INFORMATION *Rename, ULONG Length,
                              BOOLEAN Extended)
{
    PFILE_OBJECT Target = IrpSp->Parameters.SetFile.FileObject;
    ULONG Offset = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName);
    BOOLEAN Replace;
    BOOLEAN IgnoreReadOnly = FALSE;
    UNICODE_STRING Given;
    UNICODE_STRING NewName;
    PLFS_NODE NewParent;
    PLFS_NODE OldParent;
    PLFS_NODE Existing;
    NTSTATUS Status;

    if (Length < Offset) {
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (Rename->FileNameLength > Length - Offset || Rename->FileNameLength > MAXUSHORT) {
        return STATUS_INVALID_PARAMETER;
    }
    if ((Rename->FileNameLength % sizeof(WCHAR)) != 0) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    if (Extended) {
        Replace = BooleanFlagOn(Rename->Flags, FILE_RENAME_REPLACE_IF_EXISTS);
        IgnoreReadOnly = BooleanFlagOn(Rename->Flags, FILE_RENAME_IGNORE_READONLY_ATTRIBUTE);
    } else {
        Replace = (BOOLEAN)(Rename->ReplaceIfExists || IrpSp->Parameters.SetFile.ReplaceIfExists);
    }
    if (Node->IsRoot) {
        return STATUS_INVALID_PARAMETER;
    }
    if (!Node->Linked || Node->DeletePending) {
        return STATUS_DELETE_PENDING;
    }
    Given.Buffer = (PWCH)Rename->FileName;
    Given.Length = (USHORT)Rename->FileNameLength;
    Given.MaximumLength = Given.Length;

    if (Target != NULL) {
        PLFS_FCB TargetFcb;
        PLFS_CCB TargetCcb;
        LFS_OPEN_TYPE Type = LfspDecodeFileObject(NULL, Target, &TargetFcb, &TargetCcb);

        if (Type == LfsOpenUnknown || TargetFcb->Vcb != Vcb) {
            return STATUS_NOT_SAME_DEVICE;
        }
        NewParent = Type == LfsOpenVolume ? Vcb->Root : TargetFcb->Node;
        LfspFinalComponent(&Target->FileName, &NewName);
    } else {
        USHORT Index;
        BOOLEAN HasSeparator = FALSE;

        for (Index = 0; Index < Given.Length / sizeof(WCHAR); Index++) {
            if (Given.Buffer[Index] == L'\\') {
                HasSeparator = TRUE;
                break;
            }
        }
        if (!HasSeparator) {
            NewParent = Node->Parent;
            NewName = Given;
        } else if (Given.Length != 0 && Given.Buffer[0] == L'\\') {
            Status = LfspResolveParent(Vcb, &Given, &NewParent, &NewName);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
        } else {
            return STATUS_OBJECT_NAME_INVALID;
        }
    }
    Status = LfspValidateComponent(&NewName);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (!NewParent->IsDirectory) {
        return STATUS_OBJECT_PATH_NOT_FOUND;
    }
    if (NewParent->DeletePending || (!NewParent->Linked && !NewParent->IsRoot)) {
        return STATUS_DELETE_PENDING;
    }
    if (Node->IsDirectory && LfspIsAncestor(Node, NewParent)) {
        return STATUS_INVALID_PARAMETER;
    }
    Existing = LfspLookupChild(NewParent, &NewName);
    if (Existing != NULL && Existing != Node) {
        if (!Replace) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
        if (Existing->IsDirectory ||
            (Existing->Fcb != NULL && Existing->Fcb->CleanupCount != 0) ||
            (FlagOn(Existing->FileAttributes, FILE_ATTRIBUTE_READONLY) && !IgnoreReadOnly)) {
            return STATUS_ACCESS_DENIED;
        }
    }
    if (Node->IsDirectory && LfspHasOpenDescendant(Node)) {
        return STATUS_ACCESS_DENIED;
    }
    if (Existing != NULL && Existing != Node) {
        Existing->DeletePending = TRUE;
        LfspUnlinkNode(Existing);
    }
    OldParent = Node->Parent;
    LfspReferenceNode(OldParent);
    Status = LfspRenameNode(Node, NewParent, &NewName);
    if (NT_SUCCESS(Status)) {
        Node->ChangeTime = LfspNow();
        LfspTouchDirectory(OldParent);
        if (NewParent != OldParent) {
            LfspTouchDirectory(NewParent);
        }
    }
    LfspDereferenceNode(OldParent);
    return Status;
}

static NTSTATUS LfspSetFileInformation(PLFS_VCB Vcb, PIO_STACK_LOCATION IrpSp,
                                       PFILE_OBJECT FileObject, PLFS_FCB Fcb, PLFS_CCB Ccb,
                                       PVOID Buffer)
{
    ULONG Length = IrpSp->Parameters.SetFile.Length;
    FILE_INFORMATION_CLASS Class = IrpSp->Parameters.SetFile.FileInformationClass;
    PLFS_NODE Node = Fcb->Node;
    ULONGLONG OldSize;

    if (Node == NULL) {
        /* The volume: only the handle's own position can be set. */
        if (Class != FilePositionInformation) {
            return STATUS_INVALID_PARAMETER;
        }
    }

    switch (Class) {
    case FileBasicInformation:
        if (Length < sizeof(FILE_BASIC_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        return LfspSetBasic(Node, (const FILE_BASIC_INFORMATION *)Buffer);

    case FilePositionInformation: {
        const FILE_POSITION_INFORMATION *Position = (const FILE_POSITION_INFORMATION *)Buffer;
        if (Length < sizeof(FILE_POSITION_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        if (Position->CurrentByteOffset.QuadPart < 0 ||
            (FlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING) &&
             (Position->CurrentByteOffset.QuadPart % LFS_SECTOR_SIZE) != 0)) {
            return STATUS_INVALID_PARAMETER;
        }
        FileObject->CurrentByteOffset = Position->CurrentByteOffset;
        return STATUS_SUCCESS;
    }

    case FileEndOfFileInformation: {
        const FILE_END_OF_FILE_INFORMATION *EndOfFile =
            (const FILE_END_OF_FILE_INFORMATION *)Buffer;
        NTSTATUS Status;

        if (Length < sizeof(FILE_END_OF_FILE_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        if (Node->IsDirectory || EndOfFile->EndOfFile.QuadPart < 0) {
            return STATUS_INVALID_PARAMETER;
        }
        if (IrpSp->Parameters.SetFile.AdvanceOnly) {
            /* The lazy writer advancing valid data: nothing to do here. */
            return STATUS_SUCCESS;
        }
        if ((ULONGLONG)EndOfFile->EndOfFile.QuadPart == Node->FileSize) {
            return STATUS_SUCCESS;
        }
        OldSize = Node->FileSize;
        Status = LfspSetFileSize(Node, (ULONGLONG)EndOfFile->EndOfFile.QuadPart);
        if (NT_SUCCESS(Status)) {
            LARGE_INTEGER Now = LfspNow();
            Node->LastWriteTime = Now;
            Node->ChangeTime = Now;
            Node->FileAttributes |= FILE_ATTRIBUTE_ARCHIVE;
            /* The cache learns the new end (a truncation drops its pages past it). */
            LfspNotifyCacheSizes(FileObject, Fcb, OldSize);
        }
        return Status;
    }

    case FileAllocationInformation: {
        const FILE_ALLOCATION_INFORMATION *Allocation =
            (const FILE_ALLOCATION_INFORMATION *)Buffer;

        if (Length < sizeof(FILE_ALLOCATION_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        if (Node->IsDirectory || Allocation->AllocationSize.QuadPart < 0) {
            return STATUS_INVALID_PARAMETER;
        }
        if ((ULONGLONG)Allocation->AllocationSize.QuadPart > LFS_MAX_FILE_SIZE) {
            return STATUS_DISK_FULL;
        }
        if ((ULONGLONG)Allocation->AllocationSize.QuadPart < Node->FileSize) {
            LARGE_INTEGER Now = LfspNow();
            Node->LastWriteTime = Now;
            Node->ChangeTime = Now;
        }
        OldSize = Node->FileSize;
        LfspSetAllocationSize(Node, (ULONGLONG)Allocation->AllocationSize.QuadPart);
        LfspNotifyCacheSizes(FileObject, Fcb, OldSize);
        return STATUS_SUCCESS;
    }

    case FileValidDataLengthInformation: {
        const FILE_VALID_DATA_LENGTH_INFORMATION *Valid =
            (const FILE_VALID_DATA_LENGTH_INFORMATION *)Buffer;

        if (Length < sizeof(FILE_VALID_DATA_LENGTH_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        if (Node->IsDirectory || Valid->ValidDataLength.QuadPart < 0 ||
            (ULONGLONG)Valid->ValidDataLength.QuadPart > Node->FileSize) {
            return STATUS_INVALID_PARAMETER;
        }
        return STATUS_SUCCESS;
    }

    case FileDispositionInformation:
        if (Length < sizeof(FILE_DISPOSITION_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        return LfspSetDisposition(FileObject, Node, Ccb,
                                  ((const FILE_DISPOSITION_INFORMATION *)Buffer)->DeleteFile
                                      ? FILE_DISPOSITION_DELETE
                                      : FILE_DISPOSITION_DO_NOT_DELETE);

    case FileDispositionInformationEx:
        if (Length < sizeof(FILE_DISPOSITION_INFORMATION_EX)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        return LfspSetDisposition(FileObject, Node, Ccb,
                                  ((const FILE_DISPOSITION_INFORMATION_EX *)Buffer)->Flags);

    case FileRenameInformation:
    case FileRenameInformationEx:
        return LfspSetRename(Vcb, IrpSp, Node, (const FILE_RENAME_INFORMATION *)Buffer, Length,
                             (BOOLEAN)(Class == FileRenameInformationEx));

    case FileLinkInformation:
        /* Hard links are not supported by this volume. */
        return STATUS_NOT_SUPPORTED;

    default:
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS LfsFsdSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    NTSTATUS Status;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (Irp->AssociatedIrp.SystemBuffer == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_USER_BUFFER, 0);
    }
    LfspAcquireVcbExclusive(Vcb);
    LfspAcquireFcbExclusive(Fcb);
    Status = LfspSetFileInformation(Vcb, IrpSp, IrpSp->FileObject, Fcb, Ccb,
                                    Irp->AssociatedIrp.SystemBuffer);
    LfspReleaseFcb(Fcb);
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, Status, 0);
}

/* --- volume information -------------------------------------------------- */

/* Copies a trailing name; STATUS_BUFFER_OVERFLOW when cut short. */
static NTSTATUS LfspCopyTrailingName(PVOID Destination, ULONG Room, const WCHAR *Name,
                                     ULONG NameLength, ULONG *Copied)
{
    if (NameLength <= Room) {
        RtlCopyMemory(Destination, Name, NameLength);
        *Copied = NameLength;
        return STATUS_SUCCESS;
    }
    RtlCopyMemory(Destination, Name, Room);
    *Copied = Room;
    return STATUS_BUFFER_OVERFLOW;
}

static NTSTATUS LfspQueryVolume(PLFS_VCB Vcb, FS_INFORMATION_CLASS Class, PVOID Buffer,
                                ULONG Length, ULONG_PTR *Information)
{
    ULONGLONG Used;
    ULONGLONG Free;
    ULONG Copied;
    NTSTATUS Status = STATUS_SUCCESS;

    switch (Class) {
    case FileFsVolumeInformation: {
        PFILE_FS_VOLUME_INFORMATION Volume = (PFILE_FS_VOLUME_INFORMATION)Buffer;
        ULONG Offset = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel);

        if (Length < Offset) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        RtlZeroMemory(Volume, Offset);
        Volume->VolumeCreationTime = Vcb->CreationTime;
        Volume->VolumeSerialNumber = Vcb->SerialNumber;
        Volume->VolumeLabelLength = Vcb->Vpb->VolumeLabelLength;
        Volume->SupportsObjects = FALSE;
        Status = LfspCopyTrailingName(Volume->VolumeLabel, Length - Offset,
                                      Vcb->Vpb->VolumeLabel, Vcb->Vpb->VolumeLabelLength,
                                      &Copied);
        *Information = Offset + Copied;
        return Status;
    }

    case FileFsSizeInformation: {
        PFILE_FS_SIZE_INFORMATION Size = (PFILE_FS_SIZE_INFORMATION)Buffer;

        if (Length < sizeof(FILE_FS_SIZE_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Used = LfspUsedClusters(Vcb);
        Free = Used < LFS_TOTAL_CLUSTERS ? LFS_TOTAL_CLUSTERS - Used : 0;
        Size->TotalAllocationUnits.QuadPart = (LONGLONG)LFS_TOTAL_CLUSTERS;
        Size->AvailableAllocationUnits.QuadPart = (LONGLONG)Free;
        Size->SectorsPerAllocationUnit = LFS_SECTORS_PER_CLUSTER;
        Size->BytesPerSector = LFS_SECTOR_SIZE;
        *Information = sizeof(FILE_FS_SIZE_INFORMATION);
        return STATUS_SUCCESS;
    }

    case FileFsFullSizeInformation: {
        PFILE_FS_FULL_SIZE_INFORMATION Size = (PFILE_FS_FULL_SIZE_INFORMATION)Buffer;

        if (Length < sizeof(FILE_FS_FULL_SIZE_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Used = LfspUsedClusters(Vcb);
        Free = Used < LFS_TOTAL_CLUSTERS ? LFS_TOTAL_CLUSTERS - Used : 0;
        Size->TotalAllocationUnits.QuadPart = (LONGLONG)LFS_TOTAL_CLUSTERS;
        Size->CallerAvailableAllocationUnits.QuadPart = (LONGLONG)Free;
        Size->ActualAvailableAllocationUnits.QuadPart = (LONGLONG)Free;
        Size->SectorsPerAllocationUnit = LFS_SECTORS_PER_CLUSTER;
        Size->BytesPerSector = LFS_SECTOR_SIZE;
        *Information = sizeof(FILE_FS_FULL_SIZE_INFORMATION);
        return STATUS_SUCCESS;
    }

    case FileFsDeviceInformation: {
        PFILE_FS_DEVICE_INFORMATION Device = (PFILE_FS_DEVICE_INFORMATION)Buffer;

        if (Length < sizeof(FILE_FS_DEVICE_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Device->DeviceType = FILE_DEVICE_DISK;
        Device->Characteristics = Vcb->StorageDevice->Characteristics;
        *Information = sizeof(FILE_FS_DEVICE_INFORMATION);
        return STATUS_SUCCESS;
    }

    case FileFsAttributeInformation: {
        static const WCHAR Name[] = L"NTFS";
        PFILE_FS_ATTRIBUTE_INFORMATION Attribute = (PFILE_FS_ATTRIBUTE_INFORMATION)Buffer;
        ULONG Offset = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);

        if (Length < Offset) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Attribute->FileSystemAttributes = FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES |
                                          FILE_UNICODE_ON_DISK | FILE_PERSISTENT_ACLS;
        Attribute->MaximumComponentNameLength = LFS_MAX_COMPONENT;
        Attribute->FileSystemNameLength = (ULONG)(sizeof(Name) - sizeof(WCHAR));
        Status = LfspCopyTrailingName(Attribute->FileSystemName, Length - Offset, Name,
                                      (ULONG)(sizeof(Name) - sizeof(WCHAR)), &Copied);
        *Information = Offset + Copied;
        return Status;
    }

    case FileFsSectorSizeInformation: {
        PFILE_FS_SECTOR_SIZE_INFORMATION Sector = (PFILE_FS_SECTOR_SIZE_INFORMATION)Buffer;

        if (Length < sizeof(FILE_FS_SECTOR_SIZE_INFORMATION)) {
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Sector->LogicalBytesPerSector = LFS_SECTOR_SIZE;
        Sector->PhysicalBytesPerSectorForAtomicity = LFS_SECTOR_SIZE;
        Sector->PhysicalBytesPerSectorForPerformance = LFS_SECTOR_SIZE;
        Sector->FileSystemEffectivePhysicalBytesPerSectorForAtomicity = LFS_SECTOR_SIZE;
        Sector->Flags = SSINFO_FLAGS_ALIGNED_DEVICE | SSINFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE;
        Sector->ByteOffsetForSectorAlignment = 0;
        Sector->ByteOffsetForPartitionAlignment = 0;
        *Information = sizeof(FILE_FS_SECTOR_SIZE_INFORMATION);
        return STATUS_SUCCESS;
    }

    default:
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS LfsFsdQueryVolumeInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb) == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    if (Irp->AssociatedIrp.SystemBuffer == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_USER_BUFFER, 0);
    }
    LfspAcquireVcbShared(Vcb);
    Status = LfspQueryVolume(Vcb, IrpSp->Parameters.QueryVolume.FsInformationClass,
                             Irp->AssociatedIrp.SystemBuffer, IrpSp->Parameters.QueryVolume.Length,
                             &Information);
    LfspReleaseVcb(Vcb);
    if (NT_ERROR(Status)) {
        Information = 0;
    }
    return LfspCompleteRequest(Irp, Status, Information);
}
