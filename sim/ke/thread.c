/*
 * thread.c - fltsim Ke: simulated threads, their IRQL, APC-disable counts
 * (critical and guarded regions), the stack ledger of simulated frames and
 * the driver call-site notes (FsimNoteCall).
 *
 * This slice runs every simulated thread to completion on the host thread
 * that issued the host call: a thread is a context (IRQL, frames, SEH
 * chain, owner process) that KiSwitchThread makes current.
 */
#include <fsim_kernel.h>
#include <string.h>

PKTHREAD KiCreateThread(struct _EPROCESS *Process, const char *Name, BOOLEAN SystemThread)
{
    FSIM_MACHINE *M = KiMachine;
    PKTHREAD T = ObpCreateObject(PspThreadType, sizeof(struct _KTHREAD), NULL);
    T->Header.Type = ThreadObject;
    T->Header.Size = sizeof(struct _KTHREAD) / sizeof(LONG) > 255 ? 255 : (UCHAR)(sizeof(struct _KTHREAD) / sizeof(LONG));
    InitializeListHead(&T->Header.WaitListHead);
    InitializeListHead(&T->SchedLinks);
    InitializeListHead(&T->ApcList);
    T->WaitDeadline = -1;
    T->Magic = 'dhTK';
    T->ThreadId = (M->NextThreadId += 4);
    T->Process = Process;
    T->Name = KiSaveString(Name);
    T->Irql = PASSIVE_LEVEL;
    T->SystemThread = SystemThread;
    T->PreviousMode = SystemThread ? KernelMode : UserMode;
    return T;
}

void KiDeleteThread(PKTHREAD Thread)
{
    ObfDereferenceObject(Thread);
}

PKTHREAD KiSwitchThread(PKTHREAD Thread)
{
    PKTHREAD Old = KiMachine->CurrentThread;
    KiMachine->CurrentThread = Thread;
    return Old;
}

PKTHREAD NTAPI KeGetCurrentThread(VOID)
{
    return KiMachine->CurrentThread;
}

/* --- the stack ledger ----------------------------------------------------- */

ULONG KiFrameBytes(const char *Module, const char *Function, ULONG Fallback, BOOLEAN *Estimate);

/* Bytes used in the current stack segment, and that segment's budget. */
static ULONG KiLedgerBytes(PKTHREAD T, ULONG *Budget)
{
    ULONG Sum = 0;
    ULONG I = T->FrameCount;
    while (I > 0 && !T->Frames[I - 1].IsSegment)
        Sum += T->Frames[--I].Bytes;
    if (Budget)
        *Budget = I > 0 ? KERNEL_LARGE_STACK_SIZE
                        : (KiMachine->Options.KernelStackSize ? KiMachine->Options.KernelStackSize : KERNEL_STACK_SIZE);
    return Sum;
}

static void KiNoteDepth(PKTHREAD T, ULONG Used, ULONG Budget)
{
    FSIM_MACHINE *M = KiMachine;
    if (Used <= M->DeepestBytes)
        return;
    if (M->DeepestFrames == NULL) {
        M->DeepestFrames = calloc(KI_MAX_FRAMES, sizeof(KI_FRAME));
        if (M->DeepestFrames == NULL)
            abort();
    }
    M->DeepestBytes = Used;
    M->DeepestBudget = Budget;
    M->DeepestCount = T->FrameCount;
    M->DeepestThread = T->Name;
    memcpy(M->DeepestFrames, T->Frames, T->FrameCount * sizeof(KI_FRAME));
}

static DECLSPEC_NORETURN void KiStackOverflow(PKTHREAD T, ULONG Used, ULONG Budget)
{
    const KI_FRAME *F = &T->Frames[T->FrameCount - 1];
    char Shares[1024] = "";
    size_t Len = 0;
    for (ULONG I = 0; I < T->FrameCount && Len < sizeof(Shares) - 160; I++) {
        const KI_FRAME *D = &T->Frames[I];
        if (!D->IsDriver)
            continue;
        if (D->InnerFunction != NULL)
            Len += (size_t)snprintf(Shares + Len, sizeof(Shares) - Len, "%s%s!%s 0x%x, %s!%s 0x%x", Len ? ", " : "",
                                    D->Module, D->Function, D->Bytes - D->InnerBytes, D->Module, D->InnerFunction,
                                    D->InnerBytes);
        else
            Len += (size_t)snprintf(Shares + Len, sizeof(Shares) - Len, "%s%s!%s 0x%x", Len ? ", " : "", D->Module,
                                    D->Function, D->Bytes);
    }
    KiReportSetRootCause(KiFormat("the kernel stack (0x%x bytes) ran out: %s!%s (0x%x bytes) took it to 0x%x; driver "
                                  "frames on it: %s",
                                  Budget, F->Module, F->Function, F->Bytes, Used, Len ? Shares : "none"));
    KeBugCheckEx(UNEXPECTED_KERNEL_MODE_TRAP, 8, 0, 0, 0);
}

static void KiPush(const KI_FRAME *Frame)
{
    PKTHREAD T = KiMachine->CurrentThread;
    ULONG Budget, Used;
    if (T->FrameCount == KI_MAX_FRAMES) {
        KiReportSetRootCause("more than 512 nested simulated frames: runaway recursion through the I/O path");
        KeBugCheckEx(UNEXPECTED_KERNEL_MODE_TRAP, 8, 0, 0, 0);
    }
    T->Frames[T->FrameCount++] = *Frame;
    Used = KiLedgerBytes(T, &Budget);
    KiNoteDepth(T, Used, Budget);
    if (Used > Budget)
        KiStackOverflow(T, Used, Budget);
}

void KiPushFrame(const char *Module, const char *Function, ULONG Bytes)
{
    KI_FRAME F = {Module, Function, Bytes, NULL, 0, FALSE, FALSE, FALSE, FALSE, 0, NULL, 0};
    F.Bytes = KiFrameBytes(Module, Function, Bytes, &F.Estimate);
    KiPush(&F);
}

void KiPushBoundaryFrame(const char *Module, const char *Function, ULONG Bytes)
{
    KI_FRAME F = {Module, Function, Bytes, NULL, 0, FALSE, TRUE, FALSE, FALSE, 0, NULL, 0};
    F.Bytes = KiFrameBytes(Module, Function, Bytes, &F.Estimate);
    KiPush(&F);
}

void KiPushSegmentFrame(void);
void KiPushSegmentFrame(void)
{
    KI_FRAME F = {"nt", "KiSwitchKernelStackAndCallout", 0, NULL, 0, FALSE, FALSE, TRUE, FALSE, 0, NULL, 0};
    KiPush(&F);
}

/* A driver routine is about to be called: its frame is measured from the
 * host stack pointer here to the deepest DDI call it makes. */
void KiPushDriverFrame(PVOID Routine)
{
    IOP_DRIVER_IMAGE *Image = IopFindImageByAddress(Routine);
    KI_FRAME F = {"nt", "unknown", 0x28, NULL, 0, FALSE, FALSE, FALSE, FALSE, 0, NULL, 0};
    if (Image != NULL) {
        F.Module = Image->ModuleName;
        F.IsDriver = !Image->BuiltIn;
        if (!Image->BuiltIn && !Image->Loaded && Image->DriverObject != NULL &&
            (Image->DriverObject->Flags & DRVO_UNLOAD_INVOKED)) {
            /* A callback, DPC, timer or work item of a driver that has been
             * unloaded: its code is gone on Windows. */
            extern const char *KiSymbolName(const void *Address);
            const char *Name = KiSymbolName(Routine);
            KiReportSetRootCause(KiFormat("%s!%s is called after %s was unloaded: something it registered (a "
                                          "notify routine, timer, DPC or work item) outlived the unload",
                                          Image->ModuleName, Name ? Name : "?", Image->ImageName));
            KiReportSetGuilty(Image->ImageName, "");
            KeBugCheckEx(0xCE /* DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS */,
                         (ULONG_PTR)MiSyntheticAddress(Routine), 0, (ULONG_PTR)MiSyntheticAddress(Routine), 0);
        }
    }
    {
        extern const char *KiSymbolName(const void *Address);
        const char *Name = KiSymbolName(Routine);
        F.Function = Name ? Name : KiSaveString("<unknown>");
    }
    /* the caller's stack pointer: just above this routine's frame */
    F.EntrySp = (uintptr_t)__builtin_frame_address(0) + 2 * sizeof(void *);
    KiPush(&F);
}

void KiPopFrame(void)
{
    PKTHREAD T = KiMachine ? KiMachine->CurrentThread : NULL;
    if (T != NULL && T->FrameCount > 0)
        T->FrameCount--;
}

/* Driver code calls a DDI (fsim_ddi.h): note the call site, and measure
 * the driver's frame - the host stack it has used since it was entered -
 * against the budget.  Function/Frame name the driver function making the
 * call: when it is a helper of the routine that was entered, the frame is
 * split between the two as `k` would show them. */
static void KiNoteCall(const char *File, int Line, const char *Function, uintptr_t Frame, uintptr_t Sp)
{
    FSIM_MACHINE *M = KiMachine;
    PKTHREAD T;
    if (M == NULL || (T = M->CurrentThread) == NULL || M->State != FSIM_STATE_RUNNING)
        return;
    T->CallFile = File;
    T->CallLine = (ULONG)Line;
    if (T->FrameCount == 0)
        return;
    KI_FRAME *F = &T->Frames[T->FrameCount - 1];
    if (!F->IsDriver)
        return;
    F->File = File;
    F->Line = (ULONG)Line;
    if (F->EntrySp > Sp && F->EntrySp - Sp < 0x100000) {
        /* The frame is what the driver uses at this call: deeper in a
         * helper, shallower again once the helper returned. */
        ULONG Budget, Used;
        F->Bytes = (ULONG)(F->EntrySp - Sp) > 0x28 ? (ULONG)(F->EntrySp - Sp) : 0x28;
        F->InnerFunction = NULL;
        F->InnerBytes = 0;
        if (Function != NULL && Frame > Sp && Frame < F->EntrySp && strcmp(Function, F->Function) != 0 &&
            strncmp(F->Function, Function, strlen(Function)) != 0) {
            F->InnerFunction = Function;
            F->InnerBytes = (ULONG)(Frame - Sp) + 2 * sizeof(void *);
        }
        Used = KiLedgerBytes(T, &Budget);
        KiNoteDepth(T, Used, Budget);
        if (Used > Budget)
            KiStackOverflow(T, Used, Budget);
    }
}

void FsimNoteCall(const char *File, int Line)
{
    KiNoteCall(File, Line, NULL, 0, (uintptr_t)__builtin_frame_address(0));
}

void FsimNoteCallSite(const char *File, int Line, const char *Function, void *Frame)
{
    KiNoteCall(File, Line, Function, (uintptr_t)Frame, (uintptr_t)__builtin_frame_address(0));
}

/* --- IRQL ------------------------------------------------------------------ */

KIRQL KeGetCurrentIrql(VOID)
{
    return KiMachine->CurrentThread->Irql;
}

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    PKTHREAD T = KiMachine->CurrentThread;
    KIRQL Old = T->Irql;
    if (NewIrql < Old) {
        KiReportSetRootCause(KiFormat("KeRaiseIrql to %u while at IRQL %u", NewIrql, Old));
        KeBugCheckEx(0x09, Old, NewIrql, 0, 0);
    }
    if (Old < APC_LEVEL && NewIrql >= APC_LEVEL)
        KiNoteApcBlock(T, KiFormat("the IRQL was raised to %u (KeRaiseIrql/KeAcquireSpinLock)", NewIrql));
    T->Irql = NewIrql;
    return Old;
}

KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    return KfRaiseIrql(DISPATCH_LEVEL);
}

VOID KeLowerIrql(KIRQL NewIrql)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (NewIrql > T->Irql || NewIrql > HIGH_LEVEL) {
        KiReportSetRootCause(KiFormat("KeLowerIrql to %u while at IRQL %u (lowering must not raise)", NewIrql,
                                      T->Irql));
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x31, T->Irql, NewIrql, 1);
    }
    T->Irql = NewIrql;
    if (NewIrql < DISPATCH_LEVEL && KiMachine->Sched != NULL) {
        extern void KiDrainDpcs(void);
        KiDrainDpcs(); /* DPCs queued at raised IRQL run now */
    }
    if (NewIrql == PASSIVE_LEVEL && !IsListEmpty(&T->ApcList))
        KiDeliverApcs(); /* the APC interrupt held off by the raised IRQL */
}

void KiRequireIrql(KIRQL Max, const char *Routine)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->Irql > Max) {
        KiReportSetRootCause(KiFormat("%s called at IRQL %u; it must be called at IRQL <= %u", Routine, T->Irql,
                                      Max));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, T->Irql, 0, 0);
    }
}

VOID KiCheckPagedCode(PCSTR File, ULONG Line)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->Irql > APC_LEVEL) {
        KiReportSetRootCause(KiFormat("PAGED_CODE() at %s:%u reached at IRQL %u (pageable code must run at "
                                      "IRQL <= APC_LEVEL)", File, Line, T->Irql));
        KiReportSetGuilty(NULL, KiFormat("%s:%u", File, Line));
        KeBugCheckEx(DRIVER_IRQL_NOT_LESS_OR_EQUAL, 0, T->Irql, 8, 0);
    }
}

/* --- APC disable ------------------------------------------------------------ */

VOID KeEnterCriticalRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->KernelApcDisable == 0 && T->SpecialApcDisable == 0 && T->Irql == PASSIVE_LEVEL)
        KiNoteApcBlock(T, "KeEnterCriticalRegion (normal kernel APCs off)");
    T->KernelApcDisable--;
}

VOID KeLeaveCriticalRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->KernelApcDisable >= 0) {
        KiReportSetRootCause("KeLeaveCriticalRegion without a matching KeEnterCriticalRegion");
        KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, (ULONG_PTR)(LONG_PTR)(T->KernelApcDisable + 1), 0);
    }
    T->KernelApcDisable++;
    if (T->KernelApcDisable == 0 && !IsListEmpty(&T->ApcList))
        KiDeliverApcs();
}

VOID KeEnterGuardedRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->SpecialApcDisable == 0 && T->Irql == PASSIVE_LEVEL)
        KiNoteApcBlock(T, "KeEnterGuardedRegion (all kernel APCs off)");
    T->SpecialApcDisable--;
}

VOID KeLeaveGuardedRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->SpecialApcDisable >= 0) {
        KiReportSetRootCause("KeLeaveGuardedRegion without a matching KeEnterGuardedRegion");
        KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, (ULONG_PTR)(LONG_PTR)(T->SpecialApcDisable + 1), 0);
    }
    T->SpecialApcDisable++;
    if (T->SpecialApcDisable == 0 && !IsListEmpty(&T->ApcList))
        KiDeliverApcs();
}

BOOLEAN KeAreApcsDisabled(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    return T->KernelApcDisable != 0 || T->SpecialApcDisable != 0 || T->Irql >= APC_LEVEL;
}

BOOLEAN KeAreAllApcsDisabled(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    return T->SpecialApcDisable != 0 || T->Irql >= APC_LEVEL;
}

ULONG KeGetCurrentProcessorNumber(VOID)
{
    return 0;
}

ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
    if (ActiveProcessors)
        *ActiveProcessors = 1;
    return 1;
}

/* --- stack limits ------------------------------------------------------------ */

VOID IoGetStackLimits(PULONG_PTR LowLimit, PULONG_PTR HighLimit)
{
    PKTHREAD T = KiMachine->CurrentThread;
    ULONG Budget;
    (void)KiLedgerBytes(T, &Budget);
    ULONG_PTR High = 0xfffff80612345000ull - 0x1000ull * (T->ThreadId / 4) * 0x10;
    *HighLimit = High;
    *LowLimit = High - Budget;
}

ULONG_PTR IoGetRemainingStackSize(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    ULONG Budget;
    ULONG Used = KiLedgerBytes(T, &Budget);
    return Used >= Budget ? 0 : Budget - Used;
}

/* --- KeExpandKernelStackAndCallout --------------------------------------- */

static LONG KiCalloutFilter(PFSIM_SEH_FRAME Frame)
{
    /* An exception leaving the callout is fatal on Windows. */
    KiReportSetRootCause(KiFormat("exception 0x%08X left a KeExpandKernelStackAndCallout callout (callouts must "
                                  "handle every exception)", (unsigned)Frame->Record.ExceptionCode));
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)(ULONG)Frame->Record.ExceptionCode, 0,
                 Frame->Record.ExceptionInformation[0], Frame->Record.ExceptionInformation[1]);
}

NTSTATUS KeExpandKernelStackAndCalloutEx(PEXPAND_STACK_CALLOUT Callout, PVOID Parameter, SIZE_T Size, BOOLEAN Wait,
                                         PVOID Context)
{
    PKTHREAD T = KiMachine->CurrentThread;
    (void)Wait;
    (void)Context;
    KiRequireIrql(DISPATCH_LEVEL, "KeExpandKernelStackAndCalloutEx");
    if (Size > MAXIMUM_EXPANSION_SIZE)
        return STATUS_INVALID_PARAMETER_3;
    KI_FRAME_SCOPE("nt", "KeExpandKernelStackAndCalloutInternal", 0x60);
    KIRQL Irql = T->Irql;
    BOOLEAN NewSegment = IoGetRemainingStackSize() < Size;
    ULONG Depth = T->FrameCount;
    if (NewSegment)
        KiPushSegmentFrame();
    __try {
        KI_DRIVER_FRAME_SCOPE(Callout);
        Callout(Parameter);
    } __except (KiCalloutFilter(&FsimSehFrame_)) {
    }
    T->FrameCount = Depth;
    if (T->Irql != Irql) {
        KiReportSetRootCause(KiFormat("a KeExpandKernelStackAndCallout callout returned at IRQL %u instead of %u",
                                      T->Irql, Irql));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, T->Irql, 0, 0);
    }
    return STATUS_SUCCESS;
}

NTSTATUS KeExpandKernelStackAndCallout(PEXPAND_STACK_CALLOUT Callout, PVOID Parameter, SIZE_T Size)
{
    return KeExpandKernelStackAndCalloutEx(Callout, Parameter, Size, TRUE, NULL);
}

/* --- process attach ------------------------------------------------------------ */

/* The thread runs in Process's address space until KeUnstackDetachProcess:
 * user addresses are Process's (MDL locking, probes, the locked-page
 * accounting). */
VOID KeStackAttachProcess(PRKPROCESS Process, PRKAPC_STATE ApcState)
{
    PKTHREAD T = KiMachine->CurrentThread;
    KiRequireIrql(DISPATCH_LEVEL, "KeStackAttachProcess");
    ApcState->Process = (struct _KPROCESS *)T->Process;
    ApcState->KernelApcPending = FALSE;
    T->Process = (struct _EPROCESS *)Process;
}

VOID KeUnstackDetachProcess(PRKAPC_STATE ApcState)
{
    PKTHREAD T = KiMachine->CurrentThread;
    KiRequireIrql(DISPATCH_LEVEL, "KeUnstackDetachProcess");
    T->Process = (struct _EPROCESS *)ApcState->Process;
}
