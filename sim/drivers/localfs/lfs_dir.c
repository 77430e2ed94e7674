/*
 * lfs_dir.c - localfs: IRP_MJ_DIRECTORY_CONTROL (IRP_MN_QUERY_DIRECTORY;
 * change notification is not supported yet).
 *
 * Enumeration, as NTFS does it:
 *  - the search expression (Parameters.QueryDirectory.FileName) is captured
 *    upcased on the first query of a handle and used by every later one
 *    (later FileNames are ignored); no expression means "*";
 *  - "." and ".." come first in every directory but the root, then the
 *    children in upcased-name order; the handle resumes after the last name
 *    it returned, so entries created or deleted meanwhile are seen or not
 *    according to their place in that order;
 *  - SL_RESTART_SCAN starts again from the beginning; SL_INDEX_SPECIFIED
 *    starts after skipping FileIndex entries of the full listing (NTFS
 *    reports FileIndex 0, so this is only approximate);
 *    SL_RETURN_SINGLE_ENTRY returns at most one entry;
 *  - entries start on 8-byte boundaries; Information is the end of the last
 *    entry's name;
 *  - the first query of a scan that matches nothing fails with
 *    STATUS_NO_SUCH_FILE, a later one that finds nothing more with
 *    STATUS_NO_MORE_FILES;
 *  - if the first entry of a call does not fit, its fixed part and as much
 *    of its name as fits are returned with STATUS_BUFFER_OVERFLOW (the entry
 *    is not consumed); a buffer smaller than the fixed part fails with
 *    STATUS_INFO_LENGTH_MISMATCH;
 *  - no 8.3 names are generated (ShortNameLength 0), EaSize is 0, FileId is
 *    the file reference number.
 * The entries are built in a pool buffer and copied to Irp->UserBuffer (or
 * the MDL's system address) in one guarded copy.
 */
#include "lfsp.h"

#define LFS_DIRECTORY_BUFFER_LIMIT (1024u * 1024u)

/* What one entry describes: its name and the node its values come from. */
typedef struct _LFS_DIR_ENTRY {
    UNICODE_STRING Name;
    PLFS_NODE Node;
} LFS_DIR_ENTRY;

static ULONG LfspAlign8(ULONG Value)
{
    return (Value + 7u) & ~7u;
}

/* Offset of FileName in the class's structure, 0 for an unsupported class. */
static ULONG LfspDirectoryNameOffset(FILE_INFORMATION_CLASS Class)
{
    switch (Class) {
    case FileDirectoryInformation:
        return FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName);
    case FileFullDirectoryInformation:
        return FIELD_OFFSET(FILE_FULL_DIR_INFORMATION, FileName);
    case FileBothDirectoryInformation:
        return FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName);
    case FileIdBothDirectoryInformation:
        return FIELD_OFFSET(FILE_ID_BOTH_DIR_INFORMATION, FileName);
    case FileIdFullDirectoryInformation:
        return FIELD_OFFSET(FILE_ID_FULL_DIR_INFORMATION, FileName);
    case FileNamesInformation:
        return FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName);
    case FileIdExtdDirectoryInformation:
        return FIELD_OFFSET(FILE_ID_EXTD_DIR_INFORMATION, FileName);
    default:
        return 0;
    }
}

/*
 * Writes the fixed part of Entry (all fields but the name) at Out;
 * NextEntryOffset 0.  Out has room for NameOffset bytes.
 */
static void LfspFillDirectoryEntry(FILE_INFORMATION_CLASS Class, PUCHAR Out, ULONG NameOffset,
                                   const LFS_DIR_ENTRY *Entry)
{
    PLFS_NODE Node = Entry->Node;
    LARGE_INTEGER EndOfFile;
    LARGE_INTEGER AllocationSize;
    LARGE_INTEGER FileId;
    ULONG Attributes = LfspReportedAttributes(Node);
    ULONG Index;

    EndOfFile.QuadPart = Node->IsDirectory ? 0 : (LONGLONG)Node->FileSize;
    AllocationSize.QuadPart = Node->IsDirectory ? 0 : (LONGLONG)Node->AllocationSize;
    FileId.QuadPart = (LONGLONG)Node->FileId;
    RtlZeroMemory(Out, NameOffset);

    switch (Class) {
    case FileDirectoryInformation: {
        PFILE_DIRECTORY_INFORMATION Info = (PFILE_DIRECTORY_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        break;
    }
    case FileFullDirectoryInformation: {
        PFILE_FULL_DIR_INFORMATION Info = (PFILE_FULL_DIR_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        Info->EaSize = 0;
        break;
    }
    case FileBothDirectoryInformation: {
        PFILE_BOTH_DIR_INFORMATION Info = (PFILE_BOTH_DIR_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        Info->EaSize = 0;
        Info->ShortNameLength = 0;
        break;
    }
    case FileIdBothDirectoryInformation: {
        PFILE_ID_BOTH_DIR_INFORMATION Info = (PFILE_ID_BOTH_DIR_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        Info->EaSize = 0;
        Info->ShortNameLength = 0;
        Info->FileId = FileId;
        break;
    }
    case FileIdFullDirectoryInformation: {
        PFILE_ID_FULL_DIR_INFORMATION Info = (PFILE_ID_FULL_DIR_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        Info->EaSize = 0;
        Info->FileId = FileId;
        break;
    }
    case FileIdExtdDirectoryInformation: {
        PFILE_ID_EXTD_DIR_INFORMATION Info = (PFILE_ID_EXTD_DIR_INFORMATION)Out;
        Info->CreationTime = Node->CreationTime;
        Info->LastAccessTime = Node->LastAccessTime;
        Info->LastWriteTime = Node->LastWriteTime;
        Info->ChangeTime = Node->ChangeTime;
        Info->EndOfFile = EndOfFile;
        Info->AllocationSize = AllocationSize;
        Info->FileAttributes = Attributes;
        Info->FileNameLength = Entry->Name.Length;
        Info->EaSize = 0;
        Info->ReparsePointTag = 0;
        for (Index = 0; Index < 8; Index++) {
            Info->FileId.Identifier[Index] = (UCHAR)(Node->FileId >> (8 * Index));
        }
        break;
    }
    case FileNamesInformation: {
        PFILE_NAMES_INFORMATION Info = (PFILE_NAMES_INFORMATION)Out;
        Info->FileNameLength = Entry->Name.Length;
        break;
    }
    default:
        break;
    }
}

/* Captures the search expression, upcased, into the CCB. */
static NTSTATUS LfspCapturePattern(PLFS_CCB Ccb, PUNICODE_STRING FileName)
{
    USHORT Count;
    USHORT Index;
    PWCHAR Buffer;

    Ccb->EnumStarted = TRUE;
    if (FileName == NULL || FileName->Length == 0 || FileName->Buffer == NULL) {
        return STATUS_SUCCESS;
    }
    Count = FileName->Length / sizeof(WCHAR);
    if (Count == 1 && FileName->Buffer[0] == L'*') {
        return STATUS_SUCCESS;
    }
    Buffer = ExAllocatePoolWithTag(PagedPool, (SIZE_T)Count * sizeof(WCHAR), LFS_TAG_CCB);
    if (Buffer == NULL) {
        Ccb->EnumStarted = FALSE;
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (Index = 0; Index < Count; Index++) {
        Buffer[Index] = LfspUpcase(FileName->Buffer[Index]);
    }
    Ccb->Pattern.Buffer = Buffer;
    Ccb->Pattern.Length = (USHORT)(Count * sizeof(WCHAR));
    Ccb->Pattern.MaximumLength = Ccb->Pattern.Length;
    return STATUS_SUCCESS;
}

static BOOLEAN LfspMatches(PLFS_CCB Ccb, PCUNICODE_STRING Name)
{
    if (Ccb->Pattern.Length == 0) {
        return TRUE;
    }
    return FsRtlIsNameInExpression(&Ccb->Pattern, (PUNICODE_STRING)Name, TRUE, NULL);
}

/* Where a scan stands: a phase and, in phase 2, the last child returned. */
typedef struct _LFS_SCAN_POSITION {
    UCHAR Phase;
    BOOLEAN HaveLast;
    UNICODE_STRING Last;          /* points at a node name or the CCB's copy */
} LFS_SCAN_POSITION;

/*
 * The entry after Position in Directory's full listing ("." and ".." first
 * unless Directory is the root); FALSE at the end.  Position is advanced.
 */
static BOOLEAN LfspNextEntry(PLFS_NODE Directory, LFS_SCAN_POSITION *Position,
                             LFS_DIR_ENTRY *Entry)
{
    static WCHAR Dot[] = L".";
    static WCHAR DotDot[] = L"..";
    ULONG Index;
    BOOLEAN Found;

    if (Position->Phase == 0) {
        Position->Phase = 1;
        if (!Directory->IsRoot) {
            Entry->Name.Buffer = Dot;
            Entry->Name.Length = sizeof(WCHAR);
            Entry->Name.MaximumLength = sizeof(WCHAR);
            Entry->Node = Directory;
            return TRUE;
        }
    }
    if (Position->Phase == 1) {
        Position->Phase = 2;
        Position->HaveLast = FALSE;
        if (!Directory->IsRoot) {
            Entry->Name.Buffer = DotDot;
            Entry->Name.Length = 2 * sizeof(WCHAR);
            Entry->Name.MaximumLength = 2 * sizeof(WCHAR);
            Entry->Node = Directory->Parent != NULL ? Directory->Parent : Directory;
            return TRUE;
        }
    }
    if (!Position->HaveLast) {
        Index = 0;
    } else {
        Index = LfspFindChildPosition(Directory, &Position->Last, &Found);
        if (Found) {
            Index++;
        }
    }
    if (Index >= Directory->ChildCount) {
        return FALSE;
    }
    Entry->Node = Directory->Children[Index];
    Entry->Name = Entry->Node->Name;
    Position->HaveLast = TRUE;
    Position->Last = Entry->Node->UpcaseName;
    return TRUE;
}

/* Saves the scan position in the CCB (copying the last name). */
static NTSTATUS LfspSavePosition(PLFS_CCB Ccb, const LFS_SCAN_POSITION *Position)
{
    Ccb->EnumPhase = Position->Phase;
    if (!Position->HaveLast) {
        Ccb->HaveLastName = FALSE;
        return STATUS_SUCCESS;
    }
    if (Position->Last.Buffer == Ccb->LastName.Buffer) {
        Ccb->HaveLastName = TRUE;
        return STATUS_SUCCESS;
    }
    if (Ccb->LastName.MaximumLength < Position->Last.Length) {
        PWCHAR Buffer = ExAllocatePoolWithTag(PagedPool, LFS_MAX_COMPONENT * sizeof(WCHAR),
                                              LFS_TAG_CCB);
        if (Buffer == NULL) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (Ccb->LastName.Buffer != NULL) {
            ExFreePoolWithTag(Ccb->LastName.Buffer, LFS_TAG_CCB);
        }
        Ccb->LastName.Buffer = Buffer;
        Ccb->LastName.MaximumLength = (USHORT)(LFS_MAX_COMPONENT * sizeof(WCHAR));
    }
    RtlCopyMemory(Ccb->LastName.Buffer, Position->Last.Buffer, Position->Last.Length);
    Ccb->LastName.Length = Position->Last.Length;
    Ccb->HaveLastName = TRUE;
    return STATUS_SUCCESS;
}

static NTSTATUS LfspQueryDirectory(PLFS_NODE Directory, PLFS_CCB Ccb,
                                   PIO_STACK_LOCATION IrpSp, PUCHAR Out, ULONG Length,
                                   ULONG_PTR *Information)
{
    FILE_INFORMATION_CLASS Class = IrpSp->Parameters.QueryDirectory.FileInformationClass;
    ULONG NameOffset = LfspDirectoryNameOffset(Class);
    BOOLEAN Restart = BooleanFlagOn(IrpSp->Flags, SL_RESTART_SCAN);
    BOOLEAN Single = BooleanFlagOn(IrpSp->Flags, SL_RETURN_SINGLE_ENTRY);
    BOOLEAN FirstQuery = FALSE;
    LFS_SCAN_POSITION Position;
    LFS_SCAN_POSITION Before;
    LFS_DIR_ENTRY Entry;
    ULONG Offset = 0;
    ULONG LastEntry = 0;
    ULONG Returned = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    *Information = 0;
    if (NameOffset == 0) {
        return STATUS_INVALID_INFO_CLASS;
    }
    if (Length < NameOffset) {
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    if (!Ccb->EnumStarted) {
        Status = LfspCapturePattern(Ccb, (PUNICODE_STRING)IrpSp->Parameters.QueryDirectory.FileName);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Restart = TRUE;
    }
    if (Restart || FlagOn(IrpSp->Flags, SL_INDEX_SPECIFIED)) {
        FirstQuery = TRUE;
        Position.Phase = 0;
        Position.HaveLast = FALSE;
        RtlZeroMemory(&Position.Last, sizeof(Position.Last));
        if (!Restart && FlagOn(IrpSp->Flags, SL_INDEX_SPECIFIED)) {
            ULONG Skip = IrpSp->Parameters.QueryDirectory.FileIndex;
            while (Skip-- > 0 && LfspNextEntry(Directory, &Position, &Entry)) {
            }
        }
    } else {
        Position.Phase = Ccb->EnumPhase;
        Position.HaveLast = Ccb->HaveLastName;
        Position.Last = Ccb->LastName;
    }

    for (;;) {
        ULONG EntryLength;
        ULONG Start;

        Before = Position;
        if (!LfspNextEntry(Directory, &Position, &Entry)) {
            break;
        }
        if (!LfspMatches(Ccb, &Entry.Name)) {
            continue;
        }
        Start = Returned == 0 ? 0 : LfspAlign8(Offset);
        EntryLength = NameOffset + Entry.Name.Length;
        if (Start + EntryLength > Length || Start + EntryLength < Start) {
            if (Returned == 0) {
                /* Not even this entry fits: its fixed part and part of its name. */
                LfspFillDirectoryEntry(Class, Out, NameOffset, &Entry);
                RtlCopyMemory(Out + NameOffset, Entry.Name.Buffer, Length - NameOffset);
                *Information = Length;
                Status = STATUS_BUFFER_OVERFLOW;
            }
            Position = Before;
            break;
        }
        if (Returned != 0) {
            /* Chain the previous entry to this one. */
            *(PULONG)(Out + LastEntry) = Start - LastEntry;
        }
        LfspFillDirectoryEntry(Class, Out + Start, NameOffset, &Entry);
        RtlCopyMemory(Out + Start + NameOffset, Entry.Name.Buffer, Entry.Name.Length);
        LastEntry = Start;
        Offset = Start + EntryLength;
        Returned++;
        if (Single) {
            break;
        }
    }

    if (Status == STATUS_BUFFER_OVERFLOW) {
        /* Keep the position: the entry was not returned. */
    } else if (Returned == 0) {
        Status = FirstQuery ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
    } else {
        *Information = Offset;
        Status = STATUS_SUCCESS;
    }
    /* Position points into node names: save a private copy. */
    if (Status == STATUS_SUCCESS || Status == STATUS_NO_MORE_FILES ||
        Status == STATUS_NO_SUCH_FILE || Status == STATUS_BUFFER_OVERFLOW) {
        NTSTATUS SaveStatus = LfspSavePosition(Ccb, &Position);
        if (!NT_SUCCESS(SaveStatus)) {
            *Information = 0;
            return SaveStatus;
        }
    }
    return Status;
}

NTSTATUS LfsFsdDirectoryControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    ULONG Length;
    PUCHAR Temporary;
    PVOID Buffer;
    BOOLEAN UserAddress;
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
    if (IrpSp->MinorFunction == IRP_MN_NOTIFY_CHANGE_DIRECTORY) {
        return LfspCompleteRequest(Irp, STATUS_NOT_SUPPORTED, 0);
    }
    if (IrpSp->MinorFunction != IRP_MN_QUERY_DIRECTORY) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if (Type != LfsOpenDirectory) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    Length = IrpSp->Parameters.QueryDirectory.Length;
    if (Length > LFS_DIRECTORY_BUFFER_LIMIT) {
        Length = LFS_DIRECTORY_BUFFER_LIMIT;
    }
    Status = LfspGetRequestBuffer(Irp, &Buffer, &UserAddress);
    if (!NT_SUCCESS(Status)) {
        return LfspCompleteRequest(Irp, Status, 0);
    }
    Temporary = ExAllocatePoolWithTag(PagedPool, Length != 0 ? Length : 1, LFS_TAG_TEMP);
    if (Temporary == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    }
    LfspAcquireVcbExclusive(Vcb);
    Status = LfspQueryDirectory(Fcb->Node, Ccb, IrpSp, Temporary, Length, &Information);
    LfspReleaseVcb(Vcb);
    if (Information != 0) {
        NTSTATUS CopyStatus = LfspCopyToRequestBuffer(Buffer, UserAddress,
                                                      IrpSp->Parameters.QueryDirectory.Length,
                                                      Temporary, Information);
        if (!NT_SUCCESS(CopyStatus)) {
            Status = CopyStatus;
            Information = 0;
        }
    }
    ExFreePoolWithTag(Temporary, LFS_TAG_TEMP);
    return LfspCompleteRequest(Irp, Status, Information);
}
