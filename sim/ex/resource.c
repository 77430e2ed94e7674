/*
 * resource.c - fltsim Ex: ERESOURCE (executive resources).  Owner
 * bookkeeping lives in a simulator table keyed by the resource's address,
 * so a driver that frees the memory of a live resource cannot corrupt the
 * simulator.  A request that conflicts with the owners waits for a release
 * (an exclusive waiter holds off new shared owners, except for
 * ExAcquireSharedStarveExclusive and threads that already share it); one
 * that can never be granted (exclusive while holding it shared) is a
 * deadlock at once, and a wait no thread can end becomes a hang report.
 */
#include "exp.h"
#include <string.h>

static EXP_RESOURCE *ExpFindResource(PERESOURCE Resource)
{
    EXP_RESOURCE *R = NULL;
    HASH_FIND_PTR(KiMachine->Ex->Resources, &Resource, R);
    return R;
}

static EXP_RESOURCE *ExpGetResource(PERESOURCE Resource, const char *Routine)
{
    EXP_RESOURCE *R = ExpFindResource(Resource);
    if (R == NULL) {
        KiReportSetRootCause(KiFormat("%s on an ERESOURCE that was never initialized with "
                                      "ExInitializeResourceLite (or was deleted)", Routine));
        KeBugCheckEx(0xE3 /* RESOURCE_NOT_OWNED */, (ULONG_PTR)MiSyntheticAddress(Resource),
                     (ULONG_PTR)MiSyntheticAddress(KeGetCurrentThread()), 0, 0);
    }
    return R;
}

static void ExpCheckApcs(PERESOURCE Resource, const char *Routine)
{
    PKTHREAD T = KeGetCurrentThread();
    if (T->Irql > DISPATCH_LEVEL || (KiMachine->Options.VerifierFlags != 0 && T->Irql < APC_LEVEL &&
                                     T->KernelApcDisable == 0 && T->SpecialApcDisable == 0)) {
        KiReportSetRootCause(KiFormat("%s with normal kernel APCs enabled: call KeEnterCriticalRegion first "
                                      "(Driver Verifier)", Routine));
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x37, T->Irql, (ULONG_PTR)T->KernelApcDisable,
                     (ULONG_PTR)MiSyntheticAddress(Resource));
    }
}

static void ExpSyncFields(PERESOURCE Resource, EXP_RESOURCE *R)
{
    ULONG Shared = 0;
    for (ULONG I = 0; I < R->SharedOwners; I++)
        Shared += R->Shared[I].Count;
    Resource->ActiveCount = (SHORT)((R->Exclusive ? 1 : 0) + (R->SharedOwners ? 1 : 0));
    Resource->ActiveEntries = R->Exclusive ? 1 : R->SharedOwners;
    if (R->Exclusive) {
        Resource->Flag |= ResourceOwnedExclusive;
        Resource->OwnerEntry.OwnerThread = (ERESOURCE_THREAD)R->Exclusive;
        Resource->OwnerEntry.OwnerCount = R->ExclusiveCount;
    } else {
        Resource->Flag &= (USHORT)~ResourceOwnedExclusive;
        Resource->OwnerEntry.OwnerThread = R->SharedOwners ? (ERESOURCE_THREAD)R->Shared[0].Thread : 0;
        Resource->OwnerEntry.OwnerCount = Shared;
    }
}

NTSTATUS ExInitializeResourceLite(PERESOURCE Resource)
{
    EXP_RESOURCE *R = ExpFindResource(Resource);
    PKTHREAD T = KeGetCurrentThread();
    if ((ULONG_PTR)Resource & 7) {
        KiReportSetRootCause("ERESOURCE not 8-byte aligned");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x16, 0, (ULONG_PTR)MiSyntheticAddress(Resource), 0);
    }
    if (R == NULL) {
        R = calloc(1, sizeof(*R));
        if (R == NULL)
            abort();
        R->Resource = Resource;
        HASH_ADD_PTR(KiMachine->Ex->Resources, Resource, R);
    } else {
        memset(&R->Exclusive, 0, sizeof(*R) - offsetof(EXP_RESOURCE, Exclusive) - sizeof(UT_hash_handle));
    }
    R->File = T->CallFile;
    R->Line = T->CallLine;
    memset(Resource, 0, sizeof(*Resource));
    InitializeListHead(&Resource->SystemResourcesList);
    return STATUS_SUCCESS;
}

NTSTATUS ExReinitializeResourceLite(PERESOURCE Resource)
{
    return ExInitializeResourceLite(Resource);
}

NTSTATUS ExDeleteResourceLite(PERESOURCE Resource)
{
    EXP_RESOURCE *R = ExpGetResource(Resource, "ExDeleteResourceLite");
    KiRequireIrql(APC_LEVEL, "ExDeleteResourceLite");
    HASH_DEL(KiMachine->Ex->Resources, R);
    free(R);
    return STATUS_SUCCESS;
}

static EXP_RESOURCE_OWNER *ExpSharedEntry(EXP_RESOURCE *R, PKTHREAD T)
{
    for (ULONG I = 0; I < R->SharedOwners; I++)
        if (R->Shared[I].Thread == T)
            return &R->Shared[I];
    return NULL;
}

static DECLSPEC_NORETURN void ExpDeadlock(PERESOURCE Resource, EXP_RESOURCE *R, const char *Why)
{
    PKTHREAD T = KeGetCurrentThread();
    const char *Text = KiFormat("deadlock: thread %u (%s) waits for ERESOURCE %016llx (initialized at %s:%u): %s",
                                T->ThreadId, T->Name, (unsigned long long)MiSyntheticAddress(Resource),
                                R->File ? R->File : "?", R->Line, Why);
    KiReportSetRootCause(Text);
    KiHang(Text);
}

static BOOLEAN ExpExclusiveGrantable(void *Context)
{
    EXP_RESOURCE *R = Context;
    return R->Exclusive == NULL && R->SharedOwners == 0;
}

static const char *ExpOwners(EXP_RESOURCE *R)
{
    if (R->Exclusive != NULL)
        return KiFormat("owned exclusive by thread %u (%s)%s", R->Exclusive->ThreadId, R->Exclusive->Name,
                        ExpLockSite(R->Resource));
    if (R->SharedOwners == 1)
        return KiFormat("owned shared by thread %u (%s)%s", R->Shared[0].Thread->ThreadId, R->Shared[0].Thread->Name,
                        ExpLockSite(R->Resource));
    return KiFormat("owned shared by %u threads", R->SharedOwners);
}

BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait)
{
    PKTHREAD T = KeGetCurrentThread();
    EXP_RESOURCE *R = ExpGetResource(Resource, "ExAcquireResourceExclusiveLite");
    ExpCheckApcs(Resource, "ExAcquireResourceExclusiveLite");
    if (R->Exclusive == T) {
        R->ExclusiveCount++;
        ExpSyncFields(Resource, R);
        return TRUE;
    }
    if (!ExpExclusiveGrantable(R)) {
        if (!Wait)
            return FALSE;
        if (ExpSharedEntry(R, T))
            ExpDeadlock(Resource, R, "it asks for exclusive access while it holds the resource shared, which can "
                        "never be granted");
        R->ExclusiveWaiters++;
        Resource->NumberOfExclusiveWaiters = R->ExclusiveWaiters;
        KiWaitChannel(Resource, ExpExclusiveGrantable, R,
                      KiFormat("exclusive access to ERESOURCE %016llx (initialized at %s:%u), %s",
                               (unsigned long long)MiSyntheticAddress(Resource), R->File ? R->File : "?", R->Line,
                               ExpOwners(R)), -1);
        R->ExclusiveWaiters--;
        Resource->NumberOfExclusiveWaiters = R->ExclusiveWaiters;
    }
    R->Exclusive = T;
    R->ExclusiveCount = 1;
    ExpNoteLockSite(Resource);
    ExpSyncFields(Resource, R);
    return TRUE;
}

typedef struct EXP_SHARED_WAIT {
    EXP_RESOURCE *R;
    BOOLEAN Starve;              /* ExAcquireSharedStarveExclusive: exclusive waiters do not hold it off */
} EXP_SHARED_WAIT;

static BOOLEAN ExpSharedGrantable(void *Context)
{
    EXP_SHARED_WAIT *W = Context;
    return W->R->Exclusive == NULL && (W->Starve || W->R->ExclusiveWaiters == 0);
}

static BOOLEAN ExpAcquireShared(PERESOURCE Resource, BOOLEAN Wait, const char *Routine, BOOLEAN Starve)
{
    PKTHREAD T = KeGetCurrentThread();
    EXP_RESOURCE *R = ExpGetResource(Resource, Routine);
    EXP_RESOURCE_OWNER *Entry;
    EXP_SHARED_WAIT W = {R, Starve};
    ExpCheckApcs(Resource, Routine);
    if (R->Exclusive == T) {
        R->ExclusiveCount++; /* recursive acquire by the exclusive owner */
    } else if ((Entry = ExpSharedEntry(R, T)) != NULL) {
        Entry->Count++; /* a shared owner again: granted even with exclusive waiters */
    } else {
        if (!ExpSharedGrantable(&W)) {
            if (!Wait)
                return FALSE;
            Resource->NumberOfSharedWaiters++;
            KiWaitChannel(Resource, ExpSharedGrantable, &W,
                          KiFormat("shared access to ERESOURCE %016llx (initialized at %s:%u), %s",
                                   (unsigned long long)MiSyntheticAddress(Resource), R->File ? R->File : "?",
                                   R->Line, ExpOwners(R)), -1);
            Resource->NumberOfSharedWaiters--;
        }
        if (R->SharedOwners == sizeof(R->Shared) / sizeof(R->Shared[0]))
            ExpDeadlock(Resource, R, "too many shared owners");
        R->Shared[R->SharedOwners].Thread = T;
        R->Shared[R->SharedOwners].Count = 1;
        R->SharedOwners++;
        ExpNoteLockSite(Resource);
    }
    ExpSyncFields(Resource, R);
    return TRUE;
}

BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, "ExAcquireResourceSharedLite", FALSE);
}

BOOLEAN ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, "ExAcquireSharedStarveExclusive", TRUE);
}

BOOLEAN ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait)
{
    return ExpAcquireShared(Resource, Wait, "ExAcquireSharedWaitForExclusive", FALSE);
}

BOOLEAN ExTryToAcquireResourceExclusiveLite(PERESOURCE Resource)
{
    return ExAcquireResourceExclusiveLite(Resource, FALSE);
}

static void ExpRelease(PERESOURCE Resource, PKTHREAD T, const char *Routine)
{
    EXP_RESOURCE *R = ExpGetResource(Resource, Routine);
    EXP_RESOURCE_OWNER *Entry;
    if (T->Irql > DISPATCH_LEVEL)
        KiRequireIrql(DISPATCH_LEVEL, Routine);
    if (R->Exclusive == T) {
        if (--R->ExclusiveCount == 0)
            R->Exclusive = NULL;
    } else if ((Entry = ExpSharedEntry(R, T)) != NULL) {
        if (--Entry->Count == 0) {
            *Entry = R->Shared[--R->SharedOwners];
        }
    } else {
        KiReportSetRootCause(KiFormat("%s by a thread that does not own the resource", Routine));
        KeBugCheckEx(0xE3 /* RESOURCE_NOT_OWNED */, (ULONG_PTR)MiSyntheticAddress(Resource),
                     (ULONG_PTR)MiSyntheticAddress(T), 0, 0);
    }
    ExpSyncFields(Resource, R);
    KiWakeChannel(Resource);
}

VOID ExReleaseResourceLite(PERESOURCE Resource)
{
    ExpRelease(Resource, KeGetCurrentThread(), "ExReleaseResourceLite");
}

VOID ExReleaseResourceForThreadLite(PERESOURCE Resource, ERESOURCE_THREAD ResourceThreadId)
{
    ExpRelease(Resource, (PKTHREAD)ResourceThreadId, "ExReleaseResourceForThreadLite");
}

VOID ExConvertExclusiveToSharedLite(PERESOURCE Resource)
{
    PKTHREAD T = KeGetCurrentThread();
    EXP_RESOURCE *R = ExpGetResource(Resource, "ExConvertExclusiveToSharedLite");
    if (R->Exclusive != T) {
        KiReportSetRootCause("ExConvertExclusiveToSharedLite by a thread that does not own it exclusively");
        KeBugCheckEx(0xE3, (ULONG_PTR)MiSyntheticAddress(Resource), (ULONG_PTR)MiSyntheticAddress(T), 0, 0);
    }
    R->Shared[0].Thread = T;
    R->Shared[0].Count = R->ExclusiveCount;
    R->SharedOwners = 1;
    R->Exclusive = NULL;
    R->ExclusiveCount = 0;
    ExpSyncFields(Resource, R);
    KiWakeChannel(Resource); /* waiting shared requests may go on */
}

BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource)
{
    EXP_RESOURCE *R = ExpGetResource(Resource, "ExIsResourceAcquiredExclusiveLite");
    return R->Exclusive == KeGetCurrentThread();
}

ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource)
{
    PKTHREAD T = KeGetCurrentThread();
    EXP_RESOURCE *R = ExpGetResource(Resource, "ExIsResourceAcquiredSharedLite");
    EXP_RESOURCE_OWNER *Entry;
    if (R->Exclusive == T)
        return R->ExclusiveCount;
    Entry = ExpSharedEntry(R, T);
    return Entry ? Entry->Count : 0;
}

ULONG ExGetExclusiveWaiterCount(PERESOURCE Resource)
{
    (void)ExpGetResource(Resource, "ExGetExclusiveWaiterCount");
    return 0;
}

ULONG ExGetSharedWaiterCount(PERESOURCE Resource)
{
    (void)ExpGetResource(Resource, "ExGetSharedWaiterCount");
    return 0;
}

PVOID ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(Resource, TRUE);
    return KeGetCurrentThread();
}

PVOID ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource)
{
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(Resource, TRUE);
    return KeGetCurrentThread();
}

VOID ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource)
{
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}
