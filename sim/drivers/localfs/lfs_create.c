/*
 * lfs_create.c - localfs: IRP_MJ_CREATE, IRP_MJ_CLEANUP and IRP_MJ_CLOSE
 * (name resolution, dispositions, share access, delete on close, FCB/CCB
 * lifetime).
 *
 * IRP_MJ_CREATE: FileObject->FileName is relative to the volume root
 * ("\docs\a.txt", "\" for the root, empty for the volume itself) or, with a
 * RelatedFileObject, relative to that directory.  Parameters.Create.Options
 * carries the disposition in its high byte and the create options in the
 * low 24 bits.  Results and errors follow NTFS:
 *   existing file  FILE_CREATE -> STATUS_OBJECT_NAME_COLLISION; a delete-
 *                  pending file -> STATUS_DELETE_PENDING; FILE_OPEN(_IF) ->
 *                  FILE_OPENED; FILE_OVERWRITE(_IF) -> FILE_OVERWRITTEN and
 *                  FILE_SUPERSEDE -> FILE_SUPERSEDED (data truncated, the new
 *                  attributes | ARCHIVE; a hidden or system file must be
 *                  overwritten with those attributes, else
 *                  STATUS_ACCESS_DENIED);
 *   missing file   FILE_OPEN / FILE_OVERWRITE -> STATUS_OBJECT_NAME_NOT_FOUND,
 *                  the others create it (FILE_CREATED); a missing or non-
 *                  directory intermediate component ->
 *                  STATUS_OBJECT_PATH_NOT_FOUND;
 *   kinds          FILE_DIRECTORY_FILE on a file -> STATUS_NOT_A_DIRECTORY,
 *                  FILE_NON_DIRECTORY_FILE on a directory ->
 *                  STATUS_FILE_IS_A_DIRECTORY; a directory cannot be
 *                  overwritten (STATUS_OBJECT_NAME_COLLISION); a trailing
 *                  backslash names a directory;
 *   read-only      a read-only file opened for FILE_WRITE_DATA /
 *                  FILE_APPEND_DATA or overwritten -> STATUS_ACCESS_DENIED,
 *                  with FILE_DELETE_ON_CLOSE -> STATUS_CANNOT_DELETE;
 *   sharing        IoCheckShareAccess against the other opens ->
 *                  STATUS_SHARING_VIOLATION (an overwrite also needs write
 *                  sharing, a supersede delete sharing);
 *   names          empty components, "." / "..", wildcards, control and
 *                  reserved characters, more than 255 characters, or a
 *                  stream other than "::$DATA" -> STATUS_OBJECT_NAME_INVALID.
 * SL_OPEN_TARGET_DIRECTORY opens the parent directory, replaces
 * FileObject->FileName by the final component and reports FILE_EXISTS or
 * FILE_DOES_NOT_EXIST (the first half of a rename).  No access check is made
 * against the security descriptors; MAXIMUM_ALLOWED is granted
 * FILE_ALL_ACCESS (without write access to a read-only file).
 *
 * IRP_MJ_CLEANUP (last handle of a file object closed): removes the share
 * access, turns a delete-on-close handle into delete pending, and when the
 * file's last handle is cleaned up deletes a delete-pending file (a POSIX-
 * semantics disposition deletes it at this handle's cleanup already); then
 * CcUninitializeCacheMap for the file object (the stream's last one writes
 * its dirty data back; a deleted file's cache is dropped instead).  Opens
 * of files (not of directories or the volume) without
 * FILE_NO_INTERMEDIATE_BUFFERING get FO_CACHE_SUPPORTED; overwriting a file
 * that other handles cache truncates their cache too.
 *
 * IRP_MJ_CLOSE (last reference): frees the CCB (uninitializing the cache
 * map of a file object that never saw a cleanup); the last close of a file
 * frees the FCB (and a deleted file's node).
 */
#include "lfsp.h"

#ifndef FO_DELETE_ON_CLOSE
#define FO_DELETE_ON_CLOSE 0x00010000
#endif

typedef struct _LFS_CREATE_REQUEST {
    PLFS_VCB Vcb;
    PIRP Irp;
    PIO_STACK_LOCATION IrpSp;
    PFILE_OBJECT FileObject;
    ULONG Disposition;
    ULONG Options;
    USHORT ShareAccess;
    ULONG FileAttributes;
    ACCESS_MASK DesiredAccess;
    BOOLEAN DirectoryFile;
    BOOLEAN NonDirectoryFile;
    BOOLEAN DeleteOnClose;
    BOOLEAN TrailingBackslash;
    BOOLEAN OpenTarget;
} LFS_CREATE_REQUEST, *PLFS_CREATE_REQUEST;

/* Generic rights to file rights; MAXIMUM_ALLOWED to everything permitted. */
static ACCESS_MASK LfspGrantedAccess(ACCESS_MASK Desired, BOOLEAN ReadOnlyFile)
{
    ACCESS_MASK Granted = Desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE |
                                      GENERIC_ALL | MAXIMUM_ALLOWED);

    if (Desired & GENERIC_READ) {
        Granted |= FILE_GENERIC_READ;
    }
    if (Desired & GENERIC_WRITE) {
        Granted |= FILE_GENERIC_WRITE;
    }
    if (Desired & GENERIC_EXECUTE) {
        Granted |= FILE_GENERIC_EXECUTE;
    }
    if (Desired & GENERIC_ALL) {
        Granted |= FILE_ALL_ACCESS;
    }
    if (Desired & MAXIMUM_ALLOWED) {
        ACCESS_MASK Maximum = FILE_ALL_ACCESS;
        if (ReadOnlyFile) {
            Maximum &= ~(FILE_WRITE_DATA | FILE_APPEND_DATA);
        }
        Granted |= Maximum;
    }
    return Granted;
}

static BOOLEAN LfspIsOverwrite(ULONG Disposition)
{
    return (BOOLEAN)(Disposition == FILE_SUPERSEDE || Disposition == FILE_OVERWRITE ||
                     Disposition == FILE_OVERWRITE_IF);
}

/* Attributes for a new or overwritten file from the create's FileAttributes. */
static ULONG LfspNewAttributes(ULONG Requested, BOOLEAN Directory)
{
    ULONG Attributes = Requested & LFS_SETTABLE_ATTRIBUTES;

    if (Directory) {
        return Attributes & ~FILE_ATTRIBUTE_TEMPORARY;
    }
    return Attributes | FILE_ATTRIBUTE_ARCHIVE;
}

/*
 * Attaches a new open of Fcb to the request's file object: share access,
 * CCB, FsContext/FsContext2.  On failure nothing is left behind (an FCB the
 * caller created for this open is deleted).
 */
static NTSTATUS LfspAttachOpen(PLFS_CREATE_REQUEST Request, PLFS_FCB Fcb, BOOLEAN NewFcb,
                               ACCESS_MASK Granted, ACCESS_MASK ShareCheckAccess)
{
    PFILE_OBJECT FileObject = Request->FileObject;
    PLFS_CCB Ccb;
    NTSTATUS Status;

    if (Fcb->CleanupCount == 0) {
        IoSetShareAccess(ShareCheckAccess, Request->ShareAccess, FileObject, &Fcb->ShareAccess);
    } else {
        Status = IoCheckShareAccess(ShareCheckAccess, Request->ShareAccess, FileObject,
                                    &Fcb->ShareAccess, TRUE);
        if (!NT_SUCCESS(Status)) {
            if (NewFcb) {
                LfspDeleteFcb(Fcb);
            }
            return Status;
        }
    }
    Status = LfspCreateCcb(Request->Vcb, &Ccb);
    if (!NT_SUCCESS(Status)) {
        IoRemoveShareAccess(FileObject, &Fcb->ShareAccess);
        if (NewFcb) {
            LfspDeleteFcb(Fcb);
        }
        return Status;
    }
    Ccb->GrantedAccess = Granted;
    Ccb->DeleteOnClose = Request->DeleteOnClose;
    Fcb->OpenCount++;
    Fcb->CleanupCount++;
    FileObject->FsContext = Fcb;
    FileObject->FsContext2 = Ccb;
    FileObject->Vpb = Request->Vcb->Vpb;
    FileObject->SectionObjectPointer = &Fcb->SectionObjectPointers;
    if (Fcb->Node != NULL && !Fcb->Node->IsDirectory &&
        !FlagOn(FileObject->Flags, FO_NO_INTERMEDIATE_BUFFERING)) {
        /* Reads and writes of this handle may go through the cache. */
        FileObject->Flags |= FO_CACHE_SUPPORTED;
    }
    if (Request->DeleteOnClose) {
        FileObject->Flags |= FO_DELETE_ON_CLOSE;
    }
    return STATUS_SUCCESS;
}

/* Opens (or overwrites) an existing node. */
static NTSTATUS LfspOpenExisting(PLFS_CREATE_REQUEST Request, PLFS_NODE Node,
                                 ULONG_PTR *Information)
{
    ULONG Disposition = Request->Disposition;
    BOOLEAN ReadOnlyFile = (BOOLEAN)(!Node->IsDirectory &&
                                     FlagOn(Node->FileAttributes, FILE_ATTRIBUTE_READONLY));
    BOOLEAN Overwrite = LfspIsOverwrite(Disposition);
    ACCESS_MASK Granted;
    ACCESS_MASK ShareCheckAccess;
    PLFS_FCB Fcb = Node->Fcb;
    BOOLEAN NewFcb = FALSE;
    NTSTATUS Status;

    if (Node->DeletePending) {
        return STATUS_DELETE_PENDING;
    }
    if (Disposition == FILE_CREATE) {
        return STATUS_OBJECT_NAME_COLLISION;
    }
    if (Node->IsDirectory) {
        if (Request->NonDirectoryFile) {
            return STATUS_FILE_IS_A_DIRECTORY;
        }
        if (Overwrite) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
    } else {
        if (Request->DirectoryFile) {
            return STATUS_NOT_A_DIRECTORY;
        }
        if (Request->TrailingBackslash) {
            return STATUS_OBJECT_NAME_INVALID;
        }
    }
    Granted = LfspGrantedAccess(Request->DesiredAccess, ReadOnlyFile);
    if (ReadOnlyFile) {
        if (FlagOn(Granted, FILE_WRITE_DATA | FILE_APPEND_DATA) || Overwrite) {
            return STATUS_ACCESS_DENIED;
        }
        if (Request->DeleteOnClose) {
            return STATUS_CANNOT_DELETE;
        }
    }
    if (Overwrite) {
        ULONG Keep = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;
        if ((Node->FileAttributes & Keep) & ~(Request->FileAttributes & Keep)) {
            return STATUS_ACCESS_DENIED;
        }
    }
    if (Request->DeleteOnClose) {
        if (Node->IsRoot) {
            return STATUS_CANNOT_DELETE;
        }
        if (Node->IsDirectory && Node->ChildCount != 0) {
            return STATUS_DIRECTORY_NOT_EMPTY;
        }
    }
    ShareCheckAccess = Granted;
    if (Disposition == FILE_SUPERSEDE) {
        ShareCheckAccess |= DELETE;
    } else if (Overwrite) {
        ShareCheckAccess |= FILE_WRITE_DATA;
    }

    if (Fcb == NULL) {
        Status = LfspCreateFcb(Request->Vcb, Node, &Fcb);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        NewFcb = TRUE;
    }
    Status = LfspAttachOpen(Request, Fcb, NewFcb, Granted, ShareCheckAccess);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }

    if (Overwrite) {
        LARGE_INTEGER Now = LfspNow();
        (void)LfspSetFileSize(Node, 0);
        /* Other handles may cache the file: its cached data goes too. */
        LfspNotifyCacheSizes(Request->FileObject, Fcb, LFS_VALID_ALL);
        Node->FileAttributes = LfspNewAttributes(Request->FileAttributes, FALSE);
        Node->LastWriteTime = Now;
        Node->ChangeTime = Now;
        *Information = Disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
    } else {
        *Information = FILE_OPENED;
    }
    return STATUS_SUCCESS;
}

/* Creates Name in Directory and opens it. */
static NTSTATUS LfspCreateNew(PLFS_CREATE_REQUEST Request, PLFS_NODE Directory,
                              PCUNICODE_STRING Name, ULONG_PTR *Information)
{
    ULONG Disposition = Request->Disposition;
    BOOLEAN MakeDirectory = Request->DirectoryFile;
    ULONG Attributes;
    ACCESS_MASK Granted;
    PLFS_NODE Node;
    PLFS_FCB Fcb;
    NTSTATUS Status;

    if (Disposition == FILE_OPEN || Disposition == FILE_OVERWRITE) {
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (Directory->DeletePending || (!Directory->Linked && !Directory->IsRoot)) {
        return STATUS_DELETE_PENDING;
    }
    if (Request->TrailingBackslash && !MakeDirectory) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    Attributes = LfspNewAttributes(Request->FileAttributes, MakeDirectory);
    if (Request->DeleteOnClose && !MakeDirectory && FlagOn(Attributes, FILE_ATTRIBUTE_READONLY)) {
        return STATUS_CANNOT_DELETE;
    }
    Granted = LfspGrantedAccess(Request->DesiredAccess, FALSE);

    Status = LfspAllocateNode(Request->Vcb, Name, MakeDirectory, Attributes, &Node);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Status = LfspInsertChild(Directory, Node);
    if (!NT_SUCCESS(Status)) {
        LfspReferenceNode(Node);
        LfspDereferenceNode(Node);
        return Status;
    }
    if (!MakeDirectory && Request->Irp->Overlay.AllocationSize.QuadPart > 0) {
        LfspSetAllocationSize(Node, (ULONGLONG)Request->Irp->Overlay.AllocationSize.QuadPart);
    }
    Status = LfspCreateFcb(Request->Vcb, Node, &Fcb);
    if (NT_SUCCESS(Status)) {
        Status = LfspAttachOpen(Request, Fcb, TRUE, Granted, Granted);
    }
    if (!NT_SUCCESS(Status)) {
        LfspUnlinkNode(Node);
        return Status;
    }
    LfspTouchDirectory(Directory);
    *Information = FILE_CREATED;
    return STATUS_SUCCESS;
}

/* An open of the volume itself (empty name, no related file object). */
static NTSTATUS LfspOpenVolume(PLFS_CREATE_REQUEST Request, ULONG_PTR *Information)
{
    PLFS_VCB Vcb = Request->Vcb;
    PLFS_FCB Fcb = Vcb->VolumeFcb;
    BOOLEAN NewFcb = FALSE;
    ACCESS_MASK Granted;
    NTSTATUS Status;

    if (Request->Disposition != FILE_OPEN && Request->Disposition != FILE_OPEN_IF) {
        return STATUS_ACCESS_DENIED;
    }
    if (Request->DirectoryFile) {
        return STATUS_NOT_A_DIRECTORY;
    }
    if (Request->DeleteOnClose) {
        return STATUS_CANNOT_DELETE;
    }
    Granted = LfspGrantedAccess(Request->DesiredAccess, FALSE);
    if (Fcb == NULL) {
        Status = LfspCreateFcb(Vcb, NULL, &Fcb);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Vcb->VolumeFcb = Fcb;
        NewFcb = TRUE;
    }
    Status = LfspAttachOpen(Request, Fcb, NewFcb, Granted, Granted);
    if (NT_SUCCESS(Status)) {
        *Information = FILE_OPENED;
    }
    return Status;
}

/*
 * Splits off a final "::$DATA" (the default data stream); any other stream
 * syntax is not supported.
 */
static NTSTATUS LfspStripDefaultStream(PUNICODE_STRING Component)
{
    static const WCHAR Suffix[] = L"::$DATA";
    USHORT Count = Component->Length / sizeof(WCHAR);
    USHORT SuffixCount = (USHORT)(RTL_NUMBER_OF(Suffix) - 1);
    USHORT Colon;
    USHORT Index;

    for (Colon = 0; Colon < Count; Colon++) {
        if (Component->Buffer[Colon] == L':') {
            break;
        }
    }
    if (Colon == Count) {
        return STATUS_SUCCESS;
    }
    if (Count - Colon != SuffixCount) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    for (Index = 0; Index < SuffixCount; Index++) {
        if (LfspUpcase(Component->Buffer[Colon + Index]) != Suffix[Index]) {
            return STATUS_OBJECT_NAME_INVALID;
        }
    }
    Component->Length = (USHORT)(Colon * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* SL_OPEN_TARGET_DIRECTORY: FileObject->FileName becomes the final component. */
static void LfspKeepFinalComponent(PFILE_OBJECT FileObject, PCUNICODE_STRING Component)
{
    PWCHAR Buffer = FileObject->FileName.Buffer;
    USHORT Count = Component->Length / sizeof(WCHAR);
    USHORT Index;

    if (Component->Buffer != Buffer) {
        for (Index = 0; Index < Count; Index++) {
            Buffer[Index] = Component->Buffer[Index];
        }
    }
    FileObject->FileName.Length = Component->Length;
}

static NTSTATUS LfspCommonCreate(PLFS_CREATE_REQUEST Request, ULONG_PTR *Information)
{
    PLFS_VCB Vcb = Request->Vcb;
    PFILE_OBJECT FileObject = Request->FileObject;
    PFILE_OBJECT Related = FileObject->RelatedFileObject;
    UNICODE_STRING Remaining = FileObject->FileName;
    UNICODE_STRING Component;
    UNICODE_STRING Rest;
    PLFS_NODE Directory;
    PLFS_NODE Child;
    NTSTATUS Status;

    if (Request->Disposition > FILE_MAXIMUM_DISPOSITION ||
        (Request->DirectoryFile && Request->NonDirectoryFile)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (Request->DirectoryFile && Request->Disposition != FILE_CREATE &&
        Request->Disposition != FILE_OPEN && Request->Disposition != FILE_OPEN_IF) {
        return STATUS_INVALID_PARAMETER;
    }
    if (FlagOn(Request->Options, FILE_OPEN_BY_FILE_ID)) {
        return STATUS_NOT_IMPLEMENTED;
    }
    if ((Remaining.Length % sizeof(WCHAR)) != 0) {
        return STATUS_OBJECT_NAME_INVALID;
    }

    /* Where the name starts. */
    if (Related != NULL) {
        PLFS_FCB RelatedFcb;
        PLFS_CCB RelatedCcb;
        LFS_OPEN_TYPE Type = LfspDecodeFileObject(Vcb, Related, &RelatedFcb, &RelatedCcb);

        if (Type == LfsOpenUnknown) {
            return STATUS_INVALID_PARAMETER;
        }
        Directory = Type == LfsOpenVolume ? Vcb->Root : RelatedFcb->Node;
        if (Remaining.Length != 0) {
            if (Remaining.Buffer[0] == L'\\') {
                return STATUS_OBJECT_NAME_INVALID;
            }
            if (!Directory->IsDirectory) {
                return STATUS_OBJECT_PATH_NOT_FOUND;
            }
        }
    } else {
        if (Remaining.Length == 0) {
            if (Request->OpenTarget) {
                return STATUS_INVALID_PARAMETER;
            }
            return LfspOpenVolume(Request, Information);
        }
        if (Remaining.Buffer[0] != L'\\') {
            return STATUS_OBJECT_NAME_INVALID;
        }
        Directory = Vcb->Root;
        Remaining.Buffer++;
        Remaining.Length -= sizeof(WCHAR);
        Remaining.MaximumLength = Remaining.Length;
    }
    if (Remaining.Length != 0 &&
        Remaining.Buffer[Remaining.Length / sizeof(WCHAR) - 1] == L'\\') {
        Request->TrailingBackslash = TRUE;
        Remaining.Length -= sizeof(WCHAR);
        if (Remaining.Length == 0) {
            return STATUS_OBJECT_NAME_INVALID;
        }
    }

    /* The name is the starting directory itself. */
    if (Remaining.Length == 0) {
        if (Request->OpenTarget) {
            return STATUS_INVALID_PARAMETER;
        }
        return LfspOpenExisting(Request, Directory, Information);
    }

    /* Walk to the parent of the final component. */
    for (;;) {
        if (Remaining.Buffer[0] == L'\\') {
            return STATUS_OBJECT_NAME_INVALID;
        }
        FsRtlDissectName(Remaining, &Component, &Rest);
        if (Component.Length == 0 || (Rest.Length != 0 && Rest.Buffer[0] == L'\\')) {
            return STATUS_OBJECT_NAME_INVALID;
        }
        if (Rest.Length == 0) {
            break;
        }
        Status = LfspValidateComponent(&Component);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Child = LfspLookupChild(Directory, &Component);
        if (Child == NULL || !Child->IsDirectory) {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        Directory = Child;
        Remaining = Rest;
    }
    Status = LfspStripDefaultStream(&Component);
    if (NT_SUCCESS(Status)) {
        Status = LfspValidateComponent(&Component);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Child = LfspLookupChild(Directory, &Component);

    if (Request->OpenTarget) {
        ULONG_PTR Ignored;
        ULONG SavedDisposition = Request->Disposition;
        BOOLEAN SavedTrailing = Request->TrailingBackslash;

        Request->Disposition = FILE_OPEN;
        Request->TrailingBackslash = FALSE;
        Request->NonDirectoryFile = FALSE;
        Status = LfspOpenExisting(Request, Directory, &Ignored);
        Request->Disposition = SavedDisposition;
        Request->TrailingBackslash = SavedTrailing;
        if (NT_SUCCESS(Status)) {
            LfspKeepFinalComponent(FileObject, &Component);
            *Information = Child != NULL ? FILE_EXISTS : FILE_DOES_NOT_EXIST;
        }
        return Status;
    }
    if (Child != NULL) {
        return LfspOpenExisting(Request, Child, Information);
    }
    return LfspCreateNew(Request, Directory, &Component, Information);
}

NTSTATUS LfsFsdCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_CREATE_REQUEST Request;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    PAGED_CODE();
    if (Vcb == NULL) {
        /* An open of the control device object itself. */
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, FILE_OPENED);
    }
    RtlZeroMemory(&Request, sizeof(Request));
    Request.Vcb = Vcb;
    Request.Irp = Irp;
    Request.IrpSp = IrpSp;
    Request.FileObject = IrpSp->FileObject;
    Request.Disposition = (IrpSp->Parameters.Create.Options >> 24) & 0xFF;
    Request.Options = IrpSp->Parameters.Create.Options & FILE_VALID_OPTION_FLAGS;
    Request.ShareAccess = IrpSp->Parameters.Create.ShareAccess;
    Request.FileAttributes = IrpSp->Parameters.Create.FileAttributes;
    Request.DesiredAccess = IrpSp->Parameters.Create.SecurityContext != NULL
                                ? IrpSp->Parameters.Create.SecurityContext->DesiredAccess
                                : 0;
    Request.DirectoryFile = BooleanFlagOn(Request.Options, FILE_DIRECTORY_FILE);
    Request.NonDirectoryFile = BooleanFlagOn(Request.Options, FILE_NON_DIRECTORY_FILE);
    Request.DeleteOnClose = BooleanFlagOn(Request.Options, FILE_DELETE_ON_CLOSE);
    Request.OpenTarget = BooleanFlagOn(IrpSp->Flags, SL_OPEN_TARGET_DIRECTORY);

    if (Request.FileObject == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    LfspAcquireVcbExclusive(Vcb);
    Status = LfspCommonCreate(&Request, &Information);
    LfspReleaseVcb(Vcb);
    if (!NT_SUCCESS(Status)) {
        Information = 0;
    }
    return LfspCompleteRequest(Irp, Status, Information);
}

/* Deletes a delete-pending node whose handles are all cleaned up. */
static void LfspDeleteIfPending(PLFS_NODE Node, BOOLEAN Force)
{
    PLFS_NODE Parent;

    if (!Node->DeletePending || !Node->Linked) {
        return;
    }
    if (!Force && Node->Fcb != NULL && Node->Fcb->CleanupCount != 0) {
        return;
    }
    if (Node->IsDirectory && Node->ChildCount != 0) {
        /* Children appeared after the disposition was set: keep it. */
        Node->DeletePending = FALSE;
        return;
    }
    Parent = Node->Parent;
    LfspUnlinkNode(Node);
    LfspTouchDirectory(Parent);
}

NTSTATUS LfsFsdCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
    }
    Type = LfspDecodeFileObject(Vcb, FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    LfspAcquireVcbExclusive(Vcb);
    IoRemoveShareAccess(FileObject, &Fcb->ShareAccess);
    ASSERT(Fcb->CleanupCount > 0);
    Fcb->CleanupCount--;
    Node = Fcb->Node;
    if (Node != NULL) {
        if (Ccb->DeleteOnClose && Node->Linked && !Node->IsRoot &&
            !(Node->IsDirectory && Node->ChildCount != 0)) {
            Node->DeletePending = TRUE;
        }
        if (Ccb->PosixDelete) {
            LfspDeleteIfPending(Node, TRUE);
        } else if (Fcb->CleanupCount == 0) {
            LfspDeleteIfPending(Node, FALSE);
        }
        if (Node->DeletePending || !Node->Linked) {
            FileObject->DeletePending = TRUE;
        }
    }
    if (Type == LfsOpenFile) {
        /* Every cleanup of a file, cached or not.  A deleted file whose last
         * handle this was has nothing worth writing back: its cache is
         * truncated to nothing. */
        LARGE_INTEGER Zero;
        BOOLEAN Gone = (BOOLEAN)(!Node->Linked && Fcb->CleanupCount == 0);
        BOOLEAN TopLevel = LfspSetTopLevelIrp(Irp);

        Zero.QuadPart = 0;
        (void)CcUninitializeCacheMap(FileObject, Gone ? &Zero : NULL, NULL);
        LfspRestoreTopLevelIrp(TopLevel);
    }
    FileObject->Flags |= FO_CLEANUP_COMPLETE;
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS LfsFsdClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = IrpSp->FileObject;
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
    }
    Type = LfspDecodeFileObject(Vcb, FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
    }
    LfspAcquireVcbExclusive(Vcb);
    if (FileObject->PrivateCacheMap != NULL) {
        /* Cached through a file object that never had a cleanup (a stream
         * file object). */
        (void)CcUninitializeCacheMap(FileObject, NULL, NULL);
    }
    FileObject->FsContext2 = NULL;
    LfspDeleteCcb(Ccb);
    ASSERT(Fcb->OpenCount > 0);
    if (--Fcb->OpenCount == 0) {
        FileObject->FsContext = NULL;
        FileObject->SectionObjectPointer = NULL;
        LfspDeleteFcb(Fcb);
    }
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, STATUS_SUCCESS, 0);
}
