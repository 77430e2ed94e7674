/*
 * worker.c - fltsim Ex: system worker threads (ExQueueWorkItem and the Io
 * work items built on it) and PsCreateSystemThread.  Work items run in
 * FIFO order on coroutine threads of the System process at PASSIVE_LEVEL;
 * a new worker is started whenever every existing one is busy, so a work
 * item that waits for another one cannot starve it.  A routine that
 * returns at raised IRQL or inside a critical region bugchecks as on
 * Windows (WORKER_THREAD_RETURNED_AT_BAD_IRQL, APC_INDEX_MISMATCH).
 */
#include "exp.h"
#include <string.h>

#define EXP_MAX_WORKERS 32

typedef struct EXP_WORKERS {
    LIST_ENTRY Queue;
    KSEMAPHORE Pending;
    ULONG Workers;
    ULONG Busy;
    ULONG Queued;
} EXP_WORKERS;

static EXP_WORKERS *ExpWorkers(void)
{
    static const size_t Size = sizeof(EXP_WORKERS);
    struct EXP_STATE *S = KiMachine->Ex;
    if (S->Workers == NULL) {
        S->Workers = ExpAllocateSystemPool(NonPagedPoolNx, Size, 'krWE');
        InitializeListHead(&S->Workers->Queue);
        KeInitializeSemaphore(&S->Workers->Pending, 0, MAXLONG);
    }
    return S->Workers;
}

static VOID ExpWorkerThread(PVOID Context)
{
    EXP_WORKERS *W = Context;
    PKTHREAD T = KeGetCurrentThread();
    for (;;) {
        PVOID Object = &W->Pending;
        KiWait(&Object, 1, WaitAny, -1, TRUE);
        PLIST_ENTRY E = RemoveHeadList(&W->Queue);
        PWORK_QUEUE_ITEM Item = CONTAINING_RECORD(E, WORK_QUEUE_ITEM, List);
        PWORKER_THREAD_ROUTINE Routine = Item->WorkerRoutine;
        PVOID Parameter = Item->Parameter;
        W->Queued--;
        W->Busy++;
        Item->List.Flink = NULL;
        {
            KI_FRAME_SCOPE("nt", "ExpWorkerThread", 0x80);
            KI_DRIVER_FRAME_SCOPE(Routine);
            Routine(Parameter);
        }
        if (T->Irql != PASSIVE_LEVEL) {
            KiReportSetRootCause(KiFormat("a work item routine returned at IRQL %u", T->Irql));
            KeBugCheckEx(0xE1 /* WORKER_THREAD_RETURNED_AT_BAD_IRQL */, (ULONG_PTR)MiSyntheticAddress((PVOID)Routine),
                         T->Irql, (ULONG_PTR)MiSyntheticAddress(Parameter), (ULONG_PTR)MiSyntheticAddress(Item));
        }
        if (T->KernelApcDisable != 0 || T->SpecialApcDisable != 0) {
            KiReportSetRootCause("a work item routine returned inside a critical or guarded region");
            KeBugCheckEx(APC_INDEX_MISMATCH, (ULONG_PTR)MiSyntheticAddress((PVOID)Routine), 0,
                         (ULONG_PTR)(LONG_PTR)T->KernelApcDisable, 0);
        }
        T->FrameCount = 0;
        W->Busy--;
    }
}

VOID ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType)
{
    EXP_WORKERS *W = ExpWorkers();
    (void)QueueType;
    KiRequireIrql(DISPATCH_LEVEL, "ExQueueWorkItem");
    if (WorkItem->List.Flink != NULL) {
        KiReportSetRootCause("ExQueueWorkItem on a work item that is already queued");
        KeBugCheckEx(0xE4 /* WORKER_INVALID */, 0, (ULONG_PTR)MiSyntheticAddress(WorkItem), 0, 0);
    }
    InsertTailList(&W->Queue, &WorkItem->List);
    W->Queued++;
    if (W->Workers - W->Busy < W->Queued && W->Workers < EXP_MAX_WORKERS) {
        W->Workers++;
        KiCreateSystemThread(KiMachine->SystemProcess, KiFormat("System worker %u", W->Workers), ExpWorkerThread, W);
    }
    KeReleaseSemaphore(&W->Pending, 0, 1, FALSE);
}

/* --- Io work items ---------------------------------------------------------- */

struct _IO_WORKITEM {
    WORK_QUEUE_ITEM Item;
    PVOID IoObject;              /* device or driver object, referenced while queued */
    PIO_WORKITEM_ROUTINE Routine;
    PIO_WORKITEM_ROUTINE_EX RoutineEx;
    PVOID Context;
    BOOLEAN Queued;
};

static VOID IopWorkItemRoutine(PVOID Parameter)
{
    PIO_WORKITEM W = Parameter;
    PVOID Object = W->IoObject;
    W->Queued = FALSE;
    if (W->RoutineEx) {
        KI_DRIVER_FRAME_SCOPE(W->RoutineEx);
        W->RoutineEx(Object, W->Context, W);
    } else {
        KI_DRIVER_FRAME_SCOPE(W->Routine);
        W->Routine((PDEVICE_OBJECT)Object, W->Context);
    }
    ObfDereferenceObject(Object);
}

ULONG IoSizeofWorkItem(VOID)
{
    return sizeof(struct _IO_WORKITEM);
}

VOID IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem)
{
    memset(IoWorkItem, 0, sizeof(*IoWorkItem));
    IoWorkItem->IoObject = IoObject;
}

VOID IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem)
{
    if (IoWorkItem->Queued) {
        KiReportSetRootCause("IoUninitializeWorkItem/IoFreeWorkItem on a work item that is still queued");
        KeBugCheckEx(0xE4 /* WORKER_INVALID */, 1, (ULONG_PTR)MiSyntheticAddress(IoWorkItem), 0, 0);
    }
}

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject)
{
    PIO_WORKITEM W = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*W), ' woI');
    if (W != NULL)
        IoInitializeWorkItem(DeviceObject, W);
    return W;
}

VOID IoFreeWorkItem(PIO_WORKITEM IoWorkItem)
{
    IoUninitializeWorkItem(IoWorkItem);
    ExFreePoolWithTag(IoWorkItem, ' woI');
}

static void IopQueue(PIO_WORKITEM W, PIO_WORKITEM_ROUTINE Routine, PIO_WORKITEM_ROUTINE_EX RoutineEx,
                     WORK_QUEUE_TYPE QueueType, PVOID Context)
{
    if (W->Queued) {
        KiReportSetRootCause("IoQueueWorkItem on a work item that is already queued");
        KeBugCheckEx(0xE4 /* WORKER_INVALID */, 0, (ULONG_PTR)MiSyntheticAddress(W), 0, 0);
    }
    W->Routine = Routine;
    W->RoutineEx = RoutineEx;
    W->Context = Context;
    W->Queued = TRUE;
    ObfReferenceObject(W->IoObject);
    W->Item.List.Flink = NULL;
    W->Item.WorkerRoutine = IopWorkItemRoutine;
    W->Item.Parameter = W;
    ExQueueWorkItem(&W->Item, QueueType);
}

VOID IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine, WORK_QUEUE_TYPE QueueType,
                     PVOID Context)
{
    IopQueue(IoWorkItem, WorkerRoutine, NULL, QueueType, Context);
}

VOID IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE_EX WorkerRoutine, WORK_QUEUE_TYPE QueueType,
                       PVOID Context)
{
    IopQueue(IoWorkItem, NULL, WorkerRoutine, QueueType, Context);
}

/* --- system threads ------------------------------------------------------------ */

NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                              HANDLE ProcessHandle, PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                              PVOID StartContext)
{
    (void)ObjectAttributes;
    (void)ProcessHandle;
    KiRequireIrql(PASSIVE_LEVEL, "PsCreateSystemThread");
    PKTHREAD T = KiCreateSystemThread(KiMachine->SystemProcess, "System thread", StartRoutine, StartContext);
    if (ClientId) {
        ClientId->UniqueProcess = (HANDLE)(ULONG_PTR)KiMachine->SystemProcess->ProcessId;
        ClientId->UniqueThread = (HANDLE)(ULONG_PTR)T->ThreadId;
    }
    return ObpInsertHandle(KiMachine->SystemProcess, T, DesiredAccess, TRUE, ThreadHandle);
}

NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    extern DECLSPEC_NORETURN void KiTerminateCurrentThread(void);
    PKTHREAD T = KeGetCurrentThread();
    (void)ExitStatus;
    if (T->Fiber == NULL || !T->SystemThread)
        return STATUS_INVALID_PARAMETER;
    KiTerminateCurrentThread();
}
