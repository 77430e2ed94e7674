/*
 * srv_tree.c - smbsrv: the server model's namespace: servers, shares, the
 * file tree of each share (nodes with names, attributes, times, data,
 * security descriptors, sorted children), tree connects, and setup-time
 * population without I/O.  Names are case-insensitive and case-preserving.
 */
#include "srvp.h"
#include <string.h>

static void *SrvpAlloc(size_t Size)
{
    void *P = calloc(1, Size ? Size : 1);
    if (P == NULL)
        abort();
    return P;
}

static WCHAR *SrvpCopyName(const WCHAR *Name, USHORT Chars, BOOLEAN Upcase)
{
    WCHAR *Copy = SrvpAlloc(((size_t)Chars + 1) * sizeof(WCHAR));
    for (USHORT I = 0; I < Chars; I++)
        Copy[I] = Upcase ? SrvpUpcase(Name[I]) : Name[I];
    return Copy;
}

WCHAR SrvpUpcase(WCHAR C)
{
    if (C >= L'a' && C <= L'z')
        return (WCHAR)(C - (L'a' - L'A'));
    if (C < 0x80)
        return C;
    return RtlUpcaseUnicodeChar(C);
}

LONG SrvpCompareUpcased(const WCHAR *A, USHORT ACount, const WCHAR *B, USHORT BCount)
{
    USHORT N = ACount < BCount ? ACount : BCount;
    for (USHORT I = 0; I < N; I++) {
        if (A[I] != B[I])
            return A[I] < B[I] ? -1 : 1;
    }
    return ACount == BCount ? 0 : (ACount < BCount ? -1 : 1);
}

BOOLEAN SrvpEqualNames(const WCHAR *A, USHORT ACount, const WCHAR *B, USHORT BCount)
{
    if (ACount != BCount)
        return FALSE;
    for (USHORT I = 0; I < ACount; I++)
        if (SrvpUpcase(A[I]) != SrvpUpcase(B[I]))
            return FALSE;
    return TRUE;
}

LARGE_INTEGER SrvpNow(void)
{
    LARGE_INTEGER Now;
    KeQuerySystemTime(&Now);
    return Now;
}

SRV_STATE *SrvpCreateState(void)
{
    SRV_STATE *S = SrvpAlloc(sizeof(SRV_STATE));
    S->NextTreeId = 1;
    S->NextFileId = 1;
    S->NextIndexNumber = 0x0001000000000040ull; /* sequence 1, record 0x40 on */
    return S;
}

void SrvpDestroyState(SRV_STATE *S)
{
    if (S == NULL)
        return;
    while (S->HandlesHead != NULL) {
        SRV_HANDLE *H = S->HandlesHead;
        S->HandlesHead = H->Next;
        free(H->Pattern);
        free(H->LastName);
        free(H);
    }
    while (S->NodesHead != NULL) {
        SRV_NODE *N = S->NodesHead;
        S->NodesHead = N->AllNext;
        free(N->Name);
        free(N->Upcase);
        free(N->Data);
        free(N->Security);
        free(N->Children);
        free(N);
    }
    while (S->Trees != NULL) {
        SRV_TREE *T = S->Trees;
        S->Trees = T->Next;
        free(T);
    }
    while (S->Servers != NULL) {
        SRV_SERVER *Server = S->Servers;
        S->Servers = Server->Next;
        while (Server->Shares != NULL) {
            SRV_SHARE *Share = Server->Shares;
            Server->Shares = Share->Next;
            free(Share->Name);
            free(Share->Upcase);
            free(Share);
        }
        free(Server->Name);
        free(Server->Upcase);
        free(Server);
    }
    free(S);
}

SRV_SERVER *SrvpFindServer(SRV_STATE *State, const WCHAR *Name, USHORT Chars)
{
    for (SRV_SERVER *S = State->Servers; S != NULL; S = S->Next)
        if (SrvpEqualNames(S->Name, S->NameChars, Name, Chars))
            return S;
    return NULL;
}

SRV_SHARE *SrvpFindShare(SRV_SERVER *Server, const WCHAR *Name, USHORT Chars)
{
    for (SRV_SHARE *S = Server ? Server->Shares : NULL; S != NULL; S = S->Next)
        if (SrvpEqualNames(S->Name, S->NameChars, Name, Chars))
            return S;
    return NULL;
}

SRV_TREE *SrvpFindTree(SRV_STATE *State, ULONG TreeId)
{
    for (SRV_TREE *T = State->Trees; T != NULL; T = T->Next)
        if (T->TreeId == TreeId)
            return T;
    return NULL;
}

/* A file or directory name component as Windows servers accept it. */
NTSTATUS SrvpValidateComponent(const WCHAR *Name, USHORT Chars)
{
    if (Chars == 0 || Chars > SRV_MAX_COMPONENT)
        return STATUS_OBJECT_NAME_INVALID;
    if ((Chars == 1 && Name[0] == L'.') || (Chars == 2 && Name[0] == L'.' && Name[1] == L'.'))
        return STATUS_OBJECT_NAME_INVALID;
    for (USHORT I = 0; I < Chars; I++) {
        WCHAR C = Name[I];
        if (C < 0x20 || C == L'"' || C == L'*' || C == L'/' || C == L':' || C == L'<' || C == L'>' ||
            C == L'?' || C == L'\\' || C == L'|')
            return STATUS_OBJECT_NAME_INVALID;
    }
    return STATUS_SUCCESS;
}

NTSTATUS SrvpNewNode(SRV_STATE *State, SRV_SHARE *Share, const WCHAR *Name, USHORT Chars, BOOLEAN Directory,
                     ULONG Attributes, SRV_NODE **Out)
{
    SRV_NODE *N = SrvpAlloc(sizeof(SRV_NODE));
    LARGE_INTEGER Now = SrvpNow();
    N->Share = Share;
    N->Name = SrvpCopyName(Name, Chars, FALSE);
    N->Upcase = SrvpCopyName(Name, Chars, TRUE);
    N->NameChars = Chars;
    N->Directory = Directory;
    N->Attributes = Attributes & ~(ULONG)(FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_DIRECTORY);
    N->CreationTime = N->LastAccessTime = N->LastWriteTime = N->ChangeTime = Now;
    N->IndexNumber = State->NextIndexNumber++;
    if (!SrvpDefaultSecurity(Directory, Chars == 0, &N->Security, &N->SecurityLength)) {
        free(N->Name);
        free(N->Upcase);
        free(N);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    N->AllPrev = State->NodesTail;
    if (State->NodesTail)
        State->NodesTail->AllNext = N;
    else
        State->NodesHead = N;
    State->NodesTail = N;
    *Out = N;
    return STATUS_SUCCESS;
}

void SrvpFreeNode(SRV_STATE *State, SRV_NODE *N)
{
    if (N->AllPrev)
        N->AllPrev->AllNext = N->AllNext;
    else
        State->NodesHead = N->AllNext;
    if (N->AllNext)
        N->AllNext->AllPrev = N->AllPrev;
    else
        State->NodesTail = N->AllPrev;
    free(N->Name);
    free(N->Upcase);
    free(N->Data);
    free(N->Security);
    free(N->Children);
    free(N);
}

/* Position of an upcased name in Directory's sorted children. */
static ULONG SrvpFindPosition(SRV_NODE *Directory, const WCHAR *Upcase, USHORT Chars, BOOLEAN *Found)
{
    ULONG Low = 0, High = Directory->ChildCount;
    *Found = FALSE;
    while (Low < High) {
        ULONG Mid = (Low + High) / 2;
        SRV_NODE *C = Directory->Children[Mid];
        LONG R = SrvpCompareUpcased(C->Upcase, C->NameChars, Upcase, Chars);
        if (R == 0) {
            *Found = TRUE;
            return Mid;
        }
        if (R < 0)
            Low = Mid + 1;
        else
            High = Mid;
    }
    return Low;
}

SRV_NODE *SrvpLookupChild(SRV_NODE *Directory, const WCHAR *Name, USHORT Chars)
{
    WCHAR Key[SRV_MAX_COMPONENT + 1];
    BOOLEAN Found;
    ULONG Position;
    if (Directory == NULL || !Directory->Directory || Chars > SRV_MAX_COMPONENT)
        return NULL;
    for (USHORT I = 0; I < Chars; I++)
        Key[I] = SrvpUpcase(Name[I]);
    Position = SrvpFindPosition(Directory, Key, Chars, &Found);
    return Found ? Directory->Children[Position] : NULL;
}

NTSTATUS SrvpInsertChild(SRV_NODE *Directory, SRV_NODE *Child)
{
    BOOLEAN Found;
    ULONG Position = SrvpFindPosition(Directory, Child->Upcase, Child->NameChars, &Found);
    if (Found)
        return STATUS_OBJECT_NAME_COLLISION;
    if (Directory->ChildCount == Directory->ChildCapacity) {
        ULONG NewCapacity = Directory->ChildCapacity ? Directory->ChildCapacity * 2 : 8;
        SRV_NODE **Grown = realloc(Directory->Children, NewCapacity * sizeof(SRV_NODE *));
        if (Grown == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Directory->Children = Grown;
        Directory->ChildCapacity = NewCapacity;
    }
    memmove(&Directory->Children[Position + 1], &Directory->Children[Position],
            (Directory->ChildCount - Position) * sizeof(SRV_NODE *));
    Directory->Children[Position] = Child;
    Directory->ChildCount++;
    Child->Parent = Directory;
    Child->Linked = TRUE;
    return STATUS_SUCCESS;
}

void SrvpUnlinkChild(SRV_NODE *Child)
{
    SRV_NODE *Directory = Child->Parent;
    BOOLEAN Found;
    ULONG Position;
    if (Directory == NULL || !Child->Linked)
        return;
    Position = SrvpFindPosition(Directory, Child->Upcase, Child->NameChars, &Found);
    if (Found && Directory->Children[Position] == Child) {
        memmove(&Directory->Children[Position], &Directory->Children[Position + 1],
                (Directory->ChildCount - Position - 1) * sizeof(SRV_NODE *));
        Directory->ChildCount--;
    }
    Child->Linked = FALSE;
}

NTSTATUS SrvpSetFileSize(SRV_NODE *Node, ULONGLONG Size)
{
    if (Size > SRV_MAX_FILE_SIZE)
        return STATUS_DISK_FULL;
    if (Size > Node->Capacity) {
        SIZE_T NewCapacity = Node->Capacity ? Node->Capacity : 512;
        while (NewCapacity < Size)
            NewCapacity *= 2;
        UCHAR *Grown = realloc(Node->Data, NewCapacity);
        if (Grown == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        memset(Grown + Node->Capacity, 0, NewCapacity - Node->Capacity);
        Node->Data = Grown;
        Node->Capacity = NewCapacity;
    }
    if (Size < Node->Size)
        memset(Node->Data + Size, 0, (size_t)(Node->Size - Size));
    Node->Size = Size;
    ULONGLONG Rounded = (Size + SRV_ALLOCATION_UNIT - 1) & ~(SRV_ALLOCATION_UNIT - 1);
    if (Node->AllocationSize < Rounded || Node->AllocationSize > Rounded)
        Node->AllocationSize = Rounded;
    return STATUS_SUCCESS;
}

NTSTATUS SrvpWalk(SRV_NODE *Root, const WCHAR *Path, USHORT Chars, SRV_NODE **Parent, const WCHAR **Final,
                  USHORT *FinalChars, SRV_NODE **Node)
{
    SRV_NODE *Current = Root;
    USHORT Start = 0;
    *Parent = NULL;
    *Final = NULL;
    *FinalChars = 0;
    *Node = NULL;
    if (Chars == 0) {
        *Node = Root;
        return STATUS_SUCCESS;
    }
    for (;;) {
        USHORT End = Start;
        while (End < Chars && Path[End] != L'\\')
            End++;
        const WCHAR *Component = Path + Start;
        USHORT ComponentChars = (USHORT)(End - Start);
        NTSTATUS Status = SrvpValidateComponent(Component, ComponentChars);
        if (!NT_SUCCESS(Status))
            return Status;
        if (End >= Chars) {
            *Parent = Current;
            *Final = Component;
            *FinalChars = ComponentChars;
            *Node = SrvpLookupChild(Current, Component, ComponentChars);
            return STATUS_SUCCESS;
        }
        SRV_NODE *Next = SrvpLookupChild(Current, Component, ComponentChars);
        if (Next == NULL || !Next->Directory)
            return STATUS_OBJECT_PATH_NOT_FOUND;
        Current = Next;
        Start = (USHORT)(End + 1);
        if (Start >= Chars)
            return STATUS_OBJECT_NAME_INVALID; /* a trailing '\' after a component */
    }
}

void SrvpFillInfo(const SRV_NODE *Node, SMBW_FILE_INFO *Info)
{
    memset(Info, 0, sizeof(*Info));
    Info->CreationTime = Node->CreationTime;
    Info->LastAccessTime = Node->LastAccessTime;
    Info->LastWriteTime = Node->LastWriteTime;
    Info->ChangeTime = Node->ChangeTime;
    Info->AllocationSize.QuadPart = Node->Directory ? 0 : (LONGLONG)Node->AllocationSize;
    Info->EndOfFile.QuadPart = Node->Directory ? 0 : (LONGLONG)Node->Size;
    Info->IndexNumber = Node->IndexNumber;
    Info->FileAttributes = Node->Attributes | (Node->Directory ? FILE_ATTRIBUTE_DIRECTORY : 0);
    if (Info->FileAttributes == 0)
        Info->FileAttributes = FILE_ATTRIBUTE_NORMAL;
    Info->NumberOfLinks = 1;
    Info->DeletePending = Node->DeletePending;
    Info->Directory = Node->Directory;
}

NTSTATUS SrvpAddShare(SRV_STATE *State, const WCHAR *ServerName, USHORT ServerChars, const WCHAR *ShareName,
                      USHORT ShareChars, ULONGLONG LatencyNs, ULONG Flags)
{
    SRV_SERVER *Server;
    SRV_SHARE *Share;
    NTSTATUS Status;
    if (!NT_SUCCESS(SrvpValidateComponent(ServerName, ServerChars)) ||
        !NT_SUCCESS(SrvpValidateComponent(ShareName, ShareChars)))
        return STATUS_OBJECT_NAME_INVALID;
    Server = SrvpFindServer(State, ServerName, ServerChars);
    if (Server == NULL) {
        SRV_SERVER **Tail = &State->Servers;
        Server = SrvpAlloc(sizeof(SRV_SERVER));
        Server->Name = SrvpCopyName(ServerName, ServerChars, FALSE);
        Server->Upcase = SrvpCopyName(ServerName, ServerChars, TRUE);
        Server->NameChars = ServerChars;
        while (*Tail)
            Tail = &(*Tail)->Next;
        *Tail = Server;
    } else if (SrvpFindShare(Server, ShareName, ShareChars) != NULL) {
        return STATUS_OBJECT_NAME_COLLISION;
    }
    Share = SrvpAlloc(sizeof(SRV_SHARE));
    Share->Server = Server;
    Share->Name = SrvpCopyName(ShareName, ShareChars, FALSE);
    Share->Upcase = SrvpCopyName(ShareName, ShareChars, TRUE);
    Share->NameChars = ShareChars;
    Share->LatencyNs = LatencyNs;
    Share->Flags = Flags;
    Status = SrvpNewNode(State, Share, NULL, 0, TRUE, 0, &Share->Root);
    if (!NT_SUCCESS(Status)) {
        free(Share->Name);
        free(Share->Upcase);
        free(Share);
        return Status;
    }
    Share->Root->Linked = TRUE;
    {
        SRV_SHARE **Tail = &Server->Shares;
        while (*Tail)
            Tail = &(*Tail)->Next;
        *Tail = Share;
    }
    return STATUS_SUCCESS;
}

/* --- setup-time population (host API) -------------------------------------- */

static SRV_STATE *SrvpStateOf(PDEVICE_OBJECT Wire)
{
    SRV_WIRE_EXTENSION *X = Wire ? (SRV_WIRE_EXTENSION *)Wire->DeviceExtension : NULL;
    return X != NULL && X->NodeTypeCode == SRV_NTC_WIRE ? X->State : NULL;
}

static SRV_SHARE *SrvpLookupShare(SRV_STATE *S, PCUNICODE_STRING Server, PCUNICODE_STRING Share)
{
    SRV_SERVER *Srv = SrvpFindServer(S, Server->Buffer, (USHORT)(Server->Length / sizeof(WCHAR)));
    return Srv ? SrvpFindShare(Srv, Share->Buffer, (USHORT)(Share->Length / sizeof(WCHAR))) : NULL;
}

NTSTATUS SrvAddShare(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share, ULONGLONG LatencyNs,
                     ULONG ShareFlags)
{
    SRV_STATE *S = SrvpStateOf(Wire);
    if (S == NULL)
        return STATUS_DEVICE_NOT_READY;
    return SrvpAddShare(S, Server->Buffer, (USHORT)(Server->Length / sizeof(WCHAR)), Share->Buffer,
                        (USHORT)(Share->Length / sizeof(WCHAR)), LatencyNs, ShareFlags);
}

NTSTATUS SrvCreateEntryDirect(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share,
                              PCUNICODE_STRING Path, BOOLEAN Directory, const VOID *Data, SIZE_T Length)
{
    SRV_STATE *S = SrvpStateOf(Wire);
    SRV_SHARE *Sh;
    const WCHAR *P;
    USHORT Chars, Start = 0;
    SRV_NODE *Current;
    if (S == NULL)
        return STATUS_DEVICE_NOT_READY;
    Sh = SrvpLookupShare(S, Server, Share);
    if (Sh == NULL)
        return STATUS_BAD_NETWORK_NAME;
    if (!Directory && (Length > SRV_MAX_FILE_SIZE || (Data == NULL && Length != 0)))
        return STATUS_INVALID_PARAMETER;
    P = Path->Buffer;
    Chars = (USHORT)(Path->Length / sizeof(WCHAR));
    while (Chars > 0 && P[Chars - 1] == L'\\')
        Chars--;
    while (Start < Chars && P[Start] == L'\\')
        Start++;
    Current = Sh->Root;
    if (Start >= Chars)
        return Directory ? STATUS_SUCCESS : STATUS_OBJECT_NAME_COLLISION;
    while (Start < Chars) {
        USHORT End = Start;
        while (End < Chars && P[End] != L'\\')
            End++;
        BOOLEAN Last = (BOOLEAN)(End >= Chars);
        NTSTATUS Status = SrvpValidateComponent(P + Start, (USHORT)(End - Start));
        if (!NT_SUCCESS(Status))
            return Status;
        SRV_NODE *Child = SrvpLookupChild(Current, P + Start, (USHORT)(End - Start));
        if (Child == NULL) {
            BOOLEAN MakeDirectory = (BOOLEAN)(!Last || Directory);
            Status = SrvpNewNode(S, Sh, P + Start, (USHORT)(End - Start), MakeDirectory,
                                 MakeDirectory ? 0 : FILE_ATTRIBUTE_ARCHIVE, &Child);
            if (!NT_SUCCESS(Status))
                return Status;
            Status = SrvpInsertChild(Current, Child);
            if (!NT_SUCCESS(Status)) {
                SrvpFreeNode(S, Child);
                return Status;
            }
            Current->LastWriteTime = Current->ChangeTime = SrvpNow();
        } else if (!Last && !Child->Directory) {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        } else if (Last && Child->Directory != Directory) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
        if (Last && !Directory) {
            Status = SrvpSetFileSize(Child, 0);
            if (NT_SUCCESS(Status))
                Status = SrvpSetFileSize(Child, Length);
            if (!NT_SUCCESS(Status))
                return Status;
            if (Length != 0)
                memcpy(Child->Data, Data, Length);
            Child->LastWriteTime = Child->ChangeTime = SrvpNow();
        }
        Current = Child;
        Start = (USHORT)(End + 1);
    }
    return STATUS_SUCCESS;
}

BOOLEAN SrvQueryEntryDirect(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share,
                            PCUNICODE_STRING Path, ULONGLONG *Size, BOOLEAN *Directory, ULONG *OpenCount)
{
    SRV_STATE *S = SrvpStateOf(Wire);
    SRV_SHARE *Sh = S ? SrvpLookupShare(S, Server, Share) : NULL;
    SRV_NODE *Parent, *Node;
    const WCHAR *Final;
    USHORT FinalChars;
    const WCHAR *P = Path->Buffer;
    USHORT Chars = (USHORT)(Path->Length / sizeof(WCHAR));
    if (Sh == NULL)
        return FALSE;
    while (Chars > 0 && P[0] == L'\\') {
        P++;
        Chars--;
    }
    while (Chars > 0 && P[Chars - 1] == L'\\')
        Chars--;
    if (!NT_SUCCESS(SrvpWalk(Sh->Root, P, Chars, &Parent, &Final, &FinalChars, &Node)) || Node == NULL)
        return FALSE;
    if (Size)
        *Size = Node->Size;
    if (Directory)
        *Directory = Node->Directory;
    if (OpenCount)
        *OpenCount = Node->OpenCount;
    return TRUE;
}
