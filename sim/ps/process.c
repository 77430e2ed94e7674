/*
 * process.c - fltsim Ps: process and thread objects, the System process,
 * simulated user processes (created and exited by the host), and the Ps
 * query routines drivers call.
 */
#include <fsim_kernel.h>
#include <string.h>

#define PSP_MAX_NOTIFY 64 /* PsSetCreateProcessNotifyRoutine's limit */

struct PSP_STATE {
    LIST_ENTRY Processes;        /* live processes */
    PCREATE_PROCESS_NOTIFY_ROUTINE Notify[PSP_MAX_NOTIFY];
    struct _EPROCESS **All;      /* every process whose deletion has not finished (teardown frees them) */
    ULONG AllCount, AllCapacity;
};

static void PspTrack(struct _EPROCESS *P)
{
    struct PSP_STATE *S = KiMachine->Ps;
    if (S->AllCount == S->AllCapacity) {
        ULONG Cap = S->AllCapacity ? S->AllCapacity * 2 : 16;
        struct _EPROCESS **New = realloc(S->All, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        S->All = New;
        S->AllCapacity = Cap;
    }
    S->All[S->AllCount++] = P;
}

static void PspUntrack(struct _EPROCESS *P)
{
    struct PSP_STATE *S = KiMachine->Ps;
    for (ULONG I = 0; I < S->AllCount; I++) {
        if (S->All[I] == P) {
            S->All[I] = S->All[--S->AllCount];
            return;
        }
    }
}

PEPROCESS PsInitialSystemProcess;

void PspInitialize(void)
{
    FSIM_MACHINE *M = KiMachine;
    M->Ps = calloc(1, sizeof(struct PSP_STATE));
    if (M->Ps == NULL)
        abort();
    InitializeListHead(&M->Ps->Processes);
    M->NextProcessId = 0x100;
    M->NextThreadId = 4;
    struct _EPROCESS *System = ObpCreateObject(PspProcessType, sizeof(struct _EPROCESS), "System");
    System->Magic = 'corP';
    System->ProcessId = 4;
    strcpy(System->ImageFileName, "System");
    InsertTailList(&M->Ps->Processes, &System->ProcessLinks);
    PspTrack(System);
    M->SystemProcess = System;
    /* The system thread that runs DriverEntry, unloads and FltMgr work. */
    M->SystemThread = KiCreateThread(System, "System", TRUE);
    System->MainThread = M->SystemThread;
    M->CurrentThread = M->SystemThread;
    PsInitialSystemProcess = System;
}

void PspTeardown(void)
{
    FSIM_MACHINE *M = KiMachine;
    if (M->Ps == NULL)
        return;
    /* Processes not deleted (the System process, processes the scenario
     * never exited, a deletion a bugcheck interrupted) give back their
     * tables; Ob frees the bodies. */
    for (ULONG I = 0; I < M->Ps->AllCount; I++) {
        struct _EPROCESS *P = M->Ps->All[I];
        ObpDestroyHandleTable(P);
        MiFreeLockRecords(P);
        MiDeleteUserSpace(P);
    }
    free(M->Ps->All);
    free(M->Ps);
    M->Ps = NULL;
}

void PspDeleteProcess(PVOID Object);
void PspDeleteProcess(PVOID Object)
{
    struct _EPROCESS *P = Object;
    KI_FRAME_SCOPE("nt", "PspProcessDelete", 0x90);
    if (P->ProcessLinks.Flink)
        RemoveEntryList(&P->ProcessLinks);
    MiCheckLockedPagesAtDelete(P); /* may stop the machine: the user space is still there for the report */
    ObpDestroyHandleTable(P);
    MiFreeLockRecords(P);
    MiDeleteUserSpace(P);
    PspUntrack(P);
}

NTSTATUS PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine, BOOLEAN Remove)
{
    struct PSP_STATE *S = KiMachine->Ps;
    KiRequireIrql(PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutine");
    for (ULONG I = 0; I < PSP_MAX_NOTIFY; I++) {
        if (Remove && S->Notify[I] == NotifyRoutine) {
            S->Notify[I] = NULL;
            return STATUS_SUCCESS;
        }
        if (!Remove && S->Notify[I] == NULL) {
            S->Notify[I] = NotifyRoutine;
            return STATUS_SUCCESS;
        }
    }
    return Remove ? STATUS_PROCEDURE_NOT_FOUND : STATUS_INVALID_PARAMETER;
}

/* The registered routines, in registration order, at PASSIVE_LEVEL in the
 * creating thread (creation) or the exiting thread (exit), inside a
 * critical region as on Windows. */
static void PspNotifyProcess(struct _EPROCESS *P, BOOLEAN Create)
{
    struct PSP_STATE *S = KiMachine->Ps;
    KeEnterCriticalRegion();
    for (ULONG I = 0; I < PSP_MAX_NOTIFY; I++) {
        PCREATE_PROCESS_NOTIFY_ROUTINE Routine = S->Notify[I];
        if (Routine == NULL)
            continue;
        KI_FRAME_SCOPE("nt", Create ? "PspInsertThread" : "PspExitProcess", 0x80);
        KI_DRIVER_FRAME_SCOPE(Routine);
        Routine((HANDLE)(ULONG_PTR)KiMachine->SystemProcess->ProcessId, (HANDLE)(ULONG_PTR)P->ProcessId, Create);
    }
    KeLeaveCriticalRegion();
}

struct _EPROCESS *PspCreateProcess(const char *ImageName)
{
    FSIM_MACHINE *M = KiMachine;
    struct _EPROCESS *P = ObpCreateObject(PspProcessType, sizeof(struct _EPROCESS), ImageName);
    P->Header.Type = ProcessObject;
    InitializeListHead(&P->Header.WaitListHead);
    P->Magic = 'corP';
    P->ProcessId = (M->NextProcessId += 4);
    snprintf(P->ImageFileName, sizeof(P->ImageFileName), "%s", ImageName);
    InsertTailList(&M->Ps->Processes, &P->ProcessLinks);
    PspTrack(P);
    MiCreateUserSpace(P);
    P->MainThread = KiCreateThread(P, KiFormat("%s thread 1", ImageName), FALSE);
    PspNotifyProcess(P, TRUE);
    return P;
}

struct _EPROCESS *PspLookupProcess(ULONG ProcessId)
{
    PLIST_ENTRY Head = &KiMachine->Ps->Processes;
    for (PLIST_ENTRY E = Head->Flink; E != Head; E = E->Flink) {
        struct _EPROCESS *P = CONTAINING_RECORD(E, struct _EPROCESS, ProcessLinks);
        if (P->ProcessId == ProcessId && !P->Exited)
            return P;
    }
    return NULL;
}

/* Process exit: the handle table is run down (each handle closed), the
 * main thread ends, and the process object loses its creation reference. */
void PspExitProcess(struct _EPROCESS *Process)
{
    PKTHREAD Main = Process->MainThread;
    PKTHREAD Old = KiSwitchThread(Main);
    {
        KI_FRAME_SCOPE("nt", "PspExitThread", 0x100);
        ObpCloseAllHandles(Process);
        KiRundownApcs(Main); /* kernel APCs still queued run before the thread goes */
        PspNotifyProcess(Process, FALSE);
        Process->Exited = TRUE;
        Process->Header.SignalState = 1;
        Main->Header.SignalState = 1;
        KiSignalObject(Main);
        KiSignalObject(Process);
        RemoveEntryList(&Process->ProcessLinks);
        Process->ProcessLinks.Flink = Process->ProcessLinks.Blink = NULL;
        Process->MainThread = NULL;
        /* The exiting thread drops the process: its deletion (and the
         * locked-page check) runs in that thread's context, as on Windows. */
        ObfDereferenceObject(Process);
    }
    KiSwitchThread(Old);
    ObfDereferenceObject(Main);
}

HANDLE PsGetCurrentProcessId(VOID)
{
    return (HANDLE)(ULONG_PTR)KeGetCurrentThread()->Process->ProcessId;
}

HANDLE PsGetCurrentThreadId(VOID)
{
    return (HANDLE)(ULONG_PTR)KeGetCurrentThread()->ThreadId;
}

HANDLE PsGetProcessId(PEPROCESS Process)
{
    return (HANDLE)(ULONG_PTR)Process->ProcessId;
}

HANDLE PsGetThreadId(PETHREAD Thread)
{
    return (HANDLE)(ULONG_PTR)((PKTHREAD)Thread)->ThreadId;
}

HANDLE PsGetThreadProcessId(PETHREAD Thread)
{
    return (HANDLE)(ULONG_PTR)((PKTHREAD)Thread)->Process->ProcessId;
}

PEPROCESS PsGetThreadProcess(PETHREAD Thread)
{
    return ((PKTHREAD)Thread)->Process;
}

PEPROCESS IoThreadToProcess(PETHREAD Thread)
{
    return ((PKTHREAD)Thread)->Process;
}

PEPROCESS IoGetCurrentProcess(VOID)
{
    return KeGetCurrentThread()->Process;
}

BOOLEAN PsIsSystemThread(PETHREAD Thread)
{
    return ((PKTHREAD)Thread)->SystemThread;
}

BOOLEAN IoIsSystemThread(PETHREAD Thread)
{
    return ((PKTHREAD)Thread)->SystemThread;
}

BOOLEAN PsIsSystemProcess(PEPROCESS Process)
{
    return Process == KiMachine->SystemProcess;
}

BOOLEAN PsIsThreadTerminating(PETHREAD Thread)
{
    (void)Thread;
    return FALSE;
}

PCHAR PsGetProcessImageFileName(PEPROCESS Process)
{
    return Process->ImageFileName;
}

ULONG PsGetCurrentProcessSessionId(VOID)
{
    return KeGetCurrentThread()->Process == KiMachine->SystemProcess ? 0 : 1;
}

LONGLONG PsGetProcessCreateTimeQuadPart(PEPROCESS Process)
{
    (void)Process;
    return 134116992000000000LL;
}

NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process)
{
    ULONG Id = (ULONG)(ULONG_PTR)ProcessId;
    struct _EPROCESS *P = Id == 4 ? KiMachine->SystemProcess : PspLookupProcess(Id);
    if (P == NULL)
        return STATUS_INVALID_PARAMETER;
    ObfReferenceObject(P);
    *Process = P;
    return STATUS_SUCCESS;
}

BOOLEAN PsGetVersion(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber, PUNICODE_STRING CSDVersion)
{
    if (MajorVersion) *MajorVersion = 10;
    if (MinorVersion) *MinorVersion = 0;
    if (BuildNumber) *BuildNumber = 19041;
    if (CSDVersion) CSDVersion->Length = 0;
    return FALSE;
}

/* The mode of the system call's caller: UserMode inside a process's
 * NtXxx call, KernelMode on system threads and inside Zw* calls. */
BOOLEAN ExGetPreviousMode(VOID)
{
    return KiMachine->CurrentThread->PreviousMode;
}

/* ZwOpenProcess by client id: a handle to the process (a kernel handle
 * with OBJ_KERNEL_HANDLE); opening by name is not supported on Windows
 * either (STATUS_INVALID_PARAMETER_MIX when both are given). */
NTSTATUS NTAPI ZwOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             PCLIENT_ID ClientId)
{
    PEPROCESS Process;
    NTSTATUS Status;
    KiRequireIrql(PASSIVE_LEVEL, "ZwOpenProcess");
    if (ProcessHandle == NULL || ObjectAttributes == NULL)
        return STATUS_INVALID_PARAMETER;
    *ProcessHandle = NULL;
    if (ClientId == NULL)
        return STATUS_INVALID_PARAMETER;
    if (ObjectAttributes->ObjectName != NULL)
        return STATUS_INVALID_PARAMETER_MIX;
    Status = PsLookupProcessByProcessId(ClientId->UniqueProcess, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObpInsertHandle(KiMachine->CurrentThread->Process, Process, DesiredAccess,
                             (ObjectAttributes->Attributes & OBJ_KERNEL_HANDLE) != 0, ProcessHandle);
    ObfDereferenceObject(Process);
    return Status;
}

NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread)
{
    ULONG Id = (ULONG)(ULONG_PTR)ThreadId;
    PKTHREAD T = KiLookupThread(Id);
    if (T == NULL && KiMachine->SystemThread->ThreadId == Id)
        T = KiMachine->SystemThread;
    for (PLIST_ENTRY E = KiMachine->Ps->Processes.Flink; T == NULL && E != &KiMachine->Ps->Processes; E = E->Flink) {
        struct _EPROCESS *P = CONTAINING_RECORD(E, struct _EPROCESS, ProcessLinks);
        if (P->MainThread != NULL && P->MainThread->ThreadId == Id)
            T = P->MainThread;
    }
    if (T == NULL)
        return STATUS_INVALID_PARAMETER;
    ObfReferenceObject(T);
    *Thread = (PETHREAD)T;
    return STATUS_SUCCESS;
}
