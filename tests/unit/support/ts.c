/*
 * ts.c - fltsim unit-test support (see ts.h).
 */
#include "ts.h"

FSIM_MACHINE *TsCreate(uint32_t VerifierFlags)
{
    FSIM_MACHINE_OPTIONS Options = {1, VerifierFlags, 0, 0};
    FSIM_MACHINE *M = FsimMachineCreate(&Options);
    assert_non_null(M);
    return M;
}

int TsRun(FSIM_MACHINE *Machine, TS_BODY *Body, void *Context)
{
    KI_RUN(Machine, return 1);
    PKTHREAD Old = KiSwitchThread(Machine->SystemThread);
    Body(Context);
    KiSwitchThread(Old);
    KI_RUN_END(Machine);
    return 0;
}

void TsExpectBugcheck(FSIM_MACHINE *Machine, uint32_t Code, uint64_t Arg1)
{
    const FSIM_REPORT *R = FsimGetReport(Machine);
    assert_int_equal(FsimMachineState(Machine), FSIM_STATE_BUGCHECKED);
    assert_non_null(R);
    assert_int_equal(R->Code, Code);
    assert_int_equal(R->Args[0], Arg1);
}
