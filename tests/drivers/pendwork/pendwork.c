/*
 * pendwork.c - fltsim test driver: pends every pre-read (FLT_PREOP_PENDING),
 * finishes it later from a deferred I/O work item on a system worker
 * thread (FltQueueDeferredIoWorkItem + FltCompletePendedPreOperation), and
 * logs which thread each step ran on.  The read must still complete with
 * the file's data, the post-operation callback must run, and the user's
 * synchronous read must wait for it.  The user's buffer is locked first
 * (FltLockUserBuffer): the worker thread runs in the System process, where
 * the caller's user address means nothing.
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;

static VOID PwResume(PFLT_DEFERRED_IO_WORKITEM WorkItem, PFLT_CALLBACK_DATA Data, PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    DbgPrint("pendwork: resumed at IRQL %u on a %s thread\n", KeGetCurrentIrql(),
             PsIsSystemThread(PsGetCurrentThread()) ? "system" : "user");
    FltFreeDeferredIoWorkItem(WorkItem);
    FltCompletePendedPreOperation(Data, FLT_PREOP_SUCCESS_WITH_CALLBACK, NULL);
}

static FLT_PREOP_CALLBACK_STATUS
PwPreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    PFLT_DEFERRED_IO_WORKITEM WorkItem;
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    if (!NT_SUCCESS(FltLockUserBuffer(Data)))
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    WorkItem = FltAllocateDeferredIoWorkItem();
    if (WorkItem == NULL)
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    if (!NT_SUCCESS(FltQueueDeferredIoWorkItem(WorkItem, Data, PwResume, DelayedWorkQueue, NULL))) {
        FltFreeDeferredIoWorkItem(WorkItem);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    DbgPrint("pendwork: pended a read of %u bytes\n", Data->Iopb->Parameters.Read.Length);
    return FLT_PREOP_PENDING;
}

static FLT_POSTOP_CALLBACK_STATUS
PwPostRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext,
           FLT_POST_OPERATION_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    DbgPrint("pendwork: post-read status 0x%08x, %Iu bytes\n", (ULONG)Data->IoStatus.Status,
             Data->IoStatus.Information);
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static NTSTATUS PwUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_READ, 0, PwPreRead, PwPostRead},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, PwUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    Status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (NT_SUCCESS(Status)) {
        Status = FltStartFiltering(gFilter);
        if (!NT_SUCCESS(Status))
            FltUnregisterFilter(gFilter);
    }
    return Status;
}
