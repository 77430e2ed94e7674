/*
 * test_ke.c - Ke unit tests: IRQL rules, critical regions, SEH emulation
 * (both spellings' semantics through __try/__except/__finally/__leave,
 * nesting, filters, ExRaiseStatus, ProbeForRead/ProbeForWrite), spin locks,
 * waits on the virtual clock; process attach, processor features, non-cached
 * memory, process-creation notify routines.
 */
#include "support/ts.h"

static FSIM_MACHINE *M;

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    return 0;
}

static void RaiseBelowCurrent(void *Context)
{
    KIRQL Old;
    (void)Context;
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    KeRaiseIrql(PASSIVE_LEVEL, &Old);
}

static void test_raise_irql_below_current_is_0x9(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, RaiseBelowCurrent, NULL), 1);
    TsExpectBugcheck(M, 0x9, DISPATCH_LEVEL);
    assert_int_equal(FsimGetReport(M)->Args[1], PASSIVE_LEVEL);
}

static void LowerAbove(void *Context)
{
    (void)Context;
    KeLowerIrql(DISPATCH_LEVEL);
}

static void test_lower_irql_above_current_is_c4_31(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, LowerAbove, NULL), 1);
    TsExpectBugcheck(M, 0xC4, 0x31);
}

static void PagedAtDispatch(void *Context)
{
    KIRQL Old;
    (void)Context;
    KeRaiseIrql(DISPATCH_LEVEL, &Old);
    PAGED_CODE();
}

static void test_paged_code_at_dispatch_bugchecks(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, PagedAtDispatch, NULL), 1);
    TsExpectBugcheck(M, 0xD1, 0);
    assert_int_equal(FsimGetReport(M)->Args[1], DISPATCH_LEVEL);
}

static void LeaveWithoutEnter(void *Context)
{
    (void)Context;
    KeLeaveCriticalRegion();
}

static void test_unbalanced_critical_region_is_apc_index_mismatch(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, LeaveWithoutEnter, NULL), 1);
    TsExpectBugcheck(M, 0x1, 0);
}

/* --- SEH ------------------------------------------------------------------ */

typedef struct SEH_LOG {
    char Steps[64];
    int Count;
    NTSTATUS Code;
} SEH_LOG;

static void Step(SEH_LOG *L, char C)
{
    L->Steps[L->Count++] = C;
    L->Steps[L->Count] = 0;
}

static void Thrower(NTSTATUS Status)
{
    KI_FRAME_SCOPE("nt", "Thrower", 0x20);
    ExRaiseStatus(Status);
}

static void SehBasic(void *Context)
{
    SEH_LOG *L = Context;
    __try {
        Step(L, 'a');
        Thrower(STATUS_INVALID_PARAMETER);
        Step(L, 'X');
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        L->Code = GetExceptionCode();
        Step(L, 'h');
    }
    Step(L, 'z');
}

static void test_seh_except_catches_exraisestatus(void **State)
{
    SEH_LOG L = {{0}, 0, 0};
    (void)State;
    assert_int_equal(TsRun(M, SehBasic, &L), 0);
    assert_string_equal(L.Steps, "ahz");
    assert_int_equal(L.Code, STATUS_INVALID_PARAMETER);
    /* the simulated call stack was unwound to the __try */
    assert_int_equal(M->SystemThread->FrameCount, 0);
}

static LONG CountingFilter(SEH_LOG *L, LONG Disposition)
{
    Step(L, 'f');
    return Disposition;
}

static void SehNested(void *Context)
{
    SEH_LOG *L = Context;
    __try {
        __try {
            __try {
                Step(L, 'a');
                ExRaiseStatus(STATUS_ACCESS_DENIED);
            } __finally {
                Step(L, AbnormalTermination() ? 'F' : 'n');
            }
        } __except (CountingFilter(L, EXCEPTION_CONTINUE_SEARCH)) {
            Step(L, 'X');
        }
    } __except (CountingFilter(L, EXCEPTION_EXECUTE_HANDLER)) {
        L->Code = GetExceptionCode();
        Step(L, 'h');
    }
}

static void test_seh_nested_finally_and_continue_search(void **State)
{
    SEH_LOG L = {{0}, 0, 0};
    (void)State;
    assert_int_equal(TsRun(M, SehNested, &L), 0);
    /* The inner finally runs abnormally, the middle filter declines and the
     * outer handler runs last.  Windows evaluates both filters before the
     * finally ("affFh"); the emulation unwinds first ("aFffh") - a limit
     * documented in excpt.h - so only the order-independent facts are
     * asserted here. */
    assert_int_equal(L.Count, 5);
    assert_int_equal(L.Steps[0], 'a');
    assert_int_equal(L.Steps[4], 'h');
    assert_non_null(strchr(L.Steps, 'F'));
    assert_null(strchr(L.Steps, 'n'));
    assert_null(strchr(L.Steps, 'X'));
    assert_int_equal(L.Code, STATUS_ACCESS_DENIED);
}

static void SehLeave(void *Context)
{
    SEH_LOG *L = Context;
    __try {
        Step(L, 'a');
        if (L->Count > 0)
            __leave;
        Step(L, 'X');
    } __finally {
        Step(L, AbnormalTermination() ? 'F' : 'n');
    }
    Step(L, 'z');
}

static void test_seh_leave_runs_finally_normally(void **State)
{
    SEH_LOG L = {{0}, 0, 0};
    (void)State;
    assert_int_equal(TsRun(M, SehLeave, &L), 0);
    assert_string_equal(L.Steps, "anz");
}

static void SehProbe(void *Context)
{
    SEH_LOG *L = Context;
    static ULONG KernelVariable;
    __try {
        ProbeForWrite(&KernelVariable, sizeof(KernelVariable), sizeof(ULONG));
        Step(L, 'X');
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        L->Code = GetExceptionCode();
        Step(L, 'h');
    }
    __try {
        ProbeForRead((PVOID)(ULONG_PTR)0x1001, 4, sizeof(ULONG));
        Step(L, 'X');
    } __except (GetExceptionCode() == STATUS_DATATYPE_MISALIGNMENT ? EXCEPTION_EXECUTE_HANDLER
                                                                     : EXCEPTION_CONTINUE_SEARCH) {
        Step(L, 'm');
    }
    ProbeForRead(NULL, 0, 1); /* a zero-length probe never raises */
    Step(L, 'z');
}

static void test_probe_raises_access_violation_and_misalignment(void **State)
{
    SEH_LOG L = {{0}, 0, 0};
    (void)State;
    assert_int_equal(TsRun(M, SehProbe, &L), 0);
    assert_string_equal(L.Steps, "hmz");
    assert_int_equal(L.Code, STATUS_ACCESS_VIOLATION);
}

static void Unhandled(void *Context)
{
    (void)Context;
    ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
}

static void test_unhandled_exception_is_0x1e(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, Unhandled, NULL), 1);
    TsExpectBugcheck(M, 0x1E, (uint32_t)STATUS_INSUFFICIENT_RESOURCES);
}

/* --- hardware faults ------------------------------------------------------ */

static void TouchBadBuffer(void *Context)
{
    SEH_LOG *L = Context;
    volatile ULONG_PTR BadAddress = 0x10; /* the unmapped first page; volatile so no compiler folds it */
    volatile ULONG *Bad = (volatile ULONG *)BadAddress;
    __try {
        Step(L, 'a');
        *Bad = 1;
        Step(L, 'X');
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        L->Code = GetExceptionCode();
        Step(L, 'h');
    }
    Step(L, 'z');
    (void)*Bad; /* no handler this time */
}

static void test_fault_is_an_access_violation_exception_then_0x1e(void **State)
{
    SEH_LOG L = {{0}, 0, 0};
    (void)State;
    assert_int_equal(TsRun(M, TouchBadBuffer, &L), 1);
    assert_string_equal(L.Steps, "ahz");
    assert_int_equal(L.Code, STATUS_ACCESS_VIOLATION);
    TsExpectBugcheck(M, 0x1E, (uint32_t)STATUS_ACCESS_VIOLATION);
    assert_int_equal(FsimGetReport(M)->Args[3], 0x10);
}

typedef struct USER_CASE {
    NTSTATUS Probe, Touch;
    ULONG FirstByte;
} USER_CASE;

static void OverrunUserBuffer(void *Context)
{
    USER_CASE *C = Context;
    struct _EPROCESS *P = PspCreateProcess("user.exe");
    PKTHREAD Old = KiSwitchThread(P->MainThread);
    volatile PUCHAR Buffer = MiAllocateUserBuffer(P, 0x100, 0xF00); /* ends exactly at a page end */
    Buffer[0] = 0x5A;
    __try {
        ProbeForRead(Buffer, 0x200, 1); /* longer than the buffer: not in user space */
        C->Probe = STATUS_SUCCESS;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        C->Probe = GetExceptionCode();
    }
    __try {
        ProbeForWrite(Buffer, 0x100, 1);
        C->FirstByte = Buffer[0];
        Buffer[0x100] = 1; /* one byte past the end: the guard page */
        C->Touch = STATUS_SUCCESS;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        C->Touch = GetExceptionCode();
    }
    KiSwitchThread(Old);
}

static void test_user_buffer_probe_and_overrun_raise(void **State)
{
    USER_CASE C = {-1, -1, 0};
    (void)State;
    assert_int_equal(TsRun(M, OverrunUserBuffer, &C), 0);
    assert_int_equal(C.Probe, STATUS_ACCESS_VIOLATION);
    assert_int_equal(C.FirstByte, 0x5A);
    assert_int_equal(C.Touch, STATUS_ACCESS_VIOLATION);
}

/* --- spin locks and waits --------------------------------------------------- */

static void SpinLocks(void *Context)
{
    KSPIN_LOCK Lock;
    KIRQL Old;
    int *Ok = Context;
    KeInitializeSpinLock(&Lock);
    KeAcquireSpinLock(&Lock, &Old);
    *Ok = KeGetCurrentIrql() == DISPATCH_LEVEL && Old == PASSIVE_LEVEL;
    KeReleaseSpinLock(&Lock, Old);
    *Ok = *Ok && KeGetCurrentIrql() == PASSIVE_LEVEL;
    KeAcquireSpinLock(&Lock, &Old);
    KeAcquireSpinLock(&Lock, &Old); /* recursive: spins forever */
}

static void test_spin_lock_irql_and_recursion_hang(void **State)
{
    int Ok = 0;
    (void)State;
    assert_int_equal(TsRun(M, SpinLocks, &Ok), 1);
    assert_true(Ok);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
}

static void Waits(void *Context)
{
    KEVENT Event;
    LARGE_INTEGER Timeout, Before, After;
    NTSTATUS *Result = Context;
    KeInitializeEvent(&Event, SynchronizationEvent, TRUE);
    Result[0] = KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL); /* signaled: consumed */
    Timeout.QuadPart = -10 * 1000 * 1000;                                          /* 1 s relative */
    KeQuerySystemTime(&Before);
    Result[1] = KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, &Timeout);
    KeQuerySystemTime(&After);
    Result[2] = (NTSTATUS)(After.QuadPart - Before.QuadPart);
    KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL); /* never signaled again */
}

static void test_waits_time_out_on_the_virtual_clock_and_deadlock_is_reported(void **State)
{
    NTSTATUS Result[3] = {-1, -1, -1};
    (void)State;
    assert_int_equal(TsRun(M, Waits, Result), 1);
    assert_int_equal(Result[0], STATUS_SUCCESS);
    assert_int_equal(Result[1], STATUS_TIMEOUT);
    assert_int_equal(Result[2], 10 * 1000 * 1000);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    assert_non_null(strstr(FsimGetReport(M)->RootCause, "synchronization KEVENT"));
}

/* --- attach, processor features, non-cached memory, process notify --------- */

typedef struct ATTACH_CASE {
    FSIM_PID Pid;
    HANDLE Inside, After;
    BOOLEAN Nx, ThreeDNow;
    PVOID NonCached;
    NTSTATUS Open;
    BOOLEAN SameProcess;
    NTSTATUS LookupThread, LookupMissing;
    BOOLEAN SameThread;
} ATTACH_CASE;

static void AttachAndFeatures(void *Context)
{
    ATTACH_CASE *C = Context;
    KAPC_STATE State;
    PEPROCESS Target = (PEPROCESS)PspLookupProcess(C->Pid);
    assert_non_null(Target);
    KeStackAttachProcess((PRKPROCESS)Target, &State);
    C->Inside = PsGetCurrentProcessId();
    KeUnstackDetachProcess(&State);
    C->After = PsGetCurrentProcessId();
    C->Nx = ExIsProcessorFeaturePresent(PF_NX_ENABLED);
    C->ThreeDNow = ExIsProcessorFeaturePresent(PF_3DNOW_INSTRUCTIONS_AVAILABLE);
    {
        /* ZwOpenProcess by client id */
        CLIENT_ID Id = {UlongToHandle(C->Pid), NULL};
        OBJECT_ATTRIBUTES A;
        HANDLE H;
        PVOID Object;
        InitializeObjectAttributes(&A, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
        C->Open = ZwOpenProcess(&H, PROCESS_ALL_ACCESS, &A, &Id);
        if (NT_SUCCESS(C->Open) &&
            NT_SUCCESS(ObReferenceObjectByHandle(H, 0, *PsProcessType, KernelMode, &Object, NULL))) {
            C->SameProcess = Object == (PVOID)Target;
            ObDereferenceObject(Object);
            ZwClose(H);
        }
    }
    {
        PETHREAD Thread;
        C->LookupThread = PsLookupThreadByThreadId(PsGetCurrentThreadId(), &Thread);
        if (NT_SUCCESS(C->LookupThread)) {
            C->SameThread = Thread == PsGetCurrentThread();
            ObDereferenceObject(Thread);
        }
        C->LookupMissing = PsLookupThreadByThreadId(UlongToHandle(0x7ffffff0), &Thread);
    }
    C->NonCached = MmAllocateNonCachedMemory(100);
    if (C->NonCached != NULL) {
        memset(C->NonCached, 0xAB, PAGE_SIZE); /* whole pages */
        MmFreeNonCachedMemory(C->NonCached, 100);
    }
}

static void test_attach_features_and_noncached_memory(void **State)
{
    ATTACH_CASE C;
    FSIM_PID Pid;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(FsimProcessCreate(M, "target.exe", &Pid), 0);
    C.Pid = Pid;
    assert_int_equal(TsRun(M, AttachAndFeatures, &C), 0);
    assert_int_equal((ULONG_PTR)C.Inside, Pid);            /* attached: the target's address space */
    assert_int_equal((ULONG_PTR)C.After, 4);               /* back in the System process */
    assert_true(C.Nx);
    assert_false(C.ThreeDNow);
    assert_non_null(C.NonCached);
    assert_int_equal(C.Open, STATUS_SUCCESS);
    assert_true(C.SameProcess);
    assert_int_equal(C.LookupThread, STATUS_SUCCESS);
    assert_true(C.SameThread);
    assert_int_equal(C.LookupMissing, STATUS_INVALID_PARAMETER);
}

static char NotifyLog[64];

static VOID TestNotify(HANDLE ParentId, HANDLE ProcessId, BOOLEAN Create)
{
    size_t N = strlen(NotifyLog);
    (void)ParentId;
    snprintf(NotifyLog + N, sizeof(NotifyLog) - N, "%c%u ", Create ? '+' : '-', (unsigned)(ULONG_PTR)ProcessId);
}

static void Register(void *Context)
{
    NTSTATUS *Status = Context;
    Status[0] = PsSetCreateProcessNotifyRoutine(TestNotify, FALSE);
}

static void Unregister(void *Context)
{
    NTSTATUS *Status = Context;
    Status[1] = PsSetCreateProcessNotifyRoutine(TestNotify, TRUE);
    Status[2] = PsSetCreateProcessNotifyRoutine(TestNotify, TRUE);
}

static void test_process_notify_routines(void **State)
{
    NTSTATUS Status[3] = {1, 1, 1};
    FSIM_PID A, B;
    char Want[64];
    (void)State;
    NotifyLog[0] = 0;
    assert_int_equal(TsRun(M, Register, Status), 0);
    assert_int_equal(FsimProcessCreate(M, "a.exe", &A), 0);
    assert_int_equal(FsimProcessExit(M, A), 0);
    assert_int_equal(TsRun(M, Unregister, Status), 0);
    assert_int_equal(FsimProcessCreate(M, "b.exe", &B), 0);
    assert_int_equal(Status[0], STATUS_SUCCESS);
    assert_int_equal(Status[1], STATUS_SUCCESS);
    assert_int_equal(Status[2], STATUS_PROCEDURE_NOT_FOUND);
    snprintf(Want, sizeof(Want), "+%u -%u ", (unsigned)A, (unsigned)A);
    assert_string_equal(NotifyLog, Want); /* nothing for b.exe */
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_raise_irql_below_current_is_0x9, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_lower_irql_above_current_is_c4_31, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_paged_code_at_dispatch_bugchecks, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_unbalanced_critical_region_is_apc_index_mismatch, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_seh_except_catches_exraisestatus, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_seh_nested_finally_and_continue_search, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_seh_leave_runs_finally_normally, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_probe_raises_access_violation_and_misalignment, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_unhandled_exception_is_0x1e, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_fault_is_an_access_violation_exception_then_0x1e, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_user_buffer_probe_and_overrun_raise, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_spin_lock_irql_and_recursion_hang, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_attach_features_and_noncached_memory, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_process_notify_routines, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_waits_time_out_on_the_virtual_clock_and_deadlock_is_reported, Setup,
                                        Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
