/*
 * lfs_tree.c - localfs: the in-memory file tree (nodes, sorted child
 * arrays, names, paths, file data and sizes) and the FCB/CCB lifetimes.
 *
 * Directories keep their children in an array sorted by the upcased name
 * (ordinal comparison of UTF-16 code units, the order NTFS's upcase table
 * gives), so lookups are binary searches and listings come out in NTFS
 * order without any dependence on pointer values.
 */
#include "lfsp.h"

LARGE_INTEGER LfspNow(void)
{
    LARGE_INTEGER Now;

    KeQuerySystemTime(&Now);
    return Now;
}

WCHAR LfspUpcase(WCHAR Char)
{
    return RtlUpcaseUnicodeChar(Char);
}

/* Ordinal comparison of two upcased names; a proper prefix sorts first. */
LONG LfspCompareUpcased(PCUNICODE_STRING A, PCUNICODE_STRING B)
{
    USHORT CountA = A->Length / sizeof(WCHAR);
    USHORT CountB = B->Length / sizeof(WCHAR);
    USHORT Count = CountA < CountB ? CountA : CountB;
    USHORT Index;

    for (Index = 0; Index < Count; Index++) {
        USHORT CharA = (USHORT)A->Buffer[Index];
        USHORT CharB = (USHORT)B->Buffer[Index];
        if (CharA != CharB) {
            return CharA < CharB ? -1 : 1;
        }
    }
    if (CountA == CountB) {
        return 0;
    }
    return CountA < CountB ? -1 : 1;
}

/*
 * One path component: 1..255 characters, none of them a control character
 * or one of  " * / : < > ? \ |  (wildcards included), and not "." or "..".
 */
NTSTATUS LfspValidateComponent(PCUNICODE_STRING Name)
{
    USHORT Count = Name->Length / sizeof(WCHAR);
    USHORT Index;

    if (Count == 0 || Count > LFS_MAX_COMPONENT || (Name->Length % sizeof(WCHAR)) != 0) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    for (Index = 0; Index < Count; Index++) {
        WCHAR Char = Name->Buffer[Index];
        if (Char < 0x20) {
            return STATUS_OBJECT_NAME_INVALID;
        }
        switch (Char) {
        case L'"':
        case L'*':
        case L'/':
        case L':':
        case L'<':
        case L'>':
        case L'?':
        case L'\\':
        case L'|':
            return STATUS_OBJECT_NAME_INVALID;
        default:
            break;
        }
    }
    if ((Count == 1 && Name->Buffer[0] == L'.') ||
        (Count == 2 && Name->Buffer[0] == L'.' && Name->Buffer[1] == L'.')) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    return STATUS_SUCCESS;
}

/* Allocates Name and UpcaseName for Node in one pool block. */
static NTSTATUS LfspSetNodeName(PLFS_NODE Node, PCUNICODE_STRING Name)
{
    USHORT Count = Name->Length / sizeof(WCHAR);
    PWCHAR Buffer;
    USHORT Index;

    Buffer = ExAllocatePoolWithTag(PagedPool, (SIZE_T)Name->Length * 2 + sizeof(WCHAR),
                                   LFS_TAG_NAME);
    if (Buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (Index = 0; Index < Count; Index++) {
        Buffer[Index] = Name->Buffer[Index];
        Buffer[Count + Index] = LfspUpcase(Name->Buffer[Index]);
    }
    if (Node->Name.Buffer != NULL) {
        ExFreePoolWithTag(Node->Name.Buffer, LFS_TAG_NAME);
    }
    Node->Name.Buffer = Buffer;
    Node->Name.Length = Name->Length;
    Node->Name.MaximumLength = Name->Length;
    Node->UpcaseName.Buffer = Buffer + Count;
    Node->UpcaseName.Length = Name->Length;
    Node->UpcaseName.MaximumLength = Name->Length;
    return STATUS_SUCCESS;
}

/*
 * A new node with no links (RefCount 0): the caller inserts it into a
 * directory (or makes it the root, taking the reference itself).  Name is
 * empty for the root.
 */
NTSTATUS LfspAllocateNode(PLFS_VCB Vcb, PCUNICODE_STRING Name, BOOLEAN Directory,
                          ULONG FileAttributes, PLFS_NODE *Node)
{
    PLFS_NODE New;
    NTSTATUS Status;
    BOOLEAN Root = (Name == NULL || Name->Length == 0);

    *Node = NULL;
    New = ExAllocatePoolWithTag(PagedPool, sizeof(LFS_NODE), LFS_TAG_NODE);
    if (New == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(New, sizeof(LFS_NODE));
    New->Vcb = Vcb;
    New->IsDirectory = Directory;
    New->IsRoot = Root;
    if (!Root) {
        Status = LfspSetNodeName(New, Name);
        if (!NT_SUCCESS(Status)) {
            ExFreePoolWithTag(New, LFS_TAG_NODE);
            return Status;
        }
    }
    Status = LfspBuildDefaultSecurity(Directory, Root, &New->Security, &New->SecurityLength);
    if (!NT_SUCCESS(Status)) {
        if (New->Name.Buffer != NULL) {
            ExFreePoolWithTag(New->Name.Buffer, LFS_TAG_NAME);
        }
        ExFreePoolWithTag(New, LFS_TAG_NODE);
        return Status;
    }
    New->FileAttributes = FileAttributes;
    New->CreationTime = LfspNow();
    New->LastAccessTime = New->CreationTime;
    New->LastWriteTime = New->CreationTime;
    New->ChangeTime = New->CreationTime;
    if (Root) {
        New->FileId = LFS_ROOT_FILE_ID;
    } else {
        New->FileId = (1ull << 48) | Vcb->NextFileRecord++;
    }
    InsertTailList(&Vcb->AllNodes, &New->VcbLinks);
    *Node = New;
    return STATUS_SUCCESS;
}

static void LfspFreeNode(PLFS_NODE Node)
{
    RemoveEntryList(&Node->VcbLinks);
    if (Node->Name.Buffer != NULL) {
        ExFreePoolWithTag(Node->Name.Buffer, LFS_TAG_NAME);
    }
    if (Node->Data != NULL) {
        ExFreePoolWithTag(Node->Data, LFS_TAG_DATA);
    }
    if (Node->Children != NULL) {
        ExFreePoolWithTag(Node->Children, LFS_TAG_CHILDREN);
    }
    if (Node->Security != NULL) {
        ExFreePoolWithTag(Node->Security, LFS_TAG_SECURITY);
    }
    ExFreePoolWithTag(Node, LFS_TAG_NODE);
}

void LfspReferenceNode(PLFS_NODE Node)
{
    Node->RefCount++;
}

/* Drops a reference; a node nobody refers to is freed, then its parent
 * loses the reference the node held on it. */
void LfspDereferenceNode(PLFS_NODE Node)
{
    while (Node != NULL) {
        PLFS_NODE Parent;

        ASSERT(Node->RefCount > 0);
        if (--Node->RefCount != 0) {
            return;
        }
        Parent = Node->Parent;
        LfspFreeNode(Node);
        Node = Parent;
    }
}

/* Index of UpcaseName in Directory's children, or where it would go. */
ULONG LfspFindChildPosition(PLFS_NODE Directory, PCUNICODE_STRING UpcaseName, BOOLEAN *Found)
{
    ULONG Low = 0;
    ULONG High = Directory->ChildCount;

    *Found = FALSE;
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        LONG Compare = LfspCompareUpcased(&Directory->Children[Middle]->UpcaseName, UpcaseName);
        if (Compare == 0) {
            *Found = TRUE;
            return Middle;
        }
        if (Compare < 0) {
            Low = Middle + 1;
        } else {
            High = Middle;
        }
    }
    return Low;
}

PLFS_NODE LfspLookupChild(PLFS_NODE Directory, PCUNICODE_STRING Name)
{
    WCHAR Upcased[LFS_MAX_COMPONENT];
    UNICODE_STRING Key;
    USHORT Count = Name->Length / sizeof(WCHAR);
    USHORT Index;
    BOOLEAN Found;
    ULONG Position;

    if (!Directory->IsDirectory || Count == 0 || Count > LFS_MAX_COMPONENT) {
        return NULL;
    }
    for (Index = 0; Index < Count; Index++) {
        Upcased[Index] = LfspUpcase(Name->Buffer[Index]);
    }
    Key.Buffer = Upcased;
    Key.Length = (USHORT)(Count * sizeof(WCHAR));
    Key.MaximumLength = Key.Length;
    Position = LfspFindChildPosition(Directory, &Key, &Found);
    return Found ? Directory->Children[Position] : NULL;
}

/* Links Child (already named, not linked anywhere) into Directory. */
NTSTATUS LfspInsertChild(PLFS_NODE Directory, PLFS_NODE Child)
{
    BOOLEAN Found;
    ULONG Position;
    ULONG Index;

    ASSERT(Directory->IsDirectory && !Child->Linked);
    Position = LfspFindChildPosition(Directory, &Child->UpcaseName, &Found);
    if (Found) {
        return STATUS_OBJECT_NAME_COLLISION;
    }
    if (Directory->ChildCount == Directory->ChildCapacity) {
        ULONG NewCapacity = Directory->ChildCapacity == 0 ? 8 : Directory->ChildCapacity * 2;
        PLFS_NODE *NewArray = ExAllocatePoolWithTag(PagedPool, NewCapacity * sizeof(PLFS_NODE),
                                                    LFS_TAG_CHILDREN);
        if (NewArray == NULL) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (Directory->Children != NULL) {
            RtlCopyMemory(NewArray, Directory->Children, Directory->ChildCount * sizeof(PLFS_NODE));
            ExFreePoolWithTag(Directory->Children, LFS_TAG_CHILDREN);
        }
        Directory->Children = NewArray;
        Directory->ChildCapacity = NewCapacity;
    }
    for (Index = Directory->ChildCount; Index > Position; Index--) {
        Directory->Children[Index] = Directory->Children[Index - 1];
    }
    Directory->Children[Position] = Child;
    Directory->ChildCount++;
    if (Child->Parent != Directory) {
        PLFS_NODE OldParent = Child->Parent;
        Child->Parent = Directory;
        LfspReferenceNode(Directory);
        if (OldParent != NULL) {
            LfspDereferenceNode(OldParent);
        }
    }
    if (!Child->Linked) {
        Child->Linked = TRUE;
        LfspReferenceNode(Child);
    }
    return STATUS_SUCCESS;
}

/* Removes Node from its parent's array without dropping any reference. */
static void LfspRemoveFromParent(PLFS_NODE Node)
{
    PLFS_NODE Directory = Node->Parent;
    BOOLEAN Found;
    ULONG Position;
    ULONG Index;

    Position = LfspFindChildPosition(Directory, &Node->UpcaseName, &Found);
    ASSERT(Found && Directory->Children[Position] == Node);
    if (!Found) {
        return;
    }
    for (Index = Position; Index + 1 < Directory->ChildCount; Index++) {
        Directory->Children[Index] = Directory->Children[Index + 1];
    }
    Directory->ChildCount--;
}

/*
 * Removes Node from the namespace.  It keeps its Parent pointer (and the
 * reference on the parent) so that open handles can still report its path;
 * the link reference is dropped, which frees the node if no FCB holds it.
 */
void LfspUnlinkNode(PLFS_NODE Node)
{
    if (!Node->Linked) {
        return;
    }
    LfspRemoveFromParent(Node);
    Node->Linked = FALSE;
    LfspDereferenceNode(Node);
}

/* Moves Node under NewParent with NewName (the caller checked collisions). */
NTSTATUS LfspRenameNode(PLFS_NODE Node, PLFS_NODE NewParent, PCUNICODE_STRING NewName)
{
    UNICODE_STRING OldName = Node->Name;
    PWCHAR OldBuffer = Node->Name.Buffer;
    NTSTATUS Status;

    ASSERT(Node->Linked);
    LfspRemoveFromParent(Node);
    /* Keep the old buffer alive until the new name is in place. */
    Node->Name.Buffer = NULL;
    Status = LfspSetNodeName(Node, NewName);
    if (NT_SUCCESS(Status)) {
        Node->Linked = FALSE;
        Status = LfspInsertChild(NewParent, Node);
        if (NT_SUCCESS(Status)) {
            /* LfspInsertChild took a new link reference: drop the old one. */
            LfspDereferenceNode(Node);
            ExFreePoolWithTag(OldBuffer, LFS_TAG_NAME);
            return STATUS_SUCCESS;
        }
        Node->Linked = TRUE;
        ExFreePoolWithTag(Node->Name.Buffer, LFS_TAG_NAME);
    }
    /* Put everything back as it was. */
    Node->Name = OldName;
    Node->UpcaseName.Buffer = OldBuffer + OldName.Length / sizeof(WCHAR);
    Node->UpcaseName.Length = OldName.Length;
    Node->UpcaseName.MaximumLength = OldName.Length;
    {
        PLFS_NODE Directory = Node->Parent;
        BOOLEAN Found;
        ULONG Position = LfspFindChildPosition(Directory, &Node->UpcaseName, &Found);
        ULONG Index;

        /* The slot we vacated is still free (capacity never shrinks). */
        for (Index = Directory->ChildCount; Index > Position; Index--) {
            Directory->Children[Index] = Directory->Children[Index - 1];
        }
        Directory->Children[Position] = Node;
        Directory->ChildCount++;
    }
    return Status;
}

BOOLEAN LfspIsAncestor(PLFS_NODE Ancestor, PLFS_NODE Node)
{
    for (; Node != NULL; Node = Node->Parent) {
        if (Node == Ancestor) {
            return TRUE;
        }
    }
    return FALSE;
}

/* Whether any file below Directory (not Directory itself) has open handles. */
BOOLEAN LfspHasOpenDescendant(PLFS_NODE Directory)
{
    ULONG Index;

    for (Index = 0; Index < Directory->ChildCount; Index++) {
        PLFS_NODE Child = Directory->Children[Index];
        if (Child->Fcb != NULL && Child->Fcb->CleanupCount != 0) {
            return TRUE;
        }
        if (Child->IsDirectory && LfspHasOpenDescendant(Child)) {
            return TRUE;
        }
    }
    return FALSE;
}

/* Bytes of the node's path from the volume root ("\" for the root). */
ULONG LfspPathLength(PLFS_NODE Node)
{
    ULONG Length = 0;

    if (Node->IsRoot) {
        return sizeof(WCHAR);
    }
    for (; Node != NULL && !Node->IsRoot; Node = Node->Parent) {
        Length += sizeof(WCHAR) + Node->Name.Length;
    }
    return Length;
}

/* Writes the path (PathLength bytes from LfspPathLength) into Buffer. */
void LfspFillPath(PLFS_NODE Node, PWCHAR Buffer, ULONG PathLength)
{
    ULONG Position = PathLength / sizeof(WCHAR);

    if (Node->IsRoot) {
        Buffer[0] = L'\\';
        return;
    }
    for (; Node != NULL && !Node->IsRoot; Node = Node->Parent) {
        USHORT Count = Node->Name.Length / sizeof(WCHAR);
        Position -= Count;
        RtlCopyMemory(&Buffer[Position], Node->Name.Buffer, Node->Name.Length);
        Position--;
        Buffer[Position] = L'\\';
    }
}

static ULONGLONG LfspRoundToCluster(ULONGLONG Size)
{
    return (Size + LFS_CLUSTER_SIZE - 1) & ~(ULONGLONG)(LFS_CLUSTER_SIZE - 1);
}

/*
 * Sets the end of file.  Growing zero-fills the new bytes and grows the
 * allocation to whole clusters; shrinking releases the allocation beyond the
 * new end of file.
 */
NTSTATUS LfspSetFileSize(PLFS_NODE Node, ULONGLONG NewSize)
{
    if (NewSize > LFS_MAX_FILE_SIZE) {
        return STATUS_DISK_FULL;
    }
    if (NewSize > Node->DataCapacity) {
        SIZE_T Capacity = Node->DataCapacity < 64 ? 64 : Node->DataCapacity;
        PUCHAR NewData;

        while (Capacity < NewSize) {
            Capacity *= 2;
        }
        if (Capacity > LFS_MAX_FILE_SIZE) {
            Capacity = (SIZE_T)LFS_MAX_FILE_SIZE;
        }
        NewData = ExAllocatePoolWithTag(PagedPool, Capacity, LFS_TAG_DATA);
        if (NewData == NULL) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        if (Node->Data != NULL) {
            RtlCopyMemory(NewData, Node->Data, (SIZE_T)Node->FileSize);
            ExFreePoolWithTag(Node->Data, LFS_TAG_DATA);
        }
        Node->Data = NewData;
        Node->DataCapacity = Capacity;
    }
    if (NewSize > Node->FileSize) {
        RtlZeroMemory(Node->Data + Node->FileSize, (SIZE_T)(NewSize - Node->FileSize));
        if (LfspRoundToCluster(NewSize) > Node->AllocationSize) {
            Node->AllocationSize = LfspRoundToCluster(NewSize);
        }
    } else {
        Node->AllocationSize = LfspRoundToCluster(NewSize);
    }
    Node->FileSize = NewSize;
    LfspSyncFcbSizes(Node);
    return STATUS_SUCCESS;
}

/* FileAllocationInformation: below the end of file, the file is truncated. */
void LfspSetAllocationSize(PLFS_NODE Node, ULONGLONG AllocationSize)
{
    if (AllocationSize < Node->FileSize) {
        Node->FileSize = AllocationSize;
    }
    Node->AllocationSize = LfspRoundToCluster(AllocationSize);
    LfspSyncFcbSizes(Node);
}

/* Keeps the FSRTL header's sizes (read by filters and Cc) in step. */
void LfspSyncFcbSizes(PLFS_NODE Node)
{
    PLFS_FCB Fcb = Node->Fcb;

    if (Fcb != NULL) {
        PFSRTL_COMMON_FCB_HEADER Header = LfspCommonHeader(Fcb);

        Header->AllocationSize.QuadPart = (LONGLONG)Node->AllocationSize;
        Header->FileSize.QuadPart = (LONGLONG)Node->FileSize;
        Header->ValidDataLength.QuadPart = (LONGLONG)Node->FileSize;
    }
}

/* Attributes as queries report them: a file with none is NORMAL. */
ULONG LfspReportedAttributes(PLFS_NODE Node)
{
    ULONG Attributes = Node->FileAttributes;

    if (Node->IsDirectory) {
        Attributes |= FILE_ATTRIBUTE_DIRECTORY;
    }
    if (Attributes == 0) {
        Attributes = FILE_ATTRIBUTE_NORMAL;
    }
    return Attributes;
}

ULONGLONG LfspUsedClusters(PLFS_VCB Vcb)
{
    ULONGLONG Clusters = 0;
    PLIST_ENTRY Entry;

    for (Entry = Vcb->AllNodes.Flink; Entry != &Vcb->AllNodes; Entry = Entry->Flink) {
        PLFS_NODE Node = CONTAINING_RECORD(Entry, LFS_NODE, VcbLinks);
        Clusters += Node->AllocationSize / LFS_CLUSTER_SIZE;
    }
    return Clusters;
}

/* A directory's contents changed: its modification times move. */
void LfspTouchDirectory(PLFS_NODE Directory)
{
    LARGE_INTEGER Now = LfspNow();

    Directory->LastWriteTime = Now;
    Directory->ChangeTime = Now;
}

/* --- FCBs ---------------------------------------------------------------- */

/*
 * The FCB of Node (or, for Node NULL, of the volume itself).  The header is
 * set up as FsRtlSetupAdvancedHeader does: an advanced header whose
 * FilterContexts list carries the filters' per-stream contexts.  Per-file
 * contexts are not offered (FileContextSupportPointer NULL).
 */
NTSTATUS LfspCreateFcb(PLFS_VCB Vcb, PLFS_NODE Node, PLFS_FCB *Fcb)
{
    PLFS_FCB New;
    PFSRTL_COMMON_FCB_HEADER Header;

    *Fcb = NULL;
    New = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(LFS_FCB), LFS_TAG_FCB);
    if (New == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(New, sizeof(LFS_FCB));
    Header = LfspCommonHeader(New);
    Header->NodeTypeCode = Node != NULL ? LFS_NTC_FCB : LFS_NTC_VOLUME_FCB;
    Header->NodeByteSize = (CSHORT)sizeof(LFS_FCB);
    Header->IsFastIoPossible = FastIoIsNotPossible;
    Header->Resource = &New->MainResource;
    Header->PagingIoResource = &New->PagingIoResource;
    Header->Flags |= FSRTL_FLAG_ADVANCED_HEADER;
    Header->Flags2 |= FSRTL_FLAG2_SUPPORTS_FILTER_CONTEXTS;
    Header->Version = FSRTL_FCB_HEADER_V2;
    ExInitializeResourceLite(&New->MainResource);
    ExInitializeResourceLite(&New->PagingIoResource);
    ExInitializeFastMutex(&New->HeaderMutex);
    InitializeListHead(&New->Header.FilterContexts);
    New->Header.FastMutex = &New->HeaderMutex;
    New->Header.FileContextSupportPointer = NULL;
    New->Vcb = Vcb;
    New->Node = Node;
    InsertTailList(&Vcb->AllFcbs, &New->VcbLinks);
    if (Node != NULL) {
        Node->Fcb = New;
        LfspReferenceNode(Node);
        LfspSyncFcbSizes(Node);
    }
    *Fcb = New;
    return STATUS_SUCCESS;
}

/* The last file object went away: filters' contexts go with the FCB. */
void LfspDeleteFcb(PLFS_FCB Fcb)
{
    PLFS_NODE Node = Fcb->Node;

    FsRtlTeardownPerStreamContexts(&Fcb->Header);
    ExDeleteResourceLite(&Fcb->MainResource);
    ExDeleteResourceLite(&Fcb->PagingIoResource);
    RemoveEntryList(&Fcb->VcbLinks);
    if (Fcb->Vcb->VolumeFcb == Fcb) {
        Fcb->Vcb->VolumeFcb = NULL;
    }
    if (Node != NULL) {
        Node->Fcb = NULL;
        LfspDereferenceNode(Node);
    }
    ExFreePoolWithTag(Fcb, LFS_TAG_FCB);
}

NTSTATUS LfspCreateCcb(PLFS_VCB Vcb, PLFS_CCB *Ccb)
{
    PLFS_CCB New = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(LFS_CCB), LFS_TAG_CCB);

    *Ccb = NULL;
    if (New == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(New, sizeof(LFS_CCB));
    New->NodeTypeCode = LFS_NTC_CCB;
    New->NodeByteSize = (CSHORT)sizeof(LFS_CCB);
    InsertTailList(&Vcb->AllCcbs, &New->VcbLinks);
    *Ccb = New;
    return STATUS_SUCCESS;
}

void LfspDeleteCcb(PLFS_CCB Ccb)
{
    RemoveEntryList(&Ccb->VcbLinks);
    if (Ccb->Pattern.Buffer != NULL) {
        ExFreePoolWithTag(Ccb->Pattern.Buffer, LFS_TAG_CCB);
    }
    if (Ccb->LastName.Buffer != NULL) {
        ExFreePoolWithTag(Ccb->LastName.Buffer, LFS_TAG_CCB);
    }
    ExFreePoolWithTag(Ccb, LFS_TAG_CCB);
}
