/*
 * bugcheck.c - fltsim Ke: KeBugCheckEx and hangs.  Stops the machine with a
 * report (code, arguments and their meanings, guilty driver, the simulated
 * call stack) and unwinds to the host call that was running.
 */
#include <fsim_kernel.h>
#include <string.h>

typedef struct KI_BUGCHECK_NAME {
    ULONG Code;
    const char *Name;
    const char *Description;
    const char *Args[4];
} KI_BUGCHECK_NAME;

/* Meanings as Microsoft's bug check reference gives them (paraphrased). */
static const KI_BUGCHECK_NAME KiBugCheckNames[] = {
    {0x01, "APC_INDEX_MISMATCH", "A thread returned to user mode or ended with a mismatched APC disable count "
     "(KeEnterCriticalRegion/KeLeaveCriticalRegion not balanced).",
     {"address of the system call or worker routine", "thread's ApcStateIndex", "thread's CombinedApcDisable", "0"}},
    {0x09, "IRQL_NOT_GREATER_OR_EQUAL", "KeRaiseIrql was asked to raise to an IRQL below the current one.",
     {"current IRQL", "requested IRQL", "0", "0"}},
    {0x0A, "IRQL_NOT_LESS_OR_EQUAL", "Kernel code accessed paged or invalid memory, or called a routine, at an "
     "IRQL that is too high.",
     {"memory referenced", "IRQL at time of reference", "bit 0: 0 read, 1 write; bit 3: execute", "address which referenced memory"}},
    {0x0C, "MAXIMUM_WAIT_OBJECTS_EXCEEDED", "KeWaitForMultipleObjects was called with more objects than "
     "allowed, or more than THREAD_WAIT_OBJECTS without a wait block array.", {"0", "0", "0", "0"}},
    {0x18, "REFERENCE_BY_POINTER", "An object's reference count is inconsistent: a reference was dropped that "
     "the caller did not own, or an object was used after its last reference went.",
     {"object type of the object", "object whose reference count is being lowered", "reserved", "reserved"}},
    {0x1E, "KMODE_EXCEPTION_NOT_HANDLED", "A kernel-mode program generated an exception that no handler caught.",
     {"exception code that was not handled", "address where the exception occurred", "exception parameter 0", "exception parameter 1"}},
    {0x34, "CACHE_MANAGER", "A problem occurred in the cache manager (here: a cache manager routine used "
     "against its rules, e.g. on a file that is not cached or past the file size given to it).",
     {"source file and line number information", "reserved", "reserved", "reserved"}},
    {0x35, "NO_MORE_IRP_STACK_LOCATIONS", "IoCallDriver was called with no stack location left in the IRP: a "
     "higher-level driver sent the IRP to a lower one without enough locations (StackSize too small).",
     {"address of the IRP", "reserved", "reserved", "reserved"}},
    {0x44, "MULTIPLE_IRP_COMPLETE_REQUESTS", "A driver requested that an IRP be completed "
     "(IoCompleteRequest) but the packet had already been completed.",
     {"address of the IRP", "reserved", "reserved", "reserved"}},
    {0x4A, "IRQL_GT_ZERO_AT_SYSTEM_SERVICE", "A thread returned to user mode at an IRQL above PASSIVE_LEVEL.",
     {"address of the system function", "current IRQL", "0", "0"}},
    {0x4E, "PFN_LIST_CORRUPT", "The page frame number list is corrupted; subcode 7 means a page was unlocked "
     "more times than it was locked (MmUnlockPages on an MDL that is not locked).",
     {"subcode", "page frame number", "current share count", "0"}},
    {0x76, "PROCESS_HAS_LOCKED_PAGES", "A driver failed to release locked pages after an I/O operation. Set "
     "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management\\TrackLockedPages = 1 "
     "to get 0xCB naming the driver.",
     {"0 (locked pages at process exit) or 1 (unlock of an MDL that is not locked)", "pointer to the process object",
      "number of locked pages", "pointer to driver stacks (0 if not tracked)"}},
    {0x7F, "UNEXPECTED_KERNEL_MODE_TRAP", "A trap the kernel did not catch; with Arg1 = 8 (double fault) "
     "almost always a kernel stack overflow.",
     {"trap number (8 = double fault)", "reserved", "reserved", "reserved"}},
    {0x93, "INVALID_KERNEL_HANDLE", "Kernel code closed or referenced an invalid or protected handle.",
     {"the handle passed to NtClose", "0: protected handle; 1: invalid handle", "0", "0"}},
    {0xC2, "BAD_POOL_CALLER", "The current thread is making a bad pool request.",
     {"type of violation", "", "", ""}},
    {0xC4, "DRIVER_VERIFIER_DETECTED_VIOLATION", "Driver Verifier detected a violation.",
     {"type of violation", "", "", ""}},
    {0xC9, "DRIVER_VERIFIER_IOMANAGER_VIOLATION", "The I/O manager detected a driver error in IRP handling.",
     {"type of violation", "", "", ""}},
    {0xCB, "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS", "A driver or the I/O manager failed to release locked pages "
     "after an I/O operation (detected when the process exits).",
     {"calling address in the driver that locked the pages (tracking structure)", "caller of the calling address",
      "pointer to the MDL containing the locked pages", "number of locked pages in the MDL"}},
    {0xCE, "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS", "A driver unloaded without cancelling "
     "timers, DPCs, worker threads or other items that still point into it.",
     {"memory referenced", "0 read, 1 write", "address that referenced memory", "reserved"}},
    {0xD1, "DRIVER_IRQL_NOT_LESS_OR_EQUAL", "A driver accessed pageable or invalid memory at an IRQL that "
     "was too high.",
     {"memory referenced", "IRQL at time of reference", "0 read, 1 write, 8 execute", "address that referenced memory"}},
    {0xE3, "RESOURCE_NOT_OWNED", "A thread tried to release a resource it did not own.",
     {"address of the resource", "address of the thread", "address of the owner table", "reserved"}},
    {0xF5, "FLTMGR_FILE_SYSTEM", "An unrecoverable failure in the Filter Manager.",
     {"failure type", "", "", ""}},
    {0x139, "KERNEL_SECURITY_CHECK_FAILURE", "The kernel detected corruption of a critical data structure "
     "(Arg1 = 3: a LIST_ENTRY was corrupted).",
     {"type of corruption", "address of the trap frame", "address of the exception record", "reserved"}},
};

static const KI_BUGCHECK_NAME *KiLookupBugCheck(ULONG Code)
{
    for (size_t I = 0; I < sizeof(KiBugCheckNames) / sizeof(KiBugCheckNames[0]); I++)
        if (KiBugCheckNames[I].Code == Code)
            return &KiBugCheckNames[I];
    return NULL;
}

/* 0xC2 BAD_POOL_CALLER argument meanings by subcode. */
static void KiBadPoolMeanings(ULONG_PTR Sub, const char **A)
{
    switch (Sub) {
    case 0x00: A[0] = "0x00: zero-byte allocation"; A[1] = "0"; A[2] = "pool type"; A[3] = "pool tag"; break;
    case 0x06: A[0] = "0x06: freeing a block that is already free"; A[1] = "reserved"; A[2] = "pointer to pool header"; A[3] = "pool header contents"; break;
    case 0x07: A[0] = "0x07: freeing a block that is already free"; A[1] = "reserved"; A[2] = "pool header contents"; A[3] = "address of the block being freed"; break;
    case 0x08: A[0] = "0x08: allocation at a bad IRQL"; A[1] = "current IRQL"; A[2] = "pool type"; A[3] = "size of allocation"; break;
    case 0x09: A[0] = "0x09: free at a bad IRQL"; A[1] = "current IRQL"; A[2] = "pool type"; A[3] = "address of pool"; break;
    case 0x0A: A[0] = "0x0A: ExFreePoolWithTag called with a tag that does not match the allocation's";
        A[1] = "address of the pool block"; A[2] = "allocator's tag"; A[3] = "tag being used in the attempted free"; break;
    case 0x42: case 0x43: A[0] = "freeing an address that was never in any pool"; A[1] = "address being freed"; A[2] = "0"; A[3] = "0"; break;
    case 0x46: A[0] = "0x46: freeing an invalid pool address"; A[1] = "starting address"; A[2] = "0"; A[3] = "0"; break;
    case 0x99: A[0] = "0x99: freeing an invalid address"; A[1] = "address being freed"; A[2] = "0"; A[3] = "0"; break;
    case 0x9B: A[0] = "0x9B: allocation with a tag of 0"; A[1] = "pool type"; A[2] = "number of bytes"; A[3] = "caller's address"; break;
    default: A[0] = "subcode"; A[1] = "see the BAD_POOL_CALLER reference"; A[2] = ""; A[3] = ""; break;
    }
}

void KiReportReset(void)
{
    KI_REPORT_BUILDER *B = &KiMachine->Report;
    free(B->Frames);
    for (size_t I = 0; I < B->Report.SectionCount; I++)
        free((void *)B->Sections[I].Fields);
    free(B->Sections);
    free(B->Leaks);
    memset(B, 0, sizeof(*B));
    B->Report.GuiltyDriver = "";
    B->Report.GuiltyLocation = "";
    B->Report.RootCause = "";
    B->Report.Thread = "";
}

void KiReportSection(const char *Title, size_t FieldCount, const char *const *Names, const char *const *Values)
{
    KI_REPORT_BUILDER *B = &KiMachine->Report;
    if (B->Report.SectionCount == B->SectionCapacity) {
        size_t Cap = B->SectionCapacity ? B->SectionCapacity * 2 : 8;
        FSIM_REPORT_SECTION *New = realloc(B->Sections, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        B->Sections = New;
        B->SectionCapacity = Cap;
    }
    FSIM_REPORT_FIELD *Fields = calloc(FieldCount ? FieldCount : 1, sizeof(*Fields));
    if (Fields == NULL)
        abort();
    for (size_t I = 0; I < FieldCount; I++) {
        Fields[I].Name = KiSaveString(Names[I]);
        Fields[I].Value = KiSaveString(Values[I]);
    }
    FSIM_REPORT_SECTION *S = &B->Sections[B->Report.SectionCount++];
    S->Title = KiSaveString(Title);
    S->FieldCount = FieldCount;
    S->Fields = Fields;
    B->Report.Sections = B->Sections;
}

void KiReportAddLeak(const FSIM_REPORT_LEAK *Leak)
{
    KI_REPORT_BUILDER *B = &KiMachine->Report;
    if (B->Report.LeakCount == B->LeakCapacity) {
        size_t Cap = B->LeakCapacity ? B->LeakCapacity * 2 : 8;
        FSIM_REPORT_LEAK *New = realloc(B->Leaks, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        B->Leaks = New;
        B->LeakCapacity = Cap;
    }
    B->Leaks[B->Report.LeakCount++] = *Leak;
    B->Report.Leaks = B->Leaks;
}

void KiReportSetRootCause(const char *Text)
{
    KiMachine->Report.Report.RootCause = KiSaveString(Text);
}

void KiReportSetGuilty(const char *Driver, const char *Location)
{
    KiMachine->Report.Report.GuiltyDriver = KiSaveString(Driver ? Driver : "");
    KiMachine->Report.Report.GuiltyLocation = KiSaveString(Location ? Location : "");
}

/* Copy the running thread's stack ledger into the report, innermost first. */
static void KiCaptureStack(const char *TopModule, const char *TopFunction)
{
    FSIM_MACHINE *M = KiMachine;
    KI_REPORT_BUILDER *B = &M->Report;
    PKTHREAD T = M->CurrentThread;
    ULONG Count = T ? T->FrameCount : 0;
    ULONG Total = Count + (TopFunction ? 1 : 0);
    for (ULONG I = 0; I < Count; I++)
        if (T->Frames[I].InnerFunction)
            Total++;
    FSIM_REPORT_FRAME *F = calloc(Total ? Total : 1, sizeof(*F));
    uint64_t Sp = 0xfffff80612345000ull - 0x1000ull * (T ? T->ThreadId / 4 : 0) * 0x10;
    uint64_t Base = Sp;
    ULONG N = 0;
    if (F == NULL)
        abort();
    /* Child-SP of the outermost frame is the stack base minus its size. */
    for (ULONG I = 0; I < Count; I++)
        Sp -= T->Frames[I].Bytes;
    if (TopFunction) {
        F[N].Number = N;
        F[N].ChildSp = Sp - 0x28;
        F[N].Module = TopModule;
        F[N].Function = TopFunction;
        F[N].Bytes = 0x28;
        N++;
    }
    uint64_t Cursor = Sp;
    for (ULONG I = Count; I-- > 0;) {
        const KI_FRAME *K = &T->Frames[I];
        if (K->InnerFunction != NULL) {
            /* the driver helper that made the call, then the routine entered */
            F[N].Number = N;
            F[N].ChildSp = Cursor;
            F[N].Module = K->Module;
            F[N].Function = K->InnerFunction;
            F[N].File = K->File;
            F[N].Line = K->Line;
            F[N].Bytes = K->InnerBytes;
            F[N].IsDriver = K->IsDriver;
            Cursor += K->InnerBytes;
            N++;
            F[N].Number = N;
            F[N].ChildSp = Cursor;
            F[N].Module = K->Module;
            F[N].Function = K->Function;
            F[N].Bytes = K->Bytes - K->InnerBytes;
            F[N].IsDriver = K->IsDriver;
            Cursor += K->Bytes - K->InnerBytes;
            N++;
            continue;
        }
        F[N].Number = N;
        F[N].ChildSp = Cursor;
        F[N].Module = K->Module;
        F[N].Function = K->Function;
        F[N].File = K->File;
        F[N].Line = K->Line;
        F[N].Bytes = K->Bytes;
        F[N].IsDriver = K->IsDriver;
        Cursor += K->Bytes;
        N++;
    }
    (void)Base;
    B->Frames = F;
    B->Report.Frames = F;
    B->Report.FrameCount = N;
}

/* The innermost driver frame names the guilty driver and its source line. */
static void KiBlameInnermostDriver(void)
{
    FSIM_MACHINE *M = KiMachine;
    PKTHREAD T = M->CurrentThread;
    KI_REPORT_BUILDER *B = &M->Report;
    if (B->Report.GuiltyDriver != NULL && B->Report.GuiltyDriver[0] != 0)
        return;
    if (T == NULL)
        return;
    for (ULONG I = T->FrameCount; I-- > 0;) {
        if (T->Frames[I].IsDriver) {
            B->Report.GuiltyDriver = KiFormat("%s.sys", T->Frames[I].Module);
            if (T->Frames[I].File)
                B->Report.GuiltyLocation = KiFormat("%s:%u", T->Frames[I].File, T->Frames[I].Line);
            return;
        }
    }
}

void KiAbandonFiber(void);
BOOLEAN KiOnFiber(void);

static DECLSPEC_NORETURN void KiStopMachine(void)
{
    FSIM_MACHINE *M = KiMachine;
    M->HaveReport = 1;
    if (M->Sched != NULL && KiOnFiber())
        KiAbandonFiber(); /* back on the host stack, the resumer unwinds the host call */
    if (M->StopJump == NULL) {
        fprintf(stderr, "fltsim: internal error: machine stopped outside a host call\n");
        abort();
    }
    longjmp(*M->StopJump, 1);
}

DECLSPEC_NORETURN VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    FSIM_MACHINE *M = KiMachine;
    KI_REPORT_BUILDER *B = &M->Report;
    const KI_BUGCHECK_NAME *N = KiLookupBugCheck(BugCheckCode);
    const char *Meanings[4] = {"", "", "", ""};

    if (M->State != FSIM_STATE_RUNNING) /* a bugcheck while reporting one */
        KiStopMachine();
    M->State = FSIM_STATE_BUGCHECKED;
    B->Report.Kind = FSIM_STATE_BUGCHECKED;
    B->Report.Code = BugCheckCode;
    B->Report.Args[0] = P1;
    B->Report.Args[1] = P2;
    B->Report.Args[2] = P3;
    B->Report.Args[3] = P4;
    B->Report.Name = N ? N->Name : KiFormat("BUGCHECK_0x%X", BugCheckCode);
    B->Report.Description = N ? N->Description : "";
    if (N)
        for (int I = 0; I < 4; I++)
            Meanings[I] = N->Args[I];
    if (BugCheckCode == BAD_POOL_CALLER)
        KiBadPoolMeanings(P1, Meanings);
    for (int I = 0; I < 4; I++)
        B->Report.ArgMeaning[I] = Meanings[I];
    if (M->CurrentThread) {
        B->Report.Irql = M->CurrentThread->Irql;
        B->Report.Thread = M->CurrentThread->Name;
    }
    KiBlameInnermostDriver();
    KiCaptureStack("nt", "KeBugCheckEx");
    KiStopMachine();
}

DECLSPEC_NORETURN VOID KeBugCheck(ULONG BugCheckCode)
{
    KeBugCheckEx(BugCheckCode, 0, 0, 0, 0);
}

DECLSPEC_NORETURN void KiHang(const char *Description)
{
    FSIM_MACHINE *M = KiMachine;
    KI_REPORT_BUILDER *B = &M->Report;
    M->State = FSIM_STATE_HUNG;
    B->Report.Kind = FSIM_STATE_HUNG;
    B->Report.Name = "SYSTEM_HANG";
    B->Report.Description = KiSaveString(Description);
    if (M->CurrentThread) {
        B->Report.Irql = M->CurrentThread->Irql;
        B->Report.Thread = M->CurrentThread->Name;
    }
    KiCaptureStack(NULL, NULL);
    KiStopMachine();
}

VOID KiBugCheckNoMoreStackLocations(PIRP Irp)
{
    KiReportSetRootCause(KiFormat("IRP %016llx has no stack location left for the next driver (StackCount %d): "
                                  "it was allocated with fewer locations than the device stack below needs",
                                  (unsigned long long)MiSyntheticAddress(Irp), Irp->StackCount));
    KeBugCheckEx(NO_MORE_IRP_STACK_LOCATIONS, (ULONG_PTR)MiSyntheticAddress(Irp), 0, 0, 0);
}
