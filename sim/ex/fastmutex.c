/*
 * fastmutex.c - fltsim Ex: FAST_MUTEX (acquire raises to APC_LEVEL and
 * records the old IRQL; recursive acquisition deadlocks as on Windows),
 * push locks and rundown protection.
 */
#include "exp.h"

VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex)
{
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = NULL;
    FastMutex->Contention = 0;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
}

void ExpNoteLockSite(const void *Lock)
{
    PKTHREAD T = KeGetCurrentThread();
    EXP_LOCK_SITE *L = NULL;
    HASH_FIND_PTR(KiMachine->Ex->LockSites, &Lock, L);
    if (L == NULL) {
        L = calloc(1, sizeof(*L));
        if (L == NULL)
            abort();
        L->Lock = Lock;
        HASH_ADD_PTR(KiMachine->Ex->LockSites, Lock, L);
    }
    L->File = T->CallFile;
    L->Line = T->CallLine;
}

const char *ExpLockSite(const void *Lock)
{
    EXP_LOCK_SITE *L = NULL;
    HASH_FIND_PTR(KiMachine->Ex->LockSites, &Lock, L);
    if (L == NULL || L->File == NULL)
        return "";
    return KiFormat(" (acquired at %s:%u)", L->File, L->Line);
}

static const char *ExpHolder(PKTHREAD Owner)
{
    return Owner != NULL ? KiFormat("thread %u (%s)", Owner->ThreadId, Owner->Name) : "no thread";
}

static BOOLEAN ExpFastMutexFree(void *Context)
{
    return ((PFAST_MUTEX)Context)->Count == FM_LOCK_BIT;
}

static void ExpAcquireFast(PFAST_MUTEX FastMutex, BOOLEAN Raise)
{
    PKTHREAD T = KeGetCurrentThread();
    KIRQL Old = T->Irql;
    if (Old > APC_LEVEL) {
        KiReportSetRootCause(KiFormat("ExAcquireFastMutex at IRQL %u (must be <= APC_LEVEL)", Old));
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x33, Old, (ULONG_PTR)MiSyntheticAddress(FastMutex), 0);
    }
    if (Raise) {
        /* IRQL goes to APC_LEVEL first; a contended acquire waits there. */
        if (Old < APC_LEVEL)
            KiNoteApcBlock(T, "ExAcquireFastMutex raised the IRQL to APC_LEVEL");
        T->Irql = APC_LEVEL;
    }
    if (FastMutex->Count != FM_LOCK_BIT) {
        if (FastMutex->Owner == T) {
            const char *Text = KiFormat("deadlock: thread %u (%s) acquires FAST_MUTEX %016llx that it already owns%s "
                                        "(fast mutexes are not recursive)", T->ThreadId, T->Name,
                                        (unsigned long long)MiSyntheticAddress(FastMutex), ExpLockSite(FastMutex));
            KiReportSetRootCause(Text);
            KiHang(Text);
        }
        FastMutex->Contention++;
        KiWaitChannel(FastMutex, ExpFastMutexFree, FastMutex,
                      KiFormat("FAST_MUTEX %016llx, held by %s%s", (unsigned long long)MiSyntheticAddress(FastMutex),
                               ExpHolder(FastMutex->Owner), ExpLockSite(FastMutex)), -1);
    }
    FastMutex->Count = 0;
    FastMutex->Owner = T;
    if (Raise)
        FastMutex->OldIrql = Old;
    ExpNoteLockSite(FastMutex);
}

static void ExpReleaseFast(PFAST_MUTEX FastMutex, BOOLEAN Lower)
{
    PKTHREAD T = KeGetCurrentThread();
    if (FastMutex->Count == FM_LOCK_BIT || FastMutex->Owner != T) {
        KiReportSetRootCause("ExReleaseFastMutex of a fast mutex this thread does not own");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x34, T->Irql, (ULONG_PTR)MiSyntheticAddress(FastMutex), 0);
    }
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = NULL;
    KiWakeChannel(FastMutex);
    if (Lower)
        KeLowerIrql((KIRQL)FastMutex->OldIrql);
}

VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    ExpAcquireFast(FastMutex, TRUE);
}

VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex)
{
    ExpReleaseFast(FastMutex, TRUE);
}

BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex)
{
    if (FastMutex->Count != FM_LOCK_BIT)
        return FALSE;
    ExpAcquireFast(FastMutex, TRUE);
    return TRUE;
}

VOID ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    ExpAcquireFast(FastMutex, FALSE);
}

VOID ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex)
{
    ExpReleaseFast(FastMutex, FALSE);
}

VOID KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    Mutex->Count = 1;
    Mutex->Owner = NULL;
}

static BOOLEAN ExpGuardedMutexFree(void *Context)
{
    return ((PKGUARDED_MUTEX)Context)->Count == 1;
}

VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    PKTHREAD T = KeGetCurrentThread();
    KeEnterGuardedRegion();
    if (Mutex->Count != 1) {
        if (Mutex->Owner == T) {
            const char *Text = KiFormat("deadlock: thread %u (%s) acquires a KGUARDED_MUTEX %016llx that it already "
                                        "owns%s (guarded mutexes are not recursive)", T->ThreadId, T->Name,
                                        (unsigned long long)MiSyntheticAddress(Mutex), ExpLockSite(Mutex));
            KiReportSetRootCause(Text);
            KiHang(Text);
        }
        Mutex->Contention++;
        KiWaitChannel(Mutex, ExpGuardedMutexFree, Mutex,
                      KiFormat("KGUARDED_MUTEX %016llx, held by %s%s", (unsigned long long)MiSyntheticAddress(Mutex),
                               ExpHolder(Mutex->Owner), ExpLockSite(Mutex)), -1);
    }
    Mutex->Count = 0;
    Mutex->Owner = T;
    ExpNoteLockSite(Mutex);
}

VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    Mutex->Count = 1;
    Mutex->Owner = NULL;
    KiWakeChannel(Mutex);
    KeLeaveGuardedRegion();
}

BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    if (Mutex->Count != 1)
        return FALSE;
    KeAcquireGuardedMutex(Mutex);
    return TRUE;
}

/* Push locks: owner-less reader/writer locks (Value: bit 0 exclusive,
 * shared holders counted in steps of 2); a conflicting acquire waits for
 * a release.  Nothing records who holds one, so a thread that acquires a
 * push lock it already holds exclusive waits for itself: a hang. */
VOID ExInitializePushLock(PEX_PUSH_LOCK PushLock)
{
    PushLock->Value = 0;
}

static BOOLEAN ExpPushLockFree(void *Context)
{
    return ((PEX_PUSH_LOCK)Context)->Value == 0;
}

static BOOLEAN ExpPushLockNotExclusive(void *Context)
{
    return (((PEX_PUSH_LOCK)Context)->Value & 1) == 0;
}

VOID ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value != 0)
        KiWaitChannel(PushLock, ExpPushLockFree, PushLock,
                      KiFormat("exclusive access to push lock %016llx, held %s%s",
                               (unsigned long long)MiSyntheticAddress(PushLock),
                               (PushLock->Value & 1) ? "exclusive" : "shared", ExpLockSite(PushLock)), -1);
    PushLock->Value = 1;
    ExpNoteLockSite(PushLock);
}

VOID ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value & 1)
        KiWaitChannel(PushLock, ExpPushLockNotExclusive, PushLock,
                      KiFormat("shared access to push lock %016llx, held exclusive%s",
                               (unsigned long long)MiSyntheticAddress(PushLock), ExpLockSite(PushLock)), -1);
    PushLock->Value += 2;
    ExpNoteLockSite(PushLock);
}

VOID ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    PushLock->Value = 0;
    KiWakeChannel(PushLock);
}

VOID ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value >= 2)
        PushLock->Value -= 2;
    KiWakeChannel(PushLock);
}

VOID ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 0;
}

BOOLEAN ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    if (RunRef->Count & 1)
        return FALSE;
    RunRef->Count += 2;
    return TRUE;
}

VOID ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count -= 2;
    if (RunRef->Count == 1)
        KiWakeChannel(RunRef); /* the last reference of a rundown in progress */
}

static BOOLEAN ExpRundownDrained(void *Context)
{
    return ((PEX_RUNDOWN_REF)Context)->Count == 1;
}

VOID ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    /* New acquires fail from now on; the wait lasts until the references
     * already granted are released. */
    ULONG_PTR Outstanding = RunRef->Count >> 1;
    RunRef->Count |= 1;
    if (Outstanding != 0) {
        KI_FRAME_SCOPE("nt", "ExWaitForRundownProtectionRelease", 0x60);
        KiWaitChannel(RunRef, ExpRundownDrained, RunRef,
                      KiFormat("the release of %llu outstanding rundown protection reference%s on %016llx "
                               "(ExWaitForRundownProtectionRelease)", (unsigned long long)Outstanding,
                               Outstanding == 1 ? "" : "s", (unsigned long long)MiSyntheticAddress(RunRef)), -1);
    }
    RunRef->Count = 1;
}

VOID ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 1;
}
