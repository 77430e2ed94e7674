/*
 * spinlock.c - fltsim Ke: spin locks with Windows' IRQL rules (acquire
 * raises to DISPATCH_LEVEL; release at DISPATCH_LEVEL restores the old
 * IRQL; the AtDpcLevel forms require DISPATCH_LEVEL) and a recursion check
 * (acquiring a spin lock the thread already holds deadlocks on Windows).
 */
#include <fsim_kernel.h>

VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock)
{
    *SpinLock = 0;
}

static void KiAcquire(PKSPIN_LOCK SpinLock)
{
    PKTHREAD T = KeGetCurrentThread();
    if (*SpinLock != 0) {
        KiReportSetRootCause(KiFormat("spin lock %016llx acquired while %s holds it: a spin on a "
                                      "single processor never ends", (unsigned long long)MiSyntheticAddress(SpinLock),
                                      *SpinLock == (KSPIN_LOCK)T ? "this thread already" : "another thread"));
        KiHang("deadlock: spinning forever on a spin lock that is already held");
    }
    *SpinLock = (KSPIN_LOCK)T;
    T->SpinLocksHeld++;
}

static void KiRelease(PKSPIN_LOCK SpinLock)
{
    PKTHREAD T = KeGetCurrentThread();
    if (*SpinLock == 0) {
        KiReportSetRootCause("release of a spin lock that is not held (double release?)");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x32, T->Irql, (ULONG_PTR)MiSyntheticAddress(SpinLock), 0);
    }
    *SpinLock = 0;
    T->SpinLocksHeld--;
}

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock)
{
    KIRQL Old = KeGetCurrentIrql();
    if (Old > DISPATCH_LEVEL) {
        KiReportSetRootCause("KeAcquireSpinLock above DISPATCH_LEVEL");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x42, Old, (ULONG_PTR)MiSyntheticAddress(SpinLock), 0);
    }
    KfRaiseIrql(DISPATCH_LEVEL);
    KiAcquire(SpinLock);
    return Old;
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
{
    KIRQL Irql = KeGetCurrentIrql();
    if (Irql != DISPATCH_LEVEL) {
        KiReportSetRootCause("KeReleaseSpinLock at an IRQL other than DISPATCH_LEVEL");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x32, Irql, (ULONG_PTR)MiSyntheticAddress(SpinLock), 0);
    }
    KiRelease(SpinLock);
    KeLowerIrql(NewIrql);
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
{
    KIRQL Irql = KeGetCurrentIrql();
    if (Irql < DISPATCH_LEVEL) {
        KiReportSetRootCause("KeAcquireSpinLockAtDpcLevel below DISPATCH_LEVEL");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x40, Irql, (ULONG_PTR)MiSyntheticAddress(SpinLock), 0);
    }
    KiAcquire(SpinLock);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
{
    KIRQL Irql = KeGetCurrentIrql();
    if (Irql < DISPATCH_LEVEL) {
        KiReportSetRootCause("KeReleaseSpinLockFromDpcLevel below DISPATCH_LEVEL");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x41, Irql, (ULONG_PTR)MiSyntheticAddress(SpinLock), 0);
    }
    KiRelease(SpinLock);
}

VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
{
    LockHandle->LockQueue.Lock = SpinLock;
    LockHandle->LockQueue.Next = NULL;
    LockHandle->OldIrql = KeAcquireSpinLockRaiseToDpc(SpinLock);
}

VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
{
    KeReleaseSpinLock(LockHandle->LockQueue.Lock, LockHandle->OldIrql);
}
