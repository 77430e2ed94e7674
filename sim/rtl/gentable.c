/*
 * gentable.c - fltsim Rtl: generic tables (RtlInitializeGenericTable and
 * family).  Elements live in nodes the caller's AllocateRoutine provides -
 * a header (splay links, then the insertion-order list entry) followed by
 * the caller's data, whose address is what the routines hand out - kept in
 * a binary search tree ordered by the CompareRoutine and in a list in
 * insertion order.  Lookups and inserts search the tree;
 * RtlEnumerateGenericTable walks it in collation order, splaying each
 * element it returns to the root (so the next call takes the root's
 * successor, as Windows' does); RtlGetElementGenericTable counts in
 * insertion order, remembering where the last call stopped.  As on
 * Windows the routines do no locking, and the root's Parent is itself.
 */
#include "rtlp.h"

typedef struct RTLP_TABLE_NODE {
    RTL_SPLAY_LINKS Links;
    LIST_ENTRY ListEntry;
    /* the caller's data follows, 8-byte aligned */
} RTLP_TABLE_NODE;

#define RTLP_NODE_DATA(N) ((PVOID)((PUCHAR)(N) + sizeof(RTLP_TABLE_NODE)))
#define RTLP_DATA_NODE(D) ((RTLP_TABLE_NODE *)((PUCHAR)(D) - sizeof(RTLP_TABLE_NODE)))

static BOOLEAN RtlpIsRoot(PRTL_SPLAY_LINKS L)
{
    return L->Parent == L;
}

VOID NTAPI RtlInitializeGenericTable(PRTL_GENERIC_TABLE Table, PRTL_GENERIC_COMPARE_ROUTINE CompareRoutine,
                                     PRTL_GENERIC_ALLOCATE_ROUTINE AllocateRoutine,
                                     PRTL_GENERIC_FREE_ROUTINE FreeRoutine, PVOID TableContext)
{
    Table->TableRoot = NULL;
    InitializeListHead(&Table->InsertOrderList);
    Table->OrderedPointer = &Table->InsertOrderList;
    Table->WhichOrderedElement = 0;
    Table->NumberGenericTableElements = 0;
    Table->CompareRoutine = CompareRoutine;
    Table->AllocateRoutine = AllocateRoutine;
    Table->FreeRoutine = FreeRoutine;
    Table->TableContext = TableContext;
}

/* The node comparing equal to Buffer, or the one it would hang under (*Result says which side). */
static PRTL_SPLAY_LINKS RtlpFind(PRTL_GENERIC_TABLE Table, PVOID Buffer, TABLE_SEARCH_RESULT *Result)
{
    PRTL_SPLAY_LINKS L = Table->TableRoot;
    if (L == NULL) {
        *Result = TableEmptyTree;
        return NULL;
    }
    for (;;) {
        RTL_GENERIC_COMPARE_RESULTS C = Table->CompareRoutine(Table, Buffer, RTLP_NODE_DATA(L));
        if (C == GenericEqual) {
            *Result = TableFoundNode;
            return L;
        }
        PRTL_SPLAY_LINKS Next = C == GenericLessThan ? L->LeftChild : L->RightChild;
        if (Next == NULL) {
            *Result = C == GenericLessThan ? TableInsertAsLeft : TableInsertAsRight;
            return L;
        }
        L = Next;
    }
}

PVOID NTAPI RtlInsertElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer, CLONG BufferSize,
                                         PBOOLEAN NewElement)
{
    TABLE_SEARCH_RESULT Result;
    PRTL_SPLAY_LINKS Parent = RtlpFind(Table, Buffer, &Result);
    if (Result == TableFoundNode) {
        if (NewElement != NULL)
            *NewElement = FALSE;
        return RTLP_NODE_DATA(Parent);
    }
    RTLP_TABLE_NODE *N = Table->AllocateRoutine(Table, (CLONG)(sizeof(RTLP_TABLE_NODE) + BufferSize));
    if (N == NULL) {
        if (NewElement != NULL)
            *NewElement = FALSE;
        return NULL;
    }
    N->Links.LeftChild = N->Links.RightChild = NULL;
    if (Result == TableEmptyTree) {
        N->Links.Parent = &N->Links;
        Table->TableRoot = &N->Links;
    } else {
        N->Links.Parent = Parent;
        if (Result == TableInsertAsLeft)
            Parent->LeftChild = &N->Links;
        else
            Parent->RightChild = &N->Links;
    }
    InsertTailList(&Table->InsertOrderList, &N->ListEntry);
    Table->NumberGenericTableElements++;
    if (BufferSize)
        RtlCopyMemory(RTLP_NODE_DATA(N), Buffer, BufferSize);
    if (NewElement != NULL)
        *NewElement = TRUE;
    return RTLP_NODE_DATA(N);
}

PVOID NTAPI RtlLookupElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer)
{
    TABLE_SEARCH_RESULT Result;
    PRTL_SPLAY_LINKS L = RtlpFind(Table, Buffer, &Result);
    return Result == TableFoundNode ? RTLP_NODE_DATA(L) : NULL;
}

/* Puts New where Old hangs from its parent (or at the root). */
static void RtlpReplaceChild(PRTL_GENERIC_TABLE Table, PRTL_SPLAY_LINKS Old, PRTL_SPLAY_LINKS New)
{
    if (RtlpIsRoot(Old)) {
        Table->TableRoot = New;
        if (New != NULL)
            New->Parent = New;
        return;
    }
    if (Old->Parent->LeftChild == Old)
        Old->Parent->LeftChild = New;
    else
        Old->Parent->RightChild = New;
    if (New != NULL)
        New->Parent = Old->Parent;
}

static PRTL_SPLAY_LINKS RtlpLeftmost(PRTL_SPLAY_LINKS L)
{
    while (L->LeftChild != NULL)
        L = L->LeftChild;
    return L;
}

BOOLEAN NTAPI RtlDeleteElementGenericTable(PRTL_GENERIC_TABLE Table, PVOID Buffer)
{
    TABLE_SEARCH_RESULT Result;
    PRTL_SPLAY_LINKS L = RtlpFind(Table, Buffer, &Result);
    if (Result != TableFoundNode)
        return FALSE;
    if (L->LeftChild == NULL) {
        RtlpReplaceChild(Table, L, L->RightChild);
    } else if (L->RightChild == NULL) {
        RtlpReplaceChild(Table, L, L->LeftChild);
    } else {
        /* two children: the successor takes L's place */
        PRTL_SPLAY_LINKS S = RtlpLeftmost(L->RightChild);
        if (S->Parent != L) {
            RtlpReplaceChild(Table, S, S->RightChild);
            S->RightChild = L->RightChild;
            S->RightChild->Parent = S;
        }
        RtlpReplaceChild(Table, L, S);
        S->LeftChild = L->LeftChild;
        S->LeftChild->Parent = S;
    }
    RTLP_TABLE_NODE *N = CONTAINING_RECORD(L, RTLP_TABLE_NODE, Links);
    RemoveEntryList(&N->ListEntry);
    Table->NumberGenericTableElements--;
    /* the insertion-order cursor may have pointed at it */
    Table->OrderedPointer = &Table->InsertOrderList;
    Table->WhichOrderedElement = 0;
    Table->FreeRoutine(Table, N);
    return TRUE;
}

PVOID NTAPI RtlGetElementGenericTable(PRTL_GENERIC_TABLE Table, ULONG I)
{
    ULONG Want = I + 1; /* WhichOrderedElement counts from 1; 0: the list head */
    if (I >= Table->NumberGenericTableElements)
        return NULL;
    PLIST_ENTRY E = Table->OrderedPointer;
    ULONG At = Table->WhichOrderedElement;
    if (At == 0 || Want < At / 2) {
        E = &Table->InsertOrderList;
        At = 0;
    }
    while (At < Want) {
        E = E->Flink;
        At++;
    }
    while (At > Want) {
        E = E->Blink;
        At--;
    }
    Table->OrderedPointer = E;
    Table->WhichOrderedElement = At;
    return RTLP_NODE_DATA(CONTAINING_RECORD(E, RTLP_TABLE_NODE, ListEntry));
}

ULONG NTAPI RtlNumberGenericTableElements(PRTL_GENERIC_TABLE Table)
{
    return Table->NumberGenericTableElements;
}

BOOLEAN NTAPI RtlIsGenericTableEmpty(PRTL_GENERIC_TABLE Table)
{
    return Table->TableRoot == NULL;
}

/* One rotation bringing X above its parent. */
static void RtlpRotateUp(PRTL_GENERIC_TABLE Table, PRTL_SPLAY_LINKS X)
{
    PRTL_SPLAY_LINKS P = X->Parent;
    if (P->LeftChild == X) {
        P->LeftChild = X->RightChild;
        if (X->RightChild != NULL)
            X->RightChild->Parent = P;
        RtlpReplaceChild(Table, P, X);
        X->RightChild = P;
    } else {
        P->RightChild = X->LeftChild;
        if (X->LeftChild != NULL)
            X->LeftChild->Parent = P;
        RtlpReplaceChild(Table, P, X);
        X->LeftChild = P;
    }
    P->Parent = X;
}

static void RtlpSplay(PRTL_GENERIC_TABLE Table, PRTL_SPLAY_LINKS X)
{
    while (!RtlpIsRoot(X)) {
        PRTL_SPLAY_LINKS P = X->Parent;
        if (RtlpIsRoot(P)) {
            RtlpRotateUp(Table, X); /* zig */
        } else if ((P->Parent->LeftChild == P) == (P->LeftChild == X)) {
            RtlpRotateUp(Table, P); /* zig-zig */
            RtlpRotateUp(Table, X);
        } else {
            RtlpRotateUp(Table, X); /* zig-zag */
            RtlpRotateUp(Table, X);
        }
    }
}

PVOID NTAPI RtlEnumerateGenericTable(PRTL_GENERIC_TABLE Table, BOOLEAN Restart)
{
    PRTL_SPLAY_LINKS Next;
    if (Table->TableRoot == NULL)
        return NULL;
    if (Restart) {
        Next = RtlpLeftmost(Table->TableRoot);
    } else {
        /* the root is the element returned last: its successor is next */
        if (Table->TableRoot->RightChild == NULL)
            return NULL;
        Next = RtlpLeftmost(Table->TableRoot->RightChild);
    }
    RtlpSplay(Table, Next);
    return RTLP_NODE_DATA(CONTAINING_RECORD(Next, RTLP_TABLE_NODE, Links));
}
