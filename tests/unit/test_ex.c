/*
 * test_ex.c - Ex unit tests: pool checks with Windows' BAD_POOL_CALLER
 * subcodes, ExAllocatePool2 semantics, ERESOURCE ownership rules, fast
 * mutex IRQL, lookaside lists going through pool; contended fast mutexes,
 * ERESOURCEs, push locks and rundown waits sleep until the release, and one
 * nobody releases is a hang naming the holder.
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

static uint64_t Address;

static void WrongTag(void *Context)
{
    (void)Context;
    PVOID P = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'gaTB');
    Address = MiSyntheticAddress(P);
    ExFreePoolWithTag(P, 'gaTX');
}

static void test_free_with_wrong_tag_is_c2_0a(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, WrongTag, NULL), 1);
    TsExpectBugcheck(M, 0xC2, 0x0A);
    const FSIM_REPORT *R = FsimGetReport(M);
    assert_int_equal(R->Args[1], Address);
    assert_int_equal(R->Args[2], 0x67615442); /* 'gaTB' */
    assert_int_equal(R->Args[3], 0x67615458); /* 'gaTX' */
    assert_string_equal(FsimDescribeAddress(M, R->Args[1]), "Pool");
}

static void DoubleFree(void *Context)
{
    (void)Context;
    PVOID P = ExAllocatePoolWithTag(PagedPool, 16, 'tseT');
    Address = MiSyntheticAddress(P);
    ExFreePoolWithTag(P, 'tseT');
    ExFreePoolWithTag(P, 'tseT');
}

static void test_double_free_is_c2_07(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, DoubleFree, NULL), 1);
    TsExpectBugcheck(M, 0xC2, 0x07);
    assert_int_equal(FsimGetReport(M)->Args[3], Address);
}

static void FreeUnknown(void *Context)
{
    static char NotPool[16];
    (void)Context;
    ExFreePool(NotPool);
}

static void test_free_of_non_pool_is_c2_46(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, FreeUnknown, NULL), 1);
    TsExpectBugcheck(M, 0xC2, 0x46);
}

static void Pool2(void *Context)
{
    int *Ok = Context;
    PUCHAR Zeroed = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, 'ooPT');
    PUCHAR Raw = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, 32, 'ooPT');
    PUCHAR Zero2 = ExAllocatePoolZero(NonPagedPoolNx, 32, 'ooPT');
    *Ok = 1;
    for (int I = 0; I < 32; I++)
        if (Zeroed[I] != 0 || Zero2[I] != 0)
            *Ok = 0;
    ExFreePoolWithTag(Zeroed, 'ooPT');
    ExFreePoolWithTag(Raw, 'ooPT');
    ExFreePool(Zero2);
    (void)ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED, 8, 'ooPT');
}

static void test_allocate_pool2_zeroes_and_checks_flags(void **State)
{
    int Ok = 0;
    (void)State;
    assert_int_equal(TsRun(M, Pool2, &Ok), 1);
    assert_true(Ok);
    TsExpectBugcheck(M, 0xC2, 0x9D);
}

static void Resources(void *Context)
{
    int *Ok = Context;
    ERESOURCE *R = ExAllocatePoolZero(NonPagedPoolNx, sizeof(ERESOURCE), 'seRT');
    ExInitializeResourceLite(R);
    KeEnterCriticalRegion();
    *Ok = ExAcquireResourceExclusiveLite(R, TRUE) && ExAcquireResourceExclusiveLite(R, TRUE) &&
          ExIsResourceAcquiredExclusiveLite(R) && ExIsResourceAcquiredSharedLite(R) == 2 &&
          ExAcquireResourceSharedLite(R, TRUE) /* the exclusive owner may take it shared */;
    ExReleaseResourceLite(R);
    ExReleaseResourceLite(R);
    ExReleaseResourceLite(R);
    *Ok = *Ok && !ExIsResourceAcquiredExclusiveLite(R) && ExIsResourceAcquiredSharedLite(R) == 0;
    *Ok = *Ok && ExAcquireResourceSharedLite(R, TRUE) && ExIsResourceAcquiredSharedLite(R) == 1 &&
          !ExAcquireResourceExclusiveLite(R, FALSE);
    ExAcquireResourceExclusiveLite(R, TRUE); /* shared -> exclusive by the same thread: never granted */
}

static void test_eresource_rules_and_upgrade_deadlock(void **State)
{
    int Ok = 0;
    (void)State;
    assert_int_equal(TsRun(M, Resources, &Ok), 1);
    assert_true(Ok);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    assert_non_null(strstr(FsimGetReport(M)->RootCause, "holds the resource shared"));
}

static void ReleaseNotOwned(void *Context)
{
    (void)Context;
    ERESOURCE *R = ExAllocatePoolZero(NonPagedPoolNx, sizeof(ERESOURCE), 'seRT');
    ExInitializeResourceLite(R);
    ExReleaseResourceLite(R);
}

static void test_release_of_unowned_resource_is_e3(void **State)
{
    (void)State;
    assert_int_equal(TsRun(M, ReleaseNotOwned, NULL), 1);
    assert_int_equal(FsimGetReport(M)->Code, 0xE3);
}

static void FastMutex(void *Context)
{
    FAST_MUTEX *F = ExAllocatePoolZero(NonPagedPoolNx, sizeof(FAST_MUTEX), 'xtMF');
    int *Ok = Context;
    ExInitializeFastMutex(F);
    ExAcquireFastMutex(F);
    *Ok = KeGetCurrentIrql() == APC_LEVEL;
    ExReleaseFastMutex(F);
    *Ok = *Ok && KeGetCurrentIrql() == PASSIVE_LEVEL;
    ExAcquireFastMutex(F);
    ExAcquireFastMutex(F);
}

static void test_fast_mutex_raises_to_apc_and_is_not_recursive(void **State)
{
    int Ok = 0;
    (void)State;
    assert_int_equal(TsRun(M, FastMutex, &Ok), 1);
    assert_true(Ok);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
}

static void Lookaside(void *Context)
{
    NPAGED_LOOKASIDE_LIST *L = ExAllocatePoolZero(NonPagedPoolNx, sizeof(*L), 'tsiL');
    int *Ok = Context;
    ExInitializeNPagedLookasideList(L, NULL, NULL, POOL_NX_ALLOCATION, 48, 'kooL', 0);
    PVOID A = ExAllocateFromNPagedLookasideList(L);
    ULONG Tag = 0;
    SIZE_T Size = 0;
    *Ok = ExpDescribeBlock(A, &Tag, &Size, NULL, NULL, NULL) && Tag == 'kooL' && Size == 48;
    ExFreeToNPagedLookasideList(L, A);
    ExDeleteNPagedLookasideList(L);
    ExFreePool(L);
}

static void test_lookaside_allocations_are_pool_blocks(void **State)
{
    int Ok = 0;
    (void)State;
    assert_int_equal(TsRun(M, Lookaside, &Ok), 0);
    assert_true(Ok);
}

/* --- contention between threads: a waiter sleeps until the release ------- */

static char Order[32];
static int OrderLen;

static void Mark(char C)
{
    if (OrderLen < (int)sizeof(Order) - 1) {
        Order[OrderLen++] = C;
        Order[OrderLen] = 0;
    }
}

typedef struct LOCK_CASE {
    FAST_MUTEX Mutex;
    ERESOURCE Resource;
    EX_PUSH_LOCK Push;
    EX_RUNDOWN_REF Rundown;
    KEVENT Go;
    int Kind; /* 0 fast mutex, 1 ERESOURCE exclusive, 2 push lock, 3 rundown reference */
} LOCK_CASE;

/* A system thread takes the lock, waits for Go, then releases it. */
static VOID Holder(PVOID Context)
{
    LOCK_CASE *C = Context;
    switch (C->Kind) {
    case 0: ExAcquireFastMutex(&C->Mutex); break;
    case 1: KeEnterCriticalRegion(); ExAcquireResourceExclusiveLite(&C->Resource, TRUE); break;
    case 2: KeEnterCriticalRegion(); ExAcquirePushLockExclusiveEx(&C->Push, 0); break;
    default: ExAcquireRundownProtection(&C->Rundown); break;
    }
    Mark('A');
    KeWaitForSingleObject(&C->Go, Executive, KernelMode, FALSE, NULL); /* at APC_LEVEL for the fast mutex */
    Mark('R');
    switch (C->Kind) {
    case 0: ExReleaseFastMutex(&C->Mutex); break;
    case 1: ExReleaseResourceLite(&C->Resource); KeLeaveCriticalRegion(); break;
    case 2: ExReleasePushLockExclusiveEx(&C->Push, 0); KeLeaveCriticalRegion(); break;
    default: ExReleaseRundownProtection(&C->Rundown); break;
    }
}

static VOID SetGo(PVOID Context)
{
    LOCK_CASE *C = Context;
    Mark('g');
    KeSetEvent(&C->Go, IO_NO_INCREMENT, FALSE);
}

static void Contend(void *Context)
{
    LOCK_CASE *C = Context;
    HANDLE H;
    LARGE_INTEGER Tick;
    WORK_QUEUE_ITEM Item;
    ExInitializeFastMutex(&C->Mutex);
    ExInitializeResourceLite(&C->Resource);
    ExInitializePushLock(&C->Push);
    ExInitializeRundownProtection(&C->Rundown);
    KeInitializeEvent(&C->Go, NotificationEvent, FALSE);
    PsCreateSystemThread(&H, THREAD_ALL_ACCESS, NULL, NULL, NULL, Holder, C);
    ZwClose(H);
    Tick.QuadPart = -10000;
    KeDelayExecutionThread(KernelMode, FALSE, &Tick); /* the holder has it now */
    ExInitializeWorkItem(&Item, SetGo, C);
    ExQueueWorkItem(&Item, DelayedWorkQueue); /* lets the holder go, later */
    Mark('w');
    switch (C->Kind) {
    case 0:
        ExAcquireFastMutex(&C->Mutex);
        Mark('M');
        ExReleaseFastMutex(&C->Mutex);
        break;
    case 1:
        KeEnterCriticalRegion();
        ExAcquireResourceSharedLite(&C->Resource, TRUE);
        Mark('M');
        ExReleaseResourceLite(&C->Resource);
        KeLeaveCriticalRegion();
        ExDeleteResourceLite(&C->Resource);
        break;
    case 2:
        KeEnterCriticalRegion();
        ExAcquirePushLockSharedEx(&C->Push, 0);
        Mark('M');
        ExReleasePushLockSharedEx(&C->Push, 0);
        KeLeaveCriticalRegion();
        break;
    default:
        ExWaitForRundownProtectionRelease(&C->Rundown);
        Mark(ExAcquireRundownProtection(&C->Rundown) ? '!' : 'M'); /* run down: no new references */
        break;
    }
}

static void test_a_contended_lock_waits_for_its_release(void **State)
{
    static LOCK_CASE C;
    (void)State;
    for (int Kind = 0; Kind < 4; Kind++) {
        FsimMachineDestroy(M);
        M = TsCreate(0);
        memset(&C, 0, sizeof(C));
        C.Kind = Kind;
        OrderLen = 0;
        Order[0] = 0;
        assert_int_equal(TsRun(M, Contend, &C), 0);
        assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
        /* held, contended, let go, released, then granted */
        assert_string_equal(Order, "AwgRM");
    }
}

static VOID HoldForever(PVOID Context)
{
    LOCK_CASE *C = Context;
    ExAcquireFastMutex(&C->Mutex);
    KeWaitForSingleObject(&C->Go, Executive, KernelMode, FALSE, NULL); /* never set */
}

static void WaitBehindAStuckHolder(void *Context)
{
    LOCK_CASE *C = Context;
    HANDLE H;
    LARGE_INTEGER Tick;
    ExInitializeFastMutex(&C->Mutex);
    KeInitializeEvent(&C->Go, NotificationEvent, FALSE);
    PsCreateSystemThread(&H, THREAD_ALL_ACCESS, NULL, NULL, NULL, HoldForever, C);
    ZwClose(H);
    Tick.QuadPart = -10000;
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    ExAcquireFastMutex(&C->Mutex);
}

static void test_a_lock_nobody_releases_is_a_hang_naming_the_holder(void **State)
{
    static LOCK_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, WaitBehindAStuckHolder, &C), 1);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    const char *Cause = FsimGetReport(M)->RootCause;
    assert_non_null(strstr(Cause, "(System) waits for FAST_MUTEX"));
    assert_non_null(strstr(Cause, ", held by thread"));
    assert_non_null(strstr(Cause, "(System thread) waits without a timeout on notification KEVENT"));
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_free_with_wrong_tag_is_c2_0a, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_double_free_is_c2_07, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_free_of_non_pool_is_c2_46, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_allocate_pool2_zeroes_and_checks_flags, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_eresource_rules_and_upgrade_deadlock, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_release_of_unowned_resource_is_e3, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_fast_mutex_raises_to_apc_and_is_not_recursive, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_lookaside_allocations_are_pool_blocks, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_contended_lock_waits_for_its_release, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_lock_nobody_releases_is_a_hang_naming_the_holder, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
