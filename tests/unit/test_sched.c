/*
 * test_sched.c - the scheduler: system worker threads, timers firing DPCs
 * on the virtual clock, coroutine threads blocking and waking in a
 * deterministic order, waits on thread objects, deadlock reports, and
 * bugchecks raised inside a coroutine thread, kernel APCs (delivery points,
 * special before normal, a wait interrupted by one, and held off).
 */
#include "support/ts.h"

static FSIM_MACHINE *M;
static char Log[128];
static int LogLen;

static void Note(char C)
{
    if (LogLen < (int)sizeof(Log) - 1) {
        Log[LogLen++] = C;
        Log[LogLen] = 0;
    }
}

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    LogLen = 0;
    Log[0] = 0;
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    return 0;
}

typedef struct WORK_CASE {
    WORK_QUEUE_ITEM Item;
    KEVENT Done;
    HANDLE WorkerThreadId;
    KIRQL Irql;
    BOOLEAN System;
} WORK_CASE;

static VOID WorkRoutine(PVOID Parameter)
{
    WORK_CASE *C = Parameter;
    C->WorkerThreadId = PsGetCurrentThreadId();
    C->Irql = KeGetCurrentIrql();
    C->System = PsIsSystemThread(PsGetCurrentThread());
    KeSetEvent(&C->Done, IO_NO_INCREMENT, FALSE);
}

static void QueueAndWait(void *Context)
{
    WORK_CASE *C = Context;
    KeInitializeEvent(&C->Done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&C->Item, WorkRoutine, C);
    ExQueueWorkItem(&C->Item, DelayedWorkQueue);
    KeWaitForSingleObject(&C->Done, Executive, KernelMode, FALSE, NULL);
}

static void test_work_item_runs_on_a_system_worker(void **State)
{
    WORK_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, QueueAndWait, &C), 0);
    assert_true(C.System);
    assert_int_equal(C.Irql, PASSIVE_LEVEL);
    assert_true(C.WorkerThreadId != NULL && C.WorkerThreadId != (HANDLE)(ULONG_PTR)M->SystemThread->ThreadId);
}

typedef struct TIMER_CASE {
    KTIMER Timer;
    KDPC Dpc;
    KEVENT Fired;
    KIRQL DpcIrql;
    LONGLONG Before, After;
} TIMER_CASE;

static VOID TimerDpc(PKDPC Dpc, PVOID Context, PVOID A1, PVOID A2)
{
    TIMER_CASE *C = Context;
    (void)Dpc;
    (void)A1;
    (void)A2;
    C->DpcIrql = KeGetCurrentIrql();
    KeSetEvent(&C->Fired, IO_NO_INCREMENT, FALSE);
}

static void ArmAndWait(void *Context)
{
    TIMER_CASE *C = Context;
    LARGE_INTEGER Due, Now;
    KeInitializeTimer(&C->Timer);
    KeInitializeDpc(&C->Dpc, TimerDpc, C);
    KeInitializeEvent(&C->Fired, NotificationEvent, FALSE);
    Due.QuadPart = -10 * 1000 * 10; /* 10 ms */
    KeQuerySystemTime(&Now);
    C->Before = Now.QuadPart;
    KeSetTimer(&C->Timer, Due, &C->Dpc);
    KeWaitForSingleObject(&C->Fired, Executive, KernelMode, FALSE, NULL);
    KeQuerySystemTime(&Now);
    C->After = Now.QuadPart;
}

static void test_timer_fires_its_dpc_when_the_clock_reaches_it(void **State)
{
    TIMER_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, ArmAndWait, &C), 0);
    assert_int_equal(C.DpcIrql, DISPATCH_LEVEL);
    assert_int_equal(C.After - C.Before, 100000); /* exactly 10 ms of virtual time */
    assert_true(KeReadStateTimer(&C.Timer));
}

typedef struct PINGPONG {
    KEVENT A, B;
    KEVENT DoneA, DoneB;
} PINGPONG;

static VOID PingThread(PVOID Context)
{
    PINGPONG *P = Context;
    for (int I = 0; I < 3; I++) {
        KeWaitForSingleObject(&P->A, Executive, KernelMode, FALSE, NULL);
        Note('a');
        KeSetEvent(&P->B, IO_NO_INCREMENT, FALSE);
    }
    KeSetEvent(&P->DoneA, IO_NO_INCREMENT, FALSE);
}

static VOID PongThread(PVOID Context)
{
    PINGPONG *P = Context;
    for (int I = 0; I < 3; I++) {
        KeWaitForSingleObject(&P->B, Executive, KernelMode, FALSE, NULL);
        Note('b');
        KeSetEvent(&P->A, IO_NO_INCREMENT, FALSE);
    }
    KeSetEvent(&P->DoneB, IO_NO_INCREMENT, FALSE);
}

static void PingPong(void *Context)
{
    PINGPONG *P = Context;
    HANDLE H1, H2;
    PVOID Both[2] = {&P->DoneA, &P->DoneB};
    KeInitializeEvent(&P->A, SynchronizationEvent, FALSE);
    KeInitializeEvent(&P->B, SynchronizationEvent, FALSE);
    KeInitializeEvent(&P->DoneA, NotificationEvent, FALSE);
    KeInitializeEvent(&P->DoneB, NotificationEvent, FALSE);
    assert_int_equal(PsCreateSystemThread(&H1, THREAD_ALL_ACCESS, NULL, NULL, NULL, PingThread, P), 0);
    assert_int_equal(PsCreateSystemThread(&H2, THREAD_ALL_ACCESS, NULL, NULL, NULL, PongThread, P), 0);
    Note('s');
    KeSetEvent(&P->A, IO_NO_INCREMENT, FALSE);
    KeWaitForMultipleObjects(2, Both, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    Note('e');
    ZwClose(H1);
    ZwClose(H2);
}

static void test_threads_alternate_deterministically(void **State)
{
    PINGPONG P;
    (void)State;
    memset(&P, 0, sizeof(P));
    assert_int_equal(TsRun(M, PingPong, &P), 0);
    assert_string_equal(Log, "sababab" "e");
}

/* Three threads that each log their letter three times, yielding between. */
static VOID Racer(PVOID Context)
{
    LARGE_INTEGER Zero;
    Zero.QuadPart = 0;
    for (int I = 0; I < 3; I++) {
        Note((char)(ULONG_PTR)Context);
        KeDelayExecutionThread(KernelMode, FALSE, &Zero); /* yield */
    }
}

static void Race(void *Context)
{
    HANDLE H[3];
    PVOID T[3];
    (void)Context;
    for (int I = 0; I < 3; I++) {
        PsCreateSystemThread(&H[I], THREAD_ALL_ACCESS, NULL, NULL, NULL, Racer, (PVOID)(ULONG_PTR)('a' + I));
        ObReferenceObjectByHandle(H[I], SYNCHRONIZE, *PsThreadType, KernelMode, &T[I], NULL);
        ZwClose(H[I]);
    }
    KeWaitForMultipleObjects(3, T, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    for (int I = 0; I < 3; I++)
        ObDereferenceObject(T[I]);
}

static void RunRace(uint64_t Seed, char *Out)
{
    FSIM_MACHINE_OPTIONS Options = {Seed, 0, 0, 0};
    FSIM_MACHINE *R = FsimMachineCreate(&Options);
    assert_non_null(R);
    LogLen = 0;
    Log[0] = 0;
    assert_int_equal(TsRun(R, Race, NULL), 0);
    strcpy(Out, Log);
    FsimMachineDestroy(R);
}

/* Seed 0 is first-in first-out; another seed draws the ready thread to run
 * from its own generator: the same seed gives the same interleaving, and
 * some seed gives another one. */
static void test_the_seed_chooses_the_interleaving(void **State)
{
    char Fifo[32], First[32], Again[32], Other[32];
    int Differs = 0;
    (void)State;
    RunRace(0, Fifo);
    assert_string_equal(Fifo, "abcabcabc");
    RunRace(7, First);
    RunRace(7, Again);
    assert_string_equal(First, Again);
    assert_int_equal(strlen(First), 9);
    for (uint64_t Seed = 1; Seed <= 8 && !Differs; Seed++) {
        RunRace(Seed, Other);
        Differs = strcmp(Other, Fifo) != 0;
    }
    assert_true(Differs);
}

static VOID Exiter(PVOID Context)
{
    (void)Context;
    Note('x');
    PsTerminateSystemThread(STATUS_SUCCESS);
    Note('X'); /* never */
}

static void WaitForThreadObject(void *Context)
{
    HANDLE H;
    PVOID Thread;
    (void)Context;
    assert_int_equal(PsCreateSystemThread(&H, THREAD_ALL_ACCESS, NULL, NULL, NULL, Exiter, NULL), 0);
    assert_int_equal(ObReferenceObjectByHandle(H, SYNCHRONIZE, *PsThreadType, KernelMode, &Thread, NULL), 0);
    ZwClose(H);
    Note('w');
    KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    Note('d');
    ObDereferenceObject(Thread);
}

static void test_thread_object_is_signaled_when_it_terminates(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, WaitForThreadObject, NULL), 0);
    assert_string_equal(Log, "wxd");
}

static VOID Stuck(PVOID Context)
{
    KEVENT *Never = Context;
    KeWaitForSingleObject(Never, Executive, KernelMode, FALSE, NULL);
}

static void DeadlockAcrossThreads(void *Context)
{
    static KEVENT Never;
    HANDLE H;
    PVOID Thread;
    (void)Context;
    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    PsCreateSystemThread(&H, THREAD_ALL_ACCESS, NULL, NULL, NULL, Stuck, &Never);
    ObReferenceObjectByHandle(H, SYNCHRONIZE, *PsThreadType, KernelMode, &Thread, NULL);
    KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
}

static void test_deadlock_names_every_waiter(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, DeadlockAcrossThreads, NULL), 1);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    const char *Cause = FsimGetReport(M)->RootCause;
    assert_non_null(strstr(Cause, "(System) waits without a timeout on dispatcher object")); /* the thread object */
    assert_non_null(strstr(Cause, "(System thread) waits without a timeout on notification KEVENT"));
}

static VOID BadIrqlWork(PVOID Parameter)
{
    KIRQL Old;
    (void)Parameter;
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
}

static void QueueBadIrql(void *Context)
{
    WORK_CASE *C = Context;
    KeInitializeEvent(&C->Done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&C->Item, BadIrqlWork, C);
    ExQueueWorkItem(&C->Item, DelayedWorkQueue);
    KeWaitForSingleObject(&C->Done, Executive, KernelMode, FALSE, NULL);
}

static void test_work_item_returning_at_dispatch_is_e1(void **State)
{
    WORK_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, QueueBadIrql, &C), 1);
    assert_int_equal(FsimGetReport(M)->Code, 0xE1);
    assert_int_equal(FsimGetReport(M)->Args[1], DISPATCH_LEVEL);
}

static VOID DoubleFreeWork(PVOID Parameter)
{
    PVOID P = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'tseT');
    (void)Parameter;
    ExFreePoolWithTag(P, 'tseT');
    ExFreePoolWithTag(P, 'tseT');
}

static void QueueDoubleFree(void *Context)
{
    WORK_CASE *C = Context;
    KeInitializeEvent(&C->Done, NotificationEvent, FALSE);
    ExInitializeWorkItem(&C->Item, DoubleFreeWork, C);
    ExQueueWorkItem(&C->Item, DelayedWorkQueue);
    KeWaitForSingleObject(&C->Done, Executive, KernelMode, FALSE, NULL);
}

static void test_bugcheck_inside_a_worker_stops_the_machine(void **State)
{
    WORK_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, QueueDoubleFree, &C), 1);
    const FSIM_REPORT *R = FsimGetReport(M);
    assert_int_equal(R->Code, 0xC2);
    assert_int_equal(R->Args[0], 0x07);
    assert_string_equal(R->Thread, "System worker 1");
    int Found = 0;
    for (size_t I = 0; I < R->FrameCount; I++)
        if (strcmp(R->Frames[I].Function, "ExpWorkerThread") == 0)
            Found = 1;
    assert_true(Found);
    /* the machine is stopped: further host calls do nothing */
    assert_int_equal(FsimVolumeAddLocal(M, "D:"), FSIM_STATUS_MACHINE_STOPPED);
}

/* --- APCs ---------------------------------------------------------------- */

static VOID NTAPI NoteKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                    PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    (void)Apc;
    (void)NormalRoutine;
    (void)NormalContext;
    (void)SystemArgument2;
    /* the kernel routine always runs at APC_LEVEL */
    Note(KeGetCurrentIrql() == APC_LEVEL ? (char)(ULONG_PTR)*SystemArgument1 : '!');
}

static VOID NTAPI NoteNormalRoutine(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    (void)NormalContext;
    (void)SystemArgument2;
    Note(KeGetCurrentIrql() == PASSIVE_LEVEL ? (char)((ULONG_PTR)SystemArgument1 - 32) : '!');
}

static void ApcDeliveryPoints(void *Context)
{
    static KAPC A, B, C, D, E, F;
    PKTHREAD Self = KeGetCurrentThread();
    KIRQL Old;
    (void)Context;
    /* at PASSIVE_LEVEL: at once */
    KeInitializeApc(&A, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NULL, KernelMode, NULL);
    assert_true(KeInsertQueueApc(&A, (PVOID)'a', NULL, 0));
    /* held off by APC_LEVEL until the IRQL drops */
    KeRaiseIrql(APC_LEVEL, &Old);
    KeInitializeApc(&B, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NULL, KernelMode, NULL);
    assert_true(KeInsertQueueApc(&B, (PVOID)'b', NULL, 0));
    assert_false(KeInsertQueueApc(&B, (PVOID)'b', NULL, 0)); /* already queued */
    Note('1');
    KeLowerIrql(Old);
    /* held off by a guarded region */
    KeEnterGuardedRegion();
    KeInitializeApc(&C, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NULL, KernelMode, NULL);
    KeInsertQueueApc(&C, (PVOID)'c', NULL, 0);
    assert_true(KeAreAllApcsDisabled());
    Note('2');
    KeLeaveGuardedRegion();
    /* a critical region holds off normal kernel APCs, not special ones */
    KeEnterCriticalRegion();
    assert_true(KeAreApcsDisabled());
    assert_false(KeAreAllApcsDisabled());
    KeInitializeApc(&D, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NULL, KernelMode, NULL);
    KeInsertQueueApc(&D, (PVOID)'d', NULL, 0);
    KeInitializeApc(&E, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NoteNormalRoutine, KernelMode, NULL);
    KeInsertQueueApc(&E, (PVOID)'e', NULL, 0);
    Note('3');
    KeLeaveCriticalRegion();
    /* a special APC queued behind a normal one still runs first */
    KeRaiseIrql(APC_LEVEL, &Old);
    KeInitializeApc(&E, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NoteNormalRoutine, KernelMode, NULL);
    KeInsertQueueApc(&E, (PVOID)'f', NULL, 0);
    KeInitializeApc(&F, Self, OriginalApcEnvironment, NoteKernelRoutine, NULL, NULL, KernelMode, NULL);
    KeInsertQueueApc(&F, (PVOID)'g', NULL, 0);
    KeLowerIrql(Old);
}

static void test_apcs_run_when_the_thread_can_take_them(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, ApcDeliveryPoints, NULL), 0);
    /* kernel routine then normal routine ('e' -> 'E') for a normal APC */
    assert_string_equal(Log, "a1b2cd3eEgfF");
}

typedef struct APC_WAIT_CASE {
    KEVENT Wake;
    KAPC Apc;
    BOOLEAN Guarded;
    PKTHREAD RanOn;
} APC_WAIT_CASE;

static APC_WAIT_CASE *gApcWait;

static VOID NTAPI WakeKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                    PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    (void)Apc;
    (void)NormalRoutine;
    (void)NormalContext;
    (void)SystemArgument1;
    (void)SystemArgument2;
    gApcWait->RanOn = KeGetCurrentThread();
    KeSetEvent(&gApcWait->Wake, IO_NO_INCREMENT, FALSE);
}

static VOID WaitForApc(PVOID Context)
{
    APC_WAIT_CASE *C = Context;
    if (C->Guarded)
        KeEnterGuardedRegion();
    KeWaitForSingleObject(&C->Wake, Executive, KernelMode, FALSE, NULL);
    if (C->Guarded)
        KeLeaveGuardedRegion();
}

static void QueueApcToWaiter(void *Context)
{
    APC_WAIT_CASE *C = Context;
    HANDLE H;
    PVOID Thread;
    LARGE_INTEGER Tick;
    gApcWait = C;
    KeInitializeEvent(&C->Wake, NotificationEvent, FALSE);
    PsCreateSystemThread(&H, THREAD_ALL_ACCESS, NULL, NULL, NULL, WaitForApc, C);
    ObReferenceObjectByHandle(H, SYNCHRONIZE, *PsThreadType, KernelMode, &Thread, NULL);
    Tick.QuadPart = -10000; /* let it start waiting */
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KeInitializeApc(&C->Apc, (PKTHREAD)Thread, OriginalApcEnvironment, WakeKernelRoutine, NULL, NULL, KernelMode,
                    NULL);
    assert_true(KeInsertQueueApc(&C->Apc, NULL, NULL, 0));
    KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    C->Guarded = (BOOLEAN)(C->RanOn == (PKTHREAD)Thread);
    ObDereferenceObject(Thread);
    ZwClose(H);
}

static void test_a_kernel_apc_interrupts_a_wait(void **State)
{
    APC_WAIT_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, QueueApcToWaiter, &C), 0);
    assert_true(C.Guarded); /* reused: the APC ran on the waiting thread */
}

static void test_a_guarded_waiter_never_gets_its_apc(void **State)
{
    APC_WAIT_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    C.Guarded = TRUE;
    assert_int_equal(TsRun(M, QueueApcToWaiter, &C), 1);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    const char *Cause = FsimGetReport(M)->RootCause;
    assert_non_null(strstr(Cause, "a special kernel APC (queued by a driver) is queued to thread"));
    assert_non_null(strstr(Cause, "cannot run: the thread waits inside a guarded region (KeEnterGuardedRegion)"));
}

/* A thread that polls with zero-interval delays still lets time pass: the
 * timer that ends its loop fires (each yield costs a microsecond), and a
 * stall moves the clock by its length. */
static void PollUntilTimer(void *Context)
{
    TIMER_CASE *C = Context;
    LARGE_INTEGER Due, Zero;
    ULONG Spins = 0;
    Due.QuadPart = -10000; /* 1 ms */
    Zero.QuadPart = 0;
    KeInitializeTimer(&C->Timer);
    KeSetTimer(&C->Timer, Due, NULL);
    C->Before = (LONGLONG)KeQueryInterruptTime();
    while (!KeReadStateTimer(&C->Timer)) {
        KeDelayExecutionThread(KernelMode, FALSE, &Zero);
        Spins++;
    }
    C->After = (LONGLONG)KeQueryInterruptTime();
    C->DpcIrql = (KIRQL)(Spins >= 1000); /* about 1000 one-microsecond yields */
    LONGLONG T0 = (LONGLONG)KeQueryInterruptTime();
    KeStallExecutionProcessor(50);
    C->Before = (LONGLONG)KeQueryInterruptTime() - T0;
}

static void test_polling_and_stalls_spend_virtual_time(void **State)
{
    TIMER_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, PollUntilTimer, &C), 0);
    assert_true(C.After >= 10000);
    assert_int_equal(C.DpcIrql, 1);
    assert_int_equal(C.Before, 500); /* 50 us in 100 ns units */
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_work_item_runs_on_a_system_worker, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_timer_fires_its_dpc_when_the_clock_reaches_it, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_threads_alternate_deterministically, Setup, Teardown),
        cmocka_unit_test(test_the_seed_chooses_the_interleaving),
        cmocka_unit_test_setup_teardown(test_polling_and_stalls_spend_virtual_time, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_thread_object_is_signaled_when_it_terminates, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_deadlock_names_every_waiter, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_work_item_returning_at_dispatch_is_e1, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_bugcheck_inside_a_worker_stops_the_machine, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_apcs_run_when_the_thread_can_take_them, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_kernel_apc_interrupts_a_wait, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_guarded_waiter_never_gets_its_apc, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
