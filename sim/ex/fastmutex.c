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

static void ExpAcquireFast(PFAST_MUTEX FastMutex, BOOLEAN Raise)
{
    PKTHREAD T = KeGetCurrentThread();
    KIRQL Old = T->Irql;
    if (Old > APC_LEVEL) {
        KiReportSetRootCause(KiFormat("ExAcquireFastMutex at IRQL %u (must be <= APC_LEVEL)", Old));
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x33, Old, (ULONG_PTR)MiSyntheticAddress(FastMutex), 0);
    }
    if (FastMutex->Count != FM_LOCK_BIT) {
        const char *Text = KiFormat("deadlock: thread %u (%s) acquires FAST_MUTEX %016llx that %s owns (fast "
                                    "mutexes are not recursive)", T->ThreadId, T->Name,
                                    (unsigned long long)MiSyntheticAddress(FastMutex),
                                    FastMutex->Owner == T ? "it already" : "another thread");
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    FastMutex->Count = 0;
    FastMutex->Owner = T;
    if (Raise) {
        if (Old < APC_LEVEL)
            KiNoteApcBlock(T, "ExAcquireFastMutex raised the IRQL to APC_LEVEL");
        T->Irql = APC_LEVEL;
        FastMutex->OldIrql = Old;
    }
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

VOID KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    PKTHREAD T = KeGetCurrentThread();
    if (Mutex->Count != 1) {
        const char *Text = KiFormat("deadlock: thread %u acquires a KGUARDED_MUTEX it cannot get", T->ThreadId);
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    KeEnterGuardedRegion();
    Mutex->Count = 0;
    Mutex->Owner = T;
}

VOID KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    Mutex->Count = 1;
    Mutex->Owner = NULL;
    KeLeaveGuardedRegion();
}

BOOLEAN KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex)
{
    if (Mutex->Count != 1)
        return FALSE;
    KeAcquireGuardedMutex(Mutex);
    return TRUE;
}

/* Push locks: owner-less reader/writer locks; a conflicting acquire can never be granted here. */
VOID ExInitializePushLock(PEX_PUSH_LOCK PushLock)
{
    PushLock->Value = 0;
}

VOID ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value != 0) {
        KiReportSetRootCause("push lock acquired exclusive while held");
        KiHang("deadlock: exclusive acquire of a push lock that is held");
    }
    PushLock->Value = 1;
}

VOID ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value & 1) {
        KiReportSetRootCause("push lock acquired shared while held exclusive");
        KiHang("deadlock: shared acquire of a push lock that is held exclusive");
    }
    PushLock->Value += 2;
}

VOID ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    PushLock->Value = 0;
}

VOID ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags)
{
    (void)Flags;
    if (PushLock->Value >= 2)
        PushLock->Value -= 2;
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
}

VOID ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    if (RunRef->Count >= 2) {
        const char *Text = KiFormat("deadlock: ExWaitForRundownProtectionRelease waits for %llu outstanding "
                                    "references that no thread can release",
                                    (unsigned long long)(RunRef->Count >> 1));
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    RunRef->Count = 1;
}

VOID ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 1;
}
