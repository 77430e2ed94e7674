/*
 * opstatus.c - fltsim test driver: one operation per callback status, so a
 * scenario can check that the Filter Manager honours each as documented.
 *   create: FLT_PREOP_SYNCHRONIZE - the post-callback runs in the thread
 *           that issued the create, at PASSIVE_LEVEL;
 *   write:  a write of exactly 7 bytes is failed in the pre-callback with
 *           FLT_PREOP_COMPLETE / STATUS_ACCESS_DENIED: the file system
 *           never sees it and no post-callback runs;
 *   read:   FLT_POSTOP_MORE_PROCESSING_REQUIRED, then the post-operation is
 *           finished from a generic work item with
 *           FltCompletePendedPostOperation;
 *   query information: FLT_PREOP_SUCCESS_NO_CALLBACK - no post-callback.
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;

static FLT_PREOP_CALLBACK_STATUS
OsPreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = (PVOID)PsGetCurrentThreadId();
    return FLT_PREOP_SYNCHRONIZE;
}

static FLT_POSTOP_CALLBACK_STATUS
OsPostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext,
             FLT_POST_OPERATION_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Flags);
    DbgPrint("opstatus: post-create 0x%08x synchronized=%s irql=%u\n", (ULONG)Data->IoStatus.Status,
             CompletionContext == (PVOID)PsGetCurrentThreadId() ? "yes" : "no", KeGetCurrentIrql());
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static FLT_PREOP_CALLBACK_STATUS
OsPreWrite(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    if (Data->Iopb->Parameters.Write.Length == 7) {
        DbgPrint("opstatus: denying a 7-byte write\n");
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        Data->IoStatus.Information = 0;
        return FLT_PREOP_COMPLETE;
    }
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
OsPostWrite(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext,
            FLT_POST_OPERATION_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    DbgPrint("opstatus: post-write %Iu bytes\n", Data->IoStatus.Information);
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static VOID OsFinishRead(PFLT_GENERIC_WORKITEM WorkItem, PVOID FltObject, PVOID Context)
{
    PFLT_CALLBACK_DATA Data = Context;
    UNREFERENCED_PARAMETER(FltObject);
    DbgPrint("opstatus: finishing the read's post-operation on a worker, %Iu bytes\n", Data->IoStatus.Information);
    FltFreeGenericWorkItem(WorkItem);
    FltCompletePendedPostOperation(Data);
}

static FLT_PREOP_CALLBACK_STATUS
OsPreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
OsPostRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext,
           FLT_POST_OPERATION_FLAGS Flags)
{
    PFLT_GENERIC_WORKITEM WorkItem;
    UNREFERENCED_PARAMETER(CompletionContext);
    if (FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING))
        return FLT_POSTOP_FINISHED_PROCESSING;
    WorkItem = FltAllocateGenericWorkItem();
    if (WorkItem == NULL)
        return FLT_POSTOP_FINISHED_PROCESSING;
    if (!NT_SUCCESS(FltQueueGenericWorkItem(WorkItem, FltObjects->Instance, OsFinishRead, DelayedWorkQueue, Data))) {
        FltFreeGenericWorkItem(WorkItem);
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}

static FLT_PREOP_CALLBACK_STATUS
OsPreQuery(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    DbgPrint("opstatus: pre-query, no post wanted\n");
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
OsPostQuery(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext,
            FLT_POST_OPERATION_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(CompletionContext);
    UNREFERENCED_PARAMETER(Flags);
    DbgPrint("opstatus: post-query (must not happen)\n");
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static NTSTATUS OsUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_CREATE, 0, OsPreCreate, OsPostCreate},
    {IRP_MJ_WRITE, 0, OsPreWrite, OsPostWrite},
    {IRP_MJ_READ, 0, OsPreRead, OsPostRead},
    {IRP_MJ_QUERY_INFORMATION, 0, OsPreQuery, OsPostQuery},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, OsUnload,
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
