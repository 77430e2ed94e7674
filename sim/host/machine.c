/*
 * machine.c - fltsim host API: creating and destroying a machine (boot
 * order: Ob, Ex, Ps, Cm, Io with the built-in drivers, FltMgr), its log,
 * options, clock and state, and the report of a stopped machine.
 */
#include <fsim_kernel.h>
#include <string.h>

void IopCloseImages(void);
/* The network redirector (sim/drivers/mup and friends), when built in. */
void RdrInitialize(void) __attribute__((weak));
void RdrTeardown(void) __attribute__((weak));
void KiFreeSymbols(void);

FSIM_MACHINE *FsimMachineCreate(const FSIM_MACHINE_OPTIONS *Options)
{
    FSIM_MACHINE *volatile M = calloc(1, sizeof(FSIM_MACHINE));
    if (M == NULL)
        return NULL;
    if (Options)
        M->Options = *Options;
    if (M->Options.KernelStackSize == 0)
        M->Options.KernelStackSize = KERNEL_STACK_SIZE;
    M->State = FSIM_STATE_RUNNING;
    KI_RUN(M, {
        FsimMachineDestroy(M);
        return NULL;
    });
    KiReportReset();
    ObpInitialize();
    KiInitializeScheduler();
    ExpInitialize();
    PspInitialize();
    CmpInitialize();
    IopInitialize();
    FltpInitialize();
    if (RdrInitialize != NULL)
        RdrInitialize();
    KiRunUntilIdle();
    KI_RUN_END(M);
    return M;
}

void FsimMachineDestroy(FSIM_MACHINE *Machine)
{
    FSIM_MACHINE *Saved = KiMachine;
    if (Machine == NULL)
        return;
    KiMachine = Machine;
    Machine->State = FSIM_STATE_HUNG; /* nothing runs any more */
    if (RdrTeardown != NULL)
        RdrTeardown();
    FltpTeardown();
    IopCloseImages();
    IopTeardown();
    KiTeardownScheduler();
    CmpTeardown();
    PspTeardown();
    ObpTeardown();
    ExpTeardown();
    MiTeardown();
    KiFreeSymbols();
    KiReportReset();
    free(Machine->LeakList);
    free(Machine->DeepestFrames);
    free(Machine->DeepestReport);
    for (size_t I = 0; I < Machine->StringCount; I++)
        free(Machine->Strings[I]);
    free(Machine->Strings);
    free(Machine);
    KiMachine = Saved == Machine ? NULL : Saved;
}

void FsimSetLogCallback(FSIM_MACHINE *Machine, FSIM_LOG_CALLBACK *Callback, void *Context)
{
    Machine->LogCallback = Callback;
    Machine->LogContext = Context;
}

void FsimSetTrace(FSIM_MACHINE *Machine, int Enabled)
{
    Machine->Trace = Enabled;
}

const char *FsimLastError(FSIM_MACHINE *Machine)
{
    return Machine->LastError;
}

FSIM_STATUS FsimAdvanceTime(FSIM_MACHINE *Machine, uint64_t Nanoseconds)
{
    if (Machine->State != FSIM_STATE_RUNNING)
        return FSIM_STATUS_MACHINE_STOPPED;
    KI_RUN(Machine, return FSIM_STATUS_MACHINE_STOPPED);
    KiAdvanceClock((LONGLONG)(Nanoseconds / 100)); /* timers fire, threads run, in time order */
    KI_RUN_END(Machine);
    return 0;
}

uint64_t FsimCurrentTime(FSIM_MACHINE *Machine)
{
    return (uint64_t)Machine->InterruptTime;
}

FSIM_STATE FsimMachineState(FSIM_MACHINE *Machine)
{
    return Machine->State;
}

const FSIM_REPORT *FsimGetReport(FSIM_MACHINE *Machine)
{
    if (Machine->State == FSIM_STATE_RUNNING || !Machine->HaveReport)
        return NULL;
    return &Machine->Report.Report;
}

size_t FsimGetLeaks(FSIM_MACHINE *Machine, const FSIM_REPORT_LEAK **Leaks)
{
    FSIM_MACHINE *Saved = KiMachine;
    KiMachine = Machine;
    free(Machine->LeakList);
    Machine->LeakList = NULL;
    Machine->LeakListCount = ExpCollectLeaks(NULL, &Machine->LeakList);
    KiMachine = Saved;
    *Leaks = Machine->LeakList;
    return Machine->LeakListCount;
}

int FsimGetDeepestStack(FSIM_MACHINE *Machine, FSIM_STACK_PROFILE *Profile)
{
    memset(Profile, 0, sizeof(*Profile));
    if (Machine->DeepestFrames == NULL || Machine->DeepestCount == 0)
        return 0;
    free(Machine->DeepestReport);
    Machine->DeepestReport = calloc(Machine->DeepestCount * 2, sizeof(FSIM_REPORT_FRAME));
    if (Machine->DeepestReport == NULL)
        return 0;
    /* innermost first; Child-SP counts down from the segment's base */
    uint64_t Sp = 0xfffff80612345000ull - Machine->DeepestBytes;
    ULONG First = 0;
    for (ULONG I = Machine->DeepestCount; I-- > 0;)
        if (Machine->DeepestFrames[I].IsSegment) {
            First = I + 1;
            break;
        }
    size_t N = 0;
    for (ULONG I = Machine->DeepestCount; I-- > First;) {
        const KI_FRAME *K = &Machine->DeepestFrames[I];
        FSIM_REPORT_FRAME *F = &Machine->DeepestReport[N];
        if (K->InnerFunction != NULL) {
            F->Number = (uint32_t)N;
            F->ChildSp = Sp;
            F->Module = K->Module;
            F->Function = K->InnerFunction;
            F->File = K->File;
            F->Line = K->Line;
            F->Bytes = K->InnerBytes;
            F->IsDriver = K->IsDriver;
            Sp += K->InnerBytes;
            N++;
            F = &Machine->DeepestReport[N];
            F->Number = (uint32_t)N;
            F->ChildSp = Sp;
            F->Module = K->Module;
            F->Function = K->Function;
            F->Bytes = K->Bytes - K->InnerBytes;
            F->IsDriver = K->IsDriver;
            Sp += K->Bytes - K->InnerBytes;
            N++;
            continue;
        }
        F->Number = (uint32_t)N;
        F->ChildSp = Sp;
        F->Module = K->Module;
        F->Function = K->Function;
        F->File = K->File;
        F->Line = K->Line;
        F->Bytes = K->Bytes;
        F->IsDriver = K->IsDriver;
        Sp += K->Bytes;
        N++;
    }
    Profile->Budget = Machine->DeepestBudget;
    Profile->Used = Machine->DeepestBytes;
    Profile->Thread = Machine->DeepestThread;
    Profile->FrameCount = N;
    Profile->Frames = Machine->DeepestReport;
    return 1;
}

const char *FsimDescribeAddress(FSIM_MACHINE *Machine, uint64_t Address)
{
    FSIM_MACHINE *Saved = KiMachine;
    const char *Kind;
    KiMachine = Machine;
    Kind = MiDescribeSynthetic(Address);
    KiMachine = Saved;
    return Kind;
}
