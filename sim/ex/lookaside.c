/*
 * lookaside.c - fltsim Ex: lookaside lists.  Depth is always 0: every
 * allocation and free goes to pool (or to the list's own routines), so the
 * pool checks and leak reports see each block with its allocating line.
 */
#include "exp.h"
#include <string.h>

static void ExpInitLookaside(PGENERAL_LOOKASIDE L, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                             POOL_TYPE Type, SIZE_T Size, ULONG Tag)
{
    memset(L, 0, sizeof(*L));
    L->Depth = 0;
    L->MaximumDepth = 0;
    L->Type = Type;
    L->Tag = Tag;
    L->Size = (ULONG)Size;
    L->Allocate = Allocate;
    L->Free = Free;
    InitializeListHead(&L->ListEntry);
}

static PVOID ExpLookasideAllocate(PGENERAL_LOOKASIDE L)
{
    L->TotalAllocates++;
    L->AllocateMisses++;
    if (L->Allocate)
        return L->Allocate(L->Type, L->Size, L->Tag);
    return ExAllocatePoolWithTag(L->Type, L->Size, L->Tag);
}

static VOID ExpLookasideFree(PGENERAL_LOOKASIDE L, PVOID Entry)
{
    L->TotalFrees++;
    L->FreeMisses++;
    if (L->Free)
        L->Free(Entry);
    else
        ExFreePoolWithTag(Entry, L->Tag);
}

VOID ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
                                     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    (void)Depth;
    ExpInitLookaside(&Lookaside->L, Allocate, Free, (POOL_TYPE)(NonPagedPoolNx | (Flags & ~POOL_NX_ALLOCATION)),
                     Size, Tag);
}

VOID ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    (void)Lookaside;
}

PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside)
{
    return ExpLookasideAllocate(&Lookaside->L);
}

VOID ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    ExpLookasideFree(&Lookaside->L, Entry);
}

VOID ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free,
                                    ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth)
{
    (void)Depth;
    (void)Flags;
    KiRequireIrql(APC_LEVEL, "ExInitializePagedLookasideList");
    ExpInitLookaside(&Lookaside->L, Allocate, Free, PagedPool, Size, Tag);
}

VOID ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    (void)Lookaside;
}

PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside)
{
    KiRequireIrql(APC_LEVEL, "ExAllocateFromPagedLookasideList");
    return ExpLookasideAllocate(&Lookaside->L);
}

VOID ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry)
{
    KiRequireIrql(APC_LEVEL, "ExFreeToPagedLookasideList");
    ExpLookasideFree(&Lookaside->L, Entry);
}

NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
                                     PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags, SIZE_T Size, ULONG Tag,
                                     USHORT Depth)
{
    (void)Depth;
    (void)Flags;
    ExpInitLookaside(&Lookaside->L.L, NULL, NULL, PoolType, Size, Tag);
    Lookaside->L.L.AllocateEx = Allocate;
    Lookaside->L.L.FreeEx = Free;
    return STATUS_SUCCESS;
}

VOID ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    (void)Lookaside;
}

PVOID ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
    PGENERAL_LOOKASIDE L = &Lookaside->L.L;
    L->TotalAllocates++;
    if (L->AllocateEx)
        return L->AllocateEx(L->Type, L->Size, L->Tag, Lookaside);
    return ExAllocatePoolWithTag(L->Type, L->Size, L->Tag);
}

VOID ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry)
{
    PGENERAL_LOOKASIDE L = &Lookaside->L.L;
    L->TotalFrees++;
    if (L->FreeEx)
        L->FreeEx(Entry, Lookaside);
    else
        ExFreePoolWithTag(Entry, L->Tag);
}
