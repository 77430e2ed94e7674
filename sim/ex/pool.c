/*
 * pool.c - fltsim Ex: the kernel pool.  Every block is tracked with its
 * tag, size, pool type and the driver source line that allocated it; frees
 * are checked the way Windows checks them (wrong tag 0xC2/0x0A, double
 * free 0xC2/0x07, unknown address 0xC2/0x46, bad IRQL 0xC2/0x08-0x09).
 * Freed blocks stay quarantined until the machine is destroyed, so a
 * double free is always recognised and a stale pointer never reaches
 * another allocation.
 */
#include "exp.h"
#include <string.h>

void ExpInitialize(void)
{
    KiMachine->Ex = calloc(1, sizeof(struct EXP_STATE));
    if (KiMachine->Ex == NULL)
        abort();
}

void ExpTeardown(void)
{
    struct EXP_STATE *S = KiMachine->Ex;
    EXP_POOL_BLOCK *B, *Tmp;
    EXP_RESOURCE *R, *RTmp;
    if (S == NULL)
        return;
    HASH_ITER(hh, S->Blocks, B, Tmp) {
        HASH_DEL(S->Blocks, B);
        free(B->Host);
        free(B);
    }
    HASH_ITER(hh, S->Resources, R, RTmp) {
        HASH_DEL(S->Resources, R);
        free(R);
    }
    EXP_LOCK_SITE *L, *LTmp;
    HASH_ITER(hh, S->LockSites, L, LTmp) {
        HASH_DEL(S->LockSites, L);
        free(L);
    }
    free(S);
    KiMachine->Ex = NULL;
}

EXP_POOL_BLOCK *ExpFindBlock(const void *Host)
{
    EXP_POOL_BLOCK *B = NULL;
    HASH_FIND_PTR(KiMachine->Ex->Blocks, &Host, B);
    return B;
}

static BOOLEAN ExpIsPagedType(POOL_TYPE Type)
{
    return (Type & 1) != 0 && Type != NonPagedPoolNx; /* PagedPool, PagedPoolCacheAligned, PagedPoolSession... */
}

static const char *ExpCallerModule(BOOLEAN *System)
{
    PKTHREAD T = KiMachine->CurrentThread;
    for (ULONG I = T ? T->FrameCount : 0; I-- > 0;) {
        if (T->Frames[I].IsBoundary)
            break;
        if (T->Frames[I].IsDriver) {
            *System = FALSE;
            return T->Frames[I].Module;
        }
    }
    *System = TRUE;
    return "nt";
}

static PVOID ExpAllocate(POOL_TYPE Type, SIZE_T Size, ULONG Tag, BOOLEAN Zero, BOOLEAN ForceSystem)
{
    FSIM_MACHINE *M = KiMachine;
    PKTHREAD T = M->CurrentThread;
    KIRQL Irql = T->Irql;
    BOOLEAN System = TRUE;
    const char *Driver = ForceSystem ? "nt" : ExpCallerModule(&System);
    if (ForceSystem)
        System = TRUE;

    if (!System) {
        if (Size == 0) {
            KiReportSetRootCause("pool allocation of zero bytes");
            KeBugCheckEx(BAD_POOL_CALLER, 0x00, 0, (ULONG_PTR)Type, Tag);
        }
        if (Tag == 0) {
            KiReportSetRootCause("pool allocation with a tag of 0");
            KeBugCheckEx(BAD_POOL_CALLER, 0x9B, (ULONG_PTR)Type, Size, 0);
        }
        if ((ExpIsPagedType(Type) && Irql > APC_LEVEL) || Irql > DISPATCH_LEVEL) {
            KiReportSetRootCause(KiFormat("%s pool allocated at IRQL %u (allowed: <= %s)",
                                          ExpIsPagedType(Type) ? "paged" : "nonpaged", Irql,
                                          ExpIsPagedType(Type) ? "APC_LEVEL" : "DISPATCH_LEVEL"));
            KeBugCheckEx(BAD_POOL_CALLER, 0x08, Irql, (ULONG_PTR)Type, Size);
        }
    }
    if (Size > ((SIZE_T)1 << 32))
        return NULL;
    if (T != NULL) {
        /* The pool allocator's own frames, as a 19041 stack shows them
         * (charged at the deepest point of the allocation, then gone). */
        KI_FRAME_SCOPE("nt", "ExpAllocatePoolWithTagFromNode", 0x50);
        KI_FRAME_SCOPE_2("nt", "ExAllocateHeapPool", 0x140);
        KI_FRAME_SCOPE_3("nt", "RtlpHpVsContextAllocateInternal", 0x60);
        KI_FRAME_SCOPE_4("nt", "RtlpHpVsChunkSplit", 0xc0);
        KI_FRAME_SCOPE_5("nt", "RtlRbRemoveNode", 0x10);
    }
    void *Host = Zero ? calloc(1, Size ? Size : 1) : malloc(Size ? Size : 1);
    if (Host == NULL)
        return NULL;
    if (!Zero)
        memset(Host, 0xCC, Size); /* uninitialized pool is not zero */
    EXP_POOL_BLOCK *B = calloc(1, sizeof(*B));
    if (B == NULL)
        abort();
    B->Host = Host;
    B->Size = Size;
    B->Tag = Tag & 0x7FFFFFFF;
    B->Type = Type;
    B->System = System;
    B->Driver = Driver;
    if (!System && T->CallFile) {
        B->File = T->CallFile;
        B->Line = T->CallLine;
    }
    B->Sequence = ++M->Ex->Sequence;
    B->Address = MiRegisterRange(Host, Size ? Size : 1, "Pool");
    HASH_ADD_PTR(M->Ex->Blocks, Host, B);
    return Host;
}

PVOID ExpAllocateSystemPool(POOL_TYPE Type, SIZE_T Size, ULONG Tag)
{
    return ExpAllocate(Type, Size, Tag, TRUE, TRUE);
}

static void ExpFree(PVOID P, ULONG Tag, BOOLEAN CheckTag)
{
    PKTHREAD T = KiMachine->CurrentThread;
    EXP_POOL_BLOCK *B = ExpFindBlock(P);
    if (P == NULL || B == NULL) {
        KiReportSetRootCause(KiFormat("ExFreePool%s of an address that is not a pool allocation",
                                      CheckTag ? "WithTag" : ""));
        KeBugCheckEx(BAD_POOL_CALLER, 0x46, (ULONG_PTR)MiSyntheticAddress(P), 0, 0);
    }
    if (B->Freed) {
        KiReportSetRootCause(KiFormat("pool block %016llx (tag '%.4s', %llu bytes, allocated at %s:%u) freed twice",
                                      (unsigned long long)B->Address, (const char *)&B->Tag,
                                      (unsigned long long)B->Size, B->File ? B->File : "?", B->Line));
        KeBugCheckEx(BAD_POOL_CALLER, 0x07, 0, B->Tag, (ULONG_PTR)B->Address);
    }
    if (CheckTag && (Tag & 0x7FFFFFFF) != B->Tag) {
        ULONG Used = Tag & 0x7FFFFFFF;
        KiReportSetRootCause(KiFormat("ExFreePoolWithTag with tag '%.4s' on a block allocated with tag '%.4s' "
                                      "(%llu bytes, allocated at %s:%u)", (const char *)&Used,
                                      (const char *)&B->Tag, (unsigned long long)B->Size,
                                      B->File ? B->File : "?", B->Line));
        KeBugCheckEx(BAD_POOL_CALLER, 0x0A, (ULONG_PTR)B->Address, B->Tag, Used);
    }
    if ((ExpIsPagedType(B->Type) && T->Irql > APC_LEVEL) || T->Irql > DISPATCH_LEVEL) {
        KiReportSetRootCause(KiFormat("pool freed at IRQL %u", T->Irql));
        KeBugCheckEx(BAD_POOL_CALLER, 0x09, T->Irql, (ULONG_PTR)B->Type, (ULONG_PTR)B->Address);
    }
    B->Freed = TRUE;
    memset(B->Host, 0xDF, B->Size); /* freed pool pattern */
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE, FALSE);
}

PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    PVOID P = ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE, FALSE);
    if (P == NULL && !(PoolType & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return P;
}

PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag, EX_POOL_PRIORITY Priority)
{
    (void)Priority;
    return ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE, FALSE);
}

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExpAllocate(PoolType, NumberOfBytes, 'enoN', FALSE, FALSE);
}

PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, TRUE, FALSE);
}

PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, FALSE, FALSE);
}

PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    return ExpAllocate(PoolType, NumberOfBytes, Tag, TRUE, FALSE);
}

/* ExAllocatePool2: exactly one of NON_PAGED, NON_PAGED_EXECUTE, PAGED;
 * zeroed unless POOL_FLAG_UNINITIALIZED; NULL on failure unless
 * POOL_FLAG_RAISE_ON_FAILURE. */
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
    POOL_FLAGS Kind = Flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
    POOL_TYPE Type;
    if (Kind == POOL_FLAG_NON_PAGED)
        Type = NonPagedPoolNx;
    else if (Kind == POOL_FLAG_NON_PAGED_EXECUTE)
        Type = NonPagedPool;
    else if (Kind == POOL_FLAG_PAGED)
        Type = PagedPool;
    else {
        KiReportSetRootCause("ExAllocatePool2 without exactly one of POOL_FLAG_NON_PAGED, "
                             "POOL_FLAG_NON_PAGED_EXECUTE and POOL_FLAG_PAGED");
        KeBugCheckEx(BAD_POOL_CALLER, 0x9D, 0, NumberOfBytes, Tag);
    }
    PVOID P = ExpAllocate(Type, NumberOfBytes, Tag, (Flags & POOL_FLAG_UNINITIALIZED) == 0, FALSE);
    if (P == NULL && (Flags & POOL_FLAG_RAISE_ON_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return P;
}

PVOID ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                      ULONG ExtendedParametersCount)
{
    (void)ExtendedParameters;
    (void)ExtendedParametersCount;
    return ExAllocatePool2(Flags, NumberOfBytes, Tag);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    ExpFree(P, Tag, TRUE);
}

VOID ExFreePool(PVOID P)
{
    ExpFree(P, 0, FALSE);
}

VOID ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters, ULONG ExtendedParametersCount)
{
    (void)ExtendedParameters;
    (void)ExtendedParametersCount;
    ExpFree(P, Tag, TRUE);
}

size_t ExpCollectLeaks(const char *DriverName, FSIM_REPORT_LEAK **Out)
{
    EXP_POOL_BLOCK *B, *Tmp;
    size_t Count = 0, Cap = 0;
    FSIM_REPORT_LEAK *List = NULL;
    HASH_ITER(hh, KiMachine->Ex->Blocks, B, Tmp) {
        if (B->Freed || B->System || (DriverName && strcmp(B->Driver, DriverName) != 0))
            continue;
        if (Count == Cap) {
            Cap = Cap ? Cap * 2 : 8;
            FSIM_REPORT_LEAK *New = realloc(List, Cap * sizeof(*New));
            if (New == NULL)
                abort();
            List = New;
        }
        FSIM_REPORT_LEAK *L = &List[Count++];
        memset(L, 0, sizeof(*L));
        L->Kind = "Pool";
        L->Address = B->Address;
        L->Tag = B->Tag;
        L->Size = B->Size;
        L->References = 0;
        L->Driver = KiFormat("%s.sys", B->Driver);
        L->File = B->File;
        L->Line = B->Line;
    }
    *Out = List;
    return Count;
}

BOOLEAN ExpDescribeBlock(PVOID Address, ULONG *Tag, SIZE_T *Size, const char **Driver, const char **File, ULONG *Line)
{
    EXP_POOL_BLOCK *B = ExpFindBlock(Address);
    if (B == NULL)
        return FALSE;
    if (Tag) *Tag = B->Tag;
    if (Size) *Size = B->Size;
    if (Driver) *Driver = B->Driver;
    if (File) *File = B->File;
    if (Line) *Line = B->Line;
    return TRUE;
}

/* Live blocks with a tag, in allocation order (`!poolfind`-style scans). */
void ExpForEachBlock(ULONG Tag, BOOLEAN (*Callback)(void *Host, void *Context), void *Context)
{
    EXP_POOL_BLOCK *B, *Tmp;
    HASH_ITER(hh, KiMachine->Ex->Blocks, B, Tmp) {
        if (!B->Freed && B->Tag == (Tag & 0x7FFFFFFF))
            if (!Callback(B->Host, Context))
                return;
    }
}
