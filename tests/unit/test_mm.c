/*
 * test_mm.c - Mm: MDLs over simulated user buffers, locked-page accounting,
 * and the bugchecks of process deletion with pages still locked:
 * DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (0xCB: tracker, 0, MDL, pages) when
 * locked-page tracking is on, PROCESS_HAS_LOCKED_PAGES (0x76: 0, process,
 * pages, 0) when it is off; unlocking an MDL that is not locked.
 */
#include "support/ts.h"

static FSIM_MACHINE *M;

static FSIM_MACHINE *Boot(int Track)
{
    FSIM_MACHINE_OPTIONS Options = {1, 0, Track, 0};
    FSIM_MACHINE *Machine = FsimMachineCreate(&Options);
    assert_non_null(Machine);
    return Machine;
}

typedef struct MDL_CASE {
    uint64_t Mdl, Process;
    CSHORT Size, Flags;
    ULONG ByteCount, ByteOffset, Locked;
    BOOLEAN UnlockTwice;
} MDL_CASE;

static void LockAndExit(void *Context)
{
    MDL_CASE *C = Context;
    struct _EPROCESS *P = PspCreateProcess("copy.exe");
    PKTHREAD Old = KiSwitchThread(P->MainThread);
    PVOID Buffer = MiAllocateUserBuffer(P, 0x400, 0xd80);
    PMDL Mdl = IoAllocateMdl(Buffer, 0x400, FALSE, FALSE, NULL);
    MmProbeAndLockPages(Mdl, UserMode, IoWriteAccess);
    (void)MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority);
    C->Mdl = MiSyntheticAddress(Mdl);
    C->Process = MiSyntheticAddress(P);
    C->Size = Mdl->Size;
    C->Flags = Mdl->MdlFlags;
    C->ByteCount = Mdl->ByteCount;
    C->ByteOffset = Mdl->ByteOffset;
    C->Locked = (ULONG)P->NumberOfLockedPages;
    if (C->UnlockTwice) {
        MmUnlockPages(Mdl);
        MmUnlockPages(Mdl);
    }
    KiSwitchThread(Old);
    PspExitProcess(P); /* the last reference: MmDeleteProcessAddressSpace finds the pages */
}

static void test_locked_pages_at_exit_with_tracking_is_cb(void **State)
{
    MDL_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    M = Boot(1);
    assert_int_equal(TsRun(M, LockAndExit, &C), 1);
    assert_int_equal(C.Size, 64); /* 0x30 + 2 PFNs */
    assert_int_equal(C.ByteCount, 0x400);
    assert_int_equal(C.ByteOffset, 0xd80);
    assert_int_equal(C.Locked, 2);
    assert_int_equal(C.Flags & (MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA | MDL_WRITE_OPERATION |
                                MDL_ALLOCATED_FIXED_SIZE),
                     MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA | MDL_WRITE_OPERATION | MDL_ALLOCATED_FIXED_SIZE);
    const FSIM_REPORT *R = FsimGetReport(M);
    assert_int_equal(R->Code, 0xCB);
    assert_string_equal(FsimDescribeAddress(M, R->Args[0]), "LockedPagesTracker");
    assert_int_equal(R->Args[1], 0);
    assert_int_equal(R->Args[2], C.Mdl);
    assert_int_equal(R->Args[3], 2);
    assert_string_equal(FsimDescribeAddress(M, R->Args[2]), "MDL");
    /* the MDL is dumped as dt _MDL shows it */
    int Found = 0;
    for (size_t I = 0; I < R->SectionCount; I++) {
        if (strncmp(R->Sections[I].Title, "dt nt!_MDL", 10) != 0)
            continue;
        Found = 1;
        assert_string_equal(R->Sections[I].Fields[1].Value, "0n64");
        assert_string_equal(R->Sections[I].Fields[8].Value, "0x400");
        assert_string_equal(R->Sections[I].Fields[9].Value, "0xd80");
    }
    assert_true(Found);
    FsimMachineDestroy(M);
}

static void test_locked_pages_at_exit_without_tracking_is_76(void **State)
{
    MDL_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    M = Boot(0);
    assert_int_equal(TsRun(M, LockAndExit, &C), 1);
    const FSIM_REPORT *R = FsimGetReport(M);
    assert_int_equal(R->Code, 0x76);
    assert_int_equal(R->Args[0], 0);
    assert_int_equal(R->Args[1], C.Process);
    assert_int_equal(R->Args[2], 2);
    assert_int_equal(R->Args[3], 0);
    FsimMachineDestroy(M);
}

static void test_unlock_of_unlocked_mdl(void **State)
{
    MDL_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    C.UnlockTwice = TRUE;
    M = Boot(1);
    assert_int_equal(TsRun(M, LockAndExit, &C), 1);
    assert_int_equal(FsimGetReport(M)->Code, 0x76);
    assert_int_equal(FsimGetReport(M)->Args[0], 1);
    FsimMachineDestroy(M);
    memset(&C, 0, sizeof(C));
    C.UnlockTwice = TRUE;
    M = Boot(0);
    assert_int_equal(TsRun(M, LockAndExit, &C), 1);
    assert_int_equal(FsimGetReport(M)->Code, 0x4E);
    assert_int_equal(FsimGetReport(M)->Args[0], 7);
    FsimMachineDestroy(M);
}

static void ProbeBadAddress(void *Context)
{
    NTSTATUS *Status = Context;
    struct _EPROCESS *P = PspCreateProcess("bad.exe");
    PKTHREAD Old = KiSwitchThread(P->MainThread);
    PMDL Mdl = IoAllocateMdl((PVOID)(ULONG_PTR)0x10000, 0x100, FALSE, FALSE, NULL);
    __try {
        MmProbeAndLockPages(Mdl, UserMode, IoReadAccess);
        *Status = STATUS_SUCCESS;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        *Status = GetExceptionCode();
    }
    IoFreeMdl(Mdl);
    KiSwitchThread(Old);
}

static void test_probe_and_lock_of_bad_address_raises(void **State)
{
    NTSTATUS Status = 0;
    (void)State;
    M = Boot(0);
    assert_int_equal(TsRun(M, ProbeBadAddress, &Status), 0);
    assert_int_equal(Status, STATUS_ACCESS_VIOLATION);
    FsimMachineDestroy(M);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_locked_pages_at_exit_with_tracking_is_cb),
        cmocka_unit_test(test_locked_pages_at_exit_without_tracking_is_76),
        cmocka_unit_test(test_unlock_of_unlocked_mdl),
        cmocka_unit_test(test_probe_and_lock_of_bad_address_raises),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
