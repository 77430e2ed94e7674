/*
 * event.c - fltsim Ke: dispatcher objects (events, semaphores, mutexes) and
 * the KeWaitXxx routines over them.  Blocking, waking and deadlock
 * detection are the scheduler's (sched.c); timers and DPCs live there too.
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
    KiSignalObject(Event);
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
    KiSignalObject(Semaphore);
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
        KiSignalObject(Mutex);
    }
    return Old;
}

/* Is the object signaled for this thread; consume the signal if so. */
BOOLEAN KiTryAcquire(PVOID Object)
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
        /* threads and processes: signaled once they have ended */
        return H->SignalState > 0;
    }
}

/* Timeout: NULL = forever; negative = relative (100 ns); positive = absolute system time. */
static LONGLONG KiDeadline(PLARGE_INTEGER Timeout)
{
    if (Timeout == NULL)
        return -1;
    if (Timeout->QuadPart <= 0)
        return KiMachine->InterruptTime - Timeout->QuadPart;
    LARGE_INTEGER Now;
    KeQuerySystemTimePrecise(&Now);
    LONGLONG Delta = Timeout->QuadPart - Now.QuadPart;
    return KiMachine->InterruptTime + (Delta > 0 ? Delta : 0);
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
    return KiWait(&Object, 1, WaitAny, KiDeadline(Timeout), FALSE);
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
    return KiWait(Object, Count, WaitType, KiDeadline(Timeout), FALSE);
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
    (void)WaitMode;
    (void)Alertable;
    KEVENT Never;
    PVOID Object = &Never;
    KiRequireIrql(APC_LEVEL, "KeDelayExecutionThread");
    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    LONGLONG Deadline = KiDeadline(Interval);
    if (Deadline >= 0 && Deadline <= KiMachine->InterruptTime) {
        /* A zero (or past) interval gives the processor to another ready
         * thread, as on Windows, and returns at once otherwise.  The call
         * itself takes time (one microsecond of the virtual clock), so a
         * thread that polls this way still lets deadlines and timers come. */
        KiMachine->InterruptTime += 10;
        KiYield();
        return STATUS_SUCCESS;
    }
    (void)KiWait(&Object, 1, WaitAny, Deadline, FALSE);
    return STATUS_SUCCESS;
}

/* --- DPCs (the queue and the timers are the scheduler's) ------------------ */

void KiQueueDpc(PKDPC Dpc);
BOOLEAN KiDequeueDpc(PKDPC Dpc);
void KiDrainDpcs(void);

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    memset(Dpc, 0, sizeof(*Dpc));
    Dpc->Type = 19; /* DpcObject */
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
}

/* The DPC runs at DISPATCH_LEVEL as soon as the processor's IRQL is below
 * DISPATCH_LEVEL: at once when inserted from lower IRQL, else when the
 * inserting code lowers IRQL or the scheduler next gets control. */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    if (Dpc->DpcData != NULL)
        return FALSE; /* already queued */
    Dpc->DpcData = Dpc;
    KiQueueDpc(Dpc);
    if (KeGetCurrentIrql() < DISPATCH_LEVEL)
        KiDrainDpcs();
    return TRUE;
}

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
    Dpc->DpcData = NULL;
    return KiDequeueDpc(Dpc);
}
