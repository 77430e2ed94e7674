/*
 * srv_ops.c - smbsrv: what the server does with each request: tree
 * connect, create (dispositions, kinds, read-only files, share access
 * between the server's opens, delete on close), close (the last close of a
 * delete-pending entry deletes it), read, write, query information (file
 * and security), set information (basic, end of file, allocation,
 * disposition, rename) and query directory (the cursor is kept per open, as
 * SMB2 servers do; entries formatted in the class the client asked for).
 * No access check is made against the security descriptors.
 */
#include "srvp.h"
#include <string.h>

#ifndef FILE_DISPOSITION_DELETE
#define FILE_DISPOSITION_DELETE 0x00000001
#endif

#define SRV_SETTABLE_ATTRIBUTES                                                                  \
    (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | \
     FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

/* The request being processed and its reply under construction. */
typedef struct SRV_CALL_FRAME {
    SRV_STATE *State;
    const SMBW_MESSAGE *In;
    const UCHAR *InData;
    ULONG InDataLength;
    SMBW_MESSAGE *Out;
    UCHAR *OutData;
    ULONG OutRoom;                /* bytes available at OutData */
    SRV_SHARE *Share;
} SRV_CALL_FRAME;

static SRV_HANDLE *SrvpFindHandle(SRV_STATE *S, ULONGLONG FileId, SRV_SHARE *Share)
{
    for (SRV_HANDLE *H = S->HandlesHead; H != NULL; H = H->Next)
        if (H->FileId == FileId && H->Share == Share)
            return H;
    return NULL;
}

static ACCESS_MASK SrvpMapAccess(ACCESS_MASK Desired, BOOLEAN ReadOnly)
{
    ACCESS_MASK Granted = Desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    if (Desired & GENERIC_READ)
        Granted |= FILE_GENERIC_READ;
    if (Desired & GENERIC_WRITE)
        Granted |= FILE_GENERIC_WRITE;
    if (Desired & GENERIC_EXECUTE)
        Granted |= FILE_GENERIC_EXECUTE;
    if (Desired & (GENERIC_ALL | MAXIMUM_ALLOWED)) {
        Granted |= FILE_ALL_ACCESS;
        if (ReadOnly && !(Desired & (GENERIC_ALL | GENERIC_WRITE | FILE_WRITE_DATA | FILE_APPEND_DATA)))
            Granted &= ~(ACCESS_MASK)(FILE_WRITE_DATA | FILE_APPEND_DATA);
    }
    return Granted;
}

/* The sharing rules of IoCheckShareAccess, between the server's opens. */
static NTSTATUS SrvpCheckShare(const SRV_NODE *N, ACCESS_MASK Access, ULONG Share)
{
    BOOLEAN R = (Access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    BOOLEAN W = (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    BOOLEAN D = (Access & DELETE) != 0;
    if (!R && !W && !D)
        return STATUS_SUCCESS;
    if ((R && N->SharedRead < N->OpenCount) || (W && N->SharedWrite < N->OpenCount) ||
        (D && N->SharedDelete < N->OpenCount) || ((Share & FILE_SHARE_READ) == 0 && N->Readers != 0) ||
        ((Share & FILE_SHARE_WRITE) == 0 && N->Writers != 0) || ((Share & FILE_SHARE_DELETE) == 0 && N->Deleters != 0))
        return STATUS_SHARING_VIOLATION;
    return STATUS_SUCCESS;
}

static void SrvpRecordShare(SRV_NODE *N, ACCESS_MASK Access, ULONG Share, LONG Sign)
{
    BOOLEAN R = (Access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    BOOLEAN W = (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    BOOLEAN D = (Access & DELETE) != 0;
    if (!R && !W && !D)
        return;
    N->OpenCount += (ULONG)Sign;
    N->Readers += R ? (ULONG)Sign : 0;
    N->Writers += W ? (ULONG)Sign : 0;
    N->Deleters += D ? (ULONG)Sign : 0;
    N->SharedRead += (Share & FILE_SHARE_READ) ? (ULONG)Sign : 0;
    N->SharedWrite += (Share & FILE_SHARE_WRITE) ? (ULONG)Sign : 0;
    N->SharedDelete += (Share & FILE_SHARE_DELETE) ? (ULONG)Sign : 0;
}

/* Open handles on a node (also those that took no share access). */
static ULONG SrvpHandleCount(SRV_STATE *S, const SRV_NODE *N)
{
    ULONG Count = 0;
    for (SRV_HANDLE *H = S->HandlesHead; H != NULL; H = H->Next)
        Count += H->Node == N;
    return Count;
}

static void SrvpTouch(SRV_NODE *N)
{
    N->LastWriteTime = N->ChangeTime = SrvpNow();
}

/* --- TREE_CONNECT ------------------------------------------------------------ */

/* "\server\share" (either one or two leading backslashes). */
static BOOLEAN SrvpSplitUnc(const WCHAR *P, USHORT Chars, const WCHAR **Server, USHORT *ServerChars,
                            const WCHAR **Share, USHORT *ShareChars)
{
    USHORT I = 0, Start;
    while (I < Chars && P[I] == L'\\')
        I++;
    Start = I;
    while (I < Chars && P[I] != L'\\')
        I++;
    *Server = P + Start;
    *ServerChars = (USHORT)(I - Start);
    if (I < Chars)
        I++;
    Start = I;
    while (I < Chars && P[I] != L'\\')
        I++;
    *Share = P + Start;
    *ShareChars = (USHORT)(I - Start);
    return *ServerChars != 0 && *ShareChars != 0;
}

static NTSTATUS SrvpTreeConnect(SRV_CALL_FRAME *F)
{
    const WCHAR *Server, *Share;
    USHORT ServerChars, ShareChars;
    SRV_SERVER *Srv;
    SRV_SHARE *Sh;
    if (!SrvpSplitUnc((const WCHAR *)F->InData, (USHORT)(F->InDataLength / sizeof(WCHAR)), &Server, &ServerChars,
                      &Share, &ShareChars))
        return STATUS_BAD_NETWORK_NAME;
    Srv = SrvpFindServer(F->State, Server, ServerChars);
    Sh = Srv ? SrvpFindShare(Srv, Share, ShareChars) : NULL;
    if (Sh == NULL)
        return Srv ? STATUS_BAD_NETWORK_NAME : STATUS_BAD_NETWORK_PATH;
    SRV_TREE *T = calloc(1, sizeof(SRV_TREE));
    if (T == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    T->TreeId = F->State->NextTreeId++;
    T->Share = Sh;
    {
        SRV_TREE **Tail = &F->State->Trees;
        while (*Tail)
            Tail = &(*Tail)->Next;
        *Tail = T;
    }
    F->Out->Header.TreeId = T->TreeId;
    F->Out->u.TreeConnect.TreeId = T->TreeId;
    F->Out->u.TreeConnect.ShareFlags = Sh->Flags;
    return STATUS_SUCCESS;
}

/* --- CREATE / CLOSE ------------------------------------------------------------ */

static NTSTATUS SrvpCreate(SRV_CALL_FRAME *F)
{
    const WCHAR *Path = (const WCHAR *)F->InData;
    USHORT Chars = (USHORT)(F->InDataLength / sizeof(WCHAR));
    ULONG Disposition = F->In->u.Create.Disposition;
    ULONG Options = F->In->u.Create.Options;
    ULONG Share = F->In->u.Create.ShareAccess & FILE_SHARE_VALID_FLAGS;
    BOOLEAN WantDirectory = (Options & FILE_DIRECTORY_FILE) != 0;
    BOOLEAN WantFile = (Options & FILE_NON_DIRECTORY_FILE) != 0;
    BOOLEAN DeleteOnClose = (Options & FILE_DELETE_ON_CLOSE) != 0;
    BOOLEAN Trailing = FALSE;
    SRV_NODE *Parent, *Node;
    const WCHAR *Final;
    USHORT FinalChars;
    ULONG Action;
    NTSTATUS Status;

    while (Chars > 0 && Path[0] == L'\\') {
        Path++;
        Chars--;
    }
    if (Chars > 0 && Path[Chars - 1] == L'\\') {
        Trailing = TRUE;
        Chars--;
        if (Chars > 0 && Path[Chars - 1] == L'\\')
            return STATUS_OBJECT_NAME_INVALID;
    }
    if (Disposition > FILE_MAXIMUM_DISPOSITION || (WantDirectory && WantFile))
        return STATUS_INVALID_PARAMETER;
    if (Trailing && WantFile)
        return STATUS_OBJECT_NAME_INVALID;
    Status = SrvpWalk(F->Share->Root, Path, Chars, &Parent, &Final, &FinalChars, &Node);
    if (!NT_SUCCESS(Status))
        return Status;
    if (F->In->u.Create.CreateFlags & SMBW_CREATE_OPEN_TARGET) {
        /* The directory that holds the last component, opened as is. */
        if (Parent == NULL)
            return STATUS_OBJECT_NAME_INVALID; /* the share root has no parent here */
        if (Parent->DeletePending)
            return STATUS_DELETE_PENDING;
        Action = Node != NULL ? FILE_EXISTS : FILE_DOES_NOT_EXIST;
        Node = Parent;
        F->Out->u.Create.DesiredAccess = SrvpMapAccess(F->In->u.Create.DesiredAccess, FALSE);
        Status = SrvpCheckShare(Node, F->Out->u.Create.DesiredAccess, Share);
        if (!NT_SUCCESS(Status))
            return Status;
        DeleteOnClose = FALSE;
    } else if (Node != NULL) {
        BOOLEAN ReadOnly = (Node->Attributes & FILE_ATTRIBUTE_READONLY) != 0;
        ACCESS_MASK Access = SrvpMapAccess(F->In->u.Create.DesiredAccess, ReadOnly);
        if (Node->DeletePending)
            return STATUS_DELETE_PENDING;
        if (Disposition == FILE_CREATE)
            return STATUS_OBJECT_NAME_COLLISION;
        if (WantDirectory && !Node->Directory)
            return STATUS_NOT_A_DIRECTORY;
        if (Trailing && !Node->Directory)
            return STATUS_OBJECT_NAME_INVALID;
        if (WantFile && Node->Directory)
            return STATUS_FILE_IS_A_DIRECTORY;
        BOOLEAN Overwrite = Disposition == FILE_OVERWRITE || Disposition == FILE_OVERWRITE_IF ||
                            Disposition == FILE_SUPERSEDE;
        if (Overwrite && Node->Directory)
            return STATUS_OBJECT_NAME_COLLISION;
        if (ReadOnly && ((Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) || Overwrite))
            return STATUS_ACCESS_DENIED;
        if (DeleteOnClose && (ReadOnly || Node == F->Share->Root))
            return STATUS_CANNOT_DELETE;
        /* Overwriting needs write sharing, superseding delete sharing. */
        Status = SrvpCheckShare(Node,
                                Access | (Overwrite ? (Disposition == FILE_SUPERSEDE ? DELETE : FILE_WRITE_DATA) : 0),
                                Share);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Overwrite) {
            Status = SrvpSetFileSize(Node, 0);
            if (!NT_SUCCESS(Status))
                return Status;
            Node->AllocationSize = 0;
            Node->Attributes = (F->In->u.Create.FileAttributes & SRV_SETTABLE_ATTRIBUTES) | FILE_ATTRIBUTE_ARCHIVE;
            SrvpTouch(Node);
            Action = Disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
        } else {
            Action = FILE_OPENED;
        }
        F->Out->u.Create.DesiredAccess = Access;
    } else {
        BOOLEAN MakeDirectory = WantDirectory || Trailing;
        if (Disposition == FILE_OPEN || Disposition == FILE_OVERWRITE)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        if (Parent->DeletePending)
            return STATUS_DELETE_PENDING;
        if (MakeDirectory && WantFile)
            return STATUS_OBJECT_NAME_INVALID;
        if (MakeDirectory && Disposition != FILE_CREATE && Disposition != FILE_OPEN_IF)
            return STATUS_INVALID_PARAMETER;
        ULONG Attributes = F->In->u.Create.FileAttributes & SRV_SETTABLE_ATTRIBUTES;
        if (!MakeDirectory)
            Attributes |= FILE_ATTRIBUTE_ARCHIVE;
        Status = SrvpNewNode(F->State, F->Share, Final, FinalChars, MakeDirectory, Attributes, &Node);
        if (!NT_SUCCESS(Status))
            return Status;
        Status = SrvpInsertChild(Parent, Node);
        if (!NT_SUCCESS(Status)) {
            SrvpFreeNode(F->State, Node);
            return Status;
        }
        SrvpTouch(Parent);
        Action = FILE_CREATED;
        F->Out->u.Create.DesiredAccess = SrvpMapAccess(F->In->u.Create.DesiredAccess, FALSE);
    }
    SRV_HANDLE *H = calloc(1, sizeof(SRV_HANDLE));
    if (H == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    H->FileId = F->State->NextFileId++;
    H->Share = F->Share;
    H->Node = Node;
    H->Access = F->Out->u.Create.DesiredAccess;
    H->ShareAccess = Share;
    H->DeleteOnClose = DeleteOnClose;
    H->Prev = F->State->HandlesTail;
    if (F->State->HandlesTail)
        F->State->HandlesTail->Next = H;
    else
        F->State->HandlesHead = H;
    F->State->HandlesTail = H;
    SrvpRecordShare(Node, H->Access, Share, 1);
    F->Out->u.Create.FileId = H->FileId;
    F->Out->u.Create.CreateAction = Action;
    SrvpFillInfo(Node, &F->Out->u.Create.Info);
    return STATUS_SUCCESS;
}

static void SrvpDeleteHandle(SRV_STATE *S, SRV_HANDLE *H)
{
    SRV_NODE *N = H->Node;
    if (H->Prev)
        H->Prev->Next = H->Next;
    else
        S->HandlesHead = H->Next;
    if (H->Next)
        H->Next->Prev = H->Prev;
    else
        S->HandlesTail = H->Prev;
    SrvpRecordShare(N, H->Access, H->ShareAccess, -1);
    if (H->DeleteOnClose && N->Parent != NULL)
        N->DeletePending = TRUE;
    free(H->Pattern);
    free(H->LastName);
    free(H);
    if (N->DeletePending && SrvpHandleCount(S, N) == 0) {
        if (N->Directory && N->ChildCount != 0) {
            N->DeletePending = FALSE; /* not empty: the delete fails silently, as at cleanup */
            return;
        }
        SRV_NODE *Parent = N->Parent;
        SrvpUnlinkChild(N);
        if (Parent)
            SrvpTouch(Parent);
        SrvpFreeNode(S, N);
    }
}

static NTSTATUS SrvpClose(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.Close.FileId, F->Share);
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    SrvpDeleteHandle(F->State, H);
    return STATUS_SUCCESS;
}

void SrvpCloseAllHandles(SRV_STATE *State)
{
    while (State->HandlesHead != NULL)
        SrvpDeleteHandle(State, State->HandlesHead);
}

/* --- READ / WRITE ---------------------------------------------------------------- */

static NTSTATUS SrvpRead(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.Read.FileId, F->Share);
    LONGLONG Offset = F->In->u.Read.Offset;
    ULONG Length = F->In->u.Read.Length;
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    if (H->Node->Directory)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!(H->Access & (FILE_READ_DATA | FILE_EXECUTE)))
        return STATUS_ACCESS_DENIED;
    if (Offset < 0)
        return STATUS_INVALID_PARAMETER;
    if (Length == 0)
        return STATUS_SUCCESS;
    if ((ULONGLONG)Offset >= H->Node->Size)
        return STATUS_END_OF_FILE;
    ULONGLONG Available = H->Node->Size - (ULONGLONG)Offset;
    ULONG Count = Available < Length ? (ULONG)Available : Length;
    if (Count > F->OutRoom)
        Count = F->OutRoom;
    memcpy(F->OutData, H->Node->Data + Offset, Count);
    F->Out->Header.DataLength = Count;
    F->Out->u.Read.Length = Count;
    return STATUS_SUCCESS;
}

static NTSTATUS SrvpWrite(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.Write.FileId, F->Share);
    LONGLONG Offset = F->In->u.Write.Offset;
    ULONG Length = F->In->u.Write.Length;
    NTSTATUS Status;
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    SRV_NODE *N = H->Node;
    if (N->Directory)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!(H->Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)))
        return STATUS_ACCESS_DENIED;
    if (Length > F->InDataLength)
        return STATUS_INVALID_PARAMETER;
    if (Offset == SMBW_WRITE_APPEND || !(H->Access & FILE_WRITE_DATA))
        Offset = (LONGLONG)N->Size;
    if (Offset < 0)
        return STATUS_INVALID_PARAMETER;
    if (Length != 0) {
        if ((ULONGLONG)Offset + Length > N->Size) {
            Status = SrvpSetFileSize(N, (ULONGLONG)Offset + Length);
            if (!NT_SUCCESS(Status))
                return Status;
        }
        memcpy(N->Data + Offset, F->InData, Length);
        SrvpTouch(N);
        N->Attributes |= FILE_ATTRIBUTE_ARCHIVE;
    }
    F->Out->u.Write.Written = Length;
    F->Out->u.Write.EndOfFile.QuadPart = (LONGLONG)N->Size;
    return STATUS_SUCCESS;
}

/* --- QUERY_INFO / SET_INFO ------------------------------------------------------------ */

static NTSTATUS SrvpQueryInfo(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.QueryInfo.FileId, F->Share);
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    if (F->In->u.QueryInfo.InfoType == SMBW_INFO_FILE) {
        SrvpFillInfo(H->Node, &F->Out->u.QueryInfo.Info);
        return STATUS_SUCCESS;
    }
    if (F->In->u.QueryInfo.InfoType != SMBW_INFO_SECURITY)
        return STATUS_INVALID_INFO_CLASS;
    ULONG Room = F->In->u.QueryInfo.OutputLength < F->OutRoom ? F->In->u.QueryInfo.OutputLength : F->OutRoom;
    ULONG Needed = SrvpSelectSecurity(H->Node->Security, H->Node->SecurityLength,
                                      F->In->u.QueryInfo.SecurityInformation, NULL, 0);
    if (Needed == 0)
        return STATUS_INVALID_SECURITY_DESCR;
    F->Out->u.QueryInfo.OutputLength = Needed;
    if (Needed > Room)
        return STATUS_BUFFER_OVERFLOW;
    SrvpSelectSecurity(H->Node->Security, H->Node->SecurityLength, F->In->u.QueryInfo.SecurityInformation,
                       F->OutData, Room);
    F->Out->Header.DataLength = Needed;
    return STATUS_SUCCESS;
}

static BOOLEAN SrvpIsAncestor(const SRV_NODE *Ancestor, const SRV_NODE *N)
{
    for (; N != NULL; N = N->Parent)
        if (N == Ancestor)
            return TRUE;
    return FALSE;
}

/* Rename: the client sends FILE_RENAME_INFORMATION with a path below the share root. */
static NTSTATUS SrvpRename(SRV_CALL_FRAME *F, SRV_HANDLE *H)
{
    const FILE_RENAME_INFORMATION *R = (const FILE_RENAME_INFORMATION *)F->InData;
    SRV_NODE *N = H->Node, *Parent, *Target;
    const WCHAR *Final;
    USHORT FinalChars;
    NTSTATUS Status;
    if (F->InDataLength < FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        R->FileNameLength > F->InDataLength - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName))
        return STATUS_INVALID_PARAMETER;
    if (N->Parent == NULL)
        return STATUS_ACCESS_DENIED;
    const WCHAR *Path = R->FileName;
    USHORT Chars = (USHORT)(R->FileNameLength / sizeof(WCHAR));
    while (Chars > 0 && Path[0] == L'\\') {
        Path++;
        Chars--;
    }
    Status = SrvpWalk(F->Share->Root, Path, Chars, &Parent, &Final, &FinalChars, &Target);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Parent == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    if (N->Directory && SrvpIsAncestor(N, Parent))
        return STATUS_INVALID_PARAMETER;
    if (Target == N) {
        /* Same entry: only the case of the name may change. */
    } else if (Target != NULL) {
        if (!R->ReplaceIfExists)
            return STATUS_OBJECT_NAME_COLLISION;
        if (Target->Directory || SrvpHandleCount(F->State, Target) != 0)
            return STATUS_ACCESS_DENIED;
        SrvpUnlinkChild(Target);
        SrvpFreeNode(F->State, Target);
    }
    WCHAR *Name = calloc((size_t)FinalChars + 1, sizeof(WCHAR));
    WCHAR *Upcase = calloc((size_t)FinalChars + 1, sizeof(WCHAR));
    if (Name == NULL || Upcase == NULL) {
        free(Name);
        free(Upcase);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (USHORT I = 0; I < FinalChars; I++) {
        Name[I] = Final[I];
        Upcase[I] = SrvpUpcase(Final[I]);
    }
    SRV_NODE *OldParent = N->Parent;
    SrvpUnlinkChild(N);
    free(N->Name);
    free(N->Upcase);
    N->Name = Name;
    N->Upcase = Upcase;
    N->NameChars = FinalChars;
    Status = SrvpInsertChild(Parent, N);
    if (!NT_SUCCESS(Status))
        return Status;
    SrvpTouch(OldParent);
    SrvpTouch(Parent);
    N->ChangeTime = SrvpNow();
    return STATUS_SUCCESS;
}

static NTSTATUS SrvpSetInfo(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.SetInfo.FileId, F->Share);
    NTSTATUS Status = STATUS_SUCCESS;
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    SRV_NODE *N = H->Node;
    if (F->In->u.SetInfo.InfoType != SMBW_INFO_FILE)
        return STATUS_NOT_SUPPORTED;
    switch (F->In->u.SetInfo.FileInformationClass) {
    case FileBasicInformation: {
        const FILE_BASIC_INFORMATION *B = (const FILE_BASIC_INFORMATION *)F->InData;
        if (F->InDataLength < sizeof(FILE_BASIC_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        if (B->CreationTime.QuadPart > 0)
            N->CreationTime = B->CreationTime;
        if (B->LastAccessTime.QuadPart > 0)
            N->LastAccessTime = B->LastAccessTime;
        if (B->LastWriteTime.QuadPart > 0)
            N->LastWriteTime = B->LastWriteTime;
        if (B->ChangeTime.QuadPart > 0)
            N->ChangeTime = B->ChangeTime;
        if (B->FileAttributes != 0) {
            if (!N->Directory && (B->FileAttributes & FILE_ATTRIBUTE_DIRECTORY))
                return STATUS_INVALID_PARAMETER;
            N->Attributes = B->FileAttributes & SRV_SETTABLE_ATTRIBUTES;
            if (B->ChangeTime.QuadPart == 0)
                N->ChangeTime = SrvpNow();
        }
        break;
    }
    case FileEndOfFileInformation: {
        const FILE_END_OF_FILE_INFORMATION *E = (const FILE_END_OF_FILE_INFORMATION *)F->InData;
        if (F->InDataLength < sizeof(*E))
            return STATUS_INFO_LENGTH_MISMATCH;
        if (N->Directory)
            return STATUS_INVALID_PARAMETER;
        if (E->EndOfFile.QuadPart < 0)
            return STATUS_INVALID_PARAMETER;
        if (!(H->Access & FILE_WRITE_DATA))
            return STATUS_ACCESS_DENIED;
        Status = SrvpSetFileSize(N, (ULONGLONG)E->EndOfFile.QuadPart);
        if (NT_SUCCESS(Status))
            SrvpTouch(N);
        break;
    }
    case FileAllocationInformation: {
        const FILE_ALLOCATION_INFORMATION *A = (const FILE_ALLOCATION_INFORMATION *)F->InData;
        if (F->InDataLength < sizeof(*A))
            return STATUS_INFO_LENGTH_MISMATCH;
        if (N->Directory || A->AllocationSize.QuadPart < 0)
            return STATUS_INVALID_PARAMETER;
        if (!(H->Access & FILE_WRITE_DATA))
            return STATUS_ACCESS_DENIED;
        ULONGLONG Want = (ULONGLONG)A->AllocationSize.QuadPart;
        if (Want < N->Size)
            Status = SrvpSetFileSize(N, Want);
        if (NT_SUCCESS(Status)) {
            ULONGLONG Rounded = (Want + SRV_ALLOCATION_UNIT - 1) & ~(SRV_ALLOCATION_UNIT - 1);
            if (Rounded > SRV_MAX_FILE_SIZE)
                return STATUS_DISK_FULL;
            N->AllocationSize = Rounded;
            SrvpTouch(N);
        }
        break;
    }
    case FileDispositionInformation:
    case FileDispositionInformationEx: {
        BOOLEAN Delete;
        if (F->In->u.SetInfo.FileInformationClass == FileDispositionInformation) {
            if (F->InDataLength < sizeof(FILE_DISPOSITION_INFORMATION))
                return STATUS_INFO_LENGTH_MISMATCH;
            Delete = ((const FILE_DISPOSITION_INFORMATION *)F->InData)->DeleteFile;
        } else {
            if (F->InDataLength < sizeof(ULONG))
                return STATUS_INFO_LENGTH_MISMATCH;
            Delete = (*(const ULONG *)F->InData & FILE_DISPOSITION_DELETE) != 0;
        }
        if (Delete) {
            if (N->Parent == NULL || (N->Attributes & FILE_ATTRIBUTE_READONLY))
                return STATUS_CANNOT_DELETE;
            if (N->Directory && N->ChildCount != 0)
                return STATUS_DIRECTORY_NOT_EMPTY;
        }
        N->DeletePending = Delete;
        break;
    }
    case FileRenameInformation:
    case FileRenameInformationEx:
        Status = SrvpRename(F, H);
        break;
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
    if (NT_SUCCESS(Status))
        SrvpFillInfo(N, &F->Out->u.SetInfo.Info);
    return Status;
}

/* --- QUERY_DIRECTORY ------------------------------------------------------------- */

static ULONG SrvpNameOffset(ULONG Class)
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
    default:
        return 0;
    }
}

/* The common leading fields of the directory classes that have them. */
#define SRV_FILL_COMMON(Info, Node, NameBytes)                          \
    do {                                                                \
        SMBW_FILE_INFO I_;                                              \
        SrvpFillInfo((Node), &I_);                                      \
        (Info)->CreationTime = I_.CreationTime;                         \
        (Info)->LastAccessTime = I_.LastAccessTime;                     \
        (Info)->LastWriteTime = I_.LastWriteTime;                       \
        (Info)->ChangeTime = I_.ChangeTime;                             \
        (Info)->EndOfFile = I_.EndOfFile;                               \
        (Info)->AllocationSize = I_.AllocationSize;                     \
        (Info)->FileAttributes = I_.FileAttributes;                     \
        (Info)->FileNameLength = (NameBytes);                           \
    } while (0)

static void SrvpFillEntry(ULONG Class, UCHAR *Out, ULONG NameOffset, const SRV_NODE *Node, ULONG NameBytes)
{
    memset(Out, 0, NameOffset);
    switch (Class) {
    case FileDirectoryInformation:
        SRV_FILL_COMMON((PFILE_DIRECTORY_INFORMATION)Out, Node, NameBytes);
        break;
    case FileFullDirectoryInformation:
        SRV_FILL_COMMON((PFILE_FULL_DIR_INFORMATION)Out, Node, NameBytes);
        break;
    case FileBothDirectoryInformation:
        SRV_FILL_COMMON((PFILE_BOTH_DIR_INFORMATION)Out, Node, NameBytes);
        break;
    case FileIdBothDirectoryInformation:
        SRV_FILL_COMMON((PFILE_ID_BOTH_DIR_INFORMATION)Out, Node, NameBytes);
        ((PFILE_ID_BOTH_DIR_INFORMATION)Out)->FileId.QuadPart = (LONGLONG)Node->IndexNumber;
        break;
    case FileIdFullDirectoryInformation:
        SRV_FILL_COMMON((PFILE_ID_FULL_DIR_INFORMATION)Out, Node, NameBytes);
        ((PFILE_ID_FULL_DIR_INFORMATION)Out)->FileId.QuadPart = (LONGLONG)Node->IndexNumber;
        break;
    case FileNamesInformation:
        ((PFILE_NAMES_INFORMATION)Out)->FileNameLength = NameBytes;
        break;
    default:
        break;
    }
}

static BOOLEAN SrvpMatch(const SRV_HANDLE *H, const WCHAR *Name, USHORT Chars)
{
    UNICODE_STRING Expression, Candidate;
    if (H->Pattern == NULL)
        return TRUE;
    Expression.Buffer = H->Pattern;
    Expression.Length = Expression.MaximumLength = (USHORT)(H->PatternChars * sizeof(WCHAR));
    Candidate.Buffer = (PWCH)Name;
    Candidate.Length = Candidate.MaximumLength = (USHORT)(Chars * sizeof(WCHAR));
    return FsRtlIsNameInExpression(&Expression, &Candidate, TRUE, NULL);
}

/* The scan cursor while a reply is built. */
typedef struct SRV_CURSOR {
    UCHAR Phase;
    const WCHAR *Last;            /* upcased; NULL: from the first child */
    USHORT LastChars;
} SRV_CURSOR;

static BOOLEAN SrvpNextEntry(const SRV_NODE *Dir, SRV_CURSOR *C, const SRV_NODE **Node, const WCHAR **Name,
                             USHORT *Chars)
{
    static const WCHAR Dots[] = {L'.', L'.'};
    BOOLEAN IsRoot = Dir->Parent == NULL;
    if (C->Phase == 0) {
        C->Phase = 1;
        if (!IsRoot) {
            *Node = Dir;
            *Name = Dots;
            *Chars = 1;
            return TRUE;
        }
    }
    if (C->Phase == 1) {
        C->Phase = 2;
        C->Last = NULL;
        if (!IsRoot) {
            *Node = Dir->Parent;
            *Name = Dots;
            *Chars = 2;
            return TRUE;
        }
    }
    ULONG Index = 0;
    if (C->Last != NULL) {
        /* First child whose upcased name sorts after Last. */
        ULONG Low = 0, High = Dir->ChildCount;
        while (Low < High) {
            ULONG Mid = (Low + High) / 2;
            const SRV_NODE *M = Dir->Children[Mid];
            if (SrvpCompareUpcased(M->Upcase, M->NameChars, C->Last, C->LastChars) <= 0)
                Low = Mid + 1;
            else
                High = Mid;
        }
        Index = Low;
    }
    if (Index >= Dir->ChildCount)
        return FALSE;
    *Node = Dir->Children[Index];
    *Name = (*Node)->Name;
    *Chars = (*Node)->NameChars;
    C->Last = (*Node)->Upcase;
    C->LastChars = (*Node)->NameChars;
    return TRUE;
}

static NTSTATUS SrvpQueryDirectory(SRV_CALL_FRAME *F)
{
    SRV_HANDLE *H = SrvpFindHandle(F->State, F->In->u.QueryDirectory.FileId, F->Share);
    ULONG Class = F->In->u.QueryDirectory.FileInformationClass;
    ULONG NameOffset = SrvpNameOffset(Class);
    ULONG Room = F->In->u.QueryDirectory.OutputLength < F->OutRoom ? F->In->u.QueryDirectory.OutputLength
                                                                     : F->OutRoom;
    BOOLEAN Restart = (F->In->u.QueryDirectory.Flags & SMBW_RESTART_SCANS) != 0;
    BOOLEAN Single = (F->In->u.QueryDirectory.Flags & SMBW_RETURN_SINGLE_ENTRY) != 0;
    BOOLEAN First = FALSE;
    ULONG Offset = 0, LastEntry = 0, Returned = 0;
    NTSTATUS Status = STATUS_SUCCESS;
    SRV_CURSOR C, Before;
    if (H == NULL)
        return STATUS_FILE_CLOSED;
    if (!H->Node->Directory)
        return STATUS_INVALID_PARAMETER;
    if (NameOffset == 0)
        return STATUS_INVALID_INFO_CLASS;
    if (Room < NameOffset)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (!H->EnumStarted) {
        USHORT Chars = (USHORT)(F->InDataLength / sizeof(WCHAR));
        const WCHAR *P = (const WCHAR *)F->InData;
        H->EnumStarted = TRUE;
        if (Chars != 0 && !(Chars == 1 && P[0] == L'*')) {
            H->Pattern = calloc(Chars, sizeof(WCHAR));
            if (H->Pattern == NULL)
                return STATUS_INSUFFICIENT_RESOURCES;
            for (USHORT I = 0; I < Chars; I++)
                H->Pattern[I] = SrvpUpcase(P[I]);
            H->PatternChars = Chars;
        }
        Restart = TRUE;
    }
    if (Restart) {
        First = TRUE;
        C.Phase = 0;
        C.Last = NULL;
        C.LastChars = 0;
    } else {
        C.Phase = H->EnumPhase;
        C.Last = H->LastName;
        C.LastChars = H->LastNameChars;
    }
    for (;;) {
        const SRV_NODE *Node;
        const WCHAR *Name;
        USHORT Chars;
        Before = C;
        if (!SrvpNextEntry(H->Node, &C, &Node, &Name, &Chars))
            break;
        if (!SrvpMatch(H, Name, Chars))
            continue;
        ULONG NameBytes = (ULONG)Chars * sizeof(WCHAR);
        ULONG Start = Returned == 0 ? 0 : ((Offset + 7u) & ~7u);
        if (Start + NameOffset + NameBytes > Room) {
            if (Returned == 0) {
                SrvpFillEntry(Class, F->OutData, NameOffset, Node, NameBytes);
                memcpy(F->OutData + NameOffset, Name, Room - NameOffset);
                Offset = Room;
                Status = STATUS_BUFFER_OVERFLOW;
            }
            C = Before;
            break;
        }
        if (Returned != 0)
            *(ULONG *)(F->OutData + LastEntry) = Start - LastEntry;
        SrvpFillEntry(Class, F->OutData + Start, NameOffset, Node, NameBytes);
        memcpy(F->OutData + Start + NameOffset, Name, NameBytes);
        LastEntry = Start;
        Offset = Start + NameOffset + NameBytes;
        Returned++;
        if (Single)
            break;
    }
    if (Status != STATUS_BUFFER_OVERFLOW && Returned == 0)
        Status = First ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
    /* Save the cursor (C.Last points into a node's name: copy it). */
    H->EnumPhase = C.Phase;
    if (C.Last != H->LastName) {
        WCHAR *Copy = NULL;
        if (C.Last != NULL) {
            Copy = calloc((size_t)C.LastChars + 1, sizeof(WCHAR));
            if (Copy == NULL)
                return STATUS_INSUFFICIENT_RESOURCES;
            memcpy(Copy, C.Last, (size_t)C.LastChars * sizeof(WCHAR));
        }
        free(H->LastName);
        H->LastName = Copy;
        H->LastNameChars = C.LastChars;
    }
    if (Status == STATUS_SUCCESS || Status == STATUS_BUFFER_OVERFLOW) {
        F->Out->Header.DataLength = Offset;
        F->Out->u.QueryDirectory.OutputLength = Offset;
    }
    return Status;
}

/* --- dispatch ------------------------------------------------------------------- */

BOOLEAN SrvpRequestLatency(SRV_STATE *State, const UCHAR *Request, ULONG RequestLength, ULONGLONG *LatencyNs)
{
    const SMBW_MESSAGE *In = (const SMBW_MESSAGE *)Request;
    *LatencyNs = 0;
    if (RequestLength < SMBW_DATA_OFFSET || In->Header.ProtocolId != SMBW_PROTOCOL_ID ||
        In->Header.DataLength > RequestLength - SMBW_DATA_OFFSET)
        return FALSE;
    if (In->Header.Command == SMBW_TREE_CONNECT) {
        const WCHAR *Server, *Share;
        USHORT ServerChars, ShareChars;
        SrvpSplitUnc((const WCHAR *)SmbwData(In), (USHORT)(In->Header.DataLength / sizeof(WCHAR)), &Server,
                     &ServerChars, &Share, &ShareChars);
        SRV_SERVER *Srv = SrvpFindServer(State, Server, ServerChars);
        if (Srv == NULL)
            return FALSE;
        SRV_SHARE *Sh = SrvpFindShare(Srv, Share, ShareChars);
        /* A missing share answers at the latency of the server's first share. */
        if (Sh == NULL)
            Sh = Srv->Shares;
        *LatencyNs = Sh ? Sh->LatencyNs : 0;
        return TRUE;
    }
    SRV_TREE *T = SrvpFindTree(State, In->Header.TreeId);
    if (T == NULL)
        return FALSE;
    *LatencyNs = T->Share->LatencyNs;
    return TRUE;
}

ULONG SrvpProcess(SRV_STATE *State, const UCHAR *Request, ULONG RequestLength, UCHAR *Reply, ULONG ReplyRoom,
                  NTSTATUS *TransportStatus)
{
    SRV_CALL_FRAME F;
    const SMBW_MESSAGE *In = (const SMBW_MESSAGE *)Request;
    SMBW_MESSAGE *Out = (SMBW_MESSAGE *)Reply;
    NTSTATUS Status;
    *TransportStatus = STATUS_SUCCESS;
    if (ReplyRoom < SMBW_DATA_OFFSET || RequestLength < SMBW_DATA_OFFSET ||
        In->Header.ProtocolId != SMBW_PROTOCOL_ID || In->Header.DataLength > RequestLength - SMBW_DATA_OFFSET) {
        *TransportStatus = STATUS_INVALID_NETWORK_RESPONSE;
        return 0;
    }
    memset(Reply, 0, SMBW_DATA_OFFSET);
    memcpy(&Out->u, &In->u, sizeof(Out->u));
    Out->Header = In->Header;
    Out->Header.Flags |= SMBW_FLAG_REPLY;
    Out->Header.DataLength = 0;
    F.State = State;
    F.In = In;
    F.InData = SmbwData(In);
    F.InDataLength = In->Header.DataLength;
    F.Out = Out;
    F.OutData = SmbwData(Out);
    F.OutRoom = ReplyRoom - SMBW_DATA_OFFSET;
    F.Share = NULL;
    if (In->Header.Command != SMBW_TREE_CONNECT) {
        SRV_TREE *T = SrvpFindTree(State, In->Header.TreeId);
        if (T == NULL) {
            Out->Header.Status = STATUS_NETWORK_NAME_DELETED;
            return SMBW_DATA_OFFSET;
        }
        F.Share = T->Share;
    }
    switch (In->Header.Command) {
    case SMBW_TREE_CONNECT:
        Status = SrvpTreeConnect(&F);
        break;
    case SMBW_CREATE:
        Status = SrvpCreate(&F);
        break;
    case SMBW_CLOSE:
        Status = SrvpClose(&F);
        break;
    case SMBW_FLUSH:
        Status = STATUS_SUCCESS;
        break;
    case SMBW_READ:
        Status = SrvpRead(&F);
        break;
    case SMBW_WRITE:
        Status = SrvpWrite(&F);
        break;
    case SMBW_QUERY_INFO:
        Status = SrvpQueryInfo(&F);
        break;
    case SMBW_SET_INFO:
        Status = SrvpSetInfo(&F);
        break;
    case SMBW_QUERY_DIRECTORY:
        Status = SrvpQueryDirectory(&F);
        break;
    default:
        Status = STATUS_NOT_SUPPORTED;
        break;
    }
    Out->Header.Status = Status;
    if (NT_ERROR(Status))
        Out->Header.DataLength = 0;
    return SMBW_DATA_OFFSET + Out->Header.DataLength;
}
