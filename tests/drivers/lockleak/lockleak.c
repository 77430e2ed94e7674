/*
 * lockleak.c - fltsim test driver: in its pre-read callback it locks the
 * caller's buffer into an MDL (IoAllocateMdl + MmProbeAndLockPages inside
 * __try/__except, as the documentation asks) and never unlocks it.  When
 * the process exits, Windows finds the pages still locked:
 * DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (0xCB) with locked-page tracking on,
 * PROCESS_HAS_LOCKED_PAGES (0x76) without.
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;

static FLT_PREOP_CALLBACK_STATUS
LlPreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    PMDL Mdl;
    PVOID Buffer = Data->Iopb->Parameters.Read.ReadBuffer;
    ULONG Length = Data->Iopb->Parameters.Read.Length;
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    if (Buffer == NULL || Length == 0 || Data->RequestorMode != UserMode)
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    Mdl = IoAllocateMdl(Buffer, Length, FALSE, FALSE, NULL);
    if (Mdl == NULL)
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    __try {
        MmProbeAndLockPages(Mdl, UserMode, IoWriteAccess);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        IoFreeMdl(Mdl);
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    /* BUG: neither MmUnlockPages nor IoFreeMdl - the pages stay locked. */
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static NTSTATUS LlUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_READ, 0, LlPreRead, NULL},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, LlUnload,
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
