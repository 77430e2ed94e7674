/*
 * leakctx.c - fltsim test driver: leaks a reference on a stream context.
 *
 * Exists to provoke the leaked-context report at unload.  Its post-create
 * callback allocates a stream context, attaches it with FltSetStreamContext
 * and never calls FltReleaseContext on the reference FltAllocateContext
 * gave it.  The context's count never reaches zero, so FltUnregisterFilter
 * (called from the unload callback) waits forever on the filter's rundown,
 * as Windows does; the simulator must detect the hang and report the
 * leaked FLT_CONTEXT with the FltAllocateContext line below.  Failure paths
 * release correctly, so that reference is the only leak.
 */

#include <fltKernel.h>

#define LC_CONTEXT_TAG 'xCkL'

typedef struct _LC_STREAM_CONTEXT {
    ULONG Opens;
} LC_STREAM_CONTEXT, *PLC_STREAM_CONTEXT;

DRIVER_INITIALIZE DriverEntry;

static PFLT_FILTER gFilter;

static NTSTATUS
LcUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    UNREFERENCED_PARAMETER(Flags);
    PAGED_CODE();

    FltUnregisterFilter(gFilter); /* hangs: a stream context is still referenced */
    return STATUS_SUCCESS;
}

static FLT_PREOP_CALLBACK_STATUS
LcPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;

    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
LcPostCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags
    )
{
    PLC_STREAM_CONTEXT context = NULL;
    PLC_STREAM_CONTEXT existing = NULL;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(CompletionContext);

    if (FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING) ||
        !NT_SUCCESS(Data->IoStatus.Status) ||
        Data->IoStatus.Status == STATUS_REPARSE ||
        !FltSupportsStreamContexts(FltObjects->FileObject)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }

    status = FltAllocateContext(FltObjects->Filter,
                                FLT_STREAM_CONTEXT,
                                sizeof(LC_STREAM_CONTEXT),
                                NonPagedPoolNx,
                                (PFLT_CONTEXT *)&context);
    if (!NT_SUCCESS(status)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }
    context->Opens = 1;

    status = FltSetStreamContext(FltObjects->Instance,
                                 FltObjects->FileObject,
                                 FLT_SET_CONTEXT_KEEP_IF_EXISTS,
                                 context,
                                 (PFLT_CONTEXT *)&existing);
    if (!NT_SUCCESS(status)) {
        if (existing != NULL) {
            FltReleaseContext(existing);
        }
        FltReleaseContext(context);
        return FLT_POSTOP_FINISHED_PROCESSING;
    }

    /* BUG: FltReleaseContext(context) is missing here, so the reference from
       FltAllocateContext is never dropped. */
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static const FLT_CONTEXT_REGISTRATION Contexts[] = {
    { FLT_STREAM_CONTEXT, 0, NULL, sizeof(LC_STREAM_CONTEXT), LC_CONTEXT_TAG, NULL, NULL, NULL },
    { FLT_CONTEXT_END, 0, NULL, 0, 0, NULL, NULL, NULL }
};

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, LcPreCreate, LcPostCreate, NULL },
    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0,
    Contexts, Callbacks, LcUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(gFilter);
    }
    return status;
}
