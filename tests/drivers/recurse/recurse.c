/*
 * recurse.c - fltsim test driver: its pre-create callback recurses without
 * end (a bug that exhausts the kernel stack).  Windows stops with 0x7F,
 * Arg1 = 8 (double fault); fltsim must report the same and keep the host
 * process alive.
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;

/* The stop condition can never hold (gLimit is never set), which the
 * compiler cannot prove: the recursion is unbounded at run time. */
static volatile ULONG gLimit;

static ULONG Recurse(ULONG Depth)
{
    volatile UCHAR Locals[256];
    Locals[Depth % sizeof(Locals)] = (UCHAR)Depth;
    if (gLimit != 0 && Depth >= gLimit)
        return Depth;
    return Recurse(Depth + 1) + Locals[0]; /* not a tail call */
}

static FLT_PREOP_CALLBACK_STATUS
RcPreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    Data->IoStatus.Information = Recurse(0);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static NTSTATUS RcUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_CREATE, 0, RcPreCreate, NULL},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, RcUnload,
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
