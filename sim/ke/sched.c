/*
 * sched.c - fltsim Ke: the scheduler of simulated threads, timers and DPCs.
 *
 * One simulated processor.  Threads created by the kernel (system worker
 * threads, PsCreateSystemThread) are coroutines, each on its own host stack
 * with a guard page below it.  Host calls (a simulated process's system
 * call, a driver load) run on the host stack as the thread they belong to;
 * when such a call waits, it drives the scheduler itself until its wait is
 * satisfied.  The scheduler runs, in this order: queued DPCs (at
 * DISPATCH_LEVEL), then ready threads in FIFO order, then - only when
 * nothing else can run - the clock jumps to the earliest timer or wait
 * deadline.  When nothing can run and nothing is due, the waits can never
 * end: the machine stops with a deadlock report naming every waiter.
 * Every choice is deterministic (FIFO queues, timers ordered by due time
 * then by arming order).
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE 1
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif
#include <fsim_kernel.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

#if defined(__SANITIZE_ADDRESS__)
#define KI_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KI_ASAN 1
#endif
#endif
#ifdef KI_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
#endif

#define KI_FIBER_STACK (1024 * 1024)

struct KI_FIBER {
    ucontext_t Context;
    ucontext_t *Resumer;         /* where a switch away from this fiber goes */
    void *Mapping;               /* guard page + stack */
    size_t MappingSize;
    BOOLEAN Finished;
    PKTHREAD Thread;
    const void *ResumerStackBottom; /* ASan: the stack we came from */
    size_t ResumerStackSize;
};

typedef struct KI_TIMER_ENTRY {
    PKTIMER Timer;
    LONGLONG Due;                /* interrupt time */
    ULONG Sequence;
} KI_TIMER_ENTRY;

struct KI_SCHED {
    LIST_ENTRY Ready;
    LIST_ENTRY Waiting;
    KI_TIMER_ENTRY *Timers;      /* sorted by (Due, Sequence) */
    ULONG TimerCount, TimerCapacity;
    ULONG TimerSequence;
    PKDPC *Dpcs;                 /* FIFO */
    ULONG DpcCount, DpcCapacity;
    PKTHREAD DpcThread;          /* the context DPCs run in */
    PKTHREAD *AllThreads;        /* for teardown */
    ULONG AllCount, AllCapacity;
    ULONGLONG Rng;               /* the machine seed's generator; 0: first in, first out */
    LIST_ENTRY Channels;         /* KI_CHANNEL_WAITER: threads waiting for a lock to be released */
};

#define KiSched() (KiMachine->Sched)

static _Thread_local struct KI_FIBER *KiStartingFiber;

/* --- fibers ------------------------------------------------------------------ */

static void KiFiberEntry(void);
DECLSPEC_NORETURN void KiTerminateCurrentThread(void);

static struct KI_FIBER *KiCreateFiber(PKTHREAD Thread)
{
    struct KI_FIBER *F = calloc(1, sizeof(*F));
    if (F == NULL)
        abort();
    F->MappingSize = KI_FIBER_STACK + PAGE_SIZE;
    F->Mapping = mmap(NULL, F->MappingSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (F->Mapping == MAP_FAILED)
        abort();
    mprotect(F->Mapping, PAGE_SIZE, PROT_NONE); /* the guard page below the stack */
    F->Thread = Thread;
    if (getcontext(&F->Context) != 0)
        abort();
    F->Context.uc_stack.ss_sp = (char *)F->Mapping + PAGE_SIZE;
    F->Context.uc_stack.ss_size = KI_FIBER_STACK;
    F->Context.uc_link = NULL;
    makecontext(&F->Context, KiFiberEntry, 0);
    return F;
}

static void KiDestroyFiber(struct KI_FIBER *F)
{
    munmap(F->Mapping, F->MappingSize);
    free(F);
}

BOOLEAN KiIsFiberGuardPage(const void *Address);
BOOLEAN KiIsFiberGuardPage(const void *Address)
{
    struct KI_SCHED *S = KiMachine ? KiSched() : NULL;
    if (S == NULL)
        return FALSE;
    for (ULONG I = 0; I < S->AllCount; I++) {
        struct KI_FIBER *F = S->AllThreads[I]->Fiber;
        if (F && (const char *)Address >= (const char *)F->Mapping &&
            (const char *)Address < (const char *)F->Mapping + PAGE_SIZE)
            return TRUE;
    }
    return FALSE;
}

/* Switch from the running fiber back to whoever resumed it. */
static void KiSwitchToResumer(struct KI_FIBER *F, BOOLEAN Dying)
{
#ifdef KI_ASAN
    void *FakeStack = NULL;
    __sanitizer_start_switch_fiber(Dying ? NULL : &FakeStack, F->ResumerStackBottom, F->ResumerStackSize);
    swapcontext(&F->Context, F->Resumer);
    __sanitizer_finish_switch_fiber(FakeStack, &F->ResumerStackBottom, &F->ResumerStackSize);
#else
    (void)Dying;
    swapcontext(&F->Context, F->Resumer);
#endif
}

static void KiFiberEntry(void)
{
    struct KI_FIBER *F = KiStartingFiber;
#ifdef KI_ASAN
    __sanitizer_finish_switch_fiber(NULL, &F->ResumerStackBottom, &F->ResumerStackSize);
#endif
    PKTHREAD T = F->Thread;
    {
        KI_FRAME_SCOPE("nt", "PspSystemThreadStartup", 0x50);
        KI_DRIVER_FRAME_SCOPE(T->StartRoutine);
        T->StartRoutine(T->StartContext);
    }
    KiTerminateCurrentThread();
}

/* The running coroutine thread ends: it becomes signaled and never runs again. */
DECLSPEC_NORETURN void KiTerminateCurrentThread(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    struct KI_FIBER *F = T->Fiber;
    KiRundownApcs(T);
    if (T->Irql != PASSIVE_LEVEL || T->KernelApcDisable != 0) {
        KiReportSetRootCause(KiFormat("system thread %u (%s) ended at IRQL %u with APC disable count %d",
                                      T->ThreadId, T->Name, T->Irql, T->KernelApcDisable));
        KeBugCheckEx(T->Irql != PASSIVE_LEVEL ? IRQL_NOT_LESS_OR_EQUAL : APC_INDEX_MISMATCH, 0, T->Irql,
                     (ULONG_PTR)(LONG_PTR)T->KernelApcDisable, 0);
    }
    T->State = KI_THREAD_TERMINATED;
    T->Header.SignalState = 1;
    KiSignalObject(T);
    F->Finished = TRUE;
    KiSwitchToResumer(F, TRUE);
    abort(); /* a finished fiber is never resumed */
}

/* Run Thread until it waits, finishes or stops the machine. */
static void KiResume(PKTHREAD Thread)
{
    FSIM_MACHINE *M = KiMachine;
    struct KI_FIBER *F = Thread->Fiber;
    ucontext_t Here;
    PKTHREAD Previous = M->CurrentThread;
    F->Resumer = &Here;
    M->CurrentThread = Thread;
    Thread->State = KI_THREAD_RUNNING;
    KiStartingFiber = F;
#ifdef KI_ASAN
    void *FakeStack = NULL;
    __sanitizer_start_switch_fiber(&FakeStack, (char *)F->Mapping + PAGE_SIZE, KI_FIBER_STACK);
    swapcontext(&Here, &F->Context);
    __sanitizer_finish_switch_fiber(FakeStack, NULL, NULL);
#else
    swapcontext(&Here, &F->Context);
#endif
    M->CurrentThread = Previous;
    if (M->State != FSIM_STATE_RUNNING)
        longjmp(*M->StopJump, 1); /* the thread bugchecked or hung: unwind the host call */
    if (F->Finished) {
        KiDestroyFiber(F);
        Thread->Fiber = NULL;
    }
}

/* Called by KiStopMachine on a fiber: leave it for good. */
void KiAbandonFiber(void);
void KiAbandonFiber(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T != NULL && T->Fiber != NULL && T->Fiber->Resumer != NULL)
        KiSwitchToResumer(T->Fiber, FALSE);
}

BOOLEAN KiOnFiber(void);
BOOLEAN KiOnFiber(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    return T != NULL && T->Fiber != NULL && T->State == KI_THREAD_RUNNING;
}

/* --- set-up ------------------------------------------------------------------- */

void KiInitializeScheduler(void)
{
    struct KI_SCHED *S = calloc(1, sizeof(*S));
    if (S == NULL)
        abort();
    KiMachine->Sched = S;
    S->Rng = KiMachine->Options.Seed;
    InitializeListHead(&S->Ready);
    InitializeListHead(&S->Waiting);
    InitializeListHead(&S->Channels);
}

void KiTeardownScheduler(void)
{
    struct KI_SCHED *S = KiSched();
    if (S == NULL)
        return;
    for (ULONG I = 0; I < S->AllCount; I++) {
        if (S->AllThreads[I]->Fiber)
            KiDestroyFiber(S->AllThreads[I]->Fiber);
        S->AllThreads[I]->Fiber = NULL;
    }
    free(S->AllThreads);
    free(S->Timers);
    free(S->Dpcs);
    free(S);
    KiMachine->Sched = NULL;
}

static PKTHREAD KiCreateFiberThread(struct _EPROCESS *Process, const char *Name, BOOLEAN System,
                                    PKSTART_ROUTINE Routine, PVOID Context)
{
    struct KI_SCHED *S = KiSched();
    PKTHREAD T = KiCreateThread(Process, Name, System);
    T->StartRoutine = Routine;
    T->StartContext = Context;
    T->Fiber = KiCreateFiber(T);
    if (S->AllCount == S->AllCapacity) {
        ULONG Cap = S->AllCapacity ? S->AllCapacity * 2 : 16;
        PKTHREAD *New = realloc(S->AllThreads, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        S->AllThreads = New;
        S->AllCapacity = Cap;
    }
    S->AllThreads[S->AllCount++] = T;
    T->State = KI_THREAD_READY;
    InsertTailList(&S->Ready, &T->SchedLinks);
    return T;
}

/* A coroutine thread by its id (NULL: none, or it has ended). */
PKTHREAD KiLookupThread(ULONG ThreadId)
{
    struct KI_SCHED *S = KiSched();
    for (ULONG I = 0; S != NULL && I < S->AllCount; I++)
        if (S->AllThreads[I]->ThreadId == ThreadId && S->AllThreads[I]->State != KI_THREAD_TERMINATED)
            return S->AllThreads[I];
    return NULL;
}

PKTHREAD KiCreateSystemThread(struct _EPROCESS *Process, const char *Name, PKSTART_ROUTINE Routine, PVOID Context)
{
    return KiCreateFiberThread(Process, Name, TRUE, Routine, Context);
}

/* A thread of a user process (a simulated program's second thread). */
PKTHREAD KiCreateUserThread(struct _EPROCESS *Process, const char *Name, PKSTART_ROUTINE Routine, PVOID Context)
{
    return KiCreateFiberThread(Process, Name, FALSE, Routine, Context);
}

/* --- dispatcher objects --------------------------------------------------------- */

static BOOLEAN KiIsSignaled(PVOID Object, PKTHREAD T)
{
    PDISPATCHER_HEADER H = Object;
    if (H->Type == MutantObject)
        return H->SignalState > 0 || ((PKMUTANT)Object)->OwnerThread == T;
    return H->SignalState > 0;
}

static BOOLEAN KiWaitSatisfiable(PKTHREAD T)
{
    if (T->WaitType == WaitAny) {
        for (ULONG I = 0; I < T->WaitCount; I++)
            if (KiIsSignaled(T->WaitObjects[I], T))
                return TRUE;
        return FALSE;
    }
    for (ULONG I = 0; I < T->WaitCount; I++)
        if (!KiIsSignaled(T->WaitObjects[I], T))
            return FALSE;
    return TRUE;
}

/* Satisfy the wait of T (it is satisfiable): consume signals, set the status. */
static void KiSatisfyWait(PKTHREAD T)
{
    PKTHREAD Saved = KiMachine->CurrentThread;
    KiMachine->CurrentThread = T; /* mutex ownership goes to the waiter */
    if (T->WaitType == WaitAny) {
        for (ULONG I = 0; I < T->WaitCount; I++) {
            if (KiIsSignaled(T->WaitObjects[I], T)) {
                (void)KiTryAcquire(T->WaitObjects[I]);
                T->WaitStatus = (NTSTATUS)(STATUS_WAIT_0 + I);
                break;
            }
        }
    } else {
        for (ULONG I = 0; I < T->WaitCount; I++)
            (void)KiTryAcquire(T->WaitObjects[I]);
        T->WaitStatus = STATUS_SUCCESS;
    }
    KiMachine->CurrentThread = Saved;
}

static void KiMakeReady(PKTHREAD T)
{
    RemoveEntryList(&T->SchedLinks);
    T->State = KI_THREAD_READY;
    InsertTailList(&KiSched()->Ready, &T->SchedLinks);
}

/* A kernel APC was queued to a waiting thread that can take it: the wait
 * is interrupted, the thread runs the APC and then waits again. */
void KiWakeForApc(PKTHREAD T);
void KiWakeForApc(PKTHREAD T)
{
    if (T->State != KI_THREAD_WAITING)
        return; /* running, ready, or a host call's thread (it checks in KiWait) */
    T->WaitStatus = STATUS_KERNEL_APC;
    KiMakeReady(T);
}

void KiSignalObject(PVOID Object)
{
    struct KI_SCHED *S = KiSched();
    PLIST_ENTRY E = S->Waiting.Flink;
    (void)Object;
    while (E != &S->Waiting) {
        PKTHREAD T = CONTAINING_RECORD(E, struct _KTHREAD, SchedLinks);
        E = E->Flink;
        if (KiWaitSatisfiable(T)) {
            KiSatisfyWait(T);
            KiMakeReady(T);
        }
    }
}

/* --- DPCs and timers -------------------------------------------------------------- */

void KiQueueDpc(PKDPC Dpc);
void KiQueueDpc(PKDPC Dpc)
{
    struct KI_SCHED *S = KiSched();
    for (ULONG I = 0; I < S->DpcCount; I++)
        if (S->Dpcs[I] == Dpc)
            return;
    if (S->DpcCount == S->DpcCapacity) {
        ULONG Cap = S->DpcCapacity ? S->DpcCapacity * 2 : 16;
        PKDPC *New = realloc(S->Dpcs, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        S->Dpcs = New;
        S->DpcCapacity = Cap;
    }
    S->Dpcs[S->DpcCount++] = Dpc;
}

BOOLEAN KiDequeueDpc(PKDPC Dpc);
BOOLEAN KiDequeueDpc(PKDPC Dpc)
{
    struct KI_SCHED *S = KiSched();
    for (ULONG I = 0; I < S->DpcCount; I++) {
        if (S->Dpcs[I] == Dpc) {
            memmove(&S->Dpcs[I], &S->Dpcs[I + 1], (S->DpcCount - I - 1) * sizeof(PKDPC));
            S->DpcCount--;
            return TRUE;
        }
    }
    return FALSE;
}

static BOOLEAN KiRunOneDpc(void)
{
    FSIM_MACHINE *M = KiMachine;
    struct KI_SCHED *S = KiSched();
    if (S->DpcCount == 0)
        return FALSE;
    PKDPC Dpc = S->Dpcs[0];
    memmove(&S->Dpcs[0], &S->Dpcs[1], (S->DpcCount - 1) * sizeof(PKDPC));
    S->DpcCount--;
    Dpc->DpcData = NULL; /* no longer queued: it may be inserted again */
    if (S->DpcThread == NULL)
        S->DpcThread = KiCreateThread(M->SystemProcess, "DPC", TRUE);
    PKTHREAD Previous = M->CurrentThread;
    M->CurrentThread = S->DpcThread;
    S->DpcThread->Irql = DISPATCH_LEVEL;
    {
        KI_FRAME_SCOPE("nt", "KiExecuteAllDpcs", 0x80);
        KI_DRIVER_FRAME_SCOPE(Dpc->DeferredRoutine);
        Dpc->DeferredRoutine(Dpc, Dpc->DeferredContext, Dpc->SystemArgument1, Dpc->SystemArgument2);
    }
    if (S->DpcThread->Irql != DISPATCH_LEVEL) {
        KiReportSetRootCause(KiFormat("a DPC routine returned at IRQL %u instead of DISPATCH_LEVEL",
                                      S->DpcThread->Irql));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, S->DpcThread->Irql, 0, 0);
    }
    S->DpcThread->FrameCount = 0;
    M->CurrentThread = Previous;
    return TRUE;
}

static void KiRemoveTimer(PKTIMER Timer)
{
    struct KI_SCHED *S = KiSched();
    for (ULONG I = 0; I < S->TimerCount; I++) {
        if (S->Timers[I].Timer == Timer) {
            memmove(&S->Timers[I], &S->Timers[I + 1], (S->TimerCount - I - 1) * sizeof(KI_TIMER_ENTRY));
            S->TimerCount--;
            return;
        }
    }
}

static void KiInsertTimer(PKTIMER Timer, LONGLONG Due)
{
    struct KI_SCHED *S = KiSched();
    ULONG At = 0;
    if (S->TimerCount == S->TimerCapacity) {
        ULONG Cap = S->TimerCapacity ? S->TimerCapacity * 2 : 16;
        KI_TIMER_ENTRY *New = realloc(S->Timers, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        S->Timers = New;
        S->TimerCapacity = Cap;
    }
    while (At < S->TimerCount && S->Timers[At].Due <= Due)
        At++;
    memmove(&S->Timers[At + 1], &S->Timers[At], (S->TimerCount - At) * sizeof(KI_TIMER_ENTRY));
    S->Timers[At].Timer = Timer;
    S->Timers[At].Due = Due;
    S->Timers[At].Sequence = ++S->TimerSequence;
    S->TimerCount++;
}

/* Is a pool block [Start, Start+Size) holding an armed timer? (0xC7 check) */
PKTIMER KiFindTimerIn(const void *Start, SIZE_T Size);
PKTIMER KiFindTimerIn(const void *Start, SIZE_T Size)
{
    struct KI_SCHED *S = KiMachine->Sched;
    if (S == NULL)
        return NULL;
    for (ULONG I = 0; I < S->TimerCount; I++) {
        const char *T = (const char *)S->Timers[I].Timer;
        if (T >= (const char *)Start && T < (const char *)Start + Size)
            return S->Timers[I].Timer;
    }
    return NULL;
}

void KiDrainDpcs(void);
void KiDrainDpcs(void)
{
    while (KiRunOneDpc())
        ;
}

static LONGLONG KiDueTime(LARGE_INTEGER DueTime)
{
    if (DueTime.QuadPart < 0)
        return KiMachine->InterruptTime - DueTime.QuadPart;
    LARGE_INTEGER Now;
    KeQuerySystemTimePrecise(&Now);
    LONGLONG Delta = DueTime.QuadPart - Now.QuadPart;
    return KiMachine->InterruptTime + (Delta > 0 ? Delta : 0);
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
    KiRequireIrql(DISPATCH_LEVEL, "KeSetTimerEx");
    KiRemoveTimer(Timer);
    Timer->Period = (ULONG)Period;
    Timer->Dpc = Dpc;
    Timer->Header.SignalState = 0;
    Timer->Header.Signalling = 1;
    Timer->DueTime.QuadPart = (ULONGLONG)KiDueTime(DueTime);
    KiInsertTimer(Timer, (LONGLONG)Timer->DueTime.QuadPart);
    return WasSet;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    BOOLEAN WasSet = Timer->Header.Signalling != 0;
    KiRequireIrql(DISPATCH_LEVEL, "KeCancelTimer");
    KiRemoveTimer(Timer);
    Timer->Header.Signalling = 0;
    return WasSet;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return Timer->Header.SignalState != 0;
}

static void KiFireTimer(KI_TIMER_ENTRY Entry)
{
    PKTIMER Timer = Entry.Timer;
    Timer->Header.SignalState = 1;
    Timer->Header.Signalling = 0;
    if (Timer->Period != 0) {
        Timer->Header.Signalling = 1;
        Timer->DueTime.QuadPart = (ULONGLONG)(Entry.Due + (LONGLONG)Timer->Period * 10000);
        KiInsertTimer(Timer, (LONGLONG)Timer->DueTime.QuadPart);
    }
    if (Timer->Dpc != NULL) {
        LARGE_INTEGER Now;
        KeQuerySystemTimePrecise(&Now);
        Timer->Dpc->SystemArgument1 = (PVOID)(ULONG_PTR)Now.LowPart;
        Timer->Dpc->SystemArgument2 = (PVOID)(ULONG_PTR)(ULONG)Now.HighPart;
        KiQueueDpc(Timer->Dpc);
    }
    KiSignalObject(Timer);
}

/* Fire every timer due at the current time. */
static BOOLEAN KiFireDueTimers(void)
{
    struct KI_SCHED *S = KiSched();
    BOOLEAN Any = FALSE;
    while (S->TimerCount > 0 && S->Timers[0].Due <= KiMachine->InterruptTime) {
        KI_TIMER_ENTRY Entry = S->Timers[0];
        memmove(&S->Timers[0], &S->Timers[1], (S->TimerCount - 1) * sizeof(KI_TIMER_ENTRY));
        S->TimerCount--;
        KiFireTimer(Entry);
        Any = TRUE;
    }
    return Any;
}

/* Time out waiters whose deadline has passed. */
static BOOLEAN KiExpireWaits(void)
{
    struct KI_SCHED *S = KiSched();
    BOOLEAN Any = FALSE;
    PLIST_ENTRY E = S->Waiting.Flink;
    while (E != &S->Waiting) {
        PKTHREAD T = CONTAINING_RECORD(E, struct _KTHREAD, SchedLinks);
        E = E->Flink;
        if (T->WaitDeadline >= 0 && T->WaitDeadline <= KiMachine->InterruptTime) {
            T->WaitStatus = STATUS_TIMEOUT;
            KiMakeReady(T);
            Any = TRUE;
        }
    }
    return Any;
}

/* The earliest future event: a timer or a wait deadline; -1 if none. */
static LONGLONG KiNextEvent(LONGLONG HostDeadline)
{
    struct KI_SCHED *S = KiSched();
    LONGLONG Next = -1;
    if (S->TimerCount > 0)
        Next = S->Timers[0].Due;
    for (PLIST_ENTRY E = S->Waiting.Flink; E != &S->Waiting; E = E->Flink) {
        PKTHREAD T = CONTAINING_RECORD(E, struct _KTHREAD, SchedLinks);
        if (T->WaitDeadline >= 0 && (Next < 0 || T->WaitDeadline < Next))
            Next = T->WaitDeadline;
    }
    if (HostDeadline >= 0 && (Next < 0 || HostDeadline < Next))
        Next = HostDeadline;
    return Next;
}

/* Which ready thread runs next.  Seed 0: the one ready longest, as
 * Windows' round robin among equal priorities.  Any other seed: one drawn
 * by the seed's generator (splitmix64), standing in for which processor
 * gets there first on a multiprocessor - another seed, another
 * interleaving; the same seed, the same run. */
static PLIST_ENTRY KiPickReady(struct KI_SCHED *S)
{
    ULONG Count = 0, Pick;
    PLIST_ENTRY E;
    if (S->Rng == 0)
        return S->Ready.Flink;
    for (E = S->Ready.Flink; E != &S->Ready; E = E->Flink)
        Count++;
    S->Rng += 0x9e3779b97f4a7c15ULL;
    ULONGLONG Z = S->Rng;
    Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
    Z ^= Z >> 31;
    if (S->Rng == 0)
        S->Rng = 1; /* never fall back to FIFO mid-run */
    Pick = (ULONG)(Z % Count);
    for (E = S->Ready.Flink; Pick > 0; Pick--)
        E = E->Flink;
    return E;
}

/* One step of the scheduler without moving the clock: a DPC, a due timer,
 * an expired wait or a ready thread.  FALSE when nothing could run. */
static BOOLEAN KiStep(void)
{
    struct KI_SCHED *S = KiSched();
    if (KiRunOneDpc())
        return TRUE;
    if (KiFireDueTimers() || KiExpireWaits())
        return TRUE;
    if (!IsListEmpty(&S->Ready)) {
        PLIST_ENTRY E = KiPickReady(S);
        PKTHREAD T = CONTAINING_RECORD(E, struct _KTHREAD, SchedLinks);
        RemoveEntryList(E);
        InitializeListHead(&T->SchedLinks);
        KiResume(T);
        return TRUE;
    }
    return FALSE;
}

void KiRunUntilIdle(void)
{
    while (KiStep())
        ;
}

void KiAdvanceClock(LONGLONG Delta)
{
    LONGLONG Target = KiMachine->InterruptTime + Delta;
    KiRunUntilIdle();
    for (;;) {
        LONGLONG Next = KiNextEvent(-1);
        if (Next < 0 || Next > Target)
            break;
        if (Next > KiMachine->InterruptTime)
            KiMachine->InterruptTime = Next;
        KiRunUntilIdle();
    }
    KiMachine->InterruptTime = Target;
    KiRunUntilIdle();
}

/* --- waiting ---------------------------------------------------------------------- */

/* Wait channels: the executive's locks (fast and guarded mutexes, push
 * locks, ERESOURCEs, rundown protection) keep their state where they
 * always did; a thread that cannot get one waits on its channel - the
 * lock's address - until Ready(Context) holds, and every release wakes
 * the channel's waiters to look again.  Each waiter waits on its own
 * event, so no wake-up is lost.  Note says, for a hang report, what it
 * waits for and who held it when the wait began. */
typedef struct KI_CHANNEL_WAITER {
    LIST_ENTRY Links;
    const void *Key;
    KEVENT Event;
} KI_CHANNEL_WAITER;

NTSTATUS KiWaitChannel(const void *Key, BOOLEAN (*Ready)(void *Context), void *Context, const char *Note,
                       LONGLONG Deadline)
{
    struct KI_SCHED *S = KiSched();
    PKTHREAD T = KiMachine->CurrentThread;
    while (!Ready(Context)) {
        NTSTATUS Status;
        KI_CHANNEL_WAITER W;
        PVOID Object = &W.Event;
        W.Key = Key;
        KeInitializeEvent(&W.Event, NotificationEvent, FALSE);
        InsertTailList(&S->Channels, &W.Links);
        T->WaitChannel = Key;
        T->WaitNote = Note;
        Status = KiWait(&Object, 1, WaitAny, Deadline, FALSE);
        T->WaitChannel = NULL;
        if (W.Key != NULL)
            RemoveEntryList(&W.Links); /* woken otherwise (a timeout): still queued */
        if (Status == STATUS_TIMEOUT && !Ready(Context))
            return STATUS_TIMEOUT;
    }
    return STATUS_SUCCESS;
}

void KiWakeChannel(const void *Key)
{
    struct KI_SCHED *S = KiSched();
    PLIST_ENTRY E;
    if (S == NULL)
        return;
    E = S->Channels.Flink;
    while (E != &S->Channels) {
        KI_CHANNEL_WAITER *W = CONTAINING_RECORD(E, KI_CHANNEL_WAITER, Links);
        E = E->Flink;
        if (W->Key != Key)
            continue;
        RemoveEntryList(&W->Links);
        W->Key = NULL;
        KeSetEvent(&W->Event, IO_NO_INCREMENT, FALSE);
    }
}

/* The running thread lets the scheduler run: due timers and DPCs, then
 * the next ready thread.  A coroutine thread goes to the back of the
 * ready queue; a host call's thread runs one scheduler step. */
void KiYield(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    struct KI_SCHED *S = KiSched();
    if (S == NULL)
        return;
    if (KiOnFiber()) {
        T->State = KI_THREAD_READY;
        InsertTailList(&S->Ready, &T->SchedLinks);
        KiSwitchToResumer(T->Fiber, FALSE);
        return;
    }
    (void)KiStep();
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

static int KiDescribeWait(char *Text, size_t Size, PKTHREAD T, PVOID *Objects, ULONG Count)
{
    int Used;
    if (T->WaitChannel != NULL) {
        /* a lock's wait channel: the note says which lock and who holds it */
        Used = snprintf(Text, Size, "thread %u (%s) waits for %s", T->ThreadId, T->Name,
                        T->WaitNote ? T->WaitNote : "a lock");
        if (Used < (int)Size)
            Used += KiDescribeBlockedApcs(Text + Used, Size - (size_t)Used, T);
        return Used;
    }
    Used = snprintf(Text, Size, "thread %u (%s) waits without a timeout on", T->ThreadId, T->Name);
    for (ULONG I = 0; I < Count && Used < (int)Size; I++)
        Used += snprintf(Text + Used, Size - (size_t)Used, "%s %s %016llx", I ? "," : "", KiObjectKindName(Objects[I]),
                         (unsigned long long)MiSyntheticAddress(Objects[I]));
    if (T->WaitNote && Used < (int)Size)
        Used += snprintf(Text + Used, Size - (size_t)Used, " (%s)", T->WaitNote);
    if (T->WaitIrp != NULL && Used < (int)Size)
        Used += IopDescribeWaitIrp(Text + Used, Size - (size_t)Used, T->WaitIrp);
    if (Used < (int)Size)
        Used += KiDescribeBlockedApcs(Text + Used, Size - (size_t)Used, T);
    return Used;
}

static DECLSPEC_NORETURN void KiDeadlock(PKTHREAD HostWaiter, PVOID *Objects, ULONG Count)
{
    struct KI_SCHED *S = KiSched();
    char Text[2048];
    int Used = snprintf(Text, sizeof(Text), "deadlock: ");
    if (HostWaiter != NULL)
        Used += KiDescribeWait(Text + Used, sizeof(Text) - (size_t)Used, HostWaiter, Objects, Count);
    for (PLIST_ENTRY E = S->Waiting.Flink; E != &S->Waiting && Used < (int)sizeof(Text) - 8; E = E->Flink) {
        PKTHREAD T = CONTAINING_RECORD(E, struct _KTHREAD, SchedLinks);
        if (T->IdleWait)
            continue;
        Used += snprintf(Text + Used, sizeof(Text) - (size_t)Used, "; ");
        Used += KiDescribeWait(Text + Used, sizeof(Text) - (size_t)Used, T, T->WaitObjects, T->WaitCount);
    }
    if (Used < (int)sizeof(Text))
        snprintf(Text + Used, sizeof(Text) - (size_t)Used, "; nothing is signaled and no other simulated thread "
                                                           "can run to signal it");
    KiReportSetRootCause(Text);
    KiHang(Text);
}

NTSTATUS KiWait(PVOID *Objects, ULONG Count, WAIT_TYPE Type, LONGLONG Deadline, BOOLEAN Idle)
{
    PKTHREAD T = KiMachine->CurrentThread;
    struct KI_SCHED *S = KiSched();
    T->WaitType = Type;
    T->WaitCount = Count;
    for (ULONG I = 0; I < Count; I++)
        T->WaitObjects[I] = Objects[I];
    T->WaitDeadline = Deadline;
    if (KiApcDeliverable(T))
        KiDeliverApcs(); /* pending kernel APCs run before the thread waits */
    if (KiWaitSatisfiable(T)) {
        KiSatisfyWait(T);
        return T->WaitStatus;
    }
    if (Deadline >= 0 && Deadline <= KiMachine->InterruptTime)
        return STATUS_TIMEOUT;
    if (KiOnFiber()) {
        /* A coroutine thread: block and let the scheduler run others.  A
         * kernel APC interrupts the wait: it runs, and the thread waits
         * again unless the APC satisfied the wait. */
        for (;;) {
            T->IdleWait = Idle;
            T->State = KI_THREAD_WAITING;
            InsertTailList(&S->Waiting, &T->SchedLinks);
            KiSwitchToResumer(T->Fiber, FALSE);
            T->IdleWait = FALSE;
            if (T->WaitStatus != STATUS_KERNEL_APC)
                break;
            KiDeliverApcs();
            if (KiWaitSatisfiable(T)) {
                KiSatisfyWait(T);
                break;
            }
            if (Deadline >= 0 && Deadline <= KiMachine->InterruptTime) {
                T->WaitStatus = STATUS_TIMEOUT;
                break;
            }
        }
        T->WaitNote = NULL;
        return T->WaitStatus;
    }
    /* A host call waiting: drive the machine until the wait is satisfied. */
    for (;;) {
        if (KiApcDeliverable(T)) {
            PKTHREAD Saved = KiSwitchThread(T);
            KiDeliverApcs();
            KiSwitchThread(Saved);
        }
        if (KiWaitSatisfiable(T)) {
            KiSatisfyWait(T);
            T->WaitNote = NULL;
            return T->WaitStatus;
        }
        if (Deadline >= 0 && Deadline <= KiMachine->InterruptTime) {
            T->WaitNote = NULL;
            return STATUS_TIMEOUT;
        }
        if (KiStep())
            continue;
        LONGLONG Next = KiNextEvent(Deadline);
        if (Next < 0)
            KiDeadlock(T, Objects, Count);
        if (Next > KiMachine->InterruptTime)
            KiMachine->InterruptTime = Next;
    }
}
