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
    T->WaitDeadline = -1;
    T->Magic = 'dhTK';
    T->ThreadId = (M->NextThreadId += 4);
    T->Process = Process;
    T->Name = KiSaveString(Name);
    T->Irql = PASSIVE_LEVEL;
    T->SystemThread = SystemThread;
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

static ULONG KiLedgerBytes(PKTHREAD T)
{
    ULONG Sum = 0;
    for (ULONG I = 0; I < T->FrameCount; I++)
        Sum += T->Frames[I].Bytes;
    return Sum;
}

static void KiPush(const KI_FRAME *Frame)
{
    PKTHREAD T = KiMachine->CurrentThread;
    ULONG Budget = KiMachine->Options.KernelStackSize ? KiMachine->Options.KernelStackSize : KERNEL_STACK_SIZE;
    if (T->FrameCount == KI_MAX_FRAMES || KiLedgerBytes(T) + Frame->Bytes > Budget) {
        if (T->FrameCount < KI_MAX_FRAMES)
            T->Frames[T->FrameCount++] = *Frame;
        KiReportSetRootCause(KiFormat("kernel stack of %u bytes exhausted in %s!%s", Budget, Frame->Module,
                                      Frame->Function));
        KeBugCheckEx(UNEXPECTED_KERNEL_MODE_TRAP, 8, 0, 0, 0);
    }
    T->Frames[T->FrameCount++] = *Frame;
}

void KiPushFrame(const char *Module, const char *Function, ULONG Bytes)
{
    KI_FRAME F = {Module, Function, Bytes, NULL, 0, FALSE, FALSE};
    KiPush(&F);
}

void KiPushBoundaryFrame(const char *Module, const char *Function, ULONG Bytes)
{
    KI_FRAME F = {Module, Function, Bytes, NULL, 0, FALSE, TRUE};
    KiPush(&F);
}

void KiPushDriverFrame(PVOID Routine)
{
    IOP_DRIVER_IMAGE *Image = IopFindImageByAddress(Routine);
    KI_FRAME F = {"unknown", "unknown", 0x28, NULL, 0, TRUE, FALSE};
    if (Image != NULL) {
        F.Module = Image->ModuleName;
        F.IsDriver = !Image->BuiltIn;
    }
    {
        extern const char *KiSymbolName(const void *Address);
        const char *Name = KiSymbolName(Routine);
        F.Function = Name ? Name : KiSaveString("<unknown>");
    }
    KiPush(&F);
}

void KiPopFrame(void)
{
    PKTHREAD T = KiMachine ? KiMachine->CurrentThread : NULL;
    if (T != NULL && T->FrameCount > 0)
        T->FrameCount--;
}

void FsimNoteCall(const char *File, int Line)
{
    FSIM_MACHINE *M = KiMachine;
    PKTHREAD T;
    if (M == NULL || (T = M->CurrentThread) == NULL)
        return;
    T->CallFile = File;
    T->CallLine = (ULONG)Line;
    for (ULONG I = T->FrameCount; I-- > 0;) {
        if (T->Frames[I].IsDriver) {
            T->Frames[I].File = File;
            T->Frames[I].Line = (ULONG)Line;
            break;
        }
    }
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
    KiMachine->CurrentThread->KernelApcDisable--;
}

VOID KeLeaveCriticalRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->KernelApcDisable >= 0) {
        KiReportSetRootCause("KeLeaveCriticalRegion without a matching KeEnterCriticalRegion");
        KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, (ULONG_PTR)(LONG_PTR)(T->KernelApcDisable + 1), 0);
    }
    T->KernelApcDisable++;
}

VOID KeEnterGuardedRegion(VOID)
{
    KiMachine->CurrentThread->SpecialApcDisable--;
}

VOID KeLeaveGuardedRegion(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T->SpecialApcDisable >= 0) {
        KiReportSetRootCause("KeLeaveGuardedRegion without a matching KeEnterGuardedRegion");
        KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, (ULONG_PTR)(LONG_PTR)(T->SpecialApcDisable + 1), 0);
    }
    T->SpecialApcDisable++;
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
    ULONG Budget = KiMachine->Options.KernelStackSize ? KiMachine->Options.KernelStackSize : KERNEL_STACK_SIZE;
    ULONG_PTR High = 0xfffff80612345000ull - 0x1000ull * (T->ThreadId / 4) * 0x10;
    *HighLimit = High;
    *LowLimit = High - Budget;
}

ULONG_PTR IoGetRemainingStackSize(VOID)
{
    PKTHREAD T = KiMachine->CurrentThread;
    ULONG Budget = KiMachine->Options.KernelStackSize ? KiMachine->Options.KernelStackSize : KERNEL_STACK_SIZE;
    ULONG Used = KiLedgerBytes(T);
    return Used >= Budget ? 0 : Budget - Used;
}
