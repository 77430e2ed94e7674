/*
 * ts.h - fltsim unit-test support: boot a machine and run a piece of test
 * code on it as kernel code (on the System thread, inside the machine's
 * stop point, so a bugcheck or hang returns to the test).
 */
#ifndef FSIM_TS_H
#define FSIM_TS_H
#include <fsim_kernel.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

typedef void TS_BODY(void *Context);

FSIM_MACHINE *TsCreate(uint32_t VerifierFlags);
/* 0 when Body returned, 1 when the machine stopped (bugcheck or hang). */
int TsRun(FSIM_MACHINE *Machine, TS_BODY *Body, void *Context);
/* Assert the machine bugchecked with Code and Arg1. */
void TsExpectBugcheck(FSIM_MACHINE *Machine, uint32_t Code, uint64_t Arg1);
#endif
