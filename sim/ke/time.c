/*
 * time.c - fltsim Ke: the virtual clock.  System time starts at a fixed
 * boot instant (2026-01-01 00:00:00 UTC) and advances only when the
 * simulation says so (FsimAdvanceTime, timeouts, latencies) or a thread
 * spends it (KeStallExecutionProcessor, a zero-interval delay).
 */
#include <fsim_kernel.h>

/* 2026-01-01T00:00:00Z in 100 ns units since 1601-01-01. */
#define KI_BOOT_SYSTEM_TIME 134116992000000000LL

VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = KI_BOOT_SYSTEM_TIME + KiMachine->InterruptTime;
}

ULONGLONG KeQueryInterruptTime(VOID)
{
    return (ULONGLONG)KiMachine->InterruptTime;
}

ULONG KeQueryTimeIncrement(VOID)
{
    return 156250; /* 15.625 ms */
}

VOID KeQueryTickCount(PLARGE_INTEGER CurrentCount)
{
    CurrentCount->QuadPart = KiMachine->InterruptTime / 156250;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER Counter;
    if (PerformanceFrequency)
        PerformanceFrequency->QuadPart = 10000000;
    Counter.QuadPart = KiMachine->InterruptTime;
    return Counter;
}

/* A busy wait at any IRQL: the processor is kept, the virtual clock moves
 * by the time spent (timers due meanwhile fire when the scheduler next
 * gets control, as DPCs would after the stall). */
VOID KeStallExecutionProcessor(ULONG MicroSeconds)
{
    KiMachine->InterruptTime += (LONGLONG)MicroSeconds * 10;
}
