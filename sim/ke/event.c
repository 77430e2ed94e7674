/*
 * event.c - fltsim Ke: dispatcher objects (events, semaphores, mutexes,
 * timers) and waits on them.
 *
 * In this slice a simulated thread runs until it finishes, so a wait that
 * is not already satisfied can only be satisfied by the clock: a wait with
 * a timeout advances the virtual clock and times out; a wait without one
 * can never end and stops the machine with a deadlock report naming the
 * waiter and the object.
 */
#include <fsim_kernel.h>

VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Header.Type = (UCHAR)(Type == NotificationEvent ? EventNotificationObject : EventSynchronizationObject);
    Event->Header.Size = sizeof(KEVENT) / sizeof(LONG);
    Event->Header.SignalState = State ? 1 : 0;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    LONG Old = Event->Header.SignalState;
    (void)Increment;
    (void)Wait;
    KiRequireIrql(DISPATCH_LEVEL, "KeSetEvent");
    Event->Header.SignalState = 1;
    return Old;
}

VOID KeClearEvent(PRKEVENT Event)
{
    Event->Header.SignalState = 0;
}

LONG KeResetEvent(PRKEVENT Event)
{
    LONG Old = Event->Header.SignalState;
    KiRequireIrql(DISPATCH_LEVEL, "KeResetEvent");
    Event->Header.SignalState = 0;
    return Old;
}

LONG KeReadStateEvent(PRKEVENT Event)
{
    return Event->Header.SignalState;
}

VOID KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    Semaphore->Header.Type = SemaphoreObject;
    Semaphore->Header.Size = sizeof(KSEMAPHORE) / sizeof(LONG);
    Semaphore->Header.SignalState = Count;
    InitializeListHead(&Semaphore->Header.WaitListHead);
    Semaphore->Limit = Limit;
}

LONG KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment, BOOLEAN Wait)
{
    LONG Old = Semaphore->Header.SignalState;
    (void)Increment;
    (void)Wait;
    if (Adjustment < 0 || Old + Adjustment > Semaphore->Limit || Old + Adjustment < Old)
        ExRaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    Semaphore->Header.SignalState = Old + Adjustment;
    return Old;
}

VOID KeInitializeMutex(PRKMUTEX Mutex, ULONG Level)
{
    (void)Level;
    Mutex->Header.Type = MutantObject;
    Mutex->Header.Size = sizeof(KMUTEX) / sizeof(LONG);
    Mutex->Header.SignalState = 1;
    InitializeListHead(&Mutex->Header.WaitListHead);
    Mutex->OwnerThread = NULL;
    Mutex->Abandoned = FALSE;
    Mutex->ApcDisable = 1;
}

LONG KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait)
{
    PKTHREAD T = KeGetCurrentThread();
    LONG Old = Mutex->Header.SignalState;
    (void)Wait;
    if (Mutex->OwnerThread != T) {
        KiReportSetRootCause("KeReleaseMutex by a thread that does not own the mutex");
        KeBugCheckEx(0x3F /* reported as THREAD_NOT_MUTEX_OWNER */, (ULONG_PTR)MiSyntheticAddress(Mutex),
                     (ULONG_PTR)MiSyntheticAddress(T), 0, 0);
    }
    if (++Mutex->Header.SignalState == 1) {
        Mutex->OwnerThread = NULL;
        KeLeaveCriticalRegion();
    }
    return Old;
}

/* Is the object signaled for this thread; consume the signal if so. */
static BOOLEAN KiTryAcquire(PVOID Object)
{
    PDISPATCHER_HEADER H = Object;
    PKTHREAD T = KeGetCurrentThread();
    switch (H->Type) {
    case EventNotificationObject:
    case TimerNotificationObject:
        return H->SignalState > 0;
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
        if (H->SignalState > 0) {
            H->SignalState = 0;
            return TRUE;
        }
        return FALSE;
    case SemaphoreObject:
        if (H->SignalState > 0) {
            H->SignalState--;
            return TRUE;
        }
        return FALSE;
    case MutantObject: {
        PKMUTANT Mutant = Object;
        if (H->SignalState > 0 || Mutant->OwnerThread == T) {
            if (H->SignalState == 1) {
                Mutant->OwnerThread = T;
                KeEnterCriticalRegion();
            }
            H->SignalState--;
            return TRUE;
        }
        return FALSE;
    }
    default:
        return FALSE;
    }
}

static const char *KiObjectKindName(PVOID Object)
{
    switch (((PDISPATCHER_HEADER)Object)->Type) {
    case EventNotificationObject: return "notification KEVENT";
    case EventSynchronizationObject: return "synchronization KEVENT";
    case SemaphoreObject: return "KSEMAPHORE";
    case MutantObject: return "KMUTEX";
    case TimerNotificationObject:
    case TimerSynchronizationObject: return "KTIMER";
    default: return "dispatcher object";
    }
}

static NTSTATUS KiWaitTimeout(PLARGE_INTEGER Timeout, PVOID *Objects, ULONG Count)
{
    PKTHREAD T = KeGetCurrentThread();
    if (Timeout == NULL) {
        char Text[1024];
        int Used = snprintf(Text, sizeof(Text), "deadlock: thread %u (%s) waits without a timeout on", T->ThreadId,
                            T->Name);
        for (ULONG I = 0; I < Count && Used < (int)sizeof(Text); I++)
            Used += snprintf(Text + Used, sizeof(Text) - (size_t)Used, "%s %s %016llx", I ? "," : "",
                             KiObjectKindName(Objects[I]), (unsigned long long)MiSyntheticAddress(Objects[I]));
        if (Used < (int)sizeof(Text))
            snprintf(Text + Used, sizeof(Text) - (size_t)Used,
                     " that is not signaled, and no other simulated thread can signal it");
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    if (Timeout->QuadPart < 0) {
        KiMachine->InterruptTime += -Timeout->QuadPart;
    } else if (Timeout->QuadPart > 0) {
        LARGE_INTEGER Now;
        KeQuerySystemTimePrecise(&Now);
        if (Timeout->QuadPart > Now.QuadPart)
            KiMachine->InterruptTime += Timeout->QuadPart - Now.QuadPart;
    }
    return STATUS_TIMEOUT;
}

static void KiCheckWaitIrql(PLARGE_INTEGER Timeout, PVOID Object)
{
    PKTHREAD T = KeGetCurrentThread();
    if (T->Irql > DISPATCH_LEVEL || (T->Irql == DISPATCH_LEVEL && (Timeout == NULL || Timeout->QuadPart != 0))) {
        KiReportSetRootCause(KiFormat("KeWaitForSingleObject/KeWaitForMultipleObjects at IRQL %u with a non-zero "
                                      "timeout (waits must be at IRQL <= APC_LEVEL)", T->Irql));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)MiSyntheticAddress(Object), T->Irql, 0, 0);
    }
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                               PLARGE_INTEGER Timeout)
{
    (void)WaitReason;
    (void)WaitMode;
    (void)Alertable;
    KiCheckWaitIrql(Timeout, Object);
    if (KiTryAcquire(Object))
        return STATUS_SUCCESS;
    return KiWaitTimeout(Timeout, &Object, 1);
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KWAIT_REASON WaitReason,
                                  KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    (void)WaitReason;
    (void)WaitMode;
    (void)Alertable;
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && WaitBlockArray == NULL)) {
        KiReportSetRootCause("KeWaitForMultipleObjects with more than THREAD_WAIT_OBJECTS objects and no wait "
                             "block array (or more than MAXIMUM_WAIT_OBJECTS)");
        KeBugCheckEx(0x0C /* MAXIMUM_WAIT_OBJECTS_EXCEEDED */, 0, 0, 0, 0);
    }
    KiCheckWaitIrql(Timeout, Object[0]);
    if (WaitType == WaitAny) {
        for (ULONG I = 0; I < Count; I++)
            if (KiTryAcquire(Object[I]))
                return (NTSTATUS)(STATUS_WAIT_0 + I);
    } else {
        BOOLEAN All = TRUE;
        for (ULONG I = 0; I < Count; I++) {
            PDISPATCHER_HEADER H = Object[I];
            if (H->SignalState <= 0)
                All = FALSE;
        }
        if (All) {
            for (ULONG I = 0; I < Count; I++)
                (void)KiTryAcquire(Object[I]);
            return STATUS_SUCCESS;
        }
    }
    return KiWaitTimeout(Timeout, Object, Count);
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
    (void)WaitMode;
    (void)Alertable;
    KiRequireIrql(APC_LEVEL, "KeDelayExecutionThread");
    if (Interval->QuadPart < 0)
        KiMachine->InterruptTime += -Interval->QuadPart;
    return STATUS_SUCCESS;
}

/* --- timers and DPCs: queued DPCs run when the clock reaches them (later slice);
 *     a DPC inserted here runs at once, at DISPATCH_LEVEL, on the current thread. */

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    memset(Dpc, 0, sizeof(*Dpc));
    Dpc->Type = 19; /* DpcObject */
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
}

BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PKTHREAD T = KeGetCurrentThread();
    KIRQL Old = T->Irql;
    KiRequireIrql(HIGH_LEVEL, "KeInsertQueueDpc");
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    T->Irql = DISPATCH_LEVEL > Old ? DISPATCH_LEVEL : Old;
    {
        KI_DRIVER_FRAME_SCOPE(Dpc->DeferredRoutine);
        Dpc->DeferredRoutine(Dpc, Dpc->DeferredContext, SystemArgument1, SystemArgument2);
    }
    T->Irql = Old;
    return TRUE;
}

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
    (void)Dpc;
    return FALSE;
}

VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    memset(Timer, 0, sizeof(*Timer));
    Timer->Header.Type = (UCHAR)(Type == NotificationTimer ? TimerNotificationObject : TimerSynchronizationObject);
    InitializeListHead(&Timer->Header.WaitListHead);
}

VOID KeInitializeTimer(PKTIMER Timer)
{
    KeInitializeTimerEx(Timer, NotificationTimer);
}

BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
    BOOLEAN WasSet = Timer->Header.Signalling != 0;
    Timer->DueTime.QuadPart = (ULONGLONG)DueTime.QuadPart;
    Timer->Period = (ULONG)Period;
    Timer->Dpc = Dpc;
    Timer->Header.SignalState = 0;
    Timer->Header.Signalling = 1;
    return WasSet;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    BOOLEAN WasSet = Timer->Header.Signalling != 0;
    Timer->Header.Signalling = 0;
    return WasSet;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return Timer->Header.SignalState != 0;
}
