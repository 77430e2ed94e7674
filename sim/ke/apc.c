/*
 * apc.c - fltsim Ke: asynchronous procedure calls.  A kernel APC queued to
 * a thread (KeInsertQueueApc) runs in that thread: at once when it is the
 * current thread and the APC can be delivered (the APC interrupt), else
 * when the thread lowers its IRQL below APC_LEVEL, leaves its guarded or
 * critical region, or waits.  A special kernel APC (no normal routine; the
 * I/O manager's IopCompleteRequest is one) is held off only by IRQL >=
 * APC_LEVEL and by guarded regions; a normal kernel APC also by critical
 * regions and while another normal APC's normal routine runs.  A thread
 * that waits while its APCs cannot be delivered waits for good when the APC
 * is what would have satisfied the wait; hang reports say which APC and
 * what holds it off, with the driver line that did.
 */
#include <fsim_kernel.h>
#include <string.h>

/* KAPC's public layout hides the routines in Reserved[]. */
#define KI_APC_KERNEL_ROUTINE(A) (*(PKKERNEL_ROUTINE *)&(A)->Reserved[0])
#define KI_APC_RUNDOWN_ROUTINE(A) (*(PKRUNDOWN_ROUTINE *)&(A)->Reserved[1])
#define KI_APC_NORMAL_ROUTINE(A) (*(PKNORMAL_ROUTINE *)&(A)->Reserved[2])

VOID NTAPI KeInitializeApc(PKAPC Apc, PKTHREAD Thread, KAPC_ENVIRONMENT Environment, PKKERNEL_ROUTINE KernelRoutine,
                           PKRUNDOWN_ROUTINE RundownRoutine, PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                           PVOID NormalContext)
{
    (void)Environment;
    memset(Apc, 0, sizeof(*Apc));
    Apc->Type = 0x12; /* ApcObject */
    Apc->Size = (UCHAR)sizeof(*Apc);
    Apc->Thread = Thread;
    KI_APC_KERNEL_ROUTINE(Apc) = KernelRoutine;
    KI_APC_RUNDOWN_ROUTINE(Apc) = RundownRoutine;
    KI_APC_NORMAL_ROUTINE(Apc) = NormalRoutine;
    /* A kernel APC without a normal routine is a special kernel APC. */
    Apc->ApcMode = NormalRoutine != NULL ? ApcMode : KernelMode;
    Apc->NormalContext = NormalRoutine != NULL ? NormalContext : NULL;
    InitializeListHead(&Apc->ApcListEntry);
}

static BOOLEAN KiIsSpecialApc(PKAPC Apc)
{
    return KI_APC_NORMAL_ROUTINE(Apc) == NULL;
}

static BOOLEAN KiCanDeliver(PKTHREAD T, PKAPC Apc)
{
    if (T->Irql != PASSIVE_LEVEL || T->SpecialApcDisable != 0)
        return FALSE;
    if (KiIsSpecialApc(Apc))
        return TRUE;
    return T->KernelApcDisable == 0 && !T->KernelApcInProgress;
}

BOOLEAN KiApcDeliverable(PKTHREAD Thread)
{
    for (PLIST_ENTRY E = Thread->ApcList.Flink; E != &Thread->ApcList; E = E->Flink)
        if (KiCanDeliver(Thread, CONTAINING_RECORD(E, KAPC, ApcListEntry)))
            return TRUE;
    return FALSE;
}

void KiWakeForApc(PKTHREAD Thread);

BOOLEAN NTAPI KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2, KPRIORITY Increment)
{
    PKTHREAD T = Apc->Thread;
    (void)Increment;
    KiRequireIrql(DISPATCH_LEVEL, "KeInsertQueueApc");
    if (Apc->Inserted || T == NULL || T->Header.SignalState != 0 /* terminated */)
        return FALSE;
    Apc->SystemArgument1 = SystemArgument1;
    Apc->SystemArgument2 = SystemArgument2;
    Apc->Inserted = TRUE;
    if (KiIsSpecialApc(Apc)) {
        /* after the special APCs already queued, ahead of the normal ones */
        PLIST_ENTRY E = T->ApcList.Flink;
        while (E != &T->ApcList && KiIsSpecialApc(CONTAINING_RECORD(E, KAPC, ApcListEntry)))
            E = E->Flink;
        InsertTailList(E, &Apc->ApcListEntry);
    } else {
        InsertTailList(&T->ApcList, &Apc->ApcListEntry);
    }
    if (T == KiMachine->CurrentThread) {
        if (KiApcDeliverable(T))
            KiDeliverApcs(); /* the APC interrupt fires at once */
    } else if (KiApcDeliverable(T)) {
        KiWakeForApc(T); /* a waiting thread runs its kernel APCs and waits again */
    }
    return TRUE;
}

BOOLEAN KiRemoveQueuedApc(PKAPC Apc)
{
    if (!Apc->Inserted)
        return FALSE;
    RemoveEntryList(&Apc->ApcListEntry);
    Apc->Inserted = FALSE;
    return TRUE;
}

void KiDeliverApcs(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    if (T == NULL || IsListEmpty(&T->ApcList))
        return;
    KI_FRAME_SCOPE("nt", "KiDeliverApc", 0x90);
    for (;;) {
        PKAPC Apc = NULL;
        for (PLIST_ENTRY E = T->ApcList.Flink; E != &T->ApcList; E = E->Flink) {
            PKAPC Candidate = CONTAINING_RECORD(E, KAPC, ApcListEntry);
            if (KiCanDeliver(T, Candidate)) {
                Apc = Candidate;
                break;
            }
        }
        if (Apc == NULL)
            return;
        RemoveEntryList(&Apc->ApcListEntry);
        Apc->Inserted = FALSE;
        PKKERNEL_ROUTINE Kernel = KI_APC_KERNEL_ROUTINE(Apc);
        PKNORMAL_ROUTINE Normal = KI_APC_NORMAL_ROUTINE(Apc);
        PVOID Context = Apc->NormalContext, Arg1 = Apc->SystemArgument1, Arg2 = Apc->SystemArgument2;
        /* The kernel routine runs at APC_LEVEL (it may free the KAPC). */
        T->Irql = APC_LEVEL;
        if (Kernel != NULL && IopFindImageByAddress((PVOID)Kernel) != NULL) {
            KI_DRIVER_FRAME_SCOPE(Kernel);
            Kernel(Apc, &Normal, &Context, &Arg1, &Arg2);
        } else if (Kernel != NULL) {
            Kernel(Apc, &Normal, &Context, &Arg1, &Arg2);
        }
        T->Irql = PASSIVE_LEVEL;
        if (Normal != NULL) {
            /* A normal kernel APC: its normal routine at PASSIVE_LEVEL. */
            T->KernelApcInProgress = TRUE;
            if (IopFindImageByAddress((PVOID)Normal) != NULL) {
                KI_DRIVER_FRAME_SCOPE(Normal);
                Normal(Context, Arg1, Arg2);
            } else {
                Normal(Context, Arg1, Arg2);
            }
            T->KernelApcInProgress = FALSE;
        }
    }
}

void KiRundownApcs(PKTHREAD Thread)
{
    if (Thread == KiMachine->CurrentThread && KiApcDeliverable(Thread))
        KiDeliverApcs();
    /* What could not run: the rundown routine, as at thread exit. */
    while (!IsListEmpty(&Thread->ApcList)) {
        PKAPC Apc = CONTAINING_RECORD(RemoveHeadList(&Thread->ApcList), KAPC, ApcListEntry);
        Apc->Inserted = FALSE;
        if (KI_APC_RUNDOWN_ROUTINE(Apc) != NULL)
            KI_APC_RUNDOWN_ROUTINE(Apc)(Apc);
    }
}

/* Driver code just blocked APC delivery: remember where, for hang reports. */
void KiNoteApcBlock(PKTHREAD T, const char *What)
{
    T->ApcBlockWhat = What;
    T->ApcBlockFile = T->CallFile;
    T->ApcBlockLine = T->CallLine;
}

int KiDescribeBlockedApcs(char *Text, size_t Size, PKTHREAD T)
{
    int Used = 0;
    if (Size == 0 || IsListEmpty(&T->ApcList))
        return 0;
    Text[0] = 0;
    for (PLIST_ENTRY E = T->ApcList.Flink; E != &T->ApcList && Used < (int)Size; E = E->Flink) {
        PKAPC Apc = CONTAINING_RECORD(E, KAPC, ApcListEntry);
        const char *What = IopDescribeApc(Apc);
        const char *Why;
        if (T->Irql >= APC_LEVEL)
            Why = KiFormat("the thread waits at IRQL %u (APC_LEVEL or above)", T->Irql);
        else if (T->SpecialApcDisable != 0)
            Why = "the thread waits inside a guarded region (KeEnterGuardedRegion)";
        else if (!KiIsSpecialApc(Apc) && T->KernelApcDisable != 0)
            Why = "the thread waits inside a critical region (KeEnterCriticalRegion)";
        else
            Why = "it has not been delivered yet";
        Used += snprintf(Text + Used, Size - (size_t)Used, "; a %s kernel APC (%s) is queued to thread %u but cannot run: %s",
                         KiIsSpecialApc(Apc) ? "special" : "normal", What != NULL ? What : "queued by a driver",
                         T->ThreadId, Why);
        if (T->ApcBlockFile != NULL && Used < (int)Size)
            Used += snprintf(Text + Used, Size - (size_t)Used, ", since %s at %s:%u", T->ApcBlockWhat,
                             T->ApcBlockFile, T->ApcBlockLine);
    }
    return Used < (int)Size ? Used : (int)Size - 1;
}
